/*
 * match.c - the index auto-match looks tasks up in.
 *
 * Tasks are matched within their project and model; the path narrows the
 * choice only when both the trace and the task have one.  So the index keeps
 * one engine matcher per (project, model, path) and asks the trace's own
 * path and the path-less one, or every path when the trace has none.
 */
#include <stdlib.h>
#include <string.h>

#include "ops/internal.h"

struct part {
	int64_t project_id;
	char *model, *path;
	struct matcher *m;
};

struct task_tmpl {
	int64_t id;
	struct tmpl *t;
};

struct match_index {
	struct part *parts;
	size_t n_parts, cap_parts;
	struct task_tmpl *tasks;       /* sorted by id while loading */
	size_t n_tasks, cap_tasks;
	int sorted;
};

static struct part *part_get(struct match_index *mi, int64_t project_id,
                             const char *model, const char *path, int create)
{
	for (size_t i = 0; i < mi->n_parts; i++) {
		struct part *p = &mi->parts[i];
		if (p->project_id == project_id && !strcmp(p->model, model) &&
		    !strcmp(p->path, path))
			return p;
	}
	if (!create)
		return NULL;
	ops_reserve(&mi->parts, &mi->cap_parts, mi->n_parts + 1, sizeof *mi->parts);
	mi->parts[mi->n_parts] = (struct part){ project_id, ops_strdup(model),
		ops_strdup(path), matcher_new() };
	return &mi->parts[mi->n_parts++];
}

void match_index_add(struct match_index *mi, int64_t task_id,
                     int64_t project_id, const char *model, const char *path,
                     const struct tmpl *t)
{
	struct part *p = part_get(mi, project_id, model ? model : "",
	                          path ? path : "", 1);
	char *r = tmpl_render(t);

	matcher_add(p->m, task_id, t);
	ops_reserve(&mi->tasks, &mi->cap_tasks, mi->n_tasks + 1, sizeof *mi->tasks);
	mi->tasks[mi->n_tasks].id = task_id;
	mi->tasks[mi->n_tasks].t = tmpl_parse(r, strlen(r));
	if (mi->n_tasks && mi->tasks[mi->n_tasks - 1].id > task_id)
		mi->sorted = 0;
	mi->n_tasks++;
	free(r);
}

struct load_ctx {
	struct match_index *mi;
	int bad;
};

static int load_task(void *ctx, const struct task_row *row)
{
	struct load_ctx *lc = ctx;
	struct tmpl *t = tmpl_parse(row->template, strlen(row->template));

	if (!t) {                /* a hand-edited template that does not parse */
		lc->bad++;
		return 0;
	}
	match_index_add(lc->mi, row->id, row->project_id, row->model, row->path, t);
	tmpl_free(t);
	return 0;
}

struct match_index *match_index_load(struct store *s)
{
	struct match_index *mi = calloc(1, sizeof *mi);
	struct load_ctx lc = { mi, 0 };
	struct task_filter f = { .sort = TASK_SORT_ID };

	if (!mi)
		abort();
	mi->sorted = 1;
	if (store_tasks_page(s, &f, NULL, 0, load_task, &lc) < 0) {
		match_index_free(mi);
		return NULL;
	}
	return mi;
}

void match_index_free(struct match_index *mi)
{
	if (!mi)
		return;
	for (size_t i = 0; i < mi->n_parts; i++) {
		free(mi->parts[i].model);
		free(mi->parts[i].path);
		matcher_free(mi->parts[i].m);
	}
	for (size_t i = 0; i < mi->n_tasks; i++)
		tmpl_free(mi->tasks[i].t);
	free(mi->parts);
	free(mi->tasks);
	free(mi);
}

static void consider(const struct part *p, const char *text, size_t len,
                     double threshold, int64_t *best, double *best_score)
{
	double sc = 0;
	int64_t id = matcher_best(p->m, text, len, threshold, &sc);

	if (id > 0 && (sc > *best_score || (sc == *best_score && id < *best))) {
		*best = id;
		*best_score = sc;
	}
}

int64_t match_index_best(struct match_index *mi, int64_t project_id,
                         const char *model, const char *path,
                         const char *text, double threshold, double *score)
{
	size_t len = SIZE_MAX;     /* measured once a partition has tasks */
	int64_t best = 0;
	double best_score = -1;

	model = model ? model : "";
	path = path ? path : "";
	for (size_t i = 0; i < mi->n_parts; i++) {
		const struct part *p = &mi->parts[i];
		if (p->project_id != project_id || strcmp(p->model, model))
			continue;
		if (*path && *p->path && strcmp(p->path, path))
			continue;
		if (len == SIZE_MAX)
			len = strlen(text);
		consider(p, text, len, threshold, &best, &best_score);
	}
	if (score)
		*score = best > 0 ? best_score : 0;
	return best;
}

static int cmp_task(const void *a, const void *b)
{
	const struct task_tmpl *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

const struct tmpl *match_index_tmpl(struct match_index *mi, int64_t task_id)
{
	struct task_tmpl key = { task_id, NULL }, *hit;

	if (!mi->sorted) {
		qsort(mi->tasks, mi->n_tasks, sizeof *mi->tasks, cmp_task);
		mi->sorted = 1;
	}
	if (!mi->n_tasks)
		return NULL;
	hit = bsearch(&key, mi->tasks, mi->n_tasks, sizeof *mi->tasks, cmp_task);
	return hit ? hit->t : NULL;
}
