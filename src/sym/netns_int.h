/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The namespace table's insides, shared by its two halves: netns.c (the table, the
 * links and addresses of each namespace, the index and the attribution of a drop)
 * and netns_live.c (this machine's namespaces found and kept current: /proc,
 * /run/netns, route netlink, inotify, setns).
 */
#ifndef DW_SYM_NETNS_INT_H
#define DW_SYM_NETNS_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "netns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define RUN_NETNS	"/run/netns"
/* The initial namespaces' fixed inodes (include/linux/proc_ns.h; the net one in newer kernels only). */
#define INIT_PID_INO	0xEFFFFFFCu
#define INIT_NET_INO	0xEFFFFFF9u
#define NOTIFY_BUF	(64 * 1024)
#define CACHE_SLOTS	256
#define SYNC_EVERY_NS	1000000ull		/* netns_tick() looks at most this often */
#define RESCAN_MIN_NS	1000000000ull		/* for an unknown interface, at most once a second */
#define RESCAN_EVERY_NS	60000000000ull		/* and once a minute regardless */
#define FOLLOWUP_NS	300000000ull		/* a second look soon: /run/netns changed, a look failed */

struct ns_link {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
};

struct ns_addr {
	uint32_t ifindex;
	uint8_t alen;
	uint8_t a[16];
};

struct ns {
	struct netns_info info;
	char *name, *container;		/* info.name and info.container point here */
	bool run_netns;			/* name is its /run/netns name */
	struct ns_link *links;
	size_t nlinks, caplinks;
	struct ns_addr *addrs;
	size_t naddrs, capaddrs;
	bool seen;			/* found by the scan in progress */
};

/* Every (ifindex, namespace, link), sorted by ifindex; every (address, namespace), by address. */
struct link_ix {
	uint32_t ifindex, ns, link;
};

struct addr_ix {
	uint8_t alen, a[16];
	uint32_t ns;
};

struct cache_slot {
	bool valid;
	uint64_t gen;
	uint32_t ifindex, khash;
	uint8_t alen, a[16];
	struct netns_attr attr;
};

struct netns_db {
	struct ns **ns;
	size_t n, cap;
	bool complete;
	uint64_t gen, index_gen;	/* gen moves at every change; the index is of index_gen */
	struct link_ix *lix;
	size_t nlix;
	struct addr_ix *aix;
	size_t naix;
	uint32_t *mark, stamp;		/* per namespace, for intersections */
	size_t capmark;
	struct cache_slot cache[CACHE_SLOTS];

	/* Live: the machine's namespaces. */
	bool live;
	int nfd;			/* notifications of every namespace with an id */
	struct nl_sock *req;		/* requests and dumps */
	int ifd, wd_netns;		/* inotify on /run and /run/netns */
	int selffd;			/* our namespace, to come back to after setns() */
	uint64_t self_ino, host_ino;
	uint64_t last_sync, last_scan, rescan_at, followup_at, periodic_at;
	char buf[NOTIFY_BUF];		/* notifications as they are read */
	bool resync;
	bool strict;			/* the kernel reads another namespace through its id */
	void (*note)(const char *fmt, ...);
	bool noted_unreadable, noted_denied, noted_listen;
	struct netns_stats st;
	/* The dump in progress. */
	struct ns *into;
	int dump_err;
};

int nsdb_apply_addr(struct ns *ns, const struct nlmsghdr *h);
int nsdb_apply_link(struct ns *ns, const struct nlmsghdr *h);
struct ns *nsdb_find_ino(const struct netns_db *db, uint64_t ino);
struct ns *nsdb_find_nsid(const struct netns_db *db, int nsid);
void nsdb_free_ns(struct ns *ns);
void nsdb_remove_at(struct netns_db *db, size_t i);
void nsdb_rescan(struct netns_db *db);
void nsdb_set_str(char **dst, const char **info, const char *src);

#endif
