/*
 * token.c - the tokenizer (see token.h).
 */
#include "engine/token.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"

/* Eight bytes at a time, each word mixed in (splitmix64's constants). */
uint64_t tok_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL), w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	/* the last bytes as a little-endian word, without a call to memcpy */
	for (w = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

enum { CH_SPACE = 1, CH_STRONG = 2 };

static const unsigned char ch_class[256] = {
	['\t'] = CH_SPACE, ['\n'] = CH_SPACE, ['\v'] = CH_SPACE,
	['\f'] = CH_SPACE, ['\r'] = CH_SPACE, [' '] = CH_SPACE,
	['='] = CH_STRONG, [','] = CH_STRONG, [';'] = CH_STRONG,
	[':'] = CH_STRONG, ['('] = CH_STRONG, [')'] = CH_STRONG,
	['['] = CH_STRONG, [']'] = CH_STRONG, ['{'] = CH_STRONG,
	['}'] = CH_STRONG, ['<'] = CH_STRONG, ['>'] = CH_STRONG,
	['"'] = CH_STRONG, ['\''] = CH_STRONG, ['|'] = CH_STRONG,
	['`'] = CH_STRONG,
};

int tok_is_space(unsigned char c)
{
	return ch_class[c] == CH_SPACE;
}

static int is_strong(unsigned char c)
{
	return ch_class[c] == CH_STRONG;
}

static int is_final(unsigned char c)
{
	return c == '.' || c == '!' || c == '?';
}

static inline void push(struct tokvec *out, const char *s, size_t off, size_t len,
                 enum tok_kind kind, bool hash)
{
	struct tok *t;
	if (out->n == out->cap)
		out->v = eng_grow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	t = &out->v[out->n++];
	t->off = off;
	t->len = len;
	t->kind = kind;
	t->id = hash ? tok_hash(s + off, len) : 0;
}

static void push_piece(struct tokvec *out, const char *s, size_t a, size_t b,
                       bool hash)
{
	size_t end = b, i;
	int digit = 0;
	/* Sentence punctuation ending a piece is a token of its own. */
	while (end > a + 1 && is_final((unsigned char)s[end - 1]))
		end--;
	for (i = a; i < end; i++)
		digit |= s[i] >= '0' && s[i] <= '9';
	if (end == a + 1 && is_final((unsigned char)s[a]))
		push(out, s, a, 1, TOK_PUNCT, hash);     /* a lone "." is no word */
	else
		push(out, s, a, end - a, digit ? TOK_VAR : TOK_WORD, hash);
	for (i = end; i < b; i++)
		push(out, s, i, 1, TOK_PUNCT, hash);
}

static void split_word(const char *s, size_t a, size_t b, struct tokvec *out,
                       bool hash)
{
	size_t start = a, i;
	for (i = a; i < b; i++) {
		if (!is_strong((unsigned char)s[i]))
			continue;
		if (i > start)
			push_piece(out, s, start, i, hash);
		push(out, s, i, 1, TOK_PUNCT, hash);
		start = i + 1;
	}
	if (b > start)
		push_piece(out, s, start, b, hash);
}

static void split(const char *s, size_t len, struct tokvec *out, bool hash)
{
	size_t i = 0, start;
	while (i < len) {
		while (i < len && tok_is_space((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && !tok_is_space((unsigned char)s[i]))
			i++;
		if (i > start)
			split_word(s, start, i, out, hash);
	}
}

void tok_split(const char *s, size_t len, struct tokvec *out)
{
	split(s, len, out, true);
}

void tok_split_shape(const char *s, size_t len, struct tokvec *out)
{
	split(s, len, out, false);
}

int tok_is_delim(unsigned char c)
{
	return ch_class[c] != 0;
}

uint64_t tok_skeleton_id(const struct tok *t)
{
	return t->kind == TOK_VAR ? TOK_MASK_ID : t->id;
}

void tokvec_free(struct tokvec *tv)
{
	free(tv->v);
	tv->v = NULL;
	tv->n = tv->cap = 0;
}
