/*
 * token.c - the tokenizer (see token.h).
 */
#include "engine/token.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"

static inline uint64_t load16(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static inline uint64_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Bytes p[0..n), n < 8, as one word (byte k at bits 8k on a little-endian
 * machine): two loads that may overlap, no loop. */
static inline uint64_t tail_word(const unsigned char *p, size_t n)
{
	if (n >= 4)
		return load32(p) | load32(p + n - 4) << (8 * (n - 4));
	if (n >= 2)
		return load16(p) | load16(p + n - 2) << (8 * (n - 2));
	return n ? p[0] : 0;
}

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
	/* the last 0-7 bytes */
	w = tail_word((const unsigned char *)s + i, len - i);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/* What a byte is to the tokenizer: 0 for the bytes that only ever continue
 * a piece (letters, most punctuation, UTF-8), so that the scan over them is
 * one table lookup a byte. */
enum { CH_SPACE = 1, CH_STRONG = 2, CH_FINAL = 4, CH_DIGIT = 8 };
#define CH_BREAK (CH_SPACE | CH_STRONG)

static const unsigned char ch_class[256] = {
	['\t'] = CH_SPACE, ['\n'] = CH_SPACE, ['\v'] = CH_SPACE,
	['\f'] = CH_SPACE, ['\r'] = CH_SPACE, [' '] = CH_SPACE,
	['='] = CH_STRONG, [','] = CH_STRONG, [';'] = CH_STRONG,
	[':'] = CH_STRONG, ['('] = CH_STRONG, [')'] = CH_STRONG,
	['['] = CH_STRONG, [']'] = CH_STRONG, ['{'] = CH_STRONG,
	['}'] = CH_STRONG, ['<'] = CH_STRONG, ['>'] = CH_STRONG,
	['"'] = CH_STRONG, ['\''] = CH_STRONG, ['|'] = CH_STRONG,
	['`'] = CH_STRONG,
	['.'] = CH_FINAL, ['!'] = CH_FINAL, ['?'] = CH_FINAL,
	['0'] = CH_DIGIT, ['1'] = CH_DIGIT, ['2'] = CH_DIGIT, ['3'] = CH_DIGIT,
	['4'] = CH_DIGIT, ['5'] = CH_DIGIT, ['6'] = CH_DIGIT, ['7'] = CH_DIGIT,
	['8'] = CH_DIGIT, ['9'] = CH_DIGIT,
};

int tok_is_space(unsigned char c)
{
	return ch_class[c] & CH_SPACE;
}

/* Where split puts tokens: a vector, or counts. */
struct sink {
	struct tokvec *out;        /* NULL: count only */
	size_t tokens, words, values;
};

static inline void push(struct sink *k, const char *s, size_t off, size_t len,
                        enum tok_kind kind)
{
	struct tokvec *out = k->out;
	struct tok *t;
	if (!out) {
		k->tokens++;
		k->words += kind != TOK_PUNCT;
		k->values += kind == TOK_VAR;
		return;
	}
	if (out->n == out->cap)
		out->v = eng_grow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	t = &out->v[out->n++];
	t->off = off;
	t->len = len;
	t->kind = kind;
	t->id = tok_hash(s + off, len);
}

/* true, false, null and their spellings in other languages' dumps are
 * values as much as numbers are, and so is hex that happens to have no
 * digit ("mask=ffffffff"; eight letters at least, which English words
 * made of a-f do not reach). */
static inline bool literal_value(const char *w, size_t len)
{
	if (len == 4)
		return !memcmp(w, "true", 4) || !memcmp(w, "null", 4) ||
		       !memcmp(w, "True", 4) || !memcmp(w, "None", 4) ||
		       !memcmp(w, "TRUE", 4) || !memcmp(w, "NULL", 4);
	if (len == 5)
		return !memcmp(w, "false", 5) || !memcmp(w, "False", 5) ||
		       !memcmp(w, "FALSE", 5);
	if (len >= 8) {            /* hex without a digit: "ffffffff" */
		size_t i;
		for (i = 0; i < len && w[i] >= 'a' && w[i] <= 'f'; i++)
			;
		if (i == len)
			return true;
		for (i = 0; i < len && w[i] >= 'A' && w[i] <= 'F'; i++)
			;
		return i == len;
	}
	return false;
}

/*
 * One pass over the bytes.  A piece runs from a byte that is neither space
 * nor strong punctuation to the next one that is; while scanning it, note
 * whether it holds a digit and where its last byte other than . ! ? is.
 * The . ! ? bytes after that are tokens of their own, unless the piece is
 * nothing but them: then its first byte is one too.
 */
static inline void split(const char *s, size_t len, struct sink *k)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (len > TOK_MAX_TEXT)
		len = TOK_MAX_TEXT;
	while (i < len) {
		unsigned c = ch_class[u[i]];
		size_t a, end, j;
		unsigned seen = 0;

		if (c & CH_BREAK) {
			if (c & CH_STRONG)
				push(k, s, i, 1, TOK_PUNCT);
			i++;
			continue;
		}
		a = i;
		end = a + 1;
		for (;;) {
			j = i;
			while (i < len && !ch_class[u[i]])
				i++;
			if (i > j)
				end = i;
			if (i == len || ((c = ch_class[u[i]]) & CH_BREAK))
				break;
			seen |= c;
			if (!(c & CH_FINAL))
				end = i + 1;
			i++;
		}
		if (end == a + 1 && (ch_class[u[a]] & CH_FINAL))
			push(k, s, a, 1, TOK_PUNCT);
		else
			push(k, s, a, end - a, (seen & CH_DIGIT) ||
			     literal_value(s + a, end - a) ? TOK_VAR : TOK_WORD);
		for (j = end; j < i; j++)
			push(k, s, j, 1, TOK_PUNCT);
	}
}

void tok_split(const char *s, size_t len, struct tokvec *out)
{
	struct sink k = { out, 0, 0, 0 };
	split(s, len, &k);
}

size_t tok_count(const char *s, size_t len, size_t *words)
{
	struct sink k = { NULL, 0, 0, 0 };
	split(s, len, &k);
	if (words)
		*words = k.words;
	return k.tokens;
}

size_t tok_count_plain(const char *s, size_t len, size_t *words)
{
	struct sink k = { NULL, 0, 0, 0 };
	split(s, len, &k);
	if (words)
		*words = k.words;
	return k.words - k.values;
}

/* Index of the first token of tv at offset `off` or later. */
static size_t first_at(const struct tokvec *tv, size_t off)
{
	size_t lo = 0, hi = tv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tv->v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t tok_count_range(const char *s, const struct tokvec *tv, size_t from,
                       size_t to)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p = from, q = to;
	if (to > TOK_MAX_TEXT)
		return tok_count(s + from, to - from, NULL);
	while (p < to && !(ch_class[u[p]] & CH_BREAK))
		p++;
	if (p == to)               /* no delimiter: one piece at most */
		return tok_count(s + from, to - from, NULL);
	while (!(ch_class[u[q - 1]] & CH_BREAK))
		q--;
	/* [from, p) and [q, to) are pieces cut by the range; every token
	 * from p up to the delimiter at q - 1 is as tok_split found it. */
	return tok_count(s + from, p - from, NULL) +
	       first_at(tv, q) - first_at(tv, p) +
	       tok_count(s + q, to - q, NULL);
}

/* A unit word right after a number is part of the value: "5.2 KB". */
static bool is_unit(const char *w, size_t len)
{
	static const char *const units[] = {
		"B", "KB", "kB", "MB", "GB", "TB", "bytes", "ms", "us", "ns", "s",
		"sec", "secs", "min", "mins", "%",
	};
	size_t i;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i]) == len && !memcmp(units[i], w, len))
			return true;
	return false;
}

static bool has_dot(const char *s, size_t len)
{
	return memchr(s, '.', len) != NULL;
}

/*
 * Which tokens of a text belong to values (see token.h).  Forward:
 * a token is a value by its own kind and neighbours (VAR; a unit word
 * after such a value, "5.2 KB"; a host name before ":port"), or as
 * punctuation stuck to a value before it.  Backward: punctuation stuck to
 * a value after it, through any chain of touching punctuation.
 */
void tok_mark_values(const char *text, const struct tokvec *tv, bool *m)
{
	size_t i, n = tv->n;
	bool prev = false;         /* the token before is a value by itself */
	for (i = 0; i < n; i++) {
		const struct tok *t = &tv->v[i];
		bool own = t->kind == TOK_VAR;
		if (t->kind == TOK_WORD &&
		    ((prev && is_unit(text + t->off, t->len)) ||
		     (i + 2 < n && tv->v[i + 2].kind == TOK_VAR &&
		      text[tv->v[i + 1].off] == ':' &&
		      tok_touching(t, &tv->v[i + 1]) &&
		      tok_touching(&tv->v[i + 1], &tv->v[i + 2]) &&
		      has_dot(text + t->off, t->len))))
			own = true;
		m[i] = own || (t->kind == TOK_PUNCT && i > 0 && m[i - 1] &&
		               tok_touching(&tv->v[i - 1], t));
		prev = own;
	}
	for (i = n; i-- > 1;) {
		if (!m[i - 1] && tv->v[i - 1].kind == TOK_PUNCT && m[i] &&
		    tok_touching(&tv->v[i - 1], &tv->v[i]))
			m[i - 1] = true;
	}
}

int tok_is_delim(unsigned char c)
{
	return (ch_class[c] & CH_BREAK) != 0;
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
