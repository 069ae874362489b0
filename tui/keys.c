/*
 * keys.c - the key map, read from the request table of keys.h.
 */
#include <stdio.h>

#include "tui/keys.h"

const struct request_info tui_requests[] = {
#define REQ_INFO_(id, sc, k1, k2, names, help) \
	{ REQ_##id, #id, sc, k1, k2, names, help },
	TUI_REQUESTS(REQ_INFO_)
#undef REQ_INFO_
	{ REQ_NONE, NULL, 0, 0, 0, NULL, NULL }
};

/* Bound keys below KEY_MIN are characters, the others KEY_* codes: a
 * character such as U+0102 must not pass for KEY_DOWN (0402). */
static int same_key(int bound, int key, int is_char)
{
	return bound && bound == key && (is_char ? bound < KEY_MIN : bound >= KEY_MIN);
}

enum request keys_lookup(int scope, int key, int is_char)
{
	if (is_char && key == '\r')
		key = '\n';
	for (const struct request_info *r = tui_requests; r->name; r++)
		if ((r->scope & scope) &&
		    (same_key(r->key, key, is_char) || same_key(r->alt, key, is_char)))
			return r->req;
	return REQ_NONE;
}

static const char *scope_name(int sc)
{
	switch (sc) {
	case SC_ALL: return "everywhere";
	case SC_LIST: return "tasks, traces";
	case SC_TASKS: return "tasks";
	case SC_TRACES: return "traces";
	case SC_DETAIL: return "trace detail";
	case SC_GROUP: return "grouping panel";
	case SC_TRACES | SC_DETAIL: return "traces, detail";
	default: return "some views";
	}
}

void keys_print_markdown(FILE *f)
{
	fprintf(f, "| Keys | Where | Action |\n|---|---|---|\n");
	for (const struct request_info *r = tui_requests; r->name; r++)
		fprintf(f, "| `%s` | %s | %s |\n", r->keys, scope_name(r->scope),
		        r->help);
}
