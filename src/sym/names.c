// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stddef.h>

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
