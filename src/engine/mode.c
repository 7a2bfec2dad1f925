// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The modes' table, and the default one: drops, each through the filters into the
 * alerts and the table (NET_DM's summary and packet alert modes, and the other
 * sources' equivalents).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "mode.h"

const struct mode mode_drops = {
	.name = "drops",
};

const struct mode *const modes[] = {
	&mode_drops,
	&mode_tcp,
	&mode_times,
	NULL,
};

_Static_assert(sizeof(modes) / sizeof(modes[0]) <= MODE_MAX + 1, "MODE_MAX is too small");

const struct mode *mode_find(const char *name)
{
	size_t i;

	for (i = 1; modes[i]; i++)
		if (!strcmp(modes[i]->name, name))
			return modes[i];
	return NULL;
}

const char *mode_list(char *buf, size_t len, const char *head, bool help)
{
	size_t i, n = 0, used;

	for (i = 1; modes[i]; i++)
		n++;
	used = (size_t)snprintf(buf, len, "%s", head);
	for (i = 1; modes[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i == n ? " or " : ", ",
					 help ? modes[i]->help : modes[i]->name);
	return buf;
}
