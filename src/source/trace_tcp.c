// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoint source's collector of TCP's events: tcp:tcp_retransmit_skb,
 * tcp_send_reset and tcp_receive_reset, their formats read from tracefs and each
 * record decoded into an event of tcp mode.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "sbuf.h"
#include "trace_int.h"

int trace_tcp_open(struct trace_src *t, char *missing, size_t len)
{
	char path[160], why[160];
	struct sbuf b;
	int k, have = 0, err = -ENOENT;

	sb_init(&b, missing, len);
	if (t->tcp_loaded) {
		for (k = 0; k < TCPEV_KINDS; k++)
			have += t->tcp_have[k];
		goto said;
	}
	for (k = 0; k < TCPEV_KINDS; k++) {
		char rel[80], what[40], *text = NULL;
		size_t tlen = 0;

		snprintf(rel, sizeof(rel), "/events/tcp/%s/format", tcpev_tracepoint[k]);
		snprintf(what, sizeof(what), "tcp:%s", tcpev_tracepoint[k]);
		err = trace_read_format(t, rel, what, path, sizeof(path), &text, &tlen);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		if (tcpev_format_parse(&t->tcp[k], k, text, tlen, why, sizeof(why))) {
			trace_set_err(t, "%s: %s", path, why);
			free(text);
			return -EINVAL;
		}
		t->tcp_have[k] = true;
		have++;
		if (k == TCPEV_RESET_SENT && t->tcp[k].field[TCPEV_F_REASON].present) {
			reasons_free(t->rst_reasons);	/* read before a failure in a later one */
			t->rst_reasons = reasons_new();
			if (t->rst_reasons && reasons_parse_format(t->rst_reasons, text, tlen) < 0) {
				reasons_free(t->rst_reasons);
				t->rst_reasons = NULL;	/* numbers, then */
			}
		}
		free(text);
	}
	t->tcp_loaded = true;
said:
	for (k = 0; k < TCPEV_KINDS; k++)
		if (!t->tcp_have[k]) {
			if (b.n)
				sb_puts(&b, ", ");
			sb_puts(&b, "tcp:");
			sb_puts(&b, tcpev_tracepoint[k]);
		}
	if (!have) {
		trace_set_err(t, "this kernel has none of TCP's tracepoints (%s)", missing);
		return -ENOENT;
	}
	return 0;
}

bool trace_tcp_has(const struct trace_src *t, enum tcpev_kind kind, enum tcpev_field field)
{
	return t->tcp_have[kind] && t->tcp[kind].field[field].present;
}

/* A reset reason by number: this kernel's name, else the number. */
static const char *rst_reason_name(struct trace_src *t, uint32_t v)
{
	const char *n = t->rst_reasons && v < 1u << 20 ? reasons_lookup(t->rst_reasons, (int)v) : NULL;

	if (n)
		return n;
	snprintf(t->rst_unknown, sizeof(t->rst_unknown), "%" PRIu32, v);
	return t->rst_unknown;
}

/* One of TCP's events: 0, what @fn returned, or NOT_MINE when @type is none of theirs. */
static int tcp_handle(struct trace_src *t, const struct tp_sample *s, uint16_t type,
		      drop_event_fn fn, void *arg)
{
	struct drop_event ev;
	struct tcpev te;
	int k;

	for (k = 0; k < TCPEV_KINDS; k++)
		if (t->tcp_have[k] && t->tcp[k].id == type)
			break;
	if (k == TCPEV_KINDS)
		return NOT_MINE;
	if (tcpev_decode(&t->tcp[k], s->raw, s->raw_size, &te)) {
		t->stats.malformed++;
		return 0;
	}
	t->stats.tcp_events++;
	memset(&ev, 0, sizeof(ev));
	ev.kind = DROP_KIND_RETRANSMIT + k;
	ev.origin = DROP_ORIGIN_SW;
	ev.count = 1;
	ev.has = DROP_HAS_TIMESTAMP | DROP_HAS_TASK | DROP_NO_PAYLOAD;
	ev.timestamp_ns = s->time + t->clock_off;
	ev.cpu = s->cpu;
	ev.pid = s->tid;
	ev.comm = trace_comm_of(t, s->tid, s->cpu);
	if (te.has_addr) {
		ev.has |= DROP_HAS_SOCK;
		ev.sock.family = te.family;
		ev.sock.protocol = 6;
		ev.sock.state = te.has_state ? te.state : 0;
		ev.sock.sport = te.sport;
		ev.sock.dport = te.dport;
		memcpy(ev.sock.saddr, te.saddr, sizeof(ev.sock.saddr));
		memcpy(ev.sock.daddr, te.daddr, sizeof(ev.sock.daddr));
	}
	if (te.has_err) {
		ev.has |= DROP_HAS_RESULT;
		ev.tcp_result = te.err;
	} else if (k == TCPEV_RETRANSMIT) {
		/* Before 6.17 it fires for a retransmit sent only (__tcp_retransmit_skb). */
		ev.has |= DROP_HAS_RESULT;
	}
	if (te.has_reason)
		ev.reason = rst_reason_name(t, te.reason);
	if (t->opts.stack) {
		ev.stack = s->ips;
		ev.stack_len = s->nr_ips;
	}
	return fn(&ev, arg);
}

static bool tcp_wanted(const struct trace_src *t)
{
	return t->opts.tcp;
}

static int tcp_open(struct trace_src *t, struct ring *r, struct perf_event_attr *a, unsigned int cpu)
{
	int k, err;

	for (k = 0; k < TCPEV_KINDS; k++) {
		a->config = (uint64_t)t->tcp[k].id;
		if (t->tcp_have[k] && (err = trace_ring_add(r, a, cpu, EV_TCP(k))))
			return err;
	}
	return 0;
}

const struct trace_collector trace_tcp_collector = {
	.name = "tcp",
	.wanted = tcp_wanted,
	.open = tcp_open,
	.handle = tcp_handle,
};
