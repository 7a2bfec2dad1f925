// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "capture.h"
#include "replay.h"

static void note_malformed(struct replay_result *res, const char *what)
{
	if (!res->malformed++)
		snprintf(res->first_bad, sizeof(res->first_bad), "%s", what);
}

static void note_bad_message(struct replay_result *res, unsigned long index, const char *what)
{
	char buf[sizeof(res->first_bad)];

	snprintf(buf, sizeof(buf), "record %lu: %s", index, what);
	note_malformed(res, buf);
}

/*
 * Without the controller's answer in the capture (dwdump 1.5 kept only the
 * first datagram of its family dump), NET_DM's id is taken from the first
 * generic netlink message that decodes as a NET_DM alert.
 */
static bool guess_family(const struct nlmsghdr *nlh, size_t len, struct replay_result *res)
{
	struct netdm_info info;

	if (nlh->nlmsg_type <= GENL_ID_CTRL)
		return false;
	if (netdm_decode(nlh, len, nlh->nlmsg_type, NULL, NULL, &info) ||
	    (info.kind != NETDM_MSG_SUMMARY && info.kind != NETDM_MSG_PACKET))
		return false;
	res->family = nlh->nlmsg_type;
	return true;
}

/* What the walk over one record's messages needs. */
struct record_walk {
	const struct cap_record *rec;
	drop_event_fn fn;
	void *arg;
	struct replay_result *res;
};

static int replay_message(const struct nlmsghdr *nlh, size_t len, void *walk)
{
	const struct record_walk *w = walk;
	const struct cap_record *rec = w->rec;
	drop_event_fn fn = w->fn;
	void *arg = w->arg;
	struct replay_result *res = w->res;
	struct netdm_info info;
	int ret = netdm_family_from_ctrl(nlh, len);

	if (ret > 0) {
		res->family = ret;
		return 0;
	}
	if (res->family < 0 && !guess_family(nlh, len, res))
		return 0;
	ret = netdm_decode(nlh, len, res->family, fn, arg, &info);
	if (ret == -EBADMSG) {
		note_bad_message(res, rec->index, "malformed NET_DM message");
		return 0;
	}
	if (ret == -ENOMSG)
		return 0;
	if (info.kind == NETDM_MSG_SUMMARY || info.kind == NETDM_MSG_PACKET)
		res->alerts++;
	return ret;
}

int replay_file(const char *path, drop_event_fn fn, void *arg, struct replay_result *res)
{
	struct cap_reader *r;
	struct cap_record rec;
	struct record_walk walk = { .rec = &rec, .fn = fn, .arg = arg, .res = res };
	int ret;

	memset(res, 0, sizeof(*res));
	res->family = -1;
	ret = cap_reader_open(path, &r, res->err, sizeof(res->err));
	if (ret)
		return ret;
	for (;;) {
		size_t rest;

		ret = cap_reader_next(r, &rec, res->err, sizeof(res->err));
		if (ret == 0)
			break;
		if (ret == -EINVAL) {
			/* One bad record: counted, the rest of the file is still read. */
			note_malformed(res, res->err);
			res->err[0] = '\0';
			continue;
		}
		if (ret < 0)
			break;
		ret = 0;
		res->records++;
		res->ts_ns = rec.ts_ns;
		if (rec.caplen < rec.len)
			res->cut++;
		ret = netdm_msg_walk(rec.data, rec.caplen, replay_message, &walk, &rest);
		if (ret)
			break;
		if (rest)
			note_bad_message(res, rec.index, rec.caplen < rec.len ?
					 "message cut short when captured" : "incomplete netlink message");
	}
	cap_reader_close(r);
	return ret;
}
