// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tcpev.h"

const char *const tcpev_tracepoint[TCPEV_KINDS] = {
	"tcp_retransmit_skb", "tcp_send_reset", "tcp_receive_reset",
};

static const char *const field_names[TCPEV_FIELDS] = {
	[TCPEV_F_STATE] = "state",
	[TCPEV_F_SPORT] = "sport",
	[TCPEV_F_DPORT] = "dport",
	[TCPEV_F_FAMILY] = "family",
	[TCPEV_F_SADDR] = "saddr",
	[TCPEV_F_DADDR] = "daddr",
	[TCPEV_F_SADDR6] = "saddr_v6",
	[TCPEV_F_DADDR6] = "daddr_v6",
	[TCPEV_F_ERR] = "err",
	[TCPEV_F_REASON] = "reason",
	[TCPEV_F_COOKIE] = "sock_cookie",
};

static bool scalar(const struct tp_field *f)
{
	return !f->present || f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8;
}

int tcpev_format_parse(struct tcpev_format *fmt, enum tcpev_kind kind, const char *text,
		       size_t len, char *err, size_t errlen)
{
	const struct tp_field *f = fmt->field;
	int k;

	memset(fmt, 0, sizeof(*fmt));
	fmt->kind = kind;
	if (tp_fields_parse(text, len, field_names, TCPEV_FIELDS, fmt->field, &fmt->id, err,
			    errlen))
		return -EINVAL;
	for (k = 0; k < TCPEV_FIELDS; k++)
		if (k != TCPEV_F_SADDR && k != TCPEV_F_DADDR && k != TCPEV_F_SADDR6 &&
		    k != TCPEV_F_DADDR6 && !scalar(&f[k])) {
			snprintf(err, errlen, "field %s has size %u (1, 2, 4 or 8 expected)",
				 field_names[k], f[k].size);
			return -EINVAL;
		}
	/* 6.10's tcp_send_reset: sockaddr_in6-sized addresses with their family and port. */
	if (f[TCPEV_F_SADDR].present && f[TCPEV_F_SADDR].size == 28 &&
	    f[TCPEV_F_DADDR].present && f[TCPEV_F_DADDR].size == 28) {
		fmt->sockaddr = true;
		return 0;
	}
	if (!f[TCPEV_F_SPORT].present || !f[TCPEV_F_DPORT].present || !f[TCPEV_F_FAMILY].present ||
	    f[TCPEV_F_SADDR].size != 4 || f[TCPEV_F_DADDR].size != 4 ||
	    (f[TCPEV_F_SADDR6].present && f[TCPEV_F_SADDR6].size != 16) ||
	    (f[TCPEV_F_DADDR6].present && f[TCPEV_F_DADDR6].size != 16)) {
		snprintf(err, errlen, "no addresses and ports in the layout we know (family, sport, "
			 "dport, saddr[4], daddr[4], saddr_v6[16], daddr_v6[16])");
		return -EINVAL;
	}
	return 0;
}

/* struct sockaddr_in or sockaddr_in6 at @p (28 bytes): its family, port and address. */
static void from_sockaddr(const uint8_t *p, uint8_t *family, uint16_t *port, uint8_t *addr)
{
	uint16_t fam, be;

	memcpy(&fam, p, 2);
	memcpy(&be, p + 2, 2);
	*family = fam == 2 || fam == 10 ? (uint8_t)fam : 0;
	*port = (uint16_t)((be & 0xff) << 8 | be >> 8);
	memset(addr, 0, 16);
	if (fam == 2)
		memcpy(addr, p + 4, 4);
	else if (fam == 10)
		memcpy(addr, p + 8, 16);
}

int tcpev_decode(const struct tcpev_format *fmt, const void *raw, size_t len, struct tcpev *ev)
{
	const struct tp_field *f = fmt->field;
	const uint8_t *b = raw;
	int k;

	memset(ev, 0, sizeof(*ev));
	ev->kind = fmt->kind;
	for (k = 0; k < TCPEV_FIELDS; k++)
		if (f[k].present && (size_t)f[k].offset + f[k].size > len)
			return -EBADMSG;
	if (f[TCPEV_F_STATE].present) {
		int64_t s = tp_field_int(raw, &f[TCPEV_F_STATE]);

		ev->has_state = s >= 0 && s < 256;
		ev->state = ev->has_state ? (uint8_t)s : 0;
	}
	if (f[TCPEV_F_ERR].present) {
		ev->has_err = true;
		ev->err = (int32_t)tp_field_int(raw, &f[TCPEV_F_ERR]);
	}
	if (f[TCPEV_F_REASON].present) {
		ev->has_reason = true;
		ev->reason = (uint32_t)tp_field_int(raw, &f[TCPEV_F_REASON]);
	}
	if (f[TCPEV_F_COOKIE].present) {
		ev->has_cookie = true;
		ev->cookie = (uint64_t)tp_field_int(raw, &f[TCPEV_F_COOKIE]);
	}
	if (fmt->sockaddr) {
		uint8_t dfam;

		from_sockaddr(b + f[TCPEV_F_SADDR].offset, &ev->family, &ev->sport, ev->saddr);
		from_sockaddr(b + f[TCPEV_F_DADDR].offset, &dfam, &ev->dport, ev->daddr);
		ev->has_addr = ev->family && ev->family == dfam;
		return 0;
	}
	ev->family = (uint8_t)tp_field_int(raw, &f[TCPEV_F_FAMILY]);
	ev->sport = (uint16_t)tp_field_int(raw, &f[TCPEV_F_SPORT]);
	ev->dport = (uint16_t)tp_field_int(raw, &f[TCPEV_F_DPORT]);
	if (ev->family == 2) {
		memcpy(ev->saddr, b + f[TCPEV_F_SADDR].offset, 4);
		memcpy(ev->daddr, b + f[TCPEV_F_DADDR].offset, 4);
		ev->has_addr = true;
	} else if (ev->family == 10 && f[TCPEV_F_SADDR6].present && f[TCPEV_F_DADDR6].present) {
		memcpy(ev->saddr, b + f[TCPEV_F_SADDR6].offset, 16);
		memcpy(ev->daddr, b + f[TCPEV_F_DADDR6].offset, 16);
		ev->has_addr = true;
	}
	return 0;
}
