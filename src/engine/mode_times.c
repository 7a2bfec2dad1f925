// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * times mode (-m times, the times command): where every packet's time goes, in the
 * manner of perf's netdev-times: each skb's steps on receive and transmit summed per
 * device, with latency percentiles. Its events are every step of every skb (the eBPF
 * program's, else the tracepoints'); a packet summed is an alert.
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mode.h"
#include "print.h"
#include "table.h"
#include "trace.h"
#include "util.h"

static struct times *state(struct dw *d)
{
	struct mode_slot *ms = mode_slot(d, &mode_times);

	return ms ? ms->state : NULL;
}

/*
 * Its source when the session's is NET_DM, which sees no skb's life: the eBPF program
 * when it loads, else the tracepoints; opened at the first times run and kept.
 */
static int times_side(struct dw *d, struct source **src, enum dw_source *kind)
{
	struct mode_slot *ms = mode_slot(d, &mode_times);
	char why[600] = "", bwhy[600] = "";
	int err;

	if (*kind == SRC_TRACE || *kind == SRC_BPF)
		return 0;
	if (!ms)
		return cmd_failed(d, -ENOMEM);
	if (!ms->src) {
		err = source_bpf_open(&ms->src, true, bwhy, sizeof(bwhy));
		ms->kind = SRC_BPF;
		if (err) {
			ms->src = NULL;
			err = source_trace_open(&ms->src, why, sizeof(why));
			ms->kind = SRC_TRACE;
		}
		if (err) {
			if (bwhy[0])
				err_msg("times: %s", bwhy);
			err_msg("times: %s", why);
			ms->src = NULL;
			return cmd_failed(d, err);
		}
		err_msg("times: %s reads it (NET_DM does not see an skb's steps)",
			ms->kind == SRC_BPF ? "the eBPF source" : "the tracepoint source");
	}
	*src = ms->src;
	*kind = ms->kind;
	return 0;
}

static int times_prepare(struct dw *d, struct source **src, enum dw_source *kind)
{
	uint32_t cap = d->set.journey_max ? d->set.journey_max : JOURNEY_MAX_DEFAULT;
	struct times *t = state(d);

	if (times_side(d, src, kind))
		return -1;
	if (!t) {
		struct mode_slot *ms = mode_slot(d, &mode_times);

		t = ms ? calloc(1, sizeof(*t)) : NULL;
		if (!t)
			return cmd_failed(d, -ENOMEM);
		ms->state = t;
	}
	if (!u64map_ready(&t->skbs) || t->skbs.cap != cap) {
		times_fini(t);
		if (times_init(t, cap))
			return cmd_failed(d, -ENOMEM);
	}
	times_reset(t);
	return 0;
}

/* Every packet's steps, summed per device: no record; a packet summed is an alert. */
static enum mode_verdict times_event(struct dw *d, const struct drop_event *ev,
				     unsigned long *alerts, uint64_t *drops)
{
	struct times *t = state(d);
	unsigned int got;

	if (ev->kind != DROP_KIND_STEP)
		return MODE_SKIP;
	if (!ev->step) {
		times_abandon(t);	/* events were lost */
		return MODE_SKIP;
	}
	if (ev->late) {
		times_forget(t, ev->skb);
		return MODE_SKIP;
	}
	got = times_step(t, ev->skb, ev->step);
	if (!(got & TIMES_ENDED))
		return MODE_SKIP;
	*alerts = 1;
	*drops = !!(got & TIMES_DROP);
	return MODE_COUNT;
}

static void times_finish(struct dw *d)
{
	times_flush(state(d));	/* what is in flight now is open */
}

static void times_report(struct dw *d, double elapsed)
{
	const struct trace_src *t = d->src ? source_trace(d->src) : NULL;
	struct source_bpf_stats bs;
	struct times_view v = {
		.elapsed = elapsed,
		.rx = strcmp(d->set.times_dir, "tx") != 0,
		.tx = strcmp(d->set.times_dir, "rx") != 0,
		.dev = d->set.times_dev,
		.lost = d->run.lost + (t ? trace_stats(t)->journey_lost : 0),
	};

	if (!source_bpf_stats(d->src, &bs))
		v.lost = bs.steps_lost;
	if (state(d))
		times_print(&d->out.p, state(d), &v);
}

static void times_release(struct dw *d)
{
	struct times *t = state(d);

	if (t)
		times_fini(t);
	free(t);
	if (t)
		mode_slot(d, &mode_times)->state = NULL;
}

/* The times report's directions: rx, tx or both. */
int times_set_dir(struct dw *d, const char *val, bool say, char *why, size_t len)
{
	char safe[64];

	if (strcmp(val, "rx") && strcmp(val, "tx") && strcmp(val, "both")) {
		snprintf(why, len, "'%s' is not a direction (rx, tx or both)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	snprintf(d->set.times_dir, sizeof(d->set.times_dir), "%s", val);
	if (say)
		fprintf(d->msg, "Times report: %s\n", !strcmp(val, "both") ?
			"receive and transmit" : !strcmp(val, "rx") ? "receive only" :
			"transmit only");
	return 0;
}

/* The times report's devices: a glob, or "any". */
int times_set_dev(struct dw *d, const char *val, bool say, char *why, size_t len)
{
	char safe[4 * IF_NAMESIZE + 8];
	char *v = NULL;

	if (!*val || strlen(val) >= 64) {
		snprintf(why, len, "a device name or glob (up to 63 characters), or any");
		return -EINVAL;
	}
	if (strcmp(val, "any") && !(v = strdup(val))) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	free(d->set.times_dev);
	d->set.times_dev = v;
	if (say)
		fprintf(d->msg, "Times report: %s%s\n", v ? "devices " : "every device",
			v ? pr_escape(safe, sizeof(safe), v) : "");
	return 0;
}

/* times [rx|tx|both] [dev GLOB]: its settings for this run and the next ones. */
static int times_args(struct dw *d, int argc, char **argv)
{
	char why[200];
	int i;

	for (i = 0; i < argc; i++) {
		int (*set)(struct dw *, const char *, bool, char *, size_t) = NULL;
		const char *val = argv[i];

		if (!strcmp(argv[i], "rx") || !strcmp(argv[i], "tx") || !strcmp(argv[i], "both"))
			set = times_set_dir;
		else if (!strcmp(argv[i], "dev") && i + 1 < argc)
			set = times_set_dev, val = argv[++i];
		else if (!strcmp(argv[i], "dev")) {
			err_msg("times: dev needs a device name or glob");
			return usage_failed(d);
		}
		if (!set) {
			char safe[64];

			err_msg("times: '%s' is not rx, tx, both or dev GLOB",
				pr_escape(safe, sizeof(safe), argv[i]));
			return usage_failed(d);
		}
		if (set(d, val, false, why, sizeof(why))) {
			err_msg("times: %s", why);
			return usage_failed(d);
		}
	}
	return 0;
}

const struct mode mode_times = {
	.name = "times",
	.said = "times (where every packet's time goes, per device)",
	.shown = "times (where every packet's time goes)",
	.help = "times (where every packet's time goes, per device)",
	.no_metrics = "the times report (-m times) is not served as metrics",
	.needs = MODE_STEPS,
	.cmd = {
		.word = "times",
		.args = "[rx|tx] [dev GLOB]",
		.help = "where every packet's time goes: receive and transmit per device, with "
			"latency percentiles",
		.args_fn = times_args,
	},
	.prepare = times_prepare,
	.event = times_event,
	.finish = times_finish,
	.report = times_report,
	.release = times_release,
};
