/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP's events by name, and what their values mean: the kinds of event, a
 * retransmit's result, a reset's reason. Read by the tracepoint decoder
 * (tcpev.h) and by whoever prints or counts the events.
 */
#ifndef DW_TCPEV_NAMES_H
#define DW_TCPEV_NAMES_H

#include <stddef.h>
#include <stdint.h>

enum tcpev_kind {
	TCPEV_RETRANSMIT,
	TCPEV_RESET_SENT,
	TCPEV_RESET_RECEIVED,
	TCPEV_KINDS
};

/* "retransmit", "reset_sent", "reset_received": the event field of a record. */
extern const char *const tcpev_kind_name[TCPEV_KINDS];

/*
 * A retransmit's result by name: "ok", the errno's name ("EHOSTUNREACH"),
 * "NET_XMIT_DROP", else the number in @buf.
 */
const char *tcpev_result_name(int32_t err, char *buf, size_t size);
/* What a result means for a retransmit (by its name), or NULL. */
const char *tcpev_result_text(const char *name);
/*
 * What became of a retransmit, as the counters see it: sent (ok); not tried, a copy still
 * queued (EBUSY); refused before it was handed to tcp_transmit_skb() (EINVAL, ENOMEM,
 * EHOSTUNREACH, EAGAIN: no counter counts them); or handed over and failed there
 * (TcpExt.TCPRetransFail counts those, by segments).
 */
enum tcpev_outcome { TCPEV_SENT, TCPEV_BUSY, TCPEV_REFUSED, TCPEV_XMIT_FAILED };
enum tcpev_outcome tcpev_result_outcome(int32_t err);
/* What a reset reason (enum sk_rst_reason's name) means, or NULL. */
const char *tcpev_reset_text(const char *name);

#endif
