/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PostgreSQL restarted under a live pool: every pooled connection is dead
 * afterwards, and the next calls must succeed by reconnecting once.
 * Registered as non-parallel: it restarts the shared server.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

static void *ping_thread(void *p)
{
	isg_store *st = p;
	int rc = isg_store_ping(st);

	return (void *)(intptr_t)rc;
}

static void test_store_restart__next_call_after_restart_succeeds(void **state)
{
	const char *pg_ctl = isg_test_require_env("ISG_TEST_PG_CTL");
	char cmd[2048], id[ISG_STORE_ID_SIZE], again[ISG_STORE_ID_SIZE];
	isg_store_project p = ISG_STORE_PROJECT_INIT;
	isg_store_issue_info info = { 0 };
	pthread_t th[3];
	isg_test_pg db;
	isg_store *st;
	void *ret;
	int i, v = 0;

	(void)state;
	isg_test_pg_create(&db);
	st = isg_test_pg_store(&db, 3, 0);
	p.gh_repo_id = 42;
	p.owner = "restart";
	p.name = "me";
	ISG_ASSERT_OK(isg_store_project_upsert(id, st, &p));
	/* Open all three pooled connections. */
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, ping_thread, st),
		                 0);
	for (i = 0; i < 3; i++) {
		pthread_join(th[i], &ret);
		ISG_ASSERT_OK((int)(intptr_t)ret);
	}
	snprintf(cmd, sizeof(cmd), "%s restart -m fast >/dev/null 2>&1",
	         pg_ctl);
	assert_int_equal(system(cmd), 0);
	/* Each call below meets a dead connection first. */
	ISG_ASSERT_OK(isg_store_project_upsert(again, st, &p));
	assert_string_equal(again, id);
	ISG_ASSERT_OK(isg_store_project_find(again, st, "restart/me"));
	ISG_ASSERT_OK(isg_store_schema_version(&v, st));
	assert_int_equal(v, isg_store_schema_latest());
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_issue_get(&info, st, "restart/me", 1));
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, ping_thread, st),
		                 0);
	for (i = 0; i < 3; i++) {
		pthread_join(th[i], &ret);
		ISG_ASSERT_OK((int)(intptr_t)ret);
	}
	isg_store_issue_info_dispose(&info);
	isg_store_free(st);
	isg_test_pg_drop(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_store_restart__next_call_after_restart_succeeds),
	};
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	isg_test_require_env("ISG_TEST_PG_CTL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
