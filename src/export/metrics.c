// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The drop counters of the exporter and their exposition. A drop's labels are
 * joined into a key and looked up in a hash table of series; a series is made
 * once, with its label text rendered then, so an exposition only copies text.
 *
 * The optional labels (device, location, netns, container) show the @top values with the most
 * drops: every value seen is counted (up to METRICS_MAX_VALUES of them), and
 * metrics_rank() picks the top ones again before each exposition. A drop
 * whose value is not among them is counted under METRICS_OTHER, and in a
 * counter of folded drops. A series is never removed and only grows: one
 * whose value falls out of the top is left out of the exposition (Prometheus
 * marks it stale), and goes on from the same count if the value comes back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hmap.h"
#include "metrics.h"
#include "util.h"

#define KEY_MAX 1024

/* The optional labels, in the order of METRICS_* bits. */
enum { OPT_DEV, OPT_LOC, OPT_NETNS, OPT_CONTAINER, OPT_RULE, OPT_N };
static const char *const opt_names[OPT_N] = { "device", "location", "netns", "container", "rule" };

/* A value of an optional label, and its drops so far: its rank. */
struct value {
	bool shown;		/* among the top: its series are exposed */
	uint64_t total;
	char *v;
};

struct series {
	uint32_t hash;		/* of key */
	uint64_t count;
	const struct value *opt[OPT_N];	/* its optional values (NULL: none, or "(other)") */
	char *key;		/* the label values joined by '\x1f' */
	char *labels;		/* name="value",... as exposed */
};

/* The values an optional label has seen. */
struct kept {
	struct hmap values;	/* struct value *, by value */
	struct value **all;	/* for ranking */
	size_t n, cap;
	uint32_t shown;
	uint64_t folded;	/* drops counted under METRICS_OTHER */
};

/* TCP's events by a bounded label value (-m tcp): the first ones seen, then (other). */
#define TCP_VALUES 64
struct tcp_count {
	char *value;		/* NULL: the slot is free */
	uint64_t count;
};

struct metrics {
	unsigned int labels;
	struct tcp_count retrans[TCP_VALUES + 1];	/* by result; the last: (other) */
	struct tcp_count rst_sent[TCP_VALUES + 1];	/* by reason ("" without one) */
	uint64_t rst_received;
	uint32_t top;
	struct hmap series;	/* struct series *, by key */
	struct series *last;	/* most drops repeat the one before */
	struct kept opt[OPT_N];
	uint64_t overflow;	/* drops of label sets past METRICS_MAX_SERIES */
	struct metrics_own own;
	char *info_source, *info_kernel, *info_reasons, *info_mode;
	bool active;
	uint64_t starts, start_failures;
};

struct metrics *metrics_new(unsigned int labels, uint32_t top)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->labels = labels;
	m->top = top ? top : METRICS_DEFAULT_TOP;
	/* Sized as they fill: nothing is allocated now. */
	hmap_init(&m->series, sizeof(struct series *), 0);
	for (int i = 0; i < OPT_N; i++)
		hmap_init(&m->opt[i].values, sizeof(struct value *), 0);
	return m;
}

static void kept_free(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->all[i]->v);
		free(k->all[i]);
	}
	free(k->all);
	hmap_fini(&k->values);
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (struct series **e = hmap_next(&m->series, NULL); e; e = hmap_next(&m->series, e)) {
		free((*e)->key);
		free((*e)->labels);
		free(*e);
	}
	hmap_fini(&m->series);
	for (int i = 0; i < OPT_N; i++)
		kept_free(&m->opt[i]);
	for (size_t i = 0; i < TCP_VALUES; i++) {
		free(m->retrans[i].value);
		free(m->rst_sent[i].value);
	}
	free(m->info_source);
	free(m->info_kernel);
	free(m->info_reasons);
	free(m->info_mode);
	free(m);
}

int metrics_parse_labels(const char *list, unsigned int *labels, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL, *w;
	unsigned int bits = 0;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "device") || !strcmp(w, "dev")) {
			bits |= METRICS_DEVICE;
		} else if (!strcmp(w, "location") || !strcmp(w, "loc")) {
			bits |= METRICS_LOCATION;
		} else if (!strcmp(w, "netns")) {
			bits |= METRICS_NETNS;
		} else if (!strcmp(w, "container")) {
			bits |= METRICS_CONTAINER;
		} else if (!strcmp(w, "rule")) {
			bits |= METRICS_RULE;
		} else if (strcmp(w, "none")) {
			snprintf(err, errlen, "'%.40s' is not a label: device, location, netns, container, "
				 "rule or none", w);
			ret = -EINVAL;
			break;
		}
	}
	free(copy);
	if (!ret)
		*labels = bits;
	return ret;
}

/* name="value" with Prometheus' escapes (and no control character), after a comma. */
static void put_label(FILE *f, bool *first, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, "%s%s=\"", *first ? "" : ",", name);
	*first = false;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', f);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The label values of a drop, in key order. */
enum { L_ORIGIN, L_REASON, L_GROUP, L_TRAP, L_OPT, L_N = L_OPT + OPT_N };
static const char *const label_names[L_N] = {
	"origin", "reason", "trap_group", "trap", "device", "location", "netns", "container", "rule",
};

static size_t make_key(char *key, const char *const *v)
{
	size_t n = 0;

	for (int i = 0; i < L_N; i++) {
		size_t len = v[i] ? strlen(v[i]) : 0;

		if (len > KEY_MAX / L_N - 2)
			len = KEY_MAX / L_N - 2;
		memcpy(key + n, v[i] ? v[i] : "", len);
		n += len;
		key[n++] = '\x1f';
	}
	key[n] = '\0';
	return n;
}

static bool same_series(const void *entry, const void *key)
{
	return !strcmp((*(struct series *const *)entry)->key, key);
}

static struct series *lookup(struct metrics *m, const char *key, uint32_t h)
{
	struct series **e = hmap_find(&m->series, h, same_series, key);

	return e ? *e : NULL;
}

static struct series *add_series(struct metrics *m, const char *key, uint32_t h,
				 const char *const *v)
{
	struct series *s, **at;
	size_t len = 0;
	bool first = true, created;
	FILE *f;

	if (hmap_count(&m->series) >= METRICS_MAX_SERIES)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->key = strdup(key);
	f = open_memstream(&s->labels, &len);
	if (!s->key || !f) {
		if (f)
			fclose(f);
		free(s->key);
		free(s);
		return NULL;
	}
	for (int i = 0; i < L_N; i++)
		put_label(f, &first, label_names[i], v[i]);
	if (fclose(f)) {
		free(s->key);
		free(s->labels);
		free(s);
		return NULL;
	}
	at = hmap_get(&m->series, h, same_series, key, &created);
	if (!at) {
		free(s->key);
		free(s->labels);
		free(s);
		return NULL;
	}
	s->hash = h;
	*at = s;
	return s;
}

/* The entry of value @v, made when new (NULL past METRICS_MAX_VALUES, or without memory). */
static bool same_value(const void *entry, const void *key)
{
	return !strcmp((*(struct value *const *)entry)->v, key);
}

static struct value *value_of(struct kept *k, const char *v)
{
	uint32_t h = util_hash(v, strlen(v));
	struct value *e, **at = hmap_find(&k->values, h, same_value, v);
	bool created;

	if (at)
		return *at;
	if (k->n >= METRICS_MAX_VALUES || util_grow(&k->all, &k->cap, k->n + 1, sizeof(*k->all), 64))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->v = strdup(v)) || !(at = hmap_get(&k->values, h, same_value, v, &created))) {
		if (e)
			free(e->v);
		free(e);
		return NULL;
	}
	*at = e;
	k->all[k->n++] = e;
	return e;
}

/*
 * @count drops with value *@v: its entry, shown when there is room among the
 * top; else *@v becomes METRICS_OTHER (the drops counted folded) and NULL.
 */
static const struct value *keep(struct kept *k, uint32_t top, const char **v, uint64_t count)
{
	struct value *e;

	if (!*v || !**v)
		return NULL;
	e = value_of(k, *v);
	if (e) {
		e->total += count;
		if (!e->shown && k->shown < top) {
			e->shown = true;
			k->shown++;
		}
		if (e->shown)
			return e;
	}
	k->folded += count;
	*v = METRICS_OTHER;
	return NULL;
}

static int by_total(const void *a, const void *b)
{
	const struct value *x = *(const struct value *const *)a;
	const struct value *y = *(const struct value *const *)b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->shown != y->shown)
		return x->shown ? -1 : 1;	/* a tie keeps its place */
	return strcmp(x->v, y->v);		/* and the same order at each scrape */
}

static void rank(struct kept *k, uint32_t top)
{
	if (k->n <= top)
		return;		/* all shown already */
	qsort(k->all, k->n, sizeof(*k->all), by_total);
	for (size_t i = 0; i < k->n; i++)
		k->all[i]->shown = i < top;
	k->shown = top;
}

void metrics_rank(struct metrics *m)
{
	for (int i = 0; i < OPT_N; i++)
		rank(&m->opt[i], m->top);
	m->last = NULL;		/* its values may have left the top */
}

/* @count under @value in @t; 0 or -ENOMEM (counted as (other) then). */
static int tcp_add(struct tcp_count *t, const char *value, uint64_t count)
{
	size_t i;

	for (i = 0; i < TCP_VALUES && t[i].value; i++)
		if (!strcmp(t[i].value, value))
			break;
	if (i < TCP_VALUES && !t[i].value && !(t[i].value = strdup(value))) {
		t[TCP_VALUES].count += count;
		return -ENOMEM;
	}
	t[i].count += count;
	return 0;
}

static int tcp_count(struct metrics *m, const struct drop_record *r, uint64_t count)
{
	switch (r->ev->kind) {
	case DROP_KIND_RETRANSMIT:
		return r->result ? tcp_add(m->retrans, r->result, count) : 0;
	case DROP_KIND_RESET_SENT:
		return tcp_add(m->rst_sent, r->reason ? r->reason : "", count);
	case DROP_KIND_RESET_RECEIVED:
		m->rst_received += count;
		return 0;
	default:
		return 0;
	}
}

int metrics_count(struct metrics *m, const struct drop_record *r, uint64_t count)
{
	const char *v[L_N] = {
		r->origin, r->reason, r->trap_group, r->trap,
		r->dev,
		r->loc ? (r->loc->known ? r->loc->name : r->loc->text) : r->location,
		r->netns_key,
		r->container,
		r->rule_key,
	};
	const struct value *opt[OPT_N] = { NULL };
	char key[KEY_MAX + L_N + 1];
	struct series *s;
	size_t n;
	uint32_t h;

	if (r->ev && r->ev->kind != DROP_KIND_DROP)
		return tcp_count(m, r, count);
	for (int i = 0; i < OPT_N; i++) {
		if (m->labels & (1u << i))
			opt[i] = keep(&m->opt[i], m->top, &v[L_OPT + i], count);
		else
			v[L_OPT + i] = NULL;
	}
	n = make_key(key, v);
	h = util_hash(key, n);
	if (m->last && m->last->hash == h && !strcmp(m->last->key, key)) {
		m->last->count += count;
		return 0;
	}
	s = lookup(m, key, h);
	if (!s) {
		s = add_series(m, key, h, v);
		if (!s) {
			m->overflow += count;
			return hmap_count(&m->series) >= METRICS_MAX_SERIES ? 0 : -ENOMEM;
		}
		memcpy(s->opt, opt, sizeof(opt));
	}
	s->count += count;
	m->last = s;
	return 0;
}

void metrics_set_own(struct metrics *m, const struct metrics_own *own)
{
	m->own = *own;
}

static void set_str(char **dst, const char *v)
{
	char *copy = strdup(v ? v : "");

	if (copy) {
		free(*dst);
		*dst = copy;
	}
}

void metrics_set_info(struct metrics *m, const struct metrics_info *info)
{
	set_str(&m->info_source, info->source);
	set_str(&m->info_kernel, info->kernel);
	set_str(&m->info_reasons, info->reasons);
	set_str(&m->info_mode, info->mode);
}

void metrics_set_active(struct metrics *m, bool active)
{
	m->active = active;
}

void metrics_add_start(struct metrics *m, bool ok)
{
	if (ok)
		m->starts++;
	else
		m->start_failures++;
}

/* # HELP and # TYPE of a family; OpenMetrics names a counter's family without _total. */
static void family(FILE *f, bool om, const char *name, const char *type, const char *help)
{
	size_t len = strlen(name);

	if (om && !strcmp(type, "counter") && len > 6 && !strcmp(name + len - 6, "_total"))
		len -= 6;
	else if (om && !strcmp(type, "info") && len > 5 && !strcmp(name + len - 5, "_info"))
		len -= 5;
	if (!om && !strcmp(type, "info"))
		type = "gauge";
	fprintf(f, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)len, name, help, (int)len, name, type);
}

static void sample(FILE *f, const char *name, const char *labels, uint64_t v)
{
	if (labels && *labels)
		fprintf(f, "%s{%s} %" PRIu64 "\n", name, labels, v);
	else
		fprintf(f, "%s %" PRIu64 "\n", name, v);
}

static int by_labels(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;

	return strcmp(x->labels, y->labels);
}

/* The values of @t that counted, then (other): "name{direction="D",label="V"} N". */
static void tcp_samples(FILE *f, const char *name, const char *direction, const char *label,
			const struct tcp_count *t)
{
	for (size_t i = 0; i <= TCP_VALUES; i++) {
		bool first = true;

		if (!t[i].count)
			continue;
		fprintf(f, "%s{", name);
		put_label(f, &first, "direction", direction);
		put_label(f, &first, label, i == TCP_VALUES ? METRICS_OTHER : t[i].value);
		fprintf(f, "} %" PRIu64 "\n", t[i].count);
	}
}

static void folded(FILE *f, const char *label, uint64_t v)
{
	fprintf(f, "dropwatch_folded_drops_total{label=\"%s\"} %" PRIu64 "\n", label, v);
}

/* Whether every optional value of @s is among its label's top ones. */
static bool shown(const struct series *s)
{
	for (int i = 0; i < OPT_N; i++)
		if (s->opt[i] && !s->opt[i]->shown)
			return false;
	return true;
}

int metrics_render(const struct metrics *m, FILE *f, bool om)
{
	size_t count = hmap_count(&m->series), n = 0;
	struct series **all = count ? calloc(count, sizeof(*all)) : NULL;
	bool first = true;

	if (count && !all)
		return -ENOMEM;
	for (struct series *const *e = hmap_next(&m->series, NULL); e;
	     e = hmap_next(&m->series, e))
		if (shown(*e))
			all[n++] = *e;
	if (n)
		qsort(all, n, sizeof(*all), by_labels);

	family(f, om, "dropwatch_drops_total", "counter",
	       "Packets the kernel dropped: software drops by reason, hardware drops by trap.");
	for (size_t i = 0; i < n; i++)
		sample(f, "dropwatch_drops_total", all[i]->labels, all[i]->count);
	free(all);
	family(f, om, "dropwatch_folded_drops_total", "counter",
	       "Drops counted under the label value " METRICS_OTHER
	       " because their value was not among the label's top ones.");
	for (int i = 0; i < OPT_N; i++)
		if (m->labels & (1u << i))
			folded(f, opt_names[i], m->opt[i].folded);
	folded(f, "series", m->overflow);
	family(f, om, "dropwatch_tcp_retransmits_total", "counter",
	       "TCP retransmits (-m tcp) by result: ok, or the error (EHOSTUNREACH...); before "
	       "Linux 6.17 the kernel reports those sent only.");
	tcp_samples(f, "dropwatch_tcp_retransmits_total", NULL, "result", m->retrans);
	family(f, om, "dropwatch_tcp_resets_total", "counter",
	       "TCP resets (-m tcp) sent, by reason (Linux 6.10 on), and received.");
	tcp_samples(f, "dropwatch_tcp_resets_total", "sent", "reason", m->rst_sent);
	if (m->rst_received)
		sample(f, "dropwatch_tcp_resets_total", "direction=\"received\"", m->rst_received);
	family(f, om, "dropwatch_filtered_drops_total", "counter",
	       "Drops left out by the filters and the ignore list.");
	sample(f, "dropwatch_filtered_drops_total", NULL, m->own.filtered);
	family(f, om, "dropwatch_kernel_queue_drops_total", "counter",
	       "Drops NET_DM's alert queue was too full to report (its tail drops).");
	sample(f, "dropwatch_kernel_queue_drops_total", "origin=\"software\"", m->own.queue_sw);
	sample(f, "dropwatch_kernel_queue_drops_total", "origin=\"hardware\"", m->own.queue_hw);
	family(f, om, "dropwatch_socket_overruns_total", "counter",
	       "NET_DM alerts lost because our socket's receive buffer was full.");
	sample(f, "dropwatch_socket_overruns_total", NULL, m->own.overruns);
	family(f, om, "dropwatch_ring_lost_drops_total", "counter",
	       "Drops the tracepoint or eBPF source lost in full ring buffers (or full count maps).");
	sample(f, "dropwatch_ring_lost_drops_total", NULL, m->own.ring_lost);
	family(f, om, "dropwatch_malformed_messages_total", "counter",
	       "NET_DM messages or tracepoint records that could not be decoded.");
	sample(f, "dropwatch_malformed_messages_total", NULL, m->own.malformed);
	family(f, om, "dropwatch_monitor_starts_total", "counter",
	       "Times monitoring started.");
	sample(f, "dropwatch_monitor_starts_total", NULL, m->starts);
	family(f, om, "dropwatch_monitor_start_failures_total", "counter",
	       "Times monitoring could not start (retried with backoff).");
	sample(f, "dropwatch_monitor_start_failures_total", NULL, m->start_failures);
	family(f, om, "dropwatch_monitor_active", "gauge",
	       "1 while drops are being monitored, else 0.");
	sample(f, "dropwatch_monitor_active", NULL, m->active);
	family(f, om, "dropwatch_info", "info",
	       "The source of drops, the kernel, where reason names came from, the alert mode.");
	fputs("dropwatch_info{", f);
	put_label(f, &first, "source", m->info_source && *m->info_source ? m->info_source : "none");
	put_label(f, &first, "kernel", m->info_kernel);
	put_label(f, &first, "reasons", m->info_reasons);
	put_label(f, &first, "mode", m->info_mode);
	fputs("} 1\n", f);
	family(f, om, "dropwatch_build_info", "info", "dropwatch's version.");
	fputs("dropwatch_build_info{version=\"" PACKAGE_VERSION "\"} 1\n", f);
	if (om)
		fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}

char *metrics_render_buf(const struct metrics *m, bool om, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (metrics_render(m, f, om)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int metrics_write_file(const struct metrics *m, const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp = malloc(dlen + strlen(slash ? slash + 1 : path) + 16);
	int fd, ret = 0;
	FILE *f;

	if (!tmp)
		return -ENOMEM;
	/* ".NAME.XXXXXX": node_exporter's textfile collector reads only *.prom. */
	sprintf(tmp, "%.*s.%s.XXXXXX", (int)dlen, path, slash ? slash + 1 : path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create a file beside %s: %s", path, strerror(errno));
		free(tmp);
		return ret;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
	} else {
		/* Read by node_exporter, which runs as another user; nothing secret in it. */
		if (fchmod(fd, 0644) < 0)
			ret = -errno;
		if (!ret)
			ret = metrics_render(m, f, false);
		if (fclose(f) && !ret)
			ret = -errno;
	}
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}
