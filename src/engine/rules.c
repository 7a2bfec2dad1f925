// SPDX-License-Identifier: GPL-2.0-or-later
/* --rules: the nftables tracing of a run, on at its start and off at its end (nfrules.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "nfrules.h"
#include "print.h"
#include "run.h"
#include "util.h"

int rules_on(struct dw *d, const struct source_run *sr, struct run *r)
{
	char why[320];

	if (!d->set.rules)
		return 0;
	if (!sr->packet || !(d->src->ops->caps & SRC_CAP_PACKET)) {
		err_msg("start: rules are joined by the dropped packet's headers: they need packet "
			"mode (-m packet) and the NET_DM or eBPF source");
		return -EINVAL;
	}
	d->rec.rules = nfrules_open(why, sizeof(why));
	if (!d->rec.rules) {
		err_msg("start: %s", why);
		return strstr(why, "CAP_NET_ADMIN") ? -EPERM : -EOPNOTSUPP;
	}
	nfrules_counters(d->rec.rules, false);
	r->rules = d->rec.rules;
	return 0;
}

/* Each rule that drops were joined with, beside its own counter over the run. */
static void beside_counters(struct dw *d)
{
	const struct nfrule_count *c;
	size_t n = nfrules_counts(d->rec.rules, &c), said = 0;

	for (size_t i = 0; i < n; i++) {
		char table[4 * sizeof(c[i].table)], chain[4 * sizeof(c[i].chain)];
		uint64_t delta;

		if (!c[i].joined)
			continue;
		if (!said++)
			fprintf(d->msg, "Netfilter rules beside their own counters:\n");
		/* Names are the ruleset's: printed without control characters. */
		fprintf(d->msg, "  %s %s %s handle %" PRIu64 ": %" PRIu64 " drops joined, ",
			c[i].family, pr_escape(table, sizeof(table), c[i].table),
			pr_escape(chain, sizeof(chain), c[i].chain), c[i].handle, c[i].joined);
		if (!c[i].has_start || !c[i].has_end) {
			fprintf(d->msg, "no counter\n");
			continue;
		}
		delta = c[i].end - c[i].start;
		if (delta == c[i].joined)
			fprintf(d->msg, "counter +%" PRIu64 ": agrees\n", delta);
		else if (delta > c[i].joined)
			fprintf(d->msg, "counter +%" PRIu64 ": %" PRIu64 " it counted were not seen "
				"(lost, or not joined)\n", delta, delta - c[i].joined);
		else
			fprintf(d->msg, "counter +%" PRIu64 ": fewer than joined (the rule was "
				"replaced, or its counter reset)\n", delta);
	}
}

void rules_off(struct dw *d)
{
	struct nfrules_stats st;

	if (!d->rec.rules)
		return;
	nfrules_counters(d->rec.rules, true);
	beside_counters(d);
	nfrules_get_stats(d->rec.rules, &st);
	if (st.unjoined || st.lost)
		fprintf(d->msg, "rules: %" PRIu64 " netfilter drops joined with their rule, %" PRIu64
			" with none traced (dropped by iptables-legacy, in another network namespace, "
			"or their trace lost)%s\n", st.joined, st.unjoined,
			st.lost ? "; the trace socket overran" : "");
	nfrules_close(d->rec.rules);
	d->rec.rules = NULL;
}
