/*
 * groups.c - groups of items, their templates and the evidence a template
 * must carry (see groups.h).
 */
#include "engine/groups.h"

#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/infer.h"
#include "engine/template.h"
#include "engine/token.h"

void group_add(struct group *g, uint32_t item)
{
	g->mem = eng_grow(g->mem, &g->cap, g->n + 1, sizeof *g->mem);
	g->mem[g->n++] = item;
}

void leaders_add(struct leaders *l, uint64_t key, uint32_t who)
{
	uint64_t *h = hmap_slot(&l->head, key, 0);
	size_t cap = l->cap;
	l->who = eng_grow(l->who, &cap, l->n + 1, sizeof *l->who);
	l->next = eng_grow(l->next, &l->cap, l->n + 1, sizeof *l->next);
	l->who[l->n] = who;
	l->next[l->n] = *h ? (uint32_t)(*h - 1) : UINT32_MAX;
	*h = ++l->n;
}

void leaders_free(struct leaders *l)
{
	free(l->who);
	free(l->next);
	hmap_free(&l->head);
	memset(l, 0, sizeof *l);
}

uint64_t group_weight(const struct cluster_item *items, const struct group *g)
{
	uint64_t w = 0;
	size_t k;
	for (k = 0; k < g->n; k++)
		w += items[g->mem[k]].weight ? items[g->mem[k]].weight : 1;
	return w;
}

uint32_t group_sample_at(const uint32_t *mem, size_t n, size_t ns, size_t k)
{
	return mem[k * n / ns];
}

struct tmpl *group_infer(const struct cluster_item *items,
                         const uint32_t *mem, size_t n, size_t max)
{
	size_t ns = n < max ? n : max, k;
	const char **texts = eng_xmalloc((ns + 1) * sizeof *texts);
	size_t *lens = eng_xmalloc((ns + 1) * sizeof *lens);
	struct tmpl *t;
	for (k = 0; k < ns; k++) {
		const struct cluster_item *it = &items[group_sample_at(mem, n, ns, k)];
		texts[k] = it->text;
		lens[k] = it->len;
	}
	t = infer_template(texts, lens, ns, 1);
	free(texts);
	free(lens);
	return t;
}

bool tmpl_slot_is_document(const struct tmpl *t, size_t s)
{
	size_t i, seen = 0;
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *p;
		size_t len;
		if (!t->parts[i].slot || seen++ != s)
			continue;
		if (i == 0)
			return false;
		p = &t->parts[i - 1];
		len = p->len;
		while (len > 0 && (p->text[len - 1] == ' ' || p->text[len - 1] == '\t'))
			len--;
		if (len > 0 && p->text[len - 1] == '\n')
			return true;
		return len > 0 && len < p->len && p->text[len - 1] == ':';
	}
	return false;
}

/* Tokens of s[0..len), exactly when fewer than `need`; otherwise some
 * count >= need, from a prefix that ends at whitespace (no token crosses
 * whitespace, so a prefix holds no more tokens than the whole). */
static size_t tokens_up_to(const char *s, size_t len, double need)
{
	size_t cut = len, c;
	if (need < (double)len / 8) {
		cut = (size_t)need * 8;
		while (cut > 0 && !tok_is_space((unsigned char)s[cut]))
			cut--;
	}
	if (cut == len || cut == 0)
		return tok_count(s, len, NULL);
	c = tok_count(s, cut, NULL);
	return (double)c >= need ? c : tok_count(s, len, NULL);
}

/*
 * A slot that cannot be a document (tmpl_slot_is_document) is never
 * counted, and one is decided as soon as its values hold
 * GROUP_DOC_TOKENS tokens for every sample that could fit: then it is a
 * document whatever the rest hold.  The samples stop when every slot is
 * decided.
 */
void group_document_slots(const struct tmpl *t,
                          const struct cluster_item *items,
                          const uint32_t *mem, size_t n, size_t max, bool *doc)
{
	size_t ns = n < max ? n : max, k, s, fitted = 0, open = 0;
	size_t *b = eng_xmalloc((2 * t->nslots + 1) * sizeof *b);
	double *tokens = eng_xcalloc(t->nslots + 1, sizeof *tokens);
	double enough = GROUP_DOC_TOKENS * (double)ns;
	bool *done = eng_xmalloc(t->nslots + 1);
	for (s = 0; s < t->nslots; s++) {
		done[s] = doc[s] = false;
		if (!tmpl_slot_is_document(t, s))
			done[s] = true;
		open += !done[s];
	}
	for (k = 0; k < ns && open; k++) {
		const struct cluster_item *it = &items[group_sample_at(mem, n, ns, k)];
		if (!tmpl_fits(t, it->text, it->len, b))
			continue;
		fitted++;
		for (s = 0; s < t->nslots; s++) {
			if (done[s])
				continue;
			tokens[s] += (double)tokens_up_to(it->text + b[2 * s],
			                                  b[2 * s + 1] - b[2 * s],
			                                  enough - tokens[s]);
			if (tokens[s] >= enough) {
				done[s] = doc[s] = true;
				open--;
			}
		}
	}
	for (s = 0; s < t->nslots; s++)
		if (!done[s])
			doc[s] = fitted &&
			         tokens[s] >= GROUP_DOC_TOKENS * (double)fitted;
	free(b);
	free(tokens);
	free(done);
}

/* The words of a slot's value, or none when they are all values (numbers,
 * ids, hex, booleans): the generic mask explains those, and a run of
 * numbers is no prose.  One plain word among them and all count. */
static size_t slot_words(const char *s, size_t len)
{
	size_t words;
	return tok_count_plain(s, len, &words) ? words : 0;
}

/* Share of the words of `text` that t's literals explain, leaving out
 * document slots and slots of values only; negative when the text does
 * not fit t. */
static double coverage(const struct tmpl *t, const bool *doc, const char *text,
                       size_t len, size_t *bounds)
{
	size_t s, other = 0;
	if (!tmpl_fits(t, text, len, bounds))
		return -1;
	for (s = 0; s < t->nslots; s++)
		if (!doc[s])
			other += slot_words(text + bounds[2 * s],
			                    bounds[2 * s + 1] - bounds[2 * s]);
	return (double)t->nwords / ((double)t->nwords + (double)other);
}

bool group_covers(const struct tmpl *t, const struct cluster_item *items,
                  const uint32_t *mem, size_t n, size_t max, double share)
{
	size_t ns = n < max ? n : max, k, fitted = 0;
	size_t *bounds = eng_xmalloc((2 * t->nslots + 1) * sizeof *bounds);
	bool *doc = eng_xmalloc(t->nslots + 1);
	double sum = 0;
	group_document_slots(t, items, mem, n, max, doc);
	for (k = 0; k < t->nslots && t->nwords < GROUP_MIN_FRAME; k++)
		doc[k] = false;
	for (k = 0; k < ns; k++) {
		const struct cluster_item *it = &items[group_sample_at(mem, n, ns, k)];
		double c = coverage(t, doc, it->text, it->len, bounds);
		if (c >= 0) {
			sum += c;
			fitted++;
		}
	}
	free(bounds);
	free(doc);
	return !fitted || sum / (double)fitted >= share;
}

bool group_template_ok(const struct tmpl *t, const struct cluster_item *items,
                       const uint32_t *mem, size_t n, size_t max,
                       double threshold)
{
	if (t->nframe == 0 || tmpl_strength(t) < threshold)
		return false;
	return group_covers(t, items, mem, n, max, threshold / 2);
}
