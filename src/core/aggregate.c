// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "aggregate.h"
#include "sbuf.h"

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
};

/* Column titles, and the JSON member names (those of the drop objects). */
static const char *const titles[AGG_FIELDS] = {
	"location", "reason", "interface", "origin", "protocol", "source", "destination",
	"sport", "dport", "call chain",
};
static const char *const json_names[AGG_FIELDS] = {
	"location", "reason", "ifname", "origin", "proto", "src", "dst", "sport", "dport", "stack",
};

int agg_spec_parse(struct agg_spec *spec, const char *list, char *err, size_t errlen)
{
	struct agg_spec s = { 0 };
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int k;

		for (k = 0; k < AGG_FIELDS; k++)
			if (strlen(agg_field_names[k]) == len && !strncmp(p, agg_field_names[k], len))
				break;
		if (k == AGG_FIELDS || !len) {
			snprintf(err, errlen, "'%.*s' is not a key (loc, reason, dev, origin, proto, "
				 "src, dst, sport, dport, stack)", (int)(len > 32 ? 32 : len), p);
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
	uint32_t hash;
};

struct agg {
	struct agg_spec spec;
	struct entry *slot;	/* open addressing, power of two */
	size_t cap, used;
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
	return a;
}

void agg_reset(struct agg *a)
{
	size_t i;

	for (i = 0; i < a->cap; i++)
		free(a->slot[i].key);
	free(a->slot);
	free(a->sorted);
	a->slot = NULL;
	a->sorted = NULL;
	a->cap = a->used = a->sorted_n = 0;
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

static const char *field_value(const struct drop_view *v, enum agg_field f)
{
	switch (f) {
	case AGG_LOC:
		return v->location;
	case AGG_REASON:
		return v->reason ? v->reason : "";
	case AGG_DEV:
		return v->dev ? v->dev : "";
	case AGG_ORIGIN:
		return v->ev->origin == DROP_ORIGIN_HW ? "hw" : "sw";
	case AGG_PROTO:
		return v->proto ? v->proto : "";
	case AGG_SRC:
		return v->src;
	case AGG_DST:
		return v->dst;
	case AGG_SPORT:
		return v->sport;
	case AGG_DPORT:
		return v->dport;
	case AGG_STACK:
		return v->stack;
	default:
		return "";
	}
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int grow(struct agg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 64, i;
	struct entry *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (i = 0; i < a->cap; i++) {
		size_t j;

		if (!a->slot[i].key)
			continue;
		for (j = a->slot[i].hash & (cap - 1); slot[j].key; j = (j + 1) & (cap - 1))
			;
		slot[j] = a->slot[i];
	}
	free(a->slot);
	a->slot = slot;
	a->cap = cap;
	a->last = NULL;
	return 0;
}

int agg_add(struct agg *a, const struct drop_view *v, uint64_t count)
{
	char key[2048];
	struct sbuf b;
	size_t n, j;
	unsigned int i;
	uint32_t h;

	sb_init(&b, key, sizeof(key));
	for (i = 0; i < a->spec.n; i++) {
		if (i)
			sb_putc(&b, '\x1f');
		sb_puts(&b, field_value(v, a->spec.field[i]));
	}
	n = b.n;
	/* Drops come in runs from one place: the last row is tried first. */
	if (a->last && a->last_len == n && !memcmp(a->last->key, key, n)) {
		j = (size_t)(a->last - a->slot);
		goto count;
	}
	h = hash(key);
	if ((a->used + 1) * 4 > a->cap * 3 && grow(a))
		return -ENOMEM;
	for (j = h & (a->cap - 1); a->slot[j].key; j = (j + 1) & (a->cap - 1))
		if (a->slot[j].hash == h && !strcmp(a->slot[j].key, key))
			break;
	if (!a->slot[j].key) {
		/* The key, then a copy split at the separators that the row's values point into. */
		char *k = malloc(2 * (n + 1)), *p;

		if (!k)
			return -ENOMEM;
		memcpy(k, key, n);
		k[n] = '\0';
		p = k + n + 1;
		memcpy(p, key, n + 1);
		p[n] = '\0';
		a->slot[j].key = k;
		a->slot[j].hash = h;
		for (i = 0; i < a->spec.n; i++) {
			a->slot[j].row.value[i] = p;
			p += strcspn(p, "\x1f");
			if (*p)
				*p++ = '\0';
		}
		a->used++;
	}
	a->last = &a->slot[j];
	a->last_len = n;
count:
	a->slot[j].row.count += count;
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
	return a->used;
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
	size_t i, k = 0;

	if (!a->sorted_valid) {
		struct agg_row *rows = realloc(a->sorted, (a->used ? a->used : 1) * sizeof(*rows));

		if (!rows) {
			*n = 0;
			return NULL;
		}
		a->sorted = rows;
		for (i = 0; i < a->cap; i++)
			if (a->slot[i].key)
				rows[k++] = a->slot[i].row;
		qsort(rows, k, sizeof(*rows), by_count);
		a->sorted_n = k;
		a->sorted_valid = true;
	}
	*n = a->sorted_n;
	return a->sorted;
}

static double share(uint64_t count, uint64_t total)
{
	return total ? 100.0 * (double)count / (double)total : 0.0;
}

static double rate(uint64_t count, double elapsed)
{
	return elapsed > 0 ? (double)count / elapsed : 0.0;
}

static void print_text(struct agg *a, const struct agg_row *rows, size_t n,
		       const struct agg_extra *x, FILE *f)
{
	size_t width[AGG_MAX_KEYS], i;
	unsigned int k;

	fprintf(f, "Drops by");
	for (k = 0; k < a->spec.n; k++)
		fprintf(f, "%s%s", k ? (k + 1 == a->spec.n ? " and " : ", ") : " ",
			titles[a->spec.field[k]]);
	fprintf(f, " over %.*f s: %" PRIu64 " drops", x->elapsed < 10 ? 2 : 0, x->elapsed, a->total);
	fprintf(f, ", %" PRIu64 " hidden by filters, %" PRIu64 " of ignored reasons, %" PRIu64
		" receive overruns\n", x->hidden, x->ignored, x->lost);
	if (!n)
		return;
	for (k = 0; k < a->spec.n; k++) {
		width[k] = strlen(titles[a->spec.field[k]]);
		for (i = 0; i < n; i++)
			if (strlen(rows[i].value[k]) > width[k])
				width[k] = strlen(rows[i].value[k]);
		if (width[k] > 60)
			width[k] = 60;
	}
	fprintf(f, "  %10s %7s %10s", "count", "share", "rate/s");
	for (k = 0; k < a->spec.n; k++)
		fprintf(f, "  %-*s", k + 1 < a->spec.n ? (int)width[k] : 0, titles[a->spec.field[k]]);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "  %10" PRIu64 " %6.1f%% %10.1f", rows[i].count,
			share(rows[i].count, a->total), rate(rows[i].count, x->elapsed));
		for (k = 0; k < a->spec.n; k++)
			fprintf(f, "  %-*s", k + 1 < a->spec.n ? (int)width[k] : 0,
				rows[i].value[k][0] ? rows[i].value[k] : "-");
		fputc('\n', f);
	}
	if (n < a->used)
		fprintf(f, "  (%zu more rows)\n", a->used - n);
}

static void print_kv(struct agg *a, const struct agg_row *rows, size_t n,
		     const struct agg_extra *x, FILE *f)
{
	size_t i;
	unsigned int k;

	fprintf(f, "table=summary elapsed=%.3f total=%" PRIu64 " hidden=%" PRIu64 " ignored=%"
		PRIu64 " lost=%" PRIu64 " rows=%zu\n", x->elapsed, a->total, x->hidden, x->ignored,
		x->lost, a->used);
	for (i = 0; i < n; i++) {
		fprintf(f, "table=row count=%" PRIu64 " share=%.1f rate=%.1f", rows[i].count,
			share(rows[i].count, a->total), rate(rows[i].count, x->elapsed));
		for (k = 0; k < a->spec.n; k++)
			if (rows[i].value[k][0])
				fprintf(f, " %s=%s", agg_field_names[a->spec.field[k]], rows[i].value[k]);
		fputc('\n', f);
	}
}

/* A number with three decimals, as printed (stable across libraries and runs). */
static json_object *fixed3(double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

static void print_json(struct agg *a, const struct agg_row *rows, size_t n,
		       const struct agg_extra *x, FILE *f)
{
	json_object *j = json_object_new_object(), *arr = json_object_new_array(), *keys;
	size_t i;
	unsigned int k;

	if (!j || !arr)
		return;
	json_object_object_add(j, "type", json_object_new_string("table"));
	json_object_object_add(j, "elapsed", fixed3(x->elapsed));
	json_object_object_add(j, "total", json_object_new_uint64(a->total));
	json_object_object_add(j, "hidden", json_object_new_uint64(x->hidden));
	json_object_object_add(j, "ignored", json_object_new_uint64(x->ignored));
	json_object_object_add(j, "lost", json_object_new_uint64(x->lost));
	keys = json_object_new_array();
	for (k = 0; k < a->spec.n; k++)
		json_object_array_add(keys, json_object_new_string(json_names[a->spec.field[k]]));
	json_object_object_add(j, "keys", keys);
	for (i = 0; i < n; i++) {
		json_object *r = json_object_new_object();

		for (k = 0; k < a->spec.n; k++)
			if (rows[i].value[k][0])
				json_object_object_add(r, json_names[a->spec.field[k]],
						       json_object_new_string(rows[i].value[k]));
		json_object_object_add(r, "count", json_object_new_uint64(rows[i].count));
		json_object_object_add(r, "share", fixed3(share(rows[i].count, a->total) / 100.0));
		json_object_object_add(r, "rate", fixed3(rate(rows[i].count, x->elapsed)));
		json_object_array_add(arr, r);
	}
	json_object_object_add(j, "rows", arr);
	fputs(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(j);
}

void agg_print(struct agg *a, const struct agg_extra *x, enum out_format fmt, FILE *f)
{
	size_t n;
	const struct agg_row *rows = agg_sorted(a, &n);

	if (x->top && n > x->top)
		n = x->top;
	switch (fmt) {
	case OUT_TEXT:
		print_text(a, rows, n, x, f);
		break;
	case OUT_KV:
		print_kv(a, rows, n, x, f);
		break;
	case OUT_JSON:
		print_json(a, rows, n, x, f);
		break;
	}
}
