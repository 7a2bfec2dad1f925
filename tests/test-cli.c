// SPDX-License-Identifier: GPL-2.0-or-later
/* Command words: splitting, strict values, suggestions; and the escaping of untrusted strings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "suggest.h"
#include "print.h"
#include "names.h"

static void test_split(void **state)
{
	char line[] = "  set \t alertmode   packet  \r\n";
	char many[] = "a b c d e";
	char empty[] = " \t ";
	char *w[4];

	assert_int_equal(cli_split(line, w, 4), 3);
	assert_string_equal(w[0], "set");
	assert_string_equal(w[1], "alertmode");
	assert_string_equal(w[2], "packet");
	assert_int_equal(cli_split(many, w, 4), -E2BIG);
	assert_int_equal(cli_split(empty, w, 4), 0);
}

static void test_u32(void **state)
{
	uint32_t v = 77;

	assert_int_equal(cli_parse_u32("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cli_parse_u32("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(cli_parse_u32("4294967296", &v), -ERANGE);
	assert_int_equal(cli_parse_u32("99999999999999999999999", &v), -ERANGE);
	assert_int_equal(cli_parse_u32("-1", &v), -EINVAL);
	assert_int_equal(cli_parse_u32("+1", &v), -EINVAL);
	assert_int_equal(cli_parse_u32(" 1", &v), -EINVAL);
	assert_int_equal(cli_parse_u32("12abc", &v), -EINVAL);
	assert_int_equal(cli_parse_u32("0x10", &v), -EINVAL);
	assert_int_equal(cli_parse_u32("", &v), -EINVAL);
	assert_int_equal(cli_parse_u32(NULL, &v), -EINVAL);
	assert_int_equal(v, UINT32_MAX);	/* failures leave the value alone */
}

static void test_bool(void **state)
{
	bool b = false;

	assert_int_equal(cli_parse_bool("true", &b), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(cli_parse_bool("yes", &b), 0);
	assert_true(b);
	/* One set of words everywhere, in any case (issue 17: set verbose 1 was refused). */
	assert_int_equal(cli_parse_bool("TRUE", &b), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("0", &b), 0);
	assert_false(b);
	assert_int_equal(cli_parse_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("2", &b), -EINVAL);
	assert_int_equal(cli_parse_bool("", &b), -EINVAL);
}

static void test_suggest(void **state)
{
	const char *const cmds[] = { "start", "stop", "set", "show", "stats", "help", "exit", "quit" };
	size_t n = sizeof(cmds) / sizeof(cmds[0]);

	assert_int_equal(suggest_distance("strat", "start"), 1);	/* transposition */
	assert_int_equal(suggest_distance("stat", "start"), 1);
	assert_int_equal(suggest_distance("", "abc"), 3);
	assert_string_equal(suggest("strat", cmds, n), "start");
	assert_string_equal(suggest("hlep", cmds, n), "help");
	assert_string_equal(suggest("exti", cmds, n), "exit");
	assert_string_equal(suggest("he", cmds, n), "help");	/* unique prefix */
	assert_null(suggest("st", cmds, n));			/* ambiguous prefix */
	assert_null(suggest("sta", cmds, n));			/* start or stats */
	assert_null(suggest("bogus", cmds, n));
	assert_null(suggest("", cmds, n));
	assert_null(suggest("xyz", cmds, n));
	/* Issue 17: START is start; foo is not a typo of top; one letter is no prefix. */
	assert_string_equal(suggest("START", cmds, n), "start");
	{
		const char *const sets[] = { "alertlimit", "top", "trunc", "sw", "hw" };
		const char *const reasons[] = { "NO_SOCKET", "NOT_SPECIFIED", "OTHERHOST",
						"ARP_PVLAN_DISABLE" };

		assert_null(suggest("foo", sets, 5));
		assert_string_equal(suggest("alertlimt", sets, 5), "alertlimit");
		assert_string_equal(suggest("NO_SOCKT", reasons, 4), "NO_SOCKET");
		assert_string_equal(suggest("no_socket", reasons, 4), "NO_SOCKET");
		assert_null(suggest("A", reasons, 4));
	}
}

static void test_safe(void **state)
{
	char buf[64];

	assert_string_equal(pr_escape(buf, sizeof(buf), "NO_SOCKET"), "NO_SOCKET");
	/* A terminal escape sequence from a hostile kernel string or file. */
	assert_string_equal(pr_escape(buf, sizeof(buf), "\x1b[2Jx"), "\\x1b[2Jx");
	assert_string_equal(pr_escape(buf, sizeof(buf), "a\nb\\c\x7f\xc3"), "a\\x0ab\\x5cc\\x7f\\xc3");
	assert_string_equal(pr_escape(buf, sizeof(buf), "say \"hi\""), "say \\x22hi\\x22");
	/* Truncation never splits an escape and always terminates. */
	assert_string_equal(pr_escape(buf, 6, "ab\x01zz"), "ab");
	assert_string_equal(pr_escape(buf, 1, "abc"), "");
}

static void test_proto_names(void **state)
{
	assert_string_equal(names_ethertype(0x0800), "IPv4");
	assert_string_equal(names_ethertype(0x86dd), "IPv6");
	assert_string_equal(names_ethertype(0x0806), "ARP");
	assert_null(names_ethertype(0x1234));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_proto_names),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
