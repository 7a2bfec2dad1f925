/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Filters on drop events: by reason, input interface, protocol, location
 * (a glob on the symbol, or on the trap name of a hardware drop), origin, and
 * a pcap-filter expression on the packet; plus the ignore list of reasons.
 * A drop matches when it matches every filter that is set; a filter on
 * something the drop does not carry (a summary alert has no reason, interface
 * or packet) does not match.
 */
#ifndef DW_FILTER_H
#define DW_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "capture.h"
#include "event.h"
#include "output.h"
#include "pktdecode.h"

/* What filters and the table look at, worked out once per drop. */
struct drop_view {
	const struct drop_event *ev;
	char location[400];	/* "symbol+0xoff", the trap name, or "0xADDR" */
	char symbol[256];	/* the symbol (or trap name), "" when unknown */
	const char *reason;	/* NULL when the alert has none */
	const char *dev;	/* interface name, or its index as text, NULL when unknown */
	char devbuf[16];
	bool has_pkt;
	struct pkt_info pkt;
	const char *proto;	/* transport, else network protocol name, NULL when unknown */
	char src[46], dst[46];
	char sport[8], dport[8];
	char stack[1024];	/* the call chain's frames joined by ';' when o->view_stack, else "" */
};

void view_build(struct drop_view *v, struct out_ctx *o, const struct drop_event *ev);

enum filter_key {
	FILTER_REASON,
	FILTER_DEV,
	FILTER_PROTO,
	FILTER_LOC,
	FILTER_ORIGIN,
	FILTER_PCAP,
	FILTER_KEYS
};

struct filter {
	char *words[FILTER_KEYS];	/* what was set, as given (NULL: not set) */
	char **list[FILTER_KEYS];	/* comma-separated values, split */
	size_t n[FILTER_KEYS];
	struct cap_filter *pcap;
	char **ignore;			/* reasons hidden by the ignore list */
	size_t n_ignore;
	char *ignore_words;
};

enum filter_verdict {
	FILTER_PASS,
	FILTER_HIDE,		/* a filter did not match */
	FILTER_IGNORE,		/* its reason is on the ignore list */
};

extern const char *const filter_key_names[FILTER_KEYS];

/* Key name to key, or -1. */
int filter_key_from_str(const char *s);
/*
 * Sets filter @key to @value ("any" clears it). Values are comma-separated
 * lists except for pcap (an expression). Returns 0, or -EINVAL with the
 * reason in @err.
 */
int filter_set(struct filter *f, int key, const char *value, char *err, size_t errlen);
/* "KEY=VALUE", as the --filter option takes it. */
int filter_set_arg(struct filter *f, const char *arg, char *err, size_t errlen);
/* Reasons to hide ("harmless" stands for the documented list; "none" clears). */
int filter_set_ignore(struct filter *f, const char *list, char *err, size_t errlen);
bool filter_active(const struct filter *f);
enum filter_verdict filter_check(const struct filter *f, const struct drop_view *v);
/* One line per filter that is set ("filter reason: NO_SOCKET"), or "filters: none". */
void filter_describe(const struct filter *f, FILE *out);
/* Removes every filter (not the ignore list). */
void filter_clear_keys(struct filter *f);
/* Removes everything, freeing memory. */
void filter_clear(struct filter *f);

#endif
