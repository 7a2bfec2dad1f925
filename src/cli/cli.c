// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <getopt.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "exitcodes.h"
#include "print.h"
#include "util.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int cli_split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

int cli_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

int cli_parse_size(const char *s, uint32_t max, uint32_t *out)
{
	char num[16];
	size_t n = s ? strlen(s) : 0;
	uint64_t mult = 1;
	uint32_t v;
	int err;

	if (!n || n >= sizeof(num))
		return n ? -ERANGE : -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'k': case 'K':
		mult = 1024;
		break;
	case 'm': case 'M':
		mult = 1024 * 1024;
		break;
	case 'g': case 'G':
		mult = 1024 * 1024 * 1024;
		break;
	}
	if (mult > 1)
		num[n - 1] = '\0';
	err = cli_parse_u32(num, &v);
	if (err)
		return err;
	if ((uint64_t)v * mult > max)
		return -ERANGE;
	*out = (uint32_t)(v * mult);
	return 0;
}

int cli_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "on", "yes", "1" };
	static const char *const no[] = { "false", "off", "no", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int cli_bad_option(char **argv, int c)
{
	char safe[128], o[3] = { '-', (char)optopt, '\0' };
	/* A long option is named by the word itself, a short one by optopt. */
	const char *last = argv[optind - 1];
	const char *word = !strncmp(last, "--", 2) || !optopt ? last : o;

	pr_escape(safe, sizeof(safe), word);
	if (c == ':')
		util_err("option %s needs a value (try --help)", safe);
	else
		util_err("unknown option %s (try --help)", safe);
	return DW_EXIT_USAGE;
}

int cli_bad_value(const char *opt, const char *arg, const char *what)
{
	char safe[128];

	util_err("%s: '%s' is not %s", opt, pr_escape(safe, sizeof(safe), arg), what);
	return DW_EXIT_USAGE;
}
