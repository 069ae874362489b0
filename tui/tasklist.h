/*
 * tasklist.h - a task list read page by page (keyset cursor), for the task
 * view and the task picker.  Rows keep short copies of their strings.
 */
#ifndef TRACEGROUP_TUI_TASKLIST_H
#define TRACEGROUP_TUI_TASKLIST_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct task_item {
	int64_t id, count;
	char *name, *tmpl, *project, *model, *path;   /* raw, cut short */
};

struct task_list {
	struct store *store;
	struct task_filter filter;
	char search[256];             /* filter.search points here when set */
	struct task_cursor cur;
	struct task_item *rows;
	size_t n, cap;
	int eof;
	char error[256];
	volatile sig_atomic_t *cancel;/* set: tasklist_ensure stops (may be NULL) */
};

void tasklist_init(struct task_list *l, struct store *s);
/* Forget the rows (filters kept); they are read again on demand. */
void tasklist_reset(struct task_list *l);
/* Read pages until at least n rows are there or the list ends. */
void tasklist_ensure(struct task_list *l, size_t n);
void tasklist_free(struct task_list *l);
/* A copy of s cut to at most max bytes on a character boundary. */
char *tui_strndup_utf8(const char *s, size_t max);

#endif
