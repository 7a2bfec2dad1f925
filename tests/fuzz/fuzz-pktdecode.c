// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: a dropped packet's payload through the header decoder and
 * its summary. The first two bytes choose the protocol the kernel would have
 * said (and whether it said one); the rest is the payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pktdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_info pi;
	char buf[320];
	uint8_t *copy;
	uint16_t proto;

	if (size < 2)
		return 0;
	proto = (uint16_t)(data[0] << 8 | data[1]);
	copy = malloc(size - 2 ? size - 2 : 1);
	memcpy(copy, data + 2, size - 2);
	pkt_decode(size > 2 ? copy : NULL, size - 2, proto, proto != 0, &pi);
	pkt_summary(&pi, buf, sizeof(buf));
	pkt_has_ethernet(copy, size - 2, proto, true);
	free(copy);
	return 0;
}
