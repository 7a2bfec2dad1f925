/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The aggregated table through the one printer: columns in text, records in kv and JSON. */
#ifndef DW_TABLE_H
#define DW_TABLE_H

#include "aggregate.h"
#include "print.h"

/* What the table says beside its rows. */
struct table_extra {
	double elapsed;		/* seconds the counts cover */
	uint64_t hidden;	/* drops the filters hid */
	uint64_t ignored;	/* drops of ignored reasons */
	uint64_t lost;		/* receive overruns, or drops lost in full rings */
	const char *lost_what;	/* which: "receive overruns" (NULL: that) */
	unsigned int top;	/* rows to show, 0 for all */
	const char *what;	/* what is counted: "TCP events" (NULL: drops) */
};

void table_print(struct printer *p, struct agg *a, const struct table_extra *x);

struct times;

/* What of the times report is shown, and what it says beside it. */
struct times_view {
	double elapsed;
	bool rx, tx;		/* the directions shown */
	const char *dev;	/* only devices matching this glob; NULL: all */
	uint64_t lost;		/* events lost in full rings */
};

void times_print(struct printer *p, const struct times *t, const struct times_view *v);

#endif
