/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the running kernel lets the eBPF source's program do (bpf_kernel.c). */
#ifndef DW_SOURCE_BPF_KERNEL_H
#define DW_SOURCE_BPF_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "skbfree.h"

struct btf;

/* The tracepoint's arguments after its context (2, 3 or 4) from the kernel's BTF; 0: unknown. */
int bpf_tracepoint_args(const struct btf *btf);
/*
 * The frees of an skb (skbfree.h) that the kernel's BTF has as functions, for programs to
 * attach to their entries: looked for in one pass over it (a lookup by name is one pass
 * each), then asked of by skbfree_plan() through bpf_in_set(name, set).
 */
struct bpf_func_set {
	bool found[SKBFREE_MAX];
};
void bpf_func_set_fill(struct bpf_func_set *set, const struct btf *btf);
bool bpf_in_set(const char *name, void *arg);
/* Whether lockdown takes away the helpers that read kernel memory: true, said in @why. */
bool bpf_locked_down(char *why, size_t whylen);
/* The verifier's @log kept in a file of its own (0600, its name in @path); its last line in @last. */
void bpf_keep_log(const char *log, char *path, size_t pathlen, char *last, size_t lastlen);

#endif
