/*
 * script.c - parse a key script (see script.h).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "tui/keys.h"
#include "tui/script.h"

struct script {
	struct script_event *ev;
	size_t n, cap, pos;
};

static const struct { const char *name; int key, is_char; } names[] = {
	{ "Enter", '\n', 1 }, { "CR", '\n', 1 }, { "Esc", 27, 1 },
	{ "Tab", '\t', 1 }, { "Space", ' ', 1 }, { "lt", '<', 1 },
	{ "BS", KEY_BACKSPACE, 0 }, { "Up", KEY_UP, 0 }, { "Down", KEY_DOWN, 0 },
	{ "Left", KEY_LEFT, 0 }, { "Right", KEY_RIGHT, 0 },
	{ "PgUp", KEY_PPAGE, 0 }, { "PgDn", KEY_NPAGE, 0 },
	{ "Home", KEY_HOME, 0 }, { "End", KEY_END, 0 },
	{ "S-Down", KEY_SF, 0 }, { "S-Up", KEY_SR, 0 }, { "F1", KEY_F(1), 0 },
};

static void push(struct script *s, struct script_event e)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ev = realloc(s->ev, s->cap * sizeof *s->ev);
		if (!s->ev)
			abort();
	}
	s->ev[s->n++] = e;
}

/* One <...> token (without brackets); 0 or -1 when unknown. */
static int token(struct script *s, const char *t, int line)
{
	struct script_event e = { EV_KEY, 0, 1, 0, 0, line, NULL };

	if (!strcasecmp(t, "wait")) {
		e.kind = EV_WAIT;
	} else if (!strncasecmp(t, "resize ", 7)) {
		e.kind = EV_RESIZE;
		if (sscanf(t + 7, "%dx%d", &e.cols, &e.rows) != 2 || e.cols < 10 ||
		    e.rows < 5 || e.cols > 1000 || e.rows > 1000)
			return -1;
	} else if ((t[0] == 'C' || t[0] == 'c') && t[1] == '-' && t[2] && !t[3]) {
		e.key = CTRL_(t[2]);
	} else {
		size_t i;
		for (i = 0; i < sizeof names / sizeof *names; i++)
			if (!strcasecmp(t, names[i].name))
				break;
		if (i == sizeof names / sizeof *names)
			return -1;
		e.key = names[i].key;
		e.is_char = names[i].is_char;
	}
	push(s, e);
	return 0;
}

static int parse_line(struct script *s, const char *l, int line)
{
	if (!strncmp(l, ":save-display ", 14) && l[14]) {
		struct script_event e = { EV_SAVE, 0, 0, 0, 0, line, strdup(l + 14) };
		if (!e.path)
			abort();
		push(s, e);
		return 0;
	}
	mbstate_t st;
	size_t len = strlen(l), i = 0;
	int typed = l[0] == ':' || l[0] == '/';

	memset(&st, 0, sizeof st);
	while (i < len) {
		wchar_t c;
		size_t k;
		if (!typed && l[i] == '<') {
			const char *end = strchr(l + i, '>');
			char t[64];
			if (!end || (size_t)(end - l - i - 1) >= sizeof t)
				return -1;
			memcpy(t, l + i + 1, (size_t)(end - l - i - 1));
			t[end - l - i - 1] = '\0';
			if (token(s, t, line) != 0)
				return -1;
			i = (size_t)(end - l) + 1;
			continue;
		}
		k = mbrtowc(&c, l + i, len - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			return -1;
		push(s, (struct script_event){ EV_KEY, (int)c, 1, 0, 0, line, NULL });
		i += k;
	}
	if (typed)
		push(s, (struct script_event){ EV_KEY, '\n', 1, 0, 0, line, NULL });
	return 0;
}

struct script *script_open(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct script *s;
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	int line = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open script %s", path);
		return NULL;
	}
	if (!(s = calloc(1, sizeof *s)))
		abort();
	while ((n = getline(&l, &cap, f)) >= 0) {
		line++;
		while (n > 0 && (l[n - 1] == '\n' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (n == 0 || (l[0] == '#' && (l[1] == ' ' || !l[1])))
			continue;
		if (parse_line(s, l, line) != 0) {
			snprintf(err, errlen, "%s:%d: cannot read this line", path, line);
			free(l);
			fclose(f);
			script_free(s);
			return NULL;
		}
	}
	free(l);
	fclose(f);
	return s;
}

void script_free(struct script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->ev[i].path);
	free(s->ev);
	free(s);
}

const struct script_event *script_peek(const struct script *s)
{
	return s->pos < s->n ? &s->ev[s->pos] : NULL;
}

const struct script_event *script_next(struct script *s)
{
	return s->pos < s->n ? &s->ev[s->pos++] : NULL;
}

void script_key_name(int key, int is_char, char *buf, size_t n)
{
	if (is_char && key == '\n')
		snprintf(buf, n, "<Enter>");
	else if (is_char && key == 27)
		snprintf(buf, n, "<Esc>");
	else if (is_char && key == ' ')
		snprintf(buf, n, "<Space>");
	else if (is_char && key < 0x20)
		snprintf(buf, n, "<C-%c>", key + 'a' - 1);
	else if (is_char && key < 0x7f)
		snprintf(buf, n, "%c", key);
	else if (is_char)
		snprintf(buf, n, "U+%04X", key);
	else
		snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
}
