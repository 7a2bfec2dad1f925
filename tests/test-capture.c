// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Captures: the frame built from a drop event, the pcap-filter on it, the two
 * writers read back with libpcap, safe file creation, and replay of recorded
 * captures (tests/fixtures) including corrupt and cut ones.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "capture.h"
#include "replay.h"
#include "fixture.h"

#define PACKET_ALERTS	10	/* tests/fixtures/recorded.txt */
#define FULL_FRAME	142

/* The first packet alert of packet.pcap, copied out of the decoder's buffer. */
static struct drop_event first;
static uint8_t first_payload[2048];
static char first_symbol[128], first_reason[64];

static int keep_first(const struct drop_event *ev, void *arg)
{
	int *n = arg;

	if ((*n)++)
		return 0;
	first = *ev;
	assert_true(ev->payload_len <= sizeof(first_payload));
	memcpy(first_payload, ev->payload, ev->payload_len);
	first.payload = first_payload;
	snprintf(first_symbol, sizeof(first_symbol), "%s", ev->symbol);
	snprintf(first_reason, sizeof(first_reason), "%s", ev->reason);
	first.symbol = first_symbol;
	first.reason = first_reason;
	return 0;
}

static int setup_first(void **state)
{
	struct replay_result res;
	int n = 0;

	if (replay_file(fixture_path("packet.pcap"), keep_first, &n, &res))
		return -1;
	return n == PACKET_ALERTS && first.payload_len == FULL_FRAME ? 0 : -1;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_frame_ethernet(void **state)
{
	uint8_t buf[CAP_FRAME_MAX];
	uint32_t orig;
	size_t n = cap_frame_build(&first, buf, sizeof(buf), &orig);

	/* lo's 14-byte Ethernet header becomes the SLL2 header. */
	assert_int_equal(n, CAP_SLL2_LEN + FULL_FRAME - 14);
	assert_int_equal(orig, CAP_SLL2_LEN + FULL_FRAME - 14);
	assert_int_equal(be16(buf), 0x0800);			/* protocol */
	assert_int_equal(buf[4] << 24 | buf[5] << 16 | buf[6] << 8 | buf[7], 1); /* ifindex */
	assert_int_equal(be16(buf + 8), 1);			/* ARPHRD_ETHER */
	assert_int_equal(buf[11], 6);				/* address length */
	assert_int_equal(buf[CAP_SLL2_LEN], 0x45);		/* IPv4, 20-byte header */
	assert_int_equal(buf[CAP_SLL2_LEN + 9], 17);		/* UDP */
	/* A buffer too small: cut, never overrun; orig_len stays the real one. */
	n = cap_frame_build(&first, buf, CAP_SLL2_LEN + 10, &orig);
	assert_int_equal(n, CAP_SLL2_LEN + 10);
	assert_int_equal(orig, CAP_SLL2_LEN + FULL_FRAME - 14);
}

static void test_frame_l3_and_empty(void **state)
{
	uint8_t buf[CAP_FRAME_MAX];
	struct drop_event ev = first;
	uint32_t orig;
	size_t n;

	/* A device without a MAC header: the payload is the IPv4 packet itself. */
	ev.payload = first_payload + 14;
	ev.payload_len = FULL_FRAME - 14;
	ev.orig_len = FULL_FRAME - 14;
	n = cap_frame_build(&ev, buf, sizeof(buf), &orig);
	assert_int_equal(n, CAP_SLL2_LEN + FULL_FRAME - 14);
	assert_int_equal(be16(buf), 0x0800);
	assert_int_equal(be16(buf + 8), 0xfffe);	/* ARPHRD_NONE */
	assert_int_equal(buf[11], 0);
	assert_memory_equal(buf + CAP_SLL2_LEN, first_payload + 14, FULL_FRAME - 14);

	/* Truncated by the kernel: orig_len says how long it was. */
	ev = first;
	ev.payload_len = 60;
	n = cap_frame_build(&ev, buf, sizeof(buf), &orig);
	assert_int_equal(n, CAP_SLL2_LEN + 60 - 14);
	assert_int_equal(orig, CAP_SLL2_LEN + FULL_FRAME - 14);

	/* No payload, no frame; a payload shorter than Ethernet is taken as L3. */
	ev.payload_len = 0;
	assert_int_equal(cap_frame_build(&ev, buf, sizeof(buf), &orig), 0);
	ev.payload = NULL;
	ev.payload_len = 5;
	assert_int_equal(cap_frame_build(&ev, buf, sizeof(buf), &orig), 0);
	ev = first;
	ev.payload_len = 13;
	assert_int_equal(cap_frame_build(&ev, buf, sizeof(buf), &orig), CAP_SLL2_LEN + 13);
	assert_int_equal(be16(buf + 8), 0xfffe);
}

static void test_filter(void **state)
{
	char err[512];
	struct cap_filter *f;
	struct drop_event ev = first;

	f = cap_filter_new("udp dst port 9", err, sizeof(err));
	assert_non_null(f);
	assert_true(cap_filter_match(f, &first));
	ev.payload = first_payload + 14;	/* the same packet without its MAC header */
	ev.payload_len = FULL_FRAME - 14;
	assert_true(cap_filter_match(f, &ev));
	ev.payload_len = 0;
	assert_false(cap_filter_match(f, &ev));
	cap_filter_free(f);

	f = cap_filter_new("tcp or udp port 53", err, sizeof(err));
	assert_non_null(f);
	assert_false(cap_filter_match(f, &first));
	cap_filter_free(f);

	f = cap_filter_new("dst host 127.0.0.1 and src host 127.0.0.1", err, sizeof(err));
	assert_non_null(f);
	assert_true(cap_filter_match(f, &first));
	cap_filter_free(f);

	err[0] = '\0';
	assert_null(cap_filter_new("udp prot 53", err, sizeof(err)));
	assert_true(strlen(err) > 0);
	assert_null(cap_filter_new("(", err, sizeof(err)));
}

static char tmpdir[] = "/tmp/dw-test-capture.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static void test_open_output(void **state)
{
	struct stat st;
	mode_t old = umask(0);
	FILE *f;

	f = cap_open_output(tmp_path("new.pcap"));
	umask(old);
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
	assert_int_equal(stat(tmp_path("new.pcap"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* An existing file: truncated and made owner-only. */
	assert_int_equal(chmod(tmp_path("new.pcap"), 0644), 0);
	f = cap_open_output(tmp_path("new.pcap"));
	assert_non_null(f);
	fclose(f);
	assert_int_equal(stat(tmp_path("new.pcap"), &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* Never through a symbolic link, and the target is left alone. */
	f = fopen(tmp_path("target"), "w");
	fputs("keep", f);
	fclose(f);
	{
		char target[256];

		snprintf(target, sizeof(target), "%s", tmp_path("target"));
		assert_int_equal(symlink(target, tmp_path("link")), 0);
	}
	errno = 0;
	assert_null(cap_open_output(tmp_path("link")));
	assert_int_equal(errno, ELOOP);
	assert_int_equal(stat(tmp_path("target"), &st), 0);
	assert_int_equal(st.st_size, 4);

	/* A non-regular file is written as it is, never truncated. */
	f = cap_open_output("/dev/null");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_true(cap_open_output("-") == stdout);
}

/* A fake generic netlink message of @len bytes (family @type). */
static size_t fake_msg(uint8_t *buf, size_t len, uint16_t type)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	memset(buf, 0xab, len);
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = 0;
	nlh->nlmsg_seq = 0;
	nlh->nlmsg_pid = 0;
	return len;
}

static void test_netlink_roundtrip(void **state)
{
	static uint8_t msg[70000];
	struct cap_writer *w;
	struct cap_reader *r;
	struct cap_record rec;
	char err[256];
	FILE *f = cap_open_output(tmp_path("nl.pcap"));

	assert_non_null(f);
	assert_int_equal(cap_writer_new(&w, f, CAP_FORMAT_NETLINK, false), 0);
	fake_msg(msg, 64, 0x1a);
	assert_int_equal(cap_write_netlink(w, msg, 64, 64, 1700000000123456789ull), 0);
	/* A message our buffer cut: 100 bytes kept of 70000. */
	fake_msg(msg, 70000, 0x1a);
	assert_int_equal(cap_write_netlink(w, msg, 100, 70000, 1700000001000000001ull), 0);
	assert_int_equal(cap_writer_close(w), 0);

	assert_int_equal(cap_reader_open(tmp_path("nl.pcap"), &r, err, sizeof(err)), 0);
	assert_int_equal(cap_reader_next(r, &rec, err, sizeof(err)), 1);
	assert_int_equal(rec.index, 1);
	assert_int_equal(rec.caplen, 64);
	assert_int_equal(rec.len, 64);
	assert_true(rec.ts_ns == 1700000000123456789ull);	/* nanoseconds kept */
	assert_int_equal(((const struct nlmsghdr *)rec.data)->nlmsg_type, 0x1a);
	assert_int_equal(cap_reader_next(r, &rec, err, sizeof(err)), 1);
	assert_int_equal(rec.caplen, 100);
	assert_int_equal(rec.len, 70000);
	assert_true(rec.ts_ns == 1700000001000000001ull);
	assert_int_equal(cap_reader_next(r, &rec, err, sizeof(err)), 0);
	cap_reader_close(r);

	/* What tshark would see: the Linux cooked header tshark's netlink dissector needs. */
	{
		char ebuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const u_char *d;
		pcap_t *p = pcap_open_offline(tmp_path("nl.pcap"), ebuf);

		assert_non_null(p);
		assert_int_equal(pcap_datalink(p), DLT_NETLINK);
		assert_int_equal(pcap_next_ex(p, &h, &d), 1);
		assert_int_equal(be16(d + 2), 824);	/* ARPHRD_NETLINK */
		assert_int_equal(be16(d + 14), 16);	/* NETLINK_GENERIC */
		assert_int_equal(h->caplen, CAP_SLL_LEN + 64);
		pcap_close(p);
	}
}

static void test_frames_file(void **state)
{
	char ebuf[PCAP_ERRBUF_SIZE], err[256];
	struct cap_writer *w;
	struct cap_reader *r;
	struct pcap_pkthdr *h;
	const u_char *d;
	struct drop_event ev = first;
	uint8_t frame[CAP_FRAME_MAX];
	size_t n;
	pcap_t *p;
	FILE *f = cap_open_output(tmp_path("frames.pcapng"));
	char *text;
	long size;

	assert_non_null(f);
	assert_int_equal(cap_writer_new(&w, f, CAP_FORMAT_FRAMES, true), 0);
	assert_int_equal(cap_write_frame(w, &first, 1700000000987654321ull,
					 "drop at: __udp4_lib_rcv; reason: NO_SOCKET", "vc",
					 "network namespace 4026532134 (ctr), by address"), 0);
	ev.payload_len = 0;
	assert_int_equal(cap_write_frame(w, &ev, 1, NULL, NULL, NULL), 1);	/* nothing to write */
	ev = first;
	ev.payload_len = 61;	/* odd length: padding */
	assert_int_equal(cap_write_frame(w, &ev, 1700000002000000000ull, NULL, NULL, NULL), 0);
	assert_int_equal(cap_writer_close(w), 0);

	p = pcap_open_offline_with_tstamp_precision(tmp_path("frames.pcapng"),
						    PCAP_TSTAMP_PRECISION_NANO, ebuf);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), 276);	/* LINKTYPE_LINUX_SLL2 */
	assert_int_equal(pcap_next_ex(p, &h, &d), 1);
	n = cap_frame_build(&first, frame, sizeof(frame), NULL);
	assert_int_equal(h->caplen, n);
	assert_int_equal(h->len, n);
	assert_memory_equal(d, frame, n);
	assert_int_equal(h->ts.tv_sec, 1700000000);
	assert_int_equal(h->ts.tv_usec, 987654321);
	assert_int_equal(pcap_next_ex(p, &h, &d), 1);
	assert_int_equal(h->caplen, CAP_SLL2_LEN + 61 - 14);
	assert_int_equal(h->len, CAP_SLL2_LEN + FULL_FRAME - 14);
	assert_int_equal(pcap_next_ex(p, &h, &d), PCAP_ERROR_BREAK);
	pcap_close(p);

	/* The comment is in the file, as a pcapng option. */
	f = fopen(tmp_path("frames.pcapng"), "r");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = malloc(size);
	assert_int_equal(fread(text, 1, size, f), size);
	fclose(f);
	assert_non_null(memmem(text, size, "reason: NO_SOCKET", 17));
	/* The first frame's interface, named and described with its namespace; the second's
	 * (no interface said) the capture's first, "dropped packets". */
	assert_non_null(memmem(text, size, "dropped packets", 15));
	assert_non_null(memmem(text, size, "network namespace 4026532134 (ctr), by address", 47));
	{
		/* Block by block: two interface blocks, then frames on interfaces 1 and 0. */
		uint32_t type, len, ifid, ids[4];
		int idbs = 0, epbs = 0;

		for (long at = 0; at + 12 <= size; at += len) {
			memcpy(&type, text + at, 4);
			memcpy(&len, text + at + 4, 4);
			assert_true(len >= 12 && at + len <= size);
			if (type == 1)
				idbs++;
			if (type == 6 && epbs < 4) {
				memcpy(&ifid, text + at + 8, 4);
				ids[epbs++] = ifid;
			}
		}
		assert_int_equal(idbs, 2);
		assert_int_equal(epbs, 2);
		assert_int_equal(ids[0], 1);
		assert_int_equal(ids[1], 0);
	}
	free(text);

	/* Not something dropwatch -r reads, and it says what to use instead. */
	assert_int_equal(cap_reader_open(tmp_path("frames.pcapng"), &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "tcpdump"));
}

static int count_events(const struct drop_event *ev, void *arg)
{
	(*(unsigned long *)arg) += ev->count;
	return 0;
}

static void test_replay_fixtures(void **state)
{
	struct replay_result res;
	unsigned long n = 0;

	assert_int_equal(replay_file(fixture_path("packet.pcap"), count_events, &n, &res), 0);
	assert_int_equal(n, PACKET_ALERTS);
	assert_int_equal(res.alerts, PACKET_ALERTS);
	assert_int_equal(res.malformed, 0);
	assert_true(res.family > GENL_ID_CTRL);

	n = 0;
	assert_int_equal(replay_file(fixture_path("summary.pcap"), count_events, &n, &res), 0);
	assert_int_equal(n, 200);	/* Udp: NoPorts delta of the recording */
	assert_int_equal(res.malformed, 0);
}

/* Copies packet.pcap's records into a new capture, changing them on the way. */
enum edit { KEEP, NO_CTRL, CUT_FILE, BAD_RECORD };

static void rewrite(const char *out, enum edit how)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *in = pcap_open_offline(fixture_path("packet.pcap"), ebuf);
	pcap_dumper_t *dump;
	int i = 0, alerts = 0;

	assert_non_null(in);
	dump = pcap_dump_open(in, out);
	assert_non_null(dump);
	while (pcap_next_ex(in, &h, &d) == 1) {
		const struct nlmsghdr *nlh = (const void *)(d + CAP_SLL_LEN);
		u_char copy[4096];

		i++;
		if (how == NO_CTRL && nlh->nlmsg_type == GENL_ID_CTRL)
			continue;
		/* Nothing after the last alert: the cut hits that alert. */
		if (how == CUT_FILE && alerts == PACKET_ALERTS)
			continue;
		if (nlh->nlmsg_type > GENL_ID_CTRL && d[CAP_SLL_LEN + NLMSG_HDRLEN] == 5)
			alerts++;	/* NET_DM_CMD_PACKET_ALERT */
		if (how == BAD_RECORD && i == 2) {
			memcpy(copy, d, h->caplen);
			copy[3] = 1;	/* hatype ARPHRD_ETHER: not netlink */
			pcap_dump((u_char *)dump, h, copy);
			continue;
		}
		pcap_dump((u_char *)dump, h, d);
	}
	pcap_dump_close(dump);
	pcap_close(in);
	if (how == CUT_FILE) {
		struct stat st;

		assert_int_equal(stat(out, &st), 0);
		assert_int_equal(truncate(out, st.st_size - 20), 0);
	}
}

static void test_replay_damaged(void **state)
{
	struct replay_result res;
	unsigned long n = 0;

	/* dwdump 1.5 often lost the family announcement: the id is found from the alerts. */
	rewrite(tmp_path("noctrl.pcap"), NO_CTRL);
	assert_int_equal(replay_file(tmp_path("noctrl.pcap"), count_events, &n, &res), 0);
	assert_int_equal(n, PACKET_ALERTS);

	/* Cut in the middle of the last record: all before it, and the record named. */
	n = 0;
	rewrite(tmp_path("cut.pcap"), CUT_FILE);
	assert_int_equal(replay_file(tmp_path("cut.pcap"), count_events, &n, &res), -EBADMSG);
	assert_int_equal(n, PACKET_ALERTS - 1);
	assert_non_null(strstr(res.err, "record "));
	assert_non_null(strstr(res.err, "truncated"));

	/* A record that is not netlink: skipped and named, the rest still read. */
	n = 0;
	rewrite(tmp_path("bad.pcap"), BAD_RECORD);
	assert_int_equal(replay_file(tmp_path("bad.pcap"), count_events, &n, &res), 0);
	assert_int_equal(n, PACKET_ALERTS);
	assert_int_equal(res.malformed, 1);
	assert_non_null(strstr(res.first_bad, "record 2:"));

	/* A message whose length is not a multiple of 4 ends its record: no read past it. */
	{
		static uint8_t msg[17];
		struct cap_writer *w;
		FILE *f = cap_open_output(tmp_path("odd.pcap"));

		assert_non_null(f);
		assert_int_equal(cap_writer_new(&w, f, CAP_FORMAT_NETLINK, false), 0);
		fake_msg(msg, sizeof(msg), 0x1c);
		assert_int_equal(cap_write_netlink(w, msg, sizeof(msg), sizeof(msg), 1), 0);
		assert_int_equal(cap_writer_close(w), 0);
		n = 0;
		assert_int_equal(replay_file(tmp_path("odd.pcap"), count_events, &n, &res), 0);
		assert_int_equal(n, 0);
	}

	/* Not a capture at all. */
	{
		FILE *f = fopen(tmp_path("garbage"), "w");

		fputs("this is not a pcap file at all, not even close\n", f);
		fclose(f);
	}
	assert_int_equal(replay_file(tmp_path("garbage"), count_events, &n, &res), -EINVAL);
	assert_true(strlen(res.err) > 0);
}

static int make_tmpdir(void **state)
{
	return mkdtemp(tmpdir) ? setup_first(state) : -1;
}

static int remove_tmpdir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_ethernet),
		cmocka_unit_test(test_frame_l3_and_empty),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_open_output),
		cmocka_unit_test(test_netlink_roundtrip),
		cmocka_unit_test(test_frames_file),
		cmocka_unit_test(test_replay_fixtures),
		cmocka_unit_test(test_replay_damaged),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
