/*
 * tasks.c - projects and tasks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int store_project_find(struct store *s, const char *name, int64_t *id)
{
	static const char q[] = "SELECT id FROM projects WHERE name = ?";
	sqlite3_stmt *st = store_stmt(s, q);
	int rc;

	if (!st)
		return -1;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "project");
	return rc == SQLITE_ROW;
}

int64_t store_project_ensure(struct store *s, const char *name)
{
	static const char ins[] = "INSERT INTO projects(name) VALUES (?)";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (s->last_project_id && !strcmp(s->last_project, name))
		return s->last_project_id;
	rc = store_project_find(s, name, &id);
	if (rc < 0)
		return 0;
	if (rc == 0) {
		if (!(st = store_stmt(s, ins)))
			return 0;
		bind_text(st, 1, name);
		if (store_step_done(s, st, "project") != 0)
			return 0;
		id = sqlite3_last_insert_rowid(s->db);
	}
	if (strlen(name) < sizeof s->last_project) {
		strcpy(s->last_project, name);
		s->last_project_id = id;
	}
	return id;
}

#define TASK_COLS "SELECT k.id, k.project_id, p.name, k.model, k.path, k.template," \
	" k.name, k.created_at, k.created_by, k.trace_count, k.deleted" \
	" FROM tasks k JOIN projects p ON p.id = k.project_id"

static void task_from(sqlite3_stmt *st, struct task_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->project_id = sqlite3_column_int64(st, 1);
	r->project = col_text(st, 2);
	r->model = col_text(st, 3);
	r->path = col_text(st, 4);
	r->template = col_text(st, 5);
	r->name = col_text(st, 6);
	r->created_at = col_text(st, 7);
	r->created_by = col_text(st, 8);
	r->trace_count = sqlite3_column_int64(st, 9);
	r->deleted = sqlite3_column_int(st, 10);
}

static int run_tasks(struct store *s, sqlite3_stmt *st, struct task_cursor *cur,
                     task_row_fn fn, void *ctx)
{
	struct task_row r;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		task_from(st, &r);
		n++;
		if (cur) {
			cur->started = 1;
			cur->id = r.id;
			cur->count = r.trace_count;
			snprintf(cur->name, sizeof cur->name, "%s", r.name);
			snprintf(cur->created_at, sizeof cur->created_at, "%s",
			         r.created_at);
		}
		if (fn(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read tasks");
	sqlite3_reset(st);
	return n;
}

#define TASK_FILTERS " AND (?1 = 0 OR k.project_id = ?1) AND (?2 IS NULL OR k.model = ?2)" \
	" AND (?3 IS NULL OR k.path = ?3) AND (?4 IS NULL OR instr(lower(k.name), lower(?4)) > 0" \
	" OR instr(lower(k.template), lower(?4)) > 0)"

int store_tasks_page(struct store *s, const struct task_filter *f,
                     struct task_cursor *cur, int limit,
                     task_row_fn fn, void *ctx)
{
	/* Keyset conditions per order; ?5 = started, ?6.. = last row. */
	static const char by_count[] = TASK_COLS " WHERE k.deleted = 0" TASK_FILTERS
		" AND (?5 = 0 OR k.trace_count < ?6 OR (k.trace_count = ?6 AND k.id > ?7))"
		" ORDER BY k.trace_count DESC, k.id LIMIT ?9";
	static const char by_name[] = TASK_COLS " WHERE k.deleted = 0" TASK_FILTERS
		" AND (?5 = 0 OR k.name > ?8 OR (k.name = ?8 AND k.id > ?7))"
		" ORDER BY k.name, k.id LIMIT ?9";
	static const char by_newest[] = TASK_COLS " WHERE k.deleted = 0" TASK_FILTERS
		" AND (?5 = 0 OR k.created_at < ?10 OR (k.created_at = ?10 AND k.id < ?7))"
		" ORDER BY k.created_at DESC, k.id DESC LIMIT ?9";
	static const char by_id[] = TASK_COLS " WHERE k.deleted = 0" TASK_FILTERS
		" AND (?5 = 0 OR k.id > ?7) ORDER BY k.id LIMIT ?9";
	const char *sql = f->sort == TASK_SORT_NAME ? by_name
	                : f->sort == TASK_SORT_NEWEST ? by_newest
	                : f->sort == TASK_SORT_ID ? by_id : by_count;
	struct task_cursor start = { 0 };
	sqlite3_stmt *st = store_stmt(s, sql);

	if (!st)
		return -1;
	if (!cur)
		cur = &start;
	sqlite3_bind_int64(st, 1, f->project_id);
	bind_text(st, 2, f->model);
	bind_text(st, 3, f->path);
	bind_text(st, 4, f->search && *f->search ? f->search : NULL);
	sqlite3_bind_int(st, 5, cur->started);
	sqlite3_bind_int64(st, 6, cur->count);
	sqlite3_bind_int64(st, 7, cur->id);
	sqlite3_bind_text(st, 8, cur->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 9, limit > 0 ? limit : -1);
	sqlite3_bind_text(st, 10, cur->created_at, -1, SQLITE_TRANSIENT);
	return run_tasks(s, st, cur, fn, ctx);
}

int64_t store_task_create(struct store *s, int64_t project_id, const char *model,
                          const char *path, const char *template,
                          const char *name, const char *created_by)
{
	static const char ins[] =
		"INSERT INTO tasks(project_id, model, path, template, name, created_at,"
		" created_by) VALUES (?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);
	char now[40];

	if (!st)
		return 0;
	store_now(now, sizeof now);
	sqlite3_bind_int64(st, 1, project_id);
	bind_text0(st, 2, model);
	bind_text0(st, 3, path);
	bind_text(st, 4, template);
	bind_text(st, 5, name);
	bind_text(st, 6, now);
	bind_text(st, 7, created_by);
	if (store_step_done(s, st, "create task") != 0)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

static int copy_task(struct task_copy *c, const struct task_row *r)
{
	const char **f[] = { &c->row.project, &c->row.model, &c->row.path,
		&c->row.template, &c->row.name, &c->row.created_at,
		&c->row.created_by };

	c->row = *r;
	c->buf = store_pack(f, sizeof f / sizeof f[0], 0, NULL);
	return c->buf ? 0 : -1;
}

void task_copy_clear(struct task_copy *c)
{
	if (!c)
		return;
	free(c->buf);
	memset(c, 0, sizeof *c);
}

int store_task_get(struct store *s, int64_t id, struct task_copy *out)
{
	static const char q[] = TASK_COLS " WHERE k.id = ?";
	sqlite3_stmt *st = store_stmt(s, q);
	struct task_row r;
	int rc, ret;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(s, "read task");
	task_from(st, &r);
	ret = copy_task(out, &r) == 0 ? 1 : -1;
	sqlite3_reset(st);
	return ret;
}

int store_task_set(struct store *s, int64_t id, const char *field,
                   const char *value)
{
	static const char q_name[] = "UPDATE tasks SET name = ?2 WHERE id = ?1";
	static const char q_tmpl[] = "UPDATE tasks SET template = ?2 WHERE id = ?1";
	static const char q_del[] =
		"UPDATE tasks SET deleted = CAST(?2 AS INTEGER) WHERE id = ?1";
	const char *sql = !strcmp(field, "name") ? q_name
	                : !strcmp(field, "template") ? q_tmpl
	                : !strcmp(field, "deleted") ? q_del : NULL;
	sqlite3_stmt *st;

	if (!sql) {
		snprintf(s->err, sizeof s->err, "unknown task field '%s'", field);
		return -1;
	}
	if (!(st = store_stmt(s, sql)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, value);
	return store_step_done(s, st, "update task");
}

int store_tasks_of(struct store *s, int64_t project_id, const char *model,
                   task_row_fn fn, void *ctx)
{
	static const char q[] = TASK_COLS " WHERE k.deleted = 0 AND k.project_id = ?"
		" AND k.model = ? ORDER BY k.id";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, project_id);
	bind_text0(st, 2, model);
	return run_tasks(s, st, NULL, fn, ctx);
}

int store_distinct(struct store *s, const char *column,
                   int (*fn)(void *ctx, const char *value), void *ctx)
{
	static const char q_project[] = "SELECT name FROM projects ORDER BY name";
	static const char q_model[] = "SELECT model FROM tasks WHERE deleted = 0"
		" UNION SELECT model FROM traces INDEXED BY traces_groupable"
		" WHERE task_id IS NULL AND assigned_by IS NULL ORDER BY 1";
	static const char q_path[] = "SELECT path FROM tasks WHERE deleted = 0"
		" UNION SELECT path FROM traces INDEXED BY traces_groupable"
		" WHERE task_id IS NULL AND assigned_by IS NULL ORDER BY 1";
	const char *sql = !strcmp(column, "project") ? q_project
	                : !strcmp(column, "model") ? q_model
	                : !strcmp(column, "path") ? q_path : NULL;
	sqlite3_stmt *st;
	int rc, n = 0;

	if (!sql) {
		snprintf(s->err, sizeof s->err, "no distinct list for '%s'", column);
		return -1;
	}
	if (!(st = store_stmt(s, sql)))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, col_text(st, 0)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "distinct values");
	sqlite3_reset(st);
	return n;
}

int store_task_partitions(struct store *s,
                          int (*fn)(void *ctx, int64_t project_id,
                                    const char *model), void *ctx)
{
	static const char q[] = "SELECT DISTINCT project_id, model FROM tasks"
		" WHERE deleted = 0 ORDER BY project_id, model";
	sqlite3_stmt *st = store_stmt(s, q);
	int rc, n = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, sqlite3_column_int64(st, 0), col_text(st, 1)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read partitions");
	sqlite3_reset(st);
	return n;
}
