// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch: interactive and scripted front end to the kernel's drop monitor.
 *
 * One poll loop reads commands (readline on a terminal, plain lines
 * otherwise) and a signalfd; the monitor loop polls the alert socket and the
 * same signalfd. Every way out stops the kernel monitor we started and puts
 * back the kernel settings we changed.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

#include "aggregate.h"
#include "filter.h"
#include "table.h"
#include "cli.h"
#include "exitcodes.h"
#include "netdm.h"
#include "netdm_sock.h"
#include "drop.h"
#include "reasons.h"
#include "replay.h"
#include "run.h"
#include "source.h"
#include "symres.h"
#include "names.h"
#include "trace.h"
#include "util.h"

#define PROMPT "dropwatch> "
#define DEFAULT_RCVBUF (32 * 1024 * 1024)

enum dw_source {
	SRC_AUTO,
	SRC_NETDM,
	SRC_TRACE,
};

struct dw {
	enum dw_source source;	/* SRC_NETDM or SRC_TRACE once open */
	struct source *src;	/* where drops come from, once open */
	bool stack;		/* record call chains (tracepoint) */
	uint32_t ring_bytes;	/* per-CPU ring size (tracepoint), 0: default */
	struct symres *sym;
	struct record_ctx rec;
	struct out_ctx out;
	FILE *msg;		/* everything but the drops: stderr when stdout is JSON or kv */
	int sigfd;
	int out_fd;		/* stdout, watched for a reader gone (a pipe), or -1 */
	bool interactive;

	/* What the user set; sent to the kernel at `set` and again at `start`. */
	struct netdm_config want;
	bool sw, hw;
	unsigned long alertlimit;

	/* What is shown: filters, the ignore list, the table and its refresh. */
	struct filter filter;
	struct agg_spec key;
	struct agg *agg;
	unsigned int interval;		/* seconds between tables; 0: alerts, table at stop */
	unsigned int top;		/* table rows, 0 for all */
	uint32_t duration;		/* seconds a run lasts; 0: until Ctrl-C */
	struct reason_cat *reasons;	/* loaded on first use */

	/* One monitoring run. */
	unsigned long alerts;
	uint64_t hidden, ignored, lost;
	uint64_t run_start_ns, first_ts, last_ts;	/* elapsed time for the table */

	const uint64_t *replay_ts;	/* time of the record being replayed */
	unsigned long bare;		/* replayed summary addresses */

	bool passive;		/* listen only: no CONFIG, START or STOP */
	bool quit;
	int fatal_signal;
	int status;		/* exit status for scripted use: worst failure so far */
	/* Input line assembly for non-terminal stdin. */
	char *inbuf;
	size_t inlen, incap;
	bool in_eof;
	/* Readline callback hand-off. */
	char *rl_line;
	bool rl_done;
};

#define err_msg util_err

/* Records a failed command: kernel/permission failures map to exit status 3. */
static int cmd_failed(struct dw *d, int err)
{
	int st = util_exit_status(err);

	if (d->status == DW_EXIT_OK || st == DW_EXIT_KERNEL)
		d->status = st;
	return -1;
}

static int usage_failed(struct dw *d)
{
	if (d->status == DW_EXIT_OK)
		d->status = DW_EXIT_USAGE;
	return -1;
}

/* What the records of the source carry, and its name for the messages that say so. */
static unsigned int src_caps(const struct dw *d)
{
	return d->source == SRC_TRACE ? SRC_CAPS_TRACE : SRC_CAPS_NETDM;
}

static const char *src_name(const struct dw *d)
{
	return d->source == SRC_TRACE ? "the tracepoint source" : "NET_DM";
}

/* 0 when the source can give what @f and @key ask for; else one line why, and -EINVAL. */
static int check_caps(const struct dw *d, const struct filter *f, const struct agg_spec *key,
		      const char *what)
{
	char why[300];

	if ((f && filter_check_caps(f, src_caps(d), src_name(d), why, sizeof(why))) ||
	    (key && agg_spec_check_caps(key, src_caps(d), src_name(d), why, sizeof(why)))) {
		err_msg("%s: %s", what, why);
		return -EINVAL;
	}
	return 0;
}

/* ---- kernel configuration bookkeeping ---- */

/* The NET_DM socket, NULL with the tracepoint source. */
static struct netdm_sock *dm(const struct dw *d)
{
	return source_netdm_sock(d->src);
}

/*
 * Sends our settings; on kernels without CONFIG (before 5.4) summary mode
 * needs none. Returns 0 or -errno; the socket's error text says why.
 */
static int apply_config(struct dw *d, bool quiet_if_unsupported)
{
	int err;

	if (!dm(d))
		return 0;	/* nothing in the kernel to configure */
	err = netdm_sock_save_config(dm(d));
	if (err == -EOPNOTSUPP && quiet_if_unsupported && d->want.mode == NETDM_MODE_SUMMARY &&
	    !(d->want.has & (NETDM_CFG_TRUNC | NETDM_CFG_QUEUE)))
		return 0;
	if (!err)
		err = netdm_sock_apply_config(dm(d), &d->want);
	return err;
}

static void restore_kernel_config(struct dw *d)
{
	if (dm(d) && netdm_sock_restore_config(dm(d)))
		err_msg("could not restore the drop monitor's previous settings: %s",
			netdm_sock_error(dm(d)));
}

/* ---- monitoring ---- */

static int on_event(const struct drop_event *ev, void *arg)
{
	struct dw *d = arg;
	struct drop_record r;
	uint64_t t;

	d->rec.now_ns = d->replay_ts ? *d->replay_ts : d->src ? d->src->now_ns : 0;
	t = (ev->has & DROP_HAS_TIMESTAMP) ? ev->timestamp_ns : d->rec.now_ns;
	if (t) {
		if (!d->first_ts || t < d->first_ts)
			d->first_ts = t;
		if (t > d->last_ts)
			d->last_ts = t;
	}
	record_build(&d->rec, &r, ev);
	switch (filter_check(&d->filter, &r)) {
	case FILTER_HIDE:
		d->hidden += ev->count;
		return 0;
	case FILTER_IGNORE:
		d->ignored += ev->count;
		return 0;
	case FILTER_PASS:
		break;
	}
	if (agg_add(d->agg, &r, ev->count))
		err_msg("out of memory: the table misses a drop");
	if (!d->interval)
		out_record(&d->out, &r);
	d->alerts++;
	if (d->alertlimit && d->alerts >= d->alertlimit)
		return RUN_LIMIT;
	return 0;
}

/* The table of this run (or the last), over @elapsed seconds. */
static void print_table(struct dw *d, double elapsed)
{
	struct table_extra x = {
		.elapsed = elapsed,
		.hidden = d->hidden,
		.ignored = d->ignored,
		.lost = d->lost,
		.top = d->top,
	};

	fflush(d->msg);
	table_print(&d->out.p, d->agg, &x);
	fflush(stdout);
}

static void start_run(struct dw *d)
{
	d->alerts = 0;
	d->hidden = d->ignored = d->lost = 0;
	d->first_ts = d->last_ts = 0;
	d->run_start_ns = util_now_ns();
	agg_reset(d->agg);
}

static double live_elapsed(const struct dw *d)
{
	return (double)(util_now_ns() - d->run_start_ns) / 1e9;
}

static void on_interval(void *arg)
{
	struct dw *d = arg;
	struct source_stats st;

	d->src->ops->stats(d->src, &st);
	d->lost = st.lost;
	print_table(d, live_elapsed(d));
}

/*
 * After the source stopped: what it queued before, the losses said, the
 * table. A second signal skips the rest.
 */
static void finish_run(struct dw *d, struct run *r)
{
	struct source_stats st;
	bool limit = r->limit;

	if (run_finish(r) == RUN_LIMIT && !limit)
		fprintf(d->msg, "Alert limit reached, deactivating!\n");
	if (r->second_signal) {
		err_msg("second signal: exiting without the rest of the alerts and the table");
		d->fatal_signal = r->signal;
		d->quit = true;
		return;
	}
	d->src->ops->stats(d->src, &st);
	if (st.has_tail && st.tail_dropped)
		err_msg("%" PRIu64 " packets were tail-dropped by the kernel's alert queue during this "
			"run ('set queue' makes it longer)", st.tail_dropped);
	if (st.lost)
		err_msg("in all, %" PRIu64 " %s during this run", st.lost,
			d->src->ops->caps & SRC_CAP_PACKET ? "receive overruns lost alerts" :
			"drops were lost in full ring buffers");
	if (st.malformed)
		err_msg("%" PRIu64 " %s could not be decoded", st.malformed,
			d->src->ops->caps & SRC_CAP_PACKET ? "malformed messages" :
			"tracepoint records");
	if (st.truncated)
		err_msg("%" PRIu64 " messages larger than our receive buffer were skipped",
			st.truncated);
	d->lost = st.lost;
	print_table(d, live_elapsed(d));
}

/* One run: start the source, the alerts until the end, stop, the rest. */
static int monitor(struct dw *d)
{
	struct source_run sr = {
		.packet = d->want.mode == NETDM_MODE_PACKET,
		.sw = d->sw,
		.hw = d->hw,
		.passive = d->passive,
		.stack = d->stack,
		.ring_bytes = d->ring_bytes,
		.rcvbuf = DEFAULT_RCVBUF,
		.cfg = d->want,
	};
	struct run r = {
		.src = d->src,
		.sigfd = d->sigfd,
		.out_fd = d->out_fd,
		.duration = d->duration,
		.interval = d->interval,
		.report_losses = true,
		.fn = on_event,
		.on_interval = on_interval,
		.arg = d,
	};
	int err, rerr;

	if (!d->sw && !d->hw) {
		err_msg("start: neither software nor hardware drops are selected "
			"('set sw true' or 'set hw true')");
		return usage_failed(d);
	}
	if (!d->passive)
		fprintf(d->msg, "Enabling monitoring...\n");
	fflush(d->msg);
	err = d->src->ops->start(d->src, &sr);
	if (err) {
		err_msg("%s", source_error(d->src));
		return cmd_failed(d, err);
	}
	if (d->passive)
		fprintf(d->msg, "Listening (passive) to the alerts of a monitor started elsewhere\n");
	fprintf(d->msg, "Kernel monitoring activated.\nIssue Ctrl-C to stop monitoring\n");
	fflush(d->msg);
	start_run(d);
	rerr = run_loop(&r);
	if (rerr) {
		err_msg("%s", source_error(d->src));
		cmd_failed(d, rerr);
	}
	if (r.signal && r.signal != SIGINT) {
		d->fatal_signal = r.signal;
		d->quit = true;
	}
	if (r.limit)
		fprintf(d->msg, d->passive ? "Alert limit reached\n" :
			"Alert limit reached, deactivating!\n");
	if (r.expired)
		fprintf(d->msg, "Duration of %" PRIu32 " s reached, deactivating\n", d->duration);
	if (d->passive)
		fprintf(d->msg, "Stopped listening (the monitor itself was left as it was)\n");
	else
		fprintf(d->msg, "Deactivation requested, turning off monitoring\n");
	err = d->src->ops->stop(d->src);
	if (err) {
		err_msg("%s", source_error(d->src));
		cmd_failed(d, err);
	}
	finish_run(d, &r);
	return err || rerr ? -1 : 0;
}

/* ---- commands ---- */

struct cmd {
	const char *word;
	const char *args;
	const char *help;
	int (*fn)(struct dw *d, int argc, char **argv);
	const char *const *values;	/* completion words for the argument */
};

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
	d->alertlimit = v;
	if (v)
		fprintf(d->msg, "setting alert capture limit to %lu\n", d->alertlimit);
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
	d->want.mode = mode;
	d->want.has |= NETDM_CFG_MODE;
	err = apply_config(d, mode == NETDM_MODE_SUMMARY);
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

	if (d->source == SRC_TRACE) {
		err_msg("set %s: the tracepoint source carries no packets, so there is nothing to "
			"truncate or queue", what);
		return usage_failed(d);
	}
	if (set_value_u32(d, what, arg, &v))
		return -1;
	*field = v;
	d->want.has |= flag;
	err = apply_config(d, false);
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
	return set_len(d, "trunc", NETDM_CFG_TRUNC, &d->want.trunc, argv[0]);
}

static int set_queue(struct dw *d, int argc, char **argv)
{
	return set_len(d, "queue", NETDM_CFG_QUEUE, &d->want.queue, argv[0]);
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
	       field == &d->sw ? "software" : "hardware", v ? "true" : "false");
	if (!d->sw && !d->hw)
		fprintf(d->msg, "note: with both sw and hw false, start has nothing to monitor\n");
	return 0;
}

static int set_sw(struct dw *d, int argc, char **argv)
{
	return set_origin(d, "sw", &d->sw, argv[0]);
}

static int set_hw(struct dw *d, int argc, char **argv)
{
	bool v;

	if (d->source == SRC_TRACE && !cli_parse_bool(argv[0], &v) && v) {
		err_msg("set hw: the tracepoint source sees software drops only (hardware drops "
			"need NET_DM)");
		return usage_failed(d);
	}
	return set_origin(d, "hw", &d->hw, argv[0]);
}

static int set_stack(struct dw *d, int argc, char **argv)
{
	bool v;

	if (cli_parse_bool(argv[0], &v)) {
		err_msg("set stack: '%s' is not on or off", argv[0]);
		return usage_failed(d);
	}
	if (v && d->source != SRC_TRACE) {
		err_msg("set stack: call chains come from the tracepoint source only "
			"(dropwatch --source trace)");
		return usage_failed(d);
	}
	d->stack = v;
	fprintf(d->msg, "Call chains %s\n", v ? "on" : "off");
	return 0;
}

/* --ring-size and set ring: 64k to 1g. */
static int parse_ring_size(const char *s, uint32_t *out)
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
	d->ring_bytes = v;
	fprintf(d->msg, "Ring buffer size set to %" PRIu32 " KiB per CPU%s\n", v >> 10,
		d->source == SRC_TRACE ? "" : " (used by the tracepoint source only)");
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
	return set_uint(d, "interval", argv[0], &d->interval,
			"Table interval (s, 0: alerts and a table at stop):");
}

static int set_top(struct dw *d, int argc, char **argv)
{
	return set_uint(d, "top", argv[0], &d->top, "Table rows (0: all):");
}

static int set_duration(struct dw *d, int argc, char **argv)
{
	unsigned int v;
	int ret = set_uint(d, "duration", argv[0], &v, "Run duration (s, 0: until Ctrl-C):");

	if (!ret)
		d->duration = v;
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
	d->key = spec;
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
		filter_clear_keys(&d->filter);
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
	err = filter_set(&d->filter, key, value, why, sizeof(why));
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

	if (filter_set_ignore(&d->filter, argv[0], why, sizeof(why))) {
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

static const struct cmd set_cmds[] = {
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

static const struct cmd *find_cmd(const struct cmd *tab, const char *word)
{
	for (; tab->word; tab++)
		if (!strcmp(tab->word, word))
			return tab;
	return NULL;
}

#define MAX_WORDS 16

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

	pr_str(p, "key", "Table key: %s\n", agg_spec_str(&d->key, buf, sizeof(buf)));
	pr_u64(p, "interval", "Table interval: %s s", d->interval);
	pr_text(p, d->interval ? "\n" : " (table at stop)\n");
	pr_u64(p, "top", "Table rows: %s", d->top);
	pr_text(p, d->top ? "\n" : " (all)\n");
	pr_u64(p, "duration", "Duration: %s s", d->duration);
	pr_text(p, d->duration ? "\n" : " (until Ctrl-C)\n");
	pr_bool(p, "verbose", NULL, d->out.verbose);
	pr_text(p, d->out.verbose ? "Reason explanations: shown\n" : "Reason explanations: hidden\n");
	filter_describe(&d->filter, p);
}

static void show_limit(struct dw *d, struct printer *p)
{
	pr_u64(p, "alertlimit", d->alertlimit ? "Alert limit: %s\n" : NULL, d->alertlimit);
	if (!d->alertlimit)
		pr_text(p, "Alert limit: none\n");
}

static void show_trace(struct dw *d, struct printer *p)
{
	uint32_t ring = trace_ring_bytes(d->ring_bytes, d->stack);

	pr_safe(p, "source", NULL, "trace");
	pr_str(p, "format", "Source: the skb:kfree_skb tracepoint (%s)\n", trace_format_path(source_trace(d->src)));
	pr_safe(p, "alertmode", NULL, netdm_mode_to_str(d->want.mode));
	pr_text(p, d->want.mode == NETDM_MODE_PACKET ? "Alert mode: Packet\n" :
		"Alert mode: Summary (counted by dropwatch, printed every second)\n");
	pr_bool(p, "stack", NULL, d->stack);
	pr_text(p, d->stack ? "Call chains: on\n" : "Call chains: off\n");
	pr_u64(p, "ring_kib", "Ring buffer: %s KiB per CPU\n", ring >> 10);
	pr_safe(p, "origins", "Monitored origins: %s\n", "software");
	show_limit(d, p);
	show_view(d, p);
}

static int cmd_show(struct dw *d, int argc, char **argv)
{
	struct printer *p = &d->out.p;
	struct netdm_config cfg;
	int err;

	if (d->source == SRC_TRACE) {
		pr_open(p, "settings");
		show_trace(d, p);
		pr_close(p);
		return 0;
	}
	err = netdm_sock_get_config(dm(d), &cfg);
	if (err) {
		err_msg("cannot read the drop monitor's settings: %s", netdm_sock_error(dm(d)));
		return cmd_failed(d, err);
	}
	pr_open(p, "settings");
	pr_safe(p, "source", NULL, "netdm");
	pr_safe(p, "alertmode", NULL, cfg.mode == NETDM_MODE_PACKET ? "packet" :
		cfg.mode == NETDM_MODE_SUMMARY ? "summary" : "unknown");
	pr_text(p, cfg.mode == NETDM_MODE_PACKET ? "Alert mode: Packet\n" :
		cfg.mode == NETDM_MODE_SUMMARY ? "Alert mode: Summary\n" : "Alert mode: Unknown\n");
	pr_u64(p, "trunc", "Truncation length: %s\n", cfg.trunc);
	pr_u64(p, "queue", "Queue length: %s\n", cfg.queue);
	pr_safe(p, "origins", "Monitored origins: %s\n", d->sw && d->hw ? "software, hardware" :
		d->sw ? "software" : d->hw ? "hardware" : "none");
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

	if (d->source == SRC_TRACE) {
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
	print_table(d, d->run_start_ns ? live_elapsed(d) : 0);
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

static const struct cmd top_cmds[] = {
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

static void run_line(struct dw *d, char *line)
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

/* ---- readline completion ---- */

static const char *const *completion_words;
static const struct cmd *completion_table;

static char *completion_gen(const char *text, int state)
{
	static size_t i, len;

	if (!state) {
		i = 0;
		len = strlen(text);
	}
	if (completion_table) {
		while (completion_table[i].word) {
			const char *w = completion_table[i++].word;

			if (!strncmp(w, text, len))
				return strdup(w);
		}
	} else if (completion_words) {
		while (completion_words[i]) {
			const char *w = completion_words[i++];

			if (!strncmp(w, text, len))
				return strdup(w);
		}
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	char *copy = strndup(rl_line_buffer, start);
	char *words[MAX_WORDS];
	int n;

	rl_attempted_completion_over = 1;
	completion_table = NULL;
	completion_words = NULL;
	if (!copy)
		return NULL;
	n = cli_split(copy, words, MAX_WORDS);
	if (n == 0) {
		completion_table = top_cmds;
	} else if (n >= 1 && !strcmp(words[0], "set")) {
		if (n == 1) {
			completion_table = set_cmds;
		} else if (n == 2) {
			const struct cmd *c = find_cmd(set_cmds, words[1]);

			completion_words = c ? c->values : NULL;
		}
	}
	free(copy);
	if (!completion_table && !completion_words)
		return NULL;
	return rl_completion_matches(text, completion_gen);
}

/* ---- input ---- */

static struct dw *rl_owner;

static void rl_line_cb(char *line)
{
	rl_owner->rl_line = line;
	rl_owner->rl_done = true;
}

/* Returns the next complete line from non-terminal stdin, NULL if none is buffered. */
static char *next_buffered_line(struct dw *d)
{
	char *nl = d->inlen ? memchr(d->inbuf, '\n', d->inlen) : NULL;
	char *line;
	size_t l;

	if (!nl && !(d->in_eof && d->inlen))
		return NULL;
	l = nl ? (size_t)(nl - d->inbuf) : d->inlen;
	line = strndup(d->inbuf, l);
	if (!line)
		return NULL;
	l = nl ? l + 1 : l;
	memmove(d->inbuf, d->inbuf + l, d->inlen - l);
	d->inlen -= l;
	return line;
}

static int read_stdin_chunk(struct dw *d)
{
	ssize_t n;

	if (d->incap - d->inlen < 4096) {
		size_t cap = d->incap ? d->incap * 2 : 8192;
		char *b;

		if (cap > (1 << 20)) {
			err_msg("input line longer than 1 MiB: giving up on standard input");
			d->in_eof = true;
			d->inlen = 0;
			return -1;
		}
		b = realloc(d->inbuf, cap);
		if (!b)
			return -1;
		d->inbuf = b;
		d->incap = cap;
	}
	n = read(STDIN_FILENO, d->inbuf + d->inlen, d->incap - d->inlen);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		d->in_eof = true;
	d->inlen += n;
	return 0;
}

/* Handles a signal that arrived while no monitor is running. */
static void idle_signal(struct dw *d)
{
	int sig = util_read_signal(d->sigfd);

	if (!sig)
		return;
	if (sig == SIGINT && d->interactive) {
		/* Like a shell: drop the line being typed, fresh prompt. */
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
		return;
	}
	d->fatal_signal = sig;
	d->quit = true;
}

static void input_loop(struct dw *d)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = d->sigfd, .events = POLLIN },
	};

	if (d->interactive) {
		rl_owner = d;
		rl_attempted_completion_function = complete;
		rl_callback_handler_install(PROMPT, rl_line_cb);
	}
	while (!d->quit) {
		char *line = NULL;

		if (!d->interactive) {
			line = next_buffered_line(d);
			if (!line && d->in_eof)
				break;
		}
		if (!line) {
			if (poll(pfd, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				err_msg("poll: %s", strerror(errno));
				break;
			}
			if (pfd[1].revents & POLLIN) {
				idle_signal(d);
				continue;
			}
			if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!d->interactive) {
				if (read_stdin_chunk(d) < 0)
					d->in_eof = true;
				continue;
			}
			d->rl_done = false;
			rl_callback_read_char();
			if (!d->rl_done)
				continue;
			line = d->rl_line;
			if (!line) {
				/* EOF (Ctrl-D) */
				rl_callback_handler_remove();
				putchar('\n');
				break;
			}
			rl_callback_handler_remove();
			if (*line)
				add_history(line);
		}
		run_line(d, line);
		free(line);
		if (d->interactive && !d->quit)
			rl_callback_handler_install(PROMPT, rl_line_cb);
	}
	if (d->interactive)
		rl_callback_handler_remove();
}

/* ---- start-up ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dropwatch [OPTIONS]\n"
		"Reports where, why and what the kernel drops, from its drop monitor (NET_DM)\n"
		"or the skb:kfree_skb tracepoint.\n"
		"Commands are read from the terminal (with line editing) or from standard input.\n"
		"\n"
		"  -l, --lmethod METHOD  symbol lookup: kas (/proc/kallsyms), kas:FILE (a kallsyms\n"
		"                        snapshot), none (raw addresses), list (show methods)\n"
		"      --kallsyms FILE   the same as -l kas:FILE\n"
		"  -r, --read FILE       print the alerts of a NET_DM capture (dwdump, nlmon) and\n"
		"                        exit; addresses are named only with -l or --kallsyms\n"
		"  -o, --output FORMAT   text (default), kv (key=value lines) or json (JSON lines);\n"
		"                        with kv and json, all but the drops goes to stderr\n"
		"  -j, --json            the same as -o json\n"
		"\n"
		"One-shot runs (no commands read from standard input):\n"
		"  -m, --mode MODE       alert mode: summary or packet; then start\n"
		"  -c, --count N         stop after N alerts; then start\n"
		"  -d, --duration SECS   stop after SECS seconds; then start\n"
		"  -e, --exec 'CMD; ..'  run these commands, then exit\n"
		"  -b, --batch FILE      run the commands of FILE (one per line), then exit\n"
		"\n"
		"What is shown:\n"
		"  -i, --interval SECS   print the table every SECS seconds instead of each alert\n"
		"      --top N           rows of the table (default 20, 0: all)\n"
		"  -k, --key FIELDS      table key: loc,reason,dev (default), origin, proto, src,\n"
		"                        dst, sport, dport, stack\n"
		"  -f, --filter KEY=VAL  only drops that match: reason, dev, proto, loc (glob),\n"
		"                        origin, pcap (expression); repeat for more\n"
		"      --ignore REASONS  hide these reasons; 'harmless' for the usual ones\n"
		"  -v, --verbose         explain each drop reason\n"
		"  -p, --passive         start only listens to a monitor someone else runs: no\n"
		"                        configuration, no start, no stop\n"
		"\n"
		"Where drops come from:\n"
		"      --source SOURCE   netdm (the kernel's drop monitor), trace (the\n"
		"                        skb:kfree_skb tracepoint) or auto (default: netdm when\n"
		"                        the kernel has it, else trace)\n"
		"  -g, --stack           record each drop's kernel call chain (trace)\n"
		"      --ring-size SIZE  ring buffer per CPU (trace; default 8m, 16m with -g)\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Type 'help' at the prompt for the commands. See dropwatch(1).\n");
}

#define KALLSYMS "/proc/kallsyms"

/* ---- commands from -e and -b ---- */

/*
 * Runs the commands of @text, one per line (and, for -e, also separated by
 * ';'); errors name @where and the line. Stops early when a signal ends us.
 */
static void run_script(struct dw *d, char *text, const char *where, bool semicolons)
{
	char *line = text, place[600];
	unsigned int lineno = 0;

	while (line && !d->quit) {
		char *end = line + strcspn(line, semicolons ? ";\n" : "\n");
		char *next = *end ? end + 1 : NULL;

		*end = '\0';
		lineno++;
		snprintf(place, sizeof(place), "%s:%u", where, lineno);
		util_where = place;
		if (line[strspn(line, " \t")] != '#')
			run_line(d, line);
		util_where = NULL;
		line = next;
	}
}

static int run_batch_file(struct dw *d, const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;
	char safe[256];

	pr_escape(safe, sizeof(safe), path);
	if (!f) {
		err_msg("%s: %s", safe, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *t;

			if (cap >= (1u << 20)) {
				err_msg("%s: longer than 1 MiB", safe);
				free(text);
				fclose(f);
				return -1;
			}
			t = realloc(text, cap ? cap * 2 : 8192);
			if (!t) {
				free(text);
				fclose(f);
				return -1;
			}
			text = t;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	text[len] = '\0';
	run_script(d, text, safe, false);
	free(text);
	return 0;
}

/* ---- replay ---- */

static int on_replayed(const struct drop_event *ev, void *arg)
{
	struct dw *d = arg;

	d->rec.now_ns = d->replay_ts ? *d->replay_ts : 0;
	if (ev->summary && ev->origin == DROP_ORIGIN_SW && ev->pc)
		d->bare++;	/* addresses only a kallsyms snapshot can name */
	return on_event(ev, d);
}

static int run_replay(struct dw *d, const char *path, const char *lmethod)
{
	struct replay_result res;
	int ret;

	/*
	 * Addresses in a capture belong to the machine and boot it was taken on:
	 * this machine's /proc/kallsyms only when asked for (-l kas).
	 */
	if (lmethod && strcmp(lmethod, "none")) {
		const char *kas = strncmp(lmethod, "kas:", 4) ? KALLSYMS : lmethod + 4;

		if (symres_load(d->sym, kas, true))
			return DW_EXIT_FAIL;
	}
	d->rec.ifnames = NULL;	/* interface indexes of another machine */
	d->replay_ts = &res.ts_ns;
	start_run(d);
	ret = replay_file(path, on_replayed, d, &res);
	fflush(stdout);
	if (ret == RUN_LIMIT) {
		fprintf(d->msg, "Alert limit reached\n");
		ret = 0;
	}
	if (ret == -EINVAL || (ret == 0 && res.records == 0 && res.err[0])) {
		err_msg("%s: %s", path, res.err);
		return DW_EXIT_FAIL;
	}
	if (res.malformed)
		err_msg("%s: skipped %lu malformed records or messages (the first: %s)", path,
			res.malformed, res.first_bad);
	if (res.cut)
		err_msg("%s: %lu records were cut short when captured", path, res.cut);
	if (ret == 0 && res.family < 0)
		err_msg("%s: no NET_DM messages in this capture", path);
	if (ret != -EINVAL && (res.records || !res.err[0]))
		/* The capture's own clock: from its first drop to its last. */
		print_table(d, d->last_ts > d->first_ts ? (double)(d->last_ts - d->first_ts) / 1e9 : 0);
	if (d->bare && !symres_has_index(d->sym))
		err_msg("note: summary alerts carry bare addresses: --kallsyms FILE with a copy of "
			"/proc/kallsyms from the machine and boot of the capture names them");
	if (ret < 0) {
		err_msg("%s: %s (everything before it is shown above)", path, res.err);
		return DW_EXIT_FAIL;
	}
	return DW_EXIT_OK;
}

/*
 * The source of drops: NET_DM when its family resolves, else (--source
 * auto) the skb:kfree_skb tracepoint; says once which, and why.
 */
#define OPEN_USAGE 1	/* options that do not fit the source found */

static int open_source(struct dw *d)
{
	char why[600] = "";
	int err = -ENOENT;

	if (d->source != SRC_TRACE) {
		err = source_netdm_open(&d->src, why, sizeof(why));
		if (!err) {
			if (d->source == SRC_AUTO)
				err_msg("source: the NET_DM drop monitor (its family resolved)");
			d->source = SRC_NETDM;
			if (d->stack) {
				err_msg("--stack: NET_DM sends no call chains (--source trace)");
				return OPEN_USAGE;
			}
			return 0;
		}
		/* Only a missing family sends auto to the tracepoint; other failures are real. */
		if (d->source == SRC_NETDM || err != -ENOENT) {
			err_msg("%s", why);
			return err;
		}
	}
	{
		char twhy[600];

		err = source_trace_open(&d->src, twhy, sizeof(twhy));
		if (err) {
			if (why[0])
				err_msg("%s", why);
			err_msg("%s%s", twhy, why[0] ?
				" (so the tracepoint source cannot be used either)" : "");
			return err;
		}
	}
	if (d->source == SRC_AUTO)
		err_msg("source: the skb:kfree_skb tracepoint, as this kernel has no NET_DM drop "
			"monitor (drop_monitor is not loaded or not built)");
	d->source = SRC_TRACE;
	d->hw = false;
	if (d->passive) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere; this kernel has none");
		return OPEN_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lmethod", required_argument, NULL, 'l' },
		{ "kallsyms", required_argument, NULL, 'K' },
		{ "read", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'm' },
		{ "exec", required_argument, NULL, 'e' },
		{ "batch", required_argument, NULL, 'b' },
		{ "interval", required_argument, NULL, 'i' },
		{ "top", required_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "filter", required_argument, NULL, 'f' },
		{ "ignore", required_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "passive", no_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 'S' },
		{ "stack", no_argument, NULL, 'g' },
		{ "ring-size", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lmethod = NULL, *replay = NULL, *batch = NULL;
	char *kas_method = NULL, *exec = NULL, why[512];
	bool one_shot = false, mode_given = false, verbose = false, key_given = false;
	enum out_format format = OUT_TEXT;
	uint32_t v;
	struct dw d = {
		.sw = true,
		.want = { .has = NETDM_CFG_MODE, .mode = NETDM_MODE_SUMMARY },
		.sigfd = -1,
		.out_fd = STDOUT_FILENO,
	};
	int c, err, status = DW_EXIT_OK;

	d.key = (struct agg_spec){ .n = 3, .field = { AGG_LOC, AGG_REASON, AGG_DEV } };
	d.sym = symres_new();
	d.rec.sym = d.sym;
	out_init(&d.out, stdout, OUT_TEXT);
	d.top = 20;
	d.agg = agg_new(&d.key);
	if (!d.agg || !d.sym)
		return DW_EXIT_FAIL;
	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, ":l:r:o:jc:d:m:e:b:i:k:f:vpghV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (cli_parse_u32(optarg, &v) || !v) {
				status = cli_bad_value("--count", optarg, "a count from 1 to 4294967295");
				goto out;
			}
			d.alertlimit = v;
			one_shot = true;
			break;
		case 'd':
			if (cli_parse_u32(optarg, &v) || !v) {
				status = cli_bad_value("--duration", optarg,
							  "a number of seconds from 1 to 4294967295");
				goto out;
			}
			d.duration = v;
			one_shot = true;
			break;
		case 'm':
			c = netdm_mode_from_str(optarg);
			if (c < 0) {
				status = cli_bad_value("--mode", optarg, "an alert mode (summary or packet)");
				goto out;
			}
			d.want.mode = c;
			one_shot = mode_given = true;
			break;
		case 'e':
			free(exec);
			exec = strdup(optarg);
			if (!exec) {
				status = DW_EXIT_FAIL;
				goto out;
			}
			break;
		case 'b':
			batch = optarg;
			break;
		case 'i':
			if (cli_parse_u32(optarg, &v)) {
				status = cli_bad_value("--interval", optarg,
							  "a number of seconds (0: table at stop)");
				goto out;
			}
			d.interval = v;
			break;
		case 'T':
			if (cli_parse_u32(optarg, &v)) {
				status = cli_bad_value("--top", optarg, "a number of rows (0: all)");
				goto out;
			}
			d.top = v;
			break;
		case 'k':
			if (agg_spec_parse(&d.key, optarg, why, sizeof(why))) {
				err_msg("--key: %s", why);
				status = DW_EXIT_USAGE;
				goto out;
			}
			agg_free(d.agg);
			d.agg = agg_new(&d.key);
			if (!d.agg) {
				status = DW_EXIT_FAIL;
				goto out;
			}
			key_given = true;
			break;
		case 'f':
			if (filter_set_arg(&d.filter, optarg, why, sizeof(why))) {
				char safe[512];

				err_msg("--filter: %s", pr_escape(safe, sizeof(safe), why));
				status = DW_EXIT_USAGE;
				goto out;
			}
			break;
		case 'I':
			if (filter_set_ignore(&d.filter, optarg, why, sizeof(why))) {
				err_msg("--ignore: %s", why);
				status = DW_EXIT_USAGE;
				goto out;
			}
			break;
		case 'v':
			verbose = true;
			break;
		case 'p':
			d.passive = true;
			break;
		case 'S':
			if (!strcmp(optarg, "auto"))
				d.source = SRC_AUTO;
			else if (!strcmp(optarg, "netdm"))
				d.source = SRC_NETDM;
			else if (!strcmp(optarg, "trace"))
				d.source = SRC_TRACE;
			else {
				status = cli_bad_value("--source", optarg,
						       "a source (netdm, trace or auto)");
				goto out;
			}
			break;
		case 'g':
			d.stack = true;
			break;
		case 'R':
			if (parse_ring_size(optarg, &v)) {
				status = cli_bad_value("--ring-size", optarg,
						       "a size from 64k to 1g (per CPU)");
				goto out;
			}
			d.ring_bytes = v;
			break;
		case 'l':
			lmethod = optarg;
			break;
		case 'K':
			free(kas_method);
			kas_method = malloc(strlen(optarg) + 5);
			if (!kas_method) {
				status = DW_EXIT_FAIL;
				goto out;
			}
			sprintf(kas_method, "kas:%s", optarg);
			lmethod = kas_method;
			break;
		case 'r':
			replay = optarg;
			break;
		case 'o':
			c = out_format_from_str(optarg);
			if (c < 0) {
				status = cli_bad_value("--output", optarg,
						       "an output format (text, kv, json)");
				goto out;
			}
			format = c;
			break;
		case 'j':
			format = OUT_JSON;
			break;
		case 'h':
			usage(stdout);
			goto out;
		case 'V':
			printf("dropwatch %s\n", PACKAGE_VERSION);
			goto out;
		default:
			status = cli_bad_option(argv, c);
			goto out;
		}
	}
	if (optind < argc) {
		char safe[128];

		err_msg("unexpected argument '%s' (try --help)",
			pr_escape(safe, sizeof(safe), argv[optind]));
		status = DW_EXIT_USAGE;
		goto out;
	}
	if (exec && batch) {
		err_msg("-e and -b exclude each other");
		status = DW_EXIT_USAGE;
		goto out;
	}
	if (replay && (exec || batch || d.duration || mode_given)) {
		err_msg("-r replays a capture: -e, -b, -d and -m do not apply");
		status = DW_EXIT_USAGE;
		goto out;
	}
	if (d.passive && d.source == SRC_TRACE) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere: not with --source trace");
		status = DW_EXIT_USAGE;
		goto out;
	}
	if (d.stack && d.source == SRC_NETDM) {
		err_msg("--stack: NET_DM sends no call chains (--source trace, or auto on a kernel "
			"without NET_DM)");
		status = DW_EXIT_USAGE;
		goto out;
	}
	if (lmethod && !strcmp(lmethod, "list")) {
		printf("Available lookup methods:\n"
		       "kas - use /proc/kallsyms\n"
		       "kas:FILE - use a kallsyms snapshot from FILE\n"
		       "none - print raw addresses\n");
		goto out;
	}
	if (lmethod && strcmp(lmethod, "kas") && strncmp(lmethod, "kas:", 4) &&
	    strcmp(lmethod, "none")) {
		char safe[128];

		err_msg("unknown lookup method '%s' (kas, kas:FILE, none, list)",
			pr_escape(safe, sizeof(safe), lmethod));
		status = DW_EXIT_USAGE;
		goto out;
	}

	out_init(&d.out, stdout, format);
	d.out.verbose = verbose;
	/* Into a file or pipe: large blocks (each run's batches are still flushed as they come). */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 256 * 1024);
	d.msg = format == OUT_TEXT ? stdout : stderr;
	if (replay) {
		status = run_replay(&d, replay, lmethod);
		goto out;
	}

	/* Signals are taken synchronously through a signalfd from here on. */
	d.sigfd = util_signalfd();
	if (d.sigfd < 0) {
		err_msg("signalfd: %s", strerror(errno));
		status = DW_EXIT_FAIL;
		goto out;
	}

	if (lmethod && !strncmp(lmethod, "kas:", 4)) {
		/* A snapshot: read now, so that a bad one ends us before anything starts. */
		if (symres_load(d.sym, lmethod + 4, true)) {
			status = DW_EXIT_FAIL;
			goto out;
		}
	} else if (!lmethod || strcmp(lmethod, "none")) {
		/* /proc/kallsyms: when an address first needs a name (out_ctx.load_syms). */
		if (lmethod && access(KALLSYMS, R_OK)) {
			err_msg("cannot load kernel symbols from %s: %s", KALLSYMS, strerror(errno));
			status = DW_EXIT_FAIL;
			goto out;
		}
		symres_load_lazily(d.sym);
	}
	d.rec.ifnames = ifname_cache_new();
	d.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	err = open_source(&d);
	if (err) {
		status = err == OPEN_USAGE ? DW_EXIT_USAGE : util_exit_status(err);
		goto out;
	}
	if (d.source == SRC_TRACE && !key_given) {
		/* The default key without the interface, which the tracepoint does not say. */
		d.key = (struct agg_spec){ .n = 2, .field = { AGG_LOC, AGG_REASON } };
		agg_free(d.agg);
		d.agg = agg_new(&d.key);
		if (!d.agg) {
			status = DW_EXIT_FAIL;
			goto out;
		}
	}
	if (check_caps(&d, &d.filter, &d.key, "options")) {
		status = DW_EXIT_USAGE;
		goto out;
	}

	if (exec || batch || one_shot) {
		/* One-shot: the commands given, or just start; never standard input. */
		d.interactive = false;
		if (exec)
			run_script(&d, exec, "-e", true);
		else if (batch && run_batch_file(&d, batch))
			status = DW_EXIT_FAIL;
		else if (!batch)
			run_line(&d, (char[]){ "start" });
	} else {
		input_loop(&d);
	}
	if (!d.interactive && !d.fatal_signal)
		fprintf(d.msg, "Terminating dropwatch...\n");
	restore_kernel_config(&d);
	if (status == DW_EXIT_OK)
		status = d.fatal_signal ? 128 + d.fatal_signal : d.interactive ? DW_EXIT_OK : d.status;
out:
	fflush(stdout);
	source_close(d.src);
	symres_free(d.sym);
	ifname_cache_free(d.rec.ifnames);
	pr_release(&d.out.p);
	free(d.inbuf);
	if (d.sigfd >= 0)
		close(d.sigfd);
	free(kas_method);
	free(exec);
	agg_free(d.agg);
	filter_clear(&d.filter);
	reasons_free(d.reasons);
	return status;
}
