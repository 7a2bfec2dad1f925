// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <json-c/json.h>

#include "print.h"

int out_format_from_str(const char *s)
{
	if (!strcmp(s, "text"))
		return OUT_TEXT;
	if (!strcmp(s, "kv"))
		return OUT_KV;
	if (!strcmp(s, "json"))
		return OUT_JSON;
	return -1;
}

const char *pr_escape(char *dst, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!size)
		return dst;
	for (; *src && o + 1 < size; src++) {
		unsigned char c = *src;

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			dst[o++] = c;
			continue;
		}
		if (o + 5 > size)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = '\0';
	return dst;
}

void pr_init(struct printer *p, FILE *f, enum out_format fmt)
{
	memset(p->fmts, 0, sizeof(p->fmts));
	p->f = f;
	p->fmt = fmt;
	sb_init(&p->b, p->buf, sizeof(p->buf));
	p->kv_field = false;
	p->depth = -1;
}

void pr_release(struct printer *p)
{
	if (p->depth >= 0 && p->j[0])
		json_object_put(p->j[0]);
	p->depth = -1;
	sb_init(&p->b, p->buf, sizeof(p->buf));
}

void pr_flush(struct printer *p)
{
	if (p->b.n)
		fwrite(p->b.b, 1, p->b.n, p->f);
	sb_init(&p->b, p->buf, sizeof(p->buf));
}

/* Text grows without bound (call chains): written out before the buffer fills. */
static inline void room(struct printer *p, size_t need)
{
	if (p->b.size - 1 - p->b.n < need && p->fmt == OUT_TEXT)
		pr_flush(p);
}

static void kv_line(struct printer *p, const char *type)
{
	room(p, 64);
	sb_puts(&p->b, "type=");
	sb_puts(&p->b, type);
	p->kv_field = true;
}

static struct json_object *j_object(const char *type)
{
	struct json_object *o = json_object_new_object();

	if (o && type)
		json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

void pr_open(struct printer *p, const char *type)
{
	p->depth = 0;
	p->skipped = 0;
	p->j[0] = NULL;
	if (p->fmt == OUT_KV)
		kv_line(p, type);
	else if (p->fmt == OUT_JSON)
		p->j[0] = j_object(type);
}

void pr_close(struct printer *p)
{
	if (p->fmt == OUT_KV && p->kv_field) {
		sb_putc(&p->b, '\n');
		p->kv_field = false;
	} else if (p->fmt == OUT_JSON && p->j[0]) {
		/* Written as it is: a record (a large table, the reasons) may outgrow the buffer. */
		pr_flush(p);
		fputs(json_object_to_json_string_ext(p->j[0], JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE), p->f);
		fputc('\n', p->f);
		json_object_put(p->j[0]);
		p->j[0] = NULL;
	}
	p->depth = -1;
	pr_flush(p);
}

/* @fmt split at its "%s": formats are literals, each split once and found by its address. */
static const struct pr_fmt *fmt_of(struct printer *p, const char *fmt)
{
	struct pr_fmt *f = &p->fmts[((uint64_t)(uintptr_t)fmt * 0x9e3779b97f4a7c15ull) >> 56];

	if (f->fmt != fmt) {
		const char *s = strstr(fmt, "%s");

		f->fmt = fmt;
		f->has_value = s != NULL;
		f->pre = s ? (size_t)(s - fmt) : strlen(fmt);
		f->post = s ? s + 2 : "";
		f->post_len = strlen(f->post);
	}
	return f;
}

/*
 * @n bytes to @d; returns the end. Most pieces are a few bytes: copied as two
 * overlapping words (fixed-size copies the compiler turns into moves), as
 * memcpy itself does, without a call.
 */
static inline char *put(char *d, const char *src, size_t n)
{
	if (n >= 8 && n <= 16) {
		memcpy(d, src, 8);
		memcpy(d + n - 8, src + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(d, src, 4);
		memcpy(d + n - 4, src + n - 4, 4);
	} else if (n > 16) {
		memcpy(d, src, n);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = src[i];
	}
	return d + n;
}

void pr_text_value(struct printer *p, const char *fmt, const char *val, size_t len)
{
	const struct pr_fmt *f;
	size_t need;
	char *d;

	if (p->fmt != OUT_TEXT)
		return;
	f = fmt_of(p, fmt);
	need = f->pre + (f->has_value ? len + f->post_len : 0);
	room(p, need);
	if (p->b.size - 1 - p->b.n < need) {
		/* Larger than the buffer: cut where it ends. */
		sb_putn(&p->b, fmt, f->pre);
		if (f->has_value) {
			sb_putn(&p->b, val, len);
			sb_putn(&p->b, f->post, f->post_len);
		}
		return;
	}
	/* The per-drop path: one check of the room, then plain copies. */
	d = put(p->b.b + p->b.n, fmt, f->pre);
	if (f->has_value) {
		d = put(d, val, len);
		d = put(d, f->post, f->post_len);
	}
	*d = '\0';
	p->b.n = (size_t)(d - p->b.b);
}

/* Text: @fmt with @val for its "%s", in hex ("0x" first) or decimal, digits written in place. */
static inline __attribute__((always_inline)) void
text_number(struct printer *p, const char *fmt, uint64_t val, bool hex, unsigned int min)
{
	const struct pr_fmt *f = fmt_of(p, fmt);

	room(p, f->pre + f->post_len + 24);
	sb_putn(&p->b, fmt, f->pre);
	if (!f->has_value)
		return;
	/* The base a constant in each caller: the digits come by shifts, not divisions. */
	if (hex) {
		sb_putn(&p->b, "0x", 2);
		sb_hex(&p->b, val, min);
	} else {
		sb_u64(&p->b, val);
	}
	sb_putn(&p->b, f->post, f->post_len);
}

static bool kv_needs_quotes(const char *val, size_t len)
{
	return !len || memchr(val, ' ', len) || memchr(val, '=', len);
}

static void kv_key(struct printer *p, const char *key)
{
	if (p->kv_field)
		sb_putc(&p->b, ' ');
	sb_puts(&p->b, key);
	sb_putc(&p->b, '=');
	p->kv_field = true;
}

/*
 * kv, the per-drop path: " key=" and @len bytes of @val (quoted when @quote), with
 * one check of the room; false, and nothing written, when the line has not that
 * much left (the caller's byte-wise path cuts it where it ends).
 */
static inline __attribute__((always_inline)) bool
kv_put(struct printer *p, const char *key, const char *val, size_t len, bool quote)
{
	size_t klen = strlen(key);
	char *d;

	if (p->b.size - 1 - p->b.n < klen + len + 4)
		return false;
	d = p->b.b + p->b.n;
	if (p->kv_field)
		*d++ = ' ';
	d = put(d, key, klen);
	*d++ = '=';
	if (quote)
		*d++ = '"';
	d = put(d, val, len);
	if (quote)
		*d++ = '"';
	*d = '\0';
	p->b.n = (size_t)(d - p->b.b);
	p->kv_field = true;
	return true;
}

static void j_add(struct printer *p, const char *key, struct json_object *v)
{
	struct json_object *o = p->depth >= 0 && !p->skipped ? p->j[p->depth] : NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_add(o, key, v);
	else
		json_object_put(v);
}

/* A value whose text is @val in every format; @num: a number in JSON (@jv). */
static void field(struct printer *p, const char *key, const char *fmt, const char *val,
		  size_t len, struct json_object *jv)
{
	switch (p->fmt) {
	case OUT_TEXT:
		if (fmt)
			pr_text_value(p, fmt, val, len);
		break;
	case OUT_KV:
		if (!key || kv_put(p, key, val, len, kv_needs_quotes(val, len)))
			break;
		kv_key(p, key);
		if (kv_needs_quotes(val, len)) {
			sb_putc(&p->b, '"');
			sb_putn(&p->b, val, len);
			sb_putc(&p->b, '"');
		} else {
			sb_putn(&p->b, val, len);
		}
		break;
	case OUT_JSON:
		if (!key)
			break;
		j_add(p, key, jv ? jv : json_object_new_string_len(val, (int)len));
		return;
	}
	if (jv)
		json_object_put(jv);
}

void pr_safe_data(struct printer *p, const char *key, const char *val)
{
	if (key)
		field(p, key, NULL, val, strlen(val), NULL);
}

void pr_str(struct printer *p, const char *key, const char *fmt, const char *val)
{
	char safe[1024];

	if ((p->fmt == OUT_TEXT && !fmt) || (p->fmt != OUT_TEXT && !key))
		return;
	pr_escape(safe, sizeof(safe), val);
	field(p, key, fmt, safe, strlen(safe), NULL);
}

void pr_u64(struct printer *p, const char *key, const char *fmt, uint64_t val)
{
	char d[24];
	struct sbuf b;

	if (p->fmt == OUT_TEXT) {
		if (fmt)
			text_number(p, fmt, val, false, 1);
		return;
	}
	if (!key)
		return;
	sb_init(&b, d, sizeof(d));
	sb_u64(&b, val);
	if (p->fmt == OUT_KV && kv_put(p, key, d, b.n, false))
		return;			/* digits need no quotes */
	field(p, key, fmt, d, b.n, p->fmt == OUT_JSON ? json_object_new_uint64(val) : NULL);
}

void pr_s64(struct printer *p, const char *key, const char *fmt, int64_t val)
{
	char d[24];
	struct sbuf b;

	sb_init(&b, d, sizeof(d));
	if (val < 0)
		sb_putc(&b, '-');
	sb_u64(&b, val < 0 ? -(uint64_t)val : (uint64_t)val);
	if (p->fmt == OUT_TEXT) {
		if (fmt)
			pr_text_value(p, fmt, d, b.n);
		return;
	}
	if (!key)
		return;
	if (p->fmt == OUT_KV && kv_put(p, key, d, b.n, false))
		return;
	field(p, key, fmt, d, b.n, p->fmt == OUT_JSON ? json_object_new_int64(val) : NULL);
}

void pr_hex(struct printer *p, const char *key, const char *fmt, uint64_t val, unsigned int min)
{
	char d[24];
	struct sbuf b;

	if (p->fmt == OUT_TEXT) {
		if (fmt)
			text_number(p, fmt, val, true, min);
		return;
	}
	if (!key)
		return;
	sb_init(&b, d, sizeof(d));
	sb_puts(&b, "0x");
	sb_hex(&b, val, min);
	if (p->fmt == OUT_KV && kv_put(p, key, d, b.n, false))
		return;
	field(p, key, fmt, d, b.n, NULL);
}

void pr_fixed(struct printer *p, const char *key, const char *fmt, double val, int decimals)
{
	char d[64];
	int n;

	if ((p->fmt == OUT_TEXT && !fmt) || (p->fmt != OUT_TEXT && !key))
		return;
	n = snprintf(d, sizeof(d), "%.*f", decimals, val);
	if (n < 0 || (size_t)n >= sizeof(d))
		n = 0;
	field(p, key, fmt, d, n,
	      p->fmt == OUT_JSON ? json_object_new_double_s(val, d) : NULL);
}

void pr_bool(struct printer *p, const char *key, const char *fmt, bool val)
{
	const char *s = val ? "true" : "false";

	if ((p->fmt == OUT_TEXT && !fmt) || (p->fmt != OUT_TEXT && !key))
		return;
	field(p, key, fmt, s, strlen(s),
	      p->fmt == OUT_JSON ? json_object_new_boolean(val) : NULL);
}

void pr_text(struct printer *p, const char *s)
{
	if (p->fmt != OUT_TEXT)
		return;
	room(p, strlen(s));
	sb_puts(&p->b, s);
}

void pr_textf(struct printer *p, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (p->fmt != OUT_TEXT)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_text(p, line);
}

static void j_push(struct printer *p, const char *key, struct json_object *v)
{
	if (!v)
		return;
	if (p->depth + 1 >= PR_DEPTH || p->depth < 0 || p->skipped) {
		/* Too deep: left out with what goes in it, and its close is counted off. */
		json_object_put(v);
		if (p->depth >= 0)
			p->skipped++;
		return;
	}
	if (json_object_is_type(p->j[p->depth], json_type_array)) {
		json_object_array_add(p->j[p->depth], v);
	} else {
		j_add(p, key, v);
	}
	p->j[++p->depth] = v;
}

void pr_list_open(struct printer *p, const char *key)
{
	if (p->fmt == OUT_KV) {
		kv_key(p, key);
		p->kv_list_first = true;
	} else if (p->fmt == OUT_JSON) {
		j_push(p, key, json_object_new_array());
	}
}

/* kv: the separator before a list's item, but the first. */
static void kv_item(struct printer *p)
{
	if (!p->kv_list_first)
		sb_putc(&p->b, ',');
	p->kv_list_first = false;
}

void pr_list_u64(struct printer *p, uint64_t val)
{
	if (p->fmt == OUT_KV) {
		kv_item(p);
		sb_u64(&p->b, val);
	} else if (p->fmt == OUT_JSON && p->depth > 0 && !p->skipped &&
		   json_object_is_type(p->j[p->depth], json_type_array)) {
		json_object_array_add(p->j[p->depth], json_object_new_uint64(val));
	}
}

void pr_list_safe(struct printer *p, const char *val)
{
	if (p->fmt == OUT_KV) {
		kv_item(p);
		sb_puts(&p->b, val);
	} else if (p->fmt == OUT_JSON && p->depth > 0 && !p->skipped &&
		   json_object_is_type(p->j[p->depth], json_type_array)) {
		json_object_array_add(p->j[p->depth], json_object_new_string(val));
	}
}

void pr_list_close(struct printer *p)
{
	if (p->fmt == OUT_JSON && p->skipped)
		p->skipped--;
	else if (p->fmt == OUT_JSON && p->depth > 0)
		p->depth--;
}

void pr_array_open(struct printer *p, const char *key)
{
	if (p->fmt == OUT_KV && p->kv_field) {
		sb_putc(&p->b, '\n');
		p->kv_field = false;
	} else if (p->fmt == OUT_JSON) {
		j_push(p, key, json_object_new_array());
	}
}

void pr_array_close(struct printer *p)
{
	pr_list_close(p);
}

void pr_item_open(struct printer *p, const char *type)
{
	if (p->fmt == OUT_KV)
		kv_line(p, type);
	else if (p->fmt == OUT_JSON)
		j_push(p, NULL, j_object(NULL));
}

void pr_item_close(struct printer *p)
{
	if (p->fmt == OUT_KV && p->kv_field) {
		sb_putc(&p->b, '\n');
		p->kv_field = false;
		room(p, 0);
		if (p->b.size - 1 - p->b.n < 4096)
			pr_flush(p);
	} else if (p->fmt == OUT_JSON && p->skipped) {
		p->skipped--;
	} else if (p->fmt == OUT_JSON && p->depth > 0) {
		p->depth--;
	}
}
