/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The eBPF source's filter compiler (bpf_filter.c). */
#ifndef DW_SOURCE_BPF_FILTER_H
#define DW_SOURCE_BPF_FILTER_H

#include <stdbool.h>

#include "source.h"
#include "bpf/dwbpf.h"

struct reason_cat;

/*
 * The filters of @r the kernel can evaluate, into @cfg: reasons by @reasons' numbers,
 * pcap= only when @pcap_ok. Each only when every value of it can be said there.
 */
void bpf_kernel_filters(const struct reason_cat *reasons, bool pcap_ok, const struct source_run *r,
			struct dwb_config *cfg);
/* Whether @c tells the program to filter. */
bool bpf_filtering(const struct dwb_config *c);

#endif
