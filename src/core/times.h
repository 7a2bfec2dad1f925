/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the time goes (dropwatch times, -m times): every packet's journey (journey.h),
 * not only the dropped ones, summed per device as perf's netdev-times reports them.
 * Receive: packets taken by the stack on the device (netif_receive_skb), what became of
 * them (delivered to a reader, dropped, freed otherwise, still in flight), and the time
 * from the NET_RX softirq's raise to its start, from there to the receive, and from the
 * receive to its end. Transmit: packets handed to the device's qdisc (net_dev_queue),
 * those the driver took (net_dev_xmit), those dropped while queued (in or at the qdisc,
 * never transmitted), and the time from queue to xmit and from xmit to the free.
 * Pure: no I/O.
 */
#ifndef DW_TIMES_H
#define DW_TIMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journey.h"

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
	struct times_rx rx;
	struct times_tx tx;
};

#define TIMES_MAX_DEVS 4096

struct times {
	struct times_dev **dev;	/* by name: open addressing, power of two */
	size_t cap, n;
	uint64_t journeys;	/* journeys summed */
	uint64_t untracked;	/* drops with no earlier event: no device to sum them under */
	uint64_t too_many;	/* journeys of devices past TIMES_MAX_DEVS */
};

void times_init(struct times *t);
void times_reset(struct times *t);
/* Sums a journey (ended, or still open at the end of a run). 0 or -ENOMEM. */
int times_add(struct times *t, const struct journey *jn);
/* The devices sorted by name into @out (times_count() of them). */
size_t times_count(const struct times *t);
void times_sorted(const struct times *t, const struct times_dev **out);

#endif
