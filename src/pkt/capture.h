/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capture files of drop alerts.
 *
 * Writing, in one of two formats:
 *  - netlink: pcap, LINKTYPE_NETLINK; each record a 16-byte Linux cooked header
 *    (hatype ARPHRD_NETLINK, protocol NETLINK_GENERIC) then one netlink message,
 *    which is what Wireshark's net_dm dissector reads (as nlmon or dwdump write);
 *  - frames: pcapng, LINKTYPE_LINUX_SLL2; each record the dropped packet itself
 *    behind an SLL2 header carrying the input ifindex and the protocol, with the
 *    drop location and reason in the packet's comment, on an interface block of
 *    its input port named and described with its network namespace. libpcap
 *    reads pcapng but cannot write it, hence the small writer here.
 * Reading: the netlink format (ours, dwdump 1.5's, an nlmon capture) record by
 * record, with errors that name the record.
 * Filtering: a pcap-filter expression compiled by libpcap for LINKTYPE_LINUX_SLL2
 * and run on the frame a drop event holds.
 */
#ifndef DW_CAPTURE_H
#define DW_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "event.h"

enum cap_format {
	CAP_FORMAT_NETLINK,
	CAP_FORMAT_FRAMES,
};

int cap_format_from_str(const char *s);

/* Length of the Linux cooked (SLL v1) header in front of each netlink record. */
#define CAP_SLL_LEN	16
/* Length of the SLL2 header in front of each frame. */
#define CAP_SLL2_LEN	20
/* Room for a frame: the SLL2 header and the largest NET_DM payload. */
#define CAP_FRAME_MAX	(CAP_SLL2_LEN + 65535)

/*
 * Opens @path for writing a capture: created with mode 0600, never through a
 * symbolic link, and an existing file is truncated only if it is a regular
 * file (a FIFO or a device is written as it is). "-" is standard output.
 * Returns the stream, or NULL with errno set.
 */
FILE *cap_open_output(const char *path);

/*
 * The frame a drop event's payload stands for, behind an SLL2 header: an
 * Ethernet payload (bytes 12-13 match the protocol) loses its 14-byte header
 * (source address kept in the SLL2 header); an L3 payload is kept whole.
 * Writes at most @size bytes to @buf; returns the frame's length, 0 when the
 * event has no payload. @orig_len gets the frame's original length.
 */
size_t cap_frame_build(const struct drop_event *ev, uint8_t *buf, size_t size,
		       uint32_t *orig_len);

struct cap_writer;

/*
 * @flush_each: flush after every record (a pipe, so a reader sees each one).
 * The writer owns @f from here on: cap_writer_close() closes it, and so does a
 * failure here (the stream may use a buffer of the writer's).
 */
int cap_writer_new(struct cap_writer **out, FILE *f, enum cap_format fmt, bool flush_each);
/* netlink format: one record of @caplen bytes of a message that was @len long. */
int cap_write_netlink(struct cap_writer *w, const void *msg, size_t caplen, size_t len,
		      uint64_t ts_ns);
/*
 * frames format: the event's frame with @comment (may be NULL), on the interface
 * @ifname described by @ifdescr (its network namespace: both may be NULL; each
 * interface gets its block once). 0 if written, 1 if no payload.
 */
int cap_write_frame(struct cap_writer *w, const struct drop_event *ev, uint64_t ts_ns,
		    const char *comment, const char *ifname, const char *ifdescr);
/* Pushes buffered records to the file; -errno when writing failed (now or before). */
int cap_writer_flush(struct cap_writer *w);
/* Flushes and closes the file; returns what the final flush returned. */
int cap_writer_close(struct cap_writer *w);

struct cap_filter;

/* Compiles @expr; on error returns NULL with libpcap's explanation in @err. */
struct cap_filter *cap_filter_new(const char *expr, char *err, size_t errlen);
/* A classic BPF instruction of a compiled filter (struct bpf_insn's fields). */
struct cap_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

/*
 * The program @f compiled to, run on the frames cap_frame_build() makes: its
 * instructions into @out when at most @max, and their number either way.
 */
size_t cap_filter_code(const struct cap_filter *f, struct cap_insn *out, size_t max);
/* Whether the event's frame matches; an event without payload never does. */
bool cap_filter_match(struct cap_filter *f, const struct drop_event *ev);
void cap_filter_free(struct cap_filter *f);

/* Reading a netlink-format capture. */
struct cap_reader;

struct cap_record {
	unsigned long index;	/* 1-based record number in the file */
	uint64_t ts_ns;
	const uint8_t *data;	/* the netlink messages, after the cooked header */
	size_t caplen;		/* bytes present */
	size_t len;		/* bytes the messages had when captured */
};

/* Returns 0, or -errno with a description in @err. */
int cap_reader_open(const char *path, struct cap_reader **out, char *err, size_t errlen);
/*
 * Next generic netlink record (records of other netlink protocols are
 * skipped). Returns 1 with @rec filled, 0 at the end of the file, or
 * -EBADMSG with a description (naming the record) in @err when the file is
 * corrupt or cut short.
 */
int cap_reader_next(struct cap_reader *r, struct cap_record *rec, char *err, size_t errlen);
void cap_reader_close(struct cap_reader *r);

#endif
