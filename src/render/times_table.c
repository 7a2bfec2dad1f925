// SPDX-License-Identifier: GPL-2.0-or-later
/* The times report (dropwatch times): per device, receive and transmit, through the one printer. */
#include "config.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "times.h"

/* "p50/p99" of @h in text (a column of @w), NAME_p50_ns and NAME_p99_ns else; "-" for none. */
static void put_pct(struct printer *p, const char *name, const struct jhist *h, int w)
{
	char a[16], b[16], both[40], key[48];

	if (!h->n) {
		pr_textf(p, " %*s", w, "-");
		return;
	}
	snprintf(both, sizeof(both), "%s/%s", jhist_dur(a, sizeof(a), jhist_quantile(h, 0.5)),
		 jhist_dur(b, sizeof(b), jhist_quantile(h, 0.99)));
	pr_textf(p, " %*s", w, both);
	snprintf(key, sizeof(key), "%s_p50_ns", name);
	pr_u64(p, key, NULL, jhist_quantile(h, 0.5));
	snprintf(key, sizeof(key), "%s_p99_ns", name);
	pr_u64(p, key, NULL, jhist_quantile(h, 0.99));
}

static void put_count(struct printer *p, const char *key, uint64_t v, int w)
{
	pr_textf(p, " %*" PRIu64, w, v);
	pr_u64(p, key, NULL, v);
}

/* A device's item (rx, tx) opened, its name printed; false when the view leaves it out. */
static bool item_open(struct printer *p, const struct times_dev *d, const struct times_view *v,
		      bool rx, int w)
{
	char safe[4 * JSTEP_DEV_LEN + 1];

	if ((v->dev && fnmatch(v->dev, d->dev, 0)) || !(rx ? d->rx.packets : d->tx.packets))
		return false;
	pr_item_open(p, rx ? "rx" : "tx");
	pr_escape(safe, sizeof(safe), d->dev);
	pr_textf(p, "  %-*s", w, safe);
	pr_safe(p, "dev", NULL, safe);
	return true;
}

void times_print(struct printer *p, const struct times *t, const struct times_view *v)
{
	size_t n = times_count(t), i;
	const struct times_dev **d = calloc(n ? n : 1, sizeof(*d));
	char safe[4 * JSTEP_DEV_LEN + 1];
	int w = 8;

	if (!d)
		return;
	times_sorted(t, d);
	for (i = 0; i < n; i++)
		if ((int)strlen(pr_escape(safe, sizeof(safe), d[i]->dev)) > w)
			w = (int)strlen(safe);
	pr_open(p, "times");
	pr_fixed(p, "elapsed", NULL, v->elapsed, 3);
	pr_u64(p, "journeys", NULL, t->journeys);
	pr_u64(p, "untracked", NULL, t->untracked);
	pr_u64(p, "lost", NULL, v->lost);
	pr_u64(p, "not_tracked", NULL, t->not_tracked);
	pr_u64(p, "too_many", NULL, t->too_many);
	pr_u64(p, "late", NULL, t->late);
	pr_u64(p, "abandoned", NULL, t->abandoned);
	if (v->rx) {
		pr_textf(p, "Receive by device over %.*f s:\n", v->elapsed < 10 ? 2 : 0, v->elapsed);
		pr_textf(p, "  %-*s %9s %9s %9s %9s %7s %19s %19s %19s %19s\n", w, "device", "packets",
			 "delivered", "dropped", "freed", "open", "irq>softirq p50/99",
			 "softirq>rx p50/99", "rx>delivered p50/99", "rx>dropped p50/99");
		pr_array_open(p, "rx");
		for (i = 0; i < n; i++) {
			const struct times_rx *r = &d[i]->rx;

			if (!item_open(p, d[i], v, true, w))
				continue;
			put_count(p, "packets", r->packets, 9);
			put_count(p, "delivered", r->delivered, 9);
			put_count(p, "dropped", r->dropped, 9);
			put_count(p, "freed", r->freed, 9);
			put_count(p, "open", r->open, 7);
			put_pct(p, "irq_softirq", &r->irq_softirq, 19);
			put_pct(p, "softirq_rx", &r->softirq_rx, 19);
			put_pct(p, "rx_delivered", &r->to_delivered, 19);
			put_pct(p, "rx_dropped", &r->to_dropped, 19);
			pr_text(p, "\n");
			pr_item_close(p);
		}
		pr_array_close(p);
	}
	if (v->tx) {
		pr_textf(p, "Transmit by device over %.*f s:\n", v->elapsed < 10 ? 2 : 0, v->elapsed);
		pr_textf(p, "  %-*s %9s %9s %9s %9s %9s %7s %19s %19s\n", w, "device", "packets",
			 "xmit", "qdropped", "dropped", "freed", "open", "queue>xmit p50/99",
			 "xmit>free p50/99");
		pr_array_open(p, "tx");
		for (i = 0; i < n; i++) {
			const struct times_tx *x = &d[i]->tx;

			if (!item_open(p, d[i], v, false, w))
				continue;
			put_count(p, "packets", x->packets, 9);
			put_count(p, "xmit", x->xmit, 9);
			put_count(p, "queue_dropped", x->queue_dropped, 9);
			put_count(p, "dropped", x->dropped, 9);
			put_count(p, "freed", x->freed, 9);
			put_count(p, "open", x->open, 7);
			put_pct(p, "queue_xmit", &x->queue_xmit, 19);
			put_pct(p, "xmit_free", &x->xmit_free, 19);
			pr_text(p, "\n");
			pr_item_close(p);
		}
		pr_array_close(p);
	}
	if (t->untracked)
		pr_textf(p, "  %" PRIu64 " drops had no earlier event: no device to count them under\n",
			 t->untracked);
	if (t->not_tracked)
		pr_textf(p, "  %" PRIu64 " steps of packets were not summed: the table of skbs followed "
			 "was full ('set journeys')\n", t->not_tracked);
	if (t->too_many)
		pr_textf(p, "  %" PRIu64 " steps were not summed: past %d devices, or %d waiting for "
			 "one skb's end\n", t->too_many, TIMES_MAX_DEVS, TIMES_ITEMS);
	if (v->lost)
		pr_textf(p, "  %" PRIu64 " events were lost in full ring buffers: the %" PRIu64 " skbs "
			 "followed then were forgotten, counted nowhere\n", v->lost, t->abandoned);
	if (t->late)
		pr_textf(p, "  %" PRIu64 " skbs were forgotten, counted nowhere: an event of theirs came "
			 "after later ones\n", t->late);
	pr_close(p);
	free(d);
}
