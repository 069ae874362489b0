/*
 * cli.h - the command line face: `tracegroup [--db FILE] COMMAND [options]`.
 *
 * Every command is described once in a table (name, synopsis, options with
 * their help) from which parsing, `--help` and the README reference come.
 * The explorer's ":" prompt runs the same table through cli_exec(), so every
 * action has one name in both faces.
 *
 * Exit codes: 0 done, 1 failed, 2 bad usage, 3 done but some records were
 * rejected (import).  Errors go to env->err as "tracegroup: ...".
 */
#ifndef TRACEGROUP_CLI_H
#define TRACEGROUP_CLI_H

#include <signal.h>
#include <stdio.h>

#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_REJECTED = 3 };

struct cli_env {
	const char *db_path;          /* resolved database path */
	struct store *store;          /* opened on first use, or given */
	int own_store;                /* cli_env_close() closes it */
	FILE *out, *err;
	int tty;                      /* err is a terminal: progress lines */
	int in_tui;                   /* run from the explorer's prompt */
	int creates_db;               /* the command may create the database */
	int reads_only;               /* the command never writes to it */
	volatile sig_atomic_t *cancel;
	void (*progress)(void *ctx, const char *what, unsigned long long done,
	                 unsigned long long total);
	void *progress_ctx;
};

/* The database path from --db, $TRACEGROUP_DB, or ./tracegroup.db. */
const char *cli_default_db(void);
/* Run one command: argv[0] is the command name.  Returns an exit code. */
int cli_exec(struct cli_env *env, int argc, char **argv);
/* Full program entry (global options, then cli_exec). */
int cli_main(int argc, char **argv);
/* The store, opened on demand; NULL after printing the reason. */
struct store *cli_store(struct cli_env *env);
void cli_env_close(struct cli_env *env);
/* Print the command reference (for `--help` and the README). */
void cli_print_reference(FILE *f, int markdown);

#endif
