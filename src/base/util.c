// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "util.h"

const char *util_prog = "dropwatch";
const char *util_where;

void util_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", util_prog);
	if (util_where)
		fprintf(stderr, "%s: ", util_where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int util_signalfd(void)
{
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGQUIT);
	sigaddset(&sigs, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0)
		return -1;
	return signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
}

int util_read_signal(int fd)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t util_now_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t util_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int util_exit_status(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOENT || err == -EOPNOTSUPP ?
	       DW_EXIT_KERNEL : DW_EXIT_FAIL;
}

int util_netns_initial(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) || stat("/proc/1/ns/net", &init))
		return -1;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

int util_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 0;
	char *buf = NULL;
	int err = 0;

	if (fd < 0)
		return -errno;
	/* Files of /proc and /sys say a size of 0 or 4096: read until the end. */
	for (;;) {
		ssize_t r;

		/* Room for one byte more and the NUL, up to @max bytes of file. */
		if (n + 1 >= cap) {
			if (n >= max) {
				err = -EFBIG;
				break;
			}
			if (util_grow(&buf, &cap, n + 2, 1, 16384)) {
				err = -ENOMEM;
				break;
			}
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : 0;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int util_grow(void *arr, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t n = *cap ? *cap : first;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / size)
		return -ENOMEM;
	memcpy(&p, arr, sizeof(p));
	p = realloc(p, n * size);
	if (!p)
		return -ENOMEM;
	memcpy(arr, &p, sizeof(p));
	*cap = n;
	return 0;
}
