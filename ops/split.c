/*
 * split.c - re-cluster one task's traces at a stricter threshold.
 *
 * The largest cluster keeps the task (its template re-inferred), every other
 * cluster of at least min_cluster_size traces becomes a task of its own, and
 * traces in no cluster are ungrouped so a later grouping may place them.
 * A dry run reports exactly that without changing anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/internal.h"

struct split_member {
	int64_t trace_id, text_id;
	char *text;
	size_t item;               /* index of its distinct text */
};

struct split {
	struct split_member *m;
	size_t n, cap;
	struct cluster_item *items;
	size_t n_items;
};

static int add_member(void *ctx, int64_t trace_id, int64_t text_id,
                      const char *text)
{
	struct split *sp = ctx;

	ops_reserve(&sp->m, &sp->cap, sp->n + 1, sizeof *sp->m);
	sp->m[sp->n++] = (struct split_member){ trace_id, text_id,
		ops_strdup(text), 0 };
	return 0;
}

static int cmp_text(const void *a, const void *b)
{
	const struct split_member *x = a, *y = b;
	if (x->text_id != y->text_id)
		return (x->text_id > y->text_id) - (x->text_id < y->text_id);
	return (x->trace_id > y->trace_id) - (x->trace_id < y->trace_id);
}

/* Distinct texts as weighted engine items. */
static void build_items(struct split *sp)
{
	qsort(sp->m, sp->n, sizeof *sp->m, cmp_text);
	if (!(sp->items = calloc(sp->n ? sp->n : 1, sizeof *sp->items)))
		abort();
	for (size_t i = 0; i < sp->n; i++) {
		if (i == 0 || sp->m[i].text_id != sp->m[i - 1].text_id)
			sp->items[sp->n_items++] = (struct cluster_item){ sp->m[i].text,
				strlen(sp->m[i].text), 0 };
		sp->m[i].item = sp->n_items - 1;
		sp->items[sp->n_items - 1].weight++;
	}
}

static void split_free(struct split *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		free(sp->m[i].text);
	free(sp->m);
	free(sp->items);
}

static int cancel_cb(void *ctx)
{
	return ops_cancelled(ctx);
}

static size_t largest(const struct cluster_result *cr)
{
	size_t best = 0;
	for (size_t k = 1; k < cr->n_clusters; k++)
		if (cr->sizes[k] > cr->sizes[best])
			best = k;
	return best;
}

/* Move every member whose cluster is k (CLUSTER_NONE: the leftovers). */
static int move_cluster(struct ops_ctx *c, int64_t j, const struct split *sp,
                        const struct cluster_result *cr, uint32_t k,
                        int64_t task_id)
{
	for (size_t i = 0; i < sp->n; i++) {
		char *vars;
		int rc;
		if (cr->assign[sp->m[i].item] != k)
			continue;
		vars = task_id ? ops_variables(cr->templates[k], sp->m[i].text) : NULL;
		rc = store_move_trace(c->store, j, sp->m[i].trace_id, task_id,
		                      task_id ? ASSIGN_MANUAL : ASSIGN_NONE, vars);
		free(vars);
		if (rc < 0)
			return ops_store_fail(c, "split");
	}
	return 0;
}

static int apply_split(struct ops_ctx *c, const struct task_copy *tc,
                       const struct split *sp, const struct cluster_result *cr,
                       size_t keep)
{
	char summary[200], *tpl = tmpl_render(cr->templates[keep]);
	int64_t j;
	int rc = 0;

	snprintf(summary, sizeof summary, "split task %lld (%s) into %zu tasks",
	         (long long)tc->row.id, tc->row.name, cr->n_clusters);
	if (store_begin(c->store) != 0 ||
	    !(j = store_journal_add(c->store, "split", summary))) {
		free(tpl);
		store_rollback(c->store);
		return ops_store_fail(c, "split");
	}
	if (strcmp(tpl, tc->row.template) &&
	    (store_journal_task(c->store, j, tc->row.id, "template",
	                        tc->row.template, tpl) ||
	     store_task_set(c->store, tc->row.id, "template", tpl)))
		rc = ops_store_fail(c, "split");
	free(tpl);
	for (size_t k = 0; !rc && k < cr->n_clusters; k++) {
		int64_t id = tc->row.id;
		if (k != keep) {
			char *t = tmpl_render(cr->templates[k]), *name = ops_task_name(t);
			id = store_task_create(c->store, tc->row.project_id, tc->row.model,
			                       tc->row.path, t, name, "split");
			free(t);
			free(name);
			if (!id || store_journal_task(c->store, j, id, "deleted", "1", "0"))
				rc = ops_store_fail(c, "split");
		}
		if (!rc)
			rc = move_cluster(c, j, sp, cr, (uint32_t)k, id);
	}
	if (!rc)
		rc = move_cluster(c, j, sp, cr, CLUSTER_NONE, 0);
	if (rc) {
		store_rollback(c->store);
		return rc;
	}
	return store_commit(c->store) == 0 ? 0 : ops_store_fail(c, "split");
}

int ops_split(struct ops_ctx *c, int64_t task_id, const struct group_params *p,
              int dry_run, struct group_report *r)
{
	const char *bad = group_params_check(p);
	struct split sp = { 0 };
	struct cluster_result cr = { 0 };
	struct task_copy tc = { 0 };
	double t0 = ops_now();
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (bad)
		return ops_fail(c, "%s", bad);
	rc = store_task_get(c->store, task_id, &tc);
	if (rc <= 0 || tc.row.deleted) {
		task_copy_clear(&tc);
		return rc < 0 ? ops_store_fail(c, "split")
		              : ops_fail(c, "no task %lld", (long long)task_id);
	}
	rc = store_task_trace_ids(c->store, task_id, add_member, &sp) < 0
	     ? ops_store_fail(c, "split") : 0;
	if (!rc) {
		build_items(&sp);
		if (sp.n_items && cluster_run(sp.items, sp.n_items, p,
		                              cancel_cb, c, &cr))
			rc = OPS_CANCELLED;
	}
	r->considered = sp.n;
	for (size_t k = 0; !rc && k < cr.n_clusters; k++) {
		ops_report_task(r, tc.row.project, tc.row.model, tc.row.path,
		                k == largest(&cr) ? task_id : 0, cr.templates[k],
		                cr.sizes[k]);
		r->grouped += cr.sizes[k];
	}
	r->tasks_created = cr.n_clusters ? cr.n_clusters - 1 : 0;
	r->left = r->considered - r->grouped;
	if (!rc && !dry_run && cr.n_clusters == 0)
		rc = ops_fail(c, "at threshold %.2f no cluster of %u traces remains; "
		              "nothing was changed", p->similarity_threshold,
		              p->min_cluster_size);
	else if (!rc && !dry_run && (cr.n_clusters > 1 || r->left))
		rc = apply_split(c, &tc, &sp, &cr, largest(&cr));
	ops_report_sort(r);
	r->seconds = ops_now() - t0;
	cluster_result_free(&cr);
	split_free(&sp);
	task_copy_clear(&tc);
	return rc;
}
