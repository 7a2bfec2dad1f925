// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's settings, in one table: each entry is a command-line option, a
 * `set` word at the prompt, or both, with one parser, one set of accepted
 * words and one range. The table drives getopt, `set`, `help`, `--help` and
 * completion (the prompt's and bash's, through --complete); a test holds the
 * man page against it.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "suggest.h"
#include "exitcodes.h"
#include "dw.h"
#include "httpd.h"
#include "metrics.h"
#include "netdm_sock.h"
#include "reasons.h"
#include "trace.h"
#include "util.h"

/* ---- values ---- */

/* A number of the setting's unit: "%s: 'X' is not ...". */
static int value_u32(const char *val, uint32_t *out, const char *what, char *why, size_t len)
{
	if (cli_parse_u32(val, out)) {
		char safe[64];

		snprintf(why, len, "'%s' is not %s", pr_escape(safe, sizeof(safe), val), what);
		return -EINVAL;
	}
	return 0;
}

static int value_bool(const char *val, bool *out, char *why, size_t len)
{
	if (cli_parse_bool(val, out)) {
		char safe[64];

		snprintf(why, len, "'%s' is not on or off (true/false, yes/no, 1/0)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	return 0;
}

/* Where each run's settings are said: at the prompt, not for options. */
#define SAY(d, say, ...) do { if (say) fprintf((d)->msg, __VA_ARGS__); } while (0)

/* ---- the limits of a run ---- */

/* A plain number: the table says where it goes and what set says of it. */
static int set_number(struct dw *d, const struct setting *s, const char *val, bool say,
		      char *why, size_t len)
{
	uint32_t v;

	if (value_u32(val, &v, s->num->unit, why, len))
		return -EINVAL;
	*(uint32_t *)((char *)&d->set + s->num->field) = v;
	if (!v && s->num->said0)
		SAY(d, say, "%s\n", s->num->said0);
	else
		SAY(d, say, "%s %" PRIu32 "\n", s->num->said, v);
	return 0;
}


/* ---- the kernel's drop monitor (sent at once when it is open) ---- */

static int set_alertmode(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	const struct mode *m = mode_find(val);
	int mode = netdm_mode_from_str(val);
	int err;

	if (m) {
		/* Not the kernel's: the drop monitor keeps its mode for the other runs. */
		d->set.mode = m;
		SAY(d, say, "Alert mode set to %s\n", m->said);
		return 0;
	}
	if (mode < 0) {
		char safe[64], names[128];

		snprintf(why, len, "'%s' is not an alert mode (%s)", pr_escape(safe, sizeof(safe), val),
			 mode_list(names, sizeof(names), "summary, packet", false));
		return -EINVAL;
	}
	d->set.mode = &mode_drops;
	d->set.want.mode = mode;
	d->set.want.has |= NETDM_CFG_MODE;
	err = apply_config(d);
	if (err) {
		snprintf(why, len, "%s", netdm_sock_error(dm(d)));
		return err;
	}
	SAY(d, say, "Alert mode set to %s\n", netdm_mode_to_str(mode));
	return 0;
}

static int set_len(struct dw *d, unsigned int flag, uint32_t *field, const char *val, bool say,
		   char *why, size_t len)
{
	uint32_t v;
	int err;

	if (d->set.source == SRC_TRACE || d->set.source == SRC_BPF) {
		snprintf(why, len, "%s", d->set.source == SRC_TRACE ?
			 "the tracepoint source carries no packets, so there is nothing to truncate "
			 "or queue" : "the eBPF source reads the first 128 bytes of each packet and "
			 "queues nothing in the kernel: there is nothing to set");
		return -EINVAL;
	}
	if (value_u32(val, &v, flag == NETDM_CFG_TRUNC ? "a length in bytes (0: whole packets)" :
		      "a number of packets", why, len))
		return -EINVAL;
	*field = v;
	d->set.want.has |= flag;
	err = apply_config(d);
	if (err) {
		snprintf(why, len, "%s", netdm_sock_error(dm(d)));
		return err;
	}
	SAY(d, say, "%s set to %" PRIu32 "\n",
	    flag == NETDM_CFG_TRUNC ? "Truncation length" : "Queue length", v);
	return 0;
}

static int set_trunc(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return set_len(d, NETDM_CFG_TRUNC, &d->set.want.trunc, val, say, why, len);
}

static int set_queue(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return set_len(d, NETDM_CFG_QUEUE, &d->set.want.queue, val, say, why, len);
}

static int set_origin(struct dw *d, bool *field, const char *val, bool say, char *why, size_t len)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	if (field == &d->set.hw && v && (d->set.source == SRC_TRACE || d->set.source == SRC_BPF)) {
		snprintf(why, len, "%s sees software drops only (hardware drops need NET_DM)",
			 d->set.source == SRC_TRACE ? "the tracepoint source" : "the eBPF source");
		return -EINVAL;
	}
	*field = v;
	SAY(d, say, "setting %s drops monitoring to %s\n",
	    field == &d->set.sw ? "software" : "hardware", v ? "true" : "false");
	if (!d->set.sw && !d->set.hw)
		SAY(d, say, "note: with both sw and hw off, start has nothing to monitor\n");
	return 0;
}

static int set_sw(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return set_origin(d, &d->set.sw, val, say, why, len);
}

static int set_hw(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return set_origin(d, &d->set.hw, val, say, why, len);
}

/* ---- the tracepoint ---- */

/*
 * An on/off setting that one source cannot serve: *@flag set from @val, refused (with
 * @refused_why) when on with the session's source @refused; said as @on or @off.
 */
static int set_source_flag(struct dw *d, const char *val, bool say, char *why, size_t len,
			   bool *flag, enum dw_source refused, const char *refused_why,
			   const char *on, const char *off)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	if (v && d->set.source == refused) {
		snprintf(why, len, "%s", refused_why);
		return -EINVAL;
	}
	*flag = v;
	SAY(d, say, "%s\n", v ? on : off);
	return 0;
}

static int set_stack(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return set_source_flag(d, val, say, why, len, &d->set.stack, SRC_NETDM,
			       "call chains come from the tracepoint and eBPF sources only "
			       "(dropwatch --source trace or bpf)", "Call chains on", "Call chains off");
}

static int set_journey(struct dw *d, const struct setting *s, const char *val, bool say,
		       char *why, size_t len)
{
	return set_source_flag(d, val, say, why, len, &d->set.journey, SRC_NETDM,
			       "journeys come from the tracepoint and eBPF sources only "
			       "(dropwatch --source trace or bpf)",
			       "Journeys on (each drop is shown as it happens, with the events of "
			       "its skb before it)", "Journeys off");
}

/* The times report's (mode_times.c): its directions and its devices. */
static int set_times_dir(struct dw *d, const struct setting *s, const char *val, bool say,
			 char *why, size_t len)
{
	return times_set_dir(d, val, say, why, len);
}

static int set_times_dev(struct dw *d, const struct setting *s, const char *val, bool say,
			 char *why, size_t len)
{
	return times_set_dev(d, val, say, why, len);
}

static int set_rules(struct dw *d, const struct setting *s, const char *val, bool say,
		     char *why, size_t len)
{
	return set_source_flag(d, val, say, why, len, &d->set.rules, SRC_TRACE,
			       "rules are joined by the dropped packet's headers, which the "
			       "tracepoint source does not have (dropwatch --source netdm or bpf, "
			       "-m packet)", "Rules on (each netfilter drop with the nftables rule "
			       "behind it; packets are traced while monitoring)", "Rules off");
}

/* --ring-size and set ring: 64k to 1g. */
int parse_ring_size(const char *s, uint32_t *out)
{
	return cli_parse_size(s, 1u << 30, out) || *out < TRACE_RING_MIN ? -EINVAL : 0;
}

static int set_ring(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	uint32_t v;

	if (parse_ring_size(val, &v)) {
		char safe[64];

		snprintf(why, len, "'%s' is not a size from 64k to 1g (per CPU)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	d->set.ring_bytes = v;
	SAY(d, say, "Ring buffer size set to %" PRIu32 " KiB %s\n", v >> 10,
	    d->set.source == SRC_TRACE ? "per CPU" : d->set.source == SRC_BPF ?
	    "(the eBPF source's one ring)" : "per CPU (used by the tracepoint and eBPF sources only)");
	return 0;
}

/* ---- what is shown ---- */



static int set_verbose(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	d->out.verbose = v;
	d->rec.explain = v;
	d->rec.reason_raw[0] = '\0';	/* the kept reason's explanation is looked up again */
	SAY(d, say, "Reason explanations %s\n", v ? "shown" : "hidden");
	return 0;
}

static int set_counters(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	d->loss.off = !v;
	SAY(d, say, "Kernel counters beside the table %s\n", v ? "on" : "off");
	return 0;
}

static int set_key(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	struct agg_spec spec;
	struct agg *a;
	char buf[128];

	if (agg_spec_parse(&spec, val, why, len))
		return -EINVAL;
	if (d->src && check_caps(d, NULL, &spec, why, len))
		return -EINVAL;
	a = agg_new(&spec);
	if (!a) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	agg_free(d->agg);
	d->agg = a;
	d->set.key = spec;
	d->set.key_given = true;
	SAY(d, say, "Table key: %s\n", agg_spec_str(&spec, buf, sizeof(buf)));
	return 0;
}

static int check_reasons(struct dw *d, const char *list, const char *what, char *why, size_t len)
{
	const struct reason_cat *cat = catalogue(d);
	size_t n, i;
	const char **names = reason_names(d, NULL, &n);
	const char *p = list;
	int err = 0;

	if (!names)
		return 0;
	while (*p && !err) {
		size_t l = strcspn(p, ",");
		char word[64], safe[80];
		const char *hint;
		bool known = false;

		snprintf(word, sizeof(word), "%.*s", (int)l, p);
		p += l + (p[l] == ',');
		if (!strcasecmp(word, "harmless") || !strcasecmp(word, "none") ||
		    !strcasecmp(word, "any"))
			continue;
		for (i = 0; i < n && !known; i++)
			known = !strcasecmp(names[i], word);
		if (known)
			continue;
		pr_escape(safe, sizeof(safe), word);
		hint = suggest(word, names, n);
		if (hint) {
			snprintf(why, len, "'%s' is not a drop reason: did you mean '%s'? ('reasons' "
				 "lists them)", safe, hint);
			err = -EINVAL;
		} else if (d->set.source != SRC_NETDM) {
			snprintf(why, len, "'%s' is not one of the %zu drop reasons of %s ('reasons' "
				 "lists them)", safe, n, reasons_source(cat));
			err = -EINVAL;
		} else {
			util_err("%s: note: '%s' is not among the %zu drop reasons of %s; kept, as "
				 "NET_DM also reports subsystems' own", what, safe, n, reasons_source(cat));
		}
	}
	free(names);
	return err;
}

/* Interfaces come and go: one that does not exist now is kept, with a warning. */
static void check_devs(const char *list, const char *what)
{
	struct if_nameindex *ifs;
	const char *names[256], *p = list;
	size_t n = dev_names(&ifs, names, 256);

	while (*p) {
		size_t l = strcspn(p, ",");
		char word[IF_NAMESIZE + 8], safe[64];
		const char *hint;

		snprintf(word, sizeof(word), "%.*s", (int)(l < IF_NAMESIZE + 4 ? l : IF_NAMESIZE + 4), p);
		p += l + (p[l] == ',');
		if (word[strspn(word, "0123456789")] == '\0' || if_nametoindex(word))
			continue;	/* an index, or an interface that exists */
		pr_escape(safe, sizeof(safe), word);
		hint = suggest(word, names, n);
		util_err("%s: warning: no interface '%s' here now%s%s%s; kept, as interfaces come and go",
			 what, safe, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	}
	if (ifs)
		if_freenameindex(ifs);
}

/* One filter: refused when the source cannot evaluate it, values checked. */
static int filter_one(struct dw *d, int key, const char *value, const char *what, char *why,
		      size_t len)
{
	struct filter one = { 0 };
	int err;

	if (strcmp(value, "any")) {
		if (key == FILTER_REASON && check_reasons(d, value, what, why, len))
			return -EINVAL;
		err = filter_set(&one, key, value, why, len);
		if (!err && d->src)
			err = check_caps(d, &one, NULL, why, len);
		filter_clear(&one);
		if (err)
			return err;
		if (key == FILTER_DEV)
			check_devs(value, what);
	}
	return filter_set(&d->set.filter, key, value, why, len);
}

static int filter_key(const char *word, char *why, size_t len)
{
	int key = filter_key_from_str(word);

	if (key < 0) {
		const char *hint = suggest(word, filter_key_names, FILTER_KEYS);
		char safe[64];

		pr_escape(safe, sizeof(safe), word);
		if (hint)
			snprintf(why, len, "unknown key '%s': did you mean '%s'?", safe, hint);
		else
			snprintf(why, len, "unknown key '%s' (reason, dev, proto, loc, origin, pcap, "
				 "netns, container; or none)", safe);
	}
	return key;
}

/* --filter KEY=VALUE; at the prompt, set filter KEY VALUE (joined by one blank). */
static int set_filter(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	char word[32], what[48];
	const char *value;
	size_t kl = strcspn(val, say ? " " : "=");
	int key, err;

	if (!strcmp(val, "none")) {
		filter_clear_keys(&d->set.filter);
		SAY(d, say, "Filters cleared\n");
		return 0;
	}
	snprintf(word, sizeof(word), "%.*s", (int)(kl < 31 ? kl : 31), val);
	key = filter_key(word, why, len);
	if (key < 0)
		return -EINVAL;
	if (!val[kl] || !val[kl + 1]) {
		snprintf(why, len, say ? "usage: set filter %s %s" : "expected %s=%s",
			 filter_key_names[key], key == FILTER_PCAP ? "<pcap-filter expression>" :
			 "<value[,value...]|any>");
		return -EINVAL;
	}
	value = val + kl + 1;
	if (key != FILTER_PCAP && strchr(value, ' ')) {
		snprintf(why, len, "a %s filter is one word: values are separated by commas",
			 filter_key_names[key]);
		return -EINVAL;
	}
	snprintf(what, sizeof(what), say ? "set filter %s" : "--filter %s", filter_key_names[key]);
	err = filter_one(d, key, value, what, why, len);
	if (err)
		return err;
	if (strcmp(value, "any"))
		SAY(d, say, "Filter %s set to %s\n", filter_key_names[key], value);
	else
		SAY(d, say, "Filter %s removed\n", filter_key_names[key]);
	return 0;
}

static int set_ignore(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	struct filter syntax = { 0 };
	int err = filter_set_ignore(&syntax, val, why, len);

	filter_clear(&syntax);
	if (err || check_reasons(d, val, say ? "set ignore" : "--ignore", why, len) ||
	    filter_set_ignore(&d->set.filter, val, why, len))
		return -EINVAL;
	SAY(d, say, "Ignored reasons: %s\n", strcmp(val, "none") ? val : "none");
	return 0;
}

/* ---- options that are not settings ---- */

static int opt_source(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (!strcmp(val, "auto"))
		d->set.source = SRC_AUTO;
	else if (!strcmp(val, "netdm"))
		d->set.source = SRC_NETDM;
	else if (!strcmp(val, "trace"))
		d->set.source = SRC_TRACE;
	else if (!strcmp(val, "bpf"))
		d->set.source = SRC_BPF;
	else {
		char safe[64];

		snprintf(why, len, "'%s' is not a source (netdm, trace, bpf or auto)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	return 0;
}

static int opt_passive(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->set.passive = true;
	return 0;
}

static int opt_force(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->set.force = true;
	return 0;
}

static int opt_output(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	int f = out_format_from_str(val);

	if (f < 0) {
		char safe[64];

		snprintf(why, len, "'%s' is not an output format (text, kv, json)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	CLI(d)->opt.format = f;
	return 0;
}

static int opt_json(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	return opt_output(d, s, "json", say, why, len);
}

static int opt_lmethod(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (strcmp(val, "kas") && strncmp(val, "kas:", 4) && strcmp(val, "none") &&
	    strcmp(val, "list")) {
		char safe[128];

		snprintf(why, len, "unknown lookup method '%s' (kas, kas:FILE, none, list)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	CLI(d)->opt.lmethod = val;
	return 0;
}

static int opt_kallsyms(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	free(CLI(d)->opt.kas_method);
	CLI(d)->opt.kas_method = malloc(strlen(val) + 5);
	if (!CLI(d)->opt.kas_method)
		return -ENOMEM;
	sprintf(CLI(d)->opt.kas_method, "kas:%s", val);
	CLI(d)->opt.lmethod = CLI(d)->opt.kas_method;
	return 0;
}

static int opt_read(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	CLI(d)->opt.replay = val;
	return 0;
}

static int opt_exec(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	free(CLI(d)->opt.exec);
	CLI(d)->opt.exec = strdup(val);
	return CLI(d)->opt.exec ? 0 : -ENOMEM;
}

static int opt_batch(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	CLI(d)->opt.batch = val;
	return 0;
}

static int opt_help(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	CLI(d)->opt.help = true;
	return 0;
}

static int opt_version(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	CLI(d)->opt.version = true;
	return 0;
}

static int opt_metrics(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (httpd_check_spec(val, why, len))
		return -EINVAL;
	CLI(d)->opt.metrics = val;
	return 0;
}

static int opt_metrics_file(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (!*val || val[strlen(val) - 1] == '/') {
		snprintf(why, len, "a file's path, not a directory's");
		return -EINVAL;
	}
	CLI(d)->opt.metrics_file = val;
	return 0;
}

static int opt_metrics_labels(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	char safe[128];
	int err = metrics_parse_labels(pr_escape(safe, sizeof(safe), val), &CLI(d)->opt.metrics_labels,
				       why, len);

	return err;
}

static int opt_metrics_top(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	uint32_t v;

	if (value_u32(val, &v, "a number of values (at least 1)", why, len))
		return -EINVAL;
	if (!v) {
		snprintf(why, len, "at least 1 (the values after that many are counted as %s)",
			 METRICS_OTHER);
		return -EINVAL;
	}
	CLI(d)->opt.metrics_top = v;
	return 0;
}

static int opt_quiet(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->set.quiet = true;
	return 0;
}

/* ---- the table ---- */

#define NUMBER(f, unit, said, said0) \
	(&(const struct setting_number){ offsetof(struct dw_settings, f), unit, said, said0 })

const struct setting settings[] = {
	/* Where symbols and drops come from, and what is printed. */
	{ NULL, "lmethod", 'l', "METHOD", "symbol lookup: kas (/proc/kallsyms), kas:FILE (a "
	  "kallsyms snapshot), none (raw addresses), list (show methods)", 0, opt_lmethod,
	  V_LMETHOD, NULL },
	{ NULL, "kallsyms", 0, "FILE", "the same as -l kas:FILE", 0, opt_kallsyms, V_FILE, NULL },
	{ NULL, "read", 'r', "FILE", "print the alerts of a NET_DM capture (dwdump, nlmon) and "
	  "exit; addresses are named only with -l or --kallsyms", 0, opt_read, V_FILE, NULL },
	{ NULL, "output", 'o', "FORMAT", "text (default), kv (key=value lines) or json (JSON "
	  "lines); with kv and json, all but the drops goes to stderr", 0, opt_output, V_FORMAT,
	  NULL },
	{ NULL, "json", 'j', NULL, "the same as -o json", 0, opt_json, V_NONE, NULL },
	{ NULL, "source", 0, "SOURCE", "netdm (the kernel's drop monitor), trace (the "
	  "skb:kfree_skb tracepoint), bpf (an eBPF program on it) or auto (default: netdm when "
	  "the kernel has it, else bpf when it lets us load it, else trace)",
	  0, opt_source, V_SOURCE, NULL },
	{ NULL, "passive", 'p', NULL, "start only listens to a monitor someone else runs: no "
	  "configuration, no start, no stop", 0, opt_passive, V_NONE, NULL },
	{ NULL, "force", 0, NULL, "when the drop monitor was left on by a client that is gone "
	  "(nobody reads its alerts), stop it and start this one", 0, opt_force, V_NONE, NULL },

	/* A run and its limits. */
	/* Its help goes on with each mode's (setting_help()). */
	{ "alertmode", "mode", 'm', "MODE", "alert mode: summary (counts per location), packet "
	  "(each packet)", SET_STARTS,
	  set_alertmode, V_MODE, NULL },
	{ "alertlimit", "count", 'c', "N", "stop after N alerts: a packet in packet and times "
	  "mode, one location's count in summary mode, an event in tcp mode (0: no limit)", SET_STARTS, set_number, V_NONE,
	  NUMBER(alertlimit, "a number of alerts (0: no limit)",
		 "setting alert capture limit to", "alert capture limit removed") },
	{ "droplimit", "drops", 0, "N", "stop after N drops, counting every drop a summary alert "
	  "reports (0: no limit)", SET_STARTS, set_number, V_NONE,
	  NUMBER(droplimit, "a number of drops (0: no limit)",
		 "Drop limit (drops per run):", "Drop limit removed") },
	{ "duration", "duration", 'd', "SECS", "stop each run after SECS seconds (0: until "
	  "stopped)", SET_STARTS, set_number, V_NONE,
	  NUMBER(duration, "a number of seconds (0: until stopped)",
		 "Run duration (s, 0: until stopped):", NULL) },
	{ NULL, "exec", 'e', "'CMD; ..'", "run these commands, then exit", 0, opt_exec, V_NONE,
	  NULL },
	{ NULL, "batch", 'b', "FILE", "run the commands of FILE (one per line), then exit", 0,
	  opt_batch, V_FILE, NULL },
	{ "sw", "sw", 0, "BOOL", "monitor software drops (default on)", 0, set_sw, V_BOOL, NULL },
	{ "hw", "hw", 0, "BOOL", "monitor hardware (devlink trap) drops (NET_DM; default off)", 0,
	  set_hw, V_BOOL, NULL },
	{ "trunc", "trunc", 0, "LEN", "truncate packets to LEN bytes (NET_DM packet mode; 0: "
	  "whole packets)", 0, set_trunc, V_NONE, NULL },
	{ "queue", "queue", 0, "LEN", "the kernel's alert queue per CPU, in packets (NET_DM "
	  "packet mode)", 0, set_queue, V_NONE, NULL },
	{ "stack", "stack", 'g', NULL, "record each drop's kernel call chain (tracepoint source)",
	  0, set_stack, V_BOOL, NULL },
	{ "journey", "journey", 0, NULL, "each drop with its skb's journey: received, queued, "
	  "transmitted, with device, cpu and time (tracepoint and eBPF sources; a drop at a "
	  "time)", 0,
	  set_journey, V_BOOL, NULL },
	{ "rules", "rules", 0, NULL, "each netfilter drop with the nftables rule that dropped it "
	  "(packet mode, NET_DM and eBPF sources; adds a tracing table while monitoring)", 0,
	  set_rules, V_BOOL, NULL },
	{ "journeys", "journey-max", 0, "N", "skbs whose journey is tracked at once (default "
	  "16384; those past it are counted, not tracked)", 0, set_number, V_NONE,
	  NUMBER(journey_max, "a number of skbs (0: the default, 16384)",
		 "Journeys tracked at once:", "Journeys tracked at once: the default (16384)") },
	{ "dir", "dir", 0, "DIR", "the times report's direction: rx, tx or both (default)", 0,
	  set_times_dir, V_DIR, NULL },
	{ "dev", "dev", 0, "GLOB", "the times report's devices, e.g. 'veth*' (any: all, the "
	  "default)", 0, set_times_dev, V_NONE, NULL },
	{ "ring", "ring-size", 0, "SIZE", "ring buffer per CPU, e.g. 8m (tracepoint source; "
	  "default 8m, 16m with call chains; the eBPF source: one ring, default 8m)", 0, set_ring,
	  V_NONE, NULL },
	{ "maps", "map-size", 0, "N", "entries of the eBPF source's count maps: by location, "
	  "reason, namespace and interface (default 16384)", 0, set_number, V_NONE,
	  NUMBER(map_entries, "a number of entries (0: the default, 16384)",
		 "Count maps set to (entries)", "Count maps set to the default (16384 entries)") },

	/* What is shown. */
	{ "interval", "interval", 'i', "SECS", "print the table every SECS seconds instead of each "
	  "alert (0: alerts, and the table at stop)", 0, set_number, V_NONE,
	  NUMBER(interval, "a number of seconds (0: alerts, and the table at stop)",
		 "Table interval (s, 0: alerts and a table at stop):", NULL) },
	{ "top", "top", 0, "N", "rows of the table (default 20; 0: all)", 0, set_number, V_NONE,
	  NUMBER(top, "a number of rows (0: all)",
		 "Table rows (0: all):", NULL) },
	{ "key", "key", 'k', "FIELDS", "what the table counts by: loc, reason, dev, origin, proto, "
	  "src, dst, sport, dport, stack, netns, container (default loc,reason,dev)", 0, set_key,
	  V_KEYS, NULL },
	{ "filter", "filter", 'f', "KEY=VAL", "show only matching drops: reason, dev, proto, loc "
	  "(glob), origin, pcap (expression), netns (inode, name, host, pid:N), container (glob); "
	  "'any' removes one, 'none' all; repeat for more", 0, set_filter, V_FILTER, NULL },
	{ "ignore", "ignore", 0, "REASONS", "hide these reasons ('harmless': the usual ones; "
	  "'none')", 0, set_ignore, V_REASONS, NULL },
	{ "verbose", "verbose", 'v', NULL, "explain each drop reason", 0, set_verbose, V_BOOL,
	  NULL },
	{ "counters", "counters", 0, "BOOL", "after each table, the drops beside the kernel's own "
	  "counters (/proc/net/snmp, netstat, snmp6, softnet_stat, links, qdiscs) with a verdict, "
	  "and the counters that moved with no alert (default on)", 0, set_counters, V_BOOL,
	  NULL },

	{ NULL, "quiet", 'q', NULL, "print no alerts and no tables (the metrics, losses and "
	  "messages still)", 0, opt_quiet, V_NONE, NULL },

	/* The exporter. */
	{ NULL, "metrics", 0, "[ADDR:]PORT", "serve the drops as Prometheus metrics at "
	  "http://ADDR:PORT/metrics, monitoring until stopped and starting again after failures "
	  "(no ADDR: every address; ADDR: alone, the port " HTTPD_DEFAULT_PORT_STR ")", SET_STARTS, opt_metrics, V_NONE, NULL },
	{ NULL, "metrics-file", 0, "PATH", "write the metrics to PATH every 10 s (or -i SECS), "
	  "atomically, for node_exporter's textfile collector; as --metrics otherwise",
	  SET_STARTS, opt_metrics_file, V_FILE, NULL },
	{ NULL, "metrics-labels", 0, "LABELS", "count drops by these labels too: device, location "
	  "(a function), netns, container, or several: device,location", 0, opt_metrics_labels,
	  V_NONE, NULL },
	{ NULL, "metrics-top", 0, "N", "values each of those labels shows: the N with the most drops "
	  "(default 50); the others' drops are counted as (other)", 0, opt_metrics_top, V_NONE,
	  NULL },

	{ NULL, "help", 'h', NULL, "show this help and exit", 0, opt_help, V_NONE, NULL },
	{ NULL, "version", 'V', NULL, "show the version and exit", 0, opt_version, V_NONE, NULL },
	{ .name = NULL },
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]) - 1)
_Static_assert(N_SETTINGS <= SETTINGS_MAX, "SETTINGS_MAX is too small");

const char *setting_help(const struct setting *s, char *buf, size_t len)
{
	return s->values == V_MODE ? mode_list(buf, len, s->help, true) : s->help;
}

const struct setting *setting_find(const char *name)
{
	const struct setting *s;

	for (s = settings; s->opt || s->name; s++)
		if (s->name && !strcmp(s->name, name))
			return s;
	return NULL;
}

/* The words `set` takes, for suggestions and completion. */
size_t setting_names(const char **out, size_t max)
{
	const struct setting *s;
	size_t n = 0;

	for (s = settings; (s->opt || s->name) && n < max; s++)
		if (s->name)
			out[n++] = s->name;
	return n;
}

/* `set NAME VALUE` at the prompt: the table's parser, errors named "set NAME". */
int setting_set(struct dw *d, const struct setting *s, const char *val)
{
	char why[600];
	int err;

	if (d->run.running && !(s->flags & SET_LIVE)) {
		err_msg("set %s: not while monitoring ('stop' first)", s->name);
		return usage_failed(d);
	}
	/* Values are escaped where they are quoted in @why; the kernel's text is already. */
	err = s->apply(d, s, val, true, why, sizeof(why));
	if (err) {
		err_msg("set %s: %s", s->name, why);
		return err == -EINVAL ? usage_failed(d) : cmd_failed(d, err);
	}
	return 0;
}
