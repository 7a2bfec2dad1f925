// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The exporter's counters and their exposition: label sets counted and
 * rendered in order, in the text format and in OpenMetrics; label values
 * escaped; the optional labels bounded (the rest folded and counted); the
 * number of series bounded; the textfile written whole; listen addresses
 * checked. promtool's own check runs on live output in tests/exporter.test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "httpd.h"
#include "metrics.h"

static struct drop_record sw(const char *reason, const char *dev, const char *fn)
{
	static struct location loc[8];
	static int next;
	struct location *l = &loc[next++ % 8];
	struct drop_record r;

	memset(&r, 0, sizeof(r));
	*l = (struct location){ .known = true, .name = fn, .text = fn };
	r.origin = "software";
	r.reason = reason;
	r.dev = dev;
	r.loc = l;
	return r;
}

static struct drop_record hw(const char *group, const char *trap, const char *dev)
{
	struct drop_record r;

	memset(&r, 0, sizeof(r));
	r.origin = "hardware";
	r.trap_group = group;
	r.trap = trap;
	r.location = trap;
	r.dev = dev;
	return r;
}

static char *render(const struct metrics *m, bool om)
{
	size_t len;
	char *buf = metrics_render_buf(m, om, &len);

	assert_non_null(buf);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* The lines of @text that start with @prefix, joined. */
static char *lines(const char *text, const char *prefix)
{
	size_t n = strlen(text) + 1, pl = strlen(prefix);
	char *out = calloc(1, n), *o = out;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!strncmp(p, prefix, pl)) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	return out;
}

static void test_counts_and_order(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct drop_record a = sw("NO_SOCKET", "lo", "__udp4_lib_rcv");
	struct drop_record b = sw("SOCKET_RCVBUFF", "eth0", "__udp_enqueue_schedule_skb");
	struct drop_record c = hw("l3_drops", "blackhole_route", "eni0");
	struct drop_record d = sw(NULL, NULL, "kfree_skb_list");
	char *text, *drops;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(metrics_count(m, &a, 1), 0);
	assert_int_equal(metrics_count(m, &b, 5), 0);
	assert_int_equal(metrics_count(m, &c, 2), 0);
	assert_int_equal(metrics_count(m, &d, 7), 0);
	assert_int_equal(metrics_count(m, &a, 10), 0);
	text = render(m, false);
	drops = lines(text, "dropwatch_drops_total");
	/* Sorted by their labels; a drop without a reason has none; devices not asked for. */
	assert_string_equal(drops,
		"dropwatch_drops_total{origin=\"hardware\",trap_group=\"l3_drops\",trap=\"blackhole_route\"} 2\n"
		"dropwatch_drops_total{origin=\"software\"} 7\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\"} 13\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"SOCKET_RCVBUFF\"} 5\n");
	assert_non_null(strstr(text, "# TYPE dropwatch_drops_total counter\n"));
	assert_non_null(strstr(text, "# TYPE dropwatch_info gauge\n"));
	assert_non_null(strstr(text, "dropwatch_info{source=\"none\"} 1\n"));
	assert_non_null(strstr(text, "dropwatch_monitor_active 0\n"));
	/* No folded counters for labels not asked for; the series bound always. */
	assert_null(strstr(text, "label=\"device\""));
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"series\"} 0\n"));
	assert_null(strstr(text, "# EOF"));
	free(drops);
	free(text);
	metrics_free(m);
}

static void test_openmetrics(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct drop_record a = sw("NO_SOCKET", NULL, "f");
	struct metrics_info info = { "netdm", "6.1.0", "kernel", "packet" };
	struct metrics_own own = { .queue_sw = 4, .overruns = 2, .malformed = 1 };
	char *text;
	size_t len;

	(void)state;
	metrics_count(m, &a, 1);
	metrics_set_info(m, &info);
	metrics_set_own(m, &own);
	metrics_set_active(m, true);
	metrics_add_start(m, true);
	metrics_add_start(m, false);
	text = render(m, true);
	len = strlen(text);
	assert_true(len > 6 && !strcmp(text + len - 6, "# EOF\n"));
	/* OpenMetrics names a counter's family without _total, its samples with it. */
	assert_non_null(strstr(text, "# TYPE dropwatch_drops counter\n"));
	assert_non_null(strstr(text, "dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\"} 1\n"));
	assert_non_null(strstr(text, "# TYPE dropwatch info\n"));
	assert_non_null(strstr(text, "# TYPE dropwatch_build info\n"));
	assert_non_null(strstr(text, "dropwatch_info{source=\"netdm\",kernel=\"6.1.0\",reasons=\"kernel\",mode=\"packet\"} 1\n"));
	assert_non_null(strstr(text, "dropwatch_kernel_queue_drops_total{origin=\"software\"} 4\n"));
	assert_non_null(strstr(text, "dropwatch_socket_overruns_total 2\n"));
	assert_non_null(strstr(text, "dropwatch_malformed_messages_total 1\n"));
	assert_non_null(strstr(text, "dropwatch_monitor_active 1\n"));
	assert_non_null(strstr(text, "dropwatch_monitor_starts_total 1\n"));
	assert_non_null(strstr(text, "dropwatch_monitor_start_failures_total 1\n"));
	free(text);
	metrics_free(m);
}

static void test_escaping(void **state)
{
	struct metrics *m = metrics_new(METRICS_DEVICE, 0);
	struct drop_record a = sw("A\"B\\C\nD\x01" "E", "e\"th", "f");
	char *text;

	(void)state;
	metrics_count(m, &a, 1);
	text = render(m, false);
	assert_non_null(strstr(text,
		"dropwatch_drops_total{origin=\"software\",reason=\"A\\\"B\\\\C\\nD?E\",device=\"e\\\"th\"} 1\n"));
	free(text);
	metrics_free(m);
}

static void test_folding(void **state)
{
	struct metrics *m = metrics_new(METRICS_DEVICE | METRICS_LOCATION, 2);
	const char *fns[] = { "f1", "f2", "f3", "f4", "f1", "f3" };
	struct drop_record r;
	char *text, *drops;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		r = sw("NO_SOCKET", "lo", fns[i]);
		assert_int_equal(metrics_count(m, &r, i + 1), 0);
	}
	text = render(m, false);
	drops = lines(text, "dropwatch_drops_total");
	/* Before a ranking, the first two keep series; f3 and f4 (3 + 4 + 6 drops) are folded. */
	assert_string_equal(drops,
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"(other)\"} 13\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"f1\"} 6\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"f2\"} 2\n");
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"location\"} 13\n"));
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"device\"} 0\n"));
	free(drops);
	free(text);

	/* Ranked by drops so far (f3 9, f1 6, f4 4, f2 2): f3 and f1 are the top two. f2's
	 * series leaves the exposition with its count; f3's starts with its next drop. */
	metrics_rank(m);
	r = sw("NO_SOCKET", "lo", "f3");
	metrics_count(m, &r, 10);
	r = sw("NO_SOCKET", "lo", "f2");
	metrics_count(m, &r, 1);
	text = render(m, false);
	drops = lines(text, "dropwatch_drops_total");
	assert_string_equal(drops,
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"(other)\"} 14\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"f1\"} 6\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"f3\"} 10\n");
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"location\"} 14\n"));
	free(drops);
	free(text);

	/* f2 back in the top (f2 2 + 1 + 20 = 23): its series goes on from its count, 2. */
	r = sw("NO_SOCKET", "lo", "f2");
	metrics_count(m, &r, 20);
	metrics_rank(m);
	metrics_count(m, &r, 5);
	text = render(m, false);
	assert_non_null(strstr(text,
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",device=\"lo\",location=\"f2\"} 7\n"));
	assert_null(strstr(text, "location=\"f1\""));
	free(text);
	metrics_free(m);
}

static void test_series_bound(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	char reason[32], *text, *p;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < METRICS_MAX_SERIES + 10; i++) {
		struct drop_record r = sw(reason, NULL, "f");

		snprintf(reason, sizeof(reason), "R%d", i);
		assert_int_equal(metrics_count(m, &r, 1), 0);
	}
	text = render(m, false);
	for (p = text; (p = strstr(p, "\ndropwatch_drops_total{")); p++)
		n++;
	assert_int_equal(n, METRICS_MAX_SERIES);
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"series\"} 10\n"));
	free(text);
	metrics_free(m);
}

static void test_labels_option(void **state)
{
	unsigned int l = 99;
	char err[200];

	(void)state;
	assert_int_equal(metrics_parse_labels("device,location", &l, err, sizeof(err)), 0);
	assert_int_equal(l, METRICS_DEVICE | METRICS_LOCATION);
	assert_int_equal(metrics_parse_labels("none", &l, err, sizeof(err)), 0);
	assert_int_equal(l, 0);
	assert_int_equal(metrics_parse_labels("dev,loc", &l, err, sizeof(err)), 0);
	assert_int_equal(l, METRICS_DEVICE | METRICS_LOCATION);
	assert_int_equal(metrics_parse_labels("netns,container", &l, err, sizeof(err)), 0);
	assert_int_equal(l, METRICS_NETNS | METRICS_CONTAINER);
	assert_int_equal(metrics_parse_labels("device,proto", &l, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'proto' is not a label: device, location, netns, container, rule or none");
}

/* netns and container: the record's own values, bounded like device. */
static void test_netns_labels(void **state)
{
	struct metrics *m = metrics_new(METRICS_NETNS | METRICS_CONTAINER, 1);
	struct drop_record a = sw("NO_SOCKET", "eth0", "f"), b = a, c = a;
	char *text, *drops;

	(void)state;
	a.netns_key = "ctr";
	a.container = "docker:0123456789ab";
	b.netns_key = "4026532281";
	c.netns_key = "ambiguous";
	metrics_count(m, &a, 5);
	metrics_count(m, &b, 2);
	metrics_count(m, &c, 1);
	text = render(m, false);
	drops = lines(text, "dropwatch_drops_total");
	/* The first value of each label has the one place; the others are folded. */
	assert_string_equal(drops,
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",netns=\"(other)\"} 3\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NO_SOCKET\",netns=\"ctr\",container=\"docker:0123456789ab\"} 5\n");
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"netns\"} 3\n"));
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"container\"} 0\n"));
	free(drops);
	free(text);
	metrics_free(m);
}

/* --rules: drops by the rule that dropped them, bounded like the others. */
static void test_rule_label(void **state)
{
	struct metrics *m = metrics_new(METRICS_RULE, 1);
	struct drop_record a = sw("NETFILTER_DROP", "eth0", "nft_do_chain"), b = a, c = a;
	unsigned int labels = 0;
	char *text, *drops, err[200];

	(void)state;
	assert_int_equal(metrics_parse_labels("rule", &labels, err, sizeof(err)), 0);
	assert_int_equal(labels, METRICS_RULE);
	a.rule_key = "ip filter DOCKER-USER handle 4";
	b.rule_key = "inet filter input policy";
	metrics_count(m, &a, 4);
	metrics_count(m, &b, 1);
	metrics_count(m, &c, 2);	/* not joined with a rule: no label */
	text = render(m, false);
	drops = lines(text, "dropwatch_drops_total");
	assert_string_equal(drops,
		"dropwatch_drops_total{origin=\"software\",reason=\"NETFILTER_DROP\"} 2\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NETFILTER_DROP\",rule=\"(other)\"} 1\n"
		"dropwatch_drops_total{origin=\"software\",reason=\"NETFILTER_DROP\",rule=\"ip filter DOCKER-USER handle 4\"} 4\n");
	assert_non_null(strstr(text, "dropwatch_folded_drops_total{label=\"rule\"} 1\n"));
	free(drops);
	free(text);
	metrics_free(m);
}

static void test_textfile(void **state)
{
	char dir[] = "/tmp/dw-metrics.XXXXXX", path[64], bad[80], err[300], buf[64];
	struct metrics *m = metrics_new(0, 0);
	struct drop_record a = sw("NO_SOCKET", NULL, "f");
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dropwatch.prom", dir);
	metrics_count(m, &a, 3);
	assert_int_equal(metrics_write_file(m, path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "# HELP dropwatch_drops_total Packets the kernel dropped: softwa");
	fclose(f);
	/* Again over it: still one file in the directory. */
	assert_int_equal(metrics_write_file(m, path, err, sizeof(err)), 0);
	snprintf(bad, sizeof(bad), "%s/none/x.prom", dir);
	assert_int_equal(metrics_write_file(m, bad, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);	/* fails if a temporary file was left */
	metrics_free(m);
}

static void test_listen_spec(void **state)
{
	char err[200];

	(void)state;
	assert_int_equal(httpd_check_spec("10025", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec(":10025", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec("127.0.0.1:0", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec("[::1]:9", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec("localhost:", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec(":", err, sizeof(err)), 0);
	assert_int_equal(httpd_check_spec("65536", err, sizeof(err)), -EINVAL);
	assert_int_equal(httpd_check_spec("-1", err, sizeof(err)), -EINVAL);
	assert_int_equal(httpd_check_spec("1.2.3.4:x", err, sizeof(err)), -EINVAL);
	assert_int_equal(httpd_check_spec("", err, sizeof(err)), -EINVAL);
	assert_int_equal(httpd_check_spec("[::1:80", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'[::1:80': an IPv6 address goes in brackets, as in [::1]:10025");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_order),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_series_bound),
		cmocka_unit_test(test_labels_option),
		cmocka_unit_test(test_netns_labels),
		cmocka_unit_test(test_rule_label),
		cmocka_unit_test(test_textfile),
		cmocka_unit_test(test_listen_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
