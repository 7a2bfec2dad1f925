// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropwatch: interactive and scripted front end to the kernel's drop monitor
 * (and the skb:kfree_skb tracepoint). src/cli/dw.h says where each part is.
 * Every way out stops the kernel monitor we started and puts back the kernel
 * settings we changed.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dw.h"
#include "exitcodes.h"
#include "names.h"
#include "reasons.h"
#include "util.h"

/* The symbols: a snapshot read now (a bad one ends us before anything starts), else lazily. */
/* stdout's buffer: static, since the stream is flushed after main() returns. */
static char out_buffer[256 * 1024];

static int setup_symbols(struct dw *d, const char *lmethod)
{
	if (lmethod && !strncmp(lmethod, "kas:", 4))
		return symres_load(d->sym, lmethod + 4, true) ? DW_EXIT_FAIL : DW_EXIT_OK;
	if (lmethod && !strcmp(lmethod, "none"))
		return DW_EXIT_OK;
	if (lmethod && access(KALLSYMS, R_OK)) {
		err_msg("cannot load kernel symbols from %s: %s", KALLSYMS, strerror(errno));
		return DW_EXIT_FAIL;
	}
	symres_load_lazily(d->sym);
	return DW_EXIT_OK;
}

/* A live session: the source, then the commands (given, or read), then the way out. */
static int session(struct dw *d)
{
	struct dw_opts *o = &CLI(d)->opt;
	int err, status;

	d->sigfd = util_signalfd();	/* signals are taken synchronously from here on */
	if (d->sigfd < 0) {
		err_msg("signalfd: %s", strerror(errno));
		return DW_EXIT_FAIL;
	}
	status = setup_symbols(d, o->lmethod);
	if (status)
		return status;
	d->interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (o->metrics || o->metrics_file) {
		/* The exporter opens the source itself, and again when it has to. */
		d->interactive = false;
		status = exporter(d);
		if (!d->fatal_signal && status == DW_EXIT_OK)
			fprintf(d->msg, "Terminating dropwatch...\n");
		restore_kernel_config(d);
		return d->fatal_signal ? 128 + d->fatal_signal : status;
	}
	err = open_source(d);
	if (err)
		return err == OPEN_USAGE ? DW_EXIT_USAGE : util_exit_status(err);
	err = source_options(d);
	if (err)
		return err == OPEN_USAGE ? DW_EXIT_USAGE : DW_EXIT_FAIL;
	if (o->exec || o->batch || o->one_shot) {
		/* One-shot: the commands given, or just start; never standard input. */
		d->interactive = false;
		if (o->exec)
			run_script(d, o->exec, "-e", true);
		else if (o->batch && run_batch_file(d, o->batch))
			status = DW_EXIT_FAIL;
		else if (!o->batch)
			run_line(d, (char[]){ "start" });
	} else {
		input_loop(d);
	}
	if (!d->fatal_signal)
		fprintf(d->msg, "Terminating dropwatch...\n");
	restore_kernel_config(d);
	if (status == DW_EXIT_OK)
		status = d->fatal_signal ? 128 + d->fatal_signal :
			 d->interactive ? DW_EXIT_OK : d->status;
	return status;
}

int main(int argc, char **argv)
{
	struct cli c = { .d = {
		.set = {
			.mode = &mode_drops,
			.sw = true,
			.want = { .has = NETDM_CFG_MODE, .mode = NETDM_MODE_SUMMARY },
			.key = { .n = 3, .field = { AGG_LOC, AGG_REASON, AGG_DEV } },
			.top = 20,
		},
		.run = { .mode = &mode_drops },
		.sigfd = -1,
		.out_fd = STDOUT_FILENO,
	} };
	struct dw *d = &c.d;
	int status;

	d->sym = symres_new();
	d->rec.sym = d->sym;
	d->agg = agg_new(&d->set.key);
	out_init(&d->out, stdout, OUT_TEXT);
	d->msg = stdout;
	if (argc > 1 && !strcmp(argv[1], "--complete"))
		status = d->agg && d->sym ? complete_cmdline(d, argc - 2, argv + 2) : DW_EXIT_FAIL;
	else
		status = d->agg && d->sym ? parse_options(d, argc, argv) : DW_EXIT_FAIL;
	if (status < 0) {
		bool verbose = d->rec.explain;

		out_init(&d->out, stdout, c.opt.format);
		d->out.verbose = verbose;
		d->msg = c.opt.format == OUT_TEXT ? stdout : stderr;
		/*
		 * Large blocks, to a terminal too: each batch of a run, each command's
		 * answer and each message is flushed as it comes, so a terminal gets one
		 * write per batch instead of one per line (and the prompt, kept on screen
		 * during a run, one put-away and one redraw per batch). glibc takes the
		 * size only with a buffer: without one it keeps its own (4 KiB for a file).
		 */
		setvbuf(stdout, out_buffer, _IOFBF, sizeof(out_buffer));
		status = c.opt.replay ? run_replay(d, c.opt.replay, c.opt.lmethod) : session(d);
	}
	fflush(stdout);
	source_close(d->src);
	for (size_t i = 0; i < MODE_MAX && d->slot[i].mode; i++) {
		source_close(d->slot[i].src);
		if (d->slot[i].mode->release)
			d->slot[i].mode->release(d);
	}
	symres_free(d->sym);
	netns_db_close(d->rec.netns);
	pr_release(&d->out.p);
	free(c.in.inbuf);
	if (d->sigfd >= 0)
		close(d->sigfd);
	free(c.opt.kas_method);
	free(c.opt.exec);
	agg_free(d->agg);
	agg_free(d->other_agg);
	free(d->set.times_dev);
	losses_free(d);
	filter_clear(&d->set.filter);
	reasons_free(c.reasons);
	return status;
}
