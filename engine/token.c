/*
 * token.c - the tokenizer (see token.h).
 */
#include "engine/token.h"

#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"

uint64_t tok_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= len;
	h *= 0x9fb21c651e98df25ULL;
	return h ^ (h >> 29);
}

int tok_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_strong(unsigned char c)
{
	return c != '\0' && strchr("=,;:()[]{}<>\"'|`", c) != NULL;
}

static int is_final(unsigned char c)
{
	return c == '.' || c == '!' || c == '?';
}

static void push(struct tokvec *out, const char *s, size_t off, size_t len,
                 enum tok_kind kind)
{
	struct tok *t;
	out->v = eng_grow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	t = &out->v[out->n++];
	t->off = off;
	t->len = len;
	t->kind = kind;
	t->id = tok_hash(s + off, len);
}

static void push_piece(struct tokvec *out, const char *s, size_t a, size_t b)
{
	size_t end = b, i;
	int digit = 0;
	/* Sentence punctuation ending a piece is a token of its own. */
	while (end > a + 1 && is_final((unsigned char)s[end - 1]))
		end--;
	for (i = a; i < end; i++)
		digit |= s[i] >= '0' && s[i] <= '9';
	push(out, s, a, end - a, digit ? TOK_VAR : TOK_WORD);
	for (i = end; i < b; i++)
		push(out, s, i, 1, TOK_PUNCT);
}

static void split_word(const char *s, size_t a, size_t b, struct tokvec *out)
{
	size_t start = a, i;
	for (i = a; i < b; i++) {
		if (!is_strong((unsigned char)s[i]))
			continue;
		if (i > start)
			push_piece(out, s, start, i);
		push(out, s, i, 1, TOK_PUNCT);
		start = i + 1;
	}
	if (b > start)
		push_piece(out, s, start, b);
}

void tok_split(const char *s, size_t len, struct tokvec *out)
{
	size_t i = 0, start;
	while (i < len) {
		while (i < len && tok_is_space((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && !tok_is_space((unsigned char)s[i]))
			i++;
		if (i > start)
			split_word(s, start, i, out);
	}
}

int tok_is_delim(unsigned char c)
{
	return tok_is_space(c) || is_strong(c);
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
