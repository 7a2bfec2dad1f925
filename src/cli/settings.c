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
#include "dw.h"
#include "exitcodes.h"
#include "httpd.h"
#include "metrics.h"
#include "netdm_sock.h"
#include "reasons.h"
#include "trace.h"
#include "util.h"

/* ---- values ---- */

static const char *const bool_words[] = { "on", "off", NULL };
static const char *const mode_words[] = { "summary", "packet", "tcp", "times", NULL };
static const char *const dir_words[] = { "rx", "tx", "both", NULL };
static const char *const source_words[] = { "auto", "netdm", "trace", "bpf", NULL };
static const char *const format_words[] = { "text", "kv", "json", NULL };
static const char *const lmethod_words[] = { "kas", "kas:", "none", "list", NULL };
static const char *const proto_words[] = { "tcp", "udp", "udplite", "icmp", "icmp6", "sctp",
					    "gre", "esp", "ah", "igmp", "ipv4", "ipv6", "arp", NULL };
static const char *const origin_words[] = { "sw", "hw", NULL };

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
	int mode = netdm_mode_from_str(val);
	int err;

	if (!strcmp(val, "times")) {
		/* Not the kernel's either. */
		d->set.times = true;
		d->set.tcp = false;
		SAY(d, say, "Alert mode set to times (where every packet's time goes, per device)\n");
		return 0;
	}
	if (!strcmp(val, "tcp")) {
		/* Not the kernel's: the drop monitor keeps its mode for the other runs. */
		d->set.tcp = true;
		d->set.times = false;
		SAY(d, say, "Alert mode set to tcp (TCP's drops, retransmits and resets)\n");
		return 0;
	}
	if (mode < 0) {
		char safe[64];

		snprintf(why, len, "'%s' is not an alert mode (summary, packet, tcp or times)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	d->set.tcp = false;
	d->set.times = false;
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

static int set_stack(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	if (v && d->set.source == SRC_NETDM) {
		snprintf(why, len, "call chains come from the tracepoint and eBPF sources only "
			 "(dropwatch --source trace or bpf)");
		return -EINVAL;
	}
	d->set.stack = v;
	SAY(d, say, "Call chains %s\n", v ? "on" : "off");
	return 0;
}

static int set_journey(struct dw *d, const struct setting *s, const char *val, bool say,
		       char *why, size_t len)
{
	bool v;

	if (value_bool(val, &v, why, len))
		return -EINVAL;
	if (v && d->set.source == SRC_NETDM) {
		snprintf(why, len, "journeys come from the tracepoint and eBPF sources only "
			 "(dropwatch --source trace or bpf)");
		return -EINVAL;
	}
	d->set.journey = v;
	SAY(d, say, "Journeys %s\n", v ? "on (each drop is shown as it happens, with the events "
	    "of its skb before it)" : "off");
	return 0;
}

/* The times report's directions: rx, tx or both. */
static int set_dir(struct dw *d, const struct setting *s, const char *val, bool say, char *why,
		   size_t len)
{
	char safe[64];

	if (strcmp(val, "rx") && strcmp(val, "tx") && strcmp(val, "both")) {
		snprintf(why, len, "'%s' is not a direction (rx, tx or both)",
			 pr_escape(safe, sizeof(safe), val));
		return -EINVAL;
	}
	snprintf(d->set.times_dir, sizeof(d->set.times_dir), "%s", val);
	SAY(d, say, "Times report: %s\n", !strcmp(val, "both") ? "receive and transmit" :
	    !strcmp(val, "rx") ? "receive only" : "transmit only");
	return 0;
}

/* The times report's devices: a glob, or "any". */
static int set_dev(struct dw *d, const struct setting *s, const char *val, bool say, char *why,
		   size_t len)
{
	char safe[4 * IF_NAMESIZE + 8];
	char *v = NULL;

	if (!*val || strlen(val) >= 64) {
		snprintf(why, len, "a device name or glob (up to 63 characters), or any");
		return -EINVAL;
	}
	if (strcmp(val, "any") && !(v = strdup(val))) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	free(d->set.times_dev);
	d->set.times_dev = v;
	SAY(d, say, "Times report: %s%s\n", v ? "devices " : "every device",
	    v ? pr_escape(safe, sizeof(safe), v) : "");
	return 0;
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
	d->opt.key_given = true;
	SAY(d, say, "Table key: %s\n", agg_spec_str(&spec, buf, sizeof(buf)));
	return 0;
}

const struct reason_cat *catalogue(struct dw *d)
{
	struct trace_src *tr = source_trace(d->src);

	if (tr && trace_reasons(tr))
		return trace_reasons(tr);
	if (source_bpf_reasons(d->src))
		return source_bpf_reasons(d->src);
	if (!d->reasons)
		d->reasons = reasons_load(NULL);
	return d->reasons;
}

/*
 * The running kernel's reason names, then @extra's words, NULL-terminated (free
 * it); *@n is the number of reason names. NULL without memory or catalogue.
 */
static const char **reason_names(struct dw *d, const char *const *extra, size_t *n)
{
	const struct reason_cat *cat = catalogue(d);
	size_t count = cat ? reasons_count(cat) : 0, i, k = 0;
	const char **w;

	for (i = 0; extra && extra[i]; i++)
		k++;
	w = cat ? calloc(count + k + 1, sizeof(*w)) : NULL;
	if (!w)
		return NULL;
	for (i = 0; i < count; i++)
		w[i] = reasons_name(cat, i);
	for (i = 0; i < k; i++)
		w[count + i] = extra[i];
	*n = count;
	return w;
}

/* This system's interface names into @w (at most @max - 1, NULL-terminated); free *@ifs. */
static size_t dev_names(struct if_nameindex **ifs, const char **w, size_t max)
{
	struct if_nameindex *i;
	size_t n = 0;

	*ifs = if_nameindex();
	for (i = *ifs; i && i->if_name && n < max - 1; i++)
		w[n++] = i->if_name;
	w[n] = NULL;
	return n;
}

/*
 * Each reason of the comma-separated @list against the running kernel's: a
 * close miss is refused with the name meant; a name the list does not have
 * is refused, except with NET_DM (whose subsystems name their own reasons),
 * where it is kept with a note.
 */
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
	d->opt.format = f;
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
	d->opt.lmethod = val;
	return 0;
}

static int opt_kallsyms(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	free(d->opt.kas_method);
	d->opt.kas_method = malloc(strlen(val) + 5);
	if (!d->opt.kas_method)
		return -ENOMEM;
	sprintf(d->opt.kas_method, "kas:%s", val);
	d->opt.lmethod = d->opt.kas_method;
	return 0;
}

static int opt_read(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->opt.replay = val;
	return 0;
}

static int opt_exec(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	free(d->opt.exec);
	d->opt.exec = strdup(val);
	return d->opt.exec ? 0 : -ENOMEM;
}

static int opt_batch(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->opt.batch = val;
	return 0;
}

static int opt_help(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->opt.help = true;
	return 0;
}

static int opt_version(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->opt.version = true;
	return 0;
}

static int opt_metrics(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (httpd_check_spec(val, why, len))
		return -EINVAL;
	d->opt.metrics = val;
	return 0;
}

static int opt_metrics_file(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	if (!*val || val[strlen(val) - 1] == '/') {
		snprintf(why, len, "a file's path, not a directory's");
		return -EINVAL;
	}
	d->opt.metrics_file = val;
	return 0;
}

static int opt_metrics_labels(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	char safe[128];
	int err = metrics_parse_labels(pr_escape(safe, sizeof(safe), val), &d->opt.metrics_labels,
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
	d->opt.metrics_top = v;
	return 0;
}

static int opt_quiet(struct dw *d, const struct setting *s, const char *val, bool say,
			char *why, size_t len)
{
	d->opt.quiet = true;
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
	{ "alertmode", "mode", 'm', "MODE", "alert mode: summary (counts per location), packet "
	  "(each packet), tcp (TCP's drops, retransmits and resets, each) or times (where every "
	  "packet's time goes, per device)", SET_STARTS,
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
	{ "journeys", "journey-max", 0, "N", "skbs whose journey is tracked at once (default "
	  "16384; those past it are counted, not tracked)", 0, set_number, V_NONE,
	  NUMBER(journey_max, "a number of skbs (0: the default, 16384)",
		 "Journeys tracked at once:", "Journeys tracked at once: the default (16384)") },
	{ "dir", "dir", 0, "DIR", "the times report's direction: rx, tx or both (default)", 0,
	  set_dir, V_DIR, NULL },
	{ "dev", "dev", 0, "GLOB", "the times report's devices, e.g. 'veth*' (any: all, the "
	  "default)", 0, set_dev, V_NONE, NULL },
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

/* ---- the command line ---- */

/* Text wrapped to 79 columns, continued at column @indent. */
static void wrapped(FILE *f, const char *text, int col, int indent)
{
	while (*text) {
		size_t room = 79 - col, n = strlen(text);

		if (n > room) {
			n = room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (!n)
				n = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", (int)n, text);
		text += n;
		text += strspn(text, " ");
		if (*text)
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

static void usage(FILE *f)
{
	const struct setting *s;

	fprintf(f,
		"Usage: dropwatch [OPTIONS]\n"
		"Reports where, why and what the kernel drops, from its drop monitor (NET_DM)\n"
		"or the skb:kfree_skb tracepoint.\n"
		"Commands are read from the terminal (with line editing) or from standard input;\n"
		"-m, -c, --drops and -d start a run at once (one-shot), -e and -b run commands.\n"
		"\n");
	for (s = settings; s->opt; s++) {
		char syn[64];
		int n;

		if (s->shortopt)
			n = snprintf(syn, sizeof(syn), "  -%c, --%s%s%s", s->shortopt, s->opt,
				     s->arg ? " " : "", s->arg ? s->arg : "");
		else
			n = snprintf(syn, sizeof(syn), "      --%s%s%s", s->opt, s->arg ? " " : "",
				     s->arg ? s->arg : "");
		fputs(syn, f);
		if (n >= 24) {
			fprintf(f, "\n%24s", "");
			n = 24;
		} else {
			fprintf(f, "%*s", 24 - n, "");
			n = 24;
		}
		wrapped(f, s->help, n, 24);
	}
	fprintf(f,
		"\n"
		"Boolean values: on/off, true/false, yes/no, 1/0. Every setting but the options\n"
		"above without one can also be changed at the prompt: 'set NAME VALUE'.\n"
		"Type 'help' at the prompt for the commands. See dropwatch(1).\n");
}

/* What the options say together; -1 to go on, else the exit status. */
static int check_options(struct dw *d)
{
	const struct dw_opts *o = &d->opt;

	if (o->exec && o->batch) {
		err_msg("-e and -b exclude each other");
		return DW_EXIT_USAGE;
	}
	if (o->replay && (o->exec || o->batch || d->set.duration || o->mode_given)) {
		err_msg("-r replays a capture: -e, -b, -d and -m do not apply");
		return DW_EXIT_USAGE;
	}
	if ((o->metrics || o->metrics_file) && (o->replay || o->exec || o->batch)) {
		err_msg("--metrics and --metrics-file monitor until stopped: not with -r, -e or -b");
		return DW_EXIT_USAGE;
	}
	if ((o->metrics || o->metrics_file) && d->set.times) {
		err_msg("--metrics counts drops: the times report (-m times) is not served as metrics");
		return DW_EXIT_USAGE;
	}
	if ((o->metrics_labels || o->metrics_top) && !o->metrics && !o->metrics_file) {
		err_msg("--metrics-labels and --metrics-top go with --metrics or --metrics-file");
		return DW_EXIT_USAGE;
	}
	if (o->metrics || o->metrics_file) {
		/* Reasons come with packet alerts; their headers are enough (unless said). */
		if (!o->mode_given) {
			d->set.want.mode = NETDM_MODE_PACKET;
			d->set.want.has |= NETDM_CFG_MODE;
		}
		if (!o->trunc_given && d->set.source != SRC_TRACE && d->set.source != SRC_BPF &&
		    !d->set.passive) {
			d->set.want.trunc = EXPORTER_TRUNC;
			d->set.want.has |= NETDM_CFG_TRUNC;
		}
	}
	if (d->set.passive && (d->set.source == SRC_TRACE || d->set.source == SRC_BPF)) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere: not with --source %s",
			d->set.source == SRC_TRACE ? "trace" : "bpf");
		return DW_EXIT_USAGE;
	}
	if (d->set.journey && d->set.source == SRC_NETDM) {
		err_msg("--journey: journeys come from the tracepoint and eBPF sources only "
			"(--source trace or bpf)");
		return DW_EXIT_USAGE;
	}
	if (d->set.stack && d->set.source == SRC_NETDM) {
		err_msg("--stack: NET_DM sends no call chains (--source trace or bpf, or auto on a "
			"kernel without NET_DM)");
		return DW_EXIT_USAGE;
	}
	if (o->batch && access(o->batch, R_OK)) {
		char safe[256];

		/* Before anything is set up: a script that cannot be read is a usage error. */
		err_msg("--batch: %s: %s", pr_escape(safe, sizeof(safe), o->batch), strerror(errno));
		return DW_EXIT_USAGE;
	}
	if (o->lmethod && !strcmp(o->lmethod, "list")) {
		printf("Available lookup methods:\n"
		       "kas - use /proc/kallsyms\n"
		       "kas:FILE - use a kallsyms snapshot from FILE\n"
		       "none - print raw addresses\n");
		return DW_EXIT_OK;
	}
	return -1;
}

/* The command line into @d's settings and d->opt: -1 to go on, else the exit status. */
int parse_options(struct dw *d, int argc, char **argv)
{
	struct option opts[N_SETTINGS + 1];
	char optstring[2 * N_SETTINGS + 2] = ":", why[600];
	const struct setting *s;
	size_t i = 0;
	int c, idx;

	for (s = settings; s->opt; s++, i++) {
		opts[i] = (struct option){ s->opt, s->arg ? required_argument : no_argument, NULL,
					   256 + (int)i };
		if (s->shortopt) {
			size_t l = strlen(optstring);

			optstring[l] = s->shortopt;
			optstring[l + 1] = s->arg ? ':' : '\0';
			optstring[l + 2] = '\0';
		}
	}
	opts[i] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, optstring, opts, &idx)) != -1) {
		int err;

		if (c < 256) {
			for (s = settings; s->opt && !(s->shortopt && s->shortopt == c); s++)
				;
			if (!s->opt)
				return cli_bad_option(argv, c);
		} else {
			s = &settings[c - 256];
		}
		err = s->apply(d, s, s->arg ? optarg : "on", false, why, sizeof(why));
		if (err == -ENOMEM)
			return DW_EXIT_FAIL;
		if (err) {
			err_msg("--%s: %s", s->opt, why);
			return DW_EXIT_USAGE;
		}
		if (s->flags & SET_STARTS)
			d->opt.one_shot = true;
		if (s->apply == set_alertmode)
			d->opt.mode_given = true;
		if (s->apply == set_trunc)
			d->opt.trunc_given = true;
	}
	if (d->opt.help) {
		usage(stdout);
		return DW_EXIT_OK;
	}
	if (d->opt.version) {
		printf("dropwatch %s\n", PACKAGE_VERSION);
		return DW_EXIT_OK;
	}
	if (optind < argc) {
		char safe[128];

		err_msg("unexpected argument '%s' (try --help)",
			pr_escape(safe, sizeof(safe), argv[optind]));
		return DW_EXIT_USAGE;
	}
	return check_options(d);
}

/* ---- completion ---- */

static void add_words(const char *const *w, const char *prefix, const char *cur,
		      complete_fn add, void *arg)
{
	size_t pl = strlen(prefix), cl = strlen(cur);
	char buf[256];

	for (; *w; w++) {
		snprintf(buf, sizeof(buf), "%s%s", prefix, *w);
		if (!strncmp(buf, cur, cl) && strlen(buf) >= pl)
			add(arg, buf);
	}
}

/*
 * The last element of a comma-separated list is completed; what comes before
 * it (the elements before, and the first @skip bytes: "reason=") is kept.
 */
static void add_list(const char *const *w, const char *cur, size_t skip, complete_fn add,
		     void *arg)
{
	const char *comma = strrchr(cur + skip, ',');
	size_t keep = comma ? (size_t)(comma - cur + 1) : skip;
	char prefix[200];

	snprintf(prefix, sizeof(prefix), "%.*s", (int)keep, cur);
	add_words(w, prefix, cur, add, arg);
}

static void add_reasons(struct dw *d, const char *const *extra, const char *cur, size_t skip,
			complete_fn add, void *arg)
{
	size_t n;
	const char **w = reason_names(d, extra, &n);

	if (!w)
		return;
	add_list(w, cur, skip, add, arg);
	free(w);
}

static void add_devs(const char *cur, size_t skip, complete_fn add, void *arg)
{
	struct if_nameindex *ifs;
	const char *w[256];

	dev_names(&ifs, w, 256);
	add_list(w, cur, skip, add, arg);
	if (ifs)
		if_freenameindex(ifs);
}

/* The values of filter @key: cur's first @skip bytes ("reason=") are kept. */
static void complete_filter(struct dw *d, int key, const char *cur, size_t skip,
			    complete_fn add, void *arg)
{
	static const char *const any[] = { "any", NULL };

	switch (key) {
	case FILTER_REASON:
		add_reasons(d, any, cur, skip, add, arg);
		break;
	case FILTER_DEV:
		add_devs(cur, skip, add, arg);
		break;
	case FILTER_PROTO:
		add_list(proto_words, cur, skip, add, arg);
		break;
	case FILTER_ORIGIN:
		add_list(origin_words, cur, skip, add, arg);
		break;
	default:
		break;
	}
}

/* At the prompt, the value after `set filter KEY`. */
void complete_filter_value(struct dw *d, const char *key, const char *cur, complete_fn add,
			   void *arg)
{
	int k = filter_key_from_str(key);

	if (k >= 0)
		complete_filter(d, k, cur, 0, add, arg);
}

/* The values of setting @s, for the word @cur. */
void complete_value(struct dw *d, const struct setting *s, bool at_prompt, const char *cur,
		    complete_fn add, void *arg)
{
	static const char *const ignore_extra[] = { "harmless", "none", NULL };

	switch (s->values) {
	case V_BOOL:
		add_words(bool_words, "", cur, add, arg);
		break;
	case V_MODE:
		add_words(mode_words, "", cur, add, arg);
		break;
	case V_SOURCE:
		add_words(source_words, "", cur, add, arg);
		break;
	case V_DIR:
		add_words(dir_words, "", cur, add, arg);
		break;
	case V_FORMAT:
		add_words(format_words, "", cur, add, arg);
		break;
	case V_LMETHOD:
		add_words(lmethod_words, "", cur, add, arg);
		break;
	case V_KEYS: {
		/* The key names, NULL-terminated as the word lists are. */
		const char *keys[AGG_FIELDS + 1] = { NULL };

		memcpy(keys, agg_field_names, sizeof(agg_field_names));
		add_list(keys, cur, 0, add, arg);
		break;
	}
	case V_REASONS:
		add_reasons(d, ignore_extra, cur, 0, add, arg);
		break;
	case V_FILTER:
		if (at_prompt) {
			/* The filter keys, and none; NULL-terminated. */
			const char *keys[FILTER_KEYS + 2] = { NULL };

			memcpy(keys, filter_key_names, sizeof(filter_key_names));
			keys[FILTER_KEYS] = "none";
			add_words(keys, "", cur, add, arg);
		} else {
			const char *eq = strchr(cur, '=');
			char key[32];
			int k;

			if (!eq) {
				const char *const *w;

				for (w = filter_key_names; w < filter_key_names + FILTER_KEYS; w++) {
					char buf[40];

					snprintf(buf, sizeof(buf), "%s=", *w);
					if (!strncmp(buf, cur, strlen(cur)))
						add(arg, buf);
				}
				break;
			}
			snprintf(key, sizeof(key), "%.*s", (int)(eq - cur), cur);
			k = filter_key_from_str(key);
			if (k >= 0)
				complete_filter(d, k, cur, (size_t)(eq - cur + 1), add, arg);
		}
		break;
	default:
		break;
	}
}

static void print_word(void *arg, const char *word)
{
	(void)arg;
	printf("%s\n", word);
}

/* The setting of option word @w ("-k", "--key"), or NULL. */
static const struct setting *option_of(const char *w)
{
	const struct setting *s;

	for (s = settings; s->opt; s++)
		if ((w[0] == '-' && w[1] == '-' && !strcmp(w + 2, s->opt)) ||
		    (w[0] == '-' && w[1] && w[1] == s->shortopt && !w[2]))
			return s;
	return NULL;
}

/*
 * dropwatch --complete -- WORDS...: the candidates for the last word (the one
 * being typed, maybe empty), one per line; ":files" when it is a file name.
 * Bash's completion calls it, so that it knows what the table knows.
 */
int complete_cmdline(struct dw *d, int argc, char **argv)
{
	const struct setting *s, *want = NULL;
	const char *cur;
	int i;

	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc < 1)
		return DW_EXIT_USAGE;
	cur = argv[argc - 1];
	for (i = 0; i < argc - 1; i++) {
		s = option_of(argv[i]);
		want = s && s->arg && i == argc - 2 ? s : NULL;
	}
	if (!want && !strncmp(cur, "--", 2) && strchr(cur, '=')) {
		/* --key=lo: the value after the '=' */
		char opt[64];

		snprintf(opt, sizeof(opt), "%.*s", (int)(strchr(cur, '=') - cur), cur);
		want = option_of(opt);
		if (!want || !want->arg)
			return DW_EXIT_OK;
		cur = strchr(cur, '=') + 1;
	}
	if (want) {
		if (want->values == V_FILE)
			printf(":files\n");
		else
			complete_value(d, want, false, cur, print_word, NULL);
		return DW_EXIT_OK;
	}
	if (cur[0] == '-') {
		for (s = settings; s->opt; s++) {
			char buf[64];

			snprintf(buf, sizeof(buf), "--%s", s->opt);
			if (!strncmp(buf, cur, strlen(cur)))
				printf("%s\n", buf);
		}
	}
	return DW_EXIT_OK;
}
