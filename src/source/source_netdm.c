// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NET_DM source: the lifecycle of a run on the kernel's drop monitor
 * (settings, subscription, start, stop, the kernel's queue counters), shared
 * by dropwatch and dwdump, over the socket layer (netdm_sock.c) and the codec.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdm_sock.h"
#include "nlgroup.h"
#include "print.h"
#include "source.h"
#include "util.h"

struct netdm_source {
	struct source s;
	struct netdm_sock *sk;
	struct source_run run;
	bool started, subscribed, have_st0, have_st1;
	struct netdm_stats st0, st1;
	uint64_t enobufs0, truncated0, malformed;
	bool malformed_noted, summary_full_noted;
	char err[1024];
	/* The read in progress. */
	drop_event_fn fn;
	void *arg;
};

static struct netdm_source *ns_of(struct source *s)
{
	return (struct netdm_source *)s;
}

static const char *ns_error(const struct source *s)
{
	const struct netdm_source *n = (const struct netdm_source *)s;

	return n->err[0] ? n->err : netdm_sock_error(n->sk);
}

/* The error text: @what, then the socket's words. */
static int fail(struct netdm_source *n, int err, const char *what)
{
	snprintf(n->err, sizeof(n->err), "%s: %s", what, netdm_sock_error(n->sk));
	return err;
}

/*
 * The monitor is on, and not ours: who listens to its alerts? Nobody means a
 * client that is gone left it on; with --force, that one is stopped (0: try
 * again). Otherwise @err, with what to do in the error text.
 */
static int busy(struct netdm_source *n, int err, const char *what)
{
	char who[300];
	int members = nlgroup_members(netdm_sock_group(n->sk), who, sizeof(who));

	if (members == 0 && n->run.force) {
		util_err("--force: the drop monitor is on and nobody listens to its alerts (a client "
			 "that is gone left it on): stopping it");
		err = netdm_sock_stop(n->sk, true, true);
		return err ? fail(n, err, "--force: cannot stop the monitor left on") : 0;
	}
	if (members == 0)
		snprintf(n->err, sizeof(n->err), "%s: the drop monitor is on, and nobody listens to "
			 "its alerts: a client that is gone left it on ('%s --force' stops it and "
			 "starts this one)", what, util_prog);
	else if (members > 0)
		snprintf(n->err, sizeof(n->err), "%s: another process is already monitoring drops "
			 "(its alerts go to %s): '%s --passive' listens to them too, or wait for it to "
			 "stop; %s never stops or reconfigures a monitor that someone reads%s", what, who,
			 util_prog, util_prog, n->run.force ? ", even with --force" : "");
	else
		snprintf(n->err, sizeof(n->err), "%s: another process is already monitoring drops "
			 "('%s --passive' listens to its alerts, or wait for it to stop); whether anyone "
			 "still reads them cannot be told (%s)%s", what, util_prog, who,
			 n->run.force ? ", so --force leaves it alone" : "");
	return err;
}

int source_netdm_configure(struct source *s, const struct netdm_config *cfg)
{
	struct netdm_sock *sk = ns_of(s)->sk;
	int err = netdm_sock_save_config(sk);

	/* Kernels before 5.4 have no CONFIG: plain summaries need none. */
	if (err == -EOPNOTSUPP && cfg->mode == NETDM_MODE_SUMMARY &&
	    !(cfg->has & (NETDM_CFG_TRUNC | NETDM_CFG_QUEUE)))
		return 0;
	return err ? err : netdm_sock_apply_config(sk, cfg);
}

int source_netdm_restore(struct source *s)
{
	struct netdm_sock *sk = ns_of(s)->sk;

	if (!netdm_sock_restore_config(sk))
		return 0;
	util_err("could not restore the drop monitor's previous settings: %s",
		 netdm_sock_error(sk));
	return -1;
}

static int ns_start(struct source *s, const struct source_run *r)
{
	struct netdm_source *n = ns_of(s);
	bool forced;
	int err, granted;

	n->err[0] = '\0';
	n->run = *r;
	n->malformed = 0;
	n->malformed_noted = n->summary_full_noted = false;
	n->have_st1 = false;
	if (!r->passive) {
		err = source_netdm_configure(s, &r->cfg);
		if (err == -EBUSY || err == -EAGAIN) {
			if (busy(n, err, "cannot configure the drop monitor"))
				return err;
			/* The monitor left on was stopped: once more, and never stop another. */
			n->run.force = false;
			err = source_netdm_configure(s, &r->cfg);
			if (err == -EBUSY || err == -EAGAIN)
				return busy(n, err, "cannot configure the drop monitor");
		}
		if (err)
			return fail(n, err, "cannot configure the drop monitor");
	}
	err = netdm_sock_subscribe(n->sk, r->rcvbuf);
	if (err)
		return fail(n, err, "cannot listen to the drop monitor");
	n->subscribed = true;
	granted = netdm_sock_rcvbuf(n->sk, &forced);
	if (!forced && granted > 0 && granted < r->rcvbuf)
		util_err("note: receive buffer is %d bytes: raising it past net.core.rmem_max "
			 "needs CAP_NET_ADMIN; bursts can overrun it", granted);
	n->enobufs0 = netdm_sock_stats(n->sk)->enobufs;
	n->truncated0 = netdm_sock_stats(n->sk)->truncated;
	n->have_st0 = netdm_sock_get_stats(n->sk, &n->st0) == 0;
	if (r->passive)
		return 0;
	err = netdm_sock_start(n->sk, n->run.sw, n->run.hw);
	if (err == -EOPNOTSUPP && n->run.hw && n->run.sw) {
		util_err("note: this kernel cannot report hardware drops; monitoring software drops");
		n->run.hw = false;
		err = netdm_sock_start(n->sk, n->run.sw, n->run.hw);
	}
	if (err) {
		if (err == -EBUSY || err == -EAGAIN) {
			/* Our own socket is in the group now: leave it before looking. */
			netdm_sock_unsubscribe(n->sk);
			n->subscribed = false;
			if (!busy(n, err, "cannot start monitoring")) {
				/* The monitor left on was stopped: from the top, once. */
				struct source_run again = *r;

				again.force = false;
				return ns_start(s, &again);
			}
			return err;
		}
		fail(n, err, "cannot start monitoring");
		netdm_sock_unsubscribe(n->sk);
		n->subscribed = false;
		return err;
	}
	n->started = true;
	return 0;
}

static int ns_stop(struct source *s)
{
	struct netdm_source *n = ns_of(s);
	int err = 0;

	if (n->started) {
		n->started = false;
		err = netdm_sock_stop(n->sk, n->run.sw, n->run.hw);
		if (err)
			fail(n, err, "cannot stop monitoring");
	}
	n->have_st1 = n->have_st0 && netdm_sock_get_stats(n->sk, &n->st1) == 0;
	return err;
}

static void ns_release(struct source *s)
{
	struct netdm_source *n = ns_of(s);

	if (n->subscribed)
		netdm_sock_unsubscribe(n->sk);
	n->subscribed = false;
}

static int ns_fd(const struct source *s)
{
	return netdm_sock_event_fd(((const struct netdm_source *)s)->sk);
}

static void ns_coalesce(struct source *s)
{
	netdm_sock_coalesce(ns_of(s)->sk);
}

static int on_message(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct netdm_source *n = arg;
	struct netdm_info info;
	int ret = netdm_decode(nlh, len, netdm_sock_family(n->sk), n->fn, n->arg, &info);

	if (ret == -EBADMSG) {
		n->malformed++;
		if (!n->malformed_noted) {
			n->malformed_noted = true;
			util_err("skipped a malformed NET_DM message (further ones are counted)");
		}
		return 0;
	}
	if (ret < 0)
		return 0;
	if (info.kind == NETDM_MSG_SUMMARY && info.summary_full && !n->summary_full_noted) {
		n->summary_full_noted = true;
		util_err("note: a summary alert came with the kernel's maximum of %d locations: "
			 "drops at further locations in that second were not reported",
			 NETDM_SUMMARY_POINTS_MAX);
	}
	return ret;
}

static int ns_read(struct source *s, drop_event_fn fn, void *arg, bool flush)
{
	struct netdm_source *n = ns_of(s);

	(void)flush;
	n->err[0] = '\0';
	n->fn = fn;
	n->arg = arg;
	s->now_ns = util_now_ns();
	return netdm_sock_recv(n->sk, on_message, n);
}

/* The kernel queue's tail drops by origin between the run's start and @now. */
static void tail_since_start(const struct netdm_source *n, const struct netdm_stats *now,
			     uint64_t *sw, uint64_t *hw)
{
	*sw = n->have_st0 && now->sw_dropped >= n->st0.sw_dropped ?
	      now->sw_dropped - n->st0.sw_dropped : 0;
	*hw = n->have_st0 && now->hw_dropped >= n->st0.hw_dropped ?
	      now->hw_dropped - n->st0.hw_dropped : 0;
}

static void ns_stats(struct source *s, struct source_stats *st)
{
	struct netdm_source *n = ns_of(s);
	const struct netdm_sock_stats *ss = netdm_sock_stats(n->sk);

	memset(st, 0, sizeof(*st));
	st->lost = ss->enobufs - n->enobufs0;
	st->truncated = ss->truncated - n->truncated0;
	st->malformed = n->malformed;
	st->has_tail = n->have_st1;
	if (n->have_st1) {
		uint64_t sw, hw;

		tail_since_start(n, &n->st1, &sw, &hw);
		st->tail_dropped = sw + hw;
	}
}

static int ns_describe(struct source *s, struct printer *p)
{
	struct netdm_source *n = ns_of(s);
	struct netdm_config cfg;
	int err = netdm_sock_get_config(n->sk, &cfg);

	if (err)
		return fail(n, err, "cannot read the drop monitor's settings");
	pr_safe(p, "source", NULL, "netdm");
	pr_safe(p, "alertmode", NULL, cfg.mode == NETDM_MODE_PACKET ? "packet" :
		cfg.mode == NETDM_MODE_SUMMARY ? "summary" : "unknown");
	pr_text(p, cfg.mode == NETDM_MODE_PACKET ? "Alert mode: Packet\n" :
		cfg.mode == NETDM_MODE_SUMMARY ? "Alert mode: Summary\n" : "Alert mode: Unknown\n");
	pr_u64(p, "trunc", "Truncation length: %s\n", cfg.trunc);
	pr_u64(p, "queue", "Queue length: %s\n", cfg.queue);
	return 0;
}

static void ns_close(struct source *s)
{
	struct netdm_source *n = ns_of(s);

	netdm_sock_close(n->sk);
	free(n);
}

static const struct source_ops netdm_ops = {
	.name = "netdm",
	.title = "NET_DM",
	.caps = SRC_CAPS_NETDM,
	.lost_what = "receive overruns: alerts lost at our socket",
	.lost_hint = "",
	.lost_short = "receive overruns",
	.poll_ms = 1000,
	.start = ns_start,
	.stop = ns_stop,
	.release = ns_release,
	.fd = ns_fd,
	.coalesce = ns_coalesce,
	.read = ns_read,
	.stats = ns_stats,
	.describe = ns_describe,
	.error = ns_error,
	.close = ns_close,
};

int source_netdm_open(struct source **out, char *why, size_t whylen)
{
	struct netdm_source *n = calloc(1, sizeof(*n));
	int err;

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->s.ops = &netdm_ops;
	err = netdm_sock_open(&n->sk);
	if (err) {
		snprintf(why, whylen, "%s", n->sk ? netdm_sock_error(n->sk) : strerror(-err));
		netdm_sock_close(n->sk);
		free(n);
		return err;
	}
	*out = &n->s;
	return 0;
}

int source_netdm_tail(struct source *s, uint64_t *sw, uint64_t *hw)
{
	struct netdm_source *n = ns_of(s);
	struct netdm_stats now;
	int err = netdm_sock_get_stats(n->sk, &now);

	if (err)
		return err;
	tail_since_start(n, &now, sw, hw);
	return 0;
}

int source_netdm_running(struct source *s)
{
	struct netdm_source *n = ns_of(s);
	struct netdm_config cfg = {
		.has = NETDM_CFG_MODE,
		.mode = n->run.packet ? NETDM_MODE_PACKET : NETDM_MODE_SUMMARY,
	};
	int err;

	if (!n->started)
		return 0;
	/* The kernel refuses settings while it monitors: the mode we run with, refused, is yes. */
	err = netdm_sock_config(n->sk, &cfg);
	return err == -EBUSY ? 1 : err ? err : 0;
}

struct netdm_sock *source_netdm_sock(struct source *s)
{
	return s && s->ops == &netdm_ops ? ns_of(s)->sk : NULL;
}
