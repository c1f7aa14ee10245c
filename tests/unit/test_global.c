/* SPDX-License-Identifier: Apache-2.0 */
/*
 * global.h: the library's version and the allocator hooks (their version
 * field and their validation).
 */
#include "isg_test.h"

#include <stdlib.h>
#include <string.h>

static int calls;

static void *count_malloc(size_t size, void *payload)
{
	(void)payload;
	calls++;
	return malloc(size);
}

static void *count_realloc(void *ptr, size_t size, void *payload)
{
	(void)payload;
	calls++;
	return realloc(ptr, size);
}

static void count_free(void *ptr, void *payload)
{
	(void)payload;
	free(ptr);
}

static void test_global__version_is_the_headers(void **state)
{
	(void)state;
	assert_string_equal(isg_global_version(), ISG_VERSION_STRING);
}

static void test_global__allocator_is_used_and_restored(void **state)
{
	isg_allocator a = ISG_ALLOCATOR_INIT;
	isg_buf b = ISG_BUF_INIT;

	(void)state;
	assert_int_equal(a.version, ISG_ALLOCATOR_VERSION);
	a.malloc_fn = count_malloc;
	a.realloc_fn = count_realloc;
	a.free_fn = count_free;
	calls = 0;
	ISG_ASSERT_OK(isg_global_set_allocator(&a));
	ISG_ASSERT_OK(isg_buf_set(&b, "hello", 5));
	isg_buf_dispose(&b);
	assert_true(calls > 0);
	ISG_ASSERT_OK(isg_global_set_allocator(NULL));
	calls = 0;
	ISG_ASSERT_OK(isg_buf_set(&b, "hello", 5));
	isg_buf_dispose(&b);
	assert_int_equal(calls, 0);
}

static void test_global__allocator_is_validated(void **state)
{
	isg_allocator a = ISG_ALLOCATOR_INIT;

	(void)state;
	a.malloc_fn = count_malloc;
	a.realloc_fn = count_realloc;
	ISG_ASSERT_RC(ISG_EINVALID, isg_global_set_allocator(&a));
	assert_non_null(strstr(isg_error_last()->message, "function pointer"));
	a.free_fn = count_free;
	a.version = ISG_ALLOCATOR_VERSION + 1;
	ISG_ASSERT_RC(ISG_EINVALID, isg_global_set_allocator(&a));
	assert_string_equal(
	        isg_error_last()->message,
	        "isg_allocator.version 2 is newer than this library's 1");
	/* A zeroed struct (version 0) is read as version 1. */
	a.version = 0;
	ISG_ASSERT_OK(isg_global_set_allocator(&a));
	ISG_ASSERT_OK(isg_global_set_allocator(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global__version_is_the_headers),
		cmocka_unit_test(test_global__allocator_is_used_and_restored),
		cmocka_unit_test(test_global__allocator_is_validated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
