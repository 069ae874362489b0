/*
 * store.h - the SQLite store: every line of SQL in tracegroup lives in store/.
 *
 * One database file holds projects, traces (with their original records
 * verbatim), the distinct instruction texts they share, tasks, the journal of
 * operations (undo/redo and audit) and the grouping runs (monitoring figures).
 * The schema evolves through numbered, forward-only migrations recorded in
 * PRAGMA user_version (store/migrate.c).
 *
 * Conventions:
 * - Functions return 0 on success and -1 on error; the message is then in
 *   store_error(s).  Functions that look something up return 1 when found,
 *   0 when not, -1 on error.
 * - Strings in rows handed to callbacks belong to the store and live until
 *   the callback returns.  Rows filled by *_get are caller-owned: release
 *   them with the matching *_clear().
 * - A multi-row change runs inside store_begin()/store_commit(); on any
 *   error the caller calls store_rollback() and nothing is kept.
 * - Task id 0 never exists: it means "no task" in arguments and results.
 */
#ifndef TRACEGROUP_STORE_H
#define TRACEGROUP_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_SCHEMA_VERSION 4

/* ---- opening ------------------------------------------------------------ */

/*
 * Open (creating if absent) the database at `path` and bring its schema up
 * to date.  A file that is not a tracegroup database, or one written by a
 * newer tracegroup, is refused and left untouched.  On error returns NULL
 * and writes the reason into err.
 */
struct store *store_open(const char *path, char *err, size_t errlen);
/* store_open for a caller that only reads.  When the filesystem is too
 * full for SQLite's shared wal-index (even reading a WAL database needs
 * one), the database is opened again with an exclusive lock and its
 * wal-index in memory: it reads, nothing is written, and no other
 * connection can open it until this one is closed.  store_locked then
 * gives the reason ("the disk is full (N KB free)"); otherwise NULL. */
struct store *store_open_reader(const char *path, char *err, size_t errlen);
const char *store_locked(const struct store *s);
/* For tests: open and migrate only up to `version` (1..STORE_SCHEMA_VERSION). */
struct store *store_open_at_version(const char *path, int version,
                                    char *err, size_t errlen);
/* The schema version of the tracegroup database at path, read without
 * changing it: 0 for an empty file, -1 when there is no file, or it cannot
 * be read, or it is not one.  (Opening a database below
 * STORE_SCHEMA_VERSION upgrades it.) */
int store_file_version(const char *path);
void store_close(struct store *s);
const char *store_error(const struct store *s);
int store_schema_version(struct store *s);
int store_readonly(const struct store *s);
/* The path the store was opened with (for opening more connections). */
const char *store_path(const struct store *s);

/* ---- transactions -------------------------------------------------------- */

int store_begin(struct store *s);      /* BEGIN IMMEDIATE (waits for writers) */
int store_commit(struct store *s);
void store_rollback(struct store *s);  /* no-op outside a transaction */
/* Bulk mode for long imports (larger WAL between checkpoints, new traces
 * written at the end of each transaction's batch); 0 ends it. */
int store_bulk(struct store *s, int on);
/* For a connection that streams through the data once: a small page cache. */
int store_stream_reader(struct store *s);

/* ---- assignment kinds ---------------------------------------------------- */

enum assign_kind { ASSIGN_NONE = 0, ASSIGN_AUTO, ASSIGN_BATCH, ASSIGN_MANUAL };
const char *assign_kind_name(enum assign_kind k);   /* "auto", ... or "" */

/* Where a trace's grouping text came from (same values as the importers). */
enum text_source { TEXT_NONE = 0, TEXT_INSTRUCTIONS = 1, TEXT_FIRST_USER = 2 };

/* ---- traces -------------------------------------------------------------- */

/* A trace to insert.  project may be NULL (then "default"). */
struct trace_in {
	const char *source_key, *source_id, *join_key, *format;
	const char *project, *path, *model;
	const char *text;              /* grouping text: instructions, else first user */
	enum text_source text_source;
	const char *first_user, *input, *output, *metadata, *created_at;
	const char *raw;
	size_t raw_len;
	int64_t task_id;               /* 0: ungrouped */
	enum assign_kind assigned_by;
	const char *variables;         /* JSON array or NULL */
};

enum { STORE_INSERTED = 1, STORE_PRESENT = 2 };

/* Insert a trace unless its source_key is present.  Returns STORE_INSERTED
 * (*id set), STORE_PRESENT (*id set to the existing trace) or -1. */
int store_trace_insert(struct store *s, const struct trace_in *t, int64_t *id);

/* A batch result line: attach `output` to the trace whose join_key matches
 * (and whose model is a prefix of `model` when several do), and remember it
 * so a request imported later gets it.  Returns STORE_INSERTED or
 * STORE_PRESENT (this result was imported before), -1 on error. */
int store_output_insert(struct store *s, const char *source_key,
                        const char *join_key, const char *model,
                        const char *output, const char *raw, size_t raw_len);

/* One trace as the lists and the detail view see it. */
struct trace_row {
	int64_t id;
	const char *source_id, *project, *path, *model, *format;
	const char *text;              /* grouping text (may be NULL) */
	enum text_source text_source;
	int64_t text_id;
	const char *first_user, *input, *output, *metadata;
	const char *raw;
	size_t raw_len;
	const char *created_at, *imported_at;
	int64_t task_id;
	enum assign_kind assigned_by;
	const char *variables;
	const char *task_template;     /* NULL when ungrouped */
};

/* Caller-owned copy of a trace (store_trace_get). */
struct trace_copy {
	struct trace_row row;
	char *buf;                     /* owns every string of row */
};
void trace_copy_clear(struct trace_copy *c);

/* Look a trace up by internal id (ref "#123" or "123") or by source id.
 * Returns 1 and fills *out, 0 when not found, -1 on error. */
int store_trace_get(struct store *s, int64_t id, struct trace_copy *out);
int store_trace_lookup(struct store *s, const char *ref, int64_t *id);

/* Which traces a page lists. */
struct trace_filter {
	int64_t task_id;               /* > 0: that task; 0: all; -1: ungrouped */
	int64_t project_id;            /* 0: any */
	const char *model, *path;      /* NULL: any */
};

typedef int (*trace_row_fn)(void *ctx, const struct trace_row *row);

/*
 * Keyset pagination: rows with id > after_id (or < before_id when
 * descending), at most `limit`, in id order.  The callback returns non-zero
 * to stop early.  Returns the number of rows visited or -1.
 * `full` selects whether input/output/raw/metadata are read (detail) or
 * left NULL (lists).
 */
int store_traces_page(struct store *s, const struct trace_filter *f,
                      int64_t after_id, int limit, int full,
                      trace_row_fn fn, void *ctx);
/* The same backwards: rows with id < before_id (0: from the last row), in
 * descending id order, so the end of a list or the page above the first
 * one shown is one indexed query. */
int store_traces_page_desc(struct store *s, const struct trace_filter *f,
                           int64_t before_id, int limit, int full,
                           trace_row_fn fn, void *ctx);
/* Traces matching a filter (task_id as in trace_filter). */
int store_traces_count(struct store *s, const struct trace_filter *f,
                       int64_t *n);

/* ---- projects ------------------------------------------------------------ */

/* Id of project `name`, created when absent.  0 on error. */
int64_t store_project_ensure(struct store *s, const char *name);
/* 1 and *id when found, 0 when not, -1 on error. */
int store_project_find(struct store *s, const char *name, int64_t *id);

/* ---- tasks --------------------------------------------------------------- */

struct task_row {
	int64_t id;
	int64_t project_id;
	const char *project, *model, *path;
	const char *template, *name, *created_at, *created_by;
	int64_t trace_count;
	int deleted;
};

struct task_copy {
	struct task_row row;
	char *buf;
};
void task_copy_clear(struct task_copy *c);

enum task_sort { TASK_SORT_COUNT = 0, TASK_SORT_NAME, TASK_SORT_NEWEST, TASK_SORT_ID };

struct task_filter {
	int64_t project_id;            /* 0: any */
	const char *model, *path;      /* NULL: any */
	const char *search;            /* substring of name or template, or NULL */
	enum task_sort sort;
};

/* Keyset position in a task list: the last row seen (zeroed for the start). */
struct task_cursor {
	int64_t id;
	int64_t count;
	char name[256];
	char created_at[40];
	int started;
};

typedef int (*task_row_fn)(void *ctx, const struct task_row *row);

/* Live tasks in the filter's order, after *cur (updated to the last row
 * visited), at most `limit` (<= 0: all).  Returns rows visited or -1. */
int store_tasks_page(struct store *s, const struct task_filter *f,
                     struct task_cursor *cur, int limit,
                     task_row_fn fn, void *ctx);

/* Create a live task.  Returns its id, 0 on error. */
int64_t store_task_create(struct store *s, int64_t project_id, const char *model,
                          const char *path, const char *template,
                          const char *name, const char *created_by);
int store_task_get(struct store *s, int64_t id, struct task_copy *out);
/* Set a field: "name", "template" or "deleted" (value "0"/"1"). */
int store_task_set(struct store *s, int64_t id, const char *field,
                   const char *value);
/* Every live task of one project/model (any path), for auto-match. */
int store_tasks_of(struct store *s, int64_t project_id, const char *model,
                   task_row_fn fn, void *ctx);
/* The distinct values of "project", "model" or "path" over live tasks and
 * ungrouped traces, sorted, for filter pickers. */
int store_distinct(struct store *s, const char *column,
                   int (*fn)(void *ctx, const char *value), void *ctx);
/* Distinct (project_id, model) pairs having live tasks. */
int store_task_partitions(struct store *s,
                          int (*fn)(void *ctx, int64_t project_id,
                                    const char *model), void *ctx);

/* ---- grouping access ------------------------------------------------------ */

/* One distinct grouping text of the ungrouped, automatically groupable
 * traces (not manually placed) of one partition, with its trace count. */
struct text_group {
	int64_t project_id;
	const char *project, *model, *path;
	int64_t text_id;
	const char *text;
	int64_t count;
};

typedef int (*text_group_fn)(void *ctx, const struct text_group *g);

/* The partitions (project, model, path) holding groupable ungrouped
 * traces, in order; g->text is NULL, g->text_id 0, g->count the traces.
 * project_id 0: all projects. */
int store_ungrouped_partitions(struct store *s, int64_t project_id,
                               text_group_fn fn, void *ctx);
/* The distinct texts of one partition, by text id, with trace counts. */
int store_ungrouped_texts(struct store *s, int64_t project_id,
                          const char *model, const char *path,
                          text_group_fn fn, void *ctx);
/* The same texts, each handed over in a buffer of its own (malloc'd,
 * NUL-terminated, `len` bytes before the NUL) that fn owns from then on:
 * for a reader that keeps every text, one copy instead of two.  With each
 * text, the ids of its groupable traces in ascending order (n of them,
 * valid during the call): what store_assign_batch_add takes. */
typedef int (*text_take_fn)(void *ctx, int64_t text_id, char *text,
                            size_t len, const int64_t *trace_ids, size_t n);
int store_ungrouped_texts_take(struct store *s, int64_t project_id,
                               const char *model, const char *path,
                               text_take_fn fn, void *ctx);
/* Count of ungrouped traces (task_id NULL), and of groupable ones. */
int store_ungrouped_count(struct store *s, int64_t *all, int64_t *groupable);

/*
 * Assign every groupable ungrouped trace of (project_id, model, path) whose
 * grouping text is text_id to `task_id`, recording each move in journal
 * entry `journal_id`.  Returns the number of traces moved, -1 on error.
 */
int64_t store_assign_text(struct store *s, int64_t journal_id,
                          int64_t project_id, const char *model,
                          const char *path, int64_t text_id, int64_t task_id,
                          enum assign_kind by, const char *variables);

/*
 * Bulk assignment for one grouping run: add trace -> task moves (the trace
 * ids come with each text from store_ungrouped_texts_take), then apply them
 * all at once.  The result is exactly that of store_assign_text() for every
 * text whose traces were added (journal rows, task_id, assigned_by,
 * variables and trace counts alike), much faster when there are many.  All
 * of it happens inside the caller's transaction, which must be open from
 * _new to _apply; a rollback undoes everything.  One batch at a time per
 * store.  The moves are kept in memory, about 32 bytes each plus one copy of
 * each distinct variables string.
 *
 * Added moves are only visible to _apply: until then the store_ungrouped_*
 * reads still list their traces.  A trace added twice keeps its first task
 * (text by text, the first call would have moved it).
 *
 * _new returns NULL on error (no transaction, a batch already open).
 * _add returns 0 or -1; task_id must name a task and `by` a kind.
 * _apply journals every move under journal_id and moves the traces; it
 * returns the number moved, or -1 and the caller rolls back as after any
 * error: a task that does not exist is refused before anything changes, and
 * a trace that is no longer groupable (in a task, or placed by hand) fails
 * the apply.  It runs once per batch.  Inside the transaction it drops and
 * creates again the trace-count trigger and, when most of the table moves,
 * the groupable and by-task indexes, from their schema text: other
 * connections only ever see the committed result.
 * _free releases the batch; NULL is a no-op.
 */
struct store_assign_batch;
struct store_assign_batch *store_assign_batch_new(struct store *s);
int store_assign_batch_add(struct store_assign_batch *b,
                           const int64_t *trace_ids, size_t n,
                           int64_t task_id, enum assign_kind by,
                           const char *variables);
int64_t store_assign_batch_apply(struct store_assign_batch *b,
                                 int64_t journal_id);
void store_assign_batch_free(struct store_assign_batch *b);

/* Move one trace (journaled).  task_id 0 ungroups it.  Returns 1 if it
 * moved, 0 if it was already there, -1 on error. */
int store_move_trace(struct store *s, int64_t journal_id, int64_t trace_id,
                     int64_t task_id, enum assign_kind by,
                     const char *variables);
/* Set the extracted variables of a trace (not journaled: derived data). */
int store_set_variables(struct store *s, int64_t trace_id, const char *json);

/* Ids of the traces of a task (or -1: ungrouped) in id order. */
int store_task_trace_ids(struct store *s, int64_t task_id,
                         int (*fn)(void *ctx, int64_t trace_id,
                                   int64_t text_id, const char *text),
                         void *ctx);

/* ---- journal (undo / redo / audit) --------------------------------------- */

struct journal_row {
	int64_t id;
	const char *at, *op, *summary, *actor, *state;   /* state: done/undone */
	int64_t moves;
};

/* Start a journal entry inside the current transaction; returns its id. */
int64_t store_journal_add(struct store *s, const char *op, const char *summary);
/* Record a task field change (for undo) under journal entry j. */
int store_journal_task(struct store *s, int64_t j, int64_t task_id,
                       const char *field, const char *old_value,
                       const char *new_value);
/* Replace the summary of entry j (known only once the work is done). */
int store_journal_summary(struct store *s, int64_t j, const char *summary);
/* Drop a journal entry that recorded nothing (e.g. a run that moved nothing). */
int store_journal_drop_if_empty(struct store *s, int64_t j);
/* The entry undo (state "done", newest) or redo (the oldest "undone" entry
 * above the newest "done" one) would act on.  1 found, 0 none, -1 error. */
int store_journal_next(struct store *s, int redo, int64_t *j);
/*
 * Reverse (undo) or replay (redo) entry j: trace moves and task field
 * changes, then mark it.  The caller wraps this in a transaction.  For every
 * distinct (task, text) among the traces that landed in a task, `vars` is
 * asked for their variables JSON (caller-owned string or NULL), which the
 * moved traces then get.
 */
typedef char *(*vars_fn)(void *ctx, int64_t task_id, const char *text);
int store_journal_apply(struct store *s, int64_t j, int redo,
                        vars_fn vars, void *ctx);
int store_journal_get(struct store *s, int64_t j, struct journal_row *row,
                      char **buf);
/* Newest entries first, at most limit. */
int store_journal_list(struct store *s, int limit,
                       int (*fn)(void *ctx, const struct journal_row *r),
                       void *ctx);

/* ---- grouping runs and statistics ----------------------------------------- */

struct run_row {
	int64_t id;
	const char *started_at, *kind;
	double threshold;
	int64_t min_cluster, max_sample;
	int64_t considered, matched, grouped, tasks_created, ungrouped_after;
	double duration_ms;
	int dry_run;
};

int store_run_add(struct store *s, const struct run_row *r);
int store_runs_list(struct store *s, int limit,
                    int (*fn)(void *ctx, const struct run_row *r), void *ctx);

struct store_stats {
	int64_t traces, tasks, grouped, ungrouped, projects, texts;
	int64_t by_auto, by_batch, by_manual;
	int64_t imported_total, imported_matched;   /* over import runs */
	int64_t db_bytes;
};
int store_stats(struct store *s, struct store_stats *st);

/* ---- export ----------------------------------------------------------------- */

/* Every trace in id order with its task template, full rows. */
int store_traces_all(struct store *s, trace_row_fn fn, void *ctx);

#endif
