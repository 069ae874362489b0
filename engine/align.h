/*
 * align.h - matching two token sequences in order (an approximate LCS).
 *
 * Common prefix and suffix are matched first.  What remains is matched by
 * an exact LCS when small; when large, by "patience" anchors (tokens that
 * occur once on each side, kept in increasing order) and recursion between
 * them.  Large regions with no such anchor stay unmatched, which is what
 * we want for two unrelated documents pasted into the same frame.
 * Cost: O(n + m) for near-identical inputs, O(n * m / 64) only below a fixed
 * cell budget.
 */
#ifndef TRACEGROUP_ENGINE_ALIGN_H
#define TRACEGROUP_ENGINE_ALIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Match a[0..na) against b[0..nb).  Sets ma[i] to the index in b matched to
 * a[i] or -1; matched indices increase with i.  Returns the match count. */
size_t align_match(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                   long *ma);
/* The same matches counted, with another choice among equally long
 * alignments: where align_match skips along a, this one skips along the
 * side that has skipped fewer tokens since the last match, so that a
 * value replaced by another is a substitution.  "from Japanese to Dutch"
 * and "from Dutch to English" match on "to", not on the value "Dutch" seen
 * in both.  For building a frame (infer.c); scores that weigh stretches
 * of coincidences keep align_match. */
size_t align_match_subst(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb, long *ma);

/* Drop coincidences: runs of fewer than 4 consecutive matches that do not
 * start or end both sequences, hold no token that occurs once on each
 * side, and stand next to an unmatched stretch of more than 4 tokens (on
 * either side), repeated until none is left.  Two
 * long values share many such runs ("of the"); template text comes in
 * longer runs or between short values.  Returns the remaining matches. */
size_t align_drop_isolated(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb, long *ma);
/* The same, given which tokens occur once in a (oa) and in b (ob), for
 * callers that compare one sequence many times (align_once). */
size_t align_drop_isolated_once(const uint64_t *a, size_t na, const uint64_t *b,
                                size_t nb, long *ma, const bool *oa,
                                const bool *ob);
/* once[i]: a[i] occurs once in a[0..n).  Caller frees. */
bool *align_once(const uint64_t *a, size_t n);

#endif
