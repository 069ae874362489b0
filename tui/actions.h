/*
 * actions.h - the reorganising actions the list and detail views share.
 * Each asks what it needs (prompt, picker, confirmation), calls ops/ on the
 * app's store with progress and cancel wired in, and reports on the
 * message line.  Trace id arrays are copied: callers keep theirs.
 */
#ifndef TRACEGROUP_TUI_ACTIONS_H
#define TRACEGROUP_TUI_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "ops/ops.h"

struct app;
struct doc;

void tui_rename_task(struct app *a, int64_t task_id);
/* Ask for a threshold, preview with a dry run, then confirm and split. */
void tui_split_task(struct app *a, int64_t task_id);
/* Pick a task, then move the traces into it. */
void tui_move_traces(struct app *a, const int64_t *ids, size_t n);
void tui_ungroup_traces(struct app *a, const int64_t *ids, size_t n);
/* Ask for a name (empty: derived), then create a task from the traces. */
void tui_new_task(struct app *a, const int64_t *ids, size_t n);
void tui_force_group(struct app *a, int64_t trace_id);
/* A grouping report as text: totals and the largest new tasks. */
void tui_report_doc(struct doc *d, const struct group_report *r, int top);

#endif
