/*
 * job.c - grouping dry runs in a worker thread (see job.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/job.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void job_lock(struct job *j)
{
	pthread_mutex_lock(&j->mu);
}

void job_unlock(struct job *j)
{
	pthread_mutex_unlock(&j->mu);
}

static void on_progress(void *ctx, const char *what, uint64_t done,
                        uint64_t total)
{
	struct job *j = ctx;

	(void)what;
	job_lock(j);
	j->done = done;
	j->total = total;
	job_unlock(j);
}

static int run_preview(struct job *j, struct ops_ctx *c)
{
	struct group_report r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = ops_group(c, &j->params, 1, &r);
	job_lock(j);
	j->report = r;
	job_unlock(j);
	return rc;
}

static int run_sweep(struct job *j, struct ops_ctx *c)
{
	for (int i = 0; i < SWEEP_N; i++) {
		struct group_params p = j->params;
		struct group_report r;
		int rc;

		p.similarity_threshold = SWEEP_FIRST + SWEEP_STEP * i;
		memset(&r, 0, sizeof r);
		rc = ops_group(c, &p, 1, &r);
		if (rc != 0) {
			group_report_clear(&r);
			return rc;
		}
		job_lock(j);
		j->pts[i].threshold = p.similarity_threshold;
		j->pts[i].known = 1;
		j->pts[i].tasks = r.tasks_created;
		j->pts[i].considered = r.considered;
		j->pts[i].grouped = r.matched + r.grouped;
		job_unlock(j);
		group_report_clear(&r);
	}
	return 0;
}

static int add_run(void *ctx, const struct run_row *r)
{
	FILE *f = ctx;

	fprintf(f, "%-24.24s  %-11.11s %5.2f %9lld %8lld %8lld %6lld %9lld %9.0f\n",
	        r->started_at ? r->started_at : "", r->kind ? r->kind : "",
	        r->threshold, (long long)r->considered, (long long)r->matched,
	        (long long)r->grouped, (long long)r->tasks_created,
	        (long long)r->ungrouped_after, r->duration_ms);
	return 0;
}

static int run_stats(struct job *j, struct ops_ctx *c)
{
	struct store_stats st;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	memset(&st, 0, sizeof st);
	if (store_stats(c->store, &st) != 0) {
		snprintf(c->err, sizeof c->err, "%s", store_error(c->store));
		return -1;
	}
	if (!(f = open_memstream(&text, &len)))
		abort();
	rc = store_runs_list(c->store, 20, add_run, f);
	fclose(f);
	if (rc < 0) {
		snprintf(c->err, sizeof c->err, "%s", store_error(c->store));
		free(text);
		return -1;
	}
	job_lock(j);
	j->stats = st;
	j->runs = text;
	job_unlock(j);
	return 0;
}

static int run_tasks(struct job *j, struct ops_ctx *c)
{
	struct task_list *l = calloc(1, sizeof *l);

	if (!l)
		abort();
	tasklist_init(l, c->store);
	l->filter = j->filter;
	if (j->f_search)
		snprintf(l->search, sizeof l->search, "%s", j->f_search);
	l->filter.search = l->search[0] ? l->search : NULL;
	l->cancel = &j->cancel;
	tasklist_ensure(l, (size_t)-1);
	l->cancel = NULL;
	l->store = NULL;
	job_lock(j);
	j->tasks = l;
	job_unlock(j);
	if (l->error[0]) {
		snprintf(c->err, sizeof c->err, "%s", l->error);
		return -1;
	}
	return j->cancel ? OPS_CANCELLED : 0;
}

static int run_counts(struct job *j, struct ops_ctx *c)
{
	const struct trace_filter *f = &j->traces;
	struct trace_filter none = { -1, f->project_id, f->model, f->path };
	int64_t all = -1, groupable = -1, filtered = -1;

	if (store_ungrouped_count(c->store, &all, &groupable) != 0 ||
	    ((f->project_id || f->model || f->path) && !j->cancel &&
	     store_traces_count(c->store, &none, &filtered) != 0)) {
		snprintf(c->err, sizeof c->err, "%s", store_error(c->store));
		return -1;
	}
	job_lock(j);
	j->n_all = all;
	j->n_groupable = groupable;
	j->n_filtered = filtered;
	job_unlock(j);
	return j->cancel ? OPS_CANCELLED : 0;
}

static int add_value(void *ctx, const char *value)
{
	struct value_list *l = ctx;

	if (!(l->v = realloc(l->v, (l->n + 1) * sizeof *l->v)) ||
	    !(l->v[l->n] = strdup(value ? value : "")))
		abort();
	l->n++;
	return 0;
}

void value_list_free(struct value_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int run_values(struct job *j, struct ops_ctx *c)
{
	static const char *const cols[] = { "project", "model", "path" };
	struct value_list got[3];

	memset(got, 0, sizeof got);
	for (int i = 0; i < 3 && !j->cancel; i++)
		if (store_distinct(c->store, cols[i], add_value, &got[i]) < 0) {
			snprintf(c->err, sizeof c->err, "%s", store_error(c->store));
			for (int k = 0; k < 3; k++)
				value_list_free(&got[k]);
			return -1;
		}
	job_lock(j);
	j->projects = got[0];
	j->models = got[1];
	j->paths = got[2];
	job_unlock(j);
	return j->cancel ? OPS_CANCELLED : 0;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct ops_ctx c;
	char err[512];
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.store = store_open(j->db_path, err, sizeof err);
	c.cancel = &j->cancel;
	c.progress = on_progress;
	c.progress_ctx = j;
	if (!c.store) {
		job_lock(j);
		snprintf(j->err, sizeof j->err, "%s", err);
		job_unlock(j);
	} else {
		switch (j->kind) {
		case JOB_PREVIEW: rc = run_preview(j, &c); break;
		case JOB_SWEEP: rc = run_sweep(j, &c); break;
		case JOB_TASKS: rc = run_tasks(j, &c); break;
		case JOB_STATS: rc = run_stats(j, &c); break;
		case JOB_COUNTS: rc = run_counts(j, &c); break;
		case JOB_VALUES: rc = run_values(j, &c); break;
		}
		store_close(c.store);
	}
	job_lock(j);
	j->rc = rc;
	if (rc == -1 && !j->err[0])
		snprintf(j->err, sizeof j->err, "%s", c.err);
	j->ms = now_ms() - j->started_ms;
	j->finished = 1;
	job_unlock(j);
	return NULL;
}

static struct job *job_new(enum job_kind kind, const char *db_path)
{
	struct group_params dflt = GROUP_PARAMS_DEFAULT;
	struct job *j = calloc(1, sizeof *j);

	if (!j || !(j->db_path = strdup(db_path)))
		abort();
	j->kind = kind;
	j->params = dflt;
	j->n_all = j->n_groupable = j->n_filtered = -1;
	return j;
}

/* Start the thread; on failure free the job and return NULL. */
static struct job *job_launch(struct job *j)
{
	j->started_ms = now_ms();
	pthread_mutex_init(&j->mu, NULL);
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		pthread_mutex_destroy(&j->mu);
		free(j->f_model);
		free(j->f_path);
		free(j->f_search);
		free(j->db_path);
		free(j);
		return NULL;
	}
	return j;
}

struct job *job_start(enum job_kind kind, const char *db_path,
                      const struct group_params *p)
{
	struct job *j = job_new(kind, db_path);

	j->params = *p;
	return job_launch(j);
}

static char *dup_or_null(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

struct job *job_start_tasks(const char *db_path, const struct task_filter *f)
{
	struct job *j = job_new(JOB_TASKS, db_path);

	j->filter = *f;
	j->filter.model = j->f_model = dup_or_null(f->model);
	j->filter.path = j->f_path = dup_or_null(f->path);
	j->f_search = dup_or_null(f->search);
	return job_launch(j);
}

struct job *job_start_counts(const char *db_path, const struct trace_filter *f,
                             uint64_t version)
{
	struct job *j = job_new(JOB_COUNTS, db_path);

	j->traces = *f;
	j->traces.model = j->f_model = dup_or_null(f->model);
	j->traces.path = j->f_path = dup_or_null(f->path);
	j->version = version;
	return job_launch(j);
}

struct task_list *job_take_tasks(struct job *j)
{
	struct task_list *l;

	job_lock(j);
	l = j->finished && j->rc == 0 ? j->tasks : NULL;
	if (l)
		j->tasks = NULL;
	job_unlock(j);
	return l;
}

int job_finished(struct job *j)
{
	int f;

	job_lock(j);
	f = j->finished;
	job_unlock(j);
	return f;
}

void job_cancel(struct job *j)
{
	if (j)
		j->cancel = 1;
}

void job_free(struct job *j)
{
	if (!j)
		return;
	pthread_join(j->thread, NULL);
	pthread_mutex_destroy(&j->mu);
	group_report_clear(&j->report);
	free(j->runs);
	if (j->tasks) {
		tasklist_free(j->tasks);
		free(j->tasks);
	}
	value_list_free(&j->projects);
	value_list_free(&j->models);
	value_list_free(&j->paths);
	free(j->f_model);
	free(j->f_path);
	free(j->f_search);
	free(j->db_path);
	free(j);
}
