// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "drop.h"
#include "names.h"
#include "sbuf.h"

void out_init(struct out_ctx *o, FILE *f, enum out_format fmt)
{
	memset(o, 0, sizeof(*o));
	pr_init(&o->p, f, fmt);
}

/* The time field: RFC 3339 UTC with nanoseconds, 2026-11-22T01:44:47.753556580Z (kv, JSON). */
static void put_time(struct out_ctx *o, uint64_t ns)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;
	char t[64];
	struct sbuf b;

	if (!pr_is_data(&o->p))
		return;
	if (!o->utc_text[0] || o->utc_sec != (long long)sec) {
		o->utc_sec = sec;
		if (!gmtime_r(&sec, &tm) ||
		    !strftime(o->utc_text, sizeof(o->utc_text), "%Y-%m-%dT%H:%M:%S", &tm))
			snprintf(o->utc_text, sizeof(o->utc_text), "%lld", (long long)sec);
	}
	sb_init(&b, t, sizeof(t));
	sb_puts(&b, o->utc_text);
	sb_putc(&b, '.');
	sb_u64_pad(&b, ns % 1000000000u, 9);
	sb_putc(&b, 'Z');
	pr_safe(&o->p, "time", NULL, t);
}

/*
 * Second @sec in local time, "10:32:20" (@clock) or "Sun Nov 22 10:00:00 2026", kept in
 * @text until the second changes (localtime is slow; alerts come many a second).
 */
static const char *local_text(long long *cached, char *text, size_t size, time_t sec,
			      bool clock)
{
	struct tm tm;

	if (!text[0] || *cached != (long long)sec) {
		*cached = sec;
		if (!localtime_r(&sec, &tm) ||
		    !(clock ? strftime(text, size, "%H:%M:%S", &tm) :
		      strftime(text, size, "%a %b %e %H:%M:%S %Y", &tm)))
			snprintf(text, size, "%lld", (long long)sec);
	}
	return text;
}

/* "timestamp: Sun Nov 22 10:00:00 2026 123456789 nsec" (text) */
static void put_timestamp(struct out_ctx *o, uint64_t ns)
{
	char n[16];
	struct sbuf b;

	if (pr_is_data(&o->p))
		return;
	local_text(&o->ts_sec, o->ts_text, sizeof(o->ts_text), ns / 1000000000ull, false);
	sb_init(&b, n, sizeof(n));
	sb_u64_pad(&b, ns % 1000000000u, 9);
	pr_safe(&o->p, NULL, "timestamp: %s ", o->ts_text);
	pr_safe(&o->p, NULL, "%s nsec\n", n);
}

/* Where: symbol, offset, module and address (kv, JSON); the text says it its own way. */
static void put_location(struct out_ctx *o, const struct drop_record *r)
{
	const struct drop_event *ev = r->ev;

	if (!pr_is_data(&o->p))
		return;
	pr_safe(&o->p, "location", NULL, r->location);
	if (ev->origin == DROP_ORIGIN_HW) {
		if (r->trap)
			pr_safe(&o->p, "trap", NULL, r->trap);
		if (r->trap_group)
			pr_safe(&o->p, "trap_group", NULL, r->trap_group);
		return;
	}
	if (r->loc && r->loc->known) {
		pr_safe(&o->p, "symbol", NULL, r->loc->name);
		pr_u64(&o->p, "offset", NULL, r->loc->offset);
		if (r->loc->module[0])
			pr_safe(&o->p, "module", NULL, r->loc->module);
	}
	pr_hex(&o->p, "pc", NULL, ev->pc, 1);
}

/* The call chain: in text as perf script prints it, one frame a line; else folded. */
static void put_stack(struct out_ctx *o, struct drop_record *r)
{
	uint32_t i;

	if (!r->n_frames)
		return;
	if (pr_is_data(&o->p)) {
		pr_safe(&o->p, "stack", NULL, record_stack(r));
		return;
	}
	for (i = 0; i < r->n_frames; i++) {
		const struct location *l = r->frame[i];
		char a[24];
		struct sbuf b;

		sb_init(&b, a, sizeof(a));
		sb_hex(&b, r->ev->stack[i], 16);
		pr_safe(&o->p, NULL, "\t%s ", a);
		if (l->known) {
			pr_safe(&o->p, NULL, "%s ([", l->text);
			pr_safe(&o->p, NULL, "%s])\n", l->module[0] ? l->module : "kernel.kallsyms");
		} else {
			pr_text(&o->p, "[unknown] ([kernel.kallsyms])\n");
		}
	}
}

/*
 * The skb's journey to the drop (--journey). Text, a line:
 *   journey: rx veth1 cpu1 +0ns -> queue veth0 +14us -> xmit veth0 +20us -> drop +31us
 * the cpu said at the first step and where it changes. kv/JSON: a list of
 * "step:dev:cpu:ns since the first", journey_tracked, journey_omitted, lived_ns.
 */
static void put_journey(struct out_ctx *o, const struct drop_record *r)
{
	const struct journey *jn = r->journey;
	struct printer *p = &o->p;
	uint32_t i;

	if (!jn)
		return;
	if (pr_is_data(p)) {
		pr_list_open(p, "journey");
		for (i = 0; i < jn->n; i++) {
			char item[4 * JSTEP_DEV_LEN + 64];

			snprintf(item, sizeof(item), "%s:%s:%u:%llu", jstep_names[jn->step[i].kind],
				 r->jdev[i], jn->step[i].cpu,
				 (unsigned long long)(jn->step[i].time - jn->step[0].time));
			pr_list_safe(p, item);
		}
		pr_list_close(p);
		pr_bool(p, "journey_tracked", NULL, jn->tracked);
		if (jn->omitted)
			pr_u64(p, "journey_omitted", NULL, jn->omitted);
		if (r->has_lived)
			pr_u64(p, "lived_ns", NULL, r->lived_ns);
		return;
	}
	if (!jn->tracked) {
		pr_text(p, "journey: no earlier event (a new skb, a clone, or one not tracked)\n");
		return;
	}
	pr_text(p, "journey:");
	for (i = 0; i < jn->n; i++) {
		const struct jstep *st = &jn->step[i];
		char d[16];

		if (i == 1 && jn->omitted)
			pr_textf(p, " -> (%u more)", jn->omitted);
		pr_textf(p, "%s%s", i ? " -> " : " ", jstep_names[st->kind]);
		if (r->jdev[i][0])
			pr_safe(p, NULL, " %s", r->jdev[i]);
		if (st->kind == JSTEP_DROP && r->loc && r->loc->known)
			pr_safe(p, NULL, " %s", r->loc->name);
		if (!i || st->cpu != jn->step[i - 1].cpu)
			pr_textf(p, " cpu%u", st->cpu);
		pr_textf(p, " +%s", jhist_dur(d, sizeof(d), st->time - jn->step[0].time));
		if (st->kind == JSTEP_DROP && r->reason)
			pr_safe(p, NULL, " (%s)", r->reason);
	}
	pr_text(p, "\n");
}

/* The reason, and with -v its explanation (in text only where @explain). */
static void put_reason(struct out_ctx *o, const struct drop_record *r, const char *text_fmt,
		       bool explain)
{
	if (!r->reason)
		return;
	pr_safe(&o->p, "reason", text_fmt, r->reason);
	if (o->verbose && r->reason_text)
		pr_safe(&o->p, "reason_text", explain ? " (%s)" : NULL, r->reason_text);
}

/* The input interface: index and name. */
static void put_dev(struct out_ctx *o, const struct drop_record *r, bool text)
{
	const struct drop_event *ev = r->ev;

	if (ev->has & DROP_HAS_IFINDEX)
		pr_u64(&o->p, "ifindex", text ? "input port ifindex: %s\n" : NULL, ev->ifindex);
	/* In text, a name only (the index has its line already). */
	if (r->dev)
		pr_safe(&o->p, "dev", text && r->dev_named ? "input port name: %s\n" : NULL, r->dev);
}

/*
 * The namespace and how it was established (kv, JSON: netns, netns_name,
 * container, netns_by, netns_candidates); in text, a line each:
 *   network namespace: 4026532281 (ctr), by the packet's address
 *   network namespace: ambiguous, 2 candidates
 *   container: docker:0123456789ab
 */
static void put_netns(struct out_ctx *o, const struct drop_record *r, bool text)
{
	struct printer *p = &o->p;

	if (!r->netns_by)
		return;
	if (r->netns_candidates) {
		pr_safe(p, "netns_by", text ? "network namespace: %s, " : NULL, r->netns_by);
		pr_u64(p, "netns_candidates", text ? "%s candidates\n" : NULL, r->netns_candidates);
		return;
	}
	if (r->netns)
		pr_u64(p, "netns", text ? "network namespace: %s" : NULL, r->netns);
	else if (text)
		pr_text(p, "network namespace: known by its id only");
	if (r->netns_name)
		pr_safe(p, "netns_name", text ? " (%s)" : NULL, r->netns_name);
	pr_safe(p, "netns_by", NULL, r->netns_by);
	if (text)
		pr_textf(p, ", %s\n", netns_by_phrase(r->netns_by));
	if (r->container)
		pr_safe(p, "container", text ? "container: %s\n" : NULL, r->container);
}

/*
 * --rules: the nftables rule of a NETFILTER_DROP drop (kv, JSON: nf_family, nf_table,
 * nf_chain, nf_handle or nf_policy, nf_rule, nf_rule_by); in text:
 *   netfilter rule: inet filter input handle 4: tcp dport 9 drop
 *   netfilter rule: inet filter input: policy drop
 *   netfilter rule: none traced with these headers
 */
static void put_rule(struct out_ctx *o, const struct drop_record *r, bool text)
{
	const struct nfrule *n = r->rule;
	struct printer *p = &o->p;

	if (!r->rule_by)
		return;
	if (!n) {
		pr_safe(p, "nf_rule_by", text ? "netfilter rule: %s traced with these headers\n" :
			NULL, r->rule_by);
		return;
	}
	pr_safe(p, "nf_family", text ? "netfilter rule: %s" : NULL, n->family);
	pr_safe(p, "nf_table", text ? " %s" : NULL, n->table);
	pr_safe(p, "nf_chain", text ? " %s" : NULL, n->chain);
	if (n->policy)
		pr_bool(p, "nf_policy", NULL, true);
	else
		pr_u64(p, "nf_handle", text ? " handle %s" : NULL, n->handle);
	if (n->text)
		pr_safe(p, "nf_rule", text ? ": %s" : NULL, n->text);
	pr_safe(p, "nf_rule_by", NULL, r->rule_by);
	if (text)
		pr_text(p, "\n");
}

/*
 * The connection conntrack has (eBPF; kv, JSON: ct_state, ct_orig, ct_zone, ct_mark):
 *   conntrack: established, tcp 10.0.0.2:36884 > 172.17.0.2:5432
 *   conntrack: invalid
 */
static void put_ct(struct out_ctx *o, const struct drop_record *r, bool text)
{
	const struct drop_event *ev = r->ev;
	struct printer *p = &o->p;

	if (!r->ct_state)
		return;
	pr_safe(p, "ct_state", text ? "conntrack: %s" : NULL, r->ct_state);
	if (r->ct_orig) {
		pr_safe(p, "ct_orig", text ? ", %s" : NULL, r->ct_orig);
		pr_u64(p, "ct_zone", text && ev->ct.zone ? ", zone %s" : NULL, ev->ct.zone);
		pr_hex(p, "ct_mark", text && ev->ct.mark ? ", mark %s" : NULL, ev->ct.mark, 1);
	}
	if (text)
		pr_text(p, "\n");
}

/*
 * The socket, as bcc's tcpdrop shows it, with the packet's TCP flags:
 *   socket: tcp 10.0.0.1:22 > 10.0.0.2:51000 ESTABLISHED (ACK|PSH)
 */
static void put_sock(struct out_ctx *o, const struct drop_record *r, bool text)
{
	static const char *const flags[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	struct printer *p = &o->p;

	if (!r->has_sock)
		return;
	pr_safe(p, "sock_proto", text ? "socket: %s " : NULL, r->sock_proto);
	pr_safe(p, "sock_src", text ? (strchr(r->sock_src, ':') ? "[%s]" : "%s") : NULL, r->sock_src);
	pr_u64(p, "sock_sport", text ? ":%s > " : NULL, r->sock_sport);
	pr_safe(p, "sock_dst", text ? (strchr(r->sock_dst, ':') ? "[%s]" : "%s") : NULL, r->sock_dst);
	pr_u64(p, "sock_dport", text ? ":%s " : NULL, r->sock_dport);
	if (r->sock_state)
		pr_safe(p, "sock_state", text ? "%s" : NULL, r->sock_state);
	if (text && r->has_pkt && r->pkt.has_tcp) {
		bool first = true;

		pr_text(p, " (");
		for (unsigned int i = 0; i < 8; i++)
			if (r->pkt.tcp_flags & (1u << i)) {
				pr_textf(p, "%s%s", first ? "" : "|", flags[i]);
				first = false;
			}
		pr_text(p, ")");
	}
	if (text)
		pr_text(p, "\n");
}

/* "N drops at SYM+0xOFF (0xADDR) [software]" and its variants. */
static void print_summary(struct out_ctx *o, struct drop_record *r)
{
	const struct drop_event *ev = r->ev;
	struct printer *p = &o->p;

	pr_open(p, "summary");
	put_time(o, r->time_ns);
	pr_safe(p, "origin", NULL, r->origin);
	pr_u64(p, "count", "%s drops at ", ev->count);
	put_location(o, r);
	if (ev->origin == DROP_ORIGIN_HW) {
		pr_safe(p, NULL, "%s [hardware]", r->location);
	} else if (ev->pc == 0) {
		pr_text(p, "location 0x0 [software] (a network device's rx_dropped counter grew; "
			"no kernel location)");
	} else if (r->loc && r->loc->known) {
		pr_safe(p, NULL, "%s", r->location);
		if (r->loc->module[0])
			pr_safe(p, NULL, " [%s]", r->loc->module);
		pr_hex(p, NULL, " (%s) [software]", ev->pc, 1);
	} else {
		pr_safe(p, NULL, "location %s [software]", r->location);
	}
	put_reason(o, r, " reason %s", false);
	put_dev(o, r, false);
	put_netns(o, r, false);
	/* Counted by port and namespace (the eBPF source): " on eth0 in ctr". */
	if (r->dev && r->dev_named)
		pr_textf(p, " on %s", r->dev);
	else if (ev->has & DROP_HAS_IFINDEX)
		pr_textf(p, " on ifindex %" PRIu32, ev->ifindex);
	if (r->netns_by && r->netns_name)
		pr_textf(p, " in %s", r->netns_name);
	else if (r->netns_by && r->netns)
		pr_textf(p, " in netns %" PRIu64, r->netns);
	pr_text(p, "\n");
	put_stack(o, r);
	pr_close(p);
}

/* The decoded headers (kv, JSON) and the one-line summary ("packet: ..."). */
static void put_packet(struct out_ctx *o, const struct drop_record *r)
{
	const struct pkt_info *pk = &r->pkt;
	struct printer *p = &o->p;
	char buf[320];
	unsigned int i;

	if (!r->has_pkt)
		return;
	if (pk->vlans) {
		pr_list_open(p, "vlan");
		for (i = 0; i < pk->vlans; i++)
			pr_list_u64(p, pk->vlan[i]);
		pr_list_close(p);
	}
	if (pk->src[0]) {
		pr_safe(p, "src", NULL, pk->src);
		pr_safe(p, "dst", NULL, pk->dst);
	}
	if (pk->has_ports) {
		pr_u64(p, "sport", NULL, pk->sport);
		pr_u64(p, "dport", NULL, pk->dport);
	}
	if (pk->has_l4proto && !pkt_l4_name(pk))
		pr_u64(p, "ip_proto", NULL, pk->l4proto);
	if (pk->has_tcp) {
		pr_safe(p, "tcp_flags", NULL, pkt_tcp_flags(pk->tcp_flags, buf, sizeof(buf)));
		pr_u64(p, "seq", NULL, pk->seq);
		if (pk->tcp_flags & 0x10)
			pr_u64(p, "ack", NULL, pk->ack);
	}
	if (pk->has_icmp) {
		pr_u64(p, "icmp_type", NULL, pk->icmp_type);
		pr_u64(p, "icmp_code", NULL, pk->icmp_code);
	}
	if (pk->has_l4_len)
		pr_u64(p, "l4_length", NULL, pk->l4_len);
	if (pk->fragment)
		pr_u64(p, "frag_offset", NULL, pk->frag_off);
	if (pk->l3 == PKT_L3_ARP && pk->arp_op)
		pr_u64(p, "arp_op", NULL, pk->arp_op);
	if (pk->truncated)
		pr_bool(p, "truncated", NULL, true);
	if (pkt_summary(pk, buf, sizeof(buf))[0])
		pr_safe(p, "packet", "packet: %s\n", buf);
}

/* A packet alert's block of lines (text), or its line (kv, JSON). */
static void print_packet(struct out_ctx *o, struct drop_record *r)
{
	const struct drop_event *ev = r->ev;
	struct printer *p = &o->p;
	const char *name;

	pr_open(p, "packet");
	if (pr_is_data(p)) {
		put_time(o, r->time_ns);
		pr_safe(p, "origin", NULL, r->origin);
		pr_u64(p, "count", NULL, ev->count);
		put_location(o, r);
	}
	if (ev->origin == DROP_ORIGIN_HW) {
		pr_safe(p, NULL, "drop at: %s (", r->trap ? r->trap : "unknown trap");
		pr_safe(p, NULL, "%s)\n", r->trap_group ? r->trap_group : "unknown group");
	} else if (r->loc && r->loc->known) {
		pr_text_value(p, "drop at: %s", r->loc->shown, r->loc->shown_len);
		pr_hex(p, NULL, " (%s)\n", ev->pc, 1);
	} else {
		pr_hex(p, NULL, "drop at: location %s\n", ev->pc, 1);
	}
	pr_safe(p, NULL, "origin: %s\n", r->origin);
	put_dev(o, r, true);
	put_netns(o, r, true);
	if (ev->has & DROP_HAS_TIMESTAMP)
		put_timestamp(o, ev->timestamp_ns);
	if (r->ethertype) {
		pr_safe(p, "ethertype", "protocol: %s", r->ethertype);
		name = names_ethertype(ev->proto);
		if (name)
			pr_safe(p, NULL, " (%s)", name);
		pr_text(p, "\n");
	}
	if (r->proto)
		pr_safe(p, "proto", NULL, r->proto);
	if (!(ev->has & DROP_NO_PAYLOAD))
		pr_u64(p, "length", "length: %s\n", ev->payload_len);
	if (ev->has & DROP_HAS_ORIG_LEN)
		pr_u64(p, "orig_length", "original length: %s\n", ev->orig_len);
	put_reason(o, r, "drop reason: %s", true);
	if (r->reason)
		pr_text(p, "\n");
	put_rule(o, r, true);
	if (ev->has & DROP_HAS_TASK) {
		pr_u64(p, "cpu", "cpu: %s\n", ev->cpu);
		pr_u64(p, "pid", "task: %s", ev->pid);
		pr_safe(p, "comm", " (%s)\n", r->comm);
	}
	put_sock(o, r, true);
	put_ct(o, r, true);
	if (ev->has & DROP_HAS_MARK)
		pr_hex(p, "mark", ev->mark ? "mark: %s\n" : NULL, ev->mark, 1);
	put_journey(o, r);
	if (r->n_frames)
		pr_text(p, "call chain:\n");
	put_stack(o, r);
	if (ev->cookie_len) {
		char hex[2 * 128 + 1];
		struct sbuf b;
		uint32_t i;

		sb_init(&b, hex, sizeof(hex));
		for (i = 0; i < ev->cookie_len && i < 128; i++)
			sb_hex(&b, ev->cookie[i], 2);
		pr_safe(p, "cookie", "flow action cookie: %s\n", hex);
	}
	put_packet(o, r);
	pr_text(p, "\n");
	pr_close(p);
}

/* "10:32:20.123456 " in local time (text). */
static void put_clock(struct out_ctx *o, uint64_t ns)
{
	char t[32];
	struct sbuf b;

	if (pr_is_data(&o->p))
		return;
	sb_init(&b, t, sizeof(t));
	sb_puts(&b, local_text(&o->clock_sec, o->clock_text, sizeof(o->clock_text),
			       ns / 1000000000ull, true));
	sb_putc(&b, '.');
	sb_u64_pad(&b, ns % 1000000000u / 1000, 6);
	pr_safe(&o->p, NULL, "%s ", t);
}

/*
 * TCP's events, and in tcp mode its drops, a line each (in the manner of bcc's tcpdrop):
 *   10:32:20.123456 retransmit EHOSTUNREACH tcp 10.0.0.1:40000 > 10.0.0.2:5001 ESTABLISHED
 *   10:32:21.000001 reset_sent NO_SOCKET tcp 127.0.0.1:5999 > 127.0.0.1:40000
 *   10:32:22.500000 drop TCP_ZEROWINDOW at tcp_data_queue+0x2b0
 * then the task, and -v's explanation; -g's call chain below.
 */
static void print_tcp(struct out_ctx *o, struct drop_record *r)
{
	const struct drop_event *ev = r->ev;
	struct printer *p = &o->p;
	bool text = !pr_is_data(p);
	const char *why;

	pr_open(p, "tcp");
	put_time(o, r->time_ns);
	put_clock(o, r->time_ns);
	pr_safe(p, "event", "%s", r->event);
	if (r->result) {
		pr_safe(p, "result", " %s", r->result);
		if (ev->tcp_result)
			pr_s64(p, "err", NULL, ev->tcp_result);
	} else if (r->reason) {
		pr_safe(p, "reason", " %s", r->reason);
	}
	if (ev->kind == DROP_KIND_DROP) {
		put_location(o, r);
		pr_safe(p, NULL, " at %s", r->location);
	}
	if (r->has_sock) {
		pr_text(p, " ");
		put_sock(o, r, false);
		if (text) {
			pr_safe(p, NULL, "%s ", r->sock_proto);
			pr_safe(p, NULL, "%s", record_conn(r));
			if (r->sock_state)
				pr_safe(p, NULL, " %s", r->sock_state);
		}
	}
	if (ev->has & DROP_HAS_TASK) {
		pr_u64(p, "cpu", " cpu %s", ev->cpu);
		pr_u64(p, "pid", " pid %s", ev->pid);
		pr_safe(p, "comm", " (%s)", r->comm);
	}
	why = r->result ? r->result_text : r->reason_text;
	if (o->verbose && why)
		pr_safe(p, r->result ? "result_text" : "reason_text", ": %s", why);
	pr_text(p, "\n");
	put_stack(o, r);
	pr_close(p);
}

void out_record(struct out_ctx *o, struct drop_record *r)
{
	if (r->ev->kind != DROP_KIND_DROP || o->tcp)
		print_tcp(o, r);
	else if (r->ev->summary)
		print_summary(o, r);
	else
		print_packet(o, r);
}
