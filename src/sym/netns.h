/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network namespaces as a service, like symbols: every namespace of the
 * machine (found as ip netns and lsns -t net find them: /run/netns and
 * /proc/PID/ns/net, one entry per inode and SO_NETNS_COOKIE), its links (ifindex -> name) and
 * addresses, kept current from the kernel's notifications, and its owner
 * (host, the /run/netns name, a container from a process's cgroup).
 *
 * The kernel tells a listener which namespace a change happened in by the
 * id that namespace has in the listener's (NETLINK_LISTEN_ALL_NSID): each
 * namespace found is given one where it has none (RTM_NEWNSID, as
 * "ip netns set" does), and is read through it (IFLA_TARGET_NETNSID,
 * IFA_TARGET_NETNSID). No socket is kept in another namespace: one would
 * keep that namespace alive after its container is gone.
 *
 * An ifindex is per namespace: a drop's input port names an interface only
 * once its namespace is established, by evidence (netns_attribute()).
 */
#ifndef DW_NETNS_H
#define DW_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nlmsghdr;

/* How a drop's namespace was established. */
enum netns_by {
	NETNS_BY_NONE = 0,	/* no evidence: no interface, or one no namespace has */
	NETNS_BY_ONLY,		/* the only namespace with that interface index */
	NETNS_BY_ADDRESS,	/* the only one of those with the packet's address */
	NETNS_BY_AMBIGUOUS,	/* several remain */
	NETNS_BY_KERNEL,	/* the source read it at the drop (eBPF) */
};

/* "only", "address", "ambiguous", "kernel"; NULL for NETNS_BY_NONE. */
const char *netns_by_name(enum netns_by by);
/* How a name of netns_by_name() reads in a sentence: "by the packet's address". */
const char *netns_by_phrase(const char *by);

/* The id of our own namespace in netns_apply(): it has none in itself. */
#define NETNS_SELF (-2)

struct netns_info {
	uint64_t ino;		/* the namespace's inode (stat -L /proc/PID/ns/net); 0 when
				 * known only by its id (no process, no /run/netns name) */
	uint64_t cookie;	/* SO_NETNS_COOKIE, 0 when not read */
	int nsid;		/* its id in our namespace; NETNS_SELF for ours */
	pid_t pid;		/* a process inside, 0 when none was found */
	bool host;		/* pid 1's */
	const char *name;	/* "host", the /run/netns name, else NULL (raw bytes) */
	const char *container;	/* its owner (owner.h), NULL when none (raw bytes) */
};

struct netns_attr {
	enum netns_by by;
	const struct netns_info *ns;	/* only, address, kernel: valid until netns_sync() */
	const char *dev;		/* the interface's name when established, else NULL */
	unsigned int candidates;	/* ambiguous: the namespaces still possible */
};

struct netns_db;

/* An empty table (no socket: netns_add() and netns_apply() fill it). NULL: no memory. */
struct netns_db *netns_db_new(void);
/*
 * The machine's namespaces, read now and kept current: NULL and why in @why
 * when no route netlink socket could be had. A namespace that could not be
 * read (no right to, vanished mid-read) is said once through @note.
 */
struct netns_db *netns_db_open(void (*note)(const char *fmt, ...), char *why, size_t whylen);
void netns_db_close(struct netns_db *db);

/* Adds a namespace (tests; discovery). Returns it, NULL without memory. */
const struct netns_info *netns_add(struct netns_db *db, uint64_t ino, int nsid, const char *name,
				   const char *container, bool host);
/*
 * A route netlink message about namespace @nsid (NETNS_SELF: ours):
 * RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR. Others are ignored.
 * 0, -EINVAL (malformed), -ENOMEM.
 */
int netns_apply(struct netns_db *db, int nsid, const struct nlmsghdr *h);
/* Forgets namespace @nsid (it is gone: RTM_DELNSID). */
void netns_forget(struct netns_db *db, int nsid);
/* Whether every namespace could be looked at (else no interface is named by "only"). */
void netns_set_complete(struct netns_db *db, bool complete);

/*
 * The namespace of a drop whose input port is @ifindex (0: none) named
 * @kname by the kernel (hardware drops; NULL), with @addr (@alen bytes, 0:
 * none): the packet's destination when it came in on @ifindex, else its
 * source. Never a name from a namespace it did not establish.
 */
void netns_attribute(struct netns_db *db, uint32_t ifindex, const char *kname, const uint8_t *addr,
		     unsigned int alen, struct netns_attr *out);
/*
 * The kernel's notifications taken in, namespaces looked for again when one
 * appeared (and once a minute): cheap when nothing happened.
 */
void netns_sync(struct netns_db *db);
/*
 * netns_sync() at most once a millisecond: called before each read of a source
 * (run.h), so that attributing a drop reads no clock and makes no system call.
 */
void netns_tick(struct netns_db *db);
/* Looks for namespaces now (what netns_sync() does once a minute). */
void netns_rescan(struct netns_db *db);

/*
 * Into namespace @ino (setns(): what is read or opened from here on is that
 * namespace's) until netns_leave(): 0, or -errno (gone, no right). Our own
 * namespace is entered at once. Sockets opened inside must be closed before
 * leaving: one kept would keep that namespace alive.
 */
int netns_enter(struct netns_db *db, uint64_t ino);
void netns_leave(struct netns_db *db, uint64_t ino);

/* Our own namespace's inode (0 without a live table). */
uint64_t netns_self(const struct netns_db *db);

size_t netns_count(const struct netns_db *db);
const struct netns_info *netns_at(const struct netns_db *db, size_t i);
/* A namespace by inode, 0 for none. */
const struct netns_info *netns_by_ino(const struct netns_db *db, uint64_t ino);
/* The name of interface @ifindex in namespace @ino (known to be that one), or NULL. */
const char *netns_link_name(struct netns_db *db, uint64_t ino, uint32_t ifindex);

/* Counters of the service's work, for the benchmark and `show`. */
struct netns_stats {
	uint64_t scans;		/* looks at /proc and /run/netns */
	uint64_t notifications;	/* link and address changes taken in */
	uint64_t resyncs;	/* full reads after the notifications overran */
	uint64_t unreadable;	/* namespaces that could not be read */
};
void netns_stats(const struct netns_db *db, struct netns_stats *st);

/*
 * Walks @procdir (/proc) for PID/ns/net: @fn(pid, inode, arg) for each
 * process that has one; a process that exits meanwhile is passed over. -errno
 * when @procdir cannot be read; *@denied counts the processes we may not look at.
 */
int netns_walk_proc(const char *procdir, void (*fn)(pid_t pid, uint64_t ino, void *arg), void *arg,
		    size_t *denied);

#endif
