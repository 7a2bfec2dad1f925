// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's counter files into named counters. Every line is taken on its
 * own: one that is too long, a value that is not a number, a values line
 * whose group or length does not match its names line, are skipped and
 * counted; the rest of the file is still read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"

#define LINE_MAX_LEN 8192
#define FIELDS_MAX 512

void counters_init(struct counter_set *s)
{
	memset(s, 0, sizeof(*s));
}

void counters_free(struct counter_set *s)
{
	free(s->c);
	counters_init(s);
}

const struct counter *counters_find(const struct counter_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

int counters_set(struct counter_set *s, const char *name, uint64_t value)
{
	struct counter *c = (struct counter *)counters_find(s, name);

	if (strlen(name) >= COUNTER_NAME_MAX) {
		s->bad++;
		return 0;
	}
	if (!c) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			struct counter *grown = realloc(s->c, cap * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			s->c = grown;
			s->cap = cap;
		}
		c = &s->c[s->n++];
		snprintf(c->name, sizeof(c->name), "%s", name);
	}
	c->value = value;
	return 0;
}

/* The next line of @text (without its newline) into @line; false at the end. */
static bool next_line(const char **p, const char *end, char *line, size_t size, bool *cut)
{
	const char *nl;
	size_t len;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	len = (size_t)((nl ? nl : end) - *p);
	*cut = len >= size;
	if (*cut)
		len = size - 1;
	memcpy(line, *p, len);
	line[len] = '\0';
	*p = nl ? nl + 1 : end;
	return true;
}

/* Splits @line at blanks into at most FIELDS_MAX words; the number of words. */
static size_t words(char *line, char **w)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t && n < FIELDS_MAX;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

static bool number(const char *t, int base, uint64_t *v)
{
	char *end;

	if (!*t || *t == '-' || *t == '+')
		return false;
	errno = 0;
	*v = strtoull(t, &end, base);
	return !errno && !*end;
}

int counters_parse_snmp(struct counter_set *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	static char names[LINE_MAX_LEN], values[LINE_MAX_LEN];
	char *wn[FIELDS_MAX], *wv[FIELDS_MAX], name[COUNTER_NAME_MAX * 2];
	bool cut;

	while (next_line(&p, end, names, sizeof(names), &cut)) {
		size_t nn, nv;

		if (cut || !next_line(&p, end, values, sizeof(values), &cut) || cut) {
			s->bad++;
			continue;
		}
		nn = words(names, wn);
		nv = words(values, wv);
		/* "Group: a b c" then "Group: 1 2 3": the same group, as many values as names. */
		if (nn < 2 || nn != nv || strcmp(wn[0], wv[0]) || wn[0][strlen(wn[0]) - 1] != ':') {
			s->bad++;
			continue;
		}
		wn[0][strlen(wn[0]) - 1] = '\0';
		for (size_t i = 1; i < nn; i++) {
			uint64_t v;

			/* Ip's Forwarding and Tcp's MaxConn are numbers too; some are -1. */
			if (!number(wv[i], 10, &v)) {
				if (strcmp(wv[i], "-1"))
					s->bad++;
				continue;
			}
			snprintf(name, sizeof(name), "%s.%s", wn[0], wn[i]);
			if (counters_set(s, name, v))
				return -ENOMEM;
		}
	}
	return 0;
}

int counters_parse_snmp6(struct counter_set *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	static char line[LINE_MAX_LEN];
	char *w[FIELDS_MAX];
	bool cut;

	while (next_line(&p, end, line, sizeof(line), &cut)) {
		uint64_t v;
		size_t n;

		if (cut) {
			s->bad++;
			continue;
		}
		n = words(line, w);
		if (n == 0)
			continue;
		if (n != 2 || !number(w[1], 10, &v)) {
			s->bad++;
			continue;
		}
		if (counters_set(s, w[0], v))
			return -ENOMEM;
	}
	return 0;
}

/* softnet_stat's columns, as net/core/net-procfs.c softnet_seq_show() prints them. */
static const char *const softnet_cols[] = {
	"processed", "dropped", "time_squeeze", NULL, NULL, NULL, NULL, NULL,
	NULL /* cpu_collision, always 0 */, "received_rps", "flow_limit_count",
};

int counters_parse_softnet(struct counter_set *s, const char *text, size_t len)
{
	const size_t ncols = sizeof(softnet_cols) / sizeof(softnet_cols[0]);
	uint64_t total[sizeof(softnet_cols) / sizeof(softnet_cols[0])] = { 0 };
	const char *p = text, *end = text + len;
	static char line[LINE_MAX_LEN];
	char *w[FIELDS_MAX], name[COUNTER_NAME_MAX];
	unsigned int row = 0;
	bool cut, any = false;

	while (next_line(&p, end, line, sizeof(line), &cut)) {
		size_t n;
		uint64_t v, cpu = row;

		row++;
		if (cut || (n = words(line, w)) < 3) {
			s->bad++;
			continue;
		}
		/* Since 5.10 the 13th column is the CPU's number (offline CPUs have no line). */
		if (n >= 13 && number(w[12], 16, &v))
			cpu = v;
		for (size_t i = 0; i < n && i < ncols; i++) {
			if (!softnet_cols[i])
				continue;
			if (!number(w[i], 16, &v)) {
				s->bad++;
				continue;
			}
			total[i] += v;
			snprintf(name, sizeof(name), "softnet.cpu%llu.%s", (unsigned long long)cpu,
				 softnet_cols[i]);
			if (counters_set(s, name, v))
				return -ENOMEM;
		}
		any = true;
	}
	for (size_t i = 0; any && i < ncols; i++) {
		if (!softnet_cols[i])
			continue;
		snprintf(name, sizeof(name), "softnet.%s", softnet_cols[i]);
		if (counters_set(s, name, total[i]))
			return -ENOMEM;
	}
	return 0;
}

/* A whole file (small: these are a few KiB), malloc'ed; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 16384, n = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			char *grown = cap < (1u << 22) ? realloc(buf, cap * 2) : NULL;

			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
	}
	close(fd);
	*len = n;
	return buf;
}

int counters_read(struct counter_set *s, const char *procnet)
{
	static const struct {
		const char *file;
		int (*parse)(struct counter_set *, const char *, size_t);
	} files[] = {
		{ "snmp", counters_parse_snmp },
		{ "netstat", counters_parse_snmp },
		{ "snmp6", counters_parse_snmp6 },
		{ "softnet_stat", counters_parse_softnet },
	};
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = 0;
		char *text;
		int err;

		snprintf(path, sizeof(path), "%s/%s", procnet, files[i].file);
		text = slurp(path, &len);
		if (!text)
			continue;
		err = files[i].parse(s, text, len);
		free(text);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Reasons and the counters the same code path increments, checked against
 * the kernel's sources (6.1 to 6.18). To be completed (issue 20): the IP,
 * ICMP and checksum reasons, and the link and qdisc counters over rtnetlink.
 */
static const struct {
	const char *reason;
	const char *counters[4];
} reason_counters[] = {
	/* __udp4_lib_rcv(), __udp6_lib_rcv(): UDP_MIB_NOPORTS, then the drop. */
	{ "NO_SOCKET", { "Udp.NoPorts", "Udp6NoPorts", NULL } },
	/* __udp_queue_rcv_skb() (and the IPv6 twin): -ENOMEM from
	 * __udp_enqueue_schedule_skb() counts UDP_MIB_RCVBUFERRORS. */
	{ "SOCKET_RCVBUFF", { "Udp.RcvbufErrors", "Udp6RcvbufErrors", NULL } },
	/* tcp_data_queue(): a zero receive window counts LINUX_MIB_TCPZEROWINDOWDROP. */
	{ "TCP_ZEROWINDOW", { "TcpExt.TCPZeroWindowDrop", NULL } },
	/* tcp_add_backlog(): a full backlog counts LINUX_MIB_TCPBACKLOGDROP. */
	{ "SOCKET_BACKLOG", { "TcpExt.TCPBacklogDrop", NULL } },
	/* enqueue_to_backlog(): sd->dropped, softnet_stat's second column. */
	{ "CPU_BACKLOG", { "softnet.dropped", NULL } },
};

const char *const *counters_of_reason(const char *reason)
{
	for (size_t i = 0; i < sizeof(reason_counters) / sizeof(reason_counters[0]); i++)
		if (!strcmp(reason_counters[i].reason, reason))
			return reason_counters[i].counters;
	return NULL;
}
