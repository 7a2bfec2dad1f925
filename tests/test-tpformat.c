// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoint source's pure half: the skb:kfree_skb format files recorded
 * on Linux 6.1 and 6.18 (tests/fixtures), a 5.x layout without the reason
 * field, malformed format text, and perf sample records built here, whole,
 * cut at every length and with hostile counts.
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
#include <linux/perf_event.h>

#include "reasons.h"
#include "tpformat.h"
#include "fixture.h"

static void parse_fixture(const char *name, struct tp_format *fmt)
{
	char err[128] = "";
	size_t len;
	char *text = fixture_text(name, &len);

	assert_non_null(text);
	if (tp_format_parse(fmt, text, len, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	free(text);
}

static void test_format_6_1(void **state)
{
	struct tp_format f;

	(void)state;
	parse_fixture("kfree_skb-format-6.1", &f);
	assert_int_equal(f.id, 1373);
	assert_true(f.field[TP_SKBADDR].present);
	assert_int_equal(f.field[TP_LOCATION].offset, 16);
	assert_int_equal(f.field[TP_LOCATION].size, 8);
	assert_int_equal(f.field[TP_PROTOCOL].offset, 24);
	assert_int_equal(f.field[TP_PROTOCOL].size, 2);
	assert_int_equal(f.field[TP_REASON].offset, 28);
	assert_int_equal(f.field[TP_REASON].size, 4);
	assert_false(f.field[TP_RX_SK].present);
}

/* Since 6.11: rx_sk before protocol; the same offsets on every kernel since. */
static void check_rx_sk_layout(const char *name, int id)
{
	struct tp_format f;

	parse_fixture(name, &f);
	assert_int_equal(f.id, id);
	assert_int_equal(f.field[TP_LOCATION].offset, 16);
	assert_true(f.field[TP_RX_SK].present);
	assert_int_equal(f.field[TP_RX_SK].offset, 24);
	assert_int_equal(f.field[TP_PROTOCOL].offset, 32);
	assert_int_equal(f.field[TP_REASON].offset, 36);
	assert_int_equal(f.field[TP_REASON].size, 4);
}

static void test_format_6_18(void **state)
{
	(void)state;
	check_rx_sk_layout("kfree_skb-format-6.18", 2310);
}

/* 6.12 (bookworm-backports). */
static void test_format_6_12(void **state)
{
	(void)state;
	check_rx_sk_layout("kfree_skb-format-6.12", 1519);
}

/* The layout of Linux 5.4-5.16 (no reason field), as such kernels print it. */
static const char format_5x[] =
	"name: kfree_skb\n"
	"ID: 1370\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p protocol=%u location=%p\", REC->skbaddr, REC->protocol, "
	"REC->location\n";

static void test_format_5x(void **state)
{
	struct tp_format f;
	struct tp_record r;
	uint8_t raw[32] = { 0 };
	uint64_t loc = 0xffffffff81234567ull;
	uint16_t proto = 0x86dd;
	char err[128];

	(void)state;
	assert_int_equal(tp_format_parse(&f, format_5x, strlen(format_5x), err, sizeof(err)), 0);
	assert_int_equal(f.id, 1370);
	assert_false(f.field[TP_REASON].present);
	memcpy(raw + 16, &loc, 8);
	memcpy(raw + 24, &proto, 2);
	assert_int_equal(tp_record_decode(&f, raw, 26, &r), 0);
	assert_true(r.location == loc);
	assert_true(r.has_protocol);
	assert_int_equal(r.protocol, 0x86dd);
	assert_false(r.has_reason);
	assert_int_equal(tp_record_decode(&f, raw, 25, &r), -EBADMSG);
}

static void expect_bad(const char *text, const char *why)
{
	struct tp_format f;
	char err[128] = "";

	assert_int_equal(tp_format_parse(&f, text, strlen(text), err, sizeof(err)), -EINVAL);
	if (!strstr(err, why))
		fail_msg("'%s' for /%s/", err, why);
}

static void test_format_malformed(void **state)
{
	(void)state;
	expect_bad("", "no ID line");
	expect_bad("name: kfree_skb\nformat:\n\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n",
		   "no ID line");
	expect_bad("ID: 12\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n",
		   "no location field");
	expect_bad("ID: 12x\n", "line 1 is malformed");
	expect_bad("ID: 12\n\tfield:void * location;\toffset:sixteen;\tsize:8;\tsigned:0;\n",
		   "line 2 is malformed");
	expect_bad("ID: 12\n\tfield:void * location;\toffset:16;\tsize:3;\tsigned:0;\n",
		   "field location has size 3");
	expect_bad("ID: 12\n\tfield:;\toffset:16;\tsize:8;\tsigned:0;\n", "line 2 is malformed");
	expect_bad("ID: 12\n\tfield:void * location;\toffset:99999999;\tsize:8;\tsigned:0;\n",
		   "line 2 is malformed");
	expect_bad("ID: 99999999999999\n", "line 1 is malformed");
}

/* Every prefix of a real format file parses or fails cleanly (ASan watches the reads). */
static void test_format_cut(void **state)
{
	struct tp_format f;
	char err[128];
	size_t len, i;
	char *text = fixture_text("kfree_skb-format-6.18", &len);
	int ok = 0;

	(void)state;
	assert_non_null(text);
	for (i = 0; i <= len; i++) {
		char *copy = malloc(i ? i : 1);

		memcpy(copy, text, i);
		if (tp_format_parse(&f, copy, i, err, sizeof(err)) == 0)
			ok++;
		free(copy);
	}
	/* From the location line's end on, every prefix has what we need. */
	assert_true(ok > 0 && (size_t)ok < len);
	free(text);
}

/* A record laid out as 6.18 has it, read by the 6.18 and the 6.1 descriptions. */
static void test_record_offsets(void **state)
{
	struct tp_format f61, f618;
	struct tp_record r;
	uint8_t raw[40] = { 0 };
	uint64_t loc = 0xffffffff820490ccull, rx_sk = 0;
	uint16_t proto = 0x0800;
	uint32_t reason = 3;	/* NO_SOCKET in 6.18 */
	struct reason_cat *cat = reasons_new();
	size_t len;
	char *text;

	(void)state;
	parse_fixture("kfree_skb-format-6.1", &f61);
	parse_fixture("kfree_skb-format-6.18", &f618);
	memcpy(raw + 16, &loc, 8);
	memcpy(raw + 24, &rx_sk, 8);
	memcpy(raw + 32, &proto, 2);
	memcpy(raw + 36, &reason, 4);
	assert_int_equal(tp_record_decode(&f618, raw, sizeof(raw), &r), 0);
	assert_true(r.location == loc);
	assert_int_equal(r.protocol, 0x0800);
	assert_int_equal(r.reason, 3);
	text = fixture_text("kfree_skb-format-6.18", &len);
	assert_non_null(text);
	assert_true(reasons_parse_format(cat, text, len) > 0);
	assert_string_equal(reasons_lookup(cat, r.reason), "NO_SOCKET");
	free(text);
	/* 6.1's offsets put protocol and reason elsewhere: the file decides, not us. */
	assert_int_equal(tp_record_decode(&f61, raw, sizeof(raw), &r), 0);
	assert_int_equal(r.protocol, 0);
	assert_int_equal(r.reason, 0);
	/* A record shorter than the last field. */
	assert_int_equal(tp_record_decode(&f618, raw, 39, &r), -EBADMSG);
	assert_int_equal(tp_record_decode(&f618, raw, 0, &r), -EBADMSG);
	reasons_free(cat);
}

/* A PERF_RECORD_SAMPLE of tp_sample_type(): tid, time, cpu, [callchain], raw. */
static size_t build_sample(uint8_t *buf, bool callchain, uint64_t nr, const uint64_t *ips,
			   uint32_t raw_size, const uint8_t *raw)
{
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE };
	uint32_t pair[2] = { 4321, 4322 };
	uint64_t t = 123456789;
	uint32_t cpu[2] = { 1, 0 };
	size_t n = sizeof(h);

	memcpy(buf + n, pair, 8);
	n += 8;
	memcpy(buf + n, &t, 8);
	n += 8;
	memcpy(buf + n, cpu, 8);
	n += 8;
	if (callchain) {
		memcpy(buf + n, &nr, 8);
		n += 8;
		memcpy(buf + n, ips, nr * 8);
		n += nr * 8;
	}
	memcpy(buf + n, &raw_size, 4);
	n += 4;
	memcpy(buf + n, raw, raw_size);
	n += raw_size;
	n = (n + 7) & ~(size_t)7;
	h.size = n;
	memcpy(buf, &h, sizeof(h));
	return n;
}

static void test_sample(void **state)
{
	uint64_t ips[4] = { (uint64_t)PERF_CONTEXT_KERNEL, 0xffffffff81e44fd0ull,
			    0xffffffff820490ccull, 0xffffffff81ff84c3ull };
	uint8_t raw[40] = { 0x06, 0x09 }, buf[512];
	struct tp_sample s;
	size_t n = build_sample(buf, true, 4, ips, sizeof(raw), raw), i;

	(void)state;
	assert_int_equal(tp_sample_decode(buf, n, true, &s), 0);
	assert_int_equal(s.pid, 4321);
	assert_int_equal(s.tid, 4322);
	assert_true(s.time == 123456789);
	assert_int_equal(s.cpu, 1);
	assert_int_equal(s.nr_ips, 3);	/* the context marker is not a frame */
	assert_true(s.ips[0] == 0xffffffff81e44fd0ull);
	assert_true(s.ips[2] == 0xffffffff81ff84c3ull);
	assert_int_equal(s.raw_size, 40);
	assert_memory_equal(s.raw, raw, 2);
	/* Without a call chain the raw data follows the cpu. */
	n = build_sample(buf, false, 0, NULL, sizeof(raw), raw);
	assert_int_equal(tp_sample_decode(buf, n, false, &s), 0);
	assert_int_equal(s.nr_ips, 0);
	assert_int_equal(s.raw_size, 40);
	/* Every cut of the record fails cleanly. */
	n = build_sample(buf, true, 4, ips, sizeof(raw), raw);
	for (i = 0; i < n; i++) {
		uint8_t *copy = malloc(i ? i : 1);
		struct perf_event_header h;

		memcpy(copy, buf, i);
		if (i >= sizeof(h)) {
			memcpy(&h, copy, sizeof(h));
			h.size = i;	/* the header agrees with the cut */
			memcpy(copy, &h, sizeof(h));
		}
		/* The padding after the raw data may go; anything else may not. */
		if (i < n - 4)
			assert_int_equal(tp_sample_decode(copy, i, true, &s), -EBADMSG);
		free(copy);
	}
}

static void test_sample_hostile(void **state)
{
	uint64_t ips[TP_STACK_MAX + 10];
	uint8_t raw[8] = { 0 }, buf[2048];
	struct perf_event_header h;
	struct tp_sample s;
	size_t n, i;

	(void)state;
	for (i = 0; i < TP_STACK_MAX + 10; i++)
		ips[i] = 0xffffffff81000000ull + i;
	/* More frames than we keep: cut, flagged. */
	n = build_sample(buf, true, TP_STACK_MAX + 10, ips, sizeof(raw), raw);
	assert_int_equal(tp_sample_decode(buf, n, true, &s), 0);
	assert_int_equal(s.nr_ips, TP_STACK_MAX);
	assert_true(s.stack_cut);
	/* A frame count past the record. */
	n = build_sample(buf, true, 2, ips, sizeof(raw), raw);
	{
		uint64_t huge = 1ull << 61;

		memcpy(buf + sizeof(h) + 24, &huge, 8);
	}
	assert_int_equal(tp_sample_decode(buf, n, true, &s), -EBADMSG);
	/* A raw size past the record. */
	n = build_sample(buf, false, 0, NULL, sizeof(raw), raw);
	{
		uint32_t big = 4096;

		memcpy(buf + sizeof(h) + 24, &big, 4);
	}
	assert_int_equal(tp_sample_decode(buf, n, false, &s), -EBADMSG);
	/* A header claiming more than there is, and one of another type. */
	n = build_sample(buf, false, 0, NULL, sizeof(raw), raw);
	assert_int_equal(tp_sample_decode(buf, n - 8, false, &s), -EBADMSG);
	memcpy(&h, buf, sizeof(h));
	h.type = PERF_RECORD_LOST;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(tp_sample_decode(buf, n, false, &s), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_6_1),
		cmocka_unit_test(test_format_6_12),
		cmocka_unit_test(test_format_6_18),
		cmocka_unit_test(test_format_5x),
		cmocka_unit_test(test_format_malformed),
		cmocka_unit_test(test_format_cut),
		cmocka_unit_test(test_record_offsets),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_sample_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
