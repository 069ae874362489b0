/*
 * matcher.c - auto-match: the best template of a partition for one text.
 *
 * Two passes, both driven by indexes rather than a scan of all templates:
 *
 * 1. Exact fits (score 1).  Every template is filed under one key that any
 *    text fitting it must produce: its whole text when it has no slot, else
 *    a prefix of its leading literal, else a suffix of its trailing
 *    literal, else one word from inside its longest literal.  A prefix key
 *    is the hash of the first P bytes for the largest P of a fixed ladder
 *    not longer than the literal, so a text looks up one key per rung.
 *    Candidates found are checked with tmpl_fits; the lowest id wins.
 *
 * 2. Near misses.  A posting list per literal token gives, for each
 *    template sharing tokens with the text, an upper bound on its score
 *    (2c / (ntok + c) with c the shared tokens, counted with multiplicity).
 *    Templates are scored in order of decreasing bound until the bound
 *    falls below the best score found or the threshold.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/engine.h"
#include "engine/hashmap.h"
#include "engine/similarity.h"
#include "engine/template.h"
#include "engine/token.h"

static const size_t ladder[] = { 1, 2, 4, 8, 16, 32, 64 };
#define NLADDER (sizeof ladder / sizeof ladder[0])
#define NONE ((uint32_t)-1)

enum key_kind { KEY_EXACT, KEY_PREFIX, KEY_SUFFIX, KEY_WORD, KEY_NONE };

struct posting {
	uint32_t entry, mult, next;
};

struct matcher {
	struct tmpl **t;
	int64_t *id;
	uint32_t *next_fast;       /* chain of entries sharing a fast key */
	size_t n, cap;
	struct hmap fast;          /* key -> first entry + 1 */
	uint32_t *generic;         /* entries with no key: always checked */
	size_t ngeneric, capgeneric;
	struct hmap words;         /* literal token -> first posting + 1 */
	struct posting *post;
	size_t npost, cappost;
	size_t nword_keys;         /* entries filed under KEY_WORD */
};

static uint64_t key_of(enum key_kind k, size_t p, uint64_t h)
{
	return h * 0x9e3779b97f4a7c15ULL + (uint64_t)k * 131 + p;
}

struct matcher *matcher_new(void)
{
	return eng_xcalloc(1, sizeof(struct matcher));
}

void matcher_free(struct matcher *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		tmpl_free(m->t[i]);
	free(m->t);
	free(m->id);
	free(m->next_fast);
	free(m->generic);
	free(m->post);
	hmap_free(&m->fast);
	hmap_free(&m->words);
	free(m);
}

static size_t rung(size_t len)
{
	size_t r = 0;
	while (r + 1 < NLADDER && ladder[r + 1] <= len)
		r++;
	return r;
}

/* The longest token strictly inside a literal part (not touching its ends,
 * so no slot value can glue onto it).  Returns false when there is none. */
static bool inner_word(const struct tmpl *t, uint64_t *id)
{
	struct tokvec tv = {0};
	size_t i, k, best = 0;
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *p = &t->parts[i];
		if (p->slot)
			continue;
		tv.n = 0;
		tok_split(p->text, p->len, &tv);
		for (k = 0; k < tv.n; k++) {
			const struct tok *w = &tv.v[k];
			bool inside = w->kind != TOK_PUNCT && w->off > 0 &&
			    w->off + w->len < p->len &&
			    tok_is_delim((unsigned char)p->text[w->off - 1]) &&
			    tok_is_delim((unsigned char)p->text[w->off + w->len]);
			if (inside && w->len > best) {
				best = w->len;
				*id = w->id;
			}
		}
	}
	tokvec_free(&tv);
	return best > 0;
}

static enum key_kind fast_key(const struct tmpl *t, uint64_t *key)
{
	const struct tmpl_part *first, *last;
	uint64_t w;
	if (t->nparts == 0 || (t->nparts == 1 && !t->parts[0].slot)) {
		const char *s = t->nparts ? t->parts[0].text : "";
		size_t len = t->nparts ? t->parts[0].len : 0;
		*key = key_of(KEY_EXACT, 0, tok_hash(s, len));
		return KEY_EXACT;
	}
	first = &t->parts[0];
	last = &t->parts[t->nparts - 1];
	if (!first->slot) {
		size_t p = ladder[rung(first->len)];
		*key = key_of(KEY_PREFIX, p, tok_hash(first->text, p));
		return KEY_PREFIX;
	}
	if (!last->slot) {
		size_t p = ladder[rung(last->len)];
		*key = key_of(KEY_SUFFIX, p, tok_hash(last->text + last->len - p, p));
		return KEY_SUFFIX;
	}
	if (inner_word(t, &w)) {
		*key = key_of(KEY_WORD, 0, w);
		return KEY_WORD;
	}
	return KEY_NONE;
}

static void add_postings(struct matcher *m, uint32_t e)
{
	const struct tmpl *t = m->t[e];
	struct hmap mult = {0};
	size_t k;
	uint64_t c;
	hmap_init(&mult, t->ntok);
	for (k = 0; k < t->ntok; k++)
		(*hmap_slot(&mult, t->tok_ids[k], 0))++;
	for (k = 0; k < t->ntok; k++) {
		uint64_t *head;
		struct posting *p;
		if (!hmap_get(&mult, t->tok_ids[k], &c) || c == 0)
			continue;
		*hmap_slot(&mult, t->tok_ids[k], 0) = 0;   /* once per token */
		m->post = eng_grow(m->post, &m->cappost, m->npost + 1, sizeof *m->post);
		head = hmap_slot(&m->words, t->tok_ids[k], 0);
		p = &m->post[m->npost];
		p->entry = e;
		p->mult = (uint32_t)c;
		p->next = *head ? (uint32_t)(*head - 1) : NONE;
		*head = ++m->npost;
	}
	hmap_free(&mult);
}

void matcher_add(struct matcher *m, int64_t id, const struct tmpl *t)
{
	size_t cap = m->cap;
	uint32_t e = (uint32_t)m->n;
	uint64_t key;
	enum key_kind kind;
	m->t = eng_grow(m->t, &cap, m->n + 1, sizeof *m->t);
	cap = m->cap;
	m->id = eng_grow(m->id, &cap, m->n + 1, sizeof *m->id);
	m->next_fast = eng_grow(m->next_fast, &m->cap, m->n + 1,
	                        sizeof *m->next_fast);
	m->t[e] = tmpl_copy(t);
	m->id[e] = id;
	m->next_fast[e] = NONE;
	m->n++;
	kind = fast_key(m->t[e], &key);
	if (kind == KEY_NONE) {
		m->generic = eng_grow(m->generic, &m->capgeneric, m->ngeneric + 1,
		                      sizeof *m->generic);
		m->generic[m->ngeneric++] = e;
	} else {
		uint64_t *head = hmap_slot(&m->fast, key, 0);
		m->next_fast[e] = *head ? (uint32_t)(*head - 1) : NONE;
		*head = e + 1;
		m->nword_keys += kind == KEY_WORD;
	}
	add_postings(m, e);
}

struct best {
	int64_t id;
	double score;
	bool found;
};

static void consider(struct best *b, int64_t id, double score)
{
	if (!b->found || score > b->score || (score == b->score && id < b->id)) {
		b->found = true;
		b->id = id;
		b->score = score;
	}
}

static void check_chain(const struct matcher *m, uint64_t key, const char *text,
                        size_t len, struct best *b)
{
	uint64_t head;
	uint32_t e;
	if (!hmap_get(&m->fast, key, &head))
		return;
	for (e = (uint32_t)(head - 1); e != NONE; e = m->next_fast[e])
		if ((!b->found || m->id[e] < b->id) && tmpl_fits(m->t[e], text, len, NULL))
			consider(b, m->id[e], 1.0);
}

static void exact_pass(const struct matcher *m, const char *text, size_t len,
                       const struct tokvec *tv, struct best *b)
{
	size_t r, i;
	check_chain(m, key_of(KEY_EXACT, 0, tok_hash(text, len)), text, len, b);
	for (r = 0; r < NLADDER && ladder[r] <= len; r++) {
		size_t p = ladder[r];
		check_chain(m, key_of(KEY_PREFIX, p, tok_hash(text, p)), text, len, b);
		check_chain(m, key_of(KEY_SUFFIX, p, tok_hash(text + len - p, p)),
		            text, len, b);
	}
	if (m->nword_keys)
		for (i = 0; i < tv->n; i++)
			check_chain(m, key_of(KEY_WORD, 0, tv->v[i].id), text, len, b);
	for (i = 0; i < m->ngeneric; i++) {
		uint32_t e = m->generic[i];
		if (tmpl_fits(m->t[e], text, len, NULL))
			consider(b, m->id[e], 1.0);
	}
}

struct cand {
	uint32_t entry;
	double bound;
};

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->bound != b->bound)
		return a->bound < b->bound ? 1 : -1;
	return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* Shared tokens per template (with multiplicity), as candidates. */
static size_t gather(const struct matcher *m, const uint64_t *ids, size_t n,
                     double threshold, uint32_t *shared, struct cand *out)
{
	struct hmap mult = {0};
	uint32_t *touched = eng_xmalloc((m->n + 1) * sizeof *touched);
	size_t i, nt = 0, nc = 0;
	uint64_t c, head;
	hmap_init(&mult, n);
	for (i = 0; i < n; i++)
		(*hmap_slot(&mult, ids[i], 0))++;
	for (i = 0; i < n; i++) {
		uint32_t p;
		if (!hmap_get(&mult, ids[i], &c) || !c)
			continue;
		*hmap_slot(&mult, ids[i], 0) = 0;
		if (!hmap_get(&m->words, ids[i], &head))
			continue;
		for (p = (uint32_t)(head - 1); p != NONE; p = m->post[p].next) {
			uint32_t e = m->post[p].entry;
			if (!shared[e])
				touched[nt++] = e;
			shared[e] += m->post[p].mult < c ? m->post[p].mult : (uint32_t)c;
		}
	}
	for (i = 0; i < nt; i++) {
		uint32_t e = touched[i];
		double s = shared[e], bound = 2 * s / ((double)m->t[e]->ntok + s);
		shared[e] = 0;
		if (bound < threshold)
			continue;
		out[nc].entry = e;
		out[nc++].bound = bound;
	}
	for (i = 0; i < m->ngeneric; i++)
		if (m->t[m->generic[i]]->ntok == 0) {
			out[nc].entry = m->generic[i];
			out[nc++].bound = 1.0;
		}
	hmap_free(&mult);
	free(touched);
	return nc;
}

static void near_pass(const struct matcher *m, const struct tokvec *tv,
                      double threshold, struct best *b)
{
	uint64_t *ids = eng_xmalloc((tv->n + 1) * sizeof *ids);
	uint32_t *shared = eng_xcalloc(m->n + 1, sizeof *shared);
	struct cand *c = eng_xmalloc((m->n + m->ngeneric + 1) * sizeof *c);
	size_t i, nc;
	for (i = 0; i < tv->n; i++)
		ids[i] = tv->v[i].id;
	nc = gather(m, ids, tv->n, threshold, shared, c);
	qsort(c, nc, sizeof *c, cand_cmp);
	for (i = 0; i < nc; i++) {
		double s;
		if (c[i].bound < threshold || (b->found && c[i].bound < b->score))
			break;
		s = sim_score_tokens(m->t[c[i].entry], ids, tv->n);
		if (s >= threshold)
			consider(b, m->id[c[i].entry], s > 1.0 ? 1.0 : s);
	}
	free(ids);
	free(shared);
	free(c);
}

int64_t matcher_best(const struct matcher *m, const char *text, size_t len,
                     double threshold, double *score)
{
	struct best b = { -1, 0, false };
	struct tokvec tv = {0};
	if (m->nword_keys)
		tok_split(text, len, &tv);
	exact_pass(m, text, len, &tv, &b);
	if (!b.found && threshold <= 1.0 && m->n) {
		if (!tv.n)
			tok_split(text, len, &tv);
		near_pass(m, &tv, threshold, &b);
	}
	tokvec_free(&tv);
	if (score)
		*score = b.found ? b.score : 0;
	return b.found ? b.id : -1;
}
