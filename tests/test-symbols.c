// SPDX-License-Identifier: GPL-2.0-or-later
/* The symbol index, on a kallsyms excerpt recorded from the rig's 6.1 kernel and on crafted text. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "symbols.h"
#include "fixture.h"

static struct sym_index *load(const char *text, struct sym_load_info *info, int expect)
{
	struct sym_index *idx = NULL;

	assert_int_equal(sym_index_load_buf(text, strlen(text), &idx, info), expect);
	return idx;
}

static void test_crafted(void **state)
{
	const char *text =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000000 T startup_64\n"
		"ffffffff81000100 t helper\n"
		"ffffffff81000180 D some_data\n"
		"ffffffff81000200 T last_core\n"
		"ffffffffc0001000 t mod_a_first\t[mod_a]\n"
		"ffffffffc0001040 t mod_a_last\t[mod_a]\n"
		"ffffffffc0002000 T mod_b_only\t[mod_b]\n";
	struct sym_load_info info;
	struct sym_index *idx = load(text, &info, 0);
	struct sym_result r;

	assert_int_equal(info.symbols, 7);	/* the data symbol is not a location */
	assert_int_equal(info.bad_lines, 0);
	assert_false(info.restricted);

	/* Aliases: the first name wins, consistently. */
	assert_int_equal(sym_lookup(idx, 0xffffffff81000000ull, &r), 0);
	assert_string_equal(r.name, "_stext");
	assert_int_equal(r.offset, 0);
	assert_int_equal(r.size, 0x100);
	assert_null(r.module);

	assert_int_equal(sym_lookup(idx, 0xffffffff810001ffull, &r), 0);
	assert_string_equal(r.name, "helper");
	assert_int_equal(r.offset, 0xff);
	assert_int_equal(r.size, 0x100);

	/* The last symbol of a region ends at its page, not at the next region. */
	assert_int_equal(sym_lookup(idx, 0xffffffff81000234ull, &r), 0);
	assert_string_equal(r.name, "last_core");
	assert_int_equal(sym_lookup(idx, 0xffffffff81001000ull, &r), -ENOENT);
	assert_int_equal(sym_lookup(idx, 0xffffffffa0000000ull, &r), -ENOENT);

	/* Module symbols carry their module; regions do not bleed into each other. */
	assert_int_equal(sym_lookup(idx, 0xffffffffc0001010ull, &r), 0);
	assert_string_equal(r.name, "mod_a_first");
	assert_string_equal(r.module, "mod_a");
	assert_int_equal(r.size, 0x40);
	assert_int_equal(sym_lookup(idx, 0xffffffffc0001050ull, &r), 0);
	assert_string_equal(r.name, "mod_a_last");
	assert_int_equal(sym_lookup(idx, 0xffffffffc0001fffull, &r), 0);
	assert_int_equal(sym_lookup(idx, 0xffffffffc0002004ull, &r), 0);
	assert_string_equal(r.name, "mod_b_only");
	assert_string_equal(r.module, "mod_b");
	assert_int_equal(sym_lookup(idx, 0xffffffffc0003000ull, &r), -ENOENT);

	/* Below the first symbol. */
	assert_int_equal(sym_lookup(idx, 0x1000, &r), -ENOENT);
	assert_int_equal(sym_lookup(idx, 0, &r), -ENOENT);
	sym_index_free(idx);
}

/*
 * As /proc/kallsyms lists them with eBPF programs loaded: the kernel's symbols in order,
 * then modules and programs whose addresses lie below, between and above them. The
 * index is in address order whatever the order of the lines.
 */
static void test_unsorted_tail(void **state)
{
	const char *text =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000100 t helper\n"
		"ffffffff81000200 T last_core\n"
		"ffffffffc0002000 T mod_b_only\t[mod_b]\n"
		"ffffffffc0001000 t mod_a_first\t[mod_a]\n"
		"ffffffffa0000800 t bpf_prog_2_dw_kfree_skb4\t[bpf]\n"
		"ffffffff81000180 t between_core\t[bpf]\n"
		"ffffffff80000000 t below_all\t[bpf]\n"
		"ffffffffa0000000 t bpf_prog_1_floor\t[bpf]\n";
	static const struct { uint64_t addr; const char *name; } want[] = {
		{ 0xffffffff80000000ull, "below_all" },
		{ 0xffffffff81000000ull, "_stext" },
		{ 0xffffffff81000100ull, "helper" },
		{ 0xffffffff81000180ull, "between_core" },
		{ 0xffffffff81000200ull, "last_core" },
		{ 0xffffffffa0000000ull, "bpf_prog_1_floor" },
		{ 0xffffffffa0000800ull, "bpf_prog_2_dw_kfree_skb4" },
		{ 0xffffffffc0001000ull, "mod_a_first" },
		{ 0xffffffffc0002000ull, "mod_b_only" },
	};
	struct sym_load_info info;
	struct sym_index *idx = load(text, &info, 0);
	struct sym_result r;

	(void)state;
	assert_int_equal(info.symbols, 9);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(sym_lookup(idx, want[i].addr + 4, &r), 0);
		assert_string_equal(r.name, want[i].name);
		assert_int_equal(r.offset, 4);
	}
	/* Each ends where the next begins: helper is cut by the program between. */
	assert_int_equal(sym_lookup(idx, 0xffffffff81000100ull, &r), 0);
	assert_int_equal(r.size, 0x80);
	sym_index_free(idx);
}

static void test_garbage(void **state)
{
	const char *text =
		"ffffffff81000000 T good_one\n"
		"not a kallsyms line\n"
		"ffffffff81000100\n"
		"ffffffff81000100 TT bad_type\n"
		"11112222333344445 T too_long_address\n"
		"ffffffff81000200 T\n"
		"ffffffff81000300 t with_mod\t[unclosed\n"
		"ffffffff81000400 t with_mod\t[]\n"
		"ffffffff81000500 t trailing\t[m] junk\n"
		"\n"
		"ffffffff81000600 t good_two\n";
	struct sym_load_info info;
	struct sym_index *idx = load(text, &info, 0);
	struct sym_result r;

	assert_int_equal(info.symbols, 2);
	assert_int_equal(info.bad_lines, 8);
	assert_int_equal(info.first_bad_line, 2);
	assert_int_equal(sym_lookup(idx, 0xffffffff81000604ull, &r), 0);
	assert_string_equal(r.name, "good_two");
	sym_index_free(idx);
}

static void test_restricted_and_empty(void **state)
{
	struct sym_load_info info;

	/* kptr_restrict, or a reader without privilege: every address is zero. */
	assert_null(load("0000000000000000 T _stext\n0000000000000000 t helper\n", &info, -EPERM));
	assert_true(info.restricted);
	assert_null(load("", &info, -ENODATA));
	assert_null(load("ffffffff81000000 D only_data\n", &info, -ENODATA));
	assert_null(load("garbage\n", &info, -ENODATA));
	assert_int_equal(info.bad_lines, 1);
	assert_int_equal(sym_index_load("/nonexistent/kallsyms", &(struct sym_index *){ NULL }, &info),
			 -ENOENT);
}

/* kallsyms prints '?' for a type it cannot tell (6.1 with netdevsim: __nosave_begin). */
static void test_unknown_type(void **state)
{
	static const char text[] =
		"ffffffffa18e3000 R __init_end\n"
		"ffffffffa18eb000 ? __nosave_begin\n"
		"ffffffffa18eb000 B __bss_start\n"
		"ffffffffa18eb000 ? __nosave_end\n"
		"ffffffff81000000 T _stext\n";
	struct sym_index *idx = NULL;
	struct sym_load_info info;

	assert_int_equal(sym_index_load_buf(text, sizeof(text) - 1, &idx, &info), 0);
	assert_int_equal(info.bad_lines, 0);
	assert_int_equal(info.symbols, 1);
	sym_index_free(idx);
}

static void test_recorded(void **state)
{
	struct sym_index *idx = NULL;
	struct sym_load_info info;
	struct sym_result r, r2;
	char line[512];
	uint64_t udp = 0, mod_addr = 0;
	char mod_name[256] = "", mod_mod[64] = "";
	FILE *f;

	assert_int_equal(sym_index_load(fixture_path("kallsyms-6.1"), &idx, &info), 0);
	assert_int_equal(info.bad_lines, 0);
	assert_true(info.symbols > 100);
	f = fopen(fixture_path("kallsyms-6.1"), "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256], mod[64];
		int n = sscanf(line, "%llx %c %255s [%63[^]]]", &a, &type, name, mod);

		if (n >= 3 && !strcmp(name, "__udp4_lib_rcv"))
			udp = a;
		if (n == 4 && !mod_addr && (type == 't' || type == 'T')) {
			mod_addr = a;
			snprintf(mod_name, sizeof(mod_name), "%s", name);
			snprintf(mod_mod, sizeof(mod_mod), "%s", mod);
		}
	}
	fclose(f);
	assert_true(udp != 0);
	assert_true(mod_addr != 0);

	assert_int_equal(sym_lookup(idx, udp + 0x10, &r), 0);
	assert_string_equal(r.name, "__udp4_lib_rcv");
	assert_int_equal(r.offset, 0x10);
	assert_true(r.size > 0x10 && r.size < 0x10000);
	assert_null(r.module);
	/* One byte before is another function. */
	assert_int_equal(sym_lookup(idx, udp - 1, &r2), 0);
	assert_string_not_equal(r2.name, "__udp4_lib_rcv");

	assert_int_equal(sym_lookup(idx, mod_addr, &r), 0);
	assert_non_null(r.module);
	assert_string_equal(r.module, mod_mod);
	sym_index_free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted),
		cmocka_unit_test(test_unsorted_tail),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_restricted_and_empty),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_recorded),
	};

	return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}
