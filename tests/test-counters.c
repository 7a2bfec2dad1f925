// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's counter files, as recorded from Linux 6.1 and 6.12 (the rig's
 * Debian cloud kernels) and 6.18 (the development machine): every group and
 * counter found; and damaged text (rows and columns missing or added, values
 * that are not numbers, lines too long) skipped and counted, never fatal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/gen_stats.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "counters.h"
#include "reasons.h"
#include "rtstats.h"

static char *load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf = malloc(1 << 16);

	snprintf(path, sizeof(path), "%s/tests/fixtures/counters/%s",
		 getenv("srcdir") ? getenv("srcdir") : ".", name);
	f = fopen(path, "r");
	assert_non_null(f);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static uint64_t value(const struct counter_set *s, const char *name)
{
	const struct counter *c = counters_find(s, name);

	if (!c)
		fail_msg("no counter %s", name);
	return c->value;
}

static void recorded(const char *kernel)
{
	static const char *const snmp_names[] = {
		"Ip.InHdrErrors", "Ip.InAddrErrors", "Ip.InUnknownProtos", "Ip.InDiscards",
		"Ip.ReasmFails", "Ip.ReasmTimeout", "Udp.NoPorts", "Udp.RcvbufErrors",
		"Udp.InCsumErrors", "Tcp.InCsumErrors", "Icmp.InErrors", NULL,
	};
	static const char *const netstat_names[] = {
		"TcpExt.TCPBacklogDrop", "TcpExt.TCPZeroWindowDrop", "TcpExt.ListenDrops",
		"IpExt.InNoRoutes", "IpExt.InCsumErrors", NULL,
	};
	static const char *const snmp6_names[] = {
		"Udp6NoPorts", "Udp6RcvbufErrors", "Ip6InHdrErrors", "Ip6InNoRoutes", NULL,
	};
	struct counter_set s;
	char name[64];
	size_t len;
	char *t;

	counters_init(&s);
	snprintf(name, sizeof(name), "snmp-%s", kernel);
	t = load(name, &len);
	assert_int_equal(counters_parse_snmp(&s, t, len), 0);
	free(t);
	snprintf(name, sizeof(name), "netstat-%s", kernel);
	t = load(name, &len);
	assert_int_equal(counters_parse_snmp(&s, t, len), 0);
	free(t);
	snprintf(name, sizeof(name), "snmp6-%s", kernel);
	t = load(name, &len);
	assert_int_equal(counters_parse_snmp6(&s, t, len), 0);
	free(t);
	snprintf(name, sizeof(name), "softnet_stat-%s", kernel);
	t = load(name, &len);
	assert_int_equal(counters_parse_softnet(&s, t, len), 0);
	free(t);
	assert_int_equal(s.bad, 0);
	for (size_t i = 0; snmp_names[i]; i++)
		(void)value(&s, snmp_names[i]);
	for (size_t i = 0; netstat_names[i]; i++)
		(void)value(&s, netstat_names[i]);
	for (size_t i = 0; snmp6_names[i]; i++)
		(void)value(&s, snmp6_names[i]);
	(void)value(&s, "softnet.dropped");
	(void)value(&s, "softnet.time_squeeze");
	(void)value(&s, "softnet.cpu0.processed");
	(void)value(&s, "softnet.cpu1.processed");
	assert_null(counters_find(&s, "softnet.cpu2.processed"));	/* two CPUs each */
	counters_free(&s);
}

static void test_recorded_6_1(void **state)
{
	(void)state;
	recorded("6.1");
}

static void test_recorded_6_12(void **state)
{
	(void)state;
	recorded("6.12");
}

static void test_recorded_6_18(void **state)
{
	(void)state;
	recorded("6.18");
}

static void test_snmp_values(void **state)
{
	static const char text[] =
		"Ip: Forwarding DefaultTTL InHdrErrors\n"
		"Ip: 1 64 7\n"
		"Tcp: RtoAlgorithm MaxConn InCsumErrors\n"
		"Tcp: 1 -1 3\n"
		"Udp: InDatagrams NoPorts\n"
		"Udp: 10 18446744073709551615\n";
	struct counter_set s;

	(void)state;
	counters_init(&s);
	assert_int_equal(counters_parse_snmp(&s, text, sizeof(text) - 1), 0);
	assert_int_equal(value(&s, "Ip.InHdrErrors"), 7);
	assert_int_equal(value(&s, "Tcp.InCsumErrors"), 3);
	assert_null(counters_find(&s, "Tcp.MaxConn"));		/* -1: not a counter */
	assert_true(value(&s, "Udp.NoPorts") == UINT64_MAX);
	assert_int_equal(s.bad, 0);
	counters_free(&s);
}

static void test_damaged(void **state)
{
	static const char snmp[] =
		"Ip: A B C\n"
		"Ip: 1 2\n"			/* a value missing: the group is skipped */
		"Udp: NoPorts Extra\n"
		"Icmp: 1 2\n"			/* another group's values */
		"Tcp: X Y\n"
		"Tcp: 5 zz\n"			/* not a number: that one skipped */
		"Orphan: names only\n";		/* no values line */
	static const char snmp6[] =
		"Udp6NoPorts 4\n"
		"\n"
		"Udp6InErrors\n"		/* no value */
		"Udp6RcvbufErrors 1 2\n"	/* too many */
		"Ip6InHdrErrors 0x10\n";	/* not decimal */
	static const char softnet[] =
		"0000000a 00000002 00000003\n"	/* an old kernel's three columns */
		"zz\n"
		"0000000b 00000001 00000000 0 0 0 0 0 0 00000000 00000000 00000000 00000005\n";
	struct counter_set s;
	char *long_line = malloc(20000);

	(void)state;
	counters_init(&s);
	assert_int_equal(counters_parse_snmp(&s, snmp, sizeof(snmp) - 1), 0);
	assert_null(counters_find(&s, "Ip.A"));
	assert_null(counters_find(&s, "Udp.NoPorts"));
	assert_int_equal(value(&s, "Tcp.X"), 5);
	assert_null(counters_find(&s, "Tcp.Y"));
	assert_int_equal(counters_parse_snmp6(&s, snmp6, sizeof(snmp6) - 1), 0);
	assert_int_equal(value(&s, "Udp6NoPorts"), 4);
	assert_null(counters_find(&s, "Udp6RcvbufErrors"));
	assert_null(counters_find(&s, "Ip6InHdrErrors"));
	assert_int_equal(counters_parse_softnet(&s, softnet, sizeof(softnet) - 1), 0);
	assert_int_equal(value(&s, "softnet.dropped"), 3);
	assert_int_equal(value(&s, "softnet.cpu0.dropped"), 2);
	assert_int_equal(value(&s, "softnet.cpu5.processed"), 11);	/* by its own CPU column */
	assert_true(s.bad >= 8);
	memset(long_line, 'a', 19999);
	long_line[19999] = '\n';
	assert_int_equal(counters_parse_snmp6(&s, long_line, 20000), 0);
	assert_int_equal(counters_parse_snmp(&s, long_line, 20000), 0);
	free(long_line);
	counters_free(&s);
}

/* Every reason of the map is one the kernel has, every counter it names a drop counter we
 * explain, and every plain one is found in the files of 6.1 or 6.12. */
static void test_map(void **state)
{
	static const char *const kernels[] = { "6.1", "6.12" };
	struct counter_set s;
	const struct counter_join *j;
	size_t n;

	(void)state;
	counters_init(&s);
	for (size_t k = 0; k < 2; k++) {
		static const char *const files[] = { "snmp", "netstat", "snmp6", "softnet_stat" };

		for (size_t f = 0; f < 4; f++) {
			char name[64];
			size_t len;
			char *t;

			snprintf(name, sizeof(name), "%s-%s", files[f], kernels[k]);
			t = load(name, &len);
			if (f == 2)
				counters_parse_snmp6(&s, t, len);
			else if (f == 3)
				counters_parse_softnet(&s, t, len);
			else
				counters_parse_snmp(&s, t, len);
			free(t);
		}
	}
	j = counters_joins(&n);
	assert_true(n >= 18);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(j[i].reasons[0]);
		assert_non_null(j[i].counters[0]);
		for (size_t r = 0; r < JOIN_REASONS && j[i].reasons[r]; r++) {
			static const char *const tcp_events[] = {
				"retransmit_ok", "retransmit_failed", "reset_sent", NULL,
			};
			size_t e = 0;

			/* TCP's events (-m tcp) by what the counters count of them. */
			while (tcp_events[e] && strcmp(tcp_events[e], j[i].reasons[r]))
				e++;
			if (!tcp_events[e] && !reason_explain(j[i].reasons[r]))
				fail_msg("%s: not a reason of the kernel", j[i].reasons[r]);
			assert_ptr_equal(counters_join_of(j[i].reasons[r]), r ? counters_join_of(j[i].reasons[r]) : &j[i]);
		}
		for (size_t c = 0; c < JOIN_COUNTERS && j[i].counters[c]; c++) {
			const char *name = j[i].counters[c];
			char example[96];

			/* A pattern stands for a link's or a qdisc's: try it with a name. */
			snprintf(example, sizeof(example), "%.*seth0%s", (int)(strchr(name, '*') ?
				 strchr(name, '*') - name : (ptrdiff_t)strlen(name)), name,
				 strchr(name, '*') ? strchr(name, '*') + 1 : "");
			if (!counters_info(strchr(name, '*') ? example : name))
				fail_msg("%s: no meaning for it", name);
			if (!strchr(name, '*') && !counters_find(&s, name))
				fail_msg("%s: in neither 6.1's nor 6.12's files", name);
		}
	}
	assert_null(counters_join_of("NETFILTER_DROP"));	/* no counter counts those */
	assert_ptr_equal(counters_join_of("TC_EGRESS"), counters_join_of("QDISC_DROP"));
	assert_true(counters_info("softnet.time_squeeze")->context);
	assert_false(counters_info("link.veth0.tx_dropped")->context);
	assert_null(counters_info("Udp.InDatagrams"));		/* not a drop counter */
	counters_free(&s);
}

static void test_compare(void **state)
{
	static const struct reason_count rc[] = {
		{ "NO_SOCKET", 100 }, { "IP_CSUM", 2 }, { "IP_INHDR", 1 }, { "TC_EGRESS", 5 },
		{ "SOCKET_RCVBUFF", 7 }, { "NETFILTER_DROP", 3 }, { "OTHERHOST", 4 },
		{ "TCP_CSUM", 0 },
	};
	struct counter_set a, b;
	struct counters_report rep;
	const struct join_row *row;

	(void)state;
	counters_init(&a);
	counters_init(&b);
	counters_set(&a, "Udp.NoPorts", 1000);
	counters_set(&b, "Udp.NoPorts", 1100);		/* agrees */
	counters_set(&a, "Udp6NoPorts", 5);
	counters_set(&b, "Udp6NoPorts", 5);
	counters_set(&a, "IpExt.InCsumErrors", 0);
	counters_set(&b, "IpExt.InCsumErrors", 2);
	counters_set(&a, "Ip.InHdrErrors", 0);
	counters_set(&b, "Ip.InHdrErrors", 3);		/* IP_INHDR + IP_CSUM */
	counters_set(&b, "qdisc.lo.clsact.drops", 9);	/* a qdisc that came: from 0; more */
	counters_set(&a, "Udp.RcvbufErrors", 50);
	counters_set(&b, "Udp.RcvbufErrors", 52);	/* fewer */
	counters_set(&a, "link.eth0.rx_missed_errors", 10);
	counters_set(&b, "link.eth0.rx_missed_errors", 1234);	/* moved alone */
	counters_set(&a, "link.veth1.tx_dropped", 900);
	counters_set(&b, "link.veth1.tx_dropped", 6);	/* made again: counts from 0 */
	counters_set(&b, "Ip.InDiscards", 77);		/* not in the first: left out */
	counters_set(&a, "softnet.time_squeeze", 1);
	counters_set(&b, "softnet.time_squeeze", 8);	/* context */
	counters_set(&a, "Udp.InDatagrams", 1);
	counters_set(&b, "Udp.InDatagrams", 900);	/* not a drop counter */
	assert_int_equal(counters_compare(&a, &b, rc, sizeof(rc) / sizeof(rc[0]), &rep), 0);

	/* NO_SOCKET, IP_CSUM, IP_INHDR+IP_CSUM, SOCKET_RCVBUFF, qdiscs; OTHERHOST has no counter here. */
	assert_int_equal(rep.njoins, 5);
	row = &rep.joins[0];
	assert_string_equal(row->j->reasons[0], "NO_SOCKET");
	assert_int_equal(row->drops, 100);
	assert_int_equal(row->change, 100);
	assert_int_equal(row->verdict, JOIN_AGREES);
	assert_int_equal(row->n, 1);			/* Udp6NoPorts did not move: not shown */
	assert_string_equal(row->name[0], "Udp.NoPorts");
	for (size_t i = 0; i < rep.njoins; i++) {
		row = &rep.joins[i];
		if (!strcmp(row->j->reasons[0], "IP_INHDR")) {
			assert_int_equal(row->drops, 3);
			assert_int_equal(row->seen, 3);
			assert_int_equal(row->verdict, JOIN_AGREES);
		} else if (!strcmp(row->j->reasons[0], "SOCKET_RCVBUFF")) {
			assert_int_equal(row->change, 2);
			assert_int_equal(row->verdict, JOIN_FEWER);
		} else if (!strcmp(row->j->reasons[0], "QDISC_DROP")) {
			assert_int_equal(row->drops, 5);
			assert_int_equal(row->seen, 2);		/* TC_EGRESS only */
			assert_int_equal(row->change, 9);
			assert_int_equal(row->verdict, JOIN_MORE);
		}
	}
	/* Uncounted: NETFILTER_DROP (no counter), OTHERHOST (none on this "kernel"); not TCP_CSUM (0). */
	assert_int_equal(rep.nuncounted, 2);
	assert_string_equal(rep.uncounted[0].reason, "NETFILTER_DROP");
	assert_string_equal(rep.uncounted[1].reason, "OTHERHOST");
	assert_int_equal(rep.nmoved, 2);
	assert_string_equal(rep.moved[0].name, "link.eth0.rx_missed_errors");
	assert_int_equal(rep.moved[0].delta, 1224);
	assert_string_equal(rep.moved[1].name, "link.veth1.tx_dropped");
	assert_int_equal(rep.moved[1].delta, 6);
	assert_int_equal(rep.ncontext, 1);
	assert_string_equal(rep.context[0].name, "softnet.time_squeeze");
	assert_int_equal(rep.context[0].delta, 7);
	counters_report_free(&rep);

	/* A reason's counter that moved with none of its drops is a counter moved alone. */
	assert_int_equal(counters_compare(&a, &b, NULL, 0, &rep), 0);
	assert_int_equal(rep.njoins, 0);
	assert_int_equal(rep.nmoved, 7);
	counters_report_free(&rep);
	counters_free(&a);
	counters_free(&b);
}

static void test_many(void **state)
{
	struct counter_set s;
	char name[32];

	(void)state;
	counters_init(&s);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		assert_int_equal(counters_set(&s, name, (uint64_t)i), 0);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		assert_int_equal(value(&s, name), i);
	}
	assert_int_equal(counters_add(&s, "c7", 3), 0);
	assert_int_equal(value(&s, "c7"), 10);
	assert_int_equal(s.n, 5000);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	{
		char longname[COUNTER_NAME_MAX + 8];

		memset(longname, 'y', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		assert_int_equal(counters_set(&s, longname, 1), 0);	/* refused, counted */
		assert_null(counters_find(&s, longname));
		assert_int_equal(s.bad, 1);
	}
	counters_free(&s);
}

/* The statistics of the messages below: the loss fields, and one that is not loss. */
static void fill_stats(struct rtnl_link_stats64 *st)
{
	memset(st, 0, sizeof(*st));
	st->rx_dropped = 11;
	st->tx_dropped = 12;
	st->rx_missed_errors = 13;
	st->rx_nohandler = 14;
	st->rx_otherhost_dropped = 15;
	st->rx_packets = 99;
}

/* An RTM_NEWLINK as a link dump sends it; @stats_len bytes of stats64 (0: none). */
static struct nl_msg *link_msg(int index, const char *name, size_t name_len, size_t stats_len)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	struct rtnl_link_stats64 st;
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI);

	fill_stats(&st);
	assert_int_equal(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	if (name)
		assert_int_equal(nla_put(m, IFLA_IFNAME, (int)name_len, name), 0);
	if (stats_len)
		assert_int_equal(nla_put(m, IFLA_STATS64, (int)stats_len, &st), 0);
	return m;
}

/* An RTM_NEWSTATS as RTM_GETSTATS answers: @stats_len bytes of IFLA_STATS_LINK_64 (0: none). */
static struct nl_msg *stats_msg(int index, size_t stats_len)
{
	struct if_stats_msg ifs = { .family = AF_UNSPEC, .ifindex = (uint32_t)index };
	struct rtnl_link_stats64 st;
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWSTATS, NLM_F_MULTI);

	fill_stats(&st);
	assert_int_equal(nlmsg_append(m, &ifs, sizeof(ifs), NLMSG_ALIGNTO), 0);
	if (stats_len)
		assert_int_equal(nla_put(m, IFLA_STATS_LINK_64, (int)stats_len, &st), 0);
	return m;
}

/* A link dump gives the names (its statistics come from RTM_GETSTATS instead). */
static void test_rtnl_link(void **state)
{
	struct counter_set s;
	struct ifname_map names = { 0 };
	struct nl_msg *m;

	(void)state;
	counters_init(&s);
	m = link_msg(2, "eth0", 5, sizeof(struct rtnl_link_stats64));
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_int_equal(names.n, 1);
	assert_int_equal(names.e[0].index, 2);
	assert_string_equal(names.e[0].name, "eth0");
	assert_int_equal(s.n, 0);
	/* A name of 15 bytes with no NUL; no statistics at all. */
	m = link_msg(4, "abcdefghijklmno", 15, 0);
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_string_equal(names.e[1].name, "abcdefghijklmno");
	assert_int_equal(s.bad, 0);

	/* Wrong: no name, an empty one, one too long, another message type. */
	m = link_msg(5, NULL, 0, sizeof(struct rtnl_link_stats64));
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	m = link_msg(5, "", 1, sizeof(struct rtnl_link_stats64));
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	m = link_msg(5, "abcdefghijklmnopqrstuvwxyz", 27, sizeof(struct rtnl_link_stats64));
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	m = link_msg(5, "eth9", 5, 8);
	nlmsg_hdr(m)->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	assert_int_equal(s.bad, 4);
	assert_int_equal(names.n, 2);
	ifname_map_free(&names);
	counters_free(&s);
}

static void test_rtnl_stats(void **state)
{
	struct counter_set s;
	struct ifname_map names = { 0 };
	struct nl_msg *m;

	(void)state;
	counters_init(&s);
	m = link_msg(2, "eth0", 5, 0);
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	m = link_msg(3, "old0", 5, 0);
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	m = stats_msg(2, sizeof(struct rtnl_link_stats64));
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), 0);
	assert_int_equal(value(&s, "link.eth0.rx_dropped"), 11);
	assert_int_equal(value(&s, "link.eth0.tx_dropped"), 12);
	assert_int_equal(value(&s, "link.eth0.rx_missed_errors"), 13);
	assert_int_equal(value(&s, "link.eth0.rx_nohandler"), 14);
	assert_int_equal(value(&s, "link.eth0.rx_otherhost_dropped"), 15);
	assert_null(counters_find(&s, "link.eth0.rx_packets"));	/* not a loss */
	/* An index the names lack: named by its number. */
	((struct if_stats_msg *)nlmsg_data(nlmsg_hdr(m)))->ifindex = 9;
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), 0);
	assert_int_equal(value(&s, "link.if9.rx_missed_errors"), 13);
	/* Another type; a header cut short. */
	nlmsg_hdr(m)->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_hdr(m)->nlmsg_type = RTM_NEWSTATS;
	nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	assert_int_equal(s.bad, 2);
	/* A kernel before 5.19: no rx_otherhost_dropped at the end of the struct. */
	m = stats_msg(3, offsetof(struct rtnl_link_stats64, rx_otherhost_dropped));
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_int_equal(value(&s, "link.old0.rx_nohandler"), 14);
	assert_null(counters_find(&s, "link.old0.rx_otherhost_dropped"));
	/* No statistics: nothing, and nothing bad. */
	m = stats_msg(2, 0);
	assert_int_equal(rtstats_parse_stats(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_int_equal(s.bad, 2);
	ifname_map_free(&names);
	counters_free(&s);
}

/* An RTM_NEWQDISC; @stats: 2 for TCA_STATS2, 1 for the old TCA_STATS, 0 for none. */
static struct nl_msg *qdisc_msg(int index, uint32_t parent, const char *kind, int stats)
{
	struct tcmsg t = { .tcm_family = AF_UNSPEC, .tcm_ifindex = index, .tcm_parent = parent };
	struct gnet_stats_queue q = { .drops = 21, .overlimits = 22, .requeues = 23 };
	struct tc_stats old = { .drops = 31, .overlimits = 32 };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWQDISC, NLM_F_MULTI);

	assert_int_equal(nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_string(m, TCA_KIND, kind), 0);
	if (stats == 2) {
		struct nlattr *nest = nla_nest_start(m, TCA_STATS2);

		assert_int_equal(nla_put(m, TCA_STATS_QUEUE, sizeof(q), &q), 0);
		nla_nest_end(m, nest);
	} else if (stats == 1) {
		assert_int_equal(nla_put(m, TCA_STATS, sizeof(old), &old), 0);
	}
	return m;
}

static void test_rtnl_qdisc(void **state)
{
	struct counter_set s;
	struct ifname_map names = { 0 };
	struct nl_msg *m;

	(void)state;
	counters_init(&s);
	m = link_msg(2, "eth0", 5, 0);
	assert_int_equal(rtstats_parse_link(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	m = qdisc_msg(2, TC_H_ROOT, "fq_codel", 2);
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_int_equal(value(&s, "qdisc.eth0.fq_codel.drops"), 21);
	assert_int_equal(value(&s, "qdisc.eth0.fq_codel.overlimits"), 22);
	assert_int_equal(value(&s, "qdisc.eth0.fq_codel.requeues"), 23);
	/* A child: its drops are in its parent's already. */
	m = qdisc_msg(2, TC_H_MAKE(1 << 16, 1), "pfifo", 2);
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_null(counters_find(&s, "qdisc.eth0.pfifo.drops"));
	/* clsact on an interface the link dump did not name; the old TCA_STATS. */
	m = qdisc_msg(7, TC_H_INGRESS, "clsact", 1);
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_int_equal(value(&s, "qdisc.if7.clsact.drops"), 31);
	/* No statistics: nothing. A kind too long, a message of another type: bad. */
	m = qdisc_msg(2, TC_H_INGRESS, "ingress", 0);
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), 0);
	nlmsg_free(m);
	assert_null(counters_find(&s, "qdisc.eth0.ingress.drops"));
	assert_int_equal(s.bad, 0);
	m = qdisc_msg(2, TC_H_ROOT, "a_kind_longer_than_ifnamsiz", 2);
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	m = qdisc_msg(2, TC_H_ROOT, "fq", 2);
	nlmsg_hdr(m)->nlmsg_type = RTM_NEWTCLASS;
	assert_int_equal(rtstats_parse_qdisc(&s, nlmsg_hdr(m), &names), -EINVAL);
	nlmsg_free(m);
	assert_int_equal(s.bad, 2);
	ifname_map_free(&names);
	counters_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_6_1),
		cmocka_unit_test(test_recorded_6_12),
		cmocka_unit_test(test_recorded_6_18),
		cmocka_unit_test(test_snmp_values),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_rtnl_link),
		cmocka_unit_test(test_rtnl_stats),
		cmocka_unit_test(test_rtnl_qdisc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
