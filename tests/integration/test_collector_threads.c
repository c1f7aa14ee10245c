/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's thread rule, checked under ThreadSanitizer by the second
 * phase of scripts/test: isg_collector_metrics() and
 * isg_collector_healthy() from other threads while the working thread
 * syncs, polls and handles tasks, and isg_collector_stop() from another
 * thread ending the work with ISG_ECANCELLED.
 */
#include "isg_test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector_env.h"
#include "fake_github.h"
#include "test_pg.h"

#define READERS 3

typedef struct env {
	collector_env b;
	isg_github *gh;
	isg_collector *c;
	atomic_int done;
	atomic_long reads;
} env;

static const char *redis_url;

static void *reader(void *arg)
{
	env *e = arg;

	while (!atomic_load(&e->done)) {
		isg_buf b = ISG_BUF_INIT;

		if (isg_collector_metrics(&b, e->c) == ISG_OK &&
		    strstr(b.ptr, "isg_collector_github_requests_total"))
			atomic_fetch_add(&e->reads, 1);
		(void)isg_collector_healthy(e->c);
		isg_buf_dispose(&b);
	}
	return NULL;
}

static void setup(env *e)
{
	fake_github_options fo;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;

	memset(e, 0, sizeof(*e));
	memset(&fo, 0, sizeof(fo));
	fo.issues = 150;
	fo.pulls = 15;
	fo.comments = 300;
	collector_env_start(&e->b, &fo, "cth");
	go.base_url = fake_github_url(e->b.fg);
	ISG_ASSERT_OK(isg_github_new(&e->gh, &go));
	co.store = e->b.st;
	co.github = e->gh;
	co.stream = e->b.s;
	co.name = "threads";
	co.block_ms = 20;
	co.poll_interval_s = 1;
	ISG_ASSERT_OK(isg_collector_new(&e->c, &co));
}

static void teardown(env *e)
{
	isg_collector_free(e->c);
	isg_github_free(e->gh);
	collector_env_stop(&e->b);
}

static void test_collector_threads__metrics_while_working(void **state)
{
	pthread_t th[READERS];
	isg_collector_round r;
	long long done = 0;
	int i, rounds = 0;
	env e;

	(void)state;
	setup(&e);
	for (i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reader, &e), 0);
	ISG_ASSERT_OK(
	        isg_collector_track(NULL, e.c, "octo-org", "hello-world", 1));
	for (i = 1; i <= 5; i++) {
		char task[160];

		snprintf(
		        task, sizeof(task),
		        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":%d}",
		        i);
		ISG_ASSERT_OK(isg_stream_add(NULL, e.b.s, ISG_STREAM_TASKS,
		                             task, strlen(task)));
	}
	while (done < 5 && rounds++ < 100) {
		ISG_ASSERT_OK(isg_collector_run_once(&r, e.c));
		done += r.tasks_done;
	}
	assert_int_equal(done, 5);
	ISG_ASSERT_OK(
	        isg_collector_sync(NULL, e.c, "octo-org", "hello-world", NULL));
	atomic_store(&e.done, 1);
	for (i = 0; i < READERS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_true(atomic_load(&e.reads) > 0);
	assert_int_equal(isg_collector_healthy(e.c), 1);
	teardown(&e);
}

static void *stopper(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000L };

	nanosleep(&ts, NULL);
	isg_collector_stop(arg);
	return NULL;
}

static void test_collector_threads__stop_from_another_thread(void **state)
{
	isg_collector_round r;
	pthread_t th;
	int rc = ISG_OK, rounds = 0;
	env e;

	(void)state;
	setup(&e);
	assert_int_equal(pthread_create(&th, NULL, stopper, e.c), 0);
	while (rc == ISG_OK && rounds++ < 1000)
		rc = isg_collector_run_once(&r, e.c);
	assert_int_equal(pthread_join(th, NULL), 0);
	ISG_ASSERT_RC(ISG_ECANCELLED, rc);
	assert_int_equal(isg_collector_stopping(e.c), 1);
	assert_int_equal(isg_collector_healthy(e.c), 0);
	teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collector_threads__metrics_while_working),
		cmocka_unit_test(
		        test_collector_threads__stop_from_another_thread),
	};

	redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
