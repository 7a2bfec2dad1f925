/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own loss counters, as text files give them: /proc/net/snmp and
 * /proc/net/netstat (a line of names, then a line of values, per group),
 * /proc/net/snmp6 (a name and a value per line) and /proc/net/softnet_stat
 * (a line of hex columns per CPU). Parsed into one set of named counters
 * ("Udp.NoPorts", "TcpExt.TCPBacklogDrop", "Udp6NoPorts", "softnet.dropped"),
 * so that two snapshots can be subtracted. Pure: no I/O but counters_read().
 */
#ifndef DW_COUNTERS_H
#define DW_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

#define COUNTER_NAME_MAX 64

struct counter {
	char name[COUNTER_NAME_MAX];
	uint64_t value;
	uint32_t hash;		/* of the name, for the index */
};

struct counter_set {
	struct counter *c;
	size_t n, cap;
	struct hmap index;	/* positions in c (uint32_t), by name */
	unsigned int bad;	/* lines or fields that could not be read (skipped) */
};

void counters_init(struct counter_set *s);
void counters_free(struct counter_set *s);
/* Empty again, its memory kept for the next snapshot. */
void counters_clear(struct counter_set *s);
/* Adds (or, when named already, sets) a counter. 0 or -ENOMEM. */
int counters_set(struct counter_set *s, const char *name, uint64_t value);
/* Adds @value to the counter @name (0 when new). 0 or -ENOMEM. */
int counters_add(struct counter_set *s, const char *name, uint64_t value);
/* The counter @name, or NULL. */
const struct counter *counters_find(const struct counter_set *s, const char *name);

/* The text of each file, @len bytes (need not end in NUL). 0 or -ENOMEM; bad input is skipped
 * and counted in s->bad. */
int counters_parse_snmp(struct counter_set *s, const char *text, size_t len);
int counters_parse_snmp6(struct counter_set *s, const char *text, size_t len);
int counters_parse_softnet(struct counter_set *s, const char *text, size_t len);

/* Reads the four files under @procnet ("/proc/net"); a file that is missing is skipped. */
int counters_read(struct counter_set *s, const char *procnet);
/* The same; without @machine, the namespace's own only (softnet_stat is the machine's). */
int counters_read_ns(struct counter_set *s, const char *procnet, bool machine);

/*
 * The join of drops and counters. Each entry ties drop reasons to the
 * counters that the kernel code dropping for them increments; a counter may
 * be a pattern ("link.*.rx_otherhost_dropped"). The drops of the reasons are
 * compared with the counters' change over the same time.
 */
#define JOIN_REASONS 4
#define JOIN_COUNTERS 4
struct counter_join {
	const char *reasons[JOIN_REASONS];
	const char *counters[JOIN_COUNTERS];
	const char *note;	/* when they differ: why they may, and what to look at */
};

/* The entries, and the number of them in @n. */
const struct counter_join *counters_joins(size_t *n);
/* The entry that has @reason, or NULL: no counter counts its drops. */
const struct counter_join *counters_join_of(const char *reason);

/* A drop-related counter: what it means; context (not loss) or loss. NULL: not drop-related. */
struct counter_info {
	const char *pattern;
	bool context;
	const char *meaning;
};
const struct counter_info *counters_info(const char *name);

enum join_verdict { JOIN_AGREES, JOIN_MORE, JOIN_FEWER };
extern const char *const join_verdict_names[3];

#define JOIN_SHOWN 8
struct join_row {
	const struct counter_join *j;
	uint64_t drops;		/* of its reasons, in the run */
	unsigned int seen;	/* the reasons that had drops: bit k for reasons[k] */
	uint64_t change;	/* of its counters */
	enum join_verdict verdict;
	size_t n;		/* counters shown: those that moved, else every one found */
	const char *name[JOIN_SHOWN];
	uint64_t delta[JOIN_SHOWN];
};

/* The drops of one reason over a run. */
struct reason_count {
	const char *reason;
	uint64_t count;
};

struct counter_move {
	const char *name;	/* in the later set */
	uint64_t delta;
	const struct counter_info *info;
};

struct counters_report {
	struct join_row *joins;		/* reasons that dropped and have counters */
	size_t njoins;
	struct counter_move *moved;	/* loss counters that moved with no alert beside them */
	size_t nmoved, capmoved;
	struct counter_move *context;	/* counters that moved and are not loss */
	size_t ncontext, capcontext;
	struct reason_count *uncounted;	/* reasons that dropped and no counter here counts */
	size_t nuncounted, capuncounted;
};

/*
 * @a, then @b, against the drops each reason had between them (@rc). A
 * counter missing from @a counts from 0 when it is a link's or a qdisc's (it
 * appeared in the meantime), else is left out; one that went back (its
 * device was made again) counts from 0 too. 0 or -ENOMEM.
 */
int counters_compare(const struct counter_set *a, const struct counter_set *b,
		     const struct reason_count *rc, size_t nrc, struct counters_report *rep);
void counters_report_free(struct counters_report *rep);

#endif
