/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The links' and qdiscs' loss counters over rtnetlink, into the same named
 * counters as the /proc/net files: "link.eth0.rx_missed_errors" from each
 * link's 64-bit statistics (RTM_GETSTATS' IFLA_STATS_LINK_64, the struct of
 * IFLA_STATS64; the names from a link dump), "qdisc.eth0.fq_codel.drops" from each root and
 * ingress qdisc's TCA_STATS2 (a parent's drops include its children's, so
 * only those are read). Messages are parsed with libnl's attribute parser;
 * libnl-route's link object is not used because the one Debian 12 ships
 * (3.7) has no rx_otherhost_dropped, which OTHERHOST drops are counted in.
 */
#ifndef DW_RTSTATS_H
#define DW_RTSTATS_H

#include <linux/netlink.h>
#include <net/if.h>

#include "counters.h"

/* Interface names by index, as the link dump found them (for the qdiscs). */
struct ifname_map {
	struct ifname_entry {
		int index;
		char name[IF_NAMESIZE];
	} *e;
	size_t n, cap;
};

void ifname_map_free(struct ifname_map *m);

/* One RTM_NEWLINK message: its index and name into @names (a malformed one is counted in
 * s->bad). 0, -EINVAL or -ENOMEM. */
int rtstats_parse_link(struct counter_set *s, struct nlmsghdr *h, struct ifname_map *names);
/* One RTM_NEWSTATS message (IFLA_STATS_LINK_64) into @s, named by @names ("ifN" for an
 * index they lack). 0, -EINVAL or -ENOMEM. */
int rtstats_parse_stats(struct counter_set *s, struct nlmsghdr *h, const struct ifname_map *names);
/* One RTM_NEWQDISC message into @s (root and ingress qdiscs only). 0, -EINVAL or -ENOMEM. */
int rtstats_parse_qdisc(struct counter_set *s, struct nlmsghdr *h, const struct ifname_map *names);

struct rtstats;

/* A route netlink socket kept for the snapshots; NULL (and -errno in @err) when none. */
struct rtstats *rtstats_open(int *err);
void rtstats_close(struct rtstats *rt);
/* The links' and qdiscs' counters into @s. 0 or -errno (the dumps failed). */
int rtstats_read(struct rtstats *rt, struct counter_set *s);

#endif
