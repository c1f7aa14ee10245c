/* SPDX-License-Identifier: Apache-2.0 */
/* REDIS_URL parsing: every part, defaults, percent-decoding, and errors
 * that never show the password. */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"
#include "redis_int.h"

static void test_redis__url_parts_and_defaults(void **state)
{
	isg__redis_url u;

	(void)state;
	ISG_ASSERT_OK(isg__redis_url_parse(&u, "redis://localhost"));
	assert_string_equal(u.host, "localhost");
	assert_int_equal(u.port, 6379);
	assert_int_equal(u.db, 0);
	assert_null(u.user);
	assert_null(u.password);
	isg__redis_url_dispose(&u);
	ISG_ASSERT_OK(isg__redis_url_parse(&u, "redis://:s%40cret@h:7000/3"));
	assert_string_equal(u.host, "h");
	assert_int_equal(u.port, 7000);
	assert_int_equal(u.db, 3);
	assert_null(u.user);
	assert_string_equal(u.password, "s@cret");
	isg__redis_url_dispose(&u);
	ISG_ASSERT_OK(isg__redis_url_parse(&u, "redis://app:pw@10.0.0.1/"));
	assert_string_equal(u.user, "app");
	assert_string_equal(u.password, "pw");
	assert_string_equal(u.host, "10.0.0.1");
	isg__redis_url_dispose(&u);
	ISG_ASSERT_OK(isg__redis_url_parse(&u, "redis://onlypw@h:1/0"));
	assert_string_equal(u.password, "onlypw");
	isg__redis_url_dispose(&u);
	isg__redis_url_dispose(NULL);
}

static void test_redis__bad_urls_name_the_url_not_the_password(void **state)
{
	static const struct {
		const char *url;
		int code;
	} bad[] = {
		{ "http://:pw1@h:1", ISG_EINVALID },
		{ "redis://:pw1@h:0", ISG_EINVALID },
		{ "redis://:pw1@h:70000", ISG_EINVALID },
		{ "redis://:pw1@h:abc", ISG_EINVALID },
		{ "redis://:pw1@h:1/x", ISG_EINVALID },
		{ "redis://:pw1@:1/0", ISG_EINVALID },
		{ "rediss://:pw1@h:1/0", ISG_EUNSUPPORTED },
	};
	isg__redis_url u;
	size_t i;

	(void)state;
	for (i = 0; i < ISG__ARRAY_SIZE(bad); i++) {
		ISG_ASSERT_RC(bad[i].code,
		              isg__redis_url_parse(&u, bad[i].url));
		assert_null(strstr(isg_error_last()->message, "pw1"));
		assert_non_null(strstr(isg_error_last()->message, "***"));
	}
	ISG_ASSERT_RC(ISG_EINVALID, isg__redis_url_parse(&u, NULL));
}

static void test_redis__allocation_failures_give_enomem(void **state)
{
	isg__redis_url u;
	long k;
	int rc = ISG_ENOMEM;

	(void)state;
	isg_test_alloc_install();
	for (k = 1; rc == ISG_ENOMEM && k < 50; k++) {
		isg_test_alloc_fail_at(k);
		rc = isg__redis_url_parse(&u, "redis://user:pw@h:1/2");
		if (rc == ISG_OK)
			isg__redis_url_dispose(&u);
		else
			assert_int_equal(rc, ISG_ENOMEM);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_uninstall();
	ISG_ASSERT_OK(rc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redis__url_parts_and_defaults),
		cmocka_unit_test(
		        test_redis__bad_urls_name_the_url_not_the_password),
		cmocka_unit_test(test_redis__allocation_failures_give_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
