// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-device receive and transmit times from every packet's steps (times.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "times.h"
#include "util.h"

/* What waits for an skb's end on one device. */
enum { ITEM_RX, ITEM_QUEUED, ITEM_XMIT, ITEM_REQUEUED };

struct item {
	uint64_t t;		/* received, or queued; xmit: the transmit */
	uint16_t dev;		/* times_dev.idx */
	uint8_t state;		/* ITEM_* */
	uint8_t queued;		/* counted in tx.packets */
};

struct waiting {
	uint32_t n;
	struct item item[TIMES_ITEMS];
};

int times_init(struct times *t, uint32_t cap)
{
	memset(t, 0, sizeof(*t));
	hmap_init(&t->devs, sizeof(struct times_dev *), 0);	/* allocates at the first */
	t->byidx = calloc(TIMES_MAX_DEVS, sizeof(*t->byidx));
	if (!t->byidx || u64map_init(&t->skbs, cap ? cap : JOURNEY_MAX_DEFAULT,
				     sizeof(struct waiting))) {
		free(t->byidx);
		t->byidx = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void free_devs(struct times *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->byidx[i]);
	hmap_fini(&t->devs);
	t->n = 0;
}

void times_fini(struct times *t)
{
	free_devs(t);
	free(t->byidx);
	u64map_fini(&t->skbs);
	memset(t, 0, sizeof(*t));
}

void times_reset(struct times *t)
{
	struct u64map skbs = t->skbs;
	struct times_dev **byidx = t->byidx;
	struct hmap devs;

	free_devs(t);
	devs = t->devs;
	u64map_clear(&skbs);
	memset(t, 0, sizeof(*t));
	t->skbs = skbs;
	t->byidx = byidx;
	t->devs = devs;
}

static bool same_dev(const void *entry, const void *name)
{
	return !strcmp((*(struct times_dev *const *)entry)->dev, name);
}

/* The device named @name, added when new; NULL without memory or past TIMES_MAX_DEVS. */
static struct times_dev *dev_of(struct times *t, const char *name)
{
	uint32_t h = util_hash(name, strlen(name));
	struct times_dev **d = hmap_find(&t->devs, h, same_dev, name);
	bool created;

	if (d)
		return *d;
	if (t->n >= TIMES_MAX_DEVS || !(d = hmap_get(&t->devs, h, same_dev, name, &created)))
		return NULL;
	*d = calloc(1, sizeof(**d));
	if (!*d) {
		hmap_del(&t->devs, d);
		return NULL;
	}
	snprintf((*d)->dev, sizeof((*d)->dev), "%s", name);
	(*d)->idx = (uint16_t)t->n;
	t->byidx[t->n++] = *d;
	return *d;
}

/* A new item of @w on @d; NULL (counted) when @w waits on too many already. */
static struct item *add_item(struct times *t, struct waiting *w, const struct times_dev *d,
			     uint8_t state, uint64_t time)
{
	if (w->n == TIMES_ITEMS) {
		t->too_many++;
		return NULL;
	}
	w->item[w->n] = (struct item){ .t = time, .dev = d->idx, .state = state };
	return &w->item[w->n++];
}

static void received(struct times *t, struct waiting *w, struct times_dev *d, const struct jstep *s)
{
	uint32_t i;

	/* Taken by GRO, then by the stack: one packet received on it. */
	for (i = 0; i < w->n; i++)
		if (w->item[i].state == ITEM_RX && w->item[i].dev == d->idx)
			return;
	if (!add_item(t, w, d, ITEM_RX, s->time))
		return;
	d->rx.packets++;
	if (s->irq_ns)
		jhist_add(&d->rx.irq_softirq, s->irq_ns);
	if (s->softirq_ns)
		jhist_add(&d->rx.softirq_rx, s->softirq_ns);
}

static void delivered(struct times *t, struct waiting *w, const struct jstep *s)
{
	uint32_t i, k = 0;

	for (i = 0; i < w->n; i++) {
		struct item *it = &w->item[i];

		if (it->state == ITEM_RX) {
			struct times_rx *rx = &t->byidx[it->dev]->rx;

			rx->delivered++;
			jhist_add(&rx->to_delivered, s->time >= it->t ? s->time - it->t : 0);
			continue;
		}
		w->item[k++] = *it;
	}
	w->n = k;
}

static void queued(struct times *t, struct waiting *w, struct times_dev *d, const struct jstep *s)
{
	uint32_t i;
	struct item *it;

	/* Queued again on it before a transmit: that one was never transmitted from here. */
	for (i = 0; i < w->n; i++)
		if (w->item[i].state == ITEM_QUEUED && w->item[i].dev == d->idx)
			w->item[i].state = ITEM_REQUEUED;
	it = add_item(t, w, d, ITEM_QUEUED, s->time);
	if (it) {
		it->queued = 1;
		d->tx.packets++;
	}
}

static void transmitted(struct times *t, struct waiting *w, struct times_dev *d,
			const struct jstep *s)
{
	uint32_t i;

	for (i = w->n; i-- > 0;) {
		struct item *it = &w->item[i];

		if (it->state != ITEM_QUEUED || it->dev != d->idx)
			continue;
		d->tx.xmit++;
		jhist_add(&d->tx.queue_xmit, s->time >= it->t ? s->time - it->t : 0);
		it->state = ITEM_XMIT;
		it->t = s->time;
		return;
	}
	/* Not queued here (segments the stack made after the queue): taken all the same. */
	if (add_item(t, w, d, ITEM_XMIT, s->time))
		d->tx.xmit++;
}

/* @w's items summed by the skb's end @s (a drop or a free), or as open for NULL. */
static void settle(struct times *t, const struct waiting *w, const struct jstep *s)
{
	bool drop = s && s->kind == JSTEP_DROP;
	uint32_t i;

	for (i = 0; i < w->n; i++) {
		const struct item *it = &w->item[i];
		struct times_dev *d = t->byidx[it->dev];
		uint64_t dt = s && s->time >= it->t ? s->time - it->t : 0;

		switch (it->state) {
		case ITEM_RX:
			if (!s) {
				d->rx.open++;
			} else if (drop) {
				d->rx.dropped++;
				jhist_add(&d->rx.to_dropped, dt);
			} else {
				d->rx.freed++;
			}
			break;
		case ITEM_XMIT:
			if (!s) {
				d->tx.open++;
				break;
			}
			if (drop)
				d->tx.dropped++;
			else
				d->tx.freed++;
			jhist_add(&d->tx.xmit_free, dt);
			break;
		default:	/* never transmitted from here */
			if (!s)
				d->tx.open++;
			else if (drop)
				d->tx.queue_dropped++;
			else
				d->tx.freed++;
			break;
		}
	}
}

unsigned int times_step(struct times *t, uint64_t skb, const struct jstep *s)
{
	struct times_dev *d = NULL;
	struct waiting *w;
	unsigned int ret;
	int created;

	if (jstep_ends(s->kind)) {
		w = u64map_find(&t->skbs, skb);
		if (!w) {
			if (s->kind == JSTEP_DROP)
				t->untracked++;
			return 0;
		}
		settle(t, w, s);
		u64map_del(&t->skbs, skb, w);
		t->journeys++;
		t->ended++;
		ret = TIMES_ENDED;
		if (s->kind == JSTEP_DROP) {
			t->drops++;
			ret |= TIMES_DROP;
		}
		return ret;
	}
	if (s->kind != JSTEP_BACKLOG && s->kind != JSTEP_DELIVER) {
		d = dev_of(t, s->dev);
		if (!d) {
			t->too_many++;
			return 0;
		}
	}
	w = u64map_get(&t->skbs, skb, &created);
	if (!w) {
		t->not_tracked++;
		return 0;
	}
	switch (s->kind) {
	case JSTEP_GRO:
	case JSTEP_RX:
		received(t, w, d, s);
		break;
	case JSTEP_DELIVER:
		delivered(t, w, s);
		break;
	case JSTEP_QUEUE:
		queued(t, w, d, s);
		break;
	case JSTEP_XMIT:
		transmitted(t, w, d, s);
		break;
	default:	/* a backlog: no device's figure; the skb is followed from here */
		break;
	}
	return 0;
}

/* What @w counted, taken back: an skb forgotten is in no device's figures. */
static void uncount(struct times *t, const struct waiting *w)
{
	uint32_t i;

	for (i = 0; i < w->n; i++) {
		struct times_dev *d = t->byidx[w->item[i].dev];

		if (w->item[i].state == ITEM_RX)
			d->rx.packets--;
		if (w->item[i].queued)
			d->tx.packets--;
		if (w->item[i].state == ITEM_XMIT)
			d->tx.xmit--;
	}
}

void times_forget(struct times *t, uint64_t skb)
{
	struct waiting *w = u64map_find(&t->skbs, skb);

	if (!w)
		return;
	uncount(t, w);
	u64map_del(&t->skbs, skb, w);
	t->late++;
}

static int uncount_one(uint64_t skb, void *v, void *arg)
{
	(void)skb;
	uncount(arg, v);
	return 0;
}

void times_abandon(struct times *t)
{
	u64map_each(&t->skbs, uncount_one, t);
	t->abandoned += u64map_count(&t->skbs);
	u64map_clear(&t->skbs);
}

static int open_one(uint64_t skb, void *v, void *arg)
{
	struct times *t = arg;

	(void)skb;
	settle(t, v, NULL);
	t->journeys++;
	return 0;
}

void times_flush(struct times *t)
{
	u64map_each(&t->skbs, open_one, t);
	u64map_clear(&t->skbs);
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
	size_t i;

	for (i = 0; i < t->n; i++)
		out[i] = t->byidx[i];
	qsort(out, t->n, sizeof(*out), by_name);
}
