/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One drop event: what every source produces and every sink consumes.
 * Pointers refer to the buffer the event was decoded from and live only as
 * long as that buffer; strings are NUL-terminated (the codec checks that).
 */
#ifndef DW_EVENT_H
#define DW_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum drop_origin {
	DROP_ORIGIN_SW = 0,
	DROP_ORIGIN_HW = 1,
};

/*
 * What the event is: a drop, or one of TCP's own (tcp mode, the tracepoint source),
 * in the order of enum tcpev_kind after the first.
 */
enum drop_kind {
	DROP_KIND_DROP = 0,
	DROP_KIND_RETRANSMIT,		/* tcp:tcp_retransmit_skb: tcp_result when DROP_HAS_RESULT */
	DROP_KIND_RESET_SENT,		/* tcp:tcp_send_reset: reason is the reset's (6.10+) */
	DROP_KIND_RESET_RECEIVED,	/* tcp:tcp_receive_reset */
	DROP_KIND_STEP,			/* times mode: a step of an skb, or its end (skb, step),
					   in time order; step NULL: events were lost, every
					   skb followed is to be forgotten */
};

/* Bits of drop_event.has */
enum {
	DROP_HAS_PC		= 1u << 0,
	DROP_HAS_IFINDEX	= 1u << 1,
	DROP_HAS_TIMESTAMP	= 1u << 2,
	DROP_HAS_PROTO		= 1u << 3,
	DROP_HAS_ORIG_LEN	= 1u << 4,
	DROP_HAS_TASK		= 1u << 5,	/* cpu, pid and comm (tracepoint source) */
	DROP_NO_PAYLOAD		= 1u << 6,	/* the source never carries the packet */
	DROP_HAS_NETNS		= 1u << 7,	/* the namespace, read at the drop (eBPF) */
	DROP_HAS_SOCK		= 1u << 8,	/* the socket (eBPF) */
	DROP_HAS_MARK		= 1u << 9,	/* skb->mark (eBPF) */
	DROP_KERNEL_FILTERED	= 1u << 10,	/* left out by a filter run in the kernel (eBPF):
						   counted, never shown */
	DROP_HAS_RESULT		= 1u << 11,	/* a retransmit's result (tcp_result; 6.17+) */
	DROP_HAS_CT		= 1u << 12,	/* the connection conntrack has (eBPF) */
};

/*
 * The connection conntrack has for a drop's skb (the eBPF source), as nftables' ct state
 * reads it: no entry (what ct state calls invalid where conntrack runs), untracked, or an
 * entry's state, with its zone, mark and original tuple.
 */
enum { DROP_CT_NONE = 1, DROP_CT_UNTRACKED, DROP_CT_NEW, DROP_CT_ESTABLISHED, DROP_CT_RELATED };
struct drop_ct {
	uint8_t state;			/* DROP_CT_* */
	uint8_t family, proto;		/* the original tuple's: AF_INET or AF_INET6, IPPROTO_* */
	uint16_t zone, sport, dport;	/* ports host order */
	uint32_t mark;
	uint8_t src[16], dst[16];	/* 4 bytes for AF_INET */
};

/* The socket of a drop, as the eBPF source reads it: local first. */
struct drop_sock {
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t state;			/* TCP_ESTABLISHED... (include/net/tcp_states.h); 0: none */
	uint16_t protocol;		/* IPPROTO_TCP... */
	uint16_t sport, dport;		/* host order */
	uint8_t saddr[16], daddr[16];	/* 4 bytes for AF_INET */
};

/*
 * What a source's records carry declared by each source, so that
 * a filter, a table key or a setting it cannot provide is refused when it is set.
 */
enum {
	SRC_CAP_PACKET		= 1u << 0,	/* the packet's bytes */
	SRC_CAP_IFINDEX		= 1u << 1,	/* the input interface */
	SRC_CAP_ETHERTYPE	= 1u << 2,	/* skb->protocol */
	SRC_CAP_REASON		= 1u << 3,	/* the drop reason */
	SRC_CAP_STACK		= 1u << 4,	/* the kernel call chain */
	SRC_CAP_HW		= 1u << 5,	/* hardware (devlink trap) drops */
	SRC_CAP_NETNS		= 1u << 6,	/* the network namespace (netns.h: by evidence) */
	SRC_CAP_SOCK		= 1u << 7,	/* the socket */
	SRC_CAP_LOC_TEXT	= 1u << 8,	/* packet alerts name their location (the kernel's text) */
	SRC_CAP_TCP		= 1u << 9,	/* TCP's own events, with their connection (-m tcp:
						   a run's, not a source's) */
	SRC_CAP_CT		= 1u << 10,	/* the connection conntrack has for the skb */
};

/* The tracepoint's and NET_DM's records. */
#define SRC_CAPS_TRACE	(SRC_CAP_ETHERTYPE | SRC_CAP_REASON | SRC_CAP_STACK)
#define SRC_CAPS_NETDM	(SRC_CAP_PACKET | SRC_CAP_IFINDEX | SRC_CAP_ETHERTYPE | SRC_CAP_REASON | \
			 SRC_CAP_HW | SRC_CAP_NETNS | SRC_CAP_LOC_TEXT)
/* A capture: NET_DM's records, of a machine whose namespaces are not ours to look at. */
#define SRC_CAPS_REPLAY	(SRC_CAPS_NETDM & ~SRC_CAP_NETNS)
/* The eBPF program: all but hardware drops (it sees software drops only). */
#define SRC_CAPS_BPF	(SRC_CAP_PACKET | SRC_CAP_IFINDEX | SRC_CAP_ETHERTYPE | SRC_CAP_REASON | \
			 SRC_CAP_STACK | SRC_CAP_NETNS | SRC_CAP_SOCK | SRC_CAP_CT)

struct journey;
struct jstep;

struct drop_event {
	enum drop_kind kind;
	enum drop_origin origin;
	bool summary;			/* from a summary alert: count is meaningful */
	unsigned int has;		/* DROP_HAS_* */
	uint32_t count;			/* drops this event stands for (1 for a packet) */
	uint64_t pc;			/* kernel address of the drop (SW) */
	const char *symbol;		/* the kernel's own %pS text, or NULL */
	const char *reason;		/* drop reason name, or NULL */
	uint32_t ifindex;
	const char *ifname;		/* as sent by the kernel, or NULL */
	uint64_t timestamp_ns;		/* CLOCK_REALTIME ns at drop time */
	uint16_t proto;			/* skb->protocol, host order */
	uint32_t orig_len;
	const uint8_t *payload;
	uint32_t payload_len;
	const char *trap_group;		/* HW */
	const char *trap_name;		/* HW */
	const uint8_t *cookie;		/* HW flow action cookie */
	uint32_t cookie_len;
	uint32_t cpu;			/* DROP_HAS_TASK */
	uint32_t pid;			/* thread in whose context the drop happened */
	const char *comm;
	const uint64_t *stack;		/* kernel call chain, innermost first */
	uint32_t stack_len;
	uint32_t netns;			/* DROP_HAS_NETNS: its inode */
	uint64_t netns_cookie;
	uint32_t mark;			/* DROP_HAS_MARK */
	struct drop_sock sock;		/* DROP_HAS_SOCK */
	struct drop_ct ct;		/* DROP_HAS_CT */
	int32_t tcp_result;		/* DROP_HAS_RESULT: 0, -errno or NET_XMIT_* */
	uint32_t kernel_filtered;	/* 1 << FILTER_*: filters the source ran whole in the
					   kernel (eBPF), passed: not to be run again */
	const struct journey *journey;	/* the skb's journey to its drop (journey.h); NULL:
					   not asked for */
	uint64_t skb;			/* DROP_KIND_STEP: the skb's address */
	const struct jstep *step;	/* DROP_KIND_STEP (journey.h) */
	bool late;			/* DROP_KIND_STEP: it came later than events after it
					   were handed out: the skb is to be forgotten */
};

/* What a source calls for each event; a non-zero return stops its read and is returned. */
typedef int (*drop_event_fn)(const struct drop_event *ev, void *arg);

#endif
