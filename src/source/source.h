/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where drop events come from, behind one interface: the kernel's NET_DM
 * drop monitor, the skb:kfree_skb tracepoint, an eBPF program on it, or a
 * capture replayed. Each
 * says what its records carry (SRC_CAP_*), so that a filter, key or setting
 * it cannot give is refused when it is set. Operations return 0 or -errno
 * and leave a description in source_error().
 */
#ifndef DW_SOURCE_H
#define DW_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "netdm.h"
#include "replay.h"

struct printer;
struct filter;
struct netns_db;
struct reason_cat;

/* What read() returns when a source has nothing more, ever (a capture read to its end). */
#define SOURCE_END 3

struct source;

/* What one run asks of a source. */
struct source_run {
	bool packet;		/* packet alerts (else summaries) */
	bool sw, hw;		/* origins */
	bool passive;		/* NET_DM: listen to a monitor run elsewhere */
	bool force;		/* NET_DM: stop a monitor left on with nobody listening */
	bool stack;		/* tracepoint: call chains */
	bool tcp;		/* tracepoint: TCP's events too (source_trace_tcp first), every drop */
	bool journey;		/* tracepoint, eBPF: each drop's journey (tracepoint:
				   trace_journey_open first) */
	uint32_t journey_max;	/* skbs tracked at once (0: the default) */
	bool times;		/* with journey: every step of every skb (DROP_KIND_STEP) */
	uint32_t ring_bytes;	/* tracepoint: per-CPU ring; eBPF: the ring (0: the default) */
	uint32_t map_entries;	/* eBPF: entries of the count maps (0: the default) */
	const struct filter *filter;	/* eBPF: what of it the kernel can evaluate is done there */
	struct netns_db *netns;	/* eBPF: to find the namespaces a filter names */
	int rcvbuf;		/* NET_DM: socket receive buffer */
	struct netdm_config cfg;	/* NET_DM: the settings to apply (has: which) */
};

/* Counters of one run, from its start. */
struct source_stats {
	uint64_t lost;		/* alerts lost at our socket, or drops lost in full rings */
	uint64_t malformed;	/* messages or records that could not be decoded */
	uint64_t truncated;	/* NET_DM datagrams larger than our buffer */
	bool has_tail;		/* NET_DM: the kernel's queue counters could be read */
	uint64_t tail_dropped;	/* NET_DM: drops the kernel's alert queue was too full for */
};

struct source_ops {
	const char *name;	/* netdm, trace, replay */
	const char *title;	/* for messages: "NET_DM", "the tracepoint source" */
	unsigned int caps;	/* SRC_CAP_* */
	/* What a loss is, after its count; and what helps, said at the end of a run. */
	const char *lost_what, *lost_hint;
	const char *lost_short;	/* the table's: "receive overruns" */
	int poll_ms;		/* look at it this often even without a wakeup */
	/* Configures (unless passive) and starts; the events flow from here. */
	int (*start)(struct source *s, const struct source_run *r);
	/* The kernel stops reporting; what it queued stays readable. */
	int (*stop)(struct source *s);
	/* After the last read of a run. */
	void (*release)(struct source *s);
	/* Readable when events wait. */
	int (*fd)(const struct source *s);
	/* Called when fd() polled readable, before read(): wait for more to queue. */
	void (*coalesce)(struct source *s);
	/*
	 * Hands what waits to @fn (summaries counted by dropwatch go out at @flush
	 * or once a second). Returns 0, what @fn returned, or -errno.
	 */
	int (*read)(struct source *s, drop_event_fn fn, void *arg, bool flush);
	void (*stats)(struct source *s, struct source_stats *st);
	/* What it is and how it is set, as fields of a record (show): 0 or -errno. */
	int (*describe)(struct source *s, struct printer *p);
	const char *(*error)(const struct source *s);
	void (*close)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	uint64_t now_ns;	/* when the last read began (CLOCK_REALTIME) */
};

/* NET_DM: 0, or -errno (-ENOENT: the family is missing) with the text in @why. */
int source_netdm_open(struct source **out, char *why, size_t whylen);
/* The tracepoint. */
int source_trace_open(struct source **out, char *why, size_t whylen);
/*
 * The eBPF program, loaded once to try it (for packet mode when @packet, the mode its
 * first run will likely have, and kept for a run that wants it as it is): 0, or -errno
 * with one line in @why that names the fix (no BTF, a missing capability, lockdown, the
 * verifier's refusal with its log in a file), or -ENOSYS when the build left it out.
 */
int source_bpf_open(struct source **out, bool packet, char *why, size_t whylen);
/*
 * Whether the eBPF source's summary mode, which counts in the kernel, can give what
 * @f and @key ask for (proto= and pcap= evaluated there, no key that needs the
 * packet): 0, or -EINVAL with one line why in @why.
 */
struct agg_spec;
int source_bpf_summary_check(const struct filter *f, const struct agg_spec *key, char *why,
			     size_t len);
/* The eBPF source's reason names (its kernel's BTF), NULL for another source. */
struct reason_cat *source_bpf_reasons(struct source *s);
/* What the eBPF program counted in the run (so far): 0, or -ENOENT for another source. */
struct source_bpf_stats {
	uint64_t seen;		/* drops it saw */
	uint64_t filtered;	/* left out by the filters evaluated in the kernel */
	uint64_t filtered_uncounted;	/* of those, not in the table's hidden (map full) */
	uint64_t ring_full;	/* records the ring had no room for */
	uint64_t map_full;	/* summary counts the map had no room for */
	uint64_t stack_lost;	/* call chains not stored */
	uint64_t journey_lost;	/* journey steps its track map had no room for */
	uint64_t steps_lost;	/* times: steps and ends its ring had no room for */
	uint32_t ring_bytes;	/* the ring's size */
	uint32_t journey_max;	/* the track map's size */
};
int source_bpf_stats(struct source *s, struct source_bpf_stats *st);
/* A capture to replay (read at the first read()). */
int source_replay_open(struct source **out, const char *path);
/* What the replay found: records, malformed ones, the family, the record's time. */
const struct replay_result *source_replay_result(struct source *s);

static inline const char *source_error(const struct source *s)
{
	return s->ops->error(s);
}

static inline void source_close(struct source *s)
{
	if (s)
		s->ops->close(s);
}

/*
 * NET_DM's settings: @cfg sent, the kernel's own saved first (once) to be put
 * back by source_netdm_restore(), which says on stderr when it cannot.
 * 0 or -errno (netdm_sock_error() says why).
 */
int source_netdm_configure(struct source *s, const struct netdm_config *cfg);
int source_netdm_restore(struct source *s);
/*
 * The drops NET_DM's alert queue had no room for since this run started, by
 * origin, read from the kernel now: 0, or -errno (the module went away).
 */
int source_netdm_tail(struct source *s, uint64_t *sw, uint64_t *hw);
/*
 * Whether the monitor this source started still runs: 1; 0 when another
 * program stopped it (NET_DM lets any client with CAP_NET_ADMIN do so); or
 * -errno when NET_DM does not answer (its module went away).
 */
int source_netdm_running(struct source *s);
/* The NET_DM socket of a NET_DM source (dwdump reads its datagrams whole). */
struct netdm_sock *source_netdm_sock(struct source *s);
/* The tracepoint of a tracepoint source. */
struct trace_src *source_trace(struct source *s);

#endif
