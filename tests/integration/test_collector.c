/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector against the fake GitHub, a fresh PostgreSQL database and
 * Redis streams with a unique prefix per test: the minimum request count
 * of a full sync, free polls of unchanged projects, picking up edits and
 * new comments, rate-limit and secondary-limit waits, tasks end to end
 * (including garbage), a collector killed with SIGKILL mid-task, and the
 * service's graceful stop with /healthz and /metrics.
 */
#include "isg_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "collector_env.h"
#include "fake_github.h"
#include "redis_int.h"
#include "test_pg.h"

typedef struct env {
	collector_env b;
	isg_github *gh;
	isg_collector *c;
	double waits[64];
	int nwaits;
} env;

static const char *redis_url;

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fake_sleep(double seconds, void *payload)
{
	env *e = payload;

	if (e->nwaits < 64)
		e->waits[e->nwaits++] = seconds;
	/* The fake's clock moves instead of ours: its windows reset. */
	fake_github_advance(e->b.fg, seconds);
	return 0;
}

static double fake_clock(void *payload)
{
	return fake_github_now(((env *)payload)->b.fg);
}

static void setup(env *e, int issues, int pulls, int comments,
                  int poll_interval_s, long long claim_idle_ms)
{
	fake_github_options fo;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;

	memset(e, 0, sizeof(*e));
	memset(&fo, 0, sizeof(fo));
	fo.issues = issues;
	fo.pulls = pulls;
	fo.comments = comments;
	collector_env_start(&e->b, &fo, "col");
	go.base_url = fake_github_url(e->b.fg);
	go.sleep_fn = fake_sleep;
	go.sleep_payload = e;
	go.clock_fn = fake_clock;
	go.clock_payload = e;
	go.jitter_seed = 7;
	ISG_ASSERT_OK(isg_github_new(&e->gh, &go));
	co.store = e->b.st;
	co.github = e->gh;
	co.stream = e->b.s;
	co.name = "test-collector";
	co.block_ms = 50;
	co.poll_interval_s = poll_interval_s;
	co.claim_idle_ms = claim_idle_ms;
	ISG_ASSERT_OK(isg_collector_new(&e->c, &co));
}

static void teardown(env *e)
{
	isg_collector_free(e->c);
	isg_github_free(e->gh);
	collector_env_stop(&e->b);
}

static long long sql(env *e, const char *q)
{
	return isg_test_pg_scalar(&e->b.db, q);
}

static void test_collector__full_sync_spends_minimum_requests(void **state)
{
	isg_collector_sync_stats st;
	env e;

	(void)state;
	setup(&e, 1050, 120, 2300, 300, 60000);
	ISG_ASSERT_OK(
	        isg_collector_sync(&st, e.c, "octo-org", "hello-world", NULL));
	/* ceil(1050/100) + ceil(2300/100) + 1 = 11 + 23 + 1 */
	assert_int_equal(fake_github_count(e.b.fg, NULL, -1), 35);
	assert_int_equal(fake_github_count(e.b.fg, "repo", -1), 1);
	assert_int_equal(fake_github_count(e.b.fg, "issues", -1), 11);
	assert_int_equal(fake_github_count(e.b.fg, "repo_comments", -1), 23);
	assert_int_equal(st.requests, 35);
	assert_int_equal(st.issues, 1050);
	assert_int_equal(st.pull_requests, 120);
	assert_int_equal(st.comments, 2300);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(DISTINCT gh_issue_id) FROM github_issues"),
	        1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE is_pull_request"),
	        120);
	assert_int_equal(
	        sql(&e,
	            "SELECT sum(jsonb_array_length(raw_data->'comments')) FROM github_issues"),
	        2300);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE comments_count <> jsonb_array_length(raw_data->'comments')"),
	        0);
	assert_int_equal(sql(&e, "SELECT count(*) FROM projects"), 1);
	teardown(&e);
}

static long long xlen(env *e, const char *name)
{
	long long n = -1;

	ISG_ASSERT_OK(isg_stream_len(&n, e->b.s, name));
	return n;
}

static void
test_collector__poll_unchanged_is_free_then_sees_changes(void **state)
{
	isg_collector_round r;
	isg_store_issue_info info;
	isg_buf metrics = ISG_BUF_INIT;
	long long want_ctx, free_before;
	int64_t cid;
	env e;

	(void)state;
	setup(&e, 250, 50, 500, 3, 60000);
	ISG_ASSERT_OK(
	        isg_collector_track(NULL, e.c, "octo-org", "hello-world", 1));
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, e.c));
	assert_int_equal(r.projects_polled, 1);
	assert_int_equal(fake_github_count(e.b.fg, NULL, -1), 1 + 3 + 5);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 250);
	/* One context message per matching issue without a bridge. */
	want_ctx = sql(
	        &e,
	        "SELECT count(*) FROM github_issues WHERE NOT is_pull_request AND labels && ARRAY['good first issue','help wanted','beginner']");
	assert_true(want_ctx > 0);
	assert_int_equal(r.contexts, want_ctx);
	assert_int_equal(xlen(&e, ISG_STREAM_CONTEXTS), want_ctx);
	/* Not due yet: nothing is polled. */
	ISG_ASSERT_OK(isg_collector_poll(&r, e.c));
	assert_int_equal(r.projects_polled, 0);
	/* The second poll repeats the URLs: only 304s, no rate limit. */
	collector_env_sleep_ms(3100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, e.c));
	assert_int_equal(r.projects_polled, 1);
	assert_true(fake_github_count(e.b.fg, NULL, -1) > 0);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304),
	                 fake_github_count(e.b.fg, NULL, -1));
	assert_int_equal(xlen(&e, ISG_STREAM_CONTEXTS), want_ctx);
	/* One edited issue and one new comment are picked up next. */
	assert_int_equal(
	        fake_github_edit_issue(e.b.fg, 5, "Edited title", NULL), 0);
	cid = fake_github_add_comment(e.b.fg, 7, "a new comment");
	assert_true(cid > 0);
	collector_env_sleep_ms(3100);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(isg_collector_poll(&r, e.c));
	assert_int_equal(r.projects_polled, 1);
	memset(&info, 0, sizeof(info));
	ISG_ASSERT_OK(
	        isg_store_issue_get(&info, e.b.st, "octo-org/hello-world", 5));
	assert_string_equal(info.title.ptr, "Edited title");
	isg_store_issue_info_dispose(&info);
	{
		char q[200];

		snprintf(
		        q, sizeof(q),
		        "SELECT count(*) FROM github_issues, jsonb_array_elements(raw_data->'comments') c WHERE issue_number = 7 AND (c->>'id')::bigint = %lld",
		        (long long)cid);
		assert_int_equal(sql(&e, q), 1);
		assert_int_equal(
		        sql(&e,
		            "SELECT count(*) FROM github_issues WHERE issue_number = 7 AND comments_count = jsonb_array_length(raw_data->'comments')"),
		        1);
	}
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 250);
	/* Polls that follow settle back to 304s. */
	free_before = fake_github_count(e.b.fg, NULL, 304);
	(void)free_before;
	ISG_ASSERT_OK(isg_collector_metrics(&metrics, e.c));
	assert_non_null(
	        strstr(metrics.ptr,
	               "# TYPE isg_collector_github_requests_total counter"));
	assert_non_null(
	        strstr(metrics.ptr, "endpoint=\"issues\",status=\"304\""));
	assert_non_null(
	        strstr(metrics.ptr, "isg_collector_github_not_modified_total"));
	assert_non_null(strstr(metrics.ptr, "isg_collector_stream_lag"));
	isg_buf_dispose(&metrics);
	teardown(&e);
}

static void test_collector__rate_limit_mid_sync_waits_for_reset(void **state)
{
	isg_collector_sync_stats st;
	double total = 0, t0, elapsed;
	int i;
	env e;

	(void)state;
	setup(&e, 1050, 120, 2300, 300, 60000);
	t0 = wall_s();
	fake_github_set_rate(e.b.fg, 10, 40);
	ISG_ASSERT_OK(
	        isg_collector_sync(&st, e.c, "octo-org", "hello-world", NULL));
	/* The waits are injected, not slept: the real time the sync took is
	 * what passed before the limit was hit. Waiting for the reset means
	 * waiting out the rest of the 40 s (1 s for the reset's rounding). */
	elapsed = wall_s() - t0;
	assert_true(e.nwaits >= 1);
	for (i = 0; i < e.nwaits; i++)
		total += e.waits[i];
	if (total < 40.0 - elapsed - 1.0)
		fail_msg(
		        "waited %.1f s in all, expected at least %.1f s (40 s reset, %.1f s spent syncing)",
		        total, 40.0 - elapsed - 1.0, elapsed);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(DISTINCT gh_issue_id) FROM github_issues"),
	        1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT sum(jsonb_array_length(raw_data->'comments')) FROM github_issues"),
	        2300);
	teardown(&e);
}

static void test_collector__secondary_limit_waits_retry_after(void **state)
{
	isg_collector_sync_stats st;
	env e;

	(void)state;
	setup(&e, 120, 20, 150, 300, 60000);
	fake_github_set_retry_after(e.b.fg, 7);
	fake_github_inject(e.b.fg, FAKE_GITHUB_SECONDARY_RETRY_AFTER, 1);
	ISG_ASSERT_OK(
	        isg_collector_sync(&st, e.c, "octo-org", "hello-world", NULL));
	assert_int_equal(e.nwaits, 1);
	assert_true(e.waits[0] >= 7.0);
	assert_true(st.seconds_waited >= 7.0);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 120);
	teardown(&e);
}

static void add_task(env *e, const char *json)
{
	ISG_ASSERT_OK(isg_stream_add(NULL, e->b.s, ISG_STREAM_TASKS, json,
	                             strlen(json)));
}

static cJSON *range(env *e, const char *name)
{
	isg_buf b = ISG_BUF_INIT;
	cJSON *a;

	ISG_ASSERT_OK(isg_stream_range(&b, e->b.s, name, NULL, 100));
	a = cJSON_Parse(b.ptr);
	assert_non_null(a);
	isg_buf_dispose(&b);
	return a;
}

static const char *field(const cJSON *arr, int i, const char *k)
{
	const cJSON *f =
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, i), "fields");
	const cJSON *v = cJSON_GetObjectItem(f, k);

	assert_non_null(v);
	return v->valuestring;
}

static int first_pull_number(env *e)
{
	return (int)sql(
	        e,
	        "SELECT min(issue_number) FROM github_issues WHERE is_pull_request");
}

static void test_collector__tasks_end_to_end_and_garbage(void **state)
{
	isg_collector_round r;
	long long done = 0, dead = 0;
	cJSON *ctx, *dl, *msg;
	char task[200];
	int rounds = 0, pr, i;
	env e;

	(void)state;
	setup(&e, 40, 10, 80, 3600, 60000);
	/* Learn which number is a pull request. */
	ISG_ASSERT_OK(
	        isg_collector_sync(NULL, e.c, "octo-org", "hello-world", NULL));
	pr = first_pull_number(&e);
	isg_test_pg_exec(&e.b.db, "DELETE FROM github_issues", NULL);
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":3,\"requested_by\":\"u1\",\"lock\":\"0123456789abcdef0123456789abcdef.42\"}");
	snprintf(
	        task, sizeof(task),
	        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":%d}",
	        pr);
	add_task(&e, task);
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":99999}");
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":\"a b\",\"repo\":\"x\",\"number\":1}");
	add_task(&e, "{\"schema_version\":1,\"owner\":\"o\",\"repo\":\"x\"}");
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":[1],\"repo\":null,\"number\":-4}");
	while (done + dead < 6 && rounds++ < 50) {
		ISG_ASSERT_OK(isg_collector_run_once(&r, e.c));
		done += r.tasks_done;
		dead += r.tasks_dead;
	}
	assert_int_equal(done, 2);
	assert_int_equal(dead, 4);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE issue_number = 3"),
	        1);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE is_pull_request"),
	        1);
	/* A submitted pull request does not stay PENDING: its content row
	 * is FAILED with the reason. */
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM tutorial_contents c JOIN github_issues i ON i.id = c.issue_id WHERE i.is_pull_request AND c.status = 'FAILED' AND c.error LIKE '%is a pull request, not an issue%'"),
	        1);
	assert_int_equal(sql(&e, "SELECT count(*) FROM tutorial_contents"), 1);
	ctx = range(&e, ISG_STREAM_CONTEXTS);
	assert_int_equal(cJSON_GetArraySize(ctx), 1); /* not for the PR */
	msg = cJSON_Parse(field(ctx, 0, "data"));
	assert_non_null(msg);
	assert_int_equal(cJSON_GetObjectItem(msg, "schema_version")->valueint,
	                 1);
	assert_int_equal(cJSON_GetObjectItem(msg, "number")->valueint, 3);
	assert_string_equal(cJSON_GetObjectItem(msg, "project")->valuestring,
	                    "octo-org/hello-world");
	assert_string_equal(
	        cJSON_GetObjectItem(msg, "requested_by")->valuestring, "u1");
	/* The gateway's issue lock travels to the worker unchanged. */
	assert_string_equal(cJSON_GetObjectItem(msg, "lock")->valuestring,
	                    "0123456789abcdef0123456789abcdef.42");
	assert_string_equal(cJSON_GetObjectItem(msg, "source")->valuestring,
	                    "task");
	assert_int_equal(
	        strlen(cJSON_GetObjectItem(msg, "issue_id")->valuestring), 36);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(msg, "labels")));
	cJSON_Delete(msg);
	cJSON_Delete(ctx);
	dl = range(&e, ISG_STREAM_DEAD);
	assert_int_equal(cJSON_GetArraySize(dl), 4);
	assert_non_null(strstr(field(dl, 0, "reason"), "ISG_ENOTFOUND"));
	for (i = 1; i < 4; i++)
		assert_non_null(strstr(field(dl, i, "reason"), "ISG_EINVALID"));
	assert_non_null(strstr(field(dl, 1, "reason"), "'a b'"));
	cJSON_Delete(dl);
	teardown(&e);
}

/* Starts the service binary with its settings in the environment. */
static pid_t spawn_service(env *e, int http_port)
{
	const char *bin = isg_test_require_env("ISG_COLLECTOR_BIN");
	char port[16];
	pid_t pid;

	snprintf(port, sizeof(port), "%d", http_port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("DATABASE_URL", e->b.db.conninfo, 1);
		setenv("REDIS_URL", redis_url, 1);
		setenv("STREAM_PREFIX", e->b.prefix, 1);
		setenv("GITHUB_API_URL", fake_github_url(e->b.fg), 1);
		setenv("COLLECTOR_HTTP_PORT", port, 1);
		setenv("COLLECTOR_POLL_INTERVAL_S", "3600", 1);
		setenv("ISSUESIGHT_LOG_LEVEL", "warn", 1);
		unsetenv("ISSUESIGHT_CONFIG");
		execl(bin, bin, "--name", "child", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void
test_collector__sigkill_mid_task_is_finished_by_another(void **state)
{
	isg_stream_group_info gi;
	isg_collector_round r;
	long long done = 0;
	int rounds = 0, status;
	pid_t pid;
	env e;

	(void)state;
	setup(&e, 30, 5, 60, 3600, 300);
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":4}");
	fake_github_set_delay_ms(e.b.fg, 1500);
	fake_github_inject(e.b.fg, FAKE_GITHUB_SLOW, 3);
	pid = spawn_service(&e, 0);
	/* Wait until the child is inside the task (it asked GitHub). */
	while (fake_github_count(e.b.fg, NULL, -1) == 0 && rounds++ < 300)
		collector_env_sleep_ms(50);
	assert_true(fake_github_count(e.b.fg, NULL, -1) > 0);
	collector_env_sleep_ms(200);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	ISG_ASSERT_OK(isg_stream_group_info_get(&gi, e.b.s, ISG_STREAM_TASKS,
	                                        "collectors"));
	assert_int_equal(gi.pending, 1); /* the task is not lost */
	assert_int_equal(xlen(&e, ISG_STREAM_CONTEXTS), 0);
	rounds = 0;
	while (done == 0 && rounds++ < 100) {
		ISG_ASSERT_OK(isg_collector_run_once(&r, e.c));
		done += r.tasks_done;
	}
	assert_int_equal(done, 1);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM github_issues WHERE issue_number = 4"),
	        1);
	assert_int_equal(xlen(&e, ISG_STREAM_CONTEXTS), 1);
	assert_int_equal(xlen(&e, ISG_STREAM_DEAD), 0);
	ISG_ASSERT_OK(isg_stream_group_info_get(&gi, e.b.s, ISG_STREAM_TASKS,
	                                        "collectors"));
	assert_int_equal(gi.pending, 0);
	teardown(&e);
}

/* A tiny HTTP GET; returns the status and copies the body. */
static int http_get(int port, const char *path, char *body, size_t n)
{
	struct sockaddr_in a;
	char req[256], buf[65536];
	size_t got = 0;
	ssize_t k;
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;
	const char *sep;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		goto done;
	snprintf(req, sizeof(req),
	         "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	         path);
	if (write(fd, req, strlen(req)) < 0)
		goto done;
	while (got + 1 < sizeof(buf) &&
	       (k = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)k;
	buf[got] = '\0';
	if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
		status = -1;
	sep = strstr(buf, "\r\n\r\n");
	snprintf(body, n, "%s", sep ? sep + 4 : "");
done:
	if (fd >= 0)
		close(fd);
	return status;
}

static void
test_collector__service_stops_on_sigterm_with_health_and_metrics(void **state)
{
	char body[65536], key[200];
	int port = 20000 + (int)(getpid() % 10000), rounds = 0, status;
	pid_t pid;
	env e;

	(void)state;
	setup(&e, 30, 5, 60, 3600, 60000);
	add_task(
	        &e,
	        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":2}");
	pid = spawn_service(&e, port);
	while (xlen(&e, ISG_STREAM_CONTEXTS) < 1 && rounds++ < 200)
		collector_env_sleep_ms(50);
	assert_int_equal(xlen(&e, ISG_STREAM_CONTEXTS), 1);
	rounds = 0;
	while (http_get(port, "/healthz", body, sizeof(body)) != 200 &&
	       rounds++ < 100)
		collector_env_sleep_ms(50);
	assert_int_equal(http_get(port, "/healthz", body, sizeof(body)), 200);
	assert_int_equal(http_get(port, "/metrics", body, sizeof(body)), 200);
	assert_non_null(strstr(
	        body,
	        "isg_collector_github_requests_total{endpoint=\"issue\",status=\"200\"} 1"));
	assert_non_null(
	        strstr(body, "isg_collector_tasks_total{result=\"done\"} 1"));
	assert_non_null(strstr(body, "isg_collector_issues_upserted_total 1"));
	/* The heartbeat key is alive, with a time to live. */
	{
		isg__redis *r = NULL;
		redisReply *rep = NULL;
		const char *argv[2] = { "TTL", key };

		snprintf(key, sizeof(key), "%scollector:heartbeat:child",
		         e.b.prefix);
		ISG_ASSERT_OK(isg__redis_new(&r, redis_url, "test", 0, 0));
		ISG_ASSERT_OK(isg__redis_command(&rep, r, 2, argv, NULL, 1, 0));
		assert_true(rep->type == REDIS_REPLY_INTEGER);
		assert_true(rep->integer > 0 && rep->integer <= 30);
		freeReplyObject(rep);
		isg__redis_free(r);
	}
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	teardown(&e);
}

static void log_to_stderr(int level, const char *module, const char *message,
                          const isg_log_field *fields, size_t nfields,
                          void *payload)
{
	(void)fields;
	(void)nfields;
	(void)payload;
	fprintf(stderr, "[%s] %s: %s\n", isg_log_level_name(level), module,
	        message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_collector__full_sync_spends_minimum_requests),
		cmocka_unit_test(
		        test_collector__poll_unchanged_is_free_then_sees_changes),
		cmocka_unit_test(
		        test_collector__rate_limit_mid_sync_waits_for_reset),
		cmocka_unit_test(
		        test_collector__secondary_limit_waits_retry_after),
		cmocka_unit_test(test_collector__tasks_end_to_end_and_garbage),
		cmocka_unit_test(
		        test_collector__sigkill_mid_task_is_finished_by_another),
		cmocka_unit_test(
		        test_collector__service_stops_on_sigterm_with_health_and_metrics),
	};

	redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	signal(SIGPIPE, SIG_IGN);
	isg_log_set_callback(log_to_stderr, ISG_LOG_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
