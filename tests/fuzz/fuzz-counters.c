// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness: one input as each of the kernel's counter files, into one set. */
#include <stdint.h>
#include <string.h>

#include "counters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct counter_set s;
	const char *const *names;

	counters_init(&s);
	(void)counters_parse_snmp(&s, (const char *)data, size);
	(void)counters_parse_snmp6(&s, (const char *)data, size);
	(void)counters_parse_softnet(&s, (const char *)data, size);
	for (size_t i = 0; i < s.n; i++)
		(void)strlen(s.c[i].name);
	names = counters_of_reason("NO_SOCKET");
	if (names && names[0])
		(void)counters_find(&s, names[0]);
	counters_free(&s);
	return 0;
}
