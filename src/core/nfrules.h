/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which nftables rule dropped a packet (--rules). While a run lasts, a table of ours
 * (inet dropwatch_PID: a chain at prerouting and one at output, each first at its hook,
 * whose one rule is "meta nftrace set 1") has the kernel trace every packet through
 * the ruleset of this network namespace; the trace's drop verdicts (a rule's, or a
 * chain's policy) are read from the NFNLGRP_NFTRACE group (parsed by libnftnl) and held
 * until a drop of reason NETFILTER_DROP comes with the same headers: its network header
 * (addresses, protocol, length, IPv4's id, the hop limit) and ports (and TCP's sequence
 * and flags). A rule's text is nft's (libnftables, "list ruleset" without counters).
 * The table never changes a verdict; it is removed when the run ends, and one left by a
 * dropwatch that was killed is removed at the next start.
 */
#ifndef DW_NFRULES_H
#define DW_NFRULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pktdecode.h"

/* The rule of a drop; @text is nft's, or "policy drop" (pointers valid until the next match). */
struct nfrule {
	const char *family;	/* "ip", "ip6", "inet", "bridge", "arp", "netdev" */
	const char *table, *chain;
	uint64_t handle;	/* 0: the chain's policy */
	bool policy;
	const char *text;	/* NULL when nft did not list it (the ruleset changed meanwhile) */
};

struct nfrules_stats {
	uint64_t joined;	/* drops joined with one */
	uint64_t unjoined;	/* NETFILTER_DROP drops with none of the same headers */
	uint64_t lost;		/* trace messages the socket had no room for (ENOBUFS) */
};

struct nfrules;

/*
 * Tracing on in this network namespace: our table added (after removing one a dead
 * dropwatch left), the trace group joined. NULL, with one line why in @why (nftables
 * missing, no CAP_NET_ADMIN).
 */
struct nfrules *nfrules_open(char *why, size_t len);
/* The descriptor to poll: readable when traces are queued. */
int nfrules_fd(const struct nfrules *n);
/* What the kernel queued, read (drop verdicts kept, the rest skipped). */
void nfrules_drain(struct nfrules *n);
/*
 * The rule that dropped the packet whose headers are @pi (a drop of reason
 * NETFILTER_DROP), taken from those held (each joins one drop); NULL: none.
 */
const struct nfrule *nfrules_match(struct nfrules *n, const struct pkt_info *pi);
void nfrules_get_stats(const struct nfrules *n, struct nfrules_stats *st);

/*
 * The rules' own counters beside the drops joined with them: a rule with a counter, its
 * packets at the start of the run and at its end (nft's JSON listing), and the drops
 * joined with it. A rule without a counter is listed only if a drop was joined with it.
 */
struct nfrule_count {
	char family[8], table[64], chain[64];
	uint64_t handle;
	bool has_start, has_end;	/* its counter read then (it has one) */
	uint64_t start, end;
	uint64_t joined;
};
/* The counters read now: at the run's start (@end false), or at its end. */
void nfrules_counters(struct nfrules *n, bool end);
/* The rules counted or joined so far, in *@out: how many. */
size_t nfrules_counts(const struct nfrules *n, const struct nfrule_count **out);
/* Tracing off: our table removed. */
void nfrules_close(struct nfrules *n);

/* "inet filter input handle 4" or "inet filter input policy" into @buf: the table's key. */
const char *nfrule_key(const struct nfrule *r, char *buf, size_t size);

#endif
