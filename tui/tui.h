/*
 * tui.h - the explorer: `tracegroup tui`.
 *
 * Browses tasks, their traces and one trace in detail; reorganises them
 * through ops/; previews batch grouping in the background.  With a script
 * it reads keys and :commands from a file, taking the next only when no
 * background job runs; with no_display it draws into a virtual screen that
 * `:save-display FILE` writes out as text.  That is how the tests drive it.
 */
#ifndef TRACEGROUP_TUI_H
#define TRACEGROUP_TUI_H

#include <signal.h>
#include <stdio.h>

#include "store/store.h"

struct tui_opts {
	const char *db_path;          /* for the workers' own connections */
	struct store *store;          /* the open store (not closed by tui_run) */
	const char *script;           /* keys and :commands, or NULL */
	const char *timing;           /* per-key redraw times written here */
	int no_display;               /* virtual screen */
	int cols, rows;               /* its size */
	volatile sig_atomic_t *cancel;/* set by SIGINT; the explorer clears it */
	FILE *err;                    /* for messages after the screen closes */
	double start_ms;              /* CLOCK_MONOTONIC ms when the command
	                                 started (0: when tui_run starts); the
	                                 first-screen time counts from here */
};

/* Run the explorer until the user quits or the script ends (no_display).
 * Returns 0, or 1 when the script failed (unreadable, bad line). */
int tui_run(const struct tui_opts *o);

#endif
