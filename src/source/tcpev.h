/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP's own trouble, from its tracepoints, decoded the way the running kernel
 * describes them (their format files): tcp:tcp_retransmit_skb (with err, the
 * retransmit's result, since Linux 6.17; before, it fires for retransmits
 * sent only), tcp:tcp_send_reset (with the reset's reason since 6.10) and
 * tcp:tcp_receive_reset. Pure: no I/O, no globals; every length, offset and
 * size is treated as hostile.
 */
#ifndef DW_TCPEV_H
#define DW_TCPEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpev_names.h"
#include "tpformat.h"

/* "tcp_retransmit_skb"...: the tracepoints under events/tcp/. */
extern const char *const tcpev_tracepoint[TCPEV_KINDS];

enum tcpev_field {
	TCPEV_F_STATE, TCPEV_F_SPORT, TCPEV_F_DPORT, TCPEV_F_FAMILY, TCPEV_F_SADDR,
	TCPEV_F_DADDR, TCPEV_F_SADDR6, TCPEV_F_DADDR6, TCPEV_F_ERR, TCPEV_F_REASON,
	TCPEV_F_COOKIE, TCPEV_FIELDS
};

struct tcpev_format {
	enum tcpev_kind kind;
	int64_t id;
	struct tp_field field[TCPEV_FIELDS];
	bool sockaddr;		/* saddr/daddr are struct sockaddr_in/in6 (tcp_send_reset, 6.10+) */
};

/*
 * Parses the format file of @kind's tracepoint: 0, or -EINVAL with a one-line
 * reason in @err (malformed, or without the addresses and ports).
 */
int tcpev_format_parse(struct tcpev_format *fmt, enum tcpev_kind kind, const char *text,
		       size_t len, char *err, size_t errlen);

struct tcpev {
	enum tcpev_kind kind;
	bool has_state, has_err, has_reason, has_addr, has_cookie;
	uint8_t state;		/* TCP_ESTABLISHED... (0 when the kernel had no socket) */
	int32_t err;		/* the retransmit's result: 0, -errno, or NET_XMIT_* */
	uint32_t reason;	/* enum sk_rst_reason */
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint16_t sport, dport;	/* host order; local first */
	uint8_t saddr[16], daddr[16];
	uint64_t cookie;
};

/* 0, or -EBADMSG when @len does not hold a field the format places there. */
int tcpev_decode(const struct tcpev_format *fmt, const void *raw, size_t len, struct tcpev *ev);

#endif
