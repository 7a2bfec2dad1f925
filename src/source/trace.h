/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The second source of drop events: the skb:kfree_skb tracepoint, read with
 * perf_event_open(2) on every CPU into one ring buffer each. It works where
 * the NET_DM family is missing. Events carry the location, reason, protocol,
 * cpu, pid and comm, and optionally the kernel call chain; never the packet.
 * In summary mode the counts are kept here and handed out once a second.
 * Functions return 0 or -errno and leave a description in trace_error().
 */
#ifndef DW_TRACE_H
#define DW_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "netdm.h"
#include "reasons.h"
#include "jevent.h"
#include "journey.h"
#include "tcpev.h"
#include "tpformat.h"

struct trace_src;

#define TRACE_RING_DEFAULT	(8u << 20)	/* bytes per CPU */
#define TRACE_RING_DEFAULT_STACK (16u << 20)	/* with call chains: samples are 3x larger */
#define TRACE_RING_MIN		(64u << 10)

struct trace_opts {
	bool stack;		/* record the kernel call chain */
	bool summary;		/* count per location and reason, handed out every second */
	bool tcp;		/* TCP's tracepoints too (trace_tcp_open first), as their own events */
	bool journey;		/* the journey's tracepoints and the kprobes on the frees too
				   (trace_journey_open first): each drop carries its skb's
				   journey (drop_event.journey) */
	uint32_t journey_max;	/* skbs tracked at once (0: JOURNEY_MAX_DEFAULT) */
	bool times;		/* with journey: every step and end of every skb handed out
				   instead, in time order (DROP_KIND_STEP), the drops among
				   them; the NET_RX softirq's times on receive steps */
	uint32_t ring_bytes;	/* per CPU (0: the default); rounded up to a power of two pages */
};

struct trace_stats {
	uint64_t samples;	/* drops read */
	uint64_t tcp_events;	/* TCP's events read */
	uint64_t journey_events;	/* the journey's events read */
	uint64_t late;		/* journeys: samples that came after later ones were handed out */
	uint64_t unordered;	/* journeys: samples handed out unordered (no memory to hold them) */
	uint64_t lost;		/* drops the kernel could not put in a full ring (before Linux 6.0:
				   every event's, from PERF_RECORD_LOST) */
	uint64_t journey_lost;	/* the journey's and the softirq's events it could not put there */
	uint64_t free_missed;	/* journeys: frees the kprobes did not fire for (nested) */
	uint64_t tainted;	/* journeys: events in a time when events were lost or a free
				   missed: they joined nothing */
	uint64_t malformed;	/* records we could not decode */
	unsigned int cpus;	/* rings open */
	uint32_t ring_bytes;	/* per CPU, as granted */
};

/*
 * Reads the tracepoint's format file (mounting tracefs for that moment if it
 * is not mounted) and its reason names.
 */
int trace_open(struct trace_src **out);
void trace_close(struct trace_src *t);
const char *trace_error(const struct trace_src *t);
/* The format file that was read, and the reason names in it (NULL before 5.17). */
const char *trace_format_path(const struct trace_src *t);
const struct reason_cat *trace_reasons(const struct trace_src *t);

/*
 * TCP's tracepoints (tcp_retransmit_skb, tcp_send_reset, tcp_receive_reset): their
 * formats read, for trace_start() with opts.tcp. 0 when at least one is there (the
 * ones missing, "tcp:tcp_send_reset, ...", in @missing, else ""); -ENOENT when none
 * is, or another -errno; trace_error() says why.
 */
int trace_tcp_open(struct trace_src *t, char *missing, size_t len);
/* Whether TCP's tracepoint @kind is there and has @field (err, reason). */
bool trace_tcp_has(const struct trace_src *t, enum tcpev_kind kind, enum tcpev_field field);

/*
 * The journey's tracepoints (jevent.h) and the kprobes on the frees no tracepoint
 * reports (skbfree.h, kprobe.h), for trace_start() with opts.journey. 0 when at least
 * one tracepoint is there (those missing, "net:netif_rx, ...", in @missing, else "");
 * -ENOENT when none is; -EOPNOTSUPP when the frees cannot be probed (no kprobe events),
 * for then no skb can be followed; or another -errno. trace_error() says why.
 */
int trace_journey_open(struct trace_src *t, char *missing, size_t len);
/* Whether the NET_RX softirq's tracepoints (irq:softirq_raise, _entry, _exit) are there. */
bool trace_journey_softirq(const struct trace_src *t);
/* The tracker of this run (NULL without opts.journey). */
const struct journey_stats *trace_journey_stats(const struct trace_src *t);

/* Opens and enables the per-CPU events and their rings. */
int trace_start(struct trace_src *t, const struct trace_opts *o);
/* Disables the events; what they wrote stays readable until trace_release(). */
void trace_stop(struct trace_src *t);
void trace_release(struct trace_src *t);
/* An epoll descriptor that polls readable while a ring passed its wakeup mark. */
int trace_fd(const struct trace_src *t);

/*
 * Reads every ring. Packet mode: @fn for each drop; summary mode: counted
 * until trace_flush(). A non-zero return from @fn stops the read and is returned.
 */
int trace_read(struct trace_src *t, drop_event_fn fn, void *arg);
/* Summary mode: @fn for each location/reason (and stack) counted since the last flush. */
int trace_flush(struct trace_src *t, drop_event_fn fn, void *arg);
const struct trace_stats *trace_stats(const struct trace_src *t);

/* The ring per CPU for @asked bytes (0: the default, which depends on @stack). */
uint32_t trace_ring_bytes(uint32_t asked, bool stack);

#endif
