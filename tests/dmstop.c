// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmstop: sends NET_DM's STOP as a client that never started the monitor
 * (Debian's dropwatch 1.5.4 does so at its 'stop'), for the test that the
 * exporter notices its monitor stopped underneath it and starts it again.
 */
#include "config.h"

#include <stdio.h>

#include "netdm_sock.h"
#include "util.h"

int main(void)
{
	struct netdm_sock *s;
	int err;

	util_prog = "dmstop";
	err = netdm_sock_open(&s);
	if (err) {
		fprintf(stderr, "dmstop: cannot open NET_DM\n");
		return 1;
	}
	err = netdm_sock_stop(s, true, true);
	if (err)
		fprintf(stderr, "dmstop: %s\n", netdm_sock_error(s));
	netdm_sock_close(s);
	return err ? 1 : 0;
}
