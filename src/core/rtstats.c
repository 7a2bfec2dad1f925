// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/gen_stats.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "rtstats.h"
#include "util.h"

void ifname_map_free(struct ifname_map *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

static const char *ifname_find(const struct ifname_map *m, int index)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->e[i].index == index)
			return m->e[i].name;
	return NULL;
}

/* The name of @index, else "ifINDEX" in @buf. */
static const char *ifname_of(const struct ifname_map *m, int index, char *buf, size_t size)
{
	const char *name = ifname_find(m, index);

	if (name)
		return name;
	snprintf(buf, size, "if%d", index);
	return buf;
}

static int ifname_put(struct ifname_map *m, int index, const char *name)
{
	if (util_grow(&m->e, &m->cap, m->n + 1, sizeof(*m->e), 16))
		return -ENOMEM;
	m->e[m->n].index = index;
	snprintf(m->e[m->n].name, sizeof(m->e[m->n].name), "%s", name);
	m->n++;
	return 0;
}

/* The fields of struct rtnl_link_stats64 that count loss; a kernel sends those it has. */
static const struct {
	const char *name;
	size_t off;
} link_fields[] = {
#define F(x) { #x, offsetof(struct rtnl_link_stats64, x) }
	F(rx_dropped), F(tx_dropped), F(rx_length_errors), F(rx_over_errors), F(rx_crc_errors),
	F(rx_frame_errors), F(rx_fifo_errors), F(rx_missed_errors), F(tx_aborted_errors),
	F(tx_carrier_errors), F(tx_fifo_errors), F(rx_nohandler),
	F(rx_otherhost_dropped),	/* since 5.19 */
#undef F
};

/* A name as the kernel sends it (an interface's, a qdisc's kind), NUL-terminated or not,
 * into @buf: false when it is empty or longer than @size - 1 bytes and a NUL. */
static bool attr_name(const struct nlattr *a, char *buf, size_t size)
{
	int len = nla_len(a);

	if (len <= 0 || (size_t)len > size)
		return false;
	memcpy(buf, nla_data(a), (size_t)len);
	buf[(size_t)len < size ? (size_t)len : size - 1] = '\0';
	return buf[0] != '\0';
}

/* The loss fields of @st (@len bytes of a struct rtnl_link_stats64) as link.@ifname.FIELD. */
static int link_counters(struct counter_set *s, const char *ifname, const unsigned char *st, int len)
{
	char name[COUNTER_NAME_MAX];
	/* "link.NAME." once, then each field's name after it (all fit: IFNAMSIZ, and at most 20). */
	size_t pre = (size_t)snprintf(name, sizeof(name), "link.%s.", ifname);

	for (size_t i = 0; i < sizeof(link_fields) / sizeof(link_fields[0]); i++) {
		uint64_t v;

		if ((size_t)len < link_fields[i].off + sizeof(v))
			continue;	/* an older kernel's shorter struct */
		memcpy(&v, st + link_fields[i].off, sizeof(v));
		memcpy(name + pre, link_fields[i].name, strlen(link_fields[i].name) + 1);
		if (counters_set(s, name, v))
			return -ENOMEM;
	}
	return 0;
}

int rtstats_parse_link(struct counter_set *s, struct nlmsghdr *h, struct ifname_map *names)
{
	struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	char ifname[IFNAMSIZ];

	if (h->nlmsg_type != RTM_NEWLINK || !nlmsg_valid_hdr(h, sizeof(*ifi)) ||
	    nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 || !tb[IFLA_IFNAME]) {
		s->bad++;
		return -EINVAL;
	}
	ifi = nlmsg_data(h);
	if (!attr_name(tb[IFLA_IFNAME], ifname, sizeof(ifname))) {
		s->bad++;
		return -EINVAL;
	}
	return ifname_put(names, ifi->ifi_index, ifname) ? -ENOMEM : 0;
}

int rtstats_parse_stats(struct counter_set *s, struct nlmsghdr *h, const struct ifname_map *names)
{
	struct nlattr *tb[IFLA_STATS_MAX + 1];
	const struct if_stats_msg *ifs;
	char ifbuf[IFNAMSIZ];

	if (h->nlmsg_type != RTM_NEWSTATS || !nlmsg_valid_hdr(h, sizeof(*ifs)) ||
	    nlmsg_parse(h, sizeof(*ifs), tb, IFLA_STATS_MAX, NULL) < 0) {
		s->bad++;
		return -EINVAL;
	}
	ifs = nlmsg_data(h);
	if (!tb[IFLA_STATS_LINK_64])
		return 0;
	return link_counters(s, ifname_of(names, (int)ifs->ifindex, ifbuf, sizeof(ifbuf)),
			     nla_data(tb[IFLA_STATS_LINK_64]), nla_len(tb[IFLA_STATS_LINK_64]));
}

int rtstats_parse_qdisc(struct counter_set *s, struct nlmsghdr *h, const struct ifname_map *names)
{
	struct nlattr *tb[TCA_MAX + 1], *st[TCA_STATS_MAX + 1];
	const struct tcmsg *t;
	struct gnet_stats_queue q;
	char name[COUNTER_NAME_MAX], kind[IFNAMSIZ], ifbuf[IFNAMSIZ];
	const char *dev;

	if (h->nlmsg_type != RTM_NEWQDISC || !nlmsg_valid_hdr(h, sizeof(*t)) ||
	    nlmsg_parse(h, sizeof(*t), tb, TCA_MAX, NULL) < 0 || !tb[TCA_KIND]) {
		s->bad++;
		return -EINVAL;
	}
	t = nlmsg_data(h);
	/* Roots and ingress (clsact): a parent's counters already hold its children's. */
	if (t->tcm_parent != TC_H_ROOT && t->tcm_parent != TC_H_INGRESS)
		return 0;
	if (!attr_name(tb[TCA_KIND], kind, sizeof(kind))) {
		s->bad++;
		return -EINVAL;
	}
	memset(&q, 0, sizeof(q));
	if (tb[TCA_STATS2] && !nla_parse_nested(st, TCA_STATS_MAX, tb[TCA_STATS2], NULL) &&
	    st[TCA_STATS_QUEUE] && nla_len(st[TCA_STATS_QUEUE]) >= (int)sizeof(q)) {
		memcpy(&q, nla_data(st[TCA_STATS_QUEUE]), sizeof(q));
	} else if (tb[TCA_STATS] && nla_len(tb[TCA_STATS]) >= (int)sizeof(struct tc_stats)) {
		struct tc_stats old;

		memcpy(&old, nla_data(tb[TCA_STATS]), sizeof(old));
		q.drops = old.drops;
		q.overlimits = old.overlimits;
	} else {
		return 0;	/* no statistics */
	}
	dev = ifname_of(names, t->tcm_ifindex, ifbuf, sizeof(ifbuf));
	snprintf(name, sizeof(name), "qdisc.%s.%s.drops", dev, kind);
	if (counters_add(s, name, q.drops))
		return -ENOMEM;
	snprintf(name, sizeof(name), "qdisc.%s.%s.overlimits", dev, kind);
	if (counters_add(s, name, q.overlimits))
		return -ENOMEM;
	snprintf(name, sizeof(name), "qdisc.%s.%s.requeues", dev, kind);
	return counters_add(s, name, q.requeues) ? -ENOMEM : 0;
}

/* Names are looked up again after this many reads (a link renamed is seen by then). */
#define NAMES_READS 10

struct rtstats {
	struct nl_sock *sk;
	struct ifname_map names;	/* kept between reads */
	unsigned int reads;
	struct counter_set *into;
	int type;	/* RTM_GETLINK, RTM_GETSTATS or RTM_GETQDISC: what the replies are */
	int err;	/* -ENOMEM from a parser */
};

/* An index the names lack: asked of the kernel (a link made since the last link dump). */
static void name_index(struct rtstats *rt, struct nlmsghdr *h)
{
	const struct if_stats_msg *ifs = nlmsg_data(h);
	char buf[IF_NAMESIZE];

	if (h->nlmsg_type != RTM_NEWSTATS || !nlmsg_valid_hdr(h, sizeof(*ifs)) ||
	    ifname_find(&rt->names, (int)ifs->ifindex))
		return;
	if (if_indextoname(ifs->ifindex, buf) && ifname_put(&rt->names, (int)ifs->ifindex, buf))
		rt->err = -ENOMEM;
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct rtstats *rt = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int err = 0;

	switch (rt->type) {
	case RTM_GETLINK:	/* names only: the statistics come from RTM_GETSTATS */
		err = rtstats_parse_link(rt->into, h, &rt->names);
		break;
	case RTM_GETSTATS:
		name_index(rt, h);
		err = rtstats_parse_stats(rt->into, h, &rt->names);
		break;
	default:
		err = rtstats_parse_qdisc(rt->into, h, &rt->names);
	}
	if (err == -ENOMEM)
		rt->err = err;
	return NL_OK;	/* a malformed one is counted as bad; the dump goes on */
}

struct rtstats *rtstats_open(int *err)
{
	struct rtstats *rt = calloc(1, sizeof(*rt));

	*err = -ENOMEM;
	if (!rt || !(rt->sk = nl_socket_alloc()))
		goto fail;
	*err = nl_connect(rt->sk, NETLINK_ROUTE);
	if (*err) {
		*err = -EPROTONOSUPPORT;
		goto fail;
	}
	nl_socket_modify_cb(rt->sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, rt);
	*err = 0;
	return rt;
fail:
	rtstats_close(rt);
	return NULL;
}

void rtstats_close(struct rtstats *rt)
{
	if (!rt)
		return;
	if (rt->sk)
		nl_socket_free(rt->sk);
	ifname_map_free(&rt->names);
	free(rt);
}

static int dump(struct rtstats *rt, int type, const void *req, size_t len)
{
	int err;

	rt->type = type;
	rt->err = 0;
	err = nl_send_simple(rt->sk, type, NLM_F_DUMP, (void *)req, len);
	if (err >= 0)
		err = nl_recvmsgs_default(rt->sk);
	if (err < 0)
		return -EIO;
	return rt->err;
}

/*
 * The links' statistics come from RTM_GETSTATS, which fills only them (a link dump fills
 * every attribute of every link: most of the cost with hundreds of links); their names
 * from a link dump every NAMES_READS reads, and for an index not seen before.
 */
int rtstats_read(struct rtstats *rt, struct counter_set *s)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct if_stats_msg ifs = {
		.family = AF_UNSPEC,
		.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64),
	};
	struct tcmsg tc = { .tcm_family = AF_UNSPEC };
	int err = 0;

	rt->into = s;
	if (rt->reads++ % NAMES_READS == 0) {
		rt->names.n = 0;
		err = dump(rt, RTM_GETLINK, &ifi, sizeof(ifi));
	}
	if (!err)
		err = dump(rt, RTM_GETSTATS, &ifs, sizeof(ifs));
	if (!err)
		err = dump(rt, RTM_GETQDISC, &tc, sizeof(tc));
	return err;
}
