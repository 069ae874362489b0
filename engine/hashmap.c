/*
 * hashmap.c - open addressing with linear probing (see hashmap.h).
 */
#include "engine/hashmap.h"

#include "engine/alloc.h"

#include <stdlib.h>

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

void hmap_init(struct hmap *m, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2)
		cap *= 2;
	m->cap = cap;
	m->n = 0;
	m->keys = eng_xmalloc(cap * sizeof *m->keys);
	m->vals = eng_xmalloc(cap * sizeof *m->vals);
	m->used = eng_xcalloc(cap, 1);
}

void hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = m->vals = NULL;
	m->used = NULL;
	m->cap = m->n = 0;
}

static size_t probe(const struct hmap *m, uint64_t key)
{
	size_t i = mix(key) & (m->cap - 1);
	while (m->used[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val)
{
	size_t i;
	if (!m->cap)
		return false;
	i = probe(m, key);
	if (!m->used[i])
		return false;
	*val = m->vals[i];
	return true;
}

static void rehash(struct hmap *m)
{
	struct hmap bigger;
	size_t i;
	hmap_init(&bigger, m->cap);
	for (i = 0; i < m->cap; i++)
		if (m->used[i])
			*hmap_slot(&bigger, m->keys[i], 0) = m->vals[i];
	hmap_free(m);
	*m = bigger;
}

uint64_t *hmap_slot(struct hmap *m, uint64_t key, uint64_t init)
{
	size_t i;
	if (!m->cap)
		hmap_init(m, 8);
	if ((m->n + 1) * 4 > m->cap * 3)
		rehash(m);
	i = probe(m, key);
	if (!m->used[i]) {
		m->used[i] = 1;
		m->keys[i] = key;
		m->vals[i] = init;
		m->n++;
	}
	return &m->vals[i];
}
