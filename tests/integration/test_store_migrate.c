/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Migrations against a real PostgreSQL: from an empty database, re-run as
 * a no-op, two concurrent runs applying each migration once, and refusal
 * of an edited or unknown applied migration.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static isg_store *open_store(const isg_test_pg *db, int pool)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store *st = NULL;

	o.conninfo = db->conninfo;
	o.pool_size = pool;
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	return st;
}

static void test_store_migrate__empty_then_rerun_is_noop(void **state)
{
	isg_test_pg db;
	isg_store *st;
	int v = -1, latest = isg_store_schema_latest();
	long long applied_at;

	(void)state;
	isg_test_pg_create(&db);
	st = open_store(&db, 2);
	ISG_ASSERT_OK(isg_store_schema_version(&v, st));
	assert_int_equal(v, 0);
	ISG_ASSERT_OK(isg_store_migrate(&v, st));
	assert_int_equal(v, latest);
	ISG_ASSERT_OK(isg_store_schema_version(&v, st));
	assert_int_equal(v, latest);
	assert_int_equal(isg_test_pg_scalar(
	                         &db, "SELECT count(*) FROM schema_migrations"),
	                 latest);
	/* Every table of the ERD exists. */
	assert_int_equal(
	        isg_test_pg_scalar(
	                &db,
	                "SELECT count(*) FROM pg_tables WHERE tablename IN ('users', 'user_identities', 'projects', 'github_issues', 'tutorial_contents', 'tutorials', 'concepts', 'concept_relationships', 'project_concepts', 'tutorial_concepts')"),
	        10);
	applied_at = isg_test_pg_scalar(
	        &db,
	        "SELECT extract(epoch FROM max(applied_at)) * 1000000 FROM schema_migrations");
	ISG_ASSERT_OK(isg_store_migrate(&v, st));
	assert_int_equal(v, latest);
	assert_int_equal(isg_test_pg_scalar(
	                         &db, "SELECT count(*) FROM schema_migrations"),
	                 latest);
	assert_true(
	        isg_test_pg_scalar(
	                &db,
	                "SELECT extract(epoch FROM max(applied_at)) * 1000000 FROM schema_migrations") ==
	        applied_at);
	isg_store_free(st);
	isg_test_pg_drop(&db);
}

typedef struct run_arg {
	const isg_test_pg *db;
	int rc;
	int version;
} run_arg;

static void *migrate_thread(void *p)
{
	run_arg *a = p;
	isg_store *st = open_store(a->db, 1);

	a->rc = isg_store_migrate(&a->version, st);
	isg_store_free(st);
	return NULL;
}

static void test_store_migrate__concurrent_runs_apply_once(void **state)
{
	pthread_t th[4];
	run_arg args[4];
	isg_test_pg db;
	int i;

	(void)state;
	isg_test_pg_create(&db);
	for (i = 0; i < 4; i++) {
		args[i].db = &db;
		args[i].rc = -100;
		args[i].version = -1;
		assert_int_equal(
		        pthread_create(&th[i], NULL, migrate_thread, &args[i]),
		        0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++) {
		ISG_ASSERT_OK(args[i].rc);
		assert_int_equal(args[i].version, isg_store_schema_latest());
	}
	assert_int_equal(isg_test_pg_scalar(
	                         &db, "SELECT count(*) FROM schema_migrations"),
	                 isg_store_schema_latest());
	isg_test_pg_drop(&db);
}

static void test_store_migrate__edited_migration_is_refused(void **state)
{
	isg_test_pg db;
	isg_store *st;
	int v = -1;

	(void)state;
	isg_test_pg_create(&db);
	st = open_store(&db, 1);
	ISG_ASSERT_OK(isg_store_migrate(&v, st));
	assert_int_equal(
	        isg_test_pg_exec(
	                &db,
	                "UPDATE schema_migrations SET checksum = '0123456789abcdef' WHERE version = 1",
	                NULL),
	        0);
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_migrate(&v, st));
	assert_non_null(strstr(isg_error_last()->message, "0001_initial"));
	assert_non_null(strstr(isg_error_last()->message, "0123456789abcdef"));
	/* A version from a newer library is refused too. */
	assert_int_equal(
	        isg_test_pg_exec(
	                &db,
	                "UPDATE schema_migrations SET checksum = 'x'; DELETE FROM schema_migrations; INSERT INTO schema_migrations VALUES (9999, 'future', 'abc')",
	                NULL),
	        0);
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_migrate(&v, st));
	assert_non_null(strstr(isg_error_last()->message, "9999"));
	ISG_ASSERT_OK(isg_store_schema_version(&v, st));
	assert_int_equal(v, 9999);
	isg_store_free(st);
	isg_test_pg_drop(&db);
}

static void test_store_migrate__broken_sql_rolls_back(void **state)
{
	isg_test_pg db;
	isg_store *st;
	int v = -1;

	(void)state;
	isg_test_pg_create(&db);
	/* A table the migration wants to create already exists: the
	 * migration fails as a whole and records nothing. */
	assert_int_equal(
	        isg_test_pg_exec(&db, "CREATE TABLE concepts (x int)", NULL),
	        0);
	st = open_store(&db, 1);
	ISG_ASSERT_RC(ISG_EBACKEND, isg_store_migrate(&v, st));
	assert_non_null(strstr(isg_error_last()->message, "0001_initial"));
	assert_non_null(strstr(isg_error_last()->message, "rolled back"));
	assert_int_equal(isg_test_pg_scalar(
	                         &db, "SELECT count(*) FROM schema_migrations"),
	                 0);
	assert_int_equal(
	        isg_test_pg_scalar(
	                &db,
	                "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"),
	        0);
	isg_store_free(st);
	isg_test_pg_drop(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_migrate__empty_then_rerun_is_noop),
		cmocka_unit_test(
		        test_store_migrate__concurrent_runs_apply_once),
		cmocka_unit_test(
		        test_store_migrate__edited_migration_is_refused),
		cmocka_unit_test(test_store_migrate__broken_sql_rolls_back),
	};
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
