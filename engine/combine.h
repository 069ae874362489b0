/*
 * combine.h - last grouping pass: clusters whose templates generalise to
 * each other become one.
 *
 * The positional pass groups texts of equal token count, so a task whose
 * values run over several words ("Ana María", "Business Plus", "June 3,
 * 2026") comes out as one cluster per token count, each with the values it
 * happened to share baked in as literals (and the positional pass splits
 * few-valued columns into clusters of their own).  This pass visits the
 * clusters of a partition from the heaviest down; each one joins an
 * earlier cluster (a leader) found through an index over the templates'
 * literal tokens (first, last and rarest shared words), never by a scan.
 * A pair merges when:
 *
 *   - the merged template is the template of one side when the other
 *     side's members all fit it, else it is inferred from samples of both;
 *     it carries evidence (groups.h) and keeps at least threshold x the
 *     frame words (literal words other than numbers and capitalised
 *     words) of the more general of the two;
 *   - it does not turn frame words that stand beside a slot of one side
 *     into slot ("Failed password for invalid user {var_0}" does not join
 *     "Failed password for {var_0}"); capitalised words and numbers beside
 *     a slot belong to the value ("{var_0} O'Brien", "{var_2} June", "{var_0}
 *     van Dijk"), and slots that hold pasted text (document slots, a last
 *     slot after a colon or a line break that only punctuation follows)
 *     may absorb anything; so may any slot against a side of two texts
 *     (two values that share "temporary" are no evidence that it is
 *     frame).  Where a side of several texts has no slot, the
 *     words it loses must not be mostly frame words, two or more ("Business
 *     Plus", "Premium (legacy)" and "tomorrow" are values, "invalid or
 *     missing" is frame);
 *   - it glues no more slots to letters than the two sides did
 *     ("instruction address: {var_0}" does not become "instruction
 *     address{var_0}");
 *   - no slot of it replaces a constant of one side by another constant of
 *     the other ("Failed password" / "Failed none", "layout begin" /
 *     "layout end"), except two single texts that differ in one
 *     capitalised word inside a sentence: "Greet Alice" x5 and "Greet Bob"
 *     x5 are one task, "Greet {var_0}"; and except constants that are
 *     values on both sides (numbers, ids: "(uid=0)" / "(uid=509)").  A
 *     side whose own template is the merged one has no constant at its
 *     slots, however few of its values a sample shows: "Failed password
 *     for {var_0}" over 40 texts for "root" and 2 for "admin" takes
 *     "Failed password for uucp";
 *   - every member of both still fits the merged template or scores at
 *     least the threshold against it.
 *
 * Two clusters lighter than min_cluster_size traces each (single texts the
 * frame pass compared already) are not tried against each other.
 */
#ifndef TRACEGROUP_ENGINE_COMBINE_H
#define TRACEGROUP_ENGINE_COMBINE_H

#include <stddef.h>

#include "engine/engine.h"
#include "engine/groups.h"
#include "engine/pattern.h"

/* Merge groups g[0..ng) in place: a merged group's members move to its
 * leader (n becomes 0, t NULL) and the leader gets the merged template.
 * Returns -1 if cancelled, else the number of merges. */
long combine_groups(const struct cluster_item *items, struct group *g,
                    size_t ng, const struct group_params *p,
                    struct cancel_poll *cancel);

#endif
