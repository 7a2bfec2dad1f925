// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's counters beside a run's drops: a snapshot before the
 * monitor starts, another after it stops (so that their interval holds the
 * run's), one for each table printed while it runs; the drops counted by reason as they come,
 * before the filters (the counters know nothing of ours). The section is
 * printed after each table, and by the `counters` command.
 *
 * Counters are per network namespace: a drop established in another
 * namespace (netns.h) is compared with that namespace's counters, read
 * there (setns(), then /proc/thread-self/net and route netlink). Every
 * namespace is read before the run; during and after it, those that
 * dropped. Drops of no namespace known (summaries, a source that cannot
 * tell) are compared with ours, as on a machine of one namespace; those of
 * an ambiguous one with none, and counted.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mode.h"
#include "losses.h"
#include "rtstats.h"
#include "tcpev.h"
#include "util.h"

#define PROCNET "/proc/net"
#define PROCNET_HERE "/proc/thread-self/net"	/* that of the namespace we are in */

/* The counters now into @s: the /proc/net files, then the links' and qdiscs'. */
static void snapshot(struct dw *d, struct counter_set *s)
{
	struct dw_loss *l = &d->loss;
	int err = 0;

	counters_clear(s);
	if (counters_read(s, PROCNET))
		err_msg("counters: out of memory reading %s", PROCNET);
	if (!l->rt && !l->rt_failed) {
		l->rt = rtstats_open(&err);
		if (!l->rt) {
			err_msg("counters: no route netlink socket (%s): links and qdiscs left out",
				strerror(-err));
			l->rt_failed = true;
		}
	}
	if (l->rt && (err = rtstats_read(l->rt, s)) && !l->rt_failed) {
		err_msg("counters: the links' and qdiscs' statistics could not be read (%s)",
			strerror(-err));
		l->rt_failed = true;	/* said once; tried again each time */
	}
}

/*
 * The counters of namespace @n->ino into @s, read inside it; the route netlink
 * socket is closed before we leave (it would keep the namespace alive). 0, or
 * -errno: the namespace is gone, or out of reach.
 */
static int snapshot_ns(struct dw *d, struct ns_loss *n, struct counter_set *s)
{
	struct rtstats *rt;
	int err = netns_enter(d->rec.netns, n->ino);

	if (err)
		return err;
	counters_clear(s);
	err = counters_read_ns(s, PROCNET_HERE, false);
	rt = err ? NULL : rtstats_open(&err);
	if (rt) {
		err = rtstats_read(rt, s);
		rtstats_close(rt);
	}
	netns_leave(d->rec.netns, n->ino);
	return err;
}

static void tally_free(struct reason_count *rc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)rc[i].reason);
	free(rc);
}

static void ns_free(struct ns_loss *n)
{
	tally_free(n->rc, n->nrc);
	free(n->name);
	free(n->container);
	counters_free(&n->start);
	counters_free(&n->end);
	counters_free(&n->now);
}

static struct ns_loss *ns_find(struct dw_loss *l, uint64_t ino)
{
	for (size_t i = 0; i < l->nns; i++)
		if (l->ns[i].ino == ino)
			return &l->ns[i];
	return NULL;
}

/* A namespace's entry, made when new (names as the record escaped them). NULL: no memory. */
static struct ns_loss *ns_add(struct dw_loss *l, uint64_t ino, const char *name,
			      const char *container)
{
	struct ns_loss *n;

	if (util_grow(&l->ns, &l->capns, l->nns + 1, sizeof(*l->ns), 8))
		return NULL;
	n = &l->ns[l->nns++];
	memset(n, 0, sizeof(*n));
	n->ino = ino;
	n->name = name ? strdup(name) : NULL;
	n->container = container ? strdup(container) : NULL;
	return n;
}

/* Every other namespace's counters before the run: the drops of any may come. */
static void start_namespaces(struct dw *d)
{
	struct dw_loss *l = &d->loss;
	struct netns_db *db = d->rec.netns;
	char name[4 * 255 + 1], owner[4 * OWNER_TEXT_MAX + 1];

	for (size_t i = 0; i < netns_count(db); i++) {
		const struct netns_info *info = netns_at(db, i);
		struct ns_loss *n;

		if (!info->ino || info->ino == netns_self(db))
			continue;
		n = ns_add(l, info->ino, info->name ? pr_escape(name, sizeof(name), info->name) : NULL,
			   info->container ? pr_escape(owner, sizeof(owner), info->container) : NULL);
		if (!n)
			break;
		n->have_start = !snapshot_ns(d, n, &n->start);
	}
}

void losses_start(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	tally_free(l->rc, l->nrc);
	l->rc = NULL;
	l->nrc = l->cap = l->last = 0;
	for (size_t i = 0; i < l->nns; i++)
		ns_free(&l->ns[i]);
	l->nns = 0;
	l->no_reason = l->ambiguous = 0;
	l->have_start = l->have_end = false;
	if (l->off || d->run.replay_ts)
		return;
	snapshot(d, &l->start);
	l->have_start = true;
	start_namespaces(d);
}

/* The namespaces that dropped, read after the run. */
static void end_namespaces(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	for (size_t i = 0; i < l->nns; i++) {
		struct ns_loss *n = &l->ns[i];

		if (!n->nrc || !n->have_start || n->gone)
			continue;
		if (snapshot_ns(d, n, &n->end))
			n->gone = true;
		else
			n->have_end = true;
	}
}

void losses_end(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	if (!l->have_start)
		return;
	snapshot(d, &l->end);
	l->have_end = true;
	end_namespaces(d);
}

/* @count drops of @reason into the tally @rc (names copied). */
static void tally(struct reason_count **rc, size_t *nrc, size_t *cap, size_t *last,
		  const char *reason, uint64_t count)
{
	size_t i;

	if (*nrc && !strcmp((*rc)[*last].reason, reason)) {
		(*rc)[*last].count += count;
		return;
	}
	for (i = 0; i < *nrc; i++)
		if (!strcmp((*rc)[i].reason, reason))
			break;
	if (i == *nrc) {
		char *name;

		if (util_grow(rc, cap, *nrc + 1, sizeof(**rc), 32))
			return;
		if (!(name = strdup(reason)))
			return;
		(*rc)[(*nrc)++] = (struct reason_count){ .reason = name };
	}
	(*rc)[i].count += count;
	*last = i;
}

/*
 * TCP's events by what the counters count of them (counters.c joins them): retransmits
 * sent, failed in the transmission (TCPRetransFail), refused before it or not tried for a
 * copy still queued (no counter); resets sent. NULL: not compared (resets received).
 */
static const char *tcp_tally_key(const struct drop_record *r)
{
	static const char *const outcome[] = {
		[TCPEV_SENT] = "retransmit_ok",
		[TCPEV_BUSY] = "retransmit_busy",
		[TCPEV_REFUSED] = "retransmit_refused",
		[TCPEV_XMIT_FAILED] = "retransmit_failed",
	};
	const struct drop_event *ev = r->ev;

	if (ev->kind == DROP_KIND_RESET_SENT)
		return "reset_sent";
	if (ev->kind != DROP_KIND_RETRANSMIT || !(ev->has & DROP_HAS_RESULT))
		return NULL;
	return outcome[tcpev_result_outcome(ev->tcp_result)];
}

void losses_tally(struct dw *d, const struct drop_record *r, uint64_t count)
{
	struct dw_loss *l = &d->loss;
	struct ns_loss *n;

	const char *key = r->reason;

	if (r->ev->kind != DROP_KIND_DROP) {
		key = tcp_tally_key(r);
		if (!key)
			return;
	} else if (r->ev->origin != DROP_ORIGIN_SW) {
		return;
	} else if (!key) {
		l->no_reason += count;
		return;
	}
	/* A drop whose namespace is ambiguous is no namespace's to compare. */
	if (r->netns_candidates) {
		l->ambiguous += count;
		return;
	}
	/* A drop established in another namespace is that namespace's to compare. */
	if (r->netns && r->netns != netns_self(d->rec.netns)) {
		n = ns_find(l, r->netns);
		if (!n)
			n = ns_add(l, r->netns, r->netns_name, r->container);	/* appeared since */
		if (n) {
			tally(&n->rc, &n->nrc, &n->cap, &n->last, key, count);
			return;
		}
	}
	tally(&l->rc, &l->nrc, &l->cap, &l->last, key, count);
}

/* Each other namespace that dropped: its drops beside its counters, or why not. */
static void print_namespaces(struct dw *d, struct loss_extra *x)
{
	struct dw_loss *l = &d->loss;
	size_t n = 0;

	for (size_t i = 0; i < l->nns; i++)
		n += l->ns[i].nrc != 0;
	x->nns = 0;
	x->ns = n ? calloc(n, sizeof(*x->ns)) : NULL;
	if (n && !x->ns)
		return;
	for (size_t i = 0; i < l->nns; i++) {
		struct ns_loss *ns = &l->ns[i];
		struct loss_ns *o;
		const struct counter_set *b = &ns->end;

		if (!ns->nrc)
			continue;
		o = &x->ns[x->nns++];
		o->ino = ns->ino;
		o->name = ns->name;
		o->container = ns->container;
		if (!ns->have_start) {
			o->why = "it appeared during the run: its counters were not read before";
			continue;
		}
		if (!ns->have_end) {
			if (!ns->gone && snapshot_ns(d, ns, &ns->now))
				ns->gone = true;
			b = &ns->now;
		}
		if (ns->gone) {
			o->why = "it was gone before its counters could be read again";
			continue;
		}
		if (counters_compare(&ns->start, b, ns->rc, ns->nrc, &o->rep)) {
			o->why = "out of memory";
			continue;
		}
		o->available = true;
	}
}

void losses_print_section(struct dw *d, double elapsed)
{
	struct dw_loss *l = &d->loss;
	struct counters_report rep = { 0 };
	struct loss_extra x = { .available = false };
	const struct counter_set *b = &l->end;

	if (l->off)
		return;
	if (d->run.replay_ts) {
		x.why = "a capture has no live counters";
		losses_print(&d->out.p, &rep, &x);
		return;
	}
	if (!l->have_start) {
		x.why = "no run yet: they are compared over a run";
		losses_print(&d->out.p, &rep, &x);
		return;
	}
	if (!l->have_end) {
		snapshot(d, &l->now);
		b = &l->now;
	}
	if (counters_compare(&l->start, b, l->rc, l->nrc, &rep)) {
		err_msg("counters: out of memory");
		return;
	}
	x.available = true;
	x.elapsed = elapsed;
	x.no_reason = l->no_reason;
	x.ambiguous = l->ambiguous;
	x.lost = d->run.lost + d->run.tail;	/* our socket's overruns, NET_DM's queue's drops */
	x.bad = b->bad;
	x.tcp = d->run.mode->needs & MODE_TCP;
	print_namespaces(d, &x);
	losses_print(&d->out.p, &rep, &x);
	counters_report_free(&rep);
	for (size_t i = 0; i < x.nns; i++)
		counters_report_free(&x.ns[i].rep);
	free(x.ns);
}

void losses_free(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	tally_free(l->rc, l->nrc);
	for (size_t i = 0; i < l->nns; i++)
		ns_free(&l->ns[i]);
	free(l->ns);
	counters_free(&l->start);
	counters_free(&l->end);
	counters_free(&l->now);
	rtstats_close(l->rt);
	memset(l, 0, sizeof(*l));
}
