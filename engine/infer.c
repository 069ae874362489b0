/*
 * infer.c - template inference (see infer.h).
 */
#include "engine/infer.h"

#include <stdlib.h>
#include <string.h>

#include "engine/align.h"
#include "engine/alloc.h"
#include "engine/engine.h"
#include "engine/template.h"
#include "engine/token.h"

struct member {
	const char *text;
	size_t len;
	struct tokvec tv;
	long *at;                  /* per base token: matched token, or -1 */
};

struct frame {
	struct member *mem;
	size_t n;
	size_t nbase;              /* tokens of the base text */
	bool *keep;                /* base token still common to all */
};

static uint64_t *ids_of(const struct tokvec *tv, size_t *n)
{
	uint64_t *ids = eng_xmalloc((tv->n + 1) * sizeof *ids);
	size_t i;
	for (i = 0; i < tv->n; i++)
		ids[i] = tv->v[i].id;
	*n = tv->n;
	return ids;
}

/* Stands in the frame for a run of base tokens no longer in it: a slot.
 * It equals no token of a text (ids are hashes, and collisions are treated
 * as impossible), so no match crosses a slot's place: a frame that ends
 * "comma-separated." before a document is matched at the text's own
 * "comma-separated.", never with its "." at the end of the text's
 * document. */
#define SLOT_ID 0x736c6f742d2d2d2dULL

/* The ids of the frame, a SLOT_ID where base tokens were dropped; at[k]
 * is the base token of id k, or -1 for a SLOT_ID. */
static uint64_t *frame_ids(const struct frame *f, long *at, size_t *n)
{
	const struct tokvec *tv = &f->mem[0].tv;
	uint64_t *ids = eng_xmalloc((2 * tv->n + 1) * sizeof *ids);
	size_t i;
	bool gap = false;
	*n = 0;
	for (i = 0; i < tv->n; i++) {
		if (!f->keep[i]) {
			gap = true;
			continue;
		}
		if (gap) {
			at[*n] = -1;
			ids[(*n)++] = SLOT_ID;
			gap = false;
		}
		at[*n] = (long)i;
		ids[(*n)++] = tv->v[i].id;
	}
	if (gap) {
		at[*n] = -1;
		ids[(*n)++] = SLOT_ID;
	}
	return ids;
}

/* Match member j against the current frame and shrink the frame. */
static void narrow(struct frame *f, size_t j, int drop)
{
	struct member *m = &f->mem[j];
	size_t nf, nx, i, k;
	long *at = eng_xmalloc((2 * f->nbase + 1) * sizeof *at);
	uint64_t *fid = frame_ids(f, at, &nf);
	uint64_t *xid = ids_of(&m->tv, &nx);
	long *ma = eng_xmalloc((nf + 1) * sizeof *ma);
	align_match_subst(fid, nf, xid, nx, ma);
	if (drop)
		align_drop_isolated(fid, nf, xid, nx, ma);
	for (i = 0; i < f->nbase; i++)
		m->at[i] = -1;
	for (k = 0; k < nf; k++) {
		if (at[k] < 0)
			continue;
		i = (size_t)at[k];
		m->at[i] = ma[k];
		if (ma[k] < 0)
			f->keep[i] = false;
	}
	free(at);
	free(fid);
	free(xid);
	free(ma);
}

/* Byte range of member j between base tokens a and b (either may be -1 /
 * nbase for the text's start / end). */
static void gap_of(const struct frame *f, size_t j, long a, long b,
                   size_t *from, size_t *to)
{
	const struct member *m = &f->mem[j];
	if (a < 0) {
		*from = 0;
	} else {
		const struct tok *t = &m->tv.v[m->at[a]];
		*from = t->off + t->len;
	}
	*to = b < (long)f->nbase ? m->tv.v[m->at[b]].off : m->len;
}

static bool all_same(const struct frame *f, long a, long b)
{
	size_t j, f0, t0, fj, tj;
	gap_of(f, 0, a, b, &f0, &t0);
	for (j = 1; j < f->n; j++) {
		gap_of(f, j, a, b, &fj, &tj);
		if (tj - fj != t0 - f0 ||
		    memcmp(f->mem[j].text + fj, f->mem[0].text + f0, t0 - f0) != 0)
			return false;
	}
	return true;
}

static bool any_empty(const struct frame *f, long a, long b)
{
	size_t j, from, to;
	for (j = 0; j < f->n; j++) {
		gap_of(f, j, a, b, &from, &to);
		if (from == to)
			return true;
	}
	return false;
}

/* Drop a frame token next to a gap that must be a slot but is empty in
 * some text (a slot absorbs at least one byte).  Returns true if it did. */
static bool widen_once(struct frame *f)
{
	long a = -1, b;
	for (b = 0; b <= (long)f->nbase; b++) {
		if (b < (long)f->nbase && !f->keep[b])
			continue;
		if (!all_same(f, a, b) && any_empty(f, a, b) &&
		    (a >= 0 || b < (long)f->nbase)) {
			f->keep[a >= 0 ? a : b] = false;
			return true;
		}
		a = b;
	}
	return false;
}

/* Whitespace shared by all texts at the start (dir 0) or end of a gap. */
static size_t common_space(const struct frame *f, long a, long b, int end,
                           size_t limit)
{
	size_t n = 0, j, from, to;
	for (;; n++) {
		unsigned char c0 = 0;
		for (j = 0; j < f->n; j++) {
			unsigned char c;
			gap_of(f, j, a, b, &from, &to);
			if (n >= limit || n >= to - from)
				return n;
			c = (unsigned char)f->mem[j].text[end ? to - 1 - n : from + n];
			if (!tok_is_space(c) || (j && c != c0))
				return n;
			c0 = c;
		}
	}
}

static void emit_gap(struct tmpl *t, const struct frame *f, long a, long b)
{
	size_t from, to, j, shortest = (size_t)-1, pre, suf;
	gap_of(f, 0, a, b, &from, &to);
	if (all_same(f, a, b)) {
		tmpl_add_literal(t, f->mem[0].text + from, to - from);
		return;
	}
	for (j = 0; j < f->n; j++) {
		size_t fj, tj;
		gap_of(f, j, a, b, &fj, &tj);
		if (tj - fj < shortest)
			shortest = tj - fj;
	}
	if (shortest == 0) {       /* an empty text among others: no fix */
		tmpl_add_slot(t);
		return;
	}
	pre = common_space(f, a, b, 0, shortest - 1);
	suf = common_space(f, a, b, 1, shortest - 1 - pre);
	tmpl_add_literal(t, f->mem[0].text + from, pre);
	tmpl_add_slot(t);
	tmpl_add_literal(t, f->mem[0].text + to - suf, suf);
}

static struct tmpl *build(const struct frame *f)
{
	struct tmpl *t = tmpl_new();
	const struct member *base = &f->mem[0];
	long a = -1, b;
	for (b = 0; b <= (long)f->nbase; b++) {
		if (b < (long)f->nbase && !f->keep[b])
			continue;
		emit_gap(t, f, a, b);
		if (b < (long)f->nbase)
			tmpl_add_literal(t, base->text + base->tv.v[b].off,
			                 base->tv.v[b].len);
		a = b;
	}
	tmpl_seal(t);
	return t;
}

/* The template of all n texts, every one of them aligned. */
static struct tmpl *infer_all(const char *const *texts, const size_t *lens,
                              size_t n, int drop_isolated)
{
	struct frame f = {0};
	const struct tokvec **tv;
	struct tmpl *t;
	size_t j, i;
	if (n == 0)
		return tmpl_literal("", 0);
	f.n = n;
	f.mem = eng_xcalloc(n, sizeof *f.mem);
	for (j = 0; j < n; j++) {
		f.mem[j].text = texts[j];
		f.mem[j].len = lens[j];
		tok_split(texts[j], lens[j], &f.mem[j].tv);
	}
	f.nbase = f.mem[0].tv.n;
	f.keep = eng_xmalloc((f.nbase + 1) * sizeof *f.keep);
	for (j = 0; j < n; j++)
		f.mem[j].at = eng_xmalloc((f.nbase + 1) * sizeof(long));
	for (i = 0; i < f.nbase; i++) {
		f.keep[i] = true;
		f.mem[0].at[i] = (long)i;
	}
	for (j = 1; j < n; j++)
		narrow(&f, j, drop_isolated);
	while (widen_once(&f))
		;
	tv = eng_xmalloc(n * sizeof *tv);
	for (j = 0; j < n; j++)
		tv[j] = &f.mem[j].tv;
	t = infer_absorb_documents(build(&f), texts, lens, tv, n);
	free(tv);
	for (j = 0; j < n; j++) {
		tokvec_free(&f.mem[j].tv);
		free(f.mem[j].at);
	}
	free(f.mem);
	free(f.keep);
	return t;
}

/*
 * Most of a large sample says nothing new: once a few members have
 * narrowed the frame, the others fit it exactly.  So a template is first
 * inferred from INFER_FIRST members spread evenly over the texts (the base
 * among them); when every other text fits it exactly, it is the answer,
 * having cost a byte scan a text instead of a tokenization and an
 * alignment.  Otherwise all the texts are aligned.
 */
struct tmpl *infer_template(const char *const *texts, const size_t *lens,
                            size_t n, int drop_isolated)
{
	const char *few[INFER_FIRST];
	size_t few_len[INFER_FIRST], k, j, next;
	struct tmpl *t;
	if (n <= 2 * INFER_FIRST)
		return infer_all(texts, lens, n, drop_isolated);
	for (k = 0; k < INFER_FIRST; k++) {
		few[k] = texts[k * n / INFER_FIRST];
		few_len[k] = lens[k * n / INFER_FIRST];
	}
	t = infer_all(few, few_len, INFER_FIRST, drop_isolated);
	for (j = 0, k = 0; j < n; j++) {
		next = k < INFER_FIRST ? k * n / INFER_FIRST : n;
		if (j == next) {
			k++;
			continue;
		}
		if (!tmpl_fits(t, texts[j], lens[j], NULL)) {
			tmpl_free(t);
			return infer_all(texts, lens, n, drop_isolated);
		}
	}
	return t;
}

struct tmpl *tmpl_infer(const char *const *texts, const size_t *lens, size_t n)
{
	return infer_template(texts, lens, n, 1);
}
