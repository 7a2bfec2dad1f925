// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's counters beside a run's drops: a snapshot before the
 * monitor starts, another after it stops (so that their interval holds the
 * run's), one for each table printed while it runs; the drops counted by reason as they come,
 * before the filters (the counters know nothing of ours). The section is
 * printed after each table, and by the `counters` command.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dw.h"
#include "losses.h"
#include "rtstats.h"
#include "util.h"

#define PROCNET "/proc/net"

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

void losses_start(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	for (size_t i = 0; i < l->nrc; i++)
		free((char *)l->rc[i].reason);
	l->nrc = l->last = 0;
	l->no_reason = 0;
	l->have_start = l->have_end = false;
	if (l->off || d->run.replay_ts)
		return;
	snapshot(d, &l->start);
	l->have_start = true;
}

void losses_end(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	if (!l->have_start)
		return;
	snapshot(d, &l->end);
	l->have_end = true;
}

void losses_tally(struct dw *d, const struct drop_record *r, uint64_t count)
{
	struct dw_loss *l = &d->loss;
	size_t i;

	if (r->ev->origin != DROP_ORIGIN_SW)
		return;
	if (!r->reason) {
		l->no_reason += count;
		return;
	}
	if (l->nrc && !strcmp(l->rc[l->last].reason, r->reason)) {
		l->rc[l->last].count += count;
		return;
	}
	for (i = 0; i < l->nrc; i++)
		if (!strcmp(l->rc[i].reason, r->reason))
			break;
	if (i == l->nrc) {
		char *name;

		if (l->nrc == l->cap) {
			size_t cap = l->cap ? 2 * l->cap : 32;
			struct reason_count *grown = realloc(l->rc, cap * sizeof(*grown));

			if (!grown)
				return;
			l->rc = grown;
			l->cap = cap;
		}
		if (!(name = strdup(r->reason)))
			return;
		l->rc[l->nrc++] = (struct reason_count){ .reason = name };
	}
	l->rc[i].count += count;
	l->last = i;
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
	x.lost = d->run.lost + d->run.tail;	/* our socket's overruns, NET_DM's queue's drops */
	x.bad = b->bad;
	losses_print(&d->out.p, &rep, &x);
	counters_report_free(&rep);
}

void losses_free(struct dw *d)
{
	struct dw_loss *l = &d->loss;

	for (size_t i = 0; i < l->nrc; i++)
		free((char *)l->rc[i].reason);
	free(l->rc);
	counters_free(&l->start);
	counters_free(&l->end);
	counters_free(&l->now);
	rtstats_close(l->rt);
	memset(l, 0, sizeof(*l));
}
