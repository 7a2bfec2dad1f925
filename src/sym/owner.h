/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who owns a network namespace, from the cgroup of a process inside it: the
 * container runtimes' cgroup layouts (Docker, containerd and CRI-O under
 * Kubernetes, Podman, systemd-nspawn and machined, LXC and LXD) and plain
 * systemd services, in cgroup v1 and v2. Pure: text in, owner out; no
 * runtime's API and no daemon's socket.
 */
#ifndef DW_OWNER_H
#define DW_OWNER_H

#include <stdbool.h>
#include <stddef.h>

#define OWNER_TEXT_MAX 160

struct ns_owner {
	const char *runtime;		/* "docker", "containerd", "cri-o", "podman", "nspawn",
					 * "lxc", "systemd"; NULL when no layout matched */
	char id[72];			/* a container's id (hex) or name, a unit's name */
	char pod[40];			/* a Kubernetes pod's UID, "" when none */
	/*
	 * What dropwatch shows: "docker:0123456789ab" (ids cut to 12, as docker ps
	 * does), "k8s:POD-UID/containerd:0123456789ab", "nspawn:NAME",
	 * "systemd:NAME.service". Raw bytes of the path: escape before printing.
	 */
	char text[OWNER_TEXT_MAX];
};

/* One cgroup path ("/system.slice/docker-ID.scope"): true when a layout matched. */
bool owner_from_path(const char *path, struct ns_owner *o);
/*
 * The text of /proc/PID/cgroup (v2's "0::PATH", v1's "N:CONTROLLERS:PATH"
 * lines): a container runtime's layout on any line first, else a systemd
 * service. True when one matched.
 */
bool owner_from_cgroup(const char *text, size_t len, struct ns_owner *o);

#endif
