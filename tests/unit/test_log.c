/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core_int.h"

static void expect_redacted(const char *in, const char *want)
{
	isg_buf b = ISG_BUF_INIT;

	ISG_ASSERT_OK(isg_log_redact(&b, in));
	if (strcmp(b.ptr, want) != 0)
		fail_msg("redact(%s)\n  got  %s\n  want %s", in, b.ptr, want);
	isg_buf_dispose(&b);
}

static void test_log__redacts_credentials(void **state)
{
	(void)state;
	expect_redacted("postgresql://app:hunter2@db:5432/x?sslmode=off",
	                "postgresql://app:***@db:5432/x?sslmode=off");
	expect_redacted("redis://:pw@127.0.0.1:6379/0",
	                "redis://:***@127.0.0.1:6379/0");
	expect_redacted("mongodb://u@h/ and http://h/p",
	                "mongodb://u@h/ and http://h/p");
	expect_redacted("Authorization: Bearer abc.def\nnext",
	                "Authorization: ***\nnext");
	expect_redacted("using bearer ghx123 now", "using bearer *** now");
	expect_redacted("tok ghp_0123456789abcdefXYZ end", "tok *** end");
	expect_redacted("key sk-proj-abcdefghijkl", "key ***");
	expect_redacted("GITHUB_TOKEN=abc password=p&x=1 client_secret: s3",
	                "GITHUB_TOKEN=*** password=***&x=1 client_secret: ***");
	expect_redacted("{\"access_token\":\"v\",\"n\":1}",
	                "{\"access_token\":\"***\",\"n\":1}");
	expect_redacted("tokens are fine; monkey=1",
	                "tokens are fine; monkey=1");
	expect_redacted("", "");
	/* Mistyped schemes, passwords holding '@', tokens as user names. */
	expect_redacted("postgresql:/app:hunter2@db/x",
	                "postgresql:/app:***@db/x");
	expect_redacted("postgres//app:hunter2@db/x", "postgres//app:***@db/x");
	expect_redacted("DATABASE_URL='app:hunter2@db' bad",
	                "DATABASE_URL='app:***@db' bad");
	expect_redacted("https://u:p@ss@host/x", "https://u:***@host/x");
	expect_redacted("https://0123456789abcdefXYZ0@github.com/o/r",
	                "https://***@github.com/o/r");
	expect_redacted("fatal: unable to access 'https://u:s3cr3t@h/r/': x",
	                "fatal: unable to access 'https://u:***@h/r/': x");
	expect_redacted("git@github.com:o/r.git and mail bob@example.com",
	                "git@github.com:o/r.git and mail bob@example.com");
	expect_redacted("at 10:30 bob@example.com", "at 10:30 bob@example.com");
}

static void test_log__error_messages_are_redacted(void **state)
{
	(void)state;
	isg__error_set(
	        ISG_EUPSTREAM, "repo",
	        "git clone of 'https://u:hunter2@h/r' failed: password=abc ghp_0123456789abcdefXYZ");
	assert_string_equal(
	        isg_error_last()->message,
	        "git clone of 'https://u:***@h/r' failed: password=*** ***");
}

typedef struct capture {
	int calls;
	int level;
	char module[32];
	char message[512];
	char field[256];
} capture;

static void capture_cb(int level, const char *module, const char *message,
                       const isg_log_field *fields, size_t nfields,
                       void *payload)
{
	capture *c = payload;

	c->calls++;
	c->level = level;
	snprintf(c->module, sizeof(c->module), "%s", module);
	snprintf(c->message, sizeof(c->message), "%s", message);
	c->field[0] = '\0';
	if (nfields)
		snprintf(c->field, sizeof(c->field), "%s=%s", fields[0].key,
		         fields[0].value);
}

static void test_log__callback_gets_redacted_records_above_level(void **state)
{
	capture c = { 0 };
	isg_log_field f = { "url", "redis://u:secret@h/0" };

	(void)state;
	isg_log_set_callback(capture_cb, ISG_LOG_INFO, &c);
	isg__log_write(ISG_LOG_DEBUG, "x", NULL, 0, "dropped");
	assert_int_equal(c.calls, 0);
	isg__error_set(ISG_ENOTFOUND, "keep", "keep me");
	isg__log_write(ISG_LOG_WARN, "store", &f, 1, "connect %s failed",
	               "postgres://a:b@c/d");
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.level, ISG_LOG_WARN);
	assert_string_equal(c.module, "store");
	assert_string_equal(c.message, "connect postgres://a:***@c/d failed");
	assert_string_equal(c.field, "url=redis://u:***@h/0");
	/* Logging does not clobber the caller's error. */
	assert_int_equal(isg_error_last()->code, ISG_ENOTFOUND);
	assert_string_equal(isg_error_last()->message, "keep me");
	isg_log_set_callback(NULL, ISG_LOG_TRACE, NULL);
	isg__log_write(ISG_LOG_ERROR, "x", NULL, 0, "nobody listens");
	assert_int_equal(c.calls, 1);
}

static void test_log__json_line_is_valid_json(void **state)
{
	isg_buf line = ISG_BUF_INIT;
	isg_log_field f[2] = { { "k\"ey", "v\nal\xff" }, { "n", "1" } };
	cJSON *doc;

	(void)state;
	ISG_ASSERT_OK(isg_log_format_json(&line, ISG_LOG_ERROR, "m", "a \"b\"",
	                                  f, 2));
	assert_true(line.size > 0 && line.ptr[line.size - 1] == '\n');
	doc = cJSON_Parse(line.ptr);
	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(doc, "level")->valuestring,
	                    "error");
	assert_string_equal(cJSON_GetObjectItem(doc, "msg")->valuestring,
	                    "a \"b\"");
	assert_string_equal(cJSON_GetObjectItem(doc, "k\"ey")->valuestring,
	                    "v\nal\xEF\xBF\xBD");
	assert_non_null(cJSON_GetObjectItem(doc, "ts"));
	cJSON_Delete(doc);
	isg_buf_dispose(&line);
}

static void test_log__level_names_round_trip(void **state)
{
	int lvl, i;

	(void)state;
	for (i = ISG_LOG_TRACE; i <= ISG_LOG_OFF; i++) {
		ISG_ASSERT_OK(isg_log_level_parse(&lvl, isg_log_level_name(i)));
		assert_int_equal(lvl, i);
	}
	ISG_ASSERT_OK(isg_log_level_parse(&lvl, "WARNING"));
	assert_int_equal(lvl, ISG_LOG_WARN);
	ISG_ASSERT_RC(ISG_EINVALID, isg_log_level_parse(&lvl, "chatty"));
	assert_string_equal(isg_log_level_name(99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log__redacts_credentials),
		cmocka_unit_test(test_log__error_messages_are_redacted),
		cmocka_unit_test(
		        test_log__callback_gets_redacted_records_above_level),
		cmocka_unit_test(test_log__json_line_is_valid_json),
		cmocka_unit_test(test_log__level_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
