// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor of scripts/bench.sh --bpf-cost-only: the least a program on skb:kfree_skb can
 * do, one per-CPU counter incremented, so that what dropwatch's programs cost per drop
 * is said as a ratio to it on the same kernel.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

SEC("tp_btf/kfree_skb")
int BPF_PROG(floor_kfree_skb)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&drops, &zero);

	if (v)
		(*v)++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
