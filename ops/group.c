/*
 * group.c - auto-match of all ungrouped traces, batch grouping and
 * force-grouping one trace.
 *
 * Work goes partition by partition (project, model, path): the partition's
 * distinct texts are read, matched against existing tasks, the rest
 * clustered by the engine; then, unless this is a dry run, tasks are created
 * and traces assigned, all inside one transaction that a failure or a
 * cancel rolls back.  Only traces nobody placed by hand are considered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/internal.h"

struct text_item {
	int64_t text_id;
	char *text;
	int64_t count;
	int64_t task;          /* matched task, 0 if none */
};

struct partition {
	int64_t project_id;
	char *project, *model, *path;
	int64_t count;
	struct text_item *items;
	size_t n, cap;
};

struct plan {
	struct partition *parts;
	size_t n, cap;
};

static int collect_part(void *ctx, const struct text_group *g)
{
	struct plan *pl = ctx;

	ops_reserve(&pl->parts, &pl->cap, pl->n + 1, sizeof *pl->parts);
	pl->parts[pl->n++] = (struct partition){ g->project_id,
		ops_strdup(g->project), ops_strdup(g->model), ops_strdup(g->path),
		g->count, NULL, 0, 0 };
	return 0;
}

static int collect_text(void *ctx, const struct text_group *g)
{
	struct partition *p = ctx;

	ops_reserve(&p->items, &p->cap, p->n + 1, sizeof *p->items);
	p->items[p->n++] = (struct text_item){ g->text_id, ops_strdup(g->text),
		g->count, 0 };
	return 0;
}

static void partition_drop_texts(struct partition *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].text);
	free(p->items);
	p->items = NULL;
	p->n = p->cap = 0;
}

static void plan_free(struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		partition_drop_texts(&pl->parts[i]);
		free(pl->parts[i].project);
		free(pl->parts[i].model);
		free(pl->parts[i].path);
	}
	free(pl->parts);
}

static int cancel_cb(void *ctx)
{
	return ops_cancelled(ctx);
}

static void report_task(struct group_report *r, const struct partition *p,
                        int64_t task_id, const struct tmpl *t, uint64_t traces)
{
	ops_report_task(r, p->project, p->model, p->path, task_id, t, traces);
}

/* Create a task with template t in p's partition (journaled). */
static int create_task(struct ops_ctx *c, const struct partition *p,
                       const struct tmpl *t, const char *created_by, int64_t j,
                       int64_t *task_id)
{
	char *tpl = tmpl_render(t);
	char *name = ops_task_name(tpl);
	int64_t id = store_task_create(c->store, p->project_id, p->model, p->path,
	                               tpl, name, created_by);
	int rc = id ? 0 : ops_store_fail(c, "create task");

	free(name);
	free(tpl);
	if (!rc && store_journal_task(c->store, j, id, "deleted", "1", "0") != 0)
		rc = ops_store_fail(c, "journal");
	*task_id = id;
	return rc;
}

/* Create one task for a cluster and move its members in: members[] lists
 * the engine items of that cluster. */
static int apply_cluster(struct ops_ctx *c, struct partition *p,
                         const struct cluster_item *items,
                         const size_t *item_of, const size_t *members,
                         size_t n_members, const struct tmpl *t,
                         const char *created_by, int64_t j, int64_t *task_id)
{
	int rc = create_task(c, p, t, created_by, j, task_id);

	for (size_t m = 0; !rc && m < n_members; m++) {
		size_t i = members[m];
		struct text_item *it = &p->items[item_of[i]];
		char *vars = ops_variables(t, items[i].text);
		if (store_assign_text(c->store, j, p->project_id, p->model, p->path,
		                      it->text_id, *task_id, ASSIGN_BATCH, vars) < 0)
			rc = ops_store_fail(c, "assign");
		free(vars);
	}
	return rc;
}

/*
 * Indexes 0..n-1 grouped by their cluster of[i] (a counting sort; those
 * with CLUSTER_NONE are left out): the members of cluster k are
 * order[start[k] .. start[k + 1]).  Caller frees both arrays.
 */
static void by_cluster(const uint32_t *of, size_t n, size_t k_n,
                       size_t **order, size_t **start)
{
	size_t *fill;

	*start = calloc(k_n + 2, sizeof **start);
	*order = calloc(n ? n : 1, sizeof **order);
	fill = calloc(k_n + 1, sizeof *fill);
	if (!*start || !*order || !fill)
		abort();
	for (size_t i = 0; i < n; i++)
		if (of[i] != CLUSTER_NONE)
			(*start)[of[i] + 1]++;
	for (size_t k = 0; k < k_n; k++)
		(*start)[k + 1] += (*start)[k];
	for (size_t i = 0; i < n; i++)
		if (of[i] != CLUSTER_NONE)
			(*order)[(*start)[of[i]] + fill[of[i]]++] = i;
	free(fill);
}

/* The partition's unmatched texts as engine items; item_of maps back. */
static size_t build_items(const struct partition *p,
                          struct cluster_item **items, size_t **item_of)
{
	size_t n = 0;

	*items = calloc(p->n ? p->n : 1, sizeof **items);
	*item_of = calloc(p->n ? p->n : 1, sizeof **item_of);
	if (!*items || !*item_of)
		abort();
	for (size_t i = 0; i < p->n; i++) {
		if (p->items[i].task)
			continue;
		(*items)[n] = (struct cluster_item){ p->items[i].text,
			strlen(p->items[i].text),
			p->items[i].count > UINT32_MAX ? UINT32_MAX
			                               : (uint32_t)p->items[i].count };
		(*item_of)[n++] = i;
	}
	return n;
}

static void finish_report(struct group_report *r, double t0)
{
	r->left = r->considered - r->matched - r->grouped;
	r->seconds = ops_now() - t0;
	ops_report_sort(r);
}

static int record(struct ops_ctx *c, const char *kind,
                  const struct group_params *gp, int dry_run,
                  const struct group_report *r, int64_t j)
{
	struct run_row run = { .kind = kind, .threshold = gp->similarity_threshold,
		.min_cluster = gp->min_cluster_size, .max_sample = gp->max_sample_size,
		.considered = (int64_t)r->considered, .matched = (int64_t)r->matched,
		.grouped = (int64_t)r->grouped,
		.tasks_created = (int64_t)r->tasks_created,
		.ungrouped_after = (int64_t)r->left,
		.duration_ms = r->seconds * 1000, .dry_run = dry_run };
	char summary[200];

	if (dry_run)
		return 0;
	snprintf(summary, sizeof summary, "%s: %llu matched, %llu grouped into "
	         "%llu new tasks (threshold %.2f)", kind,
	         (unsigned long long)r->matched, (unsigned long long)r->grouped,
	         (unsigned long long)r->tasks_created, gp->similarity_threshold);
	if (store_journal_summary(c->store, j, summary) != 0 ||
	    store_journal_drop_if_empty(c->store, j) != 0 ||
	    store_run_add(c->store, &run) != 0)
		return ops_store_fail(c, kind);
	return 0;
}

/* Stage what the workers found for partition p: texts matched to existing
 * tasks, then one new task per cluster (created now, filled when the run's
 * batch is applied).  A dry run (b NULL) only counts. */
static int apply_result(struct ops_ctx *c, const struct partition *p,
                        const struct part_result *res,
                        struct store_assign_batch *b, int64_t j,
                        struct group_report *r)
{
	size_t *order, *start;
	int rc = 0;

	for (size_t i = 0; !rc && i < res->n; i++) {
		const struct part_text *t = &res->texts[i];
		if (!t->task)
			continue;
		r->matched += (uint64_t)t->count;
		if (b && store_assign_batch_add(b, res->trace_ids + t->first,
		                                (size_t)t->count, t->task,
		                                ASSIGN_AUTO, t->vars) != 0)
			rc = ops_store_fail(c, "match");
	}
	if (rc || !res->cr.n_clusters)
		return rc;
	{
		uint32_t *of = malloc((res->n + 1) * sizeof *of);
		if (!of)
			abort();
		for (size_t i = 0; i < res->n; i++)
			of[i] = res->texts[i].cluster;
		by_cluster(of, res->n, res->cr.n_clusters, &order, &start);
		free(of);
	}
	for (size_t k = 0; !rc && k < res->cr.n_clusters; k++) {
		const struct tmpl *t = res->cr.templates[k];
		int64_t id = 0;
		if (b)
			rc = create_task(c, p, t, "batch", j, &id);
		for (size_t m = start[k]; !rc && b && m < start[k + 1]; m++) {
			const struct part_text *x = &res->texts[order[m]];
			if (store_assign_batch_add(b, res->trace_ids + x->first,
			                           (size_t)x->count, id, ASSIGN_BATCH,
			                           x->vars) != 0)
				rc = ops_store_fail(c, "assign");
		}
		report_task(r, p, id, t, res->cr.sizes[k]);
		r->grouped += res->cr.sizes[k];
		r->tasks_created++;
	}
	free(order);
	free(start);
	return rc;
}

/* Hand the partitions to the workers and stage their results in order;
 * then move every staged text at once (one journal INSERT, one UPDATE). */
static int walk_partitions(struct ops_ctx *c, struct scan *sc,
                           struct match_index *mi, struct plan *pl,
                           const struct group_params *gp, int cluster,
                           int dry_run, int64_t j, struct group_report *r)
{
	const char *kind = cluster ? "group" : "match";
	struct scan_part *sp = calloc(pl->n + 1, sizeof *sp);
	struct store_assign_batch *b = NULL;
	double t0 = ops_now();
	int rc = 0;

	if (!sp)
		abort();
	if (!dry_run && !(b = store_assign_batch_new(c->store)))
		rc = ops_store_fail(c, kind);
	for (size_t i = 0; i < pl->n; i++)
		sp[i] = (struct scan_part){ pl->parts[i].project_id,
			pl->parts[i].model, pl->parts[i].path, pl->parts[i].count };
	scan_start(sc, mi, gp, cluster, sp, rc ? 0 : pl->n);
	for (size_t i = 0; !rc && i < pl->n; i++) {
		struct part_result *res;
		if (ops_cancelled(c)) {
			rc = OPS_CANCELLED;
			break;
		}
		if (c->progress)
			c->progress(c->progress_ctx, kind, i, pl->n);
		res = scan_next(sc);
		if (res->rc < 0)
			rc = ops_fail(c, "%s: %s", kind, res->err);
		else if (res->rc)
			rc = res->rc;
		else
			rc = apply_result(c, &pl->parts[i], res, b, j, r);
		part_result_free(res);
	}
	scan_close(sc);
	r->timing.cluster = ops_now() - t0;
	if (!rc && b && !ops_cancelled(c) && store_assign_batch_apply(b, j) < 0)
		rc = ops_store_fail(c, kind);
	if (!rc && ops_cancelled(c))
		rc = OPS_CANCELLED;
	r->timing.write = ops_now() - t0 - r->timing.cluster;
	store_assign_batch_free(b);
	free(sp);
	return rc;
}

/* The common walk of match and group. */
static int run_grouping(struct ops_ctx *c, const struct group_params *gp,
                        int cluster, int dry_run, struct group_report *r)
{
	const char *kind = cluster ? "group" : "match";
	struct plan pl = { 0 };
	struct match_index *mi = NULL;
	struct scan *sc = scan_open(c);
	double t0 = ops_now();
	int64_t j = 0;
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (!dry_run && store_begin(c->store) != 0)
		rc = ops_store_fail(c, kind);
	if (!rc && !dry_run && !(j = store_journal_add(c->store, kind, kind)))
		rc = ops_store_fail(c, kind);
	if (!rc && !(mi = match_index_load(c->store)))
		rc = ops_store_fail(c, "loading tasks");
	if (!rc && store_ungrouped_partitions(c->store, 0, collect_part, &pl) < 0)
		rc = ops_store_fail(c, kind);
	for (size_t i = 0; i < pl.n; i++)
		r->considered += (uint64_t)pl.parts[i].count;
	r->timing.plan = ops_now() - t0;
	if (!rc)
		rc = walk_partitions(c, sc, mi, &pl, gp, cluster, dry_run, j, r);
	else
		scan_close(sc);
	match_index_free(mi);
	plan_free(&pl);
	finish_report(r, t0);
	r->journal_id = j;
	if (!rc)
		rc = record(c, kind, gp, dry_run, r, j);
	if (dry_run)
		return rc;
	if (rc) {
		store_rollback(c->store);
		return rc;
	}
	rc = store_commit(c->store) == 0 ? 0 : ops_store_fail(c, kind);
	r->seconds = ops_now() - t0;
	r->timing.commit = r->seconds - r->timing.plan - r->timing.cluster -
	                   r->timing.write;
	return rc;
}

int ops_match(struct ops_ctx *c, double threshold, int dry_run,
              struct group_report *r)
{
	struct group_params gp = GROUP_PARAMS_DEFAULT;

	gp.similarity_threshold = threshold;
	return run_grouping(c, &gp, 0, dry_run, r);
}

int ops_group(struct ops_ctx *c, const struct group_params *p, int dry_run,
              struct group_report *r)
{
	const char *bad = group_params_check(p);

	if (bad) {
		memset(r, 0, sizeof *r);
		return ops_fail(c, "%s", bad);
	}
	return run_grouping(c, p, 1, dry_run, r);
}

/* ---- force-group one trace -------------------------------------------------- */

/* Cluster the trace's partition and create the task of its cluster, if any.
 * The trace itself joins the items when nobody else would consider it (it
 * was ungrouped by hand). */
static int force_cluster(struct ops_ctx *c, struct partition *p,
                         const struct trace_row *t, const struct group_params *gp,
                         int64_t j, struct group_report *r)
{
	struct cluster_item *items;
	struct cluster_result cr = { 0 };
	size_t *item_of, n, self = SIZE_MAX;
	int64_t id = 0;
	int rc = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].text_id == t->text_id)
			self = i;
	if (self == SIZE_MAX) {
		ops_reserve(&p->items, &p->cap, p->n + 1, sizeof *p->items);
		p->items[p->n] = (struct text_item){ t->text_id, ops_strdup(t->text),
			1, 0 };
		self = p->n++;
	}
	n = build_items(p, &items, &item_of);
	if (cluster_run(items, n, gp, cancel_cb, c, &cr) != 0)
		rc = OPS_CANCELLED;
	if (!rc && cr.assign[self] == CLUSTER_NONE)
		snprintf(r->reason, sizeof r->reason, "no ungrouped trace of the same "
		         "project, model and path is similar enough (threshold %.2f) "
		         "to reach min_cluster_size %u", gp->similarity_threshold,
		         gp->min_cluster_size);
	if (!rc && cr.assign[self] != CLUSTER_NONE) {
		size_t k = cr.assign[self], *order, *start;
		char *vars = ops_variables(cr.templates[k], t->text);
		by_cluster(cr.assign, n, cr.n_clusters, &order, &start);
		rc = apply_cluster(c, p, items, item_of, order + start[k],
		                   start[k + 1] - start[k], cr.templates[k], "force",
		                   j, &id);
		free(order);
		free(start);
		if (!rc && store_move_trace(c->store, j, t->id, id, ASSIGN_BATCH,
		                            vars) < 0)
			rc = ops_store_fail(c, "group-trace");
		free(vars);
		report_task(r, p, id, cr.templates[k], cr.sizes[k]);
		r->considered = r->grouped = cr.sizes[k];
		r->tasks_created = 1;
	}
	cluster_result_free(&cr);
	free(items);
	free(item_of);
	return rc;
}

static int force_group(struct ops_ctx *c, const struct trace_row *t,
                       const struct group_params *gp, int64_t j,
                       struct group_report *r)
{
	struct partition p = { 0 };
	struct match_index *mi = match_index_load(c->store);
	int64_t task;
	int rc = 0;

	if (!mi || store_project_find(c->store, t->project, &p.project_id) <= 0) {
		match_index_free(mi);
		return ops_store_fail(c, "group-trace");
	}
	task = match_index_best(mi, p.project_id, t->model, t->path, t->text,
	                        gp->similarity_threshold, NULL);
	if (task) {
		char *vars = ops_variables(match_index_tmpl(mi, task), t->text);
		if (store_move_trace(c->store, j, t->id, task, ASSIGN_AUTO, vars) < 0)
			rc = ops_store_fail(c, "group-trace");
		free(vars);
		r->matched = 1;
		match_index_free(mi);
		return rc;
	}
	match_index_free(mi);
	p.project = ops_strdup(t->project);
	p.model = ops_strdup(t->model);
	p.path = ops_strdup(t->path);
	if (store_ungrouped_texts(c->store, p.project_id, p.model, p.path,
	                          collect_text, &p) < 0)
		rc = ops_store_fail(c, "group-trace");
	if (!rc)
		rc = force_cluster(c, &p, t, gp, j, r);
	partition_drop_texts(&p);
	free(p.project);
	free(p.model);
	free(p.path);
	return rc;
}

int ops_group_trace(struct ops_ctx *c, int64_t trace_id,
                    const struct group_params *gp, struct group_report *r)
{
	const char *bad = group_params_check(gp);
	struct trace_copy tc;
	double t0 = ops_now();
	int64_t j = 0;
	int rc;

	memset(r, 0, sizeof *r);
	if (bad)
		return ops_fail(c, "%s", bad);
	rc = store_trace_get(c->store, trace_id, &tc);
	if (rc <= 0)
		return rc < 0 ? ops_store_fail(c, "group-trace")
		              : ops_fail(c, "no trace #%lld", (long long)trace_id);
	rc = 0;
	r->considered = 1;
	if (tc.row.task_id) {
		snprintf(r->reason, sizeof r->reason, "already in task %lld",
		         (long long)tc.row.task_id);
	} else if (!tc.row.text) {
		snprintf(r->reason, sizeof r->reason, "it has no instructions and "
		         "no user message to group by");
	} else if (store_begin(c->store) != 0) {
		rc = ops_store_fail(c, "group-trace");
	} else {
		rc = (j = store_journal_add(c->store, "group-trace", "group-trace"))
		     ? force_group(c, &tc.row, gp, j, r)
		     : ops_store_fail(c, "group-trace");
		finish_report(r, t0);
		if (!rc)
			rc = record(c, "group-trace", gp, 0, r, j);
		if (rc)
			store_rollback(c->store);
		else if (store_commit(c->store) != 0)
			rc = ops_store_fail(c, "group-trace");
	}
	r->left = r->matched || r->grouped ? 0 : 1;
	trace_copy_clear(&tc);
	return rc < 0 ? -1 : rc;
}
