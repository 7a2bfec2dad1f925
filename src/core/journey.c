// SPDX-License-Identifier: GPL-2.0-or-later
/* The tracker of skbs' journeys, its merge buffer and a latency histogram (journey.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey.h"
#include "util.h"

const char *const jstep_names[JSTEP_KINDS] = {
	[JSTEP_BACKLOG] = "backlog", [JSTEP_RX] = "rx", [JSTEP_QUEUE] = "queue",
	[JSTEP_XMIT] = "xmit", [JSTEP_DELIVER] = "deliver", [JSTEP_DROP] = "drop",
	[JSTEP_FREE] = "free", [JSTEP_GRO] = "gro",
};

struct track {
	uint32_t n, omitted;
	struct jstep step[JOURNEY_STEPS];
};

struct journey_tracker {
	struct u64map map;	/* skb -> struct track */
	struct journey_stats st;
};

struct journey_tracker *journey_new(uint32_t cap)
{
	struct journey_tracker *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	if (u64map_init(&j->map, cap ? cap : 1, sizeof(struct track))) {
		free(j);
		return NULL;
	}
	return j;
}

void journey_free(struct journey_tracker *j)
{
	if (!j)
		return;
	u64map_fini(&j->map);
	free(j);
}

void journey_reset(struct journey_tracker *j)
{
	u64map_clear(&j->map);
	memset(&j->st, 0, sizeof(j->st));
}

const struct journey_stats *journey_stats(const struct journey_tracker *j)
{
	return &j->st;
}

static void append(struct track *t, const struct jstep *s)
{
	if (t->n == JOURNEY_STEPS) {
		/* Keep the first; the second leaves. */
		memmove(&t->step[1], &t->step[2], (JOURNEY_STEPS - 2) * sizeof(t->step[0]));
		t->n--;
		t->omitted++;
	}
	t->step[t->n++] = *s;
}

int journey_step(struct journey_tracker *j, uint64_t skb, const struct jstep *s)
{
	int created;
	struct track *t = u64map_get(&j->map, skb, &created);

	if (!t) {
		j->st.overflow++;
		return -ENOSPC;
	}
	if (created) {
		j->st.tracks++;
		j->st.active++;
	}
	append(t, s);
	return 0;
}

void journey_end(struct journey_tracker *j, uint64_t skb, const struct jstep *s,
		 struct journey *out)
{
	struct track *t = u64map_find(&j->map, skb);

	out->n = 0;
	out->omitted = 0;
	out->tracked = false;
	if (t) {
		memcpy(out->step, t->step, t->n * sizeof(t->step[0]));
		out->n = t->n;
		out->omitted = t->omitted;
		out->tracked = true;
		j->st.ended++;
		j->st.active--;
		u64map_del(&j->map, skb, t);
	}
	out->step[out->n++] = *s;
}

void journey_forget(struct journey_tracker *j, uint64_t skb)
{
	struct track *t = u64map_find(&j->map, skb);

	if (!t)
		return;
	u64map_del(&j->map, skb, t);
	j->st.active--;
	j->st.late++;
}

void journey_abandon(struct journey_tracker *j)
{
	j->st.abandoned += j->st.active;
	j->st.active = 0;
	u64map_clear(&j->map);
}

uint64_t journey_lived(const struct journey *jn)
{
	if (!jn->tracked || jn->n < 2 || jn->step[jn->n - 1].time < jn->step[0].time)
		return 0;
	return jn->step[jn->n - 1].time - jn->step[0].time;
}

/*
 * The merge buffer. Each ring's held records in time order (a ring is nearly in order
 * already: a record put in from the back moves past the few later ones); their bytes in
 * one buffer, made anew with what stays after each release. The rings' first records
 * are merged through a heap.
 */

struct held {
	uint64_t time, seq;
	size_t off, len;
};

struct hring {
	struct held *h;		/* h[start .. start + n) */
	size_t start, n, cap;
};

struct journey_queue {
	struct hring *ring;
	unsigned int nring;
	unsigned int *heap;	/* rings with records, by their first one's (time, seq) */
	uint8_t *bytes;
	size_t used, bytes_cap, held;
	uint64_t seq;
	uint64_t out_time;	/* the time of the last record handed out */
};

struct journey_queue *jqueue_new(unsigned int rings)
{
	struct journey_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->nring = rings ? rings : 1;
	q->ring = calloc(q->nring, sizeof(*q->ring));
	q->heap = calloc(q->nring, sizeof(*q->heap));
	if (!q->ring || !q->heap) {
		jqueue_free(q);
		return NULL;
	}
	return q;
}

void jqueue_free(struct journey_queue *q)
{
	unsigned int i;

	if (!q)
		return;
	for (i = 0; q->ring && i < q->nring; i++)
		free(q->ring[i].h);
	free(q->ring);
	free(q->heap);
	free(q->bytes);
	free(q);
}

size_t jqueue_held(const struct journey_queue *q)
{
	return q->held;
}

static bool before(const struct held *a, const struct held *b)
{
	return a->time != b->time ? a->time < b->time : a->seq < b->seq;
}

int jqueue_add(struct journey_queue *q, unsigned int ring, uint64_t time, const void *rec,
	       size_t len)
{
	struct hring *r = &q->ring[ring < q->nring ? ring : q->nring - 1];
	struct held x, *h;
	size_t i;

	if (time < q->out_time)
		return JQUEUE_LATE;
	if (r->start + r->n == r->cap) {
		if (r->start) {
			memmove(r->h, r->h + r->start, r->n * sizeof(*r->h));
			r->start = 0;
		} else if (util_grow(&r->h, &r->cap, r->n + 1, sizeof(*r->h), 256)) {
			return -ENOMEM;
		}
	}
	if (util_grow(&q->bytes, &q->bytes_cap, q->used + len, 1, 64u << 10))
		return -ENOMEM;
	memcpy(q->bytes + q->used, rec, len);
	x = (struct held){ .time = time, .seq = q->seq++, .off = q->used, .len = len };
	q->used += len;
	/* From the back: a ring's records are nearly in order. */
	h = r->h + r->start;
	for (i = r->n; i > 0 && before(&x, &h[i - 1]); i--)
		h[i] = h[i - 1];
	h[i] = x;
	r->n++;
	q->held++;
	return 0;
}

static const struct held *first(const struct journey_queue *q, unsigned int ring)
{
	return &q->ring[ring].h[q->ring[ring].start];
}

static void sift_down(struct journey_queue *q, unsigned int *heap, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		unsigned int t;

		if (l < n && before(first(q, heap[l]), first(q, heap[m])))
			m = l;
		if (l + 1 < n && before(first(q, heap[l + 1]), first(q, heap[m])))
			m = l + 1;
		if (m == i)
			return;
		t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

/* The bytes of what is still held, into a buffer of their own. */
static void compact(struct journey_queue *q)
{
	uint8_t *b;
	size_t used = 0;
	unsigned int i;

	if (!q->held) {
		q->used = 0;
		return;
	}
	b = malloc(q->bytes_cap);
	if (!b)
		return;	/* it stays where it is, the buffer grows */
	for (i = 0; i < q->nring; i++) {
		struct hring *r = &q->ring[i];

		for (size_t k = r->start; k < r->start + r->n; k++) {
			memcpy(b + used, q->bytes + r->h[k].off, r->h[k].len);
			r->h[k].off = used;
			used += r->h[k].len;
		}
	}
	free(q->bytes);
	q->bytes = b;
	q->used = used;
}

int jqueue_release(struct journey_queue *q, uint64_t upto,
		   int (*fn)(const void *rec, size_t len, void *arg), void *arg)
{
	size_t n = 0, i;
	int ret = 0;

	if (!q->held)
		return 0;
	for (i = 0; i < q->nring; i++)
		if (q->ring[i].n)
			q->heap[n++] = (unsigned int)i;
	for (i = n / 2; i-- > 0;)
		sift_down(q, q->heap, n, i);
	while (n && !ret) {
		struct hring *r = &q->ring[q->heap[0]];
		const struct held *h = &r->h[r->start];

		if (h->time > upto)
			break;
		q->out_time = h->time;
		r->start++;
		r->n--;
		q->held--;
		ret = fn(q->bytes + h->off, h->len, arg);
		if (!r->n) {
			r->start = 0;
			q->heap[0] = q->heap[--n];
		}
		sift_down(q, q->heap, n, 0);
	}
	compact(q);
	return ret;
}

/* The histogram. */

static unsigned int bucket_of(uint64_t v)
{
	unsigned int e;

	if (v < 16)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);
	return 16 + (e - 4) * 8 + (unsigned int)((v >> (e - 3)) & 7);
}

static uint64_t bucket_mid(unsigned int b)
{
	unsigned int e, sub;

	if (b < 16)
		return b;
	e = (b - 16) / 8 + 4;
	sub = (b - 16) % 8;
	return ((8ull + sub) << (e - 3)) + (1ull << (e - 3)) / 2;
}

void jhist_add(struct jhist *h, uint64_t v)
{
	h->bucket[bucket_of(v)]++;
	h->n++;
}

uint64_t jhist_quantile(const struct jhist *h, double q)
{
	uint64_t rank, sum = 0;
	unsigned int b;

	if (!h->n)
		return 0;
	rank = (uint64_t)(q * (double)h->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->n)
		rank = h->n;
	for (b = 0; b < JHIST_BUCKETS; b++) {
		sum += h->bucket[b];
		if (sum >= rank)
			return bucket_mid(b);
	}
	return bucket_mid(JHIST_BUCKETS - 1);
}

const char *jhist_dur(char *buf, size_t size, uint64_t ns)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} u[] = { { 1000000000ull, "s" }, { 1000000ull, "ms" }, { 1000ull, "us" } };
	size_t i;

	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (ns >= u[i].div) {
			double v = (double)ns / (double)u[i].div;

			snprintf(buf, size, v < 10 ? "%.1f%s" : "%.0f%s", v, u[i].unit);
			return buf;
		}
	snprintf(buf, size, "%lluns", (unsigned long long)ns);
	return buf;
}
