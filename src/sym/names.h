/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of numbers: ethertypes, and this system's interface indexes (cached). */
#ifndef DW_NAMES_H
#define DW_NAMES_H

#include <stdint.h>

/* "IPv4", "ARP", "802.1Q"...; NULL for an ethertype without a name here. */
const char *names_ethertype(uint16_t proto);

struct ifname_cache;

struct ifname_cache *ifname_cache_new(void);
void ifname_cache_free(struct ifname_cache *c);
/* Name of @ifindex in this network namespace, or NULL. */
const char *ifname_cache_get(struct ifname_cache *c, uint32_t ifindex);

#endif
