// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NET_DM codec against messages recorded from a real 6.1 kernel
 * (tests/fixtures, see README.md there) and against constructed bad ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <netlink/genl/genl.h>
#include <netlink/attr.h>

#include "netdm.h"
#include "netdm_sock.h"
#include "nlgroup.h"
#include "symbols.h"
#include "fixture.h"

/* What the recording scenario did (tests/fixtures/recorded.txt). */
#define SUMMARY_DROPS		200
#define PACKET_DROPS		10
#define PACKET_FULL_LEN		142	/* 14 Ethernet + 20 IPv4 + 8 UDP + 100 payload */
#define PACKET_TRUNC_LEN	60

struct scan {
	int family;
	struct sym_index *syms;
	/* summary */
	unsigned int summary_msgs;
	uint64_t udp_drops, other_drops;
	/* packet */
	unsigned int packets, full, truncated;
	/* replies */
	unsigned int configs, stats;
	struct netdm_config last_config;
	unsigned int packet_config_seen;
	unsigned int ignored, bad;
};

static void learn_family(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct scan *s = arg;
	int id = netdm_family_from_ctrl(nlh, len);

	if (id > 0 && s->family < 0)
		s->family = id;
}

static int summary_event(const struct drop_event *ev, void *arg)
{
	struct scan *s = arg;
	struct sym_result r;

	assert_true(ev->summary);
	assert_int_equal(ev->origin, DROP_ORIGIN_SW);
	assert_true(ev->count > 0);
	if (sym_lookup(s->syms, ev->pc, &r) == 0 && !strcmp(r.name, "__udp4_lib_rcv"))
		s->udp_drops += ev->count;
	else
		s->other_drops += ev->count;
	return 0;
}

static int packet_event(const struct drop_event *ev, void *arg)
{
	struct scan *s = arg;
	const uint8_t *p = ev->payload;

	assert_false(ev->summary);
	assert_int_equal(ev->origin, DROP_ORIGIN_SW);
	assert_int_equal(ev->count, 1);
	assert_non_null(ev->symbol);
	assert_int_equal(strncmp(ev->symbol, "__udp4_lib_rcv+0x", 17), 0);
	assert_true(ev->has & DROP_HAS_PC);
	assert_true(ev->pc >= 0xffffffff80000000ull);
	assert_non_null(ev->reason);
	assert_string_equal(ev->reason, "NO_SOCKET");
	assert_true(ev->has & DROP_HAS_IFINDEX);
	assert_int_equal(ev->ifindex, 1);			/* lo */
	assert_true(ev->has & DROP_HAS_TIMESTAMP);
	assert_true(ev->timestamp_ns > 1600000000ull * 1000000000ull);
	assert_true(ev->has & DROP_HAS_PROTO);
	assert_int_equal(ev->proto, 0x0800);
	assert_true(ev->has & DROP_HAS_ORIG_LEN);
	assert_int_equal(ev->orig_len, PACKET_FULL_LEN);
	assert_null(ev->trap_name);
	assert_null(ev->trap_group);
	/* The payload starts at the MAC header: lo's zero addresses, then IPv4/UDP to port 9. */
	assert_true(ev->payload_len >= 42);
	assert_int_equal(p[12], 0x08);
	assert_int_equal(p[13], 0x00);
	assert_int_equal(p[14] >> 4, 4);
	assert_int_equal(p[14 + 9], 17);			/* UDP */
	assert_memory_equal(p + 14 + 16, "\x7f\x00\x00\x01", 4);
	assert_int_equal((p[14 + 20 + 2] << 8) | p[14 + 20 + 3], 9);
	if (ev->payload_len == PACKET_FULL_LEN)
		s->full++;
	else if (ev->payload_len == PACKET_TRUNC_LEN)
		s->truncated++;
	else
		fail_msg("unexpected payload length %u", ev->payload_len);
	return 0;
}

static void scan_msg(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct scan *s = arg;
	struct netdm_info info;
	drop_event_fn fn = nlh->nlmsg_type == s->family &&
			    ((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd == NET_DM_CMD_ALERT ?
			    summary_event : packet_event;
	int ret = netdm_decode(nlh, len, s->family, fn, s, &info);

	if (ret == -ENOMSG) {
		s->ignored++;
		return;
	}
	if (ret) {
		s->bad++;
		return;
	}
	switch (info.kind) {
	case NETDM_MSG_SUMMARY:
		s->summary_msgs++;
		assert_int_equal(info.events, info.sw_points);
		break;
	case NETDM_MSG_PACKET:
		s->packets++;
		assert_int_equal(info.events, 1);
		break;
	case NETDM_MSG_CONFIG:
		s->configs++;
		assert_int_equal(info.config.has, NETDM_CFG_MODE | NETDM_CFG_TRUNC | NETDM_CFG_QUEUE);
		s->last_config = info.config;
		if (info.config.mode == NETDM_MODE_PACKET && info.config.queue == 800)
			s->packet_config_seen++;
		break;
	case NETDM_MSG_STATS:
		s->stats++;
		assert_true(info.stats.has_sw);
		assert_true(info.stats.has_hw);
		break;
	}
}

static struct sym_index *load_fixture_syms(void)
{
	struct sym_index *idx = NULL;
	struct sym_load_info info;

	assert_int_equal(sym_index_load(fixture_path("kallsyms-6.1"), &idx, &info), 0);
	return idx;
}

static void test_summary_capture(void **state)
{
	struct scan s = { .family = -1 };

	assert_true(fixture_for_each("summary.pcap", learn_family, &s) > 0);
	assert_true(s.family >= GENL_MIN_ID);
	s.syms = load_fixture_syms();
	assert_true(fixture_for_each("summary.pcap", scan_msg, &s) > 0);
	assert_int_equal(s.bad, 0);
	assert_true(s.summary_msgs >= 1);
	/* The kernel's NoPorts delta during the recording. */
	assert_int_equal(s.udp_drops, SUMMARY_DROPS);
	assert_true(s.stats >= 1);
	assert_true(s.configs >= 1);
	assert_int_equal(s.last_config.mode, NETDM_MODE_SUMMARY);
	assert_int_equal(s.last_config.queue, 1000);
	assert_true(s.ignored > 0);	/* requests and ACKs pass nlmon too */
	sym_index_free(s.syms);
}

static void test_packet_capture(void **state)
{
	struct scan s = { .family = -1 };

	assert_true(fixture_for_each("packet.pcap", learn_family, &s) > 0);
	assert_true(s.family >= GENL_MIN_ID);
	assert_true(fixture_for_each("packet.pcap", scan_msg, &s) > 0);
	assert_int_equal(s.bad, 0);
	assert_int_equal(s.packets, PACKET_DROPS);
	assert_int_equal(s.full, 5);
	assert_int_equal(s.truncated, 5);
	assert_true(s.packet_config_seen >= 1);
}

/* netdm_peek_alert() on every recorded message agrees with the full decoder. */
struct peek_scan {
	int family;
	unsigned int alerts, with_ts;
	uint64_t ts;
	bool has_ts;
};

static int take_ts(const struct drop_event *ev, void *arg)
{
	struct peek_scan *p = arg;

	if ((ev->has & DROP_HAS_TIMESTAMP) && !p->has_ts) {
		p->has_ts = true;
		p->ts = ev->timestamp_ns;
	}
	return 0;
}

static void peek_msg(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct peek_scan *p = arg;
	struct netdm_info info;
	uint64_t ts = 0;
	bool has_ts;
	int kind = netdm_peek_alert(nlh, len, p->family, &ts, &has_ts);
	int ret;

	p->has_ts = false;
	ret = netdm_decode(nlh, len, p->family, take_ts, p, &info);
	if (ret || (info.kind != NETDM_MSG_SUMMARY && info.kind != NETDM_MSG_PACKET)) {
		assert_true(kind < 0);
		return;
	}
	assert_int_equal(kind, info.kind);
	assert_int_equal(has_ts, p->has_ts);
	if (has_ts)
		assert_true(ts == p->ts);
	p->alerts++;
	p->with_ts += has_ts;
}

static void test_peek(void **state)
{
	struct scan s = { .family = -1 };
	struct peek_scan p = { 0 };

	assert_true(fixture_for_each("packet.pcap", learn_family, &s) > 0);
	p.family = s.family;
	assert_true(fixture_for_each("packet.pcap", peek_msg, &p) > 0);
	assert_int_equal(p.alerts, PACKET_DROPS);
	assert_int_equal(p.with_ts, PACKET_DROPS);
	p.alerts = p.with_ts = 0;
	assert_true(fixture_for_each("summary.pcap", peek_msg, &p) > 0);
	assert_true(p.alerts >= 1);
	assert_int_equal(p.with_ts, 0);	/* summaries carry no timestamp */
}

/* ---- constructed messages ---- */

#define FAMILY 0x1a

struct built {
	uint8_t buf[1024];
	size_t len;
};

/* nlmsghdr + genlmsghdr for @cmd, then attributes appended with put_attr(). */
static void build_start(struct built *b, uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(b->buf + NLMSG_HDRLEN);

	memset(b, 0, sizeof(*b));
	nlh->nlmsg_type = FAMILY;
	g->cmd = cmd;
	g->version = 2;
	b->len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_len = b->len;
}

static void put_attr(struct built *b, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *nla = (struct nlattr *)(b->buf + b->len);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy(b->buf + b->len + NLA_HDRLEN, data, len);
	b->len += NLA_ALIGN(NLA_HDRLEN + len);
	((struct nlmsghdr *)b->buf)->nlmsg_len = b->len;
}

static int count_events(const struct drop_event *ev, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static int decode(struct built *b, unsigned int *events, struct netdm_info *info)
{
	*events = 0;
	return netdm_decode(b->buf, b->len, FAMILY, count_events, events, info);
}

static void build_summary(struct built *b, uint32_t entries, unsigned int points)
{
	uint8_t payload[4 + 12 * 8] = { 0 };
	unsigned int i;

	memcpy(payload, &entries, 4);
	for (i = 0; i < points; i++) {
		uint64_t pc = 0xffffffff81000000ull + i;
		uint32_t count = i + 1;

		memcpy(payload + 4 + 12 * i, &pc, 8);
		memcpy(payload + 4 + 12 * i + 8, &count, 4);
	}
	build_start(b, NET_DM_CMD_ALERT);
	put_attr(b, 0, payload, 4 + 12 * points);
}

static void test_summary_counts_checked(void **state)
{
	struct built b;
	struct netdm_info info;
	unsigned int n;

	build_summary(&b, 3, 3);
	assert_int_equal(decode(&b, &n, &info), 0);
	assert_int_equal(n, 3);
	assert_int_equal(info.sw_points, 3);
	assert_false(info.summary_full);

	/* The kernel's count claims more points than the attribute holds. */
	build_summary(&b, 4, 3);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	assert_int_equal(n, 0);
	build_summary(&b, 0xffffffffu, 3);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* ... or fewer. */
	build_summary(&b, 2, 3);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* No header attribute at all. */
	build_start(&b, NET_DM_CMD_ALERT);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* Zero points is a valid (hardware-only) summary. */
	build_summary(&b, 0, 0);
	assert_int_equal(decode(&b, &n, &info), 0);
	assert_int_equal(n, 0);
}

static void test_hw_summary(void **state)
{
	struct built b;
	struct netdm_info info;
	unsigned int n;
	uint8_t entries[64], *e = entries;
	struct nlattr *outer = (struct nlattr *)e, *inner = (struct nlattr *)(e + 4);
	uint32_t count = 7;

	build_summary(&b, 0, 0);
	/* HW_ENTRIES { HW_ENTRY { HW_TRAP_NAME "blackhole_route", HW_TRAP_COUNT 7 } } */
	memset(entries, 0, sizeof(entries));
	inner->nla_type = NLA_F_NESTED | NET_DM_ATTR_HW_ENTRY;
	{
		struct nlattr *name = (struct nlattr *)(e + 8), *cnt;

		name->nla_type = NET_DM_ATTR_HW_TRAP_NAME;
		name->nla_len = NLA_HDRLEN + 16;
		memcpy(e + 12, "blackhole_route", 16);
		cnt = (struct nlattr *)(e + 8 + 20);
		cnt->nla_type = NET_DM_ATTR_HW_TRAP_COUNT;
		cnt->nla_len = NLA_HDRLEN + 4;
		memcpy(e + 8 + 24, &count, 4);
		inner->nla_len = NLA_HDRLEN + 20 + 8;
	}
	outer->nla_type = NLA_F_NESTED | NET_DM_ATTR_HW_ENTRIES;
	outer->nla_len = NLA_HDRLEN + inner->nla_len;
	put_attr(&b, NLA_F_NESTED | NET_DM_ATTR_HW_ENTRIES, e + 4, inner->nla_len);
	assert_int_equal(decode(&b, &n, &info), 0);
	assert_int_equal(n, 1);
	assert_int_equal(info.kind, NETDM_MSG_SUMMARY);

	/* An entry without its count is malformed. */
	inner->nla_len = NLA_HDRLEN + 20;
	build_summary(&b, 0, 0);
	put_attr(&b, NLA_F_NESTED | NET_DM_ATTR_HW_ENTRIES, e + 4, inner->nla_len);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
}

static void test_packet_malformed(void **state)
{
	struct built b;
	struct netdm_info info;
	unsigned int n;
	uint16_t origin = 0, proto = 0x0800;
	uint64_t pc = 0xffffffff81234567ull;
	uint32_t len = 5;

	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_ORIGIN, &origin, 2);
	put_attr(&b, NET_DM_ATTR_PC, &pc, 8);
	put_attr(&b, NET_DM_ATTR_PROTO, &proto, 2);
	put_attr(&b, NET_DM_ATTR_ORIG_LEN, &len, 4);
	put_attr(&b, NET_DM_ATTR_PAYLOAD, "hello", 5);
	/* A type newer than we know is skipped, not fatal. */
	put_attr(&b, 42, "future", 6);
	assert_int_equal(decode(&b, &n, &info), 0);
	assert_int_equal(n, 1);

	/* A string without its NUL. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_REASON, "NO_SOCKET", 9);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* A u64 that is too short. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_PC, &pc, 4);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* An origin that does not exist. */
	origin = 7;
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_ORIGIN, &origin, 2);
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* A broken IN_PORT nest: its inner attribute claims more than the nest holds. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	{
		uint8_t nest[8] = { 0 };
		struct nlattr *in = (struct nlattr *)nest;

		in->nla_type = NET_DM_ATTR_PORT_NETDEV_IFINDEX;
		in->nla_len = 40;
		put_attr(&b, NLA_F_NESTED | NET_DM_ATTR_IN_PORT, nest, 8);
	}
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
	/* Trailing bytes that are not a whole attribute. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_PROTO, &proto, 2);
	b.len += 2;
	((struct nlmsghdr *)b.buf)->nlmsg_len = b.len;
	assert_int_equal(decode(&b, &n, &info), -EBADMSG);
}

/* The event of a one-alert message, copied out with its payload's length. */
struct one_event {
	struct drop_event ev;
	unsigned int n;
};

static int keep_event(const struct drop_event *ev, void *arg)
{
	struct one_event *o = arg;

	o->ev = *ev;
	o->n++;
	return 0;
}

/* What the attribute walk accepts besides the kernel's usual layout. */
static void test_attr_walk(void **state)
{
	struct built b;
	struct netdm_info info;
	struct one_event o;
	uint64_t pc1 = 0xffffffff81000001ull, pc2 = 0xffffffff81000002ull, ts;
	uint32_t ifindex = 3;
	uint16_t proto = 0x86dd;
	uint8_t nest[8];
	struct nlattr *in = (struct nlattr *)nest;
	bool has_ts;

	/* A repeated type: the last one counts. Flag bits in the type are masked. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_PC, &pc1, 8);
	put_attr(&b, NET_DM_ATTR_PC, &pc2, 8);
	in->nla_type = NET_DM_ATTR_PORT_NETDEV_IFINDEX;
	in->nla_len = 8;
	memcpy(nest + NLA_HDRLEN, &ifindex, 4);
	put_attr(&b, NLA_F_NESTED | NET_DM_ATTR_IN_PORT, nest, 8);
	put_attr(&b, NET_DM_ATTR_PROTO, &proto, 2);
	put_attr(&b, NET_DM_ATTR_PAYLOAD, "hello", 5);
	/* The last attribute's padding missing: accepted, as the kernel does, by both walks. */
	b.len -= 3;
	((struct nlmsghdr *)b.buf)->nlmsg_len = b.len;
	memset(&o, 0, sizeof(o));
	assert_int_equal(netdm_decode(b.buf, b.len, FAMILY, keep_event, &o, &info), 0);
	assert_int_equal(o.n, 1);
	assert_true(o.ev.pc == pc2);
	assert_true(o.ev.has & DROP_HAS_IFINDEX);
	assert_int_equal(o.ev.ifindex, 3);
	assert_int_equal(o.ev.proto, 0x86dd);
	assert_int_equal(o.ev.payload_len, 5);
	assert_memory_equal(o.ev.payload, "hello", 5);
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY, &ts, &has_ts), NETDM_MSG_PACKET);
	/* An empty string is still a string: it has its NUL. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_REASON, "", 1);
	memset(&o, 0, sizeof(o));
	assert_int_equal(netdm_decode(b.buf, b.len, FAMILY, keep_event, &o, &info), 0);
	assert_string_equal(o.ev.reason, "");
	/* A string attribute with no byte at all is not. */
	build_start(&b, NET_DM_CMD_PACKET_ALERT);
	put_attr(&b, NET_DM_ATTR_REASON, "", 0);
	assert_int_equal(netdm_decode(b.buf, b.len, FAMILY, keep_event, &o, &info), -EBADMSG);
}

/* The wait for more alerts behind the first: bounded by the receive buffer. */
static void test_coalesce_wait(void **state)
{
	const int buf = 64 << 20;		/* what SO_RCVBUF reports for our 32 MiB */
	const uint64_t ms = 1000000, t0 = 1000 * ms;

	(void)state;
	/* No history: a quarter of the buffer at 2 GB/s. */
	assert_true(netdm_coalesce_wait(buf, 0, 0, 0, t0) == 8388608);
	assert_true(netdm_coalesce_wait(212992, 0, 0, 0, t0) == 26624);
	assert_true(netdm_coalesce_wait(0, 0, 0, 0, t0) == 0);
	assert_true(netdm_coalesce_wait(-1, 0, 0, 0, t0) == 0);
	/* The last read took more than a quarter: no wait at all. */
	assert_true(netdm_coalesce_wait(buf, (16 << 20) + 1, t0 - 10 * ms, t0, t0 + ms) == 0);
	/* Streaming at 150 MB/s: a quarter fills in 112 ms at 4 times that rate, 28 ms. */
	assert_true(netdm_coalesce_wait(buf, 1500000, t0 - 10 * ms, t0, t0 + ms) == 27962026);
	/* Slowly: no more than 50 ms. */
	assert_true(netdm_coalesce_wait(buf, 1500, t0 - 10 * ms, t0, t0 + ms) == 50 * ms);
	/* Fast: never less than the bound without history. */
	assert_true(netdm_coalesce_wait(buf, 10000000, t0 - 10 * ms, t0, t0 + ms) == 8388608);
	/* Not a stream: the reads were far apart, or the last was long ago, or took nothing. */
	assert_true(netdm_coalesce_wait(buf, 1500, t0 - 500 * ms, t0, t0 + ms) == 8388608);
	assert_true(netdm_coalesce_wait(buf, 1500, t0 - 10 * ms, t0, t0 + 500 * ms) == 8388608);
	assert_true(netdm_coalesce_wait(buf, 0, t0 - 10 * ms, t0, t0 + ms) == 8388608);
	assert_true(netdm_coalesce_wait(buf, 1500, 0, t0, t0 + ms) == 8388608);
}

static void test_headers(void **state)
{
	struct built b;
	struct netdm_info info;
	unsigned int n;

	build_summary(&b, 1, 1);
	/* nlmsg_len beyond what was received. */
	assert_int_equal(netdm_decode(b.buf, b.len - 1, FAMILY, count_events, &n, &info), -EBADMSG);
	/* Less than a netlink header. */
	assert_int_equal(netdm_decode(b.buf, 8, FAMILY, count_events, &n, &info), -EBADMSG);
	/* No room for the genl header. */
	((struct nlmsghdr *)b.buf)->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(netdm_decode(b.buf, b.len, FAMILY, count_events, &n, &info), -EBADMSG);
	/* Another family, an unknown command, a request: not ours, not an error. */
	build_summary(&b, 1, 1);
	assert_int_equal(netdm_decode(b.buf, b.len, FAMILY + 1, count_events, &n, &info), -ENOMSG);
	build_start(&b, 200);
	assert_int_equal(decode(&b, &n, &info), -ENOMSG);
	build_start(&b, NET_DM_CMD_START);
	assert_int_equal(decode(&b, &n, &info), -ENOMSG);
}

/* The capture writer's peek: the frame is checked, not the contents. */
static void test_peek_constructed(void **state)
{
	struct built b;
	struct nlattr *a;
	uint64_t ts;
	bool has_ts;

	build_summary(&b, 1, 1);
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY, &ts, &has_ts), NETDM_MSG_SUMMARY);
	assert_false(has_ts);
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY + 1, &ts, &has_ts), -ENOMSG);
	assert_int_equal(netdm_peek_alert(b.buf, b.len - 1, FAMILY, &ts, &has_ts), -EBADMSG);
	/* An attribute longer than the message. */
	a = (struct nlattr *)(b.buf + NLMSG_HDRLEN + GENL_HDRLEN);
	a->nla_len = 0xfff0;
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY, &ts, &has_ts), -EBADMSG);
	/* Shorter than an attribute header. */
	a->nla_len = 2;
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY, &ts, &has_ts), -EBADMSG);
	build_start(&b, NET_DM_CMD_START);
	assert_int_equal(netdm_peek_alert(b.buf, b.len, FAMILY, &ts, &has_ts), -ENOMSG);
}

/* Every truncation and many byte flips of every real message: no crash, no overread (ASan). */
static void mutate_msg(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	int family = *(int *)arg;
	uint8_t *copy = malloc(len);
	struct netdm_info info;
	unsigned int n;
	size_t cut, i;
	uint64_t ts;
	bool has_ts;

	for (cut = 0; cut <= len; cut++) {
		memcpy(copy, nlh, cut);
		if (cut >= sizeof(struct nlmsghdr))
			((struct nlmsghdr *)copy)->nlmsg_len = cut;
		(void)netdm_decode(copy, cut, family, count_events, &n, &info);
		(void)netdm_peek_alert(copy, cut, family, &ts, &has_ts);
	}
	for (i = sizeof(struct nlmsghdr); i < len; i++) {
		memcpy(copy, nlh, len);
		copy[i] ^= 0xff;
		(void)netdm_decode(copy, len, family, count_events, &n, &info);
		(void)netdm_peek_alert(copy, len, family, &ts, &has_ts);
	}
	free(copy);
}

static void test_mutations(void **state)
{
	struct scan s = { .family = -1 };

	assert_true(fixture_for_each("packet.pcap", learn_family, &s) > 0);
	assert_true(fixture_for_each("packet.pcap", mutate_msg, &s.family) > 0);
	assert_true(fixture_for_each("summary.pcap", mutate_msg, &s.family) > 0);
}

static void test_requests(void **state)
{
	struct netdm_config cfg = {
		.has = NETDM_CFG_MODE | NETDM_CFG_TRUNC,
		.mode = NETDM_MODE_PACKET,
		.trunc = 128,
	};
	struct nl_msg *msg = netdm_req_new(FAMILY, NET_DM_CMD_CONFIG);
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *tb[NET_DM_ATTR_MAX + 1];

	assert_non_null(msg);
	assert_int_equal(netdm_req_put_config(msg, &cfg), 0);
	nlh = nlmsg_hdr(msg);
	g = nlmsg_data(nlh);
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	assert_int_equal(g->cmd, NET_DM_CMD_CONFIG);
	assert_int_equal(g->version, 2);
	assert_int_equal(nla_parse(tb, NET_DM_ATTR_MAX, genlmsg_attrdata(g, 0),
				   genlmsg_attrlen(g, 0), NULL), 0);
	/* The kernel's policy wants exactly one byte for the mode, four for lengths. */
	assert_non_null(tb[NET_DM_ATTR_ALERT_MODE]);
	assert_int_equal(nla_len(tb[NET_DM_ATTR_ALERT_MODE]), 1);
	assert_int_equal(nla_get_u8(tb[NET_DM_ATTR_ALERT_MODE]), 1);
	assert_int_equal(nla_len(tb[NET_DM_ATTR_TRUNC_LEN]), 4);
	assert_int_equal(nla_get_u32(tb[NET_DM_ATTR_TRUNC_LEN]), 128);
	assert_null(tb[NET_DM_ATTR_QUEUE_LEN]);
	nlmsg_free(msg);

	/* START with hardware only carries HW_DROPS alone, and flags are empty. */
	msg = netdm_req_new(FAMILY, NET_DM_CMD_START);
	assert_int_equal(netdm_req_put_origins(msg, false, true), 0);
	g = nlmsg_data(nlmsg_hdr(msg));
	assert_int_equal(nla_parse(tb, NET_DM_ATTR_MAX, genlmsg_attrdata(g, 0),
				   genlmsg_attrlen(g, 0), NULL), 0);
	assert_null(tb[NET_DM_ATTR_SW_DROPS]);
	assert_non_null(tb[NET_DM_ATTR_HW_DROPS]);
	assert_int_equal(nla_len(tb[NET_DM_ATTR_HW_DROPS]), 0);
	nlmsg_free(msg);
}

static void test_names(void **state)
{
	assert_string_equal(netdm_mode_to_str(NETDM_MODE_SUMMARY), "summary");
	assert_string_equal(netdm_mode_to_str(NETDM_MODE_PACKET), "packet");
	assert_string_equal(netdm_mode_to_str(9), "unknown");
	assert_int_equal(netdm_mode_from_str("packet"), NETDM_MODE_PACKET);
	assert_int_equal(netdm_mode_from_str("summary"), NETDM_MODE_SUMMARY);
	assert_int_equal(netdm_mode_from_str("Packet"), -EINVAL);
	assert_int_equal(netdm_mode_from_str(""), -EINVAL);
	assert_string_equal(netdm_cmd_to_str(NET_DM_CMD_STATS_NEW), "stats reply");
	assert_string_equal(netdm_cmd_to_str(0), "unknown");
	assert_string_equal(netdm_cmd_to_str(250), "unknown");
}

/* Who listens to NET_DM's alerts, from /proc/net/netlink's text (--force). */
static void test_group_members(void **state)
{
	static const char text[] =
		"sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
		"000000006ce788b1 0   0          00000000 0        0        0     2        0        4\n"
		"00000000aaaa0001 16  4242       00000001 0        0        0     2        0        999999901\n"
		"(____ptrval____) 16  77         00000004 0        0        0     2        0        999999902\n"
		"00000000aaaa0003 0   88         00000001 0        0        0     2        0        999999903\n"
		"00000000aaaa0004 16  -4099      00000003 0        0        0     2        0        999999904\n"
		"garbage line\n"
		"00000000aaaa0005 16  5\n";
	char who[200];

	(void)state;
	/* Group 1: two generic sockets (not the route socket with bit 0 set). */
	assert_int_equal(nlgroup_members_in(text, 1, who, sizeof(who)), 2);
	assert_string_equal(who, "socket of port 4242, socket of port -4099");
	/* Group 3: one; group 5: none. */
	assert_int_equal(nlgroup_members_in(text, 3, who, sizeof(who)), 1);
	assert_string_equal(who, "socket of port 77");
	assert_int_equal(nlgroup_members_in(text, 5, who, sizeof(who)), 0);
	/* Groups past 32 are not in the file: cannot be told. */
	assert_int_equal(nlgroup_members_in(text, 33, who, sizeof(who)), -1);
	assert_non_null(strstr(who, "1 to 32"));
	assert_int_equal(nlgroup_members_in("", 1, who, sizeof(who)), 0);
	/* A short buffer keeps whole names. */
	assert_int_equal(nlgroup_members_in(text, 1, who, 24), 2);
	assert_string_equal(who, "socket of port 4242");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_capture),
		cmocka_unit_test(test_packet_capture),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_summary_counts_checked),
		cmocka_unit_test(test_hw_summary),
		cmocka_unit_test(test_packet_malformed),
		cmocka_unit_test(test_attr_walk),
		cmocka_unit_test(test_coalesce_wait),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_peek_constructed),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_group_members),
	};

	return cmocka_run_group_tests_name("netdm", tests, NULL, NULL);
}
