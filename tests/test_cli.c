/*
 * test_cli.c - command-line parsing: help, bad options, exit codes.
 * Commands run through cli_exec() with their output captured.
 */
#include "tests/testutil.h"

#include "cli/args.h"

static char *dir;

struct run {
	int rc;
	char *out, *err;
	size_t nout, nerr;
};

static int setup(void **state)
{
	dir = tu_tempdir();
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	tu_rmrf(dir);
	free(dir);
	return 0;
}

/* Run "tracegroup --db <tmp>/cli.db ARGS..." (argv NULL-terminated). */
static struct run run(char **argv)
{
	struct run r = { 0 };
	FILE *out = open_memstream(&r.out, &r.nout);
	FILE *err = open_memstream(&r.err, &r.nerr);
	struct cli_env env = { .db_path = tu_path(dir, "cli.db"), .out = out,
		.err = err };
	int argc = 0;

	while (argv[argc])
		argc++;
	r.rc = cli_exec(&env, argc, argv);
	cli_env_close(&env);
	fclose(out);
	fclose(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_every_command_has_help(void **state)
{
	const char *required[] = { "import", "match", "group", "group-trace",
		"assign", "tasks", "traces", "show", "stats", "export", "undo" };
	size_t n = 0;

	for (size_t i = 0; cli_commands[i]; i++, n++) {
		char *argv[] = { (char *)cli_commands[i]->name, "--help", NULL };
		struct run r = run(argv);
		assert_int_equal(r.rc, 0);
		assert_non_null(strstr(r.out, "Usage: tracegroup"));
		assert_non_null(strstr(r.out, cli_commands[i]->name));
		run_free(&r);
	}
	/* The commands the product promises are all in the table. */
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
		size_t i = 0;
		while (cli_commands[i] && strcmp(cli_commands[i]->name, required[k]))
			i++;
		assert_non_null(cli_commands[i]);
	}
	assert_true(n >= sizeof required / sizeof required[0]);
}

static void test_unknown_option_is_usage_error(void **state)
{
	char *argv[] = { "tasks", "--bogus", NULL };
	struct run r = run(argv);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "tracegroup: tasks: unknown option '--bogus'"));
	run_free(&r);
}

static void test_unknown_command_is_usage_error(void **state)
{
	char *argv[] = { "frobnicate", NULL };
	struct run r = run(argv);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "unknown command"));
	run_free(&r);
}

static void test_missing_value_and_argument(void **state)
{
	char *a1[] = { "group", "--threshold", NULL };
	char *a2[] = { "import", NULL };
	char *a3[] = { "rename", "1", NULL };
	struct run r = run(a1);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "needs a value"));
	run_free(&r);
	r = run(a2);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "missing FILE"));
	run_free(&r);
	r = run(a3);
	assert_int_equal(r.rc, 2);
	run_free(&r);
}

static void test_parameters_validated(void **state)
{
	char *bad[][4] = {
		{ "group", "--threshold", "1.5", NULL },
		{ "group", "--threshold", "abc", NULL },
		{ "group", "--min-cluster-size", "1", NULL },
		{ "group", "--max-sample-size", "0", NULL },
		{ "match", "--threshold=-0.1", NULL, NULL },
		{ "tasks", "--sort", "size", NULL },
		{ "traces", "--limit", "x", NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct run r = run(bad[i]);
		assert_int_equal(r.rc, 2);
		assert_non_null(strstr(r.err, "tracegroup: "));
		run_free(&r);
	}
}

static void test_good_parameters_accepted(void **state)
{
	char *argv[] = { "group", "--threshold=0.75", "--min-cluster-size", "3",
		"--max-sample-size", "10", "--dry-run", "--quiet", NULL };
	char err[256];
	struct store *s = store_open(tu_path(dir, "cli.db"), err, sizeof err);
	struct run r;

	assert_non_null(s);
	store_close(s);
	r = run(argv);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	run_free(&r);
}

/* --timing: one line on stderr whose phases add up to the run's seconds;
 * the JSON report carries them only then. */
static void test_group_timing(void **state)
{
	char path[512];
	char *imp[] = { "import", "--quiet", path, NULL };
	char *grp[] = { "group", "--quiet", "--timing", NULL };
	char *plain[] = { "match", "--quiet", "--json", NULL };
	char *timed[] = { "match", "--quiet", "--json", "--timing", NULL };
	double total, plan, cluster, write, commit;
	struct run r;
	FILE *f;

	unlink(tu_path(dir, "cli.db"));
	snprintf(path, sizeof path, "%s", tu_path(dir, "greet.jsonl"));
	assert_non_null(f = fopen(path, "w"));
	for (int i = 0; i < 6; i++)
		fprintf(f, "{\"id\":\"g%d\",\"model\":\"m\",\"instructions\":"
		        "\"Greet customer %c and say their parcel has shipped\"}\n",
		        i, 'A' + i);
	fclose(f);
	r = run(imp);
	assert_int_equal(r.rc, 0);
	run_free(&r);
	r = run(grp);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "");
	assert_int_equal(sscanf(r.err, "group: %lf s = plan %lf + cluster %lf +"
	                        " write %lf + commit %lf", &total, &plan, &cluster,
	                        &write, &commit), 5);
	assert_true(plan >= 0 && cluster >= 0 && write >= 0 && commit >= 0);
	assert_true(plan + cluster + write + commit <= total + 0.003);   /* each rounded to 1 ms */
	assert_true(plan + cluster + write + commit >= total - 0.003);
	assert_non_null(strchr(r.err, '\n'));
	assert_null(strchr(strchr(r.err, '\n') + 1, ':'));   /* one line */
	run_free(&r);
	r = run(plain);                /* without --timing: nothing */
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_null(strstr(r.out, "\"timing\""));
	run_free(&r);
	r = run(timed);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.err, "match: "));
	assert_non_null(strstr(r.out, "\"timing\":{\"plan\":"));
	run_free(&r);
}

/* Only import and the explorer create a database. */
static void test_missing_database_not_created(void **state)
{
	char *argv[] = { "stats", NULL };
	struct run r;

	unlink(tu_path(dir, "cli.db"));
	r = run(argv);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "cli.db: no database there"));
	assert_int_equal(access(tu_path(dir, "cli.db"), F_OK), -1);
	run_free(&r);
}

/* Opening an older database upgrades it, and says so first (a big one
 * takes seconds); a current one opens without a word. */
static void test_upgrade_announced(void **state)
{
	char *argv[] = { "stats", NULL }, err[256];
	struct store *s;
	struct run r;

	unlink(tu_path(dir, "cli.db"));
	s = store_open_at_version(tu_path(dir, "cli.db"), 3, err, sizeof err);
	assert_non_null(s);
	store_close(s);
	assert_int_equal(store_file_version(tu_path(dir, "cli.db")), 3);
	r = run(argv);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.err, "upgrading"));
	assert_non_null(strstr(r.err, "cli.db"));
	run_free(&r);
	assert_int_equal(store_file_version(tu_path(dir, "cli.db")),
	                 STORE_SCHEMA_VERSION);
	r = run(argv);
	assert_int_equal(r.rc, 0);
	assert_null(strstr(r.err, "upgrading"));
	run_free(&r);
	assert_int_equal(store_file_version(tu_path(dir, "none.db")), -1);
}

static void test_assign_needs_one_mode(void **state)
{
	char *argv[] = { "assign", "--ungroup", "--task", "3", "x", NULL };
	struct run r = run(argv);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "exactly one"));
	run_free(&r);
}

static void test_missing_file_fails_cleanly(void **state)
{
	char *argv[] = { "import", "--quiet", "/nonexistent/file.jsonl", NULL };
	struct run r = run(argv);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "tracegroup: "));
	assert_non_null(strstr(r.err, "/nonexistent/file.jsonl"));
	run_free(&r);
}

static void test_error_messages_sanitised(void **state)
{
	char *argv[] = { "show", "evil\x1b[2J\r", NULL };
	struct run r = run(argv);
	assert_int_equal(r.rc, 1);
	assert_null(strchr(r.err, '\x1b'));
	assert_null(strchr(r.err, '\r'));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_has_help),
		cmocka_unit_test(test_unknown_option_is_usage_error),
		cmocka_unit_test(test_unknown_command_is_usage_error),
		cmocka_unit_test(test_missing_value_and_argument),
		cmocka_unit_test(test_parameters_validated),
		cmocka_unit_test(test_good_parameters_accepted),
		cmocka_unit_test(test_missing_database_not_created),
		cmocka_unit_test(test_upgrade_announced),
		cmocka_unit_test(test_group_timing),
		cmocka_unit_test(test_assign_needs_one_mode),
		cmocka_unit_test(test_missing_file_fails_cleanly),
		cmocka_unit_test(test_error_messages_sanitised),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
