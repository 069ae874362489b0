/*
 * traces.c - inserting, reading and paging traces; distinct texts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define FROM_TRACES \
	" FROM traces t JOIN projects p ON p.id = t.project_id" \
	" JOIN trace_sources o ON o.trace_id = t.id" \
	" LEFT JOIN texts x ON x.id = t.text_id" \
	" LEFT JOIN tasks k ON k.id = t.task_id"
#define FROM_TRACES_FULL FROM_TRACES \
	" LEFT JOIN trace_bodies b ON b.trace_id = t.id"

/* Column order read by row_from(). Lists read previews only. */
#define COLS_LIST "SELECT t.id, o.source_id, p.name, t.path, t.model, o.format," \
	" substr(x.text, 1, 400), t.text_source, t.text_id, NULL," \
	" NULL, NULL, NULL, NULL, o.created_at, o.imported_at, t.task_id," \
	" t.assigned_by, t.variables, k.template" FROM_TRACES
#define COLS_FULL "SELECT t.id, o.source_id, p.name, t.path, t.model, o.format," \
	" x.text, t.text_source, t.text_id, b.first_user," \
	" b.input, b.output, b.metadata, b.raw, o.created_at, o.imported_at, t.task_id," \
	" t.assigned_by, t.variables, k.template" FROM_TRACES_FULL

#define FILTERS " AND (?3 = 0 OR t.project_id = ?3) AND (?4 IS NULL OR t.model = ?4)" \
	" AND (?5 IS NULL OR t.path = ?5) ORDER BY t.id LIMIT ?2"

static enum assign_kind assign_parse(const char *s)
{
	if (!s)
		return ASSIGN_NONE;
	if (!strcmp(s, "auto"))
		return ASSIGN_AUTO;
	if (!strcmp(s, "batch"))
		return ASSIGN_BATCH;
	return !strcmp(s, "manual") ? ASSIGN_MANUAL : ASSIGN_NONE;
}

static void row_from(sqlite3_stmt *st, struct trace_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->source_id = col_text(st, 1);
	r->project = col_text(st, 2);
	r->path = col_text(st, 3);
	r->model = col_text(st, 4);
	r->format = col_text(st, 5);
	r->text = col_text(st, 6);
	r->text_source = sqlite3_column_int(st, 7);
	r->text_id = sqlite3_column_int64(st, 8);
	r->first_user = col_text(st, 9);
	r->input = col_text(st, 10);
	r->output = col_text(st, 11);
	r->metadata = col_text(st, 12);
	r->raw = sqlite3_column_blob(st, 13);
	r->raw_len = (size_t)sqlite3_column_bytes(st, 13);
	r->created_at = col_text(st, 14);
	r->imported_at = col_text(st, 15);
	r->task_id = sqlite3_column_int64(st, 16);
	r->assigned_by = assign_parse(col_text(st, 17));
	r->variables = col_text(st, 18);
	r->task_template = col_text(st, 19);
}

static struct text_slot *text_slot(struct store *s, int64_t h)
{
	return &s->texts[(uint64_t)h % TEXT_CACHE];
}

static void text_remember(struct store *s, int64_t h, const char *text,
                          size_t len, int64_t id)
{
	struct text_slot *c = text_slot(s, h);

	if (len > TEXT_CACHE_MAX)
		return;
	free(c->text);
	if (!(c->text = malloc(len + 1))) {
		memset(c, 0, sizeof *c);
		return;
	}
	memcpy(c->text, text, len + 1);
	c->hash = h;
	c->len = len;
	c->id = id;
}

/* Id of a distinct text, inserted when new; 0 on error. */
static int64_t text_ensure(struct store *s, const char *text)
{
	static const char q[] = "SELECT id, text FROM texts WHERE hash = ?";
	static const char ins[] = "INSERT INTO texts(hash, text) VALUES (?, ?)";
	size_t len = strlen(text);
	int64_t h = store_text_hash(text, len), id = 0;
	struct text_slot *c = text_slot(s, h);
	sqlite3_stmt *st;
	int rc;

	if (c->text && c->hash == h && c->len == len && !memcmp(c->text, text, len))
		return c->id;
	if (!(st = store_stmt(s, q)))
		return 0;
	sqlite3_bind_int64(st, 1, h);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(st, 1) == len &&
		    memcmp(col_text(st, 1), text, len) == 0) {
			id = sqlite3_column_int64(st, 0);
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, "texts"), 0;
	if (!id) {
		if (!(st = store_stmt(s, ins)))
			return 0;
		sqlite3_bind_int64(st, 1, h);
		sqlite3_bind_text(st, 2, text, (int)len, SQLITE_STATIC);
		if (store_step_done(s, st, "texts") != 0)
			return 0;
		id = sqlite3_last_insert_rowid(s->db);
	}
	text_remember(s, h, text, len, id);
	return id;
}

static int key_lookup(struct store *s, const char *sql, const char *key,
                      int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "lookup");
	return rc == SQLITE_ROW;
}

/* An output imported before its request, matching its join key and model. */
static const char *pending_output(struct store *s, const char *join_key,
                                  const char *model)
{
	static const char q[] =
		"SELECT output FROM batch_outputs WHERE join_key = ?1"
		" AND (?2 IS NULL OR model IS NULL OR substr(model, 1, length(?2)) = ?2)"
		" ORDER BY id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return NULL;
	bind_text(st, 1, join_key);
	bind_text(st, 2, model && *model ? model : NULL);
	return sqlite3_step(st) == SQLITE_ROW ? col_text(st, 0) : NULL;
}

/* ---- traces waiting for the end of a bulk batch (see internal.h) ---- */

static int insert_body(struct store *s, int64_t id, const char *first_user,
                       const char *input, const char *output,
                       const char *metadata, const char *raw, size_t raw_len);

#define PENDING_MAX 8192        /* rows held before they are written anyway */
#define PENDING_BYTES (8 << 20) /* and bytes */

static size_t pending_home(const struct pending *p, int64_t key_hash)
{
	return (size_t)((uint64_t)key_hash * 0x9e3779b97f4a7c15ULL >> 20) &
	       (p->nslot - 1);
}

/* The pending trace with this key, or NULL. */
static const struct pending_trace *pending_find(const struct pending *p,
                                                const char *key,
                                                int64_t key_hash)
{
	if (!p->n)
		return NULL;
	for (size_t i = pending_home(p, key_hash); p->slot[i];
	     i = (i + 1) & (p->nslot - 1)) {
		const struct pending_trace *t = &p->v[p->slot[i] - 1];
		if (t->key_hash == key_hash && !strcmp(t->source_key, key))
			return t;
	}
	return NULL;
}

/* Room for one more pending trace; -1 when out of memory. */
static int pending_reserve(struct pending *p)
{
	if (store_grow(&p->v, &p->cap, p->n + 1, sizeof *p->v) != 0)
		return -1;
	if (!p->nslot || (p->n + 1) * 2 > p->nslot) {
		size_t n = p->nslot ? p->nslot * 2 : 1024;
		uint32_t *slot = calloc(n, sizeof *slot);
		if (!slot)
			return -1;
		free(p->slot);
		p->slot = slot;
		p->nslot = n;
		for (size_t k = 0; k < p->n; k++) {
			size_t i = pending_home(p, p->v[k].key_hash);
			while (p->slot[i])
				i = (i + 1) & (p->nslot - 1);
			p->slot[i] = (uint32_t)k + 1;
		}
	}
	return 0;
}

static void pending_clear(struct pending *p)
{
	for (size_t k = 0; k < p->n; k++)
		free(p->v[k].buf);
	if (p->n && p->slot)
		memset(p->slot, 0, p->nslot * sizeof *p->slot);
	p->n = 0;
	p->bytes = 0;
}

void store_pending_drop(struct store *s)
{
	pending_clear(&s->pend);
	s->pend.next_id = 0;
}

/* Insert one traces row; t->id 0 lets SQLite number it.  Returns the id
 * or 0 on error. */
static int64_t insert_row(struct store *s, const struct pending_trace *t)
{
	static const char ins[] =
		"INSERT INTO traces(id, project_id, path, model, text_id,"
		" text_source, task_id, assigned_by, variables)"
		" VALUES (?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);
	int rc;

	if (!st)
		return 0;
	if (t->id)
		sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, t->project);
	bind_text0(st, 3, t->path);
	bind_text0(st, 4, t->model);
	if (t->text_id)
		sqlite3_bind_int64(st, 5, t->text_id);
	sqlite3_bind_int(st, 6, t->text_source);
	if (t->task_id > 0) {
		sqlite3_bind_int64(st, 7, t->task_id);
		bind_text(st, 8, t->by);
		bind_text(st, 9, t->variables);
	}
	rc = store_step_done(s, st, "insert trace");
	sqlite3_clear_bindings(st);
	return rc ? 0 : sqlite3_last_insert_rowid(s->db);
}

/* Its keys and timestamps: the trace_sources row of trace id. */
static int insert_source(struct store *s, int64_t id,
                         const struct pending_trace *t)
{
	static const char ins[] =
		"INSERT INTO trace_sources(trace_id, key_hash, source_key, id_hash,"
		" source_id, join_key, format, created_at, imported_at)"
		" VALUES (?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, t->key_hash);
	bind_text(st, 3, t->source_key);
	if (t->source_id)
		sqlite3_bind_int64(st, 4, t->id_hash);
	bind_text(st, 5, t->source_id);
	bind_text(st, 6, t->join_key);
	bind_text(st, 7, t->format);
	bind_text(st, 8, t->created_at);
	bind_text(st, 9, t->imported_at);
	rc = store_step_done(s, st, "insert trace");
	sqlite3_clear_bindings(st);
	return rc;
}

/* Each table's rows of the batch together, so that each table's pages
 * fill one after the other. */
int store_pending_flush(struct store *s)
{
	struct pending *p = &s->pend;

	for (size_t k = 0; k < p->n; k++)
		if (!insert_row(s, &p->v[k]))
			return -1;
	for (size_t k = 0; k < p->n; k++)
		if (insert_source(s, p->v[k].id, &p->v[k]) != 0)
			return -1;
	for (size_t k = 0; k < p->n; k++) {
		const struct pending_trace *t = &p->v[k];
		if (insert_body(s, t->id, t->first_user, t->input, t->output,
		                t->metadata, t->raw, t->raw_len) != 0)
			return -1;
	}
	pending_clear(p);
	return 0;
}

/* Is a trace with this key present?  Sets *hash for the insert. */
static int find_key(struct store *s, const char *key, int64_t *hash,
                    int64_t *id)
{
	static const char q[] =
		"SELECT trace_id, source_key FROM trace_sources WHERE key_hash = ?";
	sqlite3_stmt *st = store_stmt(s, q);
	const struct pending_trace *p;
	int rc, found = 0;

	*hash = store_text_hash(key, strlen(key));
	if ((p = pending_find(&s->pend, key, *hash))) {
		*id = p->id;
		return 1;
	}
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, *hash);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!strcmp(col_text(st, 1), key)) {
			*id = sqlite3_column_int64(st, 0);
			found = 1;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "lookup");
	return found;
}

static int insert_body(struct store *s, int64_t id, const char *first_user,
                       const char *input, const char *output,
                       const char *metadata, const char *raw, size_t raw_len)
{
	static const char ins[] =
		"INSERT INTO trace_bodies(trace_id, first_user, input, output, metadata,"
		" raw) VALUES (?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, ins);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, first_user);
	bind_text(st, 3, input);
	if (output)
		sqlite3_bind_text(st, 4, output, -1, SQLITE_TRANSIENT);
	bind_text(st, 5, metadata);
	sqlite3_bind_blob(st, 6, raw ? raw : "", (int)raw_len, SQLITE_STATIC);
	return store_step_done(s, st, "insert trace");
}

/* Bulk mode: the trace waits (see internal.h); its body goes in now. */
/* The traces row of t, its strings still t's. */
static struct pending_trace row_of(const struct trace_in *t, int64_t project,
                                   int64_t text_id, int64_t key_hash,
                                   const char *now, const char *output)
{
	struct pending_trace r = { .key_hash = key_hash, .project = project,
		.text_id = text_id,
		.text_source = text_id ? (int)t->text_source : TEXT_NONE,
		.source_key = t->source_key, .source_id = t->source_id,
		.join_key = t->join_key, .format = t->format, .path = t->path,
		.model = t->model, .created_at = t->created_at, .imported_at = now,
		.first_user = t->first_user, .input = t->input, .output = output,
		.metadata = t->metadata, .raw = t->raw,
		.raw_len = t->raw ? t->raw_len : 0 };

	if (t->source_id)
		r.id_hash = store_text_hash(t->source_id, strlen(t->source_id));
	if (t->task_id > 0) {
		r.task_id = t->task_id;
		r.by = assign_kind_name(t->assigned_by);
		r.variables = t->variables;
	}
	return r;
}

static int trace_hold(struct store *s, const struct trace_in *t,
                      int64_t project, int64_t text_id, int64_t key_hash,
                      const char *now, const char *output, int64_t *id)
{
	struct pending *p = &s->pend;
	struct pending_trace *q;
	size_t i;

	if ((p->n >= PENDING_MAX || p->bytes >= PENDING_BYTES) &&
	    store_pending_flush(s) != 0)
		return -1;
	if (!p->next_id) {
		static const char q_next[] =
			"SELECT coalesce(max(id), 0) + 1 FROM traces";
		sqlite3_stmt *st = store_stmt(s, q_next);
		if (!st || sqlite3_step(st) != SQLITE_ROW)
			return store_fail(s, "insert trace");
		p->next_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (pending_reserve(p) != 0) {
		snprintf(s->err, sizeof s->err, "insert trace: out of memory");
		return -1;
	}
	q = &p->v[p->n];
	*q = row_of(t, project, text_id, key_hash, now, output);
	q->id = p->next_id;
	{
		const char **f[] = { &q->source_key, &q->source_id, &q->join_key,
			&q->format, &q->path, &q->model, &q->created_at,
			&q->imported_at, &q->variables, &q->first_user, &q->input,
			&q->output, &q->metadata };
		size_t at;
		if (!(q->buf = store_pack(f, sizeof f / sizeof f[0], q->raw_len,
		                          &at))) {
			snprintf(s->err, sizeof s->err, "insert trace: out of memory");
			return -1;
		}
		if (q->raw_len)
			memcpy(q->buf + at, t->raw, q->raw_len);
		q->raw = q->buf + at;
		p->bytes += at + q->raw_len;
	}
	for (i = pending_home(p, key_hash); p->slot[i]; i = (i + 1) & (p->nslot - 1))
		;
	p->slot[i] = (uint32_t)p->n + 1;
	p->n++;
	*id = p->next_id++;
	return STORE_INSERTED;
}

int store_trace_insert(struct store *s, const struct trace_in *t, int64_t *id)
{
	char now[40];
	int64_t project, text_id = 0, key_hash;
	const char *output = t->output;
	struct pending_trace r;
	int found = find_key(s, t->source_key, &key_hash, id);

	if (found != 0)
		return found < 0 ? -1 : STORE_PRESENT;
	project = store_project_ensure(s, t->project && *t->project ? t->project
	                                                            : "default");
	if (!project)
		return -1;
	if (t->text && *t->text && !(text_id = text_ensure(s, t->text)))
		return -1;
	if (!output && t->join_key)
		output = pending_output(s, t->join_key, t->model);
	store_now(now, sizeof now);
	if (s->pend.bulk && s->in_tx)
		return trace_hold(s, t, project, text_id, key_hash, now, output, id);
	r = row_of(t, project, text_id, key_hash, now, output);
	if (!(*id = insert_row(s, &r)) || insert_source(s, *id, &r) != 0)
		return -1;
	return insert_body(s, *id, r.first_user, r.input, r.output, r.metadata,
	                   r.raw, r.raw_len) == 0 ? STORE_INSERTED : -1;
}

/* Attach an output to the request(s) it answers that have none yet. */
static int attach_output(struct store *s, const char *join_key,
                         const char *model, const char *output)
{
	static const char upd[] =
		"UPDATE trace_bodies SET output = ?3 WHERE trace_id = (SELECT t.id"
		" FROM trace_sources o JOIN traces t ON t.id = o.trace_id"
		" JOIN trace_bodies b ON b.trace_id = t.id"
		" WHERE o.join_key = ?1 AND b.output IS NULL AND (?2 IS NULL"
		" OR t.model = '' OR substr(?2, 1, length(t.model)) = t.model)"
		" ORDER BY t.id LIMIT 1)";
	sqlite3_stmt *st = store_stmt(s, upd);

	if (!st)
		return -1;
	bind_text(st, 1, join_key);
	bind_text(st, 2, model && *model ? model : NULL);
	bind_text(st, 3, output);
	return store_step_done(s, st, "attach output");
}

int store_output_insert(struct store *s, const char *source_key,
                        const char *join_key, const char *model,
                        const char *output, const char *raw, size_t raw_len)
{
	static const char ins[] =
		"INSERT INTO batch_outputs(source_key, join_key, model, output, raw,"
		" imported_at) VALUES (?,?,?,?,?,?)";
	char now[40];
	sqlite3_stmt *st;
	int found;

	if (store_pending_flush(s) != 0)     /* the output may answer one */
		return -1;
	found = key_lookup(s, "SELECT id FROM batch_outputs WHERE source_key = ?",
	                   source_key, NULL);

	if (found != 0)
		return found < 0 ? -1 : STORE_PRESENT;
	if (!(st = store_stmt(s, ins)))
		return -1;
	store_now(now, sizeof now);
	bind_text(st, 1, source_key);
	bind_text(st, 2, join_key ? join_key : "");
	bind_text(st, 3, model);
	bind_text(st, 4, output);
	sqlite3_bind_blob(st, 5, raw ? raw : "", (int)raw_len, SQLITE_STATIC);
	bind_text(st, 6, now);
	if (store_step_done(s, st, "insert output") != 0)
		return -1;
	if (output && join_key && attach_output(s, join_key, model, output) != 0)
		return -1;
	return STORE_INSERTED;
}

/* ---- copies --------------------------------------------------------------- */

/* Copy the strings of a row into one buffer owned by c. */
static int copy_row(struct trace_copy *c, const struct trace_row *r)
{
	const char **f[] = { &c->row.source_id, &c->row.project, &c->row.path,
		&c->row.model, &c->row.format, &c->row.text, &c->row.first_user,
		&c->row.input, &c->row.output, &c->row.metadata, &c->row.created_at,
		&c->row.imported_at, &c->row.variables, &c->row.task_template };
	size_t at;

	c->row = *r;
	if (!(c->buf = store_pack(f, sizeof f / sizeof f[0], r->raw_len + 1, &at)))
		return -1;
	if (r->raw) {                  /* raw may hold NUL bytes: copy by length */
		memcpy(c->buf + at, r->raw, r->raw_len);
		c->buf[at + r->raw_len] = '\0';
		c->row.raw = c->buf + at;
	}
	return 0;
}

void trace_copy_clear(struct trace_copy *c)
{
	if (!c)
		return;
	free(c->buf);
	memset(c, 0, sizeof *c);
}

int store_trace_get(struct store *s, int64_t id, struct trace_copy *out)
{
	static const char q[] = COLS_FULL " WHERE t.id = ?";
	sqlite3_stmt *st = store_stmt(s, q);
	struct trace_row r;
	int rc, ret;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(s, "read trace");
	row_from(st, &r);
	ret = copy_row(out, &r) == 0 ? 1 : -1;
	sqlite3_reset(st);
	return ret;
}

static int source_id_lookup(struct store *s, const char *ref, int64_t *id)
{
	static const char q[] = "SELECT trace_id FROM trace_sources"
		" WHERE id_hash = ?1 AND source_id = ?2 ORDER BY trace_id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, q);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, store_text_hash(ref, strlen(ref)));
	bind_text(st, 2, ref);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "lookup");
	return rc == SQLITE_ROW;
}

int store_trace_lookup(struct store *s, const char *ref, int64_t *id)
{
	char *end;
	const char *num = ref[0] == '#' ? ref + 1 : ref;
	long long v = strtoll(num, &end, 10);
	int rc;

	rc = source_id_lookup(s, ref, id);
	if (rc != 0 && ref[0] != '#')
		return rc;
	if (*num && !*end && v > 0) {
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", v);
		return key_lookup(s, "SELECT id FROM traces WHERE id = CAST(? AS INTEGER)",
		                  buf, id);
	}
	return rc;
}

/* ---- pages ---------------------------------------------------------------- */

static int run_rows(struct store *s, sqlite3_stmt *st, trace_row_fn fn,
                    void *ctx)
{
	struct trace_row r;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		row_from(st, &r);
		if (fn(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read traces");
	sqlite3_reset(st);
	return n;
}

/* The six forms of a page query: [task / ungrouped / all][list / full]. */
struct page_sql {
	const char *sql[3][2];
};

/* Run one page query: ?1 the keyset bound, ?2 the limit, ?3..?5 the
 * filters, ?6 the task. */
static int page_query(struct store *s, const struct page_sql *q,
                      const struct trace_filter *f, int64_t key, int limit,
                      int full, trace_row_fn fn, void *ctx)
{
	int kind = f->task_id > 0 ? 0 : f->task_id < 0 ? 1 : 2;
	sqlite3_stmt *st = store_stmt(s, q->sql[kind][full ? 1 : 0]);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int64(st, 3, f->project_id);
	bind_text(st, 4, f->model);
	bind_text(st, 5, f->path);
	if (f->task_id > 0)
		sqlite3_bind_int64(st, 6, f->task_id);
	return run_rows(s, st, fn, ctx);
}

#define TASK_IS " WHERE t.task_id = ?6 AND"
#define NO_TASK " WHERE t.task_id IS NULL AND"
#define ANY_TASK " WHERE"
#define AFTER " t.id > ?1"
#define FILTERS_DESC " AND (?3 = 0 OR t.project_id = ?3) AND (?4 IS NULL OR t.model = ?4)" \
	" AND (?5 IS NULL OR t.path = ?5) ORDER BY t.id DESC LIMIT ?2"
#define BEFORE " t.id < (CASE WHEN ?1 > 0 THEN ?1 ELSE 9223372036854775807 END)"

int store_traces_page(struct store *s, const struct trace_filter *f,
                      int64_t after_id, int limit, int full,
                      trace_row_fn fn, void *ctx)
{
	static const struct page_sql q = { {
		{ COLS_LIST TASK_IS AFTER FILTERS, COLS_FULL TASK_IS AFTER FILTERS },
		{ COLS_LIST NO_TASK AFTER FILTERS, COLS_FULL NO_TASK AFTER FILTERS },
		{ COLS_LIST ANY_TASK AFTER FILTERS, COLS_FULL ANY_TASK AFTER FILTERS } } };

	return page_query(s, &q, f, after_id, limit, full, fn, ctx);
}

int store_traces_page_desc(struct store *s, const struct trace_filter *f,
                           int64_t before_id, int limit, int full,
                           trace_row_fn fn, void *ctx)
{
	static const struct page_sql q = { {
		{ COLS_LIST TASK_IS BEFORE FILTERS_DESC, COLS_FULL TASK_IS BEFORE FILTERS_DESC },
		{ COLS_LIST NO_TASK BEFORE FILTERS_DESC, COLS_FULL NO_TASK BEFORE FILTERS_DESC },
		{ COLS_LIST ANY_TASK BEFORE FILTERS_DESC, COLS_FULL ANY_TASK BEFORE FILTERS_DESC } } };

	return page_query(s, &q, f, before_id, limit, full, fn, ctx);
}

int store_traces_count(struct store *s, const struct trace_filter *f,
                       int64_t *n)
{
	static const char q[] = "SELECT count(*) FROM traces t"
		" WHERE (?1 = 0 OR (?1 > 0 AND t.task_id = ?1) OR (?1 < 0 AND t.task_id IS NULL))"
		" AND (?2 = 0 OR t.project_id = ?2) AND (?3 IS NULL OR t.model = ?3)"
		" AND (?4 IS NULL OR t.path = ?4)";
	static const char q_none[] = "SELECT count(*) FROM traces t"
		" WHERE t.task_id IS NULL"
		" AND (?2 = 0 OR t.project_id = ?2) AND (?3 IS NULL OR t.model = ?3)"
		" AND (?4 IS NULL OR t.path = ?4)";
	static const char q_task[] = "SELECT count(*) FROM traces t"
		" WHERE t.task_id = ?1"
		" AND (?2 = 0 OR t.project_id = ?2) AND (?3 IS NULL OR t.model = ?3)"
		" AND (?4 IS NULL OR t.path = ?4)";
	sqlite3_stmt *st = store_stmt(s, f->task_id > 0 ? q_task
	                                 : f->task_id < 0 ? q_none : q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->task_id);
	sqlite3_bind_int64(st, 2, f->project_id);
	bind_text(st, 3, f->model);
	bind_text(st, 4, f->path);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, "count");
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_traces_all(struct store *s, trace_row_fn fn, void *ctx)
{
	static const char q[] = COLS_FULL " ORDER BY t.id";
	sqlite3_stmt *st = store_stmt(s, q);

	return st ? run_rows(s, st, fn, ctx) : -1;
}

/* ---- grouping access ---------------------------------------------------------- */

static int run_groups(struct store *s, sqlite3_stmt *st, text_group_fn fn,
                      void *ctx)
{
	struct text_group g;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		g.project_id = sqlite3_column_int64(st, 0);
		g.project = col_text(st, 1);
		g.model = col_text(st, 2);
		g.path = col_text(st, 3);
		g.text_id = sqlite3_column_int64(st, 4);
		g.text = col_text(st, 5);
		g.count = sqlite3_column_int64(st, 6);
		n++;
		if (fn(ctx, &g))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read ungrouped");
	sqlite3_reset(st);
	return n;
}

int store_ungrouped_partitions(struct store *s, int64_t project_id,
                               text_group_fn fn, void *ctx)
{
	static const char q[] =
		"SELECT g.project_id, p.name, g.model, g.path, 0, NULL, g.n"
		" FROM (SELECT project_id, model, path, count(*) AS n"
		"       FROM traces INDEXED BY traces_groupable"
		"       WHERE task_id IS NULL AND assigned_by IS NULL"
		"         AND text_id IS NOT NULL AND (?1 = 0 OR project_id = ?1)"
		"       GROUP BY project_id, model, path) g"
		" JOIN projects p ON p.id = g.project_id"
		" ORDER BY g.project_id, g.model, g.path";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, project_id);
	return run_groups(s, st, fn, ctx);
}

/* The groupable traces of partition (?1, ?2, ?3); one row per text. */
#define PARTITION_TRACES \
	" FROM traces INDEXED BY traces_groupable" \
	" WHERE task_id IS NULL AND assigned_by IS NULL" \
	"   AND text_id IS NOT NULL AND project_id = ?1 AND model = ?2" \
	"   AND path = ?3"
#define PARTITION_TEXTS PARTITION_TRACES " GROUP BY text_id ORDER BY text_id"

/* Statement q (over PARTITION_TRACES) with the partition bound. */
static sqlite3_stmt *partition_stmt(struct store *s, const char *q,
                                    int64_t project_id, const char *model,
                                    const char *path)
{
	sqlite3_stmt *st = store_stmt(s, q);

	if (st) {
		sqlite3_bind_int64(st, 1, project_id);
		bind_text0(st, 2, model);
		bind_text0(st, 3, path);
	}
	return st;
}

int store_ungrouped_texts(struct store *s, int64_t project_id,
                          const char *model, const char *path,
                          text_group_fn fn, void *ctx)
{
	/* The groups come out of the index in text_id order and each text is
	 * looked up once per group: a join on a materialised subquery would
	 * sort every text through a temporary b-tree. */
	static const char q[] =
		"SELECT project_id, (SELECT name FROM projects WHERE id = project_id),"
		" model, path, text_id, (SELECT text FROM texts WHERE id = text_id),"
		" count(*)" PARTITION_TEXTS;
	sqlite3_stmt *st = partition_stmt(s, q, project_id, model, path);

	return st ? run_groups(s, st, fn, ctx) : -1;
}

/* Read text `id` through *blob (opened on first use) into a malloc'd,
 * NUL-terminated buffer; NULL on error (message in s->err). */
static char *take_text(struct store *s, sqlite3_blob **blob, int64_t id,
                       size_t *len)
{
	int rc = *blob ? sqlite3_blob_reopen(*blob, id)
	               : sqlite3_blob_open(s->db, "main", "texts", "text", id, 0,
	                                   blob);
	char *buf;
	int n;

	if (rc != SQLITE_OK) {
		store_fail(s, "read ungrouped");
		return NULL;
	}
	n = sqlite3_blob_bytes(*blob);
	if (!(buf = malloc((size_t)n + 1))) {
		snprintf(s->err, sizeof s->err, "read ungrouped: out of memory");
		return NULL;
	}
	if (sqlite3_blob_read(*blob, buf, n, 0) != SQLITE_OK) {
		store_fail(s, "read ungrouped");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

int store_ungrouped_texts_take(struct store *s, int64_t project_id,
                               const char *model, const char *path,
                               text_take_fn fn, void *ctx)
{
	/* One row per trace, in text order from the index: the traces of a
	 * text are gathered, then the text is read with incremental blob I/O,
	 * straight from its pages into the buffer fn keeps (a text column
	 * would be assembled in a buffer of SQLite's first and copied again). */
	static const char q[] =
		"SELECT text_id, id" PARTITION_TRACES " ORDER BY text_id, id";
	sqlite3_stmt *st = partition_stmt(s, q, project_id, model, path);
	sqlite3_blob *blob = NULL;
	int64_t *ids = NULL, text = 0;
	size_t n = 0, cap = 0;
	int rc = SQLITE_ROW, texts = 0, bad = 0, stop = 0;

	if (!st)
		return -1;
	while (!bad && !stop) {
		int64_t tid = 0, id = 0;
		if (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			tid = sqlite3_column_int64(st, 0);
			id = sqlite3_column_int64(st, 1);
		} else if (rc != SQLITE_DONE) {
			bad = store_fail(s, "read ungrouped") != 0;
			break;
		}
		if (n && (rc != SQLITE_ROW || tid != text)) {
			size_t len;
			char *buf = take_text(s, &blob, text, &len);
			if (!buf) {
				bad = 1;
				break;
			}
			texts++;
			stop = fn(ctx, text, buf, len, ids, n) != 0;
			n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		if (store_grow(&ids, &cap, n + 1, sizeof *ids) != 0) {
			snprintf(s->err, sizeof s->err, "read ungrouped: out of memory");
			bad = 1;
			break;
		}
		text = tid;
		ids[n++] = id;
	}
	free(ids);
	sqlite3_blob_close(blob);
	sqlite3_reset(st);
	return bad ? -1 : texts;
}

int store_ungrouped_count(struct store *s, int64_t *all, int64_t *groupable)
{
	static const char q[] =
		"SELECT (SELECT count(*) FROM traces WHERE task_id IS NULL),"
		" (SELECT count(*) FROM traces INDEXED BY traces_groupable"
		"  WHERE task_id IS NULL AND assigned_by IS NULL)";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, "count");
	if (all)
		*all = sqlite3_column_int64(st, 0);
	if (groupable)
		*groupable = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

int64_t store_assign_text(struct store *s, int64_t journal_id,
                          int64_t project_id, const char *model,
                          const char *path, int64_t text_id, int64_t task_id,
                          enum assign_kind by, const char *variables)
{
	static const char jr[] =
		"INSERT INTO journal_moves(journal_id, trace_id, old_task, old_by,"
		" new_task, new_by) SELECT ?1, id, NULL, NULL, ?6, ?7"
		" FROM traces INDEXED BY traces_groupable WHERE task_id IS NULL"
		" AND assigned_by IS NULL AND project_id = ?2 AND model = ?3"
		" AND path = ?4 AND text_id = ?5";
	static const char up[] =
		"UPDATE traces INDEXED BY traces_groupable SET task_id = ?6,"
		" assigned_by = ?7, variables = ?1"
		" WHERE task_id IS NULL AND assigned_by IS NULL AND project_id = ?2"
		" AND model = ?3 AND path = ?4 AND text_id = ?5";
	sqlite3_stmt *st;

	for (int pass = 0; pass < 2; pass++) {
		if (!(st = store_stmt(s, pass ? up : jr)))
			return -1;
		if (pass)
			bind_text(st, 1, variables);
		else
			sqlite3_bind_int64(st, 1, journal_id);
		sqlite3_bind_int64(st, 2, project_id);
		bind_text0(st, 3, model);
		bind_text0(st, 4, path);
		sqlite3_bind_int64(st, 5, text_id);
		sqlite3_bind_int64(st, 6, task_id);
		bind_text(st, 7, assign_kind_name(by));
		if (store_step_done(s, st, "assign") != 0)
			return -1;
	}
	return sqlite3_changes(s->db);
}

int store_move_trace(struct store *s, int64_t journal_id, int64_t trace_id,
                     int64_t task_id, enum assign_kind by,
                     const char *variables)
{
	static const char jr[] =
		"INSERT OR IGNORE INTO journal_moves(journal_id, trace_id, old_task,"
		" old_by, new_task, new_by) SELECT ?1, id, task_id, assigned_by, ?3, ?4"
		" FROM traces WHERE id = ?2"
		" AND (task_id IS NOT ?3 OR assigned_by IS NOT ?4)";
	static const char up[] =
		"UPDATE traces SET task_id = ?3, assigned_by = ?4, variables = ?1"
		" WHERE id = ?2 AND (task_id IS NOT ?3 OR assigned_by IS NOT ?4)";
	sqlite3_stmt *st;
	int changed = 0;

	for (int pass = 0; pass < 2; pass++) {
		if (!(st = store_stmt(s, pass ? up : jr)))
			return -1;
		if (pass)
			bind_text(st, 1, task_id ? variables : NULL);
		else
			sqlite3_bind_int64(st, 1, journal_id);
		sqlite3_bind_int64(st, 2, trace_id);
		if (task_id)
			sqlite3_bind_int64(st, 3, task_id);
		else
			sqlite3_bind_null(st, 3);
		bind_text(st, 4, by == ASSIGN_NONE ? NULL : assign_kind_name(by));
		if (store_step_done(s, st, "move trace") != 0)
			return -1;
		changed = sqlite3_changes(s->db);
	}
	return changed > 0;
}

int store_set_variables(struct store *s, int64_t trace_id, const char *json)
{
	static const char q[] = "UPDATE traces SET variables = ?2 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, q);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, trace_id);
	bind_text(st, 2, json);
	return store_step_done(s, st, "set variables");
}

int store_task_trace_ids(struct store *s, int64_t task_id,
                         int (*fn)(void *ctx, int64_t trace_id,
                                   int64_t text_id, const char *text),
                         void *ctx)
{
	static const char q_task[] =
		"SELECT t.id, t.text_id, x.text FROM traces t LEFT JOIN texts x"
		" ON x.id = t.text_id WHERE t.task_id = ? ORDER BY t.id";
	static const char q_none[] =
		"SELECT t.id, t.text_id, x.text FROM traces t LEFT JOIN texts x"
		" ON x.id = t.text_id WHERE t.task_id IS NULL ORDER BY t.id";
	sqlite3_stmt *st = store_stmt(s, task_id > 0 ? q_task : q_none);
	int rc, n = 0;

	if (!st)
		return -1;
	if (task_id > 0)
		sqlite3_bind_int64(st, 1, task_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		       col_text(st, 2)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read task traces");
	sqlite3_reset(st);
	return n;
}
