// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source's loader: the program (a file per collector under bpf/, linked into
 * one object), embedded as a libbpf skeleton (no file beside the binary), loaded for
 * each run with that run's settings (its read-only data: summary or packets, call
 * chains, the filters the kernel can evaluate), the collectors' programs that run
 * needs (bpf_int.h), attached with tp_btf and fentry. Packet
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
#include "util.h"
#include "bpf_filter.h"
#include "bpf_int.h"
#include "bpf_kernel.h"
#include "dropwatch.skel.h"

#define RING_DEFAULT	(8u << 20)	/* bytes, all CPUs: one ring */
#define MAP_ENTRIES	16384		/* summary counts: locations x reasons x namespaces x ports */
#define VERIFIER_LOG	(4u << 20)

/* The collectors: what each loads, reads and keeps (bpf_int.h). */
static const struct bpf_collector *const collectors[] = {
	&bpf_drops, &bpf_journey, &bpf_softirq,
};
#define NCOLLECTORS (sizeof(collectors) / sizeof(collectors[0]))

/* A record from the ring, to the collector of its type. */
static int on_record(void *ctx, void *data, size_t len)
{
	struct bpf_source *b = ctx;
	unsigned int type;

	if (len < sizeof(type))
		return 0;
	memcpy(&type, data, sizeof(type));	/* every record begins with its type */
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (collectors[i]->record && collectors[i]->rec_type == type)
			return len >= collectors[i]->rec_min ? collectors[i]->record(b, data, len) : 0;
	return 0;
}

/* What every collector kept of the last run forgotten. */
static void reset_collectors(struct bpf_source *b)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (collectors[i]->reset)
			collectors[i]->reset(b);
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
	LIBBPF_OPTS(bpf_object_open_opts, o, .kernel_log_size = VERIFIER_LOG);
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
	for (size_t i = 0; i < NCOLLECTORS; i++)
		collectors[i]->choose(b, skel, &want);
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
		int why = bpf_frees_hookable(b);

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
	reset_collectors(b);
	memset(b->own, 0, sizeof(b->own));
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
		for (size_t i = 0; !ret && i < NCOLLECTORS; i++)
			if (collectors[i]->flush)
				ret = collectors[i]->flush(b);
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
	reset_collectors(b);
	free(b->pcpu);
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
		struct bpf_func_set set;
		int n;

		bpf_func_set_fill(&set, btf);
		n = skbfree_plan(bpf_in_set, &set, b->free_fn, b->free_why, sizeof(b->free_why));
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
