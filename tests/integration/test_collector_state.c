/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's polling state against the fake GitHub, a fresh
 * PostgreSQL database and Redis with a unique prefix per test: which
 * projects are due (isg_store_project_claim_due()), a sync recorded
 * without a lease (isg_store_project_record_sync(), `issuesight sync`),
 * ETags shared through Redis by two collectors and across a restart, and
 * a Redis that lost its memory (PostgreSQL is the record).
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector_env.h"
#include "fake_github.h"
#include "redis_int.h"
#include "test_pg.h"

/* One collector with its own GitHub client, as another process has. */
typedef struct member {
	isg_github *gh;
	isg_collector *c;
} member;

typedef struct env {
	collector_env b;
} env;

static const char *redis_url;

static void setup(env *e, int issues, int comments)
{
	fake_github_options fo;

	memset(e, 0, sizeof(*e));
	memset(&fo, 0, sizeof(fo));
	fo.issues = issues;
	fo.pulls = issues / 10;
	fo.comments = comments;
	collector_env_start(&e->b, &fo, "cst");
}

/* A collector polling every second; `stream` 0 makes a plain syncer. */
static void join(member *m, env *e, const char *name, int stream)
{
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;

	memset(m, 0, sizeof(*m));
	go.base_url = fake_github_url(e->b.fg);
	ISG_ASSERT_OK(isg_github_new(&m->gh, &go));
	co.store = e->b.st;
	co.github = m->gh;
	co.stream = stream ? e->b.s : NULL;
	co.name = name;
	co.block_ms = 50;
	co.poll_interval_s = 1;
	ISG_ASSERT_OK(isg_collector_new(&m->c, &co));
}

static void leave(member *m)
{
	isg_collector_free(m->c);
	isg_github_free(m->gh);
	memset(m, 0, sizeof(*m));
}

static void teardown(env *e)
{
	collector_env_stop(&e->b);
}

static long long sql(env *e, const char *q)
{
	return isg_test_pg_scalar(&e->b.db, q);
}

/* Runs a Redis command on a fresh connection; returns the integer reply
 * (or the number of elements of an array reply). */
static long long redis(const char *a0, const char *a1)
{
	isg__redis *r = NULL;
	redisReply *rep = NULL;
	const char *argv[2] = { a0, a1 };
	long long v;

	ISG_ASSERT_OK(isg__redis_new(&r, redis_url, "test", 0, 0));
	ISG_ASSERT_OK(isg__redis_command(&rep, r, 2, argv, NULL, 1, 0));
	v = rep->type == REDIS_REPLY_INTEGER ? rep->integer
	                                     : (long long)rep->elements;
	freeReplyObject(rep);
	isg__redis_free(r);
	return v;
}

static void etags_key(char *out, size_t n, env *e)
{
	snprintf(out, n, "%sgh:etags:%s:octo-org/hello-world", e->b.prefix,
	         fake_github_url(e->b.fg));
}

static void test_collector_state__claim_due_respects_interval(void **state)
{
	isg_store_project p;
	isg_store_lease l;
	char id[ISG_STORE_ID_SIZE], now[32];
	env e;

	(void)state;
	setup(&e, 5, 5);
	p = (isg_store_project)ISG_STORE_PROJECT_INIT;
	p.gh_repo_id = 42;
	p.owner = "o";
	p.name = "r";
	ISG_ASSERT_OK(isg_store_project_upsert(id, e.b.st, &p));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_claim_due(&l, e.b.st, "a", 60, 300));
	ISG_ASSERT_OK(isg_store_project_set_tracked(e.b.st, id, 1));
	/* Never synced: due whatever the interval. */
	ISG_ASSERT_OK(isg_store_project_claim_due(&l, e.b.st, "a", 60, 300));
	assert_string_equal(l.project_id, id);
	assert_string_equal(l.last_synced_at, "");
	assert_string_equal(l.sync_since, "");
	assert_string_equal(l.sync_since_next, "");
	/* Leased: not due for anyone. */
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_claim_due(&l, e.b.st, "b", 60, 0));
	/* Recorded without the lease (epoch seconds), then released. */
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	ISG_ASSERT_OK(isg_store_project_record_sync(e.b.st, id, now,
	                                            "2020-01-01T00:00:00Z",
	                                            "2020-01-02T03:04:05Z"));
	ISG_ASSERT_OK(isg_store_project_release(e.b.st, id, "a", NULL));
	/* Synced just now: not due with an interval, due without. */
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_claim_due(&l, e.b.st, "a", 60, 300));
	ISG_ASSERT_OK(isg_store_project_claim_due(&l, e.b.st, "a", 1, 0));
	assert_int_equal(strlen(l.last_synced_at), 20);
	assert_string_equal(l.sync_since, "2020-01-01T00:00:00Z");
	assert_string_equal(l.sync_since_next, "2020-01-02T03:04:05Z");
	/* An expired lease (its collector died) is due at once. */
	collector_env_sleep_ms(1200);
	ISG_ASSERT_OK(isg_store_project_claim_due(&l, e.b.st, "b", 60, 300));
	assert_string_equal(l.project_id, id);
	/* Bad arguments name the value. */
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_project_claim_due(&l, e.b.st, "b", 60, -1));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_project_record_sync(e.b.st, id, "yesterday-ish",
	                                            NULL, NULL));
	assert_non_null(strstr(isg_error_last()->message, "yesterday-ish"));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_record_sync(
	                      e.b.st, "00000000-0000-0000-0000-000000000000",
	                      "1700000000", NULL, NULL));
	teardown(&e);
}

static void
test_collector_state__recorded_sync_is_where_polling_starts(void **state)
{
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_collector_round r;
	member cli, col;
	env e;

	(void)state;
	setup(&e, 250, 500);
	/* `issuesight sync` without Redis: a full sync, recorded. */
	join(&cli, &e, "cli", 0);
	so.record = 1;
	ISG_ASSERT_OK(isg_collector_sync(NULL, cli.c, "octo-org", "hello-world",
	                                 &so));
	leave(&cli);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE last_synced_at IS NOT NULL AND sync_since = last_synced_at AND sync_since_next IS NULL"),
	        1);
	/* A sync with `since` leaves the record alone. */
	isg_test_pg_exec(&e.b.db, "UPDATE projects SET sync_since = NULL",
	                 NULL);
	join(&cli, &e, "cli", 0);
	so.since = "2000-01-01T00:00:00Z";
	ISG_ASSERT_OK(isg_collector_sync(NULL, cli.c, "octo-org", "hello-world",
	                                 &so));
	leave(&cli);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_since IS NULL"),
	        1);
	isg_test_pg_exec(
	        &e.b.db,
	        "UPDATE projects SET sync_since = last_synced_at, tracked = true, last_synced_at = last_synced_at - interval '1 minute'",
	        NULL);
	/* The first poll lists only what changed since: one page each. */
	join(&col, &e, "col", 1);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, col.c));
	assert_int_equal(r.projects_polled, 1);
	assert_int_equal(fake_github_count(e.b.fg, NULL, -1), 3);
	assert_int_equal(fake_github_count(e.b.fg, "issues", -1), 1);
	assert_int_equal(fake_github_count(e.b.fg, "repo_comments", -1), 1);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 250);
	leave(&col);
	teardown(&e);
}

static void test_collector_state__etags_shared_by_collectors(void **state)
{
	isg_collector_round r;
	member a, b;
	char key[400];
	long long total;
	env e;

	(void)state;
	setup(&e, 250, 500);
	join(&a, &e, "a", 1);
	ISG_ASSERT_OK(
	        isg_collector_track(NULL, a.c, "octo-org", "hello-world", 1));
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	assert_int_equal(r.projects_polled, 1);
	/* (The repository was fetched by track: its request is a 304.) */
	assert_int_equal(fake_github_count(e.b.fg, NULL, -1), 1 + 3 + 5);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 200), 3 + 5);
	/* The ETags of the next poll's URLs are in Redis. */
	etags_key(key, sizeof(key), &e);
	assert_int_equal(redis("HLEN", key), 1 + 1 + 3 + 5);
	assert_true(redis("TTL", key) > 0);
	/* Another collector with a fresh client (or this one restarted)
	 * polls the unchanged project: only 304s. */
	join(&b, &e, "b", 1);
	leave(&a);
	collector_env_sleep_ms(1100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, b.c));
	assert_int_equal(r.projects_polled, 1);
	total = fake_github_count(e.b.fg, NULL, -1);
	assert_int_equal(total, 1 + 3 + 5);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304), total);
	assert_int_equal(r.contexts, 0);
	/* The state moved on in PostgreSQL: the next listing is by `since`,
	 * and the hash now holds that poll's URLs only. */
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_since IS NOT NULL AND sync_since_next IS NULL"),
	        1);
	leave(&b);
	/* A third one, restarted, again after the interval: since-listing
	 * first (200, one page each), then 304s. */
	join(&a, &e, "a", 1);
	collector_env_sleep_ms(1100);
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	leave(&a);
	join(&a, &e, "a", 1);
	collector_env_sleep_ms(1100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	assert_int_equal(r.projects_polled, 1);
	assert_int_equal(fake_github_count(e.b.fg, NULL, -1), 3);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304), 3);
	assert_int_equal(redis("HLEN", key), 1 + 1 + 1 + 1);
	leave(&a);
	teardown(&e);
}

static void test_collector_state__redis_loss_loses_nothing(void **state)
{
	isg_collector_round r;
	member a;
	char key[400];
	int64_t cid;
	env e;

	(void)state;
	setup(&e, 120, 200);
	join(&a, &e, "a", 1);
	ISG_ASSERT_OK(
	        isg_collector_track(NULL, a.c, "octo-org", "hello-world", 1));
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	leave(&a);
	/* Redis forgets everything of this test; GitHub changes meanwhile. */
	etags_key(key, sizeof(key), &e);
	assert_int_equal(redis("DEL", key), 1);
	assert_int_equal(fake_github_edit_issue(e.b.fg, 9, "Edited", NULL), 0);
	cid = fake_github_add_comment(e.b.fg, 11, "after the loss");
	assert_true(cid > 0);
	join(&a, &e, "a", 1);
	collector_env_sleep_ms(1100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	assert_int_equal(r.projects_polled, 1);
	/* No ETags: answers are 200, and the changes are archived. */
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304), 0);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE issue_number = 9 AND title = 'Edited'"),
	        1);
	{
		char q[300];

		snprintf(
		        q, sizeof(q),
		        "SELECT count(*) FROM github_issues, jsonb_array_elements(raw_data->'comments') c WHERE issue_number = 11 AND (c->>'id')::bigint = %lld",
		        (long long)cid);
		assert_int_equal(sql(&e, q), 1);
	}
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 120);
	/* ETags from another archive state are not trusted: a hash stamped
	 * with another sync time is ignored. */
	{
		isg__redis *rr = NULL;
		redisReply *rep = NULL;
		const char *argv[4] = { "HSET", key, "_synced_at",
			                "1999-01-01T00:00:00Z" };

		ISG_ASSERT_OK(isg__redis_new(&rr, redis_url, "test", 0, 0));
		ISG_ASSERT_OK(
		        isg__redis_command(&rep, rr, 4, argv, NULL, 1, 0));
		freeReplyObject(rep);
		isg__redis_free(rr);
	}
	leave(&a);
	join(&a, &e, "a", 1);
	collector_env_sleep_ms(1100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, a.c));
	assert_int_equal(r.projects_polled, 1);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304), 0);
	leave(&a);
	teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_collector_state__claim_due_respects_interval),
		cmocka_unit_test(
		        test_collector_state__recorded_sync_is_where_polling_starts),
		cmocka_unit_test(
		        test_collector_state__etags_shared_by_collectors),
		cmocka_unit_test(
		        test_collector_state__redis_loss_loses_nothing),
	};

	redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
