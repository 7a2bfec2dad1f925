/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The skb:kfree_skb tracepoint, decoded the way the running kernel describes
 * it: its id and field offsets from the tracepoint's format file, and the
 * perf samples of it (a PERF_RECORD_SAMPLE with tid, time, cpu, an optional
 * kernel call chain and the raw trace record). Pure: no I/O, no globals;
 * every length, offset and count is treated as hostile.
 */
#ifndef DW_TPFORMAT_H
#define DW_TPFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fields we read; the layout differs between kernels (5.x, 6.1, 6.18...). */
enum tp_field_id {
	TP_SKBADDR,
	TP_LOCATION,
	TP_PROTOCOL,
	TP_REASON,	/* since Linux 5.17 */
	TP_RX_SK,	/* since Linux 6.12 */
	TP_FIELDS
};

struct tp_field {
	bool present;
	uint16_t offset;
	uint16_t size;		/* 1, 2, 4 or 8 */
	bool is_signed;
};

struct tp_format {
	int64_t id;		/* the tracepoint's id (perf_event_attr.config) */
	struct tp_field field[TP_FIELDS];
};

/*
 * Parses a format file (name, ID and field lines). The ID and the location
 * field are required; the others are used when present. Returns 0, or
 * -EINVAL with a one-line reason in @err.
 */
int tp_format_parse(struct tp_format *fmt, const char *text, size_t len, char *err, size_t errlen);

/*
 * The fields named @names (@n of them) of a format file into @fields (present
 * or not), and its ID into @id: 0, or -EINVAL with a one-line reason in @err
 * (a malformed line, no ID). Sizes are not checked: the caller knows its fields.
 */
int tp_fields_parse(const char *text, size_t len, const char *const *names, size_t n,
		    struct tp_field *fields, int64_t *id, char *err, size_t errlen);
/* A field of 1, 2, 4 or 8 bytes at its offset in @raw (checked by the caller), sign-extended. */
int64_t tp_field_int(const void *raw, const struct tp_field *f);

/* One trace record (the raw data of a sample), decoded by a format. */
struct tp_record {
	uint64_t location;
	uint64_t skbaddr;	/* 0 when the format has none */
	bool has_protocol, has_reason;
	uint16_t protocol;	/* host order, as the tracepoint stores it */
	int32_t reason;		/* enum skb_drop_reason, as a number */
};

/* 0, or -EBADMSG when @len does not hold a field the format places there. */
int tp_record_decode(const struct tp_format *fmt, const void *raw, size_t len, struct tp_record *r);

/* The sample layout our perf events ask for (PERF_SAMPLE_*), with or without the call chain. */
uint64_t tp_sample_type(bool callchain);

#define TP_STACK_MAX 64

struct tp_sample {
	uint32_t pid, tid;
	uint64_t time;		/* the event clock (we ask for CLOCK_MONOTONIC) */
	uint32_t cpu;
	uint32_t nr_ips;	/* kernel frames kept (context markers dropped) */
	uint64_t ips[TP_STACK_MAX];
	bool stack_cut;		/* more frames than TP_STACK_MAX */
	const uint8_t *raw;	/* the trace record, inside the sample */
	uint32_t raw_size;
};

/*
 * Decodes one PERF_RECORD_SAMPLE record (from its perf_event_header on, @len
 * bytes as its header says) of the layout tp_sample_type(@callchain).
 * Returns 0 or -EBADMSG.
 */
int tp_sample_decode(const void *rec, size_t len, bool callchain, struct tp_sample *s);

#endif
