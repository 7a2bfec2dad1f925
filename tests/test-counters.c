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

#include "counters.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_6_1),
		cmocka_unit_test(test_recorded_6_12),
		cmocka_unit_test(test_recorded_6_18),
		cmocka_unit_test(test_snmp_values),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
