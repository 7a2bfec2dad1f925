// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoint source's summary: skb:kfree_skb's records counted here by location,
 * reason and call chain, handed out as summary events at each flush.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_int.h"

static uint32_t sum_hash(uint64_t pc, int32_t reason, const uint64_t *ips, uint32_t nr)
{
	uint64_t h = pc * 0x9e3779b97f4a7c15ull ^ (uint32_t)reason;
	uint32_t i;

	for (i = 0; i < nr; i++)
		h = (h ^ ips[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

static int sum_grow(struct trace_src *t)
{
	size_t cap = t->sum_cap ? t->sum_cap * 2 : 256, i;
	struct sum_entry *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < t->sum_cap; i++) {
		size_t j;

		if (!t->sum[i].used)
			continue;
		for (j = t->sum[i].hash & (cap - 1); n[j].used; j = (j + 1) & (cap - 1))
			;
		n[j] = t->sum[i];
	}
	free(t->sum);
	t->sum = n;
	t->sum_cap = cap;
	return 0;
}

int trace_summary_add(struct trace_src *t, const struct tp_record *rec, const struct tp_sample *s)
{
	uint32_t nr = t->opts.stack ? s->nr_ips : 0;
	uint32_t h = sum_hash(rec->location, rec->reason, s->ips, nr);
	size_t j;

	if ((t->sum_used + 1) * 4 > t->sum_cap * 3 && sum_grow(t))
		return -ENOMEM;
	for (j = h & (t->sum_cap - 1); t->sum[j].used; j = (j + 1) & (t->sum_cap - 1)) {
		struct sum_entry *e = &t->sum[j];

		if (e->hash == h && e->pc == rec->location && e->reason == rec->reason &&
		    e->has_reason == rec->has_reason && e->nr == nr &&
		    (!nr || !memcmp(t->pool + e->stack_at, s->ips, nr * sizeof(uint64_t)))) {
			e->count++;
			return 0;
		}
	}
	if (t->pool_len + nr > t->pool_cap) {
		size_t cap = t->pool_cap ? t->pool_cap * 2 : 4096;
		uint64_t *p;

		while (cap < t->pool_len + nr)
			cap *= 2;
		p = realloc(t->pool, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->pool = p;
		t->pool_cap = cap;
	}
	if (nr)
		memcpy(t->pool + t->pool_len, s->ips, nr * sizeof(uint64_t));
	t->sum[j] = (struct sum_entry){
		.used = true,
		.has_reason = rec->has_reason,
		.reason = rec->reason,
		.pc = rec->location,
		.nr = nr,
		.stack_at = t->pool_len,
		.hash = h,
		.count = 1,
	};
	t->pool_len += nr;
	t->sum_used++;
	return 0;
}

int trace_flush(struct trace_src *t, drop_event_fn fn, void *arg)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < t->sum_cap && t->sum_used; i++) {
		struct sum_entry *e = &t->sum[i];
		struct drop_event ev;

		if (!e->used)
			continue;
		while (e->count && !ret) {
			uint32_t n = e->count > UINT32_MAX ? UINT32_MAX : (uint32_t)e->count;

			memset(&ev, 0, sizeof(ev));
			ev.origin = DROP_ORIGIN_SW;
			ev.summary = true;
			ev.has = DROP_HAS_PC | DROP_NO_PAYLOAD;
			ev.count = n;
			ev.pc = e->pc;
			ev.reason = e->has_reason ? trace_reason_name(t, e->reason) : NULL;
			ev.stack = e->nr ? t->pool + e->stack_at : NULL;
			ev.stack_len = e->nr;
			e->count -= n;
			ret = fn(&ev, arg);
		}
		if (ret)
			return ret;
		e->used = false;
		t->sum_used--;
	}
	t->sum_used = 0;
	t->pool_len = 0;
	return 0;
}
