// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the running kernel lets the eBPF source's program do, and what it says of it:
 * the tracepoint's arguments and the functions its BTF has, lockdown, and the
 * verifier's log kept in a file for the one line said.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "bpf_kernel.h"

/*
 * The tracepoint's arguments on this kernel, from its BTF: the prototype of
 * btf_trace_kfree_skb, whose first parameter is the context. 0 without it.
 */
int bpf_tracepoint_args(const struct btf *btf)
{
	__s32 id = btf__find_by_name_kind(btf, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;

	if (t)
		t = btf__type_by_id(btf, t->type);	/* the pointer */
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);	/* the prototype */
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 3)
		return 0;
	return (int)btf_vlen(t) - 1;
}

void bpf_func_set_fill(struct bpf_func_set *set, const struct btf *btf)
{
	unsigned int id, n = btf__type_cnt(btf);

	memset(set, 0, sizeof(*set));
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;
		int i;

		if (!t || !btf_is_func(t) || !(name = btf__name_by_offset(btf, t->name_off)))
			continue;
		i = skbfree_find(name);
		if (i >= 0)
			set->found[i] = true;
	}
}

bool bpf_in_set(const char *name, void *arg)
{
	const struct bpf_func_set *set = arg;
	int i = skbfree_find(name);

	return i >= 0 && set->found[i];
}

/* What the kernel's lockdown says, "" when it has none or does not say. */
static const char *lockdown(char *buf, size_t size)
{
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	char *open_b, *close_b;

	buf[0] = '\0';
	if (!f)
		return buf;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!open_b || !close_b) {
		buf[0] = '\0';
		return buf;
	}
	*close_b = '\0';
	memmove(buf, open_b + 1, strlen(open_b + 1) + 1);
	return strcmp(buf, "none") ? buf : "";
}

/*
 * Whether lockdown's confidentiality level takes the helpers that read kernel memory
 * away (a program that reads it through BTF alone still loads: it is refused all the
 * same, as every mode but a summary needs them): true, said in @why.
 */
bool bpf_locked_down(char *why, size_t whylen)
{
	char lock[64];

	if (strcmp(lockdown(lock, sizeof(lock)), "confidentiality"))
		return false;
	snprintf(why, whylen, "eBPF source: the kernel is locked down (%s), which lets no eBPF "
		 "program read kernel memory: boot without lockdown=%s, or take NET_DM or the "
		 "tracepoint (--source netdm or trace)", lock, lock);
	return true;
}

/* The verifier's log kept in a file of its own (0600); its last line into @last. */
void bpf_keep_log(const char *log, char *path, size_t pathlen, char *last, size_t lastlen)
{
	const char *tmp = getenv("TMPDIR");
	const char *end, *start;
	size_t len = strlen(log);
	int fd;

	path[0] = last[0] = '\0';
	/* The last line that says what is wrong: not the statistics that follow it. */
	for (;;) {
		while (len && log[len - 1] == '\n')
			len--;
		end = log + len;
		for (start = end; start > log && start[-1] != '\n'; start--)
			;
		if (start == log || (strncmp(start, "processed ", 10) &&
				     strncmp(start, "verification time", 17)))
			break;
		len = (size_t)(start - log);
	}
	snprintf(last, lastlen, "%.*s", (int)(end - start), start);
	snprintf(path, pathlen, "%s/dropwatch-verifier.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		path[0] = '\0';
		return;
	}
	if (write(fd, log, strlen(log)) < 0)
		path[0] = '\0';
	close(fd);
}
