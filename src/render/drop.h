/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drop records on stdout through the one printer: in text, dropwatch 1.5's
 * line shapes (a summary line per location, a block per packet); in kv and
 * JSON, one line per drop with the fields of dropwatch(1)'s OUTPUT section.
 */
#ifndef DW_DROP_H
#define DW_DROP_H

#include <stdio.h>

#include "print.h"
#include "record.h"

struct out_ctx {
	struct printer p;
	bool verbose;			/* explain drop reasons */
	bool tcp;			/* tcp mode: drops a line each, as TCP's events */
	/* The second last spelled (localtime and gmtime are slow; alerts come many a second). */
	long long ts_sec, utc_sec, clock_sec;
	char ts_text[64], utc_text[32], clock_text[16];
	size_t ts_len;
};

void out_init(struct out_ctx *o, FILE *f, enum out_format fmt);
/* One drop in the context's format. */
void out_record(struct out_ctx *o, struct drop_record *r);

#endif
