// SPDX-License-Identifier: GPL-2.0-or-later
/* A map from 64-bit keys to fixed-size values (u64map.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "u64map.h"

static uint64_t *key_at(const struct u64map *m, size_t i)
{
	return (uint64_t *)(void *)(m->slot + i * m->stride);
}

static size_t home(const struct u64map *m, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (m->size - 1);
}

int u64map_init(struct u64map *m, uint32_t cap, size_t vsize)
{
	memset(m, 0, sizeof(*m));
	m->cap = cap ? cap : 1;
	m->vsize = vsize;
	/* The value after the key, each slot 8-byte aligned. */
	m->stride = sizeof(uint64_t) + ((vsize + 7) & ~(size_t)7);
	for (m->size = 4; m->size * 3 < (size_t)m->cap * 4; m->size <<= 1)
		;
	m->slot = calloc(m->size, m->stride);
	return m->slot ? 0 : -ENOMEM;
}

void u64map_fini(struct u64map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->n = 0;
}

void u64map_clear(struct u64map *m)
{
	if (m->slot)
		memset(m->slot, 0, m->size * m->stride);
	m->n = 0;
}

/* The value of @key, or NULL with the empty slot its probe ended at in @at. */
static void *probe(const struct u64map *m, uint64_t key, size_t *at)
{
	size_t i;

	for (i = home(m, key); *key_at(m, i); i = (i + 1) & (m->size - 1))
		if (*key_at(m, i) == key)
			return key_at(m, i) + 1;
	*at = i;
	return NULL;
}

void *u64map_find(const struct u64map *m, uint64_t key)
{
	size_t i;

	return key && m->slot ? probe(m, key, &i) : NULL;
}

void *u64map_get(struct u64map *m, uint64_t key, int *created)
{
	size_t i;
	void *v;

	*created = 0;
	if (!key || !m->slot)
		return NULL;
	if ((v = probe(m, key, &i)) || m->n >= m->cap)
		return v;
	*key_at(m, i) = key;
	memset(key_at(m, i) + 1, 0, m->vsize);
	m->n++;
	*created = 1;
	return key_at(m, i) + 1;
}

void u64map_del(struct u64map *m, uint64_t key, void *v)
{
	size_t mask = m->size - 1, i, k, h;

	if (!v)
		v = u64map_find(m, key);
	if (!v)
		return;
	i = (size_t)((uint8_t *)v - sizeof(uint64_t) - m->slot) / m->stride;
	/* Moves back the entries after it whose home does not lie cyclically in (i, k]. */
	for (k = (i + 1) & mask; *key_at(m, k); k = (k + 1) & mask) {
		h = home(m, *key_at(m, k));
		if (i <= k ? (h > i && h <= k) : (h > i || h <= k))
			continue;
		memcpy(key_at(m, i), key_at(m, k), m->stride);
		i = k;
	}
	*key_at(m, i) = 0;
	m->n--;
}

int u64map_each(struct u64map *m, int (*fn)(uint64_t key, void *v, void *arg), void *arg)
{
	size_t i;
	int ret;

	for (i = 0; m->slot && i < m->size; i++)
		if (*key_at(m, i) && (ret = fn(*key_at(m, i), key_at(m, i) + 1, arg)))
			return ret;
	return 0;
}
