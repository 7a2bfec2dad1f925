// SPDX-License-Identifier: GPL-2.0-or-later
/* The frees of an skb that no tracepoint reports, and which to hook on a kernel (skbfree.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "skbfree.h"

const struct skbfree_fn skbfree_all[] = {
	{ "kfree_skbmem", 0, NULL },
	{ "napi_skb_cache_put", 0, NULL },
	{ "__kfree_skb_defer", 0, "napi_skb_cache_put" },
	{ "napi_skb_free_stolen_head", 0, "napi_skb_cache_put" },
	{ "kfree_skb_partial", 0, NULL },
	{ "skb_morph", 0, NULL },
	{ "napi_reuse_skb", 1, NULL },
};
const size_t skbfree_count = sizeof(skbfree_all) / sizeof(skbfree_all[0]);
_Static_assert(sizeof(skbfree_all) / sizeof(skbfree_all[0]) <= SKBFREE_MAX, "SKBFREE_MAX");

int skbfree_find(const char *name)
{
	/* The first letter first: a pass over the kernel's BTF asks this of every function. */
	for (size_t i = 0; i < skbfree_count; i++)
		if (name[0] == skbfree_all[i].name[0] && !strcmp(name, skbfree_all[i].name))
			return (int)i;
	return -1;
}

int skbfree_plan(bool (*have)(const char *name, void *arg), void *arg,
		 const struct skbfree_fn **out, char *why, size_t whylen)
{
	size_t i, k;
	int n = 0;

	for (i = 0; i < skbfree_count; i++) {
		const struct skbfree_fn *f = &skbfree_all[i];

		if (f->inlined) {
			/* Only where the one it stands for cannot be hooked. */
			if (have(f->inlined, arg))
				continue;
			if (!have(f->name, arg)) {
				snprintf(why, whylen, "%s (nor %s)", f->name, f->inlined);
				return -ENOENT;
			}
		} else if (!have(f->name, arg)) {
			/* Inlined: the functions that stand for it, every one. */
			for (k = 0; k < skbfree_count; k++)
				if (skbfree_all[k].inlined && !strcmp(skbfree_all[k].inlined, f->name))
					break;
			if (k < skbfree_count)
				continue;	/* checked as they come */
			snprintf(why, whylen, "%s", f->name);
			return -ENOENT;
		}
		out[n++] = f;
	}
	return n;
}
