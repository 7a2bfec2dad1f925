// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness: a tracepoint format file through the drop reason parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reasons.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reason_cat *cat = reasons_new();
	char *copy = malloc(size ? size : 1);
	size_t i;

	memcpy(copy, data, size);
	if (cat && reasons_parse_format(cat, copy, size) > 0)
		for (i = 0; i < reasons_count(cat); i++) {
			(void)reason_explain(reasons_name(cat, i));
			(void)reasons_lookup(cat, reasons_value(cat, i));
		}
	reasons_free(cat);
	free(copy);
	return 0;
}
