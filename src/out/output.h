/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text output of drop events in dropwatch 1.5's line shapes. */
#ifndef DW_OUTPUT_H
#define DW_OUTPUT_H

#include <stdio.h>
#include "event.h"
#include "symbols.h"

struct ifname_cache;

enum out_format {
	OUT_TEXT,	/* dropwatch 1.5's line shapes, and the packet's summary */
	OUT_KV,		/* one line of key=value pairs per drop */
	OUT_JSON,	/* one JSON object per line (JSON lines) */
};

/* Where a drop happened: the kernel's symbol text, else our index; known false if neither. */
struct out_location {
	bool known;
	char name[256];		/* escaped */
	uint64_t offset;
	char module[64];	/* escaped; empty for the core kernel */
	char text[400];		/* "name+0xOFF" or "name+0xOFF [module]" when known */
	char shown[400];	/* what "drop at:" shows: the kernel's text escaped, else text */
	size_t name_len, text_len, shown_len;
};

struct loc_cache;
struct out_ctx;

/* Sets the context's symbol index (out_set_syms), or leaves it NULL. */
typedef void (*out_syms_loader)(struct out_ctx *o, void *arg);

struct out_ctx {
	FILE *f;
	enum out_format format;
	const struct sym_index *syms;	/* NULL: print raw addresses; set with out_set_syms() */
	/*
	 * Called once, the first time an address needs a name and there is no
	 * index: reading /proc/kallsyms costs a few hundred ms of CPU (the
	 * kernel's and ours) that a session of packet alerts, which carry the
	 * kernel's own symbol text, never needs to spend.
	 */
	out_syms_loader load_syms;
	void *load_syms_arg;
	struct ifname_cache *ifnames;	/* NULL: names only as the kernel sends them */
	uint64_t now_ns;		/* time for events without the kernel's timestamp */
	bool verbose;			/* explain drop reasons */
	bool view_stack;		/* view_build() spells out call chains (the table keys on them) */
	long long ts_sec;		/* the second ts_text spells (localtime is slow) */
	char ts_text[64];
	size_t ts_len;
	/* The last drop reason as the kernel sent it, and escaped (most drops repeat it). */
	char reason_raw[64], reason_safe[256];
	size_t reason_len;
	/* Addresses named lately (alerts come from few places); scratch when it is missing. */
	struct loc_cache *locs;
	struct out_location loc_scratch;
};

/* Names addresses by @syms (NULL: not at all) from now on; forgets the names cached. */
void out_set_syms(struct out_ctx *o, const struct sym_index *syms);
/* Frees what the context allocated (the cache of names). */
void out_ctx_release(struct out_ctx *o);
/*
 * Where @ev happened: parsed from the kernel's symbol text when the alert has
 * one, else @ev's address in the symbol index. Valid until the next call.
 */
const struct out_location *out_location(struct out_ctx *o, const struct drop_event *ev);
/* @pc in the symbol index; known is false when it is not there. Valid until the next call. */
const struct out_location *out_pc_location(struct out_ctx *o, uint64_t pc);
/* The input interface's name: the kernel's, else this system's for the index, else NULL. */
const char *out_ifname(struct out_ctx *o, const struct drop_event *ev);

int out_format_from_str(const char *s);
struct pkt_info;
/*
 * One drop in the context's format. @pkt: the headers of its packet when the
 * caller has decoded them already (NULL: decoded here when there is a packet).
 */
void out_event(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt);
void out_event_text(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt);
void out_event_kv(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt);
void out_event_json(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt);
/* RFC 3339 UTC with nanoseconds: 2026-11-22T01:44:47.753556580Z */
const char *out_rfc3339(uint64_t ns, char *buf, size_t size);

/* Copies @src into @dst with control and non-ASCII bytes as \xHH; always terminated. */
const char *out_safe(char *dst, size_t size, const char *src);
/* "SYMBOL+0xOFF" or "SYMBOL+0xOFF [module]" for @pc, else "0xADDR": one frame of a call chain. */
const char *out_frame(struct out_ctx *o, uint64_t pc, char *buf, size_t size);
const char *out_proto_name(uint16_t proto);

struct ifname_cache *ifname_cache_new(void);
void ifname_cache_free(struct ifname_cache *c);
/* Name of @ifindex in this network namespace, or NULL. */
const char *ifname_cache_get(struct ifname_cache *c, uint32_t ifindex);

#endif
