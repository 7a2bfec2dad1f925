/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * All NET_DM socket I/O: family and group resolution, request/ACK with the
 * kernel's extended-ack text, the alert receive loop and its loss accounting.
 * Functions return 0 or -errno and leave a description in netdm_sock_error().
 */
#ifndef DW_NETDM_SOCK_H
#define DW_NETDM_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "netdm.h"

struct netdm_sock;

struct netdm_sock_stats {
	uint64_t datagrams;	/* datagrams received on the alert socket */
	uint64_t messages;	/* netlink messages in them */
	uint64_t enobufs;	/* receive overruns: alerts lost at our socket */
	uint64_t truncated;	/* datagrams larger than our buffer */
};

/* Resolves the NET_DM family and opens the control socket. */
int netdm_sock_open(struct netdm_sock **out);
void netdm_sock_close(struct netdm_sock *s);
const char *netdm_sock_error(const struct netdm_sock *s);
uint16_t netdm_sock_family(const struct netdm_sock *s);
/* The controller's reply naming NET_DM's id, as the kernel sent it (for captures). */
const void *netdm_sock_family_msg(const struct netdm_sock *s, size_t *len);

/*
 * Sends @cmd with optional config and origin attributes and waits for the
 * ACK (and the reply, decoded into @reply, for CONFIG_GET/STATS_GET).
 */
int netdm_sock_config(struct netdm_sock *s, const struct netdm_config *cfg);
int netdm_sock_get_config(struct netdm_sock *s, struct netdm_config *cfg);
int netdm_sock_get_stats(struct netdm_sock *s, struct netdm_stats *st);
/*
 * Settings we change and put back: the first apply saves the kernel's
 * current settings (CONFIG_GET), restore sends them again if we changed
 * anything. save alone tells whether the kernel has CONFIG at all.
 */
int netdm_sock_save_config(struct netdm_sock *s);
int netdm_sock_apply_config(struct netdm_sock *s, const struct netdm_config *cfg);
int netdm_sock_restore_config(struct netdm_sock *s);
bool netdm_sock_config_changed(const struct netdm_sock *s);

int netdm_sock_start(struct netdm_sock *s, bool sw, bool hw);
int netdm_sock_stop(struct netdm_sock *s, bool sw, bool hw);

/*
 * Alert subscription. The receive buffer is sized for bursts: @rcvbuf bytes,
 * forced past rmem_max when we have CAP_NET_ADMIN. netdm_sock_rcvbuf() tells
 * what the kernel granted.
 */
int netdm_sock_subscribe(struct netdm_sock *s, int rcvbuf);
void netdm_sock_unsubscribe(struct netdm_sock *s);
int netdm_sock_event_fd(const struct netdm_sock *s);
int netdm_sock_rcvbuf(const struct netdm_sock *s, bool *forced);

/*
 * Reads what is queued on the alert socket without blocking and calls @fn
 * for every netlink message, with its length bounded by the datagram. @fn
 * returning non-zero stops the loop (the value is returned). Returns 0 when
 * the socket is drained.
 */
int netdm_sock_recv(struct netdm_sock *s, netdm_msg_fn fn, void *arg);
/*
 * The same, one call per datagram as received: @caplen bytes at @buf of a
 * datagram that was @len bytes long (larger when our buffer cut it).
 */
typedef int (*netdm_dgram_fn)(const void *buf, size_t caplen, size_t len, void *arg);
int netdm_sock_recv_dgram(struct netdm_sock *s, netdm_dgram_fn fn, void *arg);
/*
 * Call when poll() says alerts wait, before reading them: waits a moment for
 * more to queue behind them, so that one read takes many (netdm_coalesce_wait).
 */
void netdm_sock_coalesce(struct netdm_sock *s);
/*
 * How long that wait is, in ns, for a receive buffer limit of @rcvbuf bytes
 * (as SO_RCVBUF reports it), when the last read took @last_bytes (the kernel's
 * charge, estimated) and the last two reads began at @read_ns and
 * @prev_read_ns (0: none), and it is @now_ns (CLOCK_MONOTONIC). At most the
 * time a quarter of the buffer takes to fill at 2 GB/s; while alerts stream in
 * (reads less than 100 ms apart), as long as a quarter takes to fill at four
 * times the rate they came at, up to 50 ms. None when the last read took a
 * quarter of the buffer.
 */
uint64_t netdm_coalesce_wait(int rcvbuf, uint64_t last_bytes, uint64_t prev_read_ns,
			     uint64_t read_ns, uint64_t now_ns);
const struct netdm_sock_stats *netdm_sock_stats(const struct netdm_sock *s);

/* The multicast group of NET_DM's alerts. */
uint32_t netdm_sock_group(const struct netdm_sock *s);
/* The NET_DM family cannot be seen because this is not the initial network namespace. */
bool netdm_hidden_by_netns(void);

#endif
