// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP's tracepoints, decoded: the format files of tcp_retransmit_skb,
 * tcp_send_reset and tcp_receive_reset recorded on Linux 6.1, 6.12 (the rig)
 * and 6.18 (tests/fixtures), records built here by each layout, cut at every
 * length, with every err value a retransmit can have, and malformed formats.
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

#include "reasons.h"
#include "tcpev.h"
#include "fixture.h"

static const char *const versions[] = { "6.1", "6.12", "6.18" };

static void parse(enum tcpev_kind kind, const char *version, struct tcpev_format *fmt)
{
	char name[128], err[160] = "";
	size_t len;
	char *text;

	snprintf(name, sizeof(name), "%s-format-%s", tcpev_tracepoint[kind], version);
	text = fixture_text(name, &len);
	assert_non_null(text);
	if (tcpev_format_parse(fmt, kind, text, len, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	free(text);
}

static void put(uint8_t *rec, const struct tp_field *f, uint64_t v)
{
	assert_true(f->present);
	memcpy(rec + f->offset, &v, f->size);	/* little endian, as the machine */
}

/* The layouts: err only from 6.17, the reset's reason and sockaddrs from 6.10. */
static void test_layouts(void **state)
{
	struct tcpev_format f;
	size_t v;

	(void)state;
	for (v = 0; v < 3; v++) {
		bool new = v == 2, reasons = v >= 1;

		parse(TCPEV_RETRANSMIT, versions[v], &f);
		assert_true(f.id > 0);
		assert_true(f.field[TCPEV_F_STATE].present);
		assert_int_equal(f.field[TCPEV_F_ERR].present, new);
		assert_false(f.sockaddr);
		parse(TCPEV_RESET_SENT, versions[v], &f);
		assert_int_equal(f.field[TCPEV_F_REASON].present, reasons);
		assert_int_equal(f.sockaddr, reasons);
		parse(TCPEV_RESET_RECEIVED, versions[v], &f);
		assert_false(f.field[TCPEV_F_ERR].present);
		assert_true(f.field[TCPEV_F_COOKIE].present);
	}
}

/* A retransmit of 6.18 with each result, and 6.1's without err. */
static void test_retransmit(void **state)
{
	static const struct {
		int32_t err;
		const char *name;
		enum tcpev_outcome outcome;
		bool explained;
	} res[] = {
		{ 0, "ok", TCPEV_SENT, true },
		{ -EBUSY, "EBUSY", TCPEV_BUSY, true },
		{ -EINVAL, "EINVAL", TCPEV_REFUSED, true },
		{ -ENOMEM, "ENOMEM", TCPEV_REFUSED, true },
		{ -EHOSTUNREACH, "EHOSTUNREACH", TCPEV_REFUSED, true },
		{ -EAGAIN, "EAGAIN", TCPEV_REFUSED, true },
		{ -ENOBUFS, "ENOBUFS", TCPEV_XMIT_FAILED, true },
		{ -EPERM, "EPERM", TCPEV_XMIT_FAILED, true },
		{ 1, "NET_XMIT_DROP", TCPEV_XMIT_FAILED, true },
		{ -ENOTCONN, "ENOTCONN", TCPEV_XMIT_FAILED, false },
		{ -4095, "-4095", TCPEV_XMIT_FAILED, false },
		{ 77, "77", TCPEV_XMIT_FAILED, false },
	};
	struct tcpev_format f;
	struct tcpev ev;
	uint8_t rec[256];
	char buf[32];
	size_t i;

	(void)state;
	parse(TCPEV_RETRANSMIT, "6.18", &f);
	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		const char *n;

		memset(rec, 0, sizeof(rec));
		put(rec, &f.field[TCPEV_F_STATE], 1);
		put(rec, &f.field[TCPEV_F_FAMILY], 2);
		put(rec, &f.field[TCPEV_F_SPORT], 40000);
		put(rec, &f.field[TCPEV_F_DPORT], 5001);
		memcpy(rec + f.field[TCPEV_F_SADDR].offset, "\x0a\x00\x00\x01", 4);
		memcpy(rec + f.field[TCPEV_F_DADDR].offset, "\x0a\x00\x00\x02", 4);
		put(rec, &f.field[TCPEV_F_ERR], (uint32_t)res[i].err);
		assert_int_equal(tcpev_decode(&f, rec, f.field[TCPEV_F_ERR].offset + 4, &ev), 0);
		assert_int_equal(ev.kind, TCPEV_RETRANSMIT);
		assert_true(ev.has_err && ev.has_state && ev.has_addr);
		assert_int_equal(ev.err, res[i].err);
		assert_int_equal(ev.state, 1);
		assert_int_equal(ev.sport, 40000);
		assert_int_equal(ev.dport, 5001);
		assert_memory_equal(ev.daddr, "\x0a\x00\x00\x02", 4);
		n = tcpev_result_name(ev.err, buf, sizeof(buf));
		assert_string_equal(n, res[i].name);
		assert_int_equal(tcpev_result_outcome(ev.err), res[i].outcome);
		assert_int_equal(tcpev_result_text(n) != NULL, res[i].explained);
		/* Cut anywhere before its last field's end: refused, never read past. */
		assert_int_equal(tcpev_decode(&f, rec, f.field[TCPEV_F_ERR].offset + 3, &ev),
				 -EBADMSG);
	}
	parse(TCPEV_RETRANSMIT, "6.1", &f);
	memset(rec, 0, sizeof(rec));
	put(rec, &f.field[TCPEV_F_FAMILY], 10);
	rec[f.field[TCPEV_F_SADDR6].offset + 15] = 1;
	rec[f.field[TCPEV_F_DADDR6].offset + 15] = 2;
	assert_int_equal(tcpev_decode(&f, rec, sizeof(rec), &ev), 0);
	assert_false(ev.has_err);
	assert_true(ev.has_addr);
	assert_int_equal(ev.family, 10);
	assert_int_equal(ev.saddr[15], 1);
	assert_int_equal(ev.daddr[15], 2);
}

/* 6.10's sockaddrs: IPv4, IPv6, and none (a reset without a socket's addresses). */
static void test_reset_sockaddr(void **state)
{
	struct tcpev_format f;
	struct tcpev ev;
	uint8_t rec[256];
	size_t s, d, len;

	(void)state;
	parse(TCPEV_RESET_SENT, "6.18", &f);
	s = f.field[TCPEV_F_SADDR].offset;
	d = f.field[TCPEV_F_DADDR].offset;
	len = d + 28;
	memset(rec, 0, sizeof(rec));
	put(rec, &f.field[TCPEV_F_REASON], 1);
	memcpy(rec + s, "\x02\x00\x17\x6f\x7f\x00\x00\x01", 8);	/* AF_INET, 5999, 127.0.0.1 */
	memcpy(rec + d, "\x02\x00\x9c\x40\x7f\x00\x00\x02", 8);	/* 40000 */
	assert_int_equal(tcpev_decode(&f, rec, len, &ev), 0);
	assert_true(ev.has_reason && ev.has_addr);
	assert_int_equal(ev.reason, 1);
	assert_int_equal(ev.family, 2);
	assert_int_equal(ev.sport, 5999);
	assert_int_equal(ev.dport, 40000);
	assert_memory_equal(ev.saddr, "\x7f\x00\x00\x01", 4);
	assert_int_equal(ev.state, 0);
	memset(rec + s, 0, 28);
	memset(rec + d, 0, 28);
	memcpy(rec + s, "\x0a\x00\x00\x50", 4);
	memcpy(rec + d, "\x0a\x00\xc3\x50", 4);
	rec[s + 8 + 15] = 1;
	rec[d + 8 + 15] = 1;
	assert_int_equal(tcpev_decode(&f, rec, len, &ev), 0);
	assert_true(ev.has_addr);
	assert_int_equal(ev.family, 10);
	assert_int_equal(ev.sport, 80);
	assert_int_equal(ev.dport, 50000);
	assert_int_equal(ev.saddr[15], 1);
	memset(rec + s, 0, 28);
	memset(rec + d, 0, 28);
	assert_int_equal(tcpev_decode(&f, rec, len, &ev), 0);
	assert_false(ev.has_addr);
	assert_int_equal(tcpev_decode(&f, rec, len - 1, &ev), -EBADMSG);
}

/* The reasons come from the format; each has our explanation; 6.1 has none. */
static void test_reset_reasons(void **state)
{
	size_t v, i, len;

	(void)state;
	for (v = 0; v < 3; v++) {
		struct reason_cat *cat = reasons_new();
		char name[64], *text;
		int n;

		snprintf(name, sizeof(name), "tcp_send_reset-format-%s", versions[v]);
		text = fixture_text(name, &len);
		assert_non_null(text);
		assert_non_null(cat);
		n = reasons_parse_format(cat, text, len);
		if (v == 0) {
			assert_int_equal(n, -EINVAL);
		} else {
			assert_true(n > 20);
			assert_string_equal(reasons_lookup(cat, 1), "NO_SOCKET");
			for (i = 0; i < reasons_count(cat); i++) {
				const char *r = reasons_name(cat, i);

				if (strcmp(r, "MAX") && !tcpev_reset_text(r))
					fail_msg("%s: reset reason %s is not explained", name, r);
			}
		}
		reasons_free(cat);
		free(text);
	}
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"name: tcp_send_reset\nformat:\n\tfield:int state;\toffset:24;\tsize:4;\tsigned:1;\n",
		"ID: 12\n\tfield:__u16 sport;\toffset:1;\tsize:2;\tsigned:0;\n",
		"ID: 12\n\tfield:int state;\toffset:24;\tsize:3;\tsigned:1;\n",
		"ID: 12\n\tfield:__u8 saddr[28];\toffset:32;\tsize:28;\tsigned:0;\n",
		"ID: 12\n\tfield:int state;\toffset:99999999;\tsize:4;\tsigned:1;\n",
		"ID: x\n",
	};
	struct tcpev_format f;
	char err[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(tcpev_format_parse(&f, TCPEV_RESET_SENT, bad[i], strlen(bad[i]), err,
						    sizeof(err)), -EINVAL);
		assert_true(err[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_reset_sockaddr),
		cmocka_unit_test(test_reset_reasons),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
