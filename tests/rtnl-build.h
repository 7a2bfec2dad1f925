/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: route netlink messages about links and addresses, built as
 * the kernel sends them (the header, then IFLA_IFNAME or IFA_LOCAL and
 * IFA_ADDRESS), applied to a namespace table (netns.h).
 */
#ifndef DW_TEST_RTNL_BUILD_H
#define DW_TEST_RTNL_BUILD_H

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <string.h>

#include "netns.h"

/* RTM_NEWLINK or RTM_DELLINK of @ifindex named @name (NULL: no name) in namespace @nsid. */
static inline int rtnl_link(struct netns_db *db, int nsid, int type, int ifindex, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(type, 0);
	int err;

	if (!m || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    (name && nla_put_string(m, IFLA_IFNAME, name))) {
		nlmsg_free(m);
		return -1;
	}
	err = netns_apply(db, nsid, nlmsg_hdr(m));
	nlmsg_free(m);
	return err;
}

/* RTM_NEWADDR or RTM_DELADDR of @text (IPv4 or IPv6) on @ifindex in namespace @nsid. */
static inline int rtnl_addr(struct netns_db *db, int nsid, int type, int ifindex, const char *text)
{
	struct ifaddrmsg ifa = { .ifa_index = (unsigned int)ifindex };
	unsigned char a[16];
	struct nl_msg *m;
	int alen, err;

	if (inet_pton(AF_INET, text, a) == 1) {
		ifa.ifa_family = AF_INET;
		alen = 4;
	} else if (inet_pton(AF_INET6, text, a) == 1) {
		ifa.ifa_family = AF_INET6;
		alen = 16;
	} else {
		return -1;
	}
	m = nlmsg_alloc_simple(type, 0);
	if (!m || nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) ||
	    nla_put(m, IFA_ADDRESS, alen, a) || (alen == 4 && nla_put(m, IFA_LOCAL, alen, a))) {
		nlmsg_free(m);
		return -1;
	}
	err = netns_apply(db, nsid, nlmsg_hdr(m));
	nlmsg_free(m);
	return err;
}

#endif
