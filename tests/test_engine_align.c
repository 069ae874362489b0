/*
 * test_engine_align.c - the in-order token matching under the engine's
 * passes (engine/align.h).
 *
 * Below its cell budget, align_match is an exact LCS with a fixed choice
 * among equally long alignments.  The reference here is the textbook
 * table of suffix lengths, walked forward from the start (take a match
 * when the tokens are equal, else the longer remainder; on a tie, along
 * a, or for align_match_subst along the side that has skipped fewer
 * tokens since the last match, along a when even): the bit-parallel
 * implementation must pick exactly the same pairs.
 */
#include "tests/testutil.h"

#include "engine/align.h"

/* Common prefix and suffix first, as align_match does, then the table. */
static size_t reference(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb, bool subst, long *ma)
{
	size_t a0 = 0, a1 = na, b0 = 0, b1 = nb, n, m, i, j, w, count = 0;
	size_t skip_a, skip_b;
	uint32_t *t;

	for (i = 0; i < na; i++)
		ma[i] = -1;
	while (a0 < a1 && b0 < b1 && a[a0] == b[b0])
		ma[a0++] = (long)b0++;
	while (a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1])
		ma[--a1] = (long)--b1;
	n = a1 - a0;
	m = b1 - b0;
	w = m + 1;
	t = calloc((n + 1) * w, sizeof *t);
	assert_non_null(t);
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			t[i * w + j] = a[a0 + i] == b[b0 + j]
			    ? t[(i + 1) * w + j + 1] + 1
			    : (t[(i + 1) * w + j] >= t[i * w + j + 1]
			       ? t[(i + 1) * w + j] : t[i * w + j + 1]);
	for (i = 0, j = 0, skip_a = 0, skip_b = 0; i < n && j < m;) {
		uint32_t along_a = t[(i + 1) * w + j], along_b = t[i * w + j + 1];
		if (a[a0 + i] == b[b0 + j]) {
			ma[a0 + i] = (long)(b0 + j);
			i++, j++;
			skip_a = skip_b = 0;
		} else if (along_a > along_b ||
		           (along_a == along_b && (!subst || skip_a <= skip_b))) {
			i++, skip_a++;
		} else {
			j++, skip_b++;
		}
	}
	free(t);
	for (i = 0; i < na; i++)
		count += ma[i] >= 0;
	return count;
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	return tu_rand(&rng_state);
}

/* Tokens from an alphabet of k ids (hashes, as the engine's are). */
static void fill(uint64_t *v, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (rnd() % k) * 0x9e3779b97f4a7c15ULL + 7;
}

static void check(size_t na, size_t nb, size_t k)
{
	uint64_t *a = malloc((na + 1) * sizeof *a), *b = malloc((nb + 1) * sizeof *b);
	long *got = malloc((na + 1) * sizeof *got);
	long *want = malloc((na + 1) * sizeof *want);
	size_t ng, nw;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(got);
	assert_non_null(want);
	fill(a, na, k);
	fill(b, nb, k);
	if (na > 4 && nb > 4 && rnd() % 2) {      /* share a stretch */
		size_t len = 1 + rnd() % (na < nb ? na / 2 : nb / 2);
		memcpy(b + rnd() % (nb - len + 1), a + rnd() % (na - len + 1),
		       len * sizeof *a);
	}
	ng = align_match(a, na, b, nb, got);
	nw = reference(a, na, b, nb, false, want);
	assert_int_equal(ng, nw);
	assert_memory_equal(got, want, na * sizeof *got);
	ng = align_match_subst(a, na, b, nb, got);
	nw = reference(a, na, b, nb, true, want);
	assert_int_equal(ng, nw);
	assert_memory_equal(got, want, na * sizeof *got);
	free(a);
	free(b);
	free(got);
	free(want);
}

static void test_same_pairs_as_the_table(void **state)
{
	for (int round = 0; round < 400; round++) {
		size_t na = 1 + rnd() % 300, nb = 1 + rnd() % 300;
		check(na, nb, 2 + rnd() % 40);
	}
}

/* Across 64-bit word boundaries, both ways round, and lopsided. */
static void test_word_boundaries_and_shapes(void **state)
{
	static const size_t sizes[] = { 1, 2, 63, 64, 65, 127, 128, 129, 200, 511, 512 };
	size_t ns = sizeof sizes / sizeof sizes[0];

	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < ns; j++)
			for (size_t k = 2; k <= 64; k *= 4)
				check(sizes[i], sizes[j], k);
	check(1, 200000, 3);
	check(200000, 1, 3);
	check(3, 80000, 50);
	check(80000, 3, 50);
}

/* For align_match_subst, a value replaced by another is a substitution:
 * the frame word between two values matches, not a value that reappears
 * in the other slot. */
static void test_values_swap_places(void **state)
{
	enum { FROM = 11, TO = 12, DOT = 13, JA = 21, NL = 22, EN = 23 };
	const uint64_t a[] = { FROM, JA, TO, NL, DOT };
	const uint64_t b[] = { FROM, NL, TO, EN, DOT };
	long ma[5];

	assert_int_equal(align_match_subst(a, 5, b, 5, ma), 3);
	assert_int_equal(ma[0], 0);
	assert_int_equal(ma[1], -1);
	assert_int_equal(ma[2], 2);          /* "to" with "to" */
	assert_int_equal(ma[3], -1);         /* not "Dutch" with "Dutch" */
	assert_int_equal(ma[4], 4);
	assert_int_equal(align_match(a, 5, b, 5, ma), 3);
	assert_int_equal(ma[2], -1);         /* ties along a: "Dutch" */
	assert_int_equal(ma[3], 1);
	(void)state;
}

static void test_identical_and_disjoint(void **state)
{
	uint64_t a[100], b[100];
	long ma[100];

	for (size_t i = 0; i < 100; i++) {
		a[i] = i * 31 + 1;
		b[i] = i * 31 + 1000000;
	}
	assert_int_equal(align_match(a, 100, a, 100, ma), 100);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(ma[i], (long)i);
	assert_int_equal(align_match(a, 100, b, 100, ma), 0);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(ma[i], -1);
}

/* align_once against counting the slow way; ids collide in their low bits
 * (multiples of a power of two) and include 0, the unhashed token. */
static void test_once_as_counted(void **state)
{
	uint64_t v[200];

	for (int round = 0; round < 500; round++) {
		size_t n = rnd() % 200, k = 1 + rnd() % 60;
		bool *once;
		for (size_t i = 0; i < n; i++)
			v[i] = rnd() % 4 ? (rnd() % k) << (rnd() % 2 ? 40 : 0) : 0;
		once = align_once(v, n);
		for (size_t i = 0; i < n; i++) {
			size_t c = 0;
			for (size_t j = 0; j < n; j++)
				c += v[j] == v[i];
			assert_int_equal(once[i], c == 1);
		}
		free(once);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_pairs_as_the_table),
		cmocka_unit_test(test_word_boundaries_and_shapes),
		cmocka_unit_test(test_values_swap_places),
		cmocka_unit_test(test_identical_and_disjoint),
		cmocka_unit_test(test_once_as_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
