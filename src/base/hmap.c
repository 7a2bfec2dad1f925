// SPDX-License-Identifier: GPL-2.0-or-later
/* One hash table for every table of dropwatch (hmap.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"

static void *entry_of(struct hmap_head *h)
{
	return h + 1;
}

static struct hmap_head *head_of(const void *entry)
{
	return (struct hmap_head *)entry - 1;
}

static size_t size_for(size_t n)
{
	size_t size = 8;

	while (size * 3 < n * 4)
		size <<= 1;
	return size;
}

int hmap_init(struct hmap *m, size_t esize, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->esize = esize;
	m->stride = sizeof(struct hmap_head) + ((esize + 7) & ~(size_t)7);
	m->max = max;
	if (!max)
		return 0;	/* allocated at the first entry */
	m->size = size_for(max + 1);
	m->slot = calloc(m->size, m->stride);
	return m->slot ? 0 : -ENOMEM;
}

void hmap_fini(struct hmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->n = 0;
	if (!m->max)
		m->size = 0;
}

void hmap_clear(struct hmap *m)
{
	if (m->slot)
		memset(m->slot, 0, m->size * m->stride);
	m->n = 0;
}

size_t hmap_count(const struct hmap *m)
{
	return m->n;
}

int hmap_grow(struct hmap *m)
{
	size_t size = m->size ? m->size * 2 : 8, i;
	uint8_t *slot = calloc(size, m->stride);
	struct hmap to = *m;

	if (!slot)
		return -ENOMEM;
	to.slot = slot;
	to.size = size;
	for (i = 0; i < m->size; i++) {
		struct hmap_head *h = hmap_at(m, i);
		size_t j;

		if (!h->used)
			continue;
		for (j = h->hash & (size - 1); hmap_at(&to, j)->used; j = (j + 1) & (size - 1))
			;
		memcpy(hmap_at(&to, j), h, m->stride);
	}
	free(m->slot);
	m->slot = slot;
	m->size = size;
	return 0;
}

void hmap_del(struct hmap *m, void *entry)
{
	size_t mask = m->size - 1, i, k, home;

	i = (size_t)((uint8_t *)head_of(entry) - m->slot) / m->stride;
	/* Moves back the entries after it whose home does not lie cyclically in (i, k]. */
	for (k = (i + 1) & mask; hmap_at(m, k)->used; k = (k + 1) & mask) {
		home = hmap_at(m, k)->hash & mask;
		if (i <= k ? (home > i && home <= k) : (home > i || home <= k))
			continue;
		memcpy(hmap_at(m, i), hmap_at(m, k), m->stride);
		i = k;
	}
	memset(hmap_at(m, i), 0, sizeof(struct hmap_head));
	m->n--;
}

void *hmap_next(const struct hmap *m, const void *prev)
{
	size_t i = prev ? (size_t)((const uint8_t *)head_of(prev) - m->slot) / m->stride + 1 : 0;

	for (; m->slot && i < m->size; i++)
		if (hmap_at(m, i)->used)
			return entry_of(hmap_at(m, i));
	return NULL;
}
