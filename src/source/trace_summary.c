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
#include "util.h"

static uint32_t sum_hash(uint64_t pc, int32_t reason, const uint64_t *ips, uint32_t nr)
{
	uint64_t h = pc * 0x9e3779b97f4a7c15ull ^ (uint32_t)reason;
	uint32_t i;

	for (i = 0; i < nr; i++)
		h = (h ^ ips[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

/* What a count is found by: the record's location and reason, and its call chain. */
struct sum_key {
	const struct tp_record *rec;
	const uint64_t *ips, *pool;
	uint32_t nr;
};

static bool sum_eq(const void *entry, const void *key)
{
	const struct sum_entry *e = entry;
	const struct sum_key *k = key;

	return e->pc == k->rec->location && e->reason == k->rec->reason &&
	       e->has_reason == k->rec->has_reason && e->nr == k->nr &&
	       (!k->nr || !memcmp(k->pool + e->stack_at, k->ips, k->nr * sizeof(uint64_t)));
}

int trace_summary_add(struct trace_src *t, const struct tp_record *rec, const struct tp_sample *s)
{
	uint32_t nr = t->opts.stack ? s->nr_ips : 0;
	struct sum_key k = { .rec = rec, .ips = s->ips, .pool = t->pool, .nr = nr };
	struct sum_entry *e;
	bool created;

	e = hmap_get(&t->sum, sum_hash(rec->location, rec->reason, s->ips, nr), sum_eq, &k,
		     &created);
	if (!e)
		return -ENOMEM;
	if (!created) {
		e->count++;
		return 0;
	}
	if (util_grow(&t->pool, &t->pool_cap, t->pool_len + nr, sizeof(*t->pool), 4096)) {
		hmap_del(&t->sum, e);
		return -ENOMEM;
	}
	if (nr)
		memcpy(t->pool + t->pool_len, s->ips, nr * sizeof(uint64_t));
	*e = (struct sum_entry){
		.has_reason = rec->has_reason,
		.reason = rec->reason,
		.pc = rec->location,
		.nr = nr,
		.stack_at = (uint32_t)t->pool_len,
		.count = 1,
	};
	t->pool_len += nr;
	return 0;
}

/*
 * Every count gained since the last flush, as summary events. A count handed out stays
 * in the table at 0 until every one is: a flush that @fn stops goes on from there.
 */
int trace_flush(struct trace_src *t, drop_event_fn fn, void *arg)
{
	struct sum_entry *e;
	int ret = 0;

	for (e = hmap_next(&t->sum, NULL); e; e = hmap_next(&t->sum, e)) {
		struct drop_event ev;

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
	}
	hmap_clear(&t->sum);
	t->pool_len = 0;
	return 0;
}
