/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the store's pure logic: keyset cursors, SQLSTATE mapping,
 * migration checksums and the embedded migrations, option validation, and
 * connection errors that must not show the password.
 */
#include "isg_test.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"

static void test_store__cursor_round_trips(void **state)
{
	char cur[ISG__STORE_CURSOR_MAX], id[ISG_STORE_ID_SIZE];
	const char *uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
	const int64_t values[] = { 0, 1, 1714564800123456LL, -86400000000LL,
		                   INT64_MAX };
	int64_t usec;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		ISG_ASSERT_OK(isg__store_cursor_encode(cur, values[i], uuid));
		assert_int_equal(strlen(cur), 50);
		ISG_ASSERT_OK(isg__store_cursor_decode(&usec, id, cur));
		assert_true(usec == values[i]);
		assert_string_equal(id, uuid);
	}
	/* Upper-case ids come back lower-case, as PostgreSQL prints them. */
	ISG_ASSERT_OK(isg__store_cursor_encode(
	        cur, 5, "0F8FAD5B-D9CB-469F-A165-70867728950E"));
	ISG_ASSERT_OK(isg__store_cursor_decode(&usec, id, cur));
	assert_string_equal(id, uuid);
}

static void test_store__malformed_cursor_is_invalid(void **state)
{
	const char *bad[] = {
		"",
		"c1",
		"c2000000000000000000f8fad5bd9cb469fa16570867728950e",
		"c10000000000000000z0f8fad5bd9cb469fa16570867728950",
		"c1000000000000000000f8fad5bd9cb469fa16570867728950e0",
		"'); DROP TABLE users; --"
	};
	char id[ISG_STORE_ID_SIZE], cur[ISG__STORE_CURSOR_MAX];
	int64_t usec;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ISG_ASSERT_RC(ISG_EINVALID,
		              isg__store_cursor_decode(&usec, id, bad[i]));
		assert_non_null(strstr(isg_error_last()->message, "cursor"));
	}
	ISG_ASSERT_RC(ISG_EINVALID, isg__store_cursor_decode(&usec, id, NULL));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg__store_cursor_encode(cur, 1, "not-a-uuid"));
}

static void test_store__sqlstates_map_to_codes(void **state)
{
	(void)state;
	assert_int_equal(isg__store_map_sqlstate("23505", 0), ISG_ECONFLICT);
	assert_int_equal(isg__store_map_sqlstate("23514", 0), ISG_EINVALID);
	assert_int_equal(isg__store_map_sqlstate("23503", 0), ISG_EINVALID);
	assert_int_equal(isg__store_map_sqlstate("22P02", 0), ISG_EINVALID);
	assert_int_equal(isg__store_map_sqlstate("22007", 0), ISG_EINVALID);
	assert_int_equal(isg__store_map_sqlstate("57014", 0), ISG_ETIMEOUT);
	assert_int_equal(isg__store_map_sqlstate("08006", 0), ISG_EUNAVAILABLE);
	assert_int_equal(isg__store_map_sqlstate("57P01", 0), ISG_EUNAVAILABLE);
	assert_int_equal(isg__store_map_sqlstate("42P01", 0), ISG_EBACKEND);
	assert_int_equal(isg__store_map_sqlstate("40P01", 0), ISG_ECONFLICT);
	assert_int_equal(isg__store_map_sqlstate(NULL, 0), ISG_EBACKEND);
	assert_int_equal(isg__store_map_sqlstate("23505", 1), ISG_EUNAVAILABLE);
	assert_int_equal(isg__store_map_sqlstate("2350", 0), ISG_EBACKEND);
}

static void test_store__checksum_is_fnv1a64(void **state)
{
	char sum[17];

	(void)state;
	isg__store_checksum(sum, "", 0);
	assert_string_equal(sum, "cbf29ce484222325");
	isg__store_checksum(sum, "a", 1);
	assert_string_equal(sum, "af63dc4c8601ec8c");
	isg__store_checksum(sum, "foobar", 6);
	assert_string_equal(sum, "85944171f73967e8");
}

static void test_store__migrations_embedded_in_order(void **state)
{
	size_t i;

	(void)state;
	assert_true(isg__store_nmigrations >= 1);
	for (i = 0; i < isg__store_nmigrations; i++) {
		assert_int_equal(isg__store_migrations[i].version, (int)i + 1);
		assert_true(strlen(isg__store_migrations[i].name) > 0);
		assert_true(strstr(isg__store_migrations[i].sql, "CREATE") ||
		            strstr(isg__store_migrations[i].sql, "ALTER"));
	}
	assert_int_equal(isg_store_schema_latest(),
	                 (int)isg__store_nmigrations);
	assert_non_null(strstr(isg__store_migrations[0].sql,
	                       "CREATE TABLE tutorial_contents"));
}

static void test_store__options_are_validated(void **state)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store *st = (isg_store *)&o;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_new(&st, &o));
	assert_null(st);
	assert_non_null(strstr(isg_error_last()->message, "conninfo"));
	o.conninfo = "postgresql:///x";
	o.pool_size = 999;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_new(&st, &o));
	assert_non_null(strstr(isg_error_last()->message, "999"));
	o.pool_size = 2;
	o.version = 7;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_new(&st, &o));
	assert_non_null(strstr(isg_error_last()->message, "version"));
	o.version = ISG_STORE_OPTIONS_VERSION;
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	isg_store_free(st);
	isg_store_free(NULL);
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_new(NULL, &o));
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_ping(NULL));
}

static void test_store__unreachable_server_hides_password(void **state)
{
	const char *env[] = {
		"DATABASE_URL=postgresql://app:hunter2secret@127.0.0.1:1/db",
		"DB_CONNECT_TIMEOUT_S=2", NULL
	};
	isg_config_options co = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	isg_store *st = NULL;
	int v = -1;

	(void)state;
	co.env = env;
	ISG_ASSERT_OK(isg_config_new(&cfg, &co));
	ISG_ASSERT_OK(isg_store_new_from_config(&st, cfg));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_store_ping(st));
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	assert_non_null(strstr(isg_error_last()->message, "connect"));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_store_migrate(&v, st));
	assert_int_equal(v, 0);
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	isg_store_free(st);
	isg_config_free(cfg);
}

static void test_store__bad_arguments_name_the_field(void **state)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store_issue_filter f = ISG_STORE_ISSUE_FILTER_INIT;
	isg_store_issue is;
	isg_buf out = ISG_BUF_INIT;
	char id[ISG_STORE_ID_SIZE];
	isg_store *st = NULL;

	(void)state;
	o.conninfo = "postgresql://127.0.0.1:1/none";
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	is = (isg_store_issue)ISG_STORE_ISSUE_INIT;
	is.project_id = "nope";
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issue_upsert(id, st, &is));
	assert_non_null(strstr(isg_error_last()->message, "project_id"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_concept_upsert(id, st, "Bad Slug", "x", ""));
	assert_non_null(strstr(isg_error_last()->message, "Bad Slug"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_concept_link(st, "a", "a"));
	f.limit = 1000;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issues_list(&out, st, &f));
	f.limit = 10;
	f.difficulty = "easy";
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issues_list(&out, st, &f));
	assert_non_null(strstr(isg_error_last()->message, "easy"));
	ISG_ASSERT_RC(
	        ISG_EINVALID,
	        isg_store_issue_set_difficulty(
	                st, "0f8fad5b-d9cb-469f-a165-70867728950e", "hard", 1));
	assert_string_equal(isg_store_status_name(ISG_STORE_FAILED), "FAILED");
	assert_string_equal(isg_store_status_name(42), "UNKNOWN");
	isg_buf_dispose(&out);
	isg_store_free(st);
}

/* Structs the caller fills carry a version: 0 (a zeroed struct) and the
 * current one are accepted, a newer one is refused by name before any
 * query. */
static void test_store__filled_structs_check_their_version(void **state)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store_project p = ISG_STORE_PROJECT_INIT;
	isg_store_issue is = ISG_STORE_ISSUE_INIT;
	isg_store_completion c = ISG_STORE_COMPLETION_INIT;
	char id[ISG_STORE_ID_SIZE];
	isg_store *st = NULL;

	(void)state;
	assert_int_equal(p.version, ISG_STORE_PROJECT_VERSION);
	assert_int_equal(is.version, ISG_STORE_ISSUE_VERSION);
	assert_int_equal(c.version, ISG_STORE_COMPLETION_VERSION);
	o.conninfo = "postgresql://127.0.0.1:1/none";
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	p.version = ISG_STORE_PROJECT_VERSION + 1;
	p.gh_repo_id = 1;
	p.owner = p.name = "x";
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_project_upsert(id, st, &p));
	assert_string_equal(
	        isg_error_last()->message,
	        "isg_store_project.version 2 is newer than this library's 1");
	is.version = 7;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issue_upsert(id, st, &is));
	assert_non_null(
	        strstr(isg_error_last()->message, "isg_store_issue.version 7"));
	c.version = 3;
	c.bridge_json = "{}";
	c.engine = "offline";
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_content_complete(
	                      st, "0f8fad5b-d9cb-469f-a165-70867728950e", &c));
	assert_non_null(strstr(isg_error_last()->message,
	                       "isg_store_completion.version 3"));
	/* A zeroed struct (version 0) passes the version check and fails on
	 * its first missing field instead. */
	is = (isg_store_issue){ 0 };
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issue_upsert(id, st, &is));
	assert_null(strstr(isg_error_last()->message, "version"));
	isg_store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__cursor_round_trips),
		cmocka_unit_test(test_store__malformed_cursor_is_invalid),
		cmocka_unit_test(test_store__sqlstates_map_to_codes),
		cmocka_unit_test(test_store__checksum_is_fnv1a64),
		cmocka_unit_test(test_store__migrations_embedded_in_order),
		cmocka_unit_test(test_store__options_are_validated),
		cmocka_unit_test(test_store__unreachable_server_hides_password),
		cmocka_unit_test(test_store__bad_arguments_name_the_field),
		cmocka_unit_test(
		        test_store__filled_structs_check_their_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
