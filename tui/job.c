/*
 * job.c - grouping dry runs in a worker thread (see job.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

	fprintf(f, "%-24.24s  %-8.8s %5.2f %9lld %8lld %8lld %6lld %9lld %9.0f\n",
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
		rc = j->kind == JOB_PREVIEW ? run_preview(j, &c)
		   : j->kind == JOB_SWEEP ? run_sweep(j, &c)
		   : j->kind == JOB_TASKS ? run_tasks(j, &c) : run_stats(j, &c);
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

struct job *job_start(enum job_kind kind, const char *db_path,
                      const struct group_params *p)
{
	struct job *j = calloc(1, sizeof *j);

	if (!j || !(j->db_path = strdup(db_path)))
		abort();
	j->kind = kind;
	j->params = *p;
	j->started_ms = now_ms();
	pthread_mutex_init(&j->mu, NULL);
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		pthread_mutex_destroy(&j->mu);
		free(j->db_path);
		free(j);
		return NULL;
	}
	return j;
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
	struct group_params none = GROUP_PARAMS_DEFAULT;
	struct job *j = calloc(1, sizeof *j);

	if (!j || !(j->db_path = strdup(db_path)))
		abort();
	j->kind = JOB_TASKS;
	j->params = none;
	j->filter = *f;
	j->filter.model = j->f_model = dup_or_null(f->model);
	j->filter.path = j->f_path = dup_or_null(f->path);
	j->f_search = dup_or_null(f->search);
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
	free(j->f_model);
	free(j->f_path);
	free(j->f_search);
	free(j->db_path);
	free(j);
}
