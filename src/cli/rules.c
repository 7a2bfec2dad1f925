// SPDX-License-Identifier: GPL-2.0-or-later
/* --rules: the nftables tracing of a run, on at its start and off at its end (nfrules.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dw.h"
#include "nfrules.h"
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
	r->rules = d->rec.rules;
	return 0;
}

void rules_off(struct dw *d)
{
	struct nfrules_stats st;

	if (!d->rec.rules)
		return;
	nfrules_get_stats(d->rec.rules, &st);
	if (st.unjoined || st.lost)
		fprintf(d->msg, "rules: %" PRIu64 " netfilter drops joined with their rule, %" PRIu64
			" with none traced (dropped by iptables-legacy, in another network namespace, "
			"or their trace lost)%s\n", st.joined, st.unjoined,
			st.lost ? "; the trace socket overran" : "");
	nfrules_close(d->rec.rules);
	d->rec.rules = NULL;
}
