/*
 * test_ops.c - the operations over a real store: import, match, group,
 * group-trace, assign, create-task, merge, split, rename, undo, and the
 * invariants they promise.
 */
#include "tests/testutil.h"

#include <signal.h>

#include "ops/ops.h"

static char *dir;
static struct store *s;
static struct ops_ctx ctx;
static volatile sig_atomic_t cancel_flag;

/* Write lines of native JSONL to a file in the test directory. */
static const char *write_file(const char *name, const char *const *lines,
                              size_t n)
{
	const char *p = tu_path(dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	return p;
}

static int setup(void **state)
{
	char err[512];
	dir = tu_tempdir();
	s = store_open(tu_path(dir, "ops.db"), err, sizeof err);
	if (!s)
		return -1;
	memset(&ctx, 0, sizeof ctx);
	ctx.store = s;
	ctx.cancel = &cancel_flag;
	cancel_flag = 0;
	return 0;
}

static int teardown(void **state)
{
	store_close(s);
	tu_rmrf(dir);
	free(dir);
	return 0;
}

#define REC(id, model, instr) \
	"{\"id\":\"" id "\",\"project\":\"shop\",\"model\":\"" model "\"," \
	"\"path\":\"/v1/chat/completions\",\"instructions\":\"" instr "\"}"

static const char *const greet[] = {
	REC("g1", "m1", "Greet Alice and wish her a nice day."),
	REC("g2", "m1", "Greet Bob and wish him a nice day."),
	REC("g3", "m1", "Greet Carol and wish her a nice day."),
	REC("t1", "m1", "Translate from French to German: bonjour"),
	REC("t2", "m1", "Translate from Spanish to Italian: hola amigo"),
	REC("t3", "m1", "Translate from Dutch to English: goedemorgen"),
	REC("f1", "m1", "You are a strict SQL reviewer. Answer in JSON."),
	REC("f2", "m1", "You are a strict SQL reviewer. Answer in JSON."),
	REC("f3", "m1", "You are a strict SQL reviewer. Answer in JSON."),
	REC("o1", "m1", "Write a limerick about a lighthouse keeper named Zed"),
	REC("x1", "m2", "Greet Dave and wish him a nice day."),
	REC("x2", "m2", "Greet Erin and wish her a nice day."),
};

static void import_lines(const char *const *lines, size_t n, int no_match,
                         struct import_summary *sum)
{
	struct ops_import_opts o = { .threshold = 0.6, .no_match = no_match };
	const char *p = write_file("in.jsonl", lines, n);
	assert_int_equal(ops_import(&ctx, p, &o, sum), 0);
}

static struct group_params defaults(void)
{
	struct group_params p = GROUP_PARAMS_DEFAULT;
	return p;
}

static int64_t ref(const char *source_id)
{
	int64_t id = 0;
	assert_int_equal(ops_trace_ref(&ctx, source_id, &id), 0);
	return id;
}

static struct trace_copy get(const char *source_id)
{
	struct trace_copy tc;
	assert_int_equal(store_trace_get(s, ref(source_id), &tc), 1);
	return tc;
}

static int64_t task_of(const char *source_id)
{
	struct trace_copy tc = get(source_id);
	int64_t t = tc.row.task_id;
	trace_copy_clear(&tc);
	return t;
}

/* Every trace in a task scores >= threshold against its template. */
static int check_invariant(void *c, const struct trace_row *r)
{
	double th = *(double *)c;
	struct tmpl *t;

	if (!r->task_id || r->assigned_by == ASSIGN_MANUAL)
		return 0;
	t = tmpl_parse(r->task_template, strlen(r->task_template));
	assert_non_null(t);
	assert_true(tmpl_score(t, r->text, strlen(r->text)) >= th);
	tmpl_free(t);
	return 0;
}

static void test_group_creates_expected_tasks(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	double th = p.similarity_threshold;

	import_lines(greet, sizeof greet / sizeof greet[0], 0, &sum);
	assert_int_equal(sum.imported, 12);
	assert_int_equal(ops_group(&ctx, &p, 0, &r), 0);
	/* Same template under two models is two tasks. */
	assert_int_not_equal(task_of("g1"), 0);
	assert_int_equal(task_of("g1"), task_of("g2"));
	assert_int_equal(task_of("g1"), task_of("g3"));
	assert_int_not_equal(task_of("x1"), 0);
	assert_int_not_equal(task_of("x1"), task_of("g1"));
	assert_int_equal(task_of("t1"), task_of("t3"));
	assert_int_not_equal(task_of("t1"), task_of("g1"));
	assert_int_equal(task_of("f1"), task_of("f3"));
	/* The one-off stays ungrouped. */
	assert_int_equal(task_of("o1"), 0);
	assert_true(store_traces_all(s, check_invariant, &th) >= 0);
	group_report_clear(&r);

	/* Variables are extracted and stored as spans of the text. */
	{
		struct trace_copy tc = get("g2");
		size_t *sp;
		int n = ops_spans_parse(tc.row.variables, strlen(tc.row.text), &sp);
		assert_true(n >= 1);
		assert_int_equal(strncmp(tc.row.text + sp[0], "Bob", 3), 0);
		free(sp);
		assert_int_equal(ops_spans_parse("[[0,999999]]", 10, &sp), -1);
		assert_int_equal(ops_spans_parse("not json", 10, &sp), -1);
		assert_null(sp);
		trace_copy_clear(&tc);
	}
}

static void test_auto_match_on_import(void **state)
{
	static const char *const later[] = {
		REC("g9", "m1", "Greet Charlie and wish him a nice day."),
		REC("o9", "m1", "Compose a sonnet on quantum chromodynamics, please"),
	};
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;

	import_lines(greet, 3, 0, &sum);
	assert_int_equal(ops_group(&ctx, &p, 0, &r), 0);
	group_report_clear(&r);
	import_lines(later, 2, 0, &sum);
	assert_int_equal(sum.matched, 1);
	assert_int_equal(task_of("g9"), task_of("g1"));
	assert_int_equal(task_of("o9"), 0);
	{
		struct trace_copy tc = get("g9");
		assert_int_equal(tc.row.assigned_by, ASSIGN_AUTO);
		trace_copy_clear(&tc);
	}
}

static void test_dry_run_changes_nothing(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	struct store_stats st;

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	assert_int_equal(ops_group(&ctx, &p, 1, &r), 0);
	assert_true(r.tasks_created >= 4);
	assert_true(r.n_tasks == r.tasks_created);
	group_report_clear(&r);
	assert_int_equal(store_stats(s, &st), 0);
	assert_int_equal(st.tasks, 0);
	assert_int_equal(st.grouped, 0);
}

static int cancel_now(void *c, const char *what, uint64_t done, uint64_t total)
{
	(void)c; (void)what; (void)done; (void)total;
	cancel_flag = 1;
	return 0;
}

static void progress_cancel(void *c, const char *what, uint64_t done,
                            uint64_t total)
{
	cancel_now(c, what, done, total);
}

static void test_cancelled_group_leaves_nothing(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	struct store_stats st;

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	ctx.progress = progress_cancel;
	assert_int_equal(ops_group(&ctx, &p, 0, &r), OPS_CANCELLED);
	ctx.progress = NULL;
	cancel_flag = 0;
	group_report_clear(&r);
	assert_int_equal(store_stats(s, &st), 0);
	assert_int_equal(st.tasks, 0);
	assert_int_equal(st.grouped, 0);
}

static void test_manual_assignment_survives_group(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	int64_t id, moved, fixed_task;

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	assert_int_equal(ops_group(&ctx, &p, 0, &r), 0);
	group_report_clear(&r);
	fixed_task = task_of("f1");
	/* Put a greeting into the SQL task by hand, ungroup another. */
	id = ref("g1");
	assert_int_equal(ops_assign(&ctx, &id, 1, fixed_task, &moved), 0);
	assert_int_equal(moved, 1);
	id = ref("g2");
	assert_int_equal(ops_assign(&ctx, &id, 1, 0, &moved), 0);
	assert_int_equal(ops_group(&ctx, &p, 0, &r), 0);
	group_report_clear(&r);
	assert_int_equal(ops_match(&ctx, 0.0, 0, &r), 0);
	group_report_clear(&r);
	assert_int_equal(task_of("g1"), fixed_task);
	assert_int_equal(task_of("g2"), 0);
}

static int64_t count_of(int64_t task)
{
	struct task_copy tc;
	int64_t n;
	assert_int_equal(store_task_get(s, task, &tc), 1);
	n = tc.row.deleted ? -1 : tc.row.trace_count;
	task_copy_clear(&tc);
	return n;
}

static void test_merge_rename_undo(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	int64_t a, b;
	char *summary;

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	assert_int_equal(ops_group(&ctx, &p, 0, &r), 0);
	group_report_clear(&r);
	a = task_of("g1");
	b = task_of("t1");
	assert_int_equal(ops_merge(&ctx, a, &b, 1, 100), 0);
	assert_int_equal(count_of(a), 6);
	assert_int_equal(count_of(b), -1);             /* retired */
	assert_int_equal(task_of("t2"), a);
	assert_int_equal(ops_rename(&ctx, a, "greet or translate"), 0);

	assert_int_equal(ops_undo(&ctx, 0, &summary), 0);   /* the rename */
	assert_non_null(strstr(summary, "rename"));
	free(summary);
	assert_int_equal(ops_undo(&ctx, 0, &summary), 0);   /* the merge */
	assert_non_null(strstr(summary, "merge"));
	free(summary);
	assert_int_equal(count_of(a), 3);
	assert_int_equal(count_of(b), 3);
	assert_int_equal(task_of("t2"), b);
	assert_int_equal(ops_undo(&ctx, 1, &summary), 0);   /* redo the merge */
	free(summary);
	assert_int_equal(count_of(a), 6);
	assert_int_equal(count_of(b), -1);
}

static void test_group_trace_and_create_task(void **state)
{
	struct import_summary sum;
	struct group_params p = defaults();
	struct group_report r;
	int64_t ids[2], task;

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	/* Force-group one greeting: its similar neighbours join a new task. */
	assert_int_equal(ops_group_trace(&ctx, ref("g1"), &p, &r), 0);
	assert_int_equal(r.tasks_created, 1);
	group_report_clear(&r);
	assert_int_not_equal(task_of("g1"), 0);
	assert_int_equal(task_of("g1"), task_of("g3"));
	assert_int_equal(task_of("t1"), 0);            /* others untouched */
	/* A one-off is left alone, with a reason. */
	assert_int_equal(ops_group_trace(&ctx, ref("o1"), &p, &r), 0);
	assert_int_equal(task_of("o1"), 0);
	assert_true(strlen(r.reason) > 0);
	group_report_clear(&r);
	/* A task by hand from two traces. */
	ids[0] = ref("t1");
	ids[1] = ref("t2");
	assert_int_equal(ops_create_task(&ctx, ids, 2, "translations", &task), 0);
	assert_int_equal(task_of("t1"), task);
	assert_int_equal(count_of(task), 2);
}

static void test_split_at_stricter_threshold(void **state)
{
	struct import_summary sum;
	struct group_params loose = defaults(), strict = defaults();
	struct group_report r;
	int64_t ids[6], task, moved;
	const char *src[] = { "g1", "g2", "g3", "t1", "t2", "t3" };

	import_lines(greet, sizeof greet / sizeof greet[0], 1, &sum);
	for (int i = 0; i < 6; i++)
		ids[i] = ref(src[i]);
	assert_int_equal(ops_create_task(&ctx, ids, 1, "mixed", &task), 0);
	assert_int_equal(ops_assign(&ctx, ids + 1, 5, task, &moved), 0);
	assert_int_equal(count_of(task), 6);
	strict.similarity_threshold = 0.6;
	(void)loose;
	assert_int_equal(ops_split(&ctx, task, &strict, 1, &r), 0);   /* preview */
	assert_int_equal(r.n_tasks, 2);
	group_report_clear(&r);
	assert_int_equal(count_of(task), 6);
	assert_int_equal(ops_split(&ctx, task, &strict, 0, &r), 0);
	group_report_clear(&r);
	assert_int_equal(count_of(task), 3);
	assert_int_not_equal(task_of("t1"), task);
	assert_int_equal(task_of("t1"), task_of("t3"));
}

static void test_import_idempotent(void **state)
{
	struct import_summary sum;

	import_lines(greet, sizeof greet / sizeof greet[0], 0, &sum);
	assert_int_equal(sum.imported, 12);
	import_lines(greet, sizeof greet / sizeof greet[0], 0, &sum);
	assert_int_equal(sum.imported, 0);
	assert_int_equal(sum.present, 12);
}

static void test_bad_parameters_refused(void **state)
{
	struct group_params p = defaults();
	struct group_report r;

	p.min_cluster_size = 1;
	assert_int_equal(ops_group(&ctx, &p, 0, &r), -1);
	assert_true(strlen(ctx.err) > 0);
	p = defaults();
	p.similarity_threshold = 1.5;
	assert_int_equal(ops_group(&ctx, &p, 1, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_creates_expected_tasks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_match_on_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_group_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual_assignment_survives_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_rename_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_trace_and_create_task, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_at_stricter_threshold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_parameters_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
