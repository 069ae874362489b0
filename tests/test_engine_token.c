/*
 * test_engine_token.c - the tokenizer (engine/token.h).
 *
 * The tokenizer makes one pass over the bytes.  The reference here states
 * the rules the slow way, a step for each: words between whitespace,
 * strong punctuation cut out of words, then . ! ? cut off the end of each
 * piece.  On random text built from every kind of byte, both must give the
 * same tokens: offsets, lengths, kinds and ids.
 */
#include "tests/testutil.h"

#include <stdbool.h>

#include "engine/token.h"

static bool ref_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static bool ref_strong(unsigned char c)
{
	return c && strchr("=,;:()[]{}<>\"'|`", c) != NULL;
}

static bool ref_final(unsigned char c)
{
	return c == '.' || c == '!' || c == '?';
}

static bool ref_literal(const char *w, size_t len)
{
	static const char *const lit[] = { "true", "false", "null", "True",
		"False", "None", "TRUE", "FALSE", "NULL" };
	for (size_t i = 0; i < sizeof lit / sizeof *lit; i++)
		if (strlen(lit[i]) == len && !memcmp(lit[i], w, len))
			return true;
	/* eight or more hex letters, all lower or all upper case */
	if (len >= 8) {
		bool lower = true, upper = true;
		for (size_t i = 0; i < len; i++) {
			lower &= w[i] && strchr("abcdef", w[i]) != NULL;
			upper &= w[i] && strchr("ABCDEF", w[i]) != NULL;
		}
		return lower || upper;
	}
	return false;
}

struct ref { size_t off, len; enum tok_kind kind; };

static void ref_push(struct ref *r, size_t *n, size_t off, size_t len,
                     enum tok_kind kind)
{
	r[*n].off = off;
	r[*n].len = len;
	r[*n].kind = kind;
	(*n)++;
}

/* A piece s[a..b): a word part between strong punctuation. */
static void ref_piece(const char *s, size_t a, size_t b, struct ref *r,
                      size_t *n)
{
	size_t end = b;
	bool digit = false;

	while (end > a + 1 && ref_final((unsigned char)s[end - 1]))
		end--;
	for (size_t i = a; i < end; i++)
		digit |= s[i] >= '0' && s[i] <= '9';
	if (end == a + 1 && ref_final((unsigned char)s[a]))
		ref_push(r, n, a, 1, TOK_PUNCT);
	else
		ref_push(r, n, a, end - a, digit || ref_literal(s + a, end - a)
		         ? TOK_VAR : TOK_WORD);
	for (size_t i = end; i < b; i++)
		ref_push(r, n, i, 1, TOK_PUNCT);
}

static size_t ref_split(const char *s, size_t len, struct ref *r)
{
	size_t n = 0, i = 0;

	while (i < len) {
		size_t w, start;
		while (i < len && ref_space((unsigned char)s[i]))
			i++;
		w = i;
		while (i < len && !ref_space((unsigned char)s[i]))
			i++;
		for (size_t k = start = w; k < i; k++) {
			if (!ref_strong((unsigned char)s[k]))
				continue;
			if (k > start)
				ref_piece(s, start, k, r, &n);
			ref_push(r, &n, k, 1, TOK_PUNCT);
			start = k + 1;
		}
		if (i > start)
			ref_piece(s, start, i, r, &n);
	}
	return n;
}

static void expect_same(const char *s, size_t len)
{
	struct ref *want = malloc((len + 1) * sizeof *want);
	struct tokvec got = {0};
	size_t n;

	assert_non_null(want);
	n = ref_split(s, len, want);
	tok_split(s, len, &got);
	assert_int_equal(got.n, n);
	{
		size_t words = 0, want_words = 0;
		for (size_t i = 0; i < n; i++)
			want_words += want[i].kind != TOK_PUNCT;
		assert_int_equal(tok_count(s, len, &words), n);
		assert_int_equal(words, want_words);
		assert_int_equal(tok_count(s, len, NULL), n);
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got.v[i].off, want[i].off);
		assert_int_equal(got.v[i].len, want[i].len);
		assert_int_equal(got.v[i].kind, want[i].kind);
		assert_true(got.v[i].id == tok_hash(s + want[i].off, want[i].len));
	}
	tokvec_free(&got);
	free(want);
}

static void test_examples(void **state)
{
	static const struct {
		const char *text;
		size_t n;
		enum tok_kind kinds[10];
	} ex[] = {
		{ "Greet Charlie.", 3, { TOK_WORD, TOK_WORD, TOK_PUNCT } },
		{ "v1.2.3!", 2, { TOK_VAR, TOK_PUNCT } },
		{ "...", 3, { TOK_PUNCT, TOK_PUNCT, TOK_PUNCT } },
		{ "a.b", 1, { TOK_WORD } },
		{ "x=(10.0.0.1:80)", 7, { TOK_WORD, TOK_PUNCT, TOK_PUNCT, TOK_VAR,
		  TOK_PUNCT, TOK_VAR, TOK_PUNCT } },
		{ "  \t\n ", 0, { 0 } },
		{ "?!a", 1, { TOK_WORD } },
		{ "ret:false a=True x:None.", 10, { TOK_WORD, TOK_PUNCT, TOK_VAR,
		  TOK_WORD, TOK_PUNCT, TOK_VAR, TOK_WORD, TOK_PUNCT, TOK_VAR,
		  TOK_PUNCT } },
		{ "nullable Truest falsey", 3, { TOK_WORD, TOK_WORD, TOK_WORD } },
		{ "mask=ffffffff FFFFFFFF fFfFfFfF facade", 6, { TOK_WORD,
		  TOK_PUNCT, TOK_VAR, TOK_VAR, TOK_WORD, TOK_WORD } },
	};
	struct tokvec tv = {0};

	for (size_t k = 0; k < sizeof ex / sizeof *ex; k++) {
		tv.n = 0;
		tok_split(ex[k].text, strlen(ex[k].text), &tv);
		assert_int_equal(tv.n, ex[k].n);
		for (size_t i = 0; i < tv.n; i++)
			assert_int_equal(tv.v[i].kind, ex[k].kinds[i]);
		expect_same(ex[k].text, strlen(ex[k].text));
	}
	tokvec_free(&tv);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	return tu_rand(&rng_state);
}

/* Random texts drawn from every class of byte, runs of each included. */
/* len bytes of every kind the tokenizer tells apart, in runs, with whole
 * words that are values by their spelling. */
static void random_text(char *buf, size_t len)
{
	static const char *const kinds[] = {
		"abcXYZ_-/@#", "0123456789", ".!?", " \t\n\r\v\f",
		"=,;:()[]{}<>\"'|`", "\xc3\xa9\xe2\x82\xac\x80\xff",
	};
	static const char *const words[] = { "true", "false", "null", "None",
		"FALSE", "Nulls", "tru", "ffffffff", "deadbeefcafe", "ABCDEFAB",
		"abcdefg0", "facade" };

	for (size_t i = 0; i < len;) {
		const char *k = kinds[rnd() % 6];
		if (rnd() % 4 == 0) {          /* a whole word */
			const char *w = words[rnd() % 12];
			for (size_t j = 0; w[j] && i < len; j++)
				buf[i++] = w[j];
			continue;
		}
		size_t run = 1 + rnd() % 6, kl = strlen(k);
		for (; run-- && i < len; i++)
			buf[i] = k[rnd() % kl];
	}
}

static void test_same_tokens_as_the_rules(void **state)
{
	char buf[512];

	for (int round = 0; round < 5000; round++) {
		size_t len = rnd() % sizeof buf;
		random_text(buf, len);
		expect_same(buf, len);
	}
	(void)state;
}

/* Counting a range from the whole text's tokens gives what counting the
 * range's own bytes gives, wherever the range cuts a piece. */
static void test_count_range(void **state)
{
	char buf[160];
	struct tokvec tv = { 0 };

	for (int round = 0; round < 300; round++) {
		size_t len = 1 + rnd() % sizeof buf;
		random_text(buf, len);
		tv.n = 0;
		tok_split(buf, len, &tv);
		for (size_t from = 0; from <= len; from++)
			for (size_t to = from; to <= len; to++)
				assert_int_equal(tok_count_range(buf, &tv, from, to),
				                 tok_count(buf + from, to - from, NULL));
	}
	tokvec_free(&tv);
	(void)state;
}

/* tok_hash as plainly as it can be said: words of eight bytes, then the
 * last bytes one at a time, little-endian. */
static uint64_t ref_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL), w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		w = 0;
		for (size_t k = 0; k < 8; k++)
			w |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	for (w = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

static void test_hash_every_length(void **state)
{
	char buf[64];
	const uint16_t probe = 1;
	unsigned char little;

	memcpy(&little, &probe, 1);
	if (!little)
		skip();                /* the reference reads little-endian */
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (char)(rnd() & 0xff);
		for (size_t len = 0; len <= 40; len++)
			for (size_t at = 0; at < 8; at++)
				assert_true(tok_hash(buf + at, len) ==
				            ref_hash(buf + at, len));
	}
	(void)state;
}

/* Offsets and lengths past 64 KB: a pasted document is one text. */
static void test_long_text_offsets(void **state)
{
	size_t big = 300000, len = big + 8;
	char *s = malloc(len);
	struct tokvec tv = { 0 };

	assert_non_null(s);
	memcpy(s, "x ", 2);
	memset(s + 2, 'g', big);
	memcpy(s + 2 + big, " y, 7!", 6);
	tok_split(s, len, &tv);
	assert_int_equal(tv.n, 6);
	assert_int_equal(tv.v[1].off, 2);
	assert_int_equal(tv.v[1].len, big);
	assert_int_equal(tv.v[1].kind, TOK_WORD);
	assert_int_equal(tv.v[2].off, big + 3);
	assert_int_equal(tv.v[3].off, big + 4);
	assert_int_equal(tv.v[3].kind, TOK_PUNCT);
	assert_int_equal(tv.v[4].off, big + 6);
	assert_int_equal(tv.v[4].kind, TOK_VAR);
	assert_int_equal(tv.v[5].off, big + 7);
	assert_true(tv.v[1].id == tok_hash(s + 2, big));
	assert_int_equal(tok_count(s, len, NULL), 6);
	tokvec_free(&tv);
	free(s);
	(void)state;
}

static void test_delimiters(void **state)
{
	assert_true(tok_is_space(' ') && tok_is_space('\r'));
	assert_false(tok_is_space('.') || tok_is_space('a') || tok_is_space(','));
	assert_true(tok_is_delim(' ') && tok_is_delim(',') && tok_is_delim('`'));
	assert_false(tok_is_delim('.') || tok_is_delim('7') || tok_is_delim('a'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_same_tokens_as_the_rules),
		cmocka_unit_test(test_count_range),
		cmocka_unit_test(test_hash_every_length),
		cmocka_unit_test(test_long_text_offsets),
		cmocka_unit_test(test_delimiters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
