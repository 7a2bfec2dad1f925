// SPDX-License-Identifier: GPL-2.0-or-later
/* The tracker of skbs' journeys, its reorder buffer and a latency histogram (journey.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey.h"

const char *const jstep_names[JSTEP_KINDS] = {
	[JSTEP_BACKLOG] = "backlog", [JSTEP_RX] = "rx", [JSTEP_QUEUE] = "queue",
	[JSTEP_XMIT] = "xmit", [JSTEP_DELIVER] = "deliver", [JSTEP_DROP] = "drop",
	[JSTEP_FREE] = "free",
};

struct track {
	uint64_t skb;		/* 0: a free slot (no skb lives at 0) */
	uint32_t n, omitted;
	struct jstep step[JOURNEY_STEPS];
};

struct journey_tracker {
	struct track *slot;	/* open addressing, linear probing, power of two */
	size_t size;
	uint32_t cap;
	uint64_t ttl, last_sweep;
	struct journey_stats st;
};

static size_t home(const struct journey_tracker *j, uint64_t skb)
{
	return (size_t)((skb * 0x9e3779b97f4a7c15ull) >> 17) & (j->size - 1);
}

struct journey_tracker *journey_new(uint32_t cap, uint64_t ttl_ns)
{
	struct journey_tracker *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	if (!cap)
		cap = 1;
	j->cap = cap;
	j->ttl = ttl_ns ? ttl_ns : JOURNEY_TTL_DEFAULT;
	/* At most three quarters full: probes stay short. */
	for (j->size = 4; j->size * 3 < (size_t)cap * 4; j->size <<= 1)
		;
	j->slot = calloc(j->size, sizeof(*j->slot));
	if (!j->slot) {
		free(j);
		return NULL;
	}
	return j;
}

void journey_free(struct journey_tracker *j)
{
	if (!j)
		return;
	free(j->slot);
	free(j);
}

void journey_reset(struct journey_tracker *j)
{
	memset(j->slot, 0, j->size * sizeof(*j->slot));
	memset(&j->st, 0, sizeof(j->st));
	j->last_sweep = 0;
}

const struct journey_stats *journey_stats(const struct journey_tracker *j)
{
	return &j->st;
}

static struct track *find(struct journey_tracker *j, uint64_t skb)
{
	size_t i;

	for (i = home(j, skb); j->slot[i].skb; i = (i + 1) & (j->size - 1))
		if (j->slot[i].skb == skb)
			return &j->slot[i];
	return NULL;
}

/* Empties slot @i, moving back the entries after it that probed past it. */
static void delete_at(struct journey_tracker *j, size_t i)
{
	size_t mask = j->size - 1, k, h;

	for (k = (i + 1) & mask; j->slot[k].skb; k = (k + 1) & mask) {
		h = home(j, j->slot[k].skb);
		/* Stays when its home lies cyclically in (i, k]. */
		if (i <= k ? (h > i && h <= k) : (h > i || h <= k))
			continue;
		j->slot[i] = j->slot[k];
		i = k;
	}
	j->slot[i].skb = 0;
	j->st.active--;
}

static bool expired(const struct journey_tracker *j, const struct track *t, uint64_t now)
{
	return now > t->step[t->n - 1].time && now - t->step[t->n - 1].time > j->ttl;
}

/* Ends the tracks older than the time to live (a free we did not see). */
static void sweep(struct journey_tracker *j, uint64_t now)
{
	size_t i = 0;

	j->last_sweep = now;
	while (i < j->size) {
		if (j->slot[i].skb && expired(j, &j->slot[i], now)) {
			delete_at(j, i);
			j->st.expired++;
			continue;	/* another entry may have moved here */
		}
		i++;
	}
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
	struct track *t = find(j, skb);
	size_t i;

	if (t && expired(j, t, s->time)) {
		j->st.expired++;
		j->st.tracks++;
		t->n = t->omitted = 0;
	}
	if (!t && s->kind == JSTEP_XMIT)
		return 0;	/* the driver may have freed it: the address may be another's now */
	if (!t) {
		if (j->st.active >= j->cap && s->time - j->last_sweep >= j->ttl / 4)
			sweep(j, s->time);
		if (j->st.active >= j->cap) {
			j->st.overflow++;
			return -ENOSPC;
		}
		for (i = home(j, skb); j->slot[i].skb; i = (i + 1) & (j->size - 1))
			;
		t = &j->slot[i];
		t->skb = skb;
		t->n = t->omitted = 0;
		j->st.active++;
		j->st.tracks++;
	}
	append(t, s);
	return 0;
}

void journey_end(struct journey_tracker *j, uint64_t skb, const struct jstep *s,
		 struct journey *out)
{
	struct track *t = find(j, skb);

	out->n = 0;
	out->omitted = 0;
	out->tracked = false;
	if (t && !expired(j, t, s->time)) {
		memcpy(out->step, t->step, t->n * sizeof(t->step[0]));
		out->n = t->n;
		out->omitted = t->omitted;
		out->tracked = true;
		j->st.ended++;
	} else if (t) {
		j->st.expired++;
	}
	if (t)
		delete_at(j, (size_t)(t - j->slot));
	out->step[out->n++] = *s;
}

int journey_flush(struct journey_tracker *j, int (*fn)(const struct journey *jn, void *arg),
		  void *arg)
{
	struct journey jn;
	size_t i;
	int ret = 0;

	/* Every slot is emptied, handed out or not: no probe chain is left broken. */
	for (i = 0; i < j->size; i++) {
		struct track *t = &j->slot[i];

		if (!t->skb)
			continue;
		memcpy(jn.step, t->step, t->n * sizeof(t->step[0]));
		jn.n = t->n;
		jn.omitted = t->omitted;
		jn.tracked = true;
		t->skb = 0;
		j->st.active--;
		if (!ret)
			ret = fn(&jn, arg);
	}
	return ret;
}

bool journey_ended(const struct journey *jn)
{
	return jn->n && (jn->step[jn->n - 1].kind == JSTEP_DROP ||
			 jn->step[jn->n - 1].kind == JSTEP_FREE);
}

uint64_t journey_lived(const struct journey *jn)
{
	if (!jn->tracked || jn->n < 2 || jn->step[jn->n - 1].time < jn->step[0].time)
		return 0;
	return jn->step[jn->n - 1].time - jn->step[0].time;
}

/* The reorder buffer. */

struct held {
	uint64_t time, seq;
	size_t off, len;
};

struct journey_queue {
	struct held *h;
	size_t n, cap;
	uint8_t *bytes;
	size_t used, bytes_cap;
	uint64_t seq;
};

struct journey_queue *jqueue_new(void)
{
	return calloc(1, sizeof(struct journey_queue));
}

void jqueue_free(struct journey_queue *q)
{
	if (!q)
		return;
	free(q->h);
	free(q->bytes);
	free(q);
}

size_t jqueue_held(const struct journey_queue *q)
{
	return q->n;
}

int jqueue_add(struct journey_queue *q, uint64_t time, const void *rec, size_t len)
{
	if (q->n == q->cap) {
		size_t c = q->cap ? 2 * q->cap : 256;
		struct held *h = realloc(q->h, c * sizeof(*h));

		if (!h)
			return -ENOMEM;
		q->h = h;
		q->cap = c;
	}
	if (q->used + len > q->bytes_cap) {
		size_t c = q->bytes_cap ? 2 * q->bytes_cap : 64u << 10;
		uint8_t *b;

		while (c < q->used + len)
			c *= 2;
		b = realloc(q->bytes, c);
		if (!b)
			return -ENOMEM;
		q->bytes = b;
		q->bytes_cap = c;
	}
	memcpy(q->bytes + q->used, rec, len);
	q->h[q->n++] = (struct held){ .time = time, .seq = q->seq++, .off = q->used, .len = len };
	q->used += len;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int jqueue_release(struct journey_queue *q, uint64_t upto,
		   int (*fn)(const void *rec, size_t len, void *arg), void *arg)
{
	size_t i, k, used;
	uint8_t *b;
	int ret = 0;

	if (!q->n)
		return 0;
	qsort(q->h, q->n, sizeof(*q->h), by_time);
	for (i = 0; i < q->n && q->h[i].time <= upto && !ret; i++)
		ret = fn(q->bytes + q->h[i].off, q->h[i].len, arg);
	k = q->n - i;
	memmove(q->h, q->h + i, k * sizeof(*q->h));
	q->n = k;
	if (!k) {
		q->used = 0;
		return ret;
	}
	/* What stays goes to a new buffer, in order (its offsets are not, after the sort). */
	b = malloc(q->bytes_cap);
	if (!b)
		return ret;	/* it stays where it is, the buffer grows */
	for (k = 0, used = 0; k < q->n; k++) {
		memcpy(b + used, q->bytes + q->h[k].off, q->h[k].len);
		q->h[k].off = used;
		used += q->h[k].len;
	}
	free(q->bytes);
	q->bytes = b;
	q->used = used;
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
