/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static isg_config *load(const char *const *env, const char *file, int *rc)
{
	isg_config_options o = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;

	o.env = env;
	o.file = file;
	*rc = isg_config_new(&cfg, &o);
	return cfg;
}

static void test_config__defaults_then_file_then_env(void **state)
{
	char *dir = isg_test_mkdtemp(), path[600];
	const char *env[] = { "DB_POOL_SIZE=9", "HOME=/home/u", NULL };
	const char *text = "# comment\n\nexport REDIS_URL = \"redis://h:1/2\"\n"
	                   "DB_POOL_SIZE=3\nLLM_MODEL='gpt-4o'\n";
	isg_config *cfg;
	long long n;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/isg.conf", dir);
	assert_int_equal(isg_test_write_file(path, text, strlen(text)), 0);
	cfg = load(env, path, &rc);
	ISG_ASSERT_OK(rc);
	assert_string_equal(isg_config_get(cfg, "REDIS_URL"), "redis://h:1/2");
	assert_string_equal(isg_config_get(cfg, "LLM_MODEL"), "gpt-4o");
	ISG_ASSERT_OK(isg_config_get_int(&n, cfg, "DB_POOL_SIZE"));
	assert_int_equal(n, 9); /* env beats file */
	assert_string_equal(isg_config_get(cfg, "GITHUB_API_URL"),
	                    "https://api.github.com");
	assert_null(isg_config_get(cfg, "GITHUB_TOKEN"));
	assert_null(isg_config_get(cfg, "NO_SUCH_KEY"));
	assert_string_equal(isg_config_get(cfg, "ISSUESIGHT_CACHE_DIR"),
	                    "/home/u/.cache/issuesight");
	ISG_ASSERT_OK(isg_config_set(cfg, "DB_POOL_SIZE", "12"));
	ISG_ASSERT_OK(isg_config_get_int(&n, cfg, "DB_POOL_SIZE"));
	assert_int_equal(n, 12);
	ISG_ASSERT_RC(ISG_EINVALID, isg_config_get_int(&n, cfg, "REDIS_URL"));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_config_get_int(&n, cfg, "NOPE"));
	isg_config_free(cfg);
	isg_config_free(NULL);
	isg_test_rmtree(dir);
	free(dir);
}

static void test_config__malformed_values_name_the_key(void **state)
{
	const char *bad_int[] = { "DB_POOL_SIZE=abc", NULL };
	const char *range[] = { "DB_POOL_SIZE=0", NULL };
	const char *bad_url[] = { "REDIS_URL=localhost:6379", NULL };
	const char *bad_lvl[] = { "ISSUESIGHT_LOG_LEVEL=loud", NULL };
	int rc;

	(void)state;
	assert_null(load(bad_int, NULL, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_non_null(
	        strstr(isg_error_last()->message, "DB_POOL_SIZE='abc'"));
	assert_non_null(strstr(isg_error_last()->message, "environment"));
	assert_null(load(range, NULL, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_non_null(strstr(isg_error_last()->message, "out of range"));
	assert_null(load(bad_url, NULL, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_non_null(strstr(isg_error_last()->message, "REDIS_URL"));
	assert_null(load(bad_lvl, NULL, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_non_null(strstr(isg_error_last()->message, "loud"));
}

static void test_config__file_errors_name_key_and_line(void **state)
{
	char *dir = isg_test_mkdtemp(), path[600];
	const char *text = "DB_POOL_SIZE=2\nDATABSE_URL=postgres://x\n";
	const char *nul = "LLM_MODEL=a\0b\n";
	const char *env[] = { NULL };
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	isg_test_write_file(path, text, strlen(text));
	assert_null(load(env, path, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_non_null(strstr(isg_error_last()->message, "line 2"));
	assert_non_null(strstr(isg_error_last()->message, "DATABSE_URL"));
	isg_test_write_file(path, nul, 14);
	assert_null(load(env, path, &rc));
	ISG_ASSERT_RC(ISG_EINVALID, rc);
	assert_null(load(env, "/nonexistent/isg.conf", &rc));
	ISG_ASSERT_RC(ISG_EIO, rc);
	assert_non_null(strstr(isg_error_last()->message, "/nonexistent"));
	isg_test_rmtree(dir);
	free(dir);
}

static void test_config__secrets_never_shown(void **state)
{
	const char *env[] = { "GITHUB_TOKEN=ghp_supersecretvalue123",
		              "OPENAI_API_KEY=sk-abcdefghijklmnop",
		              "DATABASE_URL=postgresql://app:hunter2@db/x",
		              "MONGODB_URI=mongodb://m:pw99@h:1/", NULL };
	isg_buf dump = ISG_BUF_INIT;
	isg_config *cfg;
	int rc;

	(void)state;
	cfg = load(env, NULL, &rc);
	ISG_ASSERT_OK(rc);
	ISG_ASSERT_OK(isg_config_dump(&dump, cfg));
	assert_null(strstr(dump.ptr, "supersecret"));
	assert_null(strstr(dump.ptr, "abcdefghijklmnop"));
	assert_null(strstr(dump.ptr, "hunter2"));
	assert_null(strstr(dump.ptr, "pw99"));
	assert_non_null(strstr(dump.ptr, "GITHUB_TOKEN=*** # env"));
	assert_non_null(strstr(dump.ptr, "postgresql://app:***@db/x"));
	/* The real value is still there for the program. */
	assert_string_equal(isg_config_get(cfg, "GITHUB_TOKEN"),
	                    "ghp_supersecretvalue123");
	/* A malformed URL with a password: the message hides the password. */
	ISG_ASSERT_RC(ISG_EINVALID, isg_config_set(cfg, "REDIS_URL",
	                                           "rediss//u:topsecret@x"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_config_set(cfg, "REDIS_URL",
	                                           "redis://u:topsecret@x y"));
	assert_null(strstr(isg_error_last()->message, "topsecret"));
	isg_buf_dispose(&dump);
	isg_config_free(cfg);
}

static void test_config__allocation_failures_give_enomem_no_leak(void **state)
{
	char *dir = isg_test_mkdtemp(), path[600];
	const char *text = "REDIS_URL=redis://a:b@h:1/0\nDB_POOL_SIZE=3\n";
	const char *env[] = { "GITHUB_TOKEN=t0k", "LLM_MODEL=m", "HOME=/h",
		              NULL };
	isg_buf dump = ISG_BUF_INIT;
	long k, successes = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	isg_test_write_file(path, text, strlen(text));
	isg_test_alloc_install();
	for (k = 1; k < 10000; k++) {
		isg_config *cfg = NULL;
		int rc;

		isg_test_alloc_fail_at(k);
		cfg = load(env, path, &rc);
		if (rc == ISG_OK) {
			rc = isg_config_dump(&dump, cfg);
			isg_buf_dispose(&dump);
		}
		isg_config_free(cfg);
		if (rc == ISG_OK) {
			successes++;
			break;
		}
		ISG_ASSERT_RC(ISG_ENOMEM, rc);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_fail_at(0);
	assert_int_equal(isg_test_alloc_live(), 0);
	assert_true(k > 5);
	assert_int_equal(successes, 1);
	isg_test_alloc_uninstall();
	isg_test_rmtree(dir);
	free(dir);
}

static void test_config__every_key_is_documented(void **state)
{
	const char *root = isg_test_require_env("ISG_SOURCE_ROOT");
	char path[600];
	char *doc;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/configuration.md", root);
	doc = isg_test_read_file(path, NULL);
	assert_non_null(doc);
	assert_true(isg_config_key_count() >= 13);
	for (i = 0; i < isg_config_key_count(); i++) {
		char needle[128];

		snprintf(needle, sizeof(needle), "`%s`",
		         isg_config_key_name(i));
		if (!strstr(doc, needle))
			fail_msg(
			        "%s is not documented in docs/configuration.md",
			        isg_config_key_name(i));
		assert_non_null(isg_config_key_doc(isg_config_key_name(i)));
	}
	assert_null(isg_config_key_name(isg_config_key_count()));
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__defaults_then_file_then_env),
		cmocka_unit_test(test_config__malformed_values_name_the_key),
		cmocka_unit_test(test_config__file_errors_name_key_and_line),
		cmocka_unit_test(test_config__secrets_never_shown),
		cmocka_unit_test(
		        test_config__allocation_failures_give_enomem_no_leak),
		cmocka_unit_test(test_config__every_key_is_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
