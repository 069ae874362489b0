/*
 * assign.c - bulk assignment: a grouping run's (partition, text) -> task
 * decisions staged in a temporary table, then applied in a few statements.
 *
 * Grouping a large database assigns hundreds of thousands of texts.  Text by
 * text (store_assign_text) that is two indexed statements per text and a
 * trigger run per trace, scattered over the whole table.  Here a run becomes
 * one journal INSERT and one UPDATE; the count trigger is set aside for the
 * UPDATE and the counts of the tasks involved are corrected once; when most
 * of the table moves, the statements scan it in rowid order and the
 * groupable index is rebuilt rather than emptied entry by entry.  All of it
 * is plain transactional SQL (DDL included) inside the caller's transaction:
 * a rollback undoes every part, the staging table with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Traces sampled at evenly spaced ids to estimate the share that moves. */
#define SAMPLES 512
#define STR(x) #x
#define XSTR(x) STR(x)
/* From this share of the table on (3/5), scanning it in rowid order and
 * rebuilding the groupable index beat indexed access (measured at 1M). */
#define MANY_NUM 3
#define MANY_DEN 5

struct store_assign_batch {
	struct store *s;
	sqlite3_stmt *add;             /* INSERT into the staging table */
	int64_t staged;                /* rows added (duplicates included) */
	int applied;
};

/* The indexes a run that moves most of the table drops and builds again:
 * built from the table in one sort, rather than emptied (groupable) or
 * filled (by task) entry by entry as each row is rewritten (at 20k,
 * maintaining traces_by_task was a third of the UPDATE). */
static const struct {
	const char *name, *sql;
} rebuilt[] = {
	{ "traces_groupable", STORE_INDEX_GROUPABLE },
	{ "traces_by_task", STORE_INDEX_BY_TASK },
};
#define NREBUILT (sizeof rebuilt / sizeof rebuilt[0])

/* What apply set aside and must put back. */
struct aside {
	int trigger;                   /* traces_count_upd dropped */
	size_t index;                  /* rebuilt[0..index) dropped */
	char *stat[NREBUILT];          /* their sqlite_stat1 rows, if any */
	int secure_delete;             /* the connection's setting */
	int checks;                    /* ignore_check_constraints, the same */
};

/* The staging table, and the trace counts of its tasks before the UPDATE.
 * text_id leads the key: texts are nearly unique across partitions, so a
 * lookup rarely compares the strings. */
static const char create_sql[] =
	"CREATE TEMP TABLE assign_stage ("
	"  text_id    INTEGER NOT NULL,"
	"  project_id INTEGER NOT NULL,"
	"  model      TEXT NOT NULL,"
	"  path       TEXT NOT NULL,"
	"  task_id    INTEGER NOT NULL,"
	"  by         TEXT NOT NULL,"
	"  variables  TEXT,"
	"  PRIMARY KEY (text_id, project_id, model, path)) WITHOUT ROWID;"
	"CREATE TEMP TABLE assign_counts ("
	"  task_id INTEGER PRIMARY KEY,"
	"  before  INTEGER NOT NULL)";

static const char drop_sql[] =
	"DROP TABLE IF EXISTS temp.assign_stage;"
	"DROP TABLE IF EXISTS temp.assign_counts";

struct store_assign_batch *store_assign_batch_new(struct store *s)
{
	/* OR IGNORE: a second row for the same (partition, text) would move
	 * nothing text by text either, the first one having moved them all. */
	static const char add[] =
		"INSERT OR IGNORE INTO temp.assign_stage(text_id, project_id, model,"
		" path, task_id, by, variables) VALUES (?,?,?,?,?,?,?)";
	struct store_assign_batch *b;

	if (sqlite3_get_autocommit(s->db)) {
		snprintf(s->err, sizeof s->err, "bulk assignment: no transaction");
		return NULL;
	}
	if (!(b = calloc(1, sizeof *b))) {
		snprintf(s->err, sizeof s->err, "bulk assignment: out of memory");
		return NULL;
	}
	b->s = s;
	if (store_exec(s, create_sql) != 0) {
		free(b);
		return NULL;
	}
	if (sqlite3_prepare_v2(s->db, add, -1, &b->add, NULL) != SQLITE_OK) {
		store_fail(s, "bulk assignment");
		store_assign_batch_free(b);
		return NULL;
	}
	return b;
}

int store_assign_batch_add(struct store_assign_batch *b, int64_t project_id,
                           const char *model, const char *path,
                           int64_t text_id, int64_t task_id,
                           enum assign_kind by, const char *variables)
{
	sqlite3_stmt *st = b->add;

	if (b->applied || task_id <= 0 || !*assign_kind_name(by)) {
		snprintf(b->s->err, sizeof b->s->err, "bulk assignment: %s",
		         b->applied ? "already applied" : "no task or kind");
		return -1;
	}
	sqlite3_bind_int64(st, 1, text_id);
	sqlite3_bind_int64(st, 2, project_id);
	bind_text0(st, 3, model);
	bind_text0(st, 4, path);
	sqlite3_bind_int64(st, 5, task_id);
	bind_text(st, 6, assign_kind_name(by));
	bind_text(st, 7, variables);
	if (store_step_done(b->s, st, "bulk assignment") != 0)
		return -1;
	b->staged++;
	return 0;
}

/* Run one statement with ?1 bound to j (when it has a ?1). */
static int run(struct store *s, const char *sql, int64_t j)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "bulk assignment");
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, j);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(s, "bulk assignment");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* The integer a one-value query returns (-1 on error). */
static int64_t query_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "bulk assignment");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		store_fail(s, "bulk assignment");
	sqlite3_finalize(st);
	return v;
}

/* Every staged task (listed by counts_before) must exist: checked before
 * anything in the database changes, so that the one error a caller can
 * make fails cleanly. */
static int tasks_exist(struct store *s)
{
	static const char q[] =
		"SELECT coalesce((SELECT c.task_id FROM temp.assign_counts c"
		" WHERE NOT EXISTS (SELECT 1 FROM tasks k WHERE k.id = c.task_id)"
		" LIMIT 1), 0)";
	int64_t missing = query_int(s, q);

	if (missing > 0)
		snprintf(s->err, sizeof s->err, "bulk assignment: no task %lld",
		         (long long)missing);
	return missing == 0 ? 0 : -1;
}

/* How many of SAMPLES traces at evenly spaced ids would move: a cheap and
 * good estimate of the share of the table the run touches. */
static int64_t sampled_moves(struct store *s)
{
	static const char q[] =
		"WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k"
		"  WHERE i + 1 < " XSTR(SAMPLES) ")"
		" SELECT count(*) FROM k CROSS JOIN traces t"
		" CROSS JOIN temp.assign_stage a"
		" WHERE t.id = 1 + k.i * (SELECT max(id) FROM traces) / " XSTR(SAMPLES)
		" AND a.text_id = t.text_id AND a.project_id = t.project_id"
		" AND a.model = t.model AND a.path = t.path"
		" AND t.task_id IS NULL AND t.assigned_by IS NULL";

	return query_int(s, q);
}

/* Joins of a staged row a with the groupable traces it moves. */
#define STAGED_T " a.text_id = t.text_id AND a.project_id = t.project_id" \
	" AND a.model = t.model AND a.path = t.path" \
	" AND t.task_id IS NULL AND t.assigned_by IS NULL"
#define STAGED_TRACES " a.text_id = traces.text_id" \
	" AND a.project_id = traces.project_id AND a.model = traces.model" \
	" AND a.path = traces.path" \
	" AND traces.task_id IS NULL AND traces.assigned_by IS NULL"
#define JOURNAL_INTO "INSERT INTO journal_moves(journal_id, trace_id," \
	" old_task, old_by, new_task, new_by)" \
	" SELECT ?1, t.id, NULL, NULL, a.task_id, a.by"

/* Most of the table moves: both statements walk it in rowid order. */
static const char journal_scan[] = JOURNAL_INTO
	" FROM traces t NOT INDEXED CROSS JOIN temp.assign_stage a WHERE" STAGED_T;
static const char update_scan[] =
	"UPDATE traces NOT INDEXED SET task_id = a.task_id, assigned_by = a.by,"
	" variables = a.variables FROM temp.assign_stage a WHERE" STAGED_TRACES;

/* A smaller share: the journal finds the traces through the groupable
 * index, and the UPDATE visits exactly the traces journaled, in id order.
 * (Moves journaled earlier under j are no longer groupable: not rewritten.) */
static const char journal_index[] = JOURNAL_INTO
	" FROM temp.assign_stage a CROSS JOIN traces t INDEXED BY traces_groupable"
	" WHERE" STAGED_T;
static const char update_journaled[] =
	"UPDATE traces NOT INDEXED SET task_id = a.task_id, assigned_by = a.by,"
	" variables = a.variables FROM journal_moves m, temp.assign_stage a"
	" WHERE m.journal_id = ?1 AND traces.id = m.trace_id AND" STAGED_TRACES;

/*
 * The counts trigger would add one to a task per trace moved in.  Instead:
 * the number of traces of each staged task before the UPDATE, and after it
 * trace_count += after - before.  Same result, counted through
 * traces_by_task once per task rather than updated once per trace.
 */
static const char counts_before[] =
	"INSERT INTO temp.assign_counts(task_id, before)"
	" SELECT d.task_id, (SELECT count(*) FROM traces t"
	"  WHERE t.task_id = d.task_id)"
	" FROM (SELECT DISTINCT task_id FROM temp.assign_stage) d";
static const char counts_after[] =
	"UPDATE tasks SET trace_count = trace_count - c.before"
	" + (SELECT count(*) FROM traces t WHERE t.task_id = c.task_id)"
	" FROM temp.assign_counts c WHERE tasks.id = c.task_id";

static int set_pragma(struct store *s, const char *name, int value)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA %s = %d", name, value);
	return store_exec(s, sql);
}

/* secure_delete (on in Debian's SQLite) zeroes and writes every page the
 * run frees: here only copies of what stays in the table (emptied index
 * pages, earlier versions of the moved rows).  FAST still clears deleted
 * content inside pages that are written anyway. */
static int fast_delete(struct store *s, struct aside *a)
{
	a->secure_delete = (int)query_int(s, "PRAGMA secure_delete");
	if (a->secure_delete < 0)
		return -1;
	return store_exec(s, "PRAGMA secure_delete = FAST");
}

/* The one CHECK the UPDATE would test, assigned_by IN ('auto', 'batch',
 * 'manual'), SQLite builds a table of those three words for at every row
 * (a third of the UPDATE at 20k).  Every staged kind comes from
 * assign_kind_name(), one of the three: the UPDATE skips the test. */
static int skip_checks(struct store *s, struct aside *a)
{
	a->checks = (int)query_int(s, "PRAGMA ignore_check_constraints");
	if (a->checks < 0)
		return -1;
	return store_exec(s, "PRAGMA ignore_check_constraints = 1");
}

/* Is any other statement of this connection running?  DROP INDEX is then
 * refused (SQLITE_LOCKED), so the index is kept and maintained instead. */
static int statements_running(struct store *s)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st;
	     st = sqlite3_next_stmt(s->db, st))
		if (sqlite3_stmt_busy(st))
			return 1;
	return 0;
}

/* Keep the indexes' sqlite_stat1 rows (DROP INDEX deletes them), so the
 * planner's statistics end as they were. */
static int stat_save(struct store *s, struct aside *a)
{
	static const char q[] = "SELECT stat FROM sqlite_stat1"
		" WHERE tbl = 'traces' AND idx = ?";
	sqlite3_stmt *st;
	int rc;

	rc = (int)query_int(s, "SELECT count(*) FROM sqlite_master"
	                    " WHERE type = 'table' AND name = 'sqlite_stat1'");
	if (rc <= 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "bulk assignment");
	for (size_t i = 0; i < NREBUILT; i++) {
		bind_text(st, 1, rebuilt[i].name);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW && col_text(st, 0) &&
		    !(a->stat[i] = strdup(col_text(st, 0))))
			rc = SQLITE_NOMEM;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "bulk assignment: statistics");
		return -1;
	}
	return 0;
}

static int drop_index(struct store *s, struct aside *a)
{
	if (statements_running(s))
		return 0;
	if (stat_save(s, a) != 0)
		return -1;
	for (; a->index < NREBUILT; a->index++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DROP INDEX %s", rebuilt[a->index].name);
		if (store_exec(s, sql) != 0)
			return -1;
	}
	return 0;
}

/* Build the indexes again from their one definition each, give them back
 * their statistics rows and have the planner reread them. */
static int create_index(struct store *s, struct aside *a)
{
	static const char ins[] = "INSERT INTO sqlite_stat1(tbl, idx, stat)"
		" VALUES ('traces', ?, ?)";
	sqlite3_stmt *st;
	size_t n = a->index;
	int rc = SQLITE_DONE, stats = 0;

	for (size_t i = 0; i < n; i++) {
		if (store_exec(s, rebuilt[i].sql) != 0)
			return -1;
		stats |= a->stat[i] != NULL;
	}
	a->index = 0;
	if (!stats)
		return 0;
	if (sqlite3_prepare_v2(s->db, ins, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "bulk assignment");
	for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
		if (!a->stat[i])
			continue;
		bind_text(st, 1, rebuilt[i].name);
		bind_text(st, 2, a->stat[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "bulk assignment");
	return store_exec(s, "ANALYZE sqlite_master");
}

/* Put back what was set aside, in the caller's transaction if it is still
 * open (after some errors SQLite has rolled it back, and with it the
 * drops).  On an earlier error, its message is the one kept. */
static int put_back(struct store *s, struct aside *a, int failed)
{
	char err[sizeof s->err];
	int rc = 0;

	memcpy(err, s->err, sizeof err);
	if (!sqlite3_get_autocommit(s->db)) {
		if (a->index && create_index(s, a) != 0)
			rc = -1;
		if (a->trigger && (run(s, counts_after, 0) != 0 ||
		                   store_exec(s, STORE_TRIGGER_COUNT_UPD) != 0))
			rc = -1;
	}
	if (a->secure_delete >= 0 &&
	    set_pragma(s, "secure_delete", a->secure_delete) != 0)
		rc = -1;
	if (a->checks >= 0 &&
	    set_pragma(s, "ignore_check_constraints", a->checks) != 0)
		rc = -1;
	for (size_t i = 0; i < NREBUILT; i++)
		free(a->stat[i]);
	if (failed)
		memcpy(s->err, err, sizeof err);
	return rc;
}

/* The journal INSERT and the UPDATE; returns the traces moved or -1. */
static int64_t move(struct store *s, int64_t j, int many)
{
	int64_t moved;

	if (run(s, many ? journal_scan : journal_index, j) != 0)
		return -1;
	moved = sqlite3_changes64(s->db);
	if (run(s, many ? update_scan : update_journaled, j) != 0)
		return -1;
	if (sqlite3_changes64(s->db) != moved) {
		snprintf(s->err, sizeof s->err, "bulk assignment: %lld traces"
		         " journaled but %lld moved", (long long)moved,
		         (long long)sqlite3_changes64(s->db));
		return -1;
	}
	return moved;
}

int64_t store_assign_batch_apply(struct store_assign_batch *b,
                                 int64_t journal_id)
{
	struct store *s = b->s;
	struct aside a = { .secure_delete = -1, .checks = -1 };
	int64_t sampled, moved = -1;

	if (b->applied || sqlite3_get_autocommit(s->db)) {
		snprintf(s->err, sizeof s->err, "bulk assignment: %s",
		         b->applied ? "already applied" : "no transaction");
		return -1;
	}
	b->applied = 1;
	if (!b->staged)
		return 0;
	if (run(s, counts_before, 0) != 0 || tasks_exist(s) != 0 ||
	    (sampled = sampled_moves(s)) < 0)
		return -1;
	if (fast_delete(s, &a) == 0 && skip_checks(s, &a) == 0 &&
	    store_exec(s, "DROP TRIGGER traces_count_upd") == 0) {
		int many = sampled * MANY_DEN >= SAMPLES * MANY_NUM;
		a.trigger = 1;
		if (!many || drop_index(s, &a) == 0)
			moved = move(s, journal_id, many);
	}
	if (put_back(s, &a, moved < 0) != 0)
		moved = -1;
	return moved;
}

void store_assign_batch_free(struct store_assign_batch *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->add);
	/* Gone already if the transaction was rolled back. */
	sqlite3_exec(b->s->db, drop_sql, NULL, NULL, NULL);
	free(b);
}
