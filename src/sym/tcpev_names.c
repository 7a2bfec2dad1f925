// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tcpev_names.h"

const char *const tcpev_kind_name[TCPEV_KINDS] = {
	"retransmit", "reset_sent", "reset_received",
};

const char *tcpev_result_name(int32_t err, char *buf, size_t size)
{
	const char *n = NULL;

	if (!err)
		return "ok";
	if (err == 1)
		return "NET_XMIT_DROP";
	if (err == 2)
		return "NET_XMIT_CN";
#ifdef HAVE_STRERRORNAME_NP
	if (err < 0 && err > -4096)
		n = strerrorname_np(-err);
#endif
	if (n)
		return n;
	snprintf(buf, size, "%d", (int)err);
	return buf;
}

enum tcpev_outcome tcpev_result_outcome(int32_t err)
{
	switch (err) {
	case 0:
		return TCPEV_SENT;
	case -EBUSY:
		return TCPEV_BUSY;
	case -EINVAL:
	case -ENOMEM:
	case -EHOSTUNREACH:
	case -EAGAIN:
		/* __tcp_retransmit_skb()'s returns before the transmission (and the count). */
		return TCPEV_REFUSED;
	default:
		return TCPEV_XMIT_FAILED;
	}
}

struct meaning {
	const char *name, *text;
};

static const char *lookup(const struct meaning *m, const char *name)
{
	for (; m->name; m++)
		if (!strcmp(m->name, name))
			return m->text;
	return NULL;
}

/* __tcp_retransmit_skb()'s returns, and what tcp_transmit_skb() passes up from below. */
static const struct meaning results[] = {
	{ "ok", "the retransmit was sent" },
	{ "EBUSY", "a copy was still in this host's qdisc or driver: it waits (not a failure; "
	  "TCPRetransFail does not count it)" },
	{ "EINVAL", "the segment ends before snd_una: the peer acknowledged it meanwhile" },
	{ "ENOMEM", "trimming, fragmenting or uncloning the segment failed: out of memory" },
	{ "EHOSTUNREACH", "routing the retransmit failed: no route to the peer" },
	{ "EAGAIN", "the segment starts beyond the peer's window (a zero window)" },
	{ "ENOBUFS", "copying the segment failed: out of memory" },
	{ "EPERM", "the output path refused it (a netfilter or BPF rule)" },
	{ "ENETUNREACH", "routing the retransmit failed: no route to the network" },
	{ "ENETDOWN", "the output device is down" },
	{ "EMSGSIZE", "the segment is larger than the path's MTU allows" },
	{ "NET_XMIT_DROP", "the qdisc dropped the retransmit (it was full, or a rule said so)" },
	{ "NET_XMIT_CN", "the qdisc signalled congestion" },
	{ NULL, NULL },
};

const char *tcpev_result_text(const char *name)
{
	return lookup(results, name);
}

/* enum sk_rst_reason (include/net/rstreason.h), 6.10 on. */
static const struct meaning resets[] = {
	{ "NOT_SPECIFIED", "the kernel did not say why" },
	{ "NO_SOCKET", "a segment came for a connection or port that has no socket" },
	{ "TCP_INVALID_ACK_SEQUENCE", "an ACK that acknowledges data never sent, in SYN_SENT or "
	  "SYN_RECV" },
	{ "TCP_RFC7323_PAWS", "a segment failed the timestamp check (PAWS) in SYN_RECV" },
	{ "TCP_TOO_OLD_ACK", "an ACK older than the window, in SYN_RECV" },
	{ "TCP_ACK_UNSENT_DATA", "an ACK of data not sent yet, in SYN_RECV" },
	{ "TCP_FLAGS", "flags that are invalid in the connection's state" },
	{ "TCP_OLD_ACK", "an old ACK on a request socket" },
	{ "TCP_ABORT_ON_DATA", "data arrived after this side closed (or shut down) reading" },
	{ "TCP_TIMEWAIT_SOCKET", "a segment a TIME_WAIT socket does not accept" },
	{ "INVALID_SYN", "a SYN inside the window of an established connection" },
	{ "TCP_ABORT_ON_CLOSE", "closed with unread data in the receive queue" },
	{ "TCP_ABORT_ON_LINGER", "closed with SO_LINGER and a zero timeout, or the FIN_WAIT2 "
	  "timeout passed" },
	{ "TCP_ABORT_ON_MEMORY", "out of memory, or too many orphaned sockets" },
	{ "TCP_STATE", "aborted in a state that calls for a reset (RFC 9293): a close with "
	  "SO_LINGER 0, a disconnect, or ss -K" },
	{ "TCP_KEEPALIVE_TIMEOUT", "keepalive probes went unanswered, or a user timeout "
	  "(TCP_USER_TIMEOUT) passed" },
	{ "TCP_DISCONNECT_WITH_DATA", "disconnected (connect(AF_UNSPEC)) with data unsent or "
	  "unread" },
	{ "MPTCP_RST_EUNSPEC", "MPTCP: an unspecified error" },
	{ "MPTCP_RST_EMPTCP", "MPTCP: an MPTCP-specific error" },
	{ "MPTCP_RST_ERESOURCE", "MPTCP: out of resources" },
	{ "MPTCP_RST_EPROHIBIT", "MPTCP: prohibited by policy" },
	{ "MPTCP_RST_EWQ2BIG", "MPTCP: too much data queued" },
	{ "MPTCP_RST_EBADPERF", "MPTCP: the subflow performs badly" },
	{ "MPTCP_RST_EMIDDLEBOX", "MPTCP: a middlebox interferes" },
	{ "ERROR", "an error on the socket" },
	{ NULL, NULL },
};

const char *tcpev_reset_text(const char *name)
{
	return lookup(resets, name);
}
