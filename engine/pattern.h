/*
 * pattern.h - first grouping pass: positional token statistics.
 *
 * Each text becomes a skeleton: its tokens with VAR pieces masked and runs
 * of masks collapsed.  Among skeletons of the same length, every
 * (position, token) pair is counted over the partition's distinct texts.
 * A text's constant tokens are those counted at least as often as the
 * count shared by most of its tokens (ties: the larger count), following
 * Brain (Yu et al., ICSE'23); tokens counted less often are variables.
 * Texts whose skeletons agree on their constant tokens form one group.
 * A text over PATTERN_MAX_BYTES (a pasted document, a long prompt) forms a
 * group of its own without being read: long texts of one task rarely
 * share a token count, and the frame pass (merge.h) judges them all, by
 * their ends.
 * Counts are kept for one skeleton length at a time; what stays per token
 * is its id and one byte (constant or variable).  Linear in the total
 * number of tokens.
 */
#ifndef TRACEGROUP_ENGINE_PATTERN_H
#define TRACEGROUP_ENGINE_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

#define PATTERN_MAX_BYTES 4096

struct cancel_poll {
	int (*fn)(void *ctx);
	void *ctx;
	unsigned ticks;
};

/* Poll the cancel callback every few hundred calls; true once cancelled. */
int cancel_check(struct cancel_poll *c);

/* Sets group[i] for each item (groups numbered from 0 in order of first
 * appearance) and returns the number of groups, or -1 if cancelled. */
long pattern_group(const struct cluster_item *items, size_t n,
                   uint32_t *group, struct cancel_poll *cancel);

#endif
