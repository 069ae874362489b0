/*
 * assign.c - bulk assignment: a grouping run's trace -> task moves, kept in
 * memory and applied in a few statements.
 *
 * Grouping a large database assigns hundreds of thousands of traces.  Text
 * by text (store_assign_text) that is two indexed statements per text and a
 * trigger run per trace, scattered over the whole table.  Here the caller
 * hands over the trace ids it read with each text, and a run becomes one
 * journal INSERT and one UPDATE that read the moves, sorted by trace id,
 * through a virtual table over this module's array: no staging table to
 * fill, no join to find the traces again, and the table is visited in rowid
 * order.  The count trigger is set aside for the UPDATE and the counts of
 * the tasks involved are corrected once; when most of the table moves, the
 * groupable and by-task indexes are rebuilt rather than maintained entry by
 * entry.  All of it is plain transactional SQL (DDL included) inside the
 * caller's transaction: a rollback undoes every part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* From this share of the table on (3/5), rebuilding the groupable and
 * by-task indexes beat maintaining them row by row (measured at 1M). */
#define MANY_NUM 3
#define MANY_DEN 5

struct move {
	int64_t trace_id, task_id;
	uint32_t vars;                 /* offset + 1 in strings, 0: NULL */
	const char *by;                /* assign_kind_name(), static */
};

struct task_count {
	int64_t task_id, n;
};

struct store_assign_batch {
	struct store *s;
	struct move *mv;
	size_t n, cap;
	char *strings;                 /* the variables, NUL-terminated, packed */
	size_t used, room;
	struct task_count *tc;         /* per add call, merged at apply */
	size_t ntc, captc;
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

/* ---- the moves as a table ------------------------------------------------ */

/*
 * tg_moves(trace_id, task_id, by, variables): an eponymous, read-only
 * virtual table listing the batch being applied (s->applying), in trace id
 * order.  It only scans; the statements below join it to traces by rowid.
 */
struct moves_vtab {
	sqlite3_vtab base;
	struct store *s;
};

struct moves_cursor {
	sqlite3_vtab_cursor base;
	const struct store_assign_batch *b;
	size_t i;
};

static int moves_connect(sqlite3 *db, void *aux, int argc,
                         const char *const *argv, sqlite3_vtab **out,
                         char **err)
{
	struct moves_vtab *t;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(trace_id INTEGER,"
	                              " task_id INTEGER, by TEXT, variables TEXT)");

	(void)argc;
	(void)argv;
	(void)err;
	if (rc != SQLITE_OK)
		return rc;
	if (!(t = sqlite3_malloc(sizeof *t)))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	t->s = aux;
	*out = &t->base;
	return SQLITE_OK;
}

static int moves_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

/* A full scan, costed by its length: joined to traces, the planner walks
 * it and looks each trace up by rowid. */
static int moves_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	const struct store_assign_batch *b = ((struct moves_vtab *)t)->s->applying;
	double n = b && b->n ? (double)b->n : 1;

	info->estimatedCost = n;
	info->estimatedRows = (sqlite3_int64)n;
	return SQLITE_OK;
}

static int moves_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct moves_cursor *c = sqlite3_malloc(sizeof *c);

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	c->b = ((struct moves_vtab *)t)->s->applying;
	*out = &c->base;
	return SQLITE_OK;
}

static int moves_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int moves_filter(sqlite3_vtab_cursor *c, int idx, const char *idx_str,
                        int argc, sqlite3_value **argv)
{
	(void)idx;
	(void)idx_str;
	(void)argc;
	(void)argv;
	((struct moves_cursor *)c)->i = 0;
	return SQLITE_OK;
}

static int moves_next(sqlite3_vtab_cursor *c)
{
	((struct moves_cursor *)c)->i++;
	return SQLITE_OK;
}

static int moves_eof(sqlite3_vtab_cursor *c)
{
	const struct moves_cursor *m = (struct moves_cursor *)c;
	return !m->b || m->i >= m->b->n;
}

static int moves_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
	const struct moves_cursor *m = (struct moves_cursor *)c;
	const struct move *v = &m->b->mv[m->i];

	switch (col) {
	case 0:
		sqlite3_result_int64(ctx, v->trace_id);
		break;
	case 1:
		sqlite3_result_int64(ctx, v->task_id);
		break;
	case 2:
		sqlite3_result_text(ctx, v->by, -1, SQLITE_STATIC);
		break;
	default:
		if (v->vars)
			sqlite3_result_text(ctx, m->b->strings + v->vars - 1, -1,
			                    SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int moves_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct moves_cursor *)c)->i;
	return SQLITE_OK;
}

static const sqlite3_module moves_module = {
	.xConnect = moves_connect,      /* no xCreate: eponymous only */
	.xBestIndex = moves_best_index,
	.xDisconnect = moves_disconnect,
	.xOpen = moves_open,
	.xClose = moves_close,
	.xFilter = moves_filter,
	.xNext = moves_next,
	.xEof = moves_eof,
	.xColumn = moves_column,
	.xRowid = moves_rowid,
};

/* ---- adding ---------------------------------------------------------------- */

struct store_assign_batch *store_assign_batch_new(struct store *s)
{
	struct store_assign_batch *b;

	if (sqlite3_get_autocommit(s->db) || s->batch) {
		snprintf(s->err, sizeof s->err, "bulk assignment: %s",
		         s->batch ? "a batch is already open" : "no transaction");
		return NULL;
	}
	if (!s->moves_module) {
		if (sqlite3_create_module(s->db, "tg_moves", &moves_module, s) !=
		    SQLITE_OK) {
			store_fail(s, "bulk assignment");
			return NULL;
		}
		s->moves_module = 1;
	}
	if (!(b = calloc(1, sizeof *b))) {
		snprintf(s->err, sizeof s->err, "bulk assignment: out of memory");
		return NULL;
	}
	b->s = s;
	s->batch = b;
	return b;
}

int store_assign_batch_add(struct store_assign_batch *b,
                           const int64_t *trace_ids, size_t n,
                           int64_t task_id, enum assign_kind by,
                           const char *variables)
{
	const char *kind = assign_kind_name(by);
	size_t len = variables ? strlen(variables) + 1 : 0;
	uint32_t vars = 0;

	if (b->applied || task_id <= 0 || !*kind) {
		snprintf(b->s->err, sizeof b->s->err, "bulk assignment: %s",
		         b->applied ? "already applied" : "no task or kind");
		return -1;
	}
	if (!n)
		return 0;
	if (b->used + len >= UINT32_MAX) {
		snprintf(b->s->err, sizeof b->s->err, "bulk assignment: over 4 GB of"
		         " variables in one batch");
		return -1;
	}
	if (store_grow(&b->mv, &b->cap, b->n + n, sizeof *b->mv) != 0 ||
	    store_grow(&b->strings, &b->room, b->used + len, 1) != 0 ||
	    store_grow(&b->tc, &b->captc, b->ntc + 1, sizeof *b->tc) != 0) {
		snprintf(b->s->err, sizeof b->s->err, "bulk assignment: out of"
		         " memory");
		return -1;
	}
	if (variables) {
		memcpy(b->strings + b->used, variables, len);
		vars = (uint32_t)b->used + 1;
		b->used += len;
	}
	for (size_t i = 0; i < n; i++)
		b->mv[b->n + i] = (struct move){ trace_ids[i], task_id, vars, kind };
	b->n += n;
	if (b->ntc && b->tc[b->ntc - 1].task_id == task_id)
		b->tc[b->ntc - 1].n += (int64_t)n;
	else
		b->tc[b->ntc++] = (struct task_count){ task_id, (int64_t)n };
	return 0;
}

/* ---- applying -------------------------------------------------------------- */

/* The moves in trace id order, keeping the order they were added in among
 * moves of one trace: a radix sort, 16 bits a pass, of the ids less their
 * least (one pass up to 65,536 ids apart, two up to 4 billion). */
static int sort_by_trace(struct store_assign_batch *b)
{
	struct move *tmp;
	int64_t lo = b->mv[0].trace_id, hi = lo;
	size_t *count;

	for (size_t i = 1; i < b->n; i++) {
		if (b->mv[i].trace_id < lo)
			lo = b->mv[i].trace_id;
		if (b->mv[i].trace_id > hi)
			hi = b->mv[i].trace_id;
	}
	if (!(tmp = malloc(b->n * sizeof *tmp)) ||
	    !(count = malloc(65536 * sizeof *count))) {
		free(tmp);
		return -1;
	}
	for (unsigned shift = 0; shift < 64 &&
	     ((uint64_t)hi - (uint64_t)lo) >> shift; shift += 16) {
		size_t sum = 0;
		struct move *swap;
		memset(count, 0, 65536 * sizeof *count);
		for (size_t i = 0; i < b->n; i++)
			count[((uint64_t)b->mv[i].trace_id - (uint64_t)lo) >> shift &
			      0xffff]++;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < b->n; i++)
			tmp[count[((uint64_t)b->mv[i].trace_id - (uint64_t)lo) >>
			          shift & 0xffff]++] = b->mv[i];
		swap = b->mv;
		b->mv = tmp;
		tmp = swap;
	}
	free(tmp);
	free(count);
	return 0;
}

static int by_task(const void *x, const void *y)
{
	const struct task_count *a = x, *b = y;
	return a->task_id < b->task_id ? -1 : a->task_id > b->task_id;
}

static struct task_count *task_of(struct store_assign_batch *b, int64_t id)
{
	struct task_count key = { id, 0 };
	return bsearch(&key, b->tc, b->ntc, sizeof *b->tc, by_task);
}

/* The moves in trace id order, a trace listed twice keeping its first
 * task (as text by text, where the first call moves it); the traces moved
 * into each task, one entry per task.  -1: out of memory. */
static int settle(struct store_assign_batch *b)
{
	size_t k = 0, n = 0;

	qsort(b->tc, b->ntc, sizeof *b->tc, by_task);
	for (size_t i = 0; i < b->ntc; i++) {
		if (k && b->tc[k - 1].task_id == b->tc[i].task_id)
			b->tc[k - 1].n += b->tc[i].n;
		else
			b->tc[k++] = b->tc[i];
	}
	b->ntc = k;
	if (sort_by_trace(b) != 0) {
		snprintf(b->s->err, sizeof b->s->err, "bulk assignment: out of"
		         " memory");
		return -1;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (n && b->mv[n - 1].trace_id == b->mv[i].trace_id) {
			task_of(b, b->mv[i].task_id)->n--;
			continue;
		}
		b->mv[n++] = b->mv[i];
	}
	b->n = n;
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

/* Run sql once per task of the batch, ?1 its id and ?2 the traces moved
 * into it; with `exist`, fail on the first task the statement finds no row
 * for.  Tasks moved no trace into are skipped. */
static int per_task(struct store_assign_batch *b, const char *sql, int exist)
{
	struct store *s = b->s;
	sqlite3_stmt *st;
	int rc = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "bulk assignment");
	for (size_t i = 0; !rc && i < b->ntc; i++) {
		int step;
		if (!b->tc[i].n)
			continue;
		sqlite3_bind_int64(st, 1, b->tc[i].task_id);
		if (sqlite3_bind_parameter_count(st) > 1)
			sqlite3_bind_int64(st, 2, b->tc[i].n);
		step = sqlite3_step(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_fail(s, "bulk assignment");
		else if (exist && step != SQLITE_ROW) {
			snprintf(s->err, sizeof s->err, "bulk assignment: no task %lld",
			         (long long)b->tc[i].task_id);
			rc = -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Every task of the batch must exist: checked before anything in the
 * database changes, so that the one error a caller can make fails
 * cleanly. */
static int tasks_exist(struct store_assign_batch *b)
{
	return per_task(b, "SELECT 1 FROM tasks WHERE id = ?1", 1);
}

/* The journal rows, and the moves themselves; a listed trace that is in a
 * task already or was placed by hand is not groupable, and the UPDATE
 * leaves it out (apply then fails). */
static const char journal_moves[] =
	"INSERT INTO journal_moves(journal_id, trace_id, old_task, old_by,"
	" new_task, new_by) SELECT ?1, trace_id, NULL, NULL, task_id, by"
	" FROM tg_moves";
static const char update_moves[] =
	"UPDATE traces SET task_id = m.task_id, assigned_by = m.by,"
	" variables = m.variables FROM tg_moves m"
	" WHERE traces.id = m.trace_id AND traces.task_id IS NULL"
	" AND traces.assigned_by IS NULL";

/*
 * The counts trigger would add one to a task per trace moved in.  Instead,
 * once per task, the number of traces moved into it: every one came from
 * no task, the UPDATE made sure.
 */
static const char counts_after[] =
	"UPDATE tasks SET trace_count = trace_count + ?2 WHERE id = ?1";

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
 * (a third of the UPDATE at 20k).  Every kind in a batch comes from
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
 * drops); the counts are corrected only after a move that succeeded.  On an
 * earlier error, its message is the one kept. */
static int put_back(struct store_assign_batch *b, struct aside *a, int failed)
{
	struct store *s = b->s;
	char err[sizeof s->err];
	int rc = 0;

	memcpy(err, s->err, sizeof err);
	if (!sqlite3_get_autocommit(s->db)) {
		if (a->index && create_index(s, a) != 0)
			rc = -1;
		if (a->trigger && ((!failed && per_task(b, counts_after, 0) != 0) ||
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

/* The journal INSERT and the UPDATE through tg_moves; returns the traces
 * moved or -1. */
static int64_t move(struct store_assign_batch *b, int64_t j)
{
	struct store *s = b->s;
	int64_t moved = -1;

	s->applying = b;
	if (run(s, journal_moves, j) == 0 && run(s, update_moves, 0) == 0) {
		moved = sqlite3_changes64(s->db);
		if ((size_t)moved != b->n) {
			snprintf(s->err, sizeof s->err, "bulk assignment: %lld of %zu"
			         " traces could move; the others are in a task already"
			         " or were placed by hand", (long long)moved, b->n);
			moved = -1;
		}
	}
	s->applying = NULL;
	return moved;
}

int64_t store_assign_batch_apply(struct store_assign_batch *b,
                                 int64_t journal_id)
{
	struct store *s = b->s;
	struct aside a = { .secure_delete = -1, .checks = -1 };
	int64_t traces, moved = -1;

	if (b->applied || sqlite3_get_autocommit(s->db)) {
		snprintf(s->err, sizeof s->err, "bulk assignment: %s",
		         b->applied ? "already applied" : "no transaction");
		return -1;
	}
	b->applied = 1;
	if (!b->n)
		return 0;
	if (settle(b) != 0 || tasks_exist(b) != 0 ||
	    (traces = query_int(s, "SELECT count(*) FROM traces")) < 0)
		return -1;
	if (fast_delete(s, &a) == 0 && skip_checks(s, &a) == 0 &&
	    store_exec(s, "DROP TRIGGER traces_count_upd") == 0) {
		int many = (int64_t)b->n * MANY_DEN >= traces * MANY_NUM;
		a.trigger = 1;
		if (!many || drop_index(s, &a) == 0)
			moved = move(b, journal_id);
	}
	if (put_back(b, &a, moved < 0) != 0)
		moved = -1;
	return moved;
}

void store_assign_batch_free(struct store_assign_batch *b)
{
	if (!b)
		return;
	if (b->s->batch == b)
		b->s->batch = NULL;
	free(b->mv);
	free(b->strings);
	free(b->tc);
	free(b);
}
