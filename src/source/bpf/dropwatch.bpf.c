// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's eBPF source: a program on the skb:kfree_skb tracepoint (tp_btf)
 * that reads, at the drop, what neither NET_DM nor the tracepoint's own
 * record can say: the interface (skb->dev, its index and name in its own
 * namespace), the network namespace (inode and cookie: from the device, else
 * the receiving socket, else skb->sk), the socket (family, protocol, state,
 * addresses and ports), the task, the mark, and the first bytes of the packet
 * from its headers. Packet mode writes a record to a ring buffer; summary
 * mode counts in a per-CPU hash, read by user space once a second. Filters
 * the kernel can evaluate are applied here, so a drop left out costs no
 * wake-up.
 *
 * CO-RE: the kernel types are declared below with only the fields read, and
 * relocated by libbpf against the running kernel's BTF. The tracepoint's
 * arguments changed: (skb, location) before 5.17, + reason, + rx_sk from
 * 6.11; one program each, and the loader loads the one the kernel's BTF says.
 */
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
};

#pragma clang attribute pop

const volatile struct dwb_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);		/* resized by the loader */
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);		/* resized by the loader */
	__type(key, struct dwb_key);
	__type(value, __u64);
} counts SEC(".maps");

/* The drops the filters left out, counted the same way: for the totals and the counters' join. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);		/* 1 without filters in the kernel */
	__type(key, struct dwb_key);
	__type(value, __u64);
} hidden SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DWB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} own SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

/* A scratch record per CPU: too large for the stack, built before it is reserved. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dwb_record);
} scratch SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&own, &what);

	if (v)
		(*v)++;
}

static __always_inline bool listed(const volatile unsigned int *list, unsigned int n,
				   unsigned int v)
{
	for (int i = 0; i < DWB_MAX_FILTER; i++)
		if (i < n && list[i] == v)
			return true;
	return false;
}

/* The namespace of @net: its inode and cookie. */
static __always_inline void netns_of(struct net *net, struct dwb_record *r, unsigned char from)
{
	if (!net)
		return;
	r->netns = BPF_CORE_READ(net, ns.inum);
	if (bpf_core_field_exists(net->net_cookie))
		r->netns_cookie = BPF_CORE_READ(net, net_cookie);
	r->netns_from = from;
}

/* The socket's family, protocol, state, addresses and ports (local first). */
static __always_inline void sock_of(struct sock *sk, struct dwb_record *r)
{
	unsigned short family = BPF_CORE_READ(sk, __sk_common.skc_family);

	r->sock_family = (unsigned char)family;
	r->sock_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	r->sock_protocol = BPF_CORE_READ(sk, sk_protocol);
	r->sock_sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->sock_dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == 2) {		/* AF_INET */
		__be32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

		__builtin_memcpy(r->sock_saddr, &a, 4);
		a = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(r->sock_daddr, &a, 4);
	} else if (family == 10 &&	/* AF_INET6, where the kernel has IPv6 */
		   bpf_core_field_exists(sk->__sk_common.skc_v6_daddr)) {
		BPF_CORE_READ_INTO(&r->sock_saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&r->sock_daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	r->flags |= DWB_HAS_SOCK;
}

/*
 * Where the packet starts: its MAC header when it has one set before its network
 * header (a received frame), else its network header. 0 when it has neither.
 */
static __always_inline unsigned int start_of(struct sk_buff *skb, unsigned char **head,
					     __u16 *nh, unsigned char *flags)
{
	__u16 mac = BPF_CORE_READ(skb, mac_header);

	*head = BPF_CORE_READ(skb, head);
	*nh = BPF_CORE_READ(skb, network_header);
	if (!*head || *nh == 0xffff || *nh >= BPF_CORE_READ(skb, tail))
		return 0;
	if (mac != 0xffff && mac < *nh) {
		*flags |= DWB_HAS_MAC;
		return mac + 1;
	}
	return *nh + 1;
}

/* The first bytes of the packet, and its length from its start (packet mode). */
static __always_inline void data_of(struct sk_buff *skb, struct dwb_record *r)
{
	unsigned char *head;
	unsigned int start, tail;
	__u16 nh;

	start = start_of(skb, &head, &nh, &r->flags);
	if (!start--)
		return;
	tail = BPF_CORE_READ(skb, tail);
	/* What is left past data, and what was pulled before it. */
	r->len = BPF_CORE_READ(skb, len) + (unsigned int)(BPF_CORE_READ(skb, data) - (head + start));
	/*
	 * A constant size read (the head's allocation holds the shared info behind its
	 * data, and a read that faults fails whole): its bytes past tail are not kept.
	 */
	if (bpf_probe_read_kernel(r->data, DWB_SNAP, head + start) == 0) {
		r->data_len = tail - start > DWB_SNAP ? DWB_SNAP : tail - start;
		r->flags |= DWB_HAS_DATA;
	}
}

/* The transport protocol, for the filter: IPv4's, or IPv6's first next header. 0: none. */
static __always_inline unsigned char l4_of(struct sk_buff *skb)
{
	unsigned char *head, ip[10] = {}, flags = 0;
	__u16 nh;

	if (!start_of(skb, &head, &nh, &flags) || bpf_probe_read_kernel(ip, sizeof(ip), head + nh))
		return 0;
	if ((ip[0] >> 4) == 4)
		return ip[9];
	if ((ip[0] >> 4) == 6)
		return ip[6];
	return 0;
}

/*
 * One more drop of @r's location, reason, namespace, interface and call chain in @map;
 * counter @full when the map has no room.
 */
static __always_inline void tally(void *map, const struct dwb_record *r, __u32 full)
{
	struct dwb_key k = {
		.location = r->location,
		.reason = r->reason,
		.netns = r->netns,
		.ifindex = r->ifindex,
		.stack_id = r->stack_id,
	};
	__u64 one = 1, *v = bpf_map_lookup_elem(map, &k);

	if (v) {
		(*v)++;
	} else if (bpf_map_update_elem(map, &k, &one, BPF_NOEXIST)) {
		/* Made meanwhile (then it is there: this CPU's own value), or the map is full. */
		v = bpf_map_lookup_elem(map, &k);
		if (v)
			(*v)++;
		else
			count(full);
	}
}

static __always_inline int on_drop(void *ctx, struct sk_buff *skb, void *location, __u32 reason,
				   struct sock *rx_sk)
{
	__u32 zero = 0;
	struct dwb_record *r = bpf_map_lookup_elem(&scratch, &zero);
	struct net_device *dev;
	struct sock *sk;
	__u64 id;

	if (!r)
		return 0;
	/*
	 * The tests' verifier refusal: a load through a number. The read-only data is
	 * known to the verifier, so that this is dead code, never looked at, unless set.
	 */
	if (cfg.reject)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	count(DWB_SEEN);
	__builtin_memset(r, 0, sizeof(*r));
	r->location = (__u64)location;
	r->reason = reason;
	r->stack_id = -1;
	dev = BPF_CORE_READ(skb, dev);
	if (dev) {
		r->ifindex = BPF_CORE_READ(dev, ifindex);
		r->flags |= DWB_HAS_DEV;
		netns_of(BPF_CORE_READ(dev, nd_net.net), r, DWB_NETNS_DEV);
	}
	sk = BPF_CORE_READ(skb, sk);
	if (!r->netns_from && rx_sk)
		netns_of(BPF_CORE_READ(rx_sk, __sk_common.skc_net.net), r, DWB_NETNS_RX_SK);
	if (!r->netns_from && sk)
		netns_of(BPF_CORE_READ(sk, __sk_common.skc_net.net), r, DWB_NETNS_SK);

	if (cfg.filter_reasons) {
		__u32 w = reason / 64;

		if (w >= DWB_REASON_WORDS)
			goto filtered;
		/* The bound again on the register the index is made from, for the verifier. */
		barrier_var(w);
		w &= DWB_REASON_WORDS - 1;
		if (!(cfg.reasons[w] & (1ull << (reason % 64))))
			goto filtered;
	}
	if (cfg.filter_ethertype && BPF_CORE_READ(skb, protocol) != cfg.ethertype)
		goto filtered;
	if (cfg.n_ifindex && !listed(cfg.ifindex, cfg.n_ifindex, r->ifindex))
		goto filtered;
	if (cfg.n_netns && !listed(cfg.netns, cfg.n_netns, r->netns))
		goto filtered;
	if (cfg.filter_l4 && l4_of(skb) != cfg.l4proto)
		goto filtered;
	if (cfg.stack) {
		r->stack_id = bpf_get_stackid(ctx, &stacks, 0);
		if (r->stack_id < 0)
			count(DWB_LOST_STACK);
	}

	if (cfg.summary) {
		tally(&counts, r, DWB_LOST_MAP);
		return 0;
	}

	r->ts = bpf_ktime_get_ns();
	id = bpf_get_current_pid_tgid();
	r->pid = id >> 32;
	r->tid = (__u32)id;
	r->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(&r->comm, sizeof(r->comm));
	if (dev)
		BPF_CORE_READ_STR_INTO(&r->ifname, dev, name);
	r->mark = BPF_CORE_READ(skb, mark);
	r->len = BPF_CORE_READ(skb, len);
	r->protocol = BPF_CORE_READ(skb, protocol);
	data_of(skb, r);
	if (rx_sk)
		sock_of(rx_sk, r);
	else if (sk)
		sock_of(sk, r);
	/*
	 * The reader is woken once a quarter of the ring is used (it also looks every
	 * 100 ms), not for each record: at high rates one wakeup reads thousands.
	 */
	if (bpf_ringbuf_output(&records, r, sizeof(*r),
			       bpf_ringbuf_query(&records, BPF_RB_AVAIL_DATA) + sizeof(*r) >=
			       cfg.wake_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
		count(DWB_LOST_RING);
	return 0;
filtered:
	count(DWB_FILTERED);
	tally(&hidden, r, DWB_LOST_HIDDEN);
	return 0;
}

/* Before 5.17: (skb, location). */
SEC("tp_btf/kfree_skb")
int BPF_PROG(dw_kfree_skb2, struct sk_buff *skb, void *location)
{
	return on_drop(ctx, skb, location, 0, 0);
}

/* 5.17 to 6.10: (skb, location, reason). */
SEC("tp_btf/kfree_skb")
int BPF_PROG(dw_kfree_skb3, struct sk_buff *skb, void *location, int reason)
{
	return on_drop(ctx, skb, location, (__u32)reason, 0);
}

/* 6.11 and later: (skb, location, reason, rx_sk). */
SEC("tp_btf/kfree_skb")
int BPF_PROG(dw_kfree_skb4, struct sk_buff *skb, void *location, int reason, struct sock *rx_sk)
{
	return on_drop(ctx, skb, location, (__u32)reason, rx_sk);
}

char LICENSE[] SEC("license") = "GPL";
