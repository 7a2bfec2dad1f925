// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoint source's collector of skbs' journeys: the net and skb tracepoints of
 * each step, kprobes on the frees no tracepoint reports, and the NET_RX softirq's
 * (times); each step joined to its skb's track, or handed out as it comes (times).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>

#include "sbuf.h"
#include "trace_int.h"

static const char *const sirq_tracepoint[SIRQ_EVENTS] = {
	"softirq_raise", "softirq_entry", "softirq_exit"
};

int trace_journey_open(struct trace_src *t, char *missing, size_t len)
{
	char path[160], why[300];
	struct sbuf b;
	int k, have = 0, err;

	sb_init(&b, missing, len);
	for (k = 0; k < JSTEP_KINDS && !t->jev_loaded; k++) {
		char rel[80], what[48], *text = NULL;
		size_t tlen = 0;

		if (!jevent_tracepoint[k])
			continue;
		snprintf(rel, sizeof(rel), "/events/%s/format", jevent_tracepoint[k]);
		snprintf(what, sizeof(what), "%s", jevent_tracepoint[k]);
		*strchr(what, '/') = ':';
		err = trace_read_format(t, rel, what, path, sizeof(path), &text, &tlen);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		if (jevent_format_parse(&t->jev[k], k, text, tlen, why, sizeof(why))) {
			trace_set_err(t, "%s: %s", path, why);
			free(text);
			return -EINVAL;
		}
		free(text);
		t->jev_have[k] = true;
	}
	t->jev_loaded = true;
	for (k = 0; k < SIRQ_EVENTS && !t->sirq_loaded; k++) {
		static const char *const vec[] = { "vec" };
		char rel[80], what[48], *text = NULL;
		size_t tlen = 0;

		snprintf(rel, sizeof(rel), "/events/irq/%s/format", sirq_tracepoint[k]);
		snprintf(what, sizeof(what), "irq:%s", sirq_tracepoint[k]);
		if (trace_read_format(t, rel, what, path, sizeof(path), &text, &tlen))
			break;	/* times go on without the softirq's */
		err = tp_fields_parse(text, tlen, vec, 1, &t->sirq_vec[k], &t->sirq_id[k], why,
				      sizeof(why));
		free(text);
		if (err || !t->sirq_vec[k].present || t->sirq_vec[k].size != 4)
			break;
		t->sirq_have = k == SIRQ_EVENTS - 1;
	}
	t->sirq_loaded = true;
	t->err[0] = '\0';
	for (k = 0; k < JSTEP_KINDS; k++) {
		if (!jevent_tracepoint[k])
			continue;
		if (t->jev_have[k]) {
			have++;
			continue;
		}
		if (b.n)
			sb_puts(&b, ", ");
		for (const char *c = jevent_tracepoint[k]; *c; c++)
			sb_putc(&b, *c == '/' ? ':' : *c);
	}
	if (!have) {
		trace_set_err(t, "this kernel has none of the journey's tracepoints (%s)", missing);
		return -ENOENT;
	}
	/* Every free of an skb ends its track: those no tracepoint reports, by kprobes. */
	if (!t->kp_open) {
		err = kprobe_set_open(&t->kp, why, sizeof(why));
		if (err) {
			trace_set_err(t, "the tracepoint source cannot follow an skb: the kernel frees many "
				"without a tracepoint, and %s (the eBPF source sees those frees where the "
				"kernel lets it attach to functions: --source bpf)", why);
			return err == -ENOENT ? -EOPNOTSUPP : err;
		}
		t->kp_open = true;
	}
	return 0;
}

bool trace_journey_softirq(const struct trace_src *t)
{
	return t->sirq_have;
}

const struct journey_stats *trace_journey_stats(const struct trace_src *t)
{
	return t->jt ? journey_stats(t->jt) : NULL;
}

/*
 * Times: a step or the end of @skb handed out as it comes (@st NULL: events were lost,
 * every skb followed is to be forgotten).
 */
int trace_emit_step(struct trace_src *t, uint64_t skb, const struct jstep *st, uint64_t time,
		     drop_event_fn fn, void *arg)
{
	struct drop_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = DROP_KIND_STEP;
	ev.origin = DROP_ORIGIN_SW;
	ev.has = DROP_HAS_TIMESTAMP | DROP_NO_PAYLOAD;
	ev.timestamp_ns = time + t->clock_off;
	ev.skb = skb;
	ev.step = st;
	ev.late = t->late;
	return fn(&ev, arg);
}

/*
 * A step or an end of @skb: joined to its track (journeys), or handed out (times). An
 * event that came late joins nothing: its skb's track is forgotten.
 */
static int skb_event(struct trace_src *t, uint64_t skb, const struct jstep *st, drop_event_fn fn,
		     void *arg)
{
	struct journey done;

	if (t->opts.times)
		return trace_emit_step(t, skb, st, st->time, fn, arg);
	if (t->late)
		journey_forget(t->jt, skb);
	else if (!jstep_ends(st->kind))
		journey_step(t->jt, skb, st);
	else
		journey_end(t->jt, skb, st, &done);	/* its address may be reused from here */
	return 0;
}

/* The NET_RX softirq on a CPU: 0, or NOT_MINE when @type is none of the softirq's tracepoints. */
static int handle_sirq(struct trace_src *t, const struct tp_sample *s, uint16_t type)
{
	struct sirq_state *c;
	int k;

	for (k = 0; k < SIRQ_EVENTS; k++)
		if (t->sirq_id[k] == type)
			break;
	if (k == SIRQ_EVENTS || !t->sirq_have)
		return NOT_MINE;
	if ((size_t)t->sirq_vec[k].offset + 4 > s->raw_size) {
		t->stats.malformed++;
		return 0;
	}
	if (tp_field_int(s->raw, &t->sirq_vec[k]) != NET_RX_SOFTIRQ_VEC || s->cpu >= t->nsirq)
		return 0;
	c = &t->sirq[s->cpu];
	if (k == SIRQ_RAISE) {
		if (!c->raised)
			c->raised = s->time;
	} else if (k == SIRQ_ENTRY) {
		c->in = true;
		c->entry = s->time;
		c->raised_at_entry = c->raised;
		c->raised = 0;
	} else {
		c->in = false;
	}
	return 0;
}

/*
 * A step of a journey: 0, NOT_MINE when @type is none of the journey's tracepoints, or what
 * @fn returned.
 */
static int handle_step(struct trace_src *t, const struct tp_sample *s, uint16_t type,
		       drop_event_fn fn, void *arg)
{
	struct jstep st;
	uint64_t skb;
	int k;

	for (k = 0; k < JSTEP_KINDS; k++)
		if (t->jev_have[k] && t->jev[k].id == type)
			break;
	if (k == JSTEP_KINDS && t->opts.times)
		return handle_sirq(t, s, type);
	if (k == JSTEP_KINDS)
		return NOT_MINE;
	if (jevent_decode(&t->jev[k], s->raw, s->raw_size, &skb, &st)) {
		t->stats.malformed++;
		return 0;
	}
	t->stats.journey_events++;
	st.time = s->time;
	st.cpu = (uint16_t)s->cpu;
	st.irq_ns = st.softirq_ns = 0;
	if ((k == JSTEP_RX || k == JSTEP_GRO) && s->cpu < t->nsirq && t->sirq[s->cpu].in &&
	    s->time >= t->sirq[s->cpu].entry) {
		const struct sirq_state *c = &t->sirq[s->cpu];

		st.softirq_ns = (uint32_t)(s->time - c->entry < UINT32_MAX ? s->time - c->entry :
					   UINT32_MAX);
		if (c->raised_at_entry && c->entry >= c->raised_at_entry)
			st.irq_ns = (uint32_t)(c->entry - c->raised_at_entry < UINT32_MAX ?
					       c->entry - c->raised_at_entry : UINT32_MAX);
	}
	return skb_event(t, skb, &st, fn, arg);
}

/*
 * A free no tracepoint reports (a kprobe's record): 0, NOT_MINE when @type is none of the
 * kprobes, or what @fn returned.
 */
static int handle_free(struct trace_src *t, const struct tp_sample *s, uint16_t type,
		       drop_event_fn fn, void *arg)
{
	struct jstep st = { .time = s->time, .cpu = (uint16_t)s->cpu, .kind = JSTEP_FREE };
	const struct kprobe_ev *e = kprobe_set_find(&t->kp, type);
	uint64_t skb;

	if (!e)
		return NOT_MINE;
	if (kprobe_decode(e, s->raw, s->raw_size, &skb)) {
		t->stats.malformed++;
		return 0;
	}
	t->stats.journey_events++;
	return skb_event(t, skb, &st, fn, arg);
}

static bool journey_wanted(const struct trace_src *t)
{
	return t->opts.journey;
}

/* The journey's steps, the NET_RX softirq's (times), and the kprobes on the frees. */
static int journey_open(struct trace_src *t, struct ring *r, struct perf_event_attr *a,
			unsigned int cpu)
{
	int k, err;

	for (k = 0; k < JSTEP_KINDS; k++) {
		a->config = (uint64_t)t->jev[k].id;
		if (t->jev_have[k] && (err = trace_ring_add(r, a, cpu, EV_JOURNEY(k))))
			return err;
	}
	/* The NET_RX softirq's, filtered in the kernel: the other softirqs are many. */
	for (k = 0; t->opts.times && t->sirq_have && k < SIRQ_EVENTS; k++) {
		a->config = (uint64_t)t->sirq_id[k];
		if ((err = trace_ring_add(r, a, cpu, EV_SIRQ(k))))
			return err;
		/* Without the filter, the others are left out here. */
		(void)ioctl(r->ev_fd[EV_SIRQ(k)], PERF_EVENT_IOC_SET_FILTER, "vec == 3");
	}
	/* The kprobes on the frees no tracepoint reports: tracepoints too, to perf. */
	for (k = 0; k < t->kp.n; k++) {
		a->config = (uint64_t)t->kp.ev[k].id;
		if ((err = trace_ring_add(r, a, cpu, EV_FREE(k))))
			return err;
	}
	return 0;
}

/* A step of a journey (or the softirq's), or a free: 0, NOT_MINE, or what @fn returned. */
static int journey_handle(struct trace_src *t, const struct tp_sample *s, uint16_t type,
			  drop_event_fn fn, void *arg)
{
	int ret = handle_step(t, s, type, fn, arg);

	return ret != NOT_MINE ? ret : handle_free(t, s, type, fn, arg);
}

const struct trace_collector trace_journey_collector = {
	.name = "journey",
	.wanted = journey_wanted,
	.open = journey_open,
	.handle = journey_handle,
};
