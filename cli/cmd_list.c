/*
 * cmd_list.c - the reading commands: tasks, traces, show, stats, export,
 * history.  Lists are read page by page (keyset), never all at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"

#define PAGE 500

static const char *text_source_name(enum text_source s)
{
	return s == TEXT_INSTRUCTIONS ? "instructions"
	     : s == TEXT_FIRST_USER ? "first_user" : "none";
}

/* ---- tasks -------------------------------------------------------------- */

struct list_ctx {
	struct cli_env *env;
	int json;
	long long left;            /* rows still wanted; < 0: unlimited */
};

static cJSON *task_json(const struct task_row *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)t->id);
	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddNumberToObject(o, "trace_count", (double)t->trace_count);
	cJSON_AddStringToObject(o, "project", t->project);
	cJSON_AddStringToObject(o, "model", t->model);
	cJSON_AddStringToObject(o, "path", t->path);
	cJSON_AddStringToObject(o, "template", t->template);
	cJSON_AddStringToObject(o, "created_at", t->created_at);
	cJSON_AddStringToObject(o, "created_by", t->created_by);
	return o;
}

static int print_task(void *ctx, const struct task_row *t)
{
	struct list_ctx *lc = ctx;
	FILE *f = lc->env->out;

	if (lc->left == 0)
		return 1;
	lc->left--;
	if (lc->json) {
		out_json(f, task_json(t));
		return 0;
	}
	fprintf(f, "%5lld %7lld  ", (long long)t->id, (long long)t->trace_count);
	out_cell(f, t->project, 12, 1);
	fputc(' ', f);
	out_cell(f, t->model, 16, 1);
	fputc(' ', f);
	out_cell(f, t->path, 20, 1);
	fputc(' ', f);
	out_cell(f, t->template, 60, 0);
	fputc('\n', f);
	return 0;
}

static int parse_limit(struct cli_env *env, const struct args *a,
                       long long dflt, long long *out)
{
	const char *v = args_get(a, "limit");
	char *end;

	*out = dflt;
	if (!v)
		return EXIT_OK;
	*out = strtoll(v, &end, 10);
	if (!*v || *end || *out < 0)
		return usage_error(env, a->cmd, "--limit must be a whole number >= 0");
	if (*out == 0)
		*out = -1;
	return EXIT_OK;
}

static int project_filter(struct cli_env *env, const struct args *a,
                          int64_t *id)
{
	const char *p = args_get(a, "project");
	int rc;

	*id = 0;
	if (!p)
		return EXIT_OK;
	rc = store_project_find(env->store, p, id);
	if (rc < 0)
		return cli_fail(env, "%s", store_error(env->store));
	if (rc == 0)
		*id = -1;            /* no such project: an empty list */
	return EXIT_OK;
}

int cmd_tasks(struct cli_env *env, struct args *a)
{
	struct task_filter f = { 0 };
	struct task_cursor cur = { 0 };
	struct list_ctx lc = { env, args_has(a, "json"), -1 };
	const char *sort = args_get(a, "sort");
	int rc, n;

	if ((rc = parse_limit(env, a, -1, &lc.left)))
		return rc;
	if (sort && strcmp(sort, "count") && strcmp(sort, "name") &&
	    strcmp(sort, "newest") && strcmp(sort, "id"))
		return usage_error(env, a->cmd, "--sort must be count, name, newest or id");
	f.sort = !sort || !strcmp(sort, "count") ? TASK_SORT_COUNT
	       : !strcmp(sort, "name") ? TASK_SORT_NAME
	       : !strcmp(sort, "newest") ? TASK_SORT_NEWEST : TASK_SORT_ID;
	f.model = args_get(a, "model");
	f.path = args_get(a, "path");
	f.search = args_get(a, "search");
	if (!cli_store(env))
		return EXIT_FAIL;
	if ((rc = project_filter(env, a, &f.project_id)))
		return rc;
	if (!lc.json)
		fprintf(env->out, "%5s %7s  %-12s %-16s %-20s %s\n", "ID", "TRACES",
		        "PROJECT", "MODEL", "PATH", "TEMPLATE");
	do {
		n = store_tasks_page(env->store, &f, &cur, PAGE, print_task, &lc);
	} while (n == PAGE && lc.left != 0);
	if (n < 0)
		return cli_fail(env, "%s", store_error(env->store));
	return EXIT_OK;
}

/* ---- traces ------------------------------------------------------------- */

/* The slot values as strings, from their stored spans in the full text. */
static cJSON *variables_json(const struct trace_row *t)
{
	size_t *spans = NULL;
	int n = t->text ? ops_spans_parse(t->variables, strlen(t->text), &spans) : -1;
	cJSON *arr;

	if (n < 0)
		return cJSON_CreateNull();
	arr = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		size_t len = spans[2 * i + 1] - spans[2 * i];
		char *v = strndup(t->text + spans[2 * i], len);
		if (!v)
			abort();
		cJSON_AddItemToArray(arr, cJSON_CreateString(v));
		free(v);
	}
	free(spans);
	return arr;
}

/* A trace as JSON; `full` rows carry whole texts (lists carry previews, so
 * their variables cannot be resolved and are left out). */
static cJSON *trace_json(const struct trace_row *t, int full)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "id", json_str(t->source_id));
	cJSON_AddNumberToObject(o, "internal_id", (double)t->id);
	cJSON_AddStringToObject(o, "project", t->project);
	cJSON_AddStringToObject(o, "model", t->model);
	cJSON_AddStringToObject(o, "path", t->path);
	cJSON_AddItemToObject(o, "instructions", json_str(t->text));
	cJSON_AddStringToObject(o, "instructions_source",
	                        text_source_name(t->text_source));
	if (t->task_id)
		cJSON_AddNumberToObject(o, "task_id", (double)t->task_id);
	else
		cJSON_AddNullToObject(o, "task_id");
	cJSON_AddItemToObject(o, "task_instructions", json_str(t->task_template));
	if (full)
		cJSON_AddItemToObject(o, "variables", variables_json(t));
	cJSON_AddItemToObject(o, "assigned_by", t->assigned_by
	                      ? cJSON_CreateString(assign_kind_name(t->assigned_by))
	                      : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "created_at", json_str(t->created_at));
	cJSON_AddItemToObject(o, "format", json_str(t->format));
	if (full) {
		cJSON_AddItemToObject(o, "first_user", json_str(t->first_user));
		cJSON_AddItemToObject(o, "input", t->input ? cJSON_Parse(t->input)
		                                           : cJSON_CreateNull());
		cJSON_AddItemToObject(o, "output", json_str(t->output));
		cJSON_AddItemToObject(o, "metadata", t->metadata
		                      ? cJSON_Parse(t->metadata) : cJSON_CreateNull());
		cJSON_AddStringToObject(o, "imported_at", t->imported_at);
	}
	return o;
}

struct trace_list {
	struct list_ctx lc;
	int64_t last;
};

static int print_trace(void *ctx, const struct trace_row *t)
{
	struct trace_list *tl = ctx;
	FILE *f = tl->lc.env->out;

	tl->last = t->id;
	if (tl->lc.left == 0)
		return 1;
	tl->lc.left--;
	if (tl->lc.json) {
		out_json(f, trace_json(t, 0));
		return 0;
	}
	fprintf(f, "#%-7lld ", (long long)t->id);
	out_cell(f, t->source_id ? t->source_id : "-", 24, 1);
	fputc(' ', f);
	out_cell(f, t->created_at ? t->created_at : "-", 20, 1);
	fprintf(f, " %5lld %-6s ", (long long)t->task_id,
	        assign_kind_name(t->assigned_by));
	out_cell(f, t->text ? t->text : "(no instructions)", 60, 0);
	fputc('\n', f);
	return 0;
}

int cmd_traces(struct cli_env *env, struct args *a)
{
	struct trace_filter f = { 0 };
	struct trace_list tl = { { env, args_has(a, "json"), 100 }, 0 };
	const char *v;
	char *end;
	int rc, n;

	if ((rc = parse_limit(env, a, 100, &tl.lc.left)))
		return rc;
	if (args_get(a, "task") && args_has(a, "ungrouped"))
		return usage_error(env, a->cmd, "--task and --ungrouped exclude each other");
	if ((v = args_get(a, "task")) && (rc = parse_task_id(env, a, v, &f.task_id)))
		return rc;
	if (args_has(a, "ungrouped"))
		f.task_id = -1;
	if ((v = args_get(a, "after"))) {
		tl.last = strtoll(v, &end, 10);
		if (!*v || *end || tl.last < 0)
			return usage_error(env, a->cmd, "--after must be an internal id");
	}
	f.model = args_get(a, "model");
	f.path = args_get(a, "path");
	if (!cli_store(env) || (rc = project_filter(env, a, &f.project_id)))
		return env->store ? rc : EXIT_FAIL;
	if (!tl.lc.json)
		fprintf(env->out, "%-8s %-24s %-20s %5s %-6s %s\n", "ID", "SOURCE ID",
		        "CREATED", "TASK", "BY", "INSTRUCTIONS");
	do {
		n = store_traces_page(env->store, &f, tl.last, PAGE, 0, print_trace,
		                      &tl);
	} while (n == PAGE && tl.lc.left != 0);
	if (n < 0)
		return cli_fail(env, "%s", store_error(env->store));
	return EXIT_OK;
}

/* ---- show --------------------------------------------------------------- */

static void field(FILE *f, const char *name, const char *value)
{
	fprintf(f, "%-13s ", name);
	out_cell(f, value ? value : "-", 0, 0);
	fputc('\n', f);
}

static void block(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, "\n-- %s --\n", name);
	out_text(f, value);
	fputc('\n', f);
}

static int show_task(struct cli_env *env, struct args *a)
{
	struct task_copy tc;
	int64_t id;
	int rc = parse_task_id(env, a, a->pos[0], &id);

	if (rc != EXIT_OK)
		return rc;
	if ((rc = store_task_get(env->store, id, &tc)) <= 0)
		return rc < 0 ? cli_fail(env, "%s", store_error(env->store))
		              : cli_fail(env, "no task %lld", (long long)id);
	if (args_has(a, "json")) {
		out_json(env->out, task_json(&tc.row));
	} else {
		char count[32];
		snprintf(count, sizeof count, "%lld", (long long)tc.row.trace_count);
		field(env->out, "task", a->pos[0]);
		field(env->out, "name", tc.row.name);
		field(env->out, "traces", count);
		field(env->out, "project", tc.row.project);
		field(env->out, "model", tc.row.model);
		field(env->out, "path", tc.row.path);
		field(env->out, "created", tc.row.created_at);
		field(env->out, "created by", tc.row.created_by);
		field(env->out, "state", tc.row.deleted ? "retired" : "live");
		block(env->out, "template", tc.row.template);
	}
	task_copy_clear(&tc);
	return EXIT_OK;
}

int cmd_show(struct cli_env *env, struct args *a)
{
	struct ops_ctx c;
	struct trace_copy tc;
	int64_t id;
	int rc;

	if (!cli_store(env))
		return EXIT_FAIL;
	if (args_has(a, "task"))
		return show_task(env, a);
	ops_ctx_init(&c, env, 1);
	if (ops_trace_ref(&c, a->pos[0], &id) != 0)
		return cli_fail(env, "%s", c.err);
	if ((rc = store_trace_get(env->store, id, &tc)) <= 0)
		return cli_fail(env, "%s", rc < 0 ? store_error(env->store) : "no trace");
	if (args_has(a, "json")) {
		cJSON *o = trace_json(&tc.row, 1);
		if (args_has(a, "raw"))
			cJSON_AddItemToObject(o, "raw", cJSON_ParseWithLength(tc.row.raw,
			                      tc.row.raw_len));
		out_json(env->out, o);
	} else {
		char num[32];
		FILE *f = env->out;
		snprintf(num, sizeof num, "#%lld", (long long)tc.row.id);
		field(f, "trace", num);
		field(f, "source id", tc.row.source_id);
		field(f, "format", tc.row.format);
		field(f, "project", tc.row.project);
		field(f, "model", tc.row.model);
		field(f, "path", tc.row.path);
		field(f, "created", tc.row.created_at);
		snprintf(num, sizeof num, "%lld", (long long)tc.row.task_id);
		field(f, "task", tc.row.task_id ? num : "(ungrouped)");
		field(f, "assigned by", assign_kind_name(tc.row.assigned_by));
		field(f, "grouped on", text_source_name(tc.row.text_source));
		{
			cJSON *v = variables_json(&tc.row);
			char *vs = cJSON_PrintUnformatted(v);
			field(f, "variables", vs);
			free(vs);
			cJSON_Delete(v);
		}
		block(f, "template", tc.row.task_template);
		block(f, "instructions", tc.row.text);
		block(f, "first user message", tc.row.first_user);
		block(f, "input", tc.row.input);
		block(f, "output", tc.row.output);
		block(f, "metadata", tc.row.metadata);
		if (args_has(a, "raw"))
			block(f, "original record", tc.row.raw);
	}
	trace_copy_clear(&tc);
	return EXIT_OK;
}

/* ---- stats -------------------------------------------------------------- */

struct runs_ctx {
	FILE *f;
	cJSON *arr;
};

static int print_run(void *ctx, const struct run_row *r)
{
	struct runs_ctx *rc = ctx;

	if (rc->arr) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "started_at", r->started_at);
		cJSON_AddStringToObject(o, "kind", r->kind);
		cJSON_AddNumberToObject(o, "threshold", r->threshold);
		cJSON_AddNumberToObject(o, "considered", (double)r->considered);
		cJSON_AddNumberToObject(o, "matched", (double)r->matched);
		cJSON_AddNumberToObject(o, "grouped", (double)r->grouped);
		cJSON_AddNumberToObject(o, "tasks_created", (double)r->tasks_created);
		cJSON_AddNumberToObject(o, "ungrouped_after", (double)r->ungrouped_after);
		cJSON_AddNumberToObject(o, "duration_ms", r->duration_ms);
		cJSON_AddItemToArray(rc->arr, o);
		return 0;
	}
	fprintf(rc->f, "  %-24s %-11s %5.2f %9lld %9lld %9lld %6lld %9lld %9.0f\n",
	        r->started_at, r->kind, r->threshold, (long long)r->considered,
	        (long long)r->matched, (long long)r->grouped,
	        (long long)r->tasks_created, (long long)r->ungrouped_after,
	        r->duration_ms);
	return 0;
}

int cmd_stats(struct cli_env *env, struct args *a)
{
	struct store_stats st;
	struct runs_ctx rc = { env->out, NULL };
	double rate;

	if (!cli_store(env))
		return EXIT_FAIL;
	if (store_stats(env->store, &st) != 0)
		return cli_fail(env, "%s", store_error(env->store));
	rate = st.imported_total ? (double)st.imported_matched / st.imported_total : 0;
	if (args_has(a, "json")) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "traces", (double)st.traces);
		cJSON_AddNumberToObject(o, "tasks", (double)st.tasks);
		cJSON_AddNumberToObject(o, "grouped", (double)st.grouped);
		cJSON_AddNumberToObject(o, "ungrouped", (double)st.ungrouped);
		cJSON_AddNumberToObject(o, "projects", (double)st.projects);
		cJSON_AddNumberToObject(o, "distinct_instructions", (double)st.texts);
		cJSON_AddNumberToObject(o, "assigned_auto", (double)st.by_auto);
		cJSON_AddNumberToObject(o, "assigned_batch", (double)st.by_batch);
		cJSON_AddNumberToObject(o, "assigned_manual", (double)st.by_manual);
		cJSON_AddNumberToObject(o, "auto_match_rate", rate);
		cJSON_AddNumberToObject(o, "database_bytes", (double)st.db_bytes);
		rc.arr = cJSON_AddArrayToObject(o, "recent_runs");
		store_runs_list(env->store, 10, print_run, &rc);
		out_json(env->out, o);
		return EXIT_OK;
	}
	fprintf(env->out,
	        "traces            %lld\n"
	        "tasks             %lld\n"
	        "grouped           %lld (auto %lld, batch %lld, manual %lld)\n"
	        "ungrouped         %lld\n"
	        "projects          %lld\n"
	        "distinct texts    %lld\n"
	        "auto-match rate   %.1f%% of imported traces matched on import\n"
	        "database size     %.1f MB\n\nrecent runs:\n"
	        "  %-24s %-11s %5s %9s %9s %9s %6s %9s %9s\n",
	        (long long)st.traces, (long long)st.tasks, (long long)st.grouped,
	        (long long)st.by_auto, (long long)st.by_batch,
	        (long long)st.by_manual, (long long)st.ungrouped,
	        (long long)st.projects, (long long)st.texts, 100 * rate,
	        st.db_bytes / 1e6, "started", "kind", "thr", "considered",
	        "matched", "grouped", "tasks", "ungrouped", "ms");
	if (store_runs_list(env->store, 10, print_run, &rc) < 0)
		return cli_fail(env, "%s", store_error(env->store));
	return EXIT_OK;
}

/* ---- export ------------------------------------------------------------- */

static int export_row(void *ctx, const struct trace_row *t)
{
	FILE *f = ctx;

	out_json(f, trace_json(t, 1));
	return ferror(f) ? 1 : 0;
}

int cmd_export(struct cli_env *env, struct args *a)
{
	const char *fmt = args_get(a, "format"), *path = args_get(a, "output");
	FILE *f = env->out;
	int n;

	if (fmt && strcmp(fmt, "jsonl"))
		return usage_error(env, a->cmd, "--format must be jsonl");
	if (!cli_store(env))
		return EXIT_FAIL;
	if (path && !(f = fopen(path, "w")))
		return cli_fail(env, "%s: %s", path, strerror(errno));
	n = store_traces_all(env->store, export_row, f);
	if (path && fclose(f) != 0)
		return cli_fail(env, "%s: %s", path, strerror(errno));
	if (n < 0)
		return cli_fail(env, "%s", store_error(env->store));
	return EXIT_OK;
}

/* ---- history ------------------------------------------------------------ */

struct hist_ctx {
	FILE *f;
	int json;
};

static int print_entry(void *ctx, const struct journal_row *r)
{
	struct hist_ctx *h = ctx;

	if (h->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)r->id);
		cJSON_AddStringToObject(o, "at", r->at);
		cJSON_AddStringToObject(o, "op", r->op);
		cJSON_AddStringToObject(o, "summary", r->summary);
		cJSON_AddItemToObject(o, "actor", json_str(r->actor));
		cJSON_AddStringToObject(o, "state", r->state);
		cJSON_AddNumberToObject(o, "traces_moved", (double)r->moves);
		out_json(h->f, o);
		return 0;
	}
	fprintf(h->f, "%5lld %-24s %-7s %-12s %7lld  ", (long long)r->id, r->at,
	        r->state, r->op, (long long)r->moves);
	out_cell(h->f, r->summary, 70, 0);
	fputc('\n', h->f);
	return 0;
}

int cmd_history(struct cli_env *env, struct args *a)
{
	struct hist_ctx h = { env->out, args_has(a, "json") };
	long long limit;
	int rc = parse_limit(env, a, 20, &limit);

	if (rc != EXIT_OK)
		return rc;
	if (!cli_store(env))
		return EXIT_FAIL;
	if (!h.json)
		fprintf(env->out, "%5s %-24s %-7s %-12s %7s  %s\n", "ID", "AT", "STATE",
		        "OP", "MOVED", "SUMMARY");
	if (store_journal_list(env->store, (int)limit, print_entry, &h) < 0)
		return cli_fail(env, "%s", store_error(env->store));
	return EXIT_OK;
}
