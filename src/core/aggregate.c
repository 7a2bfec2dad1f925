// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "hmap.h"
#include "journey.h"
#include "suggest.h"
#include "print.h"
#include "sbuf.h"
#include "util.h"

/* The keys as typed (-k, set key); "location" is taken for "loc" too. */
const char *const agg_field_names[AGG_FIELDS] = {
	[AGG_LOC] = "loc",
	[AGG_REASON] = "reason",
	[AGG_DEV] = "dev",
	[AGG_ORIGIN] = "origin",
	[AGG_PROTO] = "proto",
	[AGG_SRC] = "src",
	[AGG_DST] = "dst",
	[AGG_SPORT] = "sport",
	[AGG_DPORT] = "dport",
	[AGG_STACK] = "stack",
	[AGG_NETNS] = "netns",
	[AGG_CONTAINER] = "container",
	[AGG_EVENT] = "event",
	[AGG_CAUSE] = "cause",
	[AGG_STATE] = "state",
	[AGG_CONN] = "conn",
	[AGG_RULE] = "rule",
	[AGG_CT] = "ct",
};

/* The fields' names in kv and JSON: those of the drop records. */
const char *const agg_output_names[AGG_FIELDS] = {
	"location", "reason", "dev", "origin", "proto", "src", "dst", "sport", "dport", "stack",
	"netns", "container", "event", "cause", "sock_state", "conn", "rule", "ct_state",
};

int agg_spec_parse(struct agg_spec *spec, const char *list, char *err, size_t errlen)
{
	struct agg_spec s = { 0 };
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int k;

		for (k = 0; k < AGG_FIELDS; k++)
			if ((strlen(agg_field_names[k]) == len && !strncmp(p, agg_field_names[k], len)) ||
			    (strlen(agg_output_names[k]) == len && !strncmp(p, agg_output_names[k], len)))
				break;
		if (k == AGG_FIELDS || !len) {
			char raw[33], word[140];
			const char *hint;

			snprintf(raw, sizeof(raw), "%.*s", (int)(len > 32 ? 32 : len), p);
			pr_escape(word, sizeof(word), raw);
			hint = suggest(word, agg_field_names, AGG_FIELDS);
			if (hint)
				snprintf(err, errlen, "'%s' is not a key: did you mean '%s'?", word, hint);
			else
				snprintf(err, errlen, "'%s' is not a key (loc, reason, dev, origin, proto, "
					 "src, dst, sport, dport, stack, netns, container, event, "
					 "cause, state, conn)", word);
			return -EINVAL;
		}
		if (s.n == AGG_MAX_KEYS) {
			snprintf(err, errlen, "at most %d keys", AGG_MAX_KEYS);
			return -EINVAL;
		}
		s.field[s.n++] = k;
		p += len;
		if (*p == ',' && !*++p) {
			snprintf(err, errlen, "a key list does not end with a comma");
			return -EINVAL;
		}
	}
	if (!s.n) {
		snprintf(err, errlen, "no keys given");
		return -EINVAL;
	}
	*spec = s;
	return 0;
}

bool agg_spec_has(const struct agg_spec *spec, enum agg_field f)
{
	unsigned int i;

	for (i = 0; i < spec->n; i++)
		if (spec->field[i] == f)
			return true;
	return false;
}

int agg_spec_packet_field(const struct agg_spec *spec)
{
	for (size_t i = 0; i < spec->n; i++)
		switch (spec->field[i]) {
		case AGG_PROTO:
		case AGG_SRC:
		case AGG_DST:
		case AGG_SPORT:
		case AGG_DPORT:
			return (int)spec->field[i];
		default:
			break;
		}
	return -1;
}

int agg_spec_check_caps(const struct agg_spec *spec, unsigned int caps, const char *source,
			char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < spec->n; i++) {
		enum agg_field f = spec->field[i];
		const char *need = NULL;

		if (f == AGG_DEV && !(caps & SRC_CAP_IFINDEX))
			need = "the input interface: NET_DM packet mode provides it";
		else if ((f == AGG_SRC || f == AGG_DST || f == AGG_SPORT || f == AGG_DPORT) &&
			 !(caps & SRC_CAP_PACKET))
			need = "the packet: NET_DM packet mode provides it";
		else if (f == AGG_STACK && !(caps & SRC_CAP_STACK))
			need = "the call chain: the tracepoint source provides it (--source trace -g)";
		else if ((f == AGG_STATE || f == AGG_CONN) && !(caps & (SRC_CAP_SOCK | SRC_CAP_TCP)))
			need = "the socket: the eBPF source reads it, and TCP's events carry it "
			       "(-m tcp)";
		else if (f == AGG_RULE && !(caps & SRC_CAP_PACKET))
			need = "the packet, to join it with the rule that dropped it: NET_DM's and "
			       "the eBPF source's packet mode provide it (with --rules)";
		else if (f == AGG_CT && !(caps & SRC_CAP_CT))
			need = "the connection's conntrack state: the eBPF source reads it";
		else if ((f == AGG_NETNS || f == AGG_CONTAINER) && !(caps & SRC_CAP_NETNS))
			need = "the network namespace: NET_DM packet mode on this machine gives the "
			       "evidence for it";
		if (need) {
			snprintf(err, errlen, "key %s needs %s; %s does not carry it",
				 agg_field_names[f], need, source);
			return -EINVAL;
		}
	}
	return 0;
}

const char *agg_spec_str(const struct agg_spec *spec, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < spec->n && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i ? "," : "", agg_field_names[spec->field[i]]);
	return buf;
}

struct entry {
	char *key;		/* the values joined by \x1f */
	struct agg_row row;
};

struct agg {
	struct agg_spec spec;
	struct hmap rows;	/* struct entry, by key */
	uint64_t total;
	struct agg_row *sorted;
	size_t sorted_n;
	bool sorted_valid;
	/* The row the last drop went to, and its key's length (NULL: none). */
	struct entry *last;
	size_t last_len;
};

struct agg *agg_new(const struct agg_spec *spec)
{
	struct agg *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->spec = *spec;
	hmap_init(&a->rows, sizeof(struct entry), 0);	/* allocates at the first row */
	return a;
}

void agg_reset(struct agg *a)
{
	struct entry *e;

	for (e = hmap_next(&a->rows, NULL); e; e = hmap_next(&a->rows, e)) {
		free(e->key);
		free(e->row.lived);
	}
	hmap_fini(&a->rows);
	free(a->sorted);
	a->sorted = NULL;
	a->sorted_n = 0;
	a->total = 0;
	a->sorted_valid = false;
	a->last = NULL;
}

void agg_free(struct agg *a)
{
	if (!a)
		return;
	agg_reset(a);
	free(a);
}

static const char *field_value(struct drop_record *r, enum agg_field f)
{
	switch (f) {
	case AGG_LOC:
		return r->location;
	case AGG_REASON:
		return r->reason ? r->reason : "";
	case AGG_DEV:
		return r->dev ? r->dev : "";
	case AGG_ORIGIN:
		return r->origin;
	case AGG_PROTO:
		return r->proto ? r->proto : "";
	case AGG_SRC:
		return r->has_pkt ? r->pkt.src : "";
	case AGG_DST:
		return r->has_pkt ? r->pkt.dst : "";
	case AGG_SPORT:
		return r->sport;
	case AGG_DPORT:
		return r->dport;
	case AGG_STACK:
		return record_stack(r);
	case AGG_NETNS:
		return r->netns_key ? r->netns_key : "";
	case AGG_CONTAINER:
		return r->container ? r->container : "";
	case AGG_EVENT:
		return r->event;
	case AGG_CAUSE:
		return r->cause;
	case AGG_STATE:
		return r->has_sock && r->sock_state ? r->sock_state : "";
	case AGG_CONN:
		return record_conn(r);
	case AGG_CT:
		return r->ct_state ? r->ct_state : "";
	case AGG_RULE:
		return r->rule_key ? r->rule_key : r->rule_by ? r->rule_by : "";
	default:
		return "";
	}
}

static bool same_key(const void *entry, const void *key)
{
	return !strcmp(((const struct entry *)entry)->key, key);
}

int agg_add(struct agg *a, struct drop_record *r, uint64_t count)
{
	char key[2048];
	struct entry *e;
	struct sbuf b;
	unsigned int i;
	bool created;
	size_t n;

	sb_init(&b, key, sizeof(key));
	for (i = 0; i < a->spec.n; i++) {
		if (i)
			sb_putc(&b, '\x1f');
		sb_puts(&b, field_value(r, a->spec.field[i]));
	}
	n = b.n;
	/* Drops come in runs from one place: the last row is tried first. */
	if (a->last && a->last_len == n && !memcmp(a->last->key, key, n)) {
		e = a->last;
		goto count;
	}
	e = hmap_get(&a->rows, util_hash(key, n), same_key, key, &created);
	if (!e)
		return -ENOMEM;
	if (created) {
		/* The key, then a copy split at the separators that the row's values point into. */
		char *k = malloc(2 * (n + 1)), *p;

		if (!k) {
			hmap_del(&a->rows, e);
			a->last = NULL;	/* the table moved */
			return -ENOMEM;
		}
		memcpy(k, key, n);
		k[n] = '\0';
		p = k + n + 1;
		memcpy(p, key, n + 1);
		p[n] = '\0';
		e->key = k;
		for (i = 0; i < a->spec.n; i++) {
			e->row.value[i] = p;
			p += strcspn(p, "\x1f");
			if (*p)
				*p++ = '\0';
		}
	}
	a->last = e;	/* valid until the next row is added: the table may grow then */
	a->last_len = n;
count:
	if (r->has_lived) {
		struct agg_row *row = &e->row;

		if (!row->lived && !(row->lived = calloc(1, sizeof(*row->lived))))
			return -ENOMEM;
		jhist_add(row->lived, r->lived_ns);
	}
	e->row.count += count;
	a->total += count;
	a->sorted_valid = false;
	return 0;
}

uint64_t agg_total(const struct agg *a)
{
	return a->total;
}

size_t agg_rows(const struct agg *a)
{
	return hmap_count(&a->rows);
}

static int by_count(const void *x, const void *y)
{
	const struct agg_row *a = x, *b = y;
	unsigned int i;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	for (i = 0; i < AGG_MAX_KEYS && a->value[i] && b->value[i]; i++) {
		int c = strcmp(a->value[i], b->value[i]);

		if (c)
			return c;
	}
	return 0;
}

const struct agg_row *agg_sorted(struct agg *a, size_t *n)
{
	size_t k = 0, used = hmap_count(&a->rows);
	const struct entry *e;

	if (!a->sorted_valid) {
		struct agg_row *rows = realloc(a->sorted, (used ? used : 1) * sizeof(*rows));

		if (!rows) {
			*n = 0;
			return NULL;
		}
		a->sorted = rows;
		for (e = hmap_next(&a->rows, NULL); e; e = hmap_next(&a->rows, e))
			rows[k++] = e->row;
		qsort(rows, k, sizeof(*rows), by_count);
		a->sorted_n = k;
		a->sorted_valid = true;
	}
	*n = a->sorted_n;
	return a->sorted;
}

const struct agg_spec *agg_get_spec(const struct agg *a)
{
	return &a->spec;
}
