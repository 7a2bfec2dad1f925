/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every collector of the eBPF source shares (common.bpf.c defines it): the kernel's
 * types, declared with only the fields read and relocated by libbpf against the running
 * kernel's BTF (CO-RE); the run's configuration, set by the loader as read-only data;
 * the ring of records, the program's own counters, and how a record wakes the reader.
 *
 * The collectors are one file each, linked into one object (bpftool gen object):
 * drops.bpf.c (skb:kfree_skb), journey.bpf.c (an skb's steps and frees), softirq.bpf.c
 * (the NET_RX softirq, for times). A map is defined in the file of the collector that
 * owns it and declared extern in the header of those that read it.
 */
#ifndef DW_COMMON_BPF_H
#define DW_COMMON_BPF_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "dwbpf.h"

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
	__u64 net_cookie;
};

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	int ifindex;
	char name[16];
	possible_net_t nd_net;
};

struct in6_addr {
	union {
		__u8 u6_addr8[16];
	} in6_u;
};

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
};

/* Conntrack's entry (a module's BTF, where nf_conntrack is one). */
struct nf_conntrack_zone {
	__u16 id;
};

union nf_inet_addr {
	__u32 all[4];
};

struct nf_conntrack_man {
	union nf_inet_addr u3;
	union {
		__be16 all;
	} u;
	__u16 l3num;
};

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
		} u;
		__u8 protonum;
	} dst;
};

struct nf_conntrack_tuple_hash {
	struct nf_conntrack_tuple tuple;
};

struct nf_conn {
	struct nf_conntrack_zone zone;
	struct nf_conntrack_tuple_hash tuplehash[2];
	__u32 mark;
};

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	unsigned int len;
	__u32 mark;
	__be16 protocol;
	__u16 mac_header;
	__u16 network_header;
	unsigned int tail;
	unsigned char *head;
	unsigned char *data;
	unsigned long _nfct;
};

#pragma clang attribute pop

/* The maps of common.bpf.c (a map's type is named, so that it is declared once). */
struct dw_records_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);		/* resized by the loader */
};

struct dw_own_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DWB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
};

struct dw_pending_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

extern const volatile struct dwb_config cfg;
extern struct dw_records_map records SEC(".maps");
extern struct dw_own_map own SEC(".maps");
extern struct dw_pending_map pending SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&own, &what);

	if (v)
		(*v)++;
}

/*
 * How to submit a record of @size: the reader is woken once this CPU has written its share
 * of a quarter of the ring since it last woke it (cfg.wake_bytes), not for each record: at
 * high rates one wakeup reads thousands (it also looks every 100 ms).
 */
static __always_inline __u64 wake_flags(__u32 size)
{
	__u32 zero = 0;
	__u64 *p = bpf_map_lookup_elem(&pending, &zero);

	if (!p)
		return BPF_RB_FORCE_WAKEUP;
	*p += size;
	if (*p < cfg.wake_bytes)
		return BPF_RB_NO_WAKEUP;
	*p = 0;
	return BPF_RB_FORCE_WAKEUP;
}

#endif
