/*
 * similarity.c - tmpl_score, the one similarity the engine uses.
 *
 * score = 2 * matched / (template literal tokens + empty slots
 *                       + text tokens outside slots)
 *
 * where `matched` counts template literal tokens found in the text in order
 * (align_match), and a text token is "inside a slot" when it lies between
 * two matched tokens (or before the first / after the last) at a place where
 * the template has a slot.  A slot left with no token counts as one more
 * template token, missed.  A text that fits exactly scores 1.  Whitespace is
 * not a token, so whitespace-only differences do not lower the score.
 * docs/SIMILARITY.md explains it with worked examples.
 */
#include <stdlib.h>

#include "engine/align.h"
#include "engine/alloc.h"
#include "engine/similarity.h"
#include "engine/template.h"
#include "engine/token.h"

/* Text tokens that lie in slots, given the matching ma of template tokens;
 * *empty gets the slots left with no token to absorb. */
static size_t absorbed(const struct tmpl *t, const long *ma, size_t ntext,
                       size_t *empty)
{
	size_t *upto = eng_xmalloc((t->ntok + 2) * sizeof *upto), k, n = 0;
	long prev_t = -1, prev_x = -1;
	size_t slots, tokens;
	*empty = 0;
	upto[0] = 0;
	for (k = 0; k <= t->ntok; k++)
		upto[k + 1] = upto[k] + t->slot_before[k];
	for (k = 0; k <= t->ntok; k++) {
		long x;
		if (k < t->ntok && ma[k] < 0)
			continue;
		x = k < t->ntok ? ma[k] : (long)ntext;
		slots = upto[k + 1] - upto[prev_t + 1];
		tokens = (size_t)(x - prev_x - 1);
		if (slots && tokens)
			n += tokens;
		if (slots > tokens)
			*empty += slots - tokens;
		prev_t = (long)k;
		prev_x = x;
	}
	free(upto);
	return n;
}

double sim_score_tokens(const struct tmpl *t, const uint64_t *ids, size_t n)
{
	long *ma = eng_xmalloc((t->ntok + 1) * sizeof *ma);
	size_t m = align_match(t->tok_ids, t->ntok, ids, n, ma), empty;
	size_t outside = n - absorbed(t, ma, n, &empty);
	double den = (double)t->ntok + (double)outside + (double)empty;
	free(ma);
	return den > 0 ? 2.0 * (double)m / den : 1.0;
}

double tmpl_score(const struct tmpl *t, const char *text, size_t len)
{
	struct tokvec tv = {0};
	uint64_t *ids;
	double s;
	size_t i;
	if (tmpl_fits(t, text, len, NULL))
		return 1.0;
	tok_split(text, len, &tv);
	ids = eng_xmalloc((tv.n + 1) * sizeof *ids);
	for (i = 0; i < tv.n; i++)
		ids[i] = tv.v[i].id;
	s = sim_score_tokens(t, ids, tv.n);
	free(ids);
	tokvec_free(&tv);
	return s > 1.0 ? 1.0 : s;
}
