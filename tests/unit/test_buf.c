/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"

static void test_buf__put_set_keep_nul_termination(void **state)
{
	isg_buf b = ISG_BUF_INIT;

	(void)state;
	ISG_ASSERT_OK(isg_buf_put(&b, "ab", 2));
	ISG_ASSERT_OK(isg_buf_put(&b, "c\0d", 3));
	assert_int_equal(b.size, 5);
	assert_memory_equal(b.ptr, "abc\0d", 6);
	ISG_ASSERT_OK(isg_buf_set(&b, b.ptr + 1, 2)); /* aliasing is fine */
	assert_string_equal(b.ptr, "bc");
	ISG_ASSERT_OK(isg__buf_printf(&b, "-%d-%s", 42, "x"));
	assert_string_equal(b.ptr, "bc-42-x");
	isg_buf_dispose(&b);
	assert_null(b.ptr);
	isg_buf_dispose(NULL);
	ISG_ASSERT_RC(ISG_EINVALID, isg_buf_put(NULL, "a", 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_buf_put(&b, NULL, 1));
}

static void test_buf__json_string_escapes_and_repairs_utf8(void **state)
{
	isg_buf b = ISG_BUF_INIT;
	const char in[] = "q\"b\\n\n\x01 \xC3\xA9 \xF0\x9F\x98\x80 \xFF\xC3";

	(void)state;
	ISG_ASSERT_OK(isg__buf_put_json_string(&b, in, sizeof(in) - 1));
	assert_string_equal(
	        b.ptr,
	        "\"q\\\"b\\\\n\\n\\u0001 \xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD\xEF\xBF\xBD\"");
	isg_buf_dispose(&b);
}

static void test_buf__allocation_failure_keeps_content(void **state)
{
	isg_buf b = ISG_BUF_INIT;
	char big[1000];

	(void)state;
	memset(big, 'y', sizeof(big));
	isg_test_alloc_install();
	ISG_ASSERT_OK(isg_buf_set(&b, "keep", 4));
	isg_test_alloc_fail_at(1);
	ISG_ASSERT_RC(ISG_ENOMEM, isg_buf_put(&b, big, sizeof(big)));
	assert_string_equal(b.ptr, "keep");
	ISG_ASSERT_RC(ISG_ENOMEM, isg_buf_set(&b, big, sizeof(big)));
	assert_string_equal(b.ptr, "keep");
	isg_test_alloc_fail_at(0);
	isg_buf_dispose(&b);
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__put_set_keep_nul_termination),
		cmocka_unit_test(
		        test_buf__json_string_escapes_and_repairs_utf8),
		cmocka_unit_test(test_buf__allocation_failure_keeps_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
