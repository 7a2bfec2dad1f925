// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source's drops collector, user space's half (the program: bpf/drops.bpf.c on
 * skb:kfree_skb): the program for the tracepoint's arguments on this kernel, each drop's
 * record into an event (its reason by name, its call chain, its journey), and in summary
 * mode what each count in the kernel gained since it was last read.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_int.h"
#include "reasons.h"
#include "util.h"
#include "dropwatch.skel.h"

_Static_assert((int)DWB_CT_NONE == (int)DROP_CT_NONE &&
	       (int)DWB_CT_UNTRACKED == (int)DROP_CT_UNTRACKED && (int)DWB_CT_NEW == (int)DROP_CT_NEW &&
	       (int)DWB_CT_ESTABLISHED == (int)DROP_CT_ESTABLISHED &&
	       (int)DWB_CT_RELATED == (int)DROP_CT_RELATED, "the program's ct states are the events'");

static void tally_reset(struct tally *t)
{
	hmap_fini(&t->last);
	hmap_init(&t->last, sizeof(struct last), 0);	/* allocates at the first key */
}

static void drops_choose(const struct bpf_source *b, struct dw_bpf *skel,
			 const struct dwb_config *cfg)
{
	(void)cfg;
	/* Only the program for this kernel's arguments is loaded. */
	bpf_program__set_autoload(skel->progs.dw_kfree_skb2, b->nargs == 2);
	bpf_program__set_autoload(skel->progs.dw_kfree_skb3, b->nargs == 3);
	bpf_program__set_autoload(skel->progs.dw_kfree_skb4, b->nargs == 4);
}

static const char *reason_of(struct bpf_source *b, uint32_t v, char *buf, size_t size)
{
	const char *n = b->reasons ? reasons_lookup(b->reasons, (int)v) : NULL;

	if (n)
		return n;
	snprintf(buf, size, "%" PRIu32, v);	/* a number the kernel's lists do not name */
	return buf;
}

/*
 * The call chain of @id into @ev (its frames stay valid until the next call). It
 * begins, as perf's does, with the function that fired the tracepoint: the frames of
 * the program and the tracepoint's glue before it are left out. That function's caller
 * returns to @location, so the frame before @location's is the first kept (the whole
 * chain when @location is not in it).
 */
static void stack_of(struct bpf_source *b, int id, uint64_t location, struct drop_event *ev)
{
	struct chain *c;

	if (id < 0 || !b->skel)
		return;
	if (!b->chain && !(b->chain = calloc(CHAIN_CACHE, sizeof(*b->chain))))
		return;
	c = &b->chain[(unsigned int)id % CHAIN_CACHE];
	if (c->id != id + 1) {
		c->id = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.stacks), &id, c->pc))
			return;
		for (c->n = 0; c->n < 127 && c->pc[c->n]; c->n++)
			;
		for (c->skip = 0; c->skip < c->n && c->pc[c->skip] != location; c->skip++)
			;
		c->skip = c->skip == c->n ? 0 : c->skip ? c->skip - 1 : 0;
		c->id = id + 1;
	}
	ev->stack_len = c->n - c->skip;
	ev->stack = ev->stack_len ? c->pc + c->skip : NULL;
}

/* A drop's record (at least DWB_RECORD_BASE bytes; its journey when it has one). */
static int on_record(struct bpf_source *b, const void *data, size_t len)
{
	const struct dwb_record *r = data;
	struct drop_event ev = { .count = 1 };
	char rbuf[16], ifname[17], comm[17];

	ev.has = DROP_HAS_PC | DROP_HAS_TIMESTAMP | DROP_HAS_PROTO | DROP_HAS_TASK | DROP_HAS_MARK |
		 DROP_HAS_ORIG_LEN;
	ev.kernel_filtered = b->kmask;
	ev.pc = r->location;
	ev.timestamp_ns = r->ts + b->clock_off;
	ev.proto = ntohs(r->protocol);
	ev.reason = b->nargs >= 3 ? reason_of(b, r->reason, rbuf, sizeof(rbuf)) : NULL;
	ev.cpu = r->cpu;
	ev.pid = r->tid;
	memcpy(comm, r->comm, 16);	/* "%.16s": the program's strings are zero padded */
	comm[16] = '\0';
	ev.comm = comm;
	ev.mark = r->mark;
	ev.orig_len = r->len;
	if (r->flags & DWB_HAS_DEV) {
		ev.has |= DROP_HAS_IFINDEX;
		ev.ifindex = r->ifindex;
		memcpy(ifname, r->ifname, 16);
		ifname[16] = '\0';
		ev.ifname = ifname[0] ? ifname : NULL;
	}
	if (r->netns_from) {
		ev.has |= DROP_HAS_NETNS;
		ev.netns = r->netns;
		ev.netns_cookie = r->netns_cookie;
	}
	if (r->flags & DWB_HAS_SOCK) {
		ev.has |= DROP_HAS_SOCK;
		ev.sock.family = r->sock_family;
		ev.sock.state = r->sock_state;
		ev.sock.protocol = r->sock_protocol;
		ev.sock.sport = r->sock_sport;
		ev.sock.dport = r->sock_dport;
		memcpy(ev.sock.saddr, r->sock_saddr, 16);
		memcpy(ev.sock.daddr, r->sock_daddr, 16);
	}
	if (r->ct_state != DWB_CT_UNREAD) {
		/* DWB_CT_* and DROP_CT_* are the same numbers. */
		ev.has |= DROP_HAS_CT;
		ev.ct.state = r->ct_state;
		ev.ct.family = r->ct_family;
		ev.ct.proto = r->ct_proto;
		ev.ct.zone = r->ct_zone;
		ev.ct.sport = r->ct_sport;
		ev.ct.dport = r->ct_dport;
		ev.ct.mark = r->ct_mark;
		memcpy(ev.ct.src, r->ct_src, 16);
		memcpy(ev.ct.dst, r->ct_dst, 16);
	}
	if ((r->flags & DWB_HAS_DATA) && r->data_len) {
		ev.payload = r->data;
		ev.payload_len = r->data_len;
	} else {
		ev.has |= DROP_NO_PAYLOAD;
	}
	stack_of(b, r->stack_id, r->location, &ev);
	if ((r->flags & DWB_HAS_JOURNEY) && len >= sizeof(*r))
		ev.journey = bpf_journey_of(b, r);
	b->ret = b->fn(&ev, b->arg);
	return b->ret ? -ECANCELED : 0;	/* a non-zero answer stops the read */
}

static bool same_key(const void *entry, const void *key)
{
	return !memcmp(&((const struct last *)entry)->k, key, sizeof(struct dwb_key));
}

/* The entry of @k in the totals last handed out (added at 0 when new); NULL: no memory. */
static struct last *last_of(struct tally *t, const struct dwb_key *k)
{
	struct last *l;
	bool created;

	l = hmap_get(&t->last, util_hash((const char *)k, sizeof(*k)), same_key, k, &created);
	if (l && created)
		l->k = *k;
	return l;
}

/*
 * What each location, reason, namespace and port of @map gained since the last
 * time, as summary events (@more: DROP_KERNEL_FILTERED for the filtered drops').
 */
static int flush_counts(struct bpf_source *b, struct bpf_map *map, struct tally *t,
			unsigned int more)
{
	int fd = bpf_map__fd(map), ret = 0;
	struct dwb_key k, next, *prev = NULL;
	char rbuf[16];

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct drop_event ev = { .summary = true };
		uint64_t total = 0;
		struct last *l;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, b->pcpu))
			continue;
		for (int c = 0; c < b->ncpus; c++)
			total += b->pcpu[c];
		l = last_of(t, &k);
		if (!l || total <= l->total)
			continue;
		ev.count = (uint32_t)(total - l->total > UINT32_MAX ? UINT32_MAX : total - l->total);
		l->total += ev.count;
		ev.has = DROP_HAS_PC | DROP_NO_PAYLOAD | more;
		ev.kernel_filtered = more ? 0 : b->kmask;
		ev.pc = k.location;
		ev.reason = b->nargs >= 3 ? reason_of(b, k.reason, rbuf, sizeof(rbuf)) : NULL;
		if (k.ifindex) {
			ev.has |= DROP_HAS_IFINDEX;
			ev.ifindex = k.ifindex;
		}
		if (k.netns) {
			ev.has |= DROP_HAS_NETNS;
			ev.netns = k.netns;
		}
		stack_of(b, k.stack_id, k.location, &ev);
		ret = b->fn(&ev, b->arg);
	}
	return ret;
}

static int drops_flush(struct bpf_source *b)
{
	int ret = 0;

	if (b->summary)
		ret = flush_counts(b, b->skel->maps.counts, &b->counts, 0);
	if (!ret && b->filters)
		ret = flush_counts(b, b->skel->maps.hidden, &b->hidden, DROP_KERNEL_FILTERED);
	return ret;
}

static void drops_reset(struct bpf_source *b)
{
	tally_reset(&b->counts);
	tally_reset(&b->hidden);
	free(b->chain);			/* the ids were the last map's */
	b->chain = NULL;
}

const struct bpf_collector bpf_drops = {
	.name = "drops",
	.choose = drops_choose,
	.rec_type = DWB_REC_DROP,
	.rec_min = DWB_RECORD_BASE,
	.record = on_record,
	.flush = drops_flush,
	.reset = drops_reset,
};
