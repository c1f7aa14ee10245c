/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"

static void
test_path__basename_and_dirname_split_at_the_last_slash(void **state)
{
	(void)state;
	assert_string_equal(isg__path_basename("a/b/c.py"), "c.py");
	assert_string_equal(isg__path_basename("c.py"), "c.py");
	assert_string_equal(isg__path_basename("a/b/"), "");
	assert_string_equal(isg__path_basename(""), "");
	assert_int_equal(isg__path_dirname_len("a/b/c.py"), 3);
	assert_int_equal(isg__path_dirname_len("c.py"), 0);
	assert_int_equal(isg__path_dirname_len("/c"), 0);
}

static void
test_path__extension_ignores_leading_dot_and_directories(void **state)
{
	(void)state;
	assert_string_equal(isg__path_extension("a/b.c/d.tar.gz"), ".gz");
	assert_null(isg__path_extension("a/b.c/Makefile"));
	assert_null(isg__path_extension("src/.bashrc"));
	assert_string_equal(isg__path_extension(".x.y"), ".y");
	assert_int_equal(isg__path_stem_len("a/b.c/d.tar.gz"), 5);
	assert_int_equal(isg__path_stem_len("a/.bashrc"), 7);
	assert_int_equal(isg__path_stem_len("x/Makefile"), 8);
}

static void test_path__join_adds_one_slash(void **state)
{
	isg_buf b = ISG_BUF_INIT;

	(void)state;
	isg_test_alloc_install();
	ISG_ASSERT_OK(isg__path_join(&b, "a/b", "c.py"));
	assert_string_equal(b.ptr, "a/b/c.py");
	ISG_ASSERT_OK(isg__path_join(&b, "a/b/", "c.py"));
	assert_string_equal(b.ptr, "a/b/c.py");
	ISG_ASSERT_OK(isg__path_join(&b, "", "c.py"));
	assert_string_equal(b.ptr, "c.py");
	isg_buf_dispose(&b);
	isg_test_alloc_fail_at(1);
	ISG_ASSERT_RC(ISG_ENOMEM, isg__path_join(&b, "dir", "name"));
	isg_test_alloc_fail_at(0);
	isg_buf_dispose(&b);
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_path__basename_and_dirname_split_at_the_last_slash),
		cmocka_unit_test(
		        test_path__extension_ignores_leading_dot_and_directories),
		cmocka_unit_test(test_path__join_adds_one_slash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
