/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The aggregated view: drops counted by a key made of chosen fields
 * (location, reason, input interface by default; protocol, addresses and
 * ports of the packet too), sorted by count, with share and rate.
 */
#ifndef DW_AGGREGATE_H
#define DW_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "filter.h"
#include "record.h"

enum agg_field {
	AGG_LOC,
	AGG_REASON,
	AGG_DEV,
	AGG_ORIGIN,
	AGG_PROTO,
	AGG_SRC,
	AGG_DST,
	AGG_SPORT,
	AGG_DPORT,
	AGG_STACK,
	AGG_NETNS,
	AGG_CONTAINER,
	AGG_EVENT,	/* drop, retransmit, reset_sent, reset_received */
	AGG_CAUSE,	/* the reason of a drop or reset, the result of a retransmit */
	AGG_STATE,	/* the socket's TCP state */
	AGG_CONN,	/* the socket's addresses and ports */
	AGG_RULE,	/* --rules: the nftables rule of a netfilter drop */
	AGG_CT,		/* the connection's conntrack state (eBPF) */
	AGG_FIELDS
};

#define AGG_MAX_KEYS	8

struct agg_spec {
	unsigned int n;
	enum agg_field field[AGG_MAX_KEYS];
};

extern const char *const agg_field_names[AGG_FIELDS];
extern const char *const agg_output_names[AGG_FIELDS];

/* "loc,reason,dev" into @spec: 0, or -EINVAL with the reason in @err. */
int agg_spec_parse(struct agg_spec *spec, const char *list, char *err, size_t errlen);
bool agg_spec_has(const struct agg_spec *spec, enum agg_field f);
/* 0 when a source carrying @caps (SRC_CAP_*) gives every key, else -EINVAL and why. */
/* The first field of @spec that is read from the packet's headers (proto, src, dst, ports), or -1. */
int agg_spec_packet_field(const struct agg_spec *spec);
int agg_spec_check_caps(const struct agg_spec *spec, unsigned int caps, const char *source,
			char *err, size_t errlen);
/* Back to text, for show. */
const char *agg_spec_str(const struct agg_spec *spec, char *buf, size_t size);

struct jhist;

struct agg_row {
	const char *value[AGG_MAX_KEYS];	/* "" when the drop did not carry it */
	uint64_t count;
	struct jhist *lived;	/* the drops' times from their journey's first event; NULL: none */
};


struct agg;

struct agg *agg_new(const struct agg_spec *spec);
void agg_free(struct agg *a);
void agg_reset(struct agg *a);
/* Counts @count drops under the key of @r's fields. 0 or -ENOMEM. */
int agg_add(struct agg *a, struct drop_record *r, uint64_t count);
uint64_t agg_total(const struct agg *a);
size_t agg_rows(const struct agg *a);
/* The rows sorted by count (then key); valid until the next agg_add or reset. */
const struct agg_row *agg_sorted(struct agg *a, size_t *n);

const struct agg_spec *agg_get_spec(const struct agg *a);

#endif
