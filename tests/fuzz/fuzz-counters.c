// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: one input as each of the kernel's counter files, and as
 * an rtnetlink link and qdisc message (its length as received, which libnl
 * checks before a message reaches the parsers), into one set; and as link and
 * address messages to a namespace table, which then attributes a drop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "counters.h"
#include "netns.h"
#include "rtstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct counter_set s;
	struct ifname_map names = { 0 };
	const struct counter_join *j;

	counters_init(&s);
	(void)counters_parse_snmp(&s, (const char *)data, size);
	(void)counters_parse_snmp6(&s, (const char *)data, size);
	(void)counters_parse_softnet(&s, (const char *)data, size);
	for (size_t i = 0; i < s.n; i++)
		(void)strlen(s.c[i].name);
	if (size >= NLMSG_HDRLEN && size < 65536) {
		struct nlmsghdr *h = malloc(NLMSG_ALIGN(size));

		if (h) {
			memcpy(h, data, size);
			h->nlmsg_len = (uint32_t)size;
			h->nlmsg_type = RTM_NEWLINK;
			(void)rtstats_parse_link(&s, h, &names);
			h->nlmsg_type = RTM_NEWSTATS;
			(void)rtstats_parse_stats(&s, h, &names);
			h->nlmsg_type = RTM_NEWQDISC;
			(void)rtstats_parse_qdisc(&s, h, &names);
			{
				static const int types[] = { RTM_NEWLINK, RTM_NEWADDR, RTM_DELADDR,
							     RTM_DELLINK };
				struct netns_db *db = netns_db_new();
				struct netns_attr at;

				if (db && netns_add(db, 1, NETNS_SELF, "host", NULL, true)) {
					for (size_t t = 0; t < 4; t++) {
						h->nlmsg_type = (uint16_t)types[t];
						(void)netns_apply(db, NETNS_SELF, h);
					}
					netns_attribute(db, size > 20 ? data[20] : 1, NULL, data,
							size >= 16 ? 16 : 0, &at);
				}
				netns_db_close(db);
			}
			free(h);
		}
	}
	j = counters_join_of("NO_SOCKET");
	if (j)
		(void)counters_find(&s, j->counters[0]);
	{
		struct counter_set empty;
		struct counters_report rep;
		const struct reason_count rc[] = { { "NO_SOCKET", 1 } };

		counters_init(&empty);
		if (!counters_compare(&empty, &s, rc, 1, &rep))
			counters_report_free(&rep);
		counters_free(&empty);
	}
	ifname_map_free(&names);
	counters_free(&s);
	return 0;
}
