/*
 * groups.h - the clusters of one cluster_run, shared by its passes.
 *
 * A group is a set of items (distinct texts of the partition) and, once it
 * is a cluster, the template inferred from a sample of them.  This module
 * also decides whether a template carries enough evidence to be a task:
 *
 *   strength    literal tokens / (literal tokens + slots / 2) >= threshold
 *               and at least one literal word that is not a value (not a
 *               number, boolean or null: "{var_0}false" is no task);
 *   coverage    the literal words explain at least threshold / 2 of the
 *               words of the members, on average over the sample.  A slot
 *               value made of values only (numbers, ids, hex, booleans,
 *               punctuation between: "1514038530000 14 0 4") adds no
 *               words, for the generic mask explains it; one plain word
 *               in it and all its words count.  When
 *               the frame holds GROUP_MIN_FRAME words or more, words in a
 *               document slot are not counted: a frame of instructions
 *               around a pasted document is a task, a short frame whose
 *               slots run on over sentences of prose ("Pretend you are
 *               {var_0}, a {var_1} expert living in {var_2}") or a
 *               pasted stack trace ("Debug session {var_0}. Explain this
 *               stack trace:\n{var_1}") is not.
 *
 * A document slot starts a line or follows a colon and a space, where
 * prompts paste articles, diffs and conversations, and its values hold
 * GROUP_DOC_TOKENS tokens or more on average.
 */
#ifndef TRACEGROUP_ENGINE_GROUPS_H
#define TRACEGROUP_ENGINE_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/hashmap.h"

struct group {
	uint32_t *mem;             /* item indexes, increasing */
	size_t n, cap;
	struct tmpl *t;            /* NULL: not (or no longer) a cluster */
};

void group_add(struct group *g, uint32_t item);

/* An index of leaders (groups or texts that others may join) by key: for
 * each key, a chain of links, newest first.  Zeroed, it is empty; the
 * caller inits and frees `head`; leaders_free releases the links. */
struct leaders {
	struct hmap head;          /* key -> first link + 1 */
	uint32_t *who, *next;      /* links */
	size_t n, cap;
};

void leaders_add(struct leaders *l, uint64_t key, uint32_t who);
void leaders_free(struct leaders *l);
/* Traces of g (sum of its items' weights, each at least 1). */
uint64_t group_weight(const struct cluster_item *items, const struct group *g);

/* The k-th of ns members of mem[0..n) in an evenly spread sample. */
uint32_t group_sample_at(const uint32_t *mem, size_t n, size_t ns, size_t k);

/* Template of mem[0..n) from an evenly spread sample of at most `max`. */
struct tmpl *group_infer(const struct cluster_item *items,
                         const uint32_t *mem, size_t n, size_t max);

/* True when t may be the template of the members mem[0..n): strength and
 * coverage (see above), coverage measured on a sample of at most `max`. */
bool group_template_ok(const struct tmpl *t, const struct cluster_item *items,
                       const uint32_t *mem, size_t n, size_t max,
                       double threshold);

/* True when t's literal words explain at least `share` of the words of
 * the members, on average over a sample of at most `max` (the coverage
 * above, with another bar). */
bool group_covers(const struct tmpl *t, const struct cluster_item *items,
                  const uint32_t *mem, size_t n, size_t max, double share);

#define GROUP_DOC_TOKENS 16
#define GROUP_MIN_FRAME 8      /* words: a frame this long stands alone */

/* True when slot s of t starts a line or follows a colon and a space: where
 * a document slot stands (see above). */
bool tmpl_slot_is_document(const struct tmpl *t, size_t s);

/* doc[s] for each slot of t: a document slot, measured on a sample of at
 * most `max` of mem[0..n). */
void group_document_slots(const struct tmpl *t,
                          const struct cluster_item *items,
                          const uint32_t *mem, size_t n, size_t max, bool *doc);

#endif
