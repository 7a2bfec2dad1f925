/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text output of drop events in dropwatch 1.5's line shapes. */
#ifndef DW_OUTPUT_H
#define DW_OUTPUT_H

#include <stdio.h>
#include "event.h"
#include "symbols.h"

struct ifname_cache;

struct out_ctx {
	FILE *f;
	const struct sym_index *syms;	/* NULL: print raw addresses */
	struct ifname_cache *ifnames;	/* NULL: names only as the kernel sends them */
};

void out_event_text(struct out_ctx *o, const struct drop_event *ev);

/* Copies @src into @dst with control and non-ASCII bytes as \xHH; always terminated. */
const char *out_safe(char *dst, size_t size, const char *src);
/* "SYMBOL+0xOFF" or "SYMBOL+0xOFF [module]" for @pc, or NULL when not resolvable. */
const char *out_symbol(const struct sym_index *syms, uint64_t pc, char *buf, size_t size);
const char *out_proto_name(uint16_t proto);

struct ifname_cache *ifname_cache_new(void);
void ifname_cache_free(struct ifname_cache *c);
/* Name of @ifindex in this network namespace, or NULL. */
const char *ifname_cache_get(struct ifname_cache *c, uint32_t ifindex);

#endif
