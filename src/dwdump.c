// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dwdump: the kernel's dropped packets to a capture file.
 *
 * Puts the drop monitor in packet mode (unless --passive), starts it, and
 * writes every alert to a pcap file in one of two formats (capture.h). Every
 * way out stops the monitor it started and puts back the settings it changed.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "exitcodes.h"
#include "filter.h"
#include "netdm.h"
#include "netdm_sock.h"
#include "print.h"
#include "record.h"
#include "run.h"
#include "sbuf.h"
#include "source.h"
#include "util.h"

#define DEFAULT_RCVBUF	(32 * 1024 * 1024)
#define LIMIT_REACHED	1
#define WRITE_FAILED	2

enum action { CAPTURE, QUERY, STATS, EXIT };
enum dd_source { DD_AUTO, DD_NETDM, DD_BPF };

struct opts {
	const char *file;
	enum cap_format fmt;
	enum action action;
	struct netdm_config cfg;
	bool passive;
	bool sw, hw, origin_given;
	char origin;		/* 's' or 'h' when --origin was given */
	uint32_t rcvbuf;
	uint32_t count;
	char *filter;
	enum dd_source source;
	bool fmt_given;
	const char *netdm_only;	/* the first option given that only NET_DM has */
};

struct dd {
	struct opts o;
	struct source *src;	/* NET_DM, or the eBPF program */
	struct netdm_sock *sk;	/* NET_DM's socket; NULL with the eBPF program */
	struct cap_writer *w;
	struct cap_filter *filter;
	struct record_ctx rec;	/* each frame's comment comes from its drop's record */
	int sigfd;
	/* The message being written (netlink format): what its events said. */
	bool msg_match;
	bool msg_has_ts;
	uint64_t msg_ts;
	/* Counters for the summary at exit. */
	unsigned long written, filtered, malformed, cut, summaries_skipped;
	int write_err;
};

/* The drop location and reason, for the frame's pcapng comment: from the drop's record. */
static const char *frame_comment(const struct drop_record *r, char *buf, size_t size)
{
	const struct drop_event *ev = r->ev;
	struct sbuf b;

	sb_init(&b, buf, size);
	if (ev->origin == DROP_ORIGIN_HW) {
		sb_puts(&b, "hardware drop: trap ");
		sb_puts(&b, r->trap ? r->trap : "unknown");
		sb_puts(&b, " (group ");
		sb_puts(&b, r->trap_group ? r->trap_group : "unknown");
		sb_putc(&b, ')');
	} else {
		sb_puts(&b, "drop at: ");
		sb_puts(&b, ev->symbol && r->loc ? r->loc->shown : "unknown location");
		sb_puts(&b, " (0x");
		sb_hex(&b, ev->pc, 1);
		sb_putc(&b, ')');
		if (r->reason) {
			sb_puts(&b, "; reason: ");
			sb_puts(&b, r->reason);
		}
	}
	if (r->dev_named) {
		sb_puts(&b, "; input port: ");
		sb_puts(&b, r->dev);
	}
	if (r->netns_by) {
		char ns[600];

		sb_puts(&b, "; ");
		sb_puts(&b, record_netns_text(r, ns, sizeof(ns)));
	}
	return buf;
}

static int on_event(const struct drop_event *ev, void *arg)
{
	struct dd *d = arg;
	struct drop_record r;
	char comment[1400], nsdescr[600];
	int err;

	if (ev->has & DROP_KERNEL_FILTERED)
		return 0;	/* the eBPF program's filter left them out: its counter says how many */
	if (d->filter && !(ev->kernel_filtered & (1u << FILTER_PCAP)) &&
	    !cap_filter_match(d->filter, ev)) {
		d->filtered++;
		return 0;
	}
	if (d->o.fmt == CAP_FORMAT_NETLINK) {
		d->msg_match = true;
		if ((ev->has & DROP_HAS_TIMESTAMP) && !d->msg_has_ts) {
			d->msg_has_ts = true;
			d->msg_ts = ev->timestamp_ns;
		}
		return 0;
	}
	if (ev->summary) {
		d->summaries_skipped++;
		return 0;
	}
	d->rec.now_ns = util_now_ns();
	record_build(&d->rec, &r, ev);
	/* Each input port an interface of its own, described with its namespace. */
	err = cap_write_frame(d->w, ev, r.time_ns, frame_comment(&r, comment, sizeof(comment)),
			      r.dev, record_netns_text(&r, nsdescr, sizeof(nsdescr)));
	if (err < 0) {
		d->write_err = err;
		return WRITE_FAILED;
	}
	if (err == 0 && ++d->written == d->o.count)
		return LIMIT_REACHED;
	return 0;
}

/* A netlink record of the capture, counted: WRITE_FAILED, LIMIT_REACHED at -c, else 0. */
static int write_record(struct dd *d, const void *msg, size_t caplen, size_t len, uint64_t ts_ns)
{
	int err = cap_write_netlink(d->w, msg, caplen, len, ts_ns);

	if (err) {
		d->write_err = err;
		return WRITE_FAILED;
	}
	return ++d->written == d->o.count ? LIMIT_REACHED : 0;
}

static int on_message(const struct nlmsghdr *nlh, size_t len, void *arg)
{
	struct dd *d = arg;
	struct netdm_info info;
	int ret;

	d->msg_match = false;
	d->msg_has_ts = false;
	if (!d->filter && d->o.fmt == CAP_FORMAT_NETLINK) {
		/*
		 * Every alert is kept as received: no need to decode it, only its
		 * timestamp is wanted. A malformed one is kept (and counted) all the same.
		 */
		ret = netdm_peek_alert(nlh, len, netdm_sock_family(d->sk), &d->msg_ts,
				       &d->msg_has_ts);
		if (ret == -ENOMSG)
			return 0;	/* not an alert (another family, an ack) */
		if (ret == -EBADMSG)
			d->malformed++;
		return write_record(d, nlh, len, len, d->msg_has_ts ? d->msg_ts : util_now_ns());
	}
	ret = netdm_decode(nlh, len, netdm_sock_family(d->sk), on_event, d, &info);
	if (ret == -EBADMSG) {
		d->malformed++;
		/* Kept as received (the dissector shows what is wrong), unless filtered. */
		if (d->filter || d->o.fmt != CAP_FORMAT_NETLINK)
			return 0;
		d->msg_match = true;
	} else if (ret < 0) {
		return 0;	/* not an alert (another family, an ack) */
	} else if (ret) {
		return ret;
	}
	if (d->o.fmt != CAP_FORMAT_NETLINK || !d->msg_match)
		return 0;
	if (ret == 0 && info.kind != NETDM_MSG_SUMMARY && info.kind != NETDM_MSG_PACKET)
		return 0;
	return write_record(d, nlh, len, len, d->msg_has_ts ? d->msg_ts : util_now_ns());
}

static int on_dgram(const void *buf, size_t caplen, size_t len, void *arg)
{
	struct dd *d = arg;
	size_t rest;
	int ret;

	if (caplen < len) {
		/* Larger than our buffer: kept cut, with its real length, in the netlink format. */
		d->cut++;
		if (d->o.fmt != CAP_FORMAT_NETLINK || d->filter)
			return 0;
		return write_record(d, buf, caplen, len, util_now_ns());
	}
	ret = netdm_msg_walk(buf, caplen, on_message, d, &rest);
	if (!ret && rest)
		d->malformed++;
	return ret;
}

/* ---- the kernel side ---- */

static int query(struct dd *d)
{
	struct netdm_config cfg;
	int err = netdm_sock_get_config(d->sk, &cfg);

	if (err) {
		util_err("cannot read the drop monitor's settings: %s", netdm_sock_error(d->sk));
		return util_exit_status(err);
	}
	printf("Alert mode: %s\n", cfg.mode == NETDM_MODE_PACKET ? "packet" :
	       cfg.mode == NETDM_MODE_SUMMARY ? "summary" : "invalid alert mode");
	printf("Truncation length: %" PRIu32 "\n", cfg.trunc);
	printf("Queue length: %" PRIu32 "\n", cfg.queue);
	return DW_EXIT_OK;
}

static int stats(struct dd *d)
{
	struct netdm_stats st;
	int err = netdm_sock_get_stats(d->sk, &st);

	if (err) {
		util_err("cannot read the drop monitor's statistics: %s", netdm_sock_error(d->sk));
		return util_exit_status(err);
	}
	if (st.has_sw)
		printf("Software statistics:\nTail dropped: %" PRIu64 "\n", st.sw_dropped);
	if (st.has_hw)
		printf("Hardware statistics:\nTail dropped: %" PRIu64 "\n", st.hw_dropped);
	return DW_EXIT_OK;
}

/* dwdump -e: the kernel stops monitoring (whoever started it). */
static int stop_monitor(struct dd *d)
{
	int err = netdm_sock_stop(d->sk, d->o.sw, d->o.hw);

	if (err) {
		util_err("cannot stop monitoring: %s", netdm_sock_error(d->sk));
		return util_exit_status(err);
	}
	return DW_EXIT_OK;
}

/* ---- capture ---- */


static int open_writer(struct dd *d)
{
	struct stat st;
	bool to_stdout = !d->o.file || !strcmp(d->o.file, "-");
	FILE *f;
	int err;

	f = cap_open_output(to_stdout ? "-" : d->o.file);
	if (!f) {
		if (errno == ELOOP)
			util_err("%s: is a symbolic link: refusing to follow it", d->o.file);
		else
			util_err("cannot open %s: %s", d->o.file, strerror(errno));
		return errno == EACCES || errno == EPERM ? DW_EXIT_KERNEL : DW_EXIT_FAIL;
	}
	/* A reader at the other end of a pipe sees each record as it comes. */
	err = cap_writer_new(&d->w, f, d->o.fmt,
			     fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode));
	if (err) {
		util_err("cannot write the capture: %s", strerror(-err));
		return DW_EXIT_FAIL;	/* f closed with the writer */
	}
	return DW_EXIT_OK;
}

static int drain(void *arg, bool flush)
{
	struct dd *d = arg;
	int ret;

	(void)flush;
	ret = netdm_sock_recv_dgram(d->sk, on_dgram, d);
	return ret == LIMIT_REACHED ? RUN_LIMIT : ret == WRITE_FAILED ? RUN_STOP : ret;
}

/* Keep a file others read while it grows current. */
static int each_second(void *arg)
{
	struct dd *d = arg;
	int err = d->write_err ? 0 : cap_writer_flush(d->w);

	if (err)
		d->write_err = err;
	return 0;
}

/* What the capture holds and what was lost, on stderr. */
static void summary(struct dd *d, const struct source_stats *st)
{
	fprintf(stderr, "%s: %lu %s written", util_prog, d->written,
		d->o.fmt == CAP_FORMAT_FRAMES ? "packets" : "alerts");
	if (d->filter)
		fprintf(stderr, " (%lu drops did not match the filter)", d->filtered);
	if (!d->sk)
		fprintf(stderr, ", %" PRIu64 " drops lost (the eBPF program found its ring full)\n",
			st->lost);
	else
		fprintf(stderr, ", %" PRIu64 " receive overruns (alerts lost at our socket)", st->lost);
	if (d->sk && st->has_tail)
		fprintf(stderr, ", %" PRIu64 " tail drops in the kernel's queue\n", st->tail_dropped);
	else if (d->sk)
		fprintf(stderr, ", tail drops in the kernel's queue unknown\n");
	if (d->malformed)
		util_err("%lu malformed messages", d->malformed);
	if (d->cut)
		util_err("%lu alerts were larger than our receive buffer and are cut short", d->cut);
	if (d->summaries_skipped)
		util_err("%lu summary alerts skipped: they hold no packets (the monitor is in "
			 "summary mode)", d->summaries_skipped);
}

/* The eBPF program's records, one frame each: LIMIT_REACHED and WRITE_FAILED as the run's. */
static int on_bpf_event(const struct drop_event *ev, void *arg)
{
	int ret = on_event(ev, arg);

	return ret == LIMIT_REACHED ? RUN_LIMIT : ret == WRITE_FAILED ? RUN_STOP : ret;
}

static int capture(struct dd *d)
{
	struct source_run sr = {
		.packet = true,
		.sw = d->o.sw,
		.hw = d->o.hw,
		.passive = d->o.passive,
		.rcvbuf = (int)d->o.rcvbuf,
		.cfg = d->o.cfg,
	};
	struct run r = {
		.src = d->src,
		.sigfd = d->sigfd,
		.out_fd = -1,
		.drain = d->sk ? drain : NULL,
		.fn = on_bpf_event,
		.on_second = each_second,
		.arg = d,
	};
	struct source_stats st;
	struct filter kf = { 0 };
	char where[512];
	int status, err;

	status = open_writer(d);
	if (status)
		return status;
	/* The eBPF program runs the expression itself: a drop it leaves out wakes nobody. */
	if (!d->sk && d->o.filter && !filter_set(&kf, FILTER_PCAP, d->o.filter, where, sizeof(where)))
		sr.filter = &kf;
	if (d->o.fmt == CAP_FORMAT_FRAMES) {
		/* Input ports are named in their namespace: the machine's, read once. */
		char why[256];

		d->rec.netns = netns_db_open(util_err, why, sizeof(why));
		if (!d->rec.netns)
			util_err("network namespaces: %s: input ports are given by index only", why);
		r.netns = d->rec.netns;
	}
	if (d->o.fmt == CAP_FORMAT_NETLINK && d->sk) {
		/* First record: the controller's reply mapping NET_DM's id to its name. */
		size_t len;
		const void *msg = netdm_sock_family_msg(d->sk, &len);

		err = cap_write_netlink(d->w, msg, len, len, util_now_ns());
		if (err) {
			util_err("writing the capture: %s", strerror(-err));
			return DW_EXIT_FAIL;
		}
	}
	err = d->src->ops->start(d->src, &sr);
	filter_clear(&kf);		/* the program has its copy */
	if (err) {
		util_err("%s", source_error(d->src));
		return err == -EBUSY || err == -EAGAIN ? DW_EXIT_FAIL : util_exit_status(err);
	}
	/* Like tcpdump's "listening on": what is captured, where to, in which format. */
	pr_escape(where, sizeof(where), d->o.file && strcmp(d->o.file, "-") ? d->o.file :
		  "standard output");
	fprintf(stderr, "%s: %s %s drops to %s (%s format%s)\n", util_prog,
		d->o.passive ? "listening (passive) for" : "capturing",
		d->o.sw && d->o.hw ? "software and hardware" : d->o.sw ? "software" : "hardware",
		where, d->o.fmt == CAP_FORMAT_FRAMES ? "frames" : "netlink",
		d->sk ? "" : ", from an eBPF program: the first 128 bytes of each packet");
	err = run_loop(&r);
	if (err) {
		util_err("%s", source_error(d->src));
		status = DW_EXIT_FAIL;
	}
	if (d->src->ops->stop(d->src)) {
		util_err("%s", source_error(d->src));
		status = status ?: DW_EXIT_FAIL;
	}
	/* What the kernel queued before STOP returned still belongs to the capture. */
	if (!d->write_err)
		run_finish(&r);
	else
		d->src->ops->release(d->src);
	d->src->ops->stats(d->src, &st);
	if (!d->sk) {
		struct source_bpf_stats bs;

		if (!source_bpf_stats(d->src, &bs))
			d->filtered += bs.filtered;	/* its only filter in the kernel: ours */
	}
	err = cap_writer_close(d->w);
	d->w = NULL;
	if (!d->write_err)
		d->write_err = err;
	if (d->write_err == -EPIPE) {
		/* The reader went away: like being killed by the SIGPIPE it sent. */
		util_err("the output was closed (broken pipe): stopping");
		r.signal = SIGPIPE;
		util_read_signal(d->sigfd);	/* that SIGPIPE, pending */
	} else if (d->write_err) {
		util_err("writing the capture: %s", strerror(-d->write_err));
		status = DW_EXIT_FAIL;
	}
	summary(d, &st);
	if (r.limit)
		util_err("stopped after %" PRIu32 " as asked (-c)", d->o.count);
	if (r.signal && r.signal != SIGINT && !status)
		status = 128 + r.signal;
	return status;
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dwdump [OPTIONS] [FILTER EXPRESSION]\n"
		"Writes the packets the kernel drops to a pcap capture, from its drop monitor\n"
		"(or an eBPF program where the kernel has none).\n"
		"\n"
		"  -w, --write FILE     write to FILE (created mode 0600); '-' or none: stdout\n"
		"  -F, --format FORMAT  netlink: NET_DM messages, for Wireshark's net_dm dissector\n"
		"                       (default); frames: the dropped packets themselves (pcapng,\n"
		"                       Linux cooked v2), for tcpdump, with location and reason in\n"
		"                       each packet's comment\n"
		"  -t, --trunc LEN      truncate packets to LEN bytes (0: no truncation, default)\n"
		"  -l, --limit LEN      per-CPU queue of the kernel (default 1000)\n"
		"  -o, --origin sw|hw   only software or only hardware drops (default: both)\n"
		"  -c, --count N        stop after N alerts are written\n"
		"  -b, --bufsize SIZE   socket receive buffer, with k/m/g (default 32m)\n"
		"  -p, --passive        listen only: no configuration, no start, no stop\n"
		"      --source SOURCE  netdm (the kernel's drop monitor), bpf (an eBPF program on\n"
		"                       skb:kfree_skb: frames only, hardware drops left out) or\n"
		"                       auto (default: netdm when the kernel has it, else bpf)\n"
		"  -q, --query          show the drop monitor's settings and exit\n"
		"  -s, --stats          show the drop monitor's statistics and exit\n"
		"  -e, --exit           ask the kernel to stop monitoring and exit\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"A FILTER EXPRESSION (pcap-filter(7), e.g. 'udp port 53') keeps the drops whose\n"
		"packet matches. See dwdump(1).\n");
}

/* Returns -1 to go on, or the exit status. */
static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'F' },
		{ "trunc", required_argument, NULL, 't' },
		{ "query", no_argument, NULL, 'q' },
		{ "limit", required_argument, NULL, 'l' },
		{ "passive", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "bufsize", required_argument, NULL, 'b' },
		{ "origin", required_argument, NULL, 'o' },
		{ "count", required_argument, NULL, 'c' },
		{ "exit", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "source", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c, actions = 0;
	size_t len = 0;

	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, ":w:F:t:ql:psb:o:c:ehV", lopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			o->file = optarg;
			break;
		case 'F':
			c = cap_format_from_str(optarg);
			if (c < 0)
				return cli_bad_value("--format", optarg, "a format (netlink or frames)");
			o->fmt = c;
			o->fmt_given = true;
			break;
		case 'S':
			if (!strcmp(optarg, "auto"))
				o->source = DD_AUTO;
			else if (!strcmp(optarg, "netdm"))
				o->source = DD_NETDM;
			else if (!strcmp(optarg, "bpf"))
				o->source = DD_BPF;
			else
				return cli_bad_value("--source", optarg, "a source (netdm, bpf or auto)");
			break;
		case 't':
			o->netdm_only = o->netdm_only ?: "--trunc";
			if (cli_parse_u32(optarg, &o->cfg.trunc))
				return cli_bad_value("--trunc", optarg, "a length from 0 to 4294967295");
			break;
		case 'l':
			o->netdm_only = o->netdm_only ?: "--limit";
			if (cli_parse_u32(optarg, &o->cfg.queue))
				return cli_bad_value("--limit", optarg, "a length from 0 to 4294967295");
			break;
		case 'b':
			o->netdm_only = o->netdm_only ?: "--bufsize";
			if (cli_parse_size(optarg, INT_MAX, &o->rcvbuf) || !o->rcvbuf)
				return cli_bad_value("--bufsize", optarg,
						 "a size from 1 to 2g-1 (k, m and g suffixes)");
			break;
		case 'c':
			if (cli_parse_u32(optarg, &o->count) || !o->count)
				return cli_bad_value("--count", optarg, "a count from 1 to 4294967295");
			break;
		case 'o':
			if (strcmp(optarg, "sw") && strcmp(optarg, "hw"))
				return cli_bad_value("--origin", optarg, "an origin (sw or hw)");
			if (o->origin_given && o->origin != optarg[0]) {
				util_err("--origin: sw and hw exclude each other; without --origin, "
					 "both are captured");
				return DW_EXIT_USAGE;
			}
			o->origin_given = true;
			o->origin = optarg[0];
			o->sw = o->origin == 's';
			o->hw = o->origin == 'h';
			if (o->hw)
				o->netdm_only = o->netdm_only ?: "--origin hw";
			break;
		case 'p':
			o->netdm_only = o->netdm_only ?: "--passive";
			o->passive = true;
			break;
		case 'q':
			o->action = QUERY;
			o->netdm_only = o->netdm_only ?: "-q";
			actions++;
			break;
		case 's':
			o->action = STATS;
			o->netdm_only = o->netdm_only ?: "-s";
			actions++;
			break;
		case 'e':
			o->action = EXIT;
			o->netdm_only = o->netdm_only ?: "-e";
			actions++;
			break;
		case 'h':
			usage(stdout);
			return DW_EXIT_OK;
		case 'V':
			printf("dwdump %s\n", PACKAGE_VERSION);
			return DW_EXIT_OK;
		default:
			return cli_bad_option(argv, c);
		}
	}
	if (actions > 1) {
		util_err("-q, -s and -e exclude each other");
		return DW_EXIT_USAGE;
	}
	for (c = optind; c < argc; c++)
		len += strlen(argv[c]) + 1;
	if (len) {
		o->filter = calloc(1, len);
		if (!o->filter)
			return DW_EXIT_FAIL;
		for (c = optind; c < argc; c++) {
			if (c > optind)
				strcat(o->filter, " ");
			strcat(o->filter, argv[c]);
		}
		if (o->action != CAPTURE) {
			util_err("a filter expression only applies to a capture (not with -q, -s, -e)");
			return DW_EXIT_USAGE;
		}
	}
	return -1;
}

/* The checks before anything opens: the filter, and no capture to a terminal. */
static int check_opts(struct dd *d)
{
	char why[512];

	if (d->o.filter) {
		d->filter = cap_filter_new(d->o.filter, why, sizeof(why));
		if (!d->filter) {
			util_err("bad filter expression '%s': %s", d->o.filter, why);
			return DW_EXIT_USAGE;
		}
	}
	if (d->o.action == CAPTURE && (!d->o.file || !strcmp(d->o.file, "-")) &&
	    isatty(STDOUT_FILENO)) {
		util_err("refusing to write a binary capture to a terminal: use -w FILE, "
			 "or pipe it (dwdump | tshark -r -)");
		return DW_EXIT_USAGE;
	}
	return DW_EXIT_OK;
}

/*
 * The eBPF program, where NET_DM is missing (auto) or asked for: frames only, and
 * nothing of NET_DM's own settings. 0, or the exit status.
 */
static int open_bpf(struct dd *d)
{
	char why[600];
	int err;

	if (d->o.netdm_only) {
		util_err("%s: NET_DM's own; the eBPF source has no such setting%s", d->o.netdm_only,
			 d->o.source == DD_AUTO ? " (and this kernel has no NET_DM)" : "");
		return DW_EXIT_USAGE;
	}
	if (d->o.fmt_given && d->o.fmt == CAP_FORMAT_NETLINK) {
		util_err("--format netlink holds NET_DM's messages: the eBPF source writes frames "
			 "(-F frames)%s", d->o.source == DD_AUTO ? ", as this kernel has no NET_DM" : "");
		return DW_EXIT_USAGE;
	}
	err = source_bpf_open(&d->src, true, why, sizeof(why));
	if (err) {
		/* A build without it: said when it was asked for, not when auto tried it. */
		if (err != -ENOSYS || d->o.source == DD_BPF)
			util_err("%s", why);
		return util_exit_status(err);
	}
	if (d->o.source == DD_AUTO)
		util_err("source: an eBPF program on skb:kfree_skb, as this kernel has no NET_DM drop "
			 "monitor; frames format, software drops");
	d->o.fmt = CAP_FORMAT_FRAMES;
	d->o.hw = false;
	return DW_EXIT_OK;
}

/* NET_DM (or the eBPF program), then the action asked for. */
static int act(struct dd *d)
{
	char why[600];
	int status, err;

	/* Signals are taken through a signalfd from here on: nothing ends us half-way. */
	d->sigfd = util_signalfd();
	if (d->sigfd < 0) {
		util_err("signalfd: %s", strerror(errno));
		return DW_EXIT_FAIL;
	}
	if (d->o.source == DD_BPF)
		return open_bpf(d) ?: capture(d);
	err = source_netdm_open(&d->src, why, sizeof(why));
	if (err == -ENOENT && d->o.source == DD_AUTO && d->o.action == CAPTURE) {
		status = open_bpf(d);
		if (status != DW_EXIT_USAGE && status != DW_EXIT_OK) {
			util_err("%s", why);
			util_err("note: 'dropwatch --source trace' reports this kernel's drops from "
				 "the skb:kfree_skb tracepoint, but that source carries no packets: "
				 "dwdump has nothing to capture without NET_DM or the eBPF source");
			return util_exit_status(err);	/* NET_DM's absence, first */
		}
		return status ?: capture(d);
	}
	if (err) {
		util_err("%s", why);
		if (err == -ENOENT)
			util_err("note: 'dropwatch --source trace' reports this kernel's drops from "
				 "the skb:kfree_skb tracepoint, but that source carries no packets: "
				 "dwdump has nothing to capture without NET_DM or the eBPF source");
		return util_exit_status(err);
	}
	d->sk = source_netdm_sock(d->src);
	switch (d->o.action) {
	case QUERY:
		return query(d);
	case STATS:
		return stats(d);
	case EXIT:
		return stop_monitor(d);
	case CAPTURE:
		break;
	}
	status = capture(d);
	if (source_netdm_restore(d->src))
		status = status ?: DW_EXIT_FAIL;
	return status;
}

int main(int argc, char **argv)
{
	struct dd d = {
		.o = {
			.fmt = CAP_FORMAT_NETLINK,
			.action = CAPTURE,
			.cfg = {
				.has = NETDM_CFG_MODE | NETDM_CFG_TRUNC | NETDM_CFG_QUEUE,
				.mode = NETDM_MODE_PACKET,
				.trunc = 0,
				.queue = 1000,
			},
			.sw = true,
			.hw = true,
			.rcvbuf = DEFAULT_RCVBUF,
		},
		.sigfd = -1,
	};
	int status;

	util_prog = "dwdump";
	d.rec.sym = symres_new();	/* the kernel's own text names the locations */
	status = d.rec.sym ? parse_opts(&d.o, argc, argv) : DW_EXIT_FAIL;
	if (status < 0)
		status = check_opts(&d) ?: act(&d);
	fflush(stdout);
	if (d.w)
		cap_writer_close(d.w);
	cap_filter_free(d.filter);
	symres_free(d.rec.sym);
	netns_db_close(d.rec.netns);
	source_close(d.src);
	free(d.o.filter);
	if (d.sigfd >= 0)
		close(d.sigfd);
	return status;
}
