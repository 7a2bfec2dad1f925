// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's session, the engine: the source of drops (NET_DM, else the eBPF
 * program, else the tracepoint), its runs in whichever mode (mode.h: the mode
 * says what it takes from each event; the engine gives it the source, the run
 * loop, the limits, the filters, the table and the printer), replays of
 * captures, and the kernel's settings we change and put back.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mode.h"
#include "netdm_sock.h"
#include "replay.h"
#include "run.h"
#include "table.h"
#include "trace.h"
#include "util.h"

int cmd_failed(struct dw *d, int err)
{
	int st = util_exit_status(err);

	if (d->status == DW_EXIT_OK || st == DW_EXIT_KERNEL)
		d->status = st;
	return -1;
}

int usage_failed(struct dw *d)
{
	if (d->status == DW_EXIT_OK)
		d->status = DW_EXIT_USAGE;
	return -1;
}

/*
 * What the records of a source of @kind carry, with @extra (a mode's: TCP's events carry
 * their connection whatever the source), and its name for the messages that say so.
 */
int check_caps_of(enum dw_source kind, unsigned int extra, const struct filter *f,
		  const struct agg_spec *key, char *why, size_t len)
{
	unsigned int caps = (kind == SRC_TRACE ? SRC_CAPS_TRACE :
			     kind == SRC_BPF ? SRC_CAPS_BPF : SRC_CAPS_NETDM) | extra;
	const char *name = kind == SRC_TRACE ? "the tracepoint source" :
			   kind == SRC_BPF ? "the eBPF source" : "NET_DM";

	if ((f && filter_check_caps(f, caps, name, why, len)) ||
	    (key && agg_spec_check_caps(key, caps, name, why, len)))
		return -EINVAL;
	return 0;
}

/* 0 when the session's source, in its mode, can give what @f and @key ask for; else -EINVAL. */
int check_caps(const struct dw *d, const struct filter *f, const struct agg_spec *key,
	       char *why, size_t len)
{
	return check_caps_of(d->set.source, d->set.mode->caps | d->run.mode->caps, f, key, why,
			     len);
}

/* ---- kernel configuration bookkeeping ---- */

/* The NET_DM socket, NULL with the tracepoint source. */
struct netdm_sock *dm(const struct dw *d)
{
	return source_netdm_sock(d->src);
}

/* Sends our settings to NET_DM (the tracepoint has none). 0 or -errno; the socket says why. */
int apply_config(struct dw *d)
{
	return dm(d) ? source_netdm_configure(d->src, &d->set.want) : 0;
}

void restore_kernel_config(struct dw *d)
{
	if (dm(d))
		source_netdm_restore(d->src);
}

/* ---- monitoring ---- */

/* @alerts and @drops more this run: RUN_LIMIT when they reach -c or --drops, else 0. */
static int counted(struct dw *d, unsigned long alerts, uint64_t drops)
{
	d->run.alerts += alerts;
	d->run.drops += drops;
	if ((d->set.alertlimit && d->run.alerts >= d->set.alertlimit) ||
	    (d->set.droplimit && d->run.drops >= d->set.droplimit))
		return RUN_LIMIT;
	return 0;
}

static int on_event(const struct drop_event *ev, void *arg)
{
	struct dw *d = arg;
	const struct mode *m = d->run.mode;
	struct drop_record r;
	uint64_t t;

	if (m->event) {
		unsigned long alerts = 0;
		uint64_t drops = 0;

		switch (m->event(d, ev, &alerts, &drops)) {
		case MODE_SKIP:
			return 0;
		case MODE_COUNT:
			return counted(d, alerts, drops);
		case MODE_RECORD:
			break;
		}
	}
	d->rec.now_ns = d->run.replay_ts ? *d->run.replay_ts : d->src ? d->src->now_ns : 0;
	t = (ev->has & DROP_HAS_TIMESTAMP) ? ev->timestamp_ns : d->rec.now_ns;
	if (t) {
		if (!d->run.first_ts || t < d->run.first_ts)
			d->run.first_ts = t;
		if (t > d->run.last_ts)
			d->run.last_ts = t;
	}
	record_build(&d->rec, &r, ev);
	if (m->keep && !m->keep(ev, &r))
		return 0;	/* outside this mode's view */
	if (d->loss.have_start)
		losses_tally(d, &r, ev->count);
	if (ev->has & DROP_KERNEL_FILTERED) {
		d->run.hidden += ev->count;
		return 0;
	}
	switch (filter_check(&d->set.filter, &r)) {
	case FILTER_HIDE:
		d->run.hidden += ev->count;
		return 0;
	case FILTER_IGNORE:
		d->run.ignored += ev->count;
		return 0;
	case FILTER_PASS:
		break;
	}
	if (agg_add(d->agg, &r, ev->count))
		err_msg("out of memory: the table misses a drop");
	if (d->watch && d->watch->count)
		d->watch->count(d, &r, ev->count);
	if (!d->set.interval && !d->set.quiet) {
		prompt_away(d);
		out_record(&d->out, &r);
	}
	return counted(d, 1, ev->count);
}

/* The table of this run (or the last), over @elapsed seconds. */
void print_table(struct dw *d, double elapsed)
{
	struct table_extra x = {
		.elapsed = elapsed,
		.hidden = d->run.hidden,
		.ignored = d->run.ignored,
		.lost = d->run.lost,
		.lost_what = d->src ? d->src->ops->lost_short : NULL,
		.top = d->set.top,
		.what = d->run.mode->what,
	};

	prompt_away(d);
	fflush(d->msg);
	if (d->run.mode->report) {
		d->run.mode->report(d, elapsed);
	} else {
		table_print(&d->out.p, d->agg, &x);
		losses_print_section(d, elapsed);
	}
	fflush(stdout);
}

static void start_run(struct dw *d)
{
	d->run.alerts = 0;
	d->run.drops = 0;
	d->run.run_end_ns = 0;
	d->run.hidden = d->run.ignored = d->run.lost = d->run.tail = 0;
	d->run.first_ts = d->run.last_ts = 0;
	d->run.run_start_ns = util_mono_ns();
	agg_reset(d->agg);
}

/* The run's time so far; after it ended, its length (a report then divides by that). */
double live_elapsed(const struct dw *d)
{
	uint64_t end = d->run.run_end_ns ? d->run.run_end_ns : util_mono_ns();

	return d->run.run_start_ns ? (double)(end - d->run.run_start_ns) / 1e9 : 0;
}

void prompt_away(struct dw *d)
{
	if (d->prompt)
		d->prompt->away(d);
}

static void before_output(void *arg)
{
	prompt_away(arg);
}

static void after_output(void *arg)
{
	struct dw *d = arg;

	d->prompt->back(d);
}

static int on_input(void *arg)
{
	struct dw *d = arg;

	return d->prompt->input(d);
}

/* What the source lost, and its alert queue dropped, this run. */
static void keep_stats(struct dw *d, const struct source_stats *st)
{
	d->run.lost = st->lost;
	d->run.tail = st->has_tail ? st->tail_dropped : 0;
}

void run_stats(struct dw *d)
{
	struct source_stats st = { 0 };

	d->src->ops->stats(d->src, &st);
	keep_stats(d, &st);
}

static void on_interval(void *arg)
{
	struct dw *d = arg;

	run_stats(d);
	if (!d->set.quiet)
		print_table(d, live_elapsed(d));
}

/* Which limit ended the run. */
static const char *limit_name(const struct dw *d)
{
	return d->set.droplimit && d->run.drops >= d->set.droplimit ? "Drop" : "Alert";
}

/* What the journey's tracker could not follow this run. */
static void journey_said(struct dw *d)
{
	bool steps = d->set.journey || (d->run.mode->needs & MODE_STEPS);
	const struct trace_src *t = steps ? source_trace(d->src) : NULL;
	const struct journey_stats *js = t ? trace_journey_stats(t) : NULL;
	const struct trace_stats *ts = t ? trace_stats(t) : NULL;
	uint32_t max = d->set.journey_max ? d->set.journey_max : JOURNEY_MAX_DEFAULT;
	struct source_bpf_stats bs;

	if (!steps)
		return;
	if (!source_bpf_stats(d->src, &bs) && bs.journey_lost)
		err_msg("journey: %" PRIu64 " steps of skbs not tracked: %" PRIu32 " were tracked "
			"already ('set journeys' tracks more)", bs.journey_lost, bs.journey_max);
	if (js && js->overflow)
		err_msg("journey: %" PRIu64 " events of skbs not tracked: %" PRIu32 " were tracked "
			"already ('set journeys' tracks more)", js->overflow, max);
	if (ts && ts->journey_lost)
		err_msg("journey: %" PRIu64 " events of journeys were lost in full ring buffers: the "
			"skbs followed then were forgotten, not joined ('set ring' or --ring-size makes "
			"the rings larger)", ts->journey_lost);
	if (ts && ts->free_missed)
		err_msg("journey: %" PRIu64 " frees were missed by their kprobes (the kernel fires "
			"none inside another): the skbs followed then were forgotten, and the %" PRIu64
			" events of those times joined nothing", ts->free_missed, ts->tainted);
	if (ts && (ts->late || ts->unordered))
		err_msg("journey: %" PRIu64 " events came after later ones had been handed out (or "
			"found no memory to wait in): their skbs were forgotten, not joined",
			ts->late + ts->unordered);
}

/*
 * After the source stopped: what it queued before, the losses said, the
 * table. A second signal skips the rest.
 */
static void finish_run(struct dw *d, struct run *r)
{
	struct source_stats st;
	bool limit = r->limit;

	if (run_finish(r) == RUN_LIMIT && !limit)
		fprintf(d->msg, "%s limit reached, deactivating!\n", limit_name(d));
	if (r->second_signal) {
		err_msg("second signal: exiting without the rest of the alerts and the table");
		d->fatal_signal = r->signal;
		d->quit = true;
		return;
	}
	d->src->ops->stats(d->src, &st);
	if (st.has_tail && st.tail_dropped)
		err_msg("%" PRIu64 " packets were tail-dropped by the kernel's alert queue during this "
			"run ('set queue' makes it longer)", st.tail_dropped);
	if (st.lost)
		err_msg("in all, %" PRIu64 " %s during this run", st.lost,
			d->set.source == SRC_BPF ? "drops were lost in the eBPF program's full ring "
			"or map" : d->src->ops->caps & SRC_CAP_PACKET ? "receive overruns lost alerts" :
			"drops were lost in full ring buffers");
	if (st.malformed)
		err_msg("%" PRIu64 " %s could not be decoded", st.malformed,
			d->src->ops->caps & SRC_CAP_PACKET ? "malformed messages" :
			"tracepoint records");
	if (st.truncated)
		err_msg("%" PRIu64 " messages larger than our receive buffer were skipped",
			st.truncated);
	keep_stats(d, &st);
	journey_said(d);
	if (d->run.mode->finish)
		d->run.mode->finish(d);
	if (!d->set.quiet)
		print_table(d, live_elapsed(d));
}

/*
 * The journey's tracepoints on the tracepoint source, for journeys or a mode of every
 * skb's steps (@m): those the kernel lacks said once a session. 0, or -errno (said).
 */
int journey_check(struct dw *d, const struct mode *m)
{
	bool steps = m->needs & MODE_STEPS;
	struct trace_src *t = source_trace(d->src);
	char missing[200];
	int err;

	if (d->set.source == SRC_BPF)
		return 0;	/* the program's: said when it starts */
	if (!t) {
		err_msg("start: journeys come from the tracepoint and eBPF sources only "
			"(--source trace or bpf)");
		return -EINVAL;
	}
	err = trace_journey_open(t, missing, sizeof(missing));
	if (err) {
		err_msg("%s: %s", steps ? m->name : "journey", trace_error(t));
		return err;
	}
	if (missing[0] && !d->journey_said)
		err_msg("journey: this kernel has no %s: journeys go on without those steps",
			missing);
	if (steps && !trace_journey_softirq(t) && !d->journey_said)
		err_msg("%s: this kernel has no irq:softirq_raise, softirq_entry and softirq_exit: "
			"the report goes on without the softirq's times", m->name);
	d->journey_said = true;
	return 0;
}

/* One run of d->run.mode: start the source, the alerts until the end, stop, the rest. */
static int monitor_run(struct dw *d)
{
	const struct mode *m = d->run.mode;
	struct source_run sr = {
		.packet = d->set.want.mode == NETDM_MODE_PACKET,
		.sw = d->set.sw,
		.hw = d->set.hw,
		.passive = d->set.passive,
		.force = d->set.force,
		.stack = d->set.stack,
		.tcp = m->needs & MODE_TCP,
		.journey = d->set.journey || (m->needs & MODE_STEPS),
		.journey_max = d->set.journey_max,
		.times = m->needs & MODE_STEPS,
		.ring_bytes = d->set.ring_bytes,
		.map_entries = d->set.map_entries,
		.rcvbuf = DEFAULT_RCVBUF,
		.cfg = d->set.want,
		.filter = &d->set.filter,
	};
	struct run r = {
		.src = d->src,
		.sigfd = d->sigfd,
		.out_fd = d->out_fd,
		.duration = d->set.duration,
		.interval = d->set.interval,
		.report_losses = true,
		.fn = on_event,
		.on_interval = on_interval,
		.in_fd = STDIN_FILENO,
		.on_input = d->prompt ? on_input : NULL,
		.before_output = d->prompt ? before_output : NULL,
		.after_output = d->prompt ? after_output : NULL,
		.wake_ms = d->prompt ? 100 : 0,
		.arg = d,
	};
	int err, rerr;

	d->run.started = d->run.restart = false;
	d->run.start_err = 0;
	if (d->watch && d->watch->hooks)
		d->watch->hooks(d, &r);
	if (!d->set.sw && !d->set.hw) {
		err_msg("start: neither software nor hardware drops are selected "
			"('set sw true' or 'set hw true')");
		return usage_failed(d);
	}
	if (sr.journey && (err = journey_check(d, m)))
		return err == -EINVAL ? usage_failed(d) : cmd_failed(d, err);
	if (d->set.source == SRC_BPF && !sr.packet && !sr.tcp) {
		char why[300];

		if (source_bpf_summary_check(&d->set.filter, &d->set.key, why, sizeof(why))) {
			err_msg("start: %s", why);
			return usage_failed(d);
		}
	}
	/*
	 * Symbols are read now, not at the first drop in the middle of the run (where
	 * half a second of reading holds up alerts and tables), unless the alerts name
	 * their locations themselves (NET_DM's packet alerts carry the kernel's text; the
	 * eBPF source's records carry addresses only).
	 */
	if (!(sr.packet && (d->src->ops->caps & SRC_CAP_LOC_TEXT)))
		symres_load_pending(d->sym);
	/* Interfaces are named in their namespace: the machine's namespaces, read once. */
	if (((d->src->ops->caps & SRC_CAP_IFINDEX) || sr.tcp) && !d->rec.netns &&
	    !d->netns_tried) {
		char why[256];

		d->netns_tried = true;
		d->rec.netns = netns_db_open(util_err, why, sizeof(why));
		if (!d->rec.netns)
			err_msg("network namespaces: %s: input ports are shown by index only", why);
	}
	sr.netns = d->rec.netns;
	r.netns = d->rec.netns;
	d->rec.no_packet = (d->set.quiet || d->set.interval) && !d->set.filter.words[FILTER_PROTO] &&
			   !d->set.filter.words[FILTER_ADDR] && !d->set.filter.words[FILTER_PORT] &&
			   agg_spec_packet_field(&d->set.key) < 0;
	if (!d->set.passive)
		fprintf(d->msg, "Enabling monitoring...\n");
	fflush(d->msg);
	/*
	 * The kernel's counters are read before monitoring starts and after it stops: their
	 * interval holds the run's, so a drop with an alert is always in their change too.
	 */
	d->rec.ct_loaded = !access("/sys/module/nf_conntrack", F_OK);
	if ((err = rules_on(d, &sr, &r)))
		return err == -EINVAL ? usage_failed(d) : cmd_failed(d, err);
	losses_start(d);
	err = d->src->ops->start(d->src, &sr);
	if (err) {
		rules_off(d);
		err_msg("%s", source_error(d->src));
		d->loss.have_start = false;	/* no run to compare */
		d->run.start_err = err;
		return cmd_failed(d, err);
	}
	d->run.started = true;
	if (d->watch && d->watch->started)
		d->watch->started(d);
	if (d->set.passive)
		fprintf(d->msg, "Listening (passive) to the alerts of a monitor started elsewhere\n");
	fprintf(d->msg, "Kernel monitoring activated.\n%s\n", d->interactive ?
		"Type 'stop' (or press Ctrl-C) to stop monitoring; 'report' shows the table so far" :
		"Issue Ctrl-C to stop monitoring");
	fflush(d->msg);
	start_run(d);
	d->run.running = true;
	if (d->prompt)
		d->prompt->live(d);
	d->out.tcp = sr.tcp;	/* TCP's drops printed as its events, to the last */
	rerr = run_loop(&r);
	if (d->prompt)
		d->prompt->end(d);
	d->run.running = false;
	d->run.run_end_ns = util_mono_ns();
	if (rerr) {
		err_msg("%s", source_error(d->src));
		cmd_failed(d, rerr);
	}
	d->run.restart = rerr || r.stopped;
	if (r.signal && r.signal != SIGINT) {
		d->fatal_signal = r.signal;
		d->quit = true;
	}
	if (r.limit)
		fprintf(d->msg, "%s limit reached%s\n", limit_name(d),
			d->set.passive ? "" : ", deactivating!");
	if (r.user)
		fprintf(d->msg, "Stop requested\n");
	if (r.expired)
		fprintf(d->msg, "Duration of %" PRIu32 " s reached, deactivating\n", d->set.duration);
	if (d->set.passive)
		fprintf(d->msg, "Stopped listening (the monitor itself was left as it was)\n");
	else
		fprintf(d->msg, "Deactivation requested, turning off monitoring\n");
	err = d->src->ops->stop(d->src);
	if (err) {
		err_msg("%s", source_error(d->src));
		cmd_failed(d, err);
	}
	losses_end(d);
	finish_run(d, &r);
	rules_off(d);
	d->out.tcp = false;
	return err || rerr ? -1 : 0;
}


/*
 * The table for a run of @m: its own key (mode.key) unless the user gave one; the table of
 * the other kind of run is kept aside, for a report after it. 0 or -ENOMEM.
 */
int table_for(struct dw *d, const struct mode *m)
{
	const struct agg_spec *want = d->set.key_given ? NULL : m->key;
	struct agg *a;

	if (d->set.key_given || d->agg_key == want)
		return 0;
	if (d->other_agg && d->other_key != want) {
		agg_free(d->other_agg);	/* a third kind of run's */
		d->other_agg = NULL;
	}
	if (!d->other_agg && !(d->other_agg = agg_new(want ? want : &d->set.key)))
		return -ENOMEM;
	a = d->agg;
	d->agg = d->other_agg;
	d->other_agg = a;
	d->other_key = d->agg_key;
	d->agg_key = want;
	return 0;
}

/*
 * The tracepoint source for a run of @m when the session's (@src, of @kind) is another:
 * opened at the first such run and kept. 0, or -1 (said).
 */
struct mode_slot *mode_slot(struct dw *d, const struct mode *m)
{
	size_t i;

	for (i = 0; i < MODE_MAX && d->slot[i].mode && d->slot[i].mode != m; i++)
		;
	if (i == MODE_MAX)
		return NULL;
	d->slot[i].mode = m;
	return &d->slot[i];
}

int mode_trace_side(struct dw *d, const struct mode *m, struct source **src,
		    enum dw_source *kind)
{
	struct mode_slot *ms = mode_slot(d, m);
	char why[600];
	int err;

	if (*kind == SRC_TRACE)
		return 0;
	if (!ms)
		return cmd_failed(d, -ENOMEM);
	if (!ms->src) {
		err = source_trace_open(&ms->src, why, sizeof(why));
		if (err) {
			ms->src = NULL;
			err_msg("%s: %s", m->name, why);
			return cmd_failed(d, err);
		}
		ms->kind = SRC_TRACE;
		err_msg("%s: the tracepoint source reads it (its runs read skb:kfree_skb there too)",
			m->name);
	}
	*src = ms->src;
	*kind = SRC_TRACE;
	return 0;
}

/*
 * A run of @m: its source for the run (the session's, or one of its own), what it sets
 * up, the run, and the session's source back.
 */
int monitor_mode(struct dw *d, const struct mode *m)
{
	struct source *keep = d->src, *src = d->src;
	enum dw_source kind = d->set.source, run_kind = kind;
	int ret;

	if (m->prepare && m->prepare(d, &src, &run_kind))
		return -1;
	if (!m->prepare && table_for(d, m))
		return cmd_failed(d, -ENOMEM);
	d->run.mode = m;	/* the current run, or the last one (its table or report) */
	d->src = src;
	d->set.source = run_kind;
	ret = monitor_run(d);
	d->src = keep;
	d->set.source = kind;
	return ret;
}

int monitor(struct dw *d)
{
	return monitor_mode(d, d->set.mode);
}

/* ---- replay ---- */

static int on_replayed(const struct drop_event *ev, void *arg)
{
	struct dw *d = arg;

	d->rec.now_ns = d->run.replay_ts ? *d->run.replay_ts : 0;
	if (ev->summary && ev->origin == DROP_ORIGIN_SW && ev->pc)
		d->run.bare++;	/* addresses only a kallsyms snapshot can name */
	return on_event(ev, d);
}

int run_replay(struct dw *d, const char *path, const char *lmethod)
{
	const struct replay_result *res;
	struct source_run sr = { .packet = true };
	char why[300];
	int ret;

	/*
	 * Addresses in a capture belong to the machine and boot it was taken on:
	 * this machine's /proc/kallsyms only when asked for (-l kas).
	 */
	if (lmethod && strcmp(lmethod, "none")) {
		const char *kas = strncmp(lmethod, "kas:", 4) ? KALLSYMS : lmethod + 4;

		if (symres_load(d->sym, kas, true))
			return DW_EXIT_FAIL;
	}
	netns_db_close(d->rec.netns);
	d->rec.netns = NULL;	/* interface indexes of another machine */
	if (source_replay_open(&d->src, path))
		return DW_EXIT_FAIL;
	/* What a capture cannot say (a call chain, the namespace of another machine) is refused. */
	if (filter_check_caps(&d->set.filter, d->src->ops->caps, "a capture", why, sizeof(why)) ||
	    agg_spec_check_caps(&d->set.key, d->src->ops->caps, "a capture", why, sizeof(why))) {
		err_msg("options: %s", why);
		return DW_EXIT_USAGE;
	}
	res = source_replay_result(d->src);
	d->run.replay_ts = &res->ts_ns;
	losses_start(d);	/* no live counters: the section says so */
	start_run(d);
	ret = d->src->ops->start(d->src, &sr);
	if (!ret)
		ret = d->src->ops->read(d->src, on_replayed, d, true);
	d->src->ops->stop(d->src);
	d->src->ops->release(d->src);
	fflush(stdout);
	if (ret == SOURCE_END)
		ret = 0;
	if (ret == RUN_LIMIT) {
		fprintf(d->msg, "Alert limit reached\n");
		ret = 0;
	}
	if (ret == -EINVAL || (ret == 0 && res->records == 0 && res->err[0])) {
		err_msg("%s: %s", path, res->err);
		return DW_EXIT_FAIL;
	}
	if (res->malformed)
		err_msg("%s: skipped %lu malformed records or messages (the first: %s)", path,
			res->malformed, res->first_bad);
	if (res->cut)
		err_msg("%s: %lu records were cut short when captured", path, res->cut);
	if (ret == 0 && res->family < 0)
		err_msg("%s: no NET_DM messages in this capture", path);
	if (ret != -EINVAL && (res->records || !res->err[0]))
		/* The capture's own clock: from its first drop to its last. */
		print_table(d, d->run.last_ts > d->run.first_ts ?
			    (double)(d->run.last_ts - d->run.first_ts) / 1e9 : 0);
	if (d->run.bare && !symres_has_index(d->sym))
		err_msg("note: summary alerts carry bare addresses: --kallsyms FILE with a copy of "
			"/proc/kallsyms from the machine and boot of the capture names them");
	if (ret < 0) {
		err_msg("%s: %s (everything before it is shown above)", path, res->err);
		return DW_EXIT_FAIL;
	}
	return DW_EXIT_OK;
}

/*
 * The source of drops: NET_DM when its family resolves, else (--source auto)
 * the eBPF program when the kernel lets us load it, else the skb:kfree_skb
 * tracepoint; says once which, and why the others were not taken.
 */
int source_options(struct dw *d)
{
	char why[300];

	if (d->set.source == SRC_TRACE && !d->set.key_given) {
		/* The default key without the interface, which the tracepoint does not say. */
		d->set.key = (struct agg_spec){ .n = 2, .field = { AGG_LOC, AGG_REASON } };
		agg_free(d->agg);
		if (!(d->agg = agg_new(&d->set.key)))
			return -ENOMEM;
	}
	if (check_caps(d, &d->set.filter, &d->set.key, why, sizeof(why))) {
		err_msg("options: %s", why);
		return OPEN_USAGE;
	}
	return 0;
}

/*
 * A source other than NET_DM was taken (@src, said as @what; @title in errors): why,
 * when auto chose it, and what of the settings it cannot do. 0, or OPEN_USAGE.
 */
static int took(struct dw *d, int src, const char *what, const char *who, const char *title)
{
	if (d->set.source == SRC_AUTO && netdm_hidden_by_netns())
		err_msg("source: %s, as NET_DM exists only in the initial network namespace and "
			"this is another one; %s sees the drops of every namespace", what, who);
	else if (d->set.source == SRC_AUTO)
		err_msg("source: %s, as this kernel has no NET_DM drop monitor (drop_monitor is "
			"not loaded or not built)", what);
	d->set.source = src;
	if (d->set.hw)
		err_msg("--hw: %s sees software drops only (hardware drops need NET_DM): they are "
			"left out", title);
	d->set.hw = false;
	if (d->set.passive) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere; this kernel has none");
		return OPEN_USAGE;
	}
	return 0;
}

/* The eBPF source, when it was asked for or auto tries it: 0 when it is open. */
static int open_bpf(struct dw *d, char *why, size_t whylen)
{
	/* The exporter counts in the kernel: a summary, unless a mode was asked for. */
	bool counts_only = d->set.counts_only;
	int err = source_bpf_open(&d->src, d->set.want.mode == NETDM_MODE_PACKET && !counts_only, why,
				  whylen);

	if (err)
		return err;
	/* The exporter counts in the kernel: every label it has comes with the counts. */
	if (counts_only) {
		d->set.want.mode = NETDM_MODE_SUMMARY;
		d->set.want.trunc = 0;
		d->set.want.has &= ~(unsigned int)NETDM_CFG_TRUNC;
	}
	return took(d, SRC_BPF, "an eBPF program on skb:kfree_skb", "the program", "the eBPF source");
}

int open_source(struct dw *d)
{
	const struct mode *m = d->set.mode;
	char why[600] = "", bwhy[600] = "";
	int err = -ENOENT;

	if ((d->set.journey || (m->needs & MODE_STEPS)) && !(m->needs & MODE_TCP) &&
	    d->set.source == SRC_AUTO) {
		/*
		 * An skb's steps and every free of it: the eBPF program follows them in the
		 * kernel; else the tracepoints, with kprobes on the frees.
		 */
		err = source_bpf_open(&d->src, true, bwhy, sizeof(bwhy));
		if (!err) {
			err_msg("source: an eBPF program (it follows each skb from its steps' "
				"tracepoints to its free)");
			d->set.source = SRC_BPF;
			if (d->set.hw)
				err_msg("--hw: journeys and times see software drops only: they are "
					"left out");
			d->set.hw = false;
			return 0;
		}
		d->src = NULL;
	}
	if ((m->needs || d->set.journey) && d->set.source == SRC_AUTO) {
		/* TCP's events come from tracepoints: the tracepoint source reads them. */
		if (bwhy[0])
			err_msg("%s: the tracepoint source instead", bwhy);
		err = source_trace_open(&d->src, why, sizeof(why));
		if (err) {
			err_msg("%s", why);
			return err;
		}
		err_msg(m->needs & MODE_TCP ? "source: the tracepoints (-m tcp reads TCP's own, and "
			"skb:kfree_skb)" : "source: the tracepoints (journeys are read from the net "
			"and skb events of each skb, and kprobes on its frees)");
		d->set.source = SRC_TRACE;
		if (d->set.hw)
			err_msg("--hw: -m tcp sees software drops only: they are left out");
		d->set.hw = false;
		return 0;
	}
	if (d->set.source == SRC_BPF) {
		err = open_bpf(d, bwhy, sizeof(bwhy));
		if (err && bwhy[0])
			err_msg("%s", bwhy);
		return err;
	}
	if (d->set.source != SRC_TRACE) {
		err = source_netdm_open(&d->src, why, sizeof(why));
		if (!err) {
			if (d->set.source == SRC_AUTO)
				err_msg("source: the NET_DM drop monitor (its family resolved)");
			d->set.source = SRC_NETDM;
			if (d->set.stack) {
				err_msg("--stack: NET_DM sends no call chains (--source trace)");
				return OPEN_USAGE;
			}
			return 0;
		}
		/* Only a missing family sends auto to the tracepoint; other failures are real. */
		if (d->set.source == SRC_NETDM || err != -ENOENT) {
			err_msg("%s", why);
			return err;
		}
	}
	/* auto, without NET_DM: the eBPF program, else the tracepoint. */
	if (d->set.source == SRC_AUTO) {
		err = open_bpf(d, bwhy, sizeof(bwhy));
		if (!err || err == OPEN_USAGE)
			return err;
		d->src = NULL;
		if (err == -ENOSYS)
			bwhy[0] = '\0';	/* a build without it: nobody asked for it */
	}
	{
		char twhy[600];

		if (bwhy[0] && d->set.source == SRC_AUTO)
			err_msg("%s: the tracepoint source instead", bwhy);
		err = source_trace_open(&d->src, twhy, sizeof(twhy));
		if (err) {
			if (why[0])
				err_msg("%s", why);
			err_msg("%s%s", twhy, why[0] ?
				" (so the tracepoint source cannot be used either)" : "");
			return err;
		}
	}
	return took(d, SRC_TRACE, "the skb:kfree_skb tracepoint", "the tracepoint",
		    "the tracepoint source");
}

