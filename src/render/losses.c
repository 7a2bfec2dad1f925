// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "losses.h"

/* The verdict in words. */
static void verdict(struct printer *p, enum join_verdict v, uint64_t diff)
{
	if (v == JOIN_AGREES)
		pr_text(p, "agrees");
	else if (v == JOIN_MORE)
		pr_textf(p, "the counters moved more: %" PRIu64 " drops that no alert explains",
			 diff);
	else
		pr_textf(p, "the counters moved less: %" PRIu64 " drops they do not count", diff);
}

/* "+N" */
static const char *plus(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "+%" PRIu64, v);
	return buf;
}

static void join_item(struct printer *p, const struct join_row *row)
{
	uint64_t diff = row->change > row->drops ? row->change - row->drops :
			row->drops - row->change;
	char reasons[128] = "", name[4 * COUNTER_NAME_MAX], num[24];

	for (size_t k = 0; k < JOIN_REASONS && row->j->reasons[k]; k++)
		if (row->seen & (1u << k))
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s",
				 reasons[0] ? "+" : "", row->j->reasons[k]);
	pr_item_open(p, "join");
	pr_textf(p, "  %-24s %10" PRIu64 "  ", reasons, row->drops);
	pr_list_open(p, "reasons");
	for (size_t k = 0; k < JOIN_REASONS && row->j->reasons[k]; k++)
		if (row->seen & (1u << k))
			pr_list_safe(p, row->j->reasons[k]);
	pr_list_close(p);
	pr_u64(p, "drops", NULL, row->drops);
	pr_u64(p, "change", NULL, row->change);
	pr_str(p, "verdict", NULL, join_verdict_names[row->verdict]);
	pr_u64(p, "difference", NULL, diff);
	for (size_t i = 0; i < row->n; i++) {
		if (i)
			pr_textf(p, "  %-24s %10s  ", "", "");
		pr_textf(p, "%-30s %11s", pr_escape(name, sizeof(name), row->name[i]),
			 plus(num, sizeof(num), row->delta[i]));
		if (!i) {
			pr_text(p, "  ");
			verdict(p, row->verdict, diff);
		}
		pr_text(p, "\n");
	}
	pr_list_open(p, "counters");
	for (size_t i = 0; i < row->n; i++)
		pr_list_safe(p, pr_escape(name, sizeof(name), row->name[i]));
	pr_list_close(p);
	pr_list_open(p, "deltas");
	for (size_t i = 0; i < row->n; i++)
		pr_list_u64(p, row->delta[i]);
	pr_list_close(p);
	if (row->verdict != JOIN_AGREES && row->j->note) {
		pr_textf(p, "  %-24s %10s  ", "", "");
		pr_str(p, "note", "(%s)\n", row->j->note);
	}
	pr_item_close(p);
}

static void move_items(struct printer *p, const char *type, const char *title,
		       const struct counter_move *m, size_t n)
{
	if (n)
		pr_textf(p, "%s\n", title);
	pr_array_open(p, type);
	for (size_t i = 0; i < n; i++) {
		char name[4 * COUNTER_NAME_MAX], num[24];

		pr_escape(name, sizeof(name), m[i].name);
		pr_item_open(p, type);
		pr_textf(p, "  %-36s %11s  ", name, plus(num, sizeof(num), m[i].delta));
		pr_safe(p, "counter", NULL, name);
		pr_u64(p, "change", NULL, m[i].delta);
		pr_str(p, "meaning", "%s\n", m[i].info->meaning);
		pr_item_close(p);
	}
	pr_array_close(p);
}

/*
 * The joins, the reasons no counter counts, the counters that moved alone, and
 * context. @unmatched: drops that could not be matched to counters (summaries'
 * without a reason, 1; of an ambiguous namespace, 2), which may be the moves'.
 */
static void report_items(struct printer *p, const struct counters_report *rep, int unmatched)
{
	if (rep->njoins)
		pr_textf(p, "  %-24s %10s  %-30s %11s  %s\n", "reason", "drops", "counter", "change",
			 "verdict");
	pr_array_open(p, "joins");
	for (size_t i = 0; i < rep->njoins; i++)
		join_item(p, &rep->joins[i]);
	pr_array_close(p);
	if (rep->nuncounted)
		pr_text(p, "  No counter counts the drops of");
	pr_array_open(p, "uncounted");
	for (size_t i = 0; i < rep->nuncounted; i++) {
		pr_item_open(p, "uncounted");
		pr_safe(p, "reason", i ? ", %s" : " %s", rep->uncounted[i].reason);
		pr_u64(p, "drops", " %s", rep->uncounted[i].count);
		pr_item_close(p);
	}
	pr_array_close(p);
	if (rep->nuncounted)
		pr_text(p, "\n");
	move_items(p, "moved", unmatched == 1 ?
		   "Counters that moved (alerts without a reason cannot be matched to them):" :
		   unmatched == 2 ?
		   "Counters that moved with no matching alert (the ambiguous drops may be among them):" :
		   "Counters that moved with no matching alert:", rep->moved, rep->nmoved);
	move_items(p, "context", "Context, not loss:", rep->context, rep->ncontext);
}

/* Another namespace: "In network namespace 4026532134 (ctr, docker:0123456789ab):" and its items. */
static void ns_item(struct printer *p, const struct loss_ns *n)
{
	pr_item_open(p, "namespace");
	pr_u64(p, "netns", "In network namespace %s", n->ino);
	if (n->name || n->container) {
		pr_text(p, " (");
		if (n->name)
			pr_safe(p, "netns_name", "%s", n->name);
		if (n->container)
			pr_safe(p, "container", n->name ? ", %s" : "%s", n->container);
		pr_text(p, ")");
	}
	pr_bool(p, "available", NULL, n->available);
	if (!n->available) {
		pr_str(p, "why", ": not compared (%s)\n", n->why);
	} else {
		pr_text(p, ", against its own counters:\n");
		if (!n->rep.njoins && !n->rep.nuncounted && !n->rep.nmoved && !n->rep.ncontext)
			pr_text(p, "  no drop-related counter of it moved\n");
		report_items(p, &n->rep, 0);
	}
	pr_item_close(p);
}

void losses_print(struct printer *p, const struct counters_report *rep, const struct loss_extra *x)
{
	pr_open(p, "counters");
	pr_bool(p, "available", NULL, x->available);
	if (!x->available) {
		pr_str(p, "why", "Kernel counters: not compared (%s)\n", x->why);
		pr_close(p);
		return;
	}
	pr_textf(p, "%s beside the kernel's counters over %.*f s:\n",
		 x->tcp ? "TCP's drops, retransmits and resets" : "Drops", x->elapsed < 10 ? 2 : 0,
		 x->elapsed);
	pr_fixed(p, "elapsed", NULL, x->elapsed, 3);
	pr_u64(p, "no_reason", NULL, x->no_reason);
	pr_u64(p, "ambiguous", NULL, x->ambiguous);
	pr_u64(p, "lost", NULL, x->lost);
	pr_u64(p, "unreadable", NULL, x->bad);
	if (!rep->njoins && !rep->nuncounted && !rep->nmoved && !rep->ncontext && !x->no_reason &&
	    !x->nns && !x->ambiguous)
		pr_text(p, "  no drop-related counter moved, and no drop was seen\n");
	if (x->no_reason)
		pr_textf(p, "  %" PRIu64 " drops came without a reason (summary alerts): only packet "
			 "alerts can be matched to counters (-m packet)\n", x->no_reason);
	if (x->ambiguous)
		pr_textf(p, "  %" PRIu64 " drops happened in a network namespace that could not be "
			 "established (ambiguous): no namespace's counters are compared with them\n",
			 x->ambiguous);
	if (x->lost)
		pr_textf(p, "  %" PRIu64 " drops were lost before they reached dropwatch: the counters "
			 "count them, the table does not\n", x->lost);
	report_items(p, rep, x->no_reason ? 1 : x->ambiguous ? 2 : 0);
	pr_array_open(p, "namespaces");
	for (size_t i = 0; i < x->nns; i++)
		ns_item(p, &x->ns[i]);
	pr_array_close(p);
	if (x->bad)
		pr_textf(p, "  (%u counter lines or messages could not be read and were skipped)\n",
			 x->bad);
	pr_close(p);
}
