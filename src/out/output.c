// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "output.h"
#include "pktdecode.h"
#include "reasons.h"
#include "sbuf.h"

const char *out_safe(char *dst, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!size)
		return dst;
	for (; *src && o + 1 < size; src++) {
		unsigned char c = *src;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[o++] = c;
			continue;
		}
		if (o + 5 > size)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = '\0';
	return dst;
}

const char *out_frame(struct out_ctx *o, uint64_t pc, char *buf, size_t size)
{
	const struct out_location *l = out_pc_location(o, pc);

	if (l->known)
		snprintf(buf, size, "%s", l->text);
	else
		snprintf(buf, size, "0x%" PRIx64, pc);
	return buf;
}

/* The call chain as perf script prints it: one indented frame per line. */
static void print_stack(struct out_ctx *o, const struct drop_event *ev)
{
	char blk[4096];
	struct sbuf b;
	uint32_t i;

	sb_init(&b, blk, sizeof(blk));
	for (i = 0; i < ev->stack_len; i++) {
		const struct out_location *l = out_pc_location(o, ev->stack[i]);

		/* A whole frame fits: the name and module are bounded. */
		if (sizeof(blk) - b.n < 512) {
			fwrite(blk, 1, b.n, o->f);
			sb_init(&b, blk, sizeof(blk));
		}
		sb_putc(&b, '\t');
		sb_hex(&b, ev->stack[i], 16);
		if (l->known) {
			sb_putc(&b, ' ');
			sb_puts(&b, l->name);
			sb_puts(&b, "+0x");
			sb_hex(&b, l->offset, 1);
			sb_puts(&b, " ([");
			sb_puts(&b, l->module[0] ? l->module : "kernel.kallsyms");
			sb_puts(&b, "])\n");
		} else {
			sb_puts(&b, " [unknown] ([kernel.kallsyms])\n");
		}
	}
	fwrite(blk, 1, b.n, o->f);
}

const char *out_proto_name(uint16_t proto)
{
	static const struct {
		uint16_t proto;
		const char *name;
	} names[] = {
		{ 0x0001, "802.3" },	{ 0x0003, "ALL" },	{ 0x0004, "802.2" },
		{ 0x0800, "IPv4" },	{ 0x0806, "ARP" },	{ 0x8035, "RARP" },
		{ 0x8100, "802.1Q" },	{ 0x86dd, "IPv6" },	{ 0x8847, "MPLS" },
		{ 0x8848, "MPLS-multicast" }, { 0x8863, "PPPoE-discovery" },
		{ 0x8864, "PPPoE" },	{ 0x888e, "EAPOL" },	{ 0x88a8, "802.1ad" },
		{ 0x88cc, "LLDP" },	{ 0x88f7, "PTP" },	{ 0x8906, "FCoE" },
		{ 0x22f0, "TSN" },	{ 0x0005, "SNAP" },	{ 0x0010, "CAN" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].proto == proto)
			return names[i].name;
	return NULL;
}

/* A small direct-mapped cache: if_indextoname() is a syscall, alerts are many. */
#define IFCACHE_SLOTS 256

struct ifname_cache {
	struct {
		uint32_t ifindex;
		bool valid, found;
		char name[IF_NAMESIZE];
	} slot[IFCACHE_SLOTS];
};

struct ifname_cache *ifname_cache_new(void)
{
	return calloc(1, sizeof(struct ifname_cache));
}

void ifname_cache_free(struct ifname_cache *c)
{
	free(c);
}

const char *ifname_cache_get(struct ifname_cache *c, uint32_t ifindex)
{
	typeof(c->slot[0]) *s = &c->slot[ifindex % IFCACHE_SLOTS];

	if (!s->valid || s->ifindex != ifindex) {
		s->valid = true;
		s->ifindex = ifindex;
		s->found = if_indextoname(ifindex, s->name) != NULL;
	}
	return s->found ? s->name : NULL;
}

static void print_summary(struct out_ctx *o, const struct drop_event *ev)
{
	const struct out_location *l;
	char name[256], why[300] = "";

	if (ev->origin == DROP_ORIGIN_HW) {
		fprintf(o->f, "%" PRIu32 " drops at %s [hardware]\n", ev->count,
			out_safe(name, sizeof(name), ev->trap_name ? ev->trap_name : "unknown trap"));
		return;
	}
	/* NET_DM's summaries carry no reason; the tracepoint's do. */
	if (ev->reason)
		snprintf(why, sizeof(why), " reason %s", out_safe(name, sizeof(name), ev->reason));
	if (ev->pc == 0)
		fprintf(o->f, "%" PRIu32 " drops at location 0x0 [software] "
			"(a network device's rx_dropped counter grew; no kernel location)\n",
			ev->count);
	else if ((l = out_pc_location(o, ev->pc))->known)
		fprintf(o->f, "%" PRIu32 " drops at %s (0x%" PRIx64 ") [software]%s\n", ev->count,
			l->text, ev->pc, why);
	else
		fprintf(o->f, "%" PRIu32 " drops at location 0x%" PRIx64 " [software]%s\n",
			ev->count, ev->pc, why);
	print_stack(o, ev);
}

/* "timestamp: Sun Nov 22 10:00:00 2026 123456789 nsec" */
static void put_timestamp(struct out_ctx *o, struct sbuf *b, uint64_t ns)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;

	/* Alerts come many a second: the date is spelled once per second. */
	if (!o->ts_text[0] || o->ts_sec != (long long)sec) {
		o->ts_sec = sec;
		if (!localtime_r(&sec, &tm) ||
		    !strftime(o->ts_text, sizeof(o->ts_text), "%a %b %e %H:%M:%S %Y", &tm))
			snprintf(o->ts_text, sizeof(o->ts_text), "%lld", (long long)sec);
		o->ts_len = strlen(o->ts_text);
	}
	sb_puts(b, "timestamp: ");
	sb_putn(b, o->ts_text, o->ts_len);
	sb_putc(b, ' ');
	sb_u64_pad(b, ns % 1000000000u, 9);
	sb_puts(b, " nsec\n");
}

/* The headers of the event's packet: @given when the caller decoded them, else decoded into @local. */
static const struct pkt_info *packet_of(const struct drop_event *ev, const struct pkt_info *given,
					struct pkt_info *local)
{
	if (given)
		return given;
	pkt_decode(ev->payload, ev->payload_len, ev->proto, ev->has & DROP_HAS_PROTO, local);
	return local;
}

/* "KEY: value\n" with @value escaped (inline: @key's length is then known). */
static inline void put_line(struct sbuf *b, const char *key, const char *value)
{
	char safe[256];

	sb_puts(b, key);
	sb_puts(b, out_safe(safe, sizeof(safe), value));
	sb_putc(b, '\n');
}

static inline void put_u64_line(struct sbuf *b, const char *key, uint64_t v)
{
	sb_puts(b, key);
	sb_u64(b, v);
	sb_putc(b, '\n');
}

/* @reason escaped; the last one's escaping is kept (at first, "" for ""). */
static void put_reason(struct out_ctx *o, struct sbuf *b, const char *reason)
{
	if (strcmp(o->reason_raw, reason)) {
		if (strlen(reason) >= sizeof(o->reason_raw)) {
			char a[256];

			sb_puts(b, out_safe(a, sizeof(a), reason));
			return;
		}
		strcpy(o->reason_raw, reason);
		out_safe(o->reason_safe, sizeof(o->reason_safe), reason);
		o->reason_len = strlen(o->reason_safe);
	}
	sb_putn(b, o->reason_safe, o->reason_len);
}

/*
 * A packet alert's block of lines, built in memory and written at once (the
 * per-drop path: printf's format parsing was most of its cost).
 */
static void print_packet(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt)
{
	const struct out_location *l;
	char blk[4096], a[256];
	struct sbuf b;
	const char *name;

	sb_init(&b, blk, sizeof(blk));
	sb_puts(&b, "drop at: ");
	if (ev->origin == DROP_ORIGIN_HW) {
		sb_puts(&b, out_safe(a, sizeof(a), ev->trap_name ? ev->trap_name : "unknown trap"));
		sb_puts(&b, " (");
		sb_puts(&b, out_safe(a, sizeof(a), ev->trap_group ? ev->trap_group : "unknown group"));
		sb_puts(&b, ")\n");
	} else if ((ev->symbol || (ev->has & DROP_HAS_PC)) && (l = out_location(o, ev))->known) {
		sb_putn(&b, l->shown, l->shown_len);
		sb_puts(&b, " (0x");
		sb_hex(&b, ev->pc, 1);
		sb_puts(&b, ")\n");
	} else {
		sb_puts(&b, "location 0x");
		sb_hex(&b, ev->pc, 1);
		sb_putc(&b, '\n');
	}
	sb_puts(&b, ev->origin == DROP_ORIGIN_HW ? "origin: hardware\n" : "origin: software\n");
	if (ev->has & DROP_HAS_IFINDEX)
		put_u64_line(&b, "input port ifindex: ", ev->ifindex);
	name = out_ifname(o, ev);
	if (name)
		put_line(&b, "input port name: ", name);
	if (ev->has & DROP_HAS_TIMESTAMP)
		put_timestamp(o, &b, ev->timestamp_ns);
	if (ev->has & DROP_HAS_PROTO) {
		name = out_proto_name(ev->proto);
		sb_puts(&b, "protocol: 0x");
		sb_hex(&b, ev->proto, 4);
		if (name) {
			sb_puts(&b, " (");
			sb_puts(&b, name);
			sb_putc(&b, ')');
		}
		sb_putc(&b, '\n');
	}
	if (!(ev->has & DROP_NO_PAYLOAD))
		put_u64_line(&b, "length: ", ev->payload_len);
	if (ev->has & DROP_HAS_ORIG_LEN)
		put_u64_line(&b, "original length: ", ev->orig_len);
	if (ev->reason) {
		const char *why = o->verbose ? reason_explain(ev->reason) : NULL;

		sb_puts(&b, "drop reason: ");
		put_reason(o, &b, ev->reason);
		if (why) {
			sb_puts(&b, " (");
			sb_puts(&b, why);
			sb_putc(&b, ')');
		}
		sb_putc(&b, '\n');
	}
	if (ev->has & DROP_HAS_TASK) {
		put_u64_line(&b, "cpu: ", ev->cpu);
		sb_puts(&b, "task: ");
		sb_u64(&b, ev->pid);
		sb_puts(&b, " (");
		sb_puts(&b, out_safe(a, sizeof(a), ev->comm ? ev->comm : "?"));
		sb_puts(&b, ")\n");
	}
	if (ev->stack_len) {
		sb_puts(&b, "call chain:\n");
		fputs(blk, o->f);
		print_stack(o, ev);
		sb_init(&b, blk, sizeof(blk));
	}
	if (ev->cookie_len) {
		uint32_t i;

		sb_puts(&b, "flow action cookie: ");
		for (i = 0; i < ev->cookie_len; i++)
			sb_hex(&b, ev->cookie[i], 2);
		sb_putc(&b, '\n');
	}
	if (ev->payload_len) {
		struct pkt_info local;
		char sum[320];

		if (pkt_summary(packet_of(ev, pkt, &local), sum, sizeof(sum))[0]) {
			sb_puts(&b, "packet: ");
			sb_puts(&b, sum);
			sb_putc(&b, '\n');
		}
	}
	sb_putc(&b, '\n');
	fwrite(blk, 1, b.n, o->f);
}

void out_event_text(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt)
{
	if (ev->summary)
		print_summary(o, ev);
	else
		print_packet(o, ev, pkt);
}

int out_format_from_str(const char *s)
{
	if (!strcmp(s, "text"))
		return OUT_TEXT;
	if (!strcmp(s, "kv"))
		return OUT_KV;
	if (!strcmp(s, "json"))
		return OUT_JSON;
	return -1;
}

void out_event(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt)
{
	switch (o->format) {
	case OUT_TEXT:
		out_event_text(o, ev, pkt);
		break;
	case OUT_KV:
		out_event_kv(o, ev, pkt);
		break;
	case OUT_JSON:
		out_event_json(o, ev, pkt);
		break;
	}
}

const char *out_rfc3339(uint64_t ns, char *buf, size_t size)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;
	char date[32];

	if (!gmtime_r(&sec, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(date, sizeof(date), "%lld", (long long)sec);
	snprintf(buf, size, "%s.%09uZ", date, (unsigned int)(ns % 1000000000ull));
	return buf;
}

/*
 * The names of the addresses seen lately, direct-mapped by address: alerts
 * come from a few places, and naming one (the lookup, the escaping, the text)
 * costs more than the rest of its line. A slot filled from the kernel's symbol
 * text keeps that text, and serves only alerts that carry the same.
 */
#define LOC_SLOTS 256

struct loc_cache {
	struct loc_slot {
		bool valid;
		bool from_text;
		uint64_t pc;
		char raw[256];	/* the kernel's text (from_text) */
		struct out_location loc;
	} slot[LOC_SLOTS];
};

void out_set_syms(struct out_ctx *o, const struct sym_index *syms)
{
	o->syms = syms;
	if (o->locs)
		memset(o->locs, 0, sizeof(*o->locs));
}

void out_ctx_release(struct out_ctx *o)
{
	free(o->locs);
	o->locs = NULL;
}

/* The slot for @pc, emptied when another address holds it; NULL without a cache. */
static struct loc_slot *loc_slot(struct out_ctx *o, uint64_t pc, bool from_text,
				 const char *raw, bool *hit)
{
	struct loc_slot *s;

	if (!o->locs && !(o->locs = calloc(1, sizeof(*o->locs))))
		return NULL;
	s = &o->locs->slot[(pc * 0x9e3779b97f4a7c15ull) >> 56];
	*hit = s->valid && s->pc == pc && s->from_text == from_text &&
	       (!from_text || !strcmp(s->raw, raw));
	if (!*hit) {
		s->valid = false;
		s->pc = pc;
		s->from_text = from_text;
		/* A text too long to keep is named afresh each time. */
		if (from_text && strlen(raw) >= sizeof(s->raw))
			return s;
		if (from_text)
			strcpy(s->raw, raw);
		s->valid = true;
	}
	return s;
}

/* "name+0xOFF" or "name+0xOFF [module]" */
static void loc_text(struct out_location *l)
{
	struct sbuf b;

	sb_init(&b, l->text, sizeof(l->text));
	sb_puts(&b, l->name);
	sb_puts(&b, "+0x");
	sb_hex(&b, l->offset, 1);
	if (l->module[0]) {
		sb_puts(&b, " [");
		sb_puts(&b, l->module);
		sb_putc(&b, ']');
	}
}

/* Spelled once when the slot is filled, not at each use. */
static void loc_lengths(struct out_location *l)
{
	l->name_len = strlen(l->name);
	l->text_len = strlen(l->text);
	l->shown_len = strlen(l->shown);
}

/* The kernel's "%pS": name+0xOFF/0xSIZE, with " [module]" for module code. */
static void loc_from_text(struct out_location *l, const char *text)
{
	const char *plus = strrchr(text, '+');
	const char *br = strchr(text, '[');
	size_t n = plus ? (size_t)(plus - text) : strlen(text);
	char raw[256];

	memset(l, 0, sizeof(*l));
	if (n >= sizeof(raw))
		n = sizeof(raw) - 1;
	memcpy(raw, text, n);
	raw[n] = '\0';
	out_safe(l->name, sizeof(l->name), raw);
	if (plus)
		l->offset = strtoull(plus + 1, NULL, 16);
	if (br) {
		snprintf(raw, sizeof(raw), "%s", br + 1);
		raw[strcspn(raw, "]")] = '\0';
		out_safe(l->module, sizeof(l->module), raw);
	}
	l->known = l->name[0] != '\0';
	loc_text(l);
	out_safe(l->shown, sizeof(l->shown), text);
	loc_lengths(l);
}

static void loc_from_index(struct out_location *l, const struct sym_index *syms, uint64_t pc)
{
	struct sym_result r;

	memset(l, 0, sizeof(*l));
	if (!syms || !pc || sym_lookup(syms, pc, &r))
		return;
	out_safe(l->name, sizeof(l->name), r.name);
	l->offset = r.offset;
	if (r.module)
		out_safe(l->module, sizeof(l->module), r.module);
	l->known = true;
	loc_text(l);
	memcpy(l->shown, l->text, sizeof(l->shown));
	loc_lengths(l);
}

const struct out_location *out_pc_location(struct out_ctx *o, uint64_t pc)
{
	struct loc_slot *s = NULL;
	struct out_location *l;
	bool hit = false;

	if (!o->syms && o->load_syms) {
		out_syms_loader load = o->load_syms;

		o->load_syms = NULL;	/* once, whatever it finds */
		load(o, o->load_syms_arg);
	}
	if (o->syms)	/* else nothing to name it by, nor to cache */
		s = loc_slot(o, pc, false, NULL, &hit);
	l = s ? &s->loc : &o->loc_scratch;
	if (!hit)
		loc_from_index(l, o->syms, pc);
	return l;
}

const struct out_location *out_location(struct out_ctx *o, const struct drop_event *ev)
{
	struct loc_slot *s;
	struct out_location *l;
	bool hit = false;

	if (ev->origin == DROP_ORIGIN_HW ||
	    (!ev->symbol && !(ev->has & DROP_HAS_PC) && !ev->summary)) {
		memset(&o->loc_scratch, 0, sizeof(o->loc_scratch));
		return &o->loc_scratch;
	}
	if (!ev->symbol)
		return out_pc_location(o, ev->pc);
	s = loc_slot(o, ev->pc, true, ev->symbol, &hit);
	l = s ? &s->loc : &o->loc_scratch;
	if (!hit)
		loc_from_text(l, ev->symbol);
	return l;
}

/* A value for key=value: no blanks, no '=', nothing unprintable (all as \xHH). */
static const char *kv_safe(char *dst, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *src && o + 5 <= size; src++) {
		unsigned char c = *src;

		if (c > 0x20 && c < 0x7f && c != '\\' && c != '=' && c != '"') {
			dst[o++] = c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	if (size)
		dst[o < size ? o : size - 1] = '\0';
	return dst;
}

const char *out_ifname(struct out_ctx *o, const struct drop_event *ev)
{
	if (ev->ifname)
		return ev->ifname;
	if ((ev->has & DROP_HAS_IFINDEX) && o->ifnames)
		return ifname_cache_get(o->ifnames, ev->ifindex);
	return NULL;
}

static uint64_t event_time(const struct out_ctx *o, const struct drop_event *ev)
{
	return (ev->has & DROP_HAS_TIMESTAMP) ? ev->timestamp_ns : o->now_ns;
}

void out_event_kv(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt)
{
	const struct out_location *loc;
	struct pkt_info local;
	const struct pkt_info *p;
	char t[64], a[256], flags[16];
	const char *name = out_ifname(o, ev);
	FILE *f = o->f;

	fprintf(f, "time=%s origin=%s count=%" PRIu32, out_rfc3339(event_time(o, ev), t, sizeof(t)),
		ev->origin == DROP_ORIGIN_HW ? "hw" : "sw", ev->count);
	if (ev->origin == DROP_ORIGIN_HW) {
		if (ev->trap_name)
			fprintf(f, " trap=%s", kv_safe(a, sizeof(a), ev->trap_name));
		if (ev->trap_group)
			fprintf(f, " group=%s", kv_safe(a, sizeof(a), ev->trap_group));
	} else {
		loc = out_location(o, ev);
		if (loc->known)
			fprintf(f, " loc=%s+0x%" PRIx64 "%s%s", loc->name, loc->offset,
				loc->module[0] ? "@" : "", loc->module);
		else
			fprintf(f, " loc=0x%" PRIx64, ev->pc);
	}
	if (ev->reason)
		fprintf(f, " reason=%s", kv_safe(a, sizeof(a), ev->reason));
	if (name)
		fprintf(f, " dev=%s", kv_safe(a, sizeof(a), name));
	if (ev->has & DROP_HAS_IFINDEX)
		fprintf(f, " ifindex=%" PRIu32, ev->ifindex);
	if (!ev->summary && !(ev->has & DROP_NO_PAYLOAD))
		fprintf(f, " len=%" PRIu32, ev->payload_len);
	if (ev->has & DROP_HAS_ORIG_LEN)
		fprintf(f, " origlen=%" PRIu32, ev->orig_len);
	if (ev->has & DROP_HAS_TASK)
		fprintf(f, " cpu=%" PRIu32 " pid=%" PRIu32 " comm=%s", ev->cpu, ev->pid,
			kv_safe(a, sizeof(a), ev->comm ? ev->comm : "?"));
	if (ev->payload_len) {
		const char *l3, *l4;
		unsigned int i;

		p = packet_of(ev, pkt, &local);
		l3 = pkt_l3_name(p);
		l4 = pkt_l4_name(p);
		for (i = 0; i < p->vlans; i++)
			fprintf(f, "%s%u", i ? "," : " vlan=", p->vlan[i]);
		if (l4)
			fprintf(f, " proto=%s", l4);
		else if (l3)
			fprintf(f, " proto=%s", l3);
		else if (ev->has & DROP_HAS_PROTO)
			fprintf(f, " proto=0x%04x", ev->proto);
		if (p->src[0])
			fprintf(f, " src=%s dst=%s", p->src, p->dst);
		if (p->has_ports)
			fprintf(f, " sport=%u dport=%u", p->sport, p->dport);
		if (p->has_tcp)
			fprintf(f, " flags=%s", pkt_tcp_flags(p->tcp_flags, flags, sizeof(flags)));
		if (p->has_icmp)
			fprintf(f, " type=%u code=%u", p->icmp_type, p->icmp_code);
		if (p->fragment)
			fprintf(f, " frag=%u", p->frag_off);
		if (p->truncated)
			fputs(" truncated=1", f);
	} else if (ev->has & DROP_HAS_PROTO) {
		fprintf(f, " proto=0x%04x", ev->proto);
	}
	if (ev->stack_len) {
		uint32_t i;

		/* Frames innermost first, joined by ';' */
		fputs(" stack=", f);
		for (i = 0; i < ev->stack_len; i++) {
			char fr[400];

			fprintf(f, "%s%s", i ? ";" : "",
				kv_safe(a, sizeof(a), out_frame(o, ev->stack[i], fr, sizeof(fr))));
		}
	}
	fputc('\n', f);
}

static void jadd_str(json_object *j, const char *key, const char *val)
{
	char safe[512];

	json_object_object_add(j, key, json_object_new_string(out_safe(safe, sizeof(safe), val)));
}

static void jadd_u64(json_object *j, const char *key, uint64_t val)
{
	json_object_object_add(j, key, json_object_new_uint64(val));
}

void out_event_json(struct out_ctx *o, const struct drop_event *ev, const struct pkt_info *pkt)
{
	json_object *j = json_object_new_object();
	const struct out_location *loc;
	char buf[512];
	const char *name = out_ifname(o, ev);

	if (!j)
		return;
	jadd_str(j, "type", ev->summary ? "summary" : "packet");
	jadd_str(j, "origin", ev->origin == DROP_ORIGIN_HW ? "hardware" : "software");
	jadd_u64(j, "count", ev->count);
	jadd_str(j, "timestamp", out_rfc3339(event_time(o, ev), buf, sizeof(buf)));
	if (ev->origin == DROP_ORIGIN_HW) {
		if (ev->trap_name) {
			jadd_str(j, "location", ev->trap_name);
			jadd_str(j, "trap_name", ev->trap_name);
		}
		if (ev->trap_group)
			jadd_str(j, "trap_group", ev->trap_group);
		if (ev->cookie_len) {
			uint32_t i, n = ev->cookie_len > 200 ? 200 : ev->cookie_len;

			for (i = 0; i < n; i++)
				snprintf(buf + 2 * i, sizeof(buf) - 2 * i, "%02x", ev->cookie[i]);
			jadd_str(j, "cookie", buf);
		}
	} else {
		loc = out_location(o, ev);
		if (loc->known) {
			snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, loc->name, loc->offset);
			jadd_str(j, "location", buf);
			jadd_str(j, "symbol", loc->name);
			jadd_u64(j, "offset", loc->offset);
			if (loc->module[0])
				jadd_str(j, "module", loc->module);
		} else {
			snprintf(buf, sizeof(buf), "0x%" PRIx64, ev->pc);
			jadd_str(j, "location", buf);
		}
		snprintf(buf, sizeof(buf), "0x%" PRIx64, ev->pc);
		jadd_str(j, "pc", buf);
	}
	if (ev->reason) {
		const char *why = o->verbose ? reason_explain(ev->reason) : NULL;

		jadd_str(j, "reason", ev->reason);
		if (why)
			jadd_str(j, "reason_text", why);
	}
	if (ev->has & DROP_HAS_IFINDEX)
		jadd_u64(j, "ifindex", ev->ifindex);
	if (name)
		jadd_str(j, "ifname", name);
	if (ev->has & DROP_HAS_PROTO)
		jadd_u64(j, "protocol", ev->proto);
	if (!ev->summary && !(ev->has & DROP_NO_PAYLOAD))
		jadd_u64(j, "length", ev->payload_len);
	if (ev->has & DROP_HAS_ORIG_LEN)
		jadd_u64(j, "orig_length", ev->orig_len);
	if (ev->has & DROP_HAS_TASK) {
		jadd_u64(j, "cpu", ev->cpu);
		jadd_u64(j, "pid", ev->pid);
		jadd_str(j, "comm", ev->comm ? ev->comm : "?");
	}
	if (ev->stack_len) {
		json_object *st = json_object_new_array();
		uint32_t i;

		for (i = 0; i < ev->stack_len; i++)
			json_object_array_add(st, json_object_new_string(
				out_frame(o, ev->stack[i], buf, sizeof(buf))));
		json_object_object_add(j, "stack", st);
	}
	if (ev->payload_len) {
		struct pkt_info local;
		const struct pkt_info *p = packet_of(ev, pkt, &local);
		const char *l3, *l4;

		l3 = pkt_l3_name(p);
		l4 = pkt_l4_name(p);
		if (p->vlans) {
			json_object *v = json_object_new_array();
			unsigned int i;

			for (i = 0; i < p->vlans; i++)
				json_object_array_add(v, json_object_new_int(p->vlan[i]));
			json_object_object_add(j, "vlan", v);
		}
		if (l3)
			jadd_str(j, "l3", l3);
		if (l4)
			jadd_str(j, "l4", l4);
		else if (p->has_l4proto)
			jadd_u64(j, "ip_proto", p->l4proto);
		if (p->src[0]) {
			jadd_str(j, "src", p->src);
			jadd_str(j, "dst", p->dst);
		}
		if (p->has_ports) {
			jadd_u64(j, "sport", p->sport);
			jadd_u64(j, "dport", p->dport);
		}
		if (p->has_tcp) {
			jadd_str(j, "tcp_flags", pkt_tcp_flags(p->tcp_flags, buf, sizeof(buf)));
			jadd_u64(j, "seq", p->seq);
			if (p->tcp_flags & 0x10)
				jadd_u64(j, "ack", p->ack);
		}
		if (p->has_icmp) {
			jadd_u64(j, "icmp_type", p->icmp_type);
			jadd_u64(j, "icmp_code", p->icmp_code);
		}
		if (p->has_l4_len)
			jadd_u64(j, "l4_length", p->l4_len);
		if (p->fragment)
			jadd_u64(j, "frag_offset", p->frag_off);
		if (p->l3 == PKT_L3_ARP && p->arp_op)
			jadd_u64(j, "arp_op", p->arp_op);
		if (p->truncated)
			json_object_object_add(j, "truncated", json_object_new_boolean(1));
		if (pkt_summary(p, buf, sizeof(buf))[0])
			jadd_str(j, "summary", buf);
	}
	fputs(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), o->f);
	fputc('\n', o->f);
	json_object_put(j);
}
