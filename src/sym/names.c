// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>

#include "names.h"

const char *names_ethertype(uint16_t proto)
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
