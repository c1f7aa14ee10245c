/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"

static void test_error__codes_have_names_and_texts(void **state)
{
	int c;

	(void)state;
	for (c = ISG_OK; c >= ISG_EBACKEND; c--) {
		assert_string_not_equal(isg_error_name(c), "ISG_EUNKNOWN");
		assert_string_not_equal(isg_error_string(c), "unknown error");
	}
	assert_string_equal(isg_error_name(-9999), "ISG_EUNKNOWN");
	assert_string_equal(isg_error_string(-9999), "unknown error");
	/* Append-only: released values keep their numbers. */
	assert_int_equal(ISG_EINVALID, -2);
	assert_int_equal(ISG_ENOMEM, -3);
	assert_int_equal(ISG_EBACKEND, -20);
}

static void test_error__last_error_records_module_message_retry(void **state)
{
	const isg_error *e;

	(void)state;
	isg_error_clear();
	assert_int_equal(isg_error_last()->code, ISG_OK);
	assert_int_equal(isg__error_set_retry(ISG_ERATELIMIT, "github", 42.5,
	                                      "limit hit on %s", "/issues"),
	                 ISG_ERATELIMIT);
	e = isg_error_last();
	assert_int_equal(e->code, ISG_ERATELIMIT);
	assert_string_equal(e->module, "github");
	assert_string_equal(e->message, "limit hit on /issues");
	assert_true(e->retry_after_s == 42.5);
	isg_error_clear();
	assert_int_equal(isg_error_last()->code, ISG_OK);
	assert_string_equal(isg_error_last()->message, "");
}

static void test_error__long_message_is_truncated_not_overflowed(void **state)
{
	char big[4000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	isg__error_set(ISG_EINVALID,
	               "a-module-name-that-is-way-too-long-to-fit", "%s", big);
	assert_int_equal(strlen(isg_error_last()->message),
	                 ISG_ERROR_MESSAGE_MAX - 1);
	assert_int_equal(strlen(isg_error_last()->module), 31);
}

static void test_error__message_may_wrap_previous_message(void **state)
{
	(void)state;
	isg__error_set(ISG_EIO, "a", "inner");
	isg__error_set(ISG_EIO, "b", "outer: %s", isg_error_last()->message);
	assert_string_equal(isg_error_last()->message, "outer: inner");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error__codes_have_names_and_texts),
		cmocka_unit_test(
		        test_error__last_error_records_module_message_retry),
		cmocka_unit_test(
		        test_error__long_message_is_truncated_not_overflowed),
		cmocka_unit_test(test_error__message_may_wrap_previous_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
