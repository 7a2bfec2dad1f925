// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's eBPF source, the softirq collector (times; loaded with it only): the
 * NET_RX softirq's raise, start and end on each CPU, which a received step's record
 * carries (journey.bpf.h's emit_step): how long it waited for the softirq, and how long
 * into it the step came.
 */
#include "journey.bpf.h"

#define NET_RX_SOFTIRQ 3

struct dw_sirqs_map sirqs SEC(".maps");

/* Times: the NET_RX softirq's raise, start and end on each CPU. */
static __always_inline int on_softirq(unsigned int vec, int what)
{
	__u32 zero = 0;
	struct sirq_state *c;

	if (vec != NET_RX_SOFTIRQ || !(c = bpf_map_lookup_elem(&sirqs, &zero)))
		return 0;
	if (what == 0) {
		if (!c->raised)
			c->raised = bpf_ktime_get_ns();
	} else if (what == 1) {
		c->in = 1;
		c->entry = bpf_ktime_get_ns();
		c->raised_at_entry = c->raised;
		c->raised = 0;
	} else {
		c->in = 0;
	}
	return 0;
}

SEC("tp_btf/softirq_raise")
int BPF_PROG(dw_softirq_raise, unsigned int vec)
{
	return on_softirq(vec, 0);
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(dw_softirq_entry, unsigned int vec)
{
	return on_softirq(vec, 1);
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(dw_softirq_exit, unsigned int vec)
{
	return on_softirq(vec, 2);
}
