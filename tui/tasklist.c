/*
 * tasklist.c - paged task list (see tasklist.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tasklist.h"

#define PAGE 100
#define PREVIEW 400

char *tui_strndup_utf8(const char *s, size_t max)
{
	size_t n;
	char *d;

	if (!s)
		s = "";
	n = strnlen(s, max + 1);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (!(d = malloc(n + 1)))
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void tasklist_init(struct task_list *l, struct store *s)
{
	memset(l, 0, sizeof *l);
	l->store = s;
	l->filter.sort = TASK_SORT_COUNT;
}

static void clear_rows(struct task_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct task_item *k = &l->rows[i];
		free(k->name);
		free(k->tmpl);
		free(k->project);
		free(k->model);
		free(k->path);
	}
	l->n = 0;
}

void tasklist_reset(struct task_list *l)
{
	clear_rows(l);
	memset(&l->cur, 0, sizeof l->cur);
	l->eof = 0;
	l->error[0] = '\0';
	l->filter.search = l->search[0] ? l->search : NULL;
}

static int add_row(void *ctx, const struct task_row *r)
{
	struct task_list *l = ctx;
	struct task_item *k;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : PAGE;
		l->rows = realloc(l->rows, l->cap * sizeof *l->rows);
		if (!l->rows)
			abort();
	}
	k = &l->rows[l->n++];
	k->id = r->id;
	k->count = r->trace_count;
	k->name = tui_strndup_utf8(r->name, 200);
	k->tmpl = tui_strndup_utf8(r->template, PREVIEW);
	k->project = tui_strndup_utf8(r->project, 100);
	k->model = tui_strndup_utf8(r->model, 100);
	k->path = tui_strndup_utf8(r->path, 200);
	return 0;
}

void tasklist_ensure(struct task_list *l, size_t n)
{
	while (!l->eof && l->n < n && !(l->cancel && *l->cancel)) {
		size_t before = l->n;
		/* Large reads (G) in large pages: fewer statements. */
		int page = n - l->n > 4 * PAGE ? 20 * PAGE : PAGE;
		int rc = store_tasks_page(l->store, &l->filter, &l->cur, page,
		                          add_row, l);
		if (rc < 0) {
			snprintf(l->error, sizeof l->error, "%s", store_error(l->store));
			l->eof = 1;
		} else if (rc < page || l->n == before) {
			l->eof = 1;
		}
	}
}

void tasklist_free(struct task_list *l)
{
	clear_rows(l);
	free(l->rows);
	l->rows = NULL;
	l->cap = 0;
}
