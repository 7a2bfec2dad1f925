// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch's command line: getopt's table and --help from the settings'
 * table (settings.c), and the checks of the options taken together.
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
#include "httpd.h"
#include "metrics.h"
#include "netdm_sock.h"
#include "reasons.h"
#include "trace.h"
#include "util.h"

/* ---- the command line ---- */

/* Text wrapped to 79 columns, continued at column @indent. */
static void wrapped(FILE *f, const char *text, int col, int indent)
{
	while (*text) {
		size_t room = 79 - col, n = strlen(text);

		if (n > room) {
			n = room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (!n)
				n = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", (int)n, text);
		text += n;
		text += strspn(text, " ");
		if (*text)
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

static void usage(FILE *f)
{
	const struct setting *s;
	char help[512];

	fprintf(f,
		"Usage: dropwatch [OPTIONS]\n"
		"Reports where, why and what the kernel drops, from its drop monitor (NET_DM)\n"
		"or the skb:kfree_skb tracepoint.\n"
		"Commands are read from the terminal (with line editing) or from standard input;\n"
		"-m, -c, --drops and -d start a run at once (one-shot), -e and -b run commands.\n"
		"\n");
	for (s = settings; s->opt; s++) {
		char syn[64];
		int n;

		if (s->shortopt)
			n = snprintf(syn, sizeof(syn), "  -%c, --%s%s%s", s->shortopt, s->opt,
				     s->arg ? " " : "", s->arg ? s->arg : "");
		else
			n = snprintf(syn, sizeof(syn), "      --%s%s%s", s->opt, s->arg ? " " : "",
				     s->arg ? s->arg : "");
		fputs(syn, f);
		if (n >= 24) {
			fprintf(f, "\n%24s", "");
			n = 24;
		} else {
			fprintf(f, "%*s", 24 - n, "");
			n = 24;
		}
		wrapped(f, setting_help(s, help, sizeof(help)), n, 24);
	}
	fprintf(f,
		"\n"
		"Boolean values: on/off, true/false, yes/no, 1/0. Every setting but the options\n"
		"above without one can also be changed at the prompt: 'set NAME VALUE'.\n"
		"Type 'help' at the prompt for the commands. See dropwatch(1).\n");
}

/* What the options say together; -1 to go on, else the exit status. */
static int check_options(struct dw *d)
{
	const struct dw_opts *o = &CLI(d)->opt;

	if (o->exec && o->batch) {
		err_msg("-e and -b exclude each other");
		return DW_EXIT_USAGE;
	}
	if (o->replay && (o->exec || o->batch || d->set.duration || d->set.mode_given)) {
		err_msg("-r replays a capture: -e, -b, -d and -m do not apply");
		return DW_EXIT_USAGE;
	}
	if ((o->metrics || o->metrics_file) && (o->replay || o->exec || o->batch)) {
		err_msg("--metrics and --metrics-file monitor until stopped: not with -r, -e or -b");
		return DW_EXIT_USAGE;
	}
	if ((o->metrics || o->metrics_file) && d->set.mode->no_metrics) {
		err_msg("--metrics counts drops: %s", d->set.mode->no_metrics);
		return DW_EXIT_USAGE;
	}
	if ((o->metrics_labels || o->metrics_top) && !o->metrics && !o->metrics_file) {
		err_msg("--metrics-labels and --metrics-top go with --metrics or --metrics-file");
		return DW_EXIT_USAGE;
	}
	if (o->metrics || o->metrics_file) {
		/* The exporter counts: in the kernel will do, unless a mode was asked for. */
		d->set.counts_only = !d->set.mode_given;
		/* Reasons come with packet alerts; their headers are enough (unless said). */
		if (!d->set.mode_given) {
			d->set.want.mode = NETDM_MODE_PACKET;
			d->set.want.has |= NETDM_CFG_MODE;
		}
		if (!o->trunc_given && d->set.source != SRC_TRACE && d->set.source != SRC_BPF &&
		    !d->set.passive) {
			d->set.want.trunc = EXPORTER_TRUNC;
			d->set.want.has |= NETDM_CFG_TRUNC;
		}
	}
	if (d->set.passive && (d->set.source == SRC_TRACE || d->set.source == SRC_BPF)) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere: not with --source %s",
			d->set.source == SRC_TRACE ? "trace" : "bpf");
		return DW_EXIT_USAGE;
	}
	if (d->set.journey && d->set.source == SRC_NETDM) {
		err_msg("--journey: journeys come from the tracepoint and eBPF sources only "
			"(--source trace or bpf)");
		return DW_EXIT_USAGE;
	}
	if (d->set.stack && d->set.source == SRC_NETDM) {
		err_msg("--stack: NET_DM sends no call chains (--source trace or bpf, or auto on a "
			"kernel without NET_DM)");
		return DW_EXIT_USAGE;
	}
	if (o->batch && access(o->batch, R_OK)) {
		char safe[256];

		/* Before anything is set up: a script that cannot be read is a usage error. */
		err_msg("--batch: %s: %s", pr_escape(safe, sizeof(safe), o->batch), strerror(errno));
		return DW_EXIT_USAGE;
	}
	if (o->lmethod && !strcmp(o->lmethod, "list")) {
		printf("Available lookup methods:\n"
		       "kas - use /proc/kallsyms\n"
		       "kas:FILE - use a kallsyms snapshot from FILE\n"
		       "none - print raw addresses\n");
		return DW_EXIT_OK;
	}
	return -1;
}

/* The command line into @d's settings and CLI(d)->opt: -1 to go on, else the exit status. */
int parse_options(struct dw *d, int argc, char **argv)
{
	struct option opts[SETTINGS_MAX + 1];
	char optstring[2 * SETTINGS_MAX + 2] = ":", why[600];
	const struct setting *s;
	size_t i = 0;
	int c, idx;

	for (s = settings; s->opt; s++, i++) {
		opts[i] = (struct option){ s->opt, s->arg ? required_argument : no_argument, NULL,
					   256 + (int)i };
		if (s->shortopt) {
			size_t l = strlen(optstring);

			optstring[l] = s->shortopt;
			optstring[l + 1] = s->arg ? ':' : '\0';
			optstring[l + 2] = '\0';
		}
	}
	opts[i] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, optstring, opts, &idx)) != -1) {
		int err;

		if (c < 256) {
			for (s = settings; s->opt && !(s->shortopt && s->shortopt == c); s++)
				;
			if (!s->opt)
				return cli_bad_option(argv, c);
		} else {
			s = &settings[c - 256];
		}
		err = s->apply(d, s, s->arg ? optarg : "on", false, why, sizeof(why));
		if (err == -ENOMEM)
			return DW_EXIT_FAIL;
		if (err) {
			err_msg("--%s: %s", s->opt, why);
			return DW_EXIT_USAGE;
		}
		if (s->flags & SET_STARTS)
			CLI(d)->opt.one_shot = true;
		if (!strcmp(s->opt, "mode"))
			d->set.mode_given = true;
		if (!strcmp(s->opt, "trunc"))
			CLI(d)->opt.trunc_given = true;
	}
	if (CLI(d)->opt.help) {
		usage(stdout);
		return DW_EXIT_OK;
	}
	if (CLI(d)->opt.version) {
		printf("dropwatch %s\n", PACKAGE_VERSION);
		return DW_EXIT_OK;
	}
	if (optind < argc) {
		char safe[128];

		err_msg("unexpected argument '%s' (try --help)",
			pr_escape(safe, sizeof(safe), argv[optind]));
		return DW_EXIT_USAGE;
	}
	return check_options(d);
}
