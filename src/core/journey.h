/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A packet's journey: the events one skb went through (received, queued,
 * transmitted, delivered) until it was dropped or freed, joined by the skb's
 * address. An address is an identity only from an skb's allocation to its free:
 * the kernel reuses it at once. So a track ends at every free of the skb, and
 * only there: the sources hand the tracker the frees no tracepoint reports
 * (kfree_skbmem, the NAPI cache's put: skbfree.h) beside skb:consume_skb and
 * skb:kfree_skb, and follow no skb where they cannot see them. The number of
 * tracks is capped; what could not be tracked is counted. Events must come in
 * time order: a merge buffer (journey_queue) puts the per-CPU rings' events in
 * order first, and refuses those that come later than what it handed out
 * (late); a track an event came late for, or every track when events were lost,
 * is forgotten (counted), never joined. Pure: no I/O, no globals.
 */
#ifndef DW_JOURNEY_H
#define DW_JOURNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "u64map.h"

/* The eBPF program numbers them the same (dwbpf.h). */
enum jstep_kind {
	JSTEP_BACKLOG,	/* net:netif_rx: queued to a CPU's backlog (veth, loopback...) */
	JSTEP_RX,	/* net:netif_receive_skb: the stack takes it */
	JSTEP_QUEUE,	/* net:net_dev_queue: handed to a device's qdisc */
	JSTEP_XMIT,	/* net:net_dev_start_xmit: handed to the driver */
	JSTEP_DELIVER,	/* skb:skb_copy_datagram_iovec: copied to a socket's reader */
	JSTEP_DROP,	/* skb:kfree_skb */
	JSTEP_FREE,	/* skb:consume_skb, or a free no tracepoint reports (skbfree.h) */
	JSTEP_GRO,	/* net:napi_gro_receive_entry: taken by GRO (merged, or received after) */
	JSTEP_KINDS
};

/* "backlog", "rx", "queue", "xmit", "deliver", "drop", "free", "gro" */
extern const char *const jstep_names[JSTEP_KINDS];

#define JSTEP_DEV_LEN 16

struct jstep {
	uint64_t time;		/* ns, one clock for all */
	uint32_t len;		/* the skb's length, as the tracepoint says */
	/* rx, gro: from the NET_RX softirq's raise to its start, and from there to this; 0: unknown */
	uint32_t irq_ns, softirq_ns;
	uint16_t cpu;
	uint8_t kind;		/* enum jstep_kind */
	char dev[JSTEP_DEV_LEN];	/* "" when the event names none */
};

/* Whether @kind ends an skb's life (a drop or a free). */
static inline bool jstep_ends(unsigned int kind)
{
	return kind == JSTEP_DROP || kind == JSTEP_FREE;
}

/* Steps kept per track: the first, and the last ones (those between are counted). */
#define JOURNEY_STEPS 6

struct journey {
	uint32_t n;		/* steps in @step, the end (drop or free) last */
	uint32_t omitted;	/* steps between step[0] and step[1] not kept */
	bool tracked;		/* false: no earlier event (a new skb, or not tracked) */
	struct jstep step[JOURNEY_STEPS + 1];
};

struct journey_stats {
	uint64_t tracks;	/* tracks begun */
	uint64_t active;	/* tracks open now */
	uint64_t overflow;	/* events not tracked: the table was full */
	uint64_t ended;		/* tracks ended by a drop or a free */
	uint64_t late;		/* tracks forgotten: an event of theirs came late */
	uint64_t abandoned;	/* tracks forgotten: events were lost */
};

#define JOURNEY_MAX_DEFAULT	16384u

struct journey_tracker;

/* @cap tracks at most. NULL without memory. */
struct journey_tracker *journey_new(uint32_t cap);
void journey_free(struct journey_tracker *j);
/* Forgets every track (the counters too). */
void journey_reset(struct journey_tracker *j);
/* A step of the skb at @skb (not an end): 0, or -ENOSPC when the table is full (counted). */
int journey_step(struct journey_tracker *j, uint64_t skb, const struct jstep *s);
/*
 * The end of @skb's track (a drop or a free, @s): its steps with @s last in
 * @out, and the track forgotten. @out->tracked says whether there was one.
 */
void journey_end(struct journey_tracker *j, uint64_t skb, const struct jstep *s,
		 struct journey *out);
/* An event of @skb came late: its track, if any, is forgotten (counted late). */
void journey_forget(struct journey_tracker *j, uint64_t skb);
/* Events were lost: every open track is forgotten (counted abandoned). */
void journey_abandon(struct journey_tracker *j);
const struct journey_stats *journey_stats(const struct journey_tracker *j);

/* From the journey's first step to its last, ns (0 when untracked). */
uint64_t journey_lived(const struct journey *jn);

/*
 * The events of several rings (a CPU's each, nearly in time order) merged into one
 * order: added as they are read, handed out up to a time that every ring has passed.
 * An event older than one already handed out is late: it is not held.
 */
struct journey_queue;

#define JQUEUE_LATE 1

/* @rings rings. NULL without memory. */
struct journey_queue *jqueue_new(unsigned int rings);
void jqueue_free(struct journey_queue *q);
/*
 * A copy of @len bytes at @rec, of time @time, from ring @ring: 0; JQUEUE_LATE when
 * an event later than @time was handed out already (nothing held); or -ENOMEM.
 */
int jqueue_add(struct journey_queue *q, unsigned int ring, uint64_t time, const void *rec,
	       size_t len);
/*
 * @fn for each held record up to @upto (all of them for UINT64_MAX), in time
 * order (a ring's own order between equal times). A non-zero return from @fn
 * stops it and is returned; the records not handed out stay.
 */
int jqueue_release(struct journey_queue *q, uint64_t upto,
		   int (*fn)(const void *rec, size_t len, void *arg), void *arg);
size_t jqueue_held(const struct journey_queue *q);

/*
 * A latency histogram: log2 buckets split in 8, so a quantile is within 1/16
 * of the value. For a table's column of percentiles.
 */
#define JHIST_BUCKETS (64 * 8)

struct jhist {
	uint64_t n;
	uint32_t bucket[JHIST_BUCKETS];
};

void jhist_add(struct jhist *h, uint64_t v);
/* The value at quantile @q (0.5, 0.99): a bucket's middle; 0 when empty. */
uint64_t jhist_quantile(const struct jhist *h, double q);
/* "31us", "2.1ms", "1.20s" */
const char *jhist_dur(char *buf, size_t size, uint64_t ns);

#endif
