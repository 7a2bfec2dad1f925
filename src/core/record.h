/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The enriched record of one drop: what every consumer reads (filters, the
 * table, the printers, captures), built once from a source's drop_event.
 * Every string in it is escaped already (pr_escape's rule), so printing it
 * needs no further work and shows no raw control character.
 */
#ifndef DW_RECORD_H
#define DW_RECORD_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "journey.h"
#include "netns.h"
#include "nfrules.h"
#include "owner.h"
#include "pktdecode.h"
#include "symres.h"

#define RECORD_MAX_FRAMES 64

struct drop_record {
	const struct drop_event *ev;
	/* What the event is: "drop", or TCP's "retransmit", "reset_sent", "reset_received". */
	const char *event;
	/* A retransmit's result ("ok", "EHOSTUNREACH"...) and its meaning (-v); NULL: not said. */
	const char *result, *result_text;
	/* The table's cause: the reason of a drop or reset, the result of a retransmit; "". */
	const char *cause;
	uint64_t time_ns;		/* the kernel's timestamp, else when it was read */
	const char *origin;		/* "software" or "hardware" */
	const struct location *loc;	/* software drops: where; NULL for hardware */
	const char *location;		/* the location field: symbol+0xOFF, 0xADDR or the trap */
	const char *trap, *trap_group;	/* hardware drops, NULL when not sent */
	const char *reason;		/* NULL when the drop has none */
	const char *reason_text;	/* its explanation (record_ctx.explain), NULL when none */
	const char *dev;		/* the input interface's name, else its index; NULL */
	bool dev_named;			/* dev is a name */
	/*
	 * The network namespace the drop happened in (netns.h), by evidence: netns_by
	 * is NULL when there was none. netns is its inode (0: known by its id alone);
	 * netns_name "host" or its /run/netns name; container its owner; the key
	 * spells it for a table ("ctr", "4026532281", "ambiguous").
	 */
	const char *netns_by;
	uint64_t netns;
	const char *netns_name, *container;
	unsigned int netns_candidates;	/* ambiguous: the namespaces still possible */
	const char *netns_key;
	/*
	 * The socket (eBPF; the connection of TCP's events): its protocol and state by name
	 * (state NULL when the kernel had no socket), addresses as text, ports.
	 */
	bool has_sock;
	const char *sock_proto, *sock_state;
	char sock_src[46], sock_dst[46];
	uint16_t sock_sport, sock_dport;
	const char *comm;		/* task (tracepoint), NULL */
	bool has_pkt;			/* the packet's headers were decoded */
	struct pkt_info pkt;
	const char *proto;		/* transport, else network protocol, lower case; NULL */
	const char *ethertype;		/* "0x0800" when the source says; NULL */
	char sport[8], dport[8];	/* "" when the packet has no ports */
	uint32_t n_frames;		/* the call chain, innermost first */
	const struct location *frame[RECORD_MAX_FRAMES];
	const char *stack;		/* the frames' texts joined by ';' (record_stack) */
	const char *conn;		/* "10.0.0.1:22 > 10.0.0.2:51000" (record_conn) */
	/*
	 * The skb's journey to the drop (--journey), NULL when not asked for; its steps'
	 * devices escaped in jdev; lived: from its first event to the drop (has_lived).
	 */
	const struct journey *journey;
	/*
	 * --rules: the nftables rule behind a NETFILTER_DROP drop (nfrules.h), NULL when none
	 * was found; rule_by how it was joined ("headers"), "none", or NULL when not asked.
	 */
	const struct nfrule *rule;
	const char *rule_by;
	const char *rule_key;		/* "inet filter input handle 4" (nfrule_key), NULL */
	/*
	 * The connection conntrack has (the eBPF source): "new", "established", "related",
	 * "untracked", or, for a netfilter drop with no entry, "invalid" (nftables' ct
	 * state); NULL when not read or not said. ct_orig: an entry's original tuple
	 * ("udp 10.0.0.1:5000 > 10.0.0.2:9"), NULL without one.
	 */
	const char *ct_state, *ct_orig;
	const char *jdev[JOURNEY_STEPS + 1];
	bool has_lived;
	uint64_t lived_ns;

	/* Storage for the strings above. */
	char locbuf[24], trapbuf[128], groupbuf[128], devbuf[4 * IF_NAMESIZE + 1];
	char nsnamebuf[4 * 255 + 1], containerbuf[4 * OWNER_TEXT_MAX + 1], nskeybuf[24];
	char sockprotobuf[8], sockstatebuf[8];
	char commbuf[80], etbuf[8], reasonbuf[256], resultbuf[32];
	char stackbuf[4096], connbuf[2 * 48 + 16], rulekeybuf[160], ctbuf[2 * 48 + 24];
	char jdevbuf[JOURNEY_STEPS + 1][4 * JSTEP_DEV_LEN + 1];
};

struct record_ctx {
	struct symres *sym;
	/*
	 * The machine's namespaces, to name an input port by its index; NULL: interface
	 * names only as the kernel sends them (a capture of another machine, or no right).
	 */
	struct netns_db *netns;
	struct nfrules *rules;		/* --rules: the traced verdicts; NULL: not asked */
	bool ct_loaded;			/* conntrack is in the kernel (a drop with no entry:
					   what ct state calls invalid) */
	uint64_t now_ns;		/* time for events without the kernel's timestamp */
	bool explain;			/* look up each reason's explanation (-v) */
	/*
	 * Nothing of the run reads the packet's headers (no alert printed, no key or
	 * filter on them): a packet is not decoded when its namespace came with it
	 * (else its addresses may be what names the namespace).
	 */
	bool no_packet;
	/* The last reason as sent, and escaped: most drops repeat it. */
	char reason_raw[64], reason_safe[256];
	const char *reason_why;
};

/* Builds @r from @ev; @r points into @ev, which must outlive it. */
void record_build(struct record_ctx *c, struct drop_record *r, const struct drop_event *ev);
/*
 * "network namespace 4026532134 (ctr), by the packet's address; container docker:0123456789ab"
 * or "network namespace ambiguous (2 candidates)" in @buf; NULL without one.
 */
const char *record_netns_text(const struct drop_record *r, char *buf, size_t size);
/* The socket's "10.0.0.1:22 > [2001:db8::2]:51000", "" without one; spelled on the first call. */
const char *record_conn(struct drop_record *r);
/* The folded call chain ("a+0x1;b+0x2"), "" without one; spelled on the first call. */
const char *record_stack(struct drop_record *r);

#endif
