/*
 * token.h - splitting text into the tokens the engine compares.
 *
 * Whitespace separates words and is never a token.  Inside a word the
 * "strong" punctuation  = , ; : ( ) [ ] { } < > " ' | `  is a token of its
 * own, and so is a '.', '!' or '?' ending a word.  What remains are pieces;
 * a piece holding a digit (a number, hex id, IP, date, versioned name, path
 * with numbers) is a VAR piece, and so is a boolean or null literal (true,
 * false, null; True, False, None; TRUE, FALSE, NULL) and a hex number
 * without a digit (eight or more of a-f, or of A-F): the generic variable
 * mask.  Tokens carry a
 * 64-bit hash of their bytes as identity; collisions are treated as
 * impossible.
 */
#ifndef TRACEGROUP_ENGINE_TOKEN_H
#define TRACEGROUP_ENGINE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	TOK_WORD,                  /* piece without digits */
	TOK_VAR,                   /* piece with a digit, or a boolean or null
	                              literal: masked when grouping */
	TOK_PUNCT                  /* one strong punctuation byte */
};

/* Sixteen bytes a token: the passes write and read millions of them. */
struct tok {
	uint64_t id;               /* hash of the bytes */
	uint32_t off;              /* bytes of the text */
	uint32_t len : 30;
	enum tok_kind kind : 2;
};

/* Bytes of a text the tokenizer reads; the rest is ignored.  A stored text
 * is shorter anyway (SQLite's default length limit is 10^9 bytes), and
 * offsets and lengths then fit their fields. */
#define TOK_MAX_TEXT 1000000000u

struct tokvec {
	struct tok *v;
	size_t n, cap;
};

/* The id every VAR token has in a skeleton (see tok_skeleton_id). */
#define TOK_MASK_ID 0x9e3779b97f4a7c15ULL

uint64_t tok_hash(const char *s, size_t len);
/* Append the tokens of s[0..len) to out; offsets are relative to s. */
void tok_split(const char *s, size_t len, struct tokvec *out);
/* How many tokens tok_split would give (and, into *words unless NULL,
 * how many of them are not punctuation), without building them. */
size_t tok_count(const char *s, size_t len, size_t *words);
/* How many WORD tokens tok_split would give: pieces that are neither
 * punctuation nor values (and, into *words unless NULL, how many tokens
 * are not punctuation). */
size_t tok_count_plain(const char *s, size_t len, size_t *words);
/* tok_count(s + from, to - from, NULL), from tv (tok_split of all of s):
 * the tokenizer starts afresh after every delimiter, so only the bytes
 * before the range's first delimiter and after its last are scanned; the
 * tokens between are counted by their offsets. */
size_t tok_count_range(const char *s, const struct tokvec *tv, size_t from,
                       size_t to);
/* True when b starts right where a ends: no whitespace between them. */
static inline bool tok_touching(const struct tok *a, const struct tok *b)
{
	return a->off + a->len == b->off;
}

/* Which tokens of `text` (split into tv) belong to values: m[i] for each.
 * A token is a value by its kind (VAR), as a unit word right after a value
 * ("5.2 KB", "<1 sec"), as a host name before ":port", or as punctuation
 * stuck to a value on either side ("10.0.0.1:80", "(1.2 KB)"). */
void tok_mark_values(const char *text, const struct tokvec *tv, bool *m);
/* The id a token has when grouping: TOK_MASK_ID for VAR, else its id. */
uint64_t tok_skeleton_id(const struct tok *t);
void tokvec_free(struct tokvec *tv);
int tok_is_space(unsigned char c);
/* Whitespace or strong punctuation: a byte that always ends a piece. */
int tok_is_delim(unsigned char c);

#endif
