/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dropwatch's command line, above the engine (session.h): what the user typed and
 * is typing, and the tables that parse, set and complete it.
 *   commands.c  the commands of the prompt, -e and -b
 *   settings.c  the settings' table and `set`; options.c  getopt and --help from it;
 *   complete.c  completion from it (the prompt's and bash's)
 *   input.c     the prompt (readline), its history and completion, standard input, scripts
 *   exporter.c  --metrics and --metrics-file: runs one after another until stopped
 *   lists.c     the reasons' and devices' names, for completion and `list`
 */
#ifndef DW_CLI_DW_H
#define DW_CLI_DW_H

#include <stddef.h>

#include "mode.h"
#include "session.h"

struct exporter;

#define PROMPT "dropwatch> "
#define MAX_WORDS 16
/* The exporter's truncation length (unless --trunc): the headers, for the device and printing. */
#define EXPORTER_TRUNC 128

/* Lines being read: non-terminal standard input, and readline's hand-off. */
struct dw_input {
	char *inbuf;
	size_t inlen, incap;
	bool in_eof;
	char *rl_line;
	bool rl_done;
	bool live;		/* the prompt is shown during a run */
	bool hidden;		/* ... and put away for output */
	bool printed;		/* ... for output since the last look */
	uint64_t hidden_ns;	/* when it was put away */
	bool stop_req;		/* 'stop' (or 'exit', or Ctrl-D) typed during a run */
};

/* What the command line asked for besides the settings. */
struct dw_opts {
	const char *lmethod, *replay, *batch;
	char *kas_method, *exec;
	bool one_shot, trunc_given, help, version;
	enum out_format format;
	/* The exporter: --metrics, --metrics-file, their labels. */
	const char *metrics, *metrics_file;
	unsigned int metrics_labels;
	uint32_t metrics_top;
};

/*
 * The command line's session: the engine's (first, so that a struct dw the engine
 * hands back to a hook is the cli's: CLI()), and what only the command line keeps.
 */
struct cli {
	struct dw d;
	struct dw_opts opt;
	struct dw_input in;
	struct exporter *exp;		/* --metrics, --metrics-file: the exporter's state */
	struct reason_cat *reasons;	/* the kernel's reason names, loaded on first use */
};

/* The command line's session around @d (every struct dw is one's). */
#define CLI(d) ((struct cli *)(void *)(d))

/* A command's table entry: dispatch, help and completion. */
struct cmd {
	const char *word;
	const char *args;
	const char *help;
	int (*fn)(struct dw *d, int argc, char **argv);
	unsigned int flags;
	const struct mode *mode;	/* a mode's command: a run of it (fn NULL) */
	int (*args_fn)(struct dw *d, int argc, char **argv);	/* ... its words first */
};
#define CMD_LIVE 1	/* also while monitoring, typed at the prompt */


/* What a setting's value is, for completion. */
enum value_kind {
	V_NONE, V_BOOL, V_MODE, V_SOURCE, V_FORMAT, V_LMETHOD, V_FILE, V_KEYS, V_FILTER, V_REASONS,
	V_DIR,
};

/*
 * A setting: an option (--opt, -shortopt), a `set` word at the prompt (name),
 * or both. apply() parses @val, stores it, says so on d->msg when @say (at
 * the prompt) and returns 0, or -EINVAL (bad value) or another -errno (the
 * kernel refused) with one line why in @why.
 */
struct setting {
	const char *name;	/* set NAME; NULL: an option only */
	const char *opt;	/* --OPT; the table ends with neither */
	char shortopt;
	const char *arg;	/* the option's value, NULL for a flag (set: on/off) */
	const char *help;
	unsigned int flags;
	int (*apply)(struct dw *d, const struct setting *s, const char *val, bool say, char *why,
		     size_t len);
	enum value_kind values;
	const struct setting_number *num;	/* a plain number, for set_number() */
};

/* A plain number: where it goes, what it is, and what `set` says of it. */
struct setting_number {
	size_t field;		/* offsetof(struct dw_settings, ...), a uint32_t */
	const char *unit;	/* "'X' is not <unit>" */
	const char *said;	/* "<said> N" */
	const char *said0;	/* instead, when N is 0 (NULL: said) */
};
#define SET_STARTS 1	/* as an option, starts a one-shot run */
#define SET_LIVE 2	/* may change while monitoring */

extern const struct setting settings[];
#define SETTINGS_MAX 96	/* entries in settings[], at most */
typedef void (*complete_fn)(void *arg, const char *word);

/* commands.c */
void run_line(struct dw *d, char *line);
/* Candidates for @cur, the word after @words (the line so far), at the prompt. */
void complete_line(struct dw *d, char **words, int n, const char *cur, complete_fn add, void *arg);

/* settings.c: the table, `set` */
const struct setting *setting_find(const char *name);
/* Its help: @s->help, and for the alert mode each mode's (in @buf). */
const char *setting_help(const struct setting *s, char *buf, size_t len);
size_t setting_names(const char **out, size_t max);
/* set NAME VALUE at the prompt: 0, or -1 with the error said and d->status set. */
int setting_set(struct dw *d, const struct setting *s, const char *val);
int parse_ring_size(const char *s, uint32_t *out);

/* options.c */
/* The command line into @d's settings and d->opt: -1 to go on, else the exit status. */
int parse_options(struct dw *d, int argc, char **argv);

/* lists.c */
/* The reason names of the running kernel (loaded on first use). */
const struct reason_cat *catalogue(struct dw *d);
/* Its reason names, then @extra's words, NULL-terminated (free it); *@n: the reasons. */
const char **reason_names(struct dw *d, const char *const *extra, size_t *n);
struct if_nameindex;
/* This system's interface names into @w (at most @max - 1, NULL-terminated); free *@ifs. */
size_t dev_names(struct if_nameindex **ifs, const char **w, size_t max);

/* complete.c */
void complete_value(struct dw *d, const struct setting *s, bool at_prompt, const char *cur,
		    complete_fn add, void *arg);
void complete_filter_value(struct dw *d, const char *key, const char *cur, complete_fn add,
			   void *arg);
/* dropwatch --complete -- WORDS...: candidates for the last word, one per line. */
int complete_cmdline(struct dw *d, int argc, char **argv);

/* exporter.c */
/* --metrics, --metrics-file: monitor until stopped, starting again after failures. */
int exporter(struct dw *d);

/* input.c */
void input_loop(struct dw *d);
void run_script(struct dw *d, char *text, const char *where, bool semicolons);
int run_batch_file(struct dw *d, const char *path);

#endif
