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
#include "suggest.h"
#include "dw.h"
#include "netdm_sock.h"
#include "reasons.h"
#include "table.h"
#include "trace.h"
#include "util.h"

/* ---- commands ---- */

static int cmd_start(struct dw *d, int argc, char **argv)
{
	if (d->run.running) {
		err_msg("start: monitoring is already active ('stop' ends it)");
		return usage_failed(d);
	}
	return monitor(d);
}

static int cmd_stop(struct dw *d, int argc, char **argv)
{
	if (d->run.running)
		CLI(d)->in.stop_req = true;
	else
		fprintf(d->msg, "Monitoring is not active\n");
	return 0;
}

static int cmd_exit(struct dw *d, int argc, char **argv)
{
	d->quit = true;
	if (d->run.running)
		CLI(d)->in.stop_req = true;	/* the run ends first, as with stop */
	return 0;
}

static int cmd_help(struct dw *d, int argc, char **argv);
static const struct cmd top_cmds[];

/* Every command in help's order: start, each mode's own, the others; NULL ends it. */
static const struct cmd *const *commands(void)
{
	static const struct cmd *list[32 + MODE_MAX];
	static struct cmd of_mode[MODE_MAX];
	const struct cmd *c;
	size_t n = 0, i;

	if (list[0])
		return list;
	list[n++] = &top_cmds[0];	/* start */
	for (i = 0; modes[i] && i < MODE_MAX; i++) {
		const struct mode_cmd *mc = &modes[i]->cmd;

		if (!mc->word)
			continue;
		of_mode[i] = (struct cmd){ .word = mc->word, .args = mc->args, .help = mc->help,
					   .flags = CMD_LIVE, .mode = modes[i],
					   .args_fn = mc->args_fn };
		list[n++] = &of_mode[i];
	}
	for (c = top_cmds + 1; c->word && n + 1 < sizeof(list) / sizeof(list[0]); c++)
		list[n++] = c;
	return list;
}

static const struct cmd *find_cmd(const char *word)
{
	const struct cmd *const *c;

	for (c = commands(); *c; c++)
		if (!strcmp((*c)->word, word))
			return *c;
	return NULL;
}

static size_t command_names(const char **out, size_t max)
{
	const struct cmd *const *c;
	size_t n = 0;

	for (c = commands(); *c && n < max; c++)
		out[n++] = (*c)->word;
	return n;
}

/* A mode's command: its words, then a run of it. */
static int cmd_mode(struct dw *d, const struct cmd *c, int argc, char **argv)
{
	if (d->run.running) {
		err_msg("%s: monitoring is already active ('stop' ends it)", c->word);
		return usage_failed(d);
	}
	if (c->args_fn && c->args_fn(d, argc, argv))
		return -1;
	return monitor_mode(d, c->mode);
}

static int unknown_word(struct dw *d, bool setting, const char *word)
{
	const char *words[64];
	size_t n = setting ? setting_names(words, 64) : command_names(words, 64);
	const char *s = suggest(word, words, n);
	const char *ctx = setting ? "setting" : "command";
	char safe[128];

	pr_escape(safe, sizeof(safe), word);
	if (s)
		err_msg("unknown %s '%s': did you mean '%s'? (try 'help')", ctx, safe, s);
	else
		err_msg("unknown %s '%s' (try 'help')", ctx, safe);
	return usage_failed(d);
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

static int cmd_set(struct dw *d, int argc, char **argv)
{
	const struct setting *s;
	char *value;
	int ret;

	if (argc < 1) {
		const char *names[64];
		size_t n = setting_names(names, 64), i;
		char list[600] = "";

		for (i = 0; i < n; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", names[i]);
		err_msg("set: what? (%s; try 'help')", list);
		return usage_failed(d);
	}
	s = setting_find(argv[0]);
	if (!s)
		return unknown_word(d, true, argv[0]);
	/* set filter takes a key and a value (a pcap expression: several words); the others one. */
	if (s->values == V_FILTER ? argc < 2 || (argc == 2 && strcmp(argv[1], "none")) : argc != 2) {
		err_msg("usage: set %s %s", s->name, s->values == V_FILTER ? "<key> <value>|none" :
			s->values == V_BOOL ? "<on|off>" : s->arg);
		return usage_failed(d);
	}
	value = join_words(argc, argv, 1);
	if (!value)
		return cmd_failed(d, -ENOMEM);
	ret = setting_set(d, s, value);
	free(value);
	return ret;
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
	pr_text(p, d->set.duration ? "\n" : " (until stopped)\n");
	pr_bool(p, "verbose", NULL, d->out.verbose);
	pr_text(p, d->out.verbose ? "Reason explanations: shown\n" : "Reason explanations: hidden\n");
	pr_bool(p, "counters", NULL, !d->loss.off);
	pr_text(p, d->loss.off ? "Kernel counters: off\n" : "Kernel counters: beside each table\n");
	filter_describe(&d->set.filter, p);
}

static void show_limit(struct dw *d, struct printer *p)
{
	pr_u64(p, "alertlimit", d->set.alertlimit ? "Alert limit: %s\n" : NULL, d->set.alertlimit);
	if (!d->set.alertlimit)
		pr_text(p, "Alert limit: none\n");
	pr_u64(p, "droplimit", d->set.droplimit ? "Drop limit: %s\n" : NULL, d->set.droplimit);
	if (!d->set.droplimit)
		pr_text(p, "Drop limit: none\n");
}

/* The tracepoint's own settings: they live here, not in the kernel. */
static void show_trace(struct dw *d, struct printer *p)
{
	uint32_t ring = trace_ring_bytes(d->set.ring_bytes, d->set.stack);
	const struct mode *m = d->set.mode;

	pr_safe(p, "alertmode", NULL, m != &mode_drops ? m->name :
		netdm_mode_to_str(d->set.want.mode));
	if (m != &mode_drops)
		pr_textf(p, "Alert mode: %s\n", m->shown);
	else
		pr_text(p, d->set.want.mode == NETDM_MODE_PACKET ? "Alert mode: Packet\n" :
		d->set.source == SRC_BPF ?
		"Alert mode: Summary (counted in the kernel, read every second)\n" :
		"Alert mode: Summary (counted by dropwatch, printed every second)\n");
	pr_bool(p, "stack", NULL, d->set.stack);
	pr_text(p, d->set.stack ? "Call chains: on\n" : "Call chains: off\n");
	if (d->set.source == SRC_BPF)
		pr_u64(p, "ring_kib", "Ring buffer: %s KiB, one for all CPUs\n",
		       (d->set.ring_bytes ? d->set.ring_bytes : 8u << 20) >> 10);
	else
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
	if (d->set.source == SRC_TRACE || d->set.source == SRC_BPF)
		show_trace(d, p);
	pr_safe(p, "origins", "Monitored origins: %s\n", d->set.sw && d->set.hw ?
		"software, hardware" : d->set.sw ? "software" : d->set.hw ? "hardware" : "none");
	pr_bool(p, "sw", NULL, d->set.sw);
	pr_bool(p, "hw", NULL, d->set.hw);
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

	if (d->set.source == SRC_BPF) {
		struct source_bpf_stats bs;

		source_bpf_stats(d->src, &bs);
		pr_open(p, "stats");
		pr_safe(p, "source", NULL, "bpf");
		pr_text(p, "eBPF program statistics (the run so far, or the last):\n");
		pr_u64(p, "seen", "Drops seen: %s\n", bs.seen);
		pr_u64(p, "filtered", "Left out by filters in the kernel: %s", bs.filtered);
		pr_u64(p, "filtered_uncounted", " (%s of them not in the table's hidden: its map "
		       "was full)\n", bs.filtered_uncounted);
		pr_u64(p, "ring_full", "Lost in a full ring buffer: %s\n", bs.ring_full);
		pr_u64(p, "map_full", "Lost in a full summary map: %s\n", bs.map_full);
		pr_u64(p, "stack_lost", "Call chains not stored: %s\n", bs.stack_lost);
		pr_close(p);
		return 0;
	}
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
	if (d->run.running)
		run_stats(d);	/* the losses so far, for the table and the counters */
	print_table(d, d->run.run_start_ns ? live_elapsed(d) : 0);
	return 0;
}

static int cmd_counters(struct dw *d, int argc, char **argv)
{
	if (d->loss.off) {
		err_msg("counters: off ('set counters on' first)");
		return usage_failed(d);
	}
	prompt_away(d);
	fflush(d->msg);
	if (d->run.running)
		run_stats(d);
	losses_print_section(d, d->run.run_start_ns ? live_elapsed(d) : 0);
	fflush(stdout);
	return 0;
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

		pr_item_open(p, "reason");
		pr_textf(p, "  %-26s %c ", name, reason_is_harmless(name) ? '*' : ' ');
		pr_str(p, "reason", NULL, name);
		pr_bool(p, "harmless", NULL, reason_is_harmless(name));
		pr_bool(p, "explained", NULL, reason_explain(name) != NULL);
		pr_str(p, "reason_text", "%s\n", reason_text(name));
		pr_item_close(p);
	}
	pr_array_close(p);
	pr_close(p);
	return 0;
}

/* The commands; start comes first, and each mode's own follow it (mode.h). */
static const struct cmd top_cmds[] = {
	{ "start", "", "start monitoring ('stop' or Ctrl-C ends it)", cmd_start, CMD_LIVE, NULL, NULL },
	{ "stop", "", "stop monitoring (typed while it runs)", cmd_stop, CMD_LIVE, NULL, NULL },
	{ "set", "<setting> <value>", "change a setting (below)", cmd_set, CMD_LIVE, NULL, NULL },
	{ "show", "", "show the kernel's drop monitor settings and ours", cmd_show, CMD_LIVE, NULL, NULL },
	{ "stats", "", "show the kernel's drop monitor statistics", cmd_stats, CMD_LIVE, NULL, NULL },
	{ "report", "", "print the table of the current or last run", cmd_report, CMD_LIVE, NULL, NULL },
	{ "counters", "", "the drops of the current or last run beside the kernel's counters",
	  cmd_counters, CMD_LIVE, NULL, NULL },
	{ "reasons", "", "list the drop reasons this kernel knows, explained", cmd_reasons,
	  CMD_LIVE, NULL, NULL },
	{ "help", "", "show this help", cmd_help, CMD_LIVE, NULL, NULL },
	{ "exit", "", "quit dropwatch (stopping a run first)", cmd_exit, CMD_LIVE, NULL, NULL },
	{ "quit", "", "quit dropwatch (stopping a run first)", cmd_exit, CMD_LIVE, NULL, NULL },
	{ NULL, NULL, NULL, NULL, 0, NULL, NULL },
};

static void help_item(struct printer *p, const char *syn, const char *help)
{
	pr_item_open(p, "command");
	pr_textf(p, "  %-26s ", syn);
	if (strlen(syn) > 26)
		pr_textf(p, "\n  %-26s ", "");
	pr_str(p, "command", NULL, syn);
	pr_str(p, "help", "%s\n", help);
	pr_item_close(p);
}

static int cmd_help(struct dw *d, int argc, char **argv)
{
	struct printer *p = &d->out.p;
	const struct cmd *const *c;
	const struct setting *s;
	char syn[64], help[512];

	pr_open(p, "help");
	pr_text(p, "Commands:\n");
	pr_array_open(p, "commands");
	for (c = commands(); *c; c++) {
		snprintf(syn, sizeof(syn), "%s%s%s", (*c)->word, *(*c)->args ? " " : "", (*c)->args);
		help_item(p, syn, (*c)->help);
	}
	pr_array_close(p);
	pr_text(p, "Settings (on/off: also true/false, yes/no, 1/0):\n");
	pr_array_open(p, "settings");
	for (s = settings; s->opt || s->name; s++) {
		if (!s->name)
			continue;
		if (s->values == V_BOOL || s->values == V_FILTER)
			snprintf(syn, sizeof(syn), "set %s %s", s->name,
				 s->values == V_BOOL ? "<on|off>" : "<key> <value>");
		else
			snprintf(syn, sizeof(syn), "set %s <%s>", s->name, s->arg);
		help_item(p, syn, setting_help(s, help, sizeof(help)));
	}
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
	c = find_cmd(words[0]);
	if (!c) {
		unknown_word(d, false, words[0]);
		return;
	}
	if (!c->args[0] && n > 1) {
		char safe[128];

		err_msg("%s takes no arguments (got '%s')", c->word,
			pr_escape(safe, sizeof(safe), words[1]));
		usage_failed(d);
		return;
	}
	if (c->mode)
		cmd_mode(d, c, n - 1, words + 1);
	else
		c->fn(d, n - 1, words + 1);
	fflush(stdout);
}

/* Candidates for @cur after @words at the prompt: commands, settings, their values. */
void complete_line(struct dw *d, char **words, int n, const char *cur, complete_fn add, void *arg)
{
	size_t cl = strlen(cur);

	if (n == 0) {
		const struct cmd *const *c;

		for (c = commands(); *c; c++)
			if (!strncmp((*c)->word, cur, cl))
				add(arg, (*c)->word);
		return;
	}
	if (strcmp(words[0], "set"))
		return;
	if (n == 1) {
		const char *names[64];
		size_t k = setting_names(names, 64), i;

		for (i = 0; i < k; i++)
			if (!strncmp(names[i], cur, cl))
				add(arg, names[i]);
		return;
	}
	{
		const struct setting *s = setting_find(words[1]);

		if (!s)
			return;
		if (n == 2)
			complete_value(d, s, true, cur, add, arg);
		else if (n == 3 && s->values == V_FILTER)
			complete_filter_value(d, words[2], cur, add, arg);
	}
}
