/*
 * infer.h - inferring a template from the members of a cluster.
 *
 * The first text is the base.  Each other text is matched against the base
 * tokens still common to all texts so far (align.h); tokens not found leave
 * the frame.  The stretches between frame tokens become literal where every
 * text has the same bytes, slots otherwise (keeping whitespace shared by
 * all texts at the slot's edges as literal); then slots holding documents
 * absorb the coincidences inside them (infer_absorb_documents).  Every
 * input text fits the result exactly.  Of more than 2 * INFER_FIRST texts,
 * INFER_FIRST spread evenly are aligned first, and the others only checked
 * against their template (tmpl_fits); all are aligned only when one fails.
 */
#ifndef TRACEGROUP_ENGINE_INFER_H
#define TRACEGROUP_ENGINE_INFER_H

#include <stddef.h>

struct tmpl;
struct tokvec;

/* Texts of a large sample aligned before the others are checked. */
#define INFER_FIRST 8

/* As tmpl_infer; `drop_isolated` removes coincidental matches inside long
 * values (align_drop_isolated) while building the frame. */
struct tmpl *infer_template(const char *const *texts, const size_t *lens,
                            size_t n, int drop_isolated);

/* Dissolve the coincidences inside slots that hold documents (document.c):
 * short literals between a document slot and another slot, and the start
 * of the line a document slot begins on.  Takes t (the template of texts,
 * which all fit it) and returns its replacement; the texts still fit.  tv
 * holds tok_split's tokens of each text (the values are counted from
 * them, not tokenized again). */
struct tmpl *infer_absorb_documents(struct tmpl *t, const char *const *texts,
                                    const size_t *lens,
                                    const struct tokvec *const *tv, size_t n);

#endif
