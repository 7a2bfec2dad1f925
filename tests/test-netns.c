// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whose drop: a namespace's owner from a process's cgroup, for each runtime's
 * layout; /proc walked while processes come and go; the attribution of an
 * input port by its index and the packet's address, kept current by link and
 * address messages as the kernel sends them (malformed ones too); and hostile
 * names escaped in the record.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "netns.h"
#include "owner.h"
#include "record.h"
#include "rtnl-build.h"

static const char *owner_text(const char *path)
{
	static struct ns_owner o;

	return owner_from_path(path, &o) ? o.text : NULL;
}

#define ID "4f0c7a1b2e3d4c5b6a798897a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7"

/*
 * The layouts as each runtime makes them. Docker: its cgroup driver documentation
 * (systemd: docker-ID.scope under system.slice; cgroupfs: /docker/ID). Kubernetes:
 * the kubelet's cgroup drivers (kubepods.slice/kubepods-QOS.slice/
 * kubepods-QOS-podUID.slice with the UID's dashes as underscores, then the runtime's
 * scope; cgroupfs: /kubepods/QOS/podUID/ID). Podman: machine.slice/libpod-ID.scope
 * (rootful), user@UID.service/user.slice/libpod-ID.scope (rootless), /libpod_parent
 * (cgroupfs). systemd-nspawn and machined: machine.slice/machine-NAME.scope, NAME
 * escaped as systemd escapes unit names. LXC: lxc.payload.NAME since LXC 4, /lxc/NAME
 * before (cgroup v1).
 */
static void test_owner_layouts(void **state)
{
	(void)state;
	/* Docker, both drivers, cgroup v2 and v1 paths alike. */
	assert_string_equal(owner_text("/system.slice/docker-" ID ".scope"), "docker:4f0c7a1b2e3d");
	assert_string_equal(owner_text("/docker/" ID), "docker:4f0c7a1b2e3d");
	/* Kubernetes with containerd (CRI), the systemd driver: burstable, and guaranteed. */
	assert_string_equal(owner_text("/kubepods.slice/kubepods-burstable.slice/"
				       "kubepods-burstable-pod5a1a6c2f_2a3b_4c5d_8e9f_0123456789ab.slice/"
				       "cri-containerd-" ID ".scope"),
			    "k8s:5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/containerd:4f0c7a1b2e3d");
	assert_string_equal(owner_text("/kubepods.slice/"
				       "kubepods-pod5a1a6c2f_2a3b_4c5d_8e9f_0123456789ab.slice/"
				       "cri-containerd-" ID ".scope"),
			    "k8s:5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/containerd:4f0c7a1b2e3d");
	/* CRI-O, systemd driver. */
	assert_string_equal(owner_text("/kubepods.slice/kubepods-besteffort.slice/"
				       "kubepods-besteffort-pod5a1a6c2f_2a3b_4c5d_8e9f_0123456789ab.slice/"
				       "crio-" ID ".scope"),
			    "k8s:5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/cri-o:4f0c7a1b2e3d");
	/* The cgroupfs driver (v1): the runtime is not in the path. */
	assert_string_equal(owner_text("/kubepods/besteffort/pod5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/"
				       ID),
			    "k8s:5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/4f0c7a1b2e3d");
	/* Podman: rootful (the container's own sub-cgroup), rootless, cgroupfs. */
	assert_string_equal(owner_text("/machine.slice/libpod-" ID ".scope/container"),
			    "podman:4f0c7a1b2e3d");
	assert_string_equal(owner_text("/user.slice/user-1000.slice/user@1000.service/user.slice/"
				       "libpod-" ID ".scope/container"), "podman:4f0c7a1b2e3d");
	assert_string_equal(owner_text("/libpod_parent/libpod-" ID), "podman:4f0c7a1b2e3d");
	/* systemd-nspawn: the payload sub-cgroup, and systemd's escapes undone. */
	assert_string_equal(owner_text("/machine.slice/machine-web\\x2dfront.scope/payload"),
			    "nspawn:web-front");
	assert_string_equal(owner_text("/machine.slice/machine-db.scope"), "nspawn:db");
	/* LXC and LXD: 4.0 and later, and before. */
	assert_string_equal(owner_text("/lxc.payload.c1/init.scope"), "lxc:c1");
	assert_string_equal(owner_text("/lxc/c2"), "lxc:c2");
	/* No container: a plain service (system, user). */
	assert_string_equal(owner_text("/system.slice/nginx.service"), "systemd:nginx.service");
	assert_string_equal(owner_text("/user.slice/user-1000.slice/user@1000.service/app.slice/"
				       "app-x.service"), "systemd:app-x.service");
	/* The runtimes' helpers live in the host's namespace: they name no container. */
	assert_null(owner_text("/machine.slice/libpod-conmon-" ID ".scope"));
	assert_null(owner_text("/kubepods.slice/crio-conmon-" ID ".scope"));
	assert_null(owner_text("/init.scope"));
	assert_null(owner_text("/"));
	assert_null(owner_text(""));
	assert_null(owner_text("/user.slice/user-1000.slice/session-2.scope"));
	/* Not quite an id: too short, not hex. */
	assert_null(owner_text("/system.slice/docker-0123.scope"));
	assert_null(owner_text("/docker/zz" ID));
}

/* /proc/PID/cgroup: v1's lines (the systemd one among controllers), v2's, and both. */
static void test_owner_files(void **state)
{
	static const char v1[] =
		"12:pids:/docker/" ID "\n"
		"11:memory:/docker/" ID "\n"
		"1:name=systemd:/docker/" ID "\n";
	static const char v2[] = "0::/system.slice/docker-" ID ".scope\n";
	/* A service that runs a container (v1 controllers say the service, v2 the container). */
	static const char hybrid[] =
		"3:cpu,cpuacct:/system.slice/containerd.service\n"
		"0::/kubepods.slice/kubepods-pod5a1a6c2f_2a3b_4c5d_8e9f_0123456789ab.slice/"
		"cri-containerd-" ID ".scope\n";
	static const char svc[] = "0::/system.slice/sshd.service\n";
	static const char bad[] = "garbage\n:\n1:\n0::\n";
	struct ns_owner o;

	(void)state;
	assert_true(owner_from_cgroup(v1, sizeof(v1) - 1, &o));
	assert_string_equal(o.text, "docker:4f0c7a1b2e3d");
	assert_string_equal(o.id, ID);
	assert_true(owner_from_cgroup(v2, sizeof(v2) - 1, &o));
	assert_string_equal(o.runtime, "docker");
	assert_true(owner_from_cgroup(hybrid, sizeof(hybrid) - 1, &o));
	assert_string_equal(o.text, "k8s:5a1a6c2f-2a3b-4c5d-8e9f-0123456789ab/containerd:4f0c7a1b2e3d");
	assert_true(owner_from_cgroup(svc, sizeof(svc) - 1, &o));
	assert_string_equal(o.text, "systemd:sshd.service");
	assert_false(owner_from_cgroup(bad, sizeof(bad) - 1, &o));
	/* Without its newline; cut mid-line ("...ID.sc"), no layout. */
	assert_true(owner_from_cgroup(v2, sizeof(v2) - 2, &o));
	assert_false(owner_from_cgroup(v2, sizeof(v2) - 5, &o));
}

/* A name cut to fit; raw bytes kept (the record escapes them). */
static void test_owner_hostile(void **state)
{
	char path[512];
	struct ns_owner o;

	(void)state;
	snprintf(path, sizeof(path), "/lxc.payload.%s", "\x1b[2J\x07very-long-name-"
		 "0123456789012345678901234567890123456789012345678901234567890123456789");
	assert_true(owner_from_path(path, &o));
	assert_true(strlen(o.id) < sizeof(o.id));
	assert_int_equal(o.text[4], '\x1b');
	assert_true(owner_from_path("/machine.slice/machine-\\x1b\\x5b.scope", &o));
	assert_string_equal(o.id, "\x1b[");
}

/* ---- /proc ---- */

struct seen {
	int pids[16];
	uint64_t inos[16];
	int n;
};

static void on_pid(pid_t pid, uint64_t ino, void *arg)
{
	struct seen *s = arg;

	if (s->n < 16) {
		s->pids[s->n] = (int)pid;
		s->inos[s->n++] = ino;
	}
}

static void mkfile(const char *dir, const char *rel)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void mkd(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* Processes with a namespace, one gone meanwhile (no ns/net), and what is no process. */
static void test_walk_proc(void **state)
{
	char dir[] = "/tmp/dw-proc.XXXXXX", path[512];
	struct seen s = { .n = 0 };
	size_t denied = 99;
	struct stat st;
	uint64_t ino7;

	(void)state;
	assert_non_null(mkdtemp(dir));
	mkd(dir, "7");
	mkd(dir, "7/ns");
	mkfile(dir, "7/ns/net");
	mkd(dir, "12");
	mkd(dir, "12/ns");
	mkfile(dir, "12/ns/net");
	mkd(dir, "40");			/* gone: its ns/ entry went first */
	mkd(dir, "self");
	mkd(dir, "sys");
	mkd(dir, "007");		/* not a pid as the kernel writes them */
	mkfile(dir, "99");		/* not a directory */
	snprintf(path, sizeof(path), "%s/7/ns/net", dir);
	assert_int_equal(stat(path, &st), 0);
	ino7 = st.st_ino;
	assert_int_equal(netns_walk_proc(dir, on_pid, &s, &denied), 0);
	assert_int_equal(denied, 0);
	assert_int_equal(s.n, 2);
	for (int i = 0; i < s.n; i++) {
		assert_true(s.pids[i] == 7 || s.pids[i] == 12);
		if (s.pids[i] == 7)
			assert_int_equal(s.inos[i], ino7);
	}
	assert_int_equal(netns_walk_proc("/nonexistent/proc", on_pid, &s, &denied), -ENOENT);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* ---- attribution ---- */

/*
 * The host (lo 127.0.0.1, eth0 10.0.0.1 at 2, veth at 9), two containers with lo and
 * eth0 at 2 (172.17.0.2 and .3, and fd00::2 for the first), a namespace with tap at 9.
 */
static struct netns_db *machine(void)
{
	struct netns_db *db = netns_db_new();

	assert_non_null(db);
	assert_non_null(netns_add(db, 4026531840ull, NETNS_SELF, "host", NULL, true));
	assert_non_null(netns_add(db, 4026532281ull, 0, NULL, "docker:4f0c7a1b2e3d", false));
	assert_non_null(netns_add(db, 4026532282ull, 1, NULL, "docker:aaaaaaaaaaaa", false));
	assert_non_null(netns_add(db, 4026532300ull, 2, "vm1", NULL, false));
	assert_int_equal(rtnl_link(db, NETNS_SELF, RTM_NEWLINK, 1, "lo"), 0);
	assert_int_equal(rtnl_addr(db, NETNS_SELF, RTM_NEWADDR, 1, "127.0.0.1"), 0);
	assert_int_equal(rtnl_link(db, NETNS_SELF, RTM_NEWLINK, 2, "eth0"), 0);
	assert_int_equal(rtnl_addr(db, NETNS_SELF, RTM_NEWADDR, 2, "10.0.0.1"), 0);
	assert_int_equal(rtnl_link(db, NETNS_SELF, RTM_NEWLINK, 9, "veth1a2b"), 0);
	for (int ns = 0; ns < 2; ns++) {
		assert_int_equal(rtnl_link(db, ns, RTM_NEWLINK, 1, "lo"), 0);
		assert_int_equal(rtnl_addr(db, ns, RTM_NEWADDR, 1, "127.0.0.1"), 0);
		assert_int_equal(rtnl_link(db, ns, RTM_NEWLINK, 2, "eth0"), 0);
		assert_int_equal(rtnl_addr(db, ns, RTM_NEWADDR, 2, ns ? "172.17.0.3" : "172.17.0.2"), 0);
	}
	assert_int_equal(rtnl_addr(db, 0, RTM_NEWADDR, 2, "fd00::2"), 0);
	assert_int_equal(rtnl_link(db, 2, RTM_NEWLINK, 9, "tap0"), 0);
	return db;
}

static struct netns_attr attr(struct netns_db *db, uint32_t ifindex, const char *kname,
			      const char *addr)
{
	unsigned char a[16];
	unsigned int alen = 0;
	struct netns_attr at;

	if (addr && inet_pton(AF_INET, addr, a) == 1)
		alen = 4;
	else if (addr && inet_pton(AF_INET6, addr, a) == 1)
		alen = 16;
	netns_attribute(db, ifindex, kname, a, alen, &at);
	return at;
}

static void test_attribution(void **state)
{
	struct netns_db *db = machine();
	struct netns_attr at;

	(void)state;
	/* An index only the host has... no: 9 is the host's veth and vm1's tap. */
	at = attr(db, 9, NULL, "192.0.2.9");
	assert_int_equal(at.by, NETNS_BY_AMBIGUOUS);
	assert_int_equal(at.candidates, 2);
	assert_null(at.dev);			/* veth1a2b or tap0: not said */
	/* eth0 (2) is in three: the destination address settles it. */
	at = attr(db, 2, NULL, "172.17.0.2");
	assert_int_equal(at.by, NETNS_BY_ADDRESS);
	assert_int_equal(at.ns->ino, 4026532281ull);
	assert_string_equal(at.dev, "eth0");
	assert_string_equal(at.ns->container, "docker:4f0c7a1b2e3d");
	at = attr(db, 2, NULL, "fd00::2");
	assert_int_equal(at.by, NETNS_BY_ADDRESS);
	assert_int_equal(at.ns->ino, 4026532281ull);
	/* An address none of them has: ambiguous, but eth0 is eth0 in all three. */
	at = attr(db, 2, NULL, "8.8.8.8");
	assert_int_equal(at.by, NETNS_BY_AMBIGUOUS);
	assert_int_equal(at.candidates, 3);
	assert_string_equal(at.dev, "eth0");
	assert_null(at.ns);
	/* lo with 127.0.0.1 in three: ambiguous, named lo. */
	at = attr(db, 1, NULL, "127.0.0.1");
	assert_int_equal(at.by, NETNS_BY_AMBIGUOUS);
	assert_int_equal(at.candidates, 3);
	assert_string_equal(at.dev, "lo");
	/* A name the kernel sent (a hardware drop's port) narrows it. */
	at = attr(db, 9, "tap0", NULL);
	assert_int_equal(at.by, NETNS_BY_ONLY);
	assert_string_equal(at.ns->name, "vm1");
	at = attr(db, 9, "nope0", NULL);
	assert_int_equal(at.by, NETNS_BY_NONE);
	/* No interface (a packet on its way out): the source address alone. */
	at = attr(db, 0, NULL, "172.17.0.3");
	assert_int_equal(at.by, NETNS_BY_ADDRESS);
	assert_int_equal(at.ns->ino, 4026532282ull);
	assert_null(at.dev);
	at = attr(db, 0, NULL, "127.0.0.1");
	assert_int_equal(at.by, NETNS_BY_AMBIGUOUS);
	at = attr(db, 0, NULL, NULL);
	assert_int_equal(at.by, NETNS_BY_NONE);
	/* An index no namespace has. */
	at = attr(db, 77, NULL, "10.0.0.1");
	assert_int_equal(at.by, NETNS_BY_NONE);
	assert_null(at.dev);

	/* The host's veth deleted: 9 is vm1's alone. */
	assert_int_equal(rtnl_link(db, NETNS_SELF, RTM_DELLINK, 9, NULL), 0);
	at = attr(db, 9, NULL, NULL);
	assert_int_equal(at.by, NETNS_BY_ONLY);
	assert_string_equal(at.dev, "tap0");
	/* ... then its index reused in the first container by another: the new name. */
	assert_int_equal(rtnl_link(db, 2, RTM_DELLINK, 9, NULL), 0);
	assert_int_equal(rtnl_link(db, 0, RTM_NEWLINK, 9, "vnew"), 0);
	at = attr(db, 9, NULL, NULL);
	assert_int_equal(at.by, NETNS_BY_ONLY);
	assert_string_equal(at.dev, "vnew");
	assert_int_equal(at.ns->ino, 4026532281ull);
	/* A renamed link: the new name. */
	assert_int_equal(rtnl_link(db, 0, RTM_NEWLINK, 9, "vrenamed"), 0);
	assert_string_equal(attr(db, 9, NULL, NULL).dev, "vrenamed");
	/* An address removed no longer settles anything. */
	assert_int_equal(rtnl_addr(db, 0, RTM_DELADDR, 2, "172.17.0.2"), 0);
	assert_int_equal(attr(db, 2, NULL, "172.17.0.2").by, NETNS_BY_AMBIGUOUS);
	/* A container gone: one candidate fewer. */
	netns_forget(db, 1);
	at = attr(db, 2, NULL, "8.8.8.8");
	assert_int_equal(at.candidates, 2);
	/* Without a complete view of the machine's namespaces, no index is named. */
	netns_set_complete(db, false);
	assert_int_equal(attr(db, 9, NULL, NULL).by, NETNS_BY_NONE);
	netns_set_complete(db, true);
	assert_int_equal(attr(db, 9, NULL, NULL).by, NETNS_BY_ONLY);
	netns_db_close(db);
}

/* Messages as a broken or hostile kernel could send them: refused, the table unharmed. */
static void test_malformed(void **state)
{
	struct netns_db *db = machine();
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		struct nlattr a;
		char name[20];
	} m;

	(void)state;
	/* No name; a name past IFNAMSIZ; an index of 0; a header cut short. */
	assert_int_equal(rtnl_link(db, 0, RTM_NEWLINK, 5, NULL), -EINVAL);
	assert_int_equal(rtnl_link(db, 0, RTM_NEWLINK, 5, "abcdefghijklmnopqrst"), -EINVAL);
	assert_int_equal(rtnl_link(db, 0, RTM_NEWLINK, 0, "x"), -EINVAL);
	memset(&m, 0, sizeof(m));
	m.h.nlmsg_type = RTM_NEWLINK;
	m.h.nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(netns_apply(db, 0, &m.h), -EINVAL);
	/* An attribute whose length runs past the message. */
	m.h.nlmsg_len = NLMSG_LENGTH(sizeof(m.ifi)) + 8;
	m.ifi.ifi_index = 5;
	m.a.nla_type = IFLA_IFNAME;
	m.a.nla_len = 200;
	assert_int_equal(netns_apply(db, 0, &m.h), -EINVAL);
	/* An address of the wrong length for its family. */
	{
		struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_index = 2 };
		struct nl_msg *n = nlmsg_alloc_simple(RTM_NEWADDR, 0);
		unsigned char six[6] = { 1, 2, 3, 4, 5, 6 };

		assert_non_null(n);
		assert_int_equal(nlmsg_append(n, &ifa, sizeof(ifa), NLMSG_ALIGNTO), 0);
		assert_int_equal(nla_put(n, IFA_LOCAL, 6, six), 0);
		assert_int_equal(netns_apply(db, 0, nlmsg_hdr(n)), -EINVAL);
		nlmsg_free(n);
	}
	/* A namespace not in the table, and a message of another kind: nothing. */
	assert_int_equal(rtnl_link(db, 42, RTM_NEWLINK, 5, "x"), 0);
	m.h.nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(netns_apply(db, 0, &m.h), 0);
	/* The table is as it was. */
	assert_int_equal(attr(db, 5, NULL, NULL).by, NETNS_BY_NONE);
	assert_int_equal(attr(db, 2, NULL, "172.17.0.2").by, NETNS_BY_ADDRESS);
	netns_db_close(db);
}

/* Thousands of namespaces: each found by its own index and address. */
static void test_many(void **state)
{
	struct netns_db *db = netns_db_new();
	char name[16], addr[32];

	(void)state;
	for (int i = 0; i < 2000; i++) {
		assert_non_null(netns_add(db, 4026540000ull + (uint64_t)i, i, NULL, NULL, false));
		assert_int_equal(rtnl_link(db, i, RTM_NEWLINK, 1, "lo"), 0);
		snprintf(name, sizeof(name), "eth%d", i);
		assert_int_equal(rtnl_link(db, i, RTM_NEWLINK, 2, "eth0"), 0);
		assert_int_equal(rtnl_link(db, i, RTM_NEWLINK, 1000 + i, name), 0);
		snprintf(addr, sizeof(addr), "10.%d.%d.2", i / 256, i % 256);
		assert_int_equal(rtnl_addr(db, i, RTM_NEWADDR, 2, addr), 0);
	}
	for (int i = 0; i < 2000; i += 97) {
		struct netns_attr at;

		snprintf(addr, sizeof(addr), "10.%d.%d.2", i / 256, i % 256);
		at = attr(db, 2, NULL, addr);
		assert_int_equal(at.by, NETNS_BY_ADDRESS);
		assert_int_equal(at.ns->ino, 4026540000ull + (uint64_t)i);
		at = attr(db, 1000 + (uint32_t)i, NULL, NULL);
		assert_int_equal(at.by, NETNS_BY_ONLY);
		snprintf(name, sizeof(name), "eth%d", i);
		assert_string_equal(at.dev, name);
	}
	assert_int_equal(attr(db, 1, NULL, "127.0.0.1").candidates, 2000);
	netns_db_close(db);
}

/* The record: the namespace's fields, every string escaped. */
static void test_record(void **state)
{
	static const uint8_t udp[] = {
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 172, 17, 0, 2,
		0x13, 0x88, 0, 9, 0, 8, 0, 0,
	};
	struct drop_event ev = { .count = 1, .has = DROP_HAS_IFINDEX | DROP_HAS_PROTO,
				 .ifindex = 2, .proto = 0x0800, .payload = udp,
				 .payload_len = sizeof(udp) };
	struct record_ctx c = { .sym = symres_new() };
	struct drop_record r;

	(void)state;
	c.netns = netns_db_new();
	netns_add(c.netns, 4026531840ull, NETNS_SELF, "host", NULL, true);
	netns_add(c.netns, 4026532281ull, 0, "c\x1b[2Jtr", "docker:\x07x\"", false);
	rtnl_link(c.netns, NETNS_SELF, RTM_NEWLINK, 2, "eth0");
	rtnl_link(c.netns, 0, RTM_NEWLINK, 2, "e\x1b]0;x\x07");
	rtnl_addr(c.netns, 0, RTM_NEWADDR, 2, "172.17.0.2");
	record_build(&c, &r, &ev);
	assert_string_equal(r.netns_by, "address");
	assert_int_equal(r.netns, 4026532281ull);
	assert_string_equal(r.netns_name, "c\\x1b[2Jtr");
	assert_string_equal(r.container, "docker:\\x07x\\x22");
	assert_string_equal(r.dev, "e\\x1b]0;x\\x07");
	assert_string_equal(r.netns_key, "c\\x1b[2Jtr");
	/* No table (a capture of another machine): the index, and no namespace. */
	netns_db_close(c.netns);
	c.netns = NULL;
	record_build(&c, &r, &ev);
	assert_string_equal(r.dev, "2");
	assert_false(r.dev_named);
	assert_null(r.netns_by);
	symres_free(c.sym);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_layouts),
		cmocka_unit_test(test_owner_files),
		cmocka_unit_test(test_owner_hostile),
		cmocka_unit_test(test_walk_proc),
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
