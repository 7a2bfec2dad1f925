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

/*
 * What fits of @p (@size bytes, more than the room left): the buffer is then
 * full. The bound is @size, which the compiler can see, not the room.
 */
static inline void sb_put_cut(struct sbuf *s, const char *p, size_t size)
{
	size_t room = s->size - 1 - s->n;

	memcpy(s->b + s->n, p, room < size ? room : size);
	s->n += room < size ? room : size;
	s->b[s->n] = '\0';
}

/*
 * Decimal, at least @min digits (zero-padded, up to 20). The digits are
 * written in place, without a copy: numbers are most of what the per-drop
 * paths print.
 */
static inline void sb_u64_pad(struct sbuf *s, uint64_t v, unsigned int min)
{
	unsigned int n = 1, k;
	uint64_t p = 10;
	char d[20];

	while (n < 20 && v >= p) {
		n++;
		p *= 10;
	}
	if (n < min)
		n = min < 20 ? min : 20;
	if (n <= s->size - 1 - s->n) {
		for (k = n; k > 0; k--, v /= 10)
			s->b[s->n + k - 1] = (char)('0' + v % 10);
		s->n += n;
		s->b[s->n] = '\0';
		return;
	}
	/* Cut at the end of the buffer: its leading digits. */
	for (k = n; k > 0; k--, v /= 10)
		d[k - 1] = (char)('0' + v % 10);
	sb_put_cut(s, d, sizeof(d));
}

static inline void sb_u64(struct sbuf *s, uint64_t v)
{
	sb_u64_pad(s, v, 1);
}

/* Lower-case hex, at least @min digits (zero-padded, up to 16), without "0x". */
static inline void sb_hex(struct sbuf *s, uint64_t v, unsigned int min)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int n = 1, k;
	char d[16];

	while (n < 16 && v >> (4 * n))
		n++;
	if (n < min)
		n = min < 16 ? min : 16;
	if (n <= s->size - 1 - s->n) {
		for (k = n; k > 0; k--, v >>= 4)
			s->b[s->n + k - 1] = digits[v & 15];
		s->n += n;
		s->b[s->n] = '\0';
		return;
	}
	for (k = n; k > 0; k--, v >>= 4)
		d[k - 1] = digits[v & 15];
	sb_put_cut(s, d, sizeof(d));
}

#endif
