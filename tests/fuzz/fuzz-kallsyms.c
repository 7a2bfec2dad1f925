// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness: a kallsyms text loaded into the symbol index, then looked up. */
#include <stdint.h>
#include <string.h>

#include "symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sym_index *idx = NULL;
	struct sym_load_info info;
	struct sym_result r;
	uint64_t probe = 0;
	size_t i;

	if (sym_index_load_buf((const char *)data, size, &idx, &info) == 0) {
		/* Addresses from the input itself, and the edges. */
		for (i = 0; i + 8 <= size && i < 64; i += 8) {
			memcpy(&probe, data + i, 8);
			if (!sym_lookup(idx, probe, &r))
				(void)strlen(r.name);
		}
		sym_lookup(idx, 0, &r);
		sym_lookup(idx, UINT64_MAX, &r);
	}
	sym_index_free(idx);
	return 0;
}
