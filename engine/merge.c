/*
 * merge.c - leader clustering of texts left alone (see merge.h).
 */
#include "engine/merge.h"

#include <stdlib.h>
#include <string.h>

#include "engine/align.h"
#include "engine/alloc.h"
#include "engine/groups.h"
#include "engine/hashmap.h"
#include "engine/matcher.h"
#include "engine/template.h"
#include "engine/token.h"

#define MIN_FRAME 8            /* words: a frame this long stands alone */
#define MIN_PHRASE 3           /* tokens: a run of matches that is a phrase */
#define MAX_TRIES 16           /* leaders compared per text */
#define NRARE 2
#define POSITIONAL_DIFF 3    /* see positional_pair */
#define MAX_ONE_SIDED 4      /* tokens; see merge.h */
#define MERGE_WINDOW 4096    /* bytes of a long text compared: see tokenize_window */
#define MERGE_HEAD 3072      /* of which at its start */

struct texts {
	uint64_t **ids;
	uint8_t **word;            /* per token: WORD_ANY | WORD_PLAIN bits */
	bool **once;               /* per token: occurs once in its text;
	                            * NULL until a comparison needs it (most
	                            * texts fit a known template, never compared) */
	size_t *n;
	bool *judged;              /* per text: seen by the positional pass */
};

/* What a token counts as: any word (not punctuation), and a plain word
 * (neither punctuation nor a value). */
#define WORD_ANY 1
#define WORD_PLAIN 2

static size_t count_words(const uint8_t *w, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++)
		k += w[i] != 0;
	return k;
}

/* Matched words of a (flags w) that lie in phrases: runs of MIN_PHRASE
 * tokens or more matched in a row in both texts.  A frame around long
 * values is made of phrases; words that two documents share by chance
 * ("the", "payment", ".") are scattered. */
static size_t phrase_words(const long *ma, size_t na, const uint8_t *w,
                           uint8_t kind)
{
	size_t i = 0, m = 0;
	while (i < na) {
		size_t j = i + 1, k, words = 0;
		if (ma[i] < 0) {
			i++;
			continue;
		}
		while (j < na && ma[j] == ma[j - 1] + 1)
			j++;
		for (k = i; k < j; k++)
			words += (w[k] & kind) != 0;
		if (j - i >= MIN_PHRASE)
			m += words;
		i = j;
	}
	return m;
}

/* Stretches where the texts differ; *one_sided gets the longer of the
 * leading and trailing stretches present in one text only (in tokens). */
static size_t count_slots(const long *ma, size_t na, size_t nb,
                          size_t *one_sided)
{
	size_t s = 0, i;
	long pa = -1, pb = -1;
	*one_sided = 0;
	for (i = 0; i <= na; i++) {
		long b, ga, gb;
		if (i < na && ma[i] < 0)
			continue;
		b = i < na ? ma[i] : (long)nb;
		ga = (long)i - pa - 1;
		gb = b - pb - 1;
		if (ga || gb)
			s++;
		if ((pa < 0 || i == na) && (!ga || !gb) &&
		    (size_t)(ga + gb) > *one_sided)
			*one_sided = (size_t)(ga + gb);
		pa = (long)i;
		pb = b;
	}
	return s;
}

static const bool *once_of(struct texts *t, size_t k)
{
	if (!t->once[k])
		t->once[k] = align_once(t->ids[k], t->n[k]);
	return t->once[k];
}

/* Same length and at most a few positions apart: the positional pass has
 * already judged this pair (when it saw both texts), and kept it apart. */
static bool positional_pair(const struct texts *t, size_t x, size_t y)
{
	const uint64_t *a = t->ids[x], *b = t->ids[y];
	size_t i, diff = 0, na = t->n[x];
	if (na != t->n[y] || !t->judged[x] || !t->judged[y])
		return false;
	for (i = 0; i < na && diff <= POSITIONAL_DIFF; i++)
		diff += a[i] != b[i];
	return diff <= POSITIONAL_DIFF;
}

/* True when the frame of a and b is strong enough (see merge.h); `strict`
 * (one of the texts carries min_cluster_size traces alone, so it is a
 * task of its own already) asks for 2m / words >= threshold instead, where
 * m counts plain words only: two tasks that quote the same value ("Unknown
 * base file: /a/b", "Removing base or swap file: /a/b") share no more of
 * a frame for it. */
static int merge_pair_ok(struct texts *t, size_t x, size_t y,
                         double threshold, int strict, double *strength)
{
	const uint64_t *a = t->ids[x], *b = t->ids[y];
	const uint8_t *wa = t->word[x], *wb = t->word[y];
	const uint8_t kind = strict ? WORD_PLAIN : WORD_ANY;
	size_t na = t->n[x], nb = t->n[y];
	long *ma;
	size_t m = 0, s, i;
	size_t words = count_words(wa, na) + count_words(wb, nb);
	size_t matched, one_sided, phrased;
	double st, cover;
	if (strength)
		*strength = 0;
	if (positional_pair(t, x, y))
		return 0;
	ma = eng_xmalloc((na + 1) * sizeof *ma);
	align_match(a, na, b, nb, ma);
	matched = align_drop_isolated_once(a, na, b, nb, ma, once_of(t, x),
	                                   once_of(t, y));
	for (i = 0; i < na; i++)
		m += ma[i] >= 0 && (wa[i] & kind);
	s = count_slots(ma, na, nb, &one_sided);
	phrased = phrase_words(ma, na, wa, kind);
	free(ma);
	if (one_sided > MAX_ONE_SIDED && one_sided > matched)
		return 0;                  /* one text is the other plus a tail */
	st = m ? (double)m / ((double)m + 0.5 * (double)s) : 0;
	cover = words ? 2.0 * (double)m / (double)words : 1;
	if (strength)
		*strength = st;
	if (strict)
		return m > 0 && st >= threshold && cover >= threshold;
	return m > 0 && st >= threshold &&
	       (cover >= threshold / 2 || phrased >= MIN_FRAME);
}

/* Start of the last `want` bytes of s[0..len), moved forward to a
 * whitespace byte so that no token is cut. */
static size_t tail_start(const char *s, size_t len, size_t want)
{
	size_t i = len - want;
	while (i < len && !tok_is_space((unsigned char)s[i]))
		i++;
	return i;
}

/* End of the first `want` bytes of s, moved back to a whitespace byte. */
static size_t head_end(const char *s, size_t want)
{
	size_t i = want;
	while (i > 0 && !tok_is_space((unsigned char)s[i]))
		i--;
	return i;
}

/* The tokens of a text, or of its head and tail window when it is longer
 * than MERGE_WINDOW bytes: the frame of a prompt around a pasted document
 * stands at its ends, and the middle only costs time and memory.  The
 * windows end at whitespace, so their tokens are the text's own. */
static void tokenize_window(const char *s, size_t len, struct tokvec *tv)
{
	size_t a, b;
	tv->n = 0;
	if (len <= MERGE_WINDOW) {
		tok_split(s, len, tv);
		return;
	}
	a = head_end(s, MERGE_HEAD);
	b = tail_start(s, len, MERGE_WINDOW - MERGE_HEAD);
	if (b < a)
		b = a;
	tok_split(s, a, tv);
	{
		size_t from = tv->n, i;
		tok_split(s + b, len - b, tv);
		for (i = from; i < tv->n; i++)
			tv->v[i].off += b;
	}
}

static void tokenize_all(const struct cluster_item *items, const uint32_t *idx,
                         size_t n, struct texts *t)
{
	struct tokvec tv = {0};
	size_t k, i;
	t->ids = eng_xmalloc((n + 1) * sizeof *t->ids);
	t->word = eng_xmalloc((n + 1) * sizeof *t->word);
	t->once = eng_xcalloc(n + 1, sizeof *t->once);
	t->n = eng_xmalloc((n + 1) * sizeof *t->n);
	t->judged = eng_xmalloc((n + 1) * sizeof *t->judged);
	for (k = 0; k < n; k++) {
		t->judged[k] = items[idx[k]].len <= PATTERN_MAX_BYTES;
		tokenize_window(items[idx[k]].text, items[idx[k]].len, &tv);
		t->ids[k] = eng_xmalloc((tv.n + 1) * sizeof **t->ids);
		t->word[k] = eng_xmalloc(tv.n + 1);
		for (i = 0; i < tv.n; i++) {
			t->ids[k][i] = tv.v[i].id;
			t->word[k][i] = tv.v[i].kind == TOK_PUNCT ? 0 :
			                tv.v[i].kind == TOK_WORD ? WORD_ANY | WORD_PLAIN :
			                WORD_ANY;
		}
		t->n[k] = tv.n;
	}
	tokvec_free(&tv);
}

/* Texts containing each token (counted once per text).  While counting,
 * a value holds the count in its high half and, in its low half, the last
 * text (k + 1) that counted it; one table, no set per text. */
static void doc_freq(const struct texts *t, size_t n, struct hmap *df)
{
	size_t k, i;
	hmap_init(df, n * 8);
	for (k = 0; k < n; k++)
		for (i = 0; i < t->n[k]; i++) {
			uint64_t *v = hmap_slot(df, t->ids[k][i], 0);
			if ((uint32_t)*v != (uint32_t)(k + 1))
				*v = ((*v >> 32) + 1) << 32 | (uint32_t)(k + 1);
		}
	for (i = 0; i < df->cap; i++)
		if (df->e[i].used)
			df->e[i].val >>= 32;
}

/* Index keys of text k: first token, last token, rarest shared tokens. */
static size_t keys_of(const struct texts *t, size_t k, const struct hmap *df,
                      uint64_t *key)
{
	uint64_t best[NRARE], bestdf[NRARE], d;
	size_t nk = 0, i, j, n = t->n[k];
	if (!n)
		return 0;
	key[nk++] = t->ids[k][0] * 3 + 1;
	key[nk++] = t->ids[k][n - 1] * 3 + 2;
	for (j = 0; j < NRARE; j++)
		bestdf[j] = UINT64_MAX;
	for (i = 0; i < n; i++) {
		uint64_t id = t->ids[k][i];
		if (!hmap_get(df, id, &d) || d < 2)
			continue;
		for (j = 0; j < NRARE; j++) {
			if (bestdf[j] != UINT64_MAX && best[j] == id)
				break;
			if (d < bestdf[j]) {
				memmove(best + j + 1, best + j, (NRARE - j - 1) * sizeof *best);
				memmove(bestdf + j + 1, bestdf + j,
				        (NRARE - j - 1) * sizeof *bestdf);
				best[j] = id;
				bestdf[j] = d;
				break;
			}
		}
	}
	for (j = 0; j < NRARE; j++)
		if (bestdf[j] != UINT64_MAX)
			key[nk++] = best[j] * 3;
	return nk;
}

struct order {
	uint32_t weight, pos;
};

static int order_cmp(const void *x, const void *y)
{
	const struct order *a = x, *b = y;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * Leaders with members get a template, and a text that fits one joins
 * that leader without a pairwise alignment: most texts of a task with long
 * values find their cluster this way, at the cost of a substring search.
 * A text that does not fit joins such a leader only if it holds, in order,
 * at least `threshold` of the template's literal tokens: a short one-off
 * made of the words of the documents pasted into a task shares a frame of
 * eight words with one of them, but little of the task's own frame.
 */
struct known {
	struct matcher *m;         /* templates of leaders, id = leader */
	struct tmpl **t;           /* per leader: its latest template, or NULL */
	uint32_t **mem;            /* per leader: its members' item indexes */
	size_t *n, *cap;
	bool *drift;               /* per leader: a member does not fit t */
};

/* Text k holds threshold of t's literal tokens, in order. */
static bool frame_held(const struct tmpl *t, const struct texts *x, size_t k,
                       double threshold)
{
	long *ma = eng_xmalloc((t->ntok + 1) * sizeof *ma);
	size_t m = align_match(t->tok_ids, t->ntok, x->ids[k], x->n[k], ma);
	free(ma);
	return (double)m >= threshold * (double)t->ntok;
}

/* The best leader for text k among those sharing a key, or UINT32_MAX. */
static uint32_t find_leader(struct texts *t, size_t k,
                            const uint64_t *key, size_t nk,
                            const struct leaders *l, uint32_t *stamp,
                            const bool *heavy, const struct known *kn,
                            double threshold)
{
	uint32_t best = UINT32_MAX, tries = 0;
	double best_st = 0, st;
	size_t j;
	for (j = 0; j < nk && tries < MAX_TRIES; j++) {
		uint64_t h;
		uint32_t p;
		if (!hmap_get(&l->head, key[j], &h))
			continue;
		for (p = (uint32_t)(h - 1); p != UINT32_MAX && tries < MAX_TRIES;
		     p = l->next[p]) {
			uint32_t c = l->who[p];
			if (stamp[c] == k + 1)
				continue;
			stamp[c] = (uint32_t)k + 1;
			tries++;
			if (merge_pair_ok(t, c, k, threshold, heavy[c] || heavy[k], &st) &&
			    (!kn->t[c] || frame_held(kn->t[c], t, k, threshold)) &&
			    (best == UINT32_MAX || st > best_st ||
			     (st == best_st && c < best))) {
				best = c;
				best_st = st;
			}
		}
	}
	return best;
}

static bool renew_at(size_t n)
{
	return n == 2 || n == 8 || n == 32;
}

/* Item k joined leader c (fitting c's template, or not): file c's template
 * when it is due.  While every member fits the template it has, there is
 * nothing to learn from them again. */
static void known_join(struct known *kn, const struct cluster_item *items,
                       const struct group_params *p, uint32_t c, uint32_t item,
                       bool fits)
{
	struct tmpl *t;
	kn->mem[c] = eng_grow(kn->mem[c], &kn->cap[c], kn->n[c] + 1,
	                      sizeof *kn->mem[c]);
	kn->mem[c][kn->n[c]++] = item;
	kn->drift[c] |= !fits;
	if (!renew_at(kn->n[c]) || (kn->t[c] && !kn->drift[c]))
		return;
	t = group_infer(items, kn->mem[c], kn->n[c], p->max_sample_size);
	if (t->nslots && group_template_ok(t, items, kn->mem[c], kn->n[c],
	                                   p->max_sample_size,
	                                   p->similarity_threshold)) {
		matcher_add(kn->m, (int64_t)c, t);
		tmpl_free(kn->t[c]);
		kn->t[c] = t;
		kn->drift[c] = false;
		return;
	}
	tmpl_free(t);
}

static void known_free(struct known *kn, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++) {
		free(kn->mem[k]);
		tmpl_free(kn->t[k]);
	}
	free(kn->t);
	free(kn->mem);
	free(kn->n);
	free(kn->cap);
	free(kn->drift);
	matcher_free(kn->m);
}

int merge_alone(const struct cluster_item *items, const uint32_t *idx,
                size_t n, const struct group_params *p, uint32_t *leader,
                struct cancel_poll *cancel)
{
	bool *heavy = eng_xmalloc((n + 1) * sizeof *heavy);
	struct texts t;
	struct hmap df = {0};
	struct leaders l = {0};
	struct order *ord = eng_xmalloc((n + 1) * sizeof *ord);
	uint32_t *stamp = eng_xcalloc(n + 1, sizeof *stamp);
	uint64_t key[2 + NRARE];
	struct known kn;
	size_t k, nk, j;
	int rc = 0;
	tokenize_all(items, idx, n, &t);
	doc_freq(&t, n, &df);
	hmap_init(&l.head, n * 2);
	for (k = 0; k < n; k++) {
		ord[k].weight = items[idx[k]].weight;
		ord[k].pos = (uint32_t)k;
		heavy[k] = items[idx[k]].weight >= p->min_cluster_size;
	}
	qsort(ord, n, sizeof *ord, order_cmp);
	kn.m = matcher_new();
	kn.t = eng_xcalloc(n + 1, sizeof *kn.t);
	kn.mem = eng_xcalloc(n + 1, sizeof *kn.mem);
	kn.n = eng_xcalloc(n + 1, sizeof *kn.n);
	kn.cap = eng_xcalloc(n + 1, sizeof *kn.cap);
	kn.drift = eng_xcalloc(n + 1, sizeof *kn.drift);
	for (j = 0; j < n; j++) {
		uint32_t c;
		int64_t fit;
		k = ord[j].pos;
		fit = matcher_fit(kn.m, items[idx[k]].text, items[idx[k]].len);
		if (fit >= 0) {
			leader[k] = (uint32_t)fit;
			known_join(&kn, items, p, (uint32_t)fit, idx[k], true);
			continue;
		}
		nk = keys_of(&t, k, &df, key);
		c = find_leader(&t, k, key, nk, &l, stamp, heavy, &kn,
		                p->similarity_threshold);
		leader[k] = c == UINT32_MAX ? (uint32_t)k : leader[c];
		known_join(&kn, items, p, leader[k], idx[k], false);
		if (c == UINT32_MAX)
			while (nk-- > 0)
				leaders_add(&l, key[nk], (uint32_t)k);
		if (cancel_check(cancel)) {
			rc = -1;
			break;
		}
	}
	for (k = 0; k < n; k++) {
		free(t.ids[k]);
		free(t.word[k]);
		free(t.once[k]);
	}
	free(t.ids);
	free(t.word);
	free(t.once);
	free(t.n);
	free(t.judged);
	known_free(&kn, n);
	free(ord);
	free(stamp);
	free(heavy);
	leaders_free(&l);
	hmap_free(&df);
	return rc;
}
