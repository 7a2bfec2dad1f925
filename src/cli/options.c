// SPDX-License-Identifier: GPL-2.0-or-later
/* dropwatch's command line. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dw.h"
#include "exitcodes.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dropwatch [OPTIONS]\n"
		"Reports where, why and what the kernel drops, from its drop monitor (NET_DM)\n"
		"or the skb:kfree_skb tracepoint.\n"
		"Commands are read from the terminal (with line editing) or from standard input.\n"
		"\n"
		"  -l, --lmethod METHOD  symbol lookup: kas (/proc/kallsyms), kas:FILE (a kallsyms\n"
		"                        snapshot), none (raw addresses), list (show methods)\n"
		"      --kallsyms FILE   the same as -l kas:FILE\n"
		"  -r, --read FILE       print the alerts of a NET_DM capture (dwdump, nlmon) and\n"
		"                        exit; addresses are named only with -l or --kallsyms\n"
		"  -o, --output FORMAT   text (default), kv (key=value lines) or json (JSON lines);\n"
		"                        with kv and json, all but the drops goes to stderr\n"
		"  -j, --json            the same as -o json\n"
		"\n"
		"One-shot runs (no commands read from standard input):\n"
		"  -m, --mode MODE       alert mode: summary or packet; then start\n"
		"  -c, --count N         stop after N alerts; then start\n"
		"  -d, --duration SECS   stop after SECS seconds; then start\n"
		"  -e, --exec 'CMD; ..'  run these commands, then exit\n"
		"  -b, --batch FILE      run the commands of FILE (one per line), then exit\n"
		"\n"
		"What is shown:\n"
		"  -i, --interval SECS   print the table every SECS seconds instead of each alert\n"
		"      --top N           rows of the table (default 20, 0: all)\n"
		"  -k, --key FIELDS      table key: loc,reason,dev (default), origin, proto, src,\n"
		"                        dst, sport, dport, stack\n"
		"  -f, --filter KEY=VAL  only drops that match: reason, dev, proto, loc (glob),\n"
		"                        origin, pcap (expression); repeat for more\n"
		"      --ignore REASONS  hide these reasons; 'harmless' for the usual ones\n"
		"  -v, --verbose         explain each drop reason\n"
		"  -p, --passive         start only listens to a monitor someone else runs: no\n"
		"                        configuration, no start, no stop\n"
		"\n"
		"Where drops come from:\n"
		"      --source SOURCE   netdm (the kernel's drop monitor), trace (the\n"
		"                        skb:kfree_skb tracepoint) or auto (default: netdm when\n"
		"                        the kernel has it, else trace)\n"
		"  -g, --stack           record each drop's kernel call chain (trace)\n"
		"      --ring-size SIZE  ring buffer per CPU (trace; default 8m, 16m with -g)\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Type 'help' at the prompt for the commands. See dropwatch(1).\n");
}



/* The command line into @d's settings and @o: -1 to go on, else the exit status. */
int parse_options(struct dw *d, struct dw_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lmethod", required_argument, NULL, 'l' },
		{ "kallsyms", required_argument, NULL, 'K' },
		{ "read", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'm' },
		{ "exec", required_argument, NULL, 'e' },
		{ "batch", required_argument, NULL, 'b' },
		{ "interval", required_argument, NULL, 'i' },
		{ "top", required_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "filter", required_argument, NULL, 'f' },
		{ "ignore", required_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "passive", no_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 'S' },
		{ "stack", no_argument, NULL, 'g' },
		{ "ring-size", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[512];
	uint32_t v;
	int c;

	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, ":l:r:o:jc:d:m:e:b:i:k:f:vpghV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (cli_parse_u32(optarg, &v) || !v) {
				return cli_bad_value("--count", optarg, "a count from 1 to 4294967295");
			}
			d->set.alertlimit = v;
			o->one_shot = true;
			break;
		case 'd':
			if (cli_parse_u32(optarg, &v) || !v) {
				return cli_bad_value("--duration", optarg,
							  "a number of seconds from 1 to 4294967295");
			}
			d->set.duration = v;
			o->one_shot = true;
			break;
		case 'm':
			c = netdm_mode_from_str(optarg);
			if (c < 0) {
				return cli_bad_value("--mode", optarg, "an alert mode (summary or packet)");
			}
			d->set.want.mode = c;
			o->one_shot = o->mode_given = true;
			break;
		case 'e':
			free(o->exec);
			o->exec = strdup(optarg);
			if (!o->exec) {
				return DW_EXIT_FAIL;
			}
			break;
		case 'b':
			o->batch = optarg;
			break;
		case 'i':
			if (cli_parse_u32(optarg, &v)) {
				return cli_bad_value("--interval", optarg,
							  "a number of seconds (0: table at stop)");
			}
			d->set.interval = v;
			break;
		case 'T':
			if (cli_parse_u32(optarg, &v)) {
				return cli_bad_value("--top", optarg, "a number of rows (0: all)");
			}
			d->set.top = v;
			break;
		case 'k':
			if (agg_spec_parse(&d->set.key, optarg, why, sizeof(why))) {
				err_msg("--key: %s", why);
				return DW_EXIT_USAGE;
			}
			agg_free(d->agg);
			d->agg = agg_new(&d->set.key);
			if (!d->agg) {
				return DW_EXIT_FAIL;
			}
			o->key_given = true;
			break;
		case 'f':
			if (filter_set_arg(&d->set.filter, optarg, why, sizeof(why))) {
				char safe[512];

				err_msg("--filter: %s", pr_escape(safe, sizeof(safe), why));
				return DW_EXIT_USAGE;
			}
			break;
		case 'I':
			if (filter_set_ignore(&d->set.filter, optarg, why, sizeof(why))) {
				err_msg("--ignore: %s", why);
				return DW_EXIT_USAGE;
			}
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'p':
			d->set.passive = true;
			break;
		case 'S':
			if (!strcmp(optarg, "auto"))
				d->set.source = SRC_AUTO;
			else if (!strcmp(optarg, "netdm"))
				d->set.source = SRC_NETDM;
			else if (!strcmp(optarg, "trace"))
				d->set.source = SRC_TRACE;
			else {
				return cli_bad_value("--source", optarg,
						       "a source (netdm, trace or auto)");
			}
			break;
		case 'g':
			d->set.stack = true;
			break;
		case 'R':
			if (parse_ring_size(optarg, &v)) {
				return cli_bad_value("--ring-size", optarg,
						       "a size from 64k to 1g (per CPU)");
			}
			d->set.ring_bytes = v;
			break;
		case 'l':
			o->lmethod = optarg;
			break;
		case 'K':
			free(o->kas_method);
			o->kas_method = malloc(strlen(optarg) + 5);
			if (!o->kas_method) {
				return DW_EXIT_FAIL;
			}
			sprintf(o->kas_method, "kas:%s", optarg);
			o->lmethod = o->kas_method;
			break;
		case 'r':
			o->replay = optarg;
			break;
		case 'o':
			c = out_format_from_str(optarg);
			if (c < 0) {
				return cli_bad_value("--output", optarg,
						       "an output format (text, kv, json)");
			}
			o->format = c;
			break;
		case 'j':
			o->format = OUT_JSON;
			break;
		case 'h':
			usage(stdout);
			return DW_EXIT_OK;
		case 'V':
			printf("dropwatch %s\n", PACKAGE_VERSION);
			return DW_EXIT_OK;
		default:
			return cli_bad_option(argv, c);
		}
	}
	if (optind < argc) {
		char safe[128];

		err_msg("unexpected argument '%s' (try --help)",
			pr_escape(safe, sizeof(safe), argv[optind]));
		return DW_EXIT_USAGE;
	}
	if (o->exec && o->batch) {
		err_msg("-e and -b exclude each other");
		return DW_EXIT_USAGE;
	}
	if (o->replay && (o->exec || o->batch || d->set.duration || o->mode_given)) {
		err_msg("-r replays a capture: -e, -b, -d and -m do not apply");
		return DW_EXIT_USAGE;
	}
	if (d->set.passive && d->set.source == SRC_TRACE) {
		err_msg("--passive listens to a NET_DM monitor run elsewhere: not with --source trace");
		return DW_EXIT_USAGE;
	}
	if (d->set.stack && d->set.source == SRC_NETDM) {
		err_msg("--stack: NET_DM sends no call chains (--source trace, or auto on a kernel "
			"without NET_DM)");
		return DW_EXIT_USAGE;
	}
	if (o->lmethod && !strcmp(o->lmethod, "list")) {
		printf("Available lookup methods:\n"
		       "kas - use /proc/kallsyms\n"
		       "kas:FILE - use a kallsyms snapshot from FILE\n"
		       "none - print raw addresses\n");
		return DW_EXIT_OK;
	}
	if (o->lmethod && strcmp(o->lmethod, "kas") && strncmp(o->lmethod, "kas:", 4) &&
	    strcmp(o->lmethod, "none")) {
		char safe[128];

		err_msg("unknown lookup method '%s' (kas, kas:FILE, none, list)",
			pr_escape(safe, sizeof(safe), o->lmethod));
		return DW_EXIT_USAGE;
	}

	return -1;
}
