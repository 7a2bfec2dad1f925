// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "netdm_sock.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define REPLY_TIMEOUT_MS 5000
/* An untruncated packet alert is about 65.8 KB; round up to a power of two. */
#define RX_BUF_SIZE	(128 * 1024)
#define RX_BATCH	64
/*
 * Once an alert has arrived, a read waits for more to queue up behind it
 * (netlink has no receive low-water mark; like a NIC's interrupt coalescing):
 * at high drop rates one wakeup then reads hundreds of alerts instead of one,
 * and what each wakeup costs (the poll, the scheduling, the flush of the
 * output) is paid that much less often. The wait must not let the receive
 * buffer overflow: at most the time a quarter of it takes to fill at
 * FILL_BYTES_PER_NS, far above what drop_monitor sends. While alerts stream in
 * (the reads before came within STREAM_GAP_NS of each other), the rate they
 * came at is known, and the wait may be as long as a quarter of the buffer
 * takes to fill at RATE_MARGIN times that rate, up to COALESCE_MAX_NS.
 */
#define FILL_BYTES_PER_NS	2
#define COALESCE_MAX_NS		(50 * 1000 * 1000)
#define STREAM_GAP_NS		(2 * COALESCE_MAX_NS)
#define RATE_MARGIN		4
/*
 * What the kernel charges to the receive buffer for a datagram of LEN bytes is
 * at most about 2 * LEN + this: the data rounded up to a power of two, plus the
 * sk_buff and its shared info.
 */
#define SKB_OVERHEAD_EST	1024

struct netdm_sock {
	struct nl_sock *ctl;
	struct nl_sock *ev;
	uint16_t family;
	uint32_t group;
	uint32_t seq;
	bool subscribed;
	bool rcvbuf_forced;
	/* The kernel's settings before our first CONFIG, put back by restore. */
	struct netdm_config saved;
	bool saved_valid, touched;
	/* The controller's reply that maps NET_DM's id to its name, as received. */
	void *family_msg;
	size_t family_msg_len;
	char err[512];
	struct netdm_sock_stats stats;
	/* The kernel's charge for what the last read took, estimated; its limit. */
	uint64_t last_read_bytes;
	/* When the last two reads began (CLOCK_MONOTONIC, ns; 0: not yet). */
	uint64_t read_ns, prev_read_ns;
	int rcvbuf_bytes;
	uint8_t *rxbuf;		/* RX_BATCH * RX_BUF_SIZE */
	struct mmsghdr mm[RX_BATCH];
	struct iovec iov[RX_BATCH];
};

/* The reply a request waits for: decoded NET_DM, or a copy of the raw message. */
struct reply {
	struct netdm_info *info;
	void **raw;
	size_t *raw_len;
};

static int request(struct netdm_sock *s, struct nl_msg *msg, struct reply *reply);
static int fail(struct netdm_sock *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct netdm_sock *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return err;
}

/* libnl's NLE_* codes back to errno, for the few calls we make. */
static int nle_to_errno(int nle)
{
	switch (-nle) {
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

static void sock_opt(struct nl_sock *sk, int opt)
{
	int one = 1;

	/* Best effort: old kernels simply give no extended ack text. */
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, opt, &one, sizeof(one));
}

/*
 * NET_DM's family is missing because we are not in the initial network
 * namespace: we are in another one (when pid 1's can be looked at), or the
 * module is loaded and its family still cannot be seen.
 */
bool netdm_hidden_by_netns(void)
{
	int initial = util_netns_initial();

	if (initial >= 0)
		return !initial;
	return access("/sys/module/drop_monitor", F_OK) == 0;
}

int netdm_sock_open(struct netdm_sock **out)
{
	struct netdm_sock *s = calloc(1, sizeof(*s));
	struct reply reply;
	struct nl_msg *msg;
	int err, id;

	if (!s)
		return -ENOMEM;
	*out = s;
	reply = (struct reply){ .raw = &s->family_msg, .raw_len = &s->family_msg_len };
	s->ctl = nl_socket_alloc();
	if (!s->ctl)
		return fail(s, -ENOMEM, "%s", "out of memory");
	err = genl_connect(s->ctl);
	if (err < 0)
		return fail(s, nle_to_errno(err), "cannot open a generic netlink socket: %s",
			    nl_geterror(err));
	sock_opt(s->ctl, NETLINK_EXT_ACK);
	sock_opt(s->ctl, NETLINK_CAP_ACK);
	msg = netdm_req_getfamily();
	if (!msg)
		return fail(s, -ENOMEM, "%s", "out of memory");
	err = request(s, msg, &reply);
	if ((err == -ENOENT || err == -EINVAL) && netdm_hidden_by_netns())
		return fail(s, -ENOENT, "%s", "NET_DM (the drop monitor) exists only in the initial "
			    "network namespace, and this is another one: run from the initial one "
			    "(e.g. nsenter -t 1 -n)");
	if (err == -ENOENT || err == -EINVAL)
		return fail(s, -ENOENT,
			    "%s", "the kernel has no NET_DM (drop monitor) generic netlink family: "
			    "load it with 'modprobe drop_monitor'; the kernel may be built without "
			    "CONFIG_NET_DROP_MONITOR, and the family is only visible from the initial "
			    "network namespace");
	if (err)
		return err;
	id = netdm_family_from_ctrl(s->family_msg, s->family_msg_len);
	if (id <= 0)
		return fail(s, -EBADMSG, "%s", "the kernel's answer for the NET_DM family is malformed");
	s->family = id;
	id = genl_ctrl_resolve_grp(s->ctl, "NET_DM", "events");
	/* The kernel pins NET_DM's only group at 1 (NET_DM_GRP_ALERT). */
	s->group = id > 0 ? (uint32_t)id : NET_DM_GRP_ALERT;
	s->seq = 1;
	return 0;
}

void netdm_sock_close(struct netdm_sock *s)
{
	if (!s)
		return;
	if (s->ctl)
		nl_socket_free(s->ctl);
	if (s->ev)
		nl_socket_free(s->ev);
	free(s->rxbuf);
	free(s->family_msg);
	free(s);
}

const char *netdm_sock_error(const struct netdm_sock *s)
{
	return s->err;
}

uint16_t netdm_sock_family(const struct netdm_sock *s)
{
	return s->family;
}

const void *netdm_sock_family_msg(const struct netdm_sock *s, size_t *len)
{
	*len = s->family_msg_len;
	return s->family_msg;
}

const struct netdm_sock_stats *netdm_sock_stats(const struct netdm_sock *s)
{
	return &s->stats;
}

/* What the kernel's errors mean for NET_DM requests, in words. */
static const char *explain(uint8_t cmd, int err)
{
	switch (err) {
	case -EPERM:
		return "permission denied: this needs CAP_NET_ADMIN (run as root)";
	case -EAGAIN:
		if (cmd == NET_DM_CMD_START)
			return "another process is already monitoring drops";
		break;
	case -EBUSY:
		if (cmd == NET_DM_CMD_CONFIG)
			return "the kernel refuses new settings while drop monitoring is on "
			       "(another process is monitoring)";
		break;
	case -EOPNOTSUPP:
		if (cmd == NET_DM_CMD_START)
			return "the kernel cannot monitor the requested origin "
			       "(hardware drops need devlink trap support)";
		return "the kernel does not support this request (NET_DM before Linux 5.4)";
	case -EINVAL:
		return "the kernel rejected a value in the request";
	}
	return NULL;
}

/* Extended ack: NLMSGERR_ATTR_MSG after the (capped) nlmsgerr. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nla_policy pol[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	};

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (off >= nlh->nlmsg_len)
		return NULL;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, pol) < 0 || !tb[NLMSGERR_ATTR_MSG])
		return NULL;
	return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

static bool take_reply(struct netdm_sock *s, const struct nlmsghdr *nlh, struct reply *r)
{
	if (r->info)
		return netdm_decode(nlh, nlh->nlmsg_len, s->family, NULL, NULL, r->info) == 0;
	if (*r->raw)
		return true;
	*r->raw = malloc(nlh->nlmsg_len);
	if (!*r->raw)
		return false;
	memcpy(*r->raw, nlh, nlh->nlmsg_len);
	*r->raw_len = nlh->nlmsg_len;
	return true;
}

/* The kernel's answer to one request, read message by message. */
struct answer {
	struct netdm_sock *s;
	struct reply *reply;
	uint8_t cmd;
	const char *what;
	bool got_reply;
	int result;		/* once the answer is complete: 0 or -errno */
};

/* One message of the answer: 1 when it completes the request (the result in a->result). */
static int on_answer(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct answer *a = arg;
	struct netdm_sock *s = a->s;
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const char *why, *ext;

	if (nlh->nlmsg_seq != s->seq)
		return 0;
	if (nlh->nlmsg_type != NLMSG_ERROR) {
		if (a->reply && take_reply(s, nlh, a->reply))
			a->got_reply = true;
		return 0;
	}
	if (len < NLMSG_LENGTH(sizeof(*e)))
		a->result = fail(s, -EBADMSG, "%s: malformed ack from the kernel", a->what);
	else if (e->error == 0 && a->reply && !a->got_reply)
		a->result = fail(s, -EBADMSG, "%s: the kernel sent no reply", a->what);
	else if (e->error == 0)
		a->result = 0;
	else {
		why = explain(a->cmd, e->error);
		ext = extack_msg(nlh);
		snprintf(s->err, sizeof(s->err), "%s failed: %s%s%s%s",
			 a->what, why ? why : strerror(-e->error),
			 ext ? " (kernel: \"" : "", ext ? ext : "", ext ? "\")" : "");
		a->result = e->error;
	}
	return 1;
}

static int request(struct netdm_sock *s, struct nl_msg *msg, struct reply *reply)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	uint8_t cmd = ((struct genlmsghdr *)nlmsg_data(req))->cmd;
	const char *what = req->nlmsg_type == GENL_ID_CTRL ? "GETFAMILY" : netdm_cmd_to_str(cmd);
	int fd = nl_socket_get_fd(s->ctl);
	static uint8_t buf[65536];
	struct answer a = { .s = s, .reply = reply, .cmd = cmd, .what = what };

	req->nlmsg_seq = ++s->seq;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(fd, req, req->nlmsg_len, 0) < 0) {
		int err = -errno;

		nlmsg_free(msg);
		snprintf(s->err, sizeof(s->err), "%s: cannot send: %s", what,
			 strerror(-err));
		return err;
	}
	nlmsg_free(msg);

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		n = poll(&pfd, 1, REPLY_TIMEOUT_MS);
		if (n == 0) {
			snprintf(s->err, sizeof(s->err), "%s: no answer from the kernel within %d s",
				 what, REPLY_TIMEOUT_MS / 1000);
			return -ETIMEDOUT;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(s->err, sizeof(s->err), "%s: receive failed: %s",
				 what, strerror(errno));
			return -errno;
		}
		if (netdm_msg_walk(buf, n, on_answer, &a, NULL))
			return a.result;
	}
}

static int simple_request(struct netdm_sock *s, uint8_t cmd, const struct netdm_config *cfg,
			  int origins, bool sw, bool hw, struct netdm_info *info)
{
	struct reply reply = { .info = info };
	struct nl_msg *msg = netdm_req_new(s->family, cmd);

	if (!msg)
		return fail(s, -ENOMEM, "%s", "out of memory");
	if ((cfg && netdm_req_put_config(msg, cfg)) ||
	    (origins && netdm_req_put_origins(msg, sw, hw))) {
		nlmsg_free(msg);
		return fail(s, -ENOMEM, "%s", "out of memory");
	}
	return request(s, msg, info ? &reply : NULL);
}

int netdm_sock_config(struct netdm_sock *s, const struct netdm_config *cfg)
{
	return simple_request(s, NET_DM_CMD_CONFIG, cfg, 0, false, false, NULL);
}

int netdm_sock_get_config(struct netdm_sock *s, struct netdm_config *cfg)
{
	struct netdm_info info;
	int err = simple_request(s, NET_DM_CMD_CONFIG_GET, NULL, 0, false, false, &info);

	if (!err)
		*cfg = info.config;
	return err;
}

int netdm_sock_get_stats(struct netdm_sock *s, struct netdm_stats *st)
{
	struct netdm_info info;
	int err = simple_request(s, NET_DM_CMD_STATS_GET, NULL, 0, false, false, &info);

	if (!err)
		*st = info.stats;
	return err;
}

int netdm_sock_save_config(struct netdm_sock *s)
{
	int err;

	if (s->saved_valid)
		return 0;
	err = netdm_sock_get_config(s, &s->saved);
	if (err)
		return err;
	s->saved.has = NETDM_CFG_MODE | NETDM_CFG_TRUNC | NETDM_CFG_QUEUE;
	s->saved_valid = true;
	return 0;
}

int netdm_sock_apply_config(struct netdm_sock *s, const struct netdm_config *cfg)
{
	int err = netdm_sock_save_config(s);

	if (!err)
		err = netdm_sock_config(s, cfg);
	if (!err)
		s->touched = true;
	return err;
}

int netdm_sock_restore_config(struct netdm_sock *s)
{
	int err;

	if (!s->touched || !s->saved_valid)
		return 0;
	err = netdm_sock_config(s, &s->saved);
	if (!err)
		s->touched = false;
	return err;
}

bool netdm_sock_config_changed(const struct netdm_sock *s)
{
	return s->touched;
}

int netdm_sock_start(struct netdm_sock *s, bool sw, bool hw)
{
	return simple_request(s, NET_DM_CMD_START, NULL, 1, sw, hw, NULL);
}

int netdm_sock_stop(struct netdm_sock *s, bool sw, bool hw)
{
	return simple_request(s, NET_DM_CMD_STOP, NULL, 1, sw, hw, NULL);
}

int netdm_sock_subscribe(struct netdm_sock *s, int rcvbuf)
{
	int fd, err, i;

	if (s->subscribed)
		return 0;
	if (!s->rxbuf) {
		s->rxbuf = malloc((size_t)RX_BATCH * RX_BUF_SIZE);
		if (!s->rxbuf)
			return fail(s, -ENOMEM, "%s", "out of memory");
		for (i = 0; i < RX_BATCH; i++) {
			s->iov[i].iov_base = s->rxbuf + (size_t)i * RX_BUF_SIZE;
			s->iov[i].iov_len = RX_BUF_SIZE;
			s->mm[i].msg_hdr = (struct msghdr){ .msg_iov = &s->iov[i], .msg_iovlen = 1 };
		}
	}
	s->ev = nl_socket_alloc();
	if (!s->ev)
		return fail(s, -ENOMEM, "%s", "out of memory");
	nl_socket_disable_seq_check(s->ev);
	err = nl_connect(s->ev, NETLINK_GENERIC);
	if (err < 0) {
		err = nle_to_errno(err);
		goto out_free;
	}
	fd = nl_socket_get_fd(s->ev);
	s->rcvbuf_forced = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) == 0;
	if (!s->rcvbuf_forced)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	err = nl_socket_add_membership(s->ev, s->group);
	if (err < 0) {
		err = nle_to_errno(err);
		if (err == -EPERM)
			snprintf(s->err, sizeof(s->err),
				 "cannot receive drop alerts: permission denied: joining NET_DM's "
				 "\"events\" group needs CAP_SYS_ADMIN on kernels since 6.7 "
				 "(and 6.1.68 and other stable updates)");
		else
			snprintf(s->err, sizeof(s->err), "cannot join NET_DM's \"events\" group: %s",
				 strerror(-err));
		goto out_free;
	}
	s->subscribed = true;
	/* The limit on what queues (twice what was asked for, as the kernel counts). */
	s->rcvbuf_bytes = netdm_sock_rcvbuf(s, NULL);
	return 0;
out_free:
	nl_socket_free(s->ev);
	s->ev = NULL;
	return err;
}

void netdm_sock_unsubscribe(struct netdm_sock *s)
{
	if (!s->ev)
		return;
	nl_socket_free(s->ev);
	s->ev = NULL;
	s->subscribed = false;
}

int netdm_sock_event_fd(const struct netdm_sock *s)
{
	return s->ev ? nl_socket_get_fd(s->ev) : -1;
}

int netdm_sock_rcvbuf(const struct netdm_sock *s, bool *forced)
{
	int val = 0;
	socklen_t len = sizeof(val);

	if (forced)
		*forced = s->rcvbuf_forced;
	if (!s->ev || getsockopt(nl_socket_get_fd(s->ev), SOL_SOCKET, SO_RCVBUF, &val, &len))
		return -1;
	return val;
}


uint64_t netdm_coalesce_wait(int rcvbuf, uint64_t last_bytes, uint64_t prev_read_ns,
			     uint64_t read_ns, uint64_t now_ns)
{
	uint64_t quarter = rcvbuf > 0 ? (uint64_t)rcvbuf / 4 : 0;
	uint64_t ns = quarter / FILL_BYTES_PER_NS, gap = read_ns - prev_read_ns;

	/* The last read took a quarter of the buffer: alerts come too fast to wait. */
	if (!ns || last_bytes > quarter)
		return 0;
	if (prev_read_ns && last_bytes && gap <= STREAM_GAP_NS && now_ns - read_ns <= STREAM_GAP_NS) {
		/* quarter / (RATE_MARGIN * last_bytes / gap); no overflow: both factors < 2^31. */
		uint64_t at_rate = quarter / RATE_MARGIN * gap / last_bytes;

		if (at_rate > ns)
			ns = at_rate;
	}
	return ns < COALESCE_MAX_NS ? ns : COALESCE_MAX_NS;
}

void netdm_sock_coalesce(struct netdm_sock *s)
{
	uint64_t ns = netdm_coalesce_wait(s->rcvbuf_bytes, s->last_read_bytes, s->prev_read_ns,
					  s->read_ns, util_mono_ns());
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)ns };

	if (ns)
		nanosleep(&ts, NULL);
}

int netdm_sock_recv_dgram(struct netdm_sock *s, netdm_dgram_fn fn, void *arg)
{
	int fd = netdm_sock_event_fd(s);

	if (fd < 0)
		return -ENOTCONN;
	s->last_read_bytes = 0;
	s->prev_read_ns = s->read_ns;
	s->read_ns = util_mono_ns();
	for (;;) {
		int n, i, err;

		for (i = 0; i < RX_BATCH; i++)
			s->mm[i].msg_hdr.msg_flags = 0;
		/* MSG_TRUNC: msg_len is the datagram's real length even when it was cut. */
		n = recvmmsg(fd, s->mm, RX_BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == ENOBUFS) {
				/* The kernel dropped alerts for this socket; keep reading. */
				s->stats.enobufs++;
				continue;
			}
			snprintf(s->err, sizeof(s->err), "receive failed: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++) {
			size_t len = s->mm[i].msg_len;
			size_t caplen = len > RX_BUF_SIZE ? RX_BUF_SIZE : len;

			s->stats.datagrams++;
			s->last_read_bytes += 2 * len + SKB_OVERHEAD_EST;
			if (caplen < len)
				s->stats.truncated++;
			err = fn(s->iov[i].iov_base, caplen, len, arg);
			if (err)
				return err;
		}
		if (n < RX_BATCH)
			return 0;
	}
}

struct msg_walk {
	struct netdm_sock *s;
	netdm_msg_fn fn;
	void *arg;
};

static int count_message(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct msg_walk *w = arg;

	w->s->stats.messages++;
	return w->fn(nlh, len, w->arg);
}

static int walk_messages(const void *buf, size_t caplen, size_t len, void *arg)
{
	size_t rest;
	int err;

	if (caplen < len)
		return 0;	/* counted as truncated; its messages are incomplete */
	err = netdm_msg_walk(buf, caplen, count_message, arg, &rest);
	if (err || !rest)
		return err;
	/* A partial message at the end: the decoder rejects it. */
	return count_message((const void *)((const uint8_t *)buf + caplen - rest), rest, arg);
}

int netdm_sock_recv(struct netdm_sock *s, netdm_msg_fn fn, void *arg)
{
	struct msg_walk w = { .s = s, .fn = fn, .arg = arg };

	return netdm_sock_recv_dgram(s, walk_messages, &w);
}

uint32_t netdm_sock_group(const struct netdm_sock *s)
{
	return s->group;
}
