// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include "filter.h"
#include "print.h"
#include "reasons.h"
#include "util.h"

const char *const filter_key_names[FILTER_KEYS] = {
	[FILTER_REASON] = "reason",
	[FILTER_DEV] = "dev",
	[FILTER_PROTO] = "proto",
	[FILTER_LOC] = "loc",
	[FILTER_ORIGIN] = "origin",
	[FILTER_PCAP] = "pcap",
	[FILTER_NETNS] = "netns",
	[FILTER_CONTAINER] = "container",
	[FILTER_EVENT] = "event",
	[FILTER_CAUSE] = "cause",
	[FILTER_STATE] = "state",
	[FILTER_ADDR] = "addr",
	[FILTER_PORT] = "port",
	[FILTER_RULE] = "rule",
	[FILTER_CT] = "ct",
};

static const char *const event_names[] = {
	"drop", "retransmit", "reset_sent", "reset_received", NULL,
};

static const char *const state_names[] = {
	"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE", NULL,
};

static const char *const ct_names[] = {
	"new", "established", "related", "untracked", "invalid", NULL,
};

static bool in_words(const char *const *words, const char *s)
{
	for (; *words; words++)
		if (!strcasecmp(*words, s))
			return true;
	return false;
}

/* An address as the records spell it (inet_ntop's), in place: false when it is none. */
static bool canonical_addr(char **v)
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN], *c;
	int af = strchr(*v, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(af, *v, a) != 1 || !inet_ntop(af, a, text, sizeof(text)) ||
	    !(c = strdup(text)))
		return false;
	free(*v);
	*v = c;
	return true;
}

/* A port as the records spell it ("7", not "007"), in place: false when it is none. */
static bool canonical_port(char **v)
{
	char *end, *c;
	unsigned long n = strtoul(*v, &end, 10);

	if (**v < '0' || **v > '9' || *end || n > 65535 || asprintf(&c, "%lu", n) < 0)
		return false;
	free(*v);
	*v = c;
	return true;
}

int filter_key_from_str(const char *s)
{
	int k;

	for (k = 0; k < FILTER_KEYS; k++)
		if (!strcmp(s, filter_key_names[k]))
			return k;
	return -1;
}

static void free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Splits "a,b,c" into a new list; -ENOMEM or -EINVAL (an empty item). */
static int split(const char *value, char ***out, size_t *n)
{
	char *copy = strdup(value), *save = NULL, *tok;
	char **list = NULL;
	size_t count = 0, cap = 0;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	if (!*value || value[0] == ',' || value[strlen(value) - 1] == ',' || strstr(value, ",,"))
		err = -EINVAL;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		if (util_grow(&list, &cap, count + 1, sizeof(*list), 4) ||
		    !(list[count] = strdup(tok))) {
			err = -ENOMEM;
			break;
		}
		count++;
	}
	free(copy);
	if (err) {
		free_list(list, count);
		return err;
	}
	*out = list;
	*n = count;
	return 0;
}

static void clear_key(struct filter *f, int key)
{
	free(f->words[key]);
	f->words[key] = NULL;
	free_list(f->list[key], f->n[key]);
	f->list[key] = NULL;
	f->n[key] = 0;
	if (key == FILTER_PCAP) {
		cap_filter_free(f->pcap);
		f->pcap = NULL;
	}
}

static bool valid_proto(const char *p)
{
	static const char *const names[] = {
		"tcp", "udp", "udplite", "icmp", "icmp6", "sctp", "gre", "esp", "ah", "igmp",
		"ipv4", "ipv6", "arp", NULL,
	};
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcasecmp(p, names[i]))
			return true;
	return false;
}

/* Protocols the network header names: all the tracepoint's ethertype can tell. */
static bool network_proto(const char *p)
{
	return !strcasecmp(p, "ipv4") || !strcasecmp(p, "ipv6") || !strcasecmp(p, "arp");
}

/*
 * "pid:N": the network namespace of process N, as its inode (what the drops carry),
 * in *@v; else *@why says what is wrong.
 */
static void netns_of_pid(char **v, const char **why)
{
	char path[64], *end, *ino;
	unsigned long pid = strtoul(*v + 4, &end, 10);
	struct stat st;

	if (!(*v)[4] || *end || !pid) {
		*why = "is not pid:N (a process's number)";
		return;
	}
	snprintf(path, sizeof(path), "/proc/%lu/ns/net", pid);
	if (stat(path, &st)) {
		*why = errno == ENOENT ? "names no process" :
		       "names a process whose namespace we may not look at";
		return;
	}
	if (asprintf(&ino, "%llu", (unsigned long long)st.st_ino) < 0) {
		*why = "could not be kept (out of memory)";
		return;
	}
	free(*v);
	*v = ino;
}

static bool valid_origin(const char *o)
{
	return !strcmp(o, "sw") || !strcmp(o, "hw") || !strcmp(o, "software") ||
	       !strcmp(o, "hardware");
}

int filter_check_caps(const struct filter *f, unsigned int caps, const char *source,
		      char *err, size_t errlen)
{
	size_t i;

	if (f->words[FILTER_PCAP] && !(caps & SRC_CAP_PACKET)) {
		snprintf(err, errlen, "pcap needs the packet: NET_DM packet mode provides it; %s "
			 "carries none", source);
		return -EINVAL;
	}
	if ((f->words[FILTER_NETNS] || f->words[FILTER_CONTAINER]) && !(caps & SRC_CAP_NETNS)) {
		snprintf(err, errlen, "%s needs the network namespace: NET_DM packet mode on this "
			 "machine gives the evidence for it; %s cannot tell it",
			 f->words[FILTER_NETNS] ? "netns" : "container", source);
		return -EINVAL;
	}
	if (f->words[FILTER_STATE] && !(caps & (SRC_CAP_SOCK | SRC_CAP_TCP))) {
		snprintf(err, errlen, "state needs the socket: the eBPF source reads it, and TCP's "
			 "events carry it (-m tcp); %s does not", source);
		return -EINVAL;
	}
	if (f->words[FILTER_CT] && !(caps & SRC_CAP_CT)) {
		snprintf(err, errlen, "ct needs the connection's conntrack state: the eBPF source "
			 "reads it; %s cannot", source);
		return -EINVAL;
	}
	if (f->words[FILTER_RULE] && !(caps & SRC_CAP_PACKET)) {
		snprintf(err, errlen, "rule needs the packet, to join it with the rule that dropped "
			 "it (--rules): NET_DM's and the eBPF source's packet mode; %s carries none",
			 source);
		return -EINVAL;
	}
	if ((f->words[FILTER_ADDR] || f->words[FILTER_PORT]) &&
	    !(caps & (SRC_CAP_PACKET | SRC_CAP_SOCK | SRC_CAP_TCP))) {
		snprintf(err, errlen, "%s needs the packet or the socket: NET_DM packet mode and the "
			 "eBPF source give them, and TCP's events carry their connection (-m tcp); "
			 "%s does not", f->words[FILTER_ADDR] ? "addr" : "port", source);
		return -EINVAL;
	}
	if (f->words[FILTER_DEV] && !(caps & SRC_CAP_IFINDEX)) {
		snprintf(err, errlen, "dev needs the input interface: NET_DM packet mode provides it; "
			 "%s does not say", source);
		return -EINVAL;
	}
	for (i = 0; f->words[FILTER_ORIGIN] && i < f->n[FILTER_ORIGIN]; i++) {
		const char *o = f->list[FILTER_ORIGIN][i];

		if (!(caps & SRC_CAP_HW) && (!strcmp(o, "hw") || !strcmp(o, "hardware"))) {
			snprintf(err, errlen, "origin=%s needs hardware drops: NET_DM provides them; "
				 "%s sees software drops only", o, source);
			return -EINVAL;
		}
	}
	for (i = 0; f->words[FILTER_PROTO] && i < f->n[FILTER_PROTO]; i++) {
		const char *p = f->list[FILTER_PROTO][i];

		if (caps & SRC_CAP_PACKET)
			break;
		if ((caps & SRC_CAP_ETHERTYPE) && network_proto(p))
			continue;
		snprintf(err, errlen, "proto=%s needs the packet: NET_DM packet mode provides it; "
			 "%s %s", p, source, caps & SRC_CAP_ETHERTYPE ?
			 "gives only the ethertype (ipv4, ipv6, arp)" : "carries none");
		return -EINVAL;
	}
	return 0;
}

int filter_set(struct filter *f, int key, const char *value, char *err, size_t errlen)
{
	char **list = NULL;
	size_t n = 0, i;
	struct cap_filter *pcap = NULL;
	char *words;

	if (key < 0 || key >= FILTER_KEYS) {
		snprintf(err, errlen, "no such filter");
		return -EINVAL;
	}
	if (!strcmp(value, "any")) {
		clear_key(f, key);
		return 0;
	}
	if (key == FILTER_PCAP) {
		pcap = cap_filter_new(value, err, errlen);
		if (!pcap)
			return -EINVAL;
	} else {
		if (split(value, &list, &n)) {
			snprintf(err, errlen, "'%s' is not a comma-separated list", value);
			return -EINVAL;
		}
		for (i = 0; i < n; i++) {
			const char *bad = NULL;

			if (key == FILTER_PROTO && !valid_proto(list[i]))
				bad = "is not a protocol (tcp, udp, icmp, icmp6, sctp, gre, ipv4, ipv6, arp...)";
			if (key == FILTER_ORIGIN && !valid_origin(list[i]))
				bad = "is not an origin (sw or hw)";
			if (key == FILTER_EVENT && !in_words(event_names, list[i]))
				bad = "is not an event (drop, retransmit, reset_sent, reset_received)";
			if (key == FILTER_CT && !in_words(ct_names, list[i]))
				bad = "is not a conntrack state (new, established, related, untracked, "
				      "invalid)";
			if (key == FILTER_STATE && !in_words(state_names, list[i]))
				bad = "is not a TCP state (ESTABLISHED, SYN_SENT, LISTEN, CLOSE_WAIT...)";
			if (key == FILTER_ADDR && !canonical_addr(&list[i]))
				bad = "is not an IPv4 or IPv6 address";
			if (key == FILTER_PORT && !canonical_port(&list[i]))
				bad = "is not a port (0 to 65535)";
			/* pid:N is replaced by its namespace's inode, or bad says why not. */
			if (key == FILTER_NETNS && !strncmp(list[i], "pid:", 4))
				netns_of_pid(&list[i], &bad);
			if (bad) {
				char safe[64];

				snprintf(err, errlen, "'%s' %s", pr_escape(safe, sizeof(safe), list[i]), bad);
				free_list(list, n);
				return -EINVAL;
			}
		}
	}
	words = strdup(value);
	if (!words) {
		free_list(list, n);
		cap_filter_free(pcap);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	clear_key(f, key);
	f->words[key] = words;
	f->list[key] = list;
	f->n[key] = n;
	f->pcap = key == FILTER_PCAP ? pcap : f->pcap;
	return 0;
}

int filter_set_arg(struct filter *f, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char key[16];
	int k;

	if (!eq || (size_t)(eq - arg) >= sizeof(key)) {
		snprintf(err, errlen, "expected KEY=VALUE (keys: reason, dev, proto, loc, origin, pcap, "
			 "netns, container, event, cause, state, addr, port)");
		return -EINVAL;
	}
	memcpy(key, arg, eq - arg);
	key[eq - arg] = '\0';
	k = filter_key_from_str(key);
	if (k < 0) {
		char safe[64];

		snprintf(err, errlen, "unknown filter key '%s' (reason, dev, proto, loc, origin, pcap, "
			 "netns, container, event, cause, state, addr, port)", pr_escape(safe, sizeof(safe), key));
		return -EINVAL;
	}
	return filter_set(f, k, eq + 1, err, errlen);
}

int filter_set_ignore(struct filter *f, const char *value, char *err, size_t errlen)
{
	char **list = NULL, **full;
	size_t n = 0, i, j, total;
	char *words;

	if (!strcmp(value, "none")) {
		free_list(f->ignore, f->n_ignore);
		free(f->ignore_words);
		f->ignore = NULL;
		f->n_ignore = 0;
		f->ignore_words = NULL;
		return 0;
	}
	if (split(value, &list, &n)) {
		snprintf(err, errlen, "'%s' is not a comma-separated list of reasons", value);
		return -EINVAL;
	}
	/* "harmless" expands to the documented list. */
	total = n;
	for (i = 0; i < n; i++)
		if (!strcmp(list[i], "harmless"))
			for (j = 0; reasons_harmless[j]; j++)
				total++;
	full = calloc(total ? total : 1, sizeof(*full));
	words = strdup(value);
	if (!full || !words) {
		free(full);
		free(words);
		free_list(list, n);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0, total = 0; i < n; i++) {
		if (strcmp(list[i], "harmless")) {
			full[total++] = list[i];
			continue;
		}
		free(list[i]);
		for (j = 0; reasons_harmless[j]; j++)
			full[total++] = strdup(reasons_harmless[j]);
	}
	free(list);
	free_list(f->ignore, f->n_ignore);
	free(f->ignore_words);
	f->ignore = full;
	f->n_ignore = total;
	f->ignore_words = words;
	return 0;
}

bool filter_active(const struct filter *f)
{
	int k;

	for (k = 0; k < FILTER_KEYS; k++)
		if (f->words[k])
			return true;
	return false;
}

static bool in_list(char **list, size_t n, const char *s, bool glob)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (glob ? !fnmatch(list[i], s, 0) : !strcasecmp(list[i], s))
			return true;
	return false;
}

/*
 * --rules: the drop's nftables rule is one of the filter's: by its table, its chain, its
 * handle, "policy" for a chain's policy, "none" for a netfilter drop with no rule traced.
 */
static bool rule_match(const struct filter *f, const struct drop_record *r)
{
	const struct nfrule *n = r->rule;
	char handle[24];

	if (!n)
		return in_list(f->list[FILTER_RULE], f->n[FILTER_RULE], r->rule_by, false);
	snprintf(handle, sizeof(handle), "%llu", (unsigned long long)n->handle);
	return in_list(f->list[FILTER_RULE], f->n[FILTER_RULE], n->table, false) ||
	       in_list(f->list[FILTER_RULE], f->n[FILTER_RULE], n->chain, false) ||
	       in_list(f->list[FILTER_RULE], f->n[FILTER_RULE], n->policy ? "policy" : handle,
		       false);
}

/* A filter of @key set, and not already passed in the kernel. */
static bool wants(const struct filter *f, const struct drop_event *ev, int key)
{
	return f->words[key] && !(ev->kernel_filtered & (1u << key));
}

/* An address (@key FILTER_ADDR) or port of either end: the socket's, else the packet's. */
static bool ends_match(const struct filter *f, const struct drop_record *r, int key)
{
	const char *a = NULL, *b = NULL;
	char pa[8], pb[8];

	if (r->has_sock && key == FILTER_ADDR) {
		a = r->sock_src;
		b = r->sock_dst;
	} else if (r->has_sock) {
		snprintf(pa, sizeof(pa), "%u", r->sock_sport);
		snprintf(pb, sizeof(pb), "%u", r->sock_dport);
		a = pa;
		b = pb;
	} else if (r->has_pkt && key == FILTER_ADDR && r->pkt.src[0]) {
		a = r->pkt.src;
		b = r->pkt.dst;
	} else if (r->has_pkt && r->sport[0]) {
		a = r->sport;
		b = r->dport;
	}
	return in_list(f->list[key], f->n[key], a, false) ||
	       in_list(f->list[key], f->n[key], b, false);
}

enum filter_verdict filter_check(const struct filter *f, const struct drop_record *r)
{
	const struct drop_event *ev = r->ev;

	if (f->words[FILTER_ORIGIN] &&
	    !in_list(f->list[FILTER_ORIGIN], f->n[FILTER_ORIGIN], r->origin, false) &&
	    !in_list(f->list[FILTER_ORIGIN], f->n[FILTER_ORIGIN],
		     ev->origin == DROP_ORIGIN_HW ? "hw" : "sw", false))
		return FILTER_HIDE;
	if (wants(f, ev, FILTER_REASON) && !in_list(f->list[FILTER_REASON], f->n[FILTER_REASON],
						    r->reason, false))
		return FILTER_HIDE;
	if (wants(f, ev, FILTER_DEV)) {
		/* By name, or by index. */
		char idx[16] = "";

		if (ev->has & DROP_HAS_IFINDEX)
			snprintf(idx, sizeof(idx), "%" PRIu32, ev->ifindex);
		if (!in_list(f->list[FILTER_DEV], f->n[FILTER_DEV], r->dev, false) &&
		    !(idx[0] && in_list(f->list[FILTER_DEV], f->n[FILTER_DEV], idx, false)))
			return FILTER_HIDE;
	}
	if (wants(f, ev, FILTER_PROTO)) {
		const char *l3 = r->has_pkt ? pkt_l3_name(&r->pkt) : NULL;

		if (!in_list(f->list[FILTER_PROTO], f->n[FILTER_PROTO], r->proto, false) &&
		    !in_list(f->list[FILTER_PROTO], f->n[FILTER_PROTO], l3, false))
			return FILTER_HIDE;
	}
	if (f->words[FILTER_LOC] &&
	    !in_list(f->list[FILTER_LOC], f->n[FILTER_LOC],
		     r->loc && r->loc->known ? r->loc->name : r->location, true))
		return FILTER_HIDE;
	if (f->pcap && wants(f, ev, FILTER_PCAP) && !cap_filter_match(f->pcap, ev))
		return FILTER_HIDE;
	if (f->words[FILTER_NETNS]) {
		char ino[24] = "";

		if (r->netns)
			snprintf(ino, sizeof(ino), "%" PRIu64, r->netns);
		if (!in_list(f->list[FILTER_NETNS], f->n[FILTER_NETNS], r->netns_name, false) &&
		    !(ino[0] && in_list(f->list[FILTER_NETNS], f->n[FILTER_NETNS], ino, false)) &&
		    !(r->netns_candidates &&
		      in_list(f->list[FILTER_NETNS], f->n[FILTER_NETNS], "ambiguous", false)))
			return FILTER_HIDE;
	}
	if (f->words[FILTER_CONTAINER] &&
	    !in_list(f->list[FILTER_CONTAINER], f->n[FILTER_CONTAINER], r->container, true))
		return FILTER_HIDE;
	if (f->words[FILTER_EVENT] &&
	    !in_list(f->list[FILTER_EVENT], f->n[FILTER_EVENT], r->event, false))
		return FILTER_HIDE;
	if (f->words[FILTER_CAUSE] &&
	    !in_list(f->list[FILTER_CAUSE], f->n[FILTER_CAUSE], r->cause, false))
		return FILTER_HIDE;
	if (f->words[FILTER_STATE] &&
	    !in_list(f->list[FILTER_STATE], f->n[FILTER_STATE],
		     r->has_sock ? r->sock_state : NULL, false))
		return FILTER_HIDE;
	if (f->words[FILTER_ADDR] && !ends_match(f, r, FILTER_ADDR))
		return FILTER_HIDE;
	if (f->words[FILTER_PORT] && !ends_match(f, r, FILTER_PORT))
		return FILTER_HIDE;
	if (f->words[FILTER_RULE] && !rule_match(f, r))
		return FILTER_HIDE;
	if (f->words[FILTER_CT] && !in_list(f->list[FILTER_CT], f->n[FILTER_CT], r->ct_state, false))
		return FILTER_HIDE;
	if (f->n_ignore && in_list(f->ignore, f->n_ignore, r->reason, false))
		return FILTER_IGNORE;
	return FILTER_PASS;
}

void filter_describe(const struct filter *f, struct printer *p)
{
	int k;
	bool any = false;

	for (k = 0; k < FILTER_KEYS; k++) {
		char key[32];

		if (!f->words[k])
			continue;
		snprintf(key, sizeof(key), "filter_%s", filter_key_names[k]);
		pr_textf(p, "Filter %s: ", filter_key_names[k]);
		pr_str(p, key, "%s\n", f->words[k]);
		any = true;
	}
	if (!any)
		pr_text(p, "Filters: none\n");
	pr_str(p, "ignore", "Ignored reasons: %s\n", f->ignore_words ? f->ignore_words : "none");
}
void filter_clear_keys(struct filter *f)
{
	int k;

	for (k = 0; k < FILTER_KEYS; k++)
		clear_key(f, k);
}

void filter_clear(struct filter *f)
{
	filter_clear_keys(f);
	filter_set_ignore(f, "none", NULL, 0);
}
