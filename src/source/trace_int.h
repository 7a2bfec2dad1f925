/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracepoint source's insides, shared by its parts: trace.c (the perf rings, the
 * read loop, the merge of the rings), trace_base.c (what every part uses: errors,
 * tracefs's formats, reason and thread names), and one file per collector:
 * trace_summary.c (skb:kfree_skb counted here), trace_tcp.c (TCP's tracepoints),
 * trace_journey.c (the steps of skbs, their frees, the NET_RX softirq).
 */
#ifndef DW_SOURCE_TRACE_INT_H
#define DW_SOURCE_TRACE_INT_H

#include <limits.h>
#include <stdint.h>

#include "hmap.h"
#include "kprobe.h"

struct perf_event_attr;
#include "tcpev.h"
#include "trace.h"

#define TRACEFS		"/sys/kernel/tracing"
#define FORMAT_REL	"/events/skb/kfree_skb/format"
#define FORMAT_MAX	(256u << 10)
#define REASON_TABLE	1024		/* reason numbers looked up by index below this */
#define COMM_SLOTS	1024
#define COMM_TTL_NS	1000000000ull	/* a thread's name is read again after a second */
#define JOURNEY_HOLD_NS	20000000ull	/* journeys: samples wait this long for other CPUs' */

/* irq:softirq_raise, _entry and _exit, for NET_RX only (times mode). */
enum { SIRQ_RAISE, SIRQ_ENTRY, SIRQ_EXIT, SIRQ_EVENTS };

#define NET_RX_SOFTIRQ_VEC 3

/* Per CPU: its NET_RX softirq now. */
struct sirq_state {
	uint64_t raised;	/* the first raise since the last start (0: none) */
	uint64_t entry;		/* its start */
	uint64_t raised_at_entry;
	bool in;
};

/*
 * The events written into a ring beside skb:kfree_skb, in one array: TCP's tracepoints, the
 * journey's, the NET_RX softirq's (times), then the kprobes on the frees (kprobe.h).
 */
#define EV_TCP(k)	(k)
#define EV_JOURNEY(k)	(TCPEV_KINDS + (k))
#define EV_SIRQ(k)	(TCPEV_KINDS + JSTEP_KINDS + (k))
#define EV_FREE(k)	(TCPEV_KINDS + JSTEP_KINDS + SIRQ_EVENTS + (k))
#define RING_EVENTS	(TCPEV_KINDS + JSTEP_KINDS + SIRQ_EVENTS + SKBFREE_MAX)

struct ring {
	int fd;
	int ev_fd[RING_EVENTS];		/* the other events written into this ring (-1: none) */
	unsigned int cpu;
	void *base;		/* the control page, then the data */
	size_t map_len;
	uint64_t mask;		/* data size - 1 */
};

struct comm_slot {
	uint32_t tid;
	bool valid;
	uint64_t stamp;
	char comm[17];
};

/* A summary's count: by location, reason and call chain (in the pool). */
struct sum_entry {
	bool has_reason;
	int32_t reason;
	uint64_t pc;
	uint32_t nr, stack_at;	/* frames in the pool */
	uint64_t count;
};

struct trace_src {
	char err[512];
	char path[128];
	struct tp_format fmt;
	struct reason_cat *reasons;		/* NULL when the tracepoint has no reason */
	const char *by_value[REASON_TABLE];
	char unknown[32];

	struct trace_opts opts;
	bool collecting;			/* a collector is wanted: records of other tracepoints come */
	bool lost_format;			/* the events count their losses (Linux 6.0+) */
	uint64_t lost_records;			/* the sum of PERF_RECORD_LOST */
	struct ring *ring;
	unsigned int nring;
	int epfd;
	uint64_t clock_off;			/* CLOCK_REALTIME - CLOCK_MONOTONIC at start */
	uint64_t now;				/* CLOCK_MONOTONIC at this read */
	struct trace_stats stats;
	uint8_t *scratch;			/* a record that wraps around the ring's end */
	struct comm_slot comm[COMM_SLOTS];

	/* TCP's tracepoints (trace_tcp_open): the ones this kernel has, and their reset reasons. */
	bool tcp_loaded;
	struct tcpev_format tcp[TCPEV_KINDS];
	bool tcp_have[TCPEV_KINDS];
	struct reason_cat *rst_reasons;		/* NULL before Linux 6.10 */
	char rst_unknown[32];

	/*
	 * The journey's tracepoints and the kprobes on the frees (trace_journey_open), its
	 * tracker (journeys) and its merge buffer.
	 */
	bool jev_loaded;
	struct jevent_format jev[JSTEP_KINDS];
	bool jev_have[JSTEP_KINDS];
	struct kprobe_set kp;			/* the kprobes on the frees (kprobe.h) */
	bool kp_open;
	uint64_t kp_missed;			/* their misses, as last said */
	struct journey_tracker *jt;
	struct journey_queue *jq;
	bool late;				/* the sample being handled came late */
	uint64_t lost_seen;			/* drops and journey events lost, and frees
						   missed, when last counted */
	uint64_t counted;			/* when (CLOCK_MONOTONIC) */
	/*
	 * The times when events were lost or a free missed: (from, to], between two counts.
	 * At the first event after @from every track is forgotten; events up to @to join
	 * nothing (one of them may follow the free not seen, of another life).
	 */
	struct { uint64_t from, to; bool entered; } taint[16];
	unsigned int ntaint;
	bool stopped;				/* trace_stop(): what is held goes out */
	struct journey jn;			/* the journey of the drop being handed out */
	bool sirq_loaded, sirq_have;
	int64_t sirq_id[SIRQ_EVENTS];
	struct tp_field sirq_vec[SIRQ_EVENTS];
	struct sirq_state *sirq;		/* per CPU (by number) */
	unsigned int nsirq;
	drop_event_fn release_fn;		/* while the held events go out */
	void *release_arg;

	struct hmap sum;			/* summary mode: struct sum_entry */
	uint64_t *pool;				/* their call chains */
	size_t pool_len, pool_cap;
};

/*
 * What a handler of one kind of event returns when the record is of another kind: no
 * value an event callback returns (RUN_LIMIT is 1).
 */
#define NOT_MINE INT_MIN

/* trace_base.c */
void trace_set_err(struct trace_src *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The format of the tracepoint at @rel under tracefs (@what in messages): 0, or -errno (said). */
int trace_read_format(struct trace_src *t, const char *rel, const char *what, char *path,
		      size_t pathlen, char **text, size_t *len);
const char *trace_reason_name(struct trace_src *t, int32_t v);
/* The name of thread @tid, as a COMM record or /proc said it (read again after a second). */
const char *trace_comm_of(struct trace_src *t, uint32_t tid, uint32_t cpu);
void trace_comm_set(struct trace_src *t, uint32_t tid, const char *comm, size_t len);

/* An event opened on @cpu written into ring @r, in its slot @slot (EV_*): 0, or -errno with
 * the ring closed. */
int trace_ring_add(struct ring *r, const struct perf_event_attr *a, unsigned int cpu, int slot);
void trace_ring_close(struct ring *r);

/*
 * A collector (trace_tcp.c, trace_journey.c; trace.c's collectors[]): its events written
 * into each CPU's ring beside skb:kfree_skb, and the handler of their records.
 */
struct trace_collector {
	const char *name;
	/* Whether this run wants it (t->opts). */
	bool (*wanted)(const struct trace_src *t);
	/* Its events on the ring of @cpu (trace_ring_add(), @a ready but for config). */
	int (*open)(struct trace_src *t, struct ring *r, struct perf_event_attr *a, unsigned int cpu);
	/* A record of tracepoint @type: 0, what @fn returned, or NOT_MINE. */
	int (*handle)(struct trace_src *t, const struct tp_sample *s, uint16_t type,
		      drop_event_fn fn, void *arg);
};
extern const struct trace_collector trace_tcp_collector, trace_journey_collector;

/* trace_summary.c: a drop counted by location, reason and call chain. 0 or -ENOMEM. */
int trace_summary_add(struct trace_src *t, const struct tp_record *rec, const struct tp_sample *s);


/* trace_journey.c */
/* A step or the end of @skb handed out as it comes (times). */
int trace_emit_step(struct trace_src *t, uint64_t skb, const struct jstep *st, uint64_t time,
		    drop_event_fn fn, void *arg);

#endif
