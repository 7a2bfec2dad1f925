// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every part of the tracepoint source uses: its error, the formats of tracepoints
 * read from tracefs (mounted for that moment when it is not), the names of drop
 * reasons and threads, and an event written into a CPU's ring.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "trace_int.h"
#include "util.h"

void trace_set_err(struct trace_src *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
}

static const char *perm_hint(int err)
{
	return err == -EACCES || err == -EPERM ?
		" (tracefs is readable by root only, unless mounted with a gid= option)" : "";
}

/*
 * Finds and reads the format file of the tracepoint at @rel ("/events/skb/kfree_skb/format";
 * @what for messages), mounting tracefs at its usual place for that moment.
 */
int trace_read_format(struct trace_src *t, const char *rel, const char *what, char *path,
		       size_t pathlen, char **text, size_t *len)
{
	static const char *const roots[] = { TRACEFS, "/sys/kernel/debug/tracing" };
	struct stat st;
	size_t i;
	int err = -ENOENT;

	for (i = 0; i < 2; i++) {
		snprintf(path, pathlen, "%s%s", roots[i], rel);
		err = util_read_file(path, FORMAT_MAX, text, len);
		if (err != -ENOENT)
			break;
	}
	if (!err)
		return 0;
	if (err != -ENOENT) {
		trace_set_err(t, "cannot read %s: %s%s", path, strerror(-err), perm_hint(err));
		return err;
	}
	snprintf(path, pathlen, "%s%s", TRACEFS, rel);
	if (stat(TRACEFS "/events", &st) == 0) {
		trace_set_err(t, "this kernel has no %s tracepoint (%s is missing)", what, path);
		return -ENOENT;
	}
	if (mount("nodev", TRACEFS, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		err = -errno;
		if (err == -EPERM)
			trace_set_err(t, "tracefs is not mounted, and mounting it at " TRACEFS
				" needs CAP_SYS_ADMIN");
		else
			trace_set_err(t, "tracefs is not mounted, and mounting it at " TRACEFS
				" failed: %s", strerror(-err));
		return err;
	}
	err = util_read_file(path, FORMAT_MAX, text, len);
	/* Only the format was needed: leave the system as it was. */
	if (umount2(TRACEFS, 0))
		umount2(TRACEFS, MNT_DETACH);
	if (err == -ENOENT)
		trace_set_err(t, "this kernel has no %s tracepoint (%s is missing)", what, path);
	else if (err)
		trace_set_err(t, "cannot read %s: %s", path, strerror(-err));
	return err;
}

const char *trace_reason_name(struct trace_src *t, int32_t v)
{
	const char *n = NULL;

	if (v >= 0 && v < REASON_TABLE)
		n = t->by_value[v];
	else if (t->reasons)
		n = reasons_lookup(t->reasons, v);
	if (n)
		return n;
	/* A number this kernel's lists do not name: the number, never a guess. */
	snprintf(t->unknown, sizeof(t->unknown), "%" PRId32, v);
	return t->unknown;
}

/* Remembers the name a PERF_RECORD_COMM gave thread @tid. */
void trace_comm_set(struct trace_src *t, uint32_t tid, const char *comm, size_t len)
{
	struct comm_slot *s = &t->comm[tid % COMM_SLOTS];

	if (len >= sizeof(s->comm))
		len = sizeof(s->comm) - 1;
	memcpy(s->comm, comm, len);
	s->comm[len] = '\0';
	s->comm[strnlen(s->comm, len)] = '\0';
	s->tid = tid;
	s->valid = true;
	s->stamp = t->now;
}

/*
 * The name of thread @tid: from its exec's PERF_RECORD_COMM or /proc, kept
 * for a second; a thread that is gone keeps the name it had.
 */
const char *trace_comm_of(struct trace_src *t, uint32_t tid, uint32_t cpu)
{
	struct comm_slot *s = &t->comm[tid % COMM_SLOTS];
	char path[40], buf[sizeof(s->comm)];
	ssize_t n;
	int fd;

	if (tid == 0) {
		static char idle[32];

		snprintf(idle, sizeof(idle), "swapper/%" PRIu32, cpu);
		return idle;
	}
	if (s->valid && s->tid == tid && t->now - s->stamp < COMM_TTL_NS)
		return s->comm;
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/comm", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		trace_comm_set(t, tid, buf, strcspn(buf, "\n"));
	} else if (!s->valid || s->tid != tid) {
		trace_comm_set(t, tid, "?", 1);	/* gone before we looked */
	}
	return s->comm;
}

void trace_ring_close(struct ring *r)
{
	int k;

	/* The events that write into the ring first, then the ring. */
	for (k = 0; k < RING_EVENTS; k++) {
		if (r->ev_fd[k] >= 0)
			close(r->ev_fd[k]);
		r->ev_fd[k] = -1;
	}
	if (r->base)
		munmap(r->base, r->map_len);
	r->base = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int trace_ring_add(struct ring *r, const struct perf_event_attr *a, unsigned int cpu, int slot)
{
	int err;

	r->ev_fd[slot] = syscall(SYS_perf_event_open, a, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (r->ev_fd[slot] < 0 || ioctl(r->ev_fd[slot], PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0) {
		err = -errno;
		trace_ring_close(r);
		return err;
	}
	return 0;
}
