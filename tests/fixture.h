/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helper: the netlink messages of a DLT_NETLINK capture (nlmon, dwdump), in order. */
#ifndef DW_TEST_FIXTURE_H
#define DW_TEST_FIXTURE_H

#include <pcap/pcap.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdm.h"

#define SLL_HDR_LEN 16
#define ARPHRD_NETLINK_BE 824

typedef void (*fixture_msg_fn)(const struct nlmsghdr *nlh, size_t len, void *arg);

struct fixture_walk {
	fixture_msg_fn fn;
	void *arg;
};

static inline int fixture_msg(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct fixture_walk *w = arg;

	w->fn(nlh, len, w->arg);
	return 0;
}

static inline const char *fixture_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("srcdir");

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", dir ? dir : ".", name);
	return path;
}

/*
 * A text fixture (a tracepoint's format file), whole up to 64 KiB and NUL-terminated, its
 * length in @len; NULL when it cannot be read (said on stderr). Freed by the caller.
 */
static inline char *fixture_text(const char *name, size_t *len)
{
	FILE *f = fopen(fixture_path(name), "r");
	char *buf = f ? malloc(1 << 16) : NULL;

	*len = 0;
	if (!buf) {
		fprintf(stderr, "%s: cannot be read\n", name);
		if (f)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* Calls @fn for every netlink message of every record; returns the record count or -1. */
static inline int fixture_for_each(const char *name, fixture_msg_fn fn, void *arg)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	pcap_t *p = pcap_open_offline(fixture_path(name), err);
	int records = 0;

	if (!p) {
		fprintf(stderr, "%s: %s\n", name, err);
		return -1;
	}
	if (pcap_datalink(p) != DLT_NETLINK) {
		pcap_close(p);
		return -1;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		const uint8_t *m;
		int left;

		records++;
		if (h->caplen < SLL_HDR_LEN || ((data[2] << 8) | data[3]) != ARPHRD_NETLINK_BE)
			continue;
		m = data + SLL_HDR_LEN;
		left = h->caplen - SLL_HDR_LEN;
		/* Copy to an aligned buffer: the decoder may assume 4-byte alignment. */
		{
			uint8_t *buf = malloc(left ? left : 1);
			struct fixture_walk w = { .fn = fn, .arg = arg };

			memcpy(buf, m, left);
			netdm_msg_walk(buf, left, fixture_msg, &w, NULL);
			free(buf);
		}
	}
	pcap_close(p);
	return records;
}

#endif
