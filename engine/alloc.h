/*
 * alloc.h - the engine's allocation helpers.
 *
 * The engine's out-of-memory policy: allocation failure is not recoverable,
 * so these helpers print a message and abort() instead of returning NULL.
 * Every allocation in engine/ goes through them.
 */
#ifndef TRACEGROUP_ENGINE_ALLOC_H
#define TRACEGROUP_ENGINE_ALLOC_H

#include <stddef.h>

void *eng_xmalloc(size_t n);
void *eng_xcalloc(size_t n, size_t size);
void *eng_xrealloc(void *p, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *eng_xstrndup(const char *s, size_t n);
/* Grow the array *p of *cap elements of `size` bytes so it holds at least
 * `need` elements (doubling); returns the (possibly moved) array. */
void *eng_grow(void *p, size_t *cap, size_t need, size_t size);

#endif
