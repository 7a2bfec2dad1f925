/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drops as Prometheus metrics: counters by origin and reason (software) or by
 * trap group and trap (hardware), optionally by input interface, location,
 * network namespace and container
 * (the values with the most drops each, the rest folded), and the tool's own state beside them
 * (losses, starts, whether it monitors). Rendered in the Prometheus text
 * format or in OpenMetrics. The counters live as long as the registry: runs
 * that end and start again (the exporter's retries) only add to them.
 */
#ifndef DW_METRICS_H
#define DW_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"

/* Optional labels of dropwatch_drops_total. */
enum {
	METRICS_DEVICE		= 1u << 0,
	METRICS_LOCATION	= 1u << 1,
	METRICS_NETNS		= 1u << 2,	/* the namespace: its name, else its inode */
	METRICS_CONTAINER	= 1u << 3,
	METRICS_RULE		= 1u << 4,	/* --rules: the nftables rule of a netfilter drop */
};

/* Each optional label shows this many values by default: those with the most drops. */
#define METRICS_DEFAULT_TOP	50
/* Values an optional label ranks at most; the drops of further ones are folded. */
#define METRICS_MAX_VALUES	4096
/* The value that folded drops are counted under. */
#define METRICS_OTHER		"(other)"
/* Series of dropwatch_drops_total at most; drops of further label sets are folded too. */
#define METRICS_MAX_SERIES	4096

/* The tool's own counters: what it lost and what it could not read, by the source's word. */
struct metrics_own {
	uint64_t queue_sw, queue_hw;	/* NET_DM: drops its alert queue was too full for */
	uint64_t overruns;		/* NET_DM: alerts lost at our socket */
	uint64_t ring_lost;		/* tracepoint: drops lost in full ring buffers */
	uint64_t malformed;		/* messages or records that could not be decoded */
	uint64_t filtered;		/* drops the filters or the ignore list left out */
};

/* What the info metric says. */
struct metrics_info {
	const char *source;		/* netdm, trace; "" before a source was opened */
	const char *kernel;		/* uname's release */
	const char *reasons;		/* where the reason names came from: btf, tracefs, built-in */
	const char *mode;		/* packet, summary, tcp */
};

struct metrics;

/* @labels: METRICS_*; @top: values kept per optional label (0: the default). */
struct metrics *metrics_new(unsigned int labels, uint32_t top);
void metrics_free(struct metrics *m);

/* "device,location,netns,container" (or "none") into METRICS_* bits: 0, or -EINVAL and why. */
int metrics_parse_labels(const char *list, unsigned int *labels, char *err, size_t errlen);

/* Counts @count drops of @r. 0, or -ENOMEM (the drop is counted as folded). */
int metrics_count(struct metrics *m, const struct drop_record *r, uint64_t count);
/* Picks each optional label's top values again, by drops so far: call before rendering. */
void metrics_rank(struct metrics *m);

/* The tool's own state: set by the exporter before each rendering. */
void metrics_set_own(struct metrics *m, const struct metrics_own *own);
void metrics_set_info(struct metrics *m, const struct metrics_info *info);
void metrics_set_active(struct metrics *m, bool active);
void metrics_add_start(struct metrics *m, bool ok);

/* The exposition: Prometheus text format 0.0.4, or OpenMetrics 1.0.0 (ends with # EOF). */
int metrics_render(const struct metrics *m, FILE *f, bool openmetrics);
/* As a malloc'ed buffer (free it): NULL without memory. */
char *metrics_render_buf(const struct metrics *m, bool openmetrics, size_t *len);
/*
 * Writes the text format to @path atomically: a temporary file in the same
 * directory, created 0644 without following links, then renamed over @path.
 * 0, or -errno with one line why in @err.
 */
int metrics_write_file(const struct metrics *m, const char *path, char *err, size_t errlen);

#endif
