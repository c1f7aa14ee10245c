/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdint.h>
#include <string.h>

#include "core_int.h"

static void
test_arena__allocations_are_zeroed_aligned_and_distinct(void **state)
{
	isg__arena a = { 0 };
	unsigned char *p, *q;
	char *s;
	size_t i;

	(void)state;
	s = isg__arena_strndup(&a, "abc", 1); /* leaves an odd offset */
	assert_string_equal(s, "a");
	p = isg__arena_alloc(&a, 24);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	for (i = 0; i < 24; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xff, 24);
	q = isg__arena_alloc(&a, 0); /* a valid, distinct pointer */
	assert_non_null(q);
	assert_true(q >= p + 24 || q + 1 <= p);
	assert_string_equal(s, "a");
	isg__arena_free(&a);
	assert_null(a.head);
	isg__arena_free(&a); /* reusable, and freeing twice is fine */
	isg__arena_free(NULL);
}

static void test_arena__strings_copy_and_null_means_empty(void **state)
{
	isg__arena a = { 0 };
	char src[] = "hello";
	char *s;

	(void)state;
	s = isg__arena_strdup(&a, src);
	src[0] = 'j';
	assert_string_equal(s, "hello");
	assert_string_equal(isg__arena_strdup(&a, NULL), "");
	assert_string_equal(isg__arena_strndup(&a, NULL, 0), "");
	assert_string_equal(isg__arena_strndup(&a, "hello", 3), "hel");
	assert_null(isg__arena_strndup(&a, "x", SIZE_MAX));
	isg__arena_free(&a);
}

static void test_arena__large_requests_get_their_own_block(void **state)
{
	isg__arena a = { 0 };
	char *big, *small;

	(void)state;
	small = isg__arena_strdup(&a, "before");
	big = isg__arena_alloc(&a, 200000);
	assert_non_null(big);
	memset(big, 'x', 200000);
	assert_string_equal(small, "before");
	assert_string_equal(isg__arena_strdup(&a, "after"), "after");
	isg__arena_free(&a);
}

static void test_arena__array_checks_overflow(void **state)
{
	isg__arena a = { 0 };
	size_t *v;

	(void)state;
	assert_null(isg__arena_array(&a, SIZE_MAX / 2, 4));
	v = isg__arena_array(&a, 0, sizeof(*v)); /* room for one */
	assert_non_null(v);
	assert_int_equal(v[0], 0);
	v = isg__arena_array(&a, 100, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(v[99], 0);
	isg__arena_free(&a);
}

static void test_arena__allocation_failure_gives_null_and_no_leak(void **state)
{
	isg__arena a = { 0 };

	(void)state;
	isg_test_alloc_install();
	assert_non_null(isg__arena_strdup(&a, "first block"));
	isg_test_alloc_fail_at(1);
	assert_null(isg__arena_alloc(&a, 100000));
	assert_string_equal(isg__arena_strdup(&a, "fits"), "fits");
	isg_test_alloc_fail_at(0);
	isg__arena_free(&a);
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_arena__allocations_are_zeroed_aligned_and_distinct),
		cmocka_unit_test(test_arena__strings_copy_and_null_means_empty),
		cmocka_unit_test(
		        test_arena__large_requests_get_their_own_block),
		cmocka_unit_test(test_arena__array_checks_overflow),
		cmocka_unit_test(
		        test_arena__allocation_failure_gives_null_and_no_leak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
