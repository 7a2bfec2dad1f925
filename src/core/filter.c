// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "sbuf.h"
#include "reasons.h"

const char *const filter_key_names[FILTER_KEYS] = {
	[FILTER_REASON] = "reason",
	[FILTER_DEV] = "dev",
	[FILTER_PROTO] = "proto",
	[FILTER_LOC] = "loc",
	[FILTER_ORIGIN] = "origin",
	[FILTER_PCAP] = "pcap",
};

_Static_assert(sizeof(((struct drop_view *)0)->src) == sizeof(((struct pkt_info *)0)->src) &&
	       sizeof(((struct drop_view *)0)->dst) == sizeof(((struct pkt_info *)0)->dst),
	       "view_build copies the packet's address strings whole");
_Static_assert(sizeof(((struct drop_view *)0)->symbol) == sizeof(((struct out_location *)0)->name),
	       "view_build copies the location's name whole");
_Static_assert(sizeof(((struct drop_view *)0)->location) == sizeof(((struct out_location *)0)->text),
	       "view_build copies the location's text whole");

void view_build(struct drop_view *v, struct out_ctx *o, const struct drop_event *ev)
{
	const char *l3, *l4;

	/* Field by field: the call chain's buffer is large, and this runs per drop. */
	v->ev = ev;
	v->has_pkt = false;
	v->proto = NULL;
	v->src[0] = v->dst[0] = v->sport[0] = v->dport[0] = v->stack[0] = '\0';
	if (ev->origin == DROP_ORIGIN_HW) {
		out_safe(v->symbol, sizeof(v->symbol), ev->trap_name ? ev->trap_name : "");
		snprintf(v->location, sizeof(v->location), "%s",
			 v->symbol[0] ? v->symbol : "unknown trap");
	} else {
		const struct out_location *loc = out_location(o, ev);

		if (loc->known) {
			memcpy(v->symbol, loc->name, loc->name_len + 1);
			memcpy(v->location, loc->text, loc->text_len + 1);
		} else {
			struct sbuf b;

			v->symbol[0] = '\0';
			sb_init(&b, v->location, sizeof(v->location));
			sb_puts(&b, "0x");
			sb_hex(&b, ev->pc, 1);
		}
	}
	v->reason = ev->reason;
	v->dev = out_ifname(o, ev);
	if (!v->dev && (ev->has & DROP_HAS_IFINDEX)) {
		snprintf(v->devbuf, sizeof(v->devbuf), "%" PRIu32, ev->ifindex);
		v->dev = v->devbuf;
	}
	if (ev->payload_len) {
		v->has_pkt = true;
		pkt_decode(ev->payload, ev->payload_len, ev->proto, ev->has & DROP_HAS_PROTO, &v->pkt);
		l3 = pkt_l3_name(&v->pkt);
		l4 = pkt_l4_name(&v->pkt);
		v->proto = l4 ? l4 : l3;
		/* The same sizes: pkt_info's strings fit. */
		memcpy(v->src, v->pkt.src, sizeof(v->src));
		memcpy(v->dst, v->pkt.dst, sizeof(v->dst));
		if (v->pkt.has_ports) {
			struct sbuf b;

			sb_init(&b, v->sport, sizeof(v->sport));
			sb_u64(&b, v->pkt.sport);
			sb_init(&b, v->dport, sizeof(v->dport));
			sb_u64(&b, v->pkt.dport);
		}
	}
	if (!v->proto && (ev->has & DROP_HAS_PROTO))
		v->proto = out_proto_name(ev->proto);
	if (ev->stack_len && o->view_stack) {
		size_t n = 0;
		uint32_t i;

		for (i = 0; i < ev->stack_len && n < sizeof(v->stack); i++) {
			char fr[400];

			n += snprintf(v->stack + n, sizeof(v->stack) - n, "%s%s", i ? ";" : "",
				      out_frame(o, ev->stack[i], fr, sizeof(fr)));
		}
	}
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
	size_t count = 0;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	if (!*value || value[0] == ',' || value[strlen(value) - 1] == ',' || strstr(value, ",,"))
		err = -EINVAL;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char **l = realloc(list, (count + 1) * sizeof(*l));

		if (!l || !(l[count] = strdup(tok))) {
			list = l ? l : list;
			err = -ENOMEM;
			break;
		}
		list = l;
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
		if (!strcmp(p, names[i]))
			return true;
	return false;
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
			if (key == FILTER_ORIGIN && strcmp(list[i], "sw") && strcmp(list[i], "hw"))
				bad = "is not an origin (sw or hw)";
			if (bad) {
				char safe[64];

				snprintf(err, errlen, "'%s' %s", out_safe(safe, sizeof(safe), list[i]), bad);
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
		snprintf(err, errlen, "expected KEY=VALUE (keys: reason, dev, proto, loc, origin, pcap)");
		return -EINVAL;
	}
	memcpy(key, arg, eq - arg);
	key[eq - arg] = '\0';
	k = filter_key_from_str(key);
	if (k < 0) {
		char safe[64];

		snprintf(err, errlen, "unknown filter key '%s' (reason, dev, proto, loc, origin, pcap)",
			 out_safe(safe, sizeof(safe), key));
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

enum filter_verdict filter_check(const struct filter *f, const struct drop_view *v)
{
	const struct drop_event *ev = v->ev;

	if (f->words[FILTER_ORIGIN] &&
	    !in_list(f->list[FILTER_ORIGIN], f->n[FILTER_ORIGIN],
		     ev->origin == DROP_ORIGIN_HW ? "hw" : "sw", false))
		return FILTER_HIDE;
	if (f->words[FILTER_REASON] && !in_list(f->list[FILTER_REASON], f->n[FILTER_REASON],
						v->reason, false))
		return FILTER_HIDE;
	if (f->words[FILTER_DEV]) {
		/* By name, or by index. */
		char idx[16] = "";

		if (ev->has & DROP_HAS_IFINDEX)
			snprintf(idx, sizeof(idx), "%" PRIu32, ev->ifindex);
		if (!in_list(f->list[FILTER_DEV], f->n[FILTER_DEV], v->dev, false) &&
		    !(idx[0] && in_list(f->list[FILTER_DEV], f->n[FILTER_DEV], idx, false)))
			return FILTER_HIDE;
	}
	if (f->words[FILTER_PROTO]) {
		const char *l3 = v->has_pkt ? pkt_l3_name(&v->pkt) : NULL;

		if (!in_list(f->list[FILTER_PROTO], f->n[FILTER_PROTO], v->proto, false) &&
		    !in_list(f->list[FILTER_PROTO], f->n[FILTER_PROTO], l3, false))
			return FILTER_HIDE;
	}
	if (f->words[FILTER_LOC] && !in_list(f->list[FILTER_LOC], f->n[FILTER_LOC],
					     v->symbol[0] ? v->symbol : v->location, true))
		return FILTER_HIDE;
	if (f->pcap && !cap_filter_match(f->pcap, ev))
		return FILTER_HIDE;
	if (f->n_ignore && in_list(f->ignore, f->n_ignore, v->reason, false))
		return FILTER_IGNORE;
	return FILTER_PASS;
}

void filter_describe(const struct filter *f, FILE *out)
{
	char safe[512];
	int k;
	bool any = false;

	for (k = 0; k < FILTER_KEYS; k++) {
		if (!f->words[k])
			continue;
		fprintf(out, "Filter %s: %s\n", filter_key_names[k],
			out_safe(safe, sizeof(safe), f->words[k]));
		any = true;
	}
	if (!any)
		fprintf(out, "Filters: none\n");
	fprintf(out, "Ignored reasons: %s\n",
		f->ignore_words ? out_safe(safe, sizeof(safe), f->ignore_words) : "none");
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
