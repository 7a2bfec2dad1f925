/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of numbers: ethertypes (interfaces are named by netns.h, in their namespace). */
#ifndef DW_NAMES_H
#define DW_NAMES_H

#include <stdint.h>

/* "IPv4", "ARP", "802.1Q"...; NULL for an ethertype without a name here. */
const char *names_ethertype(uint16_t proto);

#endif
