// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The layouts, as the runtimes and systemd make them (deepest component
 * first wins; "ID" is 64 hex digits):
 *   Docker       .../docker-ID.scope (systemd driver), /docker/ID (cgroupfs)
 *   Kubernetes   .../kubepods-<qos>-pod<UID with _>.slice/cri-containerd-ID.scope,
 *                .../crio-ID.scope (systemd driver); /kubepods/<qos>/pod<UID>/ID
 *                (cgroupfs driver: the runtime is not in the path)
 *   Podman       .../libpod-ID.scope[/container] (systemd), /libpod_parent/libpod-ID
 *   nspawn       /machine.slice/machine-NAME.scope[/payload] (NAME escaped: \x2d is '-')
 *   LXC, LXD     /lxc.payload.NAME[/...] (LXC 4 and later), /lxc/NAME (before)
 *   systemd      .../NAME.service
 * The runtimes' helper processes (crio-conmon-ID.scope, libpod-conmon-ID.scope,
 * lxc.monitor.NAME) live in the host's namespace and name nothing here.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "owner.h"

#define HEXID_LEN 64

struct comp {
	const char *s;
	size_t len;
};

static bool has_prefix(const struct comp *c, const char *p)
{
	size_t n = strlen(p);

	return c->len >= n && !memcmp(c->s, p, n);
}

static bool has_suffix(const struct comp *c, const char *p)
{
	size_t n = strlen(p);

	return c->len >= n && !memcmp(c->s + c->len - n, p, n);
}

static bool is_hexid(const char *s, size_t len)
{
	if (len != HEXID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* @c is PREFIX + ID + SUFFIX: the ID into @o->id. */
static bool hexid_between(const struct comp *c, const char *prefix, const char *suffix,
			  struct ns_owner *o)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (!has_prefix(c, prefix) || !has_suffix(c, suffix) || c->len < p + s ||
	    !is_hexid(c->s + p, c->len - p - s))
		return false;
	memcpy(o->id, c->s + p, HEXID_LEN);
	o->id[HEXID_LEN] = '\0';
	return true;
}

/* A name between @prefix and @suffix, systemd's \xHH escapes undone. */
static bool name_between(const struct comp *c, const char *prefix, const char *suffix,
			 struct ns_owner *o)
{
	size_t p = strlen(prefix), s = strlen(suffix), n = 0;
	const char *v = c->s + p, *end = c->s + c->len - s;

	if (!has_prefix(c, prefix) || !has_suffix(c, suffix) || c->len <= p + s)
		return false;
	while (v < end && n < sizeof(o->id) - 1) {
		unsigned int x;

		if (end - v >= 4 && v[0] == '\\' && v[1] == 'x' && isxdigit((unsigned char)v[2]) &&
		    isxdigit((unsigned char)v[3]) && sscanf(v + 2, "%2x", &x) == 1) {
			o->id[n++] = (char)x;
			v += 4;
		} else {
			o->id[n++] = *v++;
		}
	}
	o->id[n] = '\0';
	return n > 0;
}

/* A component as it is, into @o->id (cut to fit). */
static void name_of(const struct comp *c, size_t skip, struct ns_owner *o)
{
	size_t n = c->len - skip < sizeof(o->id) - 1 ? c->len - skip : sizeof(o->id) - 1;

	memcpy(o->id, c->s + skip, n);
	o->id[n] = '\0';
}

/*
 * Kubernetes' pod UID: "pod<UID>" (cgroupfs) or "kubepods[-QOS]-pod<UID>.slice"
 * with the UID's dashes written as underscores (systemd).
 */
static bool pod_uid(const struct comp *c, struct ns_owner *o)
{
	const char *at;
	size_t n, i;

	if (has_prefix(c, "kubepods") && has_suffix(c, ".slice")) {
		at = NULL;
		for (i = 0; i + 4 <= c->len; i++)
			if (!memcmp(c->s + i, "-pod", 4))
				at = c->s + i + 4;
		if (!at)
			return false;
		n = (size_t)(c->s + c->len - strlen(".slice") - at);
	} else if (has_prefix(c, "pod")) {
		at = c->s + 3;
		n = c->len - 3;
	} else {
		return false;
	}
	if (n != 36)
		return false;
	for (i = 0; i < n; i++) {
		char ch = at[i] == '_' ? '-' : at[i];

		if (!(isxdigit((unsigned char)ch) || ch == '-'))
			return false;
		o->pod[i] = ch;
	}
	o->pod[n] = '\0';
	return true;
}

static void make_text(struct ns_owner *o)
{
	bool hex = is_hexid(o->id, strlen(o->id));

	if (o->pod[0])
		snprintf(o->text, sizeof(o->text), "k8s:%s/%s%s%.*s", o->pod,
			 o->runtime ? o->runtime : "", o->runtime ? ":" : "", hex ? 12 : 64, o->id);
	else
		snprintf(o->text, sizeof(o->text), "%s:%.*s", o->runtime, hex ? 12 : 71, o->id);
}

bool owner_from_path(const char *path, struct ns_owner *o)
{
	struct comp c[64];
	size_t n = 0, i;
	const char *p = path;

	memset(o, 0, sizeof(*o));
	while (*p && n < sizeof(c) / sizeof(c[0])) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/\n");
		if (!len)
			break;
		c[n++] = (struct comp){ p, len };
		p += len;
	}
	for (i = n; i-- > 0 && !o->runtime;) {
		const struct comp *k = &c[i];

		if (hexid_between(k, "docker-", ".scope", o))
			o->runtime = "docker";
		else if (hexid_between(k, "cri-containerd-", ".scope", o))
			o->runtime = "containerd";
		else if (hexid_between(k, "crio-", ".scope", o) || hexid_between(k, "crio-", "", o))
			o->runtime = "cri-o";
		else if (hexid_between(k, "libpod-", ".scope", o) || hexid_between(k, "libpod-", "", o))
			o->runtime = "podman";
		else if (i > 0 && c[i - 1].len == 6 && !memcmp(c[i - 1].s, "docker", 6) &&
			 is_hexid(k->s, k->len) && hexid_between(k, "", "", o))
			o->runtime = "docker";
		else if (i > 0 && has_prefix(&c[i - 1], "pod") && is_hexid(k->s, k->len) &&
			 hexid_between(k, "", "", o))
			o->runtime = "";	/* Kubernetes' cgroupfs layout: the runtime is not said */
		else if (has_prefix(k, "machine-") && has_suffix(k, ".scope") &&
			 name_between(k, "machine-", ".scope", o))
			o->runtime = "nspawn";
		else if (has_prefix(k, "lxc.payload.") && k->len > 12) {
			name_of(k, 12, o);
			o->runtime = "lxc";
		} else if (i > 0 && c[i - 1].len == 3 && !memcmp(c[i - 1].s, "lxc", 3)) {
			name_of(k, 0, o);
			o->runtime = "lxc";
		}
	}
	if (!o->runtime) {
		/* Not a container: the innermost systemd service, if any. */
		for (i = n; i-- > 0;)
			if (has_suffix(&c[i], ".service") && c[i].len > 8) {
				name_of(&c[i], 0, o);
				o->runtime = "systemd";
				break;
			}
	}
	if (!o->runtime)
		return false;
	for (i = 0; i < n; i++)
		if (pod_uid(&c[i], o))
			break;
	if (!*o->runtime)
		o->runtime = NULL;	/* said by "k8s:" alone */
	if (!o->runtime && !o->pod[0]) {
		memset(o, 0, sizeof(*o));
		return false;
	}
	make_text(o);
	return true;
}

bool owner_from_cgroup(const char *text, size_t len, struct ns_owner *o)
{
	struct ns_owner svc = { 0 };
	bool have_svc = false;
	size_t i = 0;

	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		const char *c1 = memchr(line, ':', ll), *c2;
		char path[4096];

		i += ll + 1;
		if (!c1 || !(c2 = memchr(c1 + 1, ':', ll - (size_t)(c1 + 1 - line))))
			continue;
		c2++;
		if ((size_t)(line + ll - c2) >= sizeof(path))
			continue;
		memcpy(path, c2, (size_t)(line + ll - c2));
		path[line + ll - c2] = '\0';
		if (!owner_from_path(path, o))
			continue;
		if (o->runtime && strcmp(o->runtime, "systemd"))
			return true;
		if (!o->runtime)
			return true;	/* a pod's container */
		if (!have_svc) {
			svc = *o;
			have_svc = true;
		}
	}
	*o = svc;
	return have_svc;
}
