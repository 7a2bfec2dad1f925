// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NET_DM codec. See shared docs net_dm-protocol.md for the wire format:
 *
 *   summary alert (cmd 1):  [nlmsghdr][genlmsghdr][nla type 0: u32 entries,
 *                            entries x {u8 pc[8]; u32 count}] [HW_ENTRIES ...]
 *   packet alert (cmd 5):   [nlmsghdr][genlmsghdr][ORIGIN][PC][REASON][SYMBOL]
 *                            [IN_PORT{IFINDEX,NAME}][TIMESTAMP][ORIG_LEN][PROTO][PAYLOAD]
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/genetlink.h>

#include "netdm.h"

#define DROP_POINT_SIZE 12	/* u8 pc[8] + u32 count, 4-byte aligned */

static const struct nla_policy alert_policy[NET_DM_ATTR_MAX + 1] = {
	[NET_DM_ATTR_ALERT_MODE]	= { .type = NLA_U8 },
	[NET_DM_ATTR_PC]		= { .type = NLA_U64 },
	[NET_DM_ATTR_SYMBOL]		= { .type = NLA_STRING },
	[NET_DM_ATTR_IN_PORT]		= { .type = NLA_NESTED },
	[NET_DM_ATTR_TIMESTAMP]		= { .type = NLA_U64 },
	[NET_DM_ATTR_PROTO]		= { .type = NLA_U16 },
	[NET_DM_ATTR_PAYLOAD]		= { .type = NLA_UNSPEC },
	[NET_DM_ATTR_TRUNC_LEN]		= { .type = NLA_U32 },
	[NET_DM_ATTR_ORIG_LEN]		= { .type = NLA_U32 },
	[NET_DM_ATTR_QUEUE_LEN]		= { .type = NLA_U32 },
	[NET_DM_ATTR_STATS]		= { .type = NLA_NESTED },
	[NET_DM_ATTR_HW_STATS]		= { .type = NLA_NESTED },
	[NET_DM_ATTR_ORIGIN]		= { .type = NLA_U16 },
	[NET_DM_ATTR_HW_TRAP_GROUP_NAME] = { .type = NLA_STRING },
	[NET_DM_ATTR_HW_TRAP_NAME]	= { .type = NLA_STRING },
	[NET_DM_ATTR_HW_ENTRIES]	= { .type = NLA_NESTED },
	[NET_DM_ATTR_HW_ENTRY]		= { .type = NLA_NESTED },
	[NET_DM_ATTR_HW_TRAP_COUNT]	= { .type = NLA_U32 },
	[NET_DM_ATTR_FLOW_ACTION_COOKIE]	= { .type = NLA_UNSPEC },
	[NET_DM_ATTR_REASON]		= { .type = NLA_STRING },
};

static const struct nla_policy port_policy[NET_DM_ATTR_PORT_MAX + 1] = {
	[NET_DM_ATTR_PORT_NETDEV_IFINDEX] = { .type = NLA_U32 },
	[NET_DM_ATTR_PORT_NETDEV_NAME]	= { .type = NLA_STRING },
};

static const struct nla_policy stats_policy[NET_DM_ATTR_STATS_MAX + 1] = {
	[NET_DM_ATTR_STATS_DROPPED]	= { .type = NLA_U64 },
};

/*
 * Attributes are walked here rather than with libnl's nla_parse, in the manner
 * of iproute2's parse_rtattr: this runs for every drop, and nla_parse makes
 * four calls into the library per attribute, stops quietly at a truncated one
 * and ignores leftover bytes (which we call malformed, so it took a second
 * walk). The policies are libnl's struct, read for .type, .minlen and .maxlen.
 */

/*
 * The attribute at @p, in a stream with @left bytes: its header in *@a; returns
 * the bytes to the next one (all of @left for the last, whose padding may be
 * missing), or 0 when it does not fit: the stream is malformed.
 */
static size_t attr_next(const uint8_t *p, size_t left, struct nlattr *a)
{
	memcpy(a, p, sizeof(*a));
	if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
		return 0;
	return (size_t)NLA_ALIGN(a->nla_len) < left ? (size_t)NLA_ALIGN(a->nla_len) : left;
}

/* Whether @len bytes at @p are whole attributes, nothing left over. */
static bool attrs_complete(const uint8_t *p, size_t len)
{
	struct nlattr a;
	size_t step;

	for (; len >= NLA_HDRLEN; p += step, len -= step) {
		step = attr_next(p, len, &a);
		if (!step)
			return false;
	}
	return len == 0;
}

static const void *attr_data(const struct nlattr *nla)
{
	return (const uint8_t *)nla + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *nla)
{
	uint16_t len;

	memcpy(&len, &nla->nla_len, sizeof(len));
	return len - NLA_HDRLEN;
}

/* The integer getters: parse_attrs checked the length against the policy. */
static uint8_t attr_u8(const struct nlattr *nla)
{
	return *(const uint8_t *)attr_data(nla);
}

static uint16_t attr_u16(const struct nlattr *nla)
{
	uint16_t v;

	memcpy(&v, attr_data(nla), sizeof(v));
	return v;
}

static uint32_t attr_u32(const struct nlattr *nla)
{
	uint32_t v;

	memcpy(&v, attr_data(nla), sizeof(v));
	return v;
}

static uint64_t attr_u64(const struct nlattr *nla)
{
	uint64_t v;

	memcpy(&v, attr_data(nla), sizeof(v));
	return v;
}

/* NLA_STRING's are NUL-terminated (parse_attrs checked); NULL when absent. */
static const char *str_attr(const struct nlattr *nla)
{
	return nla ? attr_data(nla) : NULL;
}

static size_t policy_minlen(const struct nla_policy *pt)
{
	if (pt->minlen)
		return pt->minlen;
	switch (pt->type) {
	case NLA_U8:
		return 1;
	case NLA_U16:
		return 2;
	case NLA_U32:
		return 4;
	case NLA_U64:
		return 8;
	case NLA_STRING:
		return 1;
	default:
		return 0;
	}
}

/*
 * The attributes of @head (@len bytes) into @tb by type, the last of a
 * repeated type counting; types above @maxtype are skipped. -EBADMSG when an
 * attribute is truncated, shorter or longer than its policy allows, a string
 * lacks its NUL, or bytes are left over.
 */
static int parse_attrs(const struct nlattr **tb, int maxtype, const void *head, int len,
		       const struct nla_policy *policy)
{
	const uint8_t *p = head;
	struct nlattr a;
	size_t left, step;

	if (len < 0)
		return -EBADMSG;
	memset(tb, 0, (size_t)(maxtype + 1) * sizeof(*tb));
	for (left = (size_t)len; left >= NLA_HDRLEN; p += step, left -= step) {
		const struct nla_policy *pt;
		size_t plen;
		int type;

		step = attr_next(p, left, &a);
		if (!step)
			return -EBADMSG;
		type = a.nla_type & NLA_TYPE_MASK;
		if (type > maxtype)
			continue;
		pt = &policy[type];
		plen = a.nla_len - NLA_HDRLEN;
		if (plen < policy_minlen(pt) || (pt->maxlen && plen > pt->maxlen))
			return -EBADMSG;
		if (pt->type == NLA_STRING && p[a.nla_len - 1] != '\0')
			return -EBADMSG;
		tb[type] = (const struct nlattr *)p;
	}
	return left ? -EBADMSG : 0;
}

static int parse_nested(const struct nlattr **tb, int maxtype, const struct nlattr *nest,
			const struct nla_policy *policy)
{
	return parse_attrs(tb, maxtype, attr_data(nest), attr_len(nest), policy);
}

static int decode_hw_summary(const struct nlattr *entries, drop_event_fn fn, void *arg,
			     struct netdm_info *info)
{
	const uint8_t *p = attr_data(entries);
	size_t left, step;
	int err;

	/* The whole nest is checked before the first entry is reported. */
	if (!attrs_complete(p, (size_t)attr_len(entries)))
		return -EBADMSG;
	for (left = (size_t)attr_len(entries); left >= NLA_HDRLEN; p += step, left -= step) {
		const struct nlattr *tb[NET_DM_ATTR_MAX + 1];
		struct drop_event ev = {
			.origin = DROP_ORIGIN_HW,
			.summary = true,
		};
		struct nlattr a;

		step = attr_next(p, left, &a);
		if ((a.nla_type & NLA_TYPE_MASK) != NET_DM_ATTR_HW_ENTRY)
			continue;
		err = parse_nested(tb, NET_DM_ATTR_MAX, (const struct nlattr *)p, alert_policy);
		if (err)
			return err;
		if (!tb[NET_DM_ATTR_HW_TRAP_NAME] || !tb[NET_DM_ATTR_HW_TRAP_COUNT])
			return -EBADMSG;
		ev.trap_name = str_attr(tb[NET_DM_ATTR_HW_TRAP_NAME]);
		ev.count = attr_u32(tb[NET_DM_ATTR_HW_TRAP_COUNT]);
		info->events++;
		if (fn && (err = fn(&ev, arg)))
			return err;
	}
	return 0;
}

static int decode_summary(const struct nlattr **tb, drop_event_fn fn, void *arg,
			  struct netdm_info *info)
{
	const struct nlattr *hdr = tb[NET_DM_ATTR_UNSPEC];
	const uint8_t *p;
	uint32_t entries, i;
	int err;

	info->kind = NETDM_MSG_SUMMARY;
	if (!hdr || attr_len(hdr) < (int)sizeof(uint32_t))
		return -EBADMSG;
	p = attr_data(hdr);
	memcpy(&entries, p, sizeof(entries));
	/* Never trust the count: it must match the attribute's own length. */
	if ((uint64_t)entries * DROP_POINT_SIZE != (uint64_t)attr_len(hdr) - sizeof(uint32_t))
		return -EBADMSG;
	info->sw_points = entries;
	info->summary_full = entries >= NETDM_SUMMARY_POINTS_MAX;
	p += sizeof(uint32_t);
	for (i = 0; i < entries; i++, p += DROP_POINT_SIZE) {
		struct drop_event ev = {
			.origin = DROP_ORIGIN_SW,
			.summary = true,
			.has = DROP_HAS_PC,
		};

		memcpy(&ev.pc, p, sizeof(ev.pc));
		memcpy(&ev.count, p + 8, sizeof(ev.count));
		info->events++;
		if (fn && (err = fn(&ev, arg)))
			return err;
	}
	if (tb[NET_DM_ATTR_HW_ENTRIES])
		return decode_hw_summary(tb[NET_DM_ATTR_HW_ENTRIES], fn, arg, info);
	return 0;
}

static int decode_packet(const struct nlattr **tb, drop_event_fn fn, void *arg,
			 struct netdm_info *info)
{
	struct drop_event ev = { .count = 1 };
	int err;

	info->kind = NETDM_MSG_PACKET;
	if (tb[NET_DM_ATTR_ORIGIN]) {
		uint16_t origin = attr_u16(tb[NET_DM_ATTR_ORIGIN]);

		if (origin > DROP_ORIGIN_HW)
			return -EBADMSG;
		ev.origin = origin;
	}
	if (tb[NET_DM_ATTR_PC]) {
		ev.pc = attr_u64(tb[NET_DM_ATTR_PC]);
		ev.has |= DROP_HAS_PC;
	}
	ev.symbol = str_attr(tb[NET_DM_ATTR_SYMBOL]);
	ev.reason = str_attr(tb[NET_DM_ATTR_REASON]);
	ev.trap_group = str_attr(tb[NET_DM_ATTR_HW_TRAP_GROUP_NAME]);
	ev.trap_name = str_attr(tb[NET_DM_ATTR_HW_TRAP_NAME]);
	if (tb[NET_DM_ATTR_IN_PORT]) {
		const struct nlattr *port[NET_DM_ATTR_PORT_MAX + 1];

		err = parse_nested(port, NET_DM_ATTR_PORT_MAX, tb[NET_DM_ATTR_IN_PORT], port_policy);
		if (err)
			return err;
		if (port[NET_DM_ATTR_PORT_NETDEV_IFINDEX]) {
			ev.ifindex = attr_u32(port[NET_DM_ATTR_PORT_NETDEV_IFINDEX]);
			ev.has |= DROP_HAS_IFINDEX;
		}
		ev.ifname = str_attr(port[NET_DM_ATTR_PORT_NETDEV_NAME]);
	}
	if (tb[NET_DM_ATTR_TIMESTAMP]) {
		ev.timestamp_ns = attr_u64(tb[NET_DM_ATTR_TIMESTAMP]);
		ev.has |= DROP_HAS_TIMESTAMP;
	}
	if (tb[NET_DM_ATTR_ORIG_LEN]) {
		ev.orig_len = attr_u32(tb[NET_DM_ATTR_ORIG_LEN]);
		ev.has |= DROP_HAS_ORIG_LEN;
	}
	if (tb[NET_DM_ATTR_PROTO]) {
		ev.proto = attr_u16(tb[NET_DM_ATTR_PROTO]);
		ev.has |= DROP_HAS_PROTO;
	}
	if (tb[NET_DM_ATTR_PAYLOAD]) {
		ev.payload = attr_data(tb[NET_DM_ATTR_PAYLOAD]);
		ev.payload_len = attr_len(tb[NET_DM_ATTR_PAYLOAD]);
	}
	if (tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]) {
		ev.cookie = attr_data(tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]);
		ev.cookie_len = attr_len(tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]);
	}
	info->events = 1;
	return fn ? fn(&ev, arg) : 0;
}

static int decode_config(const struct nlattr **tb, struct netdm_info *info)
{
	struct netdm_config *cfg = &info->config;

	info->kind = NETDM_MSG_CONFIG;
	if (tb[NET_DM_ATTR_ALERT_MODE]) {
		cfg->mode = attr_u8(tb[NET_DM_ATTR_ALERT_MODE]);
		cfg->has |= NETDM_CFG_MODE;
	}
	if (tb[NET_DM_ATTR_TRUNC_LEN]) {
		cfg->trunc = attr_u32(tb[NET_DM_ATTR_TRUNC_LEN]);
		cfg->has |= NETDM_CFG_TRUNC;
	}
	if (tb[NET_DM_ATTR_QUEUE_LEN]) {
		cfg->queue = attr_u32(tb[NET_DM_ATTR_QUEUE_LEN]);
		cfg->has |= NETDM_CFG_QUEUE;
	}
	return 0;
}

static int decode_stats_nest(const struct nlattr *nest, uint64_t *dropped)
{
	const struct nlattr *tb[NET_DM_ATTR_STATS_MAX + 1];
	int err;

	err = parse_nested(tb, NET_DM_ATTR_STATS_MAX, nest, stats_policy);
	if (err)
		return err;
	*dropped = tb[NET_DM_ATTR_STATS_DROPPED] ? attr_u64(tb[NET_DM_ATTR_STATS_DROPPED]) : 0;
	return 0;
}

static int decode_stats(const struct nlattr **tb, struct netdm_info *info)
{
	struct netdm_stats *st = &info->stats;
	int err;

	info->kind = NETDM_MSG_STATS;
	if (tb[NET_DM_ATTR_STATS]) {
		err = decode_stats_nest(tb[NET_DM_ATTR_STATS], &st->sw_dropped);
		if (err)
			return err;
		st->has_sw = true;
	}
	if (tb[NET_DM_ATTR_HW_STATS]) {
		err = decode_stats_nest(tb[NET_DM_ATTR_HW_STATS], &st->hw_dropped);
		if (err)
			return err;
		st->has_hw = true;
	}
	return 0;
}

/* A genl message's headers and the attributes after them. */
struct genl_msg {
	const struct genlmsghdr *gnlh;
	const void *attrs;
	int attrlen;
};

/*
 * Checks that @buf holds a whole netlink message of @type with room for a genl
 * header: 0 with *@m set, -ENOMSG for another type, -EBADMSG when malformed.
 */
static int genl_header(const void *buf, size_t len, uint16_t type, struct genl_msg *m)
{
	const struct nlmsghdr *nlh = buf;

	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len)
		return -EBADMSG;
	if (nlh->nlmsg_type != type)
		return -ENOMSG;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	m->gnlh = (const struct genlmsghdr *)((const uint8_t *)buf + NLMSG_HDRLEN);
	m->attrs = (const uint8_t *)m->gnlh + GENL_HDRLEN;
	m->attrlen = (int)(nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	return 0;
}

int netdm_peek_alert(const void *buf, size_t len, uint16_t family, uint64_t *ts, bool *has_ts)
{
	struct genl_msg m;
	const uint8_t *p;
	size_t left, step;
	int err = genl_header(buf, len, family, &m);

	*has_ts = false;
	if (err)
		return err;
	if (m.gnlh->cmd != NET_DM_CMD_ALERT && m.gnlh->cmd != NET_DM_CMD_PACKET_ALERT)
		return -ENOMSG;
	p = m.attrs;
	left = (size_t)m.attrlen;
	for (; left >= NLA_HDRLEN; p += step, left -= step) {
		struct nlattr a;

		step = attr_next(p, left, &a);
		if (!step)
			return -EBADMSG;
		if ((a.nla_type & NLA_TYPE_MASK) == NET_DM_ATTR_TIMESTAMP &&
		    (size_t)a.nla_len >= NLA_HDRLEN + sizeof(*ts)) {
			memcpy(ts, p + NLA_HDRLEN, sizeof(*ts));
			*has_ts = true;
		}
	}
	if (left)
		return -EBADMSG;
	return m.gnlh->cmd == NET_DM_CMD_ALERT ? NETDM_MSG_SUMMARY : NETDM_MSG_PACKET;
}

int netdm_decode(const void *buf, size_t len, uint16_t family,
		 drop_event_fn fn, void *arg, struct netdm_info *info)
{
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1];
	struct genl_msg m;
	int err;

	memset(info, 0, sizeof(*info));
	err = genl_header(buf, len, family, &m);
	if (err)
		return err;
	switch (m.gnlh->cmd) {
	case NET_DM_CMD_ALERT:
	case NET_DM_CMD_PACKET_ALERT:
	case NET_DM_CMD_CONFIG_NEW:
	case NET_DM_CMD_STATS_NEW:
		break;
	default:
		return -ENOMSG;
	}
	err = parse_attrs(tb, NET_DM_ATTR_MAX, m.attrs, m.attrlen, alert_policy);
	if (err)
		return err;

	switch (m.gnlh->cmd) {
	case NET_DM_CMD_ALERT:
		return decode_summary(tb, fn, arg, info);
	case NET_DM_CMD_PACKET_ALERT:
		return decode_packet(tb, fn, arg, info);
	case NET_DM_CMD_CONFIG_NEW:
		return decode_config(tb, info);
	default:
		return decode_stats(tb, info);
	}
}

int netdm_msg_walk(const void *buf, size_t len, netdm_msg_fn fn, void *arg, size_t *rest)
{
	const uint8_t *p = buf;
	size_t off = 0;
	int ret;

	if (rest)
		*rest = 0;
	while (len - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(p + off);
		size_t mlen = nlh->nlmsg_len;

		if (mlen < NLMSG_HDRLEN || mlen > len - off)
			break;
		ret = fn(nlh, mlen, arg);
		if (ret)
			return ret;
		/* The last message's padding may be missing: nothing is left then. */
		off += NLMSG_ALIGN(mlen) < len - off ? NLMSG_ALIGN(mlen) : len - off;
	}
	if (rest)
		*rest = len - off;
	return 0;
}

int netdm_family_from_ctrl(const void *buf, size_t len)
{
	static const struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = NLA_U16 },
		[CTRL_ATTR_FAMILY_NAME]	= { .type = NLA_STRING },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genl_msg m;
	int err;

	err = genl_header(buf, len, GENL_ID_CTRL, &m);
	if (err)
		return err;
	if (m.gnlh->cmd != CTRL_CMD_NEWFAMILY)
		return -ENOMSG;
	err = parse_attrs(tb, CTRL_ATTR_MAX, m.attrs, m.attrlen, ctrl_policy);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(str_attr(tb[CTRL_ATTR_FAMILY_NAME]), "NET_DM"))
		return -ENOMSG;
	return attr_u16(tb[CTRL_ATTR_FAMILY_ID]);
}

struct nl_msg *netdm_req_new(uint16_t family, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK, cmd,
			 NETDM_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *netdm_req_getfamily(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, NLM_F_ACK,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "NET_DM") < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int netdm_req_put_config(struct nl_msg *msg, const struct netdm_config *cfg)
{
	if ((cfg->has & NETDM_CFG_MODE) && nla_put_u8(msg, NET_DM_ATTR_ALERT_MODE, cfg->mode) < 0)
		return -ENOMEM;
	if ((cfg->has & NETDM_CFG_TRUNC) && nla_put_u32(msg, NET_DM_ATTR_TRUNC_LEN, cfg->trunc) < 0)
		return -ENOMEM;
	if ((cfg->has & NETDM_CFG_QUEUE) && nla_put_u32(msg, NET_DM_ATTR_QUEUE_LEN, cfg->queue) < 0)
		return -ENOMEM;
	return 0;
}

int netdm_req_put_origins(struct nl_msg *msg, bool sw, bool hw)
{
	if (sw && nla_put_flag(msg, NET_DM_ATTR_SW_DROPS) < 0)
		return -ENOMEM;
	if (hw && nla_put_flag(msg, NET_DM_ATTR_HW_DROPS) < 0)
		return -ENOMEM;
	return 0;
}

const char *netdm_mode_to_str(uint8_t mode)
{
	switch (mode) {
	case NETDM_MODE_SUMMARY:
		return "summary";
	case NETDM_MODE_PACKET:
		return "packet";
	default:
		return "unknown";
	}
}

int netdm_mode_from_str(const char *s)
{
	if (!strcmp(s, "summary"))
		return NETDM_MODE_SUMMARY;
	if (!strcmp(s, "packet"))
		return NETDM_MODE_PACKET;
	return -EINVAL;
}

const char *netdm_cmd_to_str(uint8_t cmd)
{
	static const char *const names[] = {
		[NET_DM_CMD_ALERT] = "alert",
		[NET_DM_CMD_CONFIG] = "config",
		[NET_DM_CMD_START] = "start",
		[NET_DM_CMD_STOP] = "stop",
		[NET_DM_CMD_PACKET_ALERT] = "packet alert",
		[NET_DM_CMD_CONFIG_GET] = "config get",
		[NET_DM_CMD_CONFIG_NEW] = "config reply",
		[NET_DM_CMD_STATS_GET] = "stats get",
		[NET_DM_CMD_STATS_NEW] = "stats reply",
	};

	if (cmd < sizeof(names) / sizeof(names[0]) && names[cmd])
		return names[cmd];
	return "unknown";
}
