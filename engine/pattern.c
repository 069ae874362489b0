/*
 * pattern.c - grouping by positional token frequency (see pattern.h).
 */
#include "engine/pattern.h"

#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/hashmap.h"
#include "engine/token.h"

struct skeletons {
	uint64_t *pool;            /* all skeleton tokens */
	size_t npool, cappool;
	size_t *off, *len;         /* per skeleton */
	uint32_t *count;           /* distinct texts with this skeleton */
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

/* Masked token ids of one text, appended to the pool. */
static size_t skeleton_of(struct skeletons *s, const char *text, size_t len,
                          struct tokvec *tv)
{
	size_t i, n = 0;
	tv->n = 0;
	tok_split(text, len, tv);
	for (i = 0; i < tv->n; i++) {
		uint64_t id = tok_skeleton_id(&tv->v[i]);
		if (id == TOK_MASK_ID && n && s->pool[s->npool + n - 1] == id)
			continue;
		s->pool = eng_grow(s->pool, &s->cappool, s->npool + n + 1,
		                   sizeof *s->pool);
		s->pool[s->npool + n++] = id;
	}
	return n;
}

static uint32_t intern(struct skeletons *s, struct hmap *seen, size_t n)
{
	const uint64_t *v = s->pool + s->npool;
	uint64_t h = seq_hash(v, n), *slot = hmap_slot(seen, h, 0);
	size_t cap;
	/* chain on collision: probe h+1, h+2, ... */
	while (*slot && !(s->len[*slot - 1] == n &&
	                  !memcmp(s->pool + s->off[*slot - 1], v, n * sizeof *v)))
		slot = hmap_slot(seen, ++h, 0);
	if (*slot) {
		s->count[*slot - 1]++;
		return (uint32_t)(*slot - 1);
	}
	cap = s->cap;
	s->off = eng_grow(s->off, &cap, s->n + 1, sizeof *s->off);
	cap = s->cap;
	s->len = eng_grow(s->len, &cap, s->n + 1, sizeof *s->len);
	s->count = eng_grow(s->count, &s->cap, s->n + 1, sizeof *s->count);
	s->off[s->n] = s->npool;
	s->len[s->n] = n;
	s->count[s->n] = 1;
	s->npool += n;
	*slot = ++s->n;
	return (uint32_t)(s->n - 1);
}

static int build_skeletons(const struct cluster_item *items, size_t n,
                           struct skeletons *s, struct cancel_poll *cancel)
{
	struct hmap seen = {0};
	struct tokvec tv = {0};
	size_t i;
	hmap_init(&seen, n);
	s->of_item = eng_xmalloc((n + 1) * sizeof *s->of_item);
	for (i = 0; i < n; i++) {
		size_t len = skeleton_of(s, items[i].text, items[i].len, &tv);
		s->of_item[i] = intern(s, &seen, len);
		if (cancel_check(cancel))
			break;
	}
	hmap_free(&seen);
	tokvec_free(&tv);
	return i < n;
}

static uint64_t cell_key(size_t len, size_t col, uint64_t tok)
{
	return (tok ^ (len * 0x9e3779b97f4a7c15ULL)) + col * 0xc2b2ae3d27d4eb4fULL;
}

static void count_cells(const struct skeletons *s, struct hmap *freq)
{
	size_t k, c;
	hmap_init(freq, s->npool);
	for (k = 0; k < s->n; k++)
		for (c = 0; c < s->len[k]; c++)
			*hmap_slot(freq, cell_key(s->len[k], c,
			                          s->pool[s->off[k] + c]), 0) +=
			    s->count[k];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The count shared by most tokens of f[0..n) (ties: the larger). */
static uint64_t mode_of(uint64_t *f, size_t n)
{
	size_t i, run = 0, best_run = 0;
	uint64_t best = 0;
	qsort(f, n, sizeof *f, cmp_u64);
	for (i = 0; i < n; i++) {
		run = i && f[i] == f[i - 1] ? run + 1 : 1;
		if (run >= best_run) {
			best_run = run;
			best = f[i];
		}
	}
	return best;
}

/* Hash of skeleton k with its variable positions masked. */
static uint64_t pattern_key(const struct skeletons *s, const struct hmap *freq,
                            size_t k, uint64_t *f, uint64_t *g)
{
	const uint64_t *v = s->pool + s->off[k];
	size_t n = s->len[k], c, nf = 0;
	uint64_t F, h;
	for (c = 0; c < n; c++) {
		g[c] = 0;
		if (v[c] != TOK_MASK_ID)
			hmap_get(freq, cell_key(n, c, v[c]), &g[c]);
		if (g[c])
			f[nf++] = g[c];
	}
	F = mode_of(f, nf);
	for (c = 0; c < n; c++)
		f[c] = g[c] && g[c] >= F ? v[c] : TOK_MASK_ID;
	h = seq_hash(f, n);
	return h;
}

long pattern_group(const struct cluster_item *items, size_t n,
                   uint32_t *group, struct cancel_poll *cancel)
{
	struct skeletons s = {0};
	struct hmap freq = {0}, groups = {0};
	uint32_t *of_skel;
	uint64_t *f = NULL, *g = NULL;
	size_t k, i, capf = 0, capg = 0;
	long ng = 0;
	if (build_skeletons(items, n, &s, cancel)) {
		ng = -1;
		goto out;
	}
	count_cells(&s, &freq);
	hmap_init(&groups, s.n);
	of_skel = eng_xmalloc((s.n + 1) * sizeof *of_skel);
	for (k = 0; k < s.n; k++) {
		uint64_t key, *slot;
		f = eng_grow(f, &capf, s.len[k] + 1, sizeof *f);
		g = eng_grow(g, &capg, s.len[k] + 1, sizeof *g);
		key = pattern_key(&s, &freq, k, f, g) ^ s.len[k];
		slot = hmap_slot(&groups, key, 0);
		if (!*slot)
			*slot = (uint64_t)++ng;
		of_skel[k] = (uint32_t)(*slot - 1);
	}
	for (i = 0; i < n; i++)
		group[i] = of_skel[s.of_item[i]];
	free(of_skel);
out:
	free(f);
	free(g);
	hmap_free(&freq);
	hmap_free(&groups);
	free(s.pool);
	free(s.off);
	free(s.len);
	free(s.count);
	free(s.of_item);
	return ng;
}
