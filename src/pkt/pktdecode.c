// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>

#include "names.h"
#include "pktdecode.h"
#include "sbuf.h"

/* A cursor over the payload: every read is checked against what is left. */
struct cur {
	const uint8_t *p;
	size_t len, off;
};

static bool have(const struct cur *c, size_t n)
{
	return c->off <= c->len && c->len - c->off >= n;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Without the kernel's protocol: a whole IPv4 or IPv6 packet, judged by its own lengths. */
static bool looks_like_ip(const uint8_t *p, size_t len)
{
	if (p[0] >> 4 == 4 && (p[0] & 15) >= 5 && len >= 20)
		return be16(p + 2) >= 20 && be16(p + 2) <= len;
	if (p[0] >> 4 == 6 && len >= 40)
		return 40u + be16(p + 4) <= len;
	return false;
}

bool pkt_has_ethernet(const uint8_t *p, size_t len, uint16_t proto, bool has_proto)
{
	if (!p || len < ETH_HLEN)
		return false;
	if (has_proto)
		return be16(p + 12) == proto ||
		       (proto == ETH_P_802_2 && be16(p + 12) <= ETH_DATA_LEN);
	return be16(p + 12) >= ETH_P_802_3_MIN && !looks_like_ip(p, len);
}

static bool is_vlan(uint16_t type)
{
	return type == ETH_P_8021Q || type == ETH_P_8021AD || type == 0x9100;
}

/* The ports, when the bytes hold them; true when the whole @hlen-byte header is there. */
static bool ports(const struct cur *c, size_t hlen, struct pkt_info *pi)
{
	const uint8_t *h = c->p + c->off;

	if (have(c, 4)) {
		pi->has_ports = true;
		pi->sport = be16(h);
		pi->dport = be16(h + 2);
	}
	if (!have(c, hlen)) {
		pi->truncated = true;
		return false;
	}
	return true;
}

static void decode_l4(struct cur *c, size_t end, struct pkt_info *pi)
{
	const uint8_t *h = c->p + c->off;

	switch (pi->l4proto) {
	case IPPROTO_TCP: {
		unsigned int doff;

		if (!ports(c, 20, pi))
			return;
		pi->has_tcp = true;
		pi->seq = be32(h + 4);
		pi->ack = be32(h + 8);
		doff = (h[12] >> 4) * 4u;
		pi->tcp_flags = h[13];
		pi->win = be16(h + 14);
		if (doff < 20) {
			pi->bogus = true;
			return;
		}
		if (!have(c, doff))
			pi->truncated = true;	/* options cut */
		if (end >= c->off + doff) {
			pi->has_l4_len = true;
			pi->l4_len = end - c->off - doff;
		} else {
			pi->bogus = true;
		}
		break;
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE: {
		uint16_t ulen;

		if (!ports(c, 8, pi))
			return;
		ulen = be16(h + 4);
		if (pi->l4proto == IPPROTO_UDPLITE || ulen == 0) {
			/* UDP-Lite's field is a checksum coverage; 0 is a jumbogram: use IP's length. */
			if (end >= c->off + 8) {
				pi->has_l4_len = true;
				pi->l4_len = end - c->off - 8;
			}
		} else if (ulen >= 8) {
			pi->has_l4_len = true;
			pi->l4_len = ulen - 8u;
		} else {
			pi->bogus = true;
		}
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (!have(c, 2)) {
			pi->truncated = true;
			return;
		}
		pi->has_icmp = true;
		pi->icmp_type = h[0];
		pi->icmp_code = h[1];
		break;
	}
}

_Static_assert(sizeof(((struct pkt_info *)0)->src) >= sizeof("255.255.255.255"),
	       "an IPv4 address fits");

/* inet_ntop(AF_INET) without its sprintf: the dotted quad, digit by digit. */
static void ipv4_text(const uint8_t *a, char *buf)
{
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = a[i];

		if (i)
			*p++ = '.';
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
}

/* The fixed part of an IP header: present, and of the version it claims to be. */
static bool ip_header(const struct cur *c, struct pkt_info *pi, enum pkt_l3 l3, size_t len,
		      unsigned int version)
{
	pi->l3 = l3;
	if (!have(c, len)) {
		pi->truncated = true;
		return false;
	}
	if (c->p[c->off] >> 4 != version) {
		pi->bogus = true;
		return false;
	}
	return true;
}

static void decode_ipv4(struct cur *c, struct pkt_info *pi)
{
	const uint8_t *h = c->p + c->off;
	unsigned int ihl;
	uint16_t frag;
	size_t end;

	if (!ip_header(c, pi, PKT_L3_IPV4, 20, 4))
		return;
	ihl = (h[0] & 15) * 4u;
	pi->ip_len = be16(h + 2);
	pi->frag_id = be16(h + 4);
	frag = be16(h + 6);
	pi->ttl = h[8];
	pi->has_l4proto = true;
	pi->l4proto = h[9];
	ipv4_text(h + 12, pi->src);
	ipv4_text(h + 16, pi->dst);
	memcpy(pi->saddr, h + 12, 4);
	memcpy(pi->daddr, h + 16, 4);
	pi->alen = 4;
	pi->frag_off = (frag & 0x1fffu) * 8u;
	pi->frag_more = frag & 0x2000;
	pi->fragment = pi->frag_off || pi->frag_more;
	pi->ip_options = ihl > 20;
	if (ihl < 20 || pi->ip_len < ihl) {
		pi->bogus = true;
		return;
	}
	if (!have(c, ihl)) {
		pi->truncated = true;
		return;
	}
	if (pi->frag_off)
		return;		/* not the first fragment: no transport header here */
	end = c->off + pi->ip_len;
	c->off += ihl;
	decode_l4(c, end, pi);
}

static void decode_ipv6(struct cur *c, struct pkt_info *pi)
{
	const uint8_t *h = c->p + c->off;
	uint8_t next;
	size_t end;
	int hops;

	if (!ip_header(c, pi, PKT_L3_IPV6, 40, 6))
		return;
	pi->ip_len = 40u + be16(h + 4);
	pi->ttl = h[7];
	inet_ntop(AF_INET6, h + 8, pi->src, sizeof(pi->src));
	inet_ntop(AF_INET6, h + 24, pi->dst, sizeof(pi->dst));
	memcpy(pi->saddr, h + 8, 16);
	memcpy(pi->daddr, h + 24, 16);
	pi->alen = 16;
	next = h[6];
	end = c->off + pi->ip_len;
	c->off += 40;
	/* Extension headers, a bounded number of them. */
	for (hops = 0; hops < 8; hops++) {
		const uint8_t *x = c->p + c->off;
		size_t xlen;

		if (next != 0 && next != 43 && next != 44 && next != 51 && next != 60)
			break;
		if (!have(c, 8)) {
			pi->truncated = true;
			return;
		}
		if (next == 44) {
			uint16_t offlg = be16(x + 2);

			pi->fragment = true;
			pi->frag_off = offlg & 0xfff8u;
			pi->frag_more = offlg & 1;
			pi->frag_id = be32(x + 4);
			xlen = 8;
		} else if (next == 51) {
			xlen = (x[1] + 2u) * 4u;
		} else {
			xlen = (x[1] + 1u) * 8u;
		}
		next = x[0];
		if (!have(c, xlen)) {
			pi->truncated = true;
			return;
		}
		c->off += xlen;
		if (pi->fragment && pi->frag_off)
			break;
	}
	pi->has_l4proto = true;
	pi->l4proto = next;
	if (pi->fragment && pi->frag_off)
		return;
	if (next == 59)		/* no next header */
		return;
	decode_l4(c, end, pi);
}

static void decode_arp(struct cur *c, struct pkt_info *pi)
{
	const uint8_t *h = c->p + c->off;

	if (!have(c, 8)) {
		pi->truncated = true;
		return;
	}
	pi->l3 = PKT_L3_ARP;
	pi->arp_op = be16(h + 6);
	/* Ethernet and IPv4 addresses: the only kind with a meaning here. */
	if (be16(h) != 1 || be16(h + 2) != ETH_P_IP || h[4] != 6 || h[5] != 4)
		return;
	if (!have(c, 28)) {
		pi->truncated = true;
		return;
	}
	memcpy(pi->arp_sha, h + 8, 6);
	ipv4_text(h + 14, pi->src);
	ipv4_text(h + 24, pi->dst);
	memcpy(pi->saddr, h + 14, 4);
	memcpy(pi->daddr, h + 24, 4);
	pi->alen = 4;
}

bool pkt_decode(const uint8_t *p, size_t len, uint16_t proto, bool has_proto,
		struct pkt_info *pi)
{
	struct cur c = { .p = p, .len = p ? len : 0 };
	uint16_t type;

	memset(pi, 0, sizeof(*pi));
	if (!c.len)
		return false;
	if (pkt_has_ethernet(p, len, proto, has_proto)) {
		pi->has_mac = true;
		memcpy(pi->mac_dst, p, 6);
		memcpy(pi->mac_src, p + 6, 6);
		type = be16(p + 12);
		c.off = ETH_HLEN;
		while (is_vlan(type)) {
			if (!have(&c, 4)) {
				pi->ethertype = type;
				pi->truncated = true;
				return false;
			}
			/* Tags beyond the second are skipped, not kept. */
			if (pi->vlans < PKT_MAX_VLANS)
				pi->vlan[pi->vlans++] = be16(p + c.off) & 0x0fff;
			type = be16(p + c.off + 2);
			c.off += 4;
		}
	} else if (has_proto) {
		type = proto;
		/* Only IP travels without a MAC header; anything else is a cut Ethernet frame. */
		if (type != ETH_P_IP && type != ETH_P_IPV6) {
			pi->ethertype = type;
			pi->truncated = len < ETH_HLEN;
			if (!pi->truncated && names_ethertype(type))
				pi->l3 = PKT_L3_OTHER;
			return false;
		}
	} else {
		type = p[0] >> 4 == 4 ? ETH_P_IP : p[0] >> 4 == 6 ? ETH_P_IPV6 : 0;
	}
	pi->ethertype = type;
	switch (type) {
	case ETH_P_IP:
		decode_ipv4(&c, pi);
		break;
	case ETH_P_IPV6:
		decode_ipv6(&c, pi);
		break;
	case ETH_P_ARP:
		decode_arp(&c, pi);
		break;
	default:
		if (names_ethertype(type))
			pi->l3 = PKT_L3_OTHER;
		break;
	}
	return pi->l3 != PKT_L3_NONE;
}

const char *pkt_tcp_flags(uint8_t flags, char *buf, size_t size)
{
	static const struct {
		uint8_t bit;
		char c;
	} names[] = {
		{ 0x02, 'S' }, { 0x01, 'F' }, { 0x08, 'P' }, { 0x04, 'R' },
		{ 0x20, 'U' }, { 0x40, 'E' }, { 0x80, 'W' }, { 0x10, '.' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n + 1 < size; i++)
		if (flags & names[i].bit)
			buf[n++] = names[i].c;
	if (!n && size > 4) {
		memcpy(buf, "none", 4);
		n = 4;
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return buf;
}

const char *pkt_l3_name(const struct pkt_info *pi)
{
	switch (pi->l3) {
	case PKT_L3_IPV4:
		return "ipv4";
	case PKT_L3_IPV6:
		return "ipv6";
	case PKT_L3_ARP:
		return "arp";
	default:
		return NULL;
	}
}

const char *pkt_l4_name(const struct pkt_info *pi)
{
	if (!pi->has_l4proto)
		return NULL;
	switch (pi->l4proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmp6";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_GRE:
		return "gre";
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	case IPPROTO_IGMP:
		return "igmp";
	case 59:
		return "none";
	default:
		return NULL;
	}
}

static const char *icmp_name(const struct pkt_info *pi)
{
	if (pi->l4proto == IPPROTO_ICMP) {
		switch (pi->icmp_type) {
		case 0: return "echo reply";
		case 3: return "destination unreachable";
		case 5: return "redirect";
		case 8: return "echo request";
		case 11: return "time exceeded";
		case 12: return "parameter problem";
		}
	} else {
		switch (pi->icmp_type) {
		case 1: return "destination unreachable";
		case 2: return "packet too big";
		case 3: return "time exceeded";
		case 4: return "parameter problem";
		case 128: return "echo request";
		case 129: return "echo reply";
		case 133: return "router solicitation";
		case 134: return "router advertisement";
		case 135: return "neighbor solicitation";
		case 136: return "neighbor advertisement";
		}
	}
	return NULL;
}

/* Appends to the summary being built; never past its size. */

static void add(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(s->b + s->n, s->size - s->n, fmt, ap);
	va_end(ap);
	if (r > 0)
		s->n += (size_t)r < s->size - s->n ? (size_t)r : s->size - s->n - 1;
}

/* The common case, TCP and UDP, without printf: "ADDR:PORT" or "[ADDR]:PORT". */
static void add_endpoint(struct sbuf *s, const struct pkt_info *pi, const char *addr,
			 uint16_t port)
{
	if (pi->l3 == PKT_L3_IPV6)
		sb_putc(s, '[');
	sb_puts(s, addr);
	sb_puts(s, pi->l3 == PKT_L3_IPV6 ? "]:" : ":");
	sb_u64(s, port);
}

const char *pkt_summary(const struct pkt_info *pi, char *buf, size_t size)
{
	struct sbuf s;
	const char *l4 = pkt_l4_name(pi);
	unsigned int i;
	char flags[16];

	if (!size)
		return buf;
	sb_init(&s, buf, size);
	for (i = 0; i < pi->vlans; i++)
		add(&s, "VLAN %u ", pi->vlan[i]);
	switch (pi->l3) {
	case PKT_L3_NONE:
		if (pi->ethertype)
			add(&s, "ethertype 0x%04x", pi->ethertype);
		break;
	case PKT_L3_OTHER:
		add(&s, "%s", names_ethertype(pi->ethertype));
		break;
	case PKT_L3_ARP:
		if (!pi->src[0])
			add(&s, "ARP op %u", pi->arp_op);
		else if (pi->arp_op == 1)
			add(&s, "ARP who-has %s tell %s", pi->dst, pi->src);
		else if (pi->arp_op == 2)
			add(&s, "ARP reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x", pi->src,
			    pi->arp_sha[0], pi->arp_sha[1], pi->arp_sha[2], pi->arp_sha[3],
			    pi->arp_sha[4], pi->arp_sha[5]);
		else
			add(&s, "ARP op %u %s > %s", pi->arp_op, pi->src, pi->dst);
		break;
	case PKT_L3_IPV4:
	case PKT_L3_IPV6:
		if (!pi->src[0]) {
			add(&s, "%s", pi->l3 == PKT_L3_IPV4 ? "IPv4" : "IPv6");
			break;
		}
		if (pi->has_ports && (pi->l4proto == IPPROTO_TCP || pi->l4proto == IPPROTO_UDP ||
				      pi->l4proto == IPPROTO_UDPLITE || pi->l4proto == IPPROTO_SCTP)) {
			sb_puts(&s, pi->l4proto == IPPROTO_TCP ? "TCP " :
				pi->l4proto == IPPROTO_UDP ? "UDP " :
				pi->l4proto == IPPROTO_UDPLITE ? "UDPLite " : "SCTP ");
			add_endpoint(&s, pi, pi->src, pi->sport);
			sb_puts(&s, " > ");
			add_endpoint(&s, pi, pi->dst, pi->dport);
			if (pi->has_tcp) {
				add(&s, " [%s] seq %u", pkt_tcp_flags(pi->tcp_flags, flags, sizeof(flags)),
				    pi->seq);
				if (pi->tcp_flags & 0x10)
					add(&s, " ack %u", pi->ack);
				add(&s, " win %u", pi->win);
			}
			if (pi->has_l4_len) {
				sb_puts(&s, " len ");
				sb_u64(&s, pi->l4_len);
			}
		} else if (pi->has_icmp) {
			const char *name = icmp_name(pi);

			add(&s, "%s %s > %s type %u code %u", pi->l4proto == IPPROTO_ICMP ? "ICMP" : "ICMP6",
			    pi->src, pi->dst, pi->icmp_type, pi->icmp_code);
			if (name)
				add(&s, " (%s)", name);
		} else {
			add(&s, "%s %s > %s", pi->l3 == PKT_L3_IPV4 ? "IPv4" : "IPv6", pi->src, pi->dst);
			if (pi->has_l4proto) {
				if (l4)
					add(&s, " %s", l4);
				else
					add(&s, " proto %u", pi->l4proto);
			}
			add(&s, " len %u", pi->ip_len);
		}
		if (pi->fragment)
			add(&s, " [frag id %u off %u%s]", pi->frag_id, pi->frag_off,
			    pi->frag_more ? " more" : "");
		if (pi->ip_options)
			add(&s, " [IP options]");
		break;
	}
	if (pi->bogus)
		add(&s, "%s[bogus header]", s.n ? " " : "");
	if (pi->truncated)
		add(&s, "%s[truncated]", s.n ? " " : "");
	return buf;
}
