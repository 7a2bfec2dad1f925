/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ends of an sk_buff's life that no tracepoint reports, which end its journey as
 * skb:consume_skb and skb:kfree_skb do (journey.h): without them an skb's address,
 * taken again by the next skb, would join two packets' journeys. By our reading of
 * net/core/skbuff.c and net/core/gro.c in Linux 6.1, 6.12 and 6.18:
 *  - kfree_skbmem(): every free through __kfree_skb() (TCP's acknowledged segments and
 *    those it has read, skb_attempt_defer_free(), GRO's merged fast clones) and
 *    __consume_stateless_skb(); and a fast clone's end (TCP transmits clones of its
 *    queued skbs), whose slot TCP's next retransmit takes again without an allocation;
 *  - napi_skb_cache_put(): the per-CPU cache of NAPI, which napi_consume_skb(),
 *    __napi_kfree_skb() and napi_skb_free_stolen_head() (GRO's merged segments) put
 *    skbs in; where it is inlined (6.1), its callers that report nothing:
 *    __kfree_skb_defer() and napi_skb_free_stolen_head() (napi_consume_skb() reports
 *    skb:consume_skb first);
 *  - kfree_skb_partial(): a segment whose data TCP's receive queue or GRO took;
 *  - skb_morph(): an skb made a clone of another (IP reassembly);
 *  - napi_reuse_skb(): napi_gro_frags()'s skb, taken again for the driver's next frame.
 * (kfree_skb_list_reason()'s bulk free, 6.3 and later, reports each skb first.)
 * Pure: what exists is asked of the caller (BTF, kallsyms).
 */
#ifndef DW_SKBFREE_H
#define DW_SKBFREE_H

#include <stdbool.h>
#include <stddef.h>

struct skbfree_fn {
	const char *name;
	unsigned int arg;	/* which argument is the skb: 0 or 1 */
	const char *inlined;	/* NULL, or the function this one stands for where that is inlined */
};

#define SKBFREE_MAX 8

/*
 * The functions to hook on a kernel where @have(name, @arg) says which can be: their
 * number (into @out), or -ENOENT with the one missing named in @why ("kfree_skbmem").
 */
int skbfree_plan(bool (*have)(const char *name, void *arg), void *arg,
		 const struct skbfree_fn **out, char *why, size_t whylen);

/* All of them, for a program that has one hook each: SKBFREE_MAX at most. */
extern const struct skbfree_fn skbfree_all[];
extern const size_t skbfree_count;

/* The index in skbfree_all of function @name, or -1 when it is none of them. */
int skbfree_find(const char *name);

#endif
