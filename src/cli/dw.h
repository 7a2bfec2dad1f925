/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dropwatch's front end, split by concern: what the user set (settings), one
 * run's counts, the input being read, and the session that holds them with
 * the source, the symbol service and the printer.
 *   session.c   sources, runs, replay and the kernel's settings
 *   commands.c  the commands and settings of the prompt, -e and -b
 *   input.c     the prompt (readline), standard input, scripts
 *   options.c   the command line
 */
#ifndef DW_CLI_DW_H
#define DW_CLI_DW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "drop.h"
#include "filter.h"
#include "netdm.h"
#include "record.h"
#include "source.h"
#include "symres.h"

#define PROMPT "dropwatch> "
#define DEFAULT_RCVBUF (32 * 1024 * 1024)
#define KALLSYMS "/proc/kallsyms"
#define MAX_WORDS 16
#define err_msg util_err

enum dw_source {
	SRC_AUTO,
	SRC_NETDM,
	SRC_TRACE,
};

/* What the user set; sent to the kernel at `set` and again at `start`. */
struct dw_settings {
	enum dw_source source;		/* SRC_NETDM or SRC_TRACE once open */
	bool passive;			/* listen only: no CONFIG, START or STOP */
	struct netdm_config want;	/* alert mode, truncation, queue */
	bool sw, hw;
	unsigned long alertlimit;
	bool stack;			/* record call chains (tracepoint) */
	uint32_t ring_bytes;		/* per-CPU ring size (tracepoint), 0: default */
	/* What is shown: filters, the ignore list, the table and its refresh. */
	struct filter filter;
	struct agg_spec key;
	unsigned int interval;		/* seconds between tables; 0: alerts, table at stop */
	unsigned int top;		/* table rows, 0 for all */
	uint32_t duration;		/* seconds a run lasts; 0: until Ctrl-C */
};

/* One monitoring run (or replay): what the table says beside its rows. */
struct dw_counts {
	unsigned long alerts;
	uint64_t hidden, ignored, lost;
	uint64_t run_start_ns, first_ts, last_ts;	/* elapsed time for the table */
	const uint64_t *replay_ts;	/* time of the record being replayed */
	unsigned long bare;		/* replayed summary addresses */
};

/* Lines being read: non-terminal standard input, and readline's hand-off. */
struct dw_input {
	char *inbuf;
	size_t inlen, incap;
	bool in_eof;
	char *rl_line;
	bool rl_done;
};

struct dw {
	struct dw_settings set;
	struct dw_counts run;
	struct dw_input in;
	struct source *src;		/* where drops come from, once open */
	struct symres *sym;
	struct record_ctx rec;
	struct out_ctx out;
	struct agg *agg;
	struct reason_cat *reasons;	/* loaded on first use */
	FILE *msg;			/* everything but records: stderr with kv and JSON */
	int sigfd;
	int out_fd;			/* stdout, watched for a reader gone (a pipe) */
	bool interactive;
	bool quit;
	int fatal_signal;
	int status;			/* exit status for scripted use: worst failure so far */
};

/* A command's table entry: dispatch, help and completion. */
struct cmd {
	const char *word;
	const char *args;
	const char *help;
	int (*fn)(struct dw *d, int argc, char **argv);
	const char *const *values;	/* completion words for the argument */
};

extern const struct cmd top_cmds[], set_cmds[];

/* session.c */
/* Records a failed command: kernel/permission failures map to exit status 3. */
int cmd_failed(struct dw *d, int err);
int usage_failed(struct dw *d);
/* 0 when the source can give what @f and @key ask for; else one line why, and -EINVAL. */
int check_caps(const struct dw *d, const struct filter *f, const struct agg_spec *key,
	       const char *what);
/* The NET_DM socket, NULL with the tracepoint source. */
struct netdm_sock *dm(const struct dw *d);
int apply_config(struct dw *d);
void restore_kernel_config(struct dw *d);
void print_table(struct dw *d, double elapsed);
double live_elapsed(const struct dw *d);
int monitor(struct dw *d);
int run_replay(struct dw *d, const char *path, const char *lmethod);
#define OPEN_USAGE 1	/* options that do not fit the source found */
int open_source(struct dw *d);

/* commands.c */
const struct cmd *find_cmd(const struct cmd *tab, const char *word);
void run_line(struct dw *d, char *line);
int parse_ring_size(const char *s, uint32_t *out);

/* input.c */
void input_loop(struct dw *d);
void run_script(struct dw *d, char *text, const char *where, bool semicolons);
int run_batch_file(struct dw *d, const char *path);

/* options.c */
struct dw_opts {
	const char *lmethod, *replay, *batch;
	char *kas_method, *exec;
	bool one_shot, mode_given, key_given, verbose;
	enum out_format format;
};
/* The command line into @d's settings and @o: -1 to go on, else the exit status. */
int parse_options(struct dw *d, struct dw_opts *o, int argc, char **argv);

#endif
