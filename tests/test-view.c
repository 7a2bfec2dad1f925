// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What dropwatch shows: the table's arithmetic on constructed drops, the
 * filters and the ignore list, and the reason catalogue parsed from the
 * skb:kfree_skb format files of Linux 6.1 and 6.18 (tests/fixtures).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "aggregate.h"
#include "drop.h"
#include "filter.h"
#include "table.h"
#include <bpf/btf.h>

#include "reasons.h"
#include "fixture.h"

/* A UDP/IPv4 frame on Ethernet to @dport. */
static uint8_t frame[64];

static void make_frame(uint16_t dport)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0, 0, 0, 8, 0, 0,
	};

	memcpy(frame, hdr, sizeof(hdr));
	frame[36] = dport >> 8;
	frame[37] = dport & 0xff;
}

static struct drop_event packet(const char *symbol, const char *reason, uint32_t ifindex,
				uint16_t dport)
{
	struct drop_event ev = {
		.origin = DROP_ORIGIN_SW,
		.has = DROP_HAS_PC | DROP_HAS_IFINDEX | DROP_HAS_PROTO,
		.count = 1,
		.pc = 0xffffffff81000000ull,
		.symbol = symbol,
		.reason = reason,
		.ifindex = ifindex,
		.proto = 0x0800,
		.payload = frame,
		.payload_len = 42,
	};

	make_frame(dport);
	return ev;
}

static struct record_ctx ctx;

static int setup_ctx(void **state)
{
	(void)state;
	ctx.sym = symres_new();
	return ctx.sym ? 0 : -1;
}

static int release_ctx(void **state)
{
	(void)state;
	symres_free(ctx.sym);
	return 0;
}

static void add(struct agg *a, const struct drop_event *ev)
{
	struct drop_record r;

	record_build(&ctx, &r, ev);
	assert_int_equal(agg_add(a, &r, ev->count), 0);
}

/* A new table keyed by @keys. */
static struct agg *table(const char *keys)
{
	struct agg_spec spec;
	char err[128];

	assert_int_equal(agg_spec_parse(&spec, keys, err, sizeof(err)), 0);
	return agg_new(&spec);
}

/*
 * Runs of one key among many: the row of the last drop is tried first, and
 * must not be taken for another after the table grows or is reset.
 */
static void test_table_runs(void **state)
{
	struct agg *a = table("dport");
	const struct agg_row *rows;
	size_t n, i;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 300; i++) {
			/* packet() builds its frame in one buffer: each event just before it is added. */
			struct drop_event ev = packet("f+0x1/0x10", "NO_SOCKET", 1, 9);

			add(a, &ev);
			add(a, &ev);
			ev = packet("f+0x1/0x10", "NO_SOCKET", 1, (uint16_t)(1000 + i));
			add(a, &ev);	/* a new row each time: the table grows */
		}
		/* "99" then "9": a prefix of the last key is not the same row. */
		{
			struct drop_event ev = packet("f+0x1/0x10", "NO_SOCKET", 1, 99);

			add(a, &ev);
			ev = packet("f+0x1/0x10", "NO_SOCKET", 1, 9);
			add(a, &ev);
		}
		assert_int_equal(agg_total(a), 902);
		assert_int_equal(agg_rows(a), 302);
		rows = agg_sorted(a, &n);
		assert_string_equal(rows[0].value[0], "9");
		assert_int_equal(rows[0].count, 601);
		for (i = 1; i < n; i++)
			assert_int_equal(rows[i].count, 1);
		agg_reset(a);
	}
	agg_free(a);
}

static void test_table(void **state)
{
	struct agg *a = table("loc,reason,dev");
	const struct agg_row *rows;
	size_t n;
	int i;

	for (i = 0; i < 7; i++) {
		struct drop_event ev = packet("__udp4_lib_rcv+0x9a2/0xc30", "NO_SOCKET", 1, 9);

		add(a, &ev);
	}
	for (i = 0; i < 3; i++) {
		struct drop_event ev = packet("tcp_v4_rcv+0x10/0x100", "TCP_CSUM", 2, 80);

		add(a, &ev);
	}
	{
		/* A summary point counts its count; no reason, no interface. */
		struct drop_event ev = { .summary = true, .count = 90, .pc = 0xffffffffc0001234ull };

		add(a, &ev);
	}
	assert_int_equal(agg_total(a), 100);
	assert_int_equal(agg_rows(a), 3);
	rows = agg_sorted(a, &n);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].count, 90);
	assert_string_equal(rows[0].value[0], "0xffffffffc0001234");
	assert_string_equal(rows[0].value[1], "");
	assert_int_equal(rows[1].count, 7);
	assert_string_equal(rows[1].value[0], "__udp4_lib_rcv+0x9a2");
	assert_string_equal(rows[1].value[1], "NO_SOCKET");
	assert_string_equal(rows[1].value[2], "1");	/* no name known: the index */
	assert_int_equal(rows[2].count, 3);

	/* The text table: counts, shares and rates over 10 s, top 2 rows. */
	{
		struct table_extra x = { .elapsed = 10, .hidden = 4, .ignored = 5, .lost = 6, .top = 2 };
		struct printer *p = malloc(sizeof(*p));
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		pr_init(p, f, OUT_TEXT);
		table_print(p, a, &x);
		fclose(f);
		free(p);
		assert_non_null(strstr(buf, "over 10 s: 100 drops, 4 hidden by filters, 5 of ignored "
				       "reasons, 6 receive overruns"));
		assert_non_null(strstr(buf, "90   90.0%        9.0  0xffffffffc0001234"));
		assert_non_null(strstr(buf, " 7    7.0%        0.7  __udp4_lib_rcv+0x9a2"));
		assert_null(strstr(buf, "tcp_v4_rcv"));
		assert_non_null(strstr(buf, "(1 more rows)"));
		free(buf);
	}
	agg_reset(a);
	assert_int_equal(agg_total(a), 0);
	assert_int_equal(agg_rows(a), 0);
	agg_free(a);
}

/* A table larger than the printer's buffer is still one whole JSON line. */
static void test_table_json_large(void **state)
{
	struct agg *a = table("dport");
	struct table_extra x = { .elapsed = 1 };
	struct printer *p = malloc(sizeof(*p));
	struct json_object *j, *rows;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		struct drop_event ev = packet("f+0x1/0x10", "NO_SOCKET", 1, (uint16_t)(1000 + i));

		add(a, &ev);
	}
	pr_init(p, f, OUT_JSON);
	table_print(p, a, &x);
	fclose(f);
	assert_true(len > sizeof(p->buf));
	assert_int_equal(strchr(buf, '\n') - buf, (long)len - 1);
	j = json_tokener_parse(buf);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "rows", &rows));
	assert_int_equal(json_object_array_length(rows), 3000);
	json_object_put(j);
	free(p);
	free(buf);
	agg_free(a);
}

static void test_table_keys(void **state)
{
	struct agg *a = table("proto,dport");
	struct agg_spec spec;
	const struct agg_row *rows;
	size_t n;
	char err[128];
	int i;

	for (i = 0; i < 1000; i++) {
		struct drop_event ev = packet("x+0x1/0x2", "NO_SOCKET", 1, (uint16_t)(i % 10));

		add(a, &ev);
	}
	rows = agg_sorted(a, &n);
	assert_int_equal(n, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(rows[i].count, 100);
		assert_string_equal(rows[i].value[0], "udp");
	}
	assert_string_equal(rows[0].value[1], "0");	/* ties in key order */
	agg_free(a);

	/* TCP's keys: a retransmit by event, cause, state and connection; a drop has none of them. */
	{
		struct drop_event rtx = {
			.kind = DROP_KIND_RETRANSMIT, .count = 1, .tcp_result = 1,
			.has = DROP_HAS_RESULT | DROP_HAS_SOCK | DROP_NO_PAYLOAD,
			.sock = { .family = 2, .state = 4, .protocol = 6, .sport = 40000, .dport = 80,
				  .saddr = { 10, 0, 0, 1 }, .daddr = { 10, 0, 0, 2 } },
		};
		struct drop_event udp = packet("x+0x1/0x2", "NO_SOCKET", 1, 9);

		a = table("event,cause,state,conn");
		add(a, &rtx);
		add(a, &rtx);
		add(a, &udp);
		rows = agg_sorted(a, &n);
		assert_int_equal(n, 2);
		assert_int_equal(rows[0].count, 2);
		assert_string_equal(rows[0].value[0], "retransmit");
		assert_string_equal(rows[0].value[1], "NET_XMIT_DROP");
		assert_string_equal(rows[0].value[2], "FIN_WAIT1");
		assert_string_equal(rows[0].value[3], "10.0.0.1:40000 > 10.0.0.2:80");
		assert_string_equal(rows[1].value[0], "drop");
		assert_string_equal(rows[1].value[1], "NO_SOCKET");
		assert_string_equal(rows[1].value[2], "");
		assert_string_equal(rows[1].value[3], "");
		agg_free(a);
		assert_int_equal(agg_spec_parse(&spec, "conn", err, sizeof(err)), 0);
		assert_int_equal(agg_spec_check_caps(&spec, SRC_CAP_PACKET, "X", err, sizeof(err)),
				 -EINVAL);
		assert_int_equal(agg_spec_check_caps(&spec, SRC_CAP_TCP, "X", err, sizeof(err)), 0);
	}
	/* A step (times mode) is never made a record; if it were, its event is in range. */
	{
		struct drop_event step = { .kind = DROP_KIND_STEP, .count = 1, .has = DROP_NO_PAYLOAD };
		struct drop_record r;

		record_build(&ctx, &r, &step);
		assert_string_equal(r.event, "step");
	}

	assert_int_equal(agg_spec_parse(&spec, "loc,nope", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'nope' is not a key"));
	assert_int_equal(agg_spec_parse(&spec, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(agg_spec_parse(&spec, "loc,", err, sizeof(err)), -EINVAL);
	assert_int_equal(agg_spec_parse(&spec, "loc,loc,loc,loc,loc,loc,loc,loc,loc", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "at most 8 keys");
}

static enum filter_verdict check(struct filter *f, const struct drop_event *ev)
{
	struct drop_record r;

	record_build(&ctx, &r, ev);
	return filter_check(f, &r);
}

static void test_filters(void **state)
{
	struct filter f = { 0 };
	struct drop_event udp = packet("__udp4_lib_rcv+0x9a2/0xc30", "NO_SOCKET", 1, 9);
	struct drop_event summary = { .summary = true, .count = 5, .pc = 0x1234 };
	char err[512];

	assert_false(filter_active(&f));
	assert_int_equal(check(&f, &udp), FILTER_PASS);

	assert_int_equal(filter_set_arg(&f, "reason=TCP_CSUM,NO_SOCKET", err, sizeof(err)), 0);
	assert_true(filter_active(&f));
	assert_int_equal(check(&f, &udp), FILTER_PASS);
	assert_int_equal(check(&f, &summary), FILTER_HIDE);	/* no reason: no match */
	assert_int_equal(filter_set(&f, FILTER_REASON, "any", err, sizeof(err)), 0);
	assert_false(filter_active(&f));

	/* Each filter alone, on the UDP drop: set, checked, cleared. */
	{
		static const struct {
			const char *arg;
			enum filter_verdict want;
		} cases[] = {
			{ "loc=__udp*", FILTER_PASS },
			{ "loc=tcp_*", FILTER_HIDE },
			{ "dev=1", FILTER_PASS },		/* by index */
			{ "dev=eth0", FILTER_HIDE },
			{ "proto=udp", FILTER_PASS },
			{ "proto=ipv4", FILTER_PASS },		/* the network protocol too */
			{ "proto=tcp", FILTER_HIDE },
			{ "origin=hw", FILTER_HIDE },
			{ "origin=sw", FILTER_PASS },
			{ "reason=no_socket", FILTER_PASS },	/* names in any case */
			{ "pcap=udp dst port 53", FILTER_HIDE },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			assert_int_equal(filter_set_arg(&f, cases[i].arg, err, sizeof(err)), 0);
			if (check(&f, &udp) != cases[i].want)
				fail_msg("filter %s: verdict %d", cases[i].arg, check(&f, &udp));
			filter_clear_keys(&f);
		}
	}

	assert_int_equal(filter_set_arg(&f, "pcap=udp dst port 9", err, sizeof(err)), 0);
	assert_int_equal(check(&f, &udp), FILTER_PASS);
	assert_int_equal(check(&f, &summary), FILTER_HIDE);
	assert_int_equal(filter_set_arg(&f, "pcap=udp dst port 53", err, sizeof(err)), 0);
	assert_int_equal(check(&f, &udp), FILTER_HIDE);
	filter_clear_keys(&f);

	/* Every bad filter is refused with the reason, and leaves the old one in place. */
	assert_int_equal(filter_set_arg(&f, "proto=udp", err, sizeof(err)), 0);
	assert_int_equal(filter_set_arg(&f, "proto=bogus", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'bogus' is not a protocol"));
	assert_string_equal(f.words[FILTER_PROTO], "udp");
	assert_int_equal(filter_set_arg(&f, "origin=both", err, sizeof(err)), -EINVAL);
	assert_int_equal(filter_set_arg(&f, "pcap=udp prot 9", err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) > 0);
	assert_int_equal(filter_set_arg(&f, "colour=red", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown filter key 'colour'"));
	assert_int_equal(filter_set_arg(&f, "reason", err, sizeof(err)), -EINVAL);
	assert_int_equal(filter_set_arg(&f, "reason=A,,B", err, sizeof(err)), -EINVAL);
	assert_int_equal(filter_set_arg(&f, "reason=", err, sizeof(err)), -EINVAL);

	/*
	 * TCP's filters: event, cause (a retransmit's result), state, and either end's address
	 * or port, the socket's for TCP's events and the packet's for a drop (10.0.0.1:12345 >
	 * 10.0.0.2:9); canonical forms of what is typed; bad values refused.
	 */
	{
		struct drop_event rtx = {
			.kind = DROP_KIND_RETRANSMIT, .count = 1, .tcp_result = -113,
			.has = DROP_HAS_RESULT | DROP_HAS_SOCK | DROP_NO_PAYLOAD,
			.sock = { .family = 10, .state = 1, .protocol = 6, .sport = 40000, .dport = 443,
				  .saddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
				  .daddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } },
		};
		static const struct {
			const char *arg;
			enum filter_verdict rtx, udp;
		} cases[] = {
			{ "event=retransmit", FILTER_PASS, FILTER_HIDE },
			{ "event=drop,reset_sent", FILTER_HIDE, FILTER_PASS },
			{ "cause=EHOSTUNREACH", FILTER_PASS, FILTER_HIDE },
			{ "cause=ehostunreach,NO_SOCKET", FILTER_PASS, FILTER_PASS },
			{ "state=established", FILTER_PASS, FILTER_HIDE },
			{ "state=LISTEN", FILTER_HIDE, FILTER_HIDE },
			{ "addr=2001:0db8::0002", FILTER_PASS, FILTER_HIDE },	/* either end */
			{ "addr=10.0.0.1", FILTER_HIDE, FILTER_PASS },		/* the packet's */
			{ "port=00443", FILTER_PASS, FILTER_HIDE },
			{ "port=9,40000", FILTER_PASS, FILTER_PASS },
			{ "port=12345", FILTER_HIDE, FILTER_PASS },
		};
		static const char *const bad[] = {
			"event=dropped", "state=OPEN", "addr=10.0.0.256", "addr=host", "port=65536",
			"port=-1", "port=8o",
		};

		filter_clear_keys(&f);	/* the proto= left in place above */
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (filter_set_arg(&f, cases[i].arg, err, sizeof(err)))
				fail_msg("filter %s: %s", cases[i].arg, err);
			if (check(&f, &rtx) != cases[i].rtx || check(&f, &udp) != cases[i].udp)
				fail_msg("filter %s: verdicts %d %d", cases[i].arg, check(&f, &rtx),
					 check(&f, &udp));
			filter_clear_keys(&f);
		}
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			err[0] = '\0';
			if (filter_set_arg(&f, bad[i], err, sizeof(err)) != -EINVAL || !err[0])
				fail_msg("filter %s: taken", bad[i]);
		}
		assert_false(filter_active(&f));
		/* What needs the socket or the packet, on a source that has neither. */
		assert_int_equal(filter_set_arg(&f, "state=CLOSE", err, sizeof(err)), 0);
		assert_int_equal(filter_check_caps(&f, SRC_CAP_ETHERTYPE, "X", err, sizeof(err)),
				 -EINVAL);
		assert_int_equal(filter_check_caps(&f, SRC_CAP_TCP, "X", err, sizeof(err)), 0);
		filter_clear_keys(&f);
		assert_int_equal(filter_set_arg(&f, "port=9", err, sizeof(err)), 0);
		assert_int_equal(filter_check_caps(&f, SRC_CAP_ETHERTYPE, "X", err, sizeof(err)),
				 -EINVAL);
		assert_int_equal(filter_check_caps(&f, SRC_CAP_PACKET, "X", err, sizeof(err)), 0);
		filter_clear_keys(&f);
	}

	/* netns: by name, by inode, "ambiguous", a process's (pid:N: this test's own); container: a glob. */
	{
		struct drop_record r;
		char self[40];
		struct stat st;

		record_build(&ctx, &r, &udp);
		r.netns_by = "address";
		r.netns = 4026532281ull;
		r.netns_name = "ctr";
		r.container = "docker:4f0c7a1b2e3d";
		filter_clear(&f);
		assert_int_equal(filter_set_arg(&f, "netns=ctr", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_PASS);
		assert_int_equal(filter_set_arg(&f, "netns=host,4026532281", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_PASS);
		assert_int_equal(filter_set_arg(&f, "netns=host", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_HIDE);
		assert_int_equal(filter_set_arg(&f, "netns=ambiguous", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_HIDE);
		r.netns_by = "ambiguous";
		r.netns_candidates = 2;
		r.netns = 0;
		r.netns_name = NULL;
		assert_int_equal(filter_check(&f, &r), FILTER_PASS);
		r.netns_candidates = 0;
		r.netns = 4026532281ull;
		/* pid:N: that process's namespace, by its inode. */
		assert_int_equal(stat("/proc/self/ns/net", &st), 0);
		snprintf(self, sizeof(self), "netns=pid:%d", (int)getpid());
		assert_int_equal(filter_set_arg(&f, self, err, sizeof(err)), 0);
		assert_string_equal(f.words[FILTER_NETNS], self + 6);	/* as typed, for show */
		r.netns = (uint64_t)st.st_ino;
		assert_int_equal(filter_check(&f, &r), FILTER_PASS);
		r.netns = 4026532281ull;
		assert_int_equal(filter_check(&f, &r), FILTER_HIDE);
		assert_int_equal(filter_set_arg(&f, "netns=pid:", err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "is not pid:N"));
		assert_int_equal(filter_set_arg(&f, "netns=pid:999999999", err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "names no process"));
		filter_clear_keys(&f);
		assert_int_equal(filter_set_arg(&f, "container=docker:*", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_PASS);
		assert_int_equal(filter_set_arg(&f, "container=k8s:*", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_HIDE);
		r.container = NULL;	/* a drop with no owner never matches */
		assert_int_equal(filter_set_arg(&f, "container=*", err, sizeof(err)), 0);
		assert_int_equal(filter_check(&f, &r), FILTER_HIDE);
		filter_clear_keys(&f);
	}

	/* The ignore list, and "harmless". */
	filter_clear(&f);
	assert_int_equal(filter_set_ignore(&f, "NO_SOCKET", err, sizeof(err)), 0);
	assert_int_equal(check(&f, &udp), FILTER_IGNORE);
	assert_int_equal(filter_set_ignore(&f, "harmless", err, sizeof(err)), 0);
	assert_int_equal(check(&f, &udp), FILTER_PASS);
	udp.reason = "SOCKET_CLOSE";
	assert_int_equal(check(&f, &udp), FILTER_IGNORE);
	assert_int_equal(filter_set_ignore(&f, "none", err, sizeof(err)), 0);
	assert_int_equal(check(&f, &udp), FILTER_PASS);
	filter_clear(&f);
}

/* What a source cannot give is refused with the reason, and what it can is taken. */
static void test_caps(void **state)
{
	static const struct {
		const char *filter;
		unsigned int caps;
		bool ok;
		const char *why;
	} cases[] = {
		{ "proto=udp", SRC_CAPS_TRACE, false, "proto=udp needs the packet" },
		{ "proto=IPv4,ipv6", SRC_CAPS_TRACE, true, NULL },	/* the ethertype */
		{ "proto=arp,tcp", SRC_CAPS_TRACE, false, "gives only the ethertype" },
		{ "dev=lo", SRC_CAPS_TRACE, false, "dev needs the input interface" },
		{ "pcap=udp port 53", SRC_CAPS_TRACE, false, "pcap needs the packet" },
		{ "origin=hw", SRC_CAPS_TRACE, false, "origin=hw needs hardware drops" },
		{ "origin=sw", SRC_CAPS_TRACE, true, NULL },
		{ "reason=NO_SOCKET", SRC_CAPS_TRACE, true, NULL },
		{ "loc=tcp_*", SRC_CAPS_TRACE, true, NULL },
		{ "proto=udp", SRC_CAPS_NETDM, true, NULL },
		{ "dev=lo", SRC_CAPS_NETDM, true, NULL },
		{ "pcap=udp port 53", SRC_CAPS_NETDM, true, NULL },
		{ "origin=hardware", SRC_CAPS_NETDM, true, NULL },
		{ "netns=host", SRC_CAPS_NETDM, true, NULL },
		{ "container=docker:*", SRC_CAPS_NETDM, true, NULL },
		{ "netns=host", SRC_CAPS_TRACE, false, "netns needs the network namespace" },
		{ "container=*", SRC_CAPS_TRACE, false, "container needs the network namespace" },
		{ "netns=ctr", SRC_CAPS_REPLAY, false, "netns needs the network namespace" },
		{ "dev=lo", SRC_CAPS_REPLAY, true, NULL },
	};
	static const struct {
		const char *key;
		unsigned int caps;
		bool ok;
	} keys[] = {
		{ "loc,reason", SRC_CAPS_TRACE, true },
		{ "reason,stack", SRC_CAPS_TRACE, true },
		{ "proto", SRC_CAPS_TRACE, true },
		{ "loc,reason,dev", SRC_CAPS_TRACE, false },
		{ "dport", SRC_CAPS_TRACE, false },
		{ "src,dst", SRC_CAPS_TRACE, false },
		{ "location,reason,dev", SRC_CAPS_NETDM, true },
		{ "stack", SRC_CAPS_NETDM, false },
		{ "netns,container,dev", SRC_CAPS_NETDM, true },
		{ "netns", SRC_CAPS_TRACE, false },
		{ "container", SRC_CAPS_REPLAY, false },
	};
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter f = { 0 };
		int ret;

		assert_int_equal(filter_set_arg(&f, cases[i].filter, err, sizeof(err)), 0);
		err[0] = '\0';
		ret = filter_check_caps(&f, cases[i].caps, "the source", err, sizeof(err));
		if ((ret == 0) != cases[i].ok || (cases[i].why && !strstr(err, cases[i].why)))
			fail_msg("%s: %d '%s'", cases[i].filter, ret, err);
		filter_clear(&f);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct agg_spec spec;
		int ret;

		assert_int_equal(agg_spec_parse(&spec, keys[i].key, err, sizeof(err)), 0);
		ret = agg_spec_check_caps(&spec, keys[i].caps, "the source", err, sizeof(err));
		if ((ret == 0) != keys[i].ok)
			fail_msg("key %s: %d '%s'", keys[i].key, ret, err);
	}
}

static char *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(fixture_path(name), "r");
	char *buf = malloc(65536);

	assert_non_null(f);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

static void test_reasons_format(void **state)
{
	struct reason_cat *cat = reasons_new();
	size_t len;
	char *text = slurp("kfree_skb-format-6.1", &len);

	/* 6.1: 65 core reasons from 1 (NOT_SPECIFIED), MAX left out. */
	assert_int_equal(reasons_parse_format(cat, text, len), 65);
	assert_string_equal(reasons_lookup(cat, 1), "NOT_SPECIFIED");
	assert_string_equal(reasons_lookup(cat, 2), "NO_SOCKET");
	assert_true(reasons_known(cat, "TC_EGRESS"));
	assert_false(reasons_known(cat, "MAX"));
	assert_false(reasons_known(cat, "SOCKET_CLOSE"));	/* newer than 6.1 */
	free(text);

	/* 6.18: more of them, numbered differently. */
	text = slurp("kfree_skb-format-6.18", &len);
	assert_int_equal(reasons_parse_format(cat, text, len), 126);
	assert_string_equal(reasons_lookup(cat, 2), "NOT_SPECIFIED");	/* numbers moved */
	assert_string_equal(reasons_lookup(cat, 4), "SOCKET_CLOSE");
	assert_true(reasons_known(cat, "TC_EGRESS"));
	/* Every cut of the file either fails cleanly or parses fewer names. */
	for (size_t cut = 0; cut < len; cut += 7) {
		int n = reasons_parse_format(cat, text, cut);

		assert_true(n == -EINVAL || (n > 0 && n <= 126));
	}
	free(text);

	/* 6.12 (recorded on the rig's bookworm-backports kernel): 96, numbered its own way. */
	text = slurp("kfree_skb-format-6.12", &len);
	assert_int_equal(reasons_parse_format(cat, text, len), 96);
	assert_string_equal(reasons_lookup(cat, 2), "NOT_SPECIFIED");
	assert_string_equal(reasons_lookup(cat, 16), "SOCKET_RCVBUFF");
	assert_string_equal(reasons_lookup(cat, 18), "TCP_AUTH_HDR");
	assert_null(reasons_lookup(cat, 98));	/* MAX is no reason */
	free(text);

	/*
	 * Numbers shifted against the built-in table (where NO_SOCKET is 2): the names
	 * follow the kernel's file, and a number it does not list has no name.
	 */
	{
		static const char shifted[] = "print fmt: \"reason: %s\", __print_symbolic(REC->reason, "
			"{ 2, \"UDP_CSUM\" }, { 3, \"NO_SOCKET\" }, { 40, \"NOT_SPECIFIED\" }, "
			"{ 41, \"MAX\" })";

		assert_int_equal(reasons_parse_format(cat, shifted, sizeof(shifted) - 1), 3);
		assert_string_equal(reasons_lookup(cat, 2), "UDP_CSUM");
		assert_string_equal(reasons_lookup(cat, 3), "NO_SOCKET");
		assert_string_equal(reasons_lookup(cat, 40), "NOT_SPECIFIED");
		assert_null(reasons_lookup(cat, 1));
		assert_null(reasons_lookup(cat, 4));
	}

	assert_int_equal(reasons_parse_format(cat, "no symbolic table here", 22), -EINVAL);
	{
		static const char bad[] = "__print_symbolic(REC->reason, { 2, \"lower\" })";

		assert_int_equal(reasons_parse_format(cat, bad, sizeof(bad) - 1), -EINVAL);
	}
	reasons_free(cat);

	/* The catalogue from a file, or the built-in one when it cannot be read. */
	cat = reasons_load(fixture_path("kfree_skb-format-6.1"));
	assert_int_equal(reasons_count(cat), 65);
	assert_non_null(strstr(reasons_source(cat), "kfree_skb-format-6.1"));
	reasons_free(cat);
	cat = reasons_load("/nonexistent/format");
	assert_int_equal(reasons_count(cat), 65);
	assert_non_null(strstr(reasons_source(cat), "built-in"));
	reasons_free(cat);

	/* Explanations for every 6.1 reason; the harmless list is explained too. */
	text = slurp("kfree_skb-format-6.1", &len);
	cat = reasons_new();
	reasons_parse_format(cat, text, len);
	{
		/* The built-in table is 6.1's, name for name and number for number. */
		struct reason_cat *builtin = reasons_load("/nonexistent/format");

		for (size_t i = 0; i < reasons_count(cat); i++) {
			assert_string_equal(reasons_name(builtin, i), reasons_name(cat, i));
			assert_int_equal(reasons_value(builtin, i), reasons_value(cat, i));
		}
		reasons_free(builtin);
	}
	for (size_t i = 0; i < reasons_count(cat); i++)
		if (!reason_explain(reasons_name(cat, i)))
			fail_msg("no explanation for %s", reasons_name(cat, i));
	for (size_t i = 0; reasons_harmless[i]; i++)
		assert_non_null(reason_explain(reasons_harmless[i]));
	/*
	 * And every reason of 6.12, 6.18, and the newest enum we found: 6.18.44's
	 * (this project's machine), which has 7.0's RECURSION_LIMIT and SKB_RX_HEADROOM.
	 */
	for (const char *const *f = (const char *const[]){ "kfree_skb-format-6.12",
							    "kfree_skb-format-6.18",
							    "kfree_skb-format-6.18.44", NULL }; *f; f++) {
		struct reason_cat *other = reasons_new();
		size_t l;
		char *t = slurp(*f, &l);

		assert_true(reasons_parse_format(other, t, l) > 0);
		for (size_t i = 0; i < reasons_count(other); i++)
			if (!reason_explain(reasons_name(other, i)))
				fail_msg("%s: no explanation for %s", *f, reasons_name(other, i));
		reasons_free(other);
		free(t);
	}
	assert_string_equal(reason_text("NO_SOCKET"), reason_explain("NO_SOCKET"));
	/* A reason newer than our table: said so, with where the kernel documents it. */
	assert_null(reason_explain("SOME_REASON_FROM_2030"));
	assert_string_equal(reason_text("SOME_REASON_FROM_2030"), "not explained by this dropwatch; "
			    "the kernel documents it in include/net/dropreason-core.h");
	assert_non_null(strstr(reason_text("OVS_DROP_NEW_THING"), "net/openvswitch/drop.h"));
	assert_non_null(strstr(reason_text("RX_DROP_U_NEW_THING"), "net/mac80211/drop.h"));
	assert_non_null(strstr(reason_text("131072"), "do not name"));
	assert_true(reason_is_harmless("SOCKET_CLOSE"));
	assert_false(reason_is_harmless("NO_SOCKET"));
	reasons_free(cat);
	free(text);
}


/*
 * Names from BTF follow the kernel's numbers, whatever the built-in table says:
 * a synthetic BTF with NO_SOCKET at 7 and a subsystem (id 2, as openvswitch's
 * became) whose reasons are 2 << 16 | code.
 */
static void test_reasons_btf(void **state)
{
	struct btf *btf = btf__new_empty();
	struct reason_cat *cat = reasons_new();
	int id;

	(void)state;
	assert_non_null(btf);
	id = btf__add_enum(btf, "skb_drop_reason", 4);
	assert_true(id > 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_NOT_DROPPED_YET", 0), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_CONSUMED", 1), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_NOT_SPECIFIED", 2), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_NO_SOCKET", 7), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_SUBSYS_MASK", 0x7fff0000), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_MAX", 8), 0);
	assert_true(btf__add_enum(btf, "skb_drop_reason_subsys", 4) > 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_SUBSYS_CORE", 0), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_SUBSYS_OPENVSWITCH", 2), 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_SUBSYS_NUM", 3), 0);
	assert_true(btf__add_enum(btf, "ovs_drop_reason", 4) > 0);
	assert_int_equal(btf__add_enum_value(btf, "OVS_DROP_LAST_ACTION", 2 << 16), 0);
	assert_int_equal(btf__add_enum_value(btf, "OVS_DROP_ACTION_ERROR", (2 << 16) + 1), 0);
	/* An unrelated enum with a value in that range is not taken for a reason. */
	assert_true(btf__add_enum(btf, "some_flags", 4) > 0);
	assert_int_equal(btf__add_enum_value(btf, "SOME_FLAG_BIG", 2 << 16), 0);

	assert_int_equal(reasons_parse_btf(cat, btf), 4);
	assert_string_equal(reasons_lookup(cat, 7), "NO_SOCKET");
	assert_string_equal(reasons_lookup(cat, 2), "NOT_SPECIFIED");
	assert_null(reasons_lookup(cat, 1));	/* consumed is no drop */
	assert_null(reasons_lookup(cat, 8));	/* MAX */
	assert_null(reasons_lookup(cat, 3));	/* not in this kernel: no name */
	assert_string_equal(reasons_lookup(cat, 2 << 16), "OVS_DROP_LAST_ACTION");
	assert_string_equal(reasons_lookup(cat, (2 << 16) + 1), "OVS_DROP_ACTION_ERROR");
	assert_false(reasons_known(cat, "SOME_FLAG_BIG"));
	assert_false(reasons_known(cat, "SUBSYS_MASK"));
	reasons_free(cat);

	/* Without the enum, nothing. */
	cat = reasons_new();
	btf__free(btf);
	btf = btf__new_empty();
	assert_int_equal(reasons_parse_btf(cat, btf), -EINVAL);
	btf__free(btf);
	reasons_free(cat);

	/* This machine's own BTF, when it has one: the core reasons, NO_SOCKET among them. */
	btf = btf__load_vmlinux_btf();
	if (btf) {
		cat = reasons_new();
		assert_true(reasons_parse_btf(cat, btf) > 60);
		assert_true(reasons_known(cat, "NO_SOCKET"));
		reasons_free(cat);
		btf__free(btf);
	}
}

/*
 * The names never go stale: the same address with another kernel text, a new
 * symbol index, a text too long to keep; and a name handed out stays valid
 * while others are looked up (a record holds its frames' names).
 */
static void test_location_cache(void **state)
{
	static const char ks1[] = "ffffffff81000000 T alpha\nffffffff82000000 T beta\n"
				  "ffffffff83000000 T gamma\n";
	static const char ks2[] = "ffffffff81000000 T omega\nffffffff83000000 T end\n";
	struct sym_index *i1, *i2;
	struct sym_load_info info;
	struct symres *s = symres_new();
	const struct location *held;
	uint64_t a = 0xffffffff81000010ull, pc;
	char longtext[600];

	(void)state;
	assert_int_equal(sym_index_load_buf(ks1, sizeof(ks1) - 1, &i1, &info), 0);
	assert_int_equal(sym_index_load_buf(ks2, sizeof(ks2) - 1, &i2, &info), 0);

	/* The kernel's text: cached per text, not only per address. */
	assert_string_equal(symres_text(s, a, "first+0x10/0x40")->text, "first+0x10");
	assert_string_equal(symres_text(s, a, "first+0x10/0x40")->shown, "first+0x10/0x40");
	held = symres_text(s, a, "second+0x10/0x40 [mod]");
	assert_string_equal(held->text, "second+0x10");
	assert_string_equal(held->module, "mod");
	assert_string_equal(symres_text(s, a, "bad\x1b[0m+0x10/0x40")->shown,
			    "bad\\x1b[0m+0x10/0x40");
	assert_string_equal(held->text, "second+0x10");

	/* No index: nothing named. */
	assert_false(symres_pc(s, a)->known);
	assert_string_equal(symres_pc(s, a)->text, "0xffffffff81000010");

	/* The index. */
	symres_set_index(s, i1);
	assert_string_equal(symres_pc(s, a)->text, "alpha+0x10");
	held = symres_pc(s, a);
	for (pc = 0xffffffff81000100ull; pc < 0xffffffff81000100ull + 20000; pc++)
		assert_string_equal(symres_pc(s, pc)->name, "alpha");
	assert_string_equal(held->text, "alpha+0x10");
	assert_int_equal(symres_pc(s, 0xffffffff82000003ull)->offset, 3);
	/* An entry from the kernel's text does not answer for the index. */
	assert_string_equal(symres_text(s, a, "first+0x10/0x40")->text, "first+0x10");
	assert_string_equal(symres_pc(s, a)->text, "alpha+0x10");

	/* Another index: the names of the first are forgotten. */
	symres_set_index(s, i2);
	assert_string_equal(symres_pc(s, a)->text, "omega+0x10");
	assert_string_equal(symres_pc(s, 0xffffffff82000001ull)->text, "omega+0x1000001");

	/* A long text is named right, and again when it changes. */
	memset(longtext, 'x', 300);
	snprintf(longtext + 300, sizeof(longtext) - 300, "+0x20/0x40");
	assert_int_equal(symres_text(s, a, longtext)->offset, 0x20);
	longtext[0] = 'y';
	assert_int_equal(symres_text(s, a, longtext)->name[0], 'y');
	symres_free(s);
}

/* The "drop reason:" line of one packet alert printed through @o. */
static void reason_line(const char *reason, char *line, size_t size)
{
	struct drop_event ev = packet("f+0x1/0x10", reason, 1, 9);
	struct out_ctx *o = malloc(sizeof(*o));
	struct drop_record r;
	char *buf = NULL, *p, *end;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	out_init(o, f, OUT_TEXT);
	record_build(&ctx, &r, &ev);
	out_record(o, &r);
	fclose(f);
	free(o);
	p = strstr(buf, "drop reason: ");
	assert_non_null(p);
	end = strchr(p, '\n');
	snprintf(line, size, "%.*s", (int)(end - p), p);
	free(buf);
}

/* The escaped reason is kept for the next drop: never a stale or raw one. */
static void test_reason_cache(void **state)
{
	char line[400], mut[16] = "NO_SOCKET", longr[100];

	(void)state;
	reason_line("NO_SOCKET", line, sizeof(line));
	assert_string_equal(line, "drop reason: NO_SOCKET");
	reason_line("BAD\x1b[0m", line, sizeof(line));
	assert_string_equal(line, "drop reason: BAD\\x1b[0m");
	/* Another buffer with the same text; then the same buffer with another text. */
	reason_line(mut, line, sizeof(line));
	assert_string_equal(line, "drop reason: NO_SOCKET");
	mut[0] = 'M';
	reason_line(mut, line, sizeof(line));
	assert_string_equal(line, "drop reason: MO_SOCKET");
	/* Too long to keep: escaped each time, and the kept one is not disturbed. */
	memset(longr, 'R', sizeof(longr) - 1);
	longr[sizeof(longr) - 1] = '\0';
	longr[5] = '\n';
	reason_line(longr, line, sizeof(line));
	{
		char want[200];

		memset(want, 'R', 93);
		want[93] = '\0';
		assert_memory_equal(line, "drop reason: RRRRR\\x0a", 22);
		assert_string_equal(line + 22, want);
	}
	reason_line(mut, line, sizeof(line));
	assert_string_equal(line, "drop reason: MO_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_runs),
		cmocka_unit_test(test_location_cache),
		cmocka_unit_test(test_reason_cache),
		cmocka_unit_test(test_table_keys),
		cmocka_unit_test(test_table_json_large),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_reasons_format),
		cmocka_unit_test(test_reasons_btf),
	};

	return cmocka_run_group_tests(tests, setup_ctx, release_ctx);
}
