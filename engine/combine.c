/*
 * combine.c - merging clusters whose templates generalise to each other
 * (see combine.h).
 */
#include "engine/combine.h"

#include <stdlib.h>
#include <string.h>

#include "engine/align.h"
#include "engine/alloc.h"
#include "engine/hashmap.h"
#include "engine/infer.h"
#include "engine/template.h"
#include "engine/token.h"

#define NRARE 3                /* rarest shared words a template is filed by */
#define NKEYS (2 + NRARE)
#define MAX_TRIES 8            /* leaders tried per cluster */
#define SIDE_SAMPLE 16         /* texts per side a merged template is inferred from */

struct side {                  /* one cluster's sample, as texts */
	const uint32_t *mem;
	size_t n;                  /* sampled members */
	size_t distinct;           /* members of the cluster */
};

struct combine {
	const struct cluster_item *items;
	struct group *g;
	size_t ng;
	const struct group_params *p;
	uint64_t (*key)[NKEYS];
	size_t *nkey;
	struct leaders l;
	uint32_t *stamp;
	uint32_t *ver;             /* per group: changes of template or members */
	uint64_t *weight;          /* per group: its traces */
	struct hmap refused;       /* (a, ver a, b, ver b) pairs try_merge refused */
	struct hmap sims;          /* (a, ver a, b, ver b) -> template similarity */
	struct tokvec tv;
};

/* The distinct literal words of t, appended to *ids. */
static size_t template_words(const struct tmpl *t, struct tokvec *tv,
                             uint64_t **ids, size_t *cap)
{
	size_t i, k, j, n = 0;
	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i].slot)
			continue;
		tv->n = 0;
		tok_split(t->parts[i].text, t->parts[i].len, tv);
		for (k = 0; k < tv->n; k++) {
			if (tv->v[k].kind == TOK_PUNCT)
				continue;
			for (j = 0; j < n && (*ids)[j] != tv->v[k].id; j++)
				;
			if (j < n)
				continue;
			*ids = eng_grow(*ids, cap, n + 1, sizeof **ids);
			(*ids)[n++] = tv->v[k].id;
		}
	}
	return n;
}

/* Index keys of every live template: first and last literal token and the
 * NRARE rarest words shared with another template. */
static void build_keys(struct combine *c)
{
	struct hmap df = {0};
	uint64_t *ids = NULL, d;
	size_t cap = 0, i, k, j, n;
	hmap_init(&df, c->ng * 4);
	for (i = 0; i < c->ng; i++) {
		if (!c->g[i].t)
			continue;
		n = template_words(c->g[i].t, &c->tv, &ids, &cap);
		for (k = 0; k < n; k++)
			(*hmap_slot(&df, ids[k], 0))++;
	}
	for (i = 0; i < c->ng; i++) {
		const struct tmpl *t = c->g[i].t;
		uint64_t best[NRARE], bestdf[NRARE];
		c->nkey[i] = 0;
		if (!t || !t->ntok)
			continue;
		c->key[i][c->nkey[i]++] = t->tok_ids[0] * 3 + 1;
		c->key[i][c->nkey[i]++] = t->tok_ids[t->ntok - 1] * 3 + 2;
		for (j = 0; j < NRARE; j++)
			bestdf[j] = UINT64_MAX;
		n = template_words(t, &c->tv, &ids, &cap);
		for (k = 0; k < n; k++) {
			if (!hmap_get(&df, ids[k], &d) || d < 2)
				continue;
			for (j = 0; j < NRARE && d >= bestdf[j]; j++)
				;
			if (j == NRARE)
				continue;
			memmove(best + j + 1, best + j, (NRARE - j - 1) * sizeof *best);
			memmove(bestdf + j + 1, bestdf + j, (NRARE - j - 1) * sizeof *bestdf);
			best[j] = ids[k];
			bestdf[j] = d;
		}
		for (j = 0; j < NRARE; j++)
			if (bestdf[j] != UINT64_MAX)
				c->key[i][c->nkey[i]++] = best[j] * 3;
	}
	free(ids);
	hmap_free(&df);
}

/* Literal tokens two templates share in order, as 2m / (both). */
static double template_similarity(const struct tmpl *a, const struct tmpl *b)
{
	long *ma;
	size_t m;
	if (!a->ntok || !b->ntok)
		return 0;
	ma = eng_xmalloc((a->ntok + 1) * sizeof *ma);
	m = align_match(a->tok_ids, a->ntok, b->tok_ids, b->ntok, ma);
	free(ma);
	return 2.0 * (double)m / (double)(a->ntok + b->ntok);
}

static bool fits_all(const struct combine *c, const struct tmpl *t,
                     const struct group *g)
{
	size_t k;
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &c->items[g->mem[k]];
		if (!tmpl_fits(t, it->text, it->len, NULL))
			return false;
	}
	return true;
}

static bool members_ok(const struct combine *c, const struct tmpl *t,
                       const struct group *g)
{
	size_t k;
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &c->items[g->mem[k]];
		if (!tmpl_fits(t, it->text, it->len, NULL) &&
		    tmpl_score(t, it->text, it->len) < c->p->similarity_threshold)
			return false;
	}
	return true;
}

struct slot_shape {
	size_t min, max;           /* tokens of the values */
	const char *first;         /* the first value, to tell a constant */
	size_t first_len;
	bool constant, any;
	bool at_start;             /* the first value opens its text or sentence */
	bool values;               /* every value is numbers, ids and the like
	                              (VAR tokens, punctuation between) */
};

/* A value made of VAR tokens (and punctuation between them) only. */
static bool values_only(const struct tokvec *tv)
{
	size_t k;
	bool var = false;
	for (k = 0; k < tv->n; k++) {
		if (tv->v[k].kind == TOK_WORD)
			return false;
		var |= tv->v[k].kind == TOK_VAR;
	}
	return var;
}

/* True when text[at] starts the text or a sentence. */
static bool opens_sentence(const char *text, size_t at)
{
	while (at > 0 && tok_is_space((unsigned char)text[at - 1]))
		at--;
	return at == 0 || text[at - 1] == '.' || text[at - 1] == '!' ||
	       text[at - 1] == '?' || text[at - 1] == ':';
}

/* Shapes of t's slot values over one side's sample. */
static void measure(struct combine *c, const struct tmpl *t,
                    const struct side *s, struct slot_shape *sh, size_t *b)
{
	size_t k, j;
	memset(sh, 0, t->nslots * sizeof *sh);
	for (k = 0; k < s->n; k++) {
		const struct cluster_item *it = &c->items[s->mem[k]];
		if (!tmpl_fits(t, it->text, it->len, b))
			continue;
		for (j = 0; j < t->nslots; j++) {
			const char *v = it->text + b[2 * j];
			size_t len = b[2 * j + 1] - b[2 * j];
			struct slot_shape *x = &sh[j];
			c->tv.n = 0;
			tok_split(v, len, &c->tv);
			if (!x->any) {
				x->any = x->constant = true;
				x->values = values_only(&c->tv);
				x->min = x->max = c->tv.n;
				x->first = v;
				x->first_len = len;
				x->at_start = opens_sentence(it->text, b[2 * j]);
				continue;
			}
			x->min = c->tv.n < x->min ? c->tv.n : x->min;
			x->max = c->tv.n > x->max ? c->tv.n : x->max;
			x->constant &= len == x->first_len && !memcmp(v, x->first, len);
			x->values &= values_only(&c->tv);
		}
	}
}

/* A constant value that reads as a name: one word, capitalised, lower
 * case after its first letter, inside a sentence ("Greet Alice"). */
static bool name_like(const struct slot_shape *x)
{
	const unsigned char *v = (const unsigned char *)x->first;
	size_t i;
	if (x->min != 1 || x->first_len < 2 || x->at_start ||
	    v[0] < 'A' || v[0] > 'Z')
		return false;
	for (i = 1; i < x->first_len; i++)
		if (v[i] < 'a' || v[i] > 'z')
			return false;
	return true;
}

/* The slot rules of combine.h for merged template t. */
static bool shapes_agree(struct combine *c, const struct tmpl *t,
                         const struct side *a, const struct side *b)
{
	struct slot_shape *sa = eng_xmalloc((t->nslots + 1) * sizeof *sa);
	struct slot_shape *sb = eng_xmalloc((t->nslots + 1) * sizeof *sb);
	size_t *bounds = eng_xmalloc((2 * t->nslots + 1) * sizeof *bounds), j;
	bool *doc = eng_xmalloc(t->nslots + 1);
	bool ok = true, varied = a->distinct > 1 || b->distinct > 1;
	measure(c, t, a, sa, bounds);
	measure(c, t, b, sb, bounds);
	group_document_slots(t, c->items, a->mem, a->n, a->n, doc);
	for (j = 0; j < t->nslots && ok; j++) {
		if (!sa[j].any || !sb[j].any || doc[j])
			continue;
		if (sa[j].constant && sb[j].constant &&
		    !(sa[j].values && sb[j].values) &&
		    (varied || !name_like(&sa[j]) || !name_like(&sb[j])))
			ok = false;
	}
	free(sa);
	free(sb);
	free(bounds);
	free(doc);
	return ok;
}

/* A word that reads as (part of) a value: it holds a digit, or it is
 * capitalised and not an acronym ("May", "O'Brien", "Plus"). */
static bool value_word(const char *w, size_t len)
{
	size_t i;
	bool lower = false;
	for (i = 0; i < len; i++) {
		if (w[i] >= '0' && w[i] <= '9')
			return true;
		lower |= i > 0 && w[i] >= 'a' && w[i] <= 'z';
	}
	return w[0] >= 'A' && w[0] <= 'Z' && (len == 1 || lower);
}

enum word_class { WORD_PUNCT, WORD_FRAME, WORD_VALUE };

/* A letter, a digit or any non-ASCII byte: a token that is not just
 * punctuation (a lone "." after a slot is a piece of its own). */
static bool has_letter(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
			return true;
		if ((ch >= '0' && ch <= '9') || ch >= 0x80)
			return true;
	}
	return false;
}

/* Per literal token of t (as in t->tok_ids): punctuation, a value word
 * (value_word) or a frame word. */
static uint8_t *frame_words(const struct tmpl *t, struct tokvec *tv)
{
	uint8_t *fw = eng_xcalloc(t->ntok + 1, sizeof *fw);
	size_t i, k, n = 0;
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *p = &t->parts[i];
		if (p->slot)
			continue;
		tv->n = 0;
		tok_split(p->text, p->len, tv);
		for (k = 0; k < tv->n && n < t->ntok; k++, n++)
			fw[n] = !has_letter(p->text + tv->v[k].off, tv->v[k].len) ?
			        WORD_PUNCT :
			        value_word(p->text + tv->v[k].off, tv->v[k].len) ?
			        WORD_VALUE : WORD_FRAME;
	}
	return fw;
}

static size_t count_frame_words(struct combine *c, const struct tmpl *t)
{
	uint8_t *fw = frame_words(t, &c->tv);
	size_t k, n = 0;
	for (k = 0; k < t->ntok; k++)
		n += fw[k] == WORD_FRAME;
	free(fw);
	return n;
}

/* True when t ends with its last slot, or with punctuation after it. */
static bool ends_with_slot(const struct tmpl *t, struct tokvec *tv)
{
	const struct tmpl_part *last = &t->parts[t->nparts - 1];
	size_t k;
	if (last->slot)
		return true;
	tv->n = 0;
	tok_split(last->text, last->len, tv);
	for (k = 0; k < tv->n; k++)
		if (has_letter(last->text + tv->v[k].off, tv->v[k].len))
			return false;
	return t->nparts > 1;
}

/* Slot edges that touch a letter or digit of a literal ("address{var_0}"). */
static size_t glued_slots(const struct tmpl *t)
{
	size_t i, n = 0;
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *p = &t->parts[i];
		if (p->slot)
			continue;
		if (i > 0 && has_letter(p->text, 1))
			n++;
		if (i + 1 < t->nparts && has_letter(p->text + p->len - 1, 1))
			n++;
	}
	return n;
}

/* Slots of m a pasted text may hold anything in: document slots, and a
 * last slot after a colon or a line break that ends the template (but for
 * punctuation): "Text: {var_2}", "not tried yet: {var_3}.". */
static bool *free_slots(struct combine *c, const struct tmpl *m,
                        const struct side *a)
{
	bool *ex = eng_xmalloc(m->nslots + 1);
	group_document_slots(m, c->items, a->mem, a->n, a->n, ex);
	if (m->nslots && ends_with_slot(m, &c->tv) &&
	    tmpl_slot_is_document(m, m->nslots - 1))
		ex[m->nslots - 1] = true;
	return ex;
}

/* True unless m turns literal words of x that stand beside one of x's
 * slots into slot ("for invalid user {var_0}" -> "for {var_0}"): frame
 * words next to a value are frame.  Capitalised words and numbers next
 * to a value are part of it ("{var_0} O'Brien", "{var_2} May"), and so is
 * a lower-case word right before a capitalised one ("{var_0} van Dijk").
 * When x is two texts, a word beside a slot is only what their two values
 * happened to share ("about the temporary {var_1}"). */
static bool keeps_frame(struct combine *c, const struct tmpl *x,
                        size_t distinct, const struct tmpl *m,
                        const bool *free_slot)
{
	long *ma = eng_xmalloc((x->ntok + 1) * sizeof *ma);
	uint8_t *fw = frame_words(x, &c->tv);
	bool ok = true;
	size_t *slot_at = eng_xmalloc((m->ntok + 2) * sizeof *slot_at);
	size_t i = 0, k;
	align_match(x->tok_ids, x->ntok, m->tok_ids, m->ntok, ma);
	slot_at[0] = 0;
	for (k = 0; k <= m->ntok; k++)         /* slots before m token k */
		slot_at[k + 1] = slot_at[k] + m->slot_before[k];
	while (i < x->ntok && ok) {
		size_t j = i, lost = 0, values = 0, p, q, s;
		bool beside;
		long prev;
		if (ma[i] >= 0) {
			i++;
			continue;
		}
		for (; j < x->ntok && ma[j] < 0; j++) { /* "van Dijk": a particle */
			values += fw[j] == WORD_VALUE;
			lost += fw[j] == WORD_FRAME &&
			        !(j + 1 < x->ntok && ma[j + 1] < 0 &&
			          fw[j + 1] == WORD_VALUE && !x->slot_before[j + 1]);
		}
		beside = x->slot_before[i] || x->slot_before[j];
		for (k = i + 1; k < j; k++)
			beside |= x->slot_before[k];
		prev = i > 0 ? ma[i - 1] : -1;
		p = (size_t)(prev + 1);
		q = j < x->ntok ? (size_t)ma[j] : m->ntok;
		for (s = slot_at[p]; s < slot_at[q + 1] && lost; s++)
			if (free_slot[s])
				lost = 0;
		if (lost && ((beside && distinct > 2) ||
		             (distinct > 1 && lost > 1 && lost > values)))
			ok = false;
		i = j;
	}
	free(ma);
	free(fw);
	free(slot_at);
	return ok;
}

static void side_of(const struct group *g, uint32_t *buf, struct side *s)
{
	size_t k;
	s->n = g->n < SIDE_SAMPLE ? g->n : SIDE_SAMPLE;
	s->distinct = g->n;
	for (k = 0; k < s->n; k++)
		buf[k] = group_sample_at(g->mem, g->n, s->n, k);
	s->mem = buf;
}

/* The template of a's and b's samples together. */
static struct tmpl *infer_pair(const struct combine *c, const struct side *a,
                               const struct side *b)
{
	size_t n = a->n + b->n, k;
	const char **texts = eng_xmalloc((n + 1) * sizeof *texts);
	size_t *lens = eng_xmalloc((n + 1) * sizeof *lens);
	struct tmpl *t;
	for (k = 0; k < n; k++) {
		const struct cluster_item *it =
		    &c->items[k < a->n ? a->mem[k] : b->mem[k - a->n]];
		texts[k] = it->text;
		lens[k] = it->len;
	}
	t = infer_template(texts, lens, n, 1);
	free(texts);
	free(lens);
	return t;
}

static void move_members(struct group *into, struct group *from)
{
	uint32_t *m = eng_xmalloc((into->n + from->n + 1) * sizeof *m);
	size_t i = 0, j = 0, k = 0;
	while (i < into->n || j < from->n)
		m[k++] = j == from->n || (i < into->n && into->mem[i] < from->mem[j])
		         ? into->mem[i++] : from->mem[j++];
	free(into->mem);
	into->mem = m;
	into->n = into->cap = k;
	free(from->mem);
	from->mem = NULL;
	from->n = from->cap = 0;
	tmpl_free(from->t);
	from->t = NULL;
}

/* The merged template of a and b, or NULL when they stay apart. */
static struct tmpl *try_merge(struct combine *c, struct group *a,
                              struct group *b)
{
	uint32_t bufa[SIDE_SAMPLE], bufb[SIDE_SAMPLE];
	struct side sa, sb;
	struct tmpl *m;
	size_t general, fa, fb;
	bool *free_slot, ok, own;
	double th = c->p->similarity_threshold;
	side_of(a, bufa, &sa);
	side_of(b, bufb, &sb);
	/* A side whose own template is m varies at every slot of m, whatever
	 * its sample shows: the slot rules (shapes_agree) do not apply. */
	m = fits_all(c, a->t, b) ? tmpl_copy(a->t) :
	    fits_all(c, b->t, a) ? tmpl_copy(b->t) : NULL;
	own = m != NULL;
	if (!own)
		m = infer_pair(c, &sa, &sb);
	fa = count_frame_words(c, a->t);
	fb = count_frame_words(c, b->t);
	general = fa < fb ? fa : fb;
	free_slot = free_slots(c, m, &sa);
	ok = (double)count_frame_words(c, m) >= th * (double)general &&
	     keeps_frame(c, a->t, a->n, m, free_slot) &&
	     keeps_frame(c, b->t, b->n, m, free_slot) &&
	     glued_slots(m) <= glued_slots(a->t) + glued_slots(b->t);
	free(free_slot);
	if (ok && (own || shapes_agree(c, m, &sa, &sb)) &&
	    group_template_ok(m, c->items, sa.mem, sa.n, SIDE_SAMPLE, th) &&
	    group_template_ok(m, c->items, sb.mem, sb.n, SIDE_SAMPLE, th) &&
	    members_ok(c, m, a) && members_ok(c, m, b))
		return m;
	tmpl_free(m);
	return NULL;
}

struct cand {
	uint32_t g;
	double sim;
};

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	return a->g < b->g ? -1 : a->g > b->g;
}

/* A cluster of long texts has a long template: it may still fit. */
static bool first_fits(const struct combine *c, const struct tmpl *t,
                       const struct group *g)
{
	const struct cluster_item *it = &c->items[g->mem[0]];
	return tmpl_fits(t, it->text, it->len, NULL);
}

/* try_merge depends on nothing but the two groups (templates and
 * members): a pair it refused and that has not changed since is refused
 * again without the work (a later round retries every pair). */
static uint64_t pair_key(const struct combine *c, uint32_t a, uint32_t b)
{
	uint64_t k = ((uint64_t)a << 32 | c->ver[a]) * 0x9e3779b97f4a7c15ULL;
	return (k ^ ((uint64_t)b << 32 | c->ver[b])) * 0xc2b2ae3d27d4eb4fULL;
}

/* template_similarity of leader a and group i, worked out once while
 * neither changes. */
static double similarity_once(struct combine *c, uint32_t a, uint32_t i)
{
	uint64_t key = pair_key(c, a, i), bits;
	double sim;
	if (hmap_get(&c->sims, key, &bits)) {
		memcpy(&sim, &bits, sizeof sim);
		return sim;
	}
	sim = template_similarity(c->g[a].t, c->g[i].t);
	memcpy(&bits, &sim, sizeof bits);
	*hmap_slot(&c->sims, key, 0) = bits;
	return sim;
}

/* Two clusters neither of which is a task by itself (pass 2 left each
 * text on its own): pass 2 already weighed the pair, text against text.
 * On a large partition they are most of the pairs this pass would try
 * (the bench's 1M corpus: 114,806 of 139,540, none merged). */
static bool light_pair(const struct combine *c, uint32_t a, uint32_t b)
{
	uint64_t min = c->p->min_cluster_size;
	return c->weight[a] < min && c->weight[b] < min;
}

/* Leaders sharing a key with group i, most similar first. */
static size_t candidates(struct combine *c, uint32_t i, struct cand *out,
                         size_t max)
{
	size_t j, n = 0;
	for (j = 0; j < c->nkey[i]; j++) {
		uint64_t h;
		uint32_t p;
		if (!hmap_get(&c->l.head, c->key[i][j], &h))
			continue;
		for (p = (uint32_t)(h - 1); p != UINT32_MAX && n < max;
		     p = c->l.next[p]) {
			uint32_t a = c->l.who[p];
			double sim;
			if (c->stamp[a] == i + 1 || !c->g[a].t || light_pair(c, a, i))
				continue;
			c->stamp[a] = i + 1;
			sim = similarity_once(c, a, i);
			if (sim >= c->p->similarity_threshold / 2 ||
			    first_fits(c, c->g[a].t, &c->g[i])) {
				out[n].g = a;
				out[n++].sim = sim;
			}
		}
	}
	qsort(out, n, sizeof *out, cand_cmp);
	return n;
}

struct order {
	uint64_t weight;
	uint32_t g;
};

static int order_cmp(const void *x, const void *y)
{
	const struct order *a = x, *b = y;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->g < b->g ? -1 : a->g > b->g;
}

#define MAX_CANDS 64

static struct tmpl *try_merge_once(struct combine *c, uint32_t a, uint32_t b)
{
	uint64_t key = pair_key(c, a, b), seen;
	struct tmpl *m;
	if (hmap_get(&c->refused, key, &seen))
		return NULL;
	m = try_merge(c, &c->g[a], &c->g[b]);
	if (!m)
		*hmap_slot(&c->refused, key, 0) = 1;
	return m;
}

/* Visit groups from the heaviest; each joins a leader or becomes one. */
static long visit(struct combine *c, struct cancel_poll *cancel)
{
	struct order *ord = eng_xmalloc((c->ng + 1) * sizeof *ord);
	struct cand cand[MAX_CANDS];
	size_t i, n = 0, k, nc;
	long merges = 0;
	for (i = 0; i < c->ng; i++)
		if (c->g[i].t && c->g[i].n) {
			ord[n].weight = c->weight[i] = group_weight(c->items, &c->g[i]);
			ord[n++].g = (uint32_t)i;
		}
	qsort(ord, n, sizeof *ord, order_cmp);
	for (k = 0; k < n; k++) {
		uint32_t b = ord[k].g;
		size_t j, tries = 0;
		bool merged = false;
		nc = candidates(c, b, cand, MAX_CANDS);
		for (j = 0; j < nc && tries < MAX_TRIES && !merged; j++, tries++) {
			struct group *a = &c->g[cand[j].g];
			struct tmpl *m = try_merge_once(c, cand[j].g, b);
			if (!m)
				continue;
			tmpl_free(a->t);
			a->t = m;
			move_members(a, &c->g[b]);
			c->weight[cand[j].g] += c->weight[b];
			c->weight[b] = 0;
			c->ver[cand[j].g]++;
			c->ver[b]++;
			for (i = 0; i < c->nkey[b]; i++)
				leaders_add(&c->l, c->key[b][i], cand[j].g);
			merged = true;
			merges++;
		}
		if (!merged)
			for (i = 0; i < c->nkey[b]; i++)
				leaders_add(&c->l, c->key[b][i], b);
		if (cancel_check(cancel)) {
			merges = -1;
			break;
		}
	}
	free(ord);
	return merges;
}

#define MAX_ROUNDS 3

/* One visit of every live group, with a fresh index. */
static long round_of(struct combine *c, struct cancel_poll *cancel)
{
	long merges;
	memset(c->stamp, 0, (c->ng + 1) * sizeof *c->stamp);
	hmap_init(&c->l.head, c->ng * 2);
	c->l.n = 0;
	build_keys(c);
	merges = visit(c, cancel);
	hmap_free(&c->l.head);
	return merges;
}

long combine_groups(const struct cluster_item *items, struct group *g,
                    size_t ng, const struct group_params *p,
                    struct cancel_poll *cancel)
{
	struct combine c = {0};
	long merges = 0, m = 1;
	int round;
	c.items = items;
	c.g = g;
	c.ng = ng;
	c.p = p;
	c.key = eng_xmalloc((ng + 1) * sizeof *c.key);
	c.nkey = eng_xcalloc(ng + 1, sizeof *c.nkey);
	c.stamp = eng_xcalloc(ng + 1, sizeof *c.stamp);
	c.ver = eng_xcalloc(ng + 1, sizeof *c.ver);
	c.weight = eng_xcalloc(ng + 1, sizeof *c.weight);
	hmap_init(&c.refused, 64);
	hmap_init(&c.sims, 64);
	/* a leader that grew may now take a cluster it refused, or another
	 * leader: visit again while that happens */
	for (round = 0; round < MAX_ROUNDS && m > 0; round++) {
		m = round_of(&c, cancel);
		merges = m < 0 ? m : merges + m;
	}
	free(c.key);
	free(c.nkey);
	free(c.stamp);
	free(c.ver);
	free(c.weight);
	hmap_free(&c.refused);
	hmap_free(&c.sims);
	leaders_free(&c.l);
	tokvec_free(&c.tv);
	return merges;
}
