// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The namespace service's cost (scripts/bench.sh --netns-only), on the
 * machine as it is (the script makes the namespaces): the start (every
 * namespace found, given an id, its links and addresses read), a look for
 * namespaces again (what happens once a minute), an attribution (what each
 * alert costs: an index and an address looked up), and the counters of every
 * namespace read inside it (what a run's start costs). Prints key=value
 * lines: seconds of CPU, and wall seconds where the kernel's work is another
 * thread's.
 *
 *   bench-netns [LOOKUPS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "counters.h"
#include "netns.h"
#include "rtstats.h"
#include "util.h"

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	long lookups = argc > 1 ? atol(argv[1]) : 1000000;
	static const uint8_t addr[4] = { 10, 77, 0, 2 };
	char why[256];
	struct netns_db *db;
	struct netns_attr at;
	struct netns_stats st;
	double c0, w0, c1, w1;
	long rss0 = max_rss_kb(), found = 0;
	size_t read = 0, failed = 0;

	util_prog = "bench-netns";
	c0 = cpu_seconds();
	w0 = wall_seconds();
	db = netns_db_open(util_err, why, sizeof(why));
	c1 = cpu_seconds();
	w1 = wall_seconds();
	if (!db) {
		fprintf(stderr, "bench-netns: %s\n", why);
		return 1;
	}
	printf("namespaces=%zu start_cpu_s=%.4f start_wall_s=%.4f rss_kb=%ld\n", netns_count(db),
	       c1 - c0, w1 - w0, max_rss_kb() - rss0);

	c0 = cpu_seconds();
	w0 = wall_seconds();
	netns_rescan(db);
	c1 = cpu_seconds();
	w1 = wall_seconds();
	printf("rescan_cpu_s=%.4f rescan_wall_s=%.4f\n", c1 - c0, w1 - w0);

	/* Alerts: an index several namespaces have (1, lo), and one a namespace's address settles. */
	netns_set_complete(db, true);	/* the attribution's cost, whatever /proc let us see */
	c0 = cpu_seconds();
	for (long i = 0; i < lookups; i++) {
		netns_attribute(db, (i & 1) ? 2 : 1, NULL, addr, 4, &at);
		found += at.by != NETNS_BY_NONE;
	}
	c1 = cpu_seconds();
	printf("lookups=%ld attributed=%ld ns_per_lookup=%.0f\n", lookups, found,
	       (c1 - c0) * 1e9 / (double)lookups);

	/* Every namespace's counters, read inside it, as a run's start does. */
	c0 = cpu_seconds();
	w0 = wall_seconds();
	for (size_t i = 0; i < netns_count(db); i++) {
		const struct netns_info *info = netns_at(db, i);
		struct counter_set s;
		struct rtstats *rt;
		int err;

		if (!info->ino || netns_enter(db, info->ino)) {
			failed++;
			continue;
		}
		counters_init(&s);
		err = counters_read_ns(&s, "/proc/thread-self/net", false);
		rt = err ? NULL : rtstats_open(&err);
		if (rt) {
			err = rtstats_read(rt, &s);
			rtstats_close(rt);
		}
		netns_leave(db, info->ino);
		counters_free(&s);
		if (err)
			failed++;
		else
			read++;
	}
	c1 = cpu_seconds();
	w1 = wall_seconds();
	printf("counters_read=%zu counters_failed=%zu counters_cpu_s=%.4f counters_wall_s=%.4f\n",
	       read, failed, c1 - c0, w1 - w0);
	netns_stats(db, &st);
	printf("scans=%llu unreadable=%llu\n", (unsigned long long)st.scans,
	       (unsigned long long)st.unreadable);
	netns_db_close(db);
	return 0;
}
