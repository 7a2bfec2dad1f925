// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the tracepoint source's decoders. The first byte picks
 * the input's kind: even, a format file for tp_format_parse() (and, when it
 * parses, a record decoded by it); odd, a perf sample record for
 * tp_sample_decode() (bit 1: with a call chain), its raw data decoded by the
 * layout of Linux 6.18.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpformat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char format_618[] =
	"ID: 2310\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_format fmt;
	struct tp_record rec;
	char err[128];

	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		char *copy = malloc(size - 1 ? size - 1 : 1);
		uint8_t raw[64] = { 0 };

		memcpy(copy, data + 1, size - 1);
		if (!tp_format_parse(&fmt, copy, size - 1, err, sizeof(err))) {
			size_t n;

			for (n = 0; n <= sizeof(raw); n += 8)
				(void)tp_record_decode(&fmt, raw, n, &rec);
		}
		free(copy);
	} else {
		struct tp_sample s;
		uint8_t *copy = malloc(size - 1 ? size - 1 : 1);

		memcpy(copy, data + 1, size - 1);
		if (!tp_format_parse(&fmt, format_618, sizeof(format_618) - 1, err, sizeof(err)) &&
		    !tp_sample_decode(copy, size - 1, data[0] & 2, &s))
			(void)tp_record_decode(&fmt, s.raw, s.raw_size, &rec);
		free(copy);
	}
	return 0;
}
