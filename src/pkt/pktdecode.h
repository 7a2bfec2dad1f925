/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What was dropped: the headers of a dropped packet's payload, decoded as far
 * as its bytes go (Ethernet, 802.1Q/802.1ad tags, ARP, IPv4 with options and
 * fragments, IPv6 with extension headers, TCP, UDP, ICMP, ICMPv6), and a
 * one-line summary of them. Pure: no allocation, nothing read beyond @len.
 */
#ifndef DW_PKTDECODE_H
#define DW_PKTDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_MAX_VLANS	2

enum pkt_l3 {
	PKT_L3_NONE = 0,	/* not decoded (unknown ethertype, or too short) */
	PKT_L3_IPV4,
	PKT_L3_IPV6,
	PKT_L3_ARP,
	PKT_L3_OTHER,		/* a known non-IP ethertype, named by pkt_info.ethertype */
};

struct pkt_info {
	bool has_mac;		/* the payload started with an Ethernet header */
	uint8_t mac_src[6], mac_dst[6];
	unsigned int vlans;
	uint16_t vlan[PKT_MAX_VLANS];	/* VLAN ids, outer first */
	uint16_t ethertype;		/* after the tags */

	enum pkt_l3 l3;
	char src[46], dst[46];		/* addresses as text (IPv4, IPv6, ARP's IPv4) */
	uint8_t saddr[16], daddr[16];	/* the same, as bytes: alen of them (4 or 16; 0: none) */
	uint8_t alen;
	uint8_t ttl;			/* IPv4 TTL, IPv6 hop limit */
	uint32_t ip_len;		/* IPv4 total length, IPv6 40 + payload length */
	bool fragment;			/* part of a fragmented datagram */
	bool frag_more;			/* more fragments follow */
	uint32_t frag_id;
	uint32_t frag_off;		/* bytes */
	bool ip_options;		/* IPv4 header longer than 20 bytes */

	uint16_t arp_op;		/* 1 request, 2 reply */
	uint8_t arp_sha[6];		/* sender hardware address */

	bool has_l4proto;
	uint8_t l4proto;		/* IPPROTO_* after extension headers */
	bool has_ports;
	uint16_t sport, dport;
	bool has_tcp;
	uint8_t tcp_flags;		/* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80 */
	uint32_t seq, ack;
	uint16_t win;
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	bool has_l4_len;
	uint32_t l4_len;		/* UDP/TCP payload bytes, from the headers */

	bool truncated;			/* bytes ran out before the headers did */
	bool bogus;			/* a header length that cannot be */
};

/*
 * Decodes @len bytes of a NET_DM payload whose skb protocol was @proto
 * (@has_proto false when the kernel did not say). Always fills @pi as far as
 * it could; returns true if anything past the link layer was decoded.
 */
bool pkt_decode(const uint8_t *p, size_t len, uint16_t proto, bool has_proto,
		struct pkt_info *pi);

/*
 * Whether a payload starts at an Ethernet header (bytes 12-13 match the
 * protocol, as Wireshark's net_dm dissector checks) or at the network header
 * (a device without a MAC header). Without the protocol (kernels always send
 * it with a payload), a whole IP packet is taken for one, else Ethernet when
 * bytes 12-13 look like an ethertype.
 */
bool pkt_has_ethernet(const uint8_t *p, size_t len, uint16_t proto, bool has_proto);

/* "UDP 127.0.0.1:40312 > 127.0.0.1:9 len 64" and the like; returns @buf. */
const char *pkt_summary(const struct pkt_info *pi, char *buf, size_t size);

/* Lower-case short names for key=value and JSON: "ipv4", "udp", "icmp6"... NULL if none. */
const char *pkt_l3_name(const struct pkt_info *pi);
const char *pkt_l4_name(const struct pkt_info *pi);
/* TCP flags in tcpdump's notation ("S", "S.", "R.", "P.", "F."): returns @buf. */
const char *pkt_tcp_flags(uint8_t flags, char *buf, size_t size);

#endif
