/*
 * template.c - building, parsing, rendering and fitting templates.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE            /* memmem */
#endif
#include "engine/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/token.h"

static void choose_rare(struct tmpl_part *p);

struct tmpl *tmpl_new(void)
{
	return eng_xcalloc(1, sizeof(struct tmpl));
}

static struct tmpl_part *new_part(struct tmpl *t)
{
	t->parts = eng_grow(t->parts, &t->cap, t->nparts + 1, sizeof *t->parts);
	memset(&t->parts[t->nparts], 0, sizeof *t->parts);
	return &t->parts[t->nparts++];
}

void tmpl_add_literal(struct tmpl *t, const char *s, size_t len)
{
	struct tmpl_part *p;
	if (!len)
		return;
	if (t->nparts && !t->parts[t->nparts - 1].slot) {
		p = &t->parts[t->nparts - 1];
		p->text = eng_xrealloc(p->text, p->len + len + 1);
	} else {
		p = new_part(t);
		p->text = eng_xmalloc(len + 1);
	}
	memcpy(p->text + p->len, s, len);
	p->len += len;
	p->text[p->len] = '\0';
}

void tmpl_add_slot(struct tmpl *t)
{
	if (t->nparts && t->parts[t->nparts - 1].slot)
		return;
	new_part(t)->slot = true;
	t->nslots++;
}

void tmpl_seal(struct tmpl *t)
{
	struct tokvec tv = {0};
	size_t i, k, cap = 0;
	bool pending = false;
	free(t->tok_ids);
	free(t->slot_before);
	t->tok_ids = NULL;
	t->slot_before = NULL;
	t->ntok = t->nwords = t->nframe = 0;
	for (i = 0; i < t->nparts; i++) {
		struct tmpl_part *p = &t->parts[i];
		if (p->slot) {
			pending = true;
			continue;
		}
		choose_rare(p);
		tv.n = 0;
		tok_split(p->text, p->len, &tv);
		for (k = 0; k < tv.n; k++) {
			t->tok_ids = eng_grow(t->tok_ids, &cap, t->ntok + 1,
			                      sizeof *t->tok_ids);
			t->slot_before = eng_xrealloc(t->slot_before,
			                              cap * sizeof *t->slot_before);
			t->tok_ids[t->ntok] = tv.v[k].id;
			t->slot_before[t->ntok] = pending && k == 0;
			t->nwords += tv.v[k].kind != TOK_PUNCT;
			t->nframe += tv.v[k].kind == TOK_WORD;
			t->ntok++;
		}
		if (tv.n)
			pending = false;
	}
	t->slot_before = eng_xrealloc(t->slot_before,
	                              (t->ntok + 1) * sizeof *t->slot_before);
	t->slot_before[t->ntok] = pending;
	tokvec_free(&tv);
}

struct tmpl *tmpl_literal(const char *text, size_t len)
{
	struct tmpl *t = tmpl_new();
	tmpl_add_literal(t, text, len);
	tmpl_seal(t);
	return t;
}

struct tmpl *tmpl_copy(const struct tmpl *t)
{
	struct tmpl *c = tmpl_new();
	size_t i;
	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i].slot)
			tmpl_add_slot(c);
		else
			tmpl_add_literal(c, t->parts[i].text, t->parts[i].len);
	}
	tmpl_seal(c);
	return c;
}

void tmpl_free(struct tmpl *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->nparts; i++)
		free(t->parts[i].text);
	free(t->parts);
	free(t->tok_ids);
	free(t->slot_before);
	free(t);
}

size_t tmpl_nslots(const struct tmpl *t)
{
	return t ? t->nslots : 0;
}

/* Parse "{var_N}" at s[i]; returns its length or 0. */
static size_t slot_token(const char *s, size_t len, size_t i)
{
	size_t j = i + 5;
	if (len - i < 7 || memcmp(s + i, "{var_", 5) != 0)
		return 0;
	while (j < len && s[j] >= '0' && s[j] <= '9' && j - i < 15)
		j++;
	if (j == i + 5 || j >= len || s[j] != '}')
		return 0;
	return j + 1 - i;
}

struct tmpl *tmpl_parse(const char *s, size_t len)
{
	struct tmpl *t = tmpl_new();
	size_t i = 0, n;
	while (i < len) {
		if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
			tmpl_add_literal(t, "{", 1);
			i += 2;
		} else if (s[i] == '}' && i + 1 < len && s[i + 1] == '}') {
			tmpl_add_literal(t, "}", 1);
			i += 2;
		} else if (s[i] == '{' && (n = slot_token(s, len, i)) > 0) {
			tmpl_add_slot(t);
			i += n;
		} else if (s[i] == '{' || s[i] == '}') {
			tmpl_free(t);
			return NULL;
		} else {
			size_t j = i;
			while (j < len && s[j] != '{' && s[j] != '}')
				j++;
			tmpl_add_literal(t, s + i, j - i);
			i = j;
		}
	}
	tmpl_seal(t);
	return t;
}

char *tmpl_render(const struct tmpl *t)
{
	size_t cap = 1, i, j, n = 0, slot = 0;
	char *out;
	for (i = 0; i < t->nparts; i++)
		cap += t->parts[i].slot ? 32 : 2 * t->parts[i].len;
	out = eng_xmalloc(cap);
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *p = &t->parts[i];
		if (p->slot) {
			n += (size_t)snprintf(out + n, cap - n, "{var_%zu}", slot++);
			continue;
		}
		for (j = 0; j < p->len; j++) {
			out[n++] = p->text[j];
			if (p->text[j] == '{' || p->text[j] == '}')
				out[n++] = p->text[j];
		}
	}
	out[n] = '\0';
	return out;
}

/*
 * Finding a literal.  Literals are long (the frame of a prompt between two
 * slots) and each is looked for in many texts, so instead of a general
 * search that prepares the needle on every call, each literal remembers
 * its two least common bytes (by a fixed table of how common bytes are in
 * prompts: space, lower-case letters, newline, common punctuation); memchr
 * runs to the rarer one, the other is checked, then the whole literal.  A
 * haystack that is made of that byte falls back to memmem.
 */
static const unsigned char commonness[256] = {
	[' '] = 255, ['e'] = 250, ['t'] = 246, ['a'] = 244, ['o'] = 242,
	['i'] = 241, ['n'] = 240, ['s'] = 239, ['r'] = 238, ['h'] = 232,
	['l'] = 230, ['d'] = 228, ['\n'] = 228, ['c'] = 226, ['u'] = 224,
	['m'] = 222, ['f'] = 220, ['p'] = 218, ['g'] = 216, ['w'] = 214,
	['y'] = 212, ['b'] = 210, ['.'] = 208, [','] = 208, ['"'] = 206,
	['v'] = 202, ['k'] = 200, ['-'] = 196, [':'] = 194, ['/'] = 190,
	['_'] = 188, ['\''] = 186, ['('] = 180, [')'] = 180, ['='] = 176,
	['0'] = 178, ['1'] = 178, ['2'] = 176, ['3'] = 172, ['4'] = 170,
	['5'] = 170, ['6'] = 168, ['7'] = 168, ['8'] = 168, ['9'] = 168,
	['T'] = 174, ['S'] = 170, ['A'] = 170, ['I'] = 170, ['C'] = 166,
	['x'] = 166, ['\t'] = 164, ['{'] = 164, ['}'] = 164, ['['] = 160,
	[']'] = 160, ['E'] = 160, ['R'] = 158, ['N'] = 158, ['O'] = 158,
	['P'] = 156, ['M'] = 156, ['D'] = 156, ['L'] = 154, ['F'] = 154,
	['j'] = 150, ['q'] = 146, ['z'] = 146, ['>'] = 146, ['<'] = 146,
	['#'] = 144, ['*'] = 144, ['B'] = 144, ['H'] = 144, ['U'] = 144,
	['W'] = 142, ['G'] = 142, ['Y'] = 138, ['V'] = 136, ['K'] = 134,
	['?'] = 140, ['!'] = 138, [';'] = 138, ['&'] = 132, ['|'] = 130,
	['`'] = 130, ['\\'] = 130, ['+'] = 130, ['%'] = 128, ['@'] = 126,
	['$'] = 124, ['~'] = 120, ['^'] = 118, ['J'] = 124, ['Q'] = 118,
	['X'] = 120, ['Z'] = 116,
};

static void choose_rare(struct tmpl_part *p)
{
	size_t i, best = 0, second = 0;
	const unsigned char *u = (const unsigned char *)p->text;
	p->rare[0] = p->rare[1] = 0;
	if (p->slot || p->len < 2 || p->len > UINT32_MAX)
		return;
	for (i = 1; i < p->len; i++)
		if (commonness[u[i]] < commonness[u[best]])
			best = i;
	second = best ? 0 : 1;
	for (i = 0; i < p->len; i++)
		if (i != best && u[i] != u[best] &&
		    (u[second] == u[best] || commonness[u[i]] < commonness[u[second]]))
			second = i;
	p->rare[0] = (uint32_t)best;
	p->rare[1] = (uint32_t)second;
}

/* Leftmost occurrence of literal p in hay[from..to), or -1. */
static long find(const char *hay, size_t from, size_t to,
                 const struct tmpl_part *p)
{
	const char *base = hay + from, *q;
	size_t n = p->len, span, at = 0, misses = 0;
	size_t r0 = p->rare[0], r1 = p->rare[1];
	unsigned char b0, b1;

	if (to < from || to - from < n)
		return -1;
	if (n == 0)
		return (long)from;
	if (r0 >= n || r1 >= n)            /* a literal not sealed yet */
		r0 = r1 = 0;
	b0 = (unsigned char)p->text[r0];
	b1 = (unsigned char)p->text[r1];
	span = to - from - n + 1;          /* possible starts: [0, span) */
	while (at < span) {
		size_t s;
		if (!(q = memchr(base + at + r0, b0, span - at)))
			return q ? (long)(q - hay) : -1;
		s = (size_t)(q - base) - r0;
		if ((unsigned char)base[s + r1] == b1 &&
		    !memcmp(base + s, p->text, n))
			return (long)(from + s);
		at = s + 1;
		if (++misses > 32 && misses * 32 > at) {
			q = memmem(base + at, to - from - at, p->text, n);
			return q ? (long)(q - hay) : -1;
		}
	}
	return -1;
}

static void set_bound(size_t *bounds, size_t slot, size_t a, size_t b)
{
	if (bounds) {
		bounds[2 * slot] = a;
		bounds[2 * slot + 1] = b;
	}
}

bool tmpl_fits(const struct tmpl *t, const char *text, size_t len,
               size_t *bounds)
{
	size_t i = 0, pos = 0, end = len, slot = 0, last = t->nparts;
	if (!t->nparts)
		return len == 0;
	if (!t->parts[0].slot) {
		const struct tmpl_part *p = &t->parts[0];
		if (p->len > len || memcmp(text, p->text, p->len) != 0)
			return false;
		if (t->nparts == 1)
			return p->len == len;
		pos = p->len;
		i = 1;
	}
	if (!t->parts[last - 1].slot) {
		const struct tmpl_part *p = &t->parts[last - 1];
		if (p->len > len - pos ||
		    memcmp(text + len - p->len, p->text, p->len) != 0)
			return false;
		end = len - p->len;
		last--;
	}
	/* parts[i..last) alternate slot, literal, ..., slot */
	for (; i < last; i += 2) {
		size_t start = pos;
		if (i + 1 < last) {
			const struct tmpl_part *p = &t->parts[i + 1];
			long at = find(text, pos + 1, end, p);
			if (at < 0)
				return false;
			set_bound(bounds, slot++, start, (size_t)at);
			pos = (size_t)at + p->len;
		} else {
			if (end <= pos)
				return false;
			set_bound(bounds, slot++, start, end);
			pos = end;
		}
	}
	return true;
}

int tmpl_extract(const struct tmpl *t, const char *text, size_t len,
                 char ***values)
{
	size_t *b = eng_xmalloc((2 * t->nslots + 1) * sizeof *b), i;
	*values = NULL;
	if (!tmpl_fits(t, text, len, b)) {
		free(b);
		return -1;
	}
	*values = eng_xmalloc((t->nslots + 1) * sizeof **values);
	for (i = 0; i < t->nslots; i++)
		(*values)[i] = eng_xstrndup(text + b[2 * i], b[2 * i + 1] - b[2 * i]);
	free(b);
	return (int)t->nslots;
}

double tmpl_strength(const struct tmpl *t)
{
	double lit = (double)t->ntok;
	if (lit == 0)
		return 0;
	return lit / (lit + 0.5 * (double)t->nslots);
}
