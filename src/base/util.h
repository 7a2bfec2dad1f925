/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What both front ends share: their error line, and signals taken through a signalfd. */
#ifndef DW_UTIL_H
#define DW_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The name error lines start with; set once in main(). */
extern const char *util_prog;
/* When set, where the input being read is ("FILE:LINE"), after the name. */
extern const char *util_where;

/* "PROG: MESSAGE" on stderr, after flushing stdout so the two stay in order. */
void util_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Blocks SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE and returns a signalfd
 * that delivers them (non-blocking, close-on-exec). A write to a closed pipe
 * fails with EPIPE and leaves its SIGPIPE there, to be handled like a kill.
 * Returns -1 with errno set on failure.
 */
int util_signalfd(void);
/* The next signal from @fd, or 0 when none is pending. */
int util_read_signal(int fd);

/* FNV-1a of @n bytes: the hash of the table's rows and of the exporter's series. */
static inline uint32_t util_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/*
 * Room for @need elements of @size bytes in the array *@arr (a pointer to the array's
 * pointer) of *@cap elements: it doubles (from @first) until they fit. 0, or -ENOMEM
 * with the array as it was.
 */
int util_grow(void *arr, size_t *cap, size_t need, size_t size, size_t first);

/* CLOCK_REALTIME in nanoseconds: the clock of the kernel's drop timestamps. */
uint64_t util_now_ns(void);
/* CLOCK_MONOTONIC in nanoseconds: durations, which a step of the clock must not move. */
uint64_t util_mono_ns(void);
/*
 * @path read whole into a buffer malloc'ed for it (*@out, *@len bytes and a NUL after
 * them): 0, or -errno (-EFBIG past @max bytes).
 */
int util_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * The exit status for a failed request to the kernel: 3 when the kernel or
 * our privileges cannot do it (-EPERM, -EACCES, -ENOENT, -EOPNOTSUPP), else 1.
 */
int util_exit_status(int err);
/*
 * Whether we run in the initial network namespace (that of pid 1), where alone
 * NET_DM exists: 1, 0, or -1 when it cannot be told (no right to look at pid 1).
 */
int util_netns_initial(void);

#endif
