// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "table.h"
#include "journey.h"

/* Column titles of the text table. */
static const char *const titles[AGG_FIELDS] = {
	"location", "reason", "interface", "origin", "protocol", "source", "destination",
	"sport", "dport", "call chain", "namespace", "container", "event", "cause", "state",
	"connection", "rule", "conntrack",
};

static double share(uint64_t count, uint64_t total)
{
	return total ? (double)count / (double)total : 0.0;
}

static double rate(uint64_t count, double elapsed)
{
	return elapsed > 0 ? (double)count / elapsed : 0.0;
}

static void header(struct printer *p, const struct agg_spec *spec, uint64_t total, size_t rows,
		   const struct table_extra *x)
{
	unsigned int k;

	pr_textf(p, "%s by", x->what ? x->what : "Drops");
	for (k = 0; k < spec->n; k++)
		pr_textf(p, "%s%s", k ? (k + 1 == spec->n ? " and " : ", ") : " ",
			 titles[spec->field[k]]);
	pr_textf(p, " over %.*f s: ", x->elapsed < 10 ? 2 : 0, x->elapsed);
	pr_fixed(p, "elapsed", NULL, x->elapsed, 3);
	pr_u64(p, "total", NULL, total);
	pr_textf(p, "%" PRIu64 " %s, ", total, x->what ? "events" : "drops");
	pr_u64(p, "hidden", "%s hidden by filters, ", x->hidden);
	pr_u64(p, "ignored", "%s of ignored reasons, ", x->ignored);
	pr_u64(p, "lost", "%s ", x->lost);
	pr_text(p, x->lost_what ? x->lost_what : "receive overruns");
	pr_text(p, "\n");
	pr_u64(p, "row_count", NULL, rows);
	pr_list_open(p, "keys");
	for (k = 0; k < spec->n; k++)
		pr_list_safe(p, agg_output_names[spec->field[k]]);
	pr_list_close(p);
}

/*
 * The time from a journey's first event to the drop (--journey): median and 99th
 * percentile in text ("31us/2.1ms", "-" for none), in ns and the drops it covers else.
 */
static void put_lived(struct printer *p, const struct jhist *h)
{
	char a[16], b[16], both[40];

	if (!h) {
		pr_textf(p, " %17s", "-");
		return;
	}
	snprintf(both, sizeof(both), "%s/%s", jhist_dur(a, sizeof(a), jhist_quantile(h, 0.5)),
		 jhist_dur(b, sizeof(b), jhist_quantile(h, 0.99)));
	pr_textf(p, " %17s", both);
	pr_u64(p, "lived_n", NULL, h->n);
	pr_u64(p, "lived_p50_ns", NULL, jhist_quantile(h, 0.5));
	pr_u64(p, "lived_p99_ns", NULL, jhist_quantile(h, 0.99));
}

void table_print(struct printer *p, struct agg *a, const struct table_extra *x)
{
	const struct agg_spec *spec = agg_get_spec(a);
	size_t width[AGG_MAX_KEYS], i, n, all = agg_rows(a);
	const struct agg_row *rows = agg_sorted(a, &n);
	uint64_t total = agg_total(a);
	bool lived = false;
	unsigned int k;

	if (x->top && n > x->top)
		n = x->top;
	for (i = 0; i < n; i++)
		lived |= rows[i].lived != NULL;
	pr_open(p, "table");
	header(p, spec, total, all, x);
	for (k = 0; k < spec->n; k++) {
		width[k] = strlen(titles[spec->field[k]]);
		for (i = 0; i < n; i++)
			if (strlen(rows[i].value[k]) > width[k])
				width[k] = strlen(rows[i].value[k]);
		if (width[k] > 60)
			width[k] = 60;
	}
	if (n) {
		pr_textf(p, "  %10s %7s %10s", "count", "share", "rate/s");
		if (lived)
			pr_textf(p, " %17s", "lived p50/p99");
		for (k = 0; k < spec->n; k++)
			pr_textf(p, "  %-*s", k + 1 < spec->n ? (int)width[k] : 0,
				 titles[spec->field[k]]);
		pr_text(p, "\n");
	}
	pr_array_open(p, "rows");
	for (i = 0; i < n; i++) {
		pr_item_open(p, "row");
		pr_textf(p, "  %10" PRIu64 " %6.1f%% %10.1f", rows[i].count,
			 100.0 * share(rows[i].count, total), rate(rows[i].count, x->elapsed));
		pr_u64(p, "count", NULL, rows[i].count);
		pr_fixed(p, "share", NULL, share(rows[i].count, total), 3);
		pr_fixed(p, "rate", NULL, rate(rows[i].count, x->elapsed), 3);
		if (lived)
			put_lived(p, rows[i].lived);
		for (k = 0; k < spec->n; k++) {
			const char *v = rows[i].value[k];

			size_t len = v[0] ? strlen(v) : 1;

			pr_safe(p, NULL, "  %s", v[0] ? v : "-");
			if (k + 1 < spec->n && len < width[k])
				pr_textf(p, "%*s", (int)(width[k] - len), "");
			if (v[0])
				pr_safe(p, agg_output_names[spec->field[k]], NULL, v);
		}
		pr_text(p, "\n");
		pr_item_close(p);
	}
	pr_array_close(p);
	if (n < all)
		pr_textf(p, "  (%zu more rows)\n", all - n);
	pr_close(p);
}
