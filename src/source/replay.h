/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay of a NET_DM capture (ours, dwdump 1.5's, or nlmon's): every netlink
 * message of every generic netlink record goes through the same decoder as a
 * live session. NET_DM's family id is learnt from the controller's messages in
 * the capture, as Wireshark does.
 */
#ifndef DW_REPLAY_H
#define DW_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "netdm.h"

struct replay_result {
	unsigned long records;		/* generic netlink records read */
	unsigned long alerts;		/* NET_DM alert messages decoded */
	unsigned long malformed;	/* messages or records skipped as malformed */
	unsigned long cut;		/* records captured shorter than they were */
	char first_bad[256];		/* what the first of them was, naming its record */
	int family;			/* NET_DM's id in this capture, -1 if never seen */
	uint64_t ts_ns;			/* timestamp of the record being decoded */
	char err[256];			/* why reading stopped early (replay_file < 0) */
};

/*
 * Decodes every alert of the capture at @path, calling @fn for each event
 * (a non-zero return stops the replay and is returned). Returns 0 at the end
 * of the file, -EINVAL when it is not a readable NET_DM capture, -EBADMSG when
 * it is corrupt or cut short (everything before was decoded), with the reason
 * in @res->err.
 */
int replay_file(const char *path, drop_event_fn fn, void *arg, struct replay_result *res);

#endif
