// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "reasons.h"
#include "util.h"

#define NAME_MAX_LEN	64
#define FORMAT_MAX	(256 * 1024)

struct reason {
	int value;
	char name[NAME_MAX_LEN];
};

struct reason_cat {
	struct reason *r;
	size_t n, cap;
	char source[256];
};

const char *const reasons_format_paths[] = {
	"/sys/kernel/tracing/events/skb/kfree_skb/format",
	"/sys/kernel/debug/tracing/events/skb/kfree_skb/format",
	NULL,
};

/*
 * Usually harmless: the packet was dropped because its socket or queue went
 * away as designed (closing sockets, purging queues, a connection already
 * closed), or it was never meant for this host (seen in promiscuous mode).
 */
const char *const reasons_harmless[] = {
	"SOCKET_CLOSE", "QUEUE_PURGE", "TCP_CLOSE", "OTHERHOST", "UNIX_DISCONNECT",
	NULL,
};

static const struct {
	const char *name;
	const char *text;
} explanations[] = {
	{ "NOT_SPECIFIED", "no reason given by the code that dropped it (many older call sites)" },
	{ "NO_SOCKET", "no socket listens for it (closed port, or no matching connection)" },
	{ "SOCKET_CLOSE", "its socket was closed with the packet still queued" },
	{ "PKT_TOO_SMALL", "shorter than its headers say it should be" },
	{ "TCP_CSUM", "bad TCP checksum" },
	{ "SOCKET_FILTER", "rejected by a socket filter (BPF attached to the socket)" },
	{ "UDP_CSUM", "bad UDP checksum" },
	{ "NETFILTER_DROP", "dropped by a netfilter rule (iptables, nftables)" },
	{ "OTHERHOST", "addressed to another host at the link layer (promiscuous mode)" },
	{ "IP_CSUM", "bad IPv4 header checksum" },
	{ "IP_INHDR", "bad IP header (version, length or other header fields)" },
	{ "IP_RPFILTER", "failed the reverse-path filter (rp_filter): source not routable back" },
	{ "UNICAST_IN_L2_MULTICAST", "IP unicast in a link-layer multicast or broadcast frame" },
	{ "XFRM_POLICY", "refused by an IPsec (xfrm) policy" },
	{ "IP_NOPROTO", "no handler for its IP protocol number" },
	{ "SOCKET_RCVBUFF", "the socket's receive buffer is full (the application reads too slowly)" },
	{ "PROTO_MEM", "the protocol's memory limit is reached (tcp_mem, udp_mem)" },
	{ "TCP_AUTH_HDR", "TCP authentication option problem (MD5 or AO)" },
	{ "TCP_MD5NOTFOUND", "TCP MD5 signature expected but missing" },
	{ "TCP_MD5UNEXPECTED", "TCP MD5 signature present but not expected" },
	{ "TCP_MD5FAILURE", "TCP MD5 signature wrong" },
	{ "TCP_AONOTFOUND", "TCP-AO option expected but missing" },
	{ "TCP_AOUNEXPECTED", "TCP-AO option present but not expected" },
	{ "TCP_AOKEYNOTFOUND", "TCP-AO key not found" },
	{ "TCP_AOFAILURE", "TCP-AO authentication failed" },
	{ "SOCKET_BACKLOG", "the socket's backlog is full while the socket is busy" },
	{ "TCP_FLAGS", "TCP flags not valid in this connection state" },
	{ "TCP_ABORT_ON_DATA", "data arrived for a TCP connection being aborted" },
	{ "TCP_ZEROWINDOW", "TCP data while the receive window is zero" },
	{ "TCP_OLD_DATA", "TCP data already received (retransmission)" },
	{ "TCP_OVERWINDOW", "TCP data beyond the receive window" },
	{ "TCP_OFOMERGE", "out-of-order TCP data merged with data already queued" },
	{ "TCP_RFC7323_PAWS", "TCP timestamp older than the last one (PAWS, RFC 7323)" },
	{ "TCP_RFC7323_PAWS_ACK", "TCP ACK failed the PAWS check (RFC 7323)" },
	{ "TCP_RFC7323_TW_PAWS", "PAWS check failed for a TIME-WAIT socket" },
	{ "TCP_RFC7323_TSECR", "TCP timestamp echo reply not valid" },
	{ "TCP_LISTEN_OVERFLOW", "the listening socket's accept queue is full" },
	{ "TCP_OLD_SEQUENCE", "TCP sequence number too old" },
	{ "TCP_INVALID_SEQUENCE", "TCP sequence number outside the window" },
	{ "TCP_INVALID_END_SEQUENCE", "TCP segment ends outside the window" },
	{ "TCP_INVALID_ACK_SEQUENCE", "TCP ACK number not valid" },
	{ "TCP_RESET", "TCP reset received: the connection is torn down" },
	{ "TCP_INVALID_SYN", "TCP SYN not valid in this connection state" },
	{ "TCP_CLOSE", "TCP segment for a connection in CLOSE state" },
	{ "TCP_FASTOPEN", "TCP Fast Open data not accepted" },
	{ "TCP_OLD_ACK", "TCP ACK for data already acknowledged" },
	{ "TCP_TOO_OLD_ACK", "TCP ACK far older than the window" },
	{ "TCP_ACK_UNSENT_DATA", "TCP ACK for data not yet sent" },
	{ "TCP_OFO_QUEUE_PRUNE", "out-of-order TCP queue pruned under memory pressure" },
	{ "TCP_OFO_DROP", "out-of-order TCP data beyond the window" },
	{ "IP_OUTNOROUTES", "no route to send it (sending side)" },
	{ "BPF_CGROUP_EGRESS", "dropped by a cgroup BPF egress program" },
	{ "IPV6DISABLED", "IPv6 is disabled on the device" },
	{ "NEIGH_CREATEFAIL", "could not create a neighbour (ARP/NDP) entry" },
	{ "NEIGH_FAILED", "neighbour resolution (ARP/NDP) failed: the next hop does not answer" },
	{ "NEIGH_QUEUEFULL", "too many packets waiting for neighbour resolution" },
	{ "NEIGH_DEAD", "the neighbour entry was removed" },
	{ "NEIGH_HH_FILLFAIL", "could not fill the link-layer header from the neighbour cache" },
	{ "TC_EGRESS", "dropped by a tc filter or action on egress" },
	{ "SECURITY_HOOK", "refused by a security module (LSM) hook" },
	{ "QDISC_DROP", "dropped by the queueing discipline (queue full or policy)" },
	{ "QDISC_OVERLIMIT", "the queueing discipline is over its limit" },
	{ "QDISC_CONGESTED", "the queueing discipline signals congestion" },
	{ "CAKE_FLOOD", "CAKE qdisc: flood protection" },
	{ "FQ_BAND_LIMIT", "fq qdisc: band limit reached" },
	{ "FQ_HORIZON_LIMIT", "fq qdisc: timestamp beyond the horizon" },
	{ "FQ_FLOW_LIMIT", "fq qdisc: per-flow limit reached" },
	{ "CPU_BACKLOG", "the CPU's input backlog is full (netdev_max_backlog)" },
	{ "XDP", "dropped by an XDP program" },
	{ "TC_INGRESS", "dropped by a tc filter or action on ingress" },
	{ "UNHANDLED_PROTO", "no handler for its protocol (ethertype)" },
	{ "SKB_CSUM", "checksum computation failed" },
	{ "SKB_GSO_SEG", "GSO segmentation failed" },
	{ "SKB_UCOPY_FAULT", "copying data from user space failed" },
	{ "DEV_HDR", "the device header is wrong" },
	{ "DEV_READY", "the device is not up or not ready" },
	{ "FULL_RING", "the device's ring buffer is full" },
	{ "NOMEM", "out of memory" },
	{ "HDR_TRUNC", "headers truncated" },
	{ "TAP_FILTER", "rejected by a tun/tap device filter" },
	{ "TAP_TXFILTER", "rejected by a tun/tap transmit filter" },
	{ "ICMP_CSUM", "bad ICMP checksum" },
	{ "INVALID_PROTO", "protocol not valid here" },
	{ "IP_INADDRERRORS", "bad destination address (martian, or not for this host)" },
	{ "IP_INNOROUTES", "no route for an incoming packet" },
	{ "IP_LOCAL_SOURCE", "source address is one of ours, arriving from outside" },
	{ "IP_INVALID_SOURCE", "source address not valid (multicast, broadcast, zero)" },
	{ "IP_LOCALNET", "loopback address arriving on a non-loopback device" },
	{ "IP_INVALID_DEST", "destination address not valid" },
	{ "PKT_TOO_BIG", "larger than the MTU and cannot be fragmented" },
	{ "DUP_FRAG", "duplicate IP fragment" },
	{ "FRAG_REASM_TIMEOUT", "IP fragment reassembly timed out" },
	{ "FRAG_TOO_FAR", "IP fragment too far ahead of the others" },
	{ "TCP_MINTTL", "TTL below the socket's minimum (IP_MINTTL)" },
	{ "IPV6_BAD_EXTHDR", "bad IPv6 extension header" },
	{ "IPV6_NDISC_FRAG", "fragmented IPv6 neighbour discovery message" },
	{ "IPV6_NDISC_HOP_LIMIT", "neighbour discovery message with hop limit other than 255" },
	{ "IPV6_NDISC_BAD_CODE", "neighbour discovery message with a bad code" },
	{ "IPV6_NDISC_BAD_OPTIONS", "neighbour discovery message with bad options" },
	{ "IPV6_NDISC_NS_OTHERHOST", "neighbour solicitation for another host" },
	{ "QUEUE_PURGE", "a queue was purged (device or socket going away)" },
	{ "TC_COOKIE_ERROR", "tc classifier cookie error" },
	{ "PACKET_SOCK_ERROR", "packet socket error" },
	{ "TC_CHAIN_NOTFOUND", "tc goto to a chain that does not exist" },
	{ "TC_RECLASSIFY_LOOP", "tc reclassification loop" },
	{ "VXLAN_INVALID_HDR", "bad VXLAN header" },
	{ "VXLAN_VNI_NOT_FOUND", "no VXLAN device for this VNI" },
	{ "MAC_INVALID_SOURCE", "source MAC address not valid" },
	{ "VXLAN_ENTRY_EXISTS", "VXLAN forwarding entry already exists" },
	{ "NO_TX_TARGET", "no target to transmit to" },
	{ "IP_TUNNEL_ECN", "ECN decapsulation error in an IP tunnel" },
	{ "TUNNEL_TXINFO", "tunnel transmit information missing" },
	{ "LOCAL_MAC", "source MAC address is our own" },
	{ "ARP_PVLAN_DISABLE", "ARP proxy in a private VLAN is disabled" },
	{ "MAC_IEEE_MAC_CONTROL", "IEEE MAC control frame" },
	{ "BRIDGE_INGRESS_STP_STATE", "bridge port not forwarding (spanning tree state)" },
	{ "UNIX_DISCONNECT", "unix socket disconnected with data queued" },
	{ "UNIX_SKIP_OOB", "unix socket out-of-band data skipped" },
	{ "PFMEMALLOC", "from emergency memory reserves, for a socket not allowed to use them" },
	{ "RECURSION_LIMIT", "transmit recursion limit reached" },
	{ "CAN_RX_INVALID_FRAME", "received CAN frame malformed (bad length or buffer)" },
	{ "CANFD_RX_INVALID_FRAME", "received CAN FD frame malformed (bad length or buffer)" },
	{ "CANXL_RX_INVALID_FRAME", "received CAN XL frame malformed (bad length or buffer)" },
	{ "DUALPI2_STEP_DROP", "DualPI2 qdisc: the L4S queue passed its step threshold and the "
	  "packet could not be ECN-marked" },
	{ "PSP_INPUT", "PSP (encryption) check on receive failed: bad or unexpected PSP packet" },
	{ "PSP_OUTPUT", "PSP (encryption) policy does not allow sending this packet" },
	{ "SKB_RX_HEADROOM", "a received buffer lacked the headroom the receive path needs, and "
	  "could not be given more" },
};

/* Linux 6.1's core reasons, in order from 1 (the built-in table, when tracefs says nothing). */
static const char *const builtin_names[] = {
	"NOT_SPECIFIED", "NO_SOCKET", "PKT_TOO_SMALL", "TCP_CSUM", "SOCKET_FILTER", "UDP_CSUM",
	"NETFILTER_DROP", "OTHERHOST", "IP_CSUM", "IP_INHDR", "IP_RPFILTER",
	"UNICAST_IN_L2_MULTICAST", "XFRM_POLICY", "IP_NOPROTO", "SOCKET_RCVBUFF", "PROTO_MEM",
	"TCP_MD5NOTFOUND", "TCP_MD5UNEXPECTED", "TCP_MD5FAILURE", "SOCKET_BACKLOG", "TCP_FLAGS",
	"TCP_ZEROWINDOW", "TCP_OLD_DATA", "TCP_OVERWINDOW", "TCP_OFOMERGE", "TCP_RFC7323_PAWS",
	"TCP_INVALID_SEQUENCE", "TCP_RESET", "TCP_INVALID_SYN", "TCP_CLOSE", "TCP_FASTOPEN",
	"TCP_OLD_ACK", "TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA", "TCP_OFO_QUEUE_PRUNE",
	"TCP_OFO_DROP", "IP_OUTNOROUTES", "BPF_CGROUP_EGRESS", "IPV6DISABLED", "NEIGH_CREATEFAIL",
	"NEIGH_FAILED", "NEIGH_QUEUEFULL", "NEIGH_DEAD", "TC_EGRESS", "QDISC_DROP", "CPU_BACKLOG",
	"XDP", "TC_INGRESS", "UNHANDLED_PROTO", "SKB_CSUM", "SKB_GSO_SEG", "SKB_UCOPY_FAULT",
	"DEV_HDR", "DEV_READY", "FULL_RING", "NOMEM", "HDR_TRUNC", "TAP_FILTER", "TAP_TXFILTER",
	"ICMP_CSUM", "INVALID_PROTO", "IP_INADDRERRORS", "IP_INNOROUTES", "PKT_TOO_BIG",
	"TC_CHAIN_NOTFOUND",
};

const char *reason_explain(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(explanations) / sizeof(explanations[0]); i++)
		if (!strcmp(explanations[i].name, name))
			return explanations[i].text;
	return NULL;
}

/*
 * A reason we cannot explain is newer than our table: the kernel documents it
 * in a subsystem's own header for its reasons (openvswitch's OVS_*,
 * mac80211's RX_DROP_*), else in the core enum's.
 */
#define UNEXPLAINED "not explained by this dropwatch; the kernel documents it in "

const char *reason_text(const char *name)
{
	const char *text = reason_explain(name);

	if (text)
		return text;
	if (isdigit((unsigned char)*name) || *name == '-')
		return "a number that the kernel's lists of reasons do not name";
	if (!strncmp(name, "OVS_", 4))
		return UNEXPLAINED "net/openvswitch/drop.h";
	if (!strncmp(name, "RX_DROP_", 8))
		return UNEXPLAINED "net/mac80211/drop.h";
	return UNEXPLAINED "include/net/dropreason-core.h";
}

bool reason_is_harmless(const char *name)
{
	size_t i;

	for (i = 0; reasons_harmless[i]; i++)
		if (!strcmp(reasons_harmless[i], name))
			return true;
	return false;
}

struct reason_cat *reasons_new(void)
{
	return calloc(1, sizeof(struct reason_cat));
}

void reasons_free(struct reason_cat *cat)
{
	if (!cat)
		return;
	free(cat->r);
	free(cat);
}

static int add(struct reason_cat *cat, int value, const char *name, size_t len)
{
	if (util_grow(&cat->r, &cat->cap, cat->n + 1, sizeof(*cat->r), 128))
		return -ENOMEM;
	cat->r[cat->n].value = value;
	memcpy(cat->r[cat->n].name, name, len);
	cat->r[cat->n].name[len] = '\0';
	cat->n++;
	return 0;
}

/* Skips blanks; returns the new position. */
static size_t blanks(const char *t, size_t i, size_t len)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n'))
		i++;
	return i;
}

int reasons_parse_format(struct reason_cat *cat, const char *text, size_t len)
{
	static const char key[] = "__print_symbolic(REC->reason,";
	const char *start = NULL;
	size_t i, klen = sizeof(key) - 1, added = 0;

	for (i = 0; i + klen <= len; i++)
		if (!memcmp(text + i, key, klen)) {
			start = text + i;
			break;
		}
	if (!start)
		return -EINVAL;
	cat->n = 0;
	for (i += klen;;) {
		long value = 0;
		size_t name_at, name_len;
		bool neg = false, digits = false;

		i = blanks(text, i, len);
		if (i < len && text[i] == ')')
			break;
		if (i >= len || text[i] != '{')
			return -EINVAL;
		i = blanks(text, i + 1, len);
		if (i < len && text[i] == '-') {
			neg = true;
			i++;
		}
		while (i < len && isdigit((unsigned char)text[i]) && value < 1000000) {
			value = value * 10 + (text[i++] - '0');
			digits = true;
		}
		if (!digits)
			return -EINVAL;
		i = blanks(text, i, len);
		if (i >= len || text[i] != ',')
			return -EINVAL;
		i = blanks(text, i + 1, len);
		if (i >= len || text[i] != '"')
			return -EINVAL;
		name_at = ++i;
		while (i < len && (isupper((unsigned char)text[i]) || isdigit((unsigned char)text[i]) ||
				   text[i] == '_'))
			i++;
		name_len = i - name_at;
		if (i >= len || text[i] != '"' || !name_len || name_len >= NAME_MAX_LEN)
			return -EINVAL;
		i = blanks(text, i + 1, len);
		if (i >= len || text[i] != '}')
			return -EINVAL;
		i = blanks(text, i + 1, len);
		if (i < len && text[i] == ',')
			i++;
		/* MAX is the enum's end marker, not a reason. */
		if (name_len == 3 && !memcmp(text + name_at, "MAX", 3))
			continue;
		if (add(cat, neg ? -(int)value : (int)value, text + name_at, name_len))
			return -ENOMEM;
		added++;
	}
	return added ? (int)added : -EINVAL;
}

/* An enum member's value, 32 or 64 bits wide. */
static long long member_value(const struct btf_type *t, unsigned int i)
{
	if (btf_is_enum(t))
		return btf_enum(t)[i].val;
	return (long long)btf_enum64_value(btf_enum64(t) + i);
}

static const char *member_name(const struct btf *btf, const struct btf_type *t, unsigned int i)
{
	return btf__name_by_offset(btf, btf_is_enum(t) ? btf_enum(t)[i].name_off :
				   btf_enum64(t)[i].name_off);
}

static const struct btf_type *find_enum(const struct btf *btf, const char *name)
{
	__s32 id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);

	return id > 0 ? btf__type_by_id(btf, id) : NULL;
}

int reasons_add_btf_subsys(struct reason_cat *cat, const struct btf *btf, const struct btf *base)
{
	const struct btf_type *subsys = find_enum(base ? base : btf, "skb_drop_reason_subsys");
	unsigned int ids = 0, n = btf__type_cnt(btf), id, i;
	uint64_t known = 0;	/* the subsystem ids, as bits */
	int added = 0;

	if (!subsys)
		return 0;
	for (i = 0; i < btf_vlen(subsys); i++) {
		long long v = member_value(subsys, i);

		if (v > 0 && v < 64 && strcmp(member_name(base ? base : btf, subsys, i),
					      "SKB_DROP_REASON_SUBSYS_NUM")) {
			known |= 1ull << v;
			ids++;
		}
	}
	if (!ids)
		return 0;
	/*
	 * A subsystem numbers its reasons id << 16 | code in an enum of its own
	 * (ovs_drop_reason, mac80211_drop_reason): the members named *DROP* whose
	 * value falls in a subsystem's range.
	 */
	for (id = base ? btf__type_cnt(base) : 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t || !(btf_is_enum(t) || btf_is_enum64(t)))
			continue;
		for (i = 0; i < btf_vlen(t); i++) {
			long long v = member_value(t, i);
			const char *name = member_name(btf, t, i);
			size_t len = name ? strlen(name) : 0;

			if (v <= 0xffff || v > INT32_MAX || !((v >> 16) < 64 && (known >> (v >> 16)) & 1) ||
			    !len || len >= NAME_MAX_LEN || !strstr(name, "DROP") || reasons_lookup(cat, (int)v))
				continue;
			if (add(cat, (int)v, name, len))
				return -ENOMEM;
			added++;
		}
	}
	return added;
}

int reasons_parse_btf(struct reason_cat *cat, const struct btf *btf)
{
	static const char prefix[] = "SKB_DROP_REASON_";
	const struct btf_type *core = find_enum(btf, "skb_drop_reason");
	unsigned int i;
	int added = 0, sub;

	if (!core)
		return -EINVAL;
	cat->n = 0;
	for (i = 0; i < btf_vlen(core); i++) {
		const char *name = member_name(btf, core, i);
		long long v = member_value(core, i);

		/* SKB_NOT_DROPPED_YET and SKB_CONSUMED are no drops; MAX ends the enum. */
		if (!name || strncmp(name, prefix, sizeof(prefix) - 1) ||
		    !strcmp(name, "SKB_DROP_REASON_MAX") || v < 0 || v > INT32_MAX)
			continue;
		name += sizeof(prefix) - 1;
		if (!*name || strlen(name) >= NAME_MAX_LEN || strncmp(name, "SUBSYS_", 7) == 0)
			continue;
		if (add(cat, (int)v, name, strlen(name)))
			return -ENOMEM;
		added++;
	}
	sub = reasons_add_btf_subsys(cat, btf, NULL);
	if (sub < 0)
		return sub;
	return added ? added + sub : -EINVAL;
}

/* The modules whose drop reasons have a subsystem of their own (their BTF is split). */
static const char *const subsys_modules[] = { "openvswitch", "mac80211", NULL };

int reasons_add_module_btf(struct reason_cat *cat, const struct btf *vmlinux)
{
	int added = 0;
	size_t i;

	for (i = 0; subsys_modules[i]; i++) {
		char path[64];
		struct btf *m;
		int n;

		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", subsys_modules[i]);
		if (access(path, R_OK))
			continue;	/* not loaded: it drops nothing */
		m = btf__load_module_btf(subsys_modules[i], (struct btf *)vmlinux);
		if (!m)
			continue;
		n = reasons_add_btf_subsys(cat, m, vmlinux);
		btf__free(m);
		if (n > 0)
			added += n;
	}
	return added;
}

/*
 * The running kernel's BTF: with @core, every name (reasons_parse_btf), else
 * the subsystems' only; the loaded modules' subsystem reasons either way.
 * Returns the number of names, 0 without BTF, or -errno.
 */
static int running_btf(struct reason_cat *cat, bool core)
{
	struct btf *btf;
	int n;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return 0;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return 0;
	n = core ? reasons_parse_btf(cat, btf) : reasons_add_btf_subsys(cat, btf, NULL);
	if (n >= 0)
		n += reasons_add_module_btf(cat, btf);
	btf__free(btf);
	return n;
}

int reasons_add_running_btf(struct reason_cat *cat)
{
	return running_btf(cat, false);
}

/* The running kernel's BTF: 1 with the names in @cat, 0 without BTF. */
static int load_btf(struct reason_cat *cat)
{
	if (running_btf(cat, true) <= 0)
		return 0;
	reasons_set_source(cat, "BTF (/sys/kernel/btf/vmlinux)");
	return 1;
}

static void load_builtin(struct reason_cat *cat)
{
	size_t i;

	cat->n = 0;
	for (i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++)
		if (add(cat, (int)i + 1, builtin_names[i], strlen(builtin_names[i])))
			break;
	snprintf(cat->source, sizeof(cat->source), "built-in table (Linux 6.1's core reasons)");
}

static int load_file(struct reason_cat *cat, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int ret;

	if (!f)
		return -errno;
	buf = malloc(FORMAT_MAX);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, FORMAT_MAX, f);
	fclose(f);
	ret = reasons_parse_format(cat, buf, n);
	free(buf);
	if (ret > 0)
		reasons_set_source(cat, path);
	return ret;
}

struct reason_cat *reasons_load(const char *path)
{
	struct reason_cat *cat = reasons_new();
	size_t i;

	if (!cat)
		return NULL;
	if (path && load_file(cat, path) > 0)
		return cat;
	if (!path && load_btf(cat))
		return cat;
	for (i = 0; !path && reasons_format_paths[i]; i++)
		if (load_file(cat, reasons_format_paths[i]) > 0)
			return cat;
	load_builtin(cat);
	return cat;
}

const char *reasons_source(const struct reason_cat *cat)
{
	return cat->source;
}

void reasons_set_source(struct reason_cat *cat, const char *source)
{
	snprintf(cat->source, sizeof(cat->source), "%s", source);
}

size_t reasons_count(const struct reason_cat *cat)
{
	return cat->n;
}

const char *reasons_name(const struct reason_cat *cat, size_t i)
{
	return i < cat->n ? cat->r[i].name : NULL;
}

int reasons_value(const struct reason_cat *cat, size_t i)
{
	return i < cat->n ? cat->r[i].value : -1;
}

const char *reasons_lookup(const struct reason_cat *cat, int value)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if (cat->r[i].value == value)
			return cat->r[i].name;
	return NULL;
}

bool reasons_known(const struct reason_cat *cat, const char *name)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if (!strcmp(cat->r[i].name, name))
			return true;
	return false;
}
