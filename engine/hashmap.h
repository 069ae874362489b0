/*
 * hashmap.h - open-addressing map from 64-bit keys to 64-bit values.
 *
 * Keys are hashes the caller already computed (token and text hashes), so
 * the map only mixes them.  Used for token statistics, skeleton dedup and
 * the matcher's indexes.  The map owns its arrays; hmap_free releases them.
 */
#ifndef TRACEGROUP_ENGINE_HASHMAP_H
#define TRACEGROUP_ENGINE_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	uint64_t key, val;
	uint64_t used;             /* 0: free (one cache line holds the rest) */
};

struct hmap {
	struct hmap_entry *e;
	size_t cap;                /* power of two, or 0 */
	size_t n;                  /* entries */
};

void hmap_init(struct hmap *m, size_t expected);
void hmap_free(struct hmap *m);
/* True and *val set when key is present. */
bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val);
/* The value slot for key, inserted with value `init` when absent. */
uint64_t *hmap_slot(struct hmap *m, uint64_t key, uint64_t init);

#endif
