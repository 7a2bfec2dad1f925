/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who listens to a generic netlink multicast group: the sockets that
 * /proc/net/netlink lists as its members, and the processes that hold them.
 * dropwatch --force uses it to tell a monitor left on by a client that is
 * gone from one that someone still reads.
 */
#ifndef DW_NLGROUP_H
#define DW_NLGROUP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The members of generic netlink group @group, said in @who ("1234 (dropwatch),
 * ..."; "socket of port 77" when no process can be named). Returns how many,
 * or -1 when it cannot be told (the file lists only groups 1 to 32, or cannot be
 * read), with why in @who.
 */
int nlgroup_members(uint32_t group, char *who, size_t len);
/* The same on the text of /proc/net/netlink (for tests): NULL @text reads the file. */
int nlgroup_members_in(const char *text, uint32_t group, char *who, size_t len);

#endif
