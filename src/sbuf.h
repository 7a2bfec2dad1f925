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
	memcpy(s->b + s->n, p, len);
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

/* Decimal, at least @min digits (zero-padded, up to 20). */
static inline void sb_u64_pad(struct sbuf *s, uint64_t v, unsigned int min)
{
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (i > 0 && (v || sizeof(d) - i < min));
	sb_putn(s, d + i, sizeof(d) - i);
}

static inline void sb_u64(struct sbuf *s, uint64_t v)
{
	sb_u64_pad(s, v, 1);
}

/* Lower-case hex, at least @min digits (zero-padded), without "0x". */
static inline void sb_hex(struct sbuf *s, uint64_t v, unsigned int min)
{
	static const char digits[] = "0123456789abcdef";
	char d[16];
	size_t i = sizeof(d);

	do {
		d[--i] = digits[v & 15];
		v >>= 4;
	} while (i > 0 && (v || sizeof(d) - i < min));
	sb_putn(s, d + i, sizeof(d) - i);
}

#endif
