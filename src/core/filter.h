/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Filters on drop events: by reason, input interface, protocol, location
 * (a glob on the symbol, or on the trap name of a hardware drop), origin, a
 * pcap-filter expression on the packet, network namespace (inode, name,
 * "host", "ambiguous", or pid:N, a process's) and container (a glob); TCP's
 * event, cause (reason or result) and state; an address or port of either end
 * (the socket's, else the packet's); plus the ignore list of reasons.
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
#include "print.h"
#include "record.h"

enum filter_key {
	FILTER_REASON,
	FILTER_DEV,
	FILTER_PROTO,
	FILTER_LOC,
	FILTER_ORIGIN,
	FILTER_PCAP,
	FILTER_NETNS,
	FILTER_CONTAINER,
	FILTER_EVENT,		/* drop, retransmit, reset_sent, reset_received */
	FILTER_CAUSE,		/* a drop's or reset's reason, a retransmit's result */
	FILTER_STATE,		/* the socket's TCP state */
	FILTER_ADDR,		/* either address: the socket's, else the packet's */
	FILTER_PORT,		/* either port: the socket's, else the packet's */
	FILTER_RULE,		/* --rules: the nftables rule's table, chain, handle, "policy" */
	FILTER_CT,		/* the connection's conntrack state (eBPF) */
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
enum filter_verdict filter_check(const struct filter *f, const struct drop_record *r);
/*
 * 0 when every filter set can be evaluated on the records of a source that
 * carries @caps (SRC_CAP_*), else -EINVAL and why, naming @source.
 */
int filter_check_caps(const struct filter *f, unsigned int caps, const char *source,
		      char *err, size_t errlen);
/* One field per filter that is set (filter_reason), and the ignore list. */
void filter_describe(const struct filter *f, struct printer *p);
/* Removes every filter (not the ignore list). */
void filter_clear_keys(struct filter *f);
/* Removes everything, freeing memory. */
void filter_clear(struct filter *f);

#endif
