/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracepoints of a packet's journey (journey.h), decoded the way the running
 * kernel describes them in their format files: net:netif_rx, net:netif_receive_skb,
 * net:net_dev_queue, net:net_dev_start_xmit, skb:skb_copy_datagram_iovec,
 * skb:consume_skb and net:napi_gro_receive_entry (skb:kfree_skb is tpformat.h's). Fields are found by name,
 * never by position. Pure: no I/O; every offset and length is treated as hostile.
 */
#ifndef DW_JEVENT_H
#define DW_JEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journey.h"
#include "tpformat.h"

/* The tracepoints, by their step (JSTEP_DROP has none here). */
extern const char *const jevent_tracepoint[JSTEP_KINDS];	/* "net/netif_rx"..., NULL */

enum jevent_field { JEV_F_SKBADDR, JEV_F_LEN, JEV_F_NAME, JEV_FIELDS };

struct jevent_format {
	int64_t id;
	enum jstep_kind kind;
	struct tp_field field[JEV_FIELDS];
};

/*
 * Parses @kind's format file: 0, or -EINVAL with one line in @err (no ID, no
 * skbaddr, a field of a size we cannot read).
 */
int jevent_format_parse(struct jevent_format *f, enum jstep_kind kind, const char *text,
			size_t len, char *err, size_t errlen);

/*
 * One record of it (the raw data of a sample): the skb's address and the step
 * (time and cpu are the caller's). 0, or -EBADMSG when @len does not hold what
 * the format places there (the device's name is "" when it lies outside).
 */
int jevent_decode(const struct jevent_format *f, const void *raw, size_t len, uint64_t *skb,
		  struct jstep *s);

#endif
