/*
 * reorganise.c - the analyst's hand: assign, create a task from traces,
 * merge, split, rename.  Every one is a journaled transaction, so undo can
 * take it back.  Traces placed by hand are marked manual and automatic
 * grouping never moves them again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/internal.h"

/* One member of a task being rebuilt: a trace and its text. */
struct member {
	int64_t trace_id, text_id;
	char *text;
};

struct members {
	struct member *v;
	size_t n, cap;
};

static int collect_member(void *ctx, int64_t trace_id, int64_t text_id,
                          const char *text)
{
	struct members *m = ctx;

	ops_reserve(&m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n++] = (struct member){ trace_id, text_id,
		text ? ops_strdup(text) : NULL };
	return 0;
}

static void members_free(struct members *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].text);
	free(m->v);
	memset(m, 0, sizeof *m);
}

/* Open a journaled transaction. */
static int64_t begin_op(struct ops_ctx *c, const char *op, const char *summary)
{
	int64_t j;

	if (store_begin(c->store) != 0)
		return ops_store_fail(c, op), 0;
	if (!(j = store_journal_add(c->store, op, summary))) {
		ops_store_fail(c, op);
		store_rollback(c->store);
	}
	return j;
}

static int end_op(struct ops_ctx *c, int rc, const char *op)
{
	if (rc) {
		store_rollback(c->store);
		return rc;
	}
	return store_commit(c->store) == 0 ? 0 : ops_store_fail(c, op);
}

/* The template of a task as an engine object (NULL if it does not parse). */
static struct tmpl *task_tmpl(struct ops_ctx *c, int64_t task_id,
                              struct task_copy *tc)
{
	int rc = store_task_get(c->store, task_id, tc);

	if (rc <= 0 || tc->row.deleted) {
		if (rc >= 0)
			ops_fail(c, "no task %lld", (long long)task_id);
		else
			ops_store_fail(c, "task");
		return NULL;
	}
	return tmpl_parse(tc->row.template, strlen(tc->row.template));
}

/* Move the traces in (manual), recomputing variables under t. */
static int move_all(struct ops_ctx *c, int64_t j, const struct members *m,
                    int64_t task_id, enum assign_kind by, const struct tmpl *t,
                    int64_t *moved)
{
	for (size_t i = 0; i < m->n; i++) {
		char *vars = task_id ? ops_variables(t, m->v[i].text) : NULL;
		int rc = store_move_trace(c->store, j, m->v[i].trace_id, task_id, by,
		                          vars);
		free(vars);
		if (rc < 0)
			return ops_store_fail(c, "move");
		if (moved)
			*moved += rc;
	}
	return 0;
}

/* Members for a list of trace ids. */
static int members_of_ids(struct ops_ctx *c, const int64_t *ids, size_t n,
                          struct members *m)
{
	for (size_t i = 0; i < n; i++) {
		struct trace_copy tc;
		int rc = store_trace_get(c->store, ids[i], &tc);
		if (rc <= 0)
			return rc < 0 ? ops_store_fail(c, "trace")
			              : ops_fail(c, "no trace #%lld", (long long)ids[i]);
		collect_member(m, ids[i], tc.row.text_id, tc.row.text);
		trace_copy_clear(&tc);
	}
	return 0;
}

int ops_assign(struct ops_ctx *c, const int64_t *ids, size_t n,
               int64_t task_id, int64_t *moved)
{
	struct members m = { 0 };
	struct task_copy tc = { 0 };
	struct tmpl *t = NULL;
	char summary[160];
	int64_t j;
	int rc;

	*moved = 0;
	c->err[0] = '\0';
	if (task_id && !(t = task_tmpl(c, task_id, &tc)) && c->err[0])
		return -1;
	if (task_id)
		snprintf(summary, sizeof summary, "assign %zu traces to task %lld (%s)",
		         n, (long long)task_id, tc.row.name);
	else
		snprintf(summary, sizeof summary, "ungroup %zu traces", n);
	task_copy_clear(&tc);
	if (!(j = begin_op(c, task_id ? "assign" : "ungroup", summary))) {
		tmpl_free(t);
		return -1;
	}
	rc = members_of_ids(c, ids, n, &m);
	if (!rc)
		rc = move_all(c, j, &m, task_id, ASSIGN_MANUAL, t, moved);
	members_free(&m);
	tmpl_free(t);
	return end_op(c, rc, "assign");
}

/* Template inferred from at most max members' texts. */
static struct tmpl *infer_from(const struct members *m, size_t max)
{
	size_t n = 0;
	const char **texts = calloc(m->n ? m->n : 1, sizeof *texts);
	size_t *lens = calloc(m->n ? m->n : 1, sizeof *lens);
	struct tmpl *t = NULL;

	if (!texts || !lens)
		abort();
	for (size_t i = 0; i < m->n && n < max; i++) {
		if (!m->v[i].text)
			continue;
		texts[n] = m->v[i].text;
		lens[n++] = strlen(m->v[i].text);
	}
	if (n)
		t = tmpl_infer(texts, lens, n);
	free(texts);
	free(lens);
	return t;
}

/* Create a task in the partition of the first member. */
static int64_t create_task_for(struct ops_ctx *c, int64_t j, int64_t trace_id,
                               const struct tmpl *t, const char *name,
                               const char *created_by)
{
	struct trace_copy tc;
	int64_t project_id = 0, id = 0;
	char *tpl = tmpl_render(t);
	char *auto_name = name ? NULL : ops_task_name(tpl);

	if (store_trace_get(c->store, trace_id, &tc) > 0 &&
	    store_project_find(c->store, tc.row.project, &project_id) > 0)
		id = store_task_create(c->store, project_id, tc.row.model, tc.row.path,
		                       tpl, name ? name : auto_name, created_by);
	if (!id || store_journal_task(c->store, j, id, "deleted", "1", "0") != 0)
		id = ops_store_fail(c, "create task");
	trace_copy_clear(&tc);
	free(tpl);
	free(auto_name);
	return id;
}

int ops_create_task(struct ops_ctx *c, const int64_t *ids, size_t n,
                    const char *name, int64_t *task_id)
{
	struct members m = { 0 };
	struct tmpl *t = NULL;
	char summary[160];
	int64_t j;
	int rc;

	*task_id = 0;
	if (!n)
		return ops_fail(c, "no traces to create a task from");
	snprintf(summary, sizeof summary, "new task from %zu traces", n);
	if (!(j = begin_op(c, "create-task", summary)))
		return -1;
	rc = members_of_ids(c, ids, n, &m);
	if (!rc && !(t = infer_from(&m, m.n)))
		rc = ops_fail(c, "these traces have no text to infer a template from");
	if (!rc && (*task_id = create_task_for(c, j, ids[0], t, name, "manual")) <= 0)
		rc = -1;
	if (!rc)
		rc = move_all(c, j, &m, *task_id, ASSIGN_MANUAL, t, NULL);
	tmpl_free(t);
	members_free(&m);
	return end_op(c, rc, "create-task");
}

/* Replace a task's template (journaled) and recompute its variables. */
static int retemplate(struct ops_ctx *c, int64_t j, int64_t task_id,
                      const char *old_tpl, const struct tmpl *t,
                      const struct members *m)
{
	char *tpl = tmpl_render(t);
	int rc = 0;

	if (strcmp(tpl, old_tpl) != 0 &&
	    (store_journal_task(c->store, j, task_id, "template", old_tpl, tpl) ||
	     store_task_set(c->store, task_id, "template", tpl)))
		rc = ops_store_fail(c, "template");
	for (size_t i = 0; !rc && i < m->n; i++) {
		char *vars = ops_variables(t, m->v[i].text);
		if (store_set_variables(c->store, m->v[i].trace_id, vars) != 0)
			rc = ops_store_fail(c, "variables");
		free(vars);
	}
	free(tpl);
	return rc;
}

int ops_merge(struct ops_ctx *c, int64_t into, const int64_t *from, size_t n,
              uint32_t max_sample)
{
	struct members all = { 0 };
	struct task_copy dst = { 0 };
	struct tmpl *t = NULL;
	char summary[200];
	int64_t j;
	int rc = 0;

	c->err[0] = '\0';
	if ((t = task_tmpl(c, into, &dst)) == NULL && c->err[0])
		return -1;
	tmpl_free(t);
	t = NULL;
	snprintf(summary, sizeof summary, "merge %zu tasks into %lld (%s)", n,
	         (long long)into, dst.row.name);
	if (!(j = begin_op(c, "merge", summary))) {
		task_copy_clear(&dst);
		return -1;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct task_copy src;
		struct members m = { 0 };
		if (from[i] == into)
			continue;
		if (store_task_get(c->store, from[i], &src) <= 0 || src.row.deleted)
			rc = ops_fail(c, "no task %lld", (long long)from[i]);
		else if (store_task_trace_ids(c->store, from[i], collect_member, &m) < 0)
			rc = ops_store_fail(c, "merge");
		if (!rc)
			rc = move_all(c, j, &m, into, ASSIGN_MANUAL, NULL, NULL);
		if (!rc && (store_journal_task(c->store, j, from[i], "deleted", "0",
		                               "1") ||
		            store_task_set(c->store, from[i], "deleted", "1")))
			rc = ops_store_fail(c, "merge");
		task_copy_clear(&src);
		members_free(&m);
	}
	if (!rc && store_task_trace_ids(c->store, into, collect_member, &all) < 0)
		rc = ops_store_fail(c, "merge");
	if (!rc && (t = infer_from(&all, max_sample ? max_sample : 100)))
		rc = retemplate(c, j, into, dst.row.template, t, &all);
	tmpl_free(t);
	members_free(&all);
	task_copy_clear(&dst);
	return end_op(c, rc, "merge");
}

int ops_rename(struct ops_ctx *c, int64_t task_id, const char *name)
{
	struct task_copy tc = { 0 };
	char summary[200];
	int64_t j;
	int rc;

	if (!name || !*name)
		return ops_fail(c, "a task name cannot be empty");
	rc = store_task_get(c->store, task_id, &tc);
	if (rc <= 0 || tc.row.deleted) {
		task_copy_clear(&tc);
		return rc < 0 ? ops_store_fail(c, "rename")
		              : ops_fail(c, "no task %lld", (long long)task_id);
	}
	snprintf(summary, sizeof summary, "rename task %lld to \"%.120s\"",
	         (long long)task_id, name);
	if (!(j = begin_op(c, "rename", summary))) {
		task_copy_clear(&tc);
		return -1;
	}
	rc = store_journal_task(c->store, j, task_id, "name", tc.row.name, name) ||
	     store_task_set(c->store, task_id, "name", name)
	     ? ops_store_fail(c, "rename") : 0;
	task_copy_clear(&tc);
	return end_op(c, rc, "rename");
}
