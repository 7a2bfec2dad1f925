// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp mode (-m tcp, the tcp command): TCP's trouble, a line each in the manner of
 * bcc's tcpdrop: its drops (a reason of TCP's own, or a location in TCP's code),
 * retransmits by result and resets by reason, from TCP's tracepoints beside
 * skb:kfree_skb. The table counts them by event, cause and connection.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "mode.h"
#include "trace.h"
#include "util.h"

static const struct agg_spec tcp_key = {
	.n = 3, .field = { AGG_EVENT, AGG_CAUSE, AGG_CONN },
};

/*
 * A drop that is TCP's: a reason of TCP's own (TCP_*), or a location in TCP's code
 * (tcp_v4_rcv, tcp_data_queue...). The tracepoint says no more of the packet.
 */
static bool tcp_keep(const struct drop_event *ev, const struct drop_record *r)
{
	const char *fn = r->loc && r->loc->known ? r->loc->name : NULL;

	if (ev->kind != DROP_KIND_DROP)
		return true;	/* TCP's own events */
	return (r->reason && !strncmp(r->reason, "TCP_", 4)) || (fn && !strncmp(fn, "tcp", 3));
}

/*
 * TCP's tracepoints on the tracepoint source: the ones this kernel lacks, and what it
 * cannot say, each in one line that names the release that adds it (once a session:
 * the kernel does not change). 0 or -errno.
 */
static int tcp_check(struct dw *d, struct trace_src *t)
{
	struct mode_slot *ms;
	char missing[200];
	int err = trace_tcp_open(t, missing, sizeof(missing));

	if (err) {
		err_msg("tcp: %s", trace_error(t));
		return err;
	}
	ms = mode_slot(d, &mode_tcp);
	if (!ms || ms->said)
		return 0;
	ms->said = true;
	if (missing[0])
		err_msg("tcp: this kernel has no %s: what it reports is left out", missing);
	if (trace_tcp_has(t, TCPEV_RETRANSMIT, TCPEV_F_STATE) &&
	    !trace_tcp_has(t, TCPEV_RETRANSMIT, TCPEV_F_ERR))
		err_msg("tcp: retransmits that failed need Linux 6.17 (tcp_retransmit_skb's err): "
			"this kernel reports the retransmits sent (result ok) only");
	if (trace_tcp_has(t, TCPEV_RESET_SENT, TCPEV_F_STATE) &&
	    !trace_tcp_has(t, TCPEV_RESET_SENT, TCPEV_F_REASON))
		err_msg("tcp: the reasons of resets sent need Linux 6.10 (tcp_send_reset's reason), "
			"and resets sent without a socket 6.10 too: this kernel reports resets sent "
			"from a socket, without a reason");
	return 0;
}

static int tcp_prepare(struct dw *d, struct source **src, enum dw_source *kind)
{
	char why[600];
	int err;

	if (mode_trace_side(d, &mode_tcp, src, kind))
		return -1;
	err = tcp_check(d, source_trace(*src));
	if (!err && check_caps_of(*kind, SRC_CAP_TCP, &d->set.filter,
				  d->set.key_given ? &d->set.key : NULL, why, sizeof(why))) {
		err_msg("tcp: %s", why);
		err = -EINVAL;
	}
	if (!err)
		err = table_for(d, &mode_tcp);
	if (err)
		return err == -EINVAL ? usage_failed(d) : cmd_failed(d, err);
	return 0;
}

const struct mode mode_tcp = {
	.name = "tcp",
	.said = "tcp (TCP's drops, retransmits and resets)",
	.shown = "TCP (its drops, retransmits and resets)",
	.help = "tcp (TCP's drops, retransmits and resets, each)",
	.what = "TCP events",
	.key = &tcp_key,
	.needs = MODE_TCP,
	.caps = SRC_CAP_TCP,
	.cmd = {
		.word = "tcp",
		.args = "",
		.help = "monitor TCP's trouble: its drops, retransmits by result, resets by reason",
	},
	.prepare = tcp_prepare,
	.keep = tcp_keep,
};
