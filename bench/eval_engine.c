/*
 * eval_engine.c - quality and speed of the grouping engine.
 *
 *   eval_engine DIR            Loghub-2k: DIR/<DS>/<DS>_2k.log_structured_corrected.csv
 *   eval_engine --tsv FILE     lines "partition<TAB>true_group<TAB>text"
 *                              (text with \n \t \\ escaped)
 *   eval_engine --speed        synthetic texts: auto-match and clustering time
 *   options: --threshold X --min-size N --sample N
 *
 * Each partition is clustered with cluster_run over its weighted distinct
 * texts.  Reported per partition and as a macro average:
 *   GA   share of rows whose predicted cluster holds exactly the rows of
 *        their true group (an unclustered row is a group of one);
 *        the macro average weighs partitions alike, the micro average
 *        weighs rows alike (as bench/score.c does over one export);
 *   F1   pairwise F1 over pairs of rows placed together;
 *   TA   share of rows whose template, normalised, equals the true one.
 *        Normalisation as in bench/score.c: slots ({var_N} in ours, <*>
 *        in the truth) become <*>, our doubled braces become single, runs
 *        of whitespace become one space, leading/trailing space goes, and
 *        slots separated only by whitespace merge into one <*>.  An
 *        unclustered row's template is its own text, taken literally.
 * Links the engine sources only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "template_norm.h"

struct row {
	char *part, *truth, *text;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

struct opts {
	struct group_params p;
	int show;                  /* print the groups that went wrong */
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		exit(2);
	return d;
}

static void add_row(struct rows *r, const char *part, const char *truth,
                    const char *text)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n].part = xstrdup(part);
	r->v[r->n].truth = xstrdup(truth);
	r->v[r->n].text = xstrdup(text);
	r->n++;
}

/* ---- input ---------------------------------------------------------- */

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_put(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

/* One CSV record (RFC 4180 quoting); fields NUL-separated in b.  Returns
 * the field count, 0 at end of file. */
static int csv_record(FILE *f, struct buf *b, size_t *start, int max)
{
	int c, quoted = 0, nf = 0, any = 0;
	b->n = 0;
	start[nf++] = 0;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (quoted) {
			if (c == '"') {
				int d = getc(f);
				if (d == '"') {
					buf_put(b, '"');
					continue;
				}
				quoted = 0;
				if (d == EOF)
					break;
				c = d;
			} else {
				buf_put(b, (char)c);
				continue;
			}
		}
		if (c == '"' && (b->n == start[nf - 1])) {
			quoted = 1;
		} else if (c == ',') {
			buf_put(b, '\0');
			if (nf < max)
				start[nf++] = b->n;
		} else if (c == '\n') {
			break;
		} else if (c != '\r') {
			buf_put(b, (char)c);
		}
	}
	buf_put(b, '\0');
	return any ? nf : 0;
}

static int col_index(const struct buf *b, const size_t *start, int nf,
                     const char *name)
{
	int i;
	for (i = 0; i < nf; i++)
		if (!strcmp(b->s + start[i], name))
			return i;
	return -1;
}

static int load_csv(const char *path, const char *part, struct rows *r)
{
	FILE *f = fopen(path, "r");
	struct buf b = {0};
	size_t start[64];
	int nf, ci, ti;
	if (!f)
		return -1;
	nf = csv_record(f, &b, start, 64);
	ci = col_index(&b, start, nf, "Content");
	ti = col_index(&b, start, nf, "EventTemplate");
	if (ci < 0 || ti < 0) {
		fclose(f);
		free(b.s);
		return -1;
	}
	while ((nf = csv_record(f, &b, start, 64)) > 0)
		if (nf > ci && nf > ti)
			add_row(r, part, b.s + start[ti], b.s + start[ci]);
	fclose(f);
	free(b.s);
	return 0;
}

static int load_tsv(const char *path, struct rows *r)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *t1, *t2;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		unescape(t1 + 1);
		unescape(t2 + 1);
		add_row(r, line, t1 + 1, t2 + 1);
	}
	free(line);
	fclose(f);
	return 0;
}

/* ---- scoring -------------------------------------------------------- */

struct score {
	double ga, f1, ta;
	size_t rows, clusters, groups;
	double seconds;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index of s in the sorted unique array u (binary search). */
static size_t find_str(char **u, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(u[mid], s);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

static size_t uniq(char **v, size_t n)
{
	size_t i, k = 0;
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(v[k - 1], v[i]))
			v[k++] = v[i];
	return k;
}

static double pairs(double n)
{
	return n * (n - 1) / 2;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Pairs of rows that share both cluster and label. */
static double true_positive_pairs(const uint32_t *assign, const size_t *item,
                                  const size_t *label, size_t n)
{
	uint64_t *key = malloc((n + 1) * sizeof *key);
	size_t nk = 0, i, run = 0;
	double tp = 0;
	for (i = 0; i < n; i++)
		if (assign[item[i]] != CLUSTER_NONE)
			key[nk++] = (uint64_t)assign[item[i]] << 32 | label[i];
	qsort(key, nk, sizeof *key, cmp_u64);
	for (i = 0; i < nk; i++) {
		run = i && key[i] == key[i - 1] ? run + 1 : 1;
		if (i + 1 == nk || key[i + 1] != key[i])
			tp += pairs((double)run);
	}
	free(key);
	return tp;
}

/* Rows whose normalised template equals their normalised truth. */
static size_t template_hits(struct row *rows, size_t n, const size_t *item,
                            const struct cluster_result *res)
{
	char **norm = calloc(res->n_clusters + 1, sizeof *norm);
	size_t i, hits = 0;
	for (i = 0; i < res->n_clusters; i++) {
		char *r = tmpl_render(res->templates[i]);
		norm[i] = normalise(r, OURS);
		free(r);
	}
	for (i = 0; i < n; i++) {
		uint32_t c = res->assign[item[i]];
		char *truth = normalise(rows[i].truth, LOGHUB), *own = NULL;
		if (c == CLUSTER_NONE) {
			own = normalise(rows[i].text, RAW);
			hits += !strcmp(own, truth);
		} else {
			hits += !strcmp(norm[c], truth);
		}
		free(own);
		free(truth);
	}
	for (i = 0; i < res->n_clusters; i++)
		free(norm[i]);
	free(norm);
	return hits;
}

/* Print s on one line (newlines and tabs escaped), at most max bytes. */
static void put_line(const char *s, size_t max)
{
	size_t i;
	for (i = 0; s[i] && i < max; i++) {
		if (s[i] == '\n')
			fputs("\\n", stdout);
		else if (s[i] == '\t')
			fputs("\\t", stdout);
		else
			putchar(s[i]);
	}
	if (s[i])
		fputs("...", stdout);
}

/* For each true group with misplaced rows: the clusters its rows went to
 * (rows of the group there / cluster rows, template, one text) and how many
 * stayed unclustered. */
static void show_errors(struct row *rows, size_t n, const size_t *item,
                        const size_t *label, const double *cnt_l,
                        const double *cnt_c, const char *ok_c,
                        const struct cluster_result *res)
{
	size_t i, j, k;
	char *done = calloc(n + 1, 1);
	double *here = calloc(res->n_clusters + 1, sizeof *here);
	size_t *example = calloc(res->n_clusters + 1, sizeof *example);
	for (i = 0; i < n; i++) {
		uint32_t c = res->assign[item[i]];
		size_t none = 0, none_ex = 0;
		int bad = c == CLUSTER_NONE ? cnt_l[label[i]] != 1
		          : !(ok_c[c] && cnt_c[c] == cnt_l[label[i]]);
		if (!bad || done[label[i]])
			continue;
		done[label[i]] = 1;
		printf("  TRUE (%.0f rows) ", cnt_l[label[i]]);
		put_line(rows[i].truth, 200);
		putchar('\n');
		for (k = 0; k < res->n_clusters; k++)
			here[k] = 0;
		for (j = 0; j < n; j++) {
			uint32_t d = res->assign[item[j]];
			if (label[j] != label[i])
				continue;
			if (d == CLUSTER_NONE) {
				none_ex = none++ ? none_ex : j;
				continue;
			}
			if (here[d]++ == 0)
				example[d] = j;
		}
		for (k = 0; k < res->n_clusters; k++) {
			char *t;
			if (!here[k])
				continue;
			t = tmpl_render(res->templates[k]);
			printf("     c%zu %.0f/%.0f%s: ", k, here[k], cnt_c[k],
			       ok_c[k] ? "" : " mixed");
			put_line(t, 300);
			fputs("\n        e.g. ", stdout);
			put_line(rows[example[k]].text, 160);
			putchar('\n');
			free(t);
		}
		if (none) {
			printf("     none %zu, e.g. ", none);
			put_line(rows[none_ex].text, 160);
			putchar('\n');
		}
	}
	free(here);
	free(example);
	free(done);
}

static struct score evaluate(struct row *rows, size_t n, const struct opts *o)
{
	struct score sc = {0};
	char **texts = malloc((n + 1) * sizeof *texts);
	char **truths = malloc((n + 1) * sizeof *truths);
	size_t nt, ng, i, good = 0;
	size_t *item = malloc((n + 1) * sizeof *item);
	size_t *label = malloc((n + 1) * sizeof *label);
	size_t *first_label;
	struct cluster_item *items;
	struct cluster_result res;
	struct timespec t0, t1;
	double *cnt_l, *cnt_c, tp, pp = 0, tpairs = 0, prec, rec;
	char *ok_c;
	for (i = 0; i < n; i++) {
		texts[i] = rows[i].text;
		truths[i] = rows[i].truth;
	}
	nt = uniq(texts, n);
	ng = uniq(truths, n);
	items = calloc(nt + 1, sizeof *items);
	for (i = 0; i < nt; i++) {
		items[i].text = texts[i];
		items[i].len = strlen(texts[i]);
	}
	for (i = 0; i < n; i++) {
		item[i] = find_str(texts, nt, rows[i].text);
		label[i] = find_str(truths, ng, rows[i].truth);
		items[item[i]].weight++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cluster_run(items, nt, &o->p, NULL, NULL, &res) != 0) {
		fprintf(stderr, "cluster_run failed\n");
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sc.seconds = (double)(t1.tv_sec - t0.tv_sec) +
	             (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cnt_l = calloc(ng + 1, sizeof *cnt_l);
	cnt_c = calloc(res.n_clusters + 1, sizeof *cnt_c);
	first_label = malloc((res.n_clusters + 1) * sizeof *first_label);
	ok_c = malloc(res.n_clusters + 1);
	memset(ok_c, 1, res.n_clusters + 1);
	for (i = 0; i < res.n_clusters; i++)
		first_label[i] = (size_t)-1;
	for (i = 0; i < n; i++) {
		uint32_t c = res.assign[item[i]];
		cnt_l[label[i]]++;
		if (c == CLUSTER_NONE)
			continue;
		cnt_c[c]++;
		if (first_label[c] == (size_t)-1)
			first_label[c] = label[i];
		else if (first_label[c] != label[i])
			ok_c[c] = 0;
	}
	for (i = 0; i < n; i++) {
		uint32_t c = res.assign[item[i]];
		if (c == CLUSTER_NONE)
			good += cnt_l[label[i]] == 1;
		else
			good += ok_c[c] && cnt_c[c] == cnt_l[label[i]];
	}
	if (o->show)
		show_errors(rows, n, item, label, cnt_l, cnt_c, ok_c, &res);
	for (i = 0; i < ng; i++)
		tpairs += pairs(cnt_l[i]);
	for (i = 0; i < res.n_clusters; i++)
		pp += pairs(cnt_c[i]);
	tp = true_positive_pairs(res.assign, item, label, n);
	prec = pp > 0 ? tp / pp : 1;
	rec = tpairs > 0 ? tp / tpairs : 1;
	sc.ga = (double)good / (double)n;
	sc.f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
	sc.ta = (double)template_hits(rows, n, item, &res) / (double)n;
	sc.clusters = res.n_clusters;
	sc.groups = ng;
	sc.rows = n;
	free(cnt_l);
	free(cnt_c);
	free(first_label);
	free(ok_c);
	free(texts);
	free(truths);
	free(item);
	free(label);
	free(items);
	cluster_result_free(&res);
	return sc;
}

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->part, ((const struct row *)b)->part);
}

/* Evaluate each partition of r (stable: rows keep their order). */
static int report(struct rows *r, const struct opts *o)
{
	struct score sum = {0};
	double rows = 0, ga_rows = 0, ta_rows = 0;
	size_t i = 0, np = 0;
	printf("%-12s %6s %6s %6s %6s %7s %7s %8s\n", "partition", "rows",
	       "groups", "clust", "GA", "F1", "TA", "seconds");
	/* stable partition order: sort indexes by name, keeping row order */
	for (i = 0; i < r->n; i++)
		r->v[i].part = r->v[i].part;
	qsort(r->v, r->n, sizeof *r->v, row_cmp);
	for (i = 0; i < r->n;) {
		size_t j = i;
		struct score s;
		while (j < r->n && !strcmp(r->v[j].part, r->v[i].part))
			j++;
		s = evaluate(r->v + i, j - i, o);
		printf("%-12s %6zu %6zu %6zu %6.3f %7.3f %7.3f %8.3f\n", r->v[i].part,
		       s.rows, s.groups, s.clusters, s.ga, s.f1, s.ta, s.seconds);
		sum.ga += s.ga;
		sum.f1 += s.f1;
		sum.ta += s.ta;
		sum.seconds += s.seconds;
		rows += (double)s.rows;
		ga_rows += s.ga * (double)s.rows;
		ta_rows += s.ta * (double)s.rows;
		np++;
		i = j;
	}
	if (!np)
		return 1;
	printf("%-12s %6s %6s %6s %6.3f %7.3f %7.3f %8.3f\n", "macro-avg", "", "",
	       "", sum.ga / (double)np, sum.f1 / (double)np, sum.ta / (double)np,
	       sum.seconds);
	printf("%-12s %6.0f %6s %6s %6.3f %7s %7.3f\n", "micro-avg", rows, "", "",
	       ga_rows / rows, "", ta_rows / rows);
	return 0;
}

static const char *const loghub[] = {
	"Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "OpenSSH",
	"Proxifier", "Spark", "Windows",
};

static int load_loghub(const char *dir, struct rows *r)
{
	size_t i;
	char path[4096];
	for (i = 0; i < sizeof loghub / sizeof loghub[0]; i++) {
		snprintf(path, sizeof path, "%s/%s/%s_2k.log_structured_corrected.csv",
		         dir, loghub[i], loghub[i]);
		if (load_csv(path, loghub[i], r) != 0) {
			fprintf(stderr, "eval_engine: cannot read %s\n", path);
			return -1;
		}
	}
	return 0;
}

/* ---- speed ---------------------------------------------------------- */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const words[] = {
	"summarize", "the", "following", "customer", "ticket", "and", "reply",
	"politely", "classify", "sentiment", "of", "review", "translate", "into",
	"French", "extract", "entities", "from", "document", "answer", "question",
	"using", "context", "below", "write", "short", "poem", "about", "order",
	"shipping", "refund", "account", "password", "invoice", "product",
};
#define NWORDS (sizeof words / sizeof words[0])

static void append(char *buf, size_t cap, size_t *n, const char *s)
{
	size_t l = strlen(s);
	if (*n + l + 1 < cap) {
		memcpy(buf + *n, s, l);
		*n += l;
		buf[*n] = '\0';
	}
}

/* Template k of a synthetic family: a few frame words, a task id, slots. */
static void make_template(size_t k, char *buf, size_t cap)
{
	size_t n = 0, i, nw = 6 + k % 7;
	char id[64];
	buf[0] = '\0';
	snprintf(id, sizeof id, "Task T%zu: ", k);
	append(buf, cap, &n, id);
	uint64_t save = rng;
	rng = 0x9e3779b97f4a7c15ULL * (k + 1);
	for (i = 0; i < nw; i++) {
		append(buf, cap, &n, words[next_rand() % NWORDS]);
		append(buf, cap, &n, i == nw / 2 ? " {var_0} " : " ");
	}
	append(buf, cap, &n, "context: {var_1}.");
	rng = save;
}

/* A text of template k with random values (multi-word second value). */
static void make_text(size_t k, char *buf, size_t cap)
{
	char t[1024], val[512];
	size_t n = 0, i, nv;
	make_template(k, t, sizeof t);
	buf[0] = '\0';
	for (i = 0; t[i];) {
		if (!strncmp(t + i, "{var_0}", 7)) {
			snprintf(val, sizeof val, "user%llu",
			         (unsigned long long)(next_rand() % 100000));
			append(buf, cap, &n, val);
			i += 7;
		} else if (!strncmp(t + i, "{var_1}", 7)) {
			nv = 3 + next_rand() % 30;
			val[0] = '\0';
			while (nv--) {
				size_t l = strlen(val);
				snprintf(val + l, sizeof val - l, "%s%s", l ? " " : "",
				         words[next_rand() % NWORDS]);
			}
			append(buf, cap, &n, val);
			i += 7;
		} else {
			char c[2] = { t[i++], 0 };
			append(buf, cap, &n, c);
		}
	}
}

static void speed_match(size_t ntemplates)
{
	struct matcher *m = matcher_new();
	char buf[2048];
	size_t i, hits = 0, rounds = 20000;
	double t0, dt;
	for (i = 0; i < ntemplates; i++) {
		struct tmpl *t;
		make_template(i, buf, sizeof buf);
		t = tmpl_parse(buf, strlen(buf));
		matcher_add(m, (int64_t)i, t);
		tmpl_free(t);
	}
	t0 = now();
	for (i = 0; i < rounds; i++) {
		double s;
		make_text(next_rand() % ntemplates, buf, sizeof buf);
		hits += matcher_best(m, buf, strlen(buf), 0.6, &s) >= 0;
	}
	dt = now() - t0;
	printf("auto-match, %5zu templates: %.2f us/trace (fitting texts, %zu/%zu "
	       "matched, text generation included)\n", ntemplates,
	       dt / (double)rounds * 1e6, hits, rounds);
	t0 = now();
	for (i = 0; i < rounds; i++) {
		double s;
		snprintf(buf, sizeof buf, "unrelated request %zu about %s and %s", i,
		         words[next_rand() % NWORDS], words[next_rand() % NWORDS]);
		hits += matcher_best(m, buf, strlen(buf), 0.6, &s) >= 0;
	}
	dt = now() - t0;
	printf("auto-match, %5zu templates: %.2f us/trace (texts fitting none)\n",
	       ntemplates, dt / (double)rounds * 1e6);
	matcher_free(m);
}

static void speed_cluster(size_t ndistinct, size_t ntasks)
{
	struct cluster_item *items = calloc(ndistinct, sizeof *items);
	struct group_params p = GROUP_PARAMS_DEFAULT;
	struct cluster_result res;
	char buf[2048];
	size_t i, bytes = 0;
	double t0, dt;
	for (i = 0; i < ndistinct; i++) {
		make_text(i % ntasks, buf, sizeof buf);
		items[i].text = xstrdup(buf);
		items[i].len = strlen(buf);
		items[i].weight = 1 + (uint32_t)(next_rand() % 40);
		bytes += items[i].len;
	}
	t0 = now();
	if (cluster_run(items, ndistinct, &p, NULL, NULL, &res) != 0)
		exit(1);
	dt = now() - t0;
	printf("cluster_run: %zu distinct texts (%zu tasks, %.1f MB): %.3f s, "
	       "%.0f texts/s, %zu clusters\n", ndistinct, ntasks,
	       (double)bytes / 1e6, dt, (double)ndistinct / dt, res.n_clusters);
	cluster_result_free(&res);
	for (i = 0; i < ndistinct; i++)
		free((char *)items[i].text);
	free(items);
}

static void speed(void)
{
	speed_match(1000);
	speed_match(10000);
	speed_cluster(10000, 20);
	speed_cluster(50000, 50);
}

int main(int argc, char **argv)
{
	struct opts o = { GROUP_PARAMS_DEFAULT, 0 };
	struct rows r = {0};
	const char *tsv = NULL, *dir = NULL, *bad;
	int i, do_speed = 0, rc;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tsv") && i + 1 < argc)
			tsv = argv[++i];
		else if (!strcmp(argv[i], "--show"))
			o.show = 1;
		else if (!strcmp(argv[i], "--speed"))
			do_speed = 1;
		else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
			o.p.similarity_threshold = atof(argv[++i]);
		else if (!strcmp(argv[i], "--min-size") && i + 1 < argc)
			o.p.min_cluster_size = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--sample") && i + 1 < argc)
			o.p.max_sample_size = (uint32_t)atoi(argv[++i]);
		else
			dir = argv[i];
	}
	if ((bad = group_params_check(&o.p)) != NULL) {
		fprintf(stderr, "eval_engine: %s\n", bad);
		return 2;
	}
	if (do_speed) {
		speed();
		return 0;
	}
	if (tsv ? load_tsv(tsv, &r) : dir ? load_loghub(dir, &r) : -1) {
		fprintf(stderr, "usage: eval_engine LOGHUB_DIR | --tsv FILE | "
		        "--speed [--threshold X --min-size N --sample N]\n");
		return 2;
	}
	rc = report(&r, &o);
	for (i = 0; (size_t)i < r.n; i++) {
		free(r.v[i].part);
		free(r.v[i].truth);
		free(r.v[i].text);
	}
	free(r.v);
	return rc;
}
