/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine: a session's state and what runs it, below the command line (src/cli),
 * which only parses, sets, completes, prompts and asks the engine to run.
 *   session.c    sources, runs of any mode, replay, the kernel's settings
 *   mode*.c      the modes a run can be in (drops, tcp, times), one file each (mode.h)
 *   snapshots.c  the kernel's counters read around a run, and its drops by reason
 *   rules.c      --rules: the nftables tracing of a run
 *   run.c        the run loop (run.h)
 * The command line reaches the engine through these calls; the engine reaches back
 * only through the hooks the command line registers (struct dw_prompt, dw_watch).
 */
#ifndef DW_ENGINE_SESSION_H
#define DW_ENGINE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "counters.h"
#include "drop.h"
#include "filter.h"
#include "netdm.h"
#include "record.h"
#include "source.h"
#include "symres.h"
#include "times.h"
#include "util.h"

struct run;
struct rtstats;
struct mode;
struct dw;

/* How many modes there can be (mode.c's table). */
#define MODE_MAX 8

#define DEFAULT_RCVBUF (32 * 1024 * 1024)
#define KALLSYMS "/proc/kallsyms"
#define err_msg util_err

enum dw_source {
	SRC_AUTO,
	SRC_NETDM,
	SRC_TRACE,
	SRC_BPF,
};

/*
 * What a mode keeps for the session, in the engine's hands: the source of its runs when
 * the session's cannot serve them (opened at its first run and kept), which kind it is,
 * its own state, and whether what the kernel lacks for it was said (once a session).
 */
struct mode_slot {
	const struct mode *mode;	/* NULL: a free slot */
	struct source *src;
	enum dw_source kind;
	void *state;
	bool said;
};

/*
 * The prompt during a run (input.c registers it while it reads a terminal): shown when
 * the run starts, its input read (RUN_USER once stopped), put away for output and
 * brought back after it, put away when the run ends.
 */
struct dw_prompt {
	void (*live)(struct dw *d);
	int (*input)(struct dw *d);
	void (*away)(struct dw *d);
	void (*back)(struct dw *d);
	void (*end)(struct dw *d);
};

/*
 * What watches a run beside the table and the printer (the exporter registers it): its
 * hooks on the run loop, monitoring started, each drop that passed the filters.
 */
struct dw_watch {
	void (*hooks)(struct dw *d, struct run *r);
	void (*started)(struct dw *d);
	void (*count)(struct dw *d, const struct drop_record *r, uint64_t count);
};

/* What the user set; sent to the kernel at `set` and again at `start`. */
struct dw_settings {
	enum dw_source source;		/* SRC_NETDM, SRC_TRACE or SRC_BPF once open */
	bool passive;			/* listen only: no CONFIG, START or STOP */
	bool force;			/* stop a monitor left on that nobody reads */
	struct netdm_config want;	/* alert mode, truncation, queue */
	bool sw, hw;
	const struct mode *mode;	/* what a run watches: drops (-m summary, packet), tcp, times */
	uint32_t alertlimit;		/* alerts (records) per run, 0: no limit */
	uint32_t droplimit;		/* drops per run (a summary's counts), 0: no limit */
	bool stack;			/* record call chains (tracepoint) */
	bool journey;			/* each drop's journey (tracepoint) */
	bool rules;			/* the nftables rule of each netfilter drop (nfrules.h) */
	char times_dir[8];		/* the times report's directions: "rx", "tx" or "both" */
	char *times_dev;		/* ... and devices (a glob), NULL: all */
	uint32_t journey_max;		/* skbs tracked at once, 0: default */
	uint32_t ring_bytes;		/* per-CPU ring size (tracepoint), 0: default */
	uint32_t map_entries;		/* the eBPF source's count maps, 0: default */
	/* What is shown: filters, the ignore list, the table and its refresh. */
	struct filter filter;
	struct agg_spec key;
	uint32_t interval;		/* seconds between tables; 0: alerts, table at stop */
	uint32_t top;			/* table rows, 0 for all */
	uint32_t duration;		/* seconds a run lasts; 0: until Ctrl-C */
	bool mode_given, key_given;	/* -m, -k (or their `set`): not the defaults' */
	bool quiet;			/* -q: no alerts, no table (the exporter's) */
	bool counts_only;		/* the exporter without -m: counts in the kernel will do */
};

/* One monitoring run (or replay): what the table says beside its rows. */
struct dw_counts {
	bool running;
	const struct mode *mode;	/* of the current or last run (its table or report) */
	unsigned long alerts;
	uint64_t drops;
	uint64_t hidden, ignored, lost;
	uint64_t tail;			/* NET_DM's alert queue's drops this run (run_stats) */
	uint64_t run_start_ns, run_end_ns;	/* CLOCK_MONOTONIC: the table's elapsed time, frozen at the end */
	uint64_t first_ts, last_ts;
	const uint64_t *replay_ts;	/* time of the record being replayed */
	unsigned long bare;		/* replayed summary addresses */
	/* For the exporter: whether the last monitor() started, why not, and whether its run
	 * ended because the source failed (to be opened again). */
	bool started, restart;
	int start_err;
};

/* Another network namespace's drops and counters (snapshots.c). */
struct ns_loss {
	uint64_t ino;
	char *name, *container;		/* escaped, as the records give them */
	bool have_start, have_end, gone;
	struct counter_set start, end, now;
	struct reason_count *rc;	/* its drops by reason (names owned) */
	size_t nrc, cap, last;
};

struct dw_loss {
	bool off;			/* set counters off */
	bool have_start, have_end;	/* the snapshots of the run */
	struct counter_set start, end, now;	/* now: for a table during the run */
	struct rtstats *rt;		/* links and qdiscs; NULL until the first snapshot */
	bool rt_failed;			/* said once */
	struct reason_count *rc;	/* the run's drops by reason (names owned) */
	size_t nrc, cap, last;
	uint64_t no_reason;		/* software drops with no reason */
	uint64_t ambiguous;		/* drops whose namespace could not be established */
	struct ns_loss *ns;		/* the other namespaces */
	size_t nns, capns;
};

/*
 * A session: what the user set, the source, the table and the printer, the run going on
 * or the last one. The command line keeps it inside its own (struct cli, src/cli/dw.h).
 */
struct dw {
	struct dw_settings set;
	struct dw_counts run;
	struct source *src;		/* where drops come from, once open */
	struct mode_slot slot[MODE_MAX];	/* what each mode run so far keeps (mode_slot()) */
	const struct dw_prompt *prompt;	/* the prompt, while a terminal is read (input.c) */
	const struct dw_watch *watch;	/* the exporter, while it runs (exporter.c) */
	struct agg *other_agg;		/* the table of another kind of run, kept aside */
	const struct agg_spec *agg_key;	/* the key agg was made with for a mode; NULL: set.key */
	const struct agg_spec *other_key;	/* ... and other_agg */
	bool journey_said;		/* what the journey's tracepoints lack was said */
	struct symres *sym;
	struct record_ctx rec;
	bool netns_tried;		/* the namespaces were read (or could not be) */
	struct out_ctx out;
	struct agg *agg;
	struct dw_loss loss;
	FILE *msg;			/* everything but records: stderr with kv and JSON */
	int sigfd;
	int out_fd;			/* stdout, watched for a reader gone (a pipe) */
	bool interactive;
	bool quit;
	int fatal_signal;
	int status;			/* exit status for scripted use: worst failure so far */
};

/* session.c */
/* Records a failed command: kernel/permission failures map to exit status 3. */
int cmd_failed(struct dw *d, int err);
int usage_failed(struct dw *d);
/* 0 when the source can give what @f and @key ask for; else one line why, and -EINVAL. */
int check_caps(const struct dw *d, const struct filter *f, const struct agg_spec *key,
	       char *why, size_t len);
/* The same for a source of @kind whose records carry @extra too (a mode's). */
int check_caps_of(enum dw_source kind, unsigned int extra, const struct filter *f,
		  const struct agg_spec *key, char *why, size_t len);
/* Mode @m's slot (claimed at its first use); NULL when every slot is taken. */
struct mode_slot *mode_slot(struct dw *d, const struct mode *m);
/* The registered prompt put away for output (nothing without one). */
void prompt_away(struct dw *d);
/* The NET_DM socket, NULL with the tracepoint source. */
struct netdm_sock *dm(const struct dw *d);
int apply_config(struct dw *d);
void restore_kernel_config(struct dw *d);
void print_table(struct dw *d, double elapsed);
/* The source's losses so far into d->run (lost, tail), for the table and the counters. */
void run_stats(struct dw *d);
double live_elapsed(const struct dw *d);
/* A run of the session's mode (start, -m). */
int monitor(struct dw *d);
int run_replay(struct dw *d, const char *path, const char *lmethod);
#define OPEN_USAGE 1	/* options that do not fit the source found */
int open_source(struct dw *d);
/* Once the source is open: its default key, and whether it gives what the options ask for.
 * 0, OPEN_USAGE (said why) or -ENOMEM. */
int source_options(struct dw *d);

/* snapshots.c: the kernel's counters read around a run, and its drops by reason */
/* Before the monitor starts (or a replay: nothing to compare); after it stopped. */
void losses_start(struct dw *d);
void losses_end(struct dw *d);
/* A drop, before the filters. */
void losses_tally(struct dw *d, const struct drop_record *r, uint64_t count);
/* The section after a table: the run so far, or the last one (@elapsed: the table's). */
void losses_print_section(struct dw *d, double elapsed);
void losses_free(struct dw *d);

/* rules.c: --rules, the nftables tracing of a run */
/* On for the run @r of @sr when asked: 0, else said, and -EINVAL (a usage error) or -errno. */
int rules_on(struct dw *d, const struct source_run *sr, struct run *r);
/* Off: what was not joined said, our table removed. */
void rules_off(struct dw *d);

#endif
