// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's counter files into named counters. Every line is taken on its
 * own: one that is too long, a value that is not a number, a values line
 * whose group or length does not match its names line, are skipped and
 * counted; the rest of the file is still read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "hmap.h"
#include "util.h"

#define LINE_MAX_LEN 8192
#define FIELDS_MAX 512
#define COUNTER_FILE_MAX (64u << 20)

void counters_init(struct counter_set *s)
{
	memset(s, 0, sizeof(*s));
}

void counters_free(struct counter_set *s)
{
	free(s->c);
	hmap_fini(&s->index);
	counters_init(s);
}

void counters_clear(struct counter_set *s)
{
	s->n = 0;
	s->bad = 0;
	hmap_clear(&s->index);
}

static uint32_t name_hash(const char *name)
{
	return util_hash(name, strlen(name));
}

/* What the index finds a counter by: its name, in the set's array. */
struct name_key {
	const struct counter_set *s;
	const char *name;
};

static bool same_name(const void *entry, const void *key)
{
	const struct name_key *k = key;

	return !strcmp(k->s->c[*(const uint32_t *)entry].name, k->name);
}

/* The counter named @name, hash @h, or NULL. */
static const struct counter *find_hashed(const struct counter_set *s, const char *name, uint32_t h)
{
	struct name_key k = { .s = s, .name = name };
	const uint32_t *at = hmap_find(&s->index, h, same_name, &k);

	return at ? &s->c[*at] : NULL;
}

const struct counter *counters_find(const struct counter_set *s, const char *name)
{
	return find_hashed(s, name, name_hash(name));
}

/* The counter @name, made (at 0) when missing; NULL when it cannot be (@err says if that is
 * for want of memory, or a name too long, which is counted as bad). */
static struct counter *get(struct counter_set *s, const char *name, int *err)
{
	struct name_key k = { .s = s, .name = name };
	uint32_t *at, h;
	bool created;

	*err = 0;
	if (strlen(name) >= COUNTER_NAME_MAX) {
		s->bad++;
		return NULL;
	}
	if (!s->index.stride)
		hmap_init(&s->index, sizeof(uint32_t), 0);	/* a set never initialised */
	if (util_grow(&s->c, &s->cap, s->n + 1, sizeof(*s->c), 256)) {
		*err = -ENOMEM;
		return NULL;
	}
	h = name_hash(name);
	at = hmap_get(&s->index, h, same_name, &k, &created);
	if (!at) {
		*err = -ENOMEM;
		return NULL;
	}
	if (!created)
		return &s->c[*at];
	snprintf(s->c[s->n].name, sizeof(s->c[s->n].name), "%s", name);
	s->c[s->n].value = 0;
	s->c[s->n].hash = h;
	*at = (uint32_t)s->n++;
	return &s->c[*at];
}

int counters_set(struct counter_set *s, const char *name, uint64_t value)
{
	int err;
	struct counter *c = get(s, name, &err);

	if (c)
		c->value = value;
	return err;
}

int counters_add(struct counter_set *s, const char *name, uint64_t value)
{
	int err;
	struct counter *c = get(s, name, &err);

	if (c)
		c->value += value;
	return err;
}

/* The next line of @text (without its newline) into @line; false at the end. */
static bool next_line(const char **p, const char *end, char *line, size_t size, bool *cut)
{
	const char *nl;
	size_t len;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	len = (size_t)((nl ? nl : end) - *p);
	*cut = len >= size;
	if (*cut)
		len = size - 1;
	memcpy(line, *p, len);
	line[len] = '\0';
	*p = nl ? nl + 1 : end;
	return true;
}

/* Splits @line at blanks into at most FIELDS_MAX words; the number of words. */
static size_t words(char *line, char **w)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t && n < FIELDS_MAX;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

static bool number(const char *t, int base, uint64_t *v)
{
	char *end;

	if (!*t || *t == '-' || *t == '+')
		return false;
	errno = 0;
	*v = strtoull(t, &end, base);
	return !errno && !*end;
}

int counters_parse_snmp(struct counter_set *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	static char names[LINE_MAX_LEN], values[LINE_MAX_LEN];
	char *wn[FIELDS_MAX], *wv[FIELDS_MAX], name[COUNTER_NAME_MAX * 2];
	bool cut;

	while (next_line(&p, end, names, sizeof(names), &cut)) {
		size_t nn, nv;

		if (cut || !next_line(&p, end, values, sizeof(values), &cut) || cut) {
			s->bad++;
			continue;
		}
		nn = words(names, wn);
		nv = words(values, wv);
		/* "Group: a b c" then "Group: 1 2 3": the same group, as many values as names. */
		if (nn < 2 || nn != nv || strcmp(wn[0], wv[0]) || wn[0][strlen(wn[0]) - 1] != ':') {
			s->bad++;
			continue;
		}
		wn[0][strlen(wn[0]) - 1] = '\0';
		for (size_t i = 1; i < nn; i++) {
			uint64_t v;

			/* Ip's Forwarding and Tcp's MaxConn are numbers too; some are -1. */
			if (!number(wv[i], 10, &v)) {
				if (strcmp(wv[i], "-1"))
					s->bad++;
				continue;
			}
			snprintf(name, sizeof(name), "%s.%s", wn[0], wn[i]);
			if (counters_set(s, name, v))
				return -ENOMEM;
		}
	}
	return 0;
}

int counters_parse_snmp6(struct counter_set *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	static char line[LINE_MAX_LEN];
	char *w[FIELDS_MAX];
	bool cut;

	while (next_line(&p, end, line, sizeof(line), &cut)) {
		uint64_t v;
		size_t n;

		if (cut) {
			s->bad++;
			continue;
		}
		n = words(line, w);
		if (n == 0)
			continue;
		if (n != 2 || !number(w[1], 10, &v)) {
			s->bad++;
			continue;
		}
		if (counters_set(s, w[0], v))
			return -ENOMEM;
	}
	return 0;
}

/* softnet_stat's columns, as net/core/net-procfs.c softnet_seq_show() prints them. */
static const char *const softnet_cols[] = {
	"processed", "dropped", "time_squeeze", NULL, NULL, NULL, NULL, NULL,
	NULL /* cpu_collision, always 0 */, "received_rps", "flow_limit_count",
};

int counters_parse_softnet(struct counter_set *s, const char *text, size_t len)
{
	const size_t ncols = sizeof(softnet_cols) / sizeof(softnet_cols[0]);
	uint64_t total[sizeof(softnet_cols) / sizeof(softnet_cols[0])] = { 0 };
	const char *p = text, *end = text + len;
	static char line[LINE_MAX_LEN];
	char *w[FIELDS_MAX], name[COUNTER_NAME_MAX];
	unsigned int row = 0;
	bool cut, any = false;

	while (next_line(&p, end, line, sizeof(line), &cut)) {
		size_t n;
		uint64_t v, cpu = row;

		row++;
		if (cut || (n = words(line, w)) < 3) {
			s->bad++;
			continue;
		}
		/* Since 5.10 the 13th column is the CPU's number (offline CPUs have no line). */
		if (n >= 13 && number(w[12], 16, &v))
			cpu = v;
		for (size_t i = 0; i < n && i < ncols; i++) {
			if (!softnet_cols[i])
				continue;
			if (!number(w[i], 16, &v)) {
				s->bad++;
				continue;
			}
			total[i] += v;
			snprintf(name, sizeof(name), "softnet.cpu%llu.%s", (unsigned long long)cpu,
				 softnet_cols[i]);
			if (counters_set(s, name, v))
				return -ENOMEM;
		}
		any = true;
	}
	for (size_t i = 0; any && i < ncols; i++) {
		if (!softnet_cols[i])
			continue;
		snprintf(name, sizeof(name), "softnet.%s", softnet_cols[i]);
		if (counters_set(s, name, total[i]))
			return -ENOMEM;
	}
	return 0;
}

int counters_read(struct counter_set *s, const char *procnet)
{
	return counters_read_ns(s, procnet, true);
}

int counters_read_ns(struct counter_set *s, const char *procnet, bool machine)
{
	static const struct {
		const char *file;
		int (*parse)(struct counter_set *, const char *, size_t);
	} files[] = {
		{ "snmp", counters_parse_snmp },
		{ "netstat", counters_parse_snmp },
		{ "snmp6", counters_parse_snmp6 },
		{ "softnet_stat", counters_parse_softnet },
	};
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = 0;
		char *text;
		int err;

		if (!machine && files[i].parse == counters_parse_softnet)
			continue;	/* the machine's, not a namespace's: read once, in ours */
		snprintf(path, sizeof(path), "%s/%s", procnet, files[i].file);
		/* Small files (a few KiB): one that cannot be read whole is left out. */
		if (util_read_file(path, COUNTER_FILE_MAX, &text, &len))
			continue;
		err = files[i].parse(s, text, len);
		free(text);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Reasons and the counters that the same kernel code increments before it
 * drops for them, read in the kernel's sources (the function is named at
 * each entry; 6.1 to 6.18 unless said). A counter may count other drops too,
 * and a reason may be given where no counter moves: the note says where.
 */
static const struct counter_join joins[] = {
	/* __udp4_lib_rcv(), __udp6_lib_rcv(): UDP_MIB_NOPORTS, an ICMP port
	 * unreachable, then the drop. TCP's no-socket drops (tcp_v4_rcv()'s
	 * no_tcp_socket) have the reason but no such counter. */
	{ { "NO_SOCKET" }, { "Udp.NoPorts", "Udp6NoPorts" },
	  "TCP segments to no socket are NO_SOCKET too, and answered with a reset: no counter "
	  "here counts them" },
	/* __udp_queue_rcv_skb() and __udpv6_queue_rcv_skb(): -ENOMEM from
	 * __udp_enqueue_schedule_skb() counts UDP_MIB_RCVBUFERRORS. */
	{ { "SOCKET_RCVBUFF" }, { "Udp.RcvbufErrors", "Udp6RcvbufErrors" },
	  "raw, packet and netlink sockets drop for a full buffer with no such counter" },
	/* tcp_data_queue(): a zero receive window counts LINUX_MIB_TCPZEROWINDOWDROP. */
	{ { "TCP_ZEROWINDOW" }, { "TcpExt.TCPZeroWindowDrop" }, NULL },
	/* tcp_add_backlog(): a full socket backlog counts LINUX_MIB_TCPBACKLOGDROP. */
	{ { "SOCKET_BACKLOG" }, { "TcpExt.TCPBacklogDrop" }, NULL },
	/* tcp_v4_rcv(), tcp_v6_rcv(): under the socket's minimum TTL (hop limit),
	 * LINUX_MIB_TCPMINTTLDROP, then the drop. */
	{ { "TCP_MINTTL" }, { "TcpExt.TCPMinTTLDrop" },
	  "ICMP errors under the minimum TTL count here too (tcp_v4_err()), with no drop" },
	/* tcp_validate_incoming() (LINUX_MIB_PAWSESTABREJECTED) and
	 * tcp_rcv_synsent_state_process() (LINUX_MIB_PAWSACTIVEREJECTED): the
	 * counters dropreason-core.h names for this reason. */
	{ { "TCP_RFC7323_PAWS" }, { "TcpExt.PAWSEstab", "TcpExt.PAWSActive" },
	  "a time-wait socket's PAWS rejections count in PAWSEstab too, with another reason or none" },
	/* tcp_data_queue_ofo(): data the out-of-order queue holds already,
	 * LINUX_MIB_TCPOFOMERGE (the counter dropreason-core.h names). */
	{ { "TCP_OFOMERGE" }, { "TcpExt.TCPOFOMerge" }, NULL },
	/* enqueue_to_backlog(): sd->dropped, softnet_stat's second column. */
	{ { "CPU_BACKLOG" }, { "softnet.dropped" },
	  "softnet's dropped column also counts drops of kernels that gave no reason" },
	/* ip_rcv_core(): csum_error counts IPSTATS_MIB_CSUMERRORS ... */
	{ { "IP_CSUM" }, { "IpExt.InCsumErrors" }, NULL },
	/* ... and falls through to inhdr_error, IPSTATS_MIB_INHDRERRORS, which
	 * IP_INHDR counts too; ip6_rcv_core() counts it for IPv6's header errors. */
	{ { "IP_INHDR", "IP_CSUM" }, { "Ip.InHdrErrors", "Ip6InHdrErrors" },
	  "IP options that do not parse count here with another reason" },
	/* ip_error() (IPv4, forwarding off, EHOSTUNREACH) and ip6_pkt_drop():
	 * IPSTATS_MIB_INADDRERRORS. */
	{ { "IP_INADDRERRORS" }, { "Ip.InAddrErrors", "Ip6InAddrErrors" }, NULL },
	/* ip_error() (ENETUNREACH) and ip6_pkt_drop(): IPSTATS_MIB_INNOROUTES. */
	{ { "IP_INNOROUTES" }, { "IpExt.InNoRoutes", "Ip6InNoRoutes" }, NULL },
	/* __ip_queue_xmit() (no_route: IPSTATS_MIB_OUTNOROUTES, then the drop) and
	 * ip6_pkt_drop() for output. */
	{ { "IP_OUTNOROUTES" }, { "Ip.OutNoRoutes", "Ip6OutNoRoutes" },
	  "sends that find no route before a packet is made count here with no drop" },
	/* ip_protocol_deliver_rcu(), ip6_protocol_deliver_rcu(): no handler and
	 * no raw socket counts IPSTATS_MIB_INUNKNOWNPROTOS (when the IPsec policy
	 * allows the packet), then drops. */
	{ { "IP_NOPROTO" }, { "Ip.InUnknownProtos", "Ip6InUnknownProtos" }, NULL },
	/* tcp_v4_rcv(), tcp_v4_do_rcv(), tcp_rcv_established(), tcp_add_backlog()
	 * (and the IPv6 twins): TCP_MIB_CSUMERRORS, one MIB for both families. */
	{ { "TCP_CSUM" }, { "Tcp.InCsumErrors" }, NULL },
	/* __udp4_lib_rcv(), udp_queue_rcv_one_skb() and the IPv6 twins:
	 * UDP_MIB_CSUMERRORS. */
	{ { "UDP_CSUM" }, { "Udp.InCsumErrors", "Udp6InCsumErrors" }, NULL },
	/* icmp_rcv(), icmpv6_rcv(): csum_error counts ICMP_MIB_CSUMERRORS. */
	{ { "ICMP_CSUM" }, { "Icmp.InCsumErrors", "Icmp6InCsumErrors" }, NULL },
	/* ip_rcv_finish_core(): -EXDEV from the route lookup counts
	 * LINUX_MIB_IPRPFILTER. */
	{ { "IP_RPFILTER" }, { "TcpExt.IPReversePathFilter" }, NULL },
	/* ip_expire(), ip6frag_expire_frag_queue(): IPSTATS_MIB_REASMTIMEOUT once
	 * per datagram; the drop reason marks its fragments. */
	{ { "FRAG_REASM_TIMEOUT" }, { "Ip.ReasmTimeout", "Ip6ReasmTimeout" },
	  "the counter counts datagrams, the drops their fragments (6.1 gives the reason to the "
	  "first fragment only)" },
	/* ip_rcv_core(), ip6_rcv_core(): a packet for another host counts
	 * dev_core_stats_rx_otherhost_dropped_inc() (since 5.19). */
	{ { "OTHERHOST" }, { "link.*.rx_otherhost_dropped" }, NULL },
	/* __netif_receive_skb_core(): no protocol handler counts
	 * dev_core_stats_rx_nohandler_inc(). */
	{ { "UNHANDLED_PROTO" }, { "link.*.rx_nohandler" },
	  "ICMP types that are not known are UNHANDLED_PROTO too, and counted by ICMP, not a link" },
	/* __dev_xmit_skb() frees what the qdisc's enqueue dropped and counted
	 * (qdisc_drop(): qstats.drops); sch_handle_egress() and
	 * sch_handle_ingress() (tc_run() since 6.6) count a tc action's drop in
	 * the clsact or ingress qdisc's drops. Only root and ingress qdiscs are
	 * read: a parent's drops include its children's. */
	/*
	 * TCP's events (-m tcp), by what the counters count of them. __tcp_retransmit_skb():
	 * a failure of tcp_transmit_skb() adds LINUX_MIB_TCPRETRANSFAIL by the skb's
	 * segments; its returns before (EBUSY, EINVAL, ENOMEM, EHOSTUNREACH, EAGAIN) count
	 * nothing. A retransmit handed over adds TCP_MIB_RETRANSSEGS by its segments first,
	 * whatever comes of it, and tcp_retransmit_synack() adds it for SYN-ACKs.
	 * Seen on 6.18: 4 NET_XMIT_DROP from a full tbf, TCPRetransFail +9.
	 */
	{ { "retransmit_failed" }, { "TcpExt.TCPRetransFail" },
	  "it counts segments (a retransmitted GSO packet as each of its segments), and only "
	  "failures of the transmission: not EBUSY (a copy still queued here), nor refusals "
	  "before it (EHOSTUNREACH, EAGAIN, EINVAL, ENOMEM), which no counter counts" },
	{ { "retransmit_ok" }, { "Tcp.RetransSegs" },
	  "it counts segments, SYN-ACKs retransmitted (not reported here) and retransmits "
	  "that failed after they were counted (no route, the qdisc)" },
	/* tcp_v4_send_reset(), tcp_v6_send_reset(), tcp_send_active_reset(): TCP_MIB_OUTRSTS. */
	{ { "reset_sent" }, { "Tcp.OutRsts" },
	  "before Linux 6.10, resets sent without a socket (to a closed port) are counted but not "
	  "reported" },
	{ { "QDISC_DROP", "TC_EGRESS", "TC_INGRESS" }, { "qdisc.*.drops" },
	  "drops at dequeue (codel, fq_codel, pie) are freed with another reason; a device that "
	  "cannot send (a veth whose peer is down, seen on 6.18) drops with this reason and counts "
	  "its link's tx_dropped" },
};

const struct counter_join *counters_joins(size_t *n)
{
	*n = sizeof(joins) / sizeof(joins[0]);
	return joins;
}

const struct counter_join *counters_join_of(const char *reason)
{
	for (size_t i = 0; i < sizeof(joins) / sizeof(joins[0]); i++)
		for (size_t k = 0; k < JOIN_REASONS && joins[i].reasons[k]; k++)
			if (!strcmp(joins[i].reasons[k], reason))
				return &joins[i];
	return NULL;
}

/*
 * The counters that say a packet was lost (or, marked context, that explain
 * loss without being loss), with what each means and where to look next.
 * The first pattern that matches a name is its entry. Sums of the others
 * (Udp InErrors, Tcp InErrs, Icmp InErrors, TcpExt ListenDrops) are left
 * out: they would repeat, as moved with no alert, drops explained above.
 */
static const struct counter_info infos[] = {
	{ "Udp.NoPorts", false, "UDP to a port nobody listens on: is the service up? (ss -uln)" },
	{ "Udp6NoPorts", false, "UDP over IPv6 to a port nobody listens on (ss -uln)" },
	{ "Udp*.RcvbufErrors", false,
	  "a UDP socket's receive buffer was full: a slow reader, or SO_RCVBUF too small "
	  "(ss -ump; net.core.rmem_max)" },
	{ "Udp6RcvbufErrors", false, "an IPv6 UDP socket's receive buffer was full (ss -ump)" },
	{ "Udp*.SndbufErrors", false, "UDP sends that failed: no buffer space (SO_SNDBUF), or a "
	  "qdisc, tc or the device refused them (ENOBUFS: the sender's side of drops above too)" },
	{ "Udp6SndbufErrors", false, "IPv6 UDP sends found the send buffer full (SO_SNDBUF)" },
	{ "Udp*.InCsumErrors", false, "UDP datagrams with a bad checksum: a link or NIC corrupts" },
	{ "Udp6InCsumErrors", false, "IPv6 UDP datagrams with a bad checksum" },
	{ "Udp*.MemErrors", false, "UDP could not charge a datagram to memory (net.ipv4.udp_mem)" },
	{ "Udp6MemErrors", false, "IPv6 UDP could not charge a datagram to memory" },
	{ "Ip.InHdrErrors", false, "IPv4 packets with a bad header (version, length, checksum)" },
	{ "Ip.InAddrErrors", false, "IPv4 packets to an address this host does not take" },
	{ "Ip.InUnknownProtos", false, "IPv4 packets for a protocol with no handler here" },
	{ "Ip.InDiscards", false, "IPv4 packets dropped on input for want of memory" },
	{ "Ip.OutDiscards", false, "IPv4 packets dropped on output: no memory, or a qdisc, tc or "
	  "the device refused them (the sender's side of drops above too)" },
	{ "Ip.OutNoRoutes", false, "IPv4 packets sent with no route: ip route get ADDR" },
	{ "Ip.ReasmTimeout", false, "IPv4 datagrams whose fragments did not all arrive in time" },
	{ "Ip.ReasmFails", false, "IPv4 datagrams that could not be reassembled" },
	{ "Ip.FragFails", false, "IPv4 packets too big to send and not to be fragmented (PMTU)" },
	{ "IpExt.InNoRoutes", false, "IPv4 packets with no route to forward them: ip route" },
	{ "IpExt.InCsumErrors", false, "IPv4 headers with a bad checksum" },
	{ "IpExt.InTruncatedPkts", false, "IPv4 packets shorter than their header says" },
	{ "Ip6InHdrErrors", false, "IPv6 packets with a bad header" },
	{ "Ip6InAddrErrors", false, "IPv6 packets to an address this host does not take" },
	{ "Ip6InNoRoutes", false, "IPv6 packets with no route: ip -6 route" },
	{ "Ip6InUnknownProtos", false, "IPv6 packets for a protocol with no handler here" },
	{ "Ip6InDiscards", false, "IPv6 packets dropped on input (no memory, or IPv6 disabled on "
	  "the device)" },
	{ "Ip6OutDiscards", false, "IPv6 packets dropped on output: no memory, or a qdisc, tc "
	  "or the device refused them" },
	{ "Ip6OutNoRoutes", false, "IPv6 packets sent with no route: ip -6 route get ADDR" },
	{ "Ip6InTruncatedPkts", false, "IPv6 packets shorter than their header says" },
	{ "Ip6ReasmTimeout", false, "IPv6 datagrams whose fragments did not all arrive in time" },
	{ "Ip6ReasmFails", false, "IPv6 datagrams that could not be reassembled" },
	{ "Tcp.InCsumErrors", false, "TCP segments with a bad checksum" },
	{ "TcpExt.ListenOverflows", false,
	  "a listener's accept queue was full: the application accepts too slowly, or its "
	  "backlog (listen(), net.core.somaxconn) is too small (ss -ltn)" },
	{ "TcpExt.TCPBacklogDrop", false,
	  "a TCP socket's backlog was full while its owner held it (a busy reader)" },
	{ "TcpExt.TCPZeroWindowDrop", false, "TCP data that arrived with the receive window closed" },
	{ "TcpExt.TCPRcvQDrop", false, "TCP data dropped for want of receive memory (tcp_rmem)" },
	{ "TcpExt.TCPOFODrop", false, "out-of-order TCP data dropped for want of memory" },
	{ "TcpExt.PFMemallocDrop", false, "packets from the emergency reserve, dropped for a socket "
	  "that may not use it (memory pressure)" },
	{ "TcpExt.TCPMinTTLDrop", false, "TCP segments under a socket's minimum TTL" },
	{ "TcpExt.PAWSEstab", false, "TCP segments the timestamp check (PAWS) refused: old "
	  "duplicates, or a peer whose clock went back" },
	{ "TcpExt.PAWSActive", false, "SYN-ACKs the timestamp check (PAWS) refused when connecting" },
	{ "TcpExt.TCPOFOMerge", false, "out-of-order TCP data that was queued already (a duplicate)" },
	{ "Tcp.RetransSegs", true, "TCP segments retransmitted: loss on the path, or a peer "
	  "slow to acknowledge (dropwatch -m tcp shows each retransmit and its result)" },
	{ "Tcp.OutRsts", true, "TCP resets sent (dropwatch -m tcp shows each, with its reason)" },
	{ "TcpExt.TCPRetransFail", false, "TCP retransmits that failed (no route, no memory, a "
	  "qdisc refused them): dropwatch -m tcp names the connection and the error" },
	{ "TcpExt.TCPAbortOnData", true, "connections reset: data after close, or SO_LINGER "
	  "with a zero timeout (dropwatch -m tcp shows the resets sent)" },
	{ "TcpExt.TCPAbortOnClose", true, "connections reset: closed with unread data" },
	{ "TcpExt.TCPAbortOnMemory", true, "connections reset for want of memory, or too many "
	  "orphans" },
	{ "TcpExt.TCPAbortOnTimeout", true, "connections dropped: retransmits or keepalives "
	  "timed out" },
	{ "TcpExt.TCPAbortOnLinger", true, "connections reset in FIN_WAIT2 (TCP_LINGER2)" },
	{ "TcpExt.TCPAbortFailed", false, "resets that could not be sent (no memory)" },
	{ "TcpExt.TCPReqQFullDrop", false, "SYNs dropped with the request queue full (SYN flood?)" },
	{ "TcpExt.IPReversePathFilter", false,
	  "packets the reverse path filter refused (sysctl net.ipv4.conf.*.rp_filter)" },
	{ "TcpExt.LockDroppedIcmps", false, "ICMP errors dropped while their socket was busy" },
	{ "Icmp.InCsumErrors", false, "ICMP messages with a bad checksum" },
	{ "Icmp6InCsumErrors", false, "ICMPv6 messages with a bad checksum" },
	{ "softnet.dropped", false,
	  "a CPU's input backlog was full: raise net.core.netdev_max_backlog, or spread the "
	  "load (RPS, IRQ affinity)" },
	{ "softnet.time_squeeze", true,
	  "NAPI ran out of budget or time with work left (net.core.netdev_budget): not loss, "
	  "a sign of a busy CPU" },
	{ "softnet.flow_limit_count", true, "packets the RPS flow limit held back (counted in dropped too)" },
	{ "link.*.rx_missed_errors", false,
	  "the NIC had no receive buffer free: a bigger ring (ethtool -G) or faster draining" },
	{ "link.*.rx_fifo_errors", false, "the NIC's receive FIFO overflowed (ethtool -S)" },
	{ "link.*.rx_over_errors", false, "the NIC's receive ring overflowed (ethtool -G)" },
	{ "link.*.rx_crc_errors", false, "frames with a bad CRC: a cable, optic or port" },
	{ "link.*.rx_frame_errors", false, "frames misaligned on the wire: a cable or port" },
	{ "link.*.rx_length_errors", false, "frames of a wrong length (MTU on both sides?)" },
	{ "link.*.rx_dropped", false,
	  "the device or the stack dropped received packets (ip -s link; ethtool -S)" },
	{ "link.*.tx_dropped", false,
	  "the device dropped packets to send (a peer down, a full queue: ip -s link)" },
	{ "link.*.tx_fifo_errors", false, "the NIC's transmit FIFO underran" },
	{ "link.*.tx_aborted_errors", false, "transmissions the NIC aborted" },
	{ "link.*.tx_carrier_errors", false, "transmissions with no carrier: the link is down" },
	{ "link.*.rx_nohandler", false, "packets of a protocol nothing here takes (an unbound bond "
	  "port, a protocol not loaded)" },
	{ "link.*.rx_otherhost_dropped", false,
	  "packets for another host's MAC address (promiscuous mode, a flooding switch)" },
	{ "qdisc.*.drops", false,
	  "a queueing discipline dropped (a full queue, an AQM, a tc drop action): tc -s qdisc" },
	{ "qdisc.*.overlimits", true, "packets a qdisc held over its rate: shaping, not loss" },
	{ "qdisc.*.requeues", true, "packets the driver handed back to the qdisc: a busy NIC" },
};

/* @name against @pattern: the same text, or with one '*' standing for any text (dots too). */
static bool name_match(const char *pattern, const char *name)
{
	const char *star = strchr(pattern, '*');
	size_t pre, post, len;

	if (!star)
		return !strcmp(pattern, name);
	pre = (size_t)(star - pattern);
	post = strlen(star + 1);
	len = strlen(name);
	return len >= pre + post && !strncmp(name, pattern, pre) &&
	       !strcmp(name + len - post, star + 1);
}

const struct counter_info *counters_info(const char *name)
{
	for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++)
		if (name_match(infos[i].pattern, name))
			return &infos[i];
	return NULL;
}

const char *const join_verdict_names[3] = { "agrees", "more", "fewer" };

/* A link's or a qdisc's: these appear and go, and count from 0 when they do. */
static bool of_object(const char *name)
{
	return !strncmp(name, "link.", 5) || !strncmp(name, "qdisc.", 6);
}

/* The change of @c (a counter of @b) since @a; false when it cannot be known. */
static bool delta_of(const struct counter_set *a, const struct counter *c, uint64_t *d)
{
	const struct counter *old = find_hashed(a, c->name, c->hash);

	if (!old) {
		if (!of_object(c->name))
			return false;
		*d = c->value;
	} else {
		/* Gone back: the device was made again, and counts from 0. */
		*d = c->value >= old->value ? c->value - old->value : c->value;
	}
	return true;
}

static bool in_join(const struct counter_join *j, const char *name)
{
	for (size_t k = 0; k < JOIN_COUNTERS && j->counters[k]; k++)
		if (name_match(j->counters[k], name))
			return true;
	return false;
}

/* The drops of @j's reasons; the reasons that had some in @seen (bit k: reasons[k]). */
static uint64_t join_drops(const struct counter_join *j, const struct reason_count *rc, size_t n,
			   unsigned int *seen)
{
	uint64_t sum = 0;

	*seen = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < JOIN_REASONS && j->reasons[k]; k++)
			if (rc[i].count && !strcmp(j->reasons[k], rc[i].reason)) {
				sum += rc[i].count;
				*seen |= 1u << k;
			}
	return sum;
}

static int push_move(struct counter_move **v, size_t *n, size_t *cap, const struct counter_move *m)
{
	if (util_grow(v, cap, *n + 1, sizeof(**v), 16))
		return -ENOMEM;
	(*v)[(*n)++] = *m;
	return 0;
}

int counters_compare(const struct counter_set *a, const struct counter_set *b,
		     const struct reason_count *rc, size_t nrc, struct counters_report *rep)
{
	const size_t nj = sizeof(joins) / sizeof(joins[0]);
	bool shown[sizeof(joins) / sizeof(joins[0])];

	memset(rep, 0, sizeof(*rep));
	rep->joins = calloc(nj, sizeof(*rep->joins));
	if (!rep->joins)
		return -ENOMEM;
	for (size_t i = 0; i < nj; i++) {
		struct join_row *row = &rep->joins[rep->njoins];
		size_t found = 0;

		shown[i] = false;
		row->drops = join_drops(&joins[i], rc, nrc, &row->seen);
		if (!row->drops)
			continue;
		row->j = &joins[i];
		/* The counters that moved; when none did, every one found. */
		for (int pass = 0; pass < 2 && !found; pass++)
			for (size_t c = 0; c < b->n; c++) {
				uint64_t d;

				if (!in_join(&joins[i], b->c[c].name) || !delta_of(a, &b->c[c], &d) ||
				    (pass == 0) != (d > 0))
					continue;
				row->change += d;
				found++;
				if (row->n < JOIN_SHOWN) {
					row->name[row->n] = b->c[c].name;
					row->delta[row->n++] = d;
				}
			}
		if (!found)
			continue;	/* none of its counters on this kernel: nothing to compare */
		row->verdict = row->change == row->drops ? JOIN_AGREES :
			       row->change > row->drops ? JOIN_MORE : JOIN_FEWER;
		shown[i] = true;
		rep->njoins++;
	}
	for (size_t c = 0; c < b->n; c++) {
		struct counter_move m = { .name = b->c[c].name };
		bool joined = false;
		int err;

		/* Most counters do not move: their names are not looked up. */
		if (!delta_of(a, &b->c[c], &m.delta) || !m.delta || !(m.info = counters_info(m.name)))
			continue;
		for (size_t i = 0; i < nj && !joined; i++)
			joined = shown[i] && in_join(&joins[i], m.name);
		if (joined)
			continue;
		err = m.info->context ? push_move(&rep->context, &rep->ncontext, &rep->capcontext, &m) :
		      push_move(&rep->moved, &rep->nmoved, &rep->capmoved, &m);
		if (err) {
			counters_report_free(rep);
			return err;
		}
	}
	for (size_t i = 0; i < nrc; i++) {
		const struct counter_join *j = counters_join_of(rc[i].reason);

		if (!rc[i].count || (j && shown[j - joins]))
			continue;
		if (util_grow(&rep->uncounted, &rep->capuncounted, rep->nuncounted + 1,
			      sizeof(*rep->uncounted), 16)) {
			counters_report_free(rep);
			return -ENOMEM;
		}
		rep->uncounted[rep->nuncounted++] = rc[i];
	}
	return 0;
}

void counters_report_free(struct counters_report *rep)
{
	free(rep->joins);
	free(rep->moved);
	free(rep->context);
	free(rep->uncounted);
	memset(rep, 0, sizeof(*rep));
}
