/*
 * refine.c - parts of a cluster by the shapes of its slot values (see
 * refine.h).
 */
#include "engine/refine.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/hashmap.h"
#include "engine/template.h"
#include "engine/token.h"

#define ANY 0x6a09e667f3bcc909ULL  /* a slot value that says nothing */
#define WORD 0xbb67ae8584caa73bULL /* any plain word */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x100000001b3ULL;
	return h ^ (h >> 31);
}

struct scratch {
	struct tokvec tv;
	bool m[REFINE_MAX_TOKENS + 1];
};

/* Month and day names, whole or cut to three letters ("Sept" too), in
 * any case: next to a number they are part of a date. */
static bool date_word(const char *w, size_t len)
{
	static const char *const names[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday",
	};
	size_t i, k;
	if (len < 3)
		return false;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		size_t n = strlen(names[i]);
		if (len != n && len != 3 && !(len == 4 && i == 8))
			continue;
		if (len > n)
			continue;
		for (k = 0; k < len && (w[k] | 0x20) == names[i][k]; k++)
			;
		if (k == len)
			return true;
	}
	return false;
}

/* Date words next to a value are values too: "June 3, 2026", "7 May",
 * "Sun Jul  3 10:05:25 2005". */
static void mark_dates(const char *s, const struct tokvec *tv, bool *m)
{
	size_t i, n = tv->n;
	for (i = 1; i < n; i++)
		if (!m[i] && m[i - 1] && tv->v[i].kind == TOK_WORD &&
		    date_word(s + tv->v[i].off, tv->v[i].len))
			m[i] = true;
	for (i = n; i-- > 1;)
		if (!m[i - 1] && m[i] && tv->v[i - 1].kind == TOK_WORD &&
		    date_word(s + tv->v[i - 1].off, tv->v[i - 1].len))
			m[i - 1] = true;
}

/* What value_shape says of a value that is not structured. */
#define VALUES 0               /* values only, or one word: a value slot */
#define PROSE 2                /* words without a value, or too long */

/*
 * Shape of the value s[0..len): token ids, each plain word as any word,
 * each run of values masked once (an odd number), or VALUES or PROSE.
 * Values are those of tok_mark_values and whatever is stuck to one before
 * it, so a value ends at whitespace ("/servers/detail?all_tenants=True").
 */
static uint64_t value_shape(const char *s, size_t len, struct scratch *x)
{
	uint64_t h = 0x243f6a8885a308d3ULL;
	bool value = false;
	size_t i, words = 0;
	if (len > REFINE_MAX_BYTES)
		return PROSE;
	x->tv.n = 0;
	tok_split(s, len, &x->tv);
	if (x->tv.n > REFINE_MAX_TOKENS)
		return PROSE;
	tok_mark_values(s, &x->tv, x->m);
	mark_dates(s, &x->tv, x->m);
	for (i = 0; i < x->tv.n; i++) {
		const struct tok *t = &x->tv.v[i];
		bool v = x->m[i] = x->m[i] || (i > 0 && x->m[i - 1] &&
		                               tok_touching(&x->tv.v[i - 1], t));
		if (!v)
			h = mix(h, t->kind == TOK_WORD ? WORD : t->id);
		else if (i == 0 || !x->m[i - 1])
			h = mix(h, TOK_MASK_ID);
		words += !v && t->kind == TOK_WORD;
		value |= v;
	}
	if (!words)
		return VALUES;
	if (!value)
		return words > 1 ? PROSE : VALUES;
	return h | 1;
}

/*
 * Shapes of the slots of g's members, shape[k * nslots + s]; a member that
 * does not fit exactly gets VALUES throughout.  Document slots are left
 * VALUES; a slot where some member's value is prose is left VALUES too:
 * sentences there are the slot's business, not another template's.
 */
static void slot_shapes(const struct cluster_item *items, const struct group *g,
                        const struct group_params *p, uint64_t *shape)
{
	const struct tmpl *t = g->t;
	size_t ns = t->nslots, k, s, open = 0;
	size_t *bounds = eng_xmalloc((2 * ns + 1) * sizeof *bounds);
	bool *skip = eng_xmalloc(ns + 1);
	struct scratch x = {0};
	group_document_slots(t, items, g->mem, g->n, p->max_sample_size, skip);
	for (s = 0; s < ns; s++)
		open += !skip[s];
	/* Once every slot is closed, the rest of the members are not fitted:
	 * the loop below sets all their shapes to VALUES anyway. */
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &items[g->mem[k]];
		uint64_t *sh = shape + k * ns;
		bool fits = open && tmpl_fits(t, it->text, it->len, bounds);
		for (s = 0; s < ns; s++) {
			sh[s] = !fits || skip[s] ? VALUES :
			        value_shape(it->text + bounds[2 * s],
			                    bounds[2 * s + 1] - bounds[2 * s], &x);
			if (sh[s] == PROSE && !skip[s]) {
				skip[s] = true;
				open--;
			}
		}
	}
	for (k = 0; k < g->n; k++)
		for (s = 0; s < ns; s++)
			if (skip[s] || !(shape[k * ns + s] & 1))
				shape[k * ns + s] = VALUES;
	tokvec_free(&x.tv);
	free(bounds);
	free(skip);
}

/* Key of a member: its structured slot shapes, 0 when it has none. */
static uint64_t member_key(const uint64_t *sh, size_t ns)
{
	uint64_t h = 0x452821e638d01377ULL;
	bool any = false;
	size_t s;
	for (s = 0; s < ns; s++) {
		any |= sh[s] != VALUES;
		h = mix(h, sh[s] != VALUES ? sh[s] : ANY);
	}
	return any ? h | 1 : 0;
}

uint32_t refine_parts(const struct cluster_item *items, const struct group *g,
                      const struct group_params *p, uint32_t *part)
{
	const struct tmpl *t = g->t;
	struct hmap seen = {0};
	uint64_t *shape, *key, *weight, rest = 0;
	uint32_t *number, nparts = 0;
	size_t k, nkeys = 0;
	for (k = 0; k < g->n; k++)
		part[k] = 0;
	if (!t || t->nslots == 0 || g->n < 2)
		return 0;
	shape = eng_xmalloc((g->n * t->nslots + 1) * sizeof *shape);
	key = eng_xmalloc((g->n + 1) * sizeof *key);
	weight = eng_xcalloc(g->n + 1, sizeof *weight);
	number = eng_xcalloc(g->n + 1, sizeof *number);
	slot_shapes(items, g, p, shape);
	hmap_init(&seen, 16);
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &items[g->mem[k]];
		uint64_t *slot;
		key[k] = member_key(shape + k * t->nslots, t->nslots);
		if (!key[k])
			continue;
		slot = hmap_slot(&seen, key[k], 0);
		if (!*slot)
			*slot = ++nkeys;
		key[k] = *slot;            /* from here on: first-seen order, 1.. */
		weight[*slot - 1] += it->weight ? it->weight : 1;
	}
	for (k = 0; k < nkeys; k++)
		if (weight[k] >= p->min_cluster_size)
			number[k] = ++nparts;
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &items[g->mem[k]];
		if (!key[k] || !number[key[k] - 1])
			rest += it->weight ? it->weight : 1;
	}
	/* One repeated shape splits only from a rest that is a cluster too. */
	if (nparts == 1 && rest < p->min_cluster_size)
		nparts = 0;
	for (k = 0; nparts && k < g->n; k++)
		part[k] = key[k] ? number[key[k] - 1] : 0;
	hmap_free(&seen);
	free(shape);
	free(key);
	free(weight);
	free(number);
	return nparts;
}
