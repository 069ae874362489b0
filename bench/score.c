/*
 * score.c - grouping quality of a tracegroup export against ground truth.
 *
 *   score [--loghub] [--label NAME] [--header] TRUTH.tsv PRED.jsonl
 *
 * TRUTH.tsv has the layout of sample-data/truth.tsv: a header line, then
 * "source_id TAB file TAB task TAB template" per trace; an empty task is a
 * one-off, a group of its own.  Tab, newline and backslash in the template
 * are written \t, \n, \\.  Templates use tracegroup's syntax ({var_N} slots,
 * literal braces doubled) unless --loghub says they use Loghub's <*>.
 *
 * PRED.jsonl is `tracegroup export --format jsonl` output, or anything with
 * the same keys: "id" (the source id), "task_id" (null when ungrouped),
 * "task_instructions" (the task's template) and "instructions".  Rows whose
 * id is not in the truth are ignored (and counted); truth rows missing from
 * PRED count as ungrouped traces with no template.
 *
 * Printed, one line (with --header, a header line first):
 *   GA  share of traces whose predicted group holds exactly the traces of
 *       their true group (ungrouped and missing traces are groups of one);
 *   F1  pairwise F1 over the pairs of traces placed in one group;
 *   TA  share of traces whose task template, normalised, equals the true
 *       one, normalised.  An ungrouped trace's template is its own text
 *       (a group of one is its own template), except that an ungrouped
 *       true one-off (empty true template) is a hit.  A true one-off placed
 *       in a task is a miss.
 * Normalisation: slots ({var_N}, or <*> for Loghub truth) become <*>, the
 * doubled braces of tracegroup's syntax become single, runs of whitespace
 * become one space, leading and trailing whitespace goes, and slots
 * separated only by whitespace merge into one <*>.  Raw trace text is taken
 * literally.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "template_norm.h"


struct trace {
	char *id;
	char *true_task;   /* NULL for a one-off */
	char *true_tmpl;   /* normalised; "" for a one-off */
	char *pred_task;   /* NULL when ungrouped or missing */
	char *pred_tmpl;   /* normalised; NULL when missing */
	uint32_t t, p;     /* group labels */
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("score: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("score: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = xmalloc(strlen(s) + 1);
	return strcpy(d, s);
}

/* ---- string -> index hash (open addressing, FNV-1a) ------------------ */

struct strmap {
	const char **key;
	uint32_t *val;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void map_init(struct strmap *m, size_t expect)
{
	m->cap = 16;
	while (m->cap < 2 * expect + 16)
		m->cap *= 2;
	m->key = xcalloc(m->cap, sizeof *m->key);
	m->val = xcalloc(m->cap, sizeof *m->val);
	m->n = 0;
}

static void map_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
}

/* Slot of key in m: where it is, or the empty slot where it would go. */
static size_t map_slot(const struct strmap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->key[i] && strcmp(m->key[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void map_grow(struct strmap *m)
{
	struct strmap g;
	size_t i;
	map_init(&g, m->cap);
	for (i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t j = map_slot(&g, m->key[i]);
			g.key[j] = m->key[i];
			g.val[j] = m->val[i];
			g.n++;
		}
	map_free(m);
	*m = g;
}

/* Value of key, inserting `val` when absent.  The map keeps the pointer. */
static uint32_t map_intern(struct strmap *m, const char *key, uint32_t val)
{
	size_t i;
	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	i = map_slot(m, key);
	if (!m->key[i]) {
		m->key[i] = key;
		m->val[i] = val;
		m->n++;
	}
	return m->val[i];
}

static int map_find(const struct strmap *m, const char *key, uint32_t *val)
{
	size_t i = map_slot(m, key);
	if (!m->key[i])
		return 0;
	*val = m->val[i];
	return 1;
}

/* ---- input ------------------------------------------------------------ */

struct traces {
	struct trace *v;
	size_t n, cap;
	struct strmap by_id;
};

static int load_truth(const char *path, enum syntax syn, struct traces *ts)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int first = 1;
	if (!f) {
		perror(path);
		return -1;
	}
	map_init(&ts->by_id, 1024);
	while ((len = getline(&line, &cap, f)) > 0) {
		char *col[4] = {line, line, line, line}, *p = line;
		struct trace *t;
		int i;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		for (i = 0; i < 4 && p; i++) {
			col[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (first && !strcmp(col[0], "source_id")) {
			first = 0;
			continue;
		}
		first = 0;
		if (i < 4) {
			fprintf(stderr, "score: %s: a line with %d columns\n", path, i);
			continue;
		}
		if (ts->n == ts->cap) {
			ts->cap = ts->cap ? 2 * ts->cap : 4096;
			ts->v = realloc(ts->v, ts->cap * sizeof *ts->v);
			if (!ts->v)
				exit(1);
		}
		t = memset(&ts->v[ts->n], 0, sizeof *t);
		t->id = xstrdup(col[0]);
		t->true_task = *col[2] ? xstrdup(col[2]) : NULL;
		unescape(col[3]);
		t->true_tmpl = normalise(col[3], syn);
		if (map_intern(&ts->by_id, t->id, (uint32_t)ts->n) != ts->n)
			fprintf(stderr, "score: duplicate truth id %s\n", t->id);
		else
			ts->n++;
	}
	free(line);
	fclose(f);
	/* the map holds pointers into ts->v[i].id, which realloc did not move */
	return 0;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Read PRED.jsonl into ts; returns rows not in the truth, or -1. */
static long load_pred(const char *path, struct traces *ts)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, buf[64];
	size_t cap = 0;
	ssize_t len;
	long extra = 0, lineno = 0;
	if (!f) {
		perror(path);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		cJSON *o = cJSON_ParseWithLength(line, (size_t)len), *task;
		const char *id, *tmpl, *text;
		struct trace *t;
		uint32_t k;
		lineno++;
		if (!o) {
			fprintf(stderr, "score: %s:%ld: not JSON\n", path, lineno);
			continue;
		}
		id = json_str(o, "id");
		if (!id || !map_find(&ts->by_id, id, &k)) {
			extra++;
			cJSON_Delete(o);
			continue;
		}
		t = &ts->v[k];
		task = cJSON_GetObjectItemCaseSensitive(o, "task_id");
		tmpl = json_str(o, "task_instructions");
		text = json_str(o, "instructions");
		free(t->pred_task);
		free(t->pred_tmpl);
		t->pred_task = NULL;
		if (cJSON_IsNumber(task)) {
			snprintf(buf, sizeof buf, "%.0f", task->valuedouble);
			t->pred_task = xstrdup(buf);
		} else if (cJSON_IsString(task)) {
			t->pred_task = xstrdup(task->valuestring);
		}
		if (t->pred_task)
			t->pred_tmpl = normalise(tmpl ? tmpl : "", OURS);
		else
			t->pred_tmpl = normalise(text ? text : "", RAW);
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
	return extra;
}

/* ---- scoring ---------------------------------------------------------- */

struct result {
	size_t n, true_groups, pred_groups, missing;
	double ga, f1, ta;
};

/* Label each trace's true and predicted group; one-offs get fresh labels. */
static void label(struct traces *ts, struct result *r)
{
	struct strmap tm, pm;
	uint32_t nt = 0, np = 0;
	size_t i;
	map_init(&tm, ts->n);
	map_init(&pm, ts->n);
	for (i = 0; i < ts->n; i++) {
		struct trace *t = &ts->v[i];
		if (t->true_task) {
			t->t = map_intern(&tm, t->true_task, nt);
			nt += t->t == nt;
		} else {
			t->t = nt++;
		}
		if (t->pred_task) {
			t->p = map_intern(&pm, t->pred_task, np);
			np += t->p == np;
		} else {
			t->p = np++;
		}
		r->missing += !t->pred_tmpl;
	}
	r->true_groups = tm.n;
	r->pred_groups = pm.n;
	map_free(&tm);
	map_free(&pm);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double pairs(double n)
{
	return n * (n - 1) / 2;
}

static void score_groups(struct traces *ts, struct result *r)
{
	size_t n = ts->n, i, j, good = 0;
	uint32_t *size_true = xcalloc(n, sizeof *size_true);
	uint32_t *size_p = xcalloc(n, sizeof *size_p);
	uint64_t *key = xmalloc(n * sizeof *key);
	double tp = 0, true_pairs = 0, pred_pairs = 0, prec, rec;
	for (i = 0; i < n; i++) {
		size_true[ts->v[i].t]++;
		size_p[ts->v[i].p]++;
		key[i] = (uint64_t)ts->v[i].p << 32 | ts->v[i].t;
	}
	qsort(key, n, sizeof *key, cmp_u64);
	for (i = 0; i < n; i = j) {
		uint32_t p = (uint32_t)(key[i] >> 32), t = (uint32_t)key[i];
		for (j = i; j < n && key[j] == key[i]; j++)
			;
		tp += pairs((double)(j - i));
		if (size_p[p] == j - i && size_true[t] == j - i)
			good += j - i;
	}
	for (i = 0; i < n; i++) {
		true_pairs += pairs(size_true[i]);
		pred_pairs += pairs(size_p[i]);
	}
	prec = pred_pairs > 0 ? tp / pred_pairs : 1;
	rec = true_pairs > 0 ? tp / true_pairs : 1;
	r->ga = n ? (double)good / (double)n : 0;
	r->f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
	free(size_true);
	free(size_p);
	free(key);
}

static void score_templates(const struct traces *ts, struct result *r)
{
	size_t i, hits = 0;
	for (i = 0; i < ts->n; i++) {
		const struct trace *t = &ts->v[i];
		if (!t->pred_tmpl)
			continue;
		if (!t->true_task)
			hits += !t->pred_task;
		else
			hits += !strcmp(t->pred_tmpl, t->true_tmpl);
	}
	r->ta = ts->n ? (double)hits / (double)ts->n : 0;
}

int main(int argc, char **argv)
{
	struct traces ts = {0};
	struct result r = {0};
	enum syntax syn = OURS;
	const char *label_name = NULL, *truth = NULL, *pred = NULL;
	int i, header = 0;
	long extra;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--loghub"))
			syn = LOGHUB;
		else if (!strcmp(argv[i], "--header"))
			header = 1;
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label_name = argv[++i];
		else if (!truth)
			truth = argv[i];
		else if (!pred)
			pred = argv[i];
		else
			truth = NULL;
	}
	if (!truth || !pred) {
		fputs("usage: score [--loghub] [--label NAME] [--header] TRUTH.tsv "
		      "PRED.jsonl\n", stderr);
		return 2;
	}
	if (load_truth(truth, syn, &ts) != 0 || (extra = load_pred(pred, &ts)) < 0)
		return 1;
	label(&ts, &r);
	score_groups(&ts, &r);
	score_templates(&ts, &r);
	if (header)
		printf("%-18s %8s %7s %7s %6s %6s %6s %7s %7s\n", "dataset", "traces",
		       "groups", "tasks", "GA", "F1", "TA", "missing", "extra");
	printf("%-18s %8zu %7zu %7zu %6.3f %6.3f %6.3f %7zu %7ld\n",
	       label_name ? label_name : truth, ts.n, r.true_groups, r.pred_groups,
	       r.ga, r.f1, r.ta, r.missing, extra);
	for (i = 0; (size_t)i < ts.n; i++) {
		free(ts.v[i].id);
		free(ts.v[i].true_task);
		free(ts.v[i].true_tmpl);
		free(ts.v[i].pred_task);
		free(ts.v[i].pred_tmpl);
	}
	free(ts.v);
	map_free(&ts.by_id);
	return 0;
}
