/*
 * job.h - background grouping previews, off the drawing thread.
 *
 * A job runs in its own thread with its own store connection on the same
 * database file (WAL lets it read while the explorer reads and writes).
 * The explorer polls job_finished() between keys and never waits for a
 * job: a stale one is cancelled through its flag and reaped once done.
 *
 * JOB_PREVIEW: one ops_group dry run with the given parameters.
 * JOB_SWEEP: dry runs at thresholds 0.30, 0.35 ... 0.95, each point
 * published as soon as it is known.
 * JOB_TASKS: every task of a filtered, sorted list (for G on a long list).
 * JOB_STATS: store_stats and the last grouping runs (counting a large
 * database's tables takes seconds: never on the drawing thread).
 * JOB_COUNTS: the ungrouped and groupable traces, and the ungrouped ones
 * matching the task list's filters (the Ungrouped row and the panel).
 * JOB_VALUES: the distinct projects, models and paths for the filters.
 */
#ifndef TRACEGROUP_TUI_JOB_H
#define TRACEGROUP_TUI_JOB_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "ops/ops.h"
#include "tui/tasklist.h"

enum job_kind { JOB_PREVIEW, JOB_SWEEP, JOB_STATS, JOB_TASKS, JOB_COUNTS,
                JOB_VALUES };

#define SWEEP_N 14
#define SWEEP_FIRST 0.30
#define SWEEP_STEP 0.05

struct sweep_point {
	double threshold;
	int known;
	uint64_t tasks, considered, grouped;   /* grouped: matched + new */
};

/* A sorted list of distinct values (JOB_VALUES); owns its strings. */
struct value_list {
	char **v;
	size_t n;
};
void value_list_free(struct value_list *l);

struct job {
	enum job_kind kind;
	pthread_t thread;
	pthread_mutex_t mu;
	volatile sig_atomic_t cancel;
	int finished;                 /* under mu */
	char *db_path;
	struct group_params params;
	/* results, under mu */
	int rc;                       /* 0, -1, OPS_CANCELLED */
	char err[1100];
	struct group_report report;   /* JOB_PREVIEW */
	struct sweep_point pts[SWEEP_N];
	struct store_stats stats;     /* JOB_STATS */
	char *runs;                   /* JOB_STATS: one line per run, raw */
	struct task_list *tasks;      /* JOB_TASKS: the whole list */
	char *f_model, *f_path, *f_search;   /* JOB_TASKS: the filter's strings */
	struct task_filter filter;
	struct trace_filter traces;   /* JOB_COUNTS: model/path are f_model/f_path */
	uint64_t version;             /* JOB_COUNTS: the data version counted */
	int64_t n_all, n_groupable;   /* JOB_COUNTS */
	int64_t n_filtered;           /* JOB_COUNTS: -1 when the filter is empty */
	struct value_list projects, models, paths;   /* JOB_VALUES */
	uint64_t done, total;         /* progress */
	double started_ms, ms;
};

/* Start a job; NULL when the thread cannot start. */
struct job *job_start(enum job_kind kind, const char *db_path,
                      const struct group_params *p);
/* Read a whole task list (filter copied) in the background. */
struct job *job_start_tasks(const char *db_path, const struct task_filter *f);
/* Count the ungrouped traces (all, groupable, and those matching f:
 * project, model and path; f->task_id is ignored).  `version` is kept for
 * the caller to tell a stale result. */
struct job *job_start_counts(const char *db_path, const struct trace_filter *f,
                             uint64_t version);
/* Take the list a finished JOB_TASKS read (caller owns it), or NULL. */
struct task_list *job_take_tasks(struct job *j);
int job_finished(struct job *j);
void job_cancel(struct job *j);
/* Join (the job must be finished or cancelled) and free.  NULL: no-op. */
void job_free(struct job *j);
void job_lock(struct job *j);
void job_unlock(struct job *j);

#endif
