// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capdrop: runs a program as root without some capabilities, for the tests of
 * what dropwatch says when one is missing (the VM's busybox has no setpriv).
 *
 *   capdrop CAP[,CAP...] PROGRAM [ARGS...]      (CAP: net_admin, sys_admin, perfmon, net_raw, bpf)
 *   capdrop --as UID CAP[,CAP...]|none PROGRAM [ARGS...]
 *
 * The second form runs PROGRAM as user UID (and group UID, no other groups)
 * with only the CAPs named (or none: "none"), as ambient capabilities: what
 * systemd gives a service with DynamicUser= and AmbientCapabilities=. A
 * PROGRAM named by a path is opened before the user is changed and run from
 * that descriptor, so that it runs wherever it lies: a build tree in /root
 * (mode 0700 on Debian) is no place that user may enter.
 *
 * Each capability is dropped from the bounding set, and from the inheritable,
 * permitted and effective sets, so that the exec'd program, root as it is,
 * does not get it back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

static int cap_from_name(const char *name)
{
	static const struct { const char *name; int cap; } caps[] = {
		{ "net_admin", CAP_NET_ADMIN },
		{ "sys_admin", CAP_SYS_ADMIN },
		{ "perfmon", 38 /* CAP_PERFMON, newer than some headers */ },
		{ "net_raw", CAP_NET_RAW },
		{ "bpf", 39 /* CAP_BPF, newer than some headers */ },
	};
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!strcmp(caps[i].name, name))
			return caps[i].cap;
	return -1;
}

/* --as UID CAPS PROGRAM...: become UID with CAPS only, ambient so that exec keeps them. */
static int run_as(char **argv)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	uid_t uid = (uid_t)strtoul(argv[0], NULL, 10);
	char *list = strdup(argv[1]), *name, *save = NULL;
	int caps[8], n = 0, fd = -1;

	/* Not O_CLOEXEC: fexecve() of a script needs the descriptor after the exec. */
	if (strchr(argv[2], '/') && (fd = open(argv[2], O_PATH)) < 0) {
		fprintf(stderr, "capdrop: %s: %s\n", argv[2], strerror(errno));
		return 127;
	}
	for (name = strtok_r(list, ",", &save); name && n < 8; name = strtok_r(NULL, ",", &save)) {
		if (!strcmp(name, "none"))
			continue;
		if ((caps[n] = cap_from_name(name)) < 0) {
			fprintf(stderr, "capdrop: unknown capability '%s'\n", name);
			return 2;
		}
		data[caps[n] / 32].effective |= 1u << (caps[n] % 32);
		data[caps[n] / 32].permitted |= 1u << (caps[n] % 32);
		data[caps[n] / 32].inheritable |= 1u << (caps[n] % 32);
		n++;
	}
	free(list);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) || setgid(uid) ||
	    setuid(uid)) {
		perror("capdrop: becoming the user");
		return 1;
	}
	if (syscall(SYS_capset, &hdr, data)) {
		perror("capdrop: capset");
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, caps[i], 0, 0)) {
			perror("capdrop: PR_CAP_AMBIENT_RAISE");
			return 1;
		}
	if (fd >= 0) {
		extern char **environ;

		fexecve(fd, argv + 2, environ);
	} else {
		execvp(argv[2], argv + 2);
	}
	perror("capdrop: exec");
	return 127;
}

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	char *list, *name, *save = NULL;

	if (argc >= 5 && !strcmp(argv[1], "--as"))
		return run_as(argv + 2);
	if (argc < 3) {
		fprintf(stderr, "usage: capdrop [--as UID] CAP[,CAP...] PROGRAM [ARGS...]\n");
		return 2;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		perror("capdrop: capget");
		return 1;
	}
	list = strdup(argv[1]);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int cap = cap_from_name(name);

		if (cap < 0) {
			fprintf(stderr, "capdrop: unknown capability '%s'\n", name);
			return 2;
		}
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
			perror("capdrop: PR_CAPBSET_DROP");
			return 1;
		}
		data[cap / 32].effective &= ~(1u << (cap % 32));
		data[cap / 32].permitted &= ~(1u << (cap % 32));
		data[cap / 32].inheritable &= ~(1u << (cap % 32));
	}
	free(list);
	if (syscall(SYS_capset, &hdr, data)) {
		perror("capdrop: capset");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("capdrop: exec");
	return 127;
}
