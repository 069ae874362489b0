/*
 * internal.h - what the operations share among themselves.
 */
#ifndef TRACEGROUP_OPS_INTERNAL_H
#define TRACEGROUP_OPS_INTERNAL_H

#include "ops/ops.h"

/* Record an error message in c->err; returns -1. */
int ops_fail(struct ops_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record the store's last error with a prefix; returns -1. */
int ops_store_fail(struct ops_ctx *c, const char *what);
int ops_cancelled(const struct ops_ctx *c);
double ops_now(void);

/* The variables of `text` under template t as stored: a JSON array of the
 * value spans, or NULL when the text does not fit (caller frees). */
char *ops_variables(const struct tmpl *t, const char *text);

/* Grow *arr to hold at least n elements of size sz; aborts when out of memory. */
void ops_reserve(void *arr, size_t *cap, size_t n, size_t sz);
char *ops_strdup(const char *s);

/* Append a task to a report / sort the report's tasks largest first. */
void ops_report_task(struct group_report *r, const char *project,
                     const char *model, const char *path, int64_t task_id,
                     const struct tmpl *t, uint64_t traces);
void ops_report_sort(struct group_report *r);

/*
 * The live tasks' templates, indexed for auto-match.  Loaded once per
 * operation from the store; grows when the operation creates tasks.
 */
struct match_index;

struct match_index *match_index_load(struct store *s);
void match_index_free(struct match_index *mi);
/* Add a task created during the operation. */
void match_index_add(struct match_index *mi, int64_t task_id,
                     int64_t project_id, const char *model, const char *path,
                     const struct tmpl *t);
/* Best task for a text of (project, model, path), or 0.  Path only counts
 * when both the trace and the task have one. */
int64_t match_index_best(struct match_index *mi, int64_t project_id,
                         const char *model, const char *path,
                         const char *text, double threshold, double *score);
/* The template of a task the index knows, or NULL. */
const struct tmpl *match_index_tmpl(struct match_index *mi, int64_t task_id);

#endif
