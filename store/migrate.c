/*
 * migrate.c - the schema, as numbered forward-only steps.
 *
 * Step N brings a database from user_version N-1 to N.  Each step runs in
 * its own transaction together with the user_version bump, so a database is
 * always at exactly one version.  Steps are never edited once released: a
 * change to the schema is a new step at the end.
 */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

/* The triggers that keep tasks.trace_count, for every version of traces. */
#define TRACES_COUNT_TRIGGERS \
	"CREATE TRIGGER traces_count_ins AFTER INSERT ON traces" \
	"  WHEN NEW.task_id IS NOT NULL BEGIN" \
	"  UPDATE tasks SET trace_count = trace_count + 1 WHERE id = NEW.task_id; END;" \
	STORE_TRIGGER_COUNT_UPD ";" \
	"CREATE TRIGGER traces_count_del AFTER DELETE ON traces" \
	"  WHEN OLD.task_id IS NOT NULL BEGIN" \
	"  UPDATE tasks SET trace_count = trace_count - 1 WHERE id = OLD.task_id; END;"

/* 1: the initial schema. */
static const char step1[] =
"CREATE TABLE projects ("
"  id   INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE);"
/* Distinct grouping texts: thousands of traces share one system prompt. */
"CREATE TABLE texts ("
"  id   INTEGER PRIMARY KEY,"
"  hash INTEGER NOT NULL,"
"  text TEXT NOT NULL);"
"CREATE INDEX texts_hash ON texts(hash);"
"CREATE TABLE tasks ("
"  id          INTEGER PRIMARY KEY,"
"  project_id  INTEGER NOT NULL REFERENCES projects(id),"
"  model       TEXT NOT NULL DEFAULT '',"
"  template    TEXT NOT NULL,"
"  name        TEXT NOT NULL,"
"  created_at  TEXT NOT NULL,"
"  created_by  TEXT NOT NULL,"
"  trace_count INTEGER NOT NULL DEFAULT 0,"
"  deleted     INTEGER NOT NULL DEFAULT 0);"
"CREATE INDEX tasks_partition ON tasks(project_id, model) WHERE deleted = 0;"
"CREATE INDEX tasks_by_count ON tasks(trace_count DESC, id) WHERE deleted = 0;"
"CREATE INDEX tasks_by_name ON tasks(name, id) WHERE deleted = 0;"
"CREATE INDEX tasks_by_newest ON tasks(created_at DESC, id DESC) WHERE deleted = 0;"
"CREATE TABLE traces ("
"  id          INTEGER PRIMARY KEY,"
"  source_key  TEXT NOT NULL,"
"  key_hash    INTEGER NOT NULL DEFAULT 0,"
"  source_id   TEXT,"
"  id_hash     INTEGER,"
"  join_key    TEXT,"
"  format      TEXT,"
"  project_id  INTEGER NOT NULL REFERENCES projects(id),"
"  path        TEXT NOT NULL DEFAULT '',"
"  model       TEXT NOT NULL DEFAULT '',"
"  text_id     INTEGER REFERENCES texts(id),"
"  text_source INTEGER NOT NULL DEFAULT 0,"
"  created_at  TEXT,"
"  imported_at TEXT NOT NULL,"
"  task_id     INTEGER REFERENCES tasks(id),"
"  assigned_by TEXT CHECK (assigned_by IN ('auto', 'batch', 'manual')),"
"  variables   TEXT);"
STORE_INDEX_BY_TASK ";"
/* The bulky, never-updated part of a trace lives apart, so the rows that
 * grouping rewrites and the lists page through stay small. */
"CREATE TABLE trace_bodies ("
"  trace_id    INTEGER PRIMARY KEY REFERENCES traces(id),"
"  first_user  TEXT,"
"  input       TEXT,"
"  output      TEXT,"
"  metadata    TEXT,"
"  raw         BLOB NOT NULL);"
/* Keys are found through 64-bit hashes (then compared in full): the
 * indexes stay a fraction of the size of indexes on the key texts, so a
 * large import keeps them in cache. */
"CREATE INDEX traces_key ON traces(key_hash);"
"CREATE INDEX traces_source_id ON traces(id_hash) WHERE id_hash IS NOT NULL;"
"CREATE INDEX traces_join ON traces(join_key) WHERE join_key IS NOT NULL;"
/* What batch grouping and match scan: shrinks as traces are grouped. */
STORE_INDEX_GROUPABLE ";"
/* trace_count is kept by the database itself, whatever code moves traces. */
TRACES_COUNT_TRIGGERS
"CREATE TABLE journal ("
"  id      INTEGER PRIMARY KEY,"
"  at      TEXT NOT NULL,"
"  op      TEXT NOT NULL,"
"  summary TEXT NOT NULL,"
"  actor   TEXT,"
"  state   TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone')));"
"CREATE TABLE journal_moves ("
"  journal_id INTEGER NOT NULL REFERENCES journal(id),"
"  trace_id   INTEGER NOT NULL,"
"  old_task   INTEGER,"
"  old_by     TEXT,"
"  new_task   INTEGER,"
"  new_by     TEXT,"
"  PRIMARY KEY (journal_id, trace_id)) WITHOUT ROWID;"
"CREATE TABLE journal_tasks ("
"  journal_id INTEGER NOT NULL REFERENCES journal(id),"
"  seq        INTEGER NOT NULL,"
"  task_id    INTEGER NOT NULL,"
"  field      TEXT NOT NULL,"
"  old_value  TEXT,"
"  new_value  TEXT,"
"  PRIMARY KEY (journal_id, seq)) WITHOUT ROWID;"
"CREATE TABLE grouping_runs ("
"  id              INTEGER PRIMARY KEY,"
"  started_at      TEXT NOT NULL,"
"  kind            TEXT NOT NULL,"
"  threshold       REAL,"
"  min_cluster     INTEGER,"
"  max_sample      INTEGER,"
"  considered      INTEGER NOT NULL DEFAULT 0,"
"  matched         INTEGER NOT NULL DEFAULT 0,"
"  grouped         INTEGER NOT NULL DEFAULT 0,"
"  tasks_created   INTEGER NOT NULL DEFAULT 0,"
"  ungrouped_after INTEGER NOT NULL DEFAULT 0,"
"  duration_ms     REAL NOT NULL DEFAULT 0,"
"  dry_run         INTEGER NOT NULL DEFAULT 0);";

/* 2: tasks gain the endpoint path they were grouped under, so grouping and
 * matching can partition by path (the seed design's migration). */
static const char step2[] =
"ALTER TABLE tasks ADD COLUMN path TEXT NOT NULL DEFAULT '';"
"UPDATE tasks SET path = coalesce((SELECT t.path FROM traces t"
"  WHERE t.task_id = tasks.id GROUP BY t.path"
"  ORDER BY count(*) DESC, t.path LIMIT 1), '');";

/* 3: batch results kept for requests imported later, and an index for the
 * task filters by path. */
static const char step3[] =
"CREATE TABLE batch_outputs ("
"  id          INTEGER PRIMARY KEY,"
"  source_key  TEXT NOT NULL UNIQUE,"
"  join_key    TEXT NOT NULL,"
"  model       TEXT,"
"  output      TEXT,"
"  raw         BLOB NOT NULL,"
"  imported_at TEXT NOT NULL);"
"CREATE INDEX batch_outputs_join ON batch_outputs(join_key);"
"CREATE INDEX tasks_by_path ON tasks(path) WHERE deleted = 0;";

/* 4: a trace's keys and timestamps move to trace_sources, leaving traces
 * the columns grouping reads and rewrites (partition, text, task): about
 * 40 bytes a row instead of 200, so the bulk UPDATE of a grouping run
 * rewrites a quarter of the pages (20k traces: 112 leaves instead of 493).  The table is rebuilt the way SQLite documents (new table,
 * copy, drop, rename) with foreign keys off, which store_migrate sees to;
 * ids are kept, so every reference stays valid. */
static const char step4[] =
"CREATE TABLE trace_sources ("
"  trace_id    INTEGER PRIMARY KEY REFERENCES traces(id),"
"  key_hash    INTEGER NOT NULL DEFAULT 0,"
"  source_key  TEXT NOT NULL,"
"  id_hash     INTEGER,"
"  source_id   TEXT,"
"  join_key    TEXT,"
"  format      TEXT,"
"  created_at  TEXT,"
"  imported_at TEXT NOT NULL);"
"INSERT INTO trace_sources(trace_id, key_hash, source_key, id_hash, source_id,"
"  join_key, format, created_at, imported_at)"
"  SELECT id, key_hash, source_key, id_hash, source_id, join_key, format,"
"  created_at, imported_at FROM traces ORDER BY id;"
"CREATE TABLE traces_narrow ("
"  id          INTEGER PRIMARY KEY,"
"  project_id  INTEGER NOT NULL REFERENCES projects(id),"
"  path        TEXT NOT NULL DEFAULT '',"
"  model       TEXT NOT NULL DEFAULT '',"
"  text_id     INTEGER REFERENCES texts(id),"
"  text_source INTEGER NOT NULL DEFAULT 0,"
"  task_id     INTEGER REFERENCES tasks(id),"
"  assigned_by TEXT CHECK (assigned_by IN ('auto', 'batch', 'manual')),"
"  variables   TEXT);"
"INSERT INTO traces_narrow(id, project_id, path, model, text_id, text_source,"
"  task_id, assigned_by, variables)"
"  SELECT id, project_id, path, model, text_id, text_source, task_id,"
"  assigned_by, variables FROM traces ORDER BY id;"
"DROP TABLE traces;"
"ALTER TABLE traces_narrow RENAME TO traces;"
STORE_INDEX_BY_TASK ";"
STORE_INDEX_GROUPABLE ";"
TRACES_COUNT_TRIGGERS
/* Keys are found through 64-bit hashes (then compared in full), as before. */
"CREATE INDEX trace_sources_key ON trace_sources(key_hash);"
"CREATE INDEX trace_sources_id ON trace_sources(id_hash)"
"  WHERE id_hash IS NOT NULL;"
"CREATE INDEX trace_sources_join ON trace_sources(join_key)"
"  WHERE join_key IS NOT NULL";

static const char *const steps[] = { NULL, step1, step2, step3, step4 };

int store_migrate(struct store *s, int target, char *err, size_t errlen)
{
	int ver = store_schema_version(s);
	char sql[64];

	if (target > STORE_SCHEMA_VERSION)
		target = STORE_SCHEMA_VERSION;
	if (ver < target && s->readonly) {
		snprintf(err, errlen, "%s: the database needs an upgrade (schema "
		         "%d to %d) but is read-only", s->path, ver, target);
		return -1;
	}
	/* A step may rebuild a table others refer to: foreign keys are off
	 * while steps run (the pragma is a no-op inside a transaction). */
	if (ver < target && store_exec(s, "PRAGMA foreign_keys=OFF") != 0) {
		snprintf(err, errlen, "%s: upgrade: %s", s->path, s->err);
		return -1;
	}
	for (int v = ver + 1; v <= target; v++) {
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
		if (store_exec(s, "BEGIN IMMEDIATE") != 0 ||
		    store_exec(s, steps[v]) != 0 || store_exec(s, sql) != 0 ||
		    store_exec(s, "COMMIT") != 0) {
			snprintf(err, errlen, "%s: upgrade to schema %d failed: %s",
			         s->path, v, s->err);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
			return -1;
		}
	}
	if (ver < target && store_exec(s, "PRAGMA foreign_keys=ON") != 0) {
		snprintf(err, errlen, "%s: upgrade: %s", s->path, s->err);
		return -1;
	}
	return 0;
}
