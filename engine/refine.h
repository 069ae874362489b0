/*
 * refine.h - a cluster whose slot hides templates of its own.
 *
 * A slot that ends a line of a log often takes whole sentences with their
 * own numbers: "setup_keepalive: {var_1}" over "interval 900,
 * retry_interval 30, retry_count 10", "Remote IP: 17.249.28.77" and
 * "Local port: 62614, Remote port: 443".  Each of those repeats with its
 * words fixed and its numbers varying: three templates, not one slot.
 *
 * The shape of a slot value is its tokens with every run of values
 * (numbers, ids, hex, booleans and the punctuation stuck to them) masked.
 * A shape is structured when it holds a plain word and a value, in at
 * most REFINE_MAX_TOKENS tokens.  A value of another shape (names,
 * words, one number, a document) says nothing and stays with the
 * cluster; so do members whose structured shape repeats fewer than
 * min_cluster_size traces.  Members whose slots (every slot that is not a
 * document slot, see groups.h) show one structured shape that does repeat
 * form a part of their own, when that leaves at least two parts.
 * "Greet {var_0}" over names, "Translate to {var_0}" over languages and
 * "Summarise: {var_0}" over articles are never split.
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
