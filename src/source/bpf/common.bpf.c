// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's eBPF source, what its collectors share (common.bpf.h): the run's
 * configuration, the ring of records, the program's own counters (what it could not
 * do: a full ring, a full map), and each CPU's bytes written since it woke the reader.
 */
#include "common.bpf.h"

const volatile struct dwb_config cfg = {};

struct dw_records_map records SEC(".maps");

struct dw_own_map own SEC(".maps");

/* Bytes this CPU wrote to the ring since it last woke the reader (wake_flags()). */
struct dw_pending_map pending SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
