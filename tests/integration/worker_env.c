/* SPDX-License-Identifier: Apache-2.0 */
/* Shared backends of the worker tests; see worker_env.h. */
#include "worker_env.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "isg_test.h"

static pthread_mutex_t stream_mu = PTHREAD_MUTEX_INITIALIZER;

void worker_env_sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* Warnings and errors of the library go to the test's log. */
static void log_to_stderr(int level, const char *module, const char *message,
                          const isg_log_field *fields, size_t n, void *payload)
{
	(void)fields;
	(void)n;
	(void)payload;
	fprintf(stderr, "[%s] %s: %s\n", isg_log_level_name(level), module,
	        message);
}

static void connect_redis(worker_env *e)
{
	isg_stream_options so = ISG_STREAM_OPTIONS_INIT;
	isg_lock_options lo = ISG_LOCK_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;

	so.redis_url = e->redis_url;
	so.prefix = e->prefix;
	ISG_ASSERT_OK(isg_stream_new(&e->s, &so));
	lo.redis_url = e->redis_url;
	ISG_ASSERT_OK(isg_lock_new(&e->lock, &lo));
	co.store = e->st;
	co.github = e->gh;
	co.stream = e->s;
	co.name = "collector-1";
	co.block_ms = 50;
	co.claim_idle_ms = 500;
	ISG_ASSERT_OK(isg_collector_new(&e->col, &co));
}

void worker_env_reconnect(worker_env *e)
{
	isg_collector_free(e->col);
	isg_lock_free(e->lock);
	isg_stream_free(e->s);
	connect_redis(e);
}

void worker_env_start(worker_env *e, const char *tag, int issues,
                      const char *redis_url)
{
	const char *root = isg_test_require_env("ISG_SOURCE_ROOT");
	fake_github_options fo;
	fake_openai_options oo = { WORKER_ENV_KEY, 0, 0, 0, 0 };
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	char code[1024];
	size_t n;

	memset(e, 0, sizeof(*e));
	memset(&fo, 0, sizeof(fo));
	isg_log_set_callback(log_to_stderr, ISG_LOG_WARN, NULL);
	snprintf(e->redis_url, sizeof(e->redis_url), "%s",
	         redis_url ? redis_url
	                   : isg_test_require_env("ISG_TEST_REDIS_URL"));
	snprintf(e->owner, sizeof(e->owner), "w%s-%ld-%d", tag, (long)getpid(),
	         rand() % 100000);
	snprintf(e->full, sizeof(e->full), "%s/hello-world", e->owner);
	snprintf(code, sizeof(code), "%s/examples/sample/repo", root);
	fo.owner = e->owner;
	fo.repo = "hello-world";
	fo.issues = issues;
	fo.pulls = -1;
	fo.comments = issues;
	fo.code_dir = code;
	assert_int_equal(fake_github_start(&e->fg, &fo), 0);
	assert_int_equal(fake_openai_start(&e->fo, &oo), 0);
	isg_test_pg_create(&e->db);
	e->st = isg_test_pg_store(&e->db, 8, 0);
	isg_test_unique_name(e->prefix, sizeof(e->prefix) - 1, tag);
	n = strlen(e->prefix);
	e->prefix[n] = ':';
	e->prefix[n + 1] = '\0';
	e->tmp = isg_test_mkdtemp();
	go.base_url = fake_github_url(e->fg);
	ISG_ASSERT_OK(isg_github_new(&e->gh, &go));
	connect_redis(e);
	ISG_ASSERT_OK(isg_collector_sync(NULL, e->col, e->owner, "hello-world",
	                                 NULL));
}

void worker_env_stop(worker_env *e)
{
	isg_collector_free(e->col);
	isg_lock_free(e->lock);
	isg_stream_free(e->s);
	isg_github_free(e->gh);
	isg_store_free(e->st);
	isg_test_pg_drop(&e->db);
	fake_openai_stop(e->fo);
	fake_github_stop(e->fg);
	isg_test_rmtree(e->tmp);
	free(e->tmp);
}

isg_llm *worker_env_llm(worker_env *e, int cap)
{
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm *l = NULL;

	o.base_url = fake_openai_url(e->fo);
	o.api_key = WORKER_ENV_KEY;
	o.max_in_flight = cap;
	o.timeout_s = 10;
	o.max_retries = 6;
	o.backoff_base_ms = 10;
	o.max_backoff_ms = 50;
	ISG_ASSERT_OK(isg_llm_new(&l, &o));
	return l;
}

isg_worker *worker_env_worker(worker_env *e, isg_llm *llm, int fallback,
                              long long claim_idle_ms)
{
	isg_worker_options o = ISG_WORKER_OPTIONS_INIT;
	isg_worker *w = NULL;
	char cache[1024];

	snprintf(cache, sizeof(cache), "%s/cache", e->tmp);
	o.store = e->st;
	o.github = e->gh;
	o.stream = e->s;
	o.lock = e->lock;
	o.llm = llm;
	o.cache_dir = cache;
	o.fallback = fallback;
	o.claim_idle_ms = claim_idle_ms;
	o.block_ms = 50;
	o.janitor_interval_s = 3600; /* tests run it themselves */
	o.max_deliveries = 20;
	ISG_ASSERT_OK(isg_worker_new(&w, &o));
	return w;
}

/* The gateway's lock and task, for the submission that created the
 * row. */
static void enqueue(worker_env *e, const char *user_id, int number)
{
	isg_lock_options lo = ISG_LOCK_OPTIONS_INIT;
	isg_lock *lock = NULL;
	isg_lock_token tok;
	isg_buf key = ISG_BUF_INIT;
	char text[ISG_LOCK_TOKEN_TEXT_SIZE], task[512];

	lo.redis_url = e->redis_url;
	ISG_ASSERT_OK(isg_lock_new(&lock, &lo));
	ISG_ASSERT_OK(isg_lock_issue_key(&key, e->full, number));
	ISG_ASSERT_OK(isg_lock_acquire(&tok, lock, key.ptr, 900000));
	ISG_ASSERT_OK(isg_lock_token_format(text, sizeof(text), &tok));
	snprintf(
	        task, sizeof(task),
	        "{\"schema_version\":1,\"owner\":\"%s\",\"repo\":\"hello-world\",\"number\":%d,\"requested_by\":\"%s\",\"lock\":\"%s\"}",
	        e->owner, number, user_id, text);
	pthread_mutex_lock(&stream_mu);
	ISG_ASSERT_OK(isg_stream_add(NULL, e->s, ISG_STREAM_TASKS, task,
	                             strlen(task)));
	pthread_mutex_unlock(&stream_mu);
	isg_buf_dispose(&key);
	isg_lock_free(lock);
}

int worker_env_submit(worker_env *e, const char *user_id, int number)
{
	isg_store_issue_info info;
	isg_store_content_ref ref;
	isg_store_unlock u;

	memset(&info, 0, sizeof(info));
	ISG_ASSERT_OK(isg_store_issue_get(&info, e->st, e->full, number));
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, e->st, info.id));
	if (ref.created)
		enqueue(e, user_id, number);
	ISG_ASSERT_OK(isg_store_tutorial_unlock(&u, e->st, user_id, ref.id));
	isg_store_issue_info_dispose(&info);
	return ref.created;
}

void worker_env_collect(worker_env *e)
{
	isg_collector_round r;
	int i;

	for (i = 0; i < 20; i++) {
		ISG_ASSERT_OK(isg_collector_run_once(&r, e->col));
		if (r.tasks_done == 0 && r.tasks_failed == 0 && i > 0)
			break;
	}
}

void worker_env_content(worker_env *e, int number, isg_store_content *out)
{
	memset(out, 0, sizeof(*out));
	ISG_ASSERT_OK(
	        isg_store_content_get_by_issue(out, e->st, e->full, number));
}

int worker_env_wait(worker_env *e, isg_worker *w, int number, int status,
                    int timeout_ms)
{
	struct timespec t0, t1;
	int seen = -1;
	isg_store_content c;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 +
		            (t1.tv_nsec - t0.tv_nsec) / 1000000 >
		    timeout_ms)
			break;
		if (w)
			isg_worker_run_once(w);
		else
			worker_env_sleep_ms(50);
		memset(&c, 0, sizeof(c));
		if (isg_store_content_get_by_issue(&c, e->st, e->full,
		                                   number) == ISG_OK)
			seen = c.status;
		isg_store_content_dispose(&c);
		if (seen == status)
			break;
	}
	return seen;
}

void worker_env_user(worker_env *e, int i, char out[ISG_STORE_ID_SIZE])
{
	char email[64];

	snprintf(email, sizeof(email), "user%d@example.org", i);
	ISG_ASSERT_OK(isg_store_user_upsert(out, e->st, email, NULL));
}
