// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine's network namespaces, found and kept current: /proc's processes and
 * /run/netns's names, each namespace's links and addresses dumped over route netlink
 * and followed by its notifications, inotify on /run/netns, and setns() into one
 * and back.
 */
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
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "netns_int.h"
#include "owner.h"
#include "util.h"

/* ---- walking /proc ---- */

static bool still_there(const char *procdir, const char *pid)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", procdir, pid);
	return !stat(path, &st);
}

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
			/*
			 * Gone meanwhile (ENOENT, ESRCH), or a kernel without it: passed over. A
			 * process reaped between the listing and this look gives EACCES as well:
			 * denied only when it is still there.
			 */
			if ((errno == EACCES || errno == EPERM) && still_there(procdir, e->d_name))
				(*denied)++;
			continue;
		}
		fn((pid_t)pid, (uint64_t)st.st_ino, arg);
	}
	closedir(d);
	return 0;
}

/* ---- the live service ---- */

/* How often a namespace's id or links are asked for before it is said unreadable. */
#define READ_TRIES 3

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
	err = h->nlmsg_type == RTM_NEWLINK ? nsdb_apply_link(db->into, h) :
	      h->nlmsg_type == RTM_NEWADDR ? nsdb_apply_addr(db->into, h) : 0;
	if (err == -ENOMEM)
		db->dump_err = err;
	return NL_OK;
}

/*
 * Links and addresses of @ns, read whole: 0, or a negative libnl error (nl_geterror()
 * says it). A dump the kernel marks interrupted (the links or addresses changed while
 * it ran) is a failed one: the caller reads again.
 */
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
			return -NLE_NOMEM;
		if ((pass ? nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) :
			    nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO)) ||
		    (ns->info.nsid >= 0 &&
		     nla_put_s32(m, pass ? IFA_TARGET_NETNSID : IFLA_TARGET_NETNSID, ns->info.nsid)) ||
		    (!pass && nla_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))) {
			nlmsg_free(m);
			return -NLE_NOMEM;
		}
		db->into = ns;
		db->dump_err = 0;
		err = nl_send_auto(db->req, m);
		nlmsg_free(m);
		if (err >= 0)
			err = nl_recvmsgs_default(db->req);
		if (err >= 0)
			err = db->dump_err ? -NLE_NOMEM : 0;
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
 * ACK) for the namespace of @fd: 0 or a negative libnl error.
 */
static int nsid_request(struct netns_db *db, int type, int fd, int *nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_simple(type, NLM_F_REQUEST |
					      (type == RTM_NEWNSID ? NLM_F_ACK : 0));
	int err;

	if (!m)
		return -NLE_NOMEM;
	if (nlmsg_append(m, &g, sizeof(g), NLMSG_ALIGNTO) || nla_put_u32(m, NETNSA_FD, (uint32_t)fd) ||
	    (type == RTM_NEWNSID && nla_put_s32(m, NETNSA_NSID, -1))) {
		nlmsg_free(m);
		return -NLE_NOMEM;
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
	return err < 0 ? err : 0;
}

/* Its id in ours, given one when it has none: >= 0, or a negative libnl error. */
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
	return nsid >= 0 ? nsid : -NLE_OBJ_NOTFOUND;
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
	struct ns *ns = db ? nsdb_find_ino(db, ino) : NULL;
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
	struct ns *ns = db ? nsdb_find_ino(db, ino) : NULL;

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
		nsdb_set_str(&ns->container, &ns->info.container, o.text);
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
	if (util_grow(&l->f, &l->cap, l->n + 1, sizeof(*l->f), 256)) {
		l->nomem = true;
		return;
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

/* @path opened if it is still the namespace of inode @ino; -1 if not. */
static int open_ns(const char *path, uint64_t ino)
{
	struct statfs sf;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sf) || sf.f_type != NSFS_MAGIC || fstat(fd, &st) ||
	    (uint64_t)st.st_ino != ino) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A found namespace opened: by its /run/netns name (@named), else a process's; -1 if gone.
 * What is opened must still be that namespace: ip netns del unmounts the name before it
 * removes the file, and a process's id may be another's by now.
 */
static int open_found(const struct found *f, const struct found *named)
{
	char path[PATH_MAX];
	int fd = -1;

	if (named) {
		snprintf(path, sizeof(path), RUN_NETNS "/%s", named->name);
		fd = open_ns(path, f->ino);
	}
	if (fd < 0 && f->pid) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)f->pid);
		fd = open_ns(path, f->ino);
	}
	return fd;
}

/* A namespace found for the first time: its id, cookie, links, addresses and owner. */

static void adopt(struct netns_db *db, const struct found *f, const struct found *named)
{
	const struct netns_info *info;
	struct ns *ns;
	int fd, nsid = NETNS_SELF, err = 0, tries;
	uint64_t cookie = 0;
	bool self = f->ino == db->self_ino;

	fd = open_found(f, named);
	if (fd < 0)
		return;	/* gone meanwhile */
	if (!self) {
		nsid = -NLE_OPNOTSUPP;
		for (tries = 0; db->strict && tries < READ_TRIES && nsid < 0; tries++)
			nsid = nsid_of(db, fd);
		if (nsid < 0) {
			close(fd);
			db->st.unreadable++;
			say(db, &db->noted_unreadable, "network namespaces: cannot read namespace %llu "
			    "(%s): drops are named only where the evidence holds without it",
			    (unsigned long long)f->ino, nl_geterror(nsid));
			return;	/* the look is incomplete: nsdb_rescan() says so at its end */
		}
		/* An id another namespace had: that one is gone. */
		netns_forget(db, nsid);
	}
	cookie = cookie_of(db, fd);
	/*
	 * The descriptor is held until the links are read: a namespace deleted meanwhile
	 * (ip netns del) lives on while it is open, where its id would already lead nowhere.
	 */
	info = netns_add(db, f->ino, nsid, f->ino == db->host_ino ? "host" :
			 named ? named->name : NULL, NULL, f->ino == db->host_ino);
	if (!info) {
		close(fd);
		return;
	}
	ns = nsdb_find_nsid(db, nsid);
	ns->info.cookie = cookie;
	ns->info.pid = f->pid;
	ns->run_netns = named && f->ino != db->host_ino;
	ns->seen = true;
	if (!ns->info.host && f->pid)
		owner_of(ns, f->pid);
	/* A dump interrupted by a change (a namespace being set up as we look) is read again. */
	for (tries = 0; tries < READ_TRIES && (!tries || err); tries++)
		err = dump_ns(db, ns);
	close(fd);
	if (err) {
		db->st.unreadable++;
		say(db, &db->noted_unreadable, "network namespaces: cannot read the links of "
		    "namespace %llu (%s)", (unsigned long long)f->ino, nl_geterror(err));
	}
}

/*
 * Whether @ns, known by its inode, is still the namespace found there: inodes are
 * reused once a namespace dies, cookies are not. True when it cannot be told.
 */
static bool same_namespace(struct netns_db *db, const struct ns *ns, const struct found *f,
			   const struct found *named)
{
	uint64_t cookie;
	int fd;

	if (!ns->info.cookie || ns->info.nsid == NETNS_SELF)
		return true;
	fd = open_found(f, named);
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

void nsdb_rescan(struct netns_db *db)
{
	struct found_list l = { 0 };
	uint64_t unreadable = db->st.unreadable;
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
	if (!nsdb_find_ino(db, db->self_ino))
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
		ns = nsdb_find_ino(db, l.f[i].ino);
		if (ns && !same_namespace(db, ns, proc ? proc : &l.f[i], named)) {
			/* Its inode, another namespace's now (the first died): that one anew. */
			for (size_t k = 0; k < db->n; k++)
				if (db->ns[k] == ns)
					nsdb_remove_at(db, k);
			ns = NULL;
		}
		if (ns) {
			ns->seen = true;
			if (named && !ns->info.name) {
				nsdb_set_str(&ns->name, &ns->info.name, named->name);
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
			nsdb_remove_at(db, i);
	}
	for (i = 0; i < l.n; i++)
		free(l.f[i].name);
	free(l.f);
	/* Complete when this look read every namespace it found (an earlier one's failures are
	 * of namespaces it found again, or of gone ones). */
	complete = complete && db->st.unreadable == unreadable;
	/* The first look that fails after one that did not is followed by another soon: what
	 * failed may have been passing (a namespace being set up as it was read). */
	if (db->complete && !complete && !db->followup_at)
		db->followup_at = db->last_scan + FOLLOWUP_NS;
	netns_set_complete(db, complete);
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
	else if (!nsdb_find_nsid(db, nsid) && !db->rescan_at)
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
	db->followup_at = db->rescan_at + FOLLOWUP_NS;
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

void netns_rescan(struct netns_db *db)
{
	if (db && db->live)
		nsdb_rescan(db);
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
		nsdb_rescan(db);
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
	nsdb_rescan(db);
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
		nsdb_free_ns(db->ns[i]);
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
