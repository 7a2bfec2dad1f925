// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The commands of the prompt, -e and -b, and the settings of `set`: their
 * tables drive dispatch, help and completion.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dw.h"
#include "netdm_sock.h"
#include "reasons.h"
#include "table.h"
#include "trace.h"
#include "util.h"

/* ---- commands ---- */

static const char *const bool_words[] = { "true", "false", NULL };
static const char *const onoff_words[] = { "on", "off", NULL };
static const char *const mode_words[] = { "summary", "packet", NULL };

static int cmd_start(struct dw *d, int argc, char **argv)
{
	return monitor(d);
}

static int cmd_stop(struct dw *d, int argc, char **argv)
{
	fprintf(d->msg, "Monitoring is not active (while it runs, Ctrl-C stops it)\n");
	return 0;
}

static int cmd_exit(struct dw *d, int argc, char **argv)
{
	d->quit = true;
	return 0;
}

static int cmd_help(struct dw *d, int argc, char **argv);

static int set_value_u32(struct dw *d, const char *what, const char *arg, uint32_t *out)
{
	int err = cli_parse_u32(arg, out);

	if (err) {
		err_msg("set %s: '%s' is not a number from 0 to %u", what, arg, UINT32_MAX);
		return usage_failed(d);
	}
	return 0;
}

static int set_alertlimit(struct dw *d, int argc, char **argv)
{
	uint32_t v;

	if (set_value_u32(d, "alertlimit", argv[0], &v))
		return -1;
	d->set.alertlimit = v;
	if (v)
		fprintf(d->msg, "setting alert capture limit to %lu\n", d->set.alertlimit);
	else
		fprintf(d->msg, "alert capture limit removed\n");
	return 0;
}

static int set_alertmode(struct dw *d, int argc, char **argv)
{
	int mode = netdm_mode_from_str(argv[0]);
	int err;

	if (mode < 0) {
		err_msg("set alertmode: '%s' is not an alert mode (summary or packet)", argv[0]);
		return usage_failed(d);
	}
	d->set.want.mode = mode;
	d->set.want.has |= NETDM_CFG_MODE;
	err = apply_config(d);
	if (err) {
		err_msg("set alertmode: %s", netdm_sock_error(dm(d)));
		return cmd_failed(d, err);
	}
	fprintf(d->msg, "Alert mode set to %s\n", netdm_mode_to_str(mode));
	return 0;
}

static int set_len(struct dw *d, const char *what, unsigned int flag, uint32_t *field,
		   const char *arg)
{
	uint32_t v;
	int err;

	if (d->set.source == SRC_TRACE) {
		err_msg("set %s: the tracepoint source carries no packets, so there is nothing to "
			"truncate or queue", what);
		return usage_failed(d);
	}
	if (set_value_u32(d, what, arg, &v))
		return -1;
	*field = v;
	d->set.want.has |= flag;
	err = apply_config(d);
	if (err) {
		err_msg("set %s: %s", what, netdm_sock_error(dm(d)));
		return cmd_failed(d, err);
	}
	fprintf(d->msg, "%s set to %" PRIu32 "\n",
	       flag == NETDM_CFG_TRUNC ? "Truncation length" : "Queue length", v);
	return 0;
}

static int set_trunc(struct dw *d, int argc, char **argv)
{
	return set_len(d, "trunc", NETDM_CFG_TRUNC, &d->set.want.trunc, argv[0]);
}

static int set_queue(struct dw *d, int argc, char **argv)
{
	return set_len(d, "queue", NETDM_CFG_QUEUE, &d->set.want.queue, argv[0]);
}

static int set_origin(struct dw *d, const char *what, bool *field, const char *arg)
{
	bool v;

	if (cli_parse_bool(arg, &v)) {
		err_msg("set %s: '%s' is not true or false", what, arg);
		return usage_failed(d);
	}
	*field = v;
	fprintf(d->msg, "setting %s drops monitoring to %s\n",
	       field == &d->set.sw ? "software" : "hardware", v ? "true" : "false");
	if (!d->set.sw && !d->set.hw)
		fprintf(d->msg, "note: with both sw and hw false, start has nothing to monitor\n");
	return 0;
}

static int set_sw(struct dw *d, int argc, char **argv)
{
	return set_origin(d, "sw", &d->set.sw, argv[0]);
}

static int set_hw(struct dw *d, int argc, char **argv)
{
	bool v;

	if (d->set.source == SRC_TRACE && !cli_parse_bool(argv[0], &v) && v) {
		err_msg("set hw: the tracepoint source sees software drops only (hardware drops "
			"need NET_DM)");
		return usage_failed(d);
	}
	return set_origin(d, "hw", &d->set.hw, argv[0]);
}

static int set_stack(struct dw *d, int argc, char **argv)
{
	bool v;

	if (cli_parse_bool(argv[0], &v)) {
		err_msg("set stack: '%s' is not on or off", argv[0]);
		return usage_failed(d);
	}
	if (v && d->set.source != SRC_TRACE) {
		err_msg("set stack: call chains come from the tracepoint source only "
			"(dropwatch --source trace)");
		return usage_failed(d);
	}
	d->set.stack = v;
	fprintf(d->msg, "Call chains %s\n", v ? "on" : "off");
	return 0;
}

/* --ring-size and set ring: 64k to 1g. */
int parse_ring_size(const char *s, uint32_t *out)
{
	return cli_parse_size(s, 1u << 30, out) || *out < TRACE_RING_MIN ? -EINVAL : 0;
}

static int set_ring(struct dw *d, int argc, char **argv)
{
	uint32_t v;

	if (parse_ring_size(argv[0], &v)) {
		err_msg("set ring: '%s' is not a size from 64k to 1g", argv[0]);
		return usage_failed(d);
	}
	d->set.ring_bytes = v;
	fprintf(d->msg, "Ring buffer size set to %" PRIu32 " KiB per CPU%s\n", v >> 10,
		d->set.source == SRC_TRACE ? "" : " (used by the tracepoint source only)");
	return 0;
}


static int set_uint(struct dw *d, const char *what, const char *arg, unsigned int *field,
		    const char *done)
{
	uint32_t v;

	if (set_value_u32(d, what, arg, &v))
		return -1;
	*field = v;
	fprintf(d->msg, "%s %" PRIu32 "\n", done, v);
	return 0;
}

static int set_interval(struct dw *d, int argc, char **argv)
{
	return set_uint(d, "interval", argv[0], &d->set.interval,
			"Table interval (s, 0: alerts and a table at stop):");
}

static int set_top(struct dw *d, int argc, char **argv)
{
	return set_uint(d, "top", argv[0], &d->set.top, "Table rows (0: all):");
}

static int set_duration(struct dw *d, int argc, char **argv)
{
	unsigned int v;
	int ret = set_uint(d, "duration", argv[0], &v, "Run duration (s, 0: until Ctrl-C):");

	if (!ret)
		d->set.duration = v;
	return ret;
}

static int set_verbose(struct dw *d, int argc, char **argv)
{
	bool v;

	if (cli_parse_bool(argv[0], &v)) {
		err_msg("set verbose: '%s' is not true or false", argv[0]);
		return usage_failed(d);
	}
	d->out.verbose = v;
	d->rec.explain = v;
	d->rec.reason_raw[0] = '\0';	/* the kept reason's explanation is looked up again */
	fprintf(d->msg, "Reason explanations %s\n", v ? "shown" : "hidden");
	return 0;
}

static int set_key(struct dw *d, int argc, char **argv)
{
	struct agg_spec spec;
	struct agg *a;
	char why[160], buf[128];

	if (agg_spec_parse(&spec, argv[0], why, sizeof(why))) {
		err_msg("set key: %s", why);
		return usage_failed(d);
	}
	if (check_caps(d, NULL, &spec, "set key"))
		return usage_failed(d);
	a = agg_new(&spec);
	if (!a)
		return cmd_failed(d, -ENOMEM);
	agg_free(d->agg);
	d->agg = a;
	d->set.key = spec;
	fprintf(d->msg, "Table key: %s\n", agg_spec_str(&spec, buf, sizeof(buf)));
	return 0;
}

/* The words from @argv[@from] on, joined by blanks. */
static char *join_words(int argc, char **argv, int from)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = from; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = from; i < argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int set_filter(struct dw *d, int argc, char **argv)
{
	char why[512], *value;
	int key, err;

	if (argc == 1 && !strcmp(argv[0], "none")) {
		filter_clear_keys(&d->set.filter);
		fprintf(d->msg, "Filters cleared\n");
		return 0;
	}
	key = filter_key_from_str(argv[0]);
	if (key < 0) {
		char safe[64];

		err_msg("set filter: unknown key '%s' (reason, dev, proto, loc, origin, pcap; "
			"or none)", pr_escape(safe, sizeof(safe), argv[0]));
		return usage_failed(d);
	}
	if (argc < 2 || (key != FILTER_PCAP && argc > 2)) {
		err_msg("usage: set filter %s %s", filter_key_names[key],
			key == FILTER_PCAP ? "<pcap-filter expression>" : "<value[,value...]|any>");
		return usage_failed(d);
	}
	value = join_words(argc, argv, 1);
	if (!value)
		return cmd_failed(d, -ENOMEM);
	{
		/* Tried alone first: a filter the source cannot evaluate is refused. */
		struct filter one = { 0 };
		char what[64];

		snprintf(what, sizeof(what), "set filter %s", filter_key_names[key]);
		err = filter_set(&one, key, value, why, sizeof(why));
		if (!err && check_caps(d, &one, NULL, what)) {
			filter_clear(&one);
			free(value);
			return usage_failed(d);
		}
		filter_clear(&one);
	}
	err = filter_set(&d->set.filter, key, value, why, sizeof(why));
	if (err) {
		char safe[256];

		err_msg("set filter %s: %s", filter_key_names[key], pr_escape(safe, sizeof(safe), why));
		free(value);
		return usage_failed(d);
	}
	if (strcmp(value, "any"))
		fprintf(d->msg, "Filter %s set to %s\n", filter_key_names[key], value);
	else
		fprintf(d->msg, "Filter %s removed\n", filter_key_names[key]);
	free(value);
	return 0;
}

static int set_ignore(struct dw *d, int argc, char **argv)
{
	char why[256];

	if (filter_set_ignore(&d->set.filter, argv[0], why, sizeof(why))) {
		err_msg("set ignore: %s", why);
		return usage_failed(d);
	}
	fprintf(d->msg, "Ignored reasons: %s\n", strcmp(argv[0], "none") ? argv[0] : "none");
	return 0;
}

static const char *const filter_words[] = { "reason", "dev", "proto", "loc", "origin", "pcap",
					    "none", NULL };
static const char *const key_words[] = { "loc,reason,dev", "loc", "reason", "dev", "dport",
					 "proto,dport", NULL };
static const char *const ignore_words[] = { "harmless", "none", NULL };

const struct cmd set_cmds[] = {
	{ "alertlimit", "<number>", "stop monitoring after this many alerts (0: no limit)",
	  set_alertlimit, NULL },
	{ "alertmode", "<summary|packet>", "summary counts per location; packet reports each packet",
	  set_alertmode, mode_words },
	{ "trunc", "<len>", "truncate packets to this many bytes (packet mode; 0: no limit)",
	  set_trunc, NULL },
	{ "queue", "<len>", "kernel queue length per CPU (packet mode)", set_queue, NULL },
	{ "sw", "<true|false>", "monitor software drops", set_sw, bool_words },
	{ "hw", "<true|false>", "monitor hardware (devlink trap) drops", set_hw, bool_words },
	{ "interval", "<seconds>", "print the table this often, instead of each alert (0: off)",
	  set_interval, NULL },
	{ "top", "<rows>", "rows of the table (0: all)", set_top, NULL },
	{ "key", "<field,...>", "what the table counts by: loc reason dev origin proto src dst "
	  "sport dport stack", set_key, key_words },
	{ "filter", "<key> <value>", "show only matching drops: reason, dev, proto, loc (glob), "
	  "origin, pcap (expression); 'any' removes one, 'none' all", set_filter, filter_words },
	{ "ignore", "<reason,...>", "hide these reasons ('harmless': the usual ones; 'none')",
	  set_ignore, ignore_words },
	{ "verbose", "<true|false>", "explain each drop reason", set_verbose, bool_words },
	{ "duration", "<seconds>", "stop each run after this long (0: until Ctrl-C)",
	  set_duration, NULL },
	{ "stack", "<on|off>", "record each drop's kernel call chain (tracepoint source)",
	  set_stack, onoff_words },
	{ "ring", "<size>", "ring buffer per CPU, e.g. 8m (tracepoint source)", set_ring, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cmd *find_cmd(const struct cmd *tab, const char *word)
{
	for (; tab->word; tab++)
		if (!strcmp(tab->word, word))
			return tab;
	return NULL;
}

static const char *suggest(const struct cmd *tab, const char *word)
{
	const char *words[MAX_WORDS];
	size_t n = 0;

	for (; tab->word && n < MAX_WORDS; tab++)
		words[n++] = tab->word;
	return cli_suggest(word, words, n);
}

static int unknown_word(struct dw *d, const struct cmd *tab, const char *ctx, const char *word)
{
	const char *s = suggest(tab, word);
	char safe[128];

	pr_escape(safe, sizeof(safe), word);
	if (s)
		err_msg("unknown %s '%s': did you mean '%s'? (try 'help')", ctx, safe, s);
	else
		err_msg("unknown %s '%s' (try 'help')", ctx, safe);
	return usage_failed(d);
}

static int cmd_set(struct dw *d, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 1) {
		err_msg("set: what? (alertlimit, alertmode, trunc, queue, sw, hw, interval, top, key, "
			"filter, ignore, verbose, duration, stack, ring; try 'help')");
		return usage_failed(d);
	}
	c = find_cmd(set_cmds, argv[0]);
	if (!c)
		return unknown_word(d, set_cmds, "setting", argv[0]);
	/* set filter takes a key and a value of one or more words; the others one word. */
	if (c->fn == set_filter ? argc < 2 : argc != 2) {
		err_msg("usage: set %s %s", c->word, c->args);
		return usage_failed(d);
	}
	return c->fn(d, argc - 1, argv + 1);
}

/* Our side of show: what is displayed and how. */
static void show_view(struct dw *d, struct printer *p)
{
	char buf[128];

	pr_str(p, "key", "Table key: %s\n", agg_spec_str(&d->set.key, buf, sizeof(buf)));
	pr_u64(p, "interval", "Table interval: %s s", d->set.interval);
	pr_text(p, d->set.interval ? "\n" : " (table at stop)\n");
	pr_u64(p, "top", "Table rows: %s", d->set.top);
	pr_text(p, d->set.top ? "\n" : " (all)\n");
	pr_u64(p, "duration", "Duration: %s s", d->set.duration);
	pr_text(p, d->set.duration ? "\n" : " (until Ctrl-C)\n");
	pr_bool(p, "verbose", NULL, d->out.verbose);
	pr_text(p, d->out.verbose ? "Reason explanations: shown\n" : "Reason explanations: hidden\n");
	filter_describe(&d->set.filter, p);
}

static void show_limit(struct dw *d, struct printer *p)
{
	pr_u64(p, "alertlimit", d->set.alertlimit ? "Alert limit: %s\n" : NULL, d->set.alertlimit);
	if (!d->set.alertlimit)
		pr_text(p, "Alert limit: none\n");
}

/* The tracepoint's own settings: they live here, not in the kernel. */
static void show_trace(struct dw *d, struct printer *p)
{
	uint32_t ring = trace_ring_bytes(d->set.ring_bytes, d->set.stack);

	pr_safe(p, "alertmode", NULL, netdm_mode_to_str(d->set.want.mode));
	pr_text(p, d->set.want.mode == NETDM_MODE_PACKET ? "Alert mode: Packet\n" :
		"Alert mode: Summary (counted by dropwatch, printed every second)\n");
	pr_bool(p, "stack", NULL, d->set.stack);
	pr_text(p, d->set.stack ? "Call chains: on\n" : "Call chains: off\n");
	pr_u64(p, "ring_kib", "Ring buffer: %s KiB per CPU\n", ring >> 10);
}

/* The source's side (what describe() says), then ours. */
static int cmd_show(struct dw *d, int argc, char **argv)
{
	struct printer *p = &d->out.p;
	int err;

	pr_open(p, "settings");
	err = d->src->ops->describe(d->src, p);
	if (err) {
		pr_release(p);
		err_msg("%s", source_error(d->src));
		return cmd_failed(d, err);
	}
	if (d->set.source == SRC_TRACE)
		show_trace(d, p);
	pr_safe(p, "origins", "Monitored origins: %s\n", d->set.sw && d->set.hw ?
		"software, hardware" : d->set.sw ? "software" : d->set.hw ? "hardware" : "none");
	show_limit(d, p);
	show_view(d, p);
	pr_close(p);
	return 0;
}

static int cmd_stats(struct dw *d, int argc, char **argv)
{
	struct printer *p = &d->out.p;
	struct netdm_stats st;
	int err;

	if (d->set.source == SRC_TRACE) {
		const struct trace_stats *ts = trace_stats(source_trace(d->src));

		pr_open(p, "stats");
		pr_safe(p, "source", NULL, "trace");
		pr_text(p, "Tracepoint statistics (the last run):\n");
		pr_u64(p, "read", "Drops read: %s\n", ts->samples);
		pr_u64(p, "ring_lost", "Lost in full ring buffers: %s\n", ts->lost);
		pr_u64(p, "malformed", "Undecodable records: %s\n", ts->malformed);
		pr_close(p);
		return 0;
	}
	err = netdm_sock_get_stats(dm(d), &st);
	if (err) {
		err_msg("cannot read the drop monitor's statistics: %s", netdm_sock_error(dm(d)));
		return cmd_failed(d, err);
	}
	pr_open(p, "stats");
	pr_safe(p, "source", NULL, "netdm");
	pr_u64(p, "sw_tail_dropped", "Software statistics:\nTail dropped: %s\n", st.sw_dropped);
	pr_u64(p, "hw_tail_dropped", "Hardware statistics:\nTail dropped: %s\n", st.hw_dropped);
	pr_close(p);
	return 0;
}

static int cmd_report(struct dw *d, int argc, char **argv)
{
	print_table(d, d->run.run_start_ns ? live_elapsed(d) : 0);
	return 0;
}

static const struct reason_cat *catalogue(struct dw *d)
{
	struct trace_src *tr = source_trace(d->src);

	if (tr && trace_reasons(tr))
		return trace_reasons(tr);
	if (!d->reasons)
		d->reasons = reasons_load(NULL);
	return d->reasons;
}

static int cmd_reasons(struct dw *d, int argc, char **argv)
{
	const struct reason_cat *cat = catalogue(d);
	struct printer *p = &d->out.p;
	size_t i;

	if (!cat)
		return cmd_failed(d, -ENOMEM);
	pr_open(p, "reasons");
	pr_str(p, "from", "Drop reasons (from %s); * marks the usually harmless ones "
	       "('set ignore harmless'):\n", reasons_source(cat));
	pr_array_open(p, "reasons");
	for (i = 0; i < reasons_count(cat); i++) {
		const char *name = reasons_name(cat, i);
		const char *text = reason_explain(name);

		pr_item_open(p, "reason");
		pr_textf(p, "  %-26s %c ", name, reason_is_harmless(name) ? '*' : ' ');
		pr_str(p, "reason", NULL, name);
		pr_bool(p, "harmless", NULL, reason_is_harmless(name));
		pr_str(p, "reason_text", "%s\n", text ? text : "(no explanation known to this dropwatch)");
		pr_item_close(p);
	}
	pr_array_close(p);
	pr_close(p);
	return 0;
}

const struct cmd top_cmds[] = {
	{ "start", "", "start monitoring (Ctrl-C stops it)", cmd_start, NULL },
	{ "stop", "", "monitoring stops with Ctrl-C or the alert limit", cmd_stop, NULL },
	{ "set", "<setting> <value>", "change a setting (below)", cmd_set, NULL },
	{ "show", "", "show the kernel's drop monitor settings and ours", cmd_show, NULL },
	{ "stats", "", "show the kernel's drop monitor statistics", cmd_stats, NULL },
	{ "report", "", "print the table of the current or last run", cmd_report, NULL },
	{ "reasons", "", "list the drop reasons this kernel knows, explained", cmd_reasons, NULL },
	{ "help", "", "show this help", cmd_help, NULL },
	{ "exit", "", "quit dropwatch", cmd_exit, NULL },
	{ "quit", "", "quit dropwatch", cmd_exit, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void help_table(struct printer *p, const char *prefix, const struct cmd *c)
{
	char syn[64];

	for (; c->word; c++) {
		snprintf(syn, sizeof(syn), "%s%s %s", prefix, c->word, c->args);
		pr_item_open(p, "command");
		pr_textf(p, "  %-28s ", syn);
		pr_str(p, "command", NULL, syn);
		pr_str(p, "help", "%s\n", c->help);
		pr_item_close(p);
	}
}

static int cmd_help(struct dw *d, int argc, char **argv)
{
	struct printer *p = &d->out.p;

	pr_open(p, "help");
	pr_text(p, "Commands:\n");
	pr_array_open(p, "commands");
	help_table(p, "", top_cmds);
	pr_array_close(p);
	pr_text(p, "Settings:\n");
	pr_array_open(p, "settings");
	help_table(p, "set ", set_cmds);
	pr_array_close(p);
	pr_close(p);
	return 0;
}

void run_line(struct dw *d, char *line)
{
	char *words[MAX_WORDS];
	const struct cmd *c;
	int n = cli_split(line, words, MAX_WORDS);

	if (n == 0)
		return;
	if (n < 0) {
		err_msg("too many words in the command (try 'help')");
		usage_failed(d);
		return;
	}
	c = find_cmd(top_cmds, words[0]);
	if (!c) {
		unknown_word(d, top_cmds, "command", words[0]);
		return;
	}
	if (c->fn != cmd_set && n > 1) {
		char safe[128];

		err_msg("%s takes no arguments (got '%s')", c->word,
			pr_escape(safe, sizeof(safe), words[1]));
		usage_failed(d);
		return;
	}
	c->fn(d, n - 1, words + 1);
	fflush(stdout);
}

