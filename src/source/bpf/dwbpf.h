/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the eBPF program (its collectors, *.bpf.c) and its loader share:
 * the record of a drop in the ring buffer, the key of the summary counts, the
 * counters of what the program could not do, and the filters it applies.
 * Plain C types only: this is read by clang -target bpf and by the host's
 * compiler alike.
 */
#ifndef DW_BPF_SHARED_H
#define DW_BPF_SHARED_H

#define DWB_SNAP	128	/* bytes of the packet read from its headers */
#define DWB_MAX_FILTER	8	/* namespaces, interfaces a filter may list */
#define DWB_REASON_WORDS 16	/* core reasons a filter may list: 16 * 64 */
#define DWB_MAX_PROTO	8	/* ethertypes, IP protocols a proto filter may list */
#define DWB_PCAP_MAX	256	/* instructions of a pcap filter run in the kernel */
#define DWB_SLL2_LEN	20	/* the pcap filter's frame: an SLL2 header, as dwdump writes */

/* Where the namespace was read. */
enum dwb_netns_from {
	DWB_NETNS_NONE = 0,
	DWB_NETNS_DEV,		/* skb->dev */
	DWB_NETNS_RX_SK,	/* the tracepoint's rx_sk (6.11 and later) */
	DWB_NETNS_SK,		/* skb->sk */
};

/* Flags of a record. */
enum {
	DWB_HAS_DEV = 1 << 0,		/* ifindex and ifname */
	DWB_HAS_SOCK = 1 << 1,		/* the sock_* fields */
	DWB_HAS_MAC = 1 << 2,		/* data starts at the MAC header */
	DWB_HAS_DATA = 1 << 3,		/* data holds data_len bytes */
	DWB_HAS_JOURNEY = 1 << 4,	/* journey was looked up (cfg.journey) */
};

/*
 * A packet's journey, tracked in the kernel by the skb's address (cfg.journey): its
 * steps before the drop, the first and the last ones kept; the track ends at every
 * free of the skb (the programs on skbfree.h's functions), never by its age. Kinds as
 * journey.h numbers them: 0 backlog (netif_rx), 1 rx (netif_receive_skb), 2 queue
 * (net_dev_queue), 3 xmit (net_dev_start_xmit), 4 deliver (skb_copy_datagram_iovec),
 * 5 drop, 6 free, 7 gro (napi_gro_receive_entry).
 */
#define DWB_JSTEPS	6
enum { DWB_BACKLOG, DWB_RX, DWB_QUEUE, DWB_XMIT, DWB_DELIVER, DWB_DROP, DWB_FREE, DWB_GRO };

struct dwb_step {
	unsigned long long ts;		/* CLOCK_MONOTONIC, ns */
	unsigned int ifindex;
	unsigned short cpu;
	unsigned char kind;
	unsigned char pad;
	char ifname[16];
};

struct dwb_track {
	unsigned int n, omitted;
	struct dwb_step step[DWB_JSTEPS];
};

/* The counters of the program's own losses, an array indexed by these. */
enum {
	DWB_LOST_RING = 0,	/* ring buffer full: a record not written */
	DWB_LOST_MAP,		/* summary map full: a drop not counted */
	DWB_LOST_STACK,		/* a call chain not stored */
	DWB_SEEN,		/* drops the program saw (before its filters) */
	DWB_FILTERED,		/* drops its filters left out */
	DWB_LOST_HIDDEN,	/* of those, ones their map had no room to count */
	DWB_LOST_JOURNEY,	/* journey steps the track map had no room for */
	DWB_LOST_STEPS,		/* times: steps and ends the ring had no room for */
	DWB_COUNTERS,
};

/*
 * The connection conntrack has for the skb (skb->_nfct), as nftables' ct state sees it:
 * not read (the kernel has no conntrack), none (no entry: what ct state calls invalid
 * where conntrack runs), untracked, or the entry's state.
 */
enum { DWB_CT_UNREAD = 0, DWB_CT_NONE, DWB_CT_UNTRACKED, DWB_CT_NEW, DWB_CT_ESTABLISHED,
       DWB_CT_RELATED };

/* What a record in the ring is. */
enum { DWB_REC_DROP = 1, DWB_REC_STEP };

/*
 * Times (cfg.times): every step and end of every skb, in the ring's order (which keeps
 * the order of one skb's events: an skb is freed before its address is taken again).
 * @lost is the count of such records the ring had no room for when this one was made:
 * when it grows, what was followed is forgotten before this record.
 */
struct dwb_step_rec {
	unsigned int type;		/* DWB_REC_STEP */
	unsigned int irq_ns, softirq_ns;	/* rx, gro: the NET_RX softirq's, 0 unknown */
	unsigned short cpu;
	unsigned char kind;
	unsigned char pad;
	unsigned long long ts;		/* CLOCK_MONOTONIC, ns */
	unsigned long long skb;
	unsigned long long lost;
	char ifname[16];
};

struct dwb_record {
	unsigned int type;		/* DWB_REC_DROP */
	unsigned int pad;
	unsigned long long ts;		/* CLOCK_MONOTONIC, ns */
	unsigned long long location;
	unsigned long long netns_cookie;
	unsigned int reason;
	unsigned int netns;		/* its inode, 0 when not read */
	unsigned int ifindex;
	unsigned int pid, tid, cpu;
	unsigned int mark, len;
	int stack_id;			/* -1: none */
	unsigned short protocol;	/* skb->protocol, network order */
	unsigned short data_len;
	unsigned char flags;		/* DWB_HAS_* */
	unsigned char netns_from;	/* enum dwb_netns_from */
	unsigned char sock_family, sock_state;
	unsigned short sock_protocol, sock_sport, sock_dport;	/* ports in host order */
	unsigned char sock_saddr[16], sock_daddr[16];
	char ifname[16];
	char comm[16];
	/* The connection (DWB_CT_*); an entry's zone, mark and original tuple (ports host order). */
	unsigned char ct_state, ct_family, ct_proto, ct_pad;
	unsigned short ct_zone, ct_sport, ct_dport, ct_pad2;
	unsigned int ct_mark;
	unsigned char ct_src[16], ct_dst[16];
	unsigned char data[DWB_SNAP];	/* data_len of them hold the packet */
	struct dwb_track journey;	/* DWB_HAS_JOURNEY: n 0 when it had no earlier step */
};

/* A record without journeys stops before its track. */
#define DWB_RECORD_BASE __builtin_offsetof(struct dwb_record, journey)

/* The summary counts, one per location, reason, namespace and interface (and call chain). */
struct dwb_key {
	unsigned long long location;
	unsigned int reason;
	unsigned int netns;
	unsigned int ifindex;
	int stack_id;
};

/*
 * A classic BPF instruction (what libpcap compiles a filter to), as struct
 * sock_filter and pcap's struct bpf_insn lay it out.
 */
struct dwb_insn {
	unsigned short code;
	unsigned char jt, jf;
	unsigned int k;
};

/* What the program is told before it is loaded (its read-only data). */
struct dwb_config {
	unsigned char summary;		/* count in the map; no records */
	unsigned char stack;		/* call chains */
	unsigned char filter_reasons;	/* only the reasons in reasons[] (core ones, < 1024) */
	/*
	 * proto=: only packets whose skb->protocol (network order) is one of
	 * ethertype[], or IP packets whose transport is one of l4proto[].
	 */
	unsigned char n_ethertype, n_l4proto;
	unsigned char n_netns, n_ifindex;	/* only these namespaces, interfaces */
	unsigned char n_ifname;		/* or interfaces of these names (lower case) */
	unsigned char reject;		/* tests: a program the verifier must refuse */
	unsigned char journey;		/* track each skb's steps (the step programs are loaded) */
	unsigned char times;		/* with journey: hand every step and end out (dwb_step_rec) */
	unsigned short pcap_len;	/* pcap=: instructions in pcap[] (0: none) */
	unsigned int wake_bytes;	/* wake the reader once a CPU wrote this much since */
	unsigned short ethertype[DWB_MAX_PROTO];
	unsigned char l4proto[DWB_MAX_PROTO];
	unsigned int netns[DWB_MAX_FILTER];
	unsigned int ifindex[DWB_MAX_FILTER];
	unsigned long long ifname[DWB_MAX_FILTER][2];	/* 16 bytes each, zero padded */
	unsigned long long reasons[DWB_REASON_WORDS];
	/* Run on the frame dwdump would write (SLL2 header, then the packet from its network header). */
	struct dwb_insn pcap[DWB_PCAP_MAX];
};

#endif
