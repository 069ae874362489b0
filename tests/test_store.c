/*
 * test_store.c - the store: opening and refusing files, migrations,
 * idempotent inserts, distinct texts, task counts, paging, journal.
 */
#include "tests/testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "store/store.h"

static char *dir;

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

static struct store *open_db(const char *name)
{
	char err[512];
	struct store *s = store_open(tu_path(dir, name), err, sizeof err);
	if (!s)
		fail_msg("open: %s", err);
	return s;
}

static struct trace_in trace(const char *key, const char *text)
{
	struct trace_in t = { 0 };
	t.source_key = key;
	t.source_id = key;
	t.project = "p";
	t.model = "m";
	t.path = "/v1/x";
	t.text = text;
	t.text_source = TEXT_INSTRUCTIONS;
	t.raw = "{}";
	t.raw_len = 2;
	return t;
}

/* Read a whole file, for byte-for-byte comparisons. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_new_database_is_current(void **state)
{
	struct store *s = open_db("new.db");
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	/* Reopening an up-to-date database is fine too. */
	s = open_db("new.db");
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
}

static void test_random_file_refused_untouched(void **state)
{
	const char *p = tu_path(dir, "random.bin");
	char err[512], *before, *after;
	size_t n1, n2;
	FILE *f = fopen(p, "wb");

	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	before = slurp(p, &n1);
	assert_null(store_open(p, err, sizeof err));
	assert_non_null(strstr(err, "not a tracegroup database"));
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

static void test_foreign_sqlite_refused_untouched(void **state)
{
	const char *p = tu_path(dir, "other.db");
	sqlite3 *db;
	char err[512], *before, *after;
	size_t n1, n2;
	struct stat st;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1)",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(p, &n1);
	assert_null(store_open(p, err, sizeof err));
	assert_non_null(strstr(err, "not a tracegroup database"));
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	/* No WAL file was created beside it either. */
	assert_int_not_equal(stat(tu_path(dir, "other.db-wal"), &st), 0);
	free(before);
	free(after);
}

static void test_newer_version_refused_untouched(void **state)
{
	const char *p = tu_path(dir, "newer.db");
	struct store *s = open_db("newer.db");
	sqlite3 *db;
	char err[512], sql[64], *before, *after;
	size_t n1, n2;

	store_close(s);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", STORE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
	                              NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(p, &n1);
	assert_null(store_open(p, err, sizeof err));
	assert_non_null(strstr(err, "newer tracegroup"));
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

/* A version-1 database holding data upgrades with every row intact and
 * tasks gain the path of their traces. */
static void test_upgrade_from_version_1(void **state)
{
	const char *p = tu_path(dir, "v1.db");
	char err[512];
	struct store *s = store_open_at_version(p, 1, err, sizeof err);
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_non_null(s);
	assert_int_equal(store_schema_version(s), 1);
	store_close(s);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO projects(id, name) VALUES (1, 'shop');"
		"INSERT INTO texts(id, hash, text) VALUES (1, 0, 'Greet {var_0}');"
		"INSERT INTO tasks(id, project_id, model, template, name, created_at,"
		" created_by) VALUES (1, 1, 'gpt', 'Greet {var_0}', 'greet', 'now', 'batch');"
		"INSERT INTO traces(id, source_key, source_id, project_id, path, model,"
		" text_id, imported_at, task_id, assigned_by) VALUES"
		" (1, 'k1', 'a', 1, '/v1/chat', 'gpt', 1, 'now', 1, 'batch'),"
		" (2, 'k2', 'b', 1, '/v1/chat', 'gpt', 1, 'now', 1, 'batch'),"
		" (3, 'k3', 'c', 1, '/v1/x', 'gpt', 1, 'now', NULL, NULL);"
		"INSERT INTO trace_bodies(trace_id, raw) VALUES (1, '{\"a\":1}'),"
		" (2, '{}'), (3, '{}');",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_db("v1.db");
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM traces),"
		" (SELECT path FROM tasks WHERE id = 1), (SELECT trace_count FROM tasks"
		" WHERE id = 1), (SELECT group_concat(source_id) FROM traces),"
		" (SELECT raw FROM trace_bodies WHERE trace_id = 1)", -1, &st,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 3);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "/v1/chat");
	assert_int_equal(sqlite3_column_int(st, 2), 2);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "a,b,c");
	assert_string_equal((const char *)sqlite3_column_text(st, 4), "{\"a\":1}");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_insert_idempotent_and_texts_shared(void **state)
{
	struct store *s = open_db("ins.db");
	struct trace_in a = trace("k1", "You are helpful."),
	                b = trace("k2", "You are helpful."),
	                c = trace("k3", "Something else");
	struct store_stats st;
	int64_t id1, id2, id3, again;

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_trace_insert(s, &a, &id1), STORE_INSERTED);
	assert_int_equal(store_trace_insert(s, &b, &id2), STORE_INSERTED);
	assert_int_equal(store_trace_insert(s, &c, &id3), STORE_INSERTED);
	assert_int_equal(store_trace_insert(s, &a, &again), STORE_PRESENT);
	assert_int_equal(again, id1);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_stats(s, &st), 0);
	assert_int_equal(st.traces, 3);
	assert_int_equal(st.texts, 2);
	assert_int_equal(st.ungrouped, 3);
	store_close(s);
}

static int count_rows(void *ctx, const struct trace_row *r)
{
	int64_t *last = ctx;
	assert_true(r->id > *last);     /* keyset order */
	*last = r->id;
	return 0;
}

static void test_keyset_pages_cover_everything_once(void **state)
{
	struct store *s = open_db("page.db");
	struct trace_filter f = { 0 };
	char key[32];
	int64_t id, last = 0;
	int total = 0, n;

	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 250; i++) {
		struct trace_in t;
		snprintf(key, sizeof key, "key-%d", i);
		t = trace(key, i % 2 ? "odd" : "even");
		assert_int_equal(store_trace_insert(s, &t, &id), STORE_INSERTED);
	}
	assert_int_equal(store_commit(s), 0);
	do {
		n = store_traces_page(s, &f, last, 100, 0, count_rows, &last);
		assert_true(n >= 0);
		total += n;
	} while (n == 100);
	assert_int_equal(total, 250);
	store_close(s);
}

static int count_desc(void *ctx, const struct trace_row *r)
{
	int64_t *last = ctx;
	assert_true(*last == 0 || r->id < *last);     /* descending keyset */
	*last = r->id;
	return 0;
}

static int collect_value(void *ctx, const char *v)
{
	char *buf = ctx;
	strcat(buf, v);
	strcat(buf, ";");
	return 0;
}

static void test_desc_pages_count_and_distinct(void **state)
{
	struct store *s = open_db("desc.db");
	struct trace_filter f = { 0 };
	char key[32], values[256] = "";
	int64_t id, last = 0, n = 0;
	int total = 0, got;

	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 230; i++) {
		struct trace_in t;
		snprintf(key, sizeof key, "d-%d", i);
		t = trace(key, "x");
		t.model = i % 3 ? "m" : "other";
		assert_int_equal(store_trace_insert(s, &t, &id), STORE_INSERTED);
	}
	assert_int_equal(store_commit(s), 0);
	do {
		got = store_traces_page_desc(s, &f, last, 100, 0, count_desc, &last);
		assert_true(got >= 0);
		total += got;
	} while (got == 100);
	assert_int_equal(total, 230);
	assert_int_equal(last, 1);                 /* ended at the first row */
	f.task_id = -1;
	f.model = "other";
	assert_int_equal(store_traces_count(s, &f, &n), 0);
	assert_int_equal(n, 77);
	assert_int_equal(store_distinct(s, "model", collect_value, values), 2);
	assert_string_equal(values, "m;other;");
	assert_int_equal(store_distinct(s, "bogus", collect_value, values), -1);
	store_close(s);
}

static int64_t task_count(struct store *s, int64_t id)
{
	struct task_copy tc;
	int64_t n;
	assert_int_equal(store_task_get(s, id, &tc), 1);
	n = tc.row.trace_count;
	task_copy_clear(&tc);
	return n;
}

/* Moves keep task counts exact, and undo/redo restore both sides. */
static void test_journal_undo_redo(void **state)
{
	struct store *s = open_db("journal.db");
	struct trace_in a = trace("k1", "Greet Ann"), b = trace("k2", "Greet Bob");
	int64_t id1, id2, p, task, j, next;

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_trace_insert(s, &a, &id1), STORE_INSERTED);
	assert_int_equal(store_trace_insert(s, &b, &id2), STORE_INSERTED);
	p = store_project_ensure(s, "p");
	assert_true(p > 0);
	j = store_journal_add(s, "create", "test");
	task = store_task_create(s, p, "m", "/v1/x", "Greet {var_0}", "greet", "manual");
	assert_true(task > 0);
	assert_int_equal(store_journal_task(s, j, task, "deleted", "1", "0"), 0);
	assert_int_equal(store_move_trace(s, j, id1, task, ASSIGN_MANUAL, NULL), 1);
	assert_int_equal(store_move_trace(s, j, id2, task, ASSIGN_MANUAL, NULL), 1);
	assert_int_equal(store_move_trace(s, j, id2, task, ASSIGN_MANUAL, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(task_count(s, task), 2);

	assert_int_equal(store_journal_next(s, 0, &next), 1);
	assert_int_equal(next, j);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_journal_apply(s, j, 0, NULL, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(task_count(s, task), 0);
	{
		struct task_copy tc;
		assert_int_equal(store_task_get(s, task, &tc), 1);
		assert_int_equal(tc.row.deleted, 1);
		task_copy_clear(&tc);
	}
	assert_int_equal(store_journal_next(s, 0, &next), 0);   /* nothing to undo */
	assert_int_equal(store_journal_next(s, 1, &next), 1);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_journal_apply(s, j, 1, NULL, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(task_count(s, task), 2);
	store_close(s);
}

static void test_rollback_keeps_nothing(void **state)
{
	struct store *s = open_db("rb.db");
	struct trace_in a = trace("k1", "x");
	struct store_stats st;
	int64_t id;

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_trace_insert(s, &a, &id), STORE_INSERTED);
	store_rollback(s);
	assert_int_equal(store_stats(s, &st), 0);
	assert_int_equal(st.traces, 0);
	assert_int_equal(st.projects, 0);
	store_close(s);
}

static void test_batch_output_joins_either_order(void **state)
{
	struct store *s = open_db("join.db");
	struct trace_in a = trace("batch:t1:aaa", "sys"), b = trace("batch:t2:bbb", "sys");
	struct trace_copy tc;
	int64_t id1, id2;

	a.join_key = "t1";
	b.join_key = "t2";
	assert_int_equal(store_begin(s), 0);
	/* Output first, request later. */
	assert_int_equal(store_output_insert(s, "out:1", "t1", "m-2024", "answer 1",
	                                     "{}", 2), STORE_INSERTED);
	assert_int_equal(store_trace_insert(s, &a, &id1), STORE_INSERTED);
	/* Request first, output later. */
	assert_int_equal(store_trace_insert(s, &b, &id2), STORE_INSERTED);
	assert_int_equal(store_output_insert(s, "out:2", "t2", "m-2024", "answer 2",
	                                     "{}", 2), STORE_INSERTED);
	assert_int_equal(store_output_insert(s, "out:2", "t2", "m-2024", "answer 2",
	                                     "{}", 2), STORE_PRESENT);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_trace_get(s, id1, &tc), 1);
	assert_string_equal(tc.row.output, "answer 1");
	trace_copy_clear(&tc);
	assert_int_equal(store_trace_get(s, id2, &tc), 1);
	assert_string_equal(tc.row.output, "answer 2");
	trace_copy_clear(&tc);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_database_is_current),
		cmocka_unit_test(test_random_file_refused_untouched),
		cmocka_unit_test(test_foreign_sqlite_refused_untouched),
		cmocka_unit_test(test_newer_version_refused_untouched),
		cmocka_unit_test(test_upgrade_from_version_1),
		cmocka_unit_test(test_insert_idempotent_and_texts_shared),
		cmocka_unit_test(test_keyset_pages_cover_everything_once),
		cmocka_unit_test(test_desc_pages_count_and_distinct),
		cmocka_unit_test(test_journal_undo_redo),
		cmocka_unit_test(test_rollback_keeps_nothing),
		cmocka_unit_test(test_batch_output_joins_either_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
