/*
 * pattern.c - grouping by positional token frequency (see pattern.h).
 */
#include "engine/pattern.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/hashmap.h"
#include "engine/token.h"

struct skeletons {
	uint64_t *pool;            /* all skeleton tokens */
	size_t npool, cappool;
	size_t *off, *len;         /* per skeleton */
	uint64_t *count;           /* traces (item weights) with this skeleton */
	size_t n, cap;
	uint32_t *of_item;
};

int cancel_check(struct cancel_poll *c)
{
	if (!c || !c->fn)
		return 0;
	if (c->ticks++ % 256)
		return 0;
	return c->fn(c->ctx) != 0;
}

static uint64_t seq_hash(const uint64_t *v, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ n;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= v[i];
		h *= 0x100000001b3ULL;
		h ^= h >> 31;
	}
	return h;
}

static void push_id(struct skeletons *s, size_t *n, uint64_t id)
{
	if (s->npool + *n + 1 > s->cappool)
		s->pool = eng_grow(s->pool, &s->cappool, s->npool + *n + 1,
		                   sizeof *s->pool);
	s->pool[s->npool + (*n)++] = id;
}

/* A text's tokens and their value marks, reused from text to text. */
struct scratch {
	struct tokvec tv;
	bool *m;
	size_t mcap;
};

/* Masked token ids of one text, appended to the pool.  Values are VAR
 * pieces, unit words after a value ("KB"), host names before ":port", and
 * punctuation stuck to any of these; each run of value tokens becomes one
 * mask, so "10.0.0.1:80", "(1.2 KB)" and "<1 sec" differ in shape, not in
 * kind. */
static size_t skeleton_of(struct skeletons *s, const char *text, size_t len,
                          struct scratch *x)
{
	size_t i, n = 0;
	const struct tokvec *tv = &x->tv;
	x->tv.n = 0;
	tok_split(text, len, &x->tv);
	x->m = eng_grow(x->m, &x->mcap, x->tv.n + 1, sizeof *x->m);
	tok_mark_values(text, tv, x->m);
	for (i = 0; i < tv->n; i++) {
		if (!x->m[i])
			push_id(s, &n, tv->v[i].id);
		else if (i == 0 || !x->m[i - 1])
			push_id(s, &n, TOK_MASK_ID);
	}
	return n;
}

static uint32_t intern(struct skeletons *s, struct hmap *seen, size_t n,
                       uint32_t weight)
{
	const uint64_t *v = s->pool + s->npool;
	uint64_t h = seq_hash(v, n), *slot = hmap_slot(seen, h, 0);
	size_t cap;
	/* chain on collision: probe h+1, h+2, ... */
	while (*slot && !(s->len[*slot - 1] == n &&
	                  !memcmp(s->pool + s->off[*slot - 1], v, n * sizeof *v)))
		slot = hmap_slot(seen, ++h, 0);
	if (*slot) {
		s->count[*slot - 1] += weight;
		return (uint32_t)(*slot - 1);
	}
	cap = s->cap;
	s->off = eng_grow(s->off, &cap, s->n + 1, sizeof *s->off);
	cap = s->cap;
	s->len = eng_grow(s->len, &cap, s->n + 1, sizeof *s->len);
	s->count = eng_grow(s->count, &s->cap, s->n + 1, sizeof *s->count);
	s->off[s->n] = s->npool;
	s->len[s->n] = n;
	s->count[s->n] = weight;
	s->npool += n;
	*slot = ++s->n;
	return (uint32_t)(s->n - 1);
}

static int build_skeletons(const struct cluster_item *items, size_t n,
                           struct skeletons *s, struct cancel_poll *cancel)
{
	struct hmap seen = {0};
	struct scratch x = {0};
	size_t i;
	hmap_init(&seen, n);
	s->of_item = eng_xmalloc((n + 1) * sizeof *s->of_item);
	for (i = 0; i < n; i++) {
		size_t len;
		if (items[i].len > PATTERN_MAX_BYTES) {
			len = 0;                /* a skeleton of its own */
			push_id(s, &len, tok_hash(items[i].text, items[i].len));
		} else {
			len = skeleton_of(s, items[i].text, items[i].len, &x);
		}
		s->of_item[i] = intern(s, &seen, len, items[i].weight ? items[i].weight : 1);
		if (cancel_check(cancel))
			break;
	}
	hmap_free(&seen);
	tokvec_free(&x.tv);
	free(x.m);
	return i < n;
}

static uint64_t cell_key(size_t len, size_t col, uint64_t tok)
{
	return (tok ^ (len * 0x9e3779b97f4a7c15ULL)) + col * 0xc2b2ae3d27d4eb4fULL;
}

#define SMALL_BUCKET 4

/* Traces per (position, token) among the skeletons ks[0..nk) of length
 * len, into cnt (row i for ks[i]; 0 for masks).  One bucket of lengths at
 * a time keeps the table small and hot. */
static void count_bucket(const struct skeletons *s, const uint32_t *ks,
                         size_t nk, size_t len, uint64_t *cnt)
{
	struct hmap freq = {0};
	size_t i, c;
	if (nk <= SMALL_BUCKET) {  /* a few skeletons: compare them directly */
		for (i = 0; i < nk; i++)
			for (c = 0; c < len; c++) {
				uint64_t tok = s->pool[s->off[ks[i]] + c], n = 0;
				if (tok != TOK_MASK_ID)
					for (size_t j = 0; j < nk; j++)
						if (s->pool[s->off[ks[j]] + c] == tok)
							n += s->count[ks[j]];
				cnt[i * len + c] = n;
			}
		return;
	}
	hmap_init(&freq, nk * len / 4 + 16);
	for (i = 0; i < nk; i++)
		for (c = 0; c < len; c++)
			*hmap_slot(&freq, cell_key(len, c, s->pool[s->off[ks[i]] + c]),
			           0) += s->count[ks[i]];
	for (i = 0; i < nk; i++)
		for (c = 0; c < len; c++) {
			uint64_t tok = s->pool[s->off[ks[i]] + c], *out;
			out = &cnt[i * len + c];
			*out = 0;
			if (tok != TOK_MASK_ID)
				hmap_get(&freq, cell_key(len, c, tok), out);
		}
	hmap_free(&freq);
}

static void pattern_of(const struct skeletons *s, const uint64_t *cnt,
                       size_t k, uint64_t *f, uint64_t *out);

static void bucket_patterns(const struct skeletons *s, const uint32_t *ks,
                            size_t nk, size_t len, uint64_t *hash,
                            uint8_t *var)
{
	uint64_t *cnt = eng_xmalloc((nk * len + 1) * sizeof *cnt);
	uint64_t *f = eng_xmalloc((len + 1) * sizeof *f);
	uint64_t *out = eng_xmalloc((len + 1) * sizeof *out);
	size_t i, c;
	count_bucket(s, ks, nk, len, cnt);
	for (i = 0; i < nk; i++) {
		pattern_of(s, cnt + i * len, ks[i], f, out);
		hash[ks[i]] = seq_hash(out, len) ^ len;
		for (c = 0; c < len; c++)
			var[s->off[ks[i]] + c] = out[c] == TOK_MASK_ID;
	}
	free(cnt);
	free(f);
	free(out);
}

/* The masked pattern of every skeleton, bucket by bucket of equal length:
 * hash[k] identifies skeleton k's pattern, var[] (laid out as the pool)
 * marks its variable positions.  Counts live for one bucket only. */
static void patterns_of(const struct skeletons *s, uint64_t *hash,
                        uint8_t *var)
{
	size_t maxlen = 0, k, *start, *fill;
	uint32_t *order;
	for (k = 0; k < s->n; k++)
		maxlen = s->len[k] > maxlen ? s->len[k] : maxlen;
	start = eng_xcalloc(maxlen + 3, sizeof *start);
	order = eng_xmalloc((s->n + 1) * sizeof *order);
	for (k = 0; k < s->n; k++)
		start[s->len[k] + 2]++;
	for (k = 2; k < maxlen + 3; k++)
		start[k] += start[k - 1];
	fill = start + 1;
	for (k = 0; k < s->n; k++)
		order[fill[s->len[k]]++] = (uint32_t)k;
	for (k = 0; k <= maxlen; k++)
		if (start[k + 1] > start[k])
			bucket_patterns(s, order + start[k], start[k + 1] - start[k], k,
			                hash, var);
	free(start);
	free(order);
}

/* Ascending sort of f[0..n) without qsort's per-compare call: counts are
 * sorted once per skeleton, the hot loop of this pass. */
static void sort_u64(uint64_t *f, size_t n)
{
	while (n > 16) {
		uint64_t pivot = f[n / 2], t;
		size_t i = 0, j = n - 1;
		for (;;) {
			while (f[i] < pivot)
				i++;
			while (f[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = f[i], f[i] = f[j], f[j] = t;
			i++, j--;
		}
		/* recurse into the smaller side, loop on the larger */
		if (j + 1 < n - j - 1) {
			sort_u64(f, j + 1);
			f += j + 1;
			n -= j + 1;
		} else {
			sort_u64(f + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = f[i];
		size_t j = i;
		for (; j > 0 && f[j - 1] > v; j--)
			f[j] = f[j - 1];
		f[j] = v;
	}
}

/* The count shared by most tokens of f[0..n) (ties: the larger). */
static uint64_t mode_of(uint64_t *f, size_t n)
{
	size_t i, run = 0, best_run = 0;
	uint64_t best = 0;
	sort_u64(f, n);
	for (i = 0; i < n; i++) {
		run = i && f[i] == f[i - 1] ? run + 1 : 1;
		if (run >= best_run) {
			best_run = run;
			best = f[i];
		}
	}
	return best;
}

/* Skeleton k with its variable positions masked, into out[]; cnt[c] is
 * the count of its token at position c. */
static void pattern_of(const struct skeletons *s, const uint64_t *cnt,
                       size_t k, uint64_t *f, uint64_t *out)
{
	const uint64_t *v = s->pool + s->off[k];
	size_t n = s->len[k], c, nf = 0;
	uint64_t F;
	for (c = 0; c < n; c++) {
		out[c] = 0;
		if (v[c] != TOK_MASK_ID)
			out[c] = cnt[c];
		if (out[c])
			f[nf++] = out[c];
	}
	F = mode_of(f, nf);
	for (c = 0; c < n; c++)
		out[c] = out[c] && out[c] >= F ? v[c] : TOK_MASK_ID;
}

/*
 * Child direction: inside one pattern group, a variable column holding
 * only a few distinct words that repeat across the group's texts names
 * sub-templates ("Failed password" / "Failed none"), not values.  Split on
 * the column with the fewest distinct words while it has at most
 * SPLIT_MAX of them and the group has SPLIT_RATIO texts per word.  A
 * column right after "=" holds the value of a key ("user=root",
 * "user=guest"): a value, however few its words.  Only a short text (a
 * log line, at most SPLIT_MAX_LEN tokens) names its event by one word: in
 * a longer one, a word or two apart is an edit of one prompt (a command
 * list reading "scroll_up" where its other version reads "scroll_down").
 */
#define SPLIT_MAX 3
#define SPLIT_RATIO 3
#define SPLIT_MAX_LEN 64

struct split {
	const struct skeletons *s;
	const uint8_t *var;        /* variable positions, same layout as pool */
	uint64_t equals;           /* id of the token "=" */
	uint32_t *leaf;            /* per skeleton: final group */
	long nleaf;
};

static size_t distinct_at(const struct split *sp, const uint32_t *mem,
                          size_t n, size_t c, uint64_t *vals)
{
	size_t i, nd = 0, j;
	for (i = 0; i < n; i++) {
		uint64_t v = sp->s->pool[sp->s->off[mem[i]] + c];
		for (j = 0; j < nd && vals[j] != v; j++)
			;
		if (j == nd) {
			if (nd == SPLIT_MAX)
				return nd + 1;
			vals[nd++] = v;
		}
	}
	return nd;
}

static void split_group(struct split *sp, uint32_t *mem, size_t n,
                        uint8_t *used)
{
	size_t len = sp->s->len[mem[0]], c, best = (size_t)-1, bestd = 0, i, d;
	uint64_t vals[SPLIT_MAX + 1], texts = 0;
	for (i = 0; i < n; i++)
		texts += sp->s->count[mem[i]];
	for (c = 0; c < len && n > 1 && len <= SPLIT_MAX_LEN; c++) {
		if (used[c] || !sp->var[sp->s->off[mem[0]] + c])
			continue;
		if (c > 0 && sp->s->pool[sp->s->off[mem[0]] + c - 1] == sp->equals)
			continue;
		d = distinct_at(sp, mem, n, c, vals);
		if (d > 1 && d <= SPLIT_MAX && texts >= SPLIT_RATIO * d &&
		    (best == (size_t)-1 || d < bestd)) {
			best = c;
			bestd = d;
		}
	}
	if (best == (size_t)-1) {
		for (i = 0; i < n; i++)
			sp->leaf[mem[i]] = (uint32_t)sp->nleaf;
		sp->nleaf++;
		return;
	}
	distinct_at(sp, mem, n, best, vals);
	used[best] = 1;
	for (d = 0; d < bestd; d++) {       /* stable partition by value */
		size_t m = 0;
		uint32_t *sub = eng_xmalloc(n * sizeof *sub);
		for (i = 0; i < n; i++)
			if (sp->s->pool[sp->s->off[mem[i]] + best] == vals[d])
				sub[m++] = mem[i];
		split_group(sp, sub, m, used);
		free(sub);
	}
	used[best] = 0;
}

long pattern_group(const struct cluster_item *items, size_t n,
                   uint32_t *group, struct cancel_poll *cancel)
{
	struct skeletons s = {0};
	struct hmap groups = {0};
	uint64_t *hash = NULL;
	struct split sp = {0};
	uint32_t *of_skel = NULL;
	uint8_t *used = NULL, *var = NULL;
	size_t k, i, ng = 0, maxlen = 0;
	long rc = 0;
	s.pool = eng_grow(s.pool, &s.cappool, 1, sizeof *s.pool);  /* never NULL + 0 */
	if (build_skeletons(items, n, &s, cancel)) {
		rc = -1;
		goto out;
	}
	hash = eng_xmalloc((s.n + 1) * sizeof *hash);
	var = eng_xmalloc(s.npool + 1);
	patterns_of(&s, hash, var);
	hmap_init(&groups, s.n);
	of_skel = eng_xmalloc((s.n + 1) * sizeof *of_skel);
	for (k = 0; k < s.n; k++) {
		uint64_t *slot = hmap_slot(&groups, hash[k], 0);
		if (!*slot)
			*slot = ++ng;
		of_skel[k] = (uint32_t)(*slot - 1);
		if (s.len[k] > maxlen)
			maxlen = s.len[k];
	}
	/* split each pattern group (members in skeleton order) */
	sp.s = &s;
	sp.var = var;
	sp.equals = tok_hash("=", 1);
	sp.leaf = eng_xmalloc((s.n + 1) * sizeof *sp.leaf);
	used = eng_xcalloc(maxlen + 1, 1);
	{
		size_t *start = eng_xcalloc(ng + 2, sizeof *start), *fill;
		uint32_t *order = eng_xmalloc((s.n + 1) * sizeof *order);
		for (k = 0; k < s.n; k++)
			start[of_skel[k] + 2]++;
		for (i = 2; i < ng + 2; i++)
			start[i] += start[i - 1];
		fill = start + 1;
		for (k = 0; k < s.n; k++)
			order[fill[of_skel[k]]++] = (uint32_t)k;
		for (i = 0; i < ng; i++)
			split_group(&sp, order + start[i], start[i + 1] - start[i], used);
		free(start);
		free(order);
	}
	/* number leaves by first appearance */
	{
		uint32_t *num = eng_xmalloc(((size_t)sp.nleaf + 1) * sizeof *num);
		for (i = 0; i < (size_t)sp.nleaf; i++)
			num[i] = UINT32_MAX;
		for (i = 0; i < n; i++) {
			uint32_t l = sp.leaf[s.of_item[i]];
			if (num[l] == UINT32_MAX)
				num[l] = (uint32_t)rc++;
			group[i] = num[l];
		}
		free(num);
	}
out:
	free(hash);
	free(var);
	free(of_skel);
	free(used);
	free(sp.leaf);
	hmap_free(&groups);
	free(s.pool);
	free(s.off);
	free(s.len);
	free(s.count);
	free(s.of_item);
	return rc;
}
