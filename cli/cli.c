/*
 * cli.c - global options, dispatch, option parsing and help.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "tui/sanitize.h"

#define VERSION "0.1.0"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

const char *cli_default_db(void)
{
	const char *e = getenv("TRACEGROUP_DB");
	return e && *e ? e : "tracegroup.db";
}

/* Print a message whose text may come from a trace: sanitised. */
static void vprint_err(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char buf[2048];
	char *clean;

	vsnprintf(buf, sizeof buf, fmt, ap);
	clean = sanitize_str(buf, SAN_ONELINE);
	fprintf(f, "tracegroup: %s%s\n", prefix, clean);
	free(clean);
}

int cli_fail(struct cli_env *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_err(env->err, "", fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int usage_error(struct cli_env *env, const struct cmdspec *c,
                const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	snprintf(prefix, sizeof prefix, "%s: ", c ? c->name : "");
	va_start(ap, fmt);
	vprint_err(env->err, c ? prefix : "", fmt, ap);
	va_end(ap);
	fprintf(env->err, "Try 'tracegroup %s%s--help'.\n", c ? c->name : "",
	        c ? " " : "");
	return EXIT_USAGE;
}

static void notice(struct cli_env *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_err(env->err, "", fmt, ap);
	va_end(ap);
}

struct store *cli_store(struct cli_env *env)
{
	char err[1024];

	if (env->store)
		return env->store;
	/* A mistyped --db, or a command run in the wrong directory, would
	 * otherwise meet an empty database made for it and report nothing. */
	if (!env->creates_db && access(env->db_path, F_OK) != 0 &&
	    errno == ENOENT) {
		cli_fail(env, "%s: no database there (create one with 'tracegroup"
		         " import FILE', or name it with --db FILE or"
		         " TRACEGROUP_DB)", env->db_path);
		return NULL;
	}
	/* An upgrade may rewrite every trace (about 10 s a million): say so
	 * rather than seem to hang. */
	{
		int v = store_file_version(env->db_path);
		if (v > 0 && v < STORE_SCHEMA_VERSION)
			notice(env, "upgrading %s to schema %d, once; a large"
			       " database takes a while", env->db_path,
			       STORE_SCHEMA_VERSION);
	}
	env->store = env->reads_only
		? store_open_reader(env->db_path, err, sizeof err)
		: store_open(env->db_path, err, sizeof err);
	if (!env->store) {
		cli_fail(env, "%s", err);
		return NULL;
	}
	if (store_locked(env->store))
		notice(env, "%s: %s: reading only, and no other process can open"
		       " the database until this command ends", env->db_path,
		       store_locked(env->store));
	env->own_store = 1;
	return env->store;
}

void cli_env_close(struct cli_env *env)
{
	if (env->own_store)
		store_close(env->store);
	env->store = NULL;
	env->own_store = 0;
}

static const struct cmdspec *find_cmd(const char *name)
{
	for (int i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

void print_cmd_help(FILE *f, const struct cmdspec *c)
{
	fprintf(f, "Usage: tracegroup [--db FILE] %s%s%s%s\n\n%s\n", c->name,
	        c->opts[0].name ? " [options]" : "", *c->synopsis ? " " : "",
	        c->synopsis, c->summary);
	if (c->details)
		fprintf(f, "\n%s\n", c->details);
	if (c->opts[0].name)
		fprintf(f, "\nOptions:\n");
	for (int i = 0; c->opts[i].name; i++) {
		char left[64];
		snprintf(left, sizeof left, "--%s%s%s", c->opts[i].name,
		         c->opts[i].arg ? " " : "", c->opts[i].arg ? c->opts[i].arg : "");
		fprintf(f, "  %-28s %s\n", left, c->opts[i].help);
	}
	fprintf(f, "  %-28s %s\n", "--help", "show this help");
}

static int opt_index(const struct cmdspec *c, const char *name, size_t len)
{
	for (int i = 0; c->opts[i].name; i++)
		if (strlen(c->opts[i].name) == len &&
		    !strncmp(c->opts[i].name, name, len))
			return i;
	return -1;
}

/* Parse argv[1..] of a command; 0, EXIT_USAGE, or -1 for --help shown. */
static int parse(struct cli_env *env, const struct cmdspec *c, int argc,
                 char **argv, struct args *a)
{
	int only_pos = 0;

	memset(a, 0, sizeof *a);
	a->cmd = c;
	if (!(a->pos = calloc((size_t)argc + 1, sizeof *a->pos)))
		abort();
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *eq;
		int k;
		if (only_pos || s[0] != '-' || !strcmp(s, "-")) {
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (!strcmp(s, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			print_cmd_help(env->out, c);
			return -1;
		}
		if (s[1] != '-')
			return usage_error(env, c, "unknown option '%s'", s);
		eq = strchr(s + 2, '=');
		k = opt_index(c, s + 2, eq ? (size_t)(eq - s - 2) : strlen(s + 2));
		if (k < 0)
			return usage_error(env, c, "unknown option '%s'", s);
		a->set[k] = 1;
		if (!c->opts[k].arg) {
			if (eq)
				return usage_error(env, c, "option '--%s' takes no value",
				                   c->opts[k].name);
			continue;
		}
		if (eq)
			a->val[k] = eq + 1;
		else if (i + 1 < argc)
			a->val[k] = argv[++i];
		else
			return usage_error(env, c, "option '--%s' needs a value (%s)",
			                   c->opts[k].name, c->opts[k].arg);
	}
	if (a->npos < c->min_pos)
		return usage_error(env, c, "missing %s", c->synopsis);
	if (c->max_pos >= 0 && a->npos > c->max_pos)
		return usage_error(env, c, "unexpected argument '%s'",
		                   a->pos[c->max_pos]);
	return 0;
}

int args_has(const struct args *a, const char *name)
{
	int k = opt_index(a->cmd, name, strlen(name));
	return k >= 0 && a->set[k];
}

const char *args_get(const struct args *a, const char *name)
{
	int k = opt_index(a->cmd, name, strlen(name));
	return k >= 0 && a->set[k] ? a->val[k] : NULL;
}

int cli_exec(struct cli_env *env, int argc, char **argv)
{
	const struct cmdspec *c = argc > 0 ? find_cmd(argv[0]) : NULL;
	struct args a;
	int rc;

	if (!c) {
		cli_fail(env, "unknown command '%s'", argc > 0 ? argv[0] : "");
		fprintf(env->err, "Try 'tracegroup --help'.\n");
		return EXIT_USAGE;
	}
	rc = parse(env, c, argc, argv, &a);
	env->creates_db = c->creates_db;
	env->reads_only = c->reads_only;
	if (rc == 0)
		rc = c->run(env, &a);
	else if (rc < 0)
		rc = EXIT_OK;
	free(a.pos);
	return rc;
}

void cli_print_reference(FILE *f, int markdown)
{
	for (int i = 0; cli_commands[i]; i++) {
		const struct cmdspec *c = cli_commands[i];
		if (markdown)
			fprintf(f, "| `%s%s%s` | %s |\n", c->name, *c->synopsis ? " " : "",
			        c->synopsis, c->summary);
		else
			fprintf(f, "  %-12s %s\n", c->name, c->summary);
	}
}

static void main_help(FILE *f)
{
	fprintf(f,
	"Usage: tracegroup [--db FILE] COMMAND [options]\n\n"
	"Group recorded LLM calls (traces) into tasks: the prompt templates you\n"
	"really run.  The database is --db FILE, else $TRACEGROUP_DB, else\n"
	"./tracegroup.db; import and tui create it when it is missing.\n\n"
	"Commands:\n");
	cli_print_reference(f, 0);
	fprintf(f, "\nEvery command takes --help.  Exit codes: 0 done, 1 failed, "
	        "2 bad usage,\n3 done but some records were rejected.\n");
}

int cli_main(int argc, char **argv)
{
	struct cli_env env = { .db_path = cli_default_db(), .out = stdout,
		.err = stderr, .tty = isatty(2), .cancel = &interrupted };
	struct sigaction sa;
	int i = 1, rc;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			main_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("tracegroup %s\n", VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			env.db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			env.db_path = argv[i] + 5;
		} else {
			return usage_error(&env, NULL, "unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	rc = cli_exec(&env, argc - i, argv + i);
	cli_env_close(&env);
	return rc;
}
