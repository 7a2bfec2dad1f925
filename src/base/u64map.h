/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A map from 64-bit keys (an skb's address) to values of one fixed size, at most @cap
 * of them, sized once so that the hot path never allocates: the one hash table
 * (hmap.h) with the key at the head of each entry. The key 0 is never stored (no skb
 * lives at 0). Pure: no I/O, no globals.
 */
#ifndef DW_U64MAP_H
#define DW_U64MAP_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

struct u64map {
	struct hmap h;
	size_t vsize;
	uint32_t cap;
};

/* 0, or -ENOMEM. @vsize bytes of value per key. */
int u64map_init(struct u64map *m, uint32_t cap, size_t vsize);
void u64map_fini(struct u64map *m);
/* Whether it was set up (u64map_init) and not finished since. */
static inline int u64map_ready(const struct u64map *m)
{
	return m->h.slot != NULL;
}
/* Forgets every key. */
void u64map_clear(struct u64map *m);
uint32_t u64map_count(const struct u64map *m);
/* The value of @key, or NULL. */
void *u64map_find(const struct u64map *m, uint64_t key);
/* The value of @key, added zeroed when new; NULL when new and the map holds cap already. */
void *u64map_get(struct u64map *m, uint64_t key, int *created);
/* Forgets @key (the value @v found for it, or NULL to find it). */
void u64map_del(struct u64map *m, uint64_t key, void *v);
/* @fn for each key and value (in no order); a non-zero return stops it and is returned. */
int u64map_each(struct u64map *m, int (*fn)(uint64_t key, void *v, void *arg), void *arg);

#endif
