// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch as a Prometheus exporter (--metrics, --metrics-file): one run
 * after another until a signal ends it. A start that fails (the monitor busy,
 * the module missing) is tried again with backoff while the metrics go on
 * being served; a monitor that stops answering (its module unloaded) is
 * opened again. The counters outlive the runs. Messages are single lines on
 * stderr, as journald keeps them.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "dw.h"
#include "exitcodes.h"
#include "httpd.h"
#include "metrics.h"
#include "reasons.h"
#include "run.h"
#include "trace.h"
#include "util.h"

#define BACKOFF_MAX_S	60
#define FILE_EVERY_S	10

struct exporter {
	struct dw *d;
	struct metrics *m;
	struct httpd *http;
	struct metrics_own base;	/* of the runs that ended */
	struct metrics_own cur;		/* of the run going on */
	uint64_t next_file_ns;
	char kernel[65];
	bool file_failed;		/* said once until it works again */
};

static void own_add(struct metrics_own *a, const struct metrics_own *b)
{
	a->queue_sw += b->queue_sw;
	a->queue_hw += b->queue_hw;
	a->overruns += b->overruns;
	a->ring_lost += b->ring_lost;
	a->malformed += b->malformed;
	a->filtered += b->filtered;
}

/* Where the reason names come from, in a word. */
static const char *reasons_word(struct dw *d)
{
	struct trace_src *tr = d->src ? source_trace(d->src) : NULL;
	const struct reason_cat *cat = tr ? trace_reasons(tr) : source_bpf_reasons(d->src);
	const char *src;

	if (d->src && source_netdm_sock(d->src))
		return "kernel";	/* NET_DM sends each reason's name */
	if (!cat)
		return "none";
	src = reasons_source(cat);
	return !strncmp(src, "BTF", 3) ? "btf" : src[0] == '/' ? "tracefs" : "built-in";
}

/*
 * The run's own counters, read now. 0, or -errno when NET_DM no longer
 * answers (its module went away underneath).
 */
static int refresh(struct exporter *e)
{
	struct dw *d = e->d;
	struct metrics_own own = e->base;
	struct metrics_info info = {
		.source = d->src ? d->src->ops->name : "",
		.kernel = e->kernel,
		.reasons = reasons_word(d),
		.mode = d->set.mode != &mode_drops ? d->set.mode->name : d->set.want.mode == NETDM_MODE_PACKET ? "packet" :
			"summary",
	};
	int err = 0;

	if (d->run.running || d->run.run_start_ns) {
		struct source_stats st;
		uint64_t sw, hw;

		d->src->ops->stats(d->src, &st);
		if (source_netdm_sock(d->src)) {
			e->cur.overruns = st.lost;
			/* Kept from the last answer when there is none: a counter never goes back. */
			err = source_netdm_tail(d->src, &sw, &hw);
			if (!err) {
				e->cur.queue_sw = sw > e->cur.queue_sw ? sw : e->cur.queue_sw;
				e->cur.queue_hw = hw > e->cur.queue_hw ? hw : e->cur.queue_hw;
			}
			if (d->set.passive)
				err = 0;	/* not ours to reopen; the counters may need CAP_NET_ADMIN */
		} else {
			e->cur.ring_lost = st.lost;
		}
		e->cur.malformed = st.malformed + st.truncated;
		e->cur.filtered = d->run.hidden + d->run.ignored;
		own_add(&own, &e->cur);
	}
	metrics_set_own(e->m, &own);
	metrics_rank(e->m);
	metrics_set_active(e->m, d->run.running);
	metrics_set_info(e->m, &info);
	return err;
}

static char *render(void *arg, bool openmetrics, size_t *len)
{
	struct exporter *e = arg;

	(void)refresh(e);
	return metrics_render_buf(e->m, openmetrics, len);
}

/* The metrics file, from what the last refresh() set. */
static void write_file(struct exporter *e)
{
	char why[600];

	if (!CLI(e->d)->opt.metrics_file)
		return;
	if (metrics_write_file(e->m, CLI(e->d)->opt.metrics_file, why, sizeof(why))) {
		if (!e->file_failed)
			err_msg("--metrics-file: %s (tried again every %u s; said once)", why,
				e->d->set.interval ? e->d->set.interval : FILE_EVERY_S);
		e->file_failed = true;
	} else if (e->file_failed) {
		err_msg("--metrics-file: %s written again", CLI(e->d)->opt.metrics_file);
		e->file_failed = false;
	}
}

/* Once a second, in a run and between them: the file when due, idle connections. */
static int tick(struct exporter *e)
{
	uint64_t now = util_now_ns();
	uint64_t every = (uint64_t)(e->d->set.interval ? e->d->set.interval : FILE_EVERY_S) *
			 1000000000ull;
	int err = refresh(e);

	if (e->http)
		httpd_run(e->http);
	if (now >= e->next_file_ns) {
		write_file(e);
		e->next_file_ns = now + every;
	}
	return err;
}

static int on_second(void *arg)
{
	struct dw *d = arg;
	int err = tick(CLI(d)->exp);

	if (!err && source_netdm_sock(d->src) && !d->set.passive) {
		err = source_netdm_running(d->src);
		if (err == 0) {
			err_msg("the drop monitor was stopped by another program: starting it again");
			return RUN_STOP;
		}
		err = err < 0 ? err : 0;
	}
	if (err) {
		err_msg("the drop monitor stopped answering (%s): opening it again", strerror(-err));
		return RUN_STOP;
	}
	return 0;
}

static void on_aux(void *arg)
{
	struct dw *d = arg;

	httpd_run(CLI(d)->exp->http);
}

/* SIGHUP: what can be read again is; the options cannot (said). */
static void hangup(struct dw *d)
{
	const char *l = CLI(d)->opt.lmethod;

	if (!l || !strcmp(l, "kas")) {
		/* /proc/kallsyms, read again now: not at the next drop, in a burst. */
		symres_set_index(d->sym, NULL);
		symres_load_lazily(d->sym);
		symres_load_pending(d->sym);
		err_msg("SIGHUP: kernel symbols read again; options and filters are kept as "
			"they were given (restart dropwatch to change them)");
	} else {
		err_msg("SIGHUP: nothing to read again (symbols come from %s); options and filters "
			"are kept as they were given (restart dropwatch to change them)",
			strcmp(l, "none") ? "a snapshot" : "nowhere: -l none");
	}
}

static bool on_signal(void *arg, int sig)
{
	if (sig != SIGHUP)
		return false;
	hangup(arg);
	return true;
}

static void exporter_run_hooks(struct dw *d, struct run *r)
{
	if (!CLI(d)->exp)
		return;
	r->on_second = on_second;
	r->on_signal = on_signal;
	if (CLI(d)->exp->http) {
		r->aux_fd = httpd_fd(CLI(d)->exp->http);
		r->on_aux = on_aux;
	}
}

static void exporter_started(struct dw *d)
{
	if (CLI(d)->exp)
		metrics_add_start(CLI(d)->exp->m, true);
}

static void exporter_count(struct dw *d, const struct drop_record *r, uint64_t count)
{
	if (metrics_count(CLI(d)->exp->m, r, count))
		err_msg("out of memory: a drop is counted as folded");
}

/*
 * Waits @secs seconds serving the metrics. Returns a signal that ends us
 * (SIGHUP is taken here), or 0 when the time is up.
 */
static int wait_serving(struct exporter *e, unsigned int secs)
{
	uint64_t until = util_now_ns() + (uint64_t)secs * 1000000000ull;
	struct pollfd pfd[2] = {
		{ .fd = e->d->sigfd, .events = POLLIN },
		{ .fd = e->http ? httpd_fd(e->http) : -1, .events = POLLIN },
	};

	for (;;) {
		uint64_t now = util_now_ns();
		int sig;

		if (now >= until)
			return 0;
		if (poll(pfd, 2, (int)((until - now) / 1000000 > 1000 ? 1000 :
				      (until - now) / 1000000 + 1)) < 0 && errno != EINTR)
			return 0;
		while ((sig = util_read_signal(e->d->sigfd))) {
			if (sig != SIGHUP)
				return sig;
			hangup(e->d);
		}
		(void)tick(e);
	}
}

/* A failure to open or start that waiting cannot mend: our privileges, our options. */
static bool hopeless(int err)
{
	return err == OPEN_USAGE || err == -EPERM || err == -EACCES || err == -EINVAL;
}

static int serve(struct exporter *e)
{
	struct dw *d = e->d;
	unsigned int backoff = 1, failures = 0;
	bool checked = false, ran;
	int err, sig;

	while (!d->quit) {
		err = d->src ? 0 : open_source(d);
		if (!err && !checked) {
			err = source_options(d);
			checked = !err;
		}
		if (!err) {
			(void)monitor(d);
			err = d->run.started ? 0 : d->run.start_err ? d->run.start_err : OPEN_USAGE;
		}
		ran = d->run.started;
		if (ran) {
			/* It ran: what it counted stays, and the next failure waits 1 s again. */
			(void)refresh(e);
			own_add(&e->base, &e->cur);
			memset(&e->cur, 0, sizeof(e->cur));
			d->run.started = false;
			d->run.run_start_ns = 0;
			backoff = 1;
			failures = 0;
			d->status = DW_EXIT_OK;
			if (d->quit || !d->run.restart)
				break;
		} else {
			metrics_add_start(e->m, false);
			if (hopeless(err)) {
				err_msg("not trying again: this needs other options or privileges");
				return err == OPEN_USAGE || err == -EINVAL ? DW_EXIT_USAGE :
				       util_exit_status(err);
			}
			failures++;
			err_msg("monitoring could not start (attempt %u): trying again in %u s",
				failures, backoff);
		}
		/* The monitor is opened afresh: its module may have gone and come back. */
		restore_kernel_config(d);
		source_close(d->src);
		d->src = NULL;
		sig = wait_serving(e, ran ? 0 : backoff);
		if (sig) {
			if (sig != SIGINT)
				d->fatal_signal = sig;
			break;
		}
		if (!ran)
			backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
	}
	return DW_EXIT_OK;
}

/* What the exporter watches of each run. */
static const struct dw_watch exporter_watch = {
	.hooks = exporter_run_hooks,
	.started = exporter_started,
	.count = exporter_count,
};

int exporter(struct dw *d)
{
	struct exporter e = { .d = d };
	struct utsname u;
	char why[600];
	int status;

	if (uname(&u) == 0)
		snprintf(e.kernel, sizeof(e.kernel), "%s", u.release);
	if (d->set.quiet)
		d->loss.off = true;	/* no tables: the counters would be read for nothing */
	e.m = metrics_new(CLI(d)->opt.metrics_labels, CLI(d)->opt.metrics_top);
	if (!e.m)
		return DW_EXIT_FAIL;
	if (CLI(d)->opt.metrics) {
		e.http = httpd_open(CLI(d)->opt.metrics, render, &e, why, sizeof(why));
		if (!e.http) {
			err_msg("--metrics: %s", why);
			metrics_free(e.m);
			return DW_EXIT_USAGE;
		}
		err_msg("serving metrics at http://%s/metrics", httpd_where(e.http));
	}
	if (CLI(d)->opt.metrics_file) {
		/* A path that cannot be written is said now, not at the first interval. */
		(void)refresh(&e);
		if (metrics_write_file(e.m, CLI(d)->opt.metrics_file, why, sizeof(why))) {
			err_msg("--metrics-file: %s", why);
			httpd_close(e.http);
			metrics_free(e.m);
			return DW_EXIT_USAGE;
		}
	}
	CLI(d)->exp = &e;
	d->watch = &exporter_watch;
	status = serve(&e);
	(void)refresh(&e);
	write_file(&e);
	CLI(d)->exp = NULL;
	d->watch = NULL;
	httpd_close(e.http);
	metrics_free(e.m);
	return status;
}
