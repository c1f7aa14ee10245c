/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"

static void test_vector__push_keeps_order_across_growth(void **state)
{
	static int items[100];
	isg__vector v = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		ISG_ASSERT_OK(isg__vector_push(&v, &items[i]));
	assert_int_equal(v.len, 100);
	assert_true(v.cap >= 100);
	for (i = 0; i < 100; i++)
		assert_ptr_equal(v.items[i], &items[i]);
	isg__vector_free(&v);
	assert_null(v.items);
	assert_int_equal(v.len, 0);
	isg__vector_free(NULL);
}

static void test_vector__allocation_failure_keeps_items(void **state)
{
	static int items[17];
	isg__vector v = { 0 };
	size_t i;

	(void)state;
	isg_test_alloc_install();
	for (i = 0; i < 16; i++)
		ISG_ASSERT_OK(isg__vector_push(&v, &items[i]));
	isg_test_alloc_fail_at(1);
	ISG_ASSERT_RC(ISG_ENOMEM, isg__vector_push(&v, &items[16]));
	assert_int_equal(isg_error_last()->code, ISG_ENOMEM);
	assert_int_equal(v.len, 16);
	assert_ptr_equal(v.items[15], &items[15]);
	isg_test_alloc_fail_at(0);
	isg__vector_free(&v);
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector__push_keeps_order_across_growth),
		cmocka_unit_test(test_vector__allocation_failure_keeps_items),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
