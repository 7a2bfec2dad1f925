// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Completion from the settings' table: the values of each setting (the prompt's
 * and bash's, through dropwatch --complete), and the names it checks against (the
 * running kernel's reasons, this system's interfaces).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "dw.h"
#include "reasons.h"
#include "trace.h"
#include "util.h"

static const char *const bool_words[] = { "on", "off", NULL };
static const char *const dir_words[] = { "rx", "tx", "both", NULL };
static const char *const source_words[] = { "auto", "netdm", "trace", "bpf", NULL };
static const char *const format_words[] = { "text", "kv", "json", NULL };
static const char *const lmethod_words[] = { "kas", "kas:", "none", "list", NULL };
static const char *const proto_words[] = { "tcp", "udp", "udplite", "icmp", "icmp6", "sctp",
					    "gre", "esp", "ah", "igmp", "ipv4", "ipv6", "arp", NULL };
static const char *const origin_words[] = { "sw", "hw", NULL };

/*
 * Each reason of the comma-separated @list against the running kernel's: a
 * close miss is refused with the name meant; a name the list does not have
 * is refused, except with NET_DM (whose subsystems name their own reasons),
 * where it is kept with a note.
 */

/* ---- completion ---- */

static void add_words(const char *const *w, const char *prefix, const char *cur,
		      complete_fn add, void *arg)
{
	size_t pl = strlen(prefix), cl = strlen(cur);
	char buf[256];

	for (; *w; w++) {
		snprintf(buf, sizeof(buf), "%s%s", prefix, *w);
		if (!strncmp(buf, cur, cl) && strlen(buf) >= pl)
			add(arg, buf);
	}
}

/*
 * The last element of a comma-separated list is completed; what comes before
 * it (the elements before, and the first @skip bytes: "reason=") is kept.
 */
static void add_list(const char *const *w, const char *cur, size_t skip, complete_fn add,
		     void *arg)
{
	const char *comma = strrchr(cur + skip, ',');
	size_t keep = comma ? (size_t)(comma - cur + 1) : skip;
	char prefix[200];

	snprintf(prefix, sizeof(prefix), "%.*s", (int)keep, cur);
	add_words(w, prefix, cur, add, arg);
}

static void add_reasons(struct dw *d, const char *const *extra, const char *cur, size_t skip,
			complete_fn add, void *arg)
{
	size_t n;
	const char **w = reason_names(d, extra, &n);

	if (!w)
		return;
	add_list(w, cur, skip, add, arg);
	free(w);
}

static void add_devs(const char *cur, size_t skip, complete_fn add, void *arg)
{
	struct if_nameindex *ifs;
	const char *w[256];

	dev_names(&ifs, w, 256);
	add_list(w, cur, skip, add, arg);
	if (ifs)
		if_freenameindex(ifs);
}

/* The values of filter @key: cur's first @skip bytes ("reason=") are kept. */
static void complete_filter(struct dw *d, int key, const char *cur, size_t skip,
			    complete_fn add, void *arg)
{
	static const char *const any[] = { "any", NULL };

	switch (key) {
	case FILTER_REASON:
		add_reasons(d, any, cur, skip, add, arg);
		break;
	case FILTER_DEV:
		add_devs(cur, skip, add, arg);
		break;
	case FILTER_PROTO:
		add_list(proto_words, cur, skip, add, arg);
		break;
	case FILTER_ORIGIN:
		add_list(origin_words, cur, skip, add, arg);
		break;
	default:
		break;
	}
}

/* At the prompt, the value after `set filter KEY`. */
void complete_filter_value(struct dw *d, const char *key, const char *cur, complete_fn add,
			   void *arg)
{
	int k = filter_key_from_str(key);

	if (k >= 0)
		complete_filter(d, k, cur, 0, add, arg);
}

/* The values of setting @s, for the word @cur. */
void complete_value(struct dw *d, const struct setting *s, bool at_prompt, const char *cur,
		    complete_fn add, void *arg)
{
	static const char *const ignore_extra[] = { "harmless", "none", NULL };

	switch (s->values) {
	case V_BOOL:
		add_words(bool_words, "", cur, add, arg);
		break;
	case V_MODE: {
		static const char *const netdm_words[] = { "summary", "packet", NULL };
		size_t i;

		add_words(netdm_words, "", cur, add, arg);
		for (i = 1; modes[i]; i++)
			add_words((const char *const[]){ modes[i]->name, NULL }, "", cur, add, arg);
		break;
	}
	case V_SOURCE:
		add_words(source_words, "", cur, add, arg);
		break;
	case V_DIR:
		add_words(dir_words, "", cur, add, arg);
		break;
	case V_FORMAT:
		add_words(format_words, "", cur, add, arg);
		break;
	case V_LMETHOD:
		add_words(lmethod_words, "", cur, add, arg);
		break;
	case V_KEYS: {
		/* The key names, NULL-terminated as the word lists are. */
		const char *keys[AGG_FIELDS + 1] = { NULL };

		memcpy(keys, agg_field_names, sizeof(agg_field_names));
		add_list(keys, cur, 0, add, arg);
		break;
	}
	case V_REASONS:
		add_reasons(d, ignore_extra, cur, 0, add, arg);
		break;
	case V_FILTER:
		if (at_prompt) {
			/* The filter keys, and none; NULL-terminated. */
			const char *keys[FILTER_KEYS + 2] = { NULL };

			memcpy(keys, filter_key_names, sizeof(filter_key_names));
			keys[FILTER_KEYS] = "none";
			add_words(keys, "", cur, add, arg);
		} else {
			const char *eq = strchr(cur, '=');
			char key[32];
			int k;

			if (!eq) {
				const char *const *w;

				for (w = filter_key_names; w < filter_key_names + FILTER_KEYS; w++) {
					char buf[40];

					snprintf(buf, sizeof(buf), "%s=", *w);
					if (!strncmp(buf, cur, strlen(cur)))
						add(arg, buf);
				}
				break;
			}
			snprintf(key, sizeof(key), "%.*s", (int)(eq - cur), cur);
			k = filter_key_from_str(key);
			if (k >= 0)
				complete_filter(d, k, cur, (size_t)(eq - cur + 1), add, arg);
		}
		break;
	default:
		break;
	}
}

static void print_word(void *arg, const char *word)
{
	(void)arg;
	printf("%s\n", word);
}

/* The setting of option word @w ("-k", "--key"), or NULL. */
static const struct setting *option_of(const char *w)
{
	const struct setting *s;

	for (s = settings; s->opt; s++)
		if ((w[0] == '-' && w[1] == '-' && !strcmp(w + 2, s->opt)) ||
		    (w[0] == '-' && w[1] && w[1] == s->shortopt && !w[2]))
			return s;
	return NULL;
}

/*
 * dropwatch --complete -- WORDS...: the candidates for the last word (the one
 * being typed, maybe empty), one per line; ":files" when it is a file name.
 * Bash's completion calls it, so that it knows what the table knows.
 */
int complete_cmdline(struct dw *d, int argc, char **argv)
{
	const struct setting *s, *want = NULL;
	const char *cur;
	int i;

	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc < 1)
		return DW_EXIT_USAGE;
	cur = argv[argc - 1];
	for (i = 0; i < argc - 1; i++) {
		s = option_of(argv[i]);
		want = s && s->arg && i == argc - 2 ? s : NULL;
	}
	if (!want && !strncmp(cur, "--", 2) && strchr(cur, '=')) {
		/* --key=lo: the value after the '=' */
		char opt[64];

		snprintf(opt, sizeof(opt), "%.*s", (int)(strchr(cur, '=') - cur), cur);
		want = option_of(opt);
		if (!want || !want->arg)
			return DW_EXIT_OK;
		cur = strchr(cur, '=') + 1;
	}
	if (want) {
		if (want->values == V_FILE)
			printf(":files\n");
		else
			complete_value(d, want, false, cur, print_word, NULL);
		return DW_EXIT_OK;
	}
	if (cur[0] == '-') {
		for (s = settings; s->opt; s++) {
			char buf[64];

			snprintf(buf, sizeof(buf), "--%s", s->opt);
			if (!strncmp(buf, cur, strlen(cur)))
				printf("%s\n", buf);
		}
	}
	return DW_EXIT_OK;
}
