/*
 * runs.c - grouping runs and the monitoring figures built from them.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store/internal.h"

int store_run_add(struct store *s, const struct run_row *r)
{
	static const char ins[] =
		"INSERT INTO grouping_runs(started_at, kind, threshold, min_cluster,"
		" max_sample, considered, matched, grouped, tasks_created,"
		" ungrouped_after, duration_ms, dry_run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);
	char now[40];

	if (!st)
		return -1;
	store_now(now, sizeof now);
	bind_text(st, 1, r->started_at ? r->started_at : now);
	bind_text(st, 2, r->kind);
	sqlite3_bind_double(st, 3, r->threshold);
	sqlite3_bind_int64(st, 4, r->min_cluster);
	sqlite3_bind_int64(st, 5, r->max_sample);
	sqlite3_bind_int64(st, 6, r->considered);
	sqlite3_bind_int64(st, 7, r->matched);
	sqlite3_bind_int64(st, 8, r->grouped);
	sqlite3_bind_int64(st, 9, r->tasks_created);
	sqlite3_bind_int64(st, 10, r->ungrouped_after);
	sqlite3_bind_double(st, 11, r->duration_ms);
	sqlite3_bind_int(st, 12, r->dry_run);
	return store_step_done(s, st, "grouping run");
}

int store_runs_list(struct store *s, int limit,
                    int (*fn)(void *ctx, const struct run_row *r), void *ctx)
{
	static const char q[] =
		"SELECT id, started_at, kind, threshold, min_cluster, max_sample,"
		" considered, matched, grouped, tasks_created, ungrouped_after,"
		" duration_ms, dry_run FROM grouping_runs ORDER BY id DESC LIMIT ?";
	sqlite3_stmt *st = store_stmt(s, q);
	struct run_row r;
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		r.started_at = col_text(st, 1);
		r.kind = col_text(st, 2);
		r.threshold = sqlite3_column_double(st, 3);
		r.min_cluster = sqlite3_column_int64(st, 4);
		r.max_sample = sqlite3_column_int64(st, 5);
		r.considered = sqlite3_column_int64(st, 6);
		r.matched = sqlite3_column_int64(st, 7);
		r.grouped = sqlite3_column_int64(st, 8);
		r.tasks_created = sqlite3_column_int64(st, 9);
		r.ungrouped_after = sqlite3_column_int64(st, 10);
		r.duration_ms = sqlite3_column_double(st, 11);
		r.dry_run = sqlite3_column_int(st, 12);
		n++;
		if (fn(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "grouping runs");
	sqlite3_reset(st);
	return n;
}

int store_stats(struct store *s, struct store_stats *st)
{
	static const char q[] =
		"SELECT (SELECT count(*) FROM traces),"
		" (SELECT count(*) FROM tasks WHERE deleted = 0),"
		" (SELECT count(*) FROM traces WHERE task_id IS NOT NULL),"
		" (SELECT count(*) FROM traces WHERE task_id IS NULL),"
		" (SELECT count(*) FROM projects),"
		" (SELECT count(*) FROM texts),"
		" (SELECT count(*) FROM traces WHERE assigned_by = 'auto' AND task_id IS NOT NULL),"
		" (SELECT count(*) FROM traces WHERE assigned_by = 'batch' AND task_id IS NOT NULL),"
		" (SELECT count(*) FROM traces WHERE assigned_by = 'manual' AND task_id IS NOT NULL),"
		" (SELECT coalesce(sum(considered), 0) FROM grouping_runs WHERE kind = 'import'),"
		" (SELECT coalesce(sum(matched), 0) FROM grouping_runs WHERE kind = 'import'),"
		" (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)";
	sqlite3_stmt *q_st = store_stmt(s, q);
	int64_t *f[] = { &st->traces, &st->tasks, &st->grouped, &st->ungrouped,
		&st->projects, &st->texts, &st->by_auto, &st->by_batch,
		&st->by_manual, &st->imported_total, &st->imported_matched,
		&st->db_bytes };

	memset(st, 0, sizeof *st);
	if (!q_st)
		return -1;
	if (sqlite3_step(q_st) != SQLITE_ROW)
		return store_fail(s, "statistics");
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] = sqlite3_column_int64(q_st, (int)i);
	sqlite3_reset(q_st);
	return 0;
}
