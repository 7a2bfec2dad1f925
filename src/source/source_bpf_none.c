// SPDX-License-Identifier: GPL-2.0-or-later
/* The eBPF source, left out of a build without clang for -target bpf or bpftool. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "source.h"

int source_bpf_open(struct source **out, bool packet, char *why, size_t whylen)
{
	(void)packet;
	*out = NULL;
	snprintf(why, whylen, "eBPF source: left out of this build (configured with --disable-bpf, "
		 "or without clang for -target bpf or bpftool: apt-get install clang bpftool, then "
		 "configure and build again)");
	return -ENOSYS;
}

int source_bpf_summary_check(const struct filter *f, const struct agg_spec *key, char *why,
			     size_t len)
{
	(void)f;
	(void)key;
	(void)why;
	(void)len;
	return 0;
}

struct reason_cat *source_bpf_reasons(struct source *s)
{
	(void)s;
	return NULL;
}

int source_bpf_stats(struct source *s, struct source_bpf_stats *st)
{
	(void)s;
	memset(st, 0, sizeof(*st));
	return -ENOENT;
}
