/*
 * refine.h - a cluster whose slot hides templates of its own.
 *
 * A slot that ends a line of a log often takes whole sentences with their
 * own numbers: "setup_keepalive: {var_1}" over "interval 900,
 * retry_interval 30, retry_count 10", "Remote IP: 17.249.28.77" and
 * "Local port: 62614, Remote port: 443".  Each of those repeats with its
 * words fixed and its numbers varying: three templates, not one slot.
 *
 * The shape of a slot value is its tokens with every plain word as "a
 * word" and every run of values masked once: numbers, ids, hex, booleans,
 * units and host names (tok_mark_values), month and day names next to
 * them (a date is a value), and whatever is stuck to a value after it (a
 * value ends at whitespace).  A shape is structured when it holds a plain
 * word and a value, in at most REFINE_MAX_TOKENS tokens and
 * REFINE_MAX_BYTES bytes.  A slot where some value is prose (two plain
 * words or more and no value, or longer than those limits) is never split
 * on: a phrase that happens to hold a number ("scheduled exports to S3")
 * is the slot's business.  Nor is a document slot (groups.h).
 *
 * Members whose slots show the same structured shapes form a part
 * when they carry min_cluster_size traces or more; everything else (values
 * only, one word, a shape that does not repeat, a member that does not fit
 * exactly) stays in part 0 with the template.  The cluster splits when
 * that gives two such parts or more, or one beside a part 0 of
 * min_cluster_size traces or more.  "Greet {var_0}" over names, "Translate to {var_0}" over
 * languages, "renews on {var_0}" over dates in any format and "Summarise:
 * {var_0}" over articles never split.
 */
#ifndef TRACEGROUP_ENGINE_REFINE_H
#define TRACEGROUP_ENGINE_REFINE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/groups.h"

#define REFINE_MAX_TOKENS 24
#define REFINE_MAX_BYTES 256   /* a longer value is no short sentence */

/*
 * Parts of group g (template g->t, members g->mem[0..g->n)): part[k] of
 * member k is 0 for the part that keeps the template, 1.. for the parts of
 * repeated structured shapes, numbered in order of their first member.
 * Returns the number of parts beyond part 0 (0: g stays whole, part[]
 * all 0).  part[] holds g->n entries.
 */
uint32_t refine_parts(const struct cluster_item *items, const struct group *g,
                      const struct group_params *p, uint32_t *part);

#endif
