// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper for tests/journey.test: a tc rule that drops every packet (TC_ACT_SHOT),
 * for kernels without act_gact (this machine's). Loaded with
 * tc filter add dev DEV egress bpf da obj tcdrop.bpf.o sec tc
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

__attribute__((section("tc"), used)) int tc_drop(struct __sk_buff *skb)
{
	(void)skb;
	return TC_ACT_SHOT;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
