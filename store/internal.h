/*
 * internal.h - what the store's modules share and nobody else sees.
 */
#ifndef TRACEGROUP_STORE_INTERNAL_H
#define TRACEGROUP_STORE_INTERNAL_H

#include <sqlite3.h>
#include "store/store.h"

#define STMT_CACHE 128
#define TEXT_CACHE 512          /* recent distinct texts, direct-mapped */
#define TEXT_CACHE_MAX 65536    /* longer texts are not cached */

/* A text recently looked up or inserted, so a run of traces sharing a
 * system prompt costs one lookup.  Verified by content, never by hash. */
struct text_slot {
	int64_t hash, id;
	size_t len;
	char *text;
};

/*
 * Traces a bulk import has accepted but not yet written (traces.c).  They
 * go in at the end of each batch, so that a batch's rows fill consecutive
 * pages of the traces table instead of one page in ten between the texts
 * and bodies written with them: batch grouping rewrites every such page,
 * and the checkpoint after it writes them back in long runs.  Their ids
 * are handed out in advance (the next rowids, as SQLite would); their
 * bodies wait with them and follow them in.
 */
struct pending_trace {
	int64_t id, key_hash, id_hash, project, text_id, task_id;
	int text_source;
	const char *by;                /* assign_kind_name(), static */
	const char *source_key, *source_id, *join_key, *format, *path, *model;
	const char *created_at, *imported_at, *variables;
	const char *first_user, *input, *output, *metadata, *raw;
	size_t raw_len;
	char *buf;                     /* holds the strings above */
};

struct pending {
	int bulk;                      /* store_bulk(s, 1) is in force */
	struct pending_trace *v;
	size_t n, cap, bytes;
	uint32_t *slot;                /* key_hash -> index + 1, open addressing */
	size_t nslot;                  /* a power of two */
	int64_t next_id;               /* next trace id; 0: look it up */
};

/* Write the pending traces (before anything reads traces); 0 or -1. */
int store_pending_flush(struct store *s);
/* Forget them (rollback, close). */
void store_pending_drop(struct store *s);

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	char *locked;                  /* why it reads under an exclusive lock
	                                  (store_open_reader), or NULL */
	int in_tx;
	char err[512];
	struct { const char *sql; sqlite3_stmt *st; } cache[STMT_CACHE];
	struct text_slot texts[TEXT_CACHE];
	int64_t last_project_id;       /* the project last looked up by name */
	char last_project[256];
	struct pending pend;
	struct store_assign_batch *batch;   /* the open bulk assignment */
	const struct store_assign_batch *applying;  /* what tg_moves lists */
	int moves_module;              /* tg_moves registered */
};

/* Forget cached ids (after a rollback they may name rows that are gone). */
void store_forget_cached(struct store *s);

/* A cached, reset statement for a static SQL string; NULL on error. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Record sqlite's current error with a prefix; returns -1. */
int store_fail(struct store *s, const char *what);
/* Room for `need` elements of `size` bytes in the array *arr of *cap
 * (doubling from 256); 0, or -1 out of memory with *arr untouched. */
int store_grow(void *arr, size_t *cap, size_t need, size_t size);
/* Run SQL without results (may hold several statements). */
int store_exec(struct store *s, const char *sql);

/* Binding helpers: NULL strings bind NULL. */
void bind_text(sqlite3_stmt *st, int i, const char *v);
void bind_text0(sqlite3_stmt *st, int i, const char *v);   /* NULL -> "" */
/* Column as a C string or NULL. */
const char *col_text(sqlite3_stmt *st, int i);

/* Step a statement that returns no rows; 0 or -1 (message recorded). */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what);

/* ISO-8601 UTC "now" with milliseconds into buf (>= 32 bytes). */
void store_now(char *buf, size_t n);

/*
 * Copy the strings the n pointers point at into one new buffer (plus
 * `extra` spare bytes at its end, from offset *extra_at) and repoint them
 * there; NULL pointers stay NULL.  Returns the buffer (caller frees) or
 * NULL when out of memory.
 */
char *store_pack(const char **f[], size_t n, size_t extra, size_t *extra_at);

/*
 * Three definitions of schema step 1 that bulk assignment (assign.c) drops
 * and creates again inside its transaction: written once, here, so that
 * the schema text stays byte-identical.  The trigger keeps tasks.trace_count
 * as traces move; the partial index lists the traces grouping may move,
 * the other one each task's traces.
 */
#define STORE_TRIGGER_COUNT_UPD \
	"CREATE TRIGGER traces_count_upd AFTER UPDATE OF task_id ON traces" \
	"  WHEN OLD.task_id IS NOT NEW.task_id BEGIN" \
	"  UPDATE tasks SET trace_count = trace_count - 1 WHERE id = OLD.task_id;" \
	"  UPDATE tasks SET trace_count = trace_count + 1 WHERE id = NEW.task_id; END"
#define STORE_INDEX_BY_TASK \
	"CREATE INDEX traces_by_task ON traces(task_id, id)"
#define STORE_INDEX_GROUPABLE \
	"CREATE INDEX traces_groupable ON traces(project_id, model, path, text_id)" \
	"  WHERE task_id IS NULL AND assigned_by IS NULL"

/* Schema migration (migrate.c). */
int store_migrate(struct store *s, int target, char *err, size_t errlen);

/* 64-bit FNV-1a of a text, as SQLite stores it. */
int64_t store_text_hash(const char *text, size_t len);

#endif
