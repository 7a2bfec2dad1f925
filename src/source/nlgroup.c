// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nlgroup.h"
#include "print.h"

/* The process holding socket inode @ino: "PID (comm)" in @out, else false. */
static bool holder_of(unsigned long ino, char *out, size_t len)
{
	char want[64], path[600], link[64];
	DIR *proc = opendir("/proc");
	struct dirent *p;
	bool found = false;

	if (!proc)
		return false;
	snprintf(want, sizeof(want), "socket:[%lu]", ino);
	while (!found && (p = readdir(proc))) {
		DIR *fds;
		struct dirent *f;

		if (p->d_name[strspn(p->d_name, "0123456789")] || !p->d_name[0])
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!found && (f = readdir(fds))) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, f->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			found = !strcmp(link, want);
		}
		closedir(fds);
		if (found) {
			char comm[64] = "?", safe[80];
			FILE *c;

			snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
			c = fopen(path, "r");
			if (c) {
				if (fgets(comm, sizeof(comm), c))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(c);
			}
			snprintf(out, len, "%.16s (%s)", p->d_name, pr_escape(safe, sizeof(safe), comm));
		}
	}
	closedir(proc);
	return found;
}

int nlgroup_members_in(const char *text, uint32_t group, char *who, size_t len)
{
	const char *line = text;
	int n = 0;

	who[0] = '\0';
	if (group < 1 || group > 32) {
		snprintf(who, len, "/proc/net/netlink shows groups 1 to 32 only, not %" PRIu32, group);
		return -1;
	}
	for (; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		unsigned long proto, groups, ino;
		long portid;
		char name[100];

		/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; sk may read "(____ptrval____)" */
		if (sscanf(line, "%*s %lu %ld %lx %*u %*u %*u %*u %*u %lu", &proto, &portid, &groups,
			   &ino) != 4)
			continue;	/* the heading, or a line we do not read */
		if (proto != NETLINK_GENERIC || !(groups & (1ul << (group - 1))))
			continue;
		if (!holder_of(ino, name, sizeof(name)))
			snprintf(name, sizeof(name), "socket of port %ld", portid);
		if (strlen(who) + strlen(name) + 3 < len)
			snprintf(who + strlen(who), len - strlen(who), "%s%s", n ? ", " : "", name);
		n++;
	}
	return n;
}

int nlgroup_members(uint32_t group, char *who, size_t len)
{
	FILE *f = fopen("/proc/net/netlink", "r");
	char *text;
	size_t n;
	int ret;

	if (!f) {
		snprintf(who, len, "/proc/net/netlink: %s", strerror(errno));
		return -1;
	}
	text = calloc(1, 1 << 20);
	n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!text) {
		snprintf(who, len, "out of memory");
		return -1;
	}
	text[n] = '\0';
	ret = nlgroup_members_in(text, group, who, len);
	free(text);
	return ret;
}
