// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel counters' cost (scripts/bench.sh): what one table's section
 * takes, as dropwatch does it at each -i interval: a snapshot (the four
 * /proc/net files, the links' and qdiscs' dumps over rtnetlink), the
 * comparison with the run's first snapshot, and the section printed (to
 * /dev/null). Prints key=value lines: CPU per table, and the share of one CPU
 * that one table a second takes.
 *
 *   bench-counters [TABLES]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "counters.h"
#include "losses.h"
#include "print.h"
#include "rtstats.h"

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	static const struct reason_count rc[] = { { "NO_SOCKET", 1000 }, { "NOT_SPECIFIED", 5 } };
	int n = argc > 1 ? atoi(argv[1]) : 1000, err;
	struct counter_set first, now;
	struct counters_report rep;
	struct loss_extra x = { .available = true, .elapsed = 1 };
	struct printer p;
	struct rtstats *rt = rtstats_open(&err);
	FILE *null = fopen("/dev/null", "w");
	size_t counters = 0;
	double t0, t;

	if (!rt || !null || n <= 0) {
		fprintf(stderr, "bench-counters: no route netlink socket, or /dev/null\n");
		return 1;
	}
	pr_init(&p, null, OUT_TEXT);
	counters_init(&first);
	counters_init(&now);
	if (counters_read(&first, "/proc/net") || rtstats_read(rt, &first))
		return 1;
	t0 = cpu_seconds();
	for (int i = 0; i < n; i++) {
		counters_clear(&now);
		if (counters_read(&now, "/proc/net") || rtstats_read(rt, &now) ||
		    counters_compare(&first, &now, rc, 2, &rep))
			return 1;
		losses_print(&p, &rep, &x);
		counters_report_free(&rep);
		counters = now.n;
	}
	t = (cpu_seconds() - t0) / n;
	printf("tables=%d counters=%zu cpu_per_table_us=%.0f share_of_one_cpu_at_i1=%.3f%%\n", n,
	       counters, t * 1e6, 100 * t);
	counters_free(&first);
	counters_free(&now);
	rtstats_close(rt);
	pr_release(&p);
	fclose(null);
	return 0;
}
