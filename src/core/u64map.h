/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A map from 64-bit keys (an skb's address) to values of one fixed size, at most @cap
 * of them: open addressing with linear probing, deletion by moving back what probed past
 * the slot. The key 0 is never stored (no skb lives at 0). Pure: no I/O, no globals.
 */
#ifndef DW_U64MAP_H
#define DW_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint8_t *slot;		/* size slots of (key, value), value after the key */
	size_t size;		/* a power of two, at most three quarters used */
	size_t vsize, stride;
	uint32_t cap, n;
};

/* 0, or -ENOMEM. @vsize bytes of value per key. */
int u64map_init(struct u64map *m, uint32_t cap, size_t vsize);
void u64map_fini(struct u64map *m);
/* Forgets every key. */
void u64map_clear(struct u64map *m);
/* The value of @key, or NULL. */
void *u64map_find(const struct u64map *m, uint64_t key);
/* The value of @key, added zeroed when new; NULL when new and the map holds cap already. */
void *u64map_get(struct u64map *m, uint64_t key, int *created);
/* Forgets @key (the value @v found for it, or NULL to find it). */
void u64map_del(struct u64map *m, uint64_t key, void *v);
/* @fn for each key and value (in no order); a non-zero return stops it and is returned. */
int u64map_each(struct u64map *m, int (*fn)(uint64_t key, void *v, void *arg), void *arg);

#endif
