// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <pcap/pcap.h>

#include "capture.h"

#define CAP_WRITE_BUFFER (256 * 1024)
#include "pktdecode.h"
#include "util.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

/* Records of the netlink format are cut at this many bytes (libpcap's largest snaplen). */
#define CAP_NETLINK_SNAPLEN	262144

int cap_format_from_str(const char *s)
{
	if (!strcasecmp(s, "netlink"))
		return CAP_FORMAT_NETLINK;
	if (!strcasecmp(s, "frames"))
		return CAP_FORMAT_FRAMES;
	return -EINVAL;
}

FILE *cap_open_output(const char *path)
{
	struct stat st;
	FILE *f;
	int fd;

	if (!strcmp(path, "-"))
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISREG(st.st_mode)) {
		/* Dropped packets can hold secrets: owner-only, whatever the umask was. */
		if (ftruncate(fd, 0) < 0 || fchmod(fd, 0600) < 0)
			goto fail;
	}
	f = fdopen(fd, "w");
	if (f)
		return f;
fail:
	{
		int err = errno;

		close(fd);
		errno = err;
	}
	return NULL;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

size_t cap_frame_build(const struct drop_event *ev, uint8_t *buf, size_t size,
		       uint32_t *orig_len)
{
	const uint8_t *p = ev->payload;
	size_t n = ev->payload_len, hlen, dlen, copy;
	uint32_t orig = (ev->has & DROP_HAS_ORIG_LEN) ? ev->orig_len : (uint32_t)n;
	uint16_t proto = ev->proto;
	bool eth;

	if (!p || !n || size < CAP_SLL2_LEN)
		return 0;
	/* The payload starts at the MAC header, unless the device has none (L3 only). */
	eth = pkt_has_ethernet(p, n, proto, ev->has & DROP_HAS_PROTO);
	memset(buf, 0, CAP_SLL2_LEN);
	if (eth) {
		uint16_t type = get_be16(p + 12);

		put_be16(buf, type <= ETH_DATA_LEN ? ETH_P_802_2 : type);
		put_be16(buf + 8, ARPHRD_ETHER);
		buf[11] = ETH_ALEN;
		memcpy(buf + 12, p + ETH_ALEN, ETH_ALEN);
		hlen = ETH_HLEN;
	} else {
		put_be16(buf, proto);
		put_be16(buf + 8, ARPHRD_NONE);
		hlen = 0;
	}
	if (ev->has & DROP_HAS_IFINDEX)
		put_be32(buf + 4, ev->ifindex);
	buf[10] = PACKET_HOST;	/* NET_DM does not say the direction */
	dlen = n - hlen;
	copy = dlen < size - CAP_SLL2_LEN ? dlen : size - CAP_SLL2_LEN;
	memcpy(buf + CAP_SLL2_LEN, p + hlen, copy);
	if (orig_len)
		*orig_len = CAP_SLL2_LEN + (orig >= n ? orig - hlen : dlen);
	return CAP_SLL2_LEN + copy;
}

/* ---- writing ---- */

/* The frames' interfaces past the first ("dropped packets"), as their IDBs said them. */
#define CAP_IFACES_MAX 4096

struct cap_writer {
	enum cap_format fmt;
	FILE *f;
	bool flush_each;
	int err;		/* first write error, -errno */
	pcap_t *pcap;		/* netlink: libpcap's writer */
	pcap_dumper_t *dumper;
	uint8_t *buf;		/* one record, reused */
	size_t bufsize;
	char *vbuf;		/* the stream's buffer (not flush_each) */
	char **ifaces;		/* frames: "name\ndescription" of interface i + 1 */
	size_t nifaces, capifaces;
};

static int note_error(struct cap_writer *w)
{
	if (!w->err)
		w->err = errno ? -errno : -EIO;
	return w->err;
}

static int put(struct cap_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		return note_error(w);
	return 0;
}

/* pcapng option: code, length, value padded to 4 bytes. */
static int put_option(struct cap_writer *w, uint16_t code, const void *val, uint16_t len)
{
	static const uint8_t zero[4];
	uint16_t hdr[2] = { code, len };

	if (put(w, hdr, sizeof(hdr)) || put(w, val, len))
		return w->err;
	return put(w, zero, (4 - (len & 3)) & 3);
}

static size_t opt_size(size_t len)
{
	return 4 + ((len + 3) & ~(size_t)3);
}

#define PCAPNG_SHB		0x0A0D0D0Au
#define PCAPNG_IDB		0x00000001u
#define PCAPNG_EPB		0x00000006u
#define PCAPNG_BOM		0x1A2B3C4Du
#define PCAPNG_OPT_END		0
#define PCAPNG_OPT_COMMENT	1
#define PCAPNG_SHB_USERAPPL	4
#define PCAPNG_IF_NAME		2
#define PCAPNG_IF_DESCRIPTION	3
#define PCAPNG_IF_TSRESOL	9

/* An Interface Description Block: SLL2 frames, named, described (may be NULL). */
static int pcapng_idb(struct cap_writer *w, const char *name, const char *descr)
{
	static const uint8_t tsresol = 9;	/* nanoseconds */
	size_t nlen = strlen(name), dlen = descr ? strlen(descr) : 0;
	uint32_t total, u32;
	uint16_t u16[2];

	if (nlen > 0xff00)
		nlen = 0xff00;
	if (dlen > 0xff00)
		dlen = 0xff00;
	total = 20 + opt_size(nlen) + (dlen ? opt_size(dlen) : 0) + opt_size(1) + 4;
	u32 = PCAPNG_IDB;
	put(w, &u32, 4);
	put(w, &total, 4);
	u16[0] = DLT_LINUX_SLL2;
	u16[1] = 0;
	put(w, u16, 4);
	u32 = CAP_FRAME_MAX;
	put(w, &u32, 4);
	put_option(w, PCAPNG_IF_NAME, name, (uint16_t)nlen);
	if (dlen)
		put_option(w, PCAPNG_IF_DESCRIPTION, descr, (uint16_t)dlen);
	put_option(w, PCAPNG_IF_TSRESOL, &tsresol, 1);
	put_option(w, PCAPNG_OPT_END, NULL, 0);
	put(w, &total, 4);
	return w->err;
}

static int pcapng_header(struct cap_writer *w)
{
	static const char appl[] = "dropwatch " PACKAGE_VERSION;
	uint32_t total, u32;
	uint16_t u16[2];
	int64_t seclen = -1;

	total = 28 + opt_size(sizeof(appl) - 1) + 4;
	u32 = PCAPNG_SHB;
	put(w, &u32, 4);
	put(w, &total, 4);
	u32 = PCAPNG_BOM;
	put(w, &u32, 4);
	u16[0] = 1;
	u16[1] = 0;
	put(w, u16, 4);
	put(w, &seclen, 8);
	put_option(w, PCAPNG_SHB_USERAPPL, appl, sizeof(appl) - 1);
	put_option(w, PCAPNG_OPT_END, NULL, 0);
	put(w, &total, 4);
	/* Interface 0: frames of no interface known, or past CAP_IFACES_MAX. */
	return pcapng_idb(w, "dropped packets", NULL);
}

/*
 * The interface id of @name described by @descr, its IDB written the first time:
 * 0 (the first, "dropped packets") without a name, or when there are too many.
 */
static uint32_t iface_id(struct cap_writer *w, const char *name, const char *descr)
{
	char *key;
	size_t i;

	if (!name || !*name)
		return 0;
	if (asprintf(&key, "%s\n%s", name, descr ? descr : "") < 0)
		return 0;
	for (i = 0; i < w->nifaces; i++)
		if (!strcmp(w->ifaces[i], key)) {
			free(key);
			return (uint32_t)i + 1;
		}
	if (w->nifaces == CAP_IFACES_MAX) {
		free(key);
		return 0;
	}
	if (util_grow(&w->ifaces, &w->capifaces, w->nifaces + 1, sizeof(*w->ifaces), 16)) {
		free(key);
		return 0;
	}
	if (pcapng_idb(w, name, descr)) {
		free(key);
		return 0;
	}
	w->ifaces[w->nifaces++] = key;
	return (uint32_t)w->nifaces;
}

/* The end of a writer that failed to start, its stream with it. */
static int abandon(struct cap_writer *w, int err)
{
	fclose(w->f);
	free(w->vbuf);
	free(w->buf);
	free(w);
	return err;
}

int cap_writer_new(struct cap_writer **out, FILE *f, enum cap_format fmt, bool flush_each)
{
	struct cap_writer *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (!w) {
		fclose(f);
		return -ENOMEM;
	}
	w->fmt = fmt;
	w->f = f;
	w->flush_each = flush_each;
	/*
	 * Alerts come in bursts: write them in large blocks, not stdio's 4 KiB ones
	 * (glibc takes the size only with a buffer: it keeps its own size without one).
	 */
	if (!flush_each) {
		w->vbuf = malloc(CAP_WRITE_BUFFER);
		if (!w->vbuf)
			return abandon(w, -ENOMEM);
		setvbuf(f, w->vbuf, _IOFBF, CAP_WRITE_BUFFER);
	}
	w->bufsize = fmt == CAP_FORMAT_FRAMES ? CAP_FRAME_MAX : CAP_NETLINK_SNAPLEN;
	w->buf = malloc(w->bufsize);
	if (!w->buf)
		return abandon(w, -ENOMEM);
	if (fmt == CAP_FORMAT_NETLINK) {
		w->pcap = pcap_open_dead_with_tstamp_precision(DLT_NETLINK, CAP_NETLINK_SNAPLEN,
							       PCAP_TSTAMP_PRECISION_NANO);
		if (!w->pcap)
			return abandon(w, -ENOMEM);
		errno = 0;
		w->dumper = pcap_dump_fopen(w->pcap, f);
		if (!w->dumper) {
			err = errno ? -errno : -EIO;
			pcap_close(w->pcap);
			return abandon(w, err);
		}
	} else if (pcapng_header(w)) {
		return abandon(w, w->err);
	}
	err = cap_writer_flush(w);
	if (err) {
		cap_writer_close(w);	/* its stream with it */
		return err;
	}
	*out = w;
	return 0;
}

static int record_done(struct cap_writer *w)
{
	if (w->err)
		return w->err;
	return w->flush_each ? cap_writer_flush(w) : 0;
}

int cap_write_netlink(struct cap_writer *w, const void *msg, size_t caplen, size_t len,
		      uint64_t ts_ns)
{
	struct pcap_pkthdr h;

	if (caplen > w->bufsize - CAP_SLL_LEN)
		caplen = w->bufsize - CAP_SLL_LEN;
	if (len < caplen)
		len = caplen;
	/* Linux cooked header as nlmon writes it; only hatype and protocol matter. */
	memset(w->buf, 0, CAP_SLL_LEN);
	put_be16(w->buf, PACKET_OUTGOING);
	put_be16(w->buf + 2, ARPHRD_NETLINK);
	put_be16(w->buf + 14, NETLINK_GENERIC);
	memcpy(w->buf + CAP_SLL_LEN, msg, caplen);
	h.ts.tv_sec = ts_ns / 1000000000u;
	h.ts.tv_usec = ts_ns % 1000000000u;	/* nanoseconds: the file says so */
	h.caplen = CAP_SLL_LEN + caplen;
	h.len = len > UINT32_MAX - CAP_SLL_LEN ? UINT32_MAX : CAP_SLL_LEN + len;
	pcap_dump((u_char *)w->dumper, &h, w->buf);
	if (ferror(w->f))
		return note_error(w);
	return record_done(w);
}

int cap_write_frame(struct cap_writer *w, const struct drop_event *ev, uint64_t ts_ns,
		    const char *comment, const char *ifname, const char *ifdescr)
{
	static const uint8_t zero[4];
	uint32_t orig, hdr[7], total, id;
	size_t n = cap_frame_build(ev, w->buf, w->bufsize, &orig);
	size_t clen = comment ? strlen(comment) : 0;

	if (!n)
		return 1;
	id = iface_id(w, ifname, ifdescr);
	if (clen > 0xfff0)
		clen = 0xfff0;
	total = 28 + ((n + 3) & ~(size_t)3) + (clen ? opt_size(clen) + 4 : 0) + 4;
	hdr[0] = PCAPNG_EPB;
	hdr[1] = total;
	hdr[2] = id;
	hdr[3] = ts_ns >> 32;
	hdr[4] = ts_ns & 0xffffffffu;
	hdr[5] = n;
	hdr[6] = orig;
	put(w, hdr, sizeof(hdr));
	put(w, w->buf, n);
	put(w, zero, (4 - (n & 3)) & 3);
	if (clen) {
		put_option(w, PCAPNG_OPT_COMMENT, comment, clen);
		put_option(w, PCAPNG_OPT_END, NULL, 0);
	}
	put(w, &total, 4);
	return record_done(w);
}

int cap_writer_flush(struct cap_writer *w)
{
	errno = 0;
	if (fflush(w->f) == EOF || ferror(w->f))
		return note_error(w);
	return w->err;
}

int cap_writer_close(struct cap_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = cap_writer_flush(w);
	if (w->dumper) {
		pcap_dump_close(w->dumper);	/* closes the stream */
		pcap_close(w->pcap);
	} else if (fclose(w->f) == EOF && !err) {
		err = errno ? -errno : -EIO;
	}
	for (size_t i = 0; i < w->nifaces; i++)
		free(w->ifaces[i]);
	free(w->ifaces);
	free(w->buf);
	free(w->vbuf);	/* after the stream that used it */
	free(w);
	return err;
}

/* ---- filtering ---- */

struct cap_filter {
	pcap_t *pcap;
	struct bpf_program prog;
	uint8_t buf[CAP_FRAME_MAX];
};

struct cap_filter *cap_filter_new(const char *expr, char *err, size_t errlen)
{
	struct cap_filter *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->pcap = pcap_open_dead(DLT_LINUX_SLL2, CAP_FRAME_MAX);
	if (!f->pcap) {
		snprintf(err, errlen, "out of memory");
		free(f);
		return NULL;
	}
	if (pcap_compile(f->pcap, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(f->pcap));
		pcap_close(f->pcap);
		free(f);
		return NULL;
	}
	return f;
}

size_t cap_filter_code(const struct cap_filter *f, struct cap_insn *out, size_t max)
{
	size_t n = f->prog.bf_len;

	for (size_t i = 0; n <= max && i < n; i++)
		out[i] = (struct cap_insn){ f->prog.bf_insns[i].code, f->prog.bf_insns[i].jt,
					    f->prog.bf_insns[i].jf, f->prog.bf_insns[i].k };
	return n;
}

bool cap_filter_match(struct cap_filter *f, const struct drop_event *ev)
{
	struct pcap_pkthdr h = { 0 };
	uint32_t orig;
	size_t n = cap_frame_build(ev, f->buf, sizeof(f->buf), &orig);

	if (!n)
		return false;
	h.caplen = n;
	h.len = orig;
	return pcap_offline_filter(&f->prog, &h, f->buf) != 0;
}

void cap_filter_free(struct cap_filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	pcap_close(f->pcap);
	free(f);
}

/* ---- reading ---- */

struct cap_reader {
	pcap_t *pcap;
	unsigned long index;
};

int cap_reader_open(const char *path, struct cap_reader **out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct cap_reader *r;
	int lt;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->pcap = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!r->pcap) {
		size_t n = strlen(path);

		/* libpcap's text may already start with the path; the caller names it. */
		snprintf(err, errlen, "%s", !strncmp(ebuf, path, n) && !strncmp(ebuf + n, ": ", 2) ?
			 ebuf + n + 2 : ebuf);
		free(r);
		return -EINVAL;
	}
	lt = pcap_datalink(r->pcap);
	if (lt != DLT_NETLINK) {
		if (lt == DLT_LINUX_SLL2)
			snprintf(err, errlen, "a capture of the dropped frames, not of NET_DM "
				 "messages: read it with tcpdump -r or tshark -r");
		else
			snprintf(err, errlen, "not a NET_DM capture: link type %s, expected NETLINK",
				 pcap_datalink_val_to_name(lt) ? pcap_datalink_val_to_name(lt) : "?");
		pcap_close(r->pcap);
		free(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

int cap_reader_next(struct cap_reader *r, struct cap_record *rec, char *err, size_t errlen)
{
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int ret = pcap_next_ex(r->pcap, &h, &data);

		if (ret == PCAP_ERROR_BREAK)
			return 0;
		r->index++;
		if (ret != 1) {
			snprintf(err, errlen, "record %lu: %s", r->index, pcap_geterr(r->pcap));
			return -EBADMSG;
		}
		if (h->caplen < CAP_SLL_LEN) {
			snprintf(err, errlen, "record %lu: %u bytes, shorter than its %d-byte "
				 "cooked header", r->index, h->caplen, CAP_SLL_LEN);
			return -EINVAL;
		}
		if (get_be16(data + 2) != ARPHRD_NETLINK) {
			snprintf(err, errlen, "record %lu: not a netlink record (hardware type %u)",
				 r->index, get_be16(data + 2));
			return -EINVAL;
		}
		if (get_be16(data + 14) != NETLINK_GENERIC)
			continue;	/* nlmon captures every netlink protocol */
		rec->index = r->index;
		rec->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		rec->data = data + CAP_SLL_LEN;
		rec->caplen = h->caplen - CAP_SLL_LEN;
		rec->len = h->len > CAP_SLL_LEN ? h->len - CAP_SLL_LEN : rec->caplen;
		return 1;
	}
}

void cap_reader_close(struct cap_reader *r)
{
	if (!r)
		return;
	pcap_close(r->pcap);
	free(r);
}
