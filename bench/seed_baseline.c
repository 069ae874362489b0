/*
 * seed_baseline.c - the seed's batch grouping, in plain C, as a baseline.
 *
 *   seed_baseline [--threshold T] [--min-size N] [--sample N] IN.jsonl OUT.jsonl
 *
 * IN.jsonl holds native records or `tracegroup export` rows: "id",
 * "project", "model", "path", "instructions" (when that is null or absent,
 * the first user message of "input" or "messages" is used, as the seed
 * does).  OUT.jsonl gets one row per trace with the keys bench/score reads:
 * "id", "project", "task_id" (null when ungrouped), "task_instructions" and
 * "instructions".
 *
 * The algorithm is the one described in the seed's HYBRID_GROUPING_SUMMARY:
 *  - partition the traces by (project, model, path);
 *  - tokenize each text on whitespace;
 *  - greedy clustering in input order: a trace joins the first cluster (in
 *    creation order) whose representative - its first member - scores at
 *    least T (default 0.6) against it, else it starts a new cluster.  O(n^2)
 *    comparisons in the worst case per partition;
 *  - score = 2 * LCS(a, b) / (|a| + |b|) over the token lists (the longest
 *    common subsequence; 1.0 when
 *    both are empty; LCS by the bit-parallel method, see lcs()).  This is
 *    the ratio difflib.SequenceMatcher approximates with its matching
 *    blocks; LCS is the exact form.  Two exact upper bounds
 *    are checked first, as difflib's real_quick_ratio and quick_ratio do:
 *    2*min(|a|,|b|)/(|a|+|b|) and 2*|multiset intersection|/(|a|+|b|).  They
 *    skip the DP only when it could not reach T, so results are unchanged;
 *  - clusters of at least N traces (default 2) become tasks; the rest stay
 *    ungrouped;
 *  - template inference by position-wise comparison of the token lists of
 *    the first S members (default 100): with the first member as reference,
 *    a position is literal when every sample has the same token there, else
 *    it becomes {var_K}; samples longer than the reference add one trailing
 *    slot.  Tokens are joined by single spaces; literal braces are doubled
 *    (tracegroup's template syntax).
 *
 * A line "seed_baseline traces=... group_s=..." on standard error gives the
 * counts and the time spent reading, grouping (clustering plus inference)
 * and writing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <cjson/cJSON.h>

struct trace {
	char *id, *project, *text;
	uint32_t *tok;      /* token ids */
	uint32_t ntok;
	uint32_t part;      /* partition index */
	int64_t task;       /* -1 when ungrouped */
};

struct cluster {
	uint32_t *member;   /* trace indexes, in join order */
	size_t n, cap;
	int64_t task;
	char *tmpl;
};

struct partition {
	uint32_t *trace;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("seed_baseline: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

static void push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = x;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- interning: string -> dense id ------------------------------------ */

struct intern {
	char **str;        /* id -> string */
	uint32_t *slot;    /* hash slot -> id + 1, 0 empty */
	size_t n, cap;     /* strings; slots (power of two) */
};

static uint64_t hash_mem(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void intern_grow(struct intern *in)
{
	size_t cap = in->cap ? 2 * in->cap : 1024, i;
	uint32_t *slot = calloc(cap, sizeof *slot);
	if (!slot)
		exit(1);
	for (i = 0; i < in->n; i++) {
		size_t j = hash_mem(in->str[i], strlen(in->str[i])) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = (uint32_t)i + 1;
	}
	free(in->slot);
	in->slot = slot;
	in->cap = cap;
}

static uint32_t intern(struct intern *in, const char *s, size_t len)
{
	size_t j;
	if (2 * (in->n + 1) > in->cap)
		intern_grow(in);
	j = hash_mem(s, len) & (in->cap - 1);
	while (in->slot[j]) {
		const char *t = in->str[in->slot[j] - 1];
		if (!strncmp(t, s, len) && t[len] == '\0')
			return in->slot[j] - 1;
		j = (j + 1) & (in->cap - 1);
	}
	if ((in->n & (in->n - 1)) == 0)
		in->str = xrealloc(in->str, (in->n ? 2 * in->n : 1) * sizeof *in->str);
	in->str[in->n] = memcpy(xrealloc(NULL, len + 1), s, len);
	in->str[in->n][len] = '\0';
	in->slot[j] = (uint32_t)in->n + 1;
	return (uint32_t)in->n++;
}

static void intern_free(struct intern *in)
{
	size_t i;
	for (i = 0; i < in->n; i++)
		free(in->str[i]);
	free(in->str);
	free(in->slot);
}

/* ---- input ------------------------------------------------------------ */

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Text of a message's content: a string, or the first text part. */
static const char *content_text(const cJSON *msg)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(msg, "content"), *part;
	if (cJSON_IsString(c))
		return c->valuestring;
	cJSON_ArrayForEach(part, c) {
		const char *t = json_str(part, "text");
		if (t)
			return t;
	}
	return NULL;
}

static const char *first_user_message(const cJSON *o)
{
	static const char *const keys[] = { "input", "messages" };
	size_t k;
	for (k = 0; k < 2; k++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, keys[k]), *m;
		if (cJSON_IsString(arr))
			return arr->valuestring;
		cJSON_ArrayForEach(m, arr) {
			const char *role = json_str(m, "role");
			if (role && !strcmp(role, "user"))
				return content_text(m);
		}
	}
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void tokenize(struct trace *t, struct intern *vocab)
{
	const char *s = t->text;
	size_t n = 0, cap = 0;
	uint32_t *v = NULL;
	while (*s) {
		const char *b;
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		for (b = s; *s && !is_space(*s); s++)
			;
		push(&v, &n, &cap, intern(vocab, b, (size_t)(s - b)));
	}
	t->tok = v;
	t->ntok = (uint32_t)n;
}

struct corpus {
	struct trace *t;
	size_t n, cap;
	struct partition *part;
	size_t npart;
	struct intern vocab, parts;
};

static int read_input(const char *path, struct corpus *c)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, key[1024];
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	if (!f) {
		perror(path);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
		const char *id, *text, *proj, *model, *path_;
		struct trace *t;
		uint32_t p;
		lineno++;
		if (!o || !(id = json_str(o, "id"))) {
			fprintf(stderr, "seed_baseline: %s:%ld: skipped\n", path, lineno);
			cJSON_Delete(o);
			continue;
		}
		text = json_str(o, "instructions");
		if (!text)
			text = first_user_message(o);
		proj = json_str(o, "project");
		model = json_str(o, "model");
		path_ = json_str(o, "path");
		snprintf(key, sizeof key, "%s\x1f%s\x1f%s", proj ? proj : "",
		         model ? model : "", path_ ? path_ : "");
		p = intern(&c->parts, key, strlen(key));
		if (p == c->npart) {
			c->part = xrealloc(c->part, (c->npart + 1) * sizeof *c->part);
			memset(&c->part[c->npart++], 0, sizeof *c->part);
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 4096;
			c->t = xrealloc(c->t, c->cap * sizeof *c->t);
		}
		t = &c->t[c->n];
		t->id = xstrdup(id);
		t->project = xstrdup(proj ? proj : "");
		t->text = xstrdup(text ? text : "");
		t->part = p;
		t->task = -1;
		push(&c->part[p].trace, &c->part[p].n, &c->part[p].cap,
		     (uint32_t)c->n);
		c->n++;
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
	return 0;
}

/* ---- similarity -------------------------------------------------------- */

struct scratch {
	int32_t *count;     /* per token id, zero between calls */
	uint32_t *slot;     /* per token id: its mask row + 1, zero between calls */
	uint64_t *mask;     /* LCS bit vectors: V, then one row per token of a */
	size_t nmask;
	uint64_t compares, lcs_runs;
};

static uint32_t multiset_common(struct scratch *s, const struct trace *a,
                                const struct trace *b)
{
	uint32_t i, common = 0;
	for (i = 0; i < a->ntok; i++)
		s->count[a->tok[i]]++;
	for (i = 0; i < b->ntok; i++)
		if (s->count[b->tok[i]] > 0) {
			s->count[b->tok[i]]--;
			common++;
		}
	for (i = 0; i < a->ntok; i++)
		s->count[a->tok[i]] = 0;
	return common;
}

/*
 * Length of the longest common subsequence of a's and b's tokens, by the
 * bit-parallel algorithm (Allison and Dix 1986; Crochemore et al. 2001):
 * one bit per token of the shorter list, V' = (V + (V & M)) | (V & ~M) per
 * token of the other, where M marks the positions holding that token; the
 * LCS is the number of zero bits left.  Exact, like the textbook
 * O(|a||b|) table, with 64 table cells per machine word.
 */
static uint32_t lcs(struct scratch *s, const struct trace *a,
                    const struct trace *b)
{
	const struct trace *t;
	uint32_t i, j, q, nd = 0, m, words, ones = 0;
	uint64_t *v, *mask;
	if (a->ntok > b->ntok) {
		t = a;
		a = b;
		b = t;
	}
	m = a->ntok;
	words = (m + 63) / 64;
	for (i = 0; i < m; i++)
		if (!s->slot[a->tok[i]])
			s->slot[a->tok[i]] = ++nd;
	if (s->nmask < ((size_t)nd + 1) * words) {
		s->nmask = ((size_t)nd + 1) * words;
		s->mask = xrealloc(s->mask, s->nmask * sizeof *s->mask);
	}
	v = s->mask;                             /* slot 0 holds V */
	memset(s->mask, 0, ((size_t)nd + 1) * words * sizeof *s->mask);
	memset(v, 0xff, (size_t)words * sizeof *v);
	for (i = 0; i < m; i++)
		s->mask[(size_t)s->slot[a->tok[i]] * words + i / 64] |=
			1ULL << (i % 64);
	for (j = 0; j < b->ntok; j++) {
		uint32_t k = s->slot[b->tok[j]];
		uint64_t carry = 0;
		if (!k)
			continue;                   /* M = 0 leaves V as it is */
		mask = s->mask + (size_t)k * words;
		for (q = 0; q < words; q++) {
			uint64_t u = v[q] & mask[q], x = v[q] + u + carry;
			carry = x < v[q] || (carry && x == v[q]);
			v[q] = x | (v[q] & ~mask[q]);
		}
	}
	for (q = 0; q < words; q++) {
		uint64_t w = v[q];
		if (q == words - 1 && m % 64)
			w &= (1ULL << (m % 64)) - 1;
		ones += (uint32_t)__builtin_popcountll(w);
	}
	for (i = 0; i < m; i++)
		s->slot[a->tok[i]] = 0;
	return m - ones;
}

/* Whether ratio(a, b) >= threshold. */
static int similar(struct scratch *s, const struct trace *a,
                   const struct trace *b, double threshold)
{
	double total = (double)a->ntok + (double)b->ntok;
	uint32_t shorter = a->ntok < b->ntok ? a->ntok : b->ntok;
	s->compares++;
	if (total == 0)
		return 1;
	if (2.0 * shorter / total < threshold)
		return 0;
	if (2.0 * multiset_common(s, a, b) / total < threshold)
		return 0;
	s->lcs_runs++;
	return 2.0 * lcs(s, a, b) / total >= threshold;
}

/* ---- clustering and inference ----------------------------------------- */

struct params {
	double threshold;
	size_t min_size, sample;
};

static size_t cluster_partition(struct corpus *c, const struct partition *p,
                                const struct params *pr, struct scratch *s,
                                struct cluster **out)
{
	struct cluster *cl = NULL;
	size_t ncl = 0, i, k;
	for (i = 0; i < p->n; i++) {
		const struct trace *t = &c->t[p->trace[i]];
		for (k = 0; k < ncl; k++)
			if (similar(s, &c->t[cl[k].member[0]], t, pr->threshold))
				break;
		if (k == ncl) {
			cl = xrealloc(cl, (ncl + 1) * sizeof *cl);
			memset(&cl[ncl++], 0, sizeof *cl);
		}
		push(&cl[k].member, &cl[k].n, &cl[k].cap, p->trace[i]);
	}
	*out = cl;
	return ncl;
}

static void append(char **buf, size_t *n, size_t *cap, const char *s)
{
	size_t l = strlen(s);
	if (*n + l + 1 > *cap) {
		*cap = 2 * (*n + l + 1);
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *n, s, l + 1);
	*n += l;
}

/* Append a literal token, doubling braces as tracegroup's syntax wants. */
static void append_literal(char **buf, size_t *n, size_t *cap, const char *s)
{
	char one[3];
	for (; *s; s++) {
		one[0] = *s;
		one[1] = *s == '{' || *s == '}' ? *s : '\0';
		one[2] = '\0';
		append(buf, n, cap, one);
	}
}

static char *infer_template(const struct corpus *c, const struct cluster *cl,
                            const struct params *pr, const struct intern *vocab)
{
	const struct trace *ref = &c->t[cl->member[0]];
	size_t ns = cl->n < pr->sample ? cl->n : pr->sample, i, k, n = 0, cap = 0;
	unsigned slots = 0;
	int longer = 0;
	char *buf = NULL, name[32];
	append(&buf, &n, &cap, "");
	for (i = 0; i < ref->ntok; i++) {
		int same = 1;
		for (k = 1; k < ns && same; k++) {
			const struct trace *t = &c->t[cl->member[k]];
			same = i < t->ntok && t->tok[i] == ref->tok[i];
		}
		if (i)
			append(&buf, &n, &cap, " ");
		if (same) {
			append_literal(&buf, &n, &cap, vocab->str[ref->tok[i]]);
		} else {
			snprintf(name, sizeof name, "{var_%u}", slots++);
			append(&buf, &n, &cap, name);
		}
	}
	for (k = 1; k < ns; k++)
		longer |= c->t[cl->member[k]].ntok > ref->ntok;
	if (longer) {
		snprintf(name, sizeof name, "%s{var_%u}", ref->ntok ? " " : "", slots);
		append(&buf, &n, &cap, name);
	}
	return buf;
}

struct counts {
	size_t clusters, tasks, ungrouped;
};

static char **group_all(struct corpus *c, const struct params *pr,
                        struct scratch *s, struct counts *cnt)
{
	char **tmpl = NULL;
	size_t p, k, m;
	for (p = 0; p < c->npart; p++) {
		struct cluster *cl;
		size_t ncl = cluster_partition(c, &c->part[p], pr, s, &cl);
		cnt->clusters += ncl;
		for (k = 0; k < ncl; k++) {
			if (cl[k].n >= pr->min_size) {
				tmpl = xrealloc(tmpl, (cnt->tasks + 1) * sizeof *tmpl);
				tmpl[cnt->tasks] = infer_template(c, &cl[k], pr, &c->vocab);
				for (m = 0; m < cl[k].n; m++)
					c->t[cl[k].member[m]].task = (int64_t)cnt->tasks;
				cnt->tasks++;
			} else {
				cnt->ungrouped += cl[k].n;
			}
			free(cl[k].member);
		}
		free(cl);
	}
	return tmpl;
}

static int write_output(const char *path, const struct corpus *c, char **tmpl)
{
	FILE *f = fopen(path, "w");
	size_t i;
	if (!f) {
		perror(path);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		const struct trace *t = &c->t[i];
		cJSON *o = cJSON_CreateObject();
		char *line;
		cJSON_AddStringToObject(o, "id", t->id);
		cJSON_AddStringToObject(o, "project", t->project);
		if (t->task >= 0) {
			cJSON_AddNumberToObject(o, "task_id", (double)t->task + 1);
			cJSON_AddStringToObject(o, "task_instructions", tmpl[t->task]);
		} else {
			cJSON_AddNullToObject(o, "task_id");
			cJSON_AddNullToObject(o, "task_instructions");
		}
		cJSON_AddStringToObject(o, "instructions", t->text);
		line = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (!line)
			exit(1);
		fputs(line, f);
		putc('\n', f);
		free(line);
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct params pr = { 0.6, 2, 100 };
	struct corpus c = {0};
	struct scratch s = {0};
	struct counts cnt = {0};
	const char *in = NULL, *out = NULL;
	double t0, t1, t2, t3;
	char **tmpl;
	size_t i;
	int a;
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--threshold") && a + 1 < argc)
			pr.threshold = atof(argv[++a]);
		else if (!strcmp(argv[a], "--min-size") && a + 1 < argc)
			pr.min_size = (size_t)atol(argv[++a]);
		else if (!strcmp(argv[a], "--sample") && a + 1 < argc)
			pr.sample = (size_t)atol(argv[++a]);
		else if (!in)
			in = argv[a];
		else if (!out)
			out = argv[a];
		else
			in = NULL;
	}
	if (!in || !out || pr.min_size < 1 || pr.sample < 1) {
		fputs("usage: seed_baseline [--threshold T] [--min-size N] "
		      "[--sample N] IN.jsonl OUT.jsonl\n", stderr);
		return 2;
	}
	t0 = now();
	if (read_input(in, &c) != 0)
		return 1;
	t1 = now();
	for (i = 0; i < c.n; i++)
		tokenize(&c.t[i], &c.vocab);
	s.count = calloc(c.vocab.n + 1, sizeof *s.count);
	s.slot = calloc(c.vocab.n + 1, sizeof *s.slot);
	if (!s.count || !s.slot)
		return 1;
	tmpl = group_all(&c, &pr, &s, &cnt);
	t2 = now();
	if (write_output(out, &c, tmpl) != 0)
		return 1;
	t3 = now();
	fprintf(stderr, "seed_baseline traces=%zu partitions=%zu clusters=%zu "
	        "tasks=%zu ungrouped=%zu compares=%llu lcs=%llu read_s=%.3f "
	        "group_s=%.3f write_s=%.3f\n", c.n, c.npart, cnt.clusters,
	        cnt.tasks, cnt.ungrouped, (unsigned long long)s.compares,
	        (unsigned long long)s.lcs_runs, t1 - t0, t2 - t1, t3 - t2);
	for (i = 0; i < cnt.tasks; i++)
		free(tmpl[i]);
	free(tmpl);
	for (i = 0; i < c.n; i++) {
		free(c.t[i].id);
		free(c.t[i].project);
		free(c.t[i].text);
		free(c.t[i].tok);
	}
	for (i = 0; i < c.npart; i++)
		free(c.part[i].trace);
	free(c.part);
	free(c.t);
	free(s.count);
	free(s.slot);
	free(s.mask);
	intern_free(&c.vocab);
	intern_free(&c.parts);
	return 0;
}
