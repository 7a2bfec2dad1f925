/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One hash table for every table of dropwatch: entries of one fixed size, found by a
 * 32-bit hash the caller computes and an equality the caller gives (called only where
 * the hashes match). Open addressing with linear probing, at most three quarters full:
 * it doubles as it fills, or, given a most, is sized once for it and refuses more (for
 * a hot path that must not allocate). Deleting moves back what probed past the slot.
 * An entry stays where it is until the table grows or another is deleted.
 * Pure: no I/O, no globals.
 */
#ifndef DW_HMAP_H
#define DW_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap {
	uint8_t *slot;		/* size slots: the hash and a used mark, then the entry */
	size_t size;		/* a power of two; 0 before the first entry (growing) */
	size_t n, esize, stride;
	size_t max;		/* 0: grows without bound */
};

/* Whether @entry is the one @key names. */
typedef bool (*hmap_eq_fn)(const void *entry, const void *key);

/* An empty table of @esize-byte entries, at most @max of them (0: no bound). 0 or -ENOMEM. */
int hmap_init(struct hmap *m, size_t esize, size_t max);
void hmap_fini(struct hmap *m);
/* Forgets every entry (the memory stays). */
void hmap_clear(struct hmap *m);
size_t hmap_count(const struct hmap *m);
/* The entry of @key (hashed to @hash), or NULL. */
void *hmap_find(const struct hmap *m, uint32_t hash, hmap_eq_fn eq, const void *key);
/*
 * The entry of @key, or a new one zeroed (*@created set): NULL when it is new and the
 * table has no memory to grow, or holds its most already.
 */
void *hmap_get(struct hmap *m, uint32_t hash, hmap_eq_fn eq, const void *key, bool *created);
/* Deletes @entry (one hmap_find or hmap_get gave). */
void hmap_del(struct hmap *m, void *entry);
/* The entry after @prev in the table's order (NULL: the first); NULL after the last. */
void *hmap_next(const struct hmap *m, const void *prev);

/* A hash of a 64-bit number (of bytes: util_hash()). */
static inline uint32_t hmap_hash64(uint64_t v)
{
	return (uint32_t)((v * 0x9e3779b97f4a7c15ull) >> 32);
}

#endif
