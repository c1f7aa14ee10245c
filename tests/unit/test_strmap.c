/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <string.h>

#include "core_int.h"

static void test_strmap__get_finds_put_keys_and_misses_others(void **state)
{
	static char keys[500][16];
	isg__strmap m;
	size_t i;

	(void)state;
	ISG_ASSERT_OK(isg__strmap_init(&m, 500));
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key%zu", i);
		isg__strmap_put(&m, keys[i], (long)i * 3);
	}
	for (i = 0; i < 500; i++)
		assert_int_equal(isg__strmap_get(&m, keys[i]), (long)i * 3);
	assert_int_equal(isg__strmap_get(&m, "key500"), -1);
	assert_int_equal(isg__strmap_get(&m, ""), -1);
	isg__strmap_free(&m);
	assert_int_equal(m.cap, 0);
}

static void test_strmap__put_keeps_the_first_value(void **state)
{
	isg__strmap m;

	(void)state;
	ISG_ASSERT_OK(isg__strmap_init(&m, 2));
	isg__strmap_put(&m, "a", 1);
	isg__strmap_put(&m, "a", 2);
	assert_int_equal(isg__strmap_get(&m, "a"), 1);
	isg__strmap_free(&m);
	isg__strmap_free(NULL);
}

static void test_strmap__empty_map_misses_everything(void **state)
{
	isg__strmap m = { 0 };

	(void)state;
	assert_int_equal(isg__strmap_get(&m, "a"), -1);
}

static void test_strmap__allocation_failure_is_enomem_without_leak(void **state)
{
	isg__strmap m;
	long k;

	(void)state;
	isg_test_alloc_install();
	for (k = 1; k <= 2; k++) {
		isg_test_alloc_fail_at(k);
		ISG_ASSERT_RC(ISG_ENOMEM, isg__strmap_init(&m, 10));
		assert_null(m.keys);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_fail_at(0);
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_strmap__get_finds_put_keys_and_misses_others),
		cmocka_unit_test(test_strmap__put_keeps_the_first_value),
		cmocka_unit_test(test_strmap__empty_map_misses_everything),
		cmocka_unit_test(
		        test_strmap__allocation_failure_is_enomem_without_leak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
