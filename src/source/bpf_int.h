/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The eBPF source's inside, shared by its loader (source_bpf.c: the program's object,
 * the ring, the run) and the user-space half of each collector: bpf_drops.c (drops on
 * skb:kfree_skb, counted or recorded), bpf_journey.c (an skb's steps and frees),
 * bpf_softirq.c (the NET_RX softirq, for times). Each collector's programs are its file
 * under bpf/, linked into the one object the skeleton embeds.
 */
#ifndef DW_SOURCE_BPF_INT_H
#define DW_SOURCE_BPF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "journey.h"
#include "skbfree.h"
#include "source.h"
#include "bpf/dwbpf.h"

struct dw_bpf;


/* The summary counts last handed out, to give what each gained since. */
struct last {
	struct dwb_key k;
	uint64_t total;
};

/* A map of counts (the summary's, or the filtered drops') and what was handed out of it. */
struct tally {
	struct hmap last;		/* struct last, by key */
};


/*
 * Call chains read from the map, kept by id: the program stores a chain under an id
 * for the map's life (without BPF_F_REUSE_STACKID, another chain hashed to it is
 * refused), so a drop whose chain was read already costs no system call.
 */
#define CHAIN_CACHE	64
struct chain {
	int id;				/* the map's id + 1; 0: empty */
	uint32_t n, skip;		/* frames, and those of the program and tracepoint */
	uint64_t pc[127];
};

struct bpf_source {
	struct source s;
	size_t nused;			/* entries of last in use */
	struct dw_bpf *skel;
	struct ring_buffer *rb;
	int nargs;			/* of the tracepoint, after its context: 2, 3 or 4 */
	struct reason_cat *reasons;	/* the kernel's names and numbers, from its BTF */
	bool summary, chains;
	bool reject;			/* tests: a program the verifier refuses */
	bool user_pcap;			/* tests: pcap= evaluated in user space only */
	uint32_t ring_bytes;		/* the ring of the run */
	/*
	 * The program as loaded (skel): its configuration and sizes. One loaded when the
	 * source opened and not yet attached (fresh) serves the first run that asks for
	 * the same, so that a run's start does not load it (and parse the BTF) again.
	 */
	struct dwb_config loaded;
	uint32_t loaded_ring, loaded_maps, loaded_tracks;
	bool fresh;
	uint64_t clock_off;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t flushed_ns;
	int ncpus;
	uint64_t own[DWB_COUNTERS];	/* its counters when it was unloaded */
	uint32_t journey_max;		/* journeys: skbs tracked at once */
	struct journey jn;		/* the journey of the record being handed out */
	/* The frees to hook on this kernel (skbfree.h), or why there are none. */
	const struct skbfree_fn *free_fn[SKBFREE_MAX];
	int nfree;
	char free_why[160];
	bool times;			/* every step handed out (dwb_step_rec) */
	uint64_t steps_lost;		/* times: the ring's lost steps, as last said */
	bool filters;			/* filters evaluated in the kernel this run */
	uint32_t kmask;			/* which, whole (1 << FILTER_*): not run again */
	struct tally counts, hidden;
	uint64_t *pcpu;			/* one value per CPU, for lookups */
	struct chain *chain;		/* CHAIN_CACHE call chains, by id; NULL: none yet */
	/* The read in progress. */
	drop_event_fn fn;
	void *arg;
	int ret;
	char err[512];
};

static inline struct bpf_source *bs_of(struct source *s)
{
	return (struct bpf_source *)s;
}

/*
 * A collector of the eBPF source: which of its programs a run loads, and what it does
 * with its records and maps. The loader calls each in the order of its table.
 */
struct bpf_collector {
	const char *name;
	/* Its programs loaded or not, for a run with @cfg (bpf_program__set_autoload). */
	void (*choose)(const struct bpf_source *b, struct dw_bpf *skel,
		       const struct dwb_config *cfg);
	/* Its records in the ring: their type (DWB_REC_*, 0: none), their least length. */
	unsigned int rec_type;
	size_t rec_min;
	/* One of them: 0, or -ECANCELED when the consumer said stop (in b->ret). */
	int (*record)(struct bpf_source *b, const void *data, size_t len);
	/* Its maps read, once a second and at the end of a run: 0 or the consumer's answer. */
	int (*flush)(struct bpf_source *b);
	/* What it kept of the last run forgotten (at a start, and at close). */
	void (*reset)(struct bpf_source *b);
};

extern const struct bpf_collector bpf_drops, bpf_journey, bpf_softirq;

/* bpf_journey.c: the journey the program kept for @r's skb, the drop last. */
const struct journey *bpf_journey_of(struct bpf_source *b, const struct dwb_record *r);
/* Whether the kernel lets a program attach at the entry of the first free: 0 or -errno. */
int bpf_frees_hookable(struct bpf_source *b);

#endif
