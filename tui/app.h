/*
 * app.h - the explorer's state, its view stack and the view vtable.
 *
 * Every screen (tasks, traces, detail, grouping panel, stats, pagers,
 * picker) is a struct view driven through one struct view_ops, in the
 * manner of tig: the app draws the top view, routes requests to it, and
 * asks every view to reload when the data changed (app->data_version).
 *
 * Layout: row 0 is the view's title bar, rows 1..LINES-3 its body,
 * LINES-2 the status bar, LINES-1 the message or prompt line.
 */
#ifndef TRACEGROUP_TUI_APP_H
#define TRACEGROUP_TUI_APP_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "ops/ops.h"
#include "store/store.h"
#include "tui/keys.h"
#include "tui/tui.h"

struct app;
struct view;

struct view_ops {
	const char *name;
	int scope;                                   /* SC_* of keys.h */
	void (*draw)(struct view *v, struct app *a, int y, int h);
	/* Handle a request; 1 when handled. */
	int (*request)(struct view *v, struct app *a, enum request r);
	/* Raw key before the key map (picker text); 1 when consumed. */
	int (*key)(struct view *v, struct app *a, int key, int is_char);
	/* Data changed: reload what is shown. */
	void (*reload)(struct view *v, struct app *a);
	/* Find `pat` from the cursor in direction dir; 1 when found, 0 when
	 * not, -1 when it stopped early to keep the key fast (n goes on). */
	int (*search)(struct view *v, struct app *a, const char *pat, int dir);
	/* Status bar text (position, marks). */
	void (*status)(struct view *v, struct app *a, char *buf, size_t n);
	void (*free)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *priv;
	char title[512];              /* sanitised */
	uint64_t version;             /* data_version last loaded */
};

#define VIEW_STACK 16

struct job;

struct app {
	struct store *store;
	const char *db_path;
	struct view *stack[VIEW_STACK];
	int depth;
	int quit;
	uint64_t data_version;        /* bumped after every change */

	/* message line */
	char msg[1024];               /* sanitised */
	int msg_error;

	/* prompt (":", "/", rename, import path, confirm) */
	struct prompt *prompt;

	/* search */
	char search[256];

	/* long synchronous jobs (import, apply) */
	volatile sig_atomic_t *cancel;
	int in_job;
	char job_what[256];
	double job_last_draw;

	/* background jobs (grouping preview, sweep) */
	struct job *preview, *sweep, *stats;
	struct job *tasks;            /* the task list's G */
	struct job *values;           /* the filters' distinct values */
	struct job *counts;           /* the ungrouped counts */
	struct job *grave[32];        /* cancelled, not yet joined */
	int ngrave;

	/* Ungrouped counts, counted by a background job and kept until the
	 * data or the filter changes; -1: not known yet. */
	int64_t ungrouped, groupable;
	int64_t ungrouped_filtered;   /* matching counts_filter (-1: empty filter) */
	uint64_t counts_version;      /* data_version + 1 counted; 0: none */
	int counts_failed;            /* the last count failed: show "?" */
	struct trace_filter counts_filter;   /* owns model and path */
	/* A count asked for while drawing starts once the frame is out, so
	 * that the worker's start never delays a key's redraw. */
	int counts_pending;
	struct trace_filter counts_next;     /* owns model and path */

	/* The database as last seen, to notice another process's changes:
	 * its files' sizes and times (cheap, but our own workers touch them
	 * too), then the newest trace and the journal's undo and redo
	 * positions (what any import or change moves). */
	long long db_stamp[4];
	int64_t db_sig[3];

	/* script mode */
	struct script *script;
	int no_display;
	FILE *timing;

	struct group_params params;   /* the grouping panel's */
};

/* Push a view (the app owns it from now on). */
void app_push(struct app *a, struct view *v);
void app_pop(struct app *a);
struct view *app_top(struct app *a);
/* A message on the bottom line (printf; text is sanitised). */
void app_msg(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void app_error(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Data changed: every view reloads before its next draw. */
void app_changed(struct app *a);
/* Keep views and counts up to date (called before drawing). */
void app_sync(struct app *a);
/* Ungrouped counts: cached, counted in the background when the data
 * changed; -1 while being counted (or when counting failed). */
void app_counts(struct app *a, int64_t *all, int64_t *groupable);
/* Ungrouped traces matching f's project, model and path (f->task_id is
 * ignored); -1 while being counted. */
int64_t app_ungrouped_matching(struct app *a, const struct trace_filter *f);
/* A count for display: the number, "…" while counting, "?" on failure. */
void app_count_str(struct app *a, int64_t n, char *buf, size_t len);
/* Body height (rows between the title and the status bar). */
int app_body_rows(void);
/* An ops context on the app's store with progress and cancel wired in. */
void app_ops_ctx(struct app *a, struct ops_ctx *c, const char *what);
/* Report the end of a synchronous job (rc from ops). */
int app_job_end(struct app *a, struct ops_ctx *c, int rc, const char *what);
/* Run a command line (":" prompt): tui commands, else cli_exec. */
void app_command(struct app *a, const char *line);
/* Redraw everything now. */
void app_draw(struct app *a);
/* Show text in a pager view. */
void app_pager(struct app *a, const char *title, const char *text);

/* Views (view_*.c). */
struct view *view_tasks_new(struct app *a);
/* The traces of f->task_id (-1: ungrouped), narrowed by f's project,
 * model and path (copied).  name: the task's name, or for Ungrouped what
 * follows "Ungrouped traces" in the title (the filter, or ""). */
struct view *view_traces_new(struct app *a, const struct trace_filter *f,
                             const char *name);
struct view *view_detail_new(struct app *a, int64_t trace_id);
struct view *view_group_new(struct app *a);
struct view *view_stats_new(struct app *a);
struct view *view_help_new(struct app *a);
struct view *view_pager_new(struct app *a, const char *title, const char *text);
/* A task picker; `done` gets the chosen task id (0: cancelled). */
struct view *view_picker_new(struct app *a, const char *title,
                             void (*done)(struct app *a, int64_t task_id,
                                          void *arg),
                             void *arg);
/* A doc-backed pager on a prepared doc (takes ownership). */
struct doc;
struct view *view_doc_new(struct app *a, const char *title, struct doc *d);

/* Marks shared by the list views. */
struct marks {
	int64_t *ids;
	size_t n, cap;
	int64_t anchor;               /* V pressed here, -1: none */
};
int marks_has(const struct marks *m, int64_t id);
void marks_toggle(struct marks *m, int64_t id);
void marks_set(struct marks *m, int64_t id);
void marks_clear(struct marks *m);
void marks_free(struct marks *m);

double app_now_ms(void);
/* Scroll a doc view's top row for a movement request; 1 when it was one. */
int tui_doc_scroll(int *top, enum request r, int h);
/* Search a doc from row *top; moves *top to the match, 1 when found. */
int tui_doc_search(struct doc *d, int *top, const char *pat, int dir);
/* Background jobs: replace *slot by a new job (the old one is cancelled
 * and reaped later); cancel *slot; 1 while any job still runs. */
void app_job_replace(struct app *a, struct job **slot, int kind);
void app_job_cancel(struct app *a, struct job **slot);
int app_busy(struct app *a);
/* Start the background work asked for while drawing (the counts). */
void app_kick(struct app *a);
/* Progress of a synchronous job; polls Esc / Ctrl-C (keys or script). */
void app_progress(struct app *a, const char *what, uint64_t done,
                  uint64_t total);

#endif
