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

#define COUNTER_NAME_MAX 64

struct counter {
	char name[COUNTER_NAME_MAX];
	uint64_t value;
};

struct counter_set {
	struct counter *c;
	size_t n, cap;
	unsigned int bad;	/* lines or fields that could not be read (skipped) */
};

void counters_init(struct counter_set *s);
void counters_free(struct counter_set *s);
/* Adds (or, when named already, sets) a counter. 0 or -ENOMEM. */
int counters_set(struct counter_set *s, const char *name, uint64_t value);
/* The counter @name, or NULL. */
const struct counter *counters_find(const struct counter_set *s, const char *name);

/* The text of each file, @len bytes (need not end in NUL). 0 or -ENOMEM; bad input is skipped
 * and counted in s->bad. */
int counters_parse_snmp(struct counter_set *s, const char *text, size_t len);
int counters_parse_snmp6(struct counter_set *s, const char *text, size_t len);
int counters_parse_softnet(struct counter_set *s, const char *text, size_t len);

/* Reads the four files under @procnet ("/proc/net"); a file that is missing is skipped. */
int counters_read(struct counter_set *s, const char *procnet);



/*
 * The counters that the kernel code which drops for a reason also increments,
 * from the kernel's sources (the function is named at each entry). NULL for a
 * reason without one in this map.
 */
const char *const *counters_of_reason(const char *reason);
#endif
