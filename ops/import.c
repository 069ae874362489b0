/*
 * import.c - the import operation: importer records into the store.
 *
 * Records are written in transactions of `batch` records, so an interrupted
 * import keeps whole records only and running it again completes it (every
 * record has a stable key; present ones are counted, not duplicated).  With
 * --strict the file is one transaction that a bad record rolls back.
 * Auto-match runs on every new trace unless disabled; its failure never
 * stops an import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ops/internal.h"

#define DEFAULT_BATCH 5000

struct import_run {
	struct ops_ctx *c;
	const struct ops_import_opts *o;
	struct import_summary *sum;
	struct match_index *mi;
	const char *file;
	uint64_t in_tx;        /* records in the open transaction */
	int failed;
};

static int commit_batch(struct import_run *r)
{
	struct store *s = r->c->store;

	if (store_commit(s) != 0 || store_begin(s) != 0) {
		ops_store_fail(r->c, r->file);
		r->failed = 1;
		return -1;
	}
	r->in_tx = 0;
	return 0;
}

/* Auto-match one new trace; fills task and variables, never fails. */
static void auto_match(struct import_run *r, struct trace_in *t,
                       char **vars)
{
	int64_t project_id = 0, task;
	const struct tmpl *tp;

	if (!r->mi || !t->text)
		return;
	if (store_project_find(r->c->store, t->project ? t->project : "default",
	                       &project_id) <= 0)
		return;
	task = match_index_best(r->mi, project_id, t->model, t->path, t->text,
	                        r->o->threshold, NULL);
	if (task <= 0 || !(tp = match_index_tmpl(r->mi, task)))
		return;
	t->task_id = task;
	t->assigned_by = ASSIGN_AUTO;
	*vars = ops_variables(tp, t->text);
	t->variables = *vars;
}

static void fill_trace(struct import_run *r, const struct trace_record *rec,
                       struct trace_in *t)
{
	const struct import_opts *io = &r->o->in;

	memset(t, 0, sizeof *t);
	t->source_key = rec->source_key;
	t->source_id = rec->source_id;
	t->join_key = rec->join_key;
	t->format = rec->format;
	t->project = rec->project && *rec->project ? rec->project
	           : io->project && *io->project ? io->project : "default";
	t->path = io->path ? io->path : rec->path;
	t->model = rec->model;
	if (rec->instructions && *rec->instructions) {
		t->text = rec->instructions;
		t->text_source = TEXT_INSTRUCTIONS;
	} else if (rec->first_user && *rec->first_user) {
		t->text = rec->first_user;
		t->text_source = TEXT_FIRST_USER;
	}
	t->first_user = rec->first_user;
	t->input = rec->input_json;
	t->output = rec->output;
	t->metadata = rec->metadata_json;
	t->created_at = rec->created_at;
	t->raw = rec->raw;
	t->raw_len = rec->raw_len;
}

static int on_record(void *ctx, const struct trace_record *rec)
{
	struct import_run *r = ctx;
	struct store *s = r->c->store;
	int64_t id;
	int rc;

	if (ops_cancelled(r->c))
		return 1;
	r->sum->records++;
	if (rec->kind == RECORD_OUTPUT) {
		rc = store_output_insert(s, rec->source_key, rec->join_key, rec->model,
		                         rec->output, rec->raw, rec->raw_len);
		if (rc == STORE_INSERTED)
			r->sum->outputs++;
	} else {
		struct trace_in t;
		char *vars = NULL;
		fill_trace(r, rec, &t);
		auto_match(r, &t, &vars);
		rc = store_trace_insert(s, &t, &id);
		if (rc == STORE_INSERTED && t.task_id)
			r->sum->matched++;
		free(vars);
	}
	if (rc < 0) {
		ops_fail(r->c, "%s: record %llu (line %llu): %s", r->file,
		         (unsigned long long)rec->index + 1,
		         (unsigned long long)rec->line, store_error(s));
		r->failed = 1;
		return 1;
	}
	if (rec->kind == RECORD_TRACE)
		rc == STORE_INSERTED ? r->sum->imported++ : r->sum->present++;
	if (!r->o->in.strict && ++r->in_tx >= (r->o->batch ? r->o->batch
	                                                     : DEFAULT_BATCH))
		return commit_batch(r) ? 1 : 0;
	return 0;
}

static void on_reject(void *ctx, const struct import_reject *rej)
{
	struct import_run *r = ctx;

	r->sum->rejected++;
	if (r->o->messages)
		fprintf(r->o->messages, "%s:%llu: record %llu rejected: %s\n",
		        rej->file ? rej->file : r->file,
		        (unsigned long long)rej->line,
		        (unsigned long long)rej->index + 1, rej->reason);
	if (r->o->rejects && rej->raw) {
		fwrite(rej->raw, 1, rej->raw_len, r->o->rejects);
		if (rej->raw_len == 0 || rej->raw[rej->raw_len - 1] != '\n')
			fputc('\n', r->o->rejects);
	}
}

static void on_progress(void *ctx, uint64_t done, uint64_t total,
                        uint64_t records)
{
	struct import_run *r = ctx;

	r->sum->bytes = done;
	r->c->progress_items = records;
	if (r->c->progress)
		r->c->progress(r->c->progress_ctx, r->file, done, total);
}

static void record_run(struct import_run *r, double t0)
{
	struct run_row run = { .kind = "import", .threshold = r->o->threshold,
		.considered = (int64_t)r->sum->imported,
		.matched = (int64_t)r->sum->matched,
		.duration_ms = (ops_now() - t0) * 1000 };
	int64_t left = 0;

	store_ungrouped_count(r->c->store, &left, NULL);
	run.ungrouped_after = left;
	store_run_add(r->c->store, &run);
}

int ops_import(struct ops_ctx *c, const char *file,
               const struct ops_import_opts *o, struct import_summary *sum)
{
	struct import_run r = { c, o, sum, NULL, file, 0, 0 };
	struct import_sink sink = { &r, on_record, on_reject, on_progress };
	uint64_t n_rec = 0, n_rej = 0;
	double t0 = ops_now();
	char err[512] = "";
	int rc;

	memset(sum, 0, sizeof *sum);
	if (!o->no_match && !(r.mi = match_index_load(c->store)))
		return ops_store_fail(c, "loading tasks");
	if (store_begin(c->store) != 0) {
		match_index_free(r.mi);
		return ops_store_fail(c, file);
	}
	store_bulk(c->store, 1);
	rc = import_file(file, &o->in, &sink, &n_rec, &n_rej, err, sizeof err);
	if (store_bulk(c->store, 0) != 0 && !r.failed) {
		ops_store_fail(c, file);
		r.failed = 1;
	}
	match_index_free(r.mi);
	sum->seconds = ops_now() - t0;
	if (r.failed || rc == IMPORT_FAILED || rc == IMPORT_STRICT_ABORT) {
		store_rollback(c->store);
		if (rc == IMPORT_STRICT_ABORT) {
			sum->strict_aborted = 1;
			return ops_fail(c, "%s: bad record in strict mode; nothing of "
			                "this file was imported", file);
		}
		if (!r.failed)
			ops_fail(c, "%s", err[0] ? err : "import failed");
		return -1;
	}
	record_run(&r, t0);
	if (store_commit(c->store) != 0)
		return ops_store_fail(c, file);
	return rc == IMPORT_STOPPED ? OPS_CANCELLED : 0;
}
