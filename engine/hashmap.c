/*
 * hashmap.c - open addressing with linear probing (see hashmap.h).
 */
#include "engine/hashmap.h"

#include "engine/alloc.h"

#include <stdlib.h>
#include <string.h>

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
	/* Written, not calloc'ed: a large calloc is fresh zero pages, which
	 * probing reads before it writes, so each page would fault twice and
	 * the second fault flushes the TLBs of every thread. */
	m->e = eng_xmalloc(cap * sizeof *m->e);
	memset(m->e, 0, cap * sizeof *m->e);
}

void hmap_free(struct hmap *m)
{
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

static size_t probe(const struct hmap *m, uint64_t key)
{
	size_t i = mix(key) & (m->cap - 1);
	while (m->e[i].used && m->e[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val)
{
	size_t i;
	if (!m->cap)
		return false;
	i = probe(m, key);
	if (!m->e[i].used)
		return false;
	*val = m->e[i].val;
	return true;
}

static void rehash(struct hmap *m)
{
	struct hmap bigger;
	size_t i;
	hmap_init(&bigger, m->cap);
	for (i = 0; i < m->cap; i++)
		if (m->e[i].used)
			*hmap_slot(&bigger, m->e[i].key, 0) = m->e[i].val;
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
	if (!m->e[i].used) {
		m->e[i].used = 1;
		m->e[i].key = key;
		m->e[i].val = init;
		m->n++;
	}
	return &m->e[i].val;
}
