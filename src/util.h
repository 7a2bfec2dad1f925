/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What both front ends share: their error line, and signals taken through a signalfd. */
#ifndef DW_UTIL_H
#define DW_UTIL_H

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

#endif
