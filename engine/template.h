/*
 * template.h - the inside of struct tmpl, shared by the engine's modules.
 *
 * A template is an alternating sequence of parts: literal text and slots
 * (two literals or two slots are never adjacent).  Besides the parts it
 * caches the tokens of its literals, which scoring and the matcher use:
 * tok_ids[k] is the k-th literal token, slot_before[k] says a slot lies
 * just before it (slot_before[ntok]: a slot ends the template).
 */
#ifndef TRACEGROUP_ENGINE_TEMPLATE_H
#define TRACEGROUP_ENGINE_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct tmpl_part {
	bool slot;
	char *text;                /* literal bytes (NUL-terminated), or NULL */
	size_t len;
	uint32_t rare[2];          /* offsets of its two least common bytes,
	                              which tmpl_fits looks for first */
};

struct tmpl {
	struct tmpl_part *parts;
	size_t nparts, cap;
	size_t nslots;
	size_t ntok;               /* literal tokens */
	uint64_t *tok_ids;
	bool *slot_before;         /* ntok + 1 entries */
	size_t nwords;             /* literal tokens that are not punctuation */
	size_t nframe;             /* of those, the words that are not values */
};

struct tmpl *tmpl_new(void);
/* Append literal bytes (merged into a preceding literal). */
void tmpl_add_literal(struct tmpl *t, const char *s, size_t len);
/* Append a slot (merged into a preceding slot). */
void tmpl_add_slot(struct tmpl *t);
/* Compute the token cache; call once after the last tmpl_add_*. */
void tmpl_seal(struct tmpl *t);
struct tmpl *tmpl_copy(const struct tmpl *t);

/* True when text fits t exactly: literals in order, each slot absorbing
 * at least one byte.  When `bounds` is not NULL it receives the start and
 * end offset of each slot's value (2 * nslots entries). */
bool tmpl_fits(const struct tmpl *t, const char *text, size_t len,
               size_t *bounds);

/* Template strength: literal tokens / (literal tokens + slots / 2), the
 * share of the template that is evidence rather than blanks. */
double tmpl_strength(const struct tmpl *t);

#endif
