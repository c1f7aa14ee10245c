/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 0.1 names kept for one minor release behind ISG_DEPRECATED behave
 * exactly as the names that replaced them.
 */
#define ISG_NO_DEPRECATION_WARNINGS
#include "isg_test.h"

#include <string.h>

static void test_deprecated__error_names_forward(void **state)
{
	int c;

	(void)state;
	for (c = ISG_OK; c >= ISG_EBACKEND - 1; c--) {
		assert_string_equal(isg_strerror(c), isg_error_string(c));
		assert_string_equal(isg_status_name(c), isg_error_name(c));
	}
	assert_string_equal(isg_status_name(ISG_EINVALID), "ISG_EINVALID");
}

static void test_deprecated__version_and_allocator_forward(void **state)
{
	(void)state;
	assert_string_equal(isg_version(), isg_global_version());
	assert_string_equal(isg_version(), ISG_VERSION_STRING);
	ISG_ASSERT_OK(isg_set_allocator(NULL));
}

static void test_deprecated__redact_forwards(void **state)
{
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT;
	const char *text = "GET https://user:hunter2@example.com/x";

	(void)state;
	ISG_ASSERT_OK(isg_redact(&a, text));
	ISG_ASSERT_OK(isg_log_redact(&b, text));
	assert_string_equal(a.ptr, b.ptr);
	assert_null(strstr(a.ptr, "hunter2"));
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
}

static void test_deprecated__locate_forwards(void **state)
{
	isg_locate_result *r = (isg_locate_result *)&r;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, isg_locate(&r, NULL, "x", 1, NULL));
	assert_null(r);
	assert_non_null(strstr(isg_error_last()->message, "NULL"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deprecated__error_names_forward),
		cmocka_unit_test(
		        test_deprecated__version_and_allocator_forward),
		cmocka_unit_test(test_deprecated__redact_forwards),
		cmocka_unit_test(test_deprecated__locate_forwards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
