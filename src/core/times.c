// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-device receive and transmit times from packets' journeys (times.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "times.h"
#include "util.h"

void times_init(struct times *t)
{
	memset(t, 0, sizeof(*t));
}

void times_reset(struct times *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->dev[i]);
	free(t->dev);
	times_init(t);
}

static int grow(struct times *t)
{
	size_t cap = t->cap ? 2 * t->cap : 16, i, k;
	struct times_dev **d = calloc(cap, sizeof(*d));

	if (!d)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++) {
		if (!t->dev[i])
			continue;
		for (k = util_hash(t->dev[i]->dev, strlen(t->dev[i]->dev)) & (cap - 1); d[k];
		     k = (k + 1) & (cap - 1))
			;
		d[k] = t->dev[i];
	}
	free(t->dev);
	t->dev = d;
	t->cap = cap;
	return 0;
}

/* The device named @name, added when new; NULL without memory or past the cap. */
static struct times_dev *dev_of(struct times *t, const char *name)
{
	size_t k;

	if (t->cap)
		for (k = util_hash(name, strlen(name)) & (t->cap - 1); t->dev[k];
		     k = (k + 1) & (t->cap - 1))
			if (!strcmp(t->dev[k]->dev, name))
				return t->dev[k];
	if (t->n >= TIMES_MAX_DEVS || ((t->n + 1) * 4 > t->cap * 3 && grow(t)))
		return NULL;
	for (k = util_hash(name, strlen(name)) & (t->cap - 1); t->dev[k]; k = (k + 1) & (t->cap - 1))
		;
	t->dev[k] = calloc(1, sizeof(**t->dev));
	if (!t->dev[k])
		return NULL;
	snprintf(t->dev[k]->dev, sizeof(t->dev[k]->dev), "%s", name);
	t->n++;
	return t->dev[k];
}

static void add_rx(struct times_rx *rx, const struct journey *jn, uint32_t at, bool ended)
{
	const struct jstep *r = &jn->step[at], *end = &jn->step[jn->n - 1];
	uint32_t i;

	rx->packets++;
	if (r->irq_ns)
		jhist_add(&rx->irq_softirq, r->irq_ns);
	if (r->softirq_ns)
		jhist_add(&rx->softirq_rx, r->softirq_ns);
	for (i = at + 1; i < jn->n; i++)
		if (jn->step[i].kind == JSTEP_DELIVER) {
			rx->delivered++;
			jhist_add(&rx->to_delivered, jn->step[i].time - r->time);
			return;
		}
	if (!ended)
		rx->open++;
	else if (end->kind == JSTEP_DROP) {
		rx->dropped++;
		jhist_add(&rx->to_dropped, end->time - r->time);
	} else {
		rx->freed++;
	}
}

static void add_tx(struct times_tx *tx, const struct journey *jn, uint32_t at, bool ended)
{
	const struct jstep *q = &jn->step[at], *end = &jn->step[jn->n - 1];
	uint32_t i;

	tx->packets++;
	for (i = at + 1; i < jn->n; i++) {
		const struct jstep *s = &jn->step[i];

		if (s->kind == JSTEP_QUEUE && !strcmp(s->dev, q->dev))
			break;	/* queued again on it: that one is summed by itself */
		if (s->kind != JSTEP_XMIT || strcmp(s->dev, q->dev))
			continue;
		tx->xmit++;
		jhist_add(&tx->queue_xmit, s->time - q->time);
		if (!ended)
			tx->open++;
		else if (end->kind == JSTEP_DROP)
			tx->dropped++;
		else
			tx->freed++;
		if (ended)
			jhist_add(&tx->xmit_free, end->time - s->time);
		return;
	}
	/* Never transmitted from here: dropped while queued, or still queued. */
	if (ended && end->kind == JSTEP_DROP)
		tx->queue_dropped++;
	else if (ended)
		tx->freed++;
	else
		tx->open++;
}

int times_add(struct times *t, const struct journey *jn)
{
	bool ended = journey_ended(jn);
	uint32_t i;

	if (!jn->tracked) {
		t->untracked++;
		return 0;
	}
	t->journeys++;
	for (i = 0; i < jn->n; i++) {
		const struct jstep *s = &jn->step[i];
		struct times_dev *d;

		if (s->kind != JSTEP_RX && s->kind != JSTEP_QUEUE)
			continue;
		d = dev_of(t, s->dev);
		if (!d) {
			t->too_many++;
			continue;
		}
		if (s->kind == JSTEP_RX)
			add_rx(&d->rx, jn, i, ended);
		else
			add_tx(&d->tx, jn, i, ended);
	}
	return 0;
}

size_t times_count(const struct times *t)
{
	return t->n;
}

static int by_name(const void *a, const void *b)
{
	const struct times_dev *const *x = a, *const *y = b;

	return strcmp((*x)->dev, (*y)->dev);
}

void times_sorted(const struct times *t, const struct times_dev **out)
{
	size_t i, n = 0;

	for (i = 0; i < t->cap; i++)
		if (t->dev[i])
			out[n++] = t->dev[i];
	qsort(out, n, sizeof(*out), by_name);
}
