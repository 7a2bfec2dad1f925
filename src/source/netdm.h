/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure NET_DM codec: builds requests into libnl messages and decodes one
 * netlink message into drop events, config or stats. No sockets, no output,
 * no globals; every length and count from the input is checked.
 */
#ifndef DW_NETDM_H
#define DW_NETDM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <netlink/msg.h>
#include <linux/net_dropmon.h>
#include "event.h"

/* The generic netlink version of requests (the kernel accepts any). */
#define NETDM_GENL_VERSION		2

/* The kernel's summary batching: at most this many distinct locations per alert. */
#define NETDM_SUMMARY_POINTS_MAX	64

enum netdm_alert_mode {
	NETDM_MODE_SUMMARY = 0,
	NETDM_MODE_PACKET = 1,
};

/* Bits of netdm_config.has: which fields a request sets or a reply carried. */
enum {
	NETDM_CFG_MODE	= 1u << 0,
	NETDM_CFG_TRUNC	= 1u << 1,
	NETDM_CFG_QUEUE	= 1u << 2,
};

struct netdm_config {
	unsigned int has;
	uint8_t mode;
	uint32_t trunc;
	uint32_t queue;
};

struct netdm_stats {
	bool has_sw, has_hw;
	uint64_t sw_dropped;
	uint64_t hw_dropped;
};

enum netdm_kind {
	NETDM_MSG_SUMMARY = 1,	/* NET_DM_CMD_ALERT: software and/or hardware summary */
	NETDM_MSG_PACKET,	/* NET_DM_CMD_PACKET_ALERT */
	NETDM_MSG_CONFIG,	/* NET_DM_CMD_CONFIG_NEW */
	NETDM_MSG_STATS,	/* NET_DM_CMD_STATS_NEW */
};

struct netdm_info {
	enum netdm_kind kind;
	unsigned int events;		/* drop events handed to the callback */
	unsigned int sw_points;		/* summary: software drop points */
	bool summary_full;		/* summary: the kernel's 64-point table was full */
	struct netdm_config config;	/* NETDM_MSG_CONFIG */
	struct netdm_stats stats;	/* NETDM_MSG_STATS */
};

/*
 * What a writer that keeps messages as received needs, without decoding
 * them: whether @buf is an alert (summary or packet) of @family, and its
 * timestamp attribute when it has one. Only the message's frame is checked
 * (headers and the top-level attributes' lengths). Returns NETDM_MSG_SUMMARY
 * or NETDM_MSG_PACKET, -ENOMSG for anything else, -EBADMSG when malformed.
 */
int netdm_peek_alert(const void *buf, size_t len, uint16_t family, uint64_t *ts, bool *has_ts);

/*
 * Decode one netlink message of @len bytes at @buf (len may exceed the
 * message: the rest is ignored). Returns 0 with @info filled, -ENOMSG if the
 * message is not a NET_DM message we decode (other family, ACK, unknown
 * command: not an error), -EBADMSG if it is malformed, or what @fn returned.
 */
int netdm_decode(const void *buf, size_t len, uint16_t family,
		 drop_event_fn fn, void *arg, struct netdm_info *info);

/*
 * Calls @fn for each whole netlink message in the @len bytes at @buf (a
 * datagram, or a capture record), never reading past them; a non-zero
 * return stops the walk and is returned. @rest (may be NULL) gets the bytes
 * left at the end that do not make a message (one cut short, or garbage).
 */
typedef int (*netdm_msg_fn)(const struct nlmsghdr *nlh, size_t len, void *arg);
int netdm_msg_walk(const void *buf, size_t len, netdm_msg_fn fn, void *arg, size_t *rest);

/*
 * If @buf holds a generic netlink controller message (a GETFAMILY reply or a
 * NEWFAMILY notice) for the family named "NET_DM", returns its family id;
 * otherwise -ENOMSG (or -EBADMSG when it is malformed).
 */
int netdm_family_from_ctrl(const void *buf, size_t len);

/* Requests. Each returns a new message or NULL when out of memory. */
struct nl_msg *netdm_req_new(uint16_t family, uint8_t cmd);
/* The controller's GETFAMILY request for "NET_DM". */
struct nl_msg *netdm_req_getfamily(void);
int netdm_req_put_config(struct nl_msg *msg, const struct netdm_config *cfg);
int netdm_req_put_origins(struct nl_msg *msg, bool sw, bool hw);

const char *netdm_mode_to_str(uint8_t mode);
int netdm_mode_from_str(const char *s);
const char *netdm_cmd_to_str(uint8_t cmd);

#endif
