/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An skb's journey, as the drops collector and the journey collector both need it: each
 * skb's track of steps (journey.bpf.c's map), the steps written as they come for times
 * (emit_step), with the NET_RX softirq's state on the CPU (softirq.bpf.c's map), and the
 * track handed to a drop's record at its end (journey_end).
 */
#ifndef DW_JOURNEY_BPF_H
#define DW_JOURNEY_BPF_H

#include "common.bpf.h"

/* Times: the NET_RX softirq on each CPU now (softirq.bpf.c). */
struct sirq_state {
	__u64 raised;		/* the first raise since the last start (0: none) */
	__u64 entry;		/* its start */
	__u64 raised_at_entry;
	__u32 in;
};

struct dw_tracks_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct dwb_track);
};

struct dw_steps_lost_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct dw_sirqs_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sirq_state);
};

extern struct dw_tracks_map tracks SEC(".maps");
extern struct dw_steps_lost_map steps_lost SEC(".maps");
extern struct dw_sirqs_map sirqs SEC(".maps");

/*
 * Times: a step or the end of @skb into the ring as it comes (@dev: the device it names,
 * else the skb's). A record the ring has no room for is counted in steps_lost, which
 * every record made after it carries.
 */
static __always_inline void emit_step(struct sk_buff *skb, __u8 kind, struct net_device *dev)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&steps_lost, &zero);
	struct dwb_step_rec *r;

	if (!lost)
		return;
	r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(lost, 1);
		count(DWB_LOST_STEPS);
		return;
	}
	r->type = DWB_REC_STEP;
	r->ts = bpf_ktime_get_ns();
	r->skb = (__u64)skb;
	r->kind = kind;
	r->cpu = bpf_get_smp_processor_id();
	r->lost = *lost;
	r->irq_ns = r->softirq_ns = 0;
	r->pad = 0;
	if (kind == DWB_RX || kind == DWB_GRO) {
		struct sirq_state *c = bpf_map_lookup_elem(&sirqs, &zero);

		if (c && c->in && r->ts >= c->entry) {
			__u64 d = r->ts - c->entry;

			r->softirq_ns = d < 0xffffffffu ? d : 0xffffffffu;
			if (c->raised_at_entry && c->entry >= c->raised_at_entry) {
				d = c->entry - c->raised_at_entry;
				r->irq_ns = d < 0xffffffffu ? d : 0xffffffffu;
			}
		}
	}
	if (!dev && kind != DWB_DELIVER && kind != DWB_DROP && kind != DWB_FREE)
		dev = BPF_CORE_READ(skb, dev);
	__builtin_memset(r->ifname, 0, sizeof(r->ifname));
	if (dev)
		BPF_CORE_READ_STR_INTO(&r->ifname, dev, name);
	bpf_ringbuf_submit(r, wake_flags(sizeof(*r)));
}

/*
 * The track of @skb handed to @r (NULL: a drop not written), and forgotten: the address
 * is free from here.
 */
static __always_inline void journey_end(struct sk_buff *skb, struct dwb_record *r)
{
	__u64 key = (__u64)skb;
	struct dwb_track *t = bpf_map_lookup_elem(&tracks, &key);

	if (r) {
		r->flags |= DWB_HAS_JOURNEY;
		r->journey.n = 0;
		if (t && t->n <= DWB_JSTEPS)
			__builtin_memcpy(&r->journey, t, sizeof(*t));
	}
	if (t)
		bpf_map_delete_elem(&tracks, &key);
}

#endif
