/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store under concurrency: create-or-get from 8 threads, the guarded
 * status machine, race-safe original requester, concurrent lease claims,
 * keyset pagination while rows arrive, a pool smaller than the thread
 * count, and the statement timeout.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_int.h"

#define NTHREADS 8

typedef isg_test_store_fixture fixture;

static int setup(void **state)
{
	isg_store_project p = ISG_STORE_PROJECT_INIT;

	p.gh_repo_id = 77;
	p.owner = "acme";
	p.name = "rocket";
	*state = isg_test_store_fixture_new(4, &p);
	return 0;
}

static int teardown(void **state)
{
	isg_test_store_fixture_free(*state);
	return 0;
}

static void make_issue(fixture *f, char out[ISG_STORE_ID_SIZE], long long id,
                       int number, const char *updated)
{
	isg_store_issue is = ISG_STORE_ISSUE_INIT;

	is.project_id = f->project;
	is.gh_issue_id = id;
	is.number = number;
	is.title = "t";
	is.state = "open";
	is.gh_updated_at = updated;
	ISG_ASSERT_OK(isg_store_issue_upsert(out, f->st, &is));
}

typedef struct worker {
	fixture *f;
	pthread_barrier_t *go;
	const char *arg;
	char user[ISG_STORE_ID_SIZE];
	int rc;
	isg_store_content_ref ref;
	isg_store_unlock unlock;
	isg_store_lease lease;
} worker;

static void *ensure_thread(void *p)
{
	worker *w = p;

	pthread_barrier_wait(w->go);
	w->rc = isg_store_content_ensure(&w->ref, w->f->st, w->arg);
	return NULL;
}

static void run_threads(worker *w, int n, void *(*fn)(void *))
{
	pthread_t th[32];
	int i;

	for (i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fn, &w[i]), 0);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

static void test_store_concurrency__ensure_from_8_threads(void **state)
{
	fixture *f = *state;
	char issue[ISG_STORE_ID_SIZE];
	worker w[NTHREADS];
	pthread_barrier_t go;
	int i, created = 0;

	make_issue(f, issue, 1, 1, NULL);
	pthread_barrier_init(&go, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].go = &go;
		w[i].arg = issue;
	}
	run_threads(w, NTHREADS, ensure_thread);
	for (i = 0; i < NTHREADS; i++) {
		ISG_ASSERT_OK(w[i].rc);
		assert_string_equal(w[i].ref.id, w[0].ref.id);
		assert_int_equal(w[i].ref.status, ISG_STORE_PENDING);
		created += w[i].ref.created;
	}
	assert_int_equal(created, 1);
	assert_int_equal(
	        isg_test_pg_scalar(&f->db,
	                           "SELECT count(*) FROM tutorial_contents"),
	        1);
	pthread_barrier_destroy(&go);
}

static void test_store_concurrency__status_guard(void **state)
{
	fixture *f = *state;
	char issue[ISG_STORE_ID_SIZE];
	isg_store_content_ref ref;
	isg_store_content c = { 0 };
	isg_store_completion done = ISG_STORE_COMPLETION_INIT;

	make_issue(f, issue, 2, 2, NULL);
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	/* FAILED -> PENDING is allowed; PENDING -> PENDING is not. */
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_content_retry(f->st, ref.id));
	assert_non_null(strstr(isg_error_last()->message, "PENDING"));
	ISG_ASSERT_OK(isg_store_content_fail(f->st, ref.id, "timeout", 5));
	ISG_ASSERT_OK(isg_store_content_retry(f->st, ref.id));
	/* A stale fence is refused. */
	done.bridge_json = "{\"schema_version\": 1}";
	done.engine = "offline";
	done.fence = 4;
	ISG_ASSERT_RC(ISG_ECONFLICT,
	              isg_store_content_complete(f->st, ref.id, &done));
	assert_non_null(strstr(isg_error_last()->message, "fence 4"));
	done.fence = 6;
	ISG_ASSERT_OK(isg_store_content_complete(f->st, ref.id, &done));
	/* COMPLETED -> PENDING refused; a late FAILED cannot overwrite. */
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_content_retry(f->st, ref.id));
	assert_non_null(strstr(isg_error_last()->message, "COMPLETED"));
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_content_fail(f->st, ref.id, "late", 7));
	assert_non_null(strstr(isg_error_last()->message, "COMPLETED"));
	assert_non_null(strstr(isg_error_last()->message, "FAILED"));
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_content_complete(f->st, ref.id, &done));
	ISG_ASSERT_OK(isg_store_content_get(&c, f->st, ref.id));
	assert_int_equal(c.status, ISG_STORE_COMPLETED);
	assert_string_equal(c.error.ptr, "timeout"); /* the earlier failure */
	assert_int_equal(c.attempts, 1);
	assert_true(c.fence == 6);
	assert_string_equal(c.engine, "offline");
	assert_non_null(strstr(c.bridge_json.ptr, "schema_version"));
	isg_store_content_dispose(&c);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_content_retry(
	                      f->st, "0f8fad5b-d9cb-469f-a165-70867728950e"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_content_get(&c, f->st, "'; DROP TABLE x; --"));
	isg_store_content_dispose(&c);
}

static void *unlock_thread(void *p)
{
	worker *w = p;

	pthread_barrier_wait(w->go);
	w->rc = isg_store_tutorial_unlock(&w->unlock, w->f->st, w->user,
	                                  w->arg);
	return NULL;
}

static void test_store_concurrency__one_original_requester(void **state)
{
	fixture *f = *state;
	char issue[ISG_STORE_ID_SIZE], email[64];
	isg_store_content_ref ref;
	worker w[NTHREADS];
	pthread_barrier_t go;
	int i, originals = 0;

	make_issue(f, issue, 3, 3, NULL);
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	pthread_barrier_init(&go, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].go = &go;
		w[i].arg = ref.id;
		snprintf(email, sizeof(email), "user%d@example.org", i);
		ISG_ASSERT_OK(
		        isg_store_user_upsert(w[i].user, f->st, email, NULL));
	}
	run_threads(w, NTHREADS, unlock_thread);
	for (i = 0; i < NTHREADS; i++) {
		ISG_ASSERT_OK(w[i].rc);
		assert_int_equal(w[i].unlock.created, 1);
		originals += w[i].unlock.is_original_requester;
	}
	assert_int_equal(originals, 1);
	assert_int_equal(
	        isg_test_pg_scalar(&f->db, "SELECT count(*) FROM tutorials"),
	        NTHREADS);
	pthread_barrier_destroy(&go);
}

static void *claim_thread(void *p)
{
	worker *w = p;

	pthread_barrier_wait(w->go);
	w->rc = isg_store_project_claim(&w->lease, w->f->st, w->user, 60);
	return NULL;
}

static void test_store_concurrency__claims_never_share(void **state)
{
	fixture *f = *state;
	char id[ISG_STORE_ID_SIZE];
	isg_store_project p = ISG_STORE_PROJECT_INIT;
	worker w[NTHREADS];
	pthread_barrier_t go;
	char name[32];
	int i, j, ok = 0;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "repo%d", i);
		p.gh_repo_id = 1000 + i;
		p.owner = "many";
		p.name = name;
		ISG_ASSERT_OK(isg_store_project_upsert(id, f->st, &p));
		ISG_ASSERT_OK(isg_store_project_set_tracked(f->st, id, 1));
	}
	pthread_barrier_init(&go, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].go = &go;
		snprintf(w[i].user, sizeof(w[i].user), "collector-%d", i);
	}
	run_threads(w, NTHREADS, claim_thread);
	for (i = 0; i < NTHREADS; i++) {
		if (w[i].rc == ISG_ENOTFOUND)
			continue;
		ISG_ASSERT_OK(w[i].rc);
		ok++;
		for (j = 0; j < i; j++)
			if (w[j].rc == ISG_OK)
				assert_string_not_equal(w[i].lease.project_id,
				                        w[j].lease.project_id);
	}
	assert_int_equal(ok, 5);
	pthread_barrier_destroy(&go);
}

/* Collects the numbers of one page into seen[]; returns the page size. */
static int read_page(fixture *f, const char *cursor, char *next, size_t n,
                     int *seen)
{
	isg_store_issue_filter flt = ISG_STORE_ISSUE_FILTER_INIT;
	isg_buf page = ISG_BUF_INIT;
	cJSON *doc, *items, *it, *nc;
	int count = 0;

	flt.cursor = cursor;
	flt.limit = 7;
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	doc = cJSON_Parse(page.ptr);
	assert_non_null(doc);
	items = cJSON_GetObjectItem(doc, "items");
	cJSON_ArrayForEach(it, items)
	{
		seen[cJSON_GetObjectItem(it, "number")->valueint]++;
		count++;
	}
	nc = cJSON_GetObjectItem(doc, "next_cursor");
	next[0] = '\0';
	if (cJSON_IsString(nc))
		snprintf(next, n, "%s", nc->valuestring);
	cJSON_Delete(doc);
	isg_buf_dispose(&page);
	return count;
}

static void test_store_concurrency__keyset_pages_while_inserting(void **state)
{
	fixture *f = *state;
	char id[ISG_STORE_ID_SIZE], ts[40], cursor[128], next[128];
	int seen[200] = { 0 }, i, pages = 0, total = 0, added = 0;

	/* 40 rows; several share a timestamp so the id breaks ties. */
	for (i = 1; i <= 40; i++) {
		snprintf(ts, sizeof(ts), "2024-01-01T00:%02d:00Z", i / 3);
		make_issue(f, id, 5000 + i, i, ts);
	}
	cursor[0] = '\0';
	do {
		total += read_page(f, cursor[0] ? cursor : NULL, next,
		                   sizeof(next), seen);
		pages++;
		/* Newer rows and rows with the same timestamp as existing
		 * ones arrive between pages. */
		snprintf(ts, sizeof(ts), "2025-01-01T00:00:%02dZ", pages);
		make_issue(f, id, 9000 + pages, 100 + pages, ts);
		make_issue(f, id, 9500 + pages, 150 + pages,
		           "2024-01-01T00:05:00Z");
		added += 2;
		snprintf(cursor, sizeof(cursor), "%s", next);
	} while (next[0] && pages < 50);
	for (i = 1; i <= 40; i++)
		assert_int_equal(seen[i], 1);
	for (i = 0; i < 200; i++)
		assert_true(seen[i] <= 1);
	assert_true(pages >= 6);
	assert_true(total >= 40);
	(void)added;
	{
		isg_store_issue_filter flt = ISG_STORE_ISSUE_FILTER_INIT;
		isg_buf page = ISG_BUF_INIT;
		flt.cursor = "c1'; DROP TABLE github_issues; --";
		ISG_ASSERT_RC(ISG_EINVALID,
		              isg_store_issues_list(&page, f->st, &flt));
		isg_buf_dispose(&page);
	}
}

typedef struct pool_arg {
	fixture *f;
	int n;
	int failures;
} pool_arg;

static void *pool_thread(void *p)
{
	pool_arg *a = p;
	isg_store_issue_info info = { 0 };
	int i;

	for (i = 0; i < 25; i++) {
		if (isg_store_ping(a->f->st) != ISG_OK)
			a->failures++;
		if (isg_store_issue_get(&info, a->f->st, "acme/rocket", a->n) !=
		            ISG_OK ||
		    info.number != a->n)
			a->failures++;
	}
	isg_store_issue_info_dispose(&info);
	return NULL;
}

static void test_store_concurrency__more_threads_than_connections(void **state)
{
	fixture *f = *state;
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store *small = NULL, *keep = f->st;
	char id[ISG_STORE_ID_SIZE];
	pthread_t th[16];
	pool_arg args[16];
	int i;

	for (i = 0; i < 16; i++)
		make_issue(f, id, 7000 + i, 700 + i, NULL);
	o.conninfo = f->db.conninfo;
	o.pool_size = 2;
	ISG_ASSERT_OK(isg_store_new(&small, &o));
	f->st = small;
	for (i = 0; i < 16; i++) {
		args[i].f = f;
		args[i].n = 700 + i;
		args[i].failures = 0;
		assert_int_equal(
		        pthread_create(&th[i], NULL, pool_thread, &args[i]), 0);
	}
	for (i = 0; i < 16; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 16; i++)
		assert_int_equal(args[i].failures, 0);
	/* Only two sessions were ever opened by the small pool. */
	assert_true(
	        isg_test_pg_scalar(
	                &f->db,
	                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'issuesight'") <=
	        2 + 4);
	f->st = keep;
	isg_store_free(small);
}

static void test_store_concurrency__statement_timeout(void **state)
{
	fixture *f = *state;
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store *st = NULL;

	o.conninfo = f->db.conninfo;
	o.pool_size = 1;
	o.statement_timeout_ms = 200;
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	ISG_ASSERT_RC(ISG_ETIMEOUT,
	              isg__store_exec_raw(st, "SELECT pg_sleep(3)"));
	assert_non_null(strstr(isg_error_last()->message, "57014"));
	/* The connection stays usable afterwards. */
	ISG_ASSERT_OK(isg_store_ping(st));
	isg_store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__ensure_from_8_threads, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__status_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__one_original_requester, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__claims_never_share, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__keyset_pages_while_inserting,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__more_threads_than_connections,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_concurrency__statement_timeout, setup,
		        teardown),
	};
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
