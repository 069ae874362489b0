/*
 * align.c - in-order token matching (see align.h).
 */
#include "engine/align.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/hashmap.h"

#define DP_CELLS (1u << 18)    /* exact LCS below this many cells */
#define MAX_DEPTH 24

struct range {
	size_t a0, a1, b0, b1;
};

/* Zeros among the first p bits of x. */
static size_t zeros(const uint64_t *x, size_t p)
{
	size_t k, ones = 0;
	for (k = 0; k < p / 64; k++)
		ones += (size_t)__builtin_popcountll(x[k]);
	if (p % 64)
		ones += (size_t)__builtin_popcountll(x[p / 64] &
		                                     ((1ULL << (p % 64)) - 1));
	return p - ones;
}

/*
 * The exact LCS of a small range, bit-parallel (Allison and Dix; Hyyrö,
 * "Bit-parallel LCS-length computation revisited", 2004): one bit per
 * token of a, one pass of word additions per token of b, every pass kept
 * for the traceback.  The traceback walks forward from the start of both
 * ranges, taking a match whenever the tokens are equal, else the step that
 * keeps the longer common subsequence of what follows.  When both steps
 * keep it, the step goes along a; or, for align_match_subst, along the
 * side that has skipped fewer tokens since the last match (along a when
 * even).
 *
 * Bits run over the reversed a and the passes over the reversed b, so a
 * pass count and a bit count give the LCS of two suffixes: with V_q the
 * vector after q passes, the zeros among its first p bits are the LCS of
 * the last p tokens of a and the last q tokens of b.  So the traceback
 * needs one bit a step: with L = LCS(a[i..), b[j..)), LCS(a[i+1..), b[j..))
 * is L exactly when bit n-1-i of V_{m-j} is set.  Then stepping along a
 * keeps the longest; else (a[i] != b[j]) LCS(a[i..), b[j+1..)) is L and
 * stepping along b does.  Whether stepping along b keeps it too takes a
 * count: the zeros among the first n-i bits of V_{m-j-1}, counted when
 * first asked for after j moves, then kept up to date bit by bit as i
 * moves (at most m counts of n bits: the cost of the passes themselves).
 */
static void lcs_dp(const uint64_t *a, const uint64_t *b, struct range r,
                   bool subst, long *ma)
{
	size_t n = r.a1 - r.a0, m = r.b1 - r.b0, w = (n + 63) / 64;
	size_t i, j, k, q, nd = 0, lcs, lcs_b = 0, skip_a, skip_b;
	bool have_b;
	uint32_t *sym_of = eng_xmalloc(n * sizeof *sym_of);
	uint64_t *v = eng_xmalloc((m + 1) * w * sizeof *v), *mask, sym;
	struct hmap of = {0};

	/* symbols of a, numbered; then one mask of bits per symbol */
	hmap_init(&of, n);
	for (k = 0; k < n; k++) {
		uint64_t *slot = hmap_slot(&of, a[r.a1 - 1 - k], 0);
		if (!*slot)
			*slot = ++nd;
		sym_of[k] = (uint32_t)(*slot - 1);
	}
	mask = eng_xcalloc(nd * w, sizeof *mask);
	for (k = 0; k < n; k++)
		mask[sym_of[k] * w + k / 64] |= 1ULL << (k % 64);
	for (k = 0; k < w; k++)
		v[k] = ~0ULL;
	for (q = 0; q < m; q++) {
		const uint64_t *x = v + q * w, *pm;
		uint64_t *y = v + (q + 1) * w, carry = 0;
		if (!hmap_get(&of, b[r.b1 - 1 - q], &sym)) {
			memcpy(y, x, w * sizeof *y);
			continue;
		}
		pm = mask + (sym - 1) * w;
		for (k = 0; k < w; k++) {
			uint64_t u = x[k] & pm[k], s = x[k] + u, t = s + carry;
			carry = (uint64_t)(s < x[k]) | (uint64_t)(t < s);
			y[k] = t | (x[k] & ~pm[k]);
		}
	}
	/* lcs: LCS(a[i..), b[j..)); lcs_b: LCS(a[i..), b[j+1..));
	 * skip_a, skip_b: tokens passed on each side since the last match */
	lcs = zeros(v + m * w, n);
	for (i = 0, j = 0, skip_a = 0, skip_b = 0, have_b = false;
	     i < n && j < m;) {
		size_t bit = n - 1 - i;
		const uint64_t *vq = v + (m - j) * w, *vb = vq - w;
		bool step_a = vq[bit / 64] >> (bit % 64) & 1;
		if (a[r.a0 + i] == b[r.b0 + j]) {
			ma[r.a0 + i] = (long)(r.b0 + j);
			i++, j++;
			lcs--;
			skip_a = skip_b = 0;
			have_b = false;
			continue;
		}
		if (step_a && subst && skip_a > skip_b && !have_b) {
			lcs_b = zeros(vb, n - i);      /* counted when needed */
			have_b = true;
		}
		if (step_a && !(subst && skip_a > skip_b && lcs_b == lcs)) {
			if (have_b)
				lcs_b -= !(vb[bit / 64] >> (bit % 64) & 1);
			i++, skip_a++;
		} else {
			j++, skip_b++;
			have_b = false;
		}
	}
	hmap_free(&of);
	free(sym_of);
	free(mask);
	free(v);
}

struct anchor {
	size_t a, b;
};

/* Tokens occurring exactly once in each range, in a order. */
static size_t unique_pairs(const uint64_t *a, const uint64_t *b,
                           struct range r, struct anchor *out)
{
	struct hmap ca = {0}, cb = {0};
	uint64_t v;
	size_t i, n = 0;
	hmap_init(&ca, r.a1 - r.a0);
	hmap_init(&cb, r.b1 - r.b0);
	for (i = r.a0; i < r.a1; i++)
		(*hmap_slot(&ca, a[i], 0))++;
	for (i = r.b0; i < r.b1; i++) {
		uint64_t *s = hmap_slot(&cb, b[i], 0);
		*s = *s ? (uint64_t)-1 : i + 1;      /* position+1, or "many" */
	}
	for (i = r.a0; i < r.a1; i++)
		if (hmap_get(&ca, a[i], &v) && v == 1 && hmap_get(&cb, a[i], &v) &&
		    v != (uint64_t)-1) {
			out[n].a = i;
			out[n].b = (size_t)v - 1;
			n++;
		}
	hmap_free(&ca);
	hmap_free(&cb);
	return n;
}

/* Longest increasing subsequence of out[].b, in place; returns its length. */
static size_t keep_increasing(struct anchor *p, size_t n)
{
	size_t *tail = eng_xmalloc((n + 1) * sizeof *tail);
	size_t *prev = eng_xmalloc((n + 1) * sizeof *prev);
	size_t len = 0, i, k;
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (p[tail[mid]].b < p[i].b)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tail[lo - 1] : (size_t)-1;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	if (len) {
		struct anchor *keep = eng_xmalloc(len * sizeof *keep);
		for (k = len, i = tail[len - 1]; k-- > 0; i = prev[i])
			keep[k] = p[i];
		memcpy(p, keep, len * sizeof *keep);
		free(keep);
	}
	free(tail);
	free(prev);
	return len;
}

static void match_range(const uint64_t *a, const uint64_t *b, struct range r,
                        bool subst, long *ma, int depth);

static void match_anchored(const uint64_t *a, const uint64_t *b,
                           struct range r, bool subst, long *ma, int depth)
{
	struct anchor *p = eng_xmalloc((r.a1 - r.a0) * sizeof *p);
	size_t n = keep_increasing(p, unique_pairs(a, b, r, p)), k;
	size_t a0 = r.a0, b0 = r.b0;
	for (k = 0; k < n; k++) {
		struct range sub = { a0, p[k].a, b0, p[k].b };
		match_range(a, b, sub, subst, ma, depth + 1);
		ma[p[k].a] = (long)p[k].b;
		a0 = p[k].a + 1;
		b0 = p[k].b + 1;
	}
	if (n) {
		struct range sub = { a0, r.a1, b0, r.b1 };
		match_range(a, b, sub, subst, ma, depth + 1);
	}
	free(p);
}

static void match_range(const uint64_t *a, const uint64_t *b, struct range r,
                        bool subst, long *ma, int depth)
{
	while (r.a0 < r.a1 && r.b0 < r.b1 && a[r.a0] == b[r.b0])
		ma[r.a0++] = (long)r.b0++;
	while (r.a0 < r.a1 && r.b0 < r.b1 && a[r.a1 - 1] == b[r.b1 - 1])
		ma[--r.a1] = (long)--r.b1;
	if (r.a0 == r.a1 || r.b0 == r.b1)
		return;
	if ((double)(r.a1 - r.a0) * (double)(r.b1 - r.b0) <= DP_CELLS)
		lcs_dp(a, b, r, subst, ma);
	else if (depth < MAX_DEPTH)
		match_anchored(a, b, r, subst, ma, depth);
}

static size_t match(const uint64_t *a, size_t na, const uint64_t *b,
                    size_t nb, bool subst, long *ma)
{
	struct range r = { 0, na, 0, nb };
	size_t i, n = 0;
	for (i = 0; i < na; i++)
		ma[i] = -1;
	match_range(a, b, r, subst, ma, 0);
	for (i = 0; i < na; i++)
		n += ma[i] >= 0;
	return n;
}

size_t align_match(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                   long *ma)
{
	return match(a, na, b, nb, false, ma);
}

size_t align_match_subst(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb, long *ma)
{
	return match(a, na, b, nb, true, ma);
}

/* Unmatched stretch between two matched pairs, the longer side. */
static size_t gap(long pa, long pb, long qa, long qb)
{
	size_t ga = (size_t)(qa - pa - 1), gb = (size_t)(qb - pb - 1);
	return ga > gb ? ga : gb;
}

/* Token ids are hashes already: a table of the ids alone, indexed by
 * their low bits, with a count of 1 or 2 (more) beside each; id 0 (the
 * id of an unhashed token) is counted apart, as the empty mark. */
bool *align_once(const uint64_t *a, size_t n)
{
	bool *once = eng_xmalloc((n + 1) * sizeof *once);
	size_t cap = 16, mask, i, j, zeros = 0;
	uint64_t *key;
	uint8_t *cnt;
	while (cap < n * 2)
		cap *= 2;
	mask = cap - 1;
	key = eng_xcalloc(cap, sizeof *key);
	cnt = eng_xmalloc(cap);
	for (i = 0; i < n; i++) {
		if (!a[i]) {
			zeros++;
			continue;
		}
		for (j = a[i] & mask; key[j] && key[j] != a[i]; j = (j + 1) & mask)
			;
		if (!key[j]) {
			key[j] = a[i];
			cnt[j] = 1;
		} else {
			cnt[j] = 2;
		}
	}
	for (i = 0; i < n; i++) {
		if (!a[i]) {
			once[i] = zeros == 1;
			continue;
		}
		for (j = a[i] & mask; key[j] != a[i]; j = (j + 1) & mask)
			;
		once[i] = cnt[j] == 1;
	}
	free(key);
	free(cnt);
	return once;
}

/* A run holding a token found once on each side is no coincidence. */
static bool has_anchor(const long *ma, size_t i, size_t j, const bool *oa,
                       const bool *ob)
{
	for (; i <= j; i++)
		if (oa[i] && ob[ma[i]])
			return true;
	return false;
}

/* One pass of align_drop_isolated; returns the number of runs dropped. */
static size_t drop_pass(long *ma, size_t na, size_t nb, const bool *oa,
                        const bool *ob)
{
	size_t i = 0, dropped = 0;
	long pa = -1, pb = -1;     /* last kept match before the run */
	while (i < na) {
		size_t j = i, len, k;
		long qa, qb;
		bool anchored;
		if (ma[i] < 0) {
			i++;
			continue;
		}
		while (j + 1 < na && ma[j + 1] == ma[j] + 1)
			j++;
		len = j - i + 1;
		qa = (long)j + 1;
		while ((size_t)qa < na && ma[qa] < 0)
			qa++;
		qb = (size_t)qa < na ? ma[qa] : (long)nb;
		anchored = (i == 0 && ma[i] == 0) ||
		           (j == na - 1 && ma[j] == (long)nb - 1);
		if (!anchored && len < 4 && !has_anchor(ma, i, j, oa, ob) &&
		    (gap(pa, pb, (long)i, ma[i]) > 4 || gap((long)j, ma[j], qa, qb) > 4)) {
			for (k = i; k <= j; k++)
				ma[k] = -1;
			dropped++;
		} else {
			pa = (long)j;
			pb = ma[j];
		}
		i = j + 1;
	}
	return dropped;
}

size_t align_drop_isolated_once(const uint64_t *a, size_t na, const uint64_t *b,
                                size_t nb, long *ma, const bool *oa,
                                const bool *ob)
{
	size_t i, n = 0;
	(void)a;
	(void)b;
	while (drop_pass(ma, na, nb, oa, ob) > 0)
		;
	for (i = 0; i < na; i++)
		n += ma[i] >= 0;
	return n;
}

size_t align_drop_isolated(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb, long *ma)
{
	bool *oa = align_once(a, na), *ob = align_once(b, nb);
	size_t n = align_drop_isolated_once(a, na, b, nb, ma, oa, ob);
	free(oa);
	free(ob);
	return n;
}
