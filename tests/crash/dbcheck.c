/*
 * dbcheck.c - check a tracegroup database's invariants after a crash or a
 * storage fault, independently of tracegroup's own code.
 *
 * Usage: dbcheck [-d] DB     (-d: also print the digest)
 * Prints one line of key=value figures and exits 0 when every invariant
 * holds, 1 when one is broken (named on stderr), 2 when the file cannot be
 * read as a database.  The invariants:
 *   integrity    PRAGMA integrity_check says "ok"
 *   half         no trace is half-assigned: a task without an assigned_by,
 *                or an automatic assignment (auto / batch) without a task;
 *                nor half-written: every trace has its trace_sources row
 *   dangling     no trace points at a task that does not exist
 *   countbad     every task's trace_count equals its member count
 *   batchorphan  every trace placed by batch grouping has the journal move
 *                that put it there (so undo can reverse it)
 * Figures the caller compares across runs: traces, keys (distinct
 * source_key), tasks (live), emptytasks (live tasks with no member), batch
 * (traces assigned by batch grouping), runs_grouped (sum of "grouped" over
 * the recorded, non-dry group runs), group_runs, group_journal (journal
 * entries of op "group"), and with -d digest: a hash over every row of
 * every table (for "the database is unchanged"; 0 without -d).
 *
 * It opens the file read-write, as any SQLite client would, so a hot WAL
 * left by a killed process is recovered the way tracegroup would recover it.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

static sqlite3 *db;
static int broken;

static long long q(const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "dbcheck: %s: %s\n", sql, sqlite3_errmsg(db));
		broken = 1;
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void expect_zero(const char *name, long long v)
{
	if (v != 0) {
		fprintf(stderr, "dbcheck: invariant %s broken (%lld)\n", name, v);
		broken = 1;
	}
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* Hash of every row of every table, in rowid / primary key order. */
static uint64_t digest(void)
{
	sqlite3_stmt *tabs, *st;
	uint64_t h = 0xcbf29ce484222325ULL;
	char sql[512];

	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = "
	                       "'table' ORDER BY name", -1, &tabs, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tabs, 0);
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1, 2", t);
		h = fnv(h, t, strlen(t) + 1);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			continue;
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const void *v = sqlite3_column_blob(st, i);
				int n = sqlite3_column_bytes(st, i);
				int ty = sqlite3_column_type(st, i);
				h = fnv(h, &ty, sizeof ty);
				if (v)
					h = fnv(h, v, (size_t)n);
			}
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tabs);
	return h;
}

static int integrity_ok(void)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		ok = r && strcmp(r, "ok") == 0;
		if (!ok)
			fprintf(stderr, "dbcheck: integrity_check: %s\n", r ? r : "?");
	}
	sqlite3_finalize(st);
	return ok;
}

int main(int argc, char **argv)
{
	int want_digest = argc == 3 && strcmp(argv[1], "-d") == 0;

	if (argc != 2 && !want_digest) {
		fprintf(stderr, "usage: dbcheck [-d] DB\n");
		return 2;
	}
	argv += want_digest;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "dbcheck: %s: %s\n", argv[1], sqlite3_errmsg(db));
		return 2;
	}
	sqlite3_busy_timeout(db, 20000);
	if (q("SELECT count(*) FROM sqlite_master") < 0)
		return 2;
	int integ = integrity_ok();
	if (!integ)
		broken = 1;
	long long half = q("SELECT count(*) FROM traces WHERE (task_id IS NOT NULL"
	                   " AND assigned_by IS NULL) OR (task_id IS NULL AND"
	                   " assigned_by IN ('auto', 'batch'))"
	                   " OR NOT EXISTS (SELECT 1 FROM trace_sources o"
	                   " WHERE o.trace_id = traces.id)");
	long long dangling = q("SELECT count(*) FROM traces WHERE task_id IS NOT NULL"
	                       " AND task_id NOT IN (SELECT id FROM tasks)");
	long long countbad = q("SELECT count(*) FROM tasks k WHERE trace_count !="
	                       " (SELECT count(*) FROM traces t WHERE t.task_id = k.id)");
	long long orphan = q("SELECT count(*) FROM traces t WHERE assigned_by ="
	                     " 'batch' AND NOT EXISTS (SELECT 1 FROM journal_moves m"
	                     " JOIN journal j ON j.id = m.journal_id WHERE"
	                     " m.trace_id = t.id AND m.new_task = t.task_id AND"
	                     " j.state = 'done')");
	expect_zero("half", half);
	expect_zero("dangling", dangling);
	expect_zero("countbad", countbad);
	expect_zero("batchorphan", orphan);
	printf("integrity=%s traces=%lld keys=%lld tasks=%lld emptytasks=%lld "
	       "batch=%lld auto=%lld runs_grouped=%lld group_runs=%lld "
	       "group_journal=%lld half=%lld dangling=%lld countbad=%lld "
	       "batchorphan=%lld digest=%016" PRIx64 "\n",
	       integ ? "ok" : "BAD",
	       q("SELECT count(*) FROM traces"),
	       q("SELECT count(DISTINCT source_key) FROM trace_sources"),
	       q("SELECT count(*) FROM tasks WHERE deleted = 0"),
	       q("SELECT count(*) FROM tasks WHERE deleted = 0 AND trace_count = 0"),
	       q("SELECT count(*) FROM traces WHERE assigned_by = 'batch'"),
	       q("SELECT count(*) FROM traces WHERE assigned_by = 'auto'"),
	       q("SELECT coalesce(sum(grouped), 0) FROM grouping_runs WHERE"
	         " kind = 'group' AND dry_run = 0"),
	       q("SELECT count(*) FROM grouping_runs WHERE kind = 'group' AND"
	         " dry_run = 0"),
	       q("SELECT count(*) FROM journal WHERE op = 'group'"),
	       half, dangling, countbad, orphan, want_digest ? digest() : 0);
	sqlite3_close(db);
	return broken ? 1 : 0;
}
