/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kprobe events on the frees of an skb that no tracepoint reports (skbfree.h), for the
 * tracepoint source: "p:dropwatch/dwPID_FUNCTION FUNCTION skbaddr=REG:x64" written to
 * tracefs's kprobe_events, each then read as a tracepoint of its own (its format file and
 * id) into the same per-CPU rings. A kprobe does not fire while another kprobe's handler
 * runs on the CPU (a free in a softirq that interrupts one in a task), and the kernel
 * counts those misses in kprobe_profile only (perf's own kprobe events count them
 * nowhere we can read): they are read at every look, for a free missed may join two
 * skbs' journeys. Ours are removed when the set is closed, and those of a dropwatch that
 * was killed (its PID gone) when the next one opens its set. Functions return 0 or -errno
 * with one line in @why.
 */
#ifndef DW_KPROBE_H
#define DW_KPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfree.h"
#include "tpformat.h"

#define KPROBE_GROUP "dropwatch"

struct kprobe_ev {
	const struct skbfree_fn *fn;
	char name[64];		/* dwPID_FUNCTION */
	int64_t id;		/* its tracepoint id */
	struct tp_field skbaddr;
};

struct kprobe_set {
	int n;
	struct kprobe_ev ev[SKBFREE_MAX];
	char root[64];		/* tracefs */
	bool mounted;		/* we mounted it, for the set's life */
};

/*
 * The kprobe events on this kernel's frees (skbfree_plan()), made in tracefs (mounted
 * for the set's life when it is not): 0, or -errno with why (no kprobe events, an
 * architecture whose argument registers we do not know, a function that cannot be
 * probed) in @why; nothing is left behind then.
 */
int kprobe_set_open(struct kprobe_set *k, char *why, size_t whylen);
/* Removes the events (their perf events closed first) and what was mounted for them. */
void kprobe_set_close(struct kprobe_set *k);
/* The misses of the set's kprobes so far, from kprobe_profile: 0, or -errno. */
int kprobe_set_missed(const struct kprobe_set *k, uint64_t *missed);
/* The event of tracepoint id @id in the set, or NULL. */
const struct kprobe_ev *kprobe_set_find(const struct kprobe_set *k, int64_t id);
/* The skb of a record of @e (its raw data, @len bytes): 0, or -EBADMSG. */
int kprobe_decode(const struct kprobe_ev *e, const void *raw, size_t len, uint64_t *skb);
/*
 * Removes the events of dropwatch processes that are gone (killed before they could):
 * their number. Called by kprobe_set_open().
 */
int kprobe_sweep_stale(const char *root);

#endif
