/*
 * undo.c - undo and redo through the store's journal.
 *
 * The journal lives in the database, so undo works after a restart and from
 * either face.  Variables of traces that land back in a task are recomputed
 * from that task's template.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/internal.h"

struct vars_ctx {
	struct ops_ctx *c;
	int64_t task_id;
	struct tmpl *t;
};

/* Variables of a text under a task's template; caches the last template. */
static char *vars_for(void *ctx, int64_t task_id, const char *text)
{
	struct vars_ctx *vc = ctx;

	if (vc->task_id != task_id) {
		struct task_copy tc;
		tmpl_free(vc->t);
		vc->t = NULL;
		vc->task_id = task_id;
		if (store_task_get(vc->c->store, task_id, &tc) > 0)
			vc->t = tmpl_parse(tc.row.template, strlen(tc.row.template));
		task_copy_clear(&tc);
	}
	return ops_variables(vc->t, text);
}

int ops_undo(struct ops_ctx *c, int redo, char **summary)
{
	struct vars_ctx vc = { c, 0, NULL };
	struct journal_row row;
	char *buf = NULL;
	int64_t j = 0;
	int rc;

	*summary = NULL;
	if (store_begin(c->store) != 0)
		return ops_store_fail(c, redo ? "redo" : "undo");
	rc = store_journal_next(c->store, redo, &j);
	if (rc <= 0) {
		store_rollback(c->store);
		return rc < 0 ? ops_store_fail(c, redo ? "redo" : "undo") : 0;
	}
	rc = store_journal_apply(c->store, j, redo, vars_for, &vc) != 0 ||
	     store_journal_get(c->store, j, &row, &buf) <= 0;
	tmpl_free(vc.t);
	if (rc) {
		free(buf);
		store_rollback(c->store);
		return ops_store_fail(c, redo ? "redo" : "undo");
	}
	if (store_commit(c->store) != 0) {
		free(buf);
		return ops_store_fail(c, redo ? "redo" : "undo");
	}
	if (asprintf(summary, "%s #%lld: %s", redo ? "redid" : "undid",
	             (long long)j, row.summary) < 0)
		*summary = NULL;
	free(buf);
	return 0;
}
