/*
 * matcher.h - what the engine's own passes ask the matcher besides
 * matcher_best (engine.h).
 */
#ifndef TRACEGROUP_ENGINE_MATCHER_H
#define TRACEGROUP_ENGINE_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/* The id whose template `text` fits exactly, or -1: the exact pass of
 * matcher_best alone, without the near-miss search.  Of several, the
 * template with the most literal bytes (the least left to slots), then
 * the lowest id. */
int64_t matcher_fit(const struct matcher *m, const char *text, size_t len);

#endif
