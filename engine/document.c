/*
 * document.c - slots that hold pasted documents swallow the coincidences
 * inside them (see infer.h, infer_absorb_documents).
 *
 * A frame inferred from members that each paste a diff, an article or a
 * conversation keeps what every document happens to share: "diff --git",
 * a dateline's "2025 —", "Hi" and "Regards," around an e-mail.  Those
 * literals are short next to the documents around them, and a document
 * starts on a line of its own.  So, with the average size of each slot's
 * values measured on the members:
 *
 * 1. a literal between two slots, one of them a document (values of at
 *    least DOC_TOKENS tokens on average), dissolves into one slot with its
 *    neighbours when it is short (fewer than SHORT_WORDS words and at most
 *    a quarter of the document's tokens) and does not introduce the slot
 *    after it: a label ending in a colon ("\n\nQuestion: "), or a
 *    paragraph break before a document ("comma-separated.\n\n", "\n\n---\n");
 *    repeated until nothing changes, as a dissolved slot is a bigger
 *    document;
 * 2. a document slot starts at the line (or colon) where its first value
 *    token stands: up to PEEL_TOKENS tokens of the literal before it on the
 *    same line ("diff --git ", "Hi ", "[1] ") move into the slot.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/groups.h"
#include "engine/infer.h"
#include "engine/template.h"
#include "engine/token.h"

#define DOC_TOKENS GROUP_DOC_TOKENS
#define SHORT_WORDS 8
#define PEEL_TOKENS 3

struct piece {
	bool slot;
	const char *text;          /* literal bytes (in the source template) */
	size_t len;
	double size;               /* slot: mean value tokens; literal: tokens */
	size_t words;              /* literal words */
};

/* Mean token count of each slot's values over the texts that fit t. */
static void slot_sizes(const struct tmpl *t, const char *const *texts,
                       const size_t *lens, const struct tokvec *const *tv,
                       size_t n, double *mean)
{
	size_t *b = eng_xmalloc((2 * t->nslots + 1) * sizeof *b), j, s, fit = 0;
	for (s = 0; s < t->nslots; s++)
		mean[s] = 0;
	for (j = 0; j < n; j++) {
		if (!tmpl_fits(t, texts[j], lens[j], b))
			continue;
		fit++;
		for (s = 0; s < t->nslots; s++)
			mean[s] += (double)tok_count_range(texts[j], tv[j], b[2 * s],
			                                   b[2 * s + 1]);
	}
	for (s = 0; s < t->nslots && fit; s++)
		mean[s] /= (double)fit;
	free(b);
}

/* A literal that introduces the slot after it: a label ending in a colon,
 * or a paragraph break (a blank line) before a document. */
static bool introduces(const struct piece *m, const struct piece *r)
{
	size_t len = m->len, i;
	while (len > 0 && tok_is_space((unsigned char)m->text[len - 1]))
		len--;
	if (len > 0 && m->text[len - 1] == ':')
		return true;
	if (r->size < DOC_TOKENS)
		return false;
	for (i = 0; i + 1 < m->len; i++)
		if (m->text[i] == '\n') {
			size_t j = i + 1;
			while (j < m->len && (m->text[j] == ' ' || m->text[j] == '\t' ||
			                      m->text[j] == '\r'))
				j++;
			if (j < m->len && m->text[j] == '\n')
				return true;
		}
	return false;
}

static bool is_document(const struct piece *p)
{
	return p->slot && p->size >= DOC_TOKENS;
}

/* Step 1 once; returns true when a literal dissolved. */
static bool dissolve_once(struct piece *p, size_t *n)
{
	size_t i;
	for (i = 1; i + 1 < *n; i++) {
		struct piece *l = &p[i - 1], *m = &p[i], *r = &p[i + 1];
		double doc;
		if (m->slot || !l->slot || !r->slot ||
		    (!is_document(l) && !is_document(r)))
			continue;
		doc = l->size > r->size ? l->size : r->size;
		if (m->words >= SHORT_WORDS || 4 * m->size > doc || introduces(m, r))
			continue;
		l->size += m->size + r->size;
		memmove(m, r + 1, (*n - i - 2) * sizeof *p);
		*n -= 2;
		return true;
	}
	return false;
}

/* Step 2: shorten the literal before document slot p[i]. */
static void peel_before(struct piece *p, size_t i)
{
	struct piece *l = &p[i - 1];
	size_t cut = l->len, tokens;
	while (cut > 0 && l->text[cut - 1] != '\n' && l->text[cut - 1] != ':')
		cut--;
	if (cut == 0 || cut == l->len)
		return;
	tokens = tok_count(l->text + cut, l->len - cut, NULL);
	if (tokens == 0 || tokens > PEEL_TOKENS)
		return;
	l->len = cut;
}

struct tmpl *infer_absorb_documents(struct tmpl *t, const char *const *texts,
                                    const size_t *lens,
                                    const struct tokvec *const *tv, size_t n)
{
	struct piece *p;
	double *mean;
	struct tmpl *out;
	size_t i, np = 0, s = 0, tokens, words;
	if (!t->nslots)
		return t;
	mean = eng_xmalloc((t->nslots + 1) * sizeof *mean);
	slot_sizes(t, texts, lens, tv, n, mean);
	p = eng_xcalloc(t->nparts + 1, sizeof *p);
	for (i = 0; i < t->nparts; i++, np++) {
		p[np].slot = t->parts[i].slot;
		if (p[np].slot) {
			p[np].size = mean[s++];
			continue;
		}
		p[np].text = t->parts[i].text;
		p[np].len = t->parts[i].len;
		tokens = tok_count(p[np].text, p[np].len, &words);
		p[np].size = (double)tokens;
		p[np].words = words;
	}
	while (dissolve_once(p, &np))
		;
	for (i = 1; i < np; i++)
		if (is_document(&p[i]))
			peel_before(p, i);
	out = tmpl_new();
	for (i = 0; i < np; i++) {
		if (p[i].slot)
			tmpl_add_slot(out);
		else
			tmpl_add_literal(out, p[i].text, p[i].len);
	}
	tmpl_seal(out);
	tmpl_free(t);
	free(p);
	free(mean);
	return out;
}
