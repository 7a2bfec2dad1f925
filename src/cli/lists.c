// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The names a setting's value is checked against and completed from: the running
 * kernel's drop reasons (from the source, else its BTF or tracefs) and this system's
 * interfaces.
 */
#include "config.h"

#include <stdlib.h>
#include <net/if.h>

#include "dw.h"
#include "reasons.h"
#include "trace.h"

const struct reason_cat *catalogue(struct dw *d)
{
	struct trace_src *tr = source_trace(d->src);

	if (tr && trace_reasons(tr))
		return trace_reasons(tr);
	if (source_bpf_reasons(d->src))
		return source_bpf_reasons(d->src);
	if (!CLI(d)->reasons)
		CLI(d)->reasons = reasons_load(NULL);
	return CLI(d)->reasons;
}

/*
 * The running kernel's reason names, then @extra's words, NULL-terminated (free
 * it); *@n is the number of reason names. NULL without memory or catalogue.
 */
const char **reason_names(struct dw *d, const char *const *extra, size_t *n)
{
	const struct reason_cat *cat = catalogue(d);
	size_t count = cat ? reasons_count(cat) : 0, i, k = 0;
	const char **w;

	for (i = 0; extra && extra[i]; i++)
		k++;
	w = cat ? calloc(count + k + 1, sizeof(*w)) : NULL;
	if (!w)
		return NULL;
	for (i = 0; i < count; i++)
		w[i] = reasons_name(cat, i);
	for (i = 0; i < k; i++)
		w[count + i] = extra[i];
	*n = count;
	return w;
}

/* This system's interface names into @w (at most @max - 1, NULL-terminated); free *@ifs. */
size_t dev_names(struct if_nameindex **ifs, const char **w, size_t max)
{
	struct if_nameindex *i;
	size_t n = 0;

	*ifs = if_nameindex();
	for (i = *ifs; i && i->if_name && n < max - 1; i++)
		w[n++] = i->if_name;
	w[n] = NULL;
	return n;
}
