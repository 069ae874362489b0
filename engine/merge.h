/*
 * merge.h - second grouping pass: texts the positional pass left alone.
 *
 * Texts whose values change their token count (multi-word values, pasted
 * documents, conversations) never share a skeleton length, so the
 * positional pass leaves each alone; texts over PATTERN_MAX_BYTES it does
 * not even read.  This pass clusters them around
 * leaders: a text joins the leader it shares the strongest frame with,
 * found through an index (first token, last token, the text's two rarest
 * tokens that occur in more than one text), never by a scan.
 *
 * A pair's frame is the in-order token matching of the two texts with
 * coincidences dropped (align.h).  With m matched words (punctuation does
 * not count) and s stretches where the texts differ (slots), the pair
 * joins when
 *     m / (m + s/2) >= threshold                         (strength)
 * and the frame is substantial: 2m / (words of both) >= threshold / 2,
 * or at least 8 of the m words stand in phrases, runs of 3 tokens or more
 * matched in a row (a long frame around long values: words two documents
 * share by chance are scattered); when one of the texts
 * carries min_cluster_size traces alone (a task already), the frame must
 * cover 2m / (words of both) >= threshold, m counting plain words only
 * (neither punctuation nor values).  Two texts of the
 * same token count that differ in at most 3 positions never join here:
 * the positional pass has judged them already (unless one of them is over
 * PATTERN_MAX_BYTES: it never read those).  Nor do texts where one
 * starts or ends with a stretch the other lacks entirely (nothing in its
 * place) longer than 4 tokens and longer than the frame: that is one text
 * plus an appendix, not two values of one slot.
 *
 * A leader whose members have a template admits a text that does not fit
 * it only if the text holds, in order, at least `threshold` of the
 * template's literal tokens (see merge.c, struct known).
 *
 * A text over MERGE_WINDOW bytes (merge.c) takes part by its head and tail
 * only: its frame stands there, and pasted documents would otherwise cost
 * time and memory in proportion to their length.
 */
#ifndef TRACEGROUP_ENGINE_MERGE_H
#define TRACEGROUP_ENGINE_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/pattern.h"

/* For each k < n, leader[k] gets the position (in idx) of the leader of
 * items[idx[k]] (itself when it leads).  Returns -1 if cancelled. */
int merge_alone(const struct cluster_item *items, const uint32_t *idx,
                size_t n, const struct group_params *p, uint32_t *leader,
                struct cancel_poll *cancel);

#endif
