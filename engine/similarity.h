/*
 * similarity.h - scoring a text against a template (tmpl_score's engine).
 */
#ifndef TRACEGROUP_ENGINE_SIMILARITY_H
#define TRACEGROUP_ENGINE_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

struct tmpl;

/* The score of the token sequence ids[0..n) against t, without the
 * exact-fit shortcut (see similarity.c for the definition). */
double sim_score_tokens(const struct tmpl *t, const uint64_t *ids, size_t n);

#endif
