/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One run loop for both programs: poll the source (and the signalfd, and the
 * output for a reader gone), wait for alerts to queue, read them, stop at a
 * signal, a limit, the duration or an error; report losses as they happen;
 * after the source is stopped, read what it had queued.
 */
#ifndef DW_RUN_H
#define DW_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "source.h"

/* What a consumer returns to end the run: it has what it asked for (-c). */
#define RUN_LIMIT 1
/* What a consumer returns when it cannot go on (its output failed). */
#define RUN_STOP 2
/* What @on_input returns when the user ended the run (stop at the prompt). */
#define RUN_USER 4

struct netns_db;
struct nfrules;

struct run {
	struct source *src;
	int sigfd;
	int out_fd;		/* polled for POLLERR/POLLHUP: a closed output ends the run; -1: none */
	uint32_t duration;	/* seconds, 0: until stopped */
	unsigned int interval;	/* seconds between on_interval calls, 0: none */
	bool report_losses;	/* say each second how many were lost */
	/* The events; or @drain reads the source itself (dwdump: whole datagrams). */
	drop_event_fn fn;
	int (*drain)(void *arg, bool flush);
	int (*on_second)(void *arg);	/* RUN_STOP ends the run (r->stopped) */
	void (*on_interval)(void *arg);
	/* Commands typed during the run: @in_fd readable calls @on_input (RUN_USER ends the run). */
	int in_fd;		/* polled only with @on_input */
	int (*on_input)(void *arg);
	/* Another descriptor to serve (the exporter's HTTP server): @aux_fd readable calls @on_aux. */
	int aux_fd;		/* polled only with @on_aux */
	void (*on_aux)(void *arg);
	/* A signal: true when @on_signal took it (SIGHUP in the exporter), and the run goes on. */
	bool (*on_signal)(void *arg, int sig);
	/*
	 * Around what the run itself writes (a prompt shown beside it is put away,
	 * then back): after_output is called at the end of each turn of the loop,
	 * which turns at least every @wake_ms (0: the source's own pace).
	 */
	void (*before_output)(void *arg);
	void (*after_output)(void *arg);
	int wake_ms;
	void *arg;
	struct netns_db *netns;	/* kept current before each read (netns_tick); NULL: none */
	struct nfrules *rules;	/* --rules: its traces read as they come; NULL: none */

	/* What happened. */
	uint64_t start_ns;	/* CLOCK_MONOTONIC at the start */
	bool limit;		/* the consumer had enough */
	bool stopped;		/* the consumer could not go on */
	bool user;		/* the user stopped it ('stop' at the prompt) */
	bool expired;		/* the duration passed */
	bool ended;		/* the source has nothing more (a capture read to its end) */
	int signal;		/* what ended it: SIGINT (a run only), other signals end the program */
	bool second_signal;	/* run_finish() was cut short by another signal */
	uint64_t lost_seen;	/* losses said so far */
};

/* Until a signal, the limit, the duration or an error: 0, or -errno (source_error() says). */
int run_loop(struct run *r);
/*
 * After the source stopped: what it queued before (unless the run ended at its
 * limit, or on a second signal, which is returned in r->signal), and the
 * losses said. Returns what the read returned.
 */
int run_finish(struct run *r);
double run_elapsed(const struct run *r);
/* The losses since the last report, on stderr; @final: with the source's hint. */
void run_losses(struct run *r, bool final);

#endif
