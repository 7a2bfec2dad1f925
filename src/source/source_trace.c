// SPDX-License-Identifier: GPL-2.0-or-later
/* The skb:kfree_skb tracepoint as a source (trace.c does the perf events and rings). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "source.h"
#include "trace.h"
#include "util.h"

struct trace_source {
	struct source s;
	struct trace_src *tr;
	bool summary;
	uint64_t lost0, malformed0, flushed_ns;
	char err[512];
};

static struct trace_source *ts_of(struct source *s)
{
	return (struct trace_source *)s;
}

static const char *ts_error(const struct source *s)
{
	const struct trace_source *t = (const struct trace_source *)s;

	return t->err[0] ? t->err : trace_error(t->tr);
}

static int ts_start(struct source *s, const struct source_run *r)
{
	struct trace_source *t = ts_of(s);
	struct trace_opts o = {
		.stack = r->stack,
		.summary = !r->packet && !r->tcp && !r->journey && !r->times,
		.tcp = r->tcp,
		.journey = r->journey || r->times,
		.times = r->times,
		.journey_max = r->journey_max,
		.ring_bytes = trace_ring_bytes(r->ring_bytes, r->stack),
	};
	int err;

	t->err[0] = '\0';
	t->summary = o.summary;
	err = trace_start(t->tr, &o);
	if (err) {
		snprintf(t->err, sizeof(t->err), "cannot start monitoring: %s", trace_error(t->tr));
		return err;
	}
	if (trace_stats(t->tr)->ring_bytes < o.ring_bytes)
		util_err("note: ring buffers are %u KiB per CPU, not %u KiB: more than "
			 "kernel.perf_event_mlock_kb and RLIMIT_MEMLOCK allow needs CAP_IPC_LOCK",
			 (unsigned int)(trace_stats(t->tr)->ring_bytes >> 10),
			 (unsigned int)(o.ring_bytes >> 10));
	t->lost0 = trace_stats(t->tr)->lost;
	t->malformed0 = trace_stats(t->tr)->malformed;
	t->flushed_ns = util_now_ns();
	return 0;
}

static int ts_stop(struct source *s)
{
	trace_stop(ts_of(s)->tr);
	return 0;
}

static void ts_release(struct source *s)
{
	trace_release(ts_of(s)->tr);
}

static int ts_fd(const struct source *s)
{
	return trace_fd(((const struct trace_source *)s)->tr);
}

static void ts_coalesce(struct source *s)
{
	(void)s;	/* the rings wake us at a quarter full already */
}

/* The rings; in summary mode the counts go out once a second (and with @flush, now). */
static int ts_read(struct source *s, drop_event_fn fn, void *arg, bool flush)
{
	struct trace_source *t = ts_of(s);
	int ret;

	t->err[0] = '\0';
	s->now_ns = util_now_ns();
	ret = trace_read(t->tr, fn, arg);
	if (ret || !t->summary)
		return ret;
	if (flush || s->now_ns - t->flushed_ns >= 1000000000ull) {
		t->flushed_ns = s->now_ns;
		ret = trace_flush(t->tr, fn, arg);
	}
	return ret;
}

static void ts_stats(struct source *s, struct source_stats *st)
{
	struct trace_source *t = ts_of(s);

	memset(st, 0, sizeof(*st));
	st->lost = trace_stats(t->tr)->lost - t->lost0;
	st->malformed = trace_stats(t->tr)->malformed - t->malformed0;
}

static int ts_describe(struct source *s, struct printer *p)
{
	pr_safe(p, "source", NULL, "trace");
	pr_str(p, "format", "Source: the skb:kfree_skb tracepoint (%s)\n",
	       trace_format_path(ts_of(s)->tr));
	return 0;
}

static void ts_close(struct source *s)
{
	struct trace_source *t = ts_of(s);

	trace_close(t->tr);
	free(t);
}

static const struct source_ops trace_ops = {
	.name = "trace",
	.title = "the tracepoint source",
	.caps = SRC_CAPS_TRACE,
	.lost_what = "drops lost: the kernel found our ring buffers full",
	.lost_hint = " ('set ring' or --ring-size makes them larger)",
	.lost_short = "lost in full ring buffers",
	/* The rings wake us at a quarter full: look at them often anyway. */
	.poll_ms = 100,
	.start = ts_start,
	.stop = ts_stop,
	.release = ts_release,
	.fd = ts_fd,
	.coalesce = ts_coalesce,
	.read = ts_read,
	.stats = ts_stats,
	.describe = ts_describe,
	.error = ts_error,
	.close = ts_close,
};

int source_trace_open(struct source **out, char *why, size_t whylen)
{
	struct trace_source *t = calloc(1, sizeof(*t));
	int err;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->s.ops = &trace_ops;
	err = trace_open(&t->tr);
	if (err) {
		snprintf(why, whylen, "%s", t->tr ? trace_error(t->tr) : strerror(-err));
		trace_close(t->tr);
		free(t);
		return err;
	}
	*out = &t->s;
	return 0;
}

struct trace_src *source_trace(struct source *s)
{
	return s && s->ops == &trace_ops ? ts_of(s)->tr : NULL;
}
