/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cache-aside reader against real PostgreSQL and Redis: a miss reads
 * the store then the caches, bytes and ETag as stored, negative caching,
 * 200 concurrent cold reads making one database read, invalidation through
 * pub/sub between two readers, Redis down (store fallback, counted as
 * degraded) and PostgreSQL down (cached bridges served, misses 503).
 * Also built with ThreadSanitizer by scripts/test.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "issuesight/reader.h"
#include "core_int.h"
#include "store_int.h"

#define BRIDGE "{\"schema_version\": 1, \"verdict\": {\"x\": 1}}"

typedef struct fx {
	isg_test_store_fixture *f;
	char repo[64];
	char content[ISG_STORE_ID_SIZE];
} fx;

static int setup(void **state)
{
	isg_store_project p = { 0 };
	fx *x = calloc(1, sizeof(*x));

	isg_test_unique_name(x->repo, sizeof(x->repo), "rd");
	p.gh_repo_id = 91;
	p.owner = "acme";
	p.name = x->repo;
	x->f = isg_test_store_fixture_new(4, &p);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	fx *x = *state;

	isg_test_store_fixture_free(x->f);
	free(x);
	return 0;
}

/* Issue `number` with a content row; completed when `bridge` is set. */
static void make_bridge(fx *x, int number, const char *bridge)
{
	isg_store_issue is = { 0 };
	isg_store_content_ref ref;
	isg_store_completion c = { 0 };
	char id[ISG_STORE_ID_SIZE];

	is.project_id = x->f->project;
	is.gh_issue_id = 1000 + number;
	is.number = number;
	is.title = "t";
	is.state = "open";
	ISG_ASSERT_OK(isg_store_issue_upsert(id, x->f->st, &is));
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, x->f->st, id));
	snprintf(x->content, sizeof(x->content), "%s", ref.id);
	if (!bridge)
		return;
	c.bridge_json = bridge;
	c.engine = "offline";
	ISG_ASSERT_OK(isg_store_content_complete(x->f->st, ref.id, &c));
}

static isg_reader *reader_on(isg_store *st, const char *redis_url)
{
	isg_reader_options o = ISG_READER_OPTIONS_INIT;
	isg_reader *r = NULL;

	o.store = st;
	o.redis_url = redis_url;
	o.connect_timeout_ms = 300;
	ISG_ASSERT_OK(isg_reader_new(&r, &o));
	return r;
}

static void wait_subscribed(isg_reader *r)
{
	isg_reader_stats s;
	int i;

	for (i = 0; i < 100; i++) {
		ISG_ASSERT_OK(isg_reader_stats_get(&s, r));
		if (s.subscribed)
			return;
		isg__clock_sleep_ms(50);
	}
	fail_msg("the reader never subscribed");
}

static isg_reader_stats stats(isg_reader *r)
{
	isg_reader_stats s;

	ISG_ASSERT_OK(isg_reader_stats_get(&s, r));
	return s;
}

static void test_reader__key_is_canonical_and_checked(void **state)
{
	char key[ISG_READER_KEY_SIZE];

	(void)state;
	ISG_ASSERT_OK(isg_reader_key(key, "Acme", "Rocket.js", 12));
	assert_string_equal(key, "is:bridge:acme/rocket.js#12");
	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_key(key, "-acme", "r", 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_key(key, "acme", "..", 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_key(key, "acme", "a/b", 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_key(key, "acme", "r", 0));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_reader_key(key, "acme", "r", 2147483648ll));
}

static void test_reader__miss_reads_store_then_cache(void **state)
{
	fx *x = *state;
	isg_reader *r =
	        reader_on(x->f->st, isg_test_require_env("ISG_TEST_REDIS_URL"));
	const isg_reader_bridge *b = NULL, *b2 = NULL;
	isg_store_content c;
	isg_reader_stats s;

	make_bridge(x, 1, BRIDGE);
	memset(&c, 0, sizeof(c));
	ISG_ASSERT_OK(isg_store_content_get(&c, x->f->st, x->content));
	wait_subscribed(r);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 1));
	assert_int_equal(b->status, ISG_STORE_COMPLETED);
	/* The bytes are the store's, untouched. */
	assert_int_equal(b->len, c.bridge_json.size);
	assert_memory_equal(b->body, c.bridge_json.ptr, b->len);
	assert_int_equal(strlen(b->etag), 18);
	assert_int_equal(b->etag[0], '"');
	s = stats(r);
	assert_int_equal(s.store_reads, 1);
	ISG_ASSERT_OK(isg_reader_get(&b2, r, "ACME", x->repo, 1));
	assert_ptr_equal(b, b2); /* the memory tier's shared entry */
	s = stats(r);
	assert_int_equal(s.store_reads, 1);
	assert_int_equal(s.memory_hits, 1);
	assert_int_equal(s.memory_entries, 1);
	isg_reader_release(b);
	isg_reader_release(b2);
	isg_reader_free(r);
	/* A fresh reader finds it in Redis, same bytes, same ETag. */
	r = reader_on(x->f->st, isg_test_require_env("ISG_TEST_REDIS_URL"));
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 1));
	assert_int_equal(stats(r).redis_hits, 1);
	assert_int_equal(stats(r).store_reads, 0);
	assert_int_equal(b->len, c.bridge_json.size);
	assert_memory_equal(b->body, c.bridge_json.ptr, b->len);
	isg_reader_release(b);
	isg_reader_free(r);
	isg_store_content_dispose(&c);
}

static void test_reader__not_found_and_pending_are_cached_briefly(void **state)
{
	fx *x = *state;
	isg_reader *r =
	        reader_on(x->f->st, isg_test_require_env("ISG_TEST_REDIS_URL"));
	const isg_reader_bridge *b = NULL;

	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_reader_get(&b, r, "acme", x->repo, 7));
	assert_null(b);
	assert_non_null(strstr(isg_error_last()->message, "#7"));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_reader_get(&b, r, "acme", x->repo, 7));
	assert_int_equal(stats(r).store_reads, 1);
	/* A PENDING row appears; invalidation makes it visible at once. */
	make_bridge(x, 7, NULL);
	ISG_ASSERT_OK(isg_reader_invalidate(r, "acme", x->repo, 7));
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 7));
	assert_int_equal(b->status, ISG_STORE_PENDING);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->etag, "");
	isg_reader_release(b);
	/* FAILED carries its reason. */
	ISG_ASSERT_OK(isg_store_content_fail(x->f->st, x->content,
	                                     "repository too large", 0));
	ISG_ASSERT_OK(isg_reader_invalidate(r, "acme", x->repo, 7));
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 7));
	assert_int_equal(b->status, ISG_STORE_FAILED);
	assert_string_equal(b->body, "repository too large");
	isg_reader_release(b);
	isg_reader_free(r);
}

typedef struct getter {
	isg_reader *r;
	const char *repo;
	pthread_barrier_t *go;
	int rc;
	size_t len;
} getter;

static void *get_thread(void *p)
{
	getter *g = p;
	const isg_reader_bridge *b = NULL;

	pthread_barrier_wait(g->go);
	g->rc = isg_reader_get(&b, g->r, "acme", g->repo, 2);
	if (b)
		g->len = b->len;
	isg_reader_release(b);
	return NULL;
}

static void test_reader__concurrent_cold_reads_make_one_db_read(void **state)
{
	enum { N = 200 };
	fx *x = *state;
	isg_reader_options o = ISG_READER_OPTIONS_INIT;
	isg_reader *r = NULL;
	pthread_t th[N];
	getter g[N];
	pthread_barrier_t go;
	isg_reader_stats s;
	int i;

	make_bridge(x, 2, BRIDGE);
	o.store = x->f->st;
	o.redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	o.redis_pool_size = 8;
	ISG_ASSERT_OK(isg_reader_new(&r, &o));
	pthread_barrier_init(&go, NULL, N);
	for (i = 0; i < N; i++) {
		g[i].r = r;
		g[i].repo = x->repo;
		g[i].go = &go;
		assert_int_equal(
		        pthread_create(&th[i], NULL, get_thread, &g[i]), 0);
	}
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (i = 0; i < N; i++) {
		assert_int_equal(g[i].rc, ISG_OK);
		assert_int_equal(g[i].len, g[0].len);
	}
	s = stats(r);
	/* Callers that arrive after the load landed hit a cache instead;
	 * none may reach the database a second time. */
	assert_int_equal(s.store_reads, 1);
	assert_int_equal(
	        s.store_reads + s.redis_hits + s.memory_hits + s.coalesced, N);
	isg_reader_free(r);
}

static void test_reader__invalidation_reaches_other_readers(void **state)
{
	fx *x = *state;
	const char *url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_reader *a = reader_on(x->f->st, url), *b = reader_on(x->f->st, url);
	const isg_reader_bridge *v = NULL;
	char sql[512];
	int i;

	make_bridge(x, 3, BRIDGE);
	wait_subscribed(a);
	wait_subscribed(b);
	ISG_ASSERT_OK(isg_reader_get(&v, a, "acme", x->repo, 3));
	isg_reader_release(v);
	assert_int_equal(stats(a).memory_entries, 1);
	/* The record changes behind the caches (as a regeneration would). */
	snprintf(
	        sql, sizeof(sql),
	        "UPDATE tutorial_contents SET bridge = '{\"v\": 2}' WHERE id = '%s'",
	        x->content);
	ISG_ASSERT_OK(isg__store_exec_raw(x->f->st, sql));
	ISG_ASSERT_OK(isg_reader_invalidate(b, "acme", x->repo, 3));
	for (i = 0; i < 100 && stats(a).memory_entries != 0; i++)
		isg__clock_sleep_ms(20);
	assert_int_equal(stats(a).memory_entries, 0);
	assert_true(stats(a).invalidations >= 1);
	ISG_ASSERT_OK(isg_reader_get(&v, a, "acme", x->repo, 3));
	assert_string_equal(v->body, "{\"v\": 2}");
	isg_reader_release(v);
	isg_reader_free(a);
	isg_reader_free(b);
}

static void test_reader__redis_down_reads_from_store(void **state)
{
	fx *x = *state;
	/* Port 1 on localhost: nothing listens, the connect is refused. */
	isg_reader *r = reader_on(x->f->st, "redis://127.0.0.1:1/0");
	const isg_reader_bridge *b = NULL;
	isg_reader_stats s;

	make_bridge(x, 4, BRIDGE);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 4));
	assert_int_equal(b->status, ISG_STORE_COMPLETED);
	isg_reader_release(b);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 4));
	isg_reader_release(b);
	s = stats(r);
	assert_int_equal(s.store_reads, 2);
	assert_int_equal(s.degraded, 2);
	assert_int_equal(s.subscribed, 0);
	assert_int_equal(s.memory_entries, 0);
	isg_reader_free(r);
}

static void test_reader__store_down_serves_cached_and_fails_misses(void **state)
{
	fx *x = *state;
	const char *url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_store_options so = ISG_STORE_OPTIONS_INIT;
	isg_store *dead = NULL;
	isg_reader *warm = reader_on(x->f->st, url), *r;
	const isg_reader_bridge *b = NULL;

	make_bridge(x, 5, BRIDGE);
	ISG_ASSERT_OK(isg_reader_get(&b, warm, "acme", x->repo, 5));
	isg_reader_release(b);
	isg_reader_free(warm);
	so.conninfo = "postgresql://postgres@127.0.0.1:1/none";
	so.connect_timeout_s = 1;
	ISG_ASSERT_OK(isg_store_new(&dead, &so));
	r = reader_on(dead, url);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 5));
	assert_int_equal(b->status, ISG_STORE_COMPLETED);
	isg_reader_release(b);
	ISG_ASSERT_RC(ISG_EUNAVAILABLE,
	              isg_reader_get(&b, r, "acme", x->repo, 6));
	assert_int_equal(stats(r).store_errors, 1);
	isg_reader_free(r);
	isg_store_free(dead);
}

/* CACHE_MEMORY_BYTES bounds the memory tier: the least recently used
 * bridges leave it (they are then Redis hits), the newest stay. */
static void test_reader__memory_tier_is_bounded_by_bytes(void **state)
{
	fx *x = *state;
	const char *url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_reader_options o = ISG_READER_OPTIONS_INIT;
	const isg_reader_bridge *b = NULL;
	isg_reader *r = reader_on(x->f->st, url);
	long long per;
	int i;

	for (i = 1; i <= 6; i++)
		make_bridge(x, i, BRIDGE);
	wait_subscribed(r);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 1));
	isg_reader_release(b);
	per = stats(r).memory_bytes; /* one entry, with its overhead */
	assert_true(per > (long long)strlen(BRIDGE));
	isg_reader_free(r);
	o.store = x->f->st;
	o.redis_url = url;
	o.memory_bytes = 4 * per + per / 2;
	ISG_ASSERT_OK(isg_reader_new(&r, &o));
	wait_subscribed(r);
	for (i = 1; i <= 6; i++) {
		ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, i));
		isg_reader_release(b);
	}
	assert_int_equal(stats(r).memory_entries, 4);
	assert_true(stats(r).memory_bytes <= o.memory_bytes);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 6));
	isg_reader_release(b);
	assert_int_equal(stats(r).memory_hits, 1);
	ISG_ASSERT_OK(isg_reader_get(&b, r, "acme", x->repo, 1));
	isg_reader_release(b);
	assert_int_equal(stats(r).memory_hits, 1); /* evicted: from Redis */
	assert_int_equal(stats(r).memory_entries, 4);
	isg_reader_free(r);
}

static void test_reader__bad_options(void **state)
{
	isg_reader_options o = ISG_READER_OPTIONS_INIT;
	isg_reader *r = NULL;
	fx *x = *state;

	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_new(&r, &o));
	o.store = x->f->st;
	o.redis_url = "http://nope";
	ISG_ASSERT_RC(ISG_EINVALID, isg_reader_new(&r, &o));
	assert_null(r);
	isg_reader_free(NULL);
	isg_reader_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader__key_is_canonical_and_checked),
		cmocka_unit_test_setup_teardown(
		        test_reader__miss_reads_store_then_cache, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__not_found_and_pending_are_cached_briefly,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__concurrent_cold_reads_make_one_db_read,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__invalidation_reaches_other_readers, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__redis_down_reads_from_store, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__store_down_serves_cached_and_fails_misses,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_reader__memory_tier_is_bounded_by_bytes, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(test_reader__bad_options, setup,
		                                teardown),
	};
	isg_global_init();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	isg_global_shutdown();
	return rc;
}
