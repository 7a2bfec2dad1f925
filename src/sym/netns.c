// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The namespace table: each network namespace with its links and addresses (as
 * route netlink said them), an index of both, and the attribution of a drop (its
 * interface index, name and address) to the namespace it happened in. Discovery
 * and keeping it current are netns_live.c's.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "netns_int.h"
#include "util.h"

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

void nsdb_free_ns(struct ns *ns)
{
	if (!ns)
		return;
	free(ns->name);
	free(ns->container);
	free(ns->links);
	free(ns->addrs);
	free(ns);
}

void nsdb_set_str(char **dst, const char **info, const char *src)
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
	if (util_grow(&db->ns, &db->cap, db->n + 1, sizeof(*db->ns), 16) ||
	    util_grow(&db->mark, &db->capmark, db->n + 1, sizeof(*db->mark), 16)) {
		free(ns);
		return NULL;
	}
	memset(db->mark + db->n, 0, (db->capmark - db->n) * sizeof(*db->mark));
	ns->info.ino = ino;
	ns->info.nsid = nsid;
	ns->info.host = host;
	nsdb_set_str(&ns->name, &ns->info.name, name);
	nsdb_set_str(&ns->container, &ns->info.container, container);
	db->ns[db->n++] = ns;
	db->gen++;
	return &ns->info;
}

struct ns *nsdb_find_nsid(const struct netns_db *db, int nsid)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->ns[i]->info.nsid == nsid)
			return db->ns[i];
	return NULL;
}

struct ns *nsdb_find_ino(const struct netns_db *db, uint64_t ino)
{
	for (size_t i = 0; ino && i < db->n; i++)
		if (db->ns[i]->info.ino == ino)
			return db->ns[i];
	return NULL;
}

void nsdb_remove_at(struct netns_db *db, size_t i)
{
	nsdb_free_ns(db->ns[i]);
	memmove(db->ns + i, db->ns + i + 1, (db->n - i - 1) * sizeof(*db->ns));
	db->n--;
	db->gen++;
}

void netns_forget(struct netns_db *db, int nsid)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->ns[i]->info.nsid == nsid && nsid != NETNS_SELF) {
			nsdb_remove_at(db, i);
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
	struct ns *ns = db ? nsdb_find_ino(db, ino) : NULL;

	return ns ? &ns->info : NULL;
}

const char *netns_link_name(struct netns_db *db, uint64_t ino, uint32_t ifindex)
{
	struct ns *ns;

	if (!db)
		return NULL;
	ns = nsdb_find_ino(db, ino);
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
		if (util_grow(&ns->links, &ns->caplinks, ns->nlinks + 1, sizeof(*ns->links), 8))
			return -ENOMEM;
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
	if (util_grow(&ns->addrs, &ns->capaddrs, ns->naddrs + 1, sizeof(*ns->addrs), 8))
		return -ENOMEM;
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

int nsdb_apply_link(struct ns *ns, const struct nlmsghdr *h)
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

int nsdb_apply_addr(struct ns *ns, const struct nlmsghdr *h)
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
	ns = nsdb_find_nsid(db, nsid);
	if (!ns) {
		/* A namespace not read yet: read whole when it is found. */
		if (db->live && !db->rescan_at)
			db->rescan_at = util_mono_ns();
		return 0;
	}
	err = h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK ? nsdb_apply_link(ns, h) :
									   nsdb_apply_addr(ns, h);
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
		memset(db->mark, 0, db->capmark * sizeof(*db->mark));
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
	/*
	 * An interface no namespace has: one made since the last look, perhaps. The look is
	 * the live service's, at its next tick, between two reads: never /proc and setns()
	 * while an event is handled.
	 */
	if (!attribute(db, ifindex, kname, addr, alen, out) && db->live && !db->rescan_at &&
	    util_mono_ns() - db->last_scan >= RESCAN_MIN_NS)
		db->rescan_at = util_mono_ns();
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
