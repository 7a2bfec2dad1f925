/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one printer: every record on stdout (a drop, the table, show, stats,
 * reasons, a message) is made of calls of one field each, with a name for
 * key=value and JSON and a text format for the text output, in the manner of
 * iproute2's print_*() calls. Text, kv and JSON come from the same calls, so
 * a field has one name and one value in every format.
 *
 * One escaping rule for all formats: control characters, bytes outside
 * printable ASCII, the backslash and the double quote are written as \xHH
 * (pr_escape). A kv value with a blank or an '=' in it, or an empty one, is
 * put in double quotes; the JSON string of a value is the same text.
 */
#ifndef DW_PRINT_H
#define DW_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sbuf.h"

enum out_format {
	OUT_TEXT,	/* for people: dropwatch 1.5's line shapes */
	OUT_KV,		/* one line of key=value pairs per record */
	OUT_JSON,	/* one JSON object per line (JSON lines) */
};

/* "text", "kv" or "json" to its format, or -1. */
int out_format_from_str(const char *s);

#define PR_DEPTH 8
#define PR_FMT_SLOTS 256

/* A text format split at its "%s" (the printer keeps the ones it met). */
struct pr_fmt {
	const char *fmt;
	bool has_value;		/* it has a "%s" */
	size_t pre;		/* bytes before "%s" (all of them without one) */
	const char *post;	/* after it */
	size_t post_len;
};

struct json_object;

struct printer {
	FILE *f;
	enum out_format fmt;
	struct sbuf b;		/* text and kv: what is not written yet */
	char buf[16384];
	bool kv_field;		/* kv: the line has a field already */
	bool kv_list_first;	/* kv: the next list item is the first */
	struct json_object *j[PR_DEPTH];	/* JSON: the object or array open at each depth */
	int depth;		/* -1: no record open */
	int skipped;		/* JSON: arrays and items opened past PR_DEPTH (left out) */
	struct pr_fmt fmts[PR_FMT_SLOTS];
};

void pr_init(struct printer *p, FILE *f, enum out_format fmt);
/* Frees what an unfinished record holds. */
void pr_release(struct printer *p);

/*
 * @src with control characters, non-ASCII bytes, '\\' and '"' as \xHH, cut
 * to fit @size (never inside an escape); returns @dst.
 */
const char *pr_escape(char *dst, size_t size, const char *src);

/*
 * A record of @type: in kv a line starting with type=@type, in JSON an
 * object with "type". pr_close() ends it and writes it out.
 */
void pr_open(struct printer *p, const char *type);
void pr_close(struct printer *p);
/* Writes what is built so far (text): the record goes on. */
void pr_flush(struct printer *p);

/*
 * One field. @key NULL: text only; @fmt NULL: kv and JSON only. In text,
 * @fmt is written with its "%s" (at most one) standing for the value.
 * pr_str() escapes @val; pr_safe() takes a value that pr_escape() made.
 */
void pr_str(struct printer *p, const char *key, const char *fmt, const char *val);
/* Text only: @fmt with @len bytes of @val for its "%s". */
void pr_text_value(struct printer *p, const char *fmt, const char *val, size_t len);
/* kv and JSON only: @val under @key. */
void pr_safe_data(struct printer *p, const char *key, const char *val);
/* Inline: most fields of a drop go through here, and in text most are data-only. */
static inline void pr_safe(struct printer *p, const char *key, const char *fmt, const char *val)
{
	if (p->fmt != OUT_TEXT)
		pr_safe_data(p, key, val);
	else if (fmt)
		pr_text_value(p, fmt, val, strlen(val));
}
void pr_u64(struct printer *p, const char *key, const char *fmt, uint64_t val);
void pr_s64(struct printer *p, const char *key, const char *fmt, int64_t val);
/* "0x" and at least @min hex digits, a string in JSON. */
void pr_hex(struct printer *p, const char *key, const char *fmt, uint64_t val, unsigned int min);
/* A fixed number of @decimals, a number in JSON. */
void pr_fixed(struct printer *p, const char *key, const char *fmt, double val, int decimals);
void pr_bool(struct printer *p, const char *key, const char *fmt, bool val);
/* Text only. */
void pr_text(struct printer *p, const char *s);
void pr_textf(struct printer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A list of numbers: a JSON array; in kv the items joined by ','; nothing in text. */
void pr_list_open(struct printer *p, const char *key);
void pr_list_u64(struct printer *p, uint64_t val);
/* A word of a list (pr_escape'd already). */
void pr_list_safe(struct printer *p, const char *val);
void pr_list_close(struct printer *p);

/*
 * An array of records within a record (the table's rows): in JSON an array of
 * objects; in kv the outer line ends and each inner record is a line of its
 * own, of its @type. Text: nothing but what the fields say.
 */
void pr_array_open(struct printer *p, const char *key);
void pr_array_close(struct printer *p);
void pr_item_open(struct printer *p, const char *type);
void pr_item_close(struct printer *p);

/* True in kv and JSON: what is not a drop goes to stderr then (and is not a record). */
static inline bool pr_is_data(const struct printer *p)
{
	return p->fmt != OUT_TEXT;
}

#endif
