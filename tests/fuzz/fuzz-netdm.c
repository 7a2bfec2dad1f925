// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: one netlink message through the NET_DM codec, and every
 * event it yields through the sinks (text, kv, JSON), the frame builder and
 * the payload decoder. The message's own type is taken as NET_DM's id, so that
 * every input reaches the attribute parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "capture.h"
#include "netdm.h"
#include "drop.h"
#include "record.h"
#include "pktdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

static int on_event(const struct drop_event *ev, void *arg)
{
	static uint8_t frame[CAP_FRAME_MAX];
	/* One context for all inputs: its cache of names sees them all. */
	static struct record_ctx rc = { .now_ns = 1, .explain = true };
	static struct out_ctx o;
	struct drop_record r;
	struct pkt_info pi;
	char buf[400];
	uint32_t orig;
	int fmt;

	if (!rc.sym)
		rc.sym = symres_new();
	record_build(&rc, &r, ev);
	for (fmt = OUT_TEXT; fmt <= OUT_JSON; fmt++) {
		out_init(&o, sink, fmt);
		o.verbose = fmt == OUT_JSON;
		out_record(&o, &r);
	}
	cap_frame_build(ev, frame, sizeof(frame), &orig);
	pkt_decode(ev->payload, ev->payload_len, ev->proto, ev->has & DROP_HAS_PROTO, &pi);
	pkt_summary(&pi, buf, sizeof(buf));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netdm_info info;
	uint8_t *copy;
	uint16_t family = 0x1c;

	if (!sink)
		sink = fopen("/dev/null", "w");
	/* An exact-size copy: any read past the end is caught. */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (size >= sizeof(struct nlmsghdr))
		family = ((const struct nlmsghdr *)copy)->nlmsg_type;
	netdm_decode(copy, size, family, on_event, NULL, &info);
	{
		uint64_t ts;
		bool has_ts;

		(void)netdm_peek_alert(copy, size, family, &ts, &has_ts);
	}
	netdm_family_from_ctrl(copy, size);
	free(copy);
	return 0;
}
