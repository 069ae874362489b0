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
 * 2. Near misses.  Each template is posted under a few anchors: its
 *    rarest distinct literal tokens (by how many templates held each token
 *    when it was added, then longest first), at most NANCHOR of them and
 *    none held by ANCHOR_SPREAD times more templates than the rarest.  A
 *    text that fits nothing walks only the short lists of the anchors it
 *    contains, never those of common words ("the", ":").  A text matching
 *    c of a template's ntok literal tokens (with multiplicity) scores at
 *    most 2c / (ntok + c), since matched text tokens are never inside a
 *    slot; c is counted exactly for each template found, and templates are
 *    scored in order of decreasing bound until it falls below the best
 *    score found or the threshold.  A template whose anchors include every
 *    token outside its ANCHOR_THRESHOLD suffix (fewer tokens than a text
 *    needs to share with it to score ANCHOR_THRESHOLD, see prefix
 *    filtering) is found whenever it can score that much; a longer one
 *    is found when the text holds one of its NANCHOR rarest tokens, which
 *    a near miss of a prompt does.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/engine.h"
#include "engine/hashmap.h"
#include "engine/matcher.h"
#include "engine/similarity.h"
#include "engine/template.h"
#include "engine/token.h"

static const size_t ladder[] = { 1, 2, 4, 8, 16, 32, 64 };
#define NLADDER (sizeof ladder / sizeof ladder[0])
#define NONE ((uint32_t)-1)
#define ANCHOR_THRESHOLD 0.5
#define NANCHOR 4
#define ANCHOR_SPREAD 8

enum key_kind { KEY_EXACT, KEY_PREFIX, KEY_SUFFIX, KEY_WORD, KEY_NONE };

struct posting {
	uint32_t entry, mult;
};

struct plist {                 /* one token's postings, contiguous */
	struct posting *v;
	size_t n, cap;
};

struct postings {
	struct hmap of;            /* token -> list index + 1 */
	struct plist *list;
	size_t n, cap;
};

struct others {                /* a template's literal tokens not posted */
	struct posting *v;         /* (token index in ids, multiplicity) */
	uint64_t *ids;
	size_t n;
};

struct matcher {
	struct tmpl **t;
	int64_t *id;
	size_t *lit;               /* per entry: literal bytes of its template */
	uint32_t *next_fast;       /* chain of entries sharing a fast key */
	struct others *other;      /* per entry: literal tokens not posted */
	size_t n, cap;
	struct hmap fast;          /* key -> first entry + 1 */
	uint32_t *generic;         /* entries with no key: always checked */
	size_t ngeneric, capgeneric;
	struct hmap df;            /* literal token -> templates holding it */
	struct postings anchors;
	size_t nword_keys;         /* entries filed under KEY_WORD */
	struct hmap exact_len;     /* length -> entries filed under KEY_EXACT:
	                              only a text of such a length is hashed
	                              whole */
};

static uint64_t key_of(enum key_kind k, size_t p, uint64_t h)
{
	return h * 0x9e3779b97f4a7c15ULL + (uint64_t)k * 131 + p;
}

struct matcher *matcher_new(void)
{
	return eng_xcalloc(1, sizeof(struct matcher));
}

static void postings_free(struct postings *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		free(p->list[i].v);
	free(p->list);
	hmap_free(&p->of);
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
	free(m->lit);
	free(m->next_fast);
	free(m->generic);
	for (i = 0; i < m->n; i++) {
		free(m->other[i].v);
		free(m->other[i].ids);
	}
	free(m->other);
	postings_free(&m->anchors);
	hmap_free(&m->fast);
	hmap_free(&m->df);
	hmap_free(&m->exact_len);
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

static void post(struct postings *p, uint64_t tok, uint32_t entry,
                 uint32_t mult)
{
	uint64_t *slot = hmap_slot(&p->of, tok, 0);
	struct plist *l;
	if (!*slot) {
		p->list = eng_grow(p->list, &p->cap, p->n + 1, sizeof *p->list);
		memset(&p->list[p->n], 0, sizeof *p->list);
		*slot = ++p->n;
	}
	l = &p->list[*slot - 1];
	l->v = eng_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n].entry = entry;
	l->v[l->n++].mult = mult;
}

struct tok_count {
	uint64_t id, df;
	uint32_t mult;
	size_t len;
};

/* Byte length of each of t's literal tokens (longer tokens are rarer). */
static size_t *token_lens(const struct tmpl *t)
{
	struct tokvec tv = {0};
	size_t *len = eng_xcalloc(t->ntok + 1, sizeof *len), i, k, n = 0;
	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i].slot)
			continue;
		tv.n = 0;
		tok_split(t->parts[i].text, t->parts[i].len, &tv);
		for (k = 0; k < tv.n && n < t->ntok; k++)
			len[n++] = tv.v[k].len;
	}
	tokvec_free(&tv);
	return len;
}

static int rarer(const void *x, const void *y)
{
	const struct tok_count *a = x, *b = y;
	if (a->df != b->df)
		return a->df < b->df ? -1 : 1;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* How many of its rarest tokens template t is posted under (see the file
 * comment): those outside its ANCHOR_THRESHOLD suffix when they are few,
 * else at most NANCHOR, and none held by ANCHOR_SPREAD times more
 * templates than the rarest. */
static size_t anchor_count(const struct tok_count *tc, size_t n, size_t ntok)
{
	double need = ANCHOR_THRESHOLD * (double)ntok / (2.0 - ANCHOR_THRESHOLD);
	size_t k = n, tail = 0;
	while (k > 1 && (double)(tail + tc[k - 1].mult) < need)
		tail += tc[--k].mult;
	if (k <= NANCHOR)
		return k;
	for (k = 1; k < NANCHOR && tc[k].df <= ANCHOR_SPREAD * tc[0].df; k++)
		;
	return k;
}

/* Post entry e under its anchors; keep its other tokens for counting. */
static void add_postings(struct matcher *m, uint32_t e)
{
	const struct tmpl *t = m->t[e];
	struct tok_count *tc = eng_xmalloc((t->ntok + 1) * sizeof *tc);
	struct others *o = &m->other[e];
	struct hmap at = {0};
	size_t k, n = 0, na, *len = token_lens(t);
	hmap_init(&at, t->ntok);
	for (k = 0; k < t->ntok; k++) {
		uint64_t *slot = hmap_slot(&at, t->tok_ids[k], 0);
		if (!*slot) {
			tc[n].id = t->tok_ids[k];
			tc[n].mult = 0;
			tc[n].len = len[k];
			tc[n].df = ++*hmap_slot(&m->df, t->tok_ids[k], 0);
			*slot = ++n;
		}
		tc[*slot - 1].mult++;
	}
	qsort(tc, n, sizeof *tc, rarer);
	na = anchor_count(tc, n, t->ntok);
	for (k = 0; k < na; k++)
		post(&m->anchors, tc[k].id, e, tc[k].mult);
	o->n = n - na;
	o->v = eng_xmalloc((o->n + 1) * sizeof *o->v);
	o->ids = eng_xmalloc((o->n + 1) * sizeof *o->ids);
	for (k = na; k < n; k++) {
		o->ids[k - na] = tc[k].id;
		o->v[k - na].mult = tc[k].mult;
	}
	hmap_free(&at);
	free(tc);
	free(len);
}

/* Bytes of t that are literal: of two templates a text fits exactly, the
 * one with more leaves less to its slots. */
static size_t literal_bytes(const struct tmpl *t)
{
	size_t i, n = 0;
	for (i = 0; i < t->nparts; i++)
		if (!t->parts[i].slot)
			n += t->parts[i].len;
	return n;
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
	cap = m->cap;
	m->lit = eng_grow(m->lit, &cap, m->n + 1, sizeof *m->lit);
	cap = m->cap;
	m->other = eng_grow(m->other, &cap, m->n + 1, sizeof *m->other);
	m->next_fast = eng_grow(m->next_fast, &m->cap, m->n + 1,
	                        sizeof *m->next_fast);
	m->t[e] = tmpl_copy(t);
	m->id[e] = id;
	m->lit[e] = literal_bytes(t);
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
		if (kind == KEY_EXACT)
			(*hmap_slot(&m->exact_len,
			            t->nparts ? t->parts[0].len : 0, 0))++;
	}
	add_postings(m, e);
}

struct best {
	int64_t id;
	double score;
	bool found;
	size_t lit;                /* literal bytes of its template */
};

/* Higher score first; among exact fits, the most literal template; then
 * the lowest id. */
static bool better(const struct best *b, int64_t id, double score, size_t lit)
{
	if (!b->found || score != b->score)
		return !b->found || score > b->score;
	if (lit != b->lit)
		return lit > b->lit;
	return id < b->id;
}

static void consider(struct best *b, int64_t id, double score, size_t lit)
{
	if (better(b, id, score, lit)) {
		b->found = true;
		b->id = id;
		b->score = score;
		b->lit = lit;
	}
}

/* An exact fit by entry e, when it would beat b. */
static void consider_fit(const struct matcher *m, uint32_t e, const char *text,
                         size_t len, struct best *b)
{
	if (better(b, m->id[e], 1.0, m->lit[e]) &&
	    tmpl_fits(m->t[e], text, len, NULL))
		consider(b, m->id[e], 1.0, m->lit[e]);
}

static void check_chain(const struct matcher *m, uint64_t key, const char *text,
                        size_t len, struct best *b)
{
	uint64_t head;
	uint32_t e;
	if (!hmap_get(&m->fast, key, &head))
		return;
	for (e = (uint32_t)(head - 1); e != NONE; e = m->next_fast[e])
		consider_fit(m, e, text, len, b);
}

static void exact_pass(const struct matcher *m, const char *text, size_t len,
                       const struct tokvec *tv, struct best *b)
{
	size_t r, i;
	uint64_t same_len;
	if (hmap_get(&m->exact_len, len, &same_len))
		check_chain(m, key_of(KEY_EXACT, 0, tok_hash(text, len)), text, len,
		            b);
	for (r = 0; r < NLADDER && ladder[r] <= len; r++) {
		size_t p = ladder[r];
		check_chain(m, key_of(KEY_PREFIX, p, tok_hash(text, p)), text, len, b);
		check_chain(m, key_of(KEY_SUFFIX, p, tok_hash(text + len - p, p)),
		            text, len, b);
	}
	if (m->nword_keys)
		for (i = 0; i < tv->n; i++)
			check_chain(m, key_of(KEY_WORD, 0, tv->v[i].id), text, len, b);
	for (i = 0; i < m->ngeneric; i++)
		consider_fit(m, m->generic[i], text, len, b);
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

static double bound_of(size_t c, size_t ntok)
{
	return 2.0 * (double)c / ((double)ntok + (double)c);
}

struct text_counts {
	struct hmap mult;          /* text token -> occurrences */
	uint64_t *distinct;
	size_t n;
};

static void count_text(const uint64_t *ids, size_t n, struct text_counts *tc)
{
	size_t i;
	hmap_init(&tc->mult, n);
	tc->distinct = eng_xmalloc((n + 1) * sizeof *tc->distinct);
	tc->n = 0;
	for (i = 0; i < n; i++) {
		uint64_t *c = hmap_slot(&tc->mult, ids[i], 0);
		if (!(*c)++)
			tc->distinct[tc->n++] = ids[i];
	}
}

/* Shared literal tokens of the template's other (not posted) tokens and
 * the text, with multiplicity. */
static size_t shared_others(const struct others *o,
                            const struct text_counts *tc)
{
	size_t k, c = 0;
	uint64_t have;
	for (k = 0; k < o->n; k++)
		if (hmap_get(&tc->mult, o->ids[k], &have))
			c += o->v[k].mult < have ? o->v[k].mult : (size_t)have;
	return c;
}

/* Templates whose score bound reaches the threshold, as candidates. */
static size_t gather(const struct matcher *m, const struct text_counts *tc,
                     double threshold, struct cand **out)
{
	uint32_t *shared, *touched;
	size_t i, j, nt = 0, nc = 0, cap = 0, room = 0;
	uint64_t li, c;
	for (i = 0; i < tc->n; i++)            /* room for every entry touched */
		if (hmap_get(&m->anchors.of, tc->distinct[i], &li))
			room += m->anchors.list[li - 1].n;
	*out = NULL;
	shared = eng_xcalloc(m->n + 1, sizeof *shared);
	touched = eng_xmalloc((room + 1) * sizeof *touched);
	for (i = 0; i < tc->n; i++) {
		const struct plist *l;
		if (!hmap_get(&m->anchors.of, tc->distinct[i], &li))
			continue;
		hmap_get(&tc->mult, tc->distinct[i], &c);
		l = &m->anchors.list[li - 1];
		for (j = 0; j < l->n; j++) {
			uint32_t e = l->v[j].entry;
			if (!shared[e])
				touched[nt++] = e;
			shared[e] += l->v[j].mult < c ? l->v[j].mult : (uint32_t)c;
		}
	}
	for (i = 0; i < nt; i++) {
		uint32_t e = touched[i];
		size_t ntok = m->t[e]->ntok, n = shared[e];
		shared[e] = 0;
		n += shared_others(&m->other[e], tc);
		if (bound_of(n, ntok) < threshold)
			continue;
		*out = eng_grow(*out, &cap, nc + 1, sizeof **out);
		(*out)[nc].entry = e;
		(*out)[nc++].bound = bound_of(n, ntok);
	}
	for (i = 0; i < m->ngeneric; i++)
		if (m->t[m->generic[i]]->ntok == 0) {
			*out = eng_grow(*out, &cap, nc + 1, sizeof **out);
			(*out)[nc].entry = m->generic[i];
			(*out)[nc++].bound = 1.0;
		}
	free(shared);
	free(touched);
	return nc;
}

static void near_pass(const struct matcher *m, const struct tokvec *tv,
                      double threshold, struct best *b)
{
	uint64_t *ids = eng_xmalloc((tv->n + 1) * sizeof *ids);
	struct text_counts tc;
	struct cand *c;
	size_t i, nc;
	for (i = 0; i < tv->n; i++)
		ids[i] = tv->v[i].id;
	count_text(ids, tv->n, &tc);
	nc = gather(m, &tc, threshold, &c);
	if (nc > 1)
		qsort(c, nc, sizeof *c, cand_cmp);
	for (i = 0; i < nc; i++) {
		double s;
		if (c[i].bound < threshold || (b->found && c[i].bound < b->score))
			break;
		s = sim_score_tokens(m->t[c[i].entry], ids, tv->n);
		if (s >= threshold)
			consider(b, m->id[c[i].entry], s > 1.0 ? 1.0 : s,
			         m->lit[c[i].entry]);
	}
	free(ids);
	free(c);
	free(tc.distinct);
	hmap_free(&tc.mult);
}

int64_t matcher_best(const struct matcher *m, const char *text, size_t len,
                     double threshold, double *score)
{
	struct best b = { -1, 0, false, 0 };
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

int64_t matcher_fit(const struct matcher *m, const char *text, size_t len)
{
	struct best b = { -1, 0, false, 0 };
	struct tokvec tv = {0};
	if (m->nword_keys)
		tok_split(text, len, &tv);
	exact_pass(m, text, len, &tv, &b);
	tokvec_free(&tv);
	return b.found ? b.id : -1;
}
