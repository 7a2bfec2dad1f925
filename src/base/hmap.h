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
#include <string.h>

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
/* Each slot: this header, then the entry, 8-byte aligned. */
struct hmap_head {
	uint32_t hash;
	uint32_t used;
};

/* The table twice as large (for hmap_get): 0 or -ENOMEM. */
int hmap_grow(struct hmap *m);

static inline struct hmap_head *hmap_at(const struct hmap *m, size_t i)
{
	return (struct hmap_head *)(void *)(m->slot + i * m->stride);
}

/*
 * The entry of @key, or NULL with the empty slot its probe ended at in @end. Inline, so
 * that a caller's equality is too: the tables of skbs are looked up at every event.
 */
static inline void *hmap_probe(const struct hmap *m, uint32_t hash, hmap_eq_fn eq,
			       const void *key, size_t *end)
{
	size_t mask = m->size - 1, i;

	for (i = hash & mask; hmap_at(m, i)->used; i = (i + 1) & mask)
		if (hmap_at(m, i)->hash == hash && eq(hmap_at(m, i) + 1, key))
			return hmap_at(m, i) + 1;
	*end = i;
	return NULL;
}

/* The entry of @key (hashed to @hash), or NULL. */
static inline void *hmap_find(const struct hmap *m, uint32_t hash, hmap_eq_fn eq,
			      const void *key)
{
	size_t i;

	return m->slot ? hmap_probe(m, hash, eq, key, &i) : NULL;
}

/*
 * The entry of @key, or a new one zeroed (*@created set): NULL when it is new and the
 * table has no memory to grow, or holds its most already.
 */
static inline void *hmap_get(struct hmap *m, uint32_t hash, hmap_eq_fn eq, const void *key,
			     bool *created)
{
	struct hmap_head *h;
	size_t i = 0;
	void *e;

	*created = false;
	if (!m->slot && m->max)
		return NULL;	/* its one allocation failed */
	if (m->slot && (e = hmap_probe(m, hash, eq, key, &i)))
		return e;
	if (m->max && m->n >= m->max)
		return NULL;
	if (!m->max && (m->n + 1) * 4 > m->size * 3) {
		if (hmap_grow(m))
			return NULL;
		hmap_probe(m, hash, eq, key, &i);	/* its slot in the larger table */
	}
	h = hmap_at(m, i);
	h->hash = hash;
	h->used = 1;
	memset(h + 1, 0, m->esize);
	m->n++;
	*created = true;
	return h + 1;
}

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
