// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "names.h"
#include "print.h"
#include "reasons.h"
#include "record.h"
#include "sbuf.h"
#include "tcpev_names.h"

/* @reason escaped, through the context's one-entry cache; @why its explanation. */
static const char *reason_of(struct record_ctx *c, struct drop_record *r, const char *reason,
			     const char **why)
{
	if (strlen(reason) >= sizeof(c->reason_raw)) {
		*why = c->explain ? reason_text(reason) : NULL;
		return pr_escape(r->reasonbuf, sizeof(r->reasonbuf), reason);
	}
	if (strcmp(c->reason_raw, reason) || !c->reason_safe[0]) {
		strcpy(c->reason_raw, reason);
		pr_escape(c->reason_safe, sizeof(c->reason_safe), reason);
		c->reason_why = c->explain ? reason_text(reason) : NULL;
	}
	*why = c->reason_why;
	return c->reason_safe;
}

static void packet(struct drop_record *r, const struct drop_event *ev)
{
	const char *l3, *l4;
	struct sbuf b;

	r->has_pkt = true;
	pkt_decode(ev->payload, ev->payload_len, ev->proto, ev->has & DROP_HAS_PROTO, &r->pkt);
	l3 = pkt_l3_name(&r->pkt);
	l4 = pkt_l4_name(&r->pkt);
	r->proto = l4 ? l4 : l3;
	if (r->pkt.has_ports) {
		sb_init(&b, r->sport, sizeof(r->sport));
		sb_u64(&b, r->pkt.sport);
		sb_init(&b, r->dport, sizeof(r->dport));
		sb_u64(&b, r->pkt.dport);
	}
}

/* The ethertype's name in lower case, as the packet decoder names network protocols. */
static const char *ethertype_proto(uint16_t proto)
{
	switch (proto) {
	case 0x0800:
		return "ipv4";
	case 0x86dd:
		return "ipv6";
	case 0x0806:
		return "arp";
	default:
		return NULL;
	}
}

/*
 * The interface and its namespace: a name the kernel sent is the interface's own;
 * an index is named only in the namespace the evidence establishes (netns.h). The
 * packet's address is its destination when it came in on that interface, else its
 * source.
 */
static void attribute(struct record_ctx *c, struct drop_record *r, const struct drop_event *ev)
{
	bool has_if = ev->has & DROP_HAS_IFINDEX;
	const uint8_t *addr = NULL;
	struct netns_attr at = { 0 };
	struct sbuf b;

	r->dev = NULL;
	r->dev_named = false;
	r->netns_by = r->netns_name = r->container = r->netns_key = NULL;
	r->netns = 0;
	r->netns_candidates = 0;
	if (ev->has & DROP_HAS_NETNS) {
		/* Read by the source at the drop: the namespace, and the index's name in it. */
		static struct netns_info unknown;

		at.by = NETNS_BY_KERNEL;
		at.ns = netns_by_ino(c->netns, ev->netns);
		if (!at.ns) {
			unknown.ino = ev->netns;
			at.ns = &unknown;
		}
		if (has_if && !ev->ifname)
			at.dev = netns_link_name(c->netns, ev->netns, ev->ifindex);
	} else {
		unsigned int alen = 0;

		if (r->has_pkt && r->pkt.alen) {
			addr = has_if ? r->pkt.daddr : r->pkt.saddr;
			alen = r->pkt.alen;
		} else if (ev->kind != DROP_KIND_DROP && (ev->has & DROP_HAS_SOCK)) {
			/* TCP's events: the connection's local address is its namespace's. */
			addr = ev->sock.saddr;
			alen = ev->sock.family == 10 ? 16 : 4;
		}
		if (c->netns && (has_if || addr))
			netns_attribute(c->netns, has_if ? ev->ifindex : 0, ev->ifname, addr, alen,
					&at);
	}
	if (ev->ifname || at.dev) {
		r->dev = pr_escape(r->devbuf, sizeof(r->devbuf), ev->ifname ? ev->ifname : at.dev);
		r->dev_named = true;
	} else if (has_if) {
		sb_init(&b, r->devbuf, sizeof(r->devbuf));
		sb_u64(&b, ev->ifindex);
		r->dev = r->devbuf;
	}
	r->netns_by = netns_by_name(at.by);
	if (!r->netns_by)
		return;
	if (at.by == NETNS_BY_AMBIGUOUS) {
		r->netns_candidates = at.candidates;
		r->netns_key = "ambiguous";
		return;
	}
	r->netns = at.ns->ino;
	if (at.ns->name)
		r->netns_name = pr_escape(r->nsnamebuf, sizeof(r->nsnamebuf), at.ns->name);
	if (at.ns->container)
		r->container = pr_escape(r->containerbuf, sizeof(r->containerbuf), at.ns->container);
	if (r->netns_name) {
		r->netns_key = r->netns_name;
	} else {
		sb_init(&b, r->nskeybuf, sizeof(r->nskeybuf));
		if (at.ns->ino)
			sb_u64(&b, at.ns->ino);
		else {
			sb_puts(&b, "nsid:");
			sb_u64(&b, (uint64_t)at.ns->nsid);
		}
		r->netns_key = r->nskeybuf;
	}
}

/* A TCP state's name (include/net/tcp_states.h), else its number in @buf. */
static const char *sock_state_name(uint8_t state, char *buf, size_t size)
{
	static const char *const names[] = {
		NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
		"BOUND_INACTIVE",
	};
	struct sbuf b;

	if (state < sizeof(names) / sizeof(names[0]) && names[state])
		return names[state];
	sb_init(&b, buf, size);
	sb_u64(&b, state);
	return buf;
}

/* An IP protocol's name, lower case as proto= says them, else its number in @buf. */
static const char *sock_proto_name(uint16_t proto, char *buf, size_t size)
{
	struct sbuf b;

	switch (proto) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	case 132: return "sctp";
	case 136: return "udplite";
	case 255: return "raw";
	default:
		sb_init(&b, buf, size);
		sb_u64(&b, proto);
		return buf;
	}
}

/* The socket the eBPF source read: its names and addresses as text. */
static void sock_of(struct drop_record *r, const struct drop_event *ev)
{
	const struct drop_sock *s = &ev->sock;
	int af = s->family == 10 ? AF_INET6 : AF_INET;

	r->has_sock = (ev->has & DROP_HAS_SOCK) && (s->family == 2 || s->family == 10);
	if (!r->has_sock)
		return;
	r->sock_proto = sock_proto_name(s->protocol, r->sockprotobuf, sizeof(r->sockprotobuf));
	r->sock_state = s->state ? sock_state_name(s->state, r->sockstatebuf,
						   sizeof(r->sockstatebuf)) : NULL;
	if (!inet_ntop(af, s->saddr, r->sock_src, sizeof(r->sock_src)) ||
	    !inet_ntop(af, s->daddr, r->sock_dst, sizeof(r->sock_dst)))
		r->has_sock = false;
	r->sock_sport = s->sport;
	r->sock_dport = s->dport;
}

/* The connection conntrack has for the drop's skb (after the reason is known). */
static void ct_of(const struct record_ctx *c, struct drop_record *r, const struct drop_event *ev)
{
	static const char *const states[] = {
		[DROP_CT_NONE] = "invalid", [DROP_CT_UNTRACKED] = "untracked", [DROP_CT_NEW] = "new",
		[DROP_CT_ESTABLISHED] = "established", [DROP_CT_RELATED] = "related",
	};
	const struct drop_ct *t = &ev->ct;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], proto[8];
	int af = t->family == 10 ? AF_INET6 : AF_INET;

	r->ct_state = r->ct_orig = NULL;
	if (!(ev->has & DROP_HAS_CT) || !t->state || t->state > DROP_CT_RELATED)
		return;
	/*
	 * No entry is what ct state calls invalid where conntrack looked: said for a netfilter
	 * drop, where conntrack is in the kernel at all.
	 */
	if (t->state == DROP_CT_NONE &&
	    (!c->ct_loaded || !(r->reason && !strcmp(r->reason, "NETFILTER_DROP"))))
		return;
	r->ct_state = states[t->state];
	if (t->state < DROP_CT_NEW || (t->family != 2 && t->family != 10) ||
	    !inet_ntop(af, t->src, src, sizeof(src)) || !inet_ntop(af, t->dst, dst, sizeof(dst)))
		return;
	snprintf(r->ctbuf, sizeof(r->ctbuf), af == AF_INET6 ? "%s [%s]:%u > [%s]:%u" :
		 "%s %s:%u > %s:%u", sock_proto_name(t->proto, proto, sizeof(proto)), src,
		 t->sport, dst, t->dport);
	r->ct_orig = r->ctbuf;
}

void record_build(struct record_ctx *c, struct drop_record *r, const struct drop_event *ev)
{
	struct sbuf b;
	uint32_t i;

	/* Field by field: the record is large, and this runs per drop. */
	symres_checkpoint(c->sym);
	r->ev = ev;
	r->time_ns = (ev->has & DROP_HAS_TIMESTAMP) ? ev->timestamp_ns : c->now_ns;
	r->loc = NULL;
	r->trap = r->trap_group = NULL;
	if (ev->origin == DROP_ORIGIN_HW) {
		r->origin = "hardware";
		if (ev->trap_name)
			r->trap = pr_escape(r->trapbuf, sizeof(r->trapbuf), ev->trap_name);
		if (ev->trap_group)
			r->trap_group = pr_escape(r->groupbuf, sizeof(r->groupbuf), ev->trap_group);
		r->location = r->trap ? r->trap : "unknown trap";
	} else {
		r->origin = "software";
		if (ev->symbol)
			r->loc = symres_text(c->sym, ev->pc, ev->symbol);
		else if ((ev->has & DROP_HAS_PC) || ev->summary)
			r->loc = symres_pc(c->sym, ev->pc);
		if (r->loc) {
			r->location = r->loc->text;
		} else {
			sb_init(&b, r->locbuf, sizeof(r->locbuf));
			sb_puts(&b, "0x");
			sb_hex(&b, ev->pc, 1);
			r->location = r->locbuf;
		}
	}
	r->reason = r->reason_text = NULL;
	r->result = r->result_text = NULL;
	/* TCP's events by their kind's name; a step (times mode) is never a record, but in range. */
	r->event = ev->kind == DROP_KIND_DROP ? "drop" :
		   ev->kind - DROP_KIND_RETRANSMIT < TCPEV_KINDS ?
		   tcpev_kind_name[ev->kind - DROP_KIND_RETRANSMIT] : "step";
	if (ev->kind == DROP_KIND_RESET_SENT && ev->reason) {
		/* A reset's reason: enum sk_rst_reason's names, explained by our table of them. */
		r->reason = pr_escape(r->reasonbuf, sizeof(r->reasonbuf), ev->reason);
		r->reason_text = c->explain ? tcpev_reset_text(ev->reason) : NULL;
	} else if (ev->reason) {
		r->reason = reason_of(c, r, ev->reason, &r->reason_text);
	}
	if (ev->kind == DROP_KIND_RETRANSMIT && (ev->has & DROP_HAS_RESULT)) {
		r->result = tcpev_result_name(ev->tcp_result, r->resultbuf, sizeof(r->resultbuf));
		r->result_text = c->explain ? tcpev_result_text(r->result) : NULL;
	}
	r->cause = r->result ? r->result : r->reason ? r->reason : "";
	r->has_pkt = false;
	r->proto = NULL;
	r->sport[0] = r->dport[0] = '\0';
	if (ev->payload_len && (c->rules || !(c->no_packet && (ev->has & DROP_HAS_NETNS))))
		packet(r, ev);
	attribute(c, r, ev);
	ct_of(c, r, ev);
	r->rule = NULL;
	r->rule_by = r->rule_key = NULL;
	if (c->rules && r->reason && !strcmp(r->reason, "NETFILTER_DROP")) {
		r->rule = r->has_pkt ? nfrules_match(c->rules, &r->pkt) : NULL;
		r->rule_by = r->rule ? "headers" : "none";
		if (r->rule)
			r->rule_key = nfrule_key(r->rule, r->rulekeybuf, sizeof(r->rulekeybuf));
	}
	sock_of(r, ev);
	r->comm = NULL;
	if (ev->has & DROP_HAS_TASK)
		r->comm = pr_escape(r->commbuf, sizeof(r->commbuf), ev->comm ? ev->comm : "?");
	r->ethertype = NULL;
	if (ev->has & DROP_HAS_PROTO) {
		sb_init(&b, r->etbuf, sizeof(r->etbuf));
		sb_puts(&b, "0x");
		sb_hex(&b, ev->proto, 4);
		r->ethertype = r->etbuf;
		/* The tracepoint carries only the ethertype: the network protocol it names. */
		if (!r->proto)
			r->proto = ethertype_proto(ev->proto);
	}
	r->n_frames = ev->stack_len < RECORD_MAX_FRAMES ? ev->stack_len : RECORD_MAX_FRAMES;
	for (i = 0; i < r->n_frames; i++)
		r->frame[i] = symres_pc(c->sym, ev->stack[i]);
	r->stack = NULL;
	r->conn = NULL;
	r->journey = ev->journey;
	r->has_lived = false;
	r->lived_ns = 0;
	if (r->journey) {
		for (i = 0; i < r->journey->n && i < JOURNEY_STEPS + 1; i++)
			r->jdev[i] = pr_escape(r->jdevbuf[i], sizeof(r->jdevbuf[i]),
					       r->journey->step[i].dev);
		r->has_lived = r->journey->tracked && r->journey->n > 1;
		r->lived_ns = journey_lived(r->journey);
	}
}

/* "ADDR:PORT", with the IPv6 address in brackets. */
static void endpoint(struct sbuf *b, const char *addr, uint16_t port)
{
	bool v6 = strchr(addr, ':') != NULL;

	if (v6)
		sb_putc(b, '[');
	sb_puts(b, addr);
	if (v6)
		sb_putc(b, ']');
	sb_putc(b, ':');
	sb_u64(b, port);
}

const char *record_conn(struct drop_record *r)
{
	struct sbuf b;

	if (r->conn)
		return r->conn;
	sb_init(&b, r->connbuf, sizeof(r->connbuf));
	if (r->has_sock) {
		endpoint(&b, r->sock_src, r->sock_sport);
		sb_puts(&b, " > ");
		endpoint(&b, r->sock_dst, r->sock_dport);
	}
	r->conn = r->connbuf;
	return r->conn;
}

const char *record_stack(struct drop_record *r)
{
	struct sbuf b;
	uint32_t i;

	if (r->stack)
		return r->stack;
	sb_init(&b, r->stackbuf, sizeof(r->stackbuf));
	for (i = 0; i < r->n_frames; i++) {
		if (i)
			sb_putc(&b, ';');
		sb_putn(&b, r->frame[i]->text, r->frame[i]->text_len);
	}
	r->stack = r->stackbuf;
	return r->stack;
}

const char *record_netns_text(const struct drop_record *r, char *buf, size_t size)
{
	struct sbuf b;

	if (!r->netns_by)
		return NULL;
	sb_init(&b, buf, size);
	sb_puts(&b, "network namespace ");
	if (r->netns_candidates) {
		sb_puts(&b, "ambiguous (");
		sb_u64(&b, r->netns_candidates);
		sb_puts(&b, " candidates)");
		return buf;
	}
	sb_u64(&b, r->netns);
	if (r->netns_name) {
		sb_puts(&b, " (");
		sb_puts(&b, r->netns_name);
		sb_putc(&b, ')');
	}
	sb_puts(&b, ", ");
	sb_puts(&b, netns_by_phrase(r->netns_by));
	if (r->container) {
		sb_puts(&b, "; container ");
		sb_puts(&b, r->container);
	}
	return buf;
}
