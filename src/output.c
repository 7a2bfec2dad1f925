// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"

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

const char *out_symbol(const struct sym_index *syms, uint64_t pc, char *buf, size_t size)
{
	struct sym_result r;
	char name[256], mod[128];

	if (!syms || sym_lookup(syms, pc, &r))
		return NULL;
	out_safe(name, sizeof(name), r.name);
	if (r.module)
		snprintf(buf, size, "%s+0x%" PRIx64 " [%s]", name, r.offset,
			 out_safe(mod, sizeof(mod), r.module));
	else
		snprintf(buf, size, "%s+0x%" PRIx64, name, r.offset);
	return buf;
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
	char sym[400], name[256];

	if (ev->origin == DROP_ORIGIN_HW) {
		fprintf(o->f, "%" PRIu32 " drops at %s [hardware]\n", ev->count,
			out_safe(name, sizeof(name), ev->trap_name ? ev->trap_name : "unknown trap"));
		return;
	}
	if (ev->pc == 0)
		fprintf(o->f, "%" PRIu32 " drops at location 0x0 [software] "
			"(a network device's rx_dropped counter grew; no kernel location)\n",
			ev->count);
	else if (out_symbol(o->syms, ev->pc, sym, sizeof(sym)))
		fprintf(o->f, "%" PRIu32 " drops at %s (0x%" PRIx64 ") [software]\n", ev->count,
			sym, ev->pc);
	else
		fprintf(o->f, "%" PRIu32 " drops at location 0x%" PRIx64 " [software]\n",
			ev->count, ev->pc);
}

static void print_timestamp(FILE *f, uint64_t ns)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;
	char buf[64];

	if (!localtime_r(&sec, &tm) || !strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(buf, sizeof(buf), "%lld", (long long)sec);
	fprintf(f, "timestamp: %s %09" PRIu64 " nsec\n", buf, (uint64_t)(ns % 1000000000u));
}

static void print_packet(struct out_ctx *o, const struct drop_event *ev)
{
	char sym[400], a[256], b[256];
	const char *name;

	if (ev->origin == DROP_ORIGIN_HW) {
		fprintf(o->f, "drop at: %s (%s)\n",
			out_safe(a, sizeof(a), ev->trap_name ? ev->trap_name : "unknown trap"),
			out_safe(b, sizeof(b), ev->trap_group ? ev->trap_group : "unknown group"));
	} else if (ev->symbol) {
		fprintf(o->f, "drop at: %s (0x%" PRIx64 ")\n", out_safe(a, sizeof(a), ev->symbol),
			ev->pc);
	} else if ((ev->has & DROP_HAS_PC) && out_symbol(o->syms, ev->pc, sym, sizeof(sym))) {
		fprintf(o->f, "drop at: %s (0x%" PRIx64 ")\n", sym, ev->pc);
	} else {
		fprintf(o->f, "drop at: location 0x%" PRIx64 "\n", ev->pc);
	}
	fprintf(o->f, "origin: %s\n", ev->origin == DROP_ORIGIN_HW ? "hardware" : "software");
	if (ev->has & DROP_HAS_IFINDEX) {
		fprintf(o->f, "input port ifindex: %" PRIu32 "\n", ev->ifindex);
		name = ev->ifname;
		if (!name && o->ifnames)
			name = ifname_cache_get(o->ifnames, ev->ifindex);
		if (name)
			fprintf(o->f, "input port name: %s\n", out_safe(a, sizeof(a), name));
	} else if (ev->ifname) {
		fprintf(o->f, "input port name: %s\n", out_safe(a, sizeof(a), ev->ifname));
	}
	if (ev->has & DROP_HAS_TIMESTAMP)
		print_timestamp(o->f, ev->timestamp_ns);
	if (ev->has & DROP_HAS_PROTO) {
		name = out_proto_name(ev->proto);
		fprintf(o->f, "protocol: 0x%04x%s%s%s\n", ev->proto, name ? " (" : "",
			name ? name : "", name ? ")" : "");
	}
	fprintf(o->f, "length: %" PRIu32 "\n", ev->payload_len);
	if (ev->has & DROP_HAS_ORIG_LEN)
		fprintf(o->f, "original length: %" PRIu32 "\n", ev->orig_len);
	if (ev->reason)
		fprintf(o->f, "drop reason: %s\n", out_safe(a, sizeof(a), ev->reason));
	if (ev->cookie_len) {
		uint32_t i;

		fputs("flow action cookie: ", o->f);
		for (i = 0; i < ev->cookie_len; i++)
			fprintf(o->f, "%02x", ev->cookie[i]);
		fputc('\n', o->f);
	}
	fputc('\n', o->f);
}

void out_event_text(struct out_ctx *o, const struct drop_event *ev)
{
	if (ev->summary)
		print_summary(o, ev);
	else
		print_packet(o, ev);
}
