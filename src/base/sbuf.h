/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A string being built in a caller's buffer, for the per-drop paths where
 * printf's format parsing costs more than the work (decimal and hex numbers,
 * strings). Never writes past the buffer; the text stays NUL-terminated and is
 * cut when it does not fit.
 */
#ifndef DW_SBUF_H
#define DW_SBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *b;
	size_t size, n;		/* size > 0; n < size */
};

static inline void sb_init(struct sbuf *s, char *buf, size_t size)
{
	s->b = buf;
	s->size = size;
	s->n = 0;
	buf[0] = '\0';
}

static inline void sb_putn(struct sbuf *s, const char *p, size_t len)
{
	size_t room = s->size - 1 - s->n;

	if (len > room)
		len = room;
	if (len >= 8 && len <= 16) {
		/* Short pieces as two overlapping words: moves, not a call. */
		memcpy(s->b + s->n, p, 8);
		memcpy(s->b + s->n + len - 8, p + len - 8, 8);
	} else if (len >= 4 && len < 8) {
		memcpy(s->b + s->n, p, 4);
		memcpy(s->b + s->n + len - 4, p + len - 4, 4);
	} else {
		memcpy(s->b + s->n, p, len);
	}
	s->n += len;
	s->b[s->n] = '\0';
}

static inline void sb_puts(struct sbuf *s, const char *p)
{
	sb_putn(s, p, strlen(p));
}

static inline void sb_putc(struct sbuf *s, char c)
{
	sb_putn(s, &c, 1);
}

/*
 * @v in @base (10 or 16, lower case), at least @min digits (zero-padded, up to
 * 20). The digits are written in place, without a copy: numbers are most of
 * what the per-drop paths print. At the end of the buffer, its leading digits.
 */
static inline void sb_digits(struct sbuf *s, uint64_t v, unsigned int base, unsigned int min)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int n = 1, k;
	uint64_t rest;
	char d[20], *out;

	for (rest = v / base; rest; rest /= base)
		n++;
	if (n < min)
		n = min < sizeof(d) ? min : sizeof(d);
	out = n <= s->size - 1 - s->n ? s->b + s->n : d;
	for (k = n; k > 0; k--, v /= base)
		out[k - 1] = digits[v % base];
	if (out == d) {
		/* Bounded by sizeof(d), which the compiler sees (not only by the room). */
		size_t room = s->size - 1 - s->n, cut = room < sizeof(d) ? room : sizeof(d);

		memcpy(s->b + s->n, d, cut);
		n = (unsigned int)cut;
	}
	s->n += n;
	s->b[s->n] = '\0';
}

/* Decimal, at least @min digits (zero-padded, up to 20). */
static inline void sb_u64_pad(struct sbuf *s, uint64_t v, unsigned int min)
{
	sb_digits(s, v, 10, min);
}

static inline void sb_u64(struct sbuf *s, uint64_t v)
{
	sb_digits(s, v, 10, 1);
}

/* Lower-case hex, at least @min digits (zero-padded, up to 16), without "0x". */
static inline void sb_hex(struct sbuf *s, uint64_t v, unsigned int min)
{
	sb_digits(s, v, 16, min < 16 ? min : 16);
}

#endif
