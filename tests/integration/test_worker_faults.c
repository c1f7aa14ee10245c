/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The worker when things die: the `issuesight-worker` process SIGKILLed
 * during the model call (a fresh worker completes the job, one COMPLETED
 * row) or stopped with SIGTERM (it finishes the job in flight and exits
 * 0); Redis restarted without its memory mid-run (the janitor enqueues
 * the PENDING bridges again, nothing is lost); PostgreSQL stopped for
 * 10 s while a bridge is being written (it is written when PostgreSQL is
 * back, without asking the model again). Not parallel: it stops the
 * shared PostgreSQL.
 */
#include "isg_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "worker_env.h"

/* Starts the service binary with its settings in the environment. */
static pid_t spawn_worker(worker_env *e, const char *name, int http_port)
{
	const char *bin = isg_test_require_env("ISG_WORKER_BIN");
	char cache[1024], port[16];
	pid_t pid;

	snprintf(cache, sizeof(cache), "%s/cache-%s", e->tmp, name);
	snprintf(port, sizeof(port), "%d", http_port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("DATABASE_URL", e->db.conninfo, 1);
		setenv("REDIS_URL", e->redis_url, 1);
		setenv("STREAM_PREFIX", e->prefix, 1);
		setenv("GITHUB_API_URL", fake_github_url(e->fg), 1);
		setenv("OPENAI_BASE_URL", fake_openai_url(e->fo), 1);
		setenv("OPENAI_API_KEY", WORKER_ENV_KEY, 1);
		setenv("ISSUESIGHT_CACHE_DIR", cache, 1);
		setenv("WORKER_CLAIM_IDLE_MS", "1500", 1);
		setenv("WORKER_HTTP_PORT", port, 1);
		setenv("ISSUESIGHT_LOG_LEVEL", "warn", 1);
		unsetenv("ISSUESIGHT_CONFIG");
		execl(bin, bin, "--name", name, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Waits until the fake model server has a request in flight. */
static void wait_model_call(worker_env *e)
{
	int i;

	for (i = 0; i < 400 && fake_openai_in_flight(e->fo, NULL) == 0; i++)
		worker_env_sleep_ms(50);
	assert_true(fake_openai_in_flight(e->fo, NULL) > 0);
}

static void test_worker_faults__sigkill_then_a_fresh_worker(void **state)
{
	worker_env e;
	isg_store_content c;
	char user[ISG_STORE_ID_SIZE];
	int status;
	pid_t a, b;

	(void)state;
	worker_env_start(&e, "kill", 3, NULL);
	fake_openai_set_latency_ms(e.fo, 4000);
	worker_env_user(&e, 1, user);
	worker_env_submit(&e, user, 2);
	worker_env_collect(&e);
	a = spawn_worker(&e, "a", 0);
	wait_model_call(&e);
	kill(a, SIGKILL);
	assert_int_equal(waitpid(a, &status, 0), a);
	assert_true(WIFSIGNALED(status));
	worker_env_content(&e, 2, &c);
	assert_int_equal(c.status, ISG_STORE_PENDING);
	isg_store_content_dispose(&c);
	fake_openai_set_latency_ms(e.fo, 200);
	b = spawn_worker(&e, "b", 0);
	assert_int_equal(
	        worker_env_wait(&e, NULL, 2, ISG_STORE_COMPLETED, 30000),
	        ISG_STORE_COMPLETED);
	worker_env_content(&e, 2, &c);
	assert_string_equal(c.engine, "llm");
	isg_store_content_dispose(&c);
	assert_int_equal(isg_test_pg_scalar(&e.db,
	                                    "SELECT count(*) FROM "
	                                    "tutorial_contents WHERE status = "
	                                    "'COMPLETED'"),
	                 1);
	kill(b, SIGTERM);
	assert_int_equal(waitpid(b, &status, 0), b);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	worker_env_stop(&e);
}

static void test_worker_faults__sigterm_finishes_the_job(void **state)
{
	worker_env e;
	char user[ISG_STORE_ID_SIZE], cmd[512];
	int status, port;
	pid_t a;

	(void)state;
	worker_env_start(&e, "term", 3, NULL);
	port = 30000 + (int)(getpid() % 2000);
	fake_openai_set_latency_ms(e.fo, 1500);
	worker_env_user(&e, 1, user);
	worker_env_submit(&e, user, 1);
	worker_env_collect(&e);
	a = spawn_worker(&e, "a", port);
	wait_model_call(&e);
	/* The service's endpoints while a job is in flight. */
	snprintf(cmd, sizeof(cmd),
	         "curl -sf http://127.0.0.1:%d/metrics | grep -q "
	         "'^isg_worker_in_flight 1$' && curl -sf "
	         "http://127.0.0.1:%d/healthz | grep -q ok",
	         port, port);
	assert_int_equal(system(cmd), 0);
	kill(a, SIGTERM);
	assert_int_equal(waitpid(a, &status, 0), a);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(worker_env_wait(&e, NULL, 1, ISG_STORE_COMPLETED, 100),
	                 ISG_STORE_COMPLETED);
	assert_int_equal(fake_openai_count(e.fo, NULL, -1), 1);
	worker_env_stop(&e);
}

/* A private redis-server that the test kills and starts again empty. */
typedef struct own_redis {
	int port;
	char dir[512];
	char url[64];
} own_redis;

static void redis_start(own_redis *r)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
	         "redis-server --port %d --bind 127.0.0.1 --save '' "
	         "--appendonly no --daemonize yes --dir %s --pidfile %s/pid "
	         ">/dev/null 2>&1",
	         r->port, r->dir, r->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
	         "for i in $(seq 50); do redis-cli -p %d ping >/dev/null "
	         "2>&1 && exit 0; sleep 0.1; done; exit 1",
	         r->port);
	assert_int_equal(system(cmd), 0);
}

static void redis_kill(own_redis *r)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
	         "kill -9 $(cat %s/pid) && while redis-cli -p %d ping "
	         ">/dev/null 2>&1; do sleep 0.05; done; rm -f %s/pid",
	         r->dir, r->port, r->dir);
	assert_int_equal(system(cmd), 0);
}

static void test_worker_faults__redis_loses_its_memory(void **state)
{
	own_redis r;
	worker_env e;
	isg_worker *w;
	isg_llm *llm;
	isg_worker_stats st;
	long long n = -1;
	char user[ISG_STORE_ID_SIZE], *tmp = isg_test_mkdtemp();

	(void)state;
	snprintf(r.dir, sizeof(r.dir), "%s", tmp);
	r.port = 20000 + (int)(getpid() % 10000);
	snprintf(r.url, sizeof(r.url), "redis://127.0.0.1:%d/0", r.port);
	redis_start(&r);
	worker_env_start(&e, "redis", 4, r.url);
	llm = worker_env_llm(&e, 4);
	w = worker_env_worker(&e, llm, ISG_ENGINE_FALLBACK_OFFLINE, 3000);
	ISG_ASSERT_OK(isg_worker_janitor(&n, w)); /* the marker is set */
	ISG_ASSERT_OK(isg_worker_janitor(&n, w));
	assert_int_equal(n, 0); /* present: nothing to do */
	worker_env_user(&e, 1, user);
	assert_int_equal(worker_env_submit(&e, user, 1), 1);
	assert_int_equal(worker_env_submit(&e, user, 3), 1);
	worker_env_collect(&e);
	/* Both context messages are queued; Redis dies and comes back
	 * empty. */
	redis_kill(&r);
	redis_start(&r);
	ISG_ASSERT_OK(isg_worker_janitor(&n, w));
	assert_int_equal(n, 2);
	assert_int_equal(worker_env_wait(&e, w, 1, ISG_STORE_COMPLETED, 30000),
	                 ISG_STORE_COMPLETED);
	assert_int_equal(worker_env_wait(&e, w, 3, ISG_STORE_COMPLETED, 30000),
	                 ISG_STORE_COMPLETED);
	ISG_ASSERT_OK(isg_worker_stats_get(&st, w));
	assert_int_equal(st.janitor_enqueued, 2);
	assert_int_equal(st.completed_llm, 2);
	isg_worker_free(w);
	isg_llm_free(llm);
	worker_env_stop(&e);
	redis_kill(&r);
	isg_test_rmtree(tmp);
	free(tmp);
}

static void pg_ctl(const char *what)
{
	const char *ctl = isg_test_require_env("ISG_TEST_PG_CTL");
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", ctl, what);
	assert_int_equal(system(cmd), 0);
}

static void test_worker_faults__postgres_down_for_ten_seconds(void **state)
{
	worker_env e;
	isg_worker *w;
	isg_llm *llm;
	isg_worker_stats st;
	char user[ISG_STORE_ID_SIZE];
	int i;

	(void)state;
	worker_env_start(&e, "pg", 3, NULL);
	llm = worker_env_llm(&e, 4);
	w = worker_env_worker(&e, llm, ISG_ENGINE_FALLBACK_OFFLINE, 60000);
	fake_openai_set_latency_ms(e.fo, 1500);
	worker_env_user(&e, 1, user);
	worker_env_submit(&e, user, 2);
	worker_env_collect(&e);
	for (i = 0; i < 200 && fake_openai_in_flight(e.fo, NULL) == 0; i++)
		isg_worker_run_once(w);
	assert_true(fake_openai_in_flight(e.fo, NULL) > 0);
	pg_ctl("stop -m fast");
	/* The answer arrives while PostgreSQL is down; the worker keeps
	 * it and writes it when PostgreSQL is back. */
	for (i = 0; i < 100; i++) {
		isg_worker_run_once(w);
		worker_env_sleep_ms(100);
	}
	ISG_ASSERT_OK(isg_worker_stats_get(&st, w));
	assert_int_equal(st.in_flight, 1);
	pg_ctl("start");
	assert_int_equal(worker_env_wait(&e, w, 2, ISG_STORE_COMPLETED, 30000),
	                 ISG_STORE_COMPLETED);
	assert_int_equal(fake_openai_count(e.fo, NULL, -1), 1);
	isg_worker_free(w);
	isg_llm_free(llm);
	worker_env_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_worker_faults__sigkill_then_a_fresh_worker),
		cmocka_unit_test(test_worker_faults__sigterm_finishes_the_job),
		cmocka_unit_test(test_worker_faults__redis_loses_its_memory),
		cmocka_unit_test(
		        test_worker_faults__postgres_down_for_ten_seconds),
	};
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	isg_test_require_env("ISG_TEST_REDIS_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
