// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every kind of drop record through the one printer, in the format named by
 * argv[1] (text, kv or json): summaries (software with a known, an unknown
 * and a zero address; hardware), packets (software with the kernel's text,
 * a module symbol and a VLAN-tagged TCP packet; hardware with a trap and a
 * cookie), tracepoint records with and without a call chain, and hostile
 * strings with control characters in every string field; then the table of
 * them all; TCP's events and drops (-m tcp) and their table; and the section of the kernel's counters beside them (every
 * part of it, a hostile interface name among the counters), and the same
 * section when there is nothing to compare. tests/records.test compares the formats field by field and
 * validates the JSON against the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "counters.h"
#include "losses.h"
#include "drop.h"
#include "print.h"
#include "record.h"
#include "rtnl-build.h"
#include "symres.h"
#include "table.h"

static const char kallsyms[] =
	"ffffffff81000000 T __udp4_lib_rcv\n"
	"ffffffff81001000 T ip_local_deliver_finish\n"
	"ffffffff81002000 T udp_sendmsg\n"
	"ffffffffc0000000 t nf_hook_slow\t[nf_tables]\n"
	"ffffffffc0010000 t \x1b[31mevil\t[bad\x07mod]\n";

/* Ethernet, 802.1Q tag 42, IPv4, TCP SYN-ACK 10.0.0.1:80 > 10.0.0.2:40000 */
static const uint8_t tcp_frame[] = {
	2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 42, 0x08, 0x00,
	0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x00, 80, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x12, 0xff, 0xff, 0, 0, 0, 0,
};

/* IPv4 without a MAC header: UDP 127.0.0.1:5000 > 127.0.0.1:9 */
static const uint8_t udp_packet[] = {
	0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
	0x13, 0x88, 0, 9, 0, 8, 0, 0,
};

static const uint8_t cookie[] = { 0xde, 0xad, 0xbe, 0xef };
static const uint64_t chain[] = { 0xffffffff81000010ull, 0xffffffff81001020ull,
				  0xffffffffc0000030ull, 0xffffffff90000000ull,
				  0xffffffff81002040ull };
static const uint64_t evil_chain[] = { 0xffffffffc0010004ull };

#define T0 1764000000123456789ull

static const struct drop_event events[] = {
	/* NET_DM summaries: known, unknown and zero addresses; hardware. */
	{ .summary = true, .count = 200, .pc = 0xffffffff81000010ull },
	{ .summary = true, .count = 3, .pc = 0xffffffff70000000ull },
	{ .summary = true, .count = 1, .pc = 0 },
	{ .summary = true, .origin = DROP_ORIGIN_HW, .count = 7, .trap_name = "blackhole_route" },
	{ .summary = true, .origin = DROP_ORIGIN_HW, .count = 2, .trap_name = "bad\x1b[2Jtrap" },
	/* NET_DM packets. */
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_IFINDEX | DROP_HAS_TIMESTAMP | DROP_HAS_PROTO |
	  DROP_HAS_ORIG_LEN, .pc = 0xffffffff81000010ull, .symbol = "__udp4_lib_rcv+0x10/0x400",
	  .reason = "NO_SOCKET", .ifindex = 1, .ifname = "lo", .timestamp_ns = T0, .proto = 0x0800,
	  .orig_len = 128, .payload = udp_packet, .payload_len = sizeof(udp_packet) },
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_IFINDEX | DROP_HAS_TIMESTAMP | DROP_HAS_PROTO,
	  .pc = 0xffffffffc0000030ull, .symbol = "nf_hook_slow+0x30/0x100 [nf_tables]",
	  .reason = "NETFILTER_DROP", .ifindex = 3, .timestamp_ns = T0 + 1, .proto = 0x8100,
	  .payload = tcp_frame, .payload_len = sizeof(tcp_frame) },
	{ .count = 1, .origin = DROP_ORIGIN_HW, .has = DROP_HAS_IFINDEX | DROP_HAS_TIMESTAMP |
	  DROP_HAS_PROTO | DROP_HAS_ORIG_LEN, .trap_name = "blackhole_route",
	  .trap_group = "l3_drops", .ifindex = 5, .ifname = "eth0", .timestamp_ns = T0 + 2,
	  .proto = 0x0800, .orig_len = 60, .payload = tcp_frame, .payload_len = sizeof(tcp_frame),
	  .cookie = cookie, .cookie_len = sizeof(cookie) },
	/* Hostile strings from the kernel: every string field. */
	{ .count = 1, .origin = DROP_ORIGIN_HW, .has = DROP_HAS_IFINDEX | DROP_HAS_TIMESTAMP,
	  .trap_name = "trap\n\"quoted\" x=1", .trap_group = "gr\toup\\", .ifindex = 6,
	  .ifname = "e\x1b]0;pwned\x07th", .timestamp_ns = T0 + 3 },
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_TIMESTAMP, .pc = 0xffffffff81000010ull,
	  .symbol = "sym\x1b[1m+0x10/0x20 [m\x7fod]", .reason = "RE\x1b[0mASON \"x\"",
	  .timestamp_ns = T0 + 4 },
	/* The tracepoint: a packet with a call chain, one without, a summary with a reason. */
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_PROTO | DROP_HAS_TASK | DROP_NO_PAYLOAD,
	  .pc = 0xffffffff81000010ull, .reason = "NO_SOCKET", .proto = 0x0800, .cpu = 1,
	  .pid = 4242, .comm = "udpsend", .stack = chain, .stack_len = 5 },
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_PROTO | DROP_HAS_TASK | DROP_NO_PAYLOAD,
	  .pc = 0xffffffff81002040ull, .reason = "SOCKET_FILTER", .proto = 0x86dd, .cpu = 0,
	  .pid = 1, .comm = "co\x1bmm \"x\"" },
	{ .summary = true, .count = 9, .has = DROP_HAS_PC | DROP_NO_PAYLOAD,
	  .pc = 0xffffffff81000010ull, .reason = "NO_SOCKET", .stack = evil_chain, .stack_len = 1 },
	/*
	 * The eBPF program: a TCP packet with its socket (IPv6, a hostile interface name read in
	 * the container's namespace), a mark; a summary counted in the kernel by namespace and
	 * port (the name from that namespace's table); one in a namespace we do not know.
	 */
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_IFINDEX | DROP_HAS_TIMESTAMP | DROP_HAS_PROTO |
	  DROP_HAS_TASK | DROP_HAS_ORIG_LEN | DROP_HAS_NETNS | DROP_HAS_SOCK | DROP_HAS_MARK,
	  .pc = 0xffffffff81000010ull, .reason = "TCP_OLD_SEQUENCE", .ifindex = 3,
	  .ifname = "ve\x1b[1mth", .timestamp_ns = T0 + 5, .proto = 0x8100, .orig_len = 60,
	  .payload = tcp_frame, .payload_len = sizeof(tcp_frame), .cpu = 1, .pid = 77,
	  .comm = "nginx", .netns = 4026532281u, .mark = 0x2a,
	  .sock = { .family = 10, .state = 1, .protocol = 6, .sport = 80, .dport = 51000,
		    .saddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		    .daddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } } },
	{ .summary = true, .count = 1000, .has = DROP_HAS_PC | DROP_NO_PAYLOAD | DROP_HAS_IFINDEX |
	  DROP_HAS_NETNS, .pc = 0xffffffff81000010ull, .reason = "NO_SOCKET", .ifindex = 3,
	  .netns = 4026532281u },
	{ .summary = true, .count = 2, .has = DROP_HAS_PC | DROP_NO_PAYLOAD | DROP_HAS_IFINDEX |
	  DROP_HAS_NETNS, .pc = 0xffffffff81000010ull, .reason = "NO_SOCKET", .ifindex = 9,
	  .netns = 4026539999u },
};

/*
 * TCP's events (-m tcp): retransmits with each kind of result (and a kernel without err),
 * resets sent with a reason, without one and without addresses, received over IPv6 with a
 * hostile task name; a TCP drop of the tracepoint, printed as one of them.
 */
#define TCP_HAS (DROP_HAS_TIMESTAMP | DROP_HAS_TASK | DROP_NO_PAYLOAD | DROP_HAS_SOCK)
#define CONN4 { .family = 2, .state = 1, .protocol = 6, .sport = 40000, .dport = 5001, \
		.saddr = { 10, 99, 0, 1 }, .daddr = { 10, 99, 0, 2 } }
static const struct drop_event tcp_events[] = {
	{ .kind = DROP_KIND_RETRANSMIT, .count = 1, .has = TCP_HAS | DROP_HAS_RESULT,
	  .timestamp_ns = T0 + 10, .cpu = 0, .pid = 0, .comm = "swapper/0", .sock = CONN4 },
	{ .kind = DROP_KIND_RETRANSMIT, .count = 1, .has = TCP_HAS | DROP_HAS_RESULT,
	  .tcp_result = -113, .timestamp_ns = T0 + 11, .cpu = 1, .pid = 9, .comm = "ksoftirqd/1",
	  .sock = CONN4, .stack = chain, .stack_len = 2 },
	{ .kind = DROP_KIND_RETRANSMIT, .count = 1, .has = TCP_HAS | DROP_HAS_RESULT,
	  .tcp_result = -16, .timestamp_ns = T0 + 12, .cpu = 1, .pid = 9, .comm = "ksoftirqd/1",
	  .sock = CONN4 },
	{ .kind = DROP_KIND_RETRANSMIT, .count = 1, .has = TCP_HAS | DROP_HAS_RESULT,
	  .tcp_result = 1, .timestamp_ns = T0 + 13, .cpu = 1, .pid = 9, .comm = "ksoftirqd/1",
	  .sock = CONN4 },
	{ .kind = DROP_KIND_RETRANSMIT, .count = 1, .has = TCP_HAS | DROP_HAS_RESULT,
	  .tcp_result = -4000, .timestamp_ns = T0 + 14, .cpu = 1, .pid = 9, .comm = "ksoftirqd/1",
	  .sock = CONN4 },
	{ .kind = DROP_KIND_RESET_SENT, .count = 1, .has = TCP_HAS, .reason = "NO_SOCKET",
	  .timestamp_ns = T0 + 15, .cpu = 0, .pid = 31, .comm = "curl",
	  .sock = { .family = 2, .protocol = 6, .sport = 5001, .dport = 40001,
		    .saddr = { 10, 99, 0, 2 }, .daddr = { 10, 99, 0, 1 } } },
	{ .kind = DROP_KIND_RESET_SENT, .count = 1, .has = TCP_HAS, .reason = "RE\x1b[0mSET",
	  .timestamp_ns = T0 + 16, .cpu = 0, .pid = 31, .comm = "curl", .sock = CONN4 },
	{ .kind = DROP_KIND_RESET_SENT, .count = 1, .has = TCP_HAS & ~DROP_HAS_SOCK,
	  .timestamp_ns = T0 + 17, .cpu = 0, .pid = 31, .comm = "curl" },
	{ .kind = DROP_KIND_RESET_RECEIVED, .count = 1, .has = TCP_HAS, .timestamp_ns = T0 + 18,
	  .cpu = 1, .pid = 32, .comm = "ss\x1b[2J\"x\"",
	  .sock = { .family = 10, .state = 2, .protocol = 6, .sport = 51000, .dport = 443,
		    .saddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
		    .daddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } },
	{ .count = 1, .has = DROP_HAS_PC | DROP_HAS_PROTO | DROP_HAS_TASK | DROP_NO_PAYLOAD |
	  DROP_HAS_TIMESTAMP, .pc = 0xffffffff81000010ull, .reason = "TCP_ZEROWINDOW",
	  .proto = 0x0800, .timestamp_ns = T0 + 19, .cpu = 1, .pid = 4242, .comm = "iperf3" },
};

/* The counters' section: a verdict of each kind, a reason no counter counts, counters that
 * moved alone (one of a link that appeared, one with a hostile name), context. */
static void counters_section(struct printer *p)
{
	static const struct reason_count rc[] = {
		{ "NO_SOCKET", 5 }, { "TC_EGRESS", 1 }, { "SOCKET_RCVBUFF", 4 },
		{ "NOT_SPECIFIED", 9 }, { "bad\\x07reason", 1 },
	};
	struct counter_set a, b;
	struct counters_report rep;
	struct loss_extra x = { .available = true, .elapsed = 2.5, .no_reason = 3, .ambiguous = 4,
				.lost = 2, .bad = 1 };

	counters_init(&a);
	counters_init(&b);
	counters_set(&a, "Udp.NoPorts", 10);
	counters_set(&b, "Udp.NoPorts", 15);
	counters_set(&a, "Udp.RcvbufErrors", 0);
	counters_set(&b, "Udp.RcvbufErrors", 3);
	counters_set(&b, "qdisc.lo.clsact.drops", 2);
	counters_set(&a, "link.e\x1b[2Jvil.rx_dropped", 1);
	counters_set(&b, "link.e\x1b[2Jvil.rx_dropped", 8);
	counters_set(&b, "link.new0.rx_missed_errors", 3);
	counters_set(&a, "softnet.time_squeeze", 1);
	counters_set(&b, "softnet.time_squeeze", 4);
	/* Two other namespaces: one compared (a hostile name), one that came during the run. */
	struct loss_ns ns[2] = {
		{ .ino = 4026532281ull, .name = "c\\x1b[2Jtr", .container = "docker:0123456789ab",
		  .available = true },
		{ .ino = 4026532290ull, .why = "it appeared during the run: its counters were not read before" },
	};
	static const struct reason_count nsrc[] = { { "NO_SOCKET", 4 } };

	x.ns = ns;
	x.nns = 2;
	if (counters_compare(&a, &b, nsrc, 1, &ns[0].rep) == 0 &&
	    counters_compare(&a, &b, rc, sizeof(rc) / sizeof(rc[0]), &rep) == 0) {
		losses_print(p, &rep, &x);
		counters_report_free(&rep);
		counters_report_free(&ns[0].rep);
	}
	x = (struct loss_extra){ .available = false, .why = "a capture has no live counters" };
	losses_print(p, &rep, &x);
	counters_free(&a);
	counters_free(&b);
}

int main(int argc, char **argv)
{
	static struct out_ctx o;
	struct record_ctx rc = { .now_ns = T0, .explain = true };
	struct sym_load_info info;
	struct sym_index *idx;
	struct agg_spec spec;
	struct table_extra x = { .elapsed = 2.5, .hidden = 1, .ignored = 2, .lost = 3 };
	struct agg *a;
	char err[128];
	int fmt;
	size_t i;

	fmt = argc == 2 ? out_format_from_str(argv[1]) : -1;
	if (fmt < 0) {
		fprintf(stderr, "usage: record-kinds text|kv|json\n");
		return 2;
	}
	if (sym_index_load_buf(kallsyms, sizeof(kallsyms) - 1, &idx, &info) ||
	    agg_spec_parse(&spec, "loc,reason,dev,origin,proto,stack,netns", err, sizeof(err)))
		return 1;
	rc.sym = symres_new();
	symres_set_index(rc.sym, idx);
	/*
	 * The namespaces: ours (lo, eth0, and eth1 at 3) and a container's with a hostile
	 * name, owner and interface name, that has 3 too and the TCP packet's 10.0.0.2, and
	 * its own lo: the drop at 3 is its by address; lo's is ambiguous.
	 */
	rc.netns = netns_db_new();
	netns_add(rc.netns, 4026531840ull, NETNS_SELF, "host", NULL, true);
	netns_add(rc.netns, 4026532281ull, 0, "c\x1b[2Jtr", "docker:01\x1b]0;x\x07", false);
	rtnl_link(rc.netns, NETNS_SELF, RTM_NEWLINK, 1, "lo");
	rtnl_addr(rc.netns, NETNS_SELF, RTM_NEWADDR, 1, "127.0.0.1");
	rtnl_link(rc.netns, NETNS_SELF, RTM_NEWLINK, 3, "eth1");
	rtnl_link(rc.netns, NETNS_SELF, RTM_NEWLINK, 5, "eth0");
	rtnl_link(rc.netns, 0, RTM_NEWLINK, 1, "lo");
	rtnl_addr(rc.netns, 0, RTM_NEWADDR, 1, "127.0.0.1");
	rtnl_link(rc.netns, 0, RTM_NEWLINK, 3, "ve\x1b[1mth");
	rtnl_addr(rc.netns, 0, RTM_NEWADDR, 3, "10.0.0.2");
	out_init(&o, stdout, fmt);
	o.verbose = true;
	a = agg_new(&spec);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		struct drop_record r;

		record_build(&rc, &r, &events[i]);
		out_record(&o, &r);
		agg_add(a, &r, events[i].count);
	}
	table_print(&o.p, a, &x);
	counters_section(&o.p);
	agg_free(a);
	/* TCP's events, and their table by event, cause, state and connection. */
	if (agg_spec_parse(&spec, "event,cause,state,conn", err, sizeof(err)))
		return 1;
	a = agg_new(&spec);
	o.tcp = true;
	x.what = "TCP events";
	for (i = 0; i < sizeof(tcp_events) / sizeof(tcp_events[0]); i++) {
		struct drop_record r;

		record_build(&rc, &r, &tcp_events[i]);
		out_record(&o, &r);
		agg_add(a, &r, tcp_events[i].count);
	}
	table_print(&o.p, a, &x);
	agg_free(a);
	symres_free(rc.sym);
	netns_db_close(rc.netns);
	return 0;
}
