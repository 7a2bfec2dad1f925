// SPDX-License-Identifier: GPL-2.0-or-later
/* A map from 64-bit keys to fixed-size values (u64map.h), on the one hash table (hmap.h). */
#include "config.h"

#include <string.h>

#include "u64map.h"

static bool same_key(const void *entry, const void *key)
{
	return *(const uint64_t *)entry == *(const uint64_t *)key;
}

int u64map_init(struct u64map *m, uint32_t cap, size_t vsize)
{
	m->cap = cap ? cap : 1;
	m->vsize = vsize;
	/* Each entry: the key, then the value 8-byte aligned. */
	return hmap_init(&m->h, sizeof(uint64_t) + vsize, m->cap);
}

void u64map_fini(struct u64map *m)
{
	hmap_fini(&m->h);
}

void u64map_clear(struct u64map *m)
{
	hmap_clear(&m->h);
}

uint32_t u64map_count(const struct u64map *m)
{
	return (uint32_t)hmap_count(&m->h);
}

void *u64map_find(const struct u64map *m, uint64_t key)
{
	uint64_t *e = key ? hmap_find(&m->h, hmap_hash64(key), same_key, &key) : NULL;

	return e ? e + 1 : NULL;
}

void *u64map_get(struct u64map *m, uint64_t key, int *created)
{
	bool made = false;
	uint64_t *e = key ? hmap_get(&m->h, hmap_hash64(key), same_key, &key, &made) : NULL;

	*created = made;
	if (!e)
		return NULL;
	if (made)
		*e = key;
	return e + 1;
}

void u64map_del(struct u64map *m, uint64_t key, void *v)
{
	if (!v)
		v = u64map_find(m, key);
	if (v)
		hmap_del(&m->h, (uint64_t *)v - 1);
}

int u64map_each(struct u64map *m, int (*fn)(uint64_t key, void *v, void *arg), void *arg)
{
	uint64_t *e;
	int ret;

	for (e = hmap_next(&m->h, NULL); e; e = hmap_next(&m->h, e))
		if ((ret = fn(*e, e + 1, arg)))
			return ret;
	return 0;
}
