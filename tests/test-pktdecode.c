// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The payload decoder: constructed frames of every protocol it knows, each cut at
 * every length (in exact-size heap buffers, so a read past the end is caught
 * under AddressSanitizer and valgrind), bogus header lengths, and the frames
 * recorded from the real kernel (tests/fixtures).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "pktdecode.h"
#include "sbuf.h"
#include "replay.h"
#include "fixture.h"

struct frame {
	uint8_t b[256];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put8(struct frame *f, uint8_t v)
{
	put(f, &v, 1);
}

static void put16(struct frame *f, uint16_t v)
{
	v = htons(v);
	put(f, &v, 2);
}

static void put32(struct frame *f, uint32_t v)
{
	v = htonl(v);
	put(f, &v, 4);
}

static void addr4(struct frame *f, const char *a)
{
	struct in_addr in;

	assert_int_equal(inet_pton(AF_INET, a, &in), 1);
	put(f, &in, 4);
}

static void addr6(struct frame *f, const char *a)
{
	struct in6_addr in;

	assert_int_equal(inet_pton(AF_INET6, a, &in), 1);
	put(f, &in, 16);
}

static void eth(struct frame *f, uint16_t type)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 }, src[6] = { 2, 0, 0, 0, 0, 1 };

	put(f, dst, 6);
	put(f, src, 6);
	put16(f, type);
}

static void vlan(struct frame *f, uint16_t id, uint16_t next)
{
	put16(f, 0x2000 | id);	/* priority 1 */
	put16(f, next);
}

/* IPv4 header; @ihl in 32-bit words (options filled with NOPs). */
static void ipv4(struct frame *f, unsigned int ihl, uint16_t total, uint16_t frag, uint8_t proto,
		 const char *src, const char *dst)
{
	unsigned int i;

	put8(f, 0x40 | ihl);
	put8(f, 0);
	put16(f, total);
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	addr4(f, src);
	addr4(f, dst);
	for (i = 5; i < ihl; i++)
		put32(f, 0x01010101);
}

static void ipv6(struct frame *f, uint16_t plen, uint8_t next, const char *src, const char *dst)
{
	put32(f, 0x60000000);
	put16(f, plen);
	put8(f, next);
	put8(f, 64);
	addr6(f, src);
	addr6(f, dst);
}

static void udp(struct frame *f, uint16_t sport, uint16_t dport, uint16_t len)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, len);
	put16(f, 0);
}

static void tcp(struct frame *f, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		uint8_t doff, uint8_t flags, uint16_t win)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, seq);
	put32(f, ack);
	put8(f, doff << 4);
	put8(f, flags);
	put16(f, win);
	put16(f, 0);
	put16(f, 0);
}

static void payload(struct frame *f, size_t n)
{
	while (n--)
		put8(f, 0x61);
}

/* Decodes a copy of the first @len bytes in a buffer of exactly that size. */
static const char *summary(const struct frame *f, size_t len, uint16_t proto, struct pkt_info *pi)
{
	static char out[320];
	uint8_t *copy = malloc(len ? len : 1);

	memcpy(copy, f->b, len);
	pkt_decode(len ? copy : NULL, len, proto, true, pi);
	free(copy);
	return pkt_summary(pi, out, sizeof(out));
}

/* The whole frame gives @want, and every shorter cut of its headers says [truncated]. */
static void check_frame(const struct frame *f, size_t headers, uint16_t proto, const char *want)
{
	struct pkt_info pi;
	size_t len;

	assert_string_equal(summary(f, f->n, proto, &pi), want);
	assert_false(pi.truncated);
	for (len = 1; len < headers; len++) {
		summary(f, len, proto, &pi);
		if (!pi.truncated)
			fail_msg("cut at %zu of %zu bytes: not marked truncated (%s)", len, headers,
				 summary(f, len, proto, &pi));
	}
	for (len = headers; len <= f->n; len++) {
		summary(f, len, proto, &pi);
		assert_false(pi.truncated);
	}
}

static void test_udp4(void **state)
{
	static const uint8_t a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 2 };
	struct frame f = { .n = 0 };
	struct pkt_info pi;

	eth(&f, 0x0800);
	ipv4(&f, 5, 20 + 8 + 12, 0, 17, "10.0.0.1", "10.0.0.2");
	udp(&f, 5353, 53, 8 + 12);
	payload(&f, 12);
	check_frame(&f, 14 + 20 + 8, 0x0800, "UDP 10.0.0.1:5353 > 10.0.0.2:53 len 12");
	/* The addresses as bytes too (the namespace of a drop is found by them). */
	summary(&f, f.n, 0x0800, &pi);
	assert_int_equal(pi.alen, 4);
	assert_memory_equal(pi.saddr, a1, 4);
	assert_memory_equal(pi.daddr, a2, 4);
	summary(&f, 14 + 19, 0x0800, &pi);	/* cut inside the IPv4 header */
	assert_int_equal(pi.alen, 0);
}

static void test_tcp_vlan(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;

	eth(&f, 0x8100);
	vlan(&f, 100, 0x0800);
	ipv4(&f, 5, 40, 0, 6, "10.0.0.1", "10.0.0.2");
	tcp(&f, 443, 51512, 1000, 2000, 5, 0x14, 0);
	check_frame(&f, f.n, 0x8100,
		    "VLAN 100 TCP 10.0.0.1:443 > 10.0.0.2:51512 [R.] seq 1000 ack 2000 win 0 len 0");
	summary(&f, f.n, 0x8100, &pi);
	assert_int_equal(pi.vlans, 1);
	assert_int_equal(pi.vlan[0], 100);
	assert_int_equal(pi.tcp_flags, 0x14);
	assert_string_equal(pkt_l4_name(&pi), "tcp");
}

static void test_syn_with_options(void **state)
{
	struct frame f = { .n = 0 };
	char flags[16];

	eth(&f, 0x0800);
	ipv4(&f, 6, 24 + 24, 0, 6, "192.0.2.1", "192.0.2.2");
	tcp(&f, 40000, 80, 1, 0, 6, 0x02, 64240);
	put32(&f, 0x020405b4);	/* MSS */
	check_frame(&f, f.n, 0x0800,
		    "TCP 192.0.2.1:40000 > 192.0.2.2:80 [S] seq 1 win 64240 len 0 [IP options]");
	assert_string_equal(pkt_tcp_flags(0x18, flags, sizeof(flags)), "P.");
	assert_string_equal(pkt_tcp_flags(0x11, flags, sizeof(flags)), "F.");
	assert_string_equal(pkt_tcp_flags(0x00, flags, sizeof(flags)), "none");
}

static void test_qinq_icmp(void **state)
{
	struct frame f = { .n = 0 };

	eth(&f, 0x88a8);
	vlan(&f, 10, 0x8100);
	vlan(&f, 20, 0x0800);
	ipv4(&f, 5, 28, 0, 1, "192.0.2.1", "192.0.2.2");
	put8(&f, 8);
	put8(&f, 0);
	put16(&f, 0);
	put32(&f, 0x00010001);
	check_frame(&f, f.n - 6, 0x88a8,
		    "VLAN 10 VLAN 20 ICMP 192.0.2.1 > 192.0.2.2 type 8 code 0 (echo request)");
}

static void arp(struct frame *f, uint16_t op, const char *spa, const char *tpa)
{
	static const uint8_t sha[6] = { 2, 0, 0, 0, 0, 1 }, tha[6] = { 0 };

	eth(f, 0x0806);
	put16(f, 1);
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, op);
	put(f, sha, 6);
	addr4(f, spa);
	put(f, tha, 6);
	addr4(f, tpa);
}

static void test_arp(void **state)
{
	struct frame f = { .n = 0 };

	arp(&f, 1, "10.0.0.1", "10.0.0.2");
	check_frame(&f, f.n, 0x0806, "ARP who-has 10.0.0.2 tell 10.0.0.1");
	f.n = 0;
	arp(&f, 2, "10.0.0.2", "10.0.0.1");
	check_frame(&f, f.n, 0x0806, "ARP reply 10.0.0.2 is-at 02:00:00:00:00:01");
}

static void test_ipv6(void **state)
{
	struct frame f = { .n = 0 };

	/* Hop-by-hop options, then UDP. */
	eth(&f, 0x86dd);
	ipv6(&f, 8 + 8 + 4, 0, "2001:db8::1", "2001:db8::2");
	put8(&f, 17);
	put8(&f, 0);
	put16(&f, 0x0104);	/* PadN */
	put32(&f, 0);
	udp(&f, 1000, 2000, 12);
	payload(&f, 4);
	check_frame(&f, f.n - 4, 0x86dd, "UDP [2001:db8::1]:1000 > [2001:db8::2]:2000 len 4");
	{
		static const uint8_t a2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
		struct pkt_info pi;

		summary(&f, f.n, 0x86dd, &pi);
		assert_int_equal(pi.alen, 16);
		assert_memory_equal(pi.daddr, a2, 16);
	}

	/* Neighbour solicitation. */
	f.n = 0;
	eth(&f, 0x86dd);
	ipv6(&f, 24, 58, "fe80::1", "ff02::1:ff00:2");
	put8(&f, 135);
	put8(&f, 0);
	put16(&f, 0);
	put32(&f, 0);
	addr6(&f, "fe80::2");
	check_frame(&f, 14 + 40 + 2, 0x86dd,
		    "ICMP6 fe80::1 > ff02::1:ff00:2 type 135 code 0 (neighbor solicitation)");

	/* A later fragment: no transport header to read. */
	f.n = 0;
	eth(&f, 0x86dd);
	ipv6(&f, 8 + 16, 44, "2001:db8::1", "2001:db8::2");
	put8(&f, 17);
	put8(&f, 0);
	put16(&f, 8);		/* offset 8, no more */
	put32(&f, 7);
	payload(&f, 16);
	check_frame(&f, 14 + 40 + 8, 0x86dd,
		    "IPv6 2001:db8::1 > 2001:db8::2 udp len 64 [frag id 7 off 8]");
}

static void test_fragments(void **state)
{
	struct frame f = { .n = 0 };

	eth(&f, 0x0800);
	ipv4(&f, 5, 20 + 8 + 16, 0x2000, 17, "10.0.0.1", "10.0.0.2");	/* first, more */
	udp(&f, 1, 2, 1480);
	payload(&f, 16);
	check_frame(&f, 14 + 20 + 8, 0x0800,
		    "UDP 10.0.0.1:1 > 10.0.0.2:2 len 1472 [frag id 4660 off 0 more]");
	f.n = 0;
	eth(&f, 0x0800);
	ipv4(&f, 5, 20 + 48, 185, 17, "10.0.0.1", "10.0.0.2");	/* offset 1480, last */
	payload(&f, 48);
	check_frame(&f, 14 + 20, 0x0800, "IPv4 10.0.0.1 > 10.0.0.2 udp len 68 [frag id 4660 off 1480]");
}

static void test_l3_only_and_others(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;

	/* A device without a MAC header: the payload is the IP packet. */
	ipv4(&f, 5, 28, 0, 17, "10.1.1.1", "10.1.1.2");
	udp(&f, 7, 9, 8);
	check_frame(&f, f.n, 0x0800, "UDP 10.1.1.1:7 > 10.1.1.2:9 len 0");
	summary(&f, f.n, 0x0800, &pi);
	assert_false(pi.has_mac);
	/* Without the kernel's protocol, a plausible ethertype at bytes 12-13 means Ethernet. */
	f.n = 0;
	eth(&f, 0x0800);
	ipv4(&f, 5, 28, 0, 17, "10.1.1.1", "10.1.1.2");
	udp(&f, 7, 9, 8);
	pkt_decode(f.b, f.n, 0, false, &pi);
	assert_true(pi.has_mac);
	assert_int_equal(pi.l3, PKT_L3_IPV4);
	pkt_decode(f.b + 14, f.n - 14, 0, false, &pi);
	assert_false(pi.has_mac);

	f.n = 0;
	eth(&f, 0x88cc);
	payload(&f, 20);
	assert_string_equal(summary(&f, f.n, 0x88cc, &pi), "LLDP");
	f.n = 0;
	eth(&f, 0x1234);
	payload(&f, 20);
	assert_string_equal(summary(&f, f.n, 0x1234, &pi), "ethertype 0x1234");
	f.n = 0;
	eth(&f, 0x0800);
	ipv4(&f, 5, 20 + 8, 0, 47, "10.0.0.1", "10.0.0.2");
	payload(&f, 8);
	assert_string_equal(summary(&f, f.n, 0x0800, &pi), "IPv4 10.0.0.1 > 10.0.0.2 gre len 28");
	assert_string_equal(summary(&f, 0, 0x0800, &pi), "");
}

static void test_bogus(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;

	eth(&f, 0x0800);
	ipv4(&f, 5, 40, 0, 17, "10.0.0.1", "10.0.0.2");
	f.b[14] = 0x43;	/* IHL 3 */
	udp(&f, 1, 2, 12);
	summary(&f, f.n, 0x0800, &pi);
	assert_true(pi.bogus);
	f.b[14] = 0x45;
	f.b[14 + 20 + 5] = 4;	/* UDP length 4 */
	assert_string_equal(summary(&f, f.n, 0x0800, &pi), "UDP 10.0.0.1:1 > 10.0.0.2:2 [bogus header]");
	f.b[14] = 0x55;	/* version 5 */
	summary(&f, f.n, 0x0800, &pi);
	assert_true(pi.bogus);

	f.n = 0;
	eth(&f, 0x0800);
	ipv4(&f, 5, 40, 0, 6, "10.0.0.1", "10.0.0.2");
	tcp(&f, 1, 2, 3, 4, 2, 0x10, 5);	/* data offset 8 bytes */
	summary(&f, f.n, 0x0800, &pi);
	assert_true(pi.bogus);
	assert_false(pi.has_l4_len);

	/* A total length shorter than the header. */
	f.n = 0;
	eth(&f, 0x0800);
	ipv4(&f, 5, 10, 0, 17, "10.0.0.1", "10.0.0.2");
	summary(&f, f.n, 0x0800, &pi);
	assert_true(pi.bogus);

	/* Endless VLAN tags: bounded, and cut. */
	f.n = 0;
	eth(&f, 0x8100);
	while (f.n + 4 <= 64)
		vlan(&f, 1, 0x8100);
	summary(&f, f.n, 0x8100, &pi);
	assert_true(pi.truncated);
	assert_int_equal(pi.vlans, PKT_MAX_VLANS);
}

static unsigned int recorded;

static int check_recorded(const struct drop_event *ev, void *arg)
{
	struct pkt_info pi;
	char buf[320];

	pkt_decode(ev->payload, ev->payload_len, ev->proto, true, &pi);
	pkt_summary(&pi, buf, sizeof(buf));
	/* 100-byte datagrams to 127.0.0.1:9, whole or cut to 60 bytes: headers intact. */
	assert_non_null(strstr(buf, "UDP 127.0.0.1:"));
	assert_non_null(strstr(buf, " > 127.0.0.1:9 len 100"));
	assert_false(pi.truncated);
	assert_true(pi.has_mac);
	recorded++;
	return 0;
}

static void test_recorded(void **state)
{
	struct replay_result res;

	assert_int_equal(replay_file(fixture_path("packet.pcap"), check_recorded, NULL, &res), 0);
	assert_int_equal(recorded, 10);
}

/* sb_u64_pad or sb_hex of @v into a @size buffer after "ab", against snprintf. */
static void check_number(bool hex, uint64_t v, unsigned int min, size_t size)
{
	unsigned int width = min > (hex ? 16u : 20u) ? (hex ? 16u : 20u) : min;
	char want[64], buf[32];
	struct sbuf b;

	memset(buf, '#', sizeof(buf));
	if (hex)
		snprintf(want, size, "ab%0*" PRIx64, (int)width, v);
	else
		snprintf(want, size, "ab%0*" PRIu64, (int)width, v);
	sb_init(&b, buf, size);
	sb_puts(&b, "ab");
	if (hex)
		sb_hex(&b, v, min);
	else
		sb_u64_pad(&b, v, min);
	assert_string_equal(buf, want);
	assert_int_equal(b.n, strlen(want));
	assert_int_equal(buf[size], '#');
}

/* The text builder's numbers: as printf spells them, and cut, never overrun, at the end. */
static void test_sbuf_numbers(void **state)
{
	static const uint64_t values[] = {
		0, 1, 9, 10, 99, 100, 255, 65535, 999999999, 1000000000, 4294967295u,
		10000000000000000000ull, 9999999999999999999ull, UINT64_MAX, 0xffffffff81234567ull,
	};
	static const unsigned int mins[] = { 1, 4, 9, 16, 20, 25 };
	size_t i, j, size;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		for (j = 0; j < sizeof(mins) / sizeof(mins[0]); j++)
			for (size = 1; size <= 24; size++) {
				check_number(false, values[i], mins[j], size);
				check_number(true, values[i], mins[j], size);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_numbers),
		cmocka_unit_test(test_udp4),
		cmocka_unit_test(test_tcp_vlan),
		cmocka_unit_test(test_syn_with_options),
		cmocka_unit_test(test_qinq_icmp),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_l3_only_and_others),
		cmocka_unit_test(test_bogus),
		cmocka_unit_test(test_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
