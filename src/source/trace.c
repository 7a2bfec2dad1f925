// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoint source's machinery: tracefs and skb:kfree_skb's format, a perf ring
 * per CPU with the collectors' events written into it, the read loop, and the merge of
 * the rings in time order (journeys). The collectors are files of their own
 * (trace_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "trace_int.h"
#include "util.h"

/* The collectors: each writes its events into the rings beside skb:kfree_skb. */
static const struct trace_collector *const collectors[] = {
	&trace_tcp_collector,
	&trace_journey_collector,
	NULL,
};

const char *trace_error(const struct trace_src *t)
{
	return t->err;
}

const char *trace_format_path(const struct trace_src *t)
{
	return t->path;
}

const struct reason_cat *trace_reasons(const struct trace_src *t)
{
	return t->reasons;
}

const struct trace_stats *trace_stats(const struct trace_src *t)
{
	return &t->stats;
}

uint32_t trace_ring_bytes(uint32_t asked, bool stack)
{
	if (!asked)
		return stack ? TRACE_RING_DEFAULT_STACK : TRACE_RING_DEFAULT;
	return asked < TRACE_RING_MIN ? TRACE_RING_MIN : asked;
}

int trace_fd(const struct trace_src *t)
{
	return t->epfd;
}

int trace_open(struct trace_src **out)
{
	struct trace_src *t = calloc(1, sizeof(*t));
	char *text = NULL, why[128];
	size_t len = 0, i;
	int err;

	*out = t;
	if (!t)
		return -ENOMEM;
	t->epfd = -1;
	hmap_init(&t->sum, sizeof(struct sum_entry), 0);	/* grows: allocates nothing now */
	err = trace_read_format(t, FORMAT_REL, "skb:kfree_skb", t->path, sizeof(t->path), &text, &len);
	if (err)
		return err;
	if (tp_format_parse(&t->fmt, text, len, why, sizeof(why))) {
		trace_set_err(t, "%s: %s", t->path, why);
		free(text);
		return -EINVAL;
	}
	if (t->fmt.field[TP_REASON].present) {
		t->reasons = reasons_new();
		if (!t->reasons || reasons_parse_format(t->reasons, text, len) < 0) {
			/* Numbers are still shown; names need the __print_symbolic table. */
			reasons_free(t->reasons);
			t->reasons = NULL;
		} else {
			char source[400];

			/* The core's names and numbers from the format; the subsystems' from BTF. */
			snprintf(source, sizeof(source), "%s%s", t->path,
				 reasons_add_running_btf(t->reasons) > 0 ?
				 ", and BTF for the subsystems' reasons" : "");
			reasons_set_source(t->reasons, source);
			for (i = 0; i < reasons_count(t->reasons); i++) {
				int v = reasons_value(t->reasons, i);

				if (v >= 0 && v < REASON_TABLE)
					t->by_value[v] = reasons_name(t->reasons, i);
			}
		}
	}
	free(text);
	t->scratch = malloc(1u << 16);
	if (!t->scratch)
		return -ENOMEM;
	return 0;
}

static const char *perf_perm_hint(void)
{
	static char buf[200];
	char *text = NULL;
	size_t len = 0;
	long v = 2;

	if (!util_read_file("/proc/sys/kernel/perf_event_paranoid", FORMAT_MAX, &text, &len) && len) {
		text[len - 1] = '\0';
		v = strtol(text, NULL, 10);
	}
	free(text);
	snprintf(buf, sizeof(buf), "system-wide tracepoint samples need CAP_PERFMON (or "
		 "CAP_SYS_ADMIN), or kernel.perf_event_paranoid at -1 (it is %ld)", v);
	return buf;
}

static unsigned int page_count(uint32_t bytes)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned int pages = 1;

	while ((uint64_t)pages * psz < bytes && pages < (1u << 20))
		pages <<= 1;
	return pages;
}

/* The ring's events, enabled or disabled together: 0 or -errno. */
static int ring_ioctl(struct ring *r, unsigned long req)
{
	int k;

	if (r->fd >= 0 && ioctl(r->fd, req, 0) < 0)
		return -errno;
	for (k = 0; k < RING_EVENTS; k++)
		if (r->ev_fd[k] >= 0 && ioctl(r->ev_fd[k], req, 0) < 0)
			return -errno;
	return 0;
}

/*
 * The event of @a's settings, on @cpu, written into @r's ring as its event @slot: 0, or
 * -errno with the ring closed.
 */
/* The settings of every event of a ring: skb:kfree_skb's, and the ring's. */
static void base_attr(const struct trace_src *t, struct perf_event_attr *a, bool stack)
{
	memset(a, 0, sizeof(*a));
	a->type = PERF_TYPE_TRACEPOINT;
	a->size = sizeof(*a);
	a->config = t->fmt.id;
	a->sample_period = 1;
	a->sample_type = tp_sample_type(stack);
	a->disabled = 1;
	/*
	 * The lost count read from the event is exact; a PERF_RECORD_LOST only
	 * goes out once the ring has room again, so the last one can be missing.
	 */
	if (t->lost_format)
		a->read_format = PERF_FORMAT_LOST;
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;
	if (stack) {
		a->exclude_callchain_user = 1;
		a->sample_max_stack = TP_STACK_MAX;
	}
}

static int open_cpu(struct trace_src *t, struct ring *r, unsigned int cpu, uint32_t *bytes)
{
	long psz = sysconf(_SC_PAGESIZE);
	const struct trace_collector *const *c;
	struct perf_event_attr a;
	unsigned int pages;
	int err, k;

	for (k = 0; k < RING_EVENTS; k++)
		r->ev_fd[k] = -1;
	base_attr(t, &a, t->opts.stack);
	a.watermark = 1;
	a.comm = 1;		/* PERF_RECORD_COMM at exec: names of short-lived tasks */
	r->cpu = cpu;
	for (;;) {
		pages = page_count(*bytes);
		/* Wake the reader when a quarter of the ring is used (it also looks every 100 ms). */
		a.wakeup_watermark = (uint32_t)((uint64_t)pages * psz / 4);
		r->fd = syscall(SYS_perf_event_open, &a, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (r->fd < 0 && errno == EINVAL && t->lost_format) {
			/* Before Linux 6.0: count the PERF_RECORD_LOST records only. */
			t->lost_format = false;
			a.read_format = 0;
			continue;
		}
		if (r->fd < 0)
			return -errno;
		r->map_len = (size_t)(pages + 1) * psz;
		r->base = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
		if (r->base != MAP_FAILED)
			break;
		err = -errno;
		r->base = NULL;
		close(r->fd);
		r->fd = -1;
		/* Past perf_event_mlock_kb and RLIMIT_MEMLOCK: try a smaller ring. */
		if ((err != -EPERM && err != -ENOMEM) || *bytes / 2 < TRACE_RING_MIN)
			return err;
		*bytes /= 2;
	}
	*bytes = (uint32_t)((uint64_t)pages * psz);
	r->mask = (uint64_t)pages * psz - 1;
	/* The collectors' events write into the same ring: one reader, in order per CPU. */
	a.comm = 0;
	a.wakeup_watermark = 0;
	for (c = collectors; *c; c++)
		if ((*c)->wanted(t) && (err = (*c)->open(t, r, &a, cpu)))
			return err;
	return 0;
}

int trace_start(struct trace_src *t, const struct trace_opts *o)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	uint32_t bytes;
	unsigned int cpu;
	int err = 0;

	t->opts = *o;
	t->collecting = false;
	for (const struct trace_collector *const *c = collectors; *c; c++)
		t->collecting |= (*c)->wanted(t);
	t->stopped = false;
	if (ncpu < 1)
		ncpu = 1;
	bytes = trace_ring_bytes(o->ring_bytes, o->stack);
	journey_free(t->jt);
	t->jt = NULL;
	t->lost_seen = 0;
	t->ntaint = 0;
	t->counted = util_mono_ns();
	if (t->kp_open)
		kprobe_set_missed(&t->kp, &t->kp_missed);	/* misses of runs before are theirs */
	if (o->journey && !t->kp_open) {
		trace_set_err(t, "journeys: the frees of skbs are not probed (trace_journey_open first)");
		return -EINVAL;
	}
	if (o->journey) {
		/* Times hands every step out; journeys join them here. */
		t->jt = o->times ? NULL : journey_new(o->journey_max ? o->journey_max :
						      JOURNEY_MAX_DEFAULT);
		t->jq = jqueue_new((unsigned int)ncpu);
		free(t->sirq);
		t->nsirq = (unsigned int)ncpu;
		t->sirq = calloc(t->nsirq, sizeof(*t->sirq));
		if ((!t->jt && !o->times) || !t->jq || !t->sirq) {
			trace_set_err(t, "cannot set up the journey's tracker: %s", strerror(ENOMEM));
			trace_release(t);
			return -ENOMEM;
		}
	}
	memset(&t->stats, 0, sizeof(t->stats));
	t->lost_records = 0;
	t->lost_format = true;
	if (ncpu < 1)
		ncpu = 1;
	t->ring = calloc(ncpu, sizeof(*t->ring));
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!t->ring || t->epfd < 0) {
		trace_set_err(t, "cannot set up the ring buffers: %s", strerror(errno));
		trace_release(t);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < (unsigned int)ncpu; cpu++) {
		struct ring *r = &t->ring[t->nring];
		struct epoll_event ev = { .events = EPOLLIN };

		err = open_cpu(t, r, cpu, &bytes);
		if (err == -ENODEV || err == -EINVAL) {
			/* An offline CPU: nothing drops there. */
			if (cpu > 0 || err == -ENODEV)
				continue;
		}
		if (err) {
			if (err == -EACCES || err == -EPERM)
				trace_set_err(t, "perf_event_open on skb:kfree_skb: %s: %s", strerror(-err),
					perf_perm_hint());
			else
				trace_set_err(t, "perf_event_open on skb:kfree_skb (CPU %u): %s", cpu,
					strerror(-err));
			trace_release(t);
			return err;
		}
		ev.data.u32 = t->nring;
		if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, r->fd, &ev)) {
			err = -errno;
			trace_set_err(t, "epoll: %s", strerror(-err));
			t->nring++;
			trace_release(t);
			return err;
		}
		t->nring++;
	}
	if (!t->nring) {
		trace_set_err(t, "perf_event_open on skb:kfree_skb: no CPU could be watched");
		trace_release(t);
		return -ENODEV;
	}
	t->stats.cpus = t->nring;
	t->stats.ring_bytes = bytes;
	t->clock_off = util_now_ns() - util_mono_ns();
	for (cpu = 0; cpu < t->nring; cpu++)
		if ((err = ring_ioctl(&t->ring[cpu], PERF_EVENT_IOC_ENABLE)) < 0) {
			trace_set_err(t, "cannot enable the tracepoint on CPU %u: %s", t->ring[cpu].cpu,
				strerror(-err));
			trace_release(t);
			return err;
		}
	return 0;
}

void trace_stop(struct trace_src *t)
{
	unsigned int i;

	for (i = 0; i < t->nring; i++)
		ring_ioctl(&t->ring[i], PERF_EVENT_IOC_DISABLE);
	t->stopped = true;
}

void trace_release(struct trace_src *t)
{
	unsigned int i;

	for (i = 0; i < t->nring; i++)
		trace_ring_close(&t->ring[i]);
	free(t->ring);
	t->ring = NULL;
	t->nring = 0;
	if (t->epfd >= 0)
		close(t->epfd);
	t->epfd = -1;
	hmap_fini(&t->sum);
	free(t->pool);
	t->pool = NULL;
	t->pool_len = t->pool_cap = 0;
	/* The tracker stays for trace_journey_stats() until the next start. */
	jqueue_free(t->jq);
	t->jq = NULL;
}

void trace_close(struct trace_src *t)
{
	if (!t)
		return;
	trace_release(t);
	reasons_free(t->reasons);
	reasons_free(t->rst_reasons);
	if (t->kp_open)
		kprobe_set_close(&t->kp);	/* their perf events are closed */
	journey_free(t->jt);
	free(t->sirq);
	free(t->scratch);
	free(t);
}

static int handle_sample(struct trace_src *t, const void *rec, size_t len, drop_event_fn fn,
			 void *arg)
{
	struct tp_sample s;
	struct tp_record r;
	struct drop_event ev;

	if (tp_sample_decode(rec, len, t->opts.stack, &s)) {
		t->stats.malformed++;
		return 0;
	}
	/* The raw record starts with its tracepoint's id (common_type): a collector's, or ours. */
	if (t->collecting && s.raw_size >= 2) {
		const struct trace_collector *const *c;
		uint16_t type;
		int ret;

		memcpy(&type, s.raw, 2);
		for (c = collectors; type != t->fmt.id && *c; c++)
			if ((*c)->wanted(t) && (ret = (*c)->handle(t, &s, type, fn, arg)) != NOT_MINE)
				return ret;
		if (type != t->fmt.id) {
			t->stats.malformed++;	/* none of the events we opened */
			return 0;
		}
	}
	if (tp_record_decode(&t->fmt, s.raw, s.raw_size, &r)) {
		t->stats.malformed++;
		return 0;
	}
	t->stats.samples++;
	if (t->opts.times) {
		struct jstep d = { .time = s.time, .cpu = (uint16_t)s.cpu, .kind = JSTEP_DROP };

		return trace_emit_step(t, r.skbaddr, &d, s.time, fn, arg);
	}
	if (t->opts.summary) {
		if (trace_summary_add(t, &r, &s))
			t->stats.malformed++;	/* out of memory: counted as not decoded */
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.origin = DROP_ORIGIN_SW;
	ev.count = 1;
	ev.has = DROP_HAS_PC | DROP_HAS_TIMESTAMP | DROP_HAS_TASK | DROP_NO_PAYLOAD;
	ev.pc = r.location;
	ev.timestamp_ns = s.time + t->clock_off;
	if (r.has_protocol) {
		ev.has |= DROP_HAS_PROTO;
		ev.proto = r.protocol;
	}
	ev.reason = r.has_reason ? trace_reason_name(t, r.reason) : NULL;
	ev.cpu = s.cpu;
	ev.pid = s.tid;
	ev.comm = trace_comm_of(t, s.tid, s.cpu);
	if (t->opts.stack) {
		ev.stack = s.ips;
		ev.stack_len = s.nr_ips;
	}
	if (t->jt) {
		struct jstep d = { .time = s.time, .cpu = (uint16_t)s.cpu, .kind = JSTEP_DROP };

		if (t->late)
			journey_forget(t->jt, r.skbaddr);	/* no join out of order */
		journey_end(t->jt, r.skbaddr, &d, &t->jn);
		ev.journey = &t->jn;
	}
	return fn(&ev, arg);
}

/*
 * Journeys: a sample of ring @ring held until the other rings' samples of its time are
 * read. One that comes after later ones were handed out (or finds no memory to wait
 * in) goes now, and its skb joins nothing.
 */
static int hold_sample(struct trace_src *t, unsigned int ring, const void *rec, size_t len)
{
	struct tp_sample s;
	int err, ret;

	if (tp_sample_decode(rec, len, t->opts.stack, &s)) {
		t->stats.malformed++;
		return 0;
	}
	err = jqueue_add(t->jq, ring, s.time, rec, len);
	if (!err)
		return 0;
	if (err == JQUEUE_LATE)
		t->stats.late++;
	else
		t->stats.unordered++;
	t->late = true;
	ret = handle_sample(t, rec, len, t->release_fn, t->release_arg);
	t->late = false;
	return ret;
}

/* Every track forgotten (journeys), or a step of none handed out (times): 0 or what @fn returned. */
static int abandon(struct trace_src *t, uint64_t time)
{
	if (t->jt) {
		journey_abandon(t->jt);
		return 0;
	}
	return trace_emit_step(t, 0, NULL, time, t->release_fn, t->release_arg);
}

static int release_sample(const void *rec, size_t len, void *arg)
{
	struct trace_src *t = arg;
	uint64_t time;
	int ret;

	/* The sample's time: after its header, PERF_SAMPLE_TID's 8 bytes (tp_sample_type()). */
	if (len < sizeof(struct perf_event_header) + 16)
		return handle_sample(t, rec, len, t->release_fn, t->release_arg);
	memcpy(&time, (const uint8_t *)rec + sizeof(struct perf_event_header) + 8, 8);
	while (t->ntaint && time > t->taint[0].to) {
		memmove(t->taint, t->taint + 1, --t->ntaint * sizeof(t->taint[0]));
	}
	if (!t->ntaint || time <= t->taint[0].from)
		return handle_sample(t, rec, len, t->release_fn, t->release_arg);
	if (!t->taint[0].entered) {
		t->taint[0].entered = true;
		if ((ret = abandon(t, time)))
			return ret;
	}
	t->stats.tainted++;
	t->late = true;
	ret = handle_sample(t, rec, len, t->release_fn, t->release_arg);
	t->late = false;
	return ret;
}

static int read_ring(struct trace_src *t, struct ring *r, drop_event_fn fn, void *arg)
{
	struct perf_event_mmap_page *pg = r->base;
	const uint8_t *data = (const uint8_t *)r->base + sysconf(_SC_PAGESIZE);
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	int ret = 0;

	while (tail < head && !ret) {
		struct perf_event_header h;
		uint64_t at = tail & r->mask;
		const void *rec;

		memcpy(&h, data + at, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail) {
			/* Cannot be: skip what is there rather than loop on it. */
			t->stats.malformed++;
			tail = head;
			break;
		}
		if (at + h.size > r->mask + 1) {
			size_t first = r->mask + 1 - at;

			memcpy(t->scratch, data + at, first);
			memcpy(t->scratch + first, data, h.size - first);
			rec = t->scratch;
		} else {
			rec = data + at;
		}
		if (h.type == PERF_RECORD_SAMPLE) {
			ret = t->jq ? hold_sample(t, (unsigned int)(r - t->ring), rec, h.size) :
				      handle_sample(t, rec, h.size, fn, arg);
		} else if (h.type == PERF_RECORD_COMM && h.size > sizeof(h) + 8) {
			uint32_t tid;

			memcpy(&tid, (const uint8_t *)rec + sizeof(h) + 4, sizeof(tid));
			trace_comm_set(t, tid, (const char *)rec + sizeof(h) + 8, h.size - sizeof(h) - 8);
		} else if (h.type == PERF_RECORD_LOST && h.size >= sizeof(h) + 16) {
			uint64_t lost;

			memcpy(&lost, (const uint8_t *)rec + sizeof(h) + 8, sizeof(lost));
			t->lost_records += lost;
		}
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
	return ret;
}

/* Drops the kernel could not write: the events' own count where they keep one. */
static void update_lost(struct trace_src *t)
{
	uint64_t sum = 0, jsum = 0, v[2];
	unsigned int i;
	int k;

	if (!t->lost_format) {
		/* Before Linux 6.0: the ring's losses, of every event in it. */
		t->stats.lost = t->lost_records;
		return;
	}
	for (i = 0; i < t->nring; i++) {
		const struct ring *r = &t->ring[i];

		if (read(r->fd, v, sizeof(v)) == sizeof(v))
			sum += v[1];
		/* TCP's events are drops' kin; the journey's and the softirq's are counted apart. */
		for (k = 0; k < RING_EVENTS; k++)
			if (r->ev_fd[k] >= 0 && read(r->ev_fd[k], v, sizeof(v)) == sizeof(v))
				*(k < EV_JOURNEY(0) ? &sum : &jsum) += v[1];
	}
	/* Each event's own count: the ring's PERF_RECORD_LOST mixes them, and may come late. */
	t->stats.lost = sum;
	t->stats.journey_lost = jsum;
}

/*
 * The names from the PERF_RECORD_COMMs waiting in @r, before any sample is
 * read: a task's exec may be recorded in another CPU's ring than its drops,
 * and a short-lived sender is gone from /proc by the time its drops are read.
 */
static void scan_comms(struct trace_src *t, struct ring *r)
{
	struct perf_event_mmap_page *pg = r->base;
	const uint8_t *data = (const uint8_t *)r->base + sysconf(_SC_PAGESIZE);
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;

	while (tail < head) {
		struct perf_event_header h;
		uint64_t at = tail & r->mask;
		uint8_t rec[sizeof(h) + 8 + 16];
		size_t i, n;

		memcpy(&h, data + at, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail)
			break;	/* read_ring() counts it */
		if (h.type == PERF_RECORD_COMM && h.size > sizeof(h) + 8) {
			uint32_t tid;

			/* Byte by byte: the record may wrap around the ring's end. */
			n = h.size < sizeof(rec) ? h.size : sizeof(rec);
			for (i = 0; i < n; i++)
				rec[i] = data[(at + i) & r->mask];
			memcpy(&tid, rec + sizeof(h) + 4, sizeof(tid));
			trace_comm_set(t, tid, (const char *)rec + sizeof(h) + 8, n - sizeof(h) - 8);
		}
		tail += h.size;
	}
}

int trace_read(struct trace_src *t, drop_event_fn fn, void *arg)
{
	unsigned int i;
	int ret = 0;

	t->now = util_mono_ns();
	t->release_fn = fn;
	t->release_arg = arg;
	for (i = 0; i < t->nring; i++)
		scan_comms(t, &t->ring[i]);
	for (i = 0; i < t->nring && !ret; i++)
		ret = read_ring(t, &t->ring[i], fn, arg);
	update_lost(t);
	if (t->kp_open && t->jq) {
		uint64_t missed;

		if (!kprobe_set_missed(&t->kp, &missed) && missed > t->kp_missed) {
			t->stats.free_missed += missed - t->kp_missed;
			t->kp_missed = missed;
		}
	}
	if (t->jq) {
		uint64_t now = util_mono_ns();

		/*
		 * Events were lost, or a free was missed by its kprobe, since the last count:
		 * then, no skb followed can be trusted to be the one its address was. What was
		 * handed out is older than that count (it waited the hold); the events of the
		 * time between the two counts join nothing, and every track is forgotten first.
		 */
		if (t->stats.lost + t->stats.journey_lost + t->stats.free_missed > t->lost_seen) {
			t->lost_seen = t->stats.lost + t->stats.journey_lost + t->stats.free_missed;
			if (t->ntaint && t->ntaint == sizeof(t->taint) / sizeof(t->taint[0])) {
				t->taint[t->ntaint - 1].to = now;	/* one window more */
			} else {
				t->taint[t->ntaint].from = t->counted;
				t->taint[t->ntaint].to = now;
				t->taint[t->ntaint++].entered = false;
			}
		}
		t->counted = now;
	}
	if (t->jq && !ret) {
		/*
		 * In time order across the rings, up to a time every ring has written by now
		 * (a sample is in its ring microseconds after its timestamp); all once stopped.
		 */
		uint64_t upto = t->stopped ? UINT64_MAX : t->now > JOURNEY_HOLD_NS ?
			t->now - JOURNEY_HOLD_NS : 0;

		ret = jqueue_release(t->jq, upto, release_sample, t);
	}
	return ret;
}
