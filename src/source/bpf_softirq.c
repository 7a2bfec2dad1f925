// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source's softirq collector, user space's half (the programs:
 * bpf/softirq.bpf.c): loaded for times only. It has no records of its own: a received
 * step's record carries what it saw (how long the step waited for the NET_RX softirq).
 */
#include "config.h"

#include <bpf/libbpf.h>

#include "bpf_int.h"
#include "dropwatch.skel.h"

static void softirq_choose(const struct bpf_source *b, struct dw_bpf *skel,
			   const struct dwb_config *cfg)
{
	(void)b;
	bpf_program__set_autoload(skel->progs.dw_softirq_raise, cfg->times);
	bpf_program__set_autoload(skel->progs.dw_softirq_entry, cfg->times);
	bpf_program__set_autoload(skel->progs.dw_softirq_exit, cfg->times);
}

const struct bpf_collector bpf_softirq = {
	.name = "softirq",
	.choose = softirq_choose,
};
