/*
 * ops.h - the operations both faces (CLI and explorer) call.
 *
 * Every change to a database goes through here: import, match, group,
 * group-trace, assign, create-task, merge, split, rename, undo/redo.  An
 * operation is one transaction (import: one per batch of records, so an
 * interrupted import keeps whole records only and a re-run completes it),
 * is journaled when it moves traces or changes tasks, and can be cancelled
 * through ops_ctx.cancel, in which case nothing of it is kept (import keeps
 * the batches already committed).
 *
 * The layer owns no screen and no SQL: it joins the importers, the engine
 * and the store.  Functions return 0 on success, -1 on failure with the
 * message in ctx->err, and OPS_CANCELLED when cancelled.
 */
#ifndef TRACEGROUP_OPS_H
#define TRACEGROUP_OPS_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "importers/import.h"
#include "store/store.h"

#define OPS_CANCELLED 1

struct ops_ctx {
	struct store *store;
	volatile sig_atomic_t *cancel;        /* non-zero: stop (may be NULL) */
	/* Progress of long jobs: what, done, total (0: unknown). May be NULL. */
	void (*progress)(void *ctx, const char *what, uint64_t done,
	                 uint64_t total);
	void *progress_ctx;
	uint64_t progress_items;              /* records so far (import), for
	                                         the progress callback to show */
	void *progress_env;                   /* for the face's own use */
	char err[1024];
};

/* Read "0.6" style parameters; NULL when fine, else a static message. */
const char *ops_parse_threshold(const char *s, double *out);
const char *ops_parse_count(const char *s, uint32_t min, uint32_t *out);

/* ---- import ---------------------------------------------------------------- */

struct ops_import_opts {
	struct import_opts in;       /* format, project, path, strict */
	int no_match;                /* do not auto-match on import */
	double threshold;            /* auto-match threshold */
	FILE *rejects;               /* rejected records written verbatim, or NULL */
	FILE *messages;              /* one line per rejected record, or NULL */
	uint32_t batch;              /* records per transaction (0: default) */
};

struct import_summary {
	uint64_t records, imported, present, rejected, matched, outputs;
	uint64_t bytes;
	double seconds;
	int strict_aborted;
};

int ops_import(struct ops_ctx *c, const char *file,
               const struct ops_import_opts *o, struct import_summary *sum);

/* ---- grouping -------------------------------------------------------------- */

/* One task a grouping would create (or created). */
struct group_new_task {
	int64_t task_id;             /* 0 in a dry run */
	char *project, *model, *path;
	char *template;
	uint64_t traces;
};

struct group_report {
	uint64_t considered;         /* ungrouped, groupable traces at the start */
	uint64_t matched;            /* put into existing tasks */
	uint64_t grouped;            /* put into new tasks */
	uint64_t left;               /* still ungrouped */
	uint64_t tasks_created;
	double seconds;
	struct {                     /* seconds, the phases of `seconds` */
		double plan;             /* tasks and partitions read */
		double cluster;          /* partitions matched and clustered */
		double write;            /* assignments written (journal, traces) */
		double commit;           /* run recorded, transaction committed */
	} timing;
	struct group_new_task *tasks;   /* largest first */
	size_t n_tasks, cap_tasks;
	int64_t journal_id;
	char reason[256];            /* group-trace: why it was left alone */
};

void group_report_clear(struct group_report *r);

/* Auto-match every ungrouped trace against existing tasks. */
int ops_match(struct ops_ctx *c, double threshold, int dry_run,
              struct group_report *r);
/* Batch grouping: match first, then cluster the rest. */
int ops_group(struct ops_ctx *c, const struct group_params *p, int dry_run,
              struct group_report *r);
/* Force-group one trace. */
int ops_group_trace(struct ops_ctx *c, int64_t trace_id,
                    const struct group_params *p, struct group_report *r);

/* ---- reorganising (manual) --------------------------------------------------- */

/* Move traces into task_id (0: ungroup them).  Marks them manual. */
int ops_assign(struct ops_ctx *c, const int64_t *trace_ids, size_t n,
               int64_t task_id, int64_t *moved);
/* A new task whose template is inferred from these traces, which move in.
 * name may be NULL (derived from the template). */
int ops_create_task(struct ops_ctx *c, const int64_t *trace_ids, size_t n,
                    const char *name, int64_t *task_id);
/* Move every trace of `from` tasks into `into`, re-infer its template and
 * retire the others. */
int ops_merge(struct ops_ctx *c, int64_t into, const int64_t *from, size_t n,
              uint32_t max_sample);
/* Re-cluster a task's traces at a stricter threshold: the largest cluster
 * keeps the task, other clusters become tasks, the rest is ungrouped. */
int ops_split(struct ops_ctx *c, int64_t task_id, const struct group_params *p,
              int dry_run, struct group_report *r);
int ops_rename(struct ops_ctx *c, int64_t task_id, const char *name);

/* Undo (redo = 0) or redo the newest change; *summary gets its description
 * (caller frees), NULL when there was nothing to do. */
int ops_undo(struct ops_ctx *c, int redo, char **summary);

/* ---- helpers for the faces ----------------------------------------------------- */

/*
 * A trace's variables are stored as the byte spans of each slot's value in
 * its grouping text: "[[start,end],...]".  Parse them, checked against the
 * text's length: returns the number of slots and sets *spans to 2n
 * caller-owned offsets, or -1 when absent or malformed.
 */
int ops_spans_parse(const char *json, size_t text_len, size_t **spans);

/* ---- more helpers for the faces ----------------------------------------------------- */

/* Score a text against a rendered template, as grouping does; -1 when the
 * template does not parse (message in c->err). */
int ops_score(struct ops_ctx *c, const char *template_text, const char *text,
              double *score);

/* A short display name for a template: its first literal words. */
char *ops_task_name(const char *template_text);
/* Resolve a trace reference (#internal-id, internal id, or source id). */
int ops_trace_ref(struct ops_ctx *c, const char *ref, int64_t *id);

#endif
