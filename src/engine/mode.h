/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A mode: what a run watches and what it reports. drops (the default: each drop
 * through the filters into the alerts and the table), tcp (TCP's trouble), times
 * (where every packet's time goes). The engine (session.c) gives every mode its
 * source, the run loop, the limits (-c, -d), the filters, the kernel's counters
 * and the printer; a mode says what it needs of the source, what it does with an
 * event, and how it reports.
 *
 * A new mode is one file like mode_tcp.c, its printer, and one line in modes[]
 * (mode.c): -m NAME, `set alertmode NAME`, its prompt command, `show` and
 * completion come from the entry (the command line reads the table).
 */
#ifndef DW_ENGINE_MODE_H
#define DW_ENGINE_MODE_H

#include "session.h"

/* What a mode's runs ask of the source (struct source_run). */
#define MODE_TCP	1	/* TCP's tracepoints (retransmits, resets) beside the drops */
#define MODE_STEPS	2	/* every step of every skb (DROP_KIND_STEP), not drops */

/*
 * A mode's own command at the prompt (the command line lists it among its commands,
 * live during a run): its word, its words' synopsis and its help.
 */
struct mode_cmd {
	const char *word;		/* NULL: none */
	const char *args;
	const char *help;
	/* Its words before a run (times' rx, tx, dev): 0, or -1 with the error said. */
	int (*args_fn)(struct dw *d, int argc, char **argv);
};

/* What a mode's event() did with an event. */
enum mode_verdict {
	MODE_RECORD,	/* on to the record, the filters, the table and the alerts */
	MODE_SKIP,	/* nothing to count */
	MODE_COUNT,	/* taken: counted in @alerts and @drops (the limits apply) */
};

struct mode {
	const char *name;		/* -m NAME, set alertmode NAME, show's alertmode */
	const char *said;		/* set alertmode: "Alert mode set to <said>" */
	const char *shown;		/* show: "Alert mode: <shown>" */
	const char *help;		/* in -m's help: "<name> (what it shows)" */
	const char *what;		/* the table's title (NULL: drops) */
	const char *no_metrics;		/* why the exporter cannot serve it; NULL: it can */
	const struct agg_spec *key;	/* its table's key when none is given; NULL: the settings' */
	unsigned int needs;		/* MODE_* */
	unsigned int caps;		/* what its runs add to the records (SRC_CAP_*) */
	struct mode_cmd cmd;		/* its command at the prompt */
	/*
	 * Before a run, with the session's source in d->src: the source of its runs, if not
	 * that one (opened once and kept in its slot), and what it checks and sets up.
	 * 0, or -1 with the error said and d->status set.
	 */
	int (*prepare)(struct dw *d, struct source **src, enum dw_source *kind);
	/* Each event before a record is built; NULL: MODE_RECORD. */
	enum mode_verdict (*event)(struct dw *d, const struct drop_event *ev,
				   unsigned long *alerts, uint64_t *drops);
	/* A record built: false leaves it out of this mode's view. NULL: all are kept. */
	bool (*keep)(const struct drop_event *ev, const struct drop_record *r);
	/* After the source stopped, before the report. */
	void (*finish)(struct dw *d);
	/* Its report of the run so far over @elapsed seconds; NULL: the table and the losses. */
	void (*report)(struct dw *d, double elapsed);
	/* Its state (its slot's, mode_slot()) freed at exit. */
	void (*release)(struct dw *d);
};

extern const struct mode mode_drops, mode_tcp, mode_times;
/* Every mode, the default first; NULL ends it. */
extern const struct mode *const modes[];

/* The mode called @name (not drops: summary and packet are its alert modes); NULL. */
const struct mode *mode_find(const char *name);
/*
 * @head, then each mode but drops, by name ("summary, packet" -> "summary, packet, tcp or
 * times") or by its help (@help), into @buf.
 */
const char *mode_list(char *buf, size_t len, const char *head, bool help);

/* The engine, for the modes (session.c). */
int monitor_mode(struct dw *d, const struct mode *m);
/* The tracepoint source for a mode's runs when the session's is another (opened once). */
int mode_trace_side(struct dw *d, const struct mode *m, struct source **src,
		    enum dw_source *kind);
/* The tracepoints of skbs' journeys, checked once a session: 0 or -errno/-EINVAL (said). */
int journey_check(struct dw *d, const struct mode *m);
/* The table for a run of @m: its own key unless one was given. 0 or -ENOMEM. */
int table_for(struct dw *d, const struct mode *m);

/*
 * mode_times.c: its settings (set dir, set dev; --dir, --dev): @val stored and said on
 * d->msg when @say; 0, or -EINVAL/-ENOMEM with one line why in @why.
 */
int times_set_dir(struct dw *d, const char *val, bool say, char *why, size_t len);
int times_set_dev(struct dw *d, const char *val, bool say, char *why, size_t len);

#endif
