/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the time goes (dropwatch times, -m times): every packet's steps (journey.h),
 * not only the dropped ones', summed per device as perf's netdev-times reports them.
 * Receive: packets taken on the device (by GRO or the stack: napi_gro_receive_entry,
 * netif_receive_skb), what became of them (delivered to a reader, dropped, freed
 * otherwise, still in flight), and the time from the NET_RX softirq's raise to its
 * start, from there to the receive, and from the receive to its end. Transmit: packets
 * handed to the device's qdisc (net_dev_queue), those the driver took
 * (net_dev_start_xmit), those dropped while queued (in or at the qdisc, never
 * transmitted), and the time from queue to xmit and from xmit to the free.
 *
 * The steps of each skb are summed as they come, in time order: what a step decides
 * (a delivery, a transmit) is counted then, what waits for the skb's end (dropped or
 * freed) is kept per skb, by its address, until its drop or free (which the sources
 * see everywhere: journey.h), or until the run stops (open). Pure: no I/O.
 */
#ifndef DW_TIMES_H
#define DW_TIMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journey.h"
#include "u64map.h"

struct times_rx {
	uint64_t packets, delivered, dropped, freed, open;
	struct jhist irq_softirq, softirq_rx, to_delivered, to_dropped;
};

struct times_tx {
	uint64_t packets, xmit, queue_dropped, dropped, freed, open;
	struct jhist queue_xmit, xmit_free;
};

struct times_dev {
	char dev[JSTEP_DEV_LEN];
	uint16_t idx;		/* its place in struct times' byidx */
	struct times_rx rx;
	struct times_tx tx;
};

#define TIMES_MAX_DEVS 4096
/* Devices one skb may wait on at once (received on, queued on), before its end. */
#define TIMES_ITEMS 8

struct times {
	struct hmap devs;	/* struct times_dev *, by name */
	size_t n;
	struct times_dev **byidx;	/* by idx */
	struct u64map skbs;	/* skb -> what waits for its end */
	uint64_t journeys;	/* skbs summed: ended, or open at the end */
	uint64_t ended, drops;	/* of them, those whose drop or free came; the drops */
	uint64_t untracked;	/* drops with no earlier event: no device to sum them under */
	uint64_t not_tracked;	/* steps of skbs the table had no room for (cap) */
	uint64_t too_many;	/* steps past TIMES_MAX_DEVS devices, or TIMES_ITEMS of one skb */
	uint64_t late;		/* skbs forgotten: an event of theirs came late */
	uint64_t abandoned;	/* skbs forgotten: events were lost */
};

/* Up to @cap skbs followed at once: 0 or -ENOMEM. */
int times_init(struct times *t, uint32_t cap);
void times_fini(struct times *t);
/* Forgets everything summed and followed. */
void times_reset(struct times *t);

/* What times_step() did. */
enum {
	TIMES_ENDED = 1,	/* a followed skb's life ended: a packet summed */
	TIMES_DROP = 2,		/* by a drop */
};

/* A step or the end of the skb at @skb: TIMES_* bits. */
unsigned int times_step(struct times *t, uint64_t skb, const struct jstep *s);
/* An event of @skb came late: what waits for it is forgotten (counted late). */
void times_forget(struct times *t, uint64_t skb);
/* Events were lost: every skb followed is forgotten (counted abandoned). */
void times_abandon(struct times *t);
/* The run stopped: what still waits is counted open, and forgotten. */
void times_flush(struct times *t);

/* The devices sorted by name into @out (times_count() of them). */
size_t times_count(const struct times *t);
void times_sorted(const struct times *t, const struct times_dev **out);

#endif
