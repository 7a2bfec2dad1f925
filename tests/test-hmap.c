// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one hash table (src/base/hmap.c): growth, a most, deletion in long and wrapping
 * chains (a hash of a few values forces them), iteration, clearing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hmap.h"

struct item {
	uint64_t key;
	uint64_t value;
};

static bool same(const void *entry, const void *key)
{
	return ((const struct item *)entry)->key == *(const uint64_t *)key;
}

/* Collides on purpose: 7 homes for every key, so chains are long and wrap the table. */
static uint32_t poor(uint64_t key)
{
	return (uint32_t)(key % 7) * 0x3fffffffu;
}

static struct item *put(struct hmap *m, uint64_t key, uint32_t (*h)(uint64_t))
{
	bool created;
	struct item *e = hmap_get(m, h(key), same, &key, &created);

	if (e && created) {
		e->key = key;
		e->value = key * 3;
	}
	return e;
}

static struct item *get(const struct hmap *m, uint64_t key, uint32_t (*h)(uint64_t))
{
	return hmap_find(m, h(key), same, &key);
}

static void test_grow(void **state)
{
	struct hmap m;
	uint64_t k;

	(void)state;
	assert_int_equal(hmap_init(&m, sizeof(struct item), 0), 0);
	assert_null(get(&m, 1, hmap_hash64));
	for (k = 1; k <= 20000; k++)
		assert_non_null(put(&m, k, hmap_hash64));
	assert_int_equal(hmap_count(&m), 20000);
	for (k = 1; k <= 20000; k++) {
		struct item *e = get(&m, k, hmap_hash64);

		assert_non_null(e);
		assert_int_equal(e->value, k * 3);
	}
	assert_null(get(&m, 20001, hmap_hash64));
	/* An existing key is found, not made again. */
	assert_ptr_equal(put(&m, 77, hmap_hash64), get(&m, 77, hmap_hash64));
	assert_int_equal(hmap_count(&m), 20000);
	hmap_fini(&m);
}

static void test_delete_in_chains(void **state)
{
	struct hmap m;
	uint64_t k;

	(void)state;
	assert_int_equal(hmap_init(&m, sizeof(struct item), 64), 0);
	for (k = 1; k <= 64; k++)
		assert_non_null(put(&m, k, poor));
	/* Every other key goes; the rest stay findable whatever moved back. */
	for (k = 1; k <= 64; k += 2)
		hmap_del(&m, get(&m, k, poor));
	assert_int_equal(hmap_count(&m), 32);
	for (k = 1; k <= 64; k++) {
		if (k % 2)
			assert_null(get(&m, k, poor));
		else
			assert_int_equal(get(&m, k, poor)->value, k * 3);
	}
	/* Room again for as many. */
	for (k = 101; k <= 132; k++)
		assert_non_null(put(&m, k, poor));
	for (k = 2; k <= 64; k += 2)
		assert_non_null(get(&m, k, poor));
	hmap_fini(&m);
}

static void test_most(void **state)
{
	struct hmap m;

	(void)state;
	assert_int_equal(hmap_init(&m, sizeof(struct item), 3), 0);
	assert_non_null(put(&m, 1, hmap_hash64));
	assert_non_null(put(&m, 2, hmap_hash64));
	assert_non_null(put(&m, 3, hmap_hash64));
	assert_null(put(&m, 4, hmap_hash64));	/* full: refused */
	assert_non_null(put(&m, 2, hmap_hash64));	/* but found */
	hmap_del(&m, get(&m, 1, hmap_hash64));
	assert_non_null(put(&m, 4, hmap_hash64));
	hmap_fini(&m);
}

static void test_next_and_clear(void **state)
{
	struct hmap m;
	struct item *e;
	uint64_t k, sum = 0;
	size_t n = 0;

	(void)state;
	assert_int_equal(hmap_init(&m, sizeof(struct item), 0), 0);
	assert_null(hmap_next(&m, NULL));
	for (k = 1; k <= 1000; k++)
		put(&m, k, poor);
	for (e = hmap_next(&m, NULL); e; e = hmap_next(&m, e)) {
		sum += e->key;
		n++;
	}
	assert_int_equal(n, 1000);
	assert_int_equal(sum, 1000 * 1001 / 2);
	hmap_clear(&m);
	assert_int_equal(hmap_count(&m), 0);
	assert_null(hmap_next(&m, NULL));
	assert_null(get(&m, 5, poor));
	assert_non_null(put(&m, 5, poor));
	hmap_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_delete_in_chains),
		cmocka_unit_test(test_most),
		cmocka_unit_test(test_next_and_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
