// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/perf_event.h>

#include "tpformat.h"

static const char *const field_names[TP_FIELDS] = {
	[TP_SKBADDR] = "skbaddr",
	[TP_LOCATION] = "location",
	[TP_PROTOCOL] = "protocol",
	[TP_REASON] = "reason",
	[TP_RX_SK] = "rx_sk",
};

/* "KEY:NUMBER;" at @p (within @end): the number, or -1. */
static long number_after(const char *p, const char *end, const char *key)
{
	size_t klen = strlen(key);
	long v = 0;
	bool digits = false;

	if ((size_t)(end - p) < klen || memcmp(p, key, klen))
		return -1;
	for (p += klen; p < end && isdigit((unsigned char)*p); p++) {
		if (v > 0xffffff)
			return -1;
		v = v * 10 + (*p - '0');
		digits = true;
	}
	return digits && p < end && *p == ';' ? v : -1;
}

/* The next "\tKEY:" section of a field line, after the ';' that ends the previous one. */
static const char *next_part(const char *p, const char *end)
{
	while (p < end && *p != ';')
		p++;
	if (p < end)
		p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;" between @p and @end.
 * Returns 0 and fills @name/@f, 1 when the line is not a field line, -1 when malformed.
 */
static int parse_field_line(const char *p, const char *end, char *name, size_t namelen,
			    struct tp_field *f)
{
	const char *semi, *n;
	long off, size, sgn;
	size_t len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 6 || memcmp(p, "field:", 6))
		return 1;
	p += 6;
	semi = memchr(p, ';', end - p);
	if (!semi)
		return -1;
	/* The name is the declaration's last word, without an array suffix. */
	n = semi;
	while (n > p && n[-1] == ']') {
		while (n > p && n[-1] != '[')
			n--;
		if (n > p)
			n--;
	}
	len = 0;
	while (n > p && (isalnum((unsigned char)n[-1]) || n[-1] == '_')) {
		n--;
		len++;
	}
	if (!len || len >= namelen)
		return -1;
	memcpy(name, n, len);
	name[len] = '\0';
	p = next_part(semi, end);
	off = number_after(p, end, "offset:");
	p = next_part(p, end);
	size = number_after(p, end, "size:");
	p = next_part(p, end);
	sgn = number_after(p, end, "signed:");
	if (off < 0 || size < 0 || off > 0xffff || size > 0xffff)
		return -1;
	f->present = true;
	f->offset = off;
	f->size = size;
	f->is_signed = sgn == 1;
	return 0;
}

int tp_fields_parse(const char *text, size_t len, const char *const *names, size_t n,
		    struct tp_field *fields, int64_t *id_out, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned int lineno = 0;
	int64_t id = -1;
	size_t k;

	memset(fields, 0, n * sizeof(*fields));
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *stop = eol ? eol : end;
		char name[64];
		struct tp_field f;
		int ret;

		lineno++;
		if ((size_t)(stop - p) > 3 && !memcmp(p, "ID:", 3)) {
			const char *q = p + 3;

			while (q < stop && *q == ' ')
				q++;
			if (q == stop)
				goto bad;
			for (id = 0; q < stop && isdigit((unsigned char)*q); q++) {
				if (id > 0xffffffffll)
					goto bad;
				id = id * 10 + (*q - '0');
			}
			if (q != stop && !isspace((unsigned char)*q))
				goto bad;
		} else {
			ret = parse_field_line(p, stop, name, sizeof(name), &f);
			if (ret < 0)
				goto bad;
			for (k = 0; !ret && k < n; k++)
				if (!strcmp(name, names[k]))
					fields[k] = f;
		}
		p = eol ? eol + 1 : end;
	}
	if (id < 0) {
		snprintf(err, errlen, "no ID line");
		return -EINVAL;
	}
	*id_out = id;
	return 0;
bad:
	snprintf(err, errlen, "line %u is malformed", lineno);
	return -EINVAL;
}

int tp_format_parse(struct tp_format *fmt, const char *text, size_t len, char *err, size_t errlen)
{
	int k;

	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
	if (tp_fields_parse(text, len, field_names, TP_FIELDS, fmt->field, &fmt->id, err, errlen))
		return -EINVAL;
	if (!fmt->field[TP_LOCATION].present) {
		snprintf(err, errlen, "no location field");
		return -EINVAL;
	}
	for (k = 0; k < TP_FIELDS; k++) {
		const struct tp_field *f = &fmt->field[k];

		if (f->present && f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) {
			snprintf(err, errlen, "field %s has size %u (1, 2, 4 or 8 expected)",
				 field_names[k], f->size);
			return -EINVAL;
		}
	}
	return 0;
}

static uint64_t get_uint(const uint8_t *p, unsigned int size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static int64_t get_int(const uint8_t *p, const struct tp_field *f)
{
	uint64_t v = get_uint(p, f->size);

	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ull << (f->size * 8);
	return (int64_t)v;
}

int64_t tp_field_int(const void *raw, const struct tp_field *f)
{
	return get_int((const uint8_t *)raw + f->offset, f);
}

int tp_record_decode(const struct tp_format *fmt, const void *raw, size_t len, struct tp_record *r)
{
	const uint8_t *b = raw;
	int k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < TP_FIELDS; k++) {
		const struct tp_field *f = &fmt->field[k];

		if (f->present && (size_t)f->offset + f->size > len)
			return -EBADMSG;
	}
	if (!fmt->field[TP_LOCATION].present)
		return -EBADMSG;
	r->location = get_uint(b + fmt->field[TP_LOCATION].offset, fmt->field[TP_LOCATION].size);
	if (fmt->field[TP_SKBADDR].present)
		r->skbaddr = get_uint(b + fmt->field[TP_SKBADDR].offset, fmt->field[TP_SKBADDR].size);
	if (fmt->field[TP_PROTOCOL].present) {
		r->has_protocol = true;
		r->protocol = get_uint(b + fmt->field[TP_PROTOCOL].offset,
				       fmt->field[TP_PROTOCOL].size);
	}
	if (fmt->field[TP_REASON].present) {
		r->has_reason = true;
		r->reason = (int32_t)get_int(b + fmt->field[TP_REASON].offset,
					     &fmt->field[TP_REASON]);
	}
	return 0;
}

uint64_t tp_sample_type(bool callchain)
{
	return PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_RAW |
	       (callchain ? PERF_SAMPLE_CALLCHAIN : 0);
}

/* A cursor over a record: reads that would pass its end fail. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static int take(struct cursor *c, void *out, size_t n)
{
	if (c->left < n)
		return -1;
	if (out)
		memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
	return 0;
}

int tp_sample_decode(const void *rec, size_t len, bool callchain, struct tp_sample *s)
{
	struct perf_event_header h;
	struct cursor c = { rec, len };
	uint32_t pair[2];
	uint64_t nr, i;

	s->nr_ips = 0;
	s->stack_cut = false;
	s->raw = NULL;
	s->raw_size = 0;
	if (take(&c, &h, sizeof(h)) || h.type != PERF_RECORD_SAMPLE || h.size > len ||
	    h.size < sizeof(h))
		return -EBADMSG;
	c.left = h.size - sizeof(h);
	if (take(&c, pair, 8))
		return -EBADMSG;
	s->pid = pair[0];
	s->tid = pair[1];
	if (take(&c, &s->time, 8) || take(&c, pair, 8))
		return -EBADMSG;
	s->cpu = pair[0];
	if (callchain) {
		if (take(&c, &nr, 8) || nr > c.left / 8)
			return -EBADMSG;
		for (i = 0; i < nr; i++) {
			uint64_t ip = 0;

			take(&c, &ip, 8);	/* cannot fail: nr was checked against the length */
			if (ip >= (uint64_t)PERF_CONTEXT_MAX)
				continue;	/* PERF_CONTEXT_KERNEL and the like */
			if (s->nr_ips == TP_STACK_MAX) {
				s->stack_cut = true;
				continue;
			}
			s->ips[s->nr_ips++] = ip;
		}
	}
	if (take(&c, &pair[0], 4) || pair[0] > c.left)
		return -EBADMSG;
	s->raw = c.p;
	s->raw_size = pair[0];
	return 0;
}
