// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which nftables rule dropped a packet: our tracing table, the trace group, the join of
 * a drop with the trace's verdict by the packet's headers (nfrules.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <json-c/json.h>
#include <libnftnl/trace.h>
#include <nftables/libnftables.h>

#include "hmap.h"
#include "nfrules.h"
#include "util.h"

#define TABLE_PREFIX	"dropwatch_"
#define HELD_MAX	4096		/* drop verdicts waiting for their drop */
#define HELD_NS		(5ull * 1000000000)	/* ... for at most so long */
#define HDR_SLOTS	128		/* the last trace ids' headers, newest last */
#define RCVBUF		(16 << 20)
#define RELIST_NS	1000000000ull	/* the ruleset listed again at most once a second */

/* What identifies a packet in the trace and in the drop alike. */
struct pkey {
	uint8_t l3, l4, alen, ttl, flags;
	bool ports, tcp;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint32_t ip_len, ip_id, seq;
};

/* The headers a trace id's first message carried (later ones of the hook have none). */
struct hdrs {
	uint32_t id;
	bool set;
	struct pkey key;
};

/* A drop verdict, held for its drop. */
struct held {
	struct pkey key;
	uint64_t at;		/* CLOCK_MONOTONIC when read */
	bool used;
	uint32_t family;
	char table[64], chain[64];
	uint64_t handle;
	bool policy;
};

/* A rule as nft lists it. */
struct listed {
	char *family, *table, *chain, *text;
	uint64_t handle;
};

/*
 * A rule's place in rules[] or counts[], found by its family, table, chain and handle: a
 * ruleset of thousands (kube-proxy's) is looked up at every joined drop.
 */
struct rule_ix {
	size_t i;
};

/* What a lookup of the index compares with: the rule, and the array it is in. */
struct rule_key {
	const struct nfrules *n;
	bool counted;			/* counts[], else rules[] */
	const char *family, *table, *chain;
	uint64_t handle;
};

struct nfrules {
	int fd;
	struct nfrule_count *counts;	/* the rules that dropped, with their counters */
	size_t ncounts, capcounts;
	struct hmap counts_ix;		/* of counts[] (struct rule_ix) */
	struct nft_ctx *nft;
	char table[32];			/* ours: dropwatch_PID */
	struct hdrs hdr[HDR_SLOTS];	/* a ring: hdr_next is the oldest */
	size_t hdr_next;
	struct held *held;		/* a ring of HELD_MAX */
	size_t head, n;
	struct listed *rules;
	size_t nrules, caprules;
	struct hmap rules_ix;		/* of rules[] */
	uint64_t listed_at;
	struct nfrules_stats st;
	/* The match handed out. */
	struct nfrule out;
	char famout[8], tableout[64], chainout[64];
};

static const char *family_name(uint32_t f)
{
	switch (f) {
	case NFPROTO_INET: return "inet";
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_NETDEV: return "netdev";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_IPV6: return "ip6";
	default: return "unknown";
	}
}

/* nft's command @cmd (its output kept when @out): 0, or -1 with its first error line in @why. */
static int nft_cmd(struct nft_ctx *nft, const char *cmd, const char **out, char *why, size_t len)
{
	const char *err;

	if (!nft_run_cmd_from_buffer(nft, cmd)) {
		if (out)
			*out = nft_ctx_get_output_buffer(nft);
		else
			nft_ctx_get_output_buffer(nft);	/* emptied */
		nft_ctx_get_error_buffer(nft);
		return 0;
	}
	nft_ctx_get_output_buffer(nft);
	err = nft_ctx_get_error_buffer(nft);
	if (why) {
		size_t n = err ? strcspn(err, "\n") : 0;

		snprintf(why, len, "%.*s", (int)(n < 200 ? n : 200), n ? err : "nft failed");
	}
	return -1;
}

/* Whether process @pid is a dropwatch still running (its id not another's by now). */
static bool dropwatch_alive(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return true;	/* cannot tell: left alone */
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strncmp(comm, "dropwatch", 9);
}

/* Tables a dropwatch that is gone left behind (killed, it could not remove its own). */
static void remove_stale(struct nfrules *n)
{
	const char *out;
	char cmd[128];

	if (nft_cmd(n->nft, "list tables inet", &out, NULL, 0) || !out)
		return;
	for (const char *p = out; (p = strstr(p, "table inet " TABLE_PREFIX)); p++) {
		char *end;
		long pid = strtol(p + strlen("table inet " TABLE_PREFIX), &end, 10);

		if (pid <= 0 || (*end != '\n' && *end != '\0' && *end != ' '))
			continue;
		if (pid == getpid() || dropwatch_alive(pid))
			continue;	/* ours, or a dropwatch still running */
		snprintf(cmd, sizeof(cmd), "delete table inet " TABLE_PREFIX "%ld", pid);
		if (!nft_cmd(n->nft, cmd, NULL, NULL, 0))
			util_err("rules: removed the tracing table of dropwatch %ld, which is gone",
				 pid);
	}
}

struct nfrules *nfrules_open(char *why, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nfrules *n = calloc(1, sizeof(*n));
	int group = NFNLGRP_NFTRACE, buf = RCVBUF;
	char cmd[1024], err[256];

	if (n) {
		n->fd = -1;
		/* Both grow from nothing: no allocation now. */
		hmap_init(&n->rules_ix, sizeof(struct rule_ix), 0);
		hmap_init(&n->counts_ix, sizeof(struct rule_ix), 0);
	}
	if (!n || !(n->held = calloc(HELD_MAX, sizeof(*n->held)))) {
		snprintf(why, len, "rules: out of memory");
		goto fail;
	}
	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (n->fd < 0 || bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(n->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group))) {
		snprintf(why, len, "rules: cannot listen to the nftables trace: %s%s", strerror(errno),
			 errno == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		goto fail;
	}
	if (setsockopt(n->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(n->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	n->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!n->nft) {
		snprintf(why, len, "rules: libnftables cannot start");
		goto fail;
	}
	nft_ctx_buffer_output(n->nft);
	nft_ctx_buffer_error(n->nft);
	remove_stale(n);
	snprintf(n->table, sizeof(n->table), TABLE_PREFIX "%ld", (long)getpid());
	/* One transaction: first at prerouting and at output, every packet is traced. */
	snprintf(cmd, sizeof(cmd),
		 "add table inet %1$s { comment \"dropwatch --rules: traces packets to name the "
		 "rule of each drop; removed when it stops\"; }\n"
		 "add chain inet %1$s pre { type filter hook prerouting priority -2147483648; }\n"
		 "add rule inet %1$s pre meta nftrace set 1\n"
		 "add chain inet %1$s out { type filter hook output priority -2147483648; }\n"
		 "add rule inet %1$s out meta nftrace set 1\n", n->table);
	if (nft_cmd(n->nft, cmd, NULL, err, sizeof(err))) {
		snprintf(why, len, "rules: cannot add the tracing table: %s%s", err,
			 strstr(err, "ermission") || strstr(err, "not permitted") ?
			 " (needs CAP_NET_ADMIN)" : "");
		n->table[0] = '\0';
		goto fail;
	}
	return n;
fail:
	nfrules_close(n);
	return NULL;
}

int nfrules_fd(const struct nfrules *n)
{
	return n ? n->fd : -1;
}

/* @pi's headers as a key. */
static void key_of(const struct pkt_info *pi, struct pkey *k)
{
	memset(k, 0, sizeof(*k));
	k->l3 = (uint8_t)pi->l3;
	k->alen = pi->alen;
	memcpy(k->saddr, pi->saddr, pi->alen);
	memcpy(k->daddr, pi->daddr, pi->alen);
	k->ttl = pi->ttl;
	k->ip_len = pi->ip_len;
	k->ip_id = pi->l3 == PKT_L3_IPV4 ? pi->frag_id : 0;
	k->l4 = pi->has_l4proto ? pi->l4proto : 0;
	k->ports = pi->has_ports;
	k->sport = pi->sport;
	k->dport = pi->dport;
	k->tcp = pi->has_tcp;
	k->seq = pi->seq;
	k->flags = pi->tcp_flags;
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * The trace's headers as a key: its network header (40 bytes at most, which for IPv4
 * holds the ports too), the ports and TCP's sequence from its transport header.
 */
static bool trace_key(const struct nftnl_trace *t, struct pkey *k)
{
	uint8_t frame[14 + 64] = { 0 };
	const uint8_t *nh, *th;
	uint32_t nhlen = 0, thlen = 0, proto;
	struct pkt_info pi;
	uint16_t et;

	if (!nftnl_trace_is_set(t, NFTNL_TRACE_NETWORK_HEADER))
		return false;
	nh = nftnl_trace_get_data(t, NFTNL_TRACE_NETWORK_HEADER, &nhlen);
	proto = nftnl_trace_is_set(t, NFTNL_TRACE_NFPROTO) ?
		nftnl_trace_get_u32(t, NFTNL_TRACE_NFPROTO) :
		nftnl_trace_get_u32(t, NFTNL_TRACE_FAMILY);
	if (proto == NFPROTO_IPV4)
		et = 0x0800;
	else if (proto == NFPROTO_IPV6)
		et = 0x86dd;
	else
		return false;
	if (!nh || !nhlen)
		return false;
	/* Behind an Ethernet header of its type, so that no decoder guesses. */
	frame[12] = (uint8_t)(et >> 8);
	frame[13] = (uint8_t)et;
	memcpy(frame + 14, nh, nhlen < 64 ? nhlen : 64);
	if (!pkt_decode(frame, 14 + (nhlen < 64 ? nhlen : 64), et, true, &pi))
		return false;
	key_of(&pi, k);
	th = nftnl_trace_is_set(t, NFTNL_TRACE_TRANSPORT_HEADER) ?
	     nftnl_trace_get_data(t, NFTNL_TRACE_TRANSPORT_HEADER, &thlen) : NULL;
	if (th && (k->l4 == 6 || k->l4 == 17 || k->l4 == 132 || k->l4 == 136) && thlen >= 4) {
		k->ports = true;
		k->sport = be16_at(th);
		k->dport = be16_at(th + 2);
		if (k->l4 == 6 && thlen >= 14) {
			k->tcp = true;
			k->seq = (uint32_t)be16_at(th + 4) << 16 | be16_at(th + 6);
			k->flags = th[13];
		}
	}
	return true;
}

static bool same_key(const struct pkey *a, const struct pkey *b)
{
	if (a->l3 != b->l3 || a->alen != b->alen || a->l4 != b->l4 || a->ip_len != b->ip_len ||
	    a->ip_id != b->ip_id || a->ttl != b->ttl ||
	    memcmp(a->saddr, b->saddr, a->alen) || memcmp(a->daddr, b->daddr, a->alen))
		return false;
	if (a->ports && b->ports && (a->sport != b->sport || a->dport != b->dport))
		return false;
	if (a->tcp && b->tcp && (a->seq != b->seq || a->flags != b->flags))
		return false;
	return true;
}

/* One trace message, parsed into @t (a new one: libnftnl's are not for reuse). */
static void take(struct nfrules *n, struct nftnl_trace *t, const struct nlmsghdr *h,
		 uint64_t now)
{
	uint32_t id, type, verdict;
	struct hdrs *slot;
	struct pkey k;
	struct held *e;
	const char *table;

	if (nftnl_trace_nlmsg_parse(h, t) < 0 || !nftnl_trace_is_set(t, NFTNL_TRACE_ID))
		return;
	id = nftnl_trace_get_u32(t, NFTNL_TRACE_ID);
	/* The first message of a hook's walk has the headers; its later ones (the verdict) not. */
	if (trace_key(t, &k)) {
		slot = &n->hdr[n->hdr_next];
		n->hdr_next = (n->hdr_next + 1) % HDR_SLOTS;
		slot->id = id;
		slot->set = true;
		slot->key = k;
	}
	if (!nftnl_trace_is_set(t, NFTNL_TRACE_TYPE))
		return;
	/* A rule's verdict, or the chain's policy (which comes as its own attribute). */
	type = nftnl_trace_get_u32(t, NFTNL_TRACE_TYPE);
	if (type == NFT_TRACETYPE_RULE && nftnl_trace_is_set(t, NFTNL_TRACE_VERDICT))
		verdict = nftnl_trace_get_u32(t, NFTNL_TRACE_VERDICT);
	else if (type == NFT_TRACETYPE_POLICY && nftnl_trace_is_set(t, NFTNL_TRACE_POLICY))
		verdict = nftnl_trace_get_u32(t, NFTNL_TRACE_POLICY);
	else
		return;
	if (verdict != NF_DROP)
		return;
	table = nftnl_trace_is_set(t, NFTNL_TRACE_TABLE) ?
		nftnl_trace_get_str(t, NFTNL_TRACE_TABLE) : "";
	if (!strcmp(table, n->table))
		return;		/* ours never drops */
	/* This id's headers, the newest first (other CPUs' traces come between). */
	slot = NULL;
	for (size_t i = 1; i <= HDR_SLOTS && !slot; i++) {
		struct hdrs *hd = &n->hdr[(n->hdr_next + HDR_SLOTS - i) % HDR_SLOTS];

		if (hd->set && hd->id == id)
			slot = hd;
	}
	if (!slot)
		return;		/* without headers it cannot be joined */
	e = &n->held[(n->head + n->n) % HELD_MAX];
	if (n->n == HELD_MAX)
		n->head = (n->head + 1) % HELD_MAX;	/* the oldest goes */
	else
		n->n++;
	memset(e, 0, sizeof(*e));
	e->key = slot->key;
	e->at = now;
	e->family = nftnl_trace_get_u32(t, NFTNL_TRACE_FAMILY);
	snprintf(e->table, sizeof(e->table), "%s", table);
	snprintf(e->chain, sizeof(e->chain), "%s", nftnl_trace_is_set(t, NFTNL_TRACE_CHAIN) ?
		 nftnl_trace_get_str(t, NFTNL_TRACE_CHAIN) : "");
	e->policy = type == NFT_TRACETYPE_POLICY;
	e->handle = !e->policy && nftnl_trace_is_set(t, NFTNL_TRACE_RULE_HANDLE) ?
		    nftnl_trace_get_u64(t, NFTNL_TRACE_RULE_HANDLE) : 0;
}

void nfrules_drain(struct nfrules *n)
{
	static uint8_t buf[1 << 16];
	uint64_t now;
	ssize_t len;

	if (!n)
		return;
	now = util_mono_ns();
	for (;;) {
		len = recv(n->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == ENOBUFS) {
				n->st.lost++;
				continue;
			}
			break;		/* EAGAIN: all read */
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_TRACE)) {
				struct nftnl_trace *t = nftnl_trace_alloc();

				if (!t)
					continue;
				take(n, t, h, now);
				nftnl_trace_free(t);
			}
	}
	/* Verdicts no drop claimed in time (a drop the source lost, or not ours to see). */
	while (n->n && (n->held[n->head].used || now - n->held[n->head].at > HELD_NS)) {
		n->head = (n->head + 1) % HELD_MAX;
		n->n--;
	}
}

static void forget_rules(struct nfrules *n)
{
	for (size_t i = 0; i < n->nrules; i++) {
		free(n->rules[i].family);
		free(n->rules[i].table);
		free(n->rules[i].chain);
		free(n->rules[i].text);
	}
	n->nrules = 0;
	hmap_clear(&n->rules_ix);
}

static uint32_t rule_hash(const char *family, const char *table, const char *chain,
			  uint64_t handle)
{
	return util_hash(family, strlen(family)) ^ util_hash(table, strlen(table)) * 31u ^
	       util_hash(chain, strlen(chain)) * 961u ^ hmap_hash64(handle);
}

static bool rule_eq(const void *entry, const void *key)
{
	const struct rule_key *k = key;
	size_t i = ((const struct rule_ix *)entry)->i;
	const char *family, *table, *chain;
	uint64_t handle;

	if (k->counted) {
		const struct nfrule_count *c = &k->n->counts[i];

		family = c->family, table = c->table, chain = c->chain, handle = c->handle;
	} else {
		const struct listed *r = &k->n->rules[i];

		family = r->family, table = r->table, chain = r->chain, handle = r->handle;
	}
	return handle == k->handle && !strcmp(chain, k->chain) && !strcmp(table, k->table) &&
	       !strcmp(family, k->family);
}

/*
 * The index of @k in its array: the entry of its place, found or made (*@created), NULL
 * without memory.
 */
static struct rule_ix *rule_ix(struct nfrules *n, const struct rule_key *k, bool *created)
{
	return hmap_get(k->counted ? &n->counts_ix : &n->rules_ix,
			rule_hash(k->family, k->table, k->chain, k->handle), rule_eq, k, created);
}

/* A word of @line after @skip words, up to a space: a new string. */
static char *word(const char *line, int skip)
{
	const char *p = line;
	size_t len;

	for (; skip > 0; skip--) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	len = strcspn(p, " {");
	return strndup(p, len);
}

/* @r (the next of rules[]) in the index: false without memory. A handle listed twice keeps its first. */
static bool index_rule(struct nfrules *n, const struct listed *r)
{
	struct rule_key k = { .n = n, .family = r->family, .table = r->table, .chain = r->chain,
			      .handle = r->handle };
	bool created;
	struct rule_ix *x = rule_ix(n, &k, &created);

	if (!x)
		return false;
	if (created)
		x->i = n->nrules;
	return true;
}

/* nft's listing of the ruleset, without counters: each rule's text by its handle. */
static void list_rules(struct nfrules *n)
{
	char *family = NULL, *table = NULL, *chain = NULL;
	const char *out, *p, *end;
	int depth = 0;

	forget_rules(n);
	nft_ctx_output_set_flags(n->nft, NFT_CTX_OUTPUT_HANDLE | NFT_CTX_OUTPUT_STATELESS);
	if (nft_cmd(n->nft, "list ruleset", &out, NULL, 0) || !out)
		out = "";
	nft_ctx_output_set_flags(n->nft, 0);
	for (p = out; *p; p = *end ? end + 1 : end) {
		const char *line, *h;
		size_t len;

		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		line = p + strspn(p, "\t ");
		len = (size_t)(end - line);
		if (!len)
			continue;
		if (line[0] == '}') {
			if (--depth <= 1) {
				free(chain);
				chain = NULL;
			}
			if (depth <= 0) {
				free(family);
				free(table);
				family = table = NULL;
				depth = 0;
			}
			continue;
		}
		if (depth == 0 && !strncmp(line, "table ", 6)) {
			family = word(line, 1);
			table = word(line, 2);
		} else if (depth == 1 && !strncmp(line, "chain ", 6)) {
			chain = word(line, 1);
		} else if (depth == 2 && chain && (h = strstr(line, " # handle ")) && h < end &&
			   !util_grow(&n->rules, &n->caprules, n->nrules + 1, sizeof(*n->rules), 64)) {
			struct listed *r = &n->rules[n->nrules];

			r->handle = strtoull(h + 10, NULL, 10);
			r->text = strndup(line, (size_t)(h - line));
			r->family = strdup(family ? family : "");
			r->table = strdup(table ? table : "");
			r->chain = strdup(chain);
			if (r->text && r->family && r->table && r->chain && index_rule(n, r))
				n->nrules++;
			else
				free(r->text), free(r->family), free(r->table), free(r->chain);
		}
		/* A block opens: "table inet filter { # handle 2", "chain input {"... */
		h = strstr(line, " # handle ");
		if (!h || h > end)
			h = end;
		while (h > line && h[-1] == ' ')
			h--;
		if (h > line && h[-1] == '{')
			depth++;
	}
	free(family);
	free(table);
	free(chain);
	n->listed_at = util_mono_ns();
}

static const char *rule_text(struct nfrules *n, const struct held *e, bool again)
{
	struct rule_key k = { .n = n, .family = family_name(e->family), .table = e->table,
			      .chain = e->chain, .handle = e->handle };
	const struct rule_ix *x = hmap_find(&n->rules_ix, rule_hash(k.family, k.table, k.chain,
						    k.handle), rule_eq, &k);

	if (x)
		return n->rules[x->i].text;
	if (again && (!n->listed_at || util_mono_ns() - n->listed_at >= RELIST_NS)) {
		list_rules(n);		/* a rule added since the last listing */
		return rule_text(n, e, false);
	}
	return NULL;
}

/* The entry of a rule (NULL: no memory), made when new. */
static struct nfrule_count *count_of(struct nfrules *n, const char *family, const char *table,
				     const char *chain, uint64_t handle)
{
	struct nfrule_count cut = { .handle = handle };
	struct rule_key k = { .n = n, .counted = true, .family = cut.family, .table = cut.table,
			      .chain = cut.chain, .handle = handle };
	struct rule_ix *x;
	bool created;

	/* The names as an entry keeps them (a longer one cut), to be found as it is kept. */
	snprintf(cut.family, sizeof(cut.family), "%s", family);
	snprintf(cut.table, sizeof(cut.table), "%s", table);
	snprintf(cut.chain, sizeof(cut.chain), "%s", chain);
	/* Room first: the entry made in the index is this one. */
	if (util_grow(&n->counts, &n->capcounts, n->ncounts + 1, sizeof(*n->counts), 16))
		return NULL;
	x = rule_ix(n, &k, &created);
	if (!x)
		return NULL;
	if (created) {
		x->i = n->ncounts++;
		n->counts[x->i] = cut;
	}
	return &n->counts[x->i];
}

/* A rule's counter in nft's JSON listing: its packets, or -1 without one. */
static int64_t rule_counter(json_object *rule)
{
	json_object *expr, *e, *ctr, *pk;

	if (!json_object_object_get_ex(rule, "expr", &expr) ||
	    !json_object_is_type(expr, json_type_array))
		return -1;
	for (size_t i = 0; i < json_object_array_length(expr); i++) {
		e = json_object_array_get_idx(expr, i);
		if (json_object_object_get_ex(e, "counter", &ctr) &&
		    json_object_object_get_ex(ctr, "packets", &pk))
			return json_object_get_int64(pk);
	}
	return -1;
}

void nfrules_counters(struct nfrules *n, bool end)
{
	json_object *root, *list, *item, *rule, *v;
	const char *out;

	if (!n)
		return;
	nft_ctx_output_set_flags(n->nft, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	if (nft_cmd(n->nft, "list ruleset", &out, NULL, 0) || !out)
		out = "";
	nft_ctx_output_set_flags(n->nft, 0);
	root = json_tokener_parse(out);
	if (!root || !json_object_object_get_ex(root, "nftables", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *f[3];
		struct nfrule_count *c;
		uint64_t handle;
		int64_t pk;

		item = json_object_array_get_idx(list, i);
		if (!json_object_object_get_ex(item, "rule", &rule))
			continue;
		if (!json_object_object_get_ex(rule, "family", &v) || !(f[0] = json_object_get_string(v)) ||
		    !json_object_object_get_ex(rule, "table", &v) || !(f[1] = json_object_get_string(v)) ||
		    !json_object_object_get_ex(rule, "chain", &v) || !(f[2] = json_object_get_string(v)) ||
		    !json_object_object_get_ex(rule, "handle", &v) || !strcmp(f[1], n->table))
			continue;
		handle = (uint64_t)json_object_get_int64(v);
		pk = rule_counter(rule);
		if (pk < 0 || !(c = count_of(n, f[0], f[1], f[2], handle)))
			continue;
		if (end) {
			c->end = (uint64_t)pk;
			c->has_end = true;
		} else {
			c->start = (uint64_t)pk;
			c->has_start = true;
		}
	}
	json_object_put(root);
}

size_t nfrules_counts(const struct nfrules *n, const struct nfrule_count **out)
{
	*out = n ? n->counts : NULL;
	return n ? n->ncounts : 0;
}

const struct nfrule *nfrules_match(struct nfrules *n, const struct pkt_info *pi)
{
	struct pkey k;

	if (!n)
		return NULL;
	nfrules_drain(n);
	key_of(pi, &k);
	for (size_t i = 0; i < n->n; i++) {
		struct held *e = &n->held[(n->head + i) % HELD_MAX];

		if (e->used || !same_key(&e->key, &k))
			continue;
		e->used = true;
		n->st.joined++;
		snprintf(n->famout, sizeof(n->famout), "%s", family_name(e->family));
		snprintf(n->tableout, sizeof(n->tableout), "%s", e->table);
		snprintf(n->chainout, sizeof(n->chainout), "%s", e->chain);
		n->out = (struct nfrule){ .family = n->famout, .table = n->tableout,
					  .chain = n->chainout, .handle = e->handle,
					  .policy = e->policy };
		n->out.text = e->policy ? "policy drop" : rule_text(n, e, true);
		if (!e->policy) {
			struct nfrule_count *c = count_of(n, n->famout, e->table, e->chain,
							  e->handle);

			if (c)
				c->joined++;
		}
		return &n->out;
	}
	n->st.unjoined++;
	return NULL;
}

void nfrules_get_stats(const struct nfrules *n, struct nfrules_stats *st)
{
	if (n)
		*st = n->st;
	else
		memset(st, 0, sizeof(*st));
}

void nfrules_close(struct nfrules *n)
{
	char cmd[96];

	if (!n)
		return;
	if (n->nft && n->table[0]) {
		snprintf(cmd, sizeof(cmd), "delete table inet %s", n->table);
		if (nft_cmd(n->nft, cmd, NULL, NULL, 0))
			util_err("rules: cannot remove our tracing table inet %s", n->table);
	}
	if (n->fd >= 0)
		close(n->fd);
	forget_rules(n);
	free(n->rules);
	free(n->counts);
	hmap_fini(&n->rules_ix);
	hmap_fini(&n->counts_ix);
	if (n->nft)
		nft_ctx_free(n->nft);
	free(n->held);
	free(n);
}

const char *nfrule_key(const struct nfrule *r, char *buf, size_t size)
{
	if (r->policy)
		snprintf(buf, size, "%s %s %s policy", r->family, r->table, r->chain);
	else
		snprintf(buf, size, "%s %s %s handle %llu", r->family, r->table, r->chain,
			 (unsigned long long)r->handle);
	return buf;
}
