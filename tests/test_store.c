/*
 * test_store.c - the store: opening and refusing files, migrations,
 * idempotent inserts, distinct texts, task counts, paging, journal.
 */
#include "tests/testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "store/store.h"

int64_t store_text_hash(const char *text, size_t len);   /* store/internal.h */
int store_exec(struct store *s, const char *sql);        /* store/internal.h */
static char *dump(const char *path, const char *sql);

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

/* With room on the disk a reader is an ordinary connection: not locked,
 * and others open the database beside it.  (The full-disk case, where it
 * takes the lock, is tests/e2e/rel_fullfs.sh.) */
static void test_reader_not_locked_with_room(void **state)
{
	char err[512];
	struct store *w = open_db("reader.db"), *r, *other;

	store_close(w);
	r = store_open_reader(tu_path(dir, "reader.db"), err, sizeof err);
	assert_non_null(r);
	assert_null(store_locked(r));
	assert_int_equal(store_readonly(r), 0);
	other = store_open(tu_path(dir, "reader.db"), err, sizeof err);
	assert_non_null(other);
	assert_int_equal(store_begin(other), 0);
	assert_int_equal(store_commit(other), 0);
	store_close(other);
	store_close(r);
}

/* Opening a database of ours writes nothing: no frame reaches its WAL
 * until a change does. */
static void test_open_writes_nothing(void **state)
{
	char wal[1024];
	struct stat st;
	struct store *s;

	store_close(open_db("quiet.db"));
	snprintf(wal, sizeof wal, "%s-wal", tu_path(dir, "quiet.db"));
	s = open_db("quiet.db");
	assert_true(stat(wal, &st) != 0 || st.st_size == 0);
	store_close(s);
}

static int page_size(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* New databases get 8 KB pages; one made with other pages keeps them. */
static void test_page_size_new_and_kept(void **state)
{
	const char *p = tu_path(dir, "pages.db");
	sqlite3 *db;

	store_close(open_db("pages.db"));
	assert_int_equal(page_size(p), 8192);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=DELETE;"
	                              " PRAGMA page_size=4096; VACUUM", NULL, NULL,
	                              NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(page_size(p), 4096);
	store_close(open_db("pages.db"));
	assert_int_equal(page_size(p), 4096);
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
		" WHERE id = 1), (SELECT group_concat(source_id) FROM trace_sources),"
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

/* A version-3 database (keys and timestamps in the traces row) upgrades
 * with every value in its new place, ids kept; keys and source ids are
 * still found, foreign keys are enforced again afterwards, and the
 * groupable index and count triggers are back. */
static void test_upgrade_from_version_3(void **state)
{
	const char *p = tu_path(dir, "v3.db");
	char err[512];
	struct store *s = store_open_at_version(p, 3, err, sizeof err);
	struct trace_in again = trace("k2", "Greet Bob");
	struct trace_copy tc;
	struct store_stats stats;
	sqlite3 *db;
	int64_t id = 0;
	char *rows, sql[400];

	assert_non_null(s);
	store_close(s);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "%s", "CREATE TEMP TABLE h(k, v);");
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "INSERT INTO temp.h VALUES ('a', %lld),"
	         " ('native:a', %lld), ('native:b', %lld)",
	         (long long)store_text_hash("a", 1),
	         (long long)store_text_hash("native:a", 8),
	         (long long)store_text_hash("native:b", 8));
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO projects(id, name) VALUES (1, 'shop');"
		"INSERT INTO texts(id, hash, text) VALUES (1, 0, 'Greet Ann');"
		"INSERT INTO tasks(id, project_id, model, path, template, name,"
		" created_at, created_by) VALUES (1, 1, 'gpt', '/v1/chat',"
		" 'Greet {var_0}', 'greet', 'now', 'batch');"
		"INSERT INTO traces(id, source_key, key_hash, source_id, id_hash,"
		" join_key, format, project_id, path, model, text_id, text_source,"
		" created_at, imported_at, task_id, assigned_by, variables) VALUES"
		" (4, 'native:a', 11, 'a', 21, 'job-1', 'native', 1, '/v1/chat',"
		"  'gpt', 1, 1, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1,"
		"  'batch', '[[6,3]]'),"
		" (9, 'native:b', 12, NULL, NULL, NULL, 'openai', 1, '/v1/chat',"
		"  'gpt', 1, 1, NULL, '2026-01-02T00:00:00Z', NULL, NULL, NULL);"
		"INSERT INTO trace_bodies(trace_id, raw) VALUES (4, '{}'), (9, '{}');"
		"UPDATE traces SET key_hash = (SELECT v FROM temp.h"
		" WHERE k = source_key), id_hash = (SELECT v FROM temp.h"
		" WHERE k = source_id);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_db("v3.db");
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	rows = dump(p, "SELECT t.id, t.project_id, t.path, t.model, t.text_id,"
	            " t.text_source, t.task_id, t.assigned_by, t.variables,"
	            " o.key_hash, o.source_key, o.id_hash, o.source_id, o.join_key,"
	            " o.format, o.created_at, o.imported_at FROM traces t"
	            " JOIN trace_sources o ON o.trace_id = t.id ORDER BY t.id");
	snprintf(sql, sizeof sql,
		"4|1|/v1/chat|gpt|1|1|1|batch|[[6,3]]|%lld|native:a|%lld|a|job-1|"
		"native|2025-01-01T00:00:00Z|2026-01-01T00:00:00Z\n"
		"9|1|/v1/chat|gpt|1|1|~|~|~|%lld|native:b|~|~|~|openai|~|"
		"2026-01-02T00:00:00Z\n",
		(long long)store_text_hash("native:a", 8),
		(long long)store_text_hash("a", 1),
		(long long)store_text_hash("native:b", 8));
	assert_string_equal(rows, sql);
	free(rows);
	rows = dump(p, "SELECT name FROM sqlite_master WHERE tbl_name = 'traces'"
	            " AND name NOT LIKE 'sqlite_%' ORDER BY name");
	assert_string_equal(rows, "traces\ntraces_by_task\ntraces_count_del\n"
	                    "traces_count_ins\ntraces_count_upd\ntraces_groupable\n");
	free(rows);
	assert_int_equal(store_trace_get(s, 4, &tc), 1);
	assert_string_equal(tc.row.source_id, "a");
	assert_string_equal(tc.row.format, "native");
	assert_string_equal(tc.row.created_at, "2025-01-01T00:00:00Z");
	assert_int_equal(tc.row.task_id, 1);
	trace_copy_clear(&tc);
	/* Keys and source ids are found where they now live. */
	assert_int_equal(store_trace_lookup(s, "a", &id), 1);
	assert_int_equal(id, 4);
	assert_int_equal(store_begin(s), 0);
	again.source_key = "native:b";
	assert_int_equal(store_trace_insert(s, &again, &id), STORE_PRESENT);
	assert_int_equal(id, 9);
	again.source_key = "native:c";
	assert_int_equal(store_trace_insert(s, &again, &id), STORE_INSERTED);
	assert_int_equal(id, 10);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_stats(s, &stats), 0);
	assert_int_equal(stats.traces, 3);
	store_close(s);
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

/* ---- bulk assignment ------------------------------------------------------ */

/* Every row a query returns, as one string: columns separated by '|', rows
 * by '\n', NULL as "~".  Read through a connection of its own. */
static char *dump(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t len = 0, cap = 256;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			size_t n = (v ? strlen(v) : 1) + 2;
			if (len + n + 1 > cap) {
				while (len + n + 1 > cap)
					cap *= 2;
				assert_non_null(out = realloc(out, cap));
			}
			len += (size_t)sprintf(out + len, "%s%c", v ? v : "~",
			                       i + 1 < sqlite3_column_count(st) ? '|' : '\n');
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* What a grouping run may change, and the schema, for comparisons. */
static const char *const state_sql[] = {
	"SELECT id, task_id, assigned_by, variables FROM traces ORDER BY id",
	"SELECT * FROM journal_moves ORDER BY journal_id, trace_id",
	"SELECT id, trace_count, deleted FROM tasks ORDER BY id",
	"SELECT journal_id, seq, task_id, field, old_value, new_value"
	" FROM journal_tasks ORDER BY journal_id, seq",
	"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
};
#define N_STATE (sizeof state_sql / sizeof state_sql[0])

static void state_get(const char *path, char *out[N_STATE])
{
	for (size_t i = 0; i < N_STATE; i++)
		out[i] = dump(path, state_sql[i]);
}

static void state_equal_free(char *a[N_STATE], char *b[N_STATE])
{
	for (size_t i = 0; i < N_STATE; i++) {
		assert_string_equal(a[i], b[i]);
		free(a[i]);
		free(b[i]);
	}
}

/* Every task's trace_count is the number of its traces. */
static void assert_counts_exact(const char *path)
{
	char *bad = dump(path, "SELECT id, trace_count FROM tasks k WHERE"
	                 " trace_count != (SELECT count(*) FROM traces t"
	                 " WHERE t.task_id = k.id)");
	assert_string_equal(bad, "");
	free(bad);
}

/* The traces grouping must never touch: already in a task, or placed (or
 * ungrouped) by hand.  Trace ids are 1 + the index they were built with. */
#define FIXED_SQL "SELECT id, task_id, assigned_by, variables FROM traces" \
	" WHERE (id - 1) % 11 = 0 OR (id - 1) % 13 = 0 OR (id - 1) % 17 = 0" \
	" OR (id - 1) % 37 = 0 ORDER BY id"

#define N_BUILT 240

/*
 * 240 traces over 8 partitions (projects p and q, models m and n, paths
 * /a and /b) and 10 texts shared by every partition, so a text id alone
 * never decides.  Some are already grouped (task 1, "batch"), some placed
 * in task 2 by hand, some ungrouped by hand, some have no text.  Built the
 * same way every time, so two databases get the same ids.
 */
static struct store *build_grouping_db(const char *name, int analyze)
{
	struct store *s = open_db(name);
	int64_t p, q, j, id;
	char key[32], text[32];

	assert_int_equal(store_begin(s), 0);
	p = store_project_ensure(s, "p");
	q = store_project_ensure(s, "q");
	assert_true(p == 1 && q == 2);
	assert_int_equal(store_task_create(s, p, "m", "/a", "old", "old", "batch"), 1);
	assert_int_equal(store_task_create(s, q, "n", "/b", "hand", "hand", "manual"), 2);
	j = store_journal_add(s, "assign", "by hand");
	for (int i = 0; i < N_BUILT; i++) {
		struct trace_in t;
		snprintf(key, sizeof key, "t%d", i);
		snprintf(text, sizeof text, "Say %d to {x}", (i / 8) % 10);
		t = trace(key, i % 37 ? text : NULL);
		t.project = i % 2 ? "q" : "p";
		t.model = (i / 2) % 2 ? "n" : "m";
		t.path = (i / 4) % 2 ? "/b" : "/a";
		if (i % 11 == 0) {
			t.task_id = 1;
			t.assigned_by = ASSIGN_BATCH;
			t.variables = "[\"old\"]";
		}
		assert_int_equal(store_trace_insert(s, &t, &id), STORE_INSERTED);
		assert_int_equal(id, i + 1);
		if (i % 11 && i % 13 == 0)
			assert_int_equal(store_move_trace(s, j, id, 0, ASSIGN_MANUAL,
			                                  NULL), 1);
		else if (i % 11 && i % 17 == 0)
			assert_int_equal(store_move_trace(s, j, id, 2, ASSIGN_MANUAL,
			                                  "[\"hand\"]"), 1);
	}
	assert_int_equal(store_commit(s), 0);
	if (analyze) {
		sqlite3 *db;
		assert_int_equal(sqlite3_open(tu_path(dir, name), &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL),
		                 SQLITE_OK);
		sqlite3_close(db);
	}
	return s;
}

/* Did the last apply rebuild the index `name` (most of the table moved)
 * rather than keep it?  A rebuilt index is listed after the count
 * triggers; the trigger is dropped and created again either way. */
static int index_rebuilt(const char *path, const char *name)
{
	char sql[200], *v;
	int yes;
	snprintf(sql, sizeof sql, "SELECT (SELECT rowid FROM sqlite_master WHERE"
	         " name = '%s') > (SELECT rowid FROM sqlite_master WHERE"
	         " name = 'traces_count_del')", name);
	v = dump(path, sql);
	yes = !strcmp(v, "1\n");
	free(v);
	return yes;
}

/* One staged row of a test plan: partition k (0..7) and text number x. */
struct plan_row {
	int64_t project_id;
	const char *model, *path;
	int64_t text_id, task;
	enum assign_kind by;
	char vars[32];
};

/* Partition k as build_grouping_db lays it out; text x has id x + 1. */
static struct plan_row plan_row(int k, int x, int64_t task)
{
	struct plan_row r = { k % 2 ? 2 : 1, (k / 2) % 2 ? "n" : "m",
	                      (k / 4) % 2 ? "/b" : "/a", x + 1, task,
	                      x % 2 ? ASSIGN_AUTO : ASSIGN_BATCH, "" };
	snprintf(r.vars, sizeof r.vars, "[\"%d-%d\"]", k, x);
	return r;
}

/* The rows of a plan: nearly every partition and text (most of the
 * table), or only a few; text 9 goes to task 1, which has traces. */
static size_t make_plan(struct plan_row *rows, int sparse, int64_t first_task)
{
	size_t n = 0;

	for (int k = 0; k < 8; k++)
		for (int x = 0; x < 10; x++)
			if (sparse ? (k * 10 + x) % 40 % 36 == 3 : (k * 10 + x) % 16 != 5)
				rows[n++] = plan_row(k, x, x == 9 ? 1 /* holds traces */
				                                  : first_task + (k + x) % 4);
	/* A text no trace has, and a (partition, text) staged twice: the
	 * first row wins, as text by text. */
	rows[n++] = plan_row(0, 11, first_task);
	rows[n++] = plan_row(1, 0, first_task + 3);
	return n;
}

/* Open a grouping run as ops_group does: a journal entry and four new
 * tasks journaled as created.  Returns the journal id; the first task id
 * goes to *first. */
static int64_t begin_run(struct store *s, int64_t *first)
{
	int64_t j;

	assert_int_equal(store_begin(s), 0);
	assert_true((j = store_journal_add(s, "group", "group")) > 0);
	for (int i = 0; i < 4; i++) {
		int64_t id = store_task_create(s, 1 + i % 2, i % 2 ? "n" : "m",
		                               "/a", "Say {var_0}", "say", "batch");
		assert_true(id > 0);
		assert_int_equal(store_journal_task(s, j, id, "deleted", "1", "0"), 0);
		if (i == 0)
			*first = id;
	}
	return j;
}

/* The groupable traces of one text, as a grouping worker gets them. */
struct ids_of {
	int64_t text_id;
	int64_t ids[N_BUILT];
	size_t n;
};

static int take_ids(void *ctx, int64_t text_id, char *text, size_t len,
                    const int64_t *ids, size_t n)
{
	struct ids_of *o = ctx;

	(void)len;
	free(text);
	if (text_id == o->text_id) {
		assert_true(n <= N_BUILT);
		memcpy(o->ids, ids, n * sizeof *ids);
		o->n = n;
	}
	return 0;
}

/* Add the traces of plan row r to batch b, read through the store. */
static void add_row(struct store *s, struct store_assign_batch *b,
                    const struct plan_row *r)
{
	static struct ids_of o;

	o.text_id = r->text_id;
	o.n = 0;
	assert_true(store_ungrouped_texts_take(s, r->project_id, r->model,
	                                       r->path, take_ids, &o) >= 0);
	assert_int_equal(store_assign_batch_add(b, o.ids, o.n, r->task, r->by,
	                                        r->vars), 0);
}

static int64_t apply_bulk(struct store *s, int64_t j, const struct plan_row *r,
                          size_t n)
{
	struct store_assign_batch *b = store_assign_batch_new(s);
	int64_t moved;

	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		add_row(s, b, &r[i]);
	moved = store_assign_batch_apply(b, j);
	store_assign_batch_free(b);
	return moved;
}

static int64_t apply_per_text(struct store *s, int64_t j,
                              const struct plan_row *r, size_t n)
{
	int64_t moved = 0, m;

	for (size_t i = 0; i < n; i++) {
		m = store_assign_text(s, j, r[i].project_id, r[i].model, r[i].path,
		                      r[i].text_id, r[i].task, r[i].by, r[i].vars);
		assert_true(m >= 0);
		moved += m;
	}
	return moved;
}

/* Two databases built alike, one grouped in bulk and one text by text,
 * end identical: traces, journal, counts, schema. */
static void compare_bulk_with_per_text(const char *a_name, const char *b_name,
                                       int sparse)
{
	struct store *a = build_grouping_db(a_name, 1),
	             *b = build_grouping_db(b_name, 1);
	struct plan_row rows[100];
	char *sa[N_STATE], *sb[N_STATE], *fixed = dump(tu_path(dir, a_name), FIXED_SQL);
	int64_t ja, jb, ta, tb, ma, mb;
	size_t n;

	ja = begin_run(a, &ta);
	jb = begin_run(b, &tb);
	assert_int_equal(ja, jb);
	assert_int_equal(ta, tb);
	n = make_plan(rows, sparse, ta);
	ma = apply_bulk(a, ja, rows, n);
	mb = apply_per_text(b, jb, rows, n);
	assert_int_equal(store_commit(a), 0);
	assert_int_equal(store_commit(b), 0);
	assert_true(ma > 0);
	assert_int_equal(ma, mb);
	/* Statistics of the traces' indexes as they were (read before
	 * store_close, whose PRAGMA optimize may analyze again).  The tasks'
	 * rows are left out: their created_at values fall in one millisecond
	 * or two depending on the machine's speed. */
	{
		static const char q[] = "SELECT * FROM sqlite_stat1"
			" WHERE tbl = 'traces' ORDER BY tbl, idx";
		char *stat_a = dump(tu_path(dir, a_name), q),
		     *stat_b = dump(tu_path(dir, b_name), q);
		assert_non_null(strstr(stat_a, "traces_groupable"));
		assert_non_null(strstr(stat_a, "traces_by_task"));
		assert_string_equal(stat_a, stat_b);
		free(stat_a);
		free(stat_b);
	}
	store_close(a);
	store_close(b);

	state_get(tu_path(dir, a_name), sa);
	state_get(tu_path(dir, b_name), sb);
	state_equal_free(sa, sb);
	assert_int_equal(index_rebuilt(tu_path(dir, a_name), "traces_groupable"),
	                 !sparse);
	assert_int_equal(index_rebuilt(tu_path(dir, a_name), "traces_by_task"),
	                 !sparse);
	assert_counts_exact(tu_path(dir, a_name));
	{
		char *after = dump(tu_path(dir, a_name), FIXED_SQL);
		assert_string_equal(fixed, after);
		free(after);
	}
	free(fixed);
}

/* Most texts staged: the whole-table path. */
static void test_bulk_assign_same_as_per_text(void **state)
{
	compare_bulk_with_per_text("bulk-a.db", "bulk-b.db", 0);
}

/* A few texts staged: the indexed path. */
static void test_bulk_assign_few_same_as_per_text(void **state)
{
	compare_bulk_with_per_text("few-a.db", "few-b.db", 1);
}

/* Rolled back, a bulk apply leaves nothing: not the moves, not the
 * journal, not the staged rows, and the schema as it was. */
static void test_bulk_assign_rollback(void **state)
{
	struct store *s = build_grouping_db("bulk-rb.db", 1);
	const char *path = tu_path(dir, "bulk-rb.db");
	struct store_assign_batch *b;
	struct plan_row rows[100];
	char *before[N_STATE], *after[N_STATE];
	int64_t j, first;
	size_t n;

	state_get(path, before);
	j = begin_run(s, &first);
	n = make_plan(rows, 0, first);
	assert_true(apply_bulk(s, j, rows, n) > 0);
	store_rollback(s);
	state_get(path, after);
	state_equal_free(before, after);

	/* Rolled back before apply, with the batch still open. */
	state_get(path, before);
	begin_run(s, &first);
	assert_non_null(b = store_assign_batch_new(s));
	rows[0].task = first;
	add_row(s, b, &rows[0]);
	store_rollback(s);
	store_assign_batch_free(b);

	/* Nothing staged survives into the next transaction. */
	j = begin_run(s, &first);
	assert_int_equal(apply_bulk(s, j, rows, 0), 0);
	store_rollback(s);
	state_get(path, after);
	state_equal_free(before, after);

	/* Outside a transaction there is no batch. */
	assert_null(store_assign_batch_new(s));
	store_close(s);
}

/* The UPDATE of a bulk apply skips the CHECK on assigned_by (its kinds
 * are valid by construction); the connection checks again afterwards, on
 * both paths. */
static void test_bulk_assign_checks_again_after(void **state)
{
	static const char bad[] = "UPDATE traces SET assigned_by = 'bogus'"
		" WHERE id = (SELECT min(id) FROM traces)";
	struct plan_row rows[100];

	for (int sparse = 0; sparse < 2; sparse++) {
		struct store *s = build_grouping_db(sparse ? "chk-b.db" : "chk-a.db",
		                                    1);
		int64_t j, first;
		size_t n;

		j = begin_run(s, &first);
		n = make_plan(rows, sparse, first);
		assert_true(apply_bulk(s, j, rows, n) > 0);
		assert_int_not_equal(store_exec(s, bad), 0);
		assert_non_null(strstr(store_error(s), "CHECK"));
		store_rollback(s);
		store_close(s);
	}
}

/* An apply naming a task that does not exist fails before it changes
 * anything; rows without a task or kind are refused; a batch applies once
 * and only one is open at a time. */
static void test_bulk_assign_failure_changes_nothing(void **state)
{
	struct store *s = build_grouping_db("bulk-fail.db", 0);
	const char *path = tu_path(dir, "bulk-fail.db");
	struct plan_row rows[100];
	char *before[N_STATE], *after[N_STATE];
	int64_t j, first;
	size_t n;

	j = begin_run(s, &first);
	assert_int_equal(store_commit(s), 0);
	state_get(path, before);
	assert_int_equal(store_begin(s), 0);
	n = make_plan(rows, 0, first);
	rows[n / 2].task = 999;
	assert_int_equal(apply_bulk(s, j, rows, n), -1);
	assert_non_null(strstr(store_error(s), "999"));
	{
		struct store_assign_batch *b = store_assign_batch_new(s);
		static const int64_t one = 2;
		assert_non_null(b);
		assert_int_equal(store_assign_batch_add(b, &one, 1, 0, ASSIGN_BATCH,
		                                        NULL), -1);
		assert_int_equal(store_assign_batch_add(b, &one, 1, first,
		                                        ASSIGN_NONE, NULL), -1);
		assert_null(store_assign_batch_new(s));      /* one at a time */
		assert_int_equal(store_assign_batch_apply(b, j), 0);
		assert_int_equal(store_assign_batch_apply(b, j), -1);
		store_assign_batch_free(b);
	}
	assert_int_equal(store_commit(s), 0);
	state_get(path, after);
	state_equal_free(before, after);
	store_close(s);
}

/* A trace that is no longer groupable (in a task already, or placed by
 * hand) fails the apply with a message that says so, and the rollback
 * leaves the database as it was. */
static void test_bulk_assign_not_groupable_fails(void **state)
{
	struct store *s = build_grouping_db("bulk-taken.db", 0);
	const char *path = tu_path(dir, "bulk-taken.db");
	/* trace 12 is in task 1 (i = 11), trace 14 was ungrouped by hand
	 * (i = 13), trace 2 is groupable */
	static const int64_t taken[][2] = { { 2, 12 }, { 2, 14 } };
	char *before[N_STATE], *after[N_STATE];

	state_get(path, before);
	for (int k = 0; k < 2; k++) {
		struct store_assign_batch *b;
		int64_t j, first;
		j = begin_run(s, &first);
		assert_non_null(b = store_assign_batch_new(s));
		assert_int_equal(store_assign_batch_add(b, taken[k], 2, first,
		                                        ASSIGN_BATCH, NULL), 0);
		assert_int_equal(store_assign_batch_apply(b, j), -1);
		assert_non_null(strstr(store_error(s), "1 of 2 traces could move"));
		store_assign_batch_free(b);
		store_rollback(s);
	}
	state_get(path, after);
	state_equal_free(before, after);
	store_close(s);
}

/* Undo after a bulk apply puts every trace back and deletes the run's
 * tasks; redo moves them again, counts exact at every step. */
static void test_bulk_assign_undo_redo(void **state)
{
	struct store *s = build_grouping_db("bulk-undo.db", 0);
	const char *path = tu_path(dir, "bulk-undo.db");
	static const char moves_sql[] =
		"SELECT id, task_id, assigned_by FROM traces ORDER BY id";
	struct plan_row rows[100];
	char *before = dump(path, state_sql[0]), *grouped, *now;
	int64_t j, first, next;
	size_t n;

	j = begin_run(s, &first);
	n = make_plan(rows, 0, first);
	assert_true(apply_bulk(s, j, rows, n) > 0);
	assert_int_equal(store_commit(s), 0);
	assert_true(index_rebuilt(path, "traces_groupable"));
	assert_true(index_rebuilt(path, "traces_by_task"));
	grouped = dump(path, moves_sql);
	assert_counts_exact(path);

	assert_int_equal(store_journal_next(s, 0, &next), 1);
	assert_int_equal(next, j);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_journal_apply(s, j, 0, NULL, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	now = dump(path, state_sql[0]);
	assert_string_equal(now, before);
	free(now);
	assert_counts_exact(path);
	for (int i = 0; i < 4; i++)
		assert_int_equal(task_count(s, first + i), 0);

	assert_int_equal(store_journal_next(s, 1, &next), 1);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_journal_apply(s, j, 1, NULL, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	now = dump(path, moves_sql);
	assert_string_equal(now, grouped);
	assert_counts_exact(path);
	free(now);
	free(grouped);
	free(before);
	store_close(s);
}

/* ---- bulk import ----------------------------------------------------------- */

/* Insert the same traces into `name`, in bulk mode or not: two batches of
 * 2000 with big texts and bodies, some keys repeated, one trace placed in
 * a task by auto-match, one batch output answering a trace of its batch,
 * and a batch rolled back in between.  Returns the database's path. */
static const char *bulk_fill(const char *name, int bulk)
{
	static char big_text[1400], big_raw[3000];
	struct store *s = open_db(name);
	int64_t id, project, task;
	char key[32], text[1500];

	memset(big_text, 'w', sizeof big_text - 1);
	memset(big_raw, ' ', sizeof big_raw - 1);
	big_raw[0] = '{';
	big_raw[sizeof big_raw - 2] = '}';
	assert_int_equal(store_begin(s), 0);
	project = store_project_ensure(s, "p");
	task = store_task_create(s, project, "m", "/v1/x", "Greet {var_0}",
	                         "greet", "manual");
	assert_true(task > 0);
	assert_int_equal(store_commit(s), 0);
	if (bulk)
		assert_int_equal(store_bulk(s, 1), 0);
	for (int batch = 0; batch < 3; batch++) {
		assert_int_equal(store_begin(s), 0);
		for (int i = 0; i < 2000; i++) {
			int k = batch * 2000 + i - (i % 7 == 6 ? 3 : 0);
			struct trace_in t;
			snprintf(key, sizeof key, "key-%d", k);
			snprintf(text, sizeof text, "%d %s", k % 450, big_text);
			t = trace(key, text);
			t.raw = big_raw;
			t.raw_len = sizeof big_raw - 1;
			if (i == 5) {
				t.join_key = "job-5";
				t.task_id = task;
				t.assigned_by = ASSIGN_AUTO;
				t.variables = "[\"Ann\"]";
			}
			assert_true(store_trace_insert(s, &t, &id) > 0);
			if (i == 5)
				assert_int_equal(store_output_insert(s, "out-5", "job-5", "m",
				                                     "hello Ann", "{}", 2),
				                 batch ? STORE_PRESENT : STORE_INSERTED);
		}
		if (batch == 1)
			store_rollback(s);           /* leaves nothing, ids reused */
		else
			assert_int_equal(store_commit(s), 0);
	}
	if (bulk)
		assert_int_equal(store_bulk(s, 0), 0);
	store_close(s);
	return tu_path(dir, name);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* The median distance, in pages, from one leaf page of a table to the
 * next: 1 when they follow each other. */
static long leaf_gap(const char *path, const char *table)
{
	char sql[160], *pages;
	long gap[4096], prev = -1, med;
	size_t n = 0;

	snprintf(sql, sizeof sql, "SELECT pageno FROM dbstat WHERE name = '%s'"
	         " AND pagetype = 'leaf' ORDER BY pageno", table);
	pages = dump(path, sql);

	for (char *p = pages; *p && n < 4096; p = strchr(p, '\n') + 1) {
		long no = strtol(p, NULL, 10);
		if (prev >= 0)
			gap[n++] = no - prev;
		prev = no;
	}
	free(pages);
	assert_true(n >= 8);            /* 3,430 rows: ten leaves of 8 KB or more */
	qsort(gap, n, sizeof *gap, cmp_long);
	med = gap[n / 2];
	return med;
}

static void test_bulk_insert_same_rows_consecutive_pages(void **state)
{
	static const char *const sql[] = {
		"SELECT id, source_key, source_id, join_key, format, project_id, path,"
		" model, text_id, text_source, created_at, task_id, assigned_by,"
		" variables, key_hash, id_hash FROM traces"
		" JOIN trace_sources ON trace_id = id ORDER BY id",
		"SELECT * FROM trace_bodies ORDER BY trace_id",
		"SELECT id, trace_count FROM tasks ORDER BY id",
		"SELECT count(*), max(id) FROM traces",
	};
	char plain_path[4096], bulk_path[4096];
	long plain_gap, bulk_gap;

	snprintf(plain_path, sizeof plain_path, "%s", bulk_fill("plain.db", 0));
	snprintf(bulk_path, sizeof bulk_path, "%s", bulk_fill("bulk.db", 1));
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		char *a = dump(plain_path, sql[i]), *b = dump(bulk_path, sql[i]);
		assert_string_equal(a, b);
		if (i == 2)                     /* the matched trace, twice */
			assert_non_null(strstr(a, "|2\n"));
		if (i == 3)                     /* 2 x 2000 minus the repeats */
			assert_string_equal(a, "3430|3430\n");
		free(a);
		free(b);
	}
	{
		char *out = dump(bulk_path, "SELECT b.output FROM trace_sources o"
		                 " JOIN trace_bodies b ON b.trace_id = o.trace_id"
		                 " WHERE o.join_key = 'job-5' ORDER BY o.trace_id");
		assert_string_equal(out, "hello Ann\nhello Ann\n");   /* kept */
		free(out);
	}
	plain_gap = leaf_gap(plain_path, "traces");
	bulk_gap = leaf_gap(bulk_path, "traces");
	assert_true(plain_gap > 8);      /* texts and bodies between the leaves */
	assert_true(bulk_gap <= 4);      /* at most index pages between them */
	plain_gap = leaf_gap(plain_path, "trace_sources");
	bulk_gap = leaf_gap(bulk_path, "trace_sources");
	assert_true(plain_gap > 8);
	assert_true(bulk_gap <= 4);
}

/* ---- reading a partition's texts ----------------------------------------- */

struct texts_seen {
	char out[1 << 16];
	size_t len;
	char ids[1 << 12];         /* the trace ids handed over, one a line */
	size_t ids_len;
};

static int seen_group(void *ctx, const struct text_group *g)
{
	struct texts_seen *t = ctx;
	t->len += (size_t)snprintf(t->out + t->len, sizeof t->out - t->len,
	                           "%lld %lld %zu %.20s|", (long long)g->text_id,
	                           (long long)g->count, strlen(g->text), g->text);
	return 0;
}

static int seen_take(void *ctx, int64_t text_id, char *text, size_t len,
                     const int64_t *ids, size_t n)
{
	struct texts_seen *t = ctx;
	assert_int_equal(len, strlen(text));
	t->len += (size_t)snprintf(t->out + t->len, sizeof t->out - t->len,
	                           "%lld %zu %zu %.20s|", (long long)text_id, n,
	                           len, text);
	for (size_t i = 0; i < n; i++)
		t->ids_len += (size_t)snprintf(t->ids + t->ids_len,
		                               sizeof t->ids - t->ids_len, "%lld\n",
		                               (long long)ids[i]);
	free(text);
	return 0;
}

/* Both ways of reading a partition's texts give the same texts, counts
 * and order, long texts (overflow pages) included; other partitions and
 * grouped traces stay out.  The trace ids handed over with each text are
 * its groupable traces, in id order. */
static void test_ungrouped_texts_take_same_as_read(void **state)
{
	struct store *s = open_db("take.db");
	static struct texts_seen a, b;
	static char big[20000];
	char key[32], text[20100];
	int64_t id;

	memset(big, 'd', sizeof big - 1);
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 60; i++) {
		struct trace_in t;
		snprintf(key, sizeof key, "t-%d", i);
		snprintf(text, sizeof text, "%s text %d %s", i % 3 ? "short" : "long",
		         i % 25, i % 3 ? "" : big);
		t = trace(key, text);
		if (i % 10 == 9)
			t.model = "other";
		assert_int_equal(store_trace_insert(s, &t, &id), STORE_INSERTED);
	}
	assert_int_equal(store_commit(s), 0);
	assert_true(store_ungrouped_texts(s, 1, "m", "/v1/x", seen_group, &a) > 20);
	assert_true(store_ungrouped_texts_take(s, 1, "m", "/v1/x", seen_take,
	                                       &b) > 20);
	assert_string_equal(a.out, b.out);
	{
		char *want = dump(tu_path(dir, "take.db"), "SELECT id FROM traces"
		                  " WHERE project_id = 1 AND model = 'm'"
		                  " AND path = '/v1/x' AND task_id IS NULL"
		                  " AND assigned_by IS NULL ORDER BY text_id, id");
		assert_true(strlen(want) > 40);
		assert_string_equal(want, b.ids);
		free(want);
	}
	assert_non_null(strstr(a.out, " 20011 long text 0 "));   /* overflowed */
	assert_null(strstr(a.out, " long text 9 "));      /* model "other" only */
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_database_is_current),
		cmocka_unit_test(test_reader_not_locked_with_room),
		cmocka_unit_test(test_open_writes_nothing),
		cmocka_unit_test(test_page_size_new_and_kept),
		cmocka_unit_test(test_random_file_refused_untouched),
		cmocka_unit_test(test_foreign_sqlite_refused_untouched),
		cmocka_unit_test(test_newer_version_refused_untouched),
		cmocka_unit_test(test_upgrade_from_version_1),
		cmocka_unit_test(test_upgrade_from_version_3),
		cmocka_unit_test(test_insert_idempotent_and_texts_shared),
		cmocka_unit_test(test_keyset_pages_cover_everything_once),
		cmocka_unit_test(test_desc_pages_count_and_distinct),
		cmocka_unit_test(test_journal_undo_redo),
		cmocka_unit_test(test_rollback_keeps_nothing),
		cmocka_unit_test(test_batch_output_joins_either_order),
		cmocka_unit_test(test_bulk_insert_same_rows_consecutive_pages),
		cmocka_unit_test(test_ungrouped_texts_take_same_as_read),
		cmocka_unit_test(test_bulk_assign_same_as_per_text),
		cmocka_unit_test(test_bulk_assign_few_same_as_per_text),
		cmocka_unit_test(test_bulk_assign_rollback),
		cmocka_unit_test(test_bulk_assign_failure_changes_nothing),
		cmocka_unit_test(test_bulk_assign_not_groupable_fails),
		cmocka_unit_test(test_bulk_assign_checks_again_after),
		cmocka_unit_test(test_bulk_assign_undo_redo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
