/*
 * journal.c - the journal of operations: audit trail, undo and redo.
 *
 * An entry records every trace it moved (old and new task and assignment
 * kind) and every task field it changed, so it can be reversed and replayed
 * exactly.  Undo takes the newest "done" entry; redo the oldest "undone"
 * entry newer than that, so a new operation after an undo ends the redo
 * chain, as in every editor.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"

static const char *actor(void)
{
	static char buf[128];
	const char *u = getenv("USER");
	char host[64] = "";

	if (!u || !*u) {
		struct passwd *pw = getpwuid(getuid());
		u = pw ? pw->pw_name : "unknown";
	}
	gethostname(host, sizeof host - 1);
	snprintf(buf, sizeof buf, "%s@%s", u, host);
	return buf;
}

int64_t store_journal_add(struct store *s, const char *op, const char *summary)
{
	static const char ins[] =
		"INSERT INTO journal(at, op, summary, actor) VALUES (?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);
	char now[40];

	if (!st)
		return 0;
	store_now(now, sizeof now);
	bind_text(st, 1, now);
	bind_text(st, 2, op);
	bind_text(st, 3, summary);
	bind_text(st, 4, actor());
	if (store_step_done(s, st, "journal") != 0)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_journal_task(struct store *s, int64_t j, int64_t task_id,
                       const char *field, const char *old_value,
                       const char *new_value)
{
	static const char ins[] =
		"INSERT INTO journal_tasks(journal_id, seq, task_id, field, old_value,"
		" new_value) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM"
		" journal_tasks WHERE journal_id = ?1), ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = store_stmt(s, ins);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	sqlite3_bind_int64(st, 2, task_id);
	bind_text(st, 3, field);
	bind_text(st, 4, old_value);
	bind_text(st, 5, new_value);
	return store_step_done(s, st, "journal task");
}

int store_journal_summary(struct store *s, int64_t j, const char *summary)
{
	static const char q[] = "UPDATE journal SET summary = ?2 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	bind_text(st, 2, summary);
	return store_step_done(s, st, "journal");
}

int store_journal_drop_if_empty(struct store *s, int64_t j)
{
	static const char q[] =
		"DELETE FROM journal WHERE id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM journal_moves WHERE journal_id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM journal_tasks WHERE journal_id = ?1)";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	return store_step_done(s, st, "journal");
}

int store_journal_next(struct store *s, int redo, int64_t *j)
{
	static const char q_undo[] =
		"SELECT id FROM journal WHERE state = 'done' ORDER BY id DESC LIMIT 1";
	static const char q_redo[] =
		"SELECT id FROM journal WHERE state = 'undone' AND id > coalesce("
		"(SELECT max(id) FROM journal WHERE state = 'done'), 0)"
		" ORDER BY id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, redo ? q_redo : q_undo);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*j = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "journal");
	return rc == SQLITE_ROW;
}

/* Before undoing the creation of a task, every trace still in it (moved
 * there later, e.g. by auto-match on import) joins the entry's moves, so
 * undo leaves no trace in a deleted task and redo puts it back. */
static int capture_created(struct store *s, int64_t j)
{
	static const char q[] =
		"INSERT OR IGNORE INTO journal_moves(journal_id, trace_id, old_task,"
		" old_by, new_task, new_by)"
		" SELECT ?1, t.id, NULL, NULL, t.task_id, t.assigned_by FROM traces t"
		" JOIN journal_tasks jt ON jt.task_id = t.task_id"
		" WHERE jt.journal_id = ?1 AND jt.field = 'deleted' AND jt.old_value = '1'";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	return store_step_done(s, st, "journal capture");
}

static int apply_moves(struct store *s, int64_t j, int redo)
{
	static const char q_undo[] =
		"UPDATE traces SET task_id = m.old_task, assigned_by = m.old_by,"
		" variables = NULL FROM journal_moves m"
		" WHERE m.journal_id = ?1 AND m.trace_id = traces.id";
	static const char q_redo[] =
		"UPDATE traces SET task_id = m.new_task, assigned_by = m.new_by,"
		" variables = NULL FROM journal_moves m"
		" WHERE m.journal_id = ?1 AND m.trace_id = traces.id";
	sqlite3_stmt *st = store_stmt(s, redo ? q_redo : q_undo);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	return store_step_done(s, st, "journal moves");
}

static int apply_tasks(struct store *s, int64_t j, int redo)
{
	static const char q_undo[] = "SELECT task_id, field, old_value FROM"
		" journal_tasks WHERE journal_id = ? ORDER BY seq DESC";
	static const char q_redo[] = "SELECT task_id, field, new_value FROM"
		" journal_tasks WHERE journal_id = ? ORDER BY seq";
	sqlite3_stmt *st;
	int rc;

	/* Not cached: store_task_set runs while this one is stepping. */
	if (sqlite3_prepare_v2(s->db, redo ? q_redo : q_undo, -1, &st, NULL))
		return store_fail(s, "journal tasks");
	sqlite3_bind_int64(st, 1, j);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (store_task_set(s, sqlite3_column_int64(st, 0), col_text(st, 1),
		                   col_text(st, 2)) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "journal tasks");
}

/* Recompute the variables of the traces this entry put into tasks: one
 * pass over its moves ordered by (task, text), so each distinct text is
 * worked out once and each trace written once. */
static int refresh_vars(struct store *s, int64_t j, vars_fn vars, void *ctx)
{
	static const char q[] = "SELECT t.id, t.task_id, t.text_id, x.text"
		" FROM journal_moves m JOIN traces t ON t.id = m.trace_id"
		" JOIN texts x ON x.id = t.text_id"
		" WHERE m.journal_id = ? AND t.task_id IS NOT NULL"
		" ORDER BY t.task_id, t.text_id";
	static const char up[] = "UPDATE traces SET variables = ?2 WHERE id = ?1";
	int64_t task = 0, text = 0;
	char *json = NULL;
	sqlite3_stmt *st, *u;
	int rc;

	if (!vars)
		return 0;
	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "journal");
	sqlite3_bind_int64(st, 1, j);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) != task ||
		    sqlite3_column_int64(st, 2) != text) {
			free(json);
			task = sqlite3_column_int64(st, 1);
			text = sqlite3_column_int64(st, 2);
			json = vars(ctx, task, col_text(st, 3));
		}
		if (!(u = store_stmt(s, up)))
			break;
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(st, 0));
		bind_text(u, 2, json);
		if (store_step_done(s, u, "journal variables") != 0)
			break;
	}
	free(json);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "journal");
}

int store_journal_apply(struct store *s, int64_t j, int redo,
                        vars_fn vars, void *ctx)
{
	static const char mark[] = "UPDATE journal SET state = ?2 WHERE id = ?1";
	sqlite3_stmt *st;

	if (!redo && capture_created(s, j) != 0)
		return -1;
	/* Tasks come back before traces move into them, and go after. */
	if (redo ? apply_tasks(s, j, 1) || apply_moves(s, j, 1)
	         : apply_moves(s, j, 0) || apply_tasks(s, j, 0))
		return -1;
	if (refresh_vars(s, j, vars, ctx) != 0 || !(st = store_stmt(s, mark)))
		return -1;
	sqlite3_bind_int64(st, 1, j);
	bind_text(st, 2, redo ? "done" : "undone");
	return store_step_done(s, st, "journal");
}

static void journal_from(sqlite3_stmt *st, struct journal_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->at = col_text(st, 1);
	r->op = col_text(st, 2);
	r->summary = col_text(st, 3);
	r->actor = col_text(st, 4);
	r->state = col_text(st, 5);
	r->moves = sqlite3_column_int64(st, 6);
}

#define JOURNAL_COLS "SELECT j.id, j.at, j.op, j.summary, j.actor, j.state," \
	" (SELECT count(*) FROM journal_moves m WHERE m.journal_id = j.id)" \
	" FROM journal j"

int store_journal_get(struct store *s, int64_t j, struct journal_row *row,
                      char **buf)
{
	static const char q[] = JOURNAL_COLS " WHERE j.id = ?";
	sqlite3_stmt *st = store_stmt(s, q);
	int rc;

	*buf = NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, j);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_fail(s, "journal");
	}
	journal_from(st, row);
	{
		const char **f[] = { &row->op, &row->summary, &row->at, &row->actor,
		                     &row->state };
		*buf = store_pack(f, sizeof f / sizeof f[0], 0, NULL);
	}
	if (!*buf) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 1;
}

int store_journal_list(struct store *s, int limit,
                       int (*fn)(void *ctx, const struct journal_row *r),
                       void *ctx)
{
	static const char q[] = JOURNAL_COLS " ORDER BY j.id DESC LIMIT ?";
	sqlite3_stmt *st = store_stmt(s, q);
	struct journal_row r;
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		journal_from(st, &r);
		n++;
		if (fn(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "journal");
	sqlite3_reset(st);
	return n;
}
