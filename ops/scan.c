/*
 * scan.c - the partitions of a grouping run, read, matched and clustered
 * by worker threads (see internal.h).
 *
 * Each worker has its own read connection: reading a partition's texts,
 * auto-matching them and clustering the rest touch nothing the run writes,
 * so partitions go in parallel while the caller writes the results of the
 * ones before.  Results come out in partition order whatever order the
 * workers finish in, so task ids and everything else a run writes are the
 * same as with one worker.  The caller's connection holds the write
 * transaction; workers open theirs before it starts (opening a store may
 * write its header) and read the last committed state, which nobody else
 * can change while the run holds the write lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>            /* malloc_trim */
#endif

#include "ops/internal.h"

#define MAX_WORKERS 4

struct scan {
	struct ops_ctx *c;
	struct match_index *mi;
	const struct group_params *gp;
	int cluster;
	const struct scan_part *parts;
	size_t n;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct part_result **res;  /* per partition, once a worker is done */
	size_t *order;             /* partitions as workers take them */
	size_t next_in;            /* next of order[] a worker takes */
	size_t next_out;           /* next partition scan_next hands out */
	volatile int stop;

	pthread_t tid[MAX_WORKERS];
	struct store *st[MAX_WORKERS];
	size_t nworkers;           /* read connections open */
	size_t nthreads;           /* workers running (one per connection) */
};

struct reader {
	struct part_text *v;
	char **text;
	size_t *len;
	size_t n, cap;             /* cap serves the three arrays */
	int64_t *ids;
	size_t n_ids, cap_ids;
};

static int collect(void *ctx, int64_t text_id, char *text, size_t len,
                   const int64_t *trace_ids, size_t n)
{
	struct reader *rd = ctx;
	size_t cap = rd->cap, cap2 = rd->cap;

	ops_reserve(&rd->v, &rd->cap, rd->n + 1, sizeof *rd->v);
	ops_reserve(&rd->text, &cap, rd->n + 1, sizeof *rd->text);
	ops_reserve(&rd->len, &cap2, rd->n + 1, sizeof *rd->len);
	ops_reserve(&rd->ids, &rd->cap_ids, rd->n_ids + n, sizeof *rd->ids);
	if (n)
		memcpy(rd->ids + rd->n_ids, trace_ids, n * sizeof *trace_ids);
	rd->v[rd->n] = (struct part_text){ text_id, (int64_t)n, rd->n_ids, 0,
		CLUSTER_NONE, NULL };
	rd->n_ids += n;
	rd->len[rd->n] = len;
	rd->text[rd->n++] = text;
	return 0;
}

static int cancel_cb(void *ctx)
{
	const struct scan *s = ctx;
	return s->stop || ops_cancelled(s->c);
}

/* Cluster the texts matching left; their variables under the template of
 * their cluster. */
static int cluster_rest(struct scan *s, struct reader *rd,
                        struct part_result *out)
{
	struct cluster_item *items = calloc(rd->n + 1, sizeof *items);
	size_t *item_of = calloc(rd->n + 1, sizeof *item_of), n = 0;
	int rc = 0;

	if (!items || !item_of)
		abort();
	for (size_t i = 0; i < rd->n; i++) {
		if (rd->v[i].task)
			continue;
		items[n] = (struct cluster_item){ rd->text[i], rd->len[i],
			rd->v[i].count > UINT32_MAX ? UINT32_MAX
			                            : (uint32_t)rd->v[i].count };
		item_of[n++] = i;
	}
	if (n && cluster_run(items, n, s->gp, cancel_cb, s, &out->cr) != 0)
		rc = OPS_CANCELLED;
	for (size_t i = 0; !rc && i < n && out->cr.assign; i++) {
		uint32_t k = out->cr.assign[i];
		struct part_text *t = &rd->v[item_of[i]];
		if (k == CLUSTER_NONE)
			continue;
		t->cluster = k;
		t->vars = ops_variables_len(out->cr.templates[k],
		                            rd->text[item_of[i]], rd->len[item_of[i]]);
	}
	free(items);
	free(item_of);
	return rc;
}

/* Everything the run needs of partition k, read through store st. */
static struct part_result *work(struct scan *s, struct store *st, size_t k)
{
	const struct scan_part *p = &s->parts[k];
	struct part_result *out = calloc(1, sizeof *out);
	struct reader rd = { 0 };

	if (!out)
		abort();
	if (store_ungrouped_texts_take(st, p->project_id, p->model, p->path,
	                               collect, &rd) < 0) {
		out->rc = -1;
		snprintf(out->err, sizeof out->err, "%s", store_error(st));
	}
	for (size_t i = 0; !out->rc && i < rd.n; i++) {
		struct part_text *t = &rd.v[i];
		t->task = match_index_best(s->mi, p->project_id, p->model, p->path,
		                           rd.text[i], s->gp->similarity_threshold,
		                           NULL);
		if (t->task)
			t->vars = ops_variables_len(match_index_tmpl(s->mi, t->task),
			                            rd.text[i], rd.len[i]);
		if (cancel_cb(s))
			out->rc = OPS_CANCELLED;
	}
	if (!out->rc && s->cluster)
		out->rc = cluster_rest(s, &rd, out);
	for (size_t i = 0; i < rd.n; i++)
		free(rd.text[i]);
	free(rd.text);
	free(rd.len);
	out->texts = rd.v;
	out->n = rd.n;
	out->trace_ids = rd.ids;
	return out;
}

static void *worker(void *arg)
{
	struct scan *s = arg;
	size_t me;

	pthread_mutex_lock(&s->mu);        /* tid[] is complete once we hold it */
	for (me = 0; !pthread_equal(s->tid[me], pthread_self()); me++)
		;
	while (!s->stop && s->next_in < s->n) {
		size_t k = s->order[s->next_in++];
		struct part_result *r;
		pthread_mutex_unlock(&s->mu);
		r = work(s, s->st[me], k);
		pthread_mutex_lock(&s->mu);
		s->res[k] = r;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static size_t worker_count(void)
{
	const char *env = getenv("TRACEGROUP_THREADS");
	long n = env && *env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 0)
		n = 1;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return (size_t)n;
}

struct scan *scan_open(struct ops_ctx *c)
{
	struct scan *s = calloc(1, sizeof *s);
	size_t want = worker_count();
	char err[256];

	if (!s)
		abort();
	s->c = c;
	for (size_t i = 0; i < want; i++) {
		s->st[i] = store_open(store_path(c->store), err, sizeof err);
		if (!s->st[i])
			break;
		store_stream_reader(s->st[i]);
		s->nworkers++;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	return s;
}

struct by_size {
	int64_t count;
	size_t part;
};

static int larger_first(const void *x, const void *y)
{
	const struct by_size *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->part < b->part ? -1 : a->part > b->part;
}

void scan_start(struct scan *s, struct match_index *mi,
                const struct group_params *gp, int cluster,
                const struct scan_part *parts, size_t n)
{
	s->mi = mi;
	s->gp = gp;
	s->cluster = cluster;
	s->parts = parts;
	s->n = n;
	s->res = calloc(n + 1, sizeof *s->res);
	s->order = malloc((n + 1) * sizeof *s->order);
	if (!s->res || !s->order)
		abort();
	/* the largest partitions first, so that no worker is left alone with
	 * a big one at the end (results still come out in partition order) */
	{
		struct by_size *bs = malloc((n + 1) * sizeof *bs);
		if (!bs)
			abort();
		for (size_t i = 0; i < n; i++)
			bs[i] = (struct by_size){ parts[i].count, i };
		qsort(bs, n, sizeof *bs, larger_first);
		for (size_t i = 0; i < n; i++)
			s->order[i] = bs[i].part;
		free(bs);
	}
	match_index_tmpl(mi, 0);              /* sort it now: read-only after */
	if (s->nworkers > n) {
		for (size_t i = n; i < s->nworkers; i++)
			store_close(s->st[i]);
		s->nworkers = n;
	}
	pthread_mutex_lock(&s->mu);
	while (s->nthreads < s->nworkers &&
	       pthread_create(&s->tid[s->nthreads], NULL, worker, s) == 0)
		s->nthreads++;
	pthread_mutex_unlock(&s->mu);
}

struct part_result *scan_next(struct scan *s)
{
	struct part_result *r;

	if (s->next_out >= s->n)
		return NULL;
	if (!s->nthreads)           /* no worker could start: read here */
		return work(s, s->c->store, s->next_out++);
	pthread_mutex_lock(&s->mu);
	while (!s->res[s->next_out])
		pthread_cond_wait(&s->cv, &s->mu);
	r = s->res[s->next_out];
	s->res[s->next_out++] = NULL;
	pthread_mutex_unlock(&s->mu);
	return r;
}

void part_result_free(struct part_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->texts[i].vars);
	free(r->texts);
	free(r->trace_ids);
	cluster_result_free(&r->cr);
	free(r);
}

void scan_close(struct scan *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_mutex_unlock(&s->mu);
	for (size_t i = 0; i < s->nthreads; i++)
		pthread_join(s->tid[i], NULL);
	for (size_t i = 0; i < s->nworkers; i++)
		store_close(s->st[i]);
	for (size_t i = 0; s->res && i < s->n; i++)
		part_result_free(s->res[i]);
	free(s->res);
	free(s->order);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
#ifdef __GLIBC__
	/* The workers' partitions are freed, but their malloc arenas keep the
	 * pages; give them back before the run's bulk write needs memory. */
	malloc_trim(0);
#endif
}
