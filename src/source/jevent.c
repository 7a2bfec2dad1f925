// SPDX-License-Identifier: GPL-2.0-or-later
/* The journey's tracepoints, decoded by their format files (jevent.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jevent.h"

const char *const jevent_tracepoint[JSTEP_KINDS] = {
	[JSTEP_BACKLOG] = "net/netif_rx",
	[JSTEP_RX] = "net/netif_receive_skb",
	[JSTEP_QUEUE] = "net/net_dev_queue",
	[JSTEP_XMIT] = "net/net_dev_start_xmit",
	[JSTEP_DELIVER] = "skb/skb_copy_datagram_iovec",
	[JSTEP_FREE] = "skb/consume_skb",
	[JSTEP_GRO] = "net/napi_gro_receive_entry",
};

static const char *const field_names[JEV_FIELDS] = { "skbaddr", "len", "name" };

static bool int_size(const struct tp_field *f)
{
	return f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8;
}

int jevent_format_parse(struct jevent_format *f, enum jstep_kind kind, const char *text,
			size_t len, char *err, size_t errlen)
{
	int k;

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	if (tp_fields_parse(text, len, field_names, JEV_FIELDS, f->field, &f->id, err, errlen))
		return -EINVAL;
	if (!f->field[JEV_F_SKBADDR].present || f->field[JEV_F_SKBADDR].size != 8) {
		snprintf(err, errlen, "no 8-byte skbaddr field");
		return -EINVAL;
	}
	for (k = 0; k < JEV_FIELDS; k++)
		if (f->field[k].present && !int_size(&f->field[k])) {
			snprintf(err, errlen, "field %s has size %u", field_names[k], f->field[k].size);
			return -EINVAL;
		}
	/* The name is a __data_loc: 16 bits of offset, 16 of length. */
	if (f->field[JEV_F_NAME].present && f->field[JEV_F_NAME].size != 4) {
		snprintf(err, errlen, "field name is not a __data_loc (size %u)",
			 f->field[JEV_F_NAME].size);
		return -EINVAL;
	}
	return 0;
}

int jevent_decode(const struct jevent_format *f, const void *raw, size_t len, uint64_t *skb,
		  struct jstep *s)
{
	const uint8_t *p = raw;
	int k;

	for (k = 0; k < JEV_FIELDS; k++)
		if (f->field[k].present && (size_t)f->field[k].offset + f->field[k].size > len)
			return -EBADMSG;
	*skb = (uint64_t)tp_field_int(raw, &f->field[JEV_F_SKBADDR]);
	s->kind = (uint8_t)f->kind;
	s->len = f->field[JEV_F_LEN].present ? (uint32_t)tp_field_int(raw, &f->field[JEV_F_LEN]) : 0;
	s->dev[0] = '\0';
	if (f->field[JEV_F_NAME].present) {
		uint32_t loc = (uint32_t)tp_field_int(raw, &f->field[JEV_F_NAME]);
		size_t off = loc & 0xffff, n = loc >> 16;

		if (off <= len && n <= len - off) {
			if (n >= sizeof(s->dev))
				n = sizeof(s->dev) - 1;
			memcpy(s->dev, p + off, n);
			s->dev[n] = '\0';
		}
	}
	return 0;
}
