// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netns.h"
#include "nfrules.h"
#include "run.h"
#include "util.h"

double run_elapsed(const struct run *r)
{
	return (double)(util_mono_ns() - r->start_ns) / 1e9;
}

static int run_read(struct run *r, bool flush)
{
	netns_tick(r->netns);
	if (r->drain)
		return r->drain(r->arg, flush);
	return r->src->ops->read(r->src, r->fn, r->arg, flush);
}

static void before_output(struct run *r)
{
	if (r->before_output)
		r->before_output(r->arg);
}

static void after_output(struct run *r)
{
	if (r->after_output)
		r->after_output(r->arg);
}

void run_losses(struct run *r, bool final)
{
	struct source_stats st;

	r->src->ops->stats(r->src, &st);
	if (st.lost == r->lost_seen)
		return;
	before_output(r);
	fflush(stdout);
	fprintf(stderr, "%s: %" PRIu64 " %s%s\n", util_prog, st.lost - r->lost_seen,
		r->src->ops->lost_what, final ? r->src->ops->lost_hint : " (reported once a second)");
	r->lost_seen = st.lost;
}

/* A signal: Ctrl-C ends the run, the others the program after it. */
static bool take_signal(struct run *r)
{
	int sig = util_read_signal(r->sigfd);

	if (!sig)
		return false;
	if (r->on_signal && r->on_signal(r->arg, sig))
		return false;
	r->signal = sig;
	return true;
}

/* Milliseconds until @at_s seconds into the run, if sooner than @timeout. */
static int sooner(const struct run *r, double at_s, int timeout)
{
	double left = at_s - run_elapsed(r);

	if (left * 1000 < timeout)
		timeout = left > 0 ? (int)(left * 1000) + 1 : 0;
	return timeout;
}

int run_loop(struct run *r)
{
	enum { P_SRC, P_SIG, P_OUT, P_IN, P_AUX, P_RULES, P_MAX };
	struct pollfd pfd[P_MAX];
	time_t last_second = time(NULL), now;
	double next_table;
	int tick = r->src->ops->poll_ms, err;
	bool watch_out = r->out_fd >= 0;

	r->start_ns = util_mono_ns();
	r->limit = r->stopped = r->expired = r->ended = r->user = false;
	r->signal = 0;
	r->second_signal = false;
	r->lost_seen = 0;
	next_table = r->interval;	/* seconds into the run, counted from its start */
	pfd[P_SRC] = (struct pollfd){ .fd = r->src->ops->fd(r->src), .events = POLLIN };
	/*
	 * A source without a descriptor that is not always ready (the eBPF source's summary
	 * mode; a capture read has a tick of 0) has something once a second, when it reads
	 * its counts: a wake-up more often would only read clocks.
	 */
	if (pfd[P_SRC].fd < 0 && tick > 0 && tick < 1000)
		tick = 1000;
	pfd[P_SIG] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
	pfd[P_OUT] = (struct pollfd){ .fd = r->out_fd, .events = 0 };
	pfd[P_IN] = (struct pollfd){ .fd = r->on_input ? r->in_fd : -1, .events = POLLIN };
	pfd[P_AUX] = (struct pollfd){ .fd = r->on_aux ? r->aux_fd : -1, .events = POLLIN };
	pfd[P_RULES] = (struct pollfd){ .fd = nfrules_fd(r->rules), .events = POLLIN };
	for (;;) {
		int timeout = tick, n;

		/* Wake up when the duration ends or a table is due, not up to a tick later. */
		if (r->duration)
			timeout = sooner(r, r->duration, timeout);
		if (r->interval)
			timeout = sooner(r, next_table, timeout);
		if (r->wake_ms && timeout > r->wake_ms)
			timeout = r->wake_ms;
		pfd[P_OUT].fd = watch_out ? r->out_fd : -1;
		n = poll(pfd, P_MAX, timeout);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			util_err("poll: %s", strerror(errno));
			return err;
		}
		if (n > 0 && (pfd[P_SIG].revents & POLLIN) && take_signal(r))
			return 0;
		if (n > 0 && (pfd[P_OUT].revents & POLLNVAL)) {
			watch_out = false;	/* no output to watch (closed before we started) */
		} else if (n > 0 && (pfd[P_OUT].revents & (POLLERR | POLLHUP))) {
			/* The reader of our output went away: like the SIGPIPE a write would get. */
			r->signal = SIGPIPE;
			return 0;
		}
		if (n > 0 && (pfd[P_AUX].revents & POLLIN))
			r->on_aux(r->arg);
		if (n > 0 && (pfd[P_RULES].revents & POLLIN))
			nfrules_drain(r->rules);
		if (n > 0 && (pfd[P_IN].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    r->on_input(r->arg) == RUN_USER) {
			r->user = true;
			return 0;
		}
		if (tick < 1000 || pfd[P_SRC].fd < 0 ||
		    (n > 0 && (pfd[P_SRC].revents & (POLLIN | POLLERR)))) {
			if (n > 0 && (pfd[P_SRC].revents & POLLIN))
				r->src->ops->coalesce(r->src);
			err = run_read(r, false);
			fflush(stdout);
			if (err == RUN_LIMIT) {
				r->limit = true;
				return 0;
			}
			if (err == RUN_STOP) {
				r->stopped = true;
				return 0;
			}
			if (err == SOURCE_END) {
				r->ended = true;
				return 0;
			}
			if (err < 0)
				return err;
		}
		now = time(NULL);
		if (now != last_second) {
			last_second = now;
			if (r->report_losses)
				run_losses(r, false);
			if (r->on_second && r->on_second(r->arg) == RUN_STOP) {
				r->stopped = true;
				return 0;
			}
		}
		if (r->interval && run_elapsed(r) >= next_table) {
			while (next_table <= run_elapsed(r))
				next_table += r->interval;
			if (r->on_interval)
				r->on_interval(r->arg);
		}
		after_output(r);
		if (r->duration && run_elapsed(r) >= r->duration) {
			r->expired = true;
			return 0;
		}
	}
}

int run_finish(struct run *r)
{
	int ret = 0, sig = util_read_signal(r->sigfd);

	if (sig) {
		/* A second signal while stopping: leave at once (the monitor is off). */
		r->signal = sig;
		r->second_signal = true;
		r->src->ops->release(r->src);
		return 0;
	}
	/* The kernel wrote everything before the stop returned: read what is queued. */
	if (!r->limit && !r->stopped && !r->ended && r->signal != SIGPIPE) {
		ret = run_read(r, true);
		if (ret == RUN_LIMIT)
			r->limit = true;
	}
	r->src->ops->release(r->src);
	fflush(stdout);
	if (r->report_losses)
		run_losses(r, true);
	return ret;
}
