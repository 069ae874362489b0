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
/* The same for text[0..len), its length known. */
char *ops_variables_len(const struct tmpl *t, const char *text, size_t len);

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

/*
 * The partitions of a grouping run, read, auto-matched and clustered in
 * parallel by worker threads with read connections of their own
 * (ops/scan.c), handed back in partition order.  scan_open comes before
 * the caller's write transaction begins; TRACEGROUP_THREADS overrides the
 * number of workers (default: one per processor, at most 4).
 */
struct scan_part {
	int64_t project_id;
	const char *model, *path;
	int64_t count;             /* its traces: the largest go first */
};

struct part_text {             /* one distinct text of a partition */
	int64_t text_id;
	int64_t count;             /* groupable traces carrying it: */
	size_t first;              /* trace_ids[first .. first + count) */
	int64_t task;              /* existing task it auto-matched, or 0 */
	uint32_t cluster;          /* else its cluster in cr, or CLUSTER_NONE */
	char *vars;                /* its variables under that template, or NULL */
};

struct part_result {
	struct part_text *texts;
	size_t n;
	int64_t *trace_ids;        /* of the texts' traces, text after text */
	struct cluster_result cr;  /* clusters of the texts left unmatched */
	int rc;                    /* 0, OPS_CANCELLED, or -1 (message in err) */
	char err[256];
};

struct scan;
struct scan *scan_open(struct ops_ctx *c);
/* Start on parts[0..n) (kept by the caller until scan_close); cluster: 0
 * auto-matches only. */
void scan_start(struct scan *s, struct match_index *mi,
                const struct group_params *gp, int cluster,
                const struct scan_part *parts, size_t n);
/* The next partition's result, in order (waits for it); NULL after the last. */
struct part_result *scan_next(struct scan *s);
void part_result_free(struct part_result *r);
/* Stops the workers (a run that ends early) and frees everything. */
void scan_close(struct scan *s);

#endif
