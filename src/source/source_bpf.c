// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source: the program of bpf/dropwatch.bpf.c, embedded as a libbpf
 * skeleton (no file beside the binary), loaded for each run with that run's
 * settings (its read-only data: summary or packets, call chains, the filters
 * the kernel can evaluate), attached to skb:kfree_skb with tp_btf. Packet
 * mode reads records from a BPF ring buffer; summary mode reads the per-CPU
 * counts once a second and hands out what they gained. What the program could
 * not do (a full ring, a full map) is counted per CPU and said as losses.
 * The kernel detaches the program when its last file descriptor closes: when
 * we exit, however we exit.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "filter.h"
#include "print.h"
#include "reasons.h"
#include "source.h"
#include "hmap.h"
#include "journey.h"
#include "skbfree.h"
#include "util.h"
#include "bpf/dwbpf.h"
#include "bpf_filter.h"
#include "bpf_kernel.h"
#include "dropwatch.skel.h"

#define RING_DEFAULT	(8u << 20)	/* bytes, all CPUs: one ring */
#define MAP_ENTRIES	16384		/* summary counts: locations x reasons x namespaces x ports */
#define VERIFIER_LOG	(4u << 20)

/* The summary counts last handed out, to give what each gained since. */
struct last {
	struct dwb_key k;
	uint64_t total;
};

/* A map of counts (the summary's, or the filtered drops') and what was handed out of it. */
struct tally {
	struct hmap last;		/* struct last, by key */
};

static void tally_reset(struct tally *t)
{
	hmap_fini(&t->last);
	hmap_init(&t->last, sizeof(struct last), 0);	/* allocates at the first key */
}

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

static struct bpf_source *bs_of(struct source *s)
{
	return (struct bpf_source *)s;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;	/* errors are said our way, once */
}

/*
 * The program opened and loaded with @cfg into b->skel (@why: one line that names the
 * fix when it cannot be): 0 or -errno.
 */
static int load(struct bpf_source *b, const struct dwb_config *cfg, uint32_t ring_bytes,
		uint32_t map_entries, char *why, size_t whylen)
{
	char *log;
	LIBBPF_OPTS(bpf_object_open_opts, o, .kernel_log_size = VERIFIER_LOG, .kernel_log_level = 1);
	struct dwb_config want = *cfg;
	struct dw_bpf *skel;
	uint32_t ring, tracks;
	int err;

	why[0] = '\0';
	want.reject = b->reject;
	/* A ring is a power of two of pages; in summary mode, nothing goes through it. */
	ring = (uint32_t)sysconf(_SC_PAGESIZE);
	while (!cfg->summary && ring < (ring_bytes ? ring_bytes : RING_DEFAULT) && ring < (1u << 30))
		ring <<= 1;
	/* A quarter of the ring, each CPU its share of it. */
	want.wake_bytes = ring / 4 / (uint32_t)(b->ncpus > 0 ? b->ncpus : 1);
	map_entries = map_entries ? map_entries : MAP_ENTRIES;
	tracks = cfg->journey && !cfg->times ? b->journey_max : 1;
	if (b->skel && b->fresh && !memcmp(&b->loaded, &want, sizeof(want)) &&
	    b->loaded_ring == ring && b->loaded_maps == map_entries && b->loaded_tracks == tracks)
		return 0;	/* the one loaded at open, as this run wants it */
	dw_bpf__destroy(b->skel);
	b->skel = NULL;
	b->fresh = false;
	log = malloc(VERIFIER_LOG);
	o.kernel_log_buf = log;
	if (!log) {
		snprintf(why, whylen, "eBPF source: out of memory");
		return -ENOMEM;
	}
	log[0] = '\0';
	libbpf_set_print(libbpf_quiet);
	skel = dw_bpf__open_opts(&o);
	if (!skel) {
		err = -errno;
		snprintf(why, whylen, "eBPF source: cannot open the program: %s", strerror(-err));
		free(log);
		return err;
	}
	/* Only the program for this kernel's arguments is loaded. */
	bpf_program__set_autoload(skel->progs.dw_kfree_skb2, b->nargs == 2);
	bpf_program__set_autoload(skel->progs.dw_kfree_skb3, b->nargs == 3);
	bpf_program__set_autoload(skel->progs.dw_kfree_skb4, b->nargs == 4);
	/* The journey's steps and the skb's ends: loaded for journeys only. */
	bpf_program__set_autoload(skel->progs.dw_netif_rx, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_netif_receive_skb, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_napi_gro_receive_entry, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_net_dev_queue, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_net_dev_start_xmit, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_skb_copy_datagram_iovec, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_consume_skb, cfg->journey);
	for (size_t i = 0; i < skbfree_count; i++) {
		bool on = false;

		for (int k = 0; cfg->journey && k < b->nfree; k++)
			on |= b->free_fn[k] == &skbfree_all[i];
		for (int copy = 1; copy <= 2; copy++) {
			struct bpf_program *prog;
			char name[64];

			snprintf(name, sizeof(name), "dw_free%d_%s", copy, skbfree_all[i].name);
			prog = bpf_object__find_program_by_name(skel->obj, name);
			if (prog)
				bpf_program__set_autoload(prog, on);
		}
	}
	/* The NET_RX softirq's: for times only. */
	bpf_program__set_autoload(skel->progs.dw_softirq_raise, cfg->times);
	bpf_program__set_autoload(skel->progs.dw_softirq_entry, cfg->times);
	bpf_program__set_autoload(skel->progs.dw_softirq_exit, cfg->times);
	bpf_map__set_max_entries(skel->maps.tracks, tracks);
	memcpy((void *)&skel->rodata->cfg, &want, sizeof(want));
	bpf_map__set_max_entries(skel->maps.records, ring);
	bpf_map__set_max_entries(skel->maps.counts, cfg->summary ? map_entries : 1);
	bpf_map__set_max_entries(skel->maps.hidden, map_entries);
	if (!cfg->stack)
		bpf_map__set_max_entries(skel->maps.stacks, 1);
	if (!bpf_filtering(cfg))
		bpf_map__set_max_entries(skel->maps.hidden, 1);
	err = dw_bpf__load(skel);
	if (err) {
		/*
		 * Lockdown's confidentiality level takes the helpers that read kernel memory
		 * away: the verifier then finds them unknown (libbpf, whose probe of them
		 * failed, asks for the old bpf_probe_read instead).
		 */
		if (bpf_locked_down(why, whylen)) {
			err = -EPERM;
		} else if ((err == -EPERM || err == -EACCES) && !log[0]) {
			snprintf(why, whylen, "eBPF source: not allowed to load the program: need "
				 "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)");
		}
		/* The verifier's log ends with what it processed; BTF's and the maps' do not. */
		if (!why[0] && strstr(log, "processed ") && strstr(log, " insns")) {
			char path[256], last[256];

			bpf_keep_log(log, path, sizeof(path), last, sizeof(last));
			snprintf(why, whylen, "eBPF source: the kernel's verifier refused the program: "
				 "%s (its log: %s)", last, path[0] ? path : "could not be kept");
		}
		if (!why[0])
			snprintf(why, whylen, "eBPF source: cannot load the program: %s%s",
				 strerror(-err), err == -E2BIG || err == -ENOMEM || err == -EINVAL ?
				 " (are its ring or maps too large? --ring-size, --map-size)" : "");
		dw_bpf__destroy(skel);
		free(log);
		return err;
	}
	free(log);
	b->skel = skel;
	b->loaded = want;
	b->loaded_ring = ring;
	b->loaded_maps = map_entries;
	b->loaded_tracks = tracks;
	return 0;
}

/*
 * Whether the kernel lets a program attach at the entry of the first free to hook (fentry:
 * a BPF trampoline, which needs ftrace): 0, or -errno.
 */
static int frees_hookable(struct bpf_source *b)
{
	struct dw_bpf *skel = dw_bpf__open();
	struct bpf_program *p;
	char name[64];
	int err;

	if (!skel)
		return -errno;
	snprintf(name, sizeof(name), "dw_free1_%s", b->free_fn[0]->name);
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), name));
	err = dw_bpf__load(skel);
	dw_bpf__destroy(skel);
	return err ? (errno ? -errno : err) : 0;
}

static const char *bs_error(const struct source *s)
{
	return ((const struct bpf_source *)s)->err;
}

/* The program's counters, summed over the CPUs, into @v. */
static void own_counters(struct bpf_source *b, uint64_t v[DWB_COUNTERS])
{
	memcpy(v, b->own, sizeof(b->own));	/* after the run: what it counted */
	if (!b->skel)
		return;
	memset(v, 0, DWB_COUNTERS * sizeof(*v));
	for (uint32_t k = 0; k < DWB_COUNTERS; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.own), &k, b->pcpu))
			continue;
		for (int c = 0; c < b->ncpus; c++)
			v[k] += b->pcpu[c];
	}
}

static int on_record(void *ctx, void *data, size_t len);

static int bs_start(struct source *s, const struct source_run *r)
{
	struct bpf_source *b = bs_of(s);
	struct dwb_config cfg;
	int err;

	memset(&cfg, 0, sizeof(cfg));	/* padding too: loads are told apart by memcmp */
	cfg.summary = !r->packet && !r->journey;
	cfg.stack = r->stack;
	cfg.journey = r->journey;
	cfg.times = r->journey && r->times;
	b->err[0] = '\0';
	if (r->journey && !b->nfree) {
		snprintf(b->err, sizeof(b->err), "eBPF source: the kernel frees skbs in %s without a "
			 "tracepoint, and its BTF has no such function to attach to: no skb can be "
			 "followed", b->free_why);
		return -EOPNOTSUPP;
	}
	b->journey_max = r->journey_max ? r->journey_max : JOURNEY_MAX_DEFAULT;
	b->times = cfg.times;
	b->steps_lost = 0;
	b->summary = cfg.summary;
	b->chains = r->stack;
	/* The interpreter steps with bpf_loop, which came with the reason argument (5.17). */
	bpf_kernel_filters(b->reasons, !b->user_pcap && b->nargs >= 3, r, &cfg);
	if (cfg.summary && r->filter && r->filter->pcap && !cfg.pcap_len && !b->user_pcap) {
		snprintf(b->err, sizeof(b->err), "eBPF source: pcap: summary mode filters in the "
			 "kernel, and this one has no bpf_loop (Linux 5.17) to run it; -m packet "
			 "filters it in dropwatch");
		return -EOPNOTSUPP;
	}
	err = load(b, &cfg, r->ring_bytes, r->map_entries, b->err, sizeof(b->err));
	if (err && r->journey) {
		/* Why a journey's program did not load: the kernel refuses fentry, perhaps. */
		int why = frees_hookable(b);

		if (why) {
			snprintf(b->err, sizeof(b->err), "eBPF source: the kernel frees skbs in %s and "
				 "more without a tracepoint, and refuses a program at its entry (fentry, "
				 "which needs ftrace): %s; without it no skb can be followed",
				 b->free_fn[0]->name, strerror(-why));
			return why == -EPERM || why == -EACCES ? -EOPNOTSUPP : why;
		}
	}
	if (err)
		return err;
	b->fresh = false;	/* its maps are this run's */
	b->ring_bytes = bpf_map__max_entries(b->skel->maps.records);
	err = dw_bpf__attach(b->skel);
	if (err) {
		snprintf(b->err, sizeof(b->err), "eBPF source: cannot attach to skb:kfree_skb: %s",
			 strerror(-err));
		dw_bpf__destroy(b->skel);
		b->skel = NULL;
		return err;
	}
	if (!b->summary) {
		b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.records), on_record, b, NULL);
		if (!b->rb) {
			err = -errno;
			snprintf(b->err, sizeof(b->err), "eBPF source: no ring buffer: %s",
				 strerror(-err));
			dw_bpf__destroy(b->skel);
			b->skel = NULL;
			return err;
		}
	}
	tally_reset(&b->counts);
	tally_reset(&b->hidden);
	memset(b->own, 0, sizeof(b->own));
	free(b->chain);			/* the ids were the last map's */
	b->chain = NULL;
	b->filters = bpf_filtering(&cfg);
	/*
	 * What the kernel decided is not decided again: a summary count has no packet to
	 * run a proto or pcap filter on, and a record would give the same answer.
	 */
	b->kmask = (cfg.filter_reasons ? 1u << FILTER_REASON : 0) |
		   (cfg.n_ethertype || cfg.n_l4proto ? 1u << FILTER_PROTO : 0) |
		   (cfg.n_ifindex || cfg.n_ifname ? 1u << FILTER_DEV : 0) |
		   (cfg.pcap_len ? 1u << FILTER_PCAP : 0);
	b->clock_off = util_now_ns() - util_mono_ns();
	b->flushed_ns = util_now_ns();
	return 0;
}

/* The kernel stops calling the program; its ring and maps stay readable until release. */
static int bs_stop(struct source *s)
{
	struct bpf_source *b = bs_of(s);

	if (b->skel)
		dw_bpf__detach(b->skel);
	return 0;
}

static void bs_release(struct source *s)
{
	struct bpf_source *b = bs_of(s);

	own_counters(b, b->own);	/* kept for stats after the run */
	ring_buffer__free(b->rb);
	b->rb = NULL;
	dw_bpf__destroy(b->skel);
	b->skel = NULL;
}

static int bs_fd(const struct source *s)
{
	const struct bpf_source *b = (const struct bpf_source *)s;

	return b->rb ? ring_buffer__epoll_fd(b->rb) : -1;
}

static void bs_coalesce(struct source *s)
{
	(void)s;	/* the ring wakes us when a quarter of it is used: records queue */
}

static const char *reason_of(struct bpf_source *b, uint32_t v, char *buf, size_t size)
{
	const char *n = b->reasons ? reasons_lookup(b->reasons, (int)v) : NULL;

	if (n)
		return n;
	snprintf(buf, size, "%" PRIu32, v);	/* a number the kernel's lists do not name */
	return buf;
}

/*
 * The call chain of @id into @ev (its frames stay valid until the next call). It
 * begins, as perf's does, with the function that fired the tracepoint: the frames of
 * the program and the tracepoint's glue before it are left out. That function's caller
 * returns to @location, so the frame before @location's is the first kept (the whole
 * chain when @location is not in it).
 */
static void stack_of(struct bpf_source *b, int id, uint64_t location, struct drop_event *ev)
{
	struct chain *c;

	if (id < 0 || !b->skel)
		return;
	if (!b->chain && !(b->chain = calloc(CHAIN_CACHE, sizeof(*b->chain))))
		return;
	c = &b->chain[(unsigned int)id % CHAIN_CACHE];
	if (c->id != id + 1) {
		c->id = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.stacks), &id, c->pc))
			return;
		for (c->n = 0; c->n < 127 && c->pc[c->n]; c->n++)
			;
		for (c->skip = 0; c->skip < c->n && c->pc[c->skip] != location; c->skip++)
			;
		c->skip = c->skip == c->n ? 0 : c->skip ? c->skip - 1 : 0;
		c->id = id + 1;
	}
	ev->stack_len = c->n - c->skip;
	ev->stack = ev->stack_len ? c->pc + c->skip : NULL;
}

/* The journey the program kept for @r's skb, as the tracker's (journey.h), the drop last. */
static const struct journey *journey_of(struct bpf_source *b, const struct dwb_record *r)
{
	struct journey *jn = &b->jn;
	uint32_t i, n = r->journey.n <= DWB_JSTEPS ? r->journey.n : 0;

	memset(jn, 0, sizeof(*jn));
	for (i = 0; i < n; i++) {
		const struct dwb_step *s = &r->journey.step[i];
		struct jstep *d = &jn->step[i];

		d->time = s->ts;
		d->kind = s->kind < JSTEP_KINDS && !jstep_ends(s->kind) ? s->kind : JSTEP_RX;
		d->cpu = s->cpu;
		memcpy(d->dev, s->ifname, sizeof(d->dev) - 1);	/* zero padded by the program */
		d->dev[sizeof(d->dev) - 1] = '\0';
	}
	jn->n = n;
	jn->omitted = n ? r->journey.omitted : 0;
	jn->tracked = n > 0;
	jn->step[jn->n].time = r->ts;
	jn->step[jn->n].cpu = (uint16_t)r->cpu;
	jn->step[jn->n].kind = JSTEP_DROP;
	jn->n++;
	return jn;
}

/*
 * Times: a step or an end of an skb, as the tracker's; when records were lost before it,
 * first a step of none, which forgets every skb followed.
 */
static int on_step_record(struct bpf_source *b, const struct dwb_step_rec *r)
{
	struct drop_event ev = { .kind = DROP_KIND_STEP, .origin = DROP_ORIGIN_SW };
	struct jstep st = { .time = r->ts, .cpu = r->cpu, .kind = r->kind, .irq_ns = r->irq_ns,
			    .softirq_ns = r->softirq_ns };

	ev.has = DROP_HAS_TIMESTAMP | DROP_NO_PAYLOAD;
	ev.timestamp_ns = r->ts + b->clock_off;
	if (r->lost != b->steps_lost) {
		b->steps_lost = r->lost;
		b->ret = b->fn(&ev, b->arg);
		if (b->ret)
			return -ECANCELED;
	}
	if (r->kind >= JSTEP_KINDS)
		return 0;
	memcpy(st.dev, r->ifname, sizeof(st.dev) - 1);	/* zero padded by the program */
	ev.skb = r->skb;
	ev.step = &st;
	b->ret = b->fn(&ev, b->arg);
	return b->ret ? -ECANCELED : 0;
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct bpf_source *b = ctx;
	const struct dwb_record *r = data;
	struct drop_event ev = { .count = 1 };
	char rbuf[16], ifname[17], comm[17];

	if (len >= sizeof(struct dwb_step_rec) && r->type == DWB_REC_STEP)
		return on_step_record(b, data);
	if (len < DWB_RECORD_BASE || r->type != DWB_REC_DROP)
		return 0;
	ev.has = DROP_HAS_PC | DROP_HAS_TIMESTAMP | DROP_HAS_PROTO | DROP_HAS_TASK | DROP_HAS_MARK |
		 DROP_HAS_ORIG_LEN;
	ev.kernel_filtered = b->kmask;
	ev.pc = r->location;
	ev.timestamp_ns = r->ts + b->clock_off;
	ev.proto = ntohs(r->protocol);
	ev.reason = b->nargs >= 3 ? reason_of(b, r->reason, rbuf, sizeof(rbuf)) : NULL;
	ev.cpu = r->cpu;
	ev.pid = r->tid;
	memcpy(comm, r->comm, 16);	/* "%.16s": the program's strings are zero padded */
	comm[16] = '\0';
	ev.comm = comm;
	ev.mark = r->mark;
	ev.orig_len = r->len;
	if (r->flags & DWB_HAS_DEV) {
		ev.has |= DROP_HAS_IFINDEX;
		ev.ifindex = r->ifindex;
		memcpy(ifname, r->ifname, 16);
		ifname[16] = '\0';
		ev.ifname = ifname[0] ? ifname : NULL;
	}
	if (r->netns_from) {
		ev.has |= DROP_HAS_NETNS;
		ev.netns = r->netns;
		ev.netns_cookie = r->netns_cookie;
	}
	if (r->flags & DWB_HAS_SOCK) {
		ev.has |= DROP_HAS_SOCK;
		ev.sock.family = r->sock_family;
		ev.sock.state = r->sock_state;
		ev.sock.protocol = r->sock_protocol;
		ev.sock.sport = r->sock_sport;
		ev.sock.dport = r->sock_dport;
		memcpy(ev.sock.saddr, r->sock_saddr, 16);
		memcpy(ev.sock.daddr, r->sock_daddr, 16);
	}
	if ((r->flags & DWB_HAS_DATA) && r->data_len) {
		ev.payload = r->data;
		ev.payload_len = r->data_len;
	} else {
		ev.has |= DROP_NO_PAYLOAD;
	}
	stack_of(b, r->stack_id, r->location, &ev);
	if ((r->flags & DWB_HAS_JOURNEY) && len >= sizeof(*r))
		ev.journey = journey_of(b, r);
	b->ret = b->fn(&ev, b->arg);
	return b->ret ? -ECANCELED : 0;	/* a non-zero answer stops the read */
}

static bool same_key(const void *entry, const void *key)
{
	return !memcmp(&((const struct last *)entry)->k, key, sizeof(struct dwb_key));
}

/* The entry of @k in the totals last handed out (added at 0 when new); NULL: no memory. */
static struct last *last_of(struct tally *t, const struct dwb_key *k)
{
	struct last *l;
	bool created;

	l = hmap_get(&t->last, util_hash((const char *)k, sizeof(*k)), same_key, k, &created);
	if (l && created)
		l->k = *k;
	return l;
}

/*
 * What each location, reason, namespace and port of @map gained since the last
 * time, as summary events (@more: DROP_KERNEL_FILTERED for the filtered drops').
 */
static int flush_counts(struct bpf_source *b, struct bpf_map *map, struct tally *t,
			unsigned int more)
{
	int fd = bpf_map__fd(map), ret = 0;
	struct dwb_key k, next, *prev = NULL;
	char rbuf[16];

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct drop_event ev = { .summary = true };
		uint64_t total = 0;
		struct last *l;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, b->pcpu))
			continue;
		for (int c = 0; c < b->ncpus; c++)
			total += b->pcpu[c];
		l = last_of(t, &k);
		if (!l || total <= l->total)
			continue;
		ev.count = (uint32_t)(total - l->total > UINT32_MAX ? UINT32_MAX : total - l->total);
		l->total += ev.count;
		ev.has = DROP_HAS_PC | DROP_NO_PAYLOAD | more;
		ev.kernel_filtered = more ? 0 : b->kmask;
		ev.pc = k.location;
		ev.reason = b->nargs >= 3 ? reason_of(b, k.reason, rbuf, sizeof(rbuf)) : NULL;
		if (k.ifindex) {
			ev.has |= DROP_HAS_IFINDEX;
			ev.ifindex = k.ifindex;
		}
		if (k.netns) {
			ev.has |= DROP_HAS_NETNS;
			ev.netns = k.netns;
		}
		stack_of(b, k.stack_id, k.location, &ev);
		ret = b->fn(&ev, b->arg);
	}
	return ret;
}

static int bs_read(struct source *s, drop_event_fn fn, void *arg, bool flush)
{
	struct bpf_source *b = bs_of(s);
	int n, ret = 0;

	b->err[0] = '\0';
	s->now_ns = util_now_ns();
	if (!b->skel)
		return 0;
	b->fn = fn;
	b->arg = arg;
	b->ret = 0;
	if (!b->summary) {
		n = ring_buffer__consume(b->rb);
		if (b->ret)
			return b->ret;
		if (n < 0) {
			snprintf(b->err, sizeof(b->err), "eBPF source: reading the ring: %s",
				 strerror(-n));
			return n;
		}
	}
	/* The counts in the kernel, once a second and at the end. */
	if (flush || s->now_ns - b->flushed_ns >= 1000000000ull) {
		b->flushed_ns = s->now_ns;
		if (b->summary)
			ret = flush_counts(b, b->skel->maps.counts, &b->counts, 0);
		if (!ret && b->filters)
			ret = flush_counts(b, b->skel->maps.hidden, &b->hidden, DROP_KERNEL_FILTERED);
	}
	return ret;
}

static void bs_stats(struct source *s, struct source_stats *st)
{
	struct bpf_source *b = bs_of(s);
	uint64_t v[DWB_COUNTERS];

	memset(st, 0, sizeof(*st));
	own_counters(b, v);
	st->lost = v[DWB_LOST_RING] + v[DWB_LOST_MAP];
}

static int bs_describe(struct source *s, struct printer *p)
{
	struct bpf_source *b = bs_of(s);
	char text[128];

	snprintf(text, sizeof(text), "an eBPF program on skb:kfree_skb (tp_btf, %d arguments)",
		 b->nargs);
	pr_safe(p, "source", NULL, "bpf");
	pr_str(p, "program", "Source: %s\n", text);
	return 0;
}

static void bs_close(struct source *s)
{
	struct bpf_source *b = bs_of(s);

	bs_release(s);
	reasons_free(b->reasons);
	tally_reset(&b->counts);
	tally_reset(&b->hidden);
	free(b->pcpu);
	free(b->chain);
	free(b);
}

static const struct source_ops bpf_ops = {
	.name = "bpf",
	.title = "the eBPF source",
	.caps = SRC_CAPS_BPF,
	.lost_what = "drops lost: the eBPF program found its ring or its map full",
	.lost_hint = " ('set ring' or --ring-size makes the ring larger)",
	.lost_short = "lost in a full ring or map",
	.poll_ms = 100,
	.start = bs_start,
	.stop = bs_stop,
	.release = bs_release,
	.fd = bs_fd,
	.coalesce = bs_coalesce,
	.read = bs_read,
	.stats = bs_stats,
	.describe = bs_describe,
	.error = bs_error,
	.close = bs_close,
};

/*
 * What the tests ask for in DROPWATCH_BPF_TEST (README.md, "Testing"): "args2" or
 * "args3" loads the program of an older kernel's tracepoint (fewer arguments are
 * allowed on a newer one: what a kernel without rx_sk, or without reason, gives);
 * "reject" loads one the verifier refuses.
 */
static void test_hooks(struct bpf_source *b)
{
	const char *t = getenv("DROPWATCH_BPF_TEST");

	if (!t)
		return;
	if (!strcmp(t, "args2") && b->nargs >= 2)
		b->nargs = 2;
	else if (!strcmp(t, "args3") && b->nargs >= 3)
		b->nargs = 3;
	else if (!strcmp(t, "reject"))
		b->reject = true;
	else if (!strcmp(t, "user-pcap"))
		b->user_pcap = true;	/* pcap= in dropwatch, as other sources do it */
}

int source_bpf_open(struct source **out, bool packet, char *why, size_t whylen)
{
	struct bpf_source *b = calloc(1, sizeof(*b));
	struct dwb_config cfg;
	struct btf *btf;
	int err;

	*out = NULL;
	why[0] = '\0';
	if (!b) {
		snprintf(why, whylen, "eBPF source: out of memory");
		return -ENOMEM;
	}
	b->s.ops = &bpf_ops;
	b->ncpus = libbpf_num_possible_cpus();
	b->pcpu = calloc(b->ncpus > 0 ? (size_t)b->ncpus : 1, sizeof(*b->pcpu));
	if (b->ncpus <= 0 || !b->pcpu) {
		snprintf(why, whylen, "eBPF source: cannot count the CPUs");
		bs_close(&b->s);
		return -ENOMEM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, whylen, "eBPF source: the kernel has no BTF (/sys/kernel/btf/vmlinux "
			 "missing: a kernel built with CONFIG_DEBUG_INFO_BTF)");
		bs_close(&b->s);
		return -ENOENT;
	}
	btf = btf__load_vmlinux_btf();
	b->nargs = btf ? bpf_tracepoint_args(btf) : 0;
	if (btf) {
		int n = skbfree_plan(bpf_in_btf, btf, b->free_fn, b->free_why, sizeof(b->free_why));

		b->nfree = n > 0 ? n : 0;
	}
	test_hooks(b);
	b->reasons = reasons_new();
	if (btf && b->reasons && reasons_parse_btf(b->reasons, btf) > 0) {
		reasons_add_module_btf(b->reasons, btf);
		reasons_set_source(b->reasons, "BTF (/sys/kernel/btf/vmlinux)");
	}
	btf__free(btf);
	if (!b->nargs) {
		snprintf(why, whylen, "eBPF source: the kernel's BTF has no skb:kfree_skb "
			 "tracepoint (btf_trace_kfree_skb)");
		bs_close(&b->s);
		return -ENOENT;
	}
	if (bpf_locked_down(why, whylen)) {
		bs_close(&b->s);
		return -EPERM;
	}
	/*
	 * Loaded now, so that what keeps it from loading is said before any run; as a run
	 * of that mode without filters wants it, which then takes it as it is.
	 */
	memset(&cfg, 0, sizeof(cfg));
	cfg.summary = !packet;
	err = load(b, &cfg, 0, 0, why, whylen);
	if (err) {
		bs_close(&b->s);
		return err;
	}
	b->fresh = true;
	*out = &b->s;
	return 0;
}

struct reason_cat *source_bpf_reasons(struct source *s)
{
	return s && s->ops == &bpf_ops ? bs_of(s)->reasons : NULL;
}

int source_bpf_stats(struct source *s, struct source_bpf_stats *st)
{
	struct bpf_source *b;
	uint64_t v[DWB_COUNTERS];

	memset(st, 0, sizeof(*st));
	if (!s || s->ops != &bpf_ops)
		return -ENOENT;
	b = bs_of(s);
	st->ring_bytes = b->ring_bytes;
	own_counters(b, v);
	st->seen = v[DWB_SEEN];
	st->filtered = v[DWB_FILTERED];
	st->filtered_uncounted = v[DWB_LOST_HIDDEN];
	st->ring_full = v[DWB_LOST_RING];
	st->journey_lost = v[DWB_LOST_JOURNEY];
	st->steps_lost = v[DWB_LOST_STEPS];
	st->journey_max = b->journey_max;
	st->map_full = v[DWB_LOST_MAP];
	st->stack_lost = v[DWB_LOST_STACK];
	return 0;
}
