// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's eBPF source, the drops collector: a program on the skb:kfree_skb
 * tracepoint (tp_btf) that reads, at the drop, what neither NET_DM nor the tracepoint's
 * own record can say: the interface (skb->dev, its index and name in its own
 * namespace), the network namespace (inode and cookie: from the device, else
 * the receiving socket, else skb->sk), the socket (family, protocol, state,
 * addresses and ports), the task, the mark, and the first bytes of the packet
 * from its headers. Packet mode writes a record to the ring; summary
 * mode counts in a per-CPU hash, read by user space once a second. Filters
 * the kernel can evaluate are applied here, so a drop left out costs no
 * wake-up.
 *
 * The tracepoint's arguments changed: (skb, location) before 5.17, + reason, + rx_sk
 * from 6.11; one program each, and the loader loads the one the kernel's BTF says.
 */
#include "journey.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);		/* resized by the loader */
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* an entry per key seen, not per entry allowed */
	__type(key, struct dwb_key);
	__type(value, __u64);
} counts SEC(".maps");

/* The drops the filters left out, counted the same way: for the totals and the counters' join. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);		/* 1 without filters in the kernel */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dwb_key);
	__type(value, __u64);
} hidden SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

/* A scratch record per CPU: summary mode's packet, for a pcap filter only. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dwb_record);
} scratch SEC(".maps");

/*
 * The pcap filter's machine, per CPU: classic BPF's registers and scratch words,
 * and the frame it runs on (dwdump's: an SLL2 header, then the packet from its
 * network header), len bytes of it; wirelen is what the frame's packet had.
 */
struct pcap_vm {
	__u32 A, X, pc, ret, len, wirelen;
	__u32 M[16];
	unsigned char frame[256];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pcap_vm);
} vms SEC(".maps");

static __always_inline bool listed(const volatile unsigned int *list, unsigned int n,
				   unsigned int v)
{
	for (int i = 0; i < DWB_MAX_FILTER; i++)
		if (i < n && list[i] == v)
			return true;
	return false;
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

/*
 * The connection conntrack has for @skb (its ctinfo in the pointer's low bits), as
 * nftables' ct state reads it; its zone, mark and original tuple where it has one.
 */
static __always_inline void ct_of(struct sk_buff *skb, struct dwb_record *r)
{
	struct nf_conn *ct;
	unsigned long nfct;
	unsigned int info;

	r->ct_state = DWB_CT_UNREAD;
	r->ct_family = r->ct_proto = r->ct_pad = 0;
	r->ct_zone = r->ct_sport = r->ct_dport = r->ct_pad2 = 0;
	r->ct_mark = 0;
	__builtin_memset(r->ct_src, 0, sizeof(r->ct_src));
	__builtin_memset(r->ct_dst, 0, sizeof(r->ct_dst));
	if (!bpf_core_field_exists(skb->_nfct) || !bpf_core_type_exists(struct nf_conn))
		return;		/* no conntrack in this kernel (or its module not loaded) */
	nfct = BPF_CORE_READ(skb, _nfct);
	info = nfct & 7;	/* NFCT_INFOMASK: enum ip_conntrack_info */
	ct = (struct nf_conn *)(nfct & ~7ul);
	if (!ct) {
		r->ct_state = info == 7 ? DWB_CT_UNTRACKED : DWB_CT_NONE;
		return;
	}
	/* IP_CT_ESTABLISHED 0, RELATED 1, NEW 2, ESTABLISHED_REPLY 3, RELATED_REPLY 4 */
	r->ct_state = info == 2 ? DWB_CT_NEW : info == 1 || info == 4 ? DWB_CT_RELATED :
		      DWB_CT_ESTABLISHED;
	if (bpf_core_field_exists(ct->zone))
		r->ct_zone = BPF_CORE_READ(ct, zone.id);
	if (bpf_core_field_exists(ct->mark))
		r->ct_mark = BPF_CORE_READ(ct, mark);
	r->ct_family = (unsigned char)BPF_CORE_READ(ct, tuplehash[0].tuple.src.l3num);
	r->ct_proto = BPF_CORE_READ(ct, tuplehash[0].tuple.dst.protonum);
	r->ct_sport = __builtin_bswap16(BPF_CORE_READ(ct, tuplehash[0].tuple.src.u.all));
	r->ct_dport = __builtin_bswap16(BPF_CORE_READ(ct, tuplehash[0].tuple.dst.u.all));
	BPF_CORE_READ_INTO(&r->ct_src, ct, tuplehash[0].tuple.src.u3.all);
	BPF_CORE_READ_INTO(&r->ct_dst, ct, tuplehash[0].tuple.dst.u3.all);
}

/* The packet: its protocol, its length and its first bytes. */
static __always_inline void packet_of(struct sk_buff *skb, struct dwb_record *r)
{
	r->len = BPF_CORE_READ(skb, len);
	r->protocol = BPF_CORE_READ(skb, protocol);
	data_of(skb, r);
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
 * Whether the drop's interface is one of the dev filter's: by its index, or by its
 * name, compared in lower case as dropwatch compares them. No interface: no.
 */
static __always_inline bool dev_listed(struct net_device *dev, unsigned int ifindex)
{
	unsigned long long w[2] = {};
	unsigned char *c = (unsigned char *)w;

	if (!dev)
		return false;
	if (listed(cfg.ifindex, cfg.n_ifindex, ifindex))
		return true;
	if (!cfg.n_ifname)
		return false;
	BPF_CORE_READ_STR_INTO(&w, dev, name);
	for (int i = 0; i < 16; i++)
		if (c[i] >= 'A' && c[i] <= 'Z')
			c[i] += 'a' - 'A';
	for (int i = 0; i < DWB_MAX_FILTER; i++)
		if (i < cfg.n_ifname && cfg.ifname[i][0] == w[0] && cfg.ifname[i][1] == w[1])
			return true;
	return false;
}

/* Whether the packet is one of the proto filter's: its ethertype, or its transport's. */
static __always_inline bool proto_listed(struct sk_buff *skb)
{
	__be16 et = BPF_CORE_READ(skb, protocol);
	unsigned char l4;

	for (int i = 0; i < DWB_MAX_PROTO; i++)
		if (i < cfg.n_ethertype && cfg.ethertype[i] == et)
			return true;
	if (!cfg.n_l4proto || !(l4 = l4_of(skb)))
		return false;
	for (int i = 0; i < DWB_MAX_PROTO; i++)
		if (i < cfg.n_l4proto && cfg.l4proto[i] == l4)
			return true;
	return false;
}

/* Classic BPF's opcodes (linux/filter.h's BPF_CLASS, BPF_SIZE, BPF_MODE, BPF_OP, BPF_SRC). */
#define C_LD	0x00
#define C_LDX	0x01
#define C_ST	0x02
#define C_STX	0x03
#define C_ALU	0x04
#define C_JMP	0x05
#define C_RET	0x06
#define C_MISC	0x07

/* @size bytes (1, 2 or 4) of the frame at @off, big-endian, into @v: false past its end. */
static __always_inline bool vm_load(struct pcap_vm *vm, __u32 off, __u32 size, __u32 *v)
{
	__u32 x = 0;

	if (off > vm->len || size > vm->len - off)
		return false;
	for (int i = 0; i < 4; i++)
		if (i < size)
			x = x << 8 | vm->frame[(off + i) & 255];
	*v = x;
	return true;
}

/*
 * One instruction of the pcap filter, as libpcap's bpf_filter() runs it (the loader
 * took only programs made of these opcodes): 1 stops the loop, with the answer in
 * vm->ret (0: no match). A load past the frame's end, or a division by zero, is no
 * match. Jumps go forward only, so cfg.pcap_len steps reach a return.
 */
static long pcap_step(__u32 i, void *ctx)
{
	__u32 zero = 0, pc, v = 0, k, src;
	struct pcap_vm *vm = bpf_map_lookup_elem(&vms, &zero);
	__u16 code;
	bool jump;

	if (!vm)
		return 1;
	pc = vm->pc;
	if (pc >= DWB_PCAP_MAX)
		goto nomatch;
	pc &= DWB_PCAP_MAX - 1;
	code = cfg.pcap[pc].code;
	k = cfg.pcap[pc].k;
	vm->pc = pc + 1;
	src = code & 0x08 ? vm->X : k;
	switch (code & 7) {
	case C_LD:
	case C_LDX:
		switch (code & 0xe0) {
		case 0x00:			/* IMM */
			v = k;
			break;
		case 0x20:			/* ABS */
		case 0x40:			/* IND */
			if ((code & 0xe0) == 0x40) {
				if (k + vm->X < k)
					goto nomatch;
				k += vm->X;
			}
			if (!vm_load(vm, k, (code & 0x18) == 0x10 ? 1 : (code & 0x18) == 0x08 ? 2 : 4,
				     &v))
				goto nomatch;
			break;
		case 0x60:			/* MEM */
			v = vm->M[k & 15];
			break;
		case 0x80:			/* LEN */
			v = vm->wirelen;
			break;
		case 0xa0:			/* MSH: the IPv4 header's length */
			if (!vm_load(vm, k, 1, &v))
				goto nomatch;
			v = (v & 0xf) << 2;
			break;
		}
		if ((code & 7) == C_LD)
			vm->A = v;
		else
			vm->X = v;
		return 0;
	case C_ST:
		vm->M[k & 15] = vm->A;
		return 0;
	case C_STX:
		vm->M[k & 15] = vm->X;
		return 0;
	case C_ALU:
		switch (code & 0xf0) {
		case 0x00: vm->A += src; break;
		case 0x10: vm->A -= src; break;
		case 0x20: vm->A *= src; break;
		case 0x30:
			if (!src)
				goto nomatch;
			vm->A /= src;
			break;
		case 0x40: vm->A |= src; break;
		case 0x50: vm->A &= src; break;
		case 0x60: vm->A = src < 32 ? vm->A << (src & 31) : 0; break;
		case 0x70: vm->A = src < 32 ? vm->A >> (src & 31) : 0; break;
		case 0x80: vm->A = -vm->A; break;
		case 0x90:
			if (!src)
				goto nomatch;
			vm->A %= src;
			break;
		case 0xa0: vm->A ^= src; break;
		}
		return 0;
	case C_JMP:
		switch (code & 0xf0) {
		case 0x00:			/* JA */
			vm->pc += k;
			return 0;
		case 0x10: jump = vm->A == src; break;
		case 0x20: jump = vm->A > src; break;
		case 0x30: jump = vm->A >= src; break;
		default: jump = vm->A & src; break;	/* JSET */
		}
		vm->pc += jump ? cfg.pcap[pc].jt : cfg.pcap[pc].jf;
		return 0;
	case C_RET:
		vm->ret = (code & 0x18) == 0x10 ? vm->A : k;
		return 1;
	case C_MISC:
		if (code & 0x80)
			vm->A = vm->X;		/* TXA */
		else
			vm->X = vm->A;		/* TAX */
		return 0;
	}
nomatch:
	vm->ret = 0;
	return 1;
}

/*
 * Whether the packet of @r (read by data_of) passes the pcap filter, run on the frame
 * dwdump writes for it (capture.c's cap_frame_build): a packet that starts with an
 * Ethernet header whose type is the skb's protocol has it turned into the SLL2 header;
 * else the packet is the frame's network header on. No packet: no match.
 */
static __always_inline bool pcap_match(const struct dwb_record *r)
{
	__u32 zero = 0, n = r->data_len;
	struct pcap_vm *vm = bpf_map_lookup_elem(&vms, &zero);
	__u16 proto = __builtin_bswap16(r->protocol), type;
	bool eth = false;

	if (!vm)
		return true;			/* cannot happen: user space decides */
	if (!(r->flags & DWB_HAS_DATA) || !n || n > DWB_SNAP)
		return false;
	__builtin_memset(vm, 0, __builtin_offsetof(struct pcap_vm, frame) + DWB_SLL2_LEN);
	if (n >= 14) {
		type = (__u16)(r->data[12] << 8 | r->data[13]);
		eth = type == proto || (proto == 0x0004 && type <= 1500);
	}
	if (eth) {
		type = type <= 1500 ? 0x0004 : type;	/* ETH_P_802_2 */
		vm->frame[0] = type >> 8;
		vm->frame[1] = type & 0xff;
		vm->frame[9] = 1;			/* ARPHRD_ETHER */
		vm->frame[11] = 6;
		__builtin_memcpy(vm->frame + 12, r->data + 6, 6);
		__builtin_memcpy(vm->frame + DWB_SLL2_LEN, r->data + 14, DWB_SNAP - 14);
		n -= 14;
	} else {
		__builtin_memcpy(vm->frame, &r->protocol, 2);
		vm->frame[8] = 0xff;			/* ARPHRD_NONE */
		vm->frame[9] = 0xfe;
		__builtin_memcpy(vm->frame + DWB_SLL2_LEN, r->data, DWB_SNAP);
	}
	if (r->flags & DWB_HAS_DEV) {
		vm->frame[4] = r->ifindex >> 24;
		vm->frame[5] = r->ifindex >> 16;
		vm->frame[6] = r->ifindex >> 8;
		vm->frame[7] = r->ifindex;
	}
	vm->len = DWB_SLL2_LEN + n;
	vm->wirelen = DWB_SLL2_LEN + (r->len >= r->data_len ? r->len - (r->data_len - n) : n);
	bpf_loop(cfg.pcap_len, pcap_step, NULL, 0);
	return vm->ret != 0;
}

/*
 * One more drop of @r's location, reason, namespace, interface and call chain in @map;
 * counter @full when the map has no room.
 */
static __always_inline void tally(void *map, const struct dwb_key *k, __u32 full)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, k);

	if (v) {
		(*v)++;
	} else if (bpf_map_update_elem(map, k, &one, BPF_NOEXIST)) {
		/* Made meanwhile (then it is there: this CPU's own value), or the map is full. */
		v = bpf_map_lookup_elem(map, k);
		if (v)
			(*v)++;
		else
			count(full);
	}
}

/*
 * A packet record of the drop, reserved in the ring and filled there (the journey's
 * track only when journeys are asked for). NULL when the ring is full (counted).
 */
static __always_inline struct dwb_record *reserve(void)
{
	struct dwb_record *r;

	if (cfg.journey)
		r = bpf_ringbuf_reserve(&records, sizeof(struct dwb_record), 0);
	else
		r = bpf_ringbuf_reserve(&records, DWB_RECORD_BASE, 0);
	if (!r)
		count(DWB_LOST_RING);
	return r;
}

static __always_inline int on_drop(void *ctx, struct sk_buff *skb, void *location, __u32 reason,
				   struct sock *rx_sk)
{
	struct dwb_key k = { .location = (__u64)location, .reason = reason, .stack_id = -1 };
	struct net_device *dev;
	struct net *net = NULL, *sknet = NULL;
	unsigned char from = DWB_NETNS_NONE;
	struct dwb_record *r, *p = NULL;
	struct sock *sk = NULL;
	__u32 zero = 0;
	__u64 id;

	/*
	 * The tests' verifier refusal: a load through a number. The read-only data is
	 * known to the verifier, so that this is dead code, never looked at, unless set.
	 */
	if (cfg.reject)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	count(DWB_SEEN);
	if (cfg.times) {
		emit_step(skb, DWB_DROP, 0);	/* times sums it; no record of its own */
		return 0;
	}
	/*
	 * What the count's key needs. The interface and its namespace, as most drops have
	 * them, are read straight from the kernel's structures (tp_btf). The sockets', for a
	 * drop without an interface, through helpers (sknet): each pointer loaded straight
	 * from a trusted one costs the verifier of 6.3 and later three searches by name
	 * through the kernel's whole BTF, on every path that reaches it (most of the load's
	 * 10 ms here, when these branches loaded them too).
	 */
	dev = skb->dev;
	if (dev) {
		k.ifindex = dev->ifindex;
		net = dev->nd_net.net;
		from = DWB_NETNS_DEV;
	}
	if (net) {
		k.netns = net->ns.inum;
	} else {
		if (rx_sk) {
			sknet = BPF_CORE_READ(rx_sk, __sk_common.skc_net.net);
			from = DWB_NETNS_RX_SK;
		}
		if (!sknet) {
			sk = BPF_CORE_READ(skb, sk);
			if (sk) {
				sknet = BPF_CORE_READ(sk, __sk_common.skc_net.net);
				from = DWB_NETNS_SK;
			}
		}
		if (sknet)
			k.netns = BPF_CORE_READ(sknet, ns.inum);
		else
			from = DWB_NETNS_NONE;
	}

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
	if ((cfg.n_ifindex || cfg.n_ifname) && !dev_listed(dev, k.ifindex))
		goto filtered;
	if (cfg.n_netns && !listed(cfg.netns, cfg.n_netns, k.netns))
		goto filtered;
	if ((cfg.n_ethertype || cfg.n_l4proto) && !proto_listed(skb))
		goto filtered;
	if (cfg.pcap_len) {
		/* The filter runs on the packet's bytes, read into a scratch record first. */
		p = bpf_map_lookup_elem(&scratch, &zero);
		if (!p)
			goto lost;
		p->flags = dev ? DWB_HAS_DEV : 0;
		p->ifindex = k.ifindex;
		p->data_len = 0;
		packet_of(skb, p);
		if (!pcap_match(p))
			goto filtered;
	}
	if (cfg.stack) {
		k.stack_id = bpf_get_stackid(ctx, &stacks, 0);
		if (k.stack_id < 0)
			count(DWB_LOST_STACK);
	}

	if (cfg.summary) {
		tally(&counts, &k, DWB_LOST_MAP);
		return 0;
	}

	r = reserve();
	if (!r)
		goto lost;
	r->ifindex = k.ifindex;
	if (p) {
		/* Read for the filter already. */
		r->flags = p->flags;
		r->len = p->len;
		r->protocol = p->protocol;
		r->data_len = p->data_len;
		__builtin_memcpy(r->data, p->data, sizeof(r->data));
	} else {
		r->flags = dev ? DWB_HAS_DEV : 0;
		r->data_len = 0;
		packet_of(skb, r);
	}
	r->type = DWB_REC_DROP;
	r->pad = 0;
	if (cfg.journey)
		journey_end(skb, r);
	r->location = k.location;
	r->reason = reason;
	r->netns = k.netns;
	r->netns_from = from;
	r->netns_cookie = 0;
	if (bpf_core_field_exists(net->net_cookie)) {
		if (net)
			r->netns_cookie = net->net_cookie;
		else if (sknet)
			r->netns_cookie = BPF_CORE_READ(sknet, net_cookie);
	}
	r->stack_id = k.stack_id;
	r->ts = bpf_ktime_get_ns();
	id = bpf_get_current_pid_tgid();
	r->pid = id >> 32;
	r->tid = (__u32)id;
	r->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(&r->comm, sizeof(r->comm));
	__builtin_memset(r->ifname, 0, sizeof(r->ifname));
	if (dev)
		BPF_CORE_READ_STR_INTO(&r->ifname, dev, name);
	r->mark = skb->mark;
	r->sock_family = r->sock_state = 0;
	r->sock_protocol = r->sock_sport = r->sock_dport = 0;
	__builtin_memset(r->sock_saddr, 0, sizeof(r->sock_saddr));
	__builtin_memset(r->sock_daddr, 0, sizeof(r->sock_daddr));
	if (!rx_sk && !sk)
		sk = skb->sk;
	if (rx_sk)
		sock_of(rx_sk, r);
	else if (sk)
		sock_of(sk, r);
	ct_of(skb, r);
	bpf_ringbuf_submit(r, wake_flags(cfg.journey ? sizeof(struct dwb_record) : DWB_RECORD_BASE));
	return 0;
lost:
	if (cfg.journey)
		journey_end(skb, NULL);
	return 0;
filtered:
	if (cfg.journey)
		journey_end(skb, NULL);	/* filtered or not, the address is free from here */
	count(DWB_FILTERED);
	tally(&hidden, &k, DWB_LOST_HIDDEN);
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
