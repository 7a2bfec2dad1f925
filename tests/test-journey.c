// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Journeys: the tracker and its reorder buffer on event streams recorded on Linux 6.18
 * (tests/fixtures/journey-stream-6.18.cpuN, by record-journey.sh: a closed port, a full
 * receive buffer, a tbf overflowing then deleted with packets in it; receive steered to
 * the other CPU, skb addresses reused at once), read ring by ring in drains as the
 * tracepoint source reads them and held against a reference that walks the stream in
 * time order; then constructed streams: clones, CPU migration, out-of-order rings,
 * expiry, a full table, long journeys. The journey's tracepoints' formats recorded on
 * 6.1, 6.12 and 6.18, and records cut at every length; the latency histogram.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jevent.h"
#include "journey.h"
#include "times.h"
#include "fixture.h"

/* One event of a recorded stream. */
struct ev {
	uint64_t time, skb;
	unsigned int cpu;
	int kind;		/* enum jstep_kind */
	char dev[16], reason[32];
	uint64_t seq;		/* its place in its ring */
	bool probe;		/* a kprobe's free, not a tracepoint's */
};

struct stream {
	struct ev *ev;
	size_t n, cap;
	size_t ring_start[8], ring_len[8];
	unsigned int rings;
};

static int kind_of(const char *name)
{
	static const char *const tp[] = {
		[JSTEP_BACKLOG] = "netif_rx", [JSTEP_RX] = "netif_receive_skb",
		[JSTEP_QUEUE] = "net_dev_queue", [JSTEP_XMIT] = "net_dev_start_xmit",
		[JSTEP_DELIVER] = "skb_copy_datagram_iovec", [JSTEP_DROP] = "kfree_skb",
		[JSTEP_FREE] = "consume_skb", [JSTEP_GRO] = "napi_gro_receive_entry",
	};
	int k;

	if (!strcmp(name, "free"))
		return JSTEP_FREE;	/* a kprobe's: a free no tracepoint reports */
	for (k = 0; k < JSTEP_KINDS; k++)
		if (!strcmp(tp[k], name))
			return k;
	fail_msg("unknown event %s", name);
	return -1;
}

static void load_ring(struct stream *s, const char *name, unsigned int cpu)
{
	FILE *f = fopen(fixture_path(name), "r");
	char line[512];

	if (!f)
		fail_msg("%s: missing", name);
	s->ring_start[cpu] = s->n;
	while (fgets(line, sizeof(line), f)) {
		char evname[64], *p;
		struct ev *e;

		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 256;
			s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
			assert_non_null(s->ev);
		}
		e = &s->ev[s->n];
		memset(e, 0, sizeof(*e));
		assert_int_equal(sscanf(line, "%" SCNu64 " %63s %" SCNx64, &e->time, evname, &e->skb), 3);
		e->kind = kind_of(evname);
		e->probe = !strcmp(evname, "free");
		e->cpu = cpu;
		e->seq = s->n - s->ring_start[cpu];
		if ((p = strstr(line, "dev=")))
			sscanf(p, "dev=%15s", e->dev);
		if ((p = strstr(line, "reason=")))
			sscanf(p, "reason=%31s", e->reason);
		s->n++;
	}
	fclose(f);
	s->ring_len[cpu] = s->n - s->ring_start[cpu];
	s->rings = cpu + 1;
}

/* "journey-stream-6.18", "journey-tcp-6.12": its two rings; @nofree leaves the kprobes' out. */
static void load(struct stream *s, const char *name, bool nofree)
{
	char file[96];
	unsigned int cpu;
	size_t i, k;

	memset(s, 0, sizeof(*s));
	for (cpu = 0; cpu < 2; cpu++) {
		snprintf(file, sizeof(file), "%s.cpu%u", name, cpu);
		load_ring(s, file, cpu);
		if (!nofree)
			continue;
		for (i = k = s->ring_start[cpu]; i < s->n; i++)
			if (!s->ev[i].probe)
				s->ev[k++] = s->ev[i];
		s->n = k;
		s->ring_len[cpu] = s->n - s->ring_start[cpu];
	}
}

/* What the tracker made of each drop, in the order handed out. */
struct result {
	const struct ev *drop;
	struct journey jn;
};

struct run {
	struct journey_tracker *jt;
	struct result *res;
	size_t nres;
	uint64_t last_time;
	bool in_order;
	bool frees;		/* the journeys that end in a free too */
};

static int feed(const void *rec, size_t len, void *arg)
{
	const struct ev *e = *(const struct ev *const *)rec;
	struct run *r = arg;
	struct jstep st;

	assert_int_equal(len, sizeof(e));
	if (e->time < r->last_time)
		r->in_order = false;
	r->last_time = e->time;
	memset(&st, 0, sizeof(st));
	st.time = e->time;
	st.cpu = (uint16_t)e->cpu;
	st.kind = (uint8_t)e->kind;
	snprintf(st.dev, sizeof(st.dev), "%s", e->dev);
	if (e->kind == JSTEP_DROP) {
		r->res[r->nres].drop = e;
		journey_end(r->jt, e->skb, &st, &r->res[r->nres].jn);
		r->nres++;
	} else if (e->kind == JSTEP_FREE) {
		struct journey gone;

		journey_end(r->jt, e->skb, &st, r->frees ? &r->res[r->nres].jn : &gone);
		if (r->frees)
			r->res[r->nres++].drop = e;
	} else {
		journey_step(r->jt, e->skb, &st);
	}
	return 0;
}

/*
 * The stream read as the source reads it: in drains, each taking from every ring what it
 * holds up to a moment, released up to that moment less @hold.
 */
static void replay(const struct stream *s, struct run *r, uint64_t hold, unsigned int drains)
{
	struct journey_queue *q = jqueue_new(s->rings);
	size_t at[8] = { 0 };
	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned int d, c;
	bool frees = r->frees;
	size_t i;

	assert_non_null(q);
	memset(r, 0, sizeof(*r));
	r->frees = frees;
	r->in_order = true;
	r->jt = journey_new(JOURNEY_MAX_DEFAULT);
	r->res = calloc(s->n, sizeof(*r->res));
	assert_non_null(r->jt);
	assert_non_null(r->res);
	for (i = 0; i < s->n; i++) {
		lo = s->ev[i].time < lo ? s->ev[i].time : lo;
		hi = s->ev[i].time > hi ? s->ev[i].time : hi;
	}
	for (d = 1; d <= drains; d++) {
		uint64_t now = d == drains ? UINT64_MAX : lo + (hi - lo) / drains * d;

		for (c = 0; c < s->rings; c++)
			while (at[c] < s->ring_len[c] && s->ev[s->ring_start[c] + at[c]].time <= now) {
				const struct ev *e = &s->ev[s->ring_start[c] + at[c]];

				assert_int_equal(jqueue_add(q, c, e->time, &e, sizeof(e)), 0);
				at[c]++;
			}
		assert_int_equal(jqueue_release(q, now == UINT64_MAX ? now : now - hold, feed, r), 0);
	}
	assert_int_equal(jqueue_held(q), 0);
	jqueue_free(q);
}

static void run_free(struct run *r)
{
	journey_free(r->jt);
	free(r->res);
}

/* The reference: each drop's events since its address's last drop or free, in time order. */
static size_t reference(const struct stream *s, const struct ev *drop, const struct ev **out,
			size_t max)
{
	const struct ev **all = calloc(s->n, sizeof(*all));
	size_t i, j, m = 0, n = 0;

	assert_non_null(all);
	/* The address's events up to the drop, sorted by time (ring order between equals). */
	for (i = 0; i < s->n; i++) {
		const struct ev *e = &s->ev[i];

		if (e->skb != drop->skb || e == drop || e->time > drop->time)
			continue;
		for (j = m; j > 0 && all[j - 1]->time > e->time; j--)
			all[j] = all[j - 1];
		all[j] = e;
		m++;
	}
	for (i = 0; i < m; i++) {
		if (jstep_ends(all[i]->kind)) {
			n = 0;		/* an earlier life of the address: everything before goes */
			continue;
		}
		if (n < max)
			out[n++] = all[i];
	}
	free(all);
	return n;
}

static void check_against_reference(const char *name)
{
	static const unsigned int drains[] = { 1, 3, 17, 200 };
	struct stream s;
	size_t d, i, k;

	load(&s, name, false);
	assert_true(s.ring_len[0] > 0 && s.ring_len[1] > 0);
	for (d = 0; d < sizeof(drains) / sizeof(drains[0]); d++) {
		struct run r = { .frees = false };
		size_t drops = 0, reused = 0;

		/* A hold longer than the drain's slice: nothing can come in late. */
		replay(&s, &r, UINT64_MAX / 4, drains[d]);
		assert_true(r.in_order);
		for (i = 0; i < s.n; i++)
			drops += s.ev[i].kind == JSTEP_DROP;
		assert_int_equal(r.nres, drops);
		for (i = 0; i < r.nres; i++) {
			const struct ev *want[256];
			const struct journey *jn = &r.res[i].jn;
			size_t n = reference(&s, r.res[i].drop, want, 256);

			/* Its steps as the reference has them, the first and the last ones kept. */
			assert_int_equal(jn->tracked, n > 0);
			assert_int_equal(jn->n, (n > JOURNEY_STEPS ? JOURNEY_STEPS : n) + 1);
			assert_int_equal(jn->omitted, n > JOURNEY_STEPS ? n - JOURNEY_STEPS : 0);
			for (k = 0; k + 1 < jn->n; k++) {
				const struct ev *e = want[k ? k + jn->omitted : 0];

				assert_int_equal(jn->step[k].time, e->time);
				assert_int_equal(jn->step[k].kind, e->kind);
				assert_int_equal(jn->step[k].cpu, e->cpu);
				assert_string_equal(jn->step[k].dev, e->dev);
			}
			assert_int_equal(jn->step[jn->n - 1].kind, JSTEP_DROP);
			assert_int_equal(jn->step[jn->n - 1].time, r.res[i].drop->time);
			if (jn->tracked)
				assert_int_equal(journey_lived(jn),
						 r.res[i].drop->time - jn->step[0].time);
		}
		/* The stream reuses addresses: the same skb address dropped more than once. */
		for (i = 0; i < r.nres; i++)
			for (k = i + 1; k < r.nres; k++)
				if (r.res[i].drop->skb == r.res[k].drop->skb) {
					reused++;
					break;
				}
		assert_true(reused > 0);
		run_free(&r);
	}
	free(s.ev);
}

static void test_recorded_stream(void **state)
{
	(void)state;
	check_against_reference("journey-stream-6.18");
	check_against_reference("journey-tcp-6.12");
}

/* The journeys the set-up implies: by reason, the steps without the backlog, and CPUs. */
static void test_recorded_paths(void **state)
{
	struct stream s;
	struct run r = { .frees = false };
	size_t i, k, closed = 0, rcvbuf = 0, qdisc = 0, queued = 0;

	(void)state;
	load(&s, "journey-stream-6.18", false);
	replay(&s, &r, UINT64_MAX / 4, 9);
	for (i = 0; i < r.nres; i++) {
		const struct journey *jn = &r.res[i].jn;
		const char *reason = r.res[i].drop->reason;
		char path[256] = "";
		bool cross = false;

		for (k = 0; k + 1 < jn->n; k++) {
			if (jn->step[k].kind == JSTEP_BACKLOG)
				continue;
			snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%s:%s",
				 path[0] ? "," : "", jstep_names[jn->step[k].kind], jn->step[k].dev);
			if (k && jn->step[k].cpu != jn->step[0].cpu)
				cross = true;
		}
		if (!strcmp(reason, "NO_SOCKET") && strstr(path, "dwrb")) {
			/* Sent on CPU 0, received on CPU 1 (RPS). */
			assert_string_equal(path, "queue:dwra,xmit:dwra,rx:dwrb");
			assert_true(cross);
			closed++;
		} else if (!strcmp(reason, "SOCKET_RCVBUFF")) {
			assert_string_equal(path, "queue:dwra,xmit:dwra,rx:dwrb");
			assert_true(cross);
			rcvbuf++;
		} else if (!strcmp(reason, "QDISC_DROP")) {
			assert_string_equal(path, "queue:dwra");
			qdisc++;
		} else if (!strcmp(reason, "NOT_SPECIFIED")) {
			/* Held by the qdisc when it was deleted: dropped while queued. */
			assert_string_equal(path, "queue:dwra");
			queued++;
		}
	}
	assert_true(closed >= 5);
	assert_true(rcvbuf > 0);
	assert_true(qdisc > 0);
	assert_true(queued > 0);
	run_free(&r);
	free(s.ev);
}

/*
 * Whether @jn could be one packet's on the TCP stream's veth pair (dwta <-> dwtb): sent
 * (queue, xmit) on one end before it was received (backlog, gro, rx) on the other, and
 * nothing but deliveries after a delivery. Each life of an skb is one such packet.
 */
static bool one_packet(const struct journey *jn)
{
	const char *tx = NULL, *rx = NULL;
	bool received = false, delivered = false;
	uint32_t k;

	for (k = 0; k + 1 < jn->n; k++) {
		const struct jstep *st = &jn->step[k];

		switch (st->kind) {
		case JSTEP_QUEUE:
		case JSTEP_XMIT:
			if (received || delivered || (tx && strcmp(tx, st->dev)))
				return false;
			tx = st->dev;
			break;
		case JSTEP_DELIVER:
			delivered = true;
			break;
		default:
			if (delivered || (rx && strcmp(rx, st->dev)) || (tx && !strcmp(tx, st->dev)))
				return false;
			rx = st->dev;
			received = true;
			break;
		}
	}
	return true;
}

/*
 * Journeys of the TCP stream, those that end in a free too, that could not be one
 * packet's: @nofree leaves the kprobes' frees out.
 */
static size_t tcp_joined(bool nofree, size_t *tracked)
{
	struct stream s;
	struct run r = { .frees = true };
	size_t i, bad = 0;

	load(&s, "journey-tcp-6.12", nofree);
	replay(&s, &r, UINT64_MAX / 4, 5);
	*tracked = 0;
	for (i = 0; i < r.nres; i++) {
		*tracked += r.res[i].jn.tracked;
		bad += r.res[i].jn.tracked && !one_packet(&r.res[i].jn);
	}
	run_free(&r);
	free(s.ev);
	return bad;
}

/*
 * TCP both ways over a veth pair, with GRO and skbs freed where no tracepoint fires: with
 * the frees (the kprobes' events), every journey is one packet's; without them, the
 * addresses taken again join packets, as they did before the frees were followed.
 */
static void test_recorded_tcp(void **state)
{
	size_t tracked, untracked_free;

	(void)state;
	assert_int_equal(tcp_joined(false, &tracked), 0);
	assert_true(tracked > 1000);
	assert_true(tcp_joined(true, &untracked_free) > 0);
}

/*
 * The reference can tell a wrong journey: the rings fed one after the other, unordered
 * (what a reader without the merge does), make some journeys differ from it.
 */
static void test_recorded_unordered(void **state)
{
	struct stream s;
	struct run r = { .frees = false };
	size_t i, c, wrong = 0;

	(void)state;
	load(&s, "journey-tcp-6.12", false);
	memset(&r, 0, sizeof(r));
	r.in_order = true;
	r.jt = journey_new(JOURNEY_MAX_DEFAULT);
	r.res = calloc(s.n, sizeof(*r.res));
	assert_non_null(r.jt);
	assert_non_null(r.res);
	for (c = 0; c < s.rings; c++)
		for (i = 0; i < s.ring_len[c]; i++) {
			const struct ev *e = &s.ev[s.ring_start[c] + i];

			feed(&e, sizeof(e), &r);
		}
	assert_false(r.in_order);
	for (i = 0; i < r.nres; i++) {
		const struct ev *want[256];
		size_t n = reference(&s, r.res[i].drop, want, 256);

		if ((n > JOURNEY_STEPS ? JOURNEY_STEPS : n) + 1 != r.res[i].jn.n)
			wrong++;
	}
	assert_true(wrong > 0);
	run_free(&r);
	free(s.ev);
}

static void step(struct journey_tracker *j, uint64_t skb, uint64_t t, unsigned int cpu, int kind,
		 const char *dev)
{
	struct jstep s = { .time = t, .cpu = (uint16_t)cpu, .kind = (uint8_t)kind };

	snprintf(s.dev, sizeof(s.dev), "%s", dev);
	assert_int_equal(journey_step(j, skb, &s), 0);
}

static void end(struct journey_tracker *j, uint64_t skb, uint64_t t, int kind, struct journey *out)
{
	struct jstep s = { .time = t, .kind = (uint8_t)kind };

	journey_end(j, skb, &s, out);
}

static void test_reuse_and_clones(void **state)
{
	struct journey_tracker *j = journey_new(8);
	struct journey jn;

	(void)state;
	assert_non_null(j);
	step(j, 0xa00, 10, 0, JSTEP_QUEUE, "veth0");
	step(j, 0xa00, 20, 0, JSTEP_XMIT, "veth0");
	end(j, 0xa00, 30, JSTEP_FREE, &jn);
	assert_true(jn.tracked);
	/* The address again: a new skb, with nothing of the one before. */
	step(j, 0xa00, 40, 1, JSTEP_RX, "eth0");
	end(j, 0xa00, 50, JSTEP_DROP, &jn);
	assert_true(jn.tracked);
	assert_int_equal(jn.n, 2);
	assert_int_equal(jn.step[0].kind, JSTEP_RX);
	assert_string_equal(jn.step[0].dev, "eth0");
	assert_int_equal(journey_lived(&jn), 10);
	/* A clone has its own address: no earlier event, and the original goes on. */
	step(j, 0xb00, 60, 0, JSTEP_RX, "eth0");
	end(j, 0xc00, 70, JSTEP_DROP, &jn);
	assert_false(jn.tracked);
	assert_int_equal(jn.n, 1);
	assert_int_equal(journey_lived(&jn), 0);
	end(j, 0xb00, 80, JSTEP_DROP, &jn);
	assert_true(jn.tracked);
	assert_int_equal(jn.n, 2);
	/* A transmit (net_dev_start_xmit: the skb is still this one) starts a track. */
	step(j, 0xf00, 90, 0, JSTEP_XMIT, "veth0");
	end(j, 0xf00, 95, JSTEP_DROP, &jn);
	assert_true(jn.tracked);
	/* A track lives as long as its skb: a drop long after its last step is joined. */
	step(j, 0xe00, 100, 0, JSTEP_RX, "eth0");
	step(j, 0xe00, 100 + 3600ull * 1000000000ull, 0, JSTEP_DELIVER, "");
	end(j, 0xe00, 100 + 7200ull * 1000000000ull, JSTEP_DROP, &jn);
	assert_true(jn.tracked);
	assert_int_equal(jn.n, 3);
	assert_int_equal(journey_stats(j)->active, 0);
	assert_int_equal(journey_stats(j)->ended, 5);
	assert_int_equal(journey_stats(j)->tracks, 5);
	journey_free(j);
}

/* Two rings: CPU 1's events of a packet written before CPU 0's earlier ones are read. */
static int to_tracker(const void *rec, size_t len, void *arg)
{
	const struct jstep *s = rec;
	struct journey_tracker *j = arg;
	struct journey jn;

	assert_int_equal(len, sizeof(*s) + 8);
	if (s->kind == JSTEP_DROP) {
		end(j, *(const uint64_t *)(s + 1), s->time, JSTEP_DROP, &jn);
		assert_true(jn.tracked);
		assert_int_equal(jn.n, 4);
		assert_int_equal(jn.step[0].kind, JSTEP_QUEUE);
		assert_int_equal(jn.step[0].cpu, 0);
		assert_int_equal(jn.step[1].kind, JSTEP_XMIT);
		assert_int_equal(jn.step[2].kind, JSTEP_RX);
		assert_int_equal(jn.step[2].cpu, 1);
		return 7;
	}
	assert_int_equal(journey_step(j, *(const uint64_t *)(s + 1), s), 0);
	return 0;
}

static void test_out_of_order_rings(void **state)
{
	struct journey_queue *q = jqueue_new(2);
	struct journey_tracker *j = journey_new(8);
	uint8_t rec[sizeof(struct jstep) + 8];
	uint64_t skb = 0xd00;
	struct jstep s[4] = {
		{ .time = 100, .cpu = 0, .kind = JSTEP_QUEUE },
		{ .time = 110, .cpu = 0, .kind = JSTEP_XMIT },
		{ .time = 120, .cpu = 1, .kind = JSTEP_RX },
		{ .time = 130, .cpu = 1, .kind = JSTEP_DROP },
	};
	int order[4] = { 2, 3, 0, 1 };	/* ring 1 read first */
	int i;

	(void)state;
	assert_non_null(q);
	assert_non_null(j);
	for (i = 0; i < 4; i++) {
		memcpy(rec, &s[order[i]], sizeof(s[0]));
		memcpy(rec + sizeof(s[0]), &skb, 8);
		assert_int_equal(jqueue_add(q, s[order[i]].cpu, s[order[i]].time, rec, sizeof(rec)), 0);
	}
	/* Up to 115: the queue and xmit only; the rest is held. */
	assert_int_equal(jqueue_release(q, 115, to_tracker, j), 0);
	assert_int_equal(jqueue_held(q), 2);
	assert_int_equal(journey_stats(j)->active, 1);
	/* The drop stops the release (a non-zero return) and is not handed out again. */
	assert_int_equal(jqueue_release(q, UINT64_MAX, to_tracker, j), 7);
	assert_int_equal(jqueue_held(q), 0);
	jqueue_free(q);
	journey_free(j);
}

/* Records of the merge tests: their time and ring. */
struct mrec {
	uint64_t time;
	unsigned int ring;
};

struct merged {
	struct mrec got[64];
	size_t n;
};

static int collect(const void *rec, size_t len, void *arg)
{
	struct merged *m = arg;

	assert_int_equal(len, sizeof(struct mrec));
	memcpy(&m->got[m->n++], rec, len);
	return 0;
}

/*
 * A ring a little out of order itself (a sample taken in an interrupt between another's
 * time and its write), several rings merged, and a record older than one handed out:
 * late, not held, never handed out out of order.
 */
static void test_merge_and_late(void **state)
{
	struct journey_queue *q = jqueue_new(3);
	static const struct mrec in[] = {
		{ 10, 0 }, { 30, 0 }, { 20, 0 }, { 40, 0 },
		{ 15, 1 }, { 35, 1 },
		{ 5, 2 }, { 25, 2 }, { 45, 2 },
	};
	struct merged m = { .n = 0 };
	struct mrec late = { 22, 1 };
	size_t i;

	(void)state;
	assert_non_null(q);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(jqueue_add(q, in[i].ring, in[i].time, &in[i], sizeof(in[i])), 0);
	assert_int_equal(jqueue_release(q, 25, collect, &m), 0);
	assert_int_equal(m.n, 5);
	for (i = 1; i < m.n; i++)
		assert_true(m.got[i - 1].time <= m.got[i].time);
	assert_int_equal(m.got[m.n - 1].time, 25);
	/* 22 is older than 25, handed out already: late. 26 is not. */
	assert_int_equal(jqueue_add(q, late.ring, late.time, &late, sizeof(late)), JQUEUE_LATE);
	late.time = 26;
	assert_int_equal(jqueue_add(q, late.ring, late.time, &late, sizeof(late)), 0);
	assert_int_equal(jqueue_release(q, UINT64_MAX, collect, &m), 0);
	assert_int_equal(m.n, 10);
	for (i = 1; i < m.n; i++)
		assert_true(m.got[i - 1].time <= m.got[i].time);
	assert_int_equal(jqueue_held(q), 0);
	jqueue_free(q);
}

static void test_cap_late_and_lost(void **state)
{
	struct journey_tracker *j = journey_new(2);
	struct jstep s = { .time = 10, .kind = JSTEP_RX };
	struct journey jn;

	(void)state;
	assert_non_null(j);
	step(j, 0x100, 10, 0, JSTEP_RX, "a");
	step(j, 0x200, 20, 0, JSTEP_RX, "b");
	/* Full: a third is counted, not tracked. */
	s.time = 30;
	assert_int_equal(journey_step(j, 0x300, &s), -ENOSPC);
	assert_int_equal(journey_stats(j)->overflow, 1);
	end(j, 0x300, 40, JSTEP_DROP, &jn);
	assert_false(jn.tracked);
	/* An event of 0x100 came late: its track goes, and its drop joins nothing. */
	journey_forget(j, 0x100);
	assert_int_equal(journey_stats(j)->late, 1);
	end(j, 0x100, 50, JSTEP_DROP, &jn);
	assert_false(jn.tracked);
	/* Events were lost: every track goes. */
	step(j, 0x300, 60, 0, JSTEP_QUEUE, "c");
	journey_abandon(j);
	assert_int_equal(journey_stats(j)->abandoned, 2);
	assert_int_equal(journey_stats(j)->active, 0);
	end(j, 0x200, 70, JSTEP_DROP, &jn);
	assert_false(jn.tracked);
	step(j, 0x200, 80, 0, JSTEP_QUEUE, "e");
	end(j, 0x200, 90, JSTEP_DROP, &jn);
	assert_true(jn.tracked);
	assert_int_equal(jn.n, 2);
	assert_string_equal(jn.step[0].dev, "e");
	journey_reset(j);
	assert_int_equal(journey_stats(j)->active, 0);
	assert_int_equal(journey_stats(j)->abandoned, 0);
	journey_free(j);
}

/* Many tracks in a small table: deletions keep every other one findable. */
static void test_table_churn(void **state)
{
	struct journey_tracker *j = journey_new(64);
	struct journey jn;
	uint64_t skb;
	int round;

	(void)state;
	assert_non_null(j);
	for (round = 0; round < 50; round++) {
		for (skb = 1; skb <= 64; skb++)
			step(j, skb * 0x100 + (uint64_t)round * 0x40, (uint64_t)round * 100 + skb, 0,
			     JSTEP_RX, "x");
		/* End every other one, then the rest, each found with its own step. */
		for (skb = 1; skb <= 64; skb += 2) {
			end(j, skb * 0x100 + (uint64_t)round * 0x40, (uint64_t)round * 100 + 99,
			    JSTEP_DROP, &jn);
			assert_true(jn.tracked);
			assert_int_equal(jn.step[0].time, (uint64_t)round * 100 + skb);
		}
		for (skb = 2; skb <= 64; skb += 2) {
			end(j, skb * 0x100 + (uint64_t)round * 0x40, (uint64_t)round * 100 + 99,
			    JSTEP_FREE, &jn);
			assert_true(jn.tracked);
			assert_int_equal(jn.step[0].time, (uint64_t)round * 100 + skb);
		}
		assert_int_equal(journey_stats(j)->active, 0);
	}
	assert_int_equal(journey_stats(j)->overflow, 0);
	journey_free(j);
}

static void test_long_journey(void **state)
{
	struct journey_tracker *j = journey_new(4);
	struct journey jn;
	unsigned int i;

	(void)state;
	assert_non_null(j);
	for (i = 0; i < 20; i++)
		step(j, 0xe00, 100 + i, i % 2, i % 2 ? JSTEP_XMIT : JSTEP_QUEUE, "v");
	end(j, 0xe00, 200, JSTEP_DROP, &jn);
	assert_int_equal(jn.n, JOURNEY_STEPS + 1);
	assert_int_equal(jn.omitted, 20 - JOURNEY_STEPS);
	assert_int_equal(jn.step[0].time, 100);		/* the first */
	assert_int_equal(jn.step[1].time, 100 + 20 - (JOURNEY_STEPS - 1));
	assert_int_equal(jn.step[JOURNEY_STEPS - 1].time, 119);	/* the last */
	assert_int_equal(journey_lived(&jn), 100);
	journey_free(j);
}

static unsigned int tstep(struct times *t, uint64_t skb, uint64_t time, int kind, const char *dev,
			  uint32_t irq)
{
	struct jstep s = { .time = time, .kind = (uint8_t)kind, .irq_ns = irq, .softirq_ns = irq };

	snprintf(s.dev, sizeof(s.dev), "%s", dev);
	return times_step(t, skb, &s);
}

static const struct times_dev *tdev(const struct times *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->byidx[i]->dev, name))
			return t->byidx[i];
	fail_msg("no device %s", name);
	return NULL;
}

/* Each kind of step and end summed where it belongs; forgotten skbs counted nowhere. */
static void test_times_steps(void **state)
{
	struct times t;
	const struct times_dev *va, *vb, *vc;

	(void)state;
	assert_int_equal(times_init(&t, 64), 0);
	/* Sent on va, taken by GRO then the stack on vb, delivered, freed. */
	tstep(&t, 1, 0, JSTEP_QUEUE, "va", 0);
	tstep(&t, 1, 10, JSTEP_XMIT, "va", 0);
	tstep(&t, 1, 20, JSTEP_GRO, "vb", 5);
	tstep(&t, 1, 30, JSTEP_RX, "vb", 6);
	tstep(&t, 1, 50, JSTEP_DELIVER, "", 0);
	assert_int_equal(tstep(&t, 1, 60, JSTEP_FREE, "", 0), TIMES_ENDED);
	/* Dropped by va's qdisc. */
	tstep(&t, 2, 100, JSTEP_QUEUE, "va", 0);
	assert_int_equal(tstep(&t, 2, 110, JSTEP_DROP, "", 0), TIMES_ENDED | TIMES_DROP);
	/* Merged by GRO on vb: freed there. */
	tstep(&t, 3, 200, JSTEP_GRO, "vb", 0);
	tstep(&t, 3, 210, JSTEP_FREE, "", 0);
	/* Queued twice on va, then sent: the first never was; dropped after. */
	tstep(&t, 4, 300, JSTEP_QUEUE, "va", 0);
	tstep(&t, 4, 310, JSTEP_QUEUE, "va", 0);
	tstep(&t, 4, 320, JSTEP_XMIT, "va", 0);
	tstep(&t, 4, 400, JSTEP_DROP, "", 0);
	/* Sent on vc without a queue step (segments made after it), in flight at the end. */
	tstep(&t, 5, 500, JSTEP_XMIT, "vc", 0);
	/* Received on vb, then an event of it came late: forgotten, counted nowhere. */
	tstep(&t, 6, 600, JSTEP_RX, "vb", 0);
	times_forget(&t, 6);
	/* Received on vb, then events were lost: forgotten with every other skb. */
	tstep(&t, 7, 700, JSTEP_RX, "vb", 0);
	tstep(&t, 8, 700, JSTEP_QUEUE, "vc", 0);
	tstep(&t, 8, 710, JSTEP_XMIT, "vc", 0);
	assert_int_equal(u64map_count(&t.skbs), 3);
	/* A drop of an skb never seen: no device. */
	assert_int_equal(tstep(&t, 9, 800, JSTEP_DROP, "", 0), 0);
	va = tdev(&t, "va");
	vb = tdev(&t, "vb");
	vc = tdev(&t, "vc");
	assert_int_equal(vc->tx.xmit, 2);
	times_abandon(&t);
	assert_int_equal(t.abandoned, 3);
	assert_int_equal(t.late, 1);
	assert_int_equal(t.untracked, 1);
	assert_int_equal(vb->rx.packets, 2);
	assert_int_equal(vc->tx.packets, 0);
	assert_int_equal(vc->tx.xmit, 0);
	tstep(&t, 5, 900, JSTEP_XMIT, "vc", 0);
	times_flush(&t);

	assert_int_equal(va->tx.packets, 4);
	assert_int_equal(va->tx.xmit, 2);
	assert_int_equal(va->tx.queue_dropped, 2);
	assert_int_equal(va->tx.dropped, 1);
	assert_int_equal(va->tx.freed, 1);
	assert_int_equal(va->tx.queue_xmit.n, 2);
	assert_int_equal(jhist_quantile(&va->tx.queue_xmit, 0.5), 10);
	assert_int_equal(va->tx.xmit_free.n, 2);
	assert_int_equal(vb->rx.packets, 2);
	assert_int_equal(vb->rx.delivered, 1);
	assert_int_equal(vb->rx.freed, 1);
	assert_int_equal(vb->rx.dropped + vb->rx.open, 0);
	/* From GRO's step (a bucket's middle: within 1/16). */
	assert_in_range(jhist_quantile(&vb->rx.to_delivered, 0.5), 28, 32);
	assert_int_equal(vb->rx.irq_softirq.n, 1);	/* GRO and rx: one packet */
	assert_int_equal(jhist_quantile(&vb->rx.irq_softirq, 0.5), 5);
	assert_int_equal(vc->tx.xmit, 1);
	assert_int_equal(vc->tx.open, 1);
	assert_int_equal(t.journeys, 5);	/* 1, 2, 3, 4 ended; 5 open; 9 not */
	assert_int_equal(t.ended, 4);
	assert_int_equal(t.drops, 2);
	times_reset(&t);
	assert_int_equal(times_count(&t), 0);
	times_fini(&t);
}

/* Too many devices for one skb, and too many skbs: counted, not summed. */
static void test_times_limits(void **state)
{
	struct times t;
	char dev[16];
	int i;

	(void)state;
	assert_int_equal(times_init(&t, 2), 0);
	for (i = 0; i < TIMES_ITEMS + 3; i++) {
		snprintf(dev, sizeof(dev), "d%d", i);
		tstep(&t, 1, (uint64_t)i, JSTEP_QUEUE, dev, 0);
	}
	assert_int_equal(t.too_many, 3);
	tstep(&t, 2, 100, JSTEP_RX, "d0", 0);
	tstep(&t, 3, 100, JSTEP_RX, "d0", 0);
	assert_int_equal(t.not_tracked, 1);
	times_flush(&t);
	assert_int_equal(tdev(&t, "d0")->tx.open + tdev(&t, "d0")->rx.open, 2);
	times_fini(&t);
}

/* The recorded TCP stream, in time order: every device's figures add up. */
static void test_times_stream(void **state)
{
	struct stream s;
	const struct ev **all;
	struct times t;
	size_t i, j;

	(void)state;
	load(&s, "journey-tcp-6.12", false);
	all = calloc(s.n, sizeof(*all));
	assert_non_null(all);
	for (i = 0; i < s.n; i++) {
		for (j = i; j > 0 && all[j - 1]->time > s.ev[i].time; j--)
			all[j] = all[j - 1];
		all[j] = &s.ev[i];
	}
	assert_int_equal(times_init(&t, JOURNEY_MAX_DEFAULT), 0);
	for (i = 0; i < s.n; i++)
		tstep(&t, all[i]->skb, all[i]->time, all[i]->kind, all[i]->dev, 0);
	times_flush(&t);
	assert_int_equal(times_count(&t), 2);
	for (i = 0; i < t.n; i++) {
		const struct times_dev *d = t.byidx[i];

		assert_true(d->rx.packets > 0 && d->tx.packets > 0);
		assert_int_equal(d->rx.packets,
				 d->rx.delivered + d->rx.dropped + d->rx.freed + d->rx.open);
		assert_true(d->tx.xmit > 0);
	}
	/* GRO took the segments of the connection sent without TSO: merged ones freed. */
	assert_true(tdev(&t, "dwtb")->rx.freed > 0 || tdev(&t, "dwta")->rx.freed > 0);
	assert_int_equal(t.too_many + t.not_tracked, 0);
	times_fini(&t);
	free(all);
	free(s.ev);
}

static void test_histogram(void **state)
{
	struct jhist h;
	char buf[32];
	uint64_t v, q;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(jhist_quantile(&h, 0.5), 0);
	for (v = 1; v <= 1000; v++)
		jhist_add(&h, v * 1000);	/* 1 us .. 1 ms */
	q = jhist_quantile(&h, 0.5);
	assert_true(q >= 500000 - 500000 / 16 && q <= 500000 + 500000 / 16);
	q = jhist_quantile(&h, 0.99);
	assert_true(q >= 990000 - 990000 / 16 && q <= 990000 + 990000 / 16);
	for (v = 0; v < 16; v++) {
		memset(&h, 0, sizeof(h));
		jhist_add(&h, v);
		assert_int_equal(jhist_quantile(&h, 0.5), v);
	}
	memset(&h, 0, sizeof(h));
	jhist_add(&h, UINT64_MAX);
	assert_true(jhist_quantile(&h, 0.99) > UINT64_MAX / 2);
	assert_string_equal(jhist_dur(buf, sizeof(buf), 0), "0ns");
	assert_string_equal(jhist_dur(buf, sizeof(buf), 999), "999ns");
	assert_string_equal(jhist_dur(buf, sizeof(buf), 31000), "31us");
	assert_string_equal(jhist_dur(buf, sizeof(buf), 2100000), "2.1ms");
	assert_string_equal(jhist_dur(buf, sizeof(buf), 12000000000ull), "12s");
}

/* The formats as 6.1, 6.12 and 6.18 lay them out, and records built by them. */
static void test_formats(void **state)
{
	static const char *const versions[] = { "6.1", "6.12", "6.18" };
	static const char *const file[JSTEP_KINDS] = {
		[JSTEP_BACKLOG] = "netif_rx", [JSTEP_RX] = "netif_receive_skb",
		[JSTEP_QUEUE] = "net_dev_queue", [JSTEP_XMIT] = "net_dev_start_xmit",
		[JSTEP_DELIVER] = "skb_copy_datagram_iovec", [JSTEP_FREE] = "consume_skb",
		[JSTEP_GRO] = "napi_gro_receive_entry",
	};
	size_t v;
	int k;

	(void)state;
	for (v = 0; v < 3; v++)
		for (k = 0; k < JSTEP_KINDS; k++) {
			struct jevent_format f;
			char name[96], err[160] = "";
			uint8_t raw[128];
			uint64_t skb = 0xffff888012345600ull, got;
			size_t len, cut;
			struct jstep st;
			char *text;

			if (!file[k])
				continue;
			snprintf(name, sizeof(name), "%s-format-%s", file[k], versions[v]);
			text = fixture_text(name, &len);
			assert_non_null(text);
			assert_int_equal(jevent_format_parse(&f, k, text, len, err, sizeof(err)), 0);
			assert_true(f.id > 0);
			assert_true(f.field[JEV_F_SKBADDR].present);
			assert_int_equal(f.field[JEV_F_NAME].present,
					 k != JSTEP_DELIVER && k != JSTEP_FREE);
			/* A record by this layout: the name at the end, as __data_loc places it. */
			memset(raw, 0, sizeof(raw));
			memcpy(raw + f.field[JEV_F_SKBADDR].offset, &skb, 8);
			if (f.field[JEV_F_LEN].present) {
				uint32_t l = 1514;

				memcpy(raw + f.field[JEV_F_LEN].offset, &l, 4);
			}
			if (f.field[JEV_F_NAME].present) {
				uint32_t loc = (6u << 16) | 100;

				memcpy(raw + f.field[JEV_F_NAME].offset, &loc, 4);
				memcpy(raw + 100, "veth0", 6);
			}
			assert_int_equal(jevent_decode(&f, raw, 106, &got, &st), 0);
			assert_int_equal(got, skb);
			assert_int_equal(st.kind, k);
			if (f.field[JEV_F_NAME].present)
				assert_string_equal(st.dev, "veth0");
			if (f.field[JEV_F_LEN].present)
				assert_int_equal(st.len, 1514);
			/* Cut anywhere before its last field: refused; a name outside: "". */
			for (cut = 0; cut < 106; cut++) {
				int ret = jevent_decode(&f, raw, cut, &got, &st);

				if (ret == 0)
					assert_true(f.field[JEV_F_NAME].present ?
						    st.dev[0] == '\0' || cut >= 106 : 1);
				else
					assert_int_equal(ret, -EBADMSG);
			}
			free(text);
		}
}

static void test_malformed_formats(void **state)
{
	static const char *const bad[] = {
		"",
		"ID: 5\n",
		"ID: 5\n\tfield:void * skbaddr;\toffset:8;\tsize:4;\tsigned:0;\n",
		"ID: 5\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
		"\tfield:__data_loc char[] name;\toffset:16;\tsize:8;\tsigned:0;\n",
		"ID: 5\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
		"\tfield:unsigned int len;\toffset:16;\tsize:3;\tsigned:0;\n",
		"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n",
	};
	struct jevent_format f;
	char err[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(jevent_format_parse(&f, JSTEP_RX, bad[i], strlen(bad[i]), err,
						     sizeof(err)), -EINVAL);
		assert_true(err[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_stream),
		cmocka_unit_test(test_recorded_paths),
		cmocka_unit_test(test_recorded_tcp),
		cmocka_unit_test(test_recorded_unordered),
		cmocka_unit_test(test_reuse_and_clones),
		cmocka_unit_test(test_out_of_order_rings),
		cmocka_unit_test(test_merge_and_late),
		cmocka_unit_test(test_cap_late_and_lost),
		cmocka_unit_test(test_table_churn),
		cmocka_unit_test(test_long_journey),
		cmocka_unit_test(test_times_steps),
		cmocka_unit_test(test_times_limits),
		cmocka_unit_test(test_times_stream),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_malformed_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
