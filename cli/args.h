/*
 * args.h - the command table and option parsing shared by the commands.
 */
#ifndef TRACEGROUP_CLI_ARGS_H
#define TRACEGROUP_CLI_ARGS_H

#include "cli/cli.h"

#define MAX_OPTS 16

struct optspec {
	const char *name;             /* long name without "--" */
	const char *arg;              /* value placeholder, NULL for a flag */
	const char *help;
};

struct args {
	const struct cmdspec *cmd;
	const char *val[MAX_OPTS];    /* per optspec index */
	int set[MAX_OPTS];
	char **pos;                   /* positional arguments */
	int npos;
};

struct cmdspec {
	const char *name;
	const char *synopsis;         /* positional part, e.g. "FILE..." */
	const char *summary;          /* one line */
	const char *details;          /* paragraph for --help, or NULL */
	int min_pos, max_pos;         /* max_pos -1: unlimited */
	int (*run)(struct cli_env *env, struct args *a);
	struct optspec opts[MAX_OPTS];
	int creates_db;               /* may create a missing database */
	int reads_only;               /* never writes: reads a full disk too */
};

/* NULL-terminated table of every command (commands.c). */
extern const struct cmdspec *const cli_commands[];

int args_has(const struct args *a, const char *name);
const char *args_get(const struct args *a, const char *name);
/* Print "tracegroup: CMD: msg" to env->err and return EXIT_USAGE. */
int usage_error(struct cli_env *env, const struct cmdspec *c,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cli_fail(struct cli_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void print_cmd_help(FILE *f, const struct cmdspec *c);

#endif
