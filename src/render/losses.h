/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The section after a table that joins the drops with the kernel's own
 * counters: each reason that has counters beside their change and a
 * verdict, the reasons no counter counts, the loss counters that moved with
 * no alert beside them (what each means, where to look), and counters that
 * are context, not loss; then the same for each other network namespace
 * that dropped, against its own counters. One record, "counters", in text,
 * kv and JSON.
 */
#ifndef DW_LOSSES_H
#define DW_LOSSES_H

#include <stdbool.h>
#include <stdint.h>

#include "counters.h"
#include "print.h"

/* Another network namespace that dropped: its own join, or why there is none. */
struct loss_ns {
	uint64_t ino;
	const char *name, *container;	/* escaped; NULL when none */
	bool available;
	const char *why;
	struct counters_report rep;
};

struct loss_extra {
	bool available;			/* false: why says why there is nothing to compare */
	const char *why;
	double elapsed;			/* the run so far, in seconds (the table's) */
	uint64_t no_reason;		/* software drops that carried no reason (summaries) */
	uint64_t ambiguous;		/* drops of a namespace that could not be established */
	uint64_t lost;			/* alerts the tool lost: drops no counter will miss */
	unsigned int bad;		/* counter lines or messages that could not be read */
	bool tcp;			/* a tcp run: TCP's events are joined too */
	struct loss_ns *ns;		/* the other namespaces that dropped */
	size_t nns;
};

void losses_print(struct printer *p, const struct counters_report *rep, const struct loss_extra *x);

#endif
