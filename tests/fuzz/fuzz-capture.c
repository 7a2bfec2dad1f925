// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: a whole capture file replayed (libpcap's reader, our
 * record checks, family learning, the codec), as dropwatch -r does.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_event(const struct drop_event *ev, void *arg)
{
	volatile size_t n = 0;

	if (ev->symbol)
		n += strlen(ev->symbol);
	if (ev->reason)
		n += strlen(ev->reason);
	if (ev->payload_len)
		n += ev->payload[ev->payload_len - 1];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct replay_result res;
	char path[64];

	if (fd < 0)
		fd = memfd_create("fuzz-capture", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	replay_file(path, on_event, NULL, &res);
	return 0;
}
