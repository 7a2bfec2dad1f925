// SPDX-License-Identifier: GPL-2.0-or-later
/* Kprobe events on the frees of an skb, made in tracefs (kprobe.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kprobe.h"
#include "util.h"

#if defined(__x86_64__)
static const char *const arg_reg[] = { "%di", "%si" };
#elif defined(__aarch64__)
static const char *const arg_reg[] = { "%x0", "%x1" };
#else
static const char *const arg_reg[] = { NULL, NULL };
#endif

#define TRACEFS "/sys/kernel/tracing"

/* Writes @cmd to @root's kprobe_events (appending): 0 or -errno. */
static int kprobe_write(const char *root, const char *cmd)
{
	char path[96];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", root);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int kprobe_sweep_stale(const char *root)
{
	char path[128], cmd[300];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/events/" KPROBE_GROUP, root);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		long pid;
		char *end;

		if (strncmp(de->d_name, "dw", 2))
			continue;
		pid = strtol(de->d_name + 2, &end, 10);
		if (pid <= 0 || *end != '_')
			continue;	/* not one of ours */
		if (!kill((pid_t)pid, 0) || errno != ESRCH)
			continue;	/* its dropwatch still runs */
		snprintf(cmd, sizeof(cmd), "-:" KPROBE_GROUP "/%s\n", de->d_name);
		if (!kprobe_write(root, cmd))
			n++;
	}
	closedir(d);
	return n;
}

struct make_ctx {
	struct kprobe_set *k;
	struct kprobe_ev made[2 * SKBFREE_MAX];
	int nmade;
	int err;		/* the first failure that is not "no such function" */
};

/* Whether a kprobe event on @name could be made (once: the plan asks again). */
static bool make_event(const char *name, void *arg)
{
	struct make_ctx *c = arg;
	struct kprobe_ev *e;
	unsigned int reg = 0;
	char cmd[200];
	int i, err;

	for (i = 0; i < c->nmade; i++)
		if (!strcmp(c->made[i].fn->name, name))
			return true;
	i = skbfree_find(name);
	if (i < 0 || c->nmade == 2 * SKBFREE_MAX)
		return false;
	reg = skbfree_all[i].arg;
	e = &c->made[c->nmade];
	memset(e, 0, sizeof(*e));
	e->fn = &skbfree_all[i];
	snprintf(e->name, sizeof(e->name), "dw%ld_%s", (long)getpid(), name);
	snprintf(cmd, sizeof(cmd), "p:" KPROBE_GROUP "/%s %s skbaddr=%s:x64\n", e->name, name,
		 arg_reg[reg]);
	err = kprobe_write(c->k->root, cmd);
	if (!err) {
		c->nmade++;
		return true;
	}
	/* A function the kernel has not (inlined everywhere), or cannot probe. */
	if (err != -ENOENT && err != -EINVAL && err != -EADDRNOTAVAIL && err != -EILSEQ &&
	    !c->err)
		c->err = err;
	return false;
}

static void remove_event(const char *root, const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "-:" KPROBE_GROUP "/%s\n", name);
	kprobe_write(root, cmd);
}

/* Finds tracefs, mounting it for the set's life when it is not: 0 or -errno, why in @why. */
static int find_tracefs(struct kprobe_set *k, char *why, size_t whylen)
{
	static const char *const roots[] = { TRACEFS, "/sys/kernel/debug/tracing" };
	char path[96];
	struct stat st;
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/kprobe_events", roots[i]);
		if (!access(path, F_OK)) {
			snprintf(k->root, sizeof(k->root), "%s", roots[i]);
			return 0;
		}
	}
	if (stat(TRACEFS "/events", &st)) {
		if (mount("nodev", TRACEFS, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
			int err = -errno;

			snprintf(why, whylen, "tracefs is not mounted, and mounting it at " TRACEFS
				 " failed: %s%s", strerror(-err), err == -EPERM ?
				 " (it needs CAP_SYS_ADMIN)" : "");
			return err;
		}
		k->mounted = true;
		snprintf(k->root, sizeof(k->root), TRACEFS);
		if (!access(TRACEFS "/kprobe_events", F_OK))
			return 0;
	}
	snprintf(why, whylen, "this kernel has no kprobe events (no kprobe_events in tracefs: "
		 "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS)");
	return -ENOENT;
}

int kprobe_set_open(struct kprobe_set *k, char *why, size_t whylen)
{
	static const char *const field[] = { "skbaddr" };
	struct make_ctx *c;
	const struct skbfree_fn *plan[SKBFREE_MAX];
	char missing[96], path[160], ferr[120];
	int n, i, j, err;

	memset(k, 0, sizeof(*k));
	if (!arg_reg[0]) {
		snprintf(why, whylen, "on this architecture we do not know which register holds a "
			 "function's argument, which a kprobe on a free must read");
		return -EOPNOTSUPP;
	}
	err = find_tracefs(k, why, whylen);
	if (err) {
		kprobe_set_close(k);
		return err;
	}
	kprobe_sweep_stale(k->root);
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		kprobe_set_close(k);
		return -ENOMEM;
	}
	c->k = k;
	n = skbfree_plan(make_event, c, plan, missing, sizeof(missing));
	/* What the plan takes stays; what it asked of and leaves goes. */
	for (i = 0; i < c->nmade; i++) {
		for (j = 0; n > 0 && j < n && plan[j] != c->made[i].fn; j++)
			;
		if (n > 0 && j < n)
			k->ev[k->n++] = c->made[i];
		else
			remove_event(k->root, c->made[i].name);
	}
	err = c->err;
	if (err == -EACCES || err == -EPERM) {
		snprintf(why, whylen, "writing %s/kprobe_events: %s (kprobe events need "
			 "CAP_SYS_ADMIN)", k->root, strerror(-err));
	} else if (n < 0) {
		snprintf(why, whylen, "no kprobe can be put on %s%s%s", missing,
			 err ? ": " : " (it is not in this kernel's symbols)", err ? strerror(-err) : "");
		err = n;
	}
	for (i = 0; !err && i < k->n; i++) {
		struct kprobe_ev *e = &k->ev[i];
		char *text;
		size_t len;

		snprintf(path, sizeof(path), "%s/events/" KPROBE_GROUP "/%s/format", k->root, e->name);
		err = util_read_file(path, 16384, &text, &len);
		if (err) {
			snprintf(why, whylen, "cannot read %s: %s", path, strerror(-err));
			break;
		}
		if (tp_fields_parse(text, len, field, 1, &e->skbaddr, &e->id, ferr, sizeof(ferr)) ||
		    !e->skbaddr.present || e->skbaddr.size != 8) {
			err = -EINVAL;
			snprintf(why, whylen, "%s: no 8-byte skbaddr field", path);
		}
		free(text);
	}
	free(c);
	if (err)
		kprobe_set_close(k);
	return err;
}

void kprobe_set_close(struct kprobe_set *k)
{
	int i;

	for (i = 0; i < k->n; i++)
		remove_event(k->root, k->ev[i].name);
	k->n = 0;
	if (k->mounted && umount2(TRACEFS, 0))
		umount2(TRACEFS, MNT_DETACH);
	k->mounted = false;
}

int kprobe_set_missed(const struct kprobe_set *k, uint64_t *missed)
{
	char path[96], line[256];
	FILE *f;

	*missed = 0;
	if (!k->n)
		return 0;
	snprintf(path, sizeof(path), "%s/kprobe_profile", k->root);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* "  NAME  NHIT  NMISSED" */
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		uint64_t hit, miss;

		if (sscanf(line, "%63s %" SCNu64 " %" SCNu64, name, &hit, &miss) != 3)
			continue;
		for (int i = 0; i < k->n; i++)
			if (!strcmp(name, k->ev[i].name))
				*missed += miss;
	}
	fclose(f);
	return 0;
}

const struct kprobe_ev *kprobe_set_find(const struct kprobe_set *k, int64_t id)
{
	for (int i = 0; i < k->n; i++)
		if (k->ev[i].id == id)
			return &k->ev[i];
	return NULL;
}

int kprobe_decode(const struct kprobe_ev *e, const void *raw, size_t len, uint64_t *skb)
{
	if ((size_t)e->skbaddr.offset + 8 > len)
		return -EBADMSG;
	*skb = (uint64_t)tp_field_int(raw, &e->skbaddr);
	return 0;
}
