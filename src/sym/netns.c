// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "netns.h"
#include "owner.h"
#include "util.h"

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

const char *netns_by_name(enum netns_by by)
{
	switch (by) {
	case NETNS_BY_ONLY:
		return "only";
	case NETNS_BY_ADDRESS:
		return "address";
	case NETNS_BY_AMBIGUOUS:
		return "ambiguous";
	case NETNS_BY_KERNEL:
		return "kernel";
	default:
		return NULL;
	}
}

const char *netns_by_phrase(const char *by)
{
	if (!by)
		return "";
	if (!strcmp(by, "only"))
		return "the only one with that interface index";
	if (!strcmp(by, "address"))
		return "by the packet's address";
	if (!strcmp(by, "kernel"))
		return "read at the drop";
	return by;
}

static void rescan(struct netns_db *db);

/* ---- the table ---- */

struct netns_db *netns_db_new(void)
{
	struct netns_db *db = calloc(1, sizeof(*db));

	if (!db)
		return NULL;
	db->complete = true;
	db->nfd = db->ifd = db->selffd = db->wd_netns = -1;
	db->gen = 1;
	return db;
}

static void ns_free(struct ns *ns)
{
	if (!ns)
		return;
	free(ns->name);
	free(ns->container);
	free(ns->links);
	free(ns->addrs);
	free(ns);
}

static void set_str(char **dst, const char **info, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
	*info = *dst;
}

const struct netns_info *netns_add(struct netns_db *db, uint64_t ino, int nsid, const char *name,
				   const char *container, bool host)
{
	struct ns *ns = calloc(1, sizeof(*ns));

	if (!ns)
		return NULL;
	if (db->n == db->cap) {
		size_t cap = db->cap ? 2 * db->cap : 16;
		struct ns **grown = realloc(db->ns, cap * sizeof(*grown));
		uint32_t *mark = realloc(db->mark, cap * sizeof(*mark));

		if (mark)
			db->mark = mark;
		if (!grown || !mark) {
			if (grown)
				db->ns = grown;
			free(ns);
			return NULL;
		}
		memset(mark + db->cap, 0, (cap - db->cap) * sizeof(*mark));
		db->ns = grown;
		db->cap = cap;
	}
	ns->info.ino = ino;
	ns->info.nsid = nsid;
	ns->info.host = host;
	set_str(&ns->name, &ns->info.name, name);
	set_str(&ns->container, &ns->info.container, container);
	db->ns[db->n++] = ns;
	db->gen++;
	return &ns->info;
}

static struct ns *find_nsid(const struct netns_db *db, int nsid)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->ns[i]->info.nsid == nsid)
			return db->ns[i];
	return NULL;
}

static struct ns *find_ino(const struct netns_db *db, uint64_t ino)
{
	for (size_t i = 0; ino && i < db->n; i++)
		if (db->ns[i]->info.ino == ino)
			return db->ns[i];
	return NULL;
}

static void remove_at(struct netns_db *db, size_t i)
{
	ns_free(db->ns[i]);
	memmove(db->ns + i, db->ns + i + 1, (db->n - i - 1) * sizeof(*db->ns));
	db->n--;
	db->gen++;
}

void netns_forget(struct netns_db *db, int nsid)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->ns[i]->info.nsid == nsid && nsid != NETNS_SELF) {
			remove_at(db, i);
			return;
		}
}

void netns_set_complete(struct netns_db *db, bool complete)
{
	if (db->complete != complete)
		db->gen++;
	db->complete = complete;
}

uint64_t netns_self(const struct netns_db *db)
{
	return db && db->live ? db->self_ino : 0;
}

size_t netns_count(const struct netns_db *db)
{
	return db ? db->n : 0;
}

const struct netns_info *netns_at(const struct netns_db *db, size_t i)
{
	return db && i < db->n ? &db->ns[i]->info : NULL;
}

const struct netns_info *netns_by_ino(const struct netns_db *db, uint64_t ino)
{
	struct ns *ns = db ? find_ino(db, ino) : NULL;

	return ns ? &ns->info : NULL;
}

const char *netns_link_name(struct netns_db *db, uint64_t ino, uint32_t ifindex)
{
	struct ns *ns;

	if (!db)
		return NULL;
	ns = find_ino(db, ino);
	for (size_t i = 0; ns && i < ns->nlinks; i++)
		if (ns->links[i].ifindex == ifindex)
			return ns->links[i].name;
	return NULL;
}

void netns_stats(const struct netns_db *db, struct netns_stats *st)
{
	*st = db->st;
}

/* ---- links and addresses, from route netlink messages ---- */

static int put_link(struct ns *ns, uint32_t ifindex, const char *name)
{
	size_t i;

	for (i = 0; i < ns->nlinks; i++)
		if (ns->links[i].ifindex == ifindex)
			break;
	if (i == ns->nlinks) {
		if (ns->nlinks == ns->caplinks) {
			size_t cap = ns->caplinks ? 2 * ns->caplinks : 8;
			struct ns_link *grown = realloc(ns->links, cap * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			ns->links = grown;
			ns->caplinks = cap;
		}
		ns->nlinks++;
	}
	ns->links[i].ifindex = ifindex;
	snprintf(ns->links[i].name, sizeof(ns->links[i].name), "%s", name);
	return 0;
}

static void del_link(struct ns *ns, uint32_t ifindex)
{
	size_t i, j = 0;

	for (i = 0; i < ns->nlinks; i++)
		if (ns->links[i].ifindex != ifindex)
			ns->links[j++] = ns->links[i];
	ns->nlinks = j;
	/* Its addresses went with it (the kernel says so too, address by address). */
	for (i = j = 0; i < ns->naddrs; i++)
		if (ns->addrs[i].ifindex != ifindex)
			ns->addrs[j++] = ns->addrs[i];
	ns->naddrs = j;
}

static bool same_addr(const struct ns_addr *x, uint32_t ifindex, const uint8_t *a, uint8_t alen)
{
	return x->ifindex == ifindex && x->alen == alen && !memcmp(x->a, a, alen);
}

static int put_addr(struct ns *ns, uint32_t ifindex, const uint8_t *a, uint8_t alen)
{
	for (size_t i = 0; i < ns->naddrs; i++)
		if (same_addr(&ns->addrs[i], ifindex, a, alen))
			return 0;
	if (ns->naddrs == ns->capaddrs) {
		size_t cap = ns->capaddrs ? 2 * ns->capaddrs : 8;
		struct ns_addr *grown = realloc(ns->addrs, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		ns->addrs = grown;
		ns->capaddrs = cap;
	}
	memset(&ns->addrs[ns->naddrs], 0, sizeof(ns->addrs[0]));
	ns->addrs[ns->naddrs].ifindex = ifindex;
	ns->addrs[ns->naddrs].alen = alen;
	memcpy(ns->addrs[ns->naddrs].a, a, alen);
	ns->naddrs++;
	return 0;
}

static void del_addr(struct ns *ns, uint32_t ifindex, const uint8_t *a, uint8_t alen)
{
	size_t i, j = 0;

	for (i = 0; i < ns->naddrs; i++)
		if (!same_addr(&ns->addrs[i], ifindex, a, alen))
			ns->addrs[j++] = ns->addrs[i];
	ns->naddrs = j;
}

static int apply_link(struct ns *ns, const struct nlmsghdr *h)
{
	struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	char name[IF_NAMESIZE];
	int len;

	if (!nlmsg_valid_hdr(h, sizeof(*ifi)))
		return -EINVAL;
	ifi = nlmsg_data(h);
	if (ifi->ifi_index <= 0)
		return -EINVAL;
	if (h->nlmsg_type == RTM_DELLINK) {
		del_link(ns, (uint32_t)ifi->ifi_index);
		return 0;
	}
	if (nlmsg_parse((struct nlmsghdr *)h, sizeof(*ifi), tb, IFLA_MAX, NULL) || !tb[IFLA_IFNAME])
		return -EINVAL;
	len = nla_len(tb[IFLA_IFNAME]);
	if (len <= 0 || len > IF_NAMESIZE)
		return -EINVAL;
	memcpy(name, nla_data(tb[IFLA_IFNAME]), (size_t)len);
	name[len < IF_NAMESIZE ? len : IF_NAMESIZE - 1] = '\0';
	if (!name[0])
		return -EINVAL;
	return put_link(ns, (uint32_t)ifi->ifi_index, name);
}

static int apply_addr(struct ns *ns, const struct nlmsghdr *h)
{
	struct nlattr *tb[IFA_MAX + 1], *a;
	const struct ifaddrmsg *ifa;
	uint8_t alen;

	if (!nlmsg_valid_hdr(h, sizeof(*ifa)))
		return -EINVAL;
	ifa = nlmsg_data(h);
	if (ifa->ifa_family == AF_INET)
		alen = 4;
	else if (ifa->ifa_family == AF_INET6)
		alen = 16;
	else
		return 0;	/* not an address of ours to match */
	if (nlmsg_parse((struct nlmsghdr *)h, sizeof(*ifa), tb, IFA_MAX, NULL))
		return -EINVAL;
	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS the peer's on a point-to-point link). */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || nla_len(a) != alen)
		return -EINVAL;
	if (h->nlmsg_type == RTM_DELADDR) {
		del_addr(ns, ifa->ifa_index, nla_data(a), alen);
		return 0;
	}
	return put_addr(ns, ifa->ifa_index, nla_data(a), alen);
}

int netns_apply(struct netns_db *db, int nsid, const struct nlmsghdr *h)
{
	struct ns *ns;
	int err;

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
	case RTM_NEWADDR:
	case RTM_DELADDR:
		break;
	default:
		return 0;
	}
	ns = find_nsid(db, nsid);
	if (!ns) {
		/* A namespace not read yet: read whole when it is found. */
		if (db->live && !db->rescan_at)
			db->rescan_at = util_mono_ns();
		return 0;
	}
	err = h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK ? apply_link(ns, h) :
									   apply_addr(ns, h);
	db->gen++;
	return err;
}

/* ---- the index, and the attribution ---- */

static int cmp_lix(const void *x, const void *y)
{
	const struct link_ix *a = x, *b = y;

	return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

static int addr_cmp(uint8_t alen, const uint8_t *a, uint8_t blen, const uint8_t *b)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

static int cmp_aix(const void *x, const void *y)
{
	const struct addr_ix *a = x, *b = y;
	int c = addr_cmp(a->alen, a->a, b->alen, b->a);

	return c ? c : (a->ns < b->ns ? -1 : a->ns > b->ns);
}

static int build_index(struct netns_db *db)
{
	size_t nl = 0, na = 0, i, j, k;
	struct link_ix *lix;
	struct addr_ix *aix;

	if (db->index_gen == db->gen)
		return 0;
	for (i = 0; i < db->n; i++) {
		nl += db->ns[i]->nlinks;
		na += db->ns[i]->naddrs;
	}
	lix = malloc((nl ? nl : 1) * sizeof(*lix));
	aix = malloc((na ? na : 1) * sizeof(*aix));
	if (!lix || !aix) {
		free(lix);
		free(aix);
		return -ENOMEM;
	}
	for (i = 0, k = 0; i < db->n; i++)
		for (j = 0; j < db->ns[i]->nlinks; j++)
			lix[k++] = (struct link_ix){ db->ns[i]->links[j].ifindex, (uint32_t)i, (uint32_t)j };
	for (i = 0, k = 0; i < db->n; i++)
		for (j = 0; j < db->ns[i]->naddrs; j++) {
			const struct ns_addr *a = &db->ns[i]->addrs[j];

			memset(&aix[k], 0, sizeof(aix[k]));
			aix[k].alen = a->alen;
			memcpy(aix[k].a, a->a, a->alen);
			aix[k++].ns = (uint32_t)i;
		}
	qsort(lix, nl, sizeof(*lix), cmp_lix);
	qsort(aix, na, sizeof(*aix), cmp_aix);
	free(db->lix);
	free(db->aix);
	db->lix = lix;
	db->nlix = nl;
	db->aix = aix;
	db->naix = na;
	db->index_gen = db->gen;
	return 0;
}

/* The first entry of @ifindex in the link index, and how many there are. */
static size_t link_range(const struct netns_db *db, uint32_t ifindex, size_t *count)
{
	size_t lo = 0, hi = db->nlix, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (db->lix[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < db->nlix && db->lix[end].ifindex == ifindex; end++)
		;
	*count = end - lo;
	return lo;
}

static size_t addr_range(const struct netns_db *db, const uint8_t *a, uint8_t alen, size_t *count)
{
	size_t lo = 0, hi = db->naix, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr_cmp(db->aix[mid].alen, db->aix[mid].a, alen, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < db->naix && !addr_cmp(db->aix[end].alen, db->aix[end].a, alen, a); end++)
		;
	*count = end - lo;
	return lo;
}

static const char *link_name(const struct netns_db *db, const struct link_ix *l)
{
	return db->ns[l->ns]->links[l->link].name;
}

/* Returns false when no namespace has @ifindex (one may have been made since the last look). */
static bool attribute(struct netns_db *db, uint32_t ifindex, const char *kname, const uint8_t *addr,
		      unsigned int alen, struct netns_attr *out)
{
	size_t first = 0, count = 0, afirst = 0, acount = 0, i, ncand = 0, nmatch = 0, last = 0;
	const char *common = NULL;
	bool same = true;

	memset(out, 0, sizeof(*out));
	if (!db->complete || build_index(db))
		return true;
	if (alen)
		afirst = addr_range(db, addr, (uint8_t)alen, &acount);
	if (!ifindex) {
		/* No interface: the address alone (the sender's, for a packet on its way out). */
		uint32_t prev = UINT32_MAX;

		for (i = afirst; i < afirst + acount; i++)
			if (db->aix[i].ns != prev) {
				prev = db->aix[i].ns;
				nmatch++;
			}
		if (nmatch == 1) {
			out->by = NETNS_BY_ADDRESS;
			out->ns = &db->ns[db->aix[afirst].ns]->info;
		} else if (nmatch > 1) {
			out->by = NETNS_BY_AMBIGUOUS;
			out->candidates = (unsigned int)nmatch;
		}
		return true;
	}
	first = link_range(db, ifindex, &count);
	if (++db->stamp >= UINT32_MAX - 2) {
		memset(db->mark, 0, db->cap * sizeof(*db->mark));
		db->stamp = 1;
	}
	for (i = first; i < first + count; i++) {
		if (kname && strcmp(link_name(db, &db->lix[i]), kname))
			continue;
		db->mark[db->lix[i].ns] = db->stamp;
		last = i;
		ncand++;
	}
	if (!ncand)
		return false;
	if (ncand == 1) {
		out->by = NETNS_BY_ONLY;
		out->ns = &db->ns[db->lix[last].ns]->info;
		out->dev = link_name(db, &db->lix[last]);
		return true;
	}
	/* Several have that index: those whose addresses hold the packet's. */
	for (i = afirst; i < afirst + acount; i++) {
		uint32_t n = db->aix[i].ns;

		if (db->mark[n] == db->stamp) {
			db->mark[n] = db->stamp + 1;	/* counted once, kept apart */
			nmatch++;
			last = n;
		}
	}
	if (nmatch == 1) {
		out->by = NETNS_BY_ADDRESS;
		out->ns = &db->ns[last]->info;
		for (i = first; i < first + count; i++)
			if (db->lix[i].ns == last)
				out->dev = link_name(db, &db->lix[i]);
		db->stamp++;
		return true;
	}
	out->by = NETNS_BY_AMBIGUOUS;
	out->candidates = (unsigned int)(nmatch ? nmatch : ncand);
	/* The name, when every namespace still possible gives the index the same one ("lo"). */
	for (i = first; i < first + count; i++) {
		uint32_t n = db->lix[i].ns;

		if (db->mark[n] != (nmatch ? db->stamp + 1 : db->stamp))
			continue;
		if (!common)
			common = link_name(db, &db->lix[i]);
		else if (strcmp(common, link_name(db, &db->lix[i])))
			same = false;
	}
	if (same)
		out->dev = common;
	db->stamp++;
	return true;
}

static uint32_t khash_of(const char *kname)
{
	uint32_t h = 2166136261u;

	for (; kname && *kname; kname++)
		h = (h ^ (unsigned char)*kname) * 16777619u;
	return h;
}

void netns_tick(struct netns_db *db)
{
	uint64_t now;

	if (!db || !db->live)
		return;
	now = util_mono_ns();
	if (now - db->last_sync < SYNC_EVERY_NS)
		return;
	netns_sync(db);
}

void netns_attribute(struct netns_db *db, uint32_t ifindex, const char *kname, const uint8_t *addr,
		     unsigned int alen, struct netns_attr *out)
{
	uint32_t khash = khash_of(kname);
	struct cache_slot *c;
	size_t slot;

	memset(out, 0, sizeof(*out));
	if (!db)
		return;
	if (alen > 16)
		alen = 0;
	slot = (ifindex * 2654435761u ^ khash ^ (alen ? addr[alen - 1] * 40503u : 0)) % CACHE_SLOTS;
	c = &db->cache[slot];
	if (c->valid && c->gen == db->gen && c->ifindex == ifindex && c->khash == khash &&
	    c->alen == alen && !memcmp(c->a, addr, alen)) {
		*out = c->attr;
		return;
	}
	if (!attribute(db, ifindex, kname, addr, alen, out) && db->live &&
	    util_mono_ns() - db->last_scan >= RESCAN_MIN_NS) {
		/* An interface no namespace has: one made since the last look, perhaps. */
		rescan(db);
		attribute(db, ifindex, kname, addr, alen, out);
	}
	memset(c, 0, sizeof(*c));
	c->valid = true;
	c->gen = db->gen;
	c->ifindex = ifindex;
	c->khash = khash;
	c->alen = (uint8_t)alen;
	if (alen)
		memcpy(c->a, addr, alen);
	c->attr = *out;
}

/* ---- walking /proc ---- */

int netns_walk_proc(const char *procdir, void (*fn)(pid_t pid, uint64_t ino, void *arg), void *arg,
		    size_t *denied)
{
	DIR *d = opendir(procdir);
	struct dirent *e;

	*denied = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[PATH_MAX], *end;
		struct stat st;
		unsigned long pid = strtoul(e->d_name, &end, 10);

		if (*end || !pid || e->d_name[0] == '0' || pid > INT32_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%s/ns/net", procdir, e->d_name);
		if (stat(path, &st)) {
			/* Gone meanwhile (ENOENT, ESRCH), or a kernel without it: passed over. */
			if (errno == EACCES || errno == EPERM)
				(*denied)++;
			continue;
		}
		fn((pid_t)pid, (uint64_t)st.st_ino, arg);
	}
	closedir(d);
	return 0;
}

/* ---- the live service ---- */

static void say(struct netns_db *db, bool *once, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct netns_db *db, bool *once, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (*once || !db->note)
		return;
	*once = true;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	db->note("%s", buf);
}

static int on_dump(struct nl_msg *msg, void *arg)
{
	struct netns_db *db = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int err;

	if (!db->into)
		return NL_OK;
	err = h->nlmsg_type == RTM_NEWLINK ? apply_link(db->into, h) :
	      h->nlmsg_type == RTM_NEWADDR ? apply_addr(db->into, h) : 0;
	if (err == -ENOMEM)
		db->dump_err = err;
	return NL_OK;
}

/* Links and addresses of @ns, read whole. 0 or -errno. */
static int dump_ns(struct netns_db *db, struct ns *ns)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct nl_msg *m;
	int err = 0, pass;

	ns->nlinks = ns->naddrs = 0;
	db->gen++;
	for (pass = 0; pass < 2 && !err; pass++) {
		m = nlmsg_alloc_simple(pass ? RTM_GETADDR : RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
		if (!m)
			return -ENOMEM;
		if ((pass ? nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) :
			    nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO)) ||
		    (ns->info.nsid >= 0 &&
		     nla_put_s32(m, pass ? IFA_TARGET_NETNSID : IFLA_TARGET_NETNSID, ns->info.nsid)) ||
		    (!pass && nla_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))) {
			nlmsg_free(m);
			return -ENOMEM;
		}
		db->into = ns;
		db->dump_err = 0;
		err = nl_send_auto(db->req, m);
		nlmsg_free(m);
		if (err >= 0)
			err = nl_recvmsgs_default(db->req);
		err = err < 0 ? -EIO : db->dump_err;
		db->into = NULL;
	}
	return err;
}

static int on_nsid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NETNSA_MAX + 1];
	int *nsid = arg;

	if (nlmsg_hdr(msg)->nlmsg_type == RTM_NEWNSID &&
	    !nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtgenmsg), tb, NETNSA_MAX, NULL) &&
	    tb[NETNSA_NSID] && nla_len(tb[NETNSA_NSID]) == 4)
		*nsid = nla_get_s32(tb[NETNSA_NSID]);
	return NL_OK;
}

/*
 * RTM_GETNSID (its answer: the id, in *@nsid) or RTM_NEWNSID (its answer: an
 * ACK) for the namespace of @fd: 0 or -errno.
 */
static int nsid_request(struct netns_db *db, int type, int fd, int *nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_simple(type, NLM_F_REQUEST |
					      (type == RTM_NEWNSID ? NLM_F_ACK : 0));
	int err;

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &g, sizeof(g), NLMSG_ALIGNTO) || nla_put_u32(m, NETNSA_FD, (uint32_t)fd) ||
	    (type == RTM_NEWNSID && nla_put_s32(m, NETNSA_NSID, -1))) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	*nsid = NETNSA_NSID_NOT_ASSIGNED;
	nl_socket_modify_cb(db->req, NL_CB_VALID, NL_CB_CUSTOM, on_nsid, nsid);
	err = nl_send_auto(db->req, m);
	nlmsg_free(m);
	if (err >= 0)
		err = type == RTM_NEWNSID ? nl_wait_for_ack(db->req) : nl_recvmsgs_default(db->req);
	nl_socket_modify_cb(db->req, NL_CB_VALID, NL_CB_CUSTOM, on_dump, db);
	if (err == -NLE_EXIST)
		return 0;	/* given one meanwhile */
	return err < 0 ? (err == -NLE_PERM ? -EPERM : -EIO) : 0;
}

/* Its id in ours, given one when it has none: >= 0, or -errno. */
static int nsid_of(struct netns_db *db, int fd)
{
	int nsid, err = nsid_request(db, RTM_GETNSID, fd, &nsid);

	if (!err && nsid < 0) {
		err = nsid_request(db, RTM_NEWNSID, fd, &nsid);
		if (!err)
			err = nsid_request(db, RTM_GETNSID, fd, &nsid);
	}
	if (err)
		return err;
	return nsid >= 0 ? nsid : -ENOENT;
}

/* Back in our own namespace, after setns() into another. */
static void come_back(struct netns_db *db)
{
	if (!setns(db->selffd, CLONE_NEWNET))
		return;
	/*
	 * Not in our own namespace any more: every answer from here on would be another
	 * namespace's. Said; no namespace is entered or read again, and the program ends
	 * as SIGTERM ends it (the monitor stopped, the kernel's settings restored).
	 */
	if (db->note)
		db->note("network namespaces: cannot return to our own namespace (%s): stopping",
			 strerror(errno));
	close(db->selffd);
	db->selffd = -1;
	db->live = false;
	raise(SIGTERM);
}

/* SO_NETNS_COOKIE of the namespace of @fd, read from a socket made there for the purpose. */
static uint64_t cookie_of(struct netns_db *db, int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	int s;

	if (db->selffd < 0 || setns(fd, CLONE_NEWNET))
		return 0;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		if (getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
			cookie = 0;
		close(s);
	}
	come_back(db);
	return cookie;
}

int netns_enter(struct netns_db *db, uint64_t ino)
{
	struct ns *ns = db ? find_ino(db, ino) : NULL;
	char path[PATH_MAX];
	struct stat st;
	int fd, err = 0;

	if (!ns || !db->live || db->selffd < 0)
		return -ENOENT;
	if (ns->info.nsid == NETNS_SELF)
		return 0;
	if (ns->run_netns)
		snprintf(path, sizeof(path), RUN_NETNS "/%s", ns->name);
	else if (ns->info.pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->info.pid);
	else
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The process may have gone and its number been taken by another, elsewhere. */
	if (fstat(fd, &st) || (uint64_t)st.st_ino != ino)
		err = -ESTALE;
	else if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}

void netns_leave(struct netns_db *db, uint64_t ino)
{
	struct ns *ns = db ? find_ino(db, ino) : NULL;

	if (ns && ns->info.nsid != NETNS_SELF)
		come_back(db);
}

static void owner_of(struct ns *ns, pid_t pid)
{
	char path[64], text[8192];
	struct ns_owner o;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	if (owner_from_cgroup(text, (size_t)n, &o))
		set_str(&ns->container, &ns->info.container, o.text);
}

/* What the scan found: an inode, a process in it, its /run/netns name. */
struct found {
	uint64_t ino;
	pid_t pid;
	char *name;
};

struct found_list {
	struct found *f;
	size_t n, cap;
	bool nomem;
};

static void found_add(struct found_list *l, uint64_t ino, pid_t pid, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct found *grown = realloc(l->f, cap * sizeof(*grown));

		if (!grown) {
			l->nomem = true;
			return;
		}
		l->f = grown;
		l->cap = cap;
	}
	l->f[l->n++] = (struct found){ ino, pid, name ? strdup(name) : NULL };
}

static void found_proc(pid_t pid, uint64_t ino, void *arg)
{
	found_add(arg, ino, pid, NULL);
}

static int cmp_found(const void *x, const void *y)
{
	const struct found *a = x, *b = y;

	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (!!a->name != !!b->name)
		return a->name ? -1 : 1;	/* the named one first */
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static void scan_run_netns(struct found_list *l)
{
	DIR *d = opendir(RUN_NETNS);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct statfs sf;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), RUN_NETNS "/%s", e->d_name);
		/* A file not mounted over yet (ip netns add makes it first) is no namespace. */
		if (statfs(path, &sf) || sf.f_type != NSFS_MAGIC || stat(path, &st))
			continue;
		found_add(l, (uint64_t)st.st_ino, 0, e->d_name);
	}
	closedir(d);
}

/* A namespace found for the first time: its id, cookie, links, addresses and owner. */
static void adopt(struct netns_db *db, const struct found *f, const struct found *named)
{
	char path[PATH_MAX];
	const struct netns_info *info;
	struct ns *ns;
	int fd, nsid = NETNS_SELF, err;
	uint64_t cookie = 0;
	bool self = f->ino == db->self_ino;

	if (named)
		snprintf(path, sizeof(path), RUN_NETNS "/%s", named->name);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)f->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;	/* gone meanwhile */
	if (!self) {
		nsid = db->strict ? nsid_of(db, fd) : -EOPNOTSUPP;
		if (nsid < 0) {
			close(fd);
			db->st.unreadable++;
			say(db, &db->noted_unreadable, "network namespaces: cannot read namespace %llu "
			    "(%s): drops are named only where the evidence holds without it",
			    (unsigned long long)f->ino, strerror(-nsid));
			netns_set_complete(db, false);
			return;
		}
		/* An id another namespace had: that one is gone. */
		netns_forget(db, nsid);
	}
	cookie = cookie_of(db, fd);
	close(fd);
	info = netns_add(db, f->ino, nsid, f->ino == db->host_ino ? "host" :
			 named ? named->name : NULL, NULL, f->ino == db->host_ino);
	if (!info)
		return;
	ns = find_nsid(db, nsid);
	ns->info.cookie = cookie;
	ns->info.pid = f->pid;
	ns->run_netns = named && f->ino != db->host_ino;
	ns->seen = true;
	if (!ns->info.host && f->pid)
		owner_of(ns, f->pid);
	err = dump_ns(db, ns);
	if (err) {
		db->st.unreadable++;
		say(db, &db->noted_unreadable, "network namespaces: cannot read the links of "
		    "namespace %llu (%s)", (unsigned long long)f->ino, strerror(-err));
	}
}

/*
 * Whether @ns, known by its inode, is still the namespace found there: inodes are
 * reused once a namespace dies, cookies are not. True when it cannot be told.
 */
static bool same_namespace(struct netns_db *db, const struct ns *ns, const struct found *f,
			   const struct found *named)
{
	char path[PATH_MAX];
	uint64_t cookie;
	int fd;

	if (!ns->info.cookie || ns->info.nsid == NETNS_SELF)
		return true;
	if (named)
		snprintf(path, sizeof(path), RUN_NETNS "/%s", named->name);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)f->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	cookie = cookie_of(db, fd);
	close(fd);
	return !cookie || cookie == ns->info.cookie;
}

static uint64_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

static void rescan(struct netns_db *db)
{
	struct found_list l = { 0 };
	size_t denied = 0, i, j;
	bool complete = true;
	int err;

	db->last_scan = util_mono_ns();
	db->rescan_at = 0;
	if (db->followup_at && db->last_scan >= db->followup_at)
		db->followup_at = 0;
	db->periodic_at = db->last_scan + RESCAN_EVERY_NS;
	db->st.scans++;
	db->host_ino = ino_of("/proc/1/ns/net");
	if (!db->host_ino && db->self_ino == INIT_NET_INO)
		db->host_ino = INIT_NET_INO;
	scan_run_netns(&l);
	err = netns_walk_proc("/proc", found_proc, &l, &denied);
	if (err || denied) {
		complete = false;
		say(db, &db->noted_denied, "network namespaces: %s: the namespaces of processes we may "
		    "not look at are unknown, so no interface is named by its index (root can)",
		    err ? strerror(-err) : "no right to look at some processes");
	} else if (ino_of("/proc/self/ns/pid") != INIT_PID_INO) {
		complete = false;
		say(db, &db->noted_denied, "network namespaces: /proc shows the processes of our own "
		    "PID namespace only: the namespaces of the others are unknown, so no interface "
		    "is named by its index (run in the host's PID namespace)");
	}
	if (!find_ino(db, db->self_ino))
		found_add(&l, db->self_ino, getpid(), NULL);
	if (l.nomem)
		complete = false;
	qsort(l.f, l.n, sizeof(*l.f), cmp_found);
	for (i = 0; i < db->n; i++)
		db->ns[i]->seen = false;
	for (i = 0; i < l.n; i = j) {
		const struct found *named = l.f[i].name ? &l.f[i] : NULL;
		const struct found *proc = NULL;
		struct ns *ns;

		for (j = i; j < l.n && l.f[j].ino == l.f[i].ino; j++)
			if (!proc && l.f[j].pid)
				proc = &l.f[j];
		ns = find_ino(db, l.f[i].ino);
		if (ns && !same_namespace(db, ns, proc ? proc : &l.f[i], named)) {
			/* Its inode, another namespace's now (the first died): that one anew. */
			for (size_t k = 0; k < db->n; k++)
				if (db->ns[k] == ns)
					remove_at(db, k);
			ns = NULL;
		}
		if (ns) {
			ns->seen = true;
			if (named && !ns->info.name) {
				set_str(&ns->name, &ns->info.name, named->name);
				ns->run_netns = true;
			}
			if (!ns->info.pid && proc) {
				ns->info.pid = proc->pid;
				if (!ns->info.host)
					owner_of(ns, proc->pid);
			}
			continue;
		}
		adopt(db, proc ? proc : &l.f[i], named);
	}
	/* Those not found again are gone (or out of reach: then no name is better than an old one). */
	for (i = 0; i < db->n;) {
		if (db->ns[i]->seen || db->ns[i]->info.nsid == NETNS_SELF)
			i++;
		else
			remove_at(db, i);
	}
	for (i = 0; i < l.n; i++)
		free(l.f[i].name);
	free(l.f);
	netns_set_complete(db, complete && !db->st.unreadable);
}

/* Everything read again: after the notifications overran, some were lost. */
static void resync(struct netns_db *db)
{
	db->st.resyncs++;
	db->resync = false;
	for (size_t i = 0; i < db->n; i++)
		dump_ns(db, db->ns[i]);
}

static void take_nsid_note(struct netns_db *db, const struct nlmsghdr *h)
{
	struct nlattr *tb[NETNSA_MAX + 1];
	int nsid;

	if (nlmsg_parse((struct nlmsghdr *)h, sizeof(struct rtgenmsg), tb, NETNSA_MAX, NULL) ||
	    !tb[NETNSA_NSID] || nla_len(tb[NETNSA_NSID]) != 4)
		return;
	nsid = nla_get_s32(tb[NETNSA_NSID]);
	if (h->nlmsg_type == RTM_DELNSID)
		netns_forget(db, nsid);
	else if (!find_nsid(db, nsid) && !db->rescan_at)
		db->rescan_at = util_mono_ns();	/* a namespace we have not met */
}

static void drain_notifications(struct netns_db *db)
{
	char cbuf[CMSG_SPACE(sizeof(int))];

	for (;;) {
		struct iovec iov = { db->buf, sizeof(db->buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c;
		struct nlmsghdr *h;
		int nsid = NETNS_SELF, len;
		ssize_t n = recvmsg(db->nfd, &mh, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS) {
				db->resync = true;	/* notifications were lost */
				continue;
			}
			break;	/* EAGAIN: nothing more */
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID)
				memcpy(&nsid, CMSG_DATA(c), sizeof(nsid));
		len = (int)n;
		for (h = (struct nlmsghdr *)db->buf; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_type == RTM_NEWNSID || h->nlmsg_type == RTM_DELNSID) {
				if (nsid == NETNS_SELF)	/* ids in our namespace */
					take_nsid_note(db, h);
				continue;
			}
			db->st.notifications++;
			netns_apply(db, nsid, h);
		}
	}
}

static void watch_run_netns(struct netns_db *db)
{
	if (db->ifd >= 0 && db->wd_netns < 0)
		db->wd_netns = inotify_add_watch(db->ifd, RUN_NETNS, IN_CREATE | IN_DELETE |
						 IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR);
}

/* Something happened in /run/netns (or it was made): look again, now and shortly after. */
static void drain_inotify(struct netns_db *db)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	bool any = false;

	while ((n = read(db->ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;

			if (e->wd == db->wd_netns || (e->len && !strcmp(e->name, "netns")))
				any = true;
			if (e->wd == db->wd_netns && (e->mask & IN_IGNORED))
				db->wd_netns = -1;
			p += sizeof(*e) + e->len;
		}
	}
	if (!any)
		return;
	watch_run_netns(db);
	/*
	 * ip netns add makes the file, then mounts the namespace on it: the scan may
	 * come between the two, so another comes a little later.
	 */
	db->rescan_at = util_mono_ns();
	db->followup_at = db->rescan_at + 300000000ull;
}

void netns_rescan(struct netns_db *db)
{
	if (db && db->live)
		rescan(db);
}

void netns_sync(struct netns_db *db)
{
	uint64_t now;

	if (!db || !db->live)
		return;
	db->last_sync = util_mono_ns();
	drain_notifications(db);
	drain_inotify(db);
	if (db->resync)
		resync(db);
	now = util_mono_ns();
	if ((db->rescan_at && now >= db->rescan_at) || (db->followup_at && now >= db->followup_at) ||
	    now >= db->periodic_at)
		rescan(db);
}

struct netns_db *netns_db_open(void (*note)(const char *fmt, ...), char *why, size_t whylen)
{
	struct netns_db *db = netns_db_new();
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static const int groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
				      RTNLGRP_NSID };
	int one = 1, rcvbuf = 4 * 1024 * 1024;

	if (!db) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return NULL;
	}
	db->note = note;
	db->live = true;
	db->self_ino = ino_of("/proc/self/ns/net");
	db->selffd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	db->nfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (db->nfd < 0 || bind(db->nfd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	if (setsockopt(db->nfd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(db->nfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(db->nfd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &one, sizeof(one)))
		say(db, &db->noted_listen, "network namespaces: no notifications from other "
		    "namespaces (%s): they are read again once a minute", strerror(errno));
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(db->nfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i],
			       sizeof(groups[i])))
			goto fail;
	db->req = nl_socket_alloc();
	if (!db->req || nl_connect(db->req, NETLINK_ROUTE)) {
		errno = EPROTONOSUPPORT;
		goto fail;
	}
	/*
	 * Dumps of another namespace's addresses are honoured under strict checking only;
	 * a kernel without it (before 4.20) would answer with our own links and addresses.
	 */
	db->strict = !setsockopt(nl_socket_get_fd(db->req), SOL_NETLINK, NETLINK_GET_STRICT_CHK,
				 &one, sizeof(one));
	nl_socket_set_buffer_size(db->req, 1024 * 1024, 0);
	/* A dump ends with its DONE: an ACK asked of it would come after, for the next reply. */
	nl_socket_disable_auto_ack(db->req);
	nl_socket_modify_cb(db->req, NL_CB_VALID, NL_CB_CUSTOM, on_dump, db);
	db->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (db->ifd >= 0)
		inotify_add_watch(db->ifd, "/run", IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
	watch_run_netns(db);
	rescan(db);
	db->last_sync = util_mono_ns();
	return db;
fail:
	snprintf(why, whylen, "%s", strerror(errno));
	netns_db_close(db);
	return NULL;
}

void netns_db_close(struct netns_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		ns_free(db->ns[i]);
	free(db->ns);
	free(db->mark);
	free(db->lix);
	free(db->aix);
	if (db->req)
		nl_socket_free(db->req);
	if (db->nfd >= 0)
		close(db->nfd);
	if (db->ifd >= 0)
		close(db->ifd);
	if (db->selffd >= 0)
		close(db->selffd);
	free(db);
}
