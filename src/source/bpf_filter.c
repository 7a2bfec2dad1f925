// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source's filter compiler: the filters the program can evaluate in the
 * kernel (reason=, netns=, dev=, proto=, pcap=), each into its read-only data only
 * when every value of it can be said there; the user-space filter still decides.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "aggregate.h"
#include "capture.h"
#include "filter.h"
#include "netns.h"
#include "reasons.h"
#include "bpf_filter.h"

/* The reasons a filter lists, by the kernel's numbers; false when one has no number. */
static bool reason_filter(const struct reason_cat *reasons, const struct filter *f,
			  struct dwb_config *cfg)
{
	for (size_t i = 0; i < f->n[FILTER_REASON]; i++) {
		int v = -1;

		for (size_t k = 0; reasons && k < reasons_count(reasons); k++)
			if (!strcasecmp(reasons_name(reasons, k), f->list[FILTER_REASON][i]))
				v = reasons_value(reasons, k);
		if (v < 0 || v >= DWB_REASON_WORDS * 64)
			return false;
		cfg->reasons[v / 64] |= 1ull << (v % 64);
	}
	return true;
}

/*
 * dev=, into @cfg: names (lower case, as dropwatch compares them) and indexes (a
 * number is both, as there); nothing set when a value cannot be said there, or
 * there are too many.
 */
static void dev_filter(const struct filter *f, struct dwb_config *cfg)
{
	cfg->n_ifindex = cfg->n_ifname = 0;
	if (!f->words[FILTER_DEV] || f->n[FILTER_DEV] > DWB_MAX_FILTER)
		return;
	for (size_t i = 0; i < f->n[FILTER_DEV]; i++) {
		const char *v = f->list[FILTER_DEV][i];
		size_t len = strlen(v), k;
		char *end, name[16] = "";
		unsigned long idx = strtoul(v, &end, 10);

		for (k = 0; k < len && len < sizeof(name) && v[k] > ' ' && v[k] < 0x7f; k++)
			name[k] = (char)tolower((unsigned char)v[k]);
		if (!len || k < len) {
			cfg->n_ifindex = cfg->n_ifname = 0;
			return;
		}
		memcpy(cfg->ifname[cfg->n_ifname++], name, sizeof(name));
		if (!*end && idx && idx <= UINT32_MAX)
			cfg->ifindex[cfg->n_ifindex++] = (unsigned int)idx;
	}
}

/* proto=, into @cfg: false (and nothing set) when a value has no ethertype or IP protocol. */
static bool proto_filter(const struct filter *f, struct dwb_config *cfg)
{
	static const struct {
		const char *name;
		unsigned short ethertype;
		unsigned char l4;
	} p[] = {
		{ "ipv4", 0x0800, 0 }, { "ipv6", 0x86dd, 0 }, { "arp", 0x0806, 0 },
		{ "tcp", 0, 6 }, { "udp", 0, 17 }, { "icmp", 0, 1 }, { "icmp6", 0, 58 },
		{ "sctp", 0, 132 }, { "gre", 0, 47 }, { "udplite", 0, 136 }, { "esp", 0, 50 },
		{ "ah", 0, 51 }, { "igmp", 0, 2 },
	};

	cfg->n_ethertype = cfg->n_l4proto = 0;
	for (size_t i = 0; f->words[FILTER_PROTO] && i < f->n[FILTER_PROTO]; i++) {
		size_t k = 0;

		while (k < sizeof(p) / sizeof(p[0]) && strcasecmp(f->list[FILTER_PROTO][i], p[k].name))
			k++;
		if (k == sizeof(p) / sizeof(p[0]) || cfg->n_ethertype == DWB_MAX_PROTO ||
		    cfg->n_l4proto == DWB_MAX_PROTO) {
			cfg->n_ethertype = cfg->n_l4proto = 0;
			return false;
		}
		if (p[k].l4)
			cfg->l4proto[cfg->n_l4proto++] = p[k].l4;
		else	/* skb->protocol as the program reads it: network order */
			cfg->ethertype[cfg->n_ethertype++] = htons(p[k].ethertype);
	}
	return true;
}

/* Whether the program's interpreter runs classic BPF instruction @in (pcap_step()). */
static bool pcap_insn_ok(const struct cap_insn *in)
{
	unsigned int code = in->code, cls = code & 7, mode = code & 0xe0, size = code & 0x18;

	switch (cls) {
	case 0x00:	/* LD */
		return (mode == 0x20 || mode == 0x40) ? size != 0x18 :
		       mode == 0x60 ? code == 0x60 && in->k < 16 : code == 0x00 || code == 0x80;
	case 0x01:	/* LDX: IMM, MEM, LEN, MSH */
		return code == 0x01 || code == 0x81 || code == 0xb1 || (code == 0x61 && in->k < 16);
	case 0x02:	/* ST */
	case 0x03:	/* STX */
		return code == cls && in->k < 16;
	case 0x04:	/* ALU */
		return (code & 0xf0) <= 0xa0 && code != 0x8c;	/* NEG takes no X */
	case 0x05:	/* JMP: JA, JEQ, JGT, JGE, JSET */
		return (code & 0xf0) <= 0x40 && code != 0x0d;	/* JA takes no X */
	case 0x06:	/* RET: K, A */
		return code == 0x06 || code == 0x16;
	default:	/* MISC: TAX, TXA */
		return code == 0x07 || code == 0x87;
	}
}

/*
 * pcap=, into @cfg: false (and nothing set) when the program is longer than the
 * kernel's copy takes, or uses what its interpreter does not run; why in @why.
 */
static bool pcap_filter(const struct filter *f, struct dwb_config *cfg, char *why, size_t len)
{
	struct cap_insn in[DWB_PCAP_MAX];
	size_t n;

	cfg->pcap_len = 0;
	if (!f->pcap)
		return true;
	n = cap_filter_code(f->pcap, in, DWB_PCAP_MAX);
	if (n > DWB_PCAP_MAX) {
		if (why)
			snprintf(why, len, "it compiles to %zu instructions, more than the %d the "
				 "kernel's copy takes", n, DWB_PCAP_MAX);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!pcap_insn_ok(&in[i])) {
			if (why)
				snprintf(why, len, "its instruction %zu (code 0x%02x) is not one the "
					 "kernel's copy runs", i, in[i].code);
			return false;
		}
		cfg->pcap[i] = (struct dwb_insn){ in[i].code, in[i].jt, in[i].jf, in[i].k };
	}
	cfg->pcap_len = (unsigned short)n;
	return true;
}

int source_bpf_summary_check(const struct filter *f, const struct agg_spec *key, char *why,
			     size_t len)
{
	int field = key ? agg_spec_packet_field(key) : -1;
	struct dwb_config cfg;
	char what[200];

	if (field >= 0) {
		snprintf(why, len, "the eBPF source's summary mode counts by location, reason, "
			 "namespace and interface, without the packet: key %s needs -m packet",
			 agg_field_names[field]);
		return -EINVAL;
	}
	if (key && (agg_spec_has(key, AGG_STATE) || agg_spec_has(key, AGG_CONN) ||
		    agg_spec_has(key, AGG_CT))) {
		snprintf(why, len, "the eBPF source's summary mode counts without the socket and "
			 "the connection: key %s needs -m packet", agg_spec_has(key, AGG_STATE) ?
			 "state" : agg_spec_has(key, AGG_CONN) ? "conn" : "ct");
		return -EINVAL;
	}
	for (int k = FILTER_STATE; f && k <= FILTER_CT; k++)
		if (f->words[k]) {
			snprintf(why, len, "%s=: the eBPF source's summary mode counts without the "
				 "socket, the packet and the connection; -m packet filters on them",
				 filter_key_names[k]);
			return -EINVAL;
		}
	if (f && !proto_filter(f, &cfg)) {
		snprintf(why, len, "proto=%s: the eBPF source's summary mode filters in the kernel, "
			 "which takes at most %d network and %d transport protocols; -m packet "
			 "filters more", f->words[FILTER_PROTO], DWB_MAX_PROTO, DWB_MAX_PROTO);
		return -EINVAL;
	}
	if (f && !pcap_filter(f, &cfg, what, sizeof(what))) {
		snprintf(why, len, "pcap: the eBPF source's summary mode filters in the kernel, and %s; "
			 "-m packet filters it in dropwatch", what);
		return -EINVAL;
	}
	return 0;
}

/*
 * The filters the kernel can evaluate, into @cfg (pcap= when @pcap_ok: the kernel has
 * what the program's interpreter needs): each only when every value of it
 * can be said there (the filter in user space still decides; this one only spares
 * wake-ups for drops it would hide).
 */
void bpf_kernel_filters(const struct reason_cat *reasons, bool pcap_ok, const struct source_run *r,
			struct dwb_config *cfg)
{
	const struct filter *f = r->filter;

	if (!f)
		return;
	if (f->words[FILTER_REASON] && reason_filter(reasons, f, cfg))
		cfg->filter_reasons = 1;
	else
		memset(cfg->reasons, 0, sizeof(cfg->reasons));
	if (f->words[FILTER_NETNS] && f->n[FILTER_NETNS] <= DWB_MAX_FILTER) {
		unsigned int n = 0;

		for (size_t i = 0; i < f->n[FILTER_NETNS]; i++) {
			const char *w = f->list[FILTER_NETNS][i];
			char *end;
			unsigned long ino = strtoul(w, &end, 10);

			if (*w && !*end && ino && ino <= UINT32_MAX) {
				cfg->netns[n++] = (unsigned int)ino;
				continue;
			}
			/* A name: its inode, when exactly one namespace has it. */
			ino = 0;
			for (size_t k = 0; k < netns_count(r->netns); k++) {
				const struct netns_info *ns = netns_at(r->netns, k);

				if (ns->name && !strcmp(ns->name, w))
					ino = ino ? ULONG_MAX : ns->ino;
			}
			if (!ino || ino == ULONG_MAX) {
				n = 0;
				break;
			}
			cfg->netns[n++] = (unsigned int)ino;
		}
		cfg->n_netns = (unsigned char)n;
	}
	dev_filter(f, cfg);
	proto_filter(f, cfg);
	if (pcap_ok)
		pcap_filter(f, cfg, NULL, 0);
}

/* Whether the program is told to filter. */
bool bpf_filtering(const struct dwb_config *c)
{
	return c->filter_reasons || c->n_ethertype || c->n_l4proto || c->n_netns || c->n_ifindex ||
	       c->n_ifname || c->pcap_len;
}
