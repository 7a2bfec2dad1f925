// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's eBPF source, the journey collector (cfg.journey; loaded with it only):
 * each skb's steps (received, queued, sent, delivered), by its address, from its first
 * step to its drop (drops.bpf.c hands the track to the drop's record) or its free, when
 * the track goes. With times, every step goes to the ring as it comes instead.
 */
#include "journey.bpf.h"

/*
 * Journeys: each skb's steps, by its address (cfg.journey), from its first step to its
 * drop or free. Resized by the loader; never swept: a track ends at its skb's end only.
 */
struct dw_tracks_map tracks SEC(".maps");

static const struct dwb_track empty_track;

/* Times: the steps the ring had no room for (one count for all CPUs: dwb_step_rec.lost). */
struct dw_steps_lost_map steps_lost SEC(".maps");

/* A step of @skb's journey (@dev: the device it names, else the skb's). */
static __always_inline int on_step(struct sk_buff *skb, __u8 kind, struct net_device *dev)
{
	__u64 key = (__u64)skb;
	struct dwb_track *t;
	struct dwb_step *s;
	__u32 n;

	if (!cfg.journey)
		return 0;
	if (cfg.times) {
		emit_step(skb, kind, dev);
		return 0;
	}
	t = bpf_map_lookup_elem(&tracks, &key);
	if (!t) {
		if (bpf_map_update_elem(&tracks, &key, &empty_track, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&tracks, &key)) {
			count(DWB_LOST_JOURNEY);
			return 0;
		}
		t = bpf_map_lookup_elem(&tracks, &key);
		if (!t)
			return 0;
	}
	n = t->n;
	if (n > DWB_JSTEPS)
		n = 0;
	if (n == DWB_JSTEPS) {
		/* The first stays; the second leaves. */
		for (int i = 1; i < DWB_JSTEPS - 1; i++)
			t->step[i] = t->step[i + 1];
		n = DWB_JSTEPS - 1;
		t->omitted++;
	}
	/* Bounded again on the register the index is made from, for the verifier. */
	barrier_var(n);
	if (n >= DWB_JSTEPS)
		return 0;
	s = &t->step[n];
	s->ts = bpf_ktime_get_ns();
	s->kind = kind;
	s->cpu = bpf_get_smp_processor_id();
	if (!dev && kind != DWB_DELIVER)
		dev = BPF_CORE_READ(skb, dev);
	s->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
	s->ifname[0] = 0;
	if (dev)
		BPF_CORE_READ_STR_INTO(&s->ifname, dev, name);
	t->n = n + 1;
	return 0;
}

/* The end of @skb's life (a free, @kind DWB_FREE, or a drop): its track goes, or is said. */
static __always_inline int on_end(struct sk_buff *skb, __u8 kind)
{
	__u64 key = (__u64)skb;

	if (!cfg.journey)
		return 0;
	if (cfg.times)
		emit_step(skb, kind, 0);
	else
		bpf_map_delete_elem(&tracks, &key);
	return 0;
}

/* The journey's steps (cfg.journey; loaded with it only). */
SEC("tp_btf/netif_rx")
int BPF_PROG(dw_netif_rx, struct sk_buff *skb)
{
	return on_step(skb, DWB_BACKLOG, 0);
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(dw_netif_receive_skb, struct sk_buff *skb)
{
	return on_step(skb, DWB_RX, 0);
}

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(dw_napi_gro_receive_entry, struct sk_buff *skb)
{
	return on_step(skb, DWB_GRO, 0);
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(dw_net_dev_queue, struct sk_buff *skb)
{
	return on_step(skb, DWB_QUEUE, 0);
}

/* Before the driver is called: the skb is still this one (net_dev_xmit fires after). */
SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(dw_net_dev_start_xmit, struct sk_buff *skb, struct net_device *dev)
{
	return on_step(skb, DWB_XMIT, dev);
}

SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(dw_skb_copy_datagram_iovec, struct sk_buff *skb)
{
	return on_step(skb, DWB_DELIVER, 0);
}

/* Freed: the address may be another skb's from here. */
SEC("tp_btf/consume_skb")
int BPF_PROG(dw_consume_skb, struct sk_buff *skb)
{
	return on_end(skb, DWB_FREE);
}

/*
 * The frees no tracepoint reports (skbfree.h): the loader loads those of this kernel
 * (a function inlined everywhere has no BTF to attach to, and is stood for by others).
 * Each twice: the kernel skips a program that is already running on the CPU (its
 * recursion check), and a free in a softirq often interrupts one in a task; with two,
 * the one not running sees the nested free.
 */
#define FREE_PROG(fn, n, args...)						\
SEC("fentry/" #fn)								\
int BPF_PROG(dw_free##n##_##fn, args)

FREE_PROG(kfree_skbmem, 1, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(kfree_skbmem, 2, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(napi_skb_cache_put, 1, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(napi_skb_cache_put, 2, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(__kfree_skb_defer, 1, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(__kfree_skb_defer, 2, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(napi_skb_free_stolen_head, 1, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(napi_skb_free_stolen_head, 2, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(kfree_skb_partial, 1, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
FREE_PROG(kfree_skb_partial, 2, struct sk_buff *skb) { return on_end(skb, DWB_FREE); }
/* dst becomes a clone of src: dst's own life ends. */
FREE_PROG(skb_morph, 1, struct sk_buff *dst) { return on_end(dst, DWB_FREE); }
FREE_PROG(skb_morph, 2, struct sk_buff *dst) { return on_end(dst, DWB_FREE); }

struct napi_struct;

FREE_PROG(napi_reuse_skb, 1, struct napi_struct *napi, struct sk_buff *skb)
{
	return on_end(skb, DWB_FREE);
}
FREE_PROG(napi_reuse_skb, 2, struct napi_struct *napi, struct sk_buff *skb)
{
	return on_end(skb, DWB_FREE);
}
