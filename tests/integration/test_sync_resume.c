/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A sync that continues where the last one ended, against the fake GitHub
 * with 1,050 issues (120 pull requests) and 2,300 comments and a fresh
 * database: the first sync spends the minimum (35 requests); an unchanged
 * re-run spends only 304s and writes no row; an edit and a new comment are
 * picked up; a full sync fetches everything again; a first sync stopped
 * after some pages goes on without fetching a stored page twice. Each run
 * uses a new GitHub client, as a new process would: what it knows comes
 * from the store. The same through the built `issuesight sync`.
 */
#include "isg_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector_env.h"
#include "fake_github.h"
#include "test_pg.h"

#define OWNER "octo-org"
#define REPO "hello-world"

typedef struct env {
	collector_env b;
	long long stop_at; /* cancel when this many pages are stored */
} env;

static void setup(env *e)
{
	fake_github_options fo;

	memset(e, 0, sizeof(*e));
	memset(&fo, 0, sizeof(fo));
	fo.issues = 1050;
	fo.pulls = 120;
	fo.comments = 2300;
	collector_env_start(&e->b, &fo, "sres");
}

static long long sql(env *e, const char *q)
{
	return isg_test_pg_scalar(&e->b.db, q);
}

static int stop_after(const isg_collector_sync_stats *s, void *payload)
{
	env *e = payload;

	return e->stop_at > 0 && s->pages_committed >= e->stop_at;
}

/* One sync in `mode` with a new client and collector (no stream). */
static int run(env *e, int mode, isg_collector_sync_stats *st)
{
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	int rc;

	go.base_url = fake_github_url(e->b.fg);
	ISG_ASSERT_OK(isg_github_new(&gh, &go));
	co.store = e->b.st;
	co.github = gh;
	co.name = "test-sync-resume";
	ISG_ASSERT_OK(isg_collector_new(&c, &co));
	so.mode = mode;
	so.progress = stop_after;
	so.progress_payload = e;
	rc = isg_collector_sync(st, c, OWNER, REPO, &so);
	isg_collector_free(c);
	isg_github_free(gh);
	return rc;
}

static void assert_archive_whole(env *e)
{
	assert_int_equal(sql(e, "SELECT count(*) FROM github_issues"), 1050);
	assert_int_equal(
	        sql(e,
	            "SELECT count(*) FROM github_issues WHERE is_pull_request"),
	        120);
	assert_int_equal(
	        sql(e,
	            "SELECT sum(jsonb_array_length(raw_data->'comments')) FROM github_issues"),
	        2300);
	assert_int_equal(
	        sql(e,
	            "SELECT count(*) FROM github_issues WHERE comments_count <> jsonb_array_length(raw_data->'comments')"),
	        0);
}

/* A fingerprint of every row version: changes when any row is written. */
static long long row_versions(env *e)
{
	return sql(
	        e,
	        "SELECT coalesce(sum(xmin::text::bigint), 0) FROM github_issues");
}

static void test_sync_resume__continue_spends_only_304s(void **state)
{
	isg_collector_sync_stats st;
	isg_store_issue_info info;
	long long versions;
	int64_t cid;
	char q[256];
	env e;

	(void)state;
	setup(&e);
	/* First sync: the minimum, 1 + 11 + 23 requests, all fetched. */
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_FULL);
	assert_int_equal(st.requests, 35);
	assert_int_equal(st.not_modified, 0);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 200), 35);
	assert_int_equal(st.issues, 1050);
	assert_int_equal(st.comments, 2300);
	assert_int_equal(st.pages_committed, 34);
	assert_archive_whole(&e);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_cursor IS NULL AND last_synced_at IS NOT NULL AND sync_etags IS NOT NULL"),
	        1);
	/* Nothing changed: only 304s (no rate limit), no row written. */
	versions = row_versions(&e);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_INCREMENTAL);
	/* The first sync's URLs again, now conditional. */
	assert_int_equal(st.requests, 35);
	assert_int_equal(st.not_modified, st.requests);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304),
	                 fake_github_count(e.b.fg, NULL, -1));
	assert_int_equal(st.issues, 0);
	assert_int_equal(st.comments, 0);
	assert_int_equal(row_versions(&e), versions);
	/* An edit and a new comment are picked up by the next run. */
	assert_int_equal(
	        fake_github_edit_issue(e.b.fg, 5, "Edited title", NULL), 0);
	cid = fake_github_add_comment(e.b.fg, 7, "a new comment");
	assert_true(cid > 0);
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_INCREMENTAL);
	/* The repository (304) and one page of each listing. */
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.not_modified, 1);
	assert_int_equal(st.comments, 1);
	memset(&info, 0, sizeof(info));
	ISG_ASSERT_OK(isg_store_issue_get(&info, e.b.st, OWNER "/" REPO, 5));
	assert_string_equal(info.title.ptr, "Edited title");
	isg_store_issue_info_dispose(&info);
	snprintf(
	        q, sizeof(q),
	        "SELECT count(*) FROM github_issues, jsonb_array_elements(raw_data->'comments') c WHERE issue_number = 7 AND (c->>'id')::bigint = %lld",
	        (long long)cid);
	assert_int_equal(sql(&e, q), 1);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT sum(jsonb_array_length(raw_data->'comments')) FROM github_issues"),
	        2301);
	/* The same listing again: 304s only. */
	versions = row_versions(&e);
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.not_modified, st.requests);
	assert_int_equal(row_versions(&e), versions);
	/* A full sync fetches everything again. */
	fake_github_reset_counts(e.b.fg);
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_FULL, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_FULL);
	/* 2,301 comments now: 24 comment pages. */
	assert_int_equal(st.requests, 1 + 11 + 24);
	assert_int_equal(st.not_modified, 0);
	assert_int_equal(st.issues, 1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT sum(jsonb_array_length(raw_data->'comments')) FROM github_issues"),
	        2301);
	collector_env_stop(&e.b);
}

static void test_sync_resume__interrupted_first_sync_resumes(void **state)
{
	isg_collector_sync_stats st;
	env e;

	(void)state;
	setup(&e);
	/* Stopped after 5 of the 11 issue pages. */
	e.stop_at = 5;
	assert_int_equal(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st),
	                 ISG_ECANCELLED);
	assert_int_equal(st.requests, 1 + 5);
	assert_int_equal(st.pages_committed, 5);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 500);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_cursor LIKE '%/issues?%' AND last_synced_at IS NULL"),
	        1);
	/* Resumed, stopped again after the 6 other issue pages and 4 comment
	 * pages. */
	e.stop_at = 10;
	assert_int_equal(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st),
	                 ISG_ECANCELLED);
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_RESUMED);
	assert_int_equal(st.requests, 1 + 6 + 4);
	assert_int_equal(st.not_modified, 1); /* the repository */
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 1050);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_cursor LIKE '%/issues/comments?%'"),
	        1);
	/* Resumed to the end: only the 19 comment pages left. */
	e.stop_at = 0;
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_RESUMED);
	assert_int_equal(st.requests, 1 + 19);
	assert_int_equal(st.not_modified, 1);
	/* Over the three runs: each of the 34 listing pages and the
	 * repository fetched once, plus two 304s for the repository. */
	assert_int_equal(fake_github_count(e.b.fg, NULL, 200), 35);
	assert_int_equal(fake_github_count(e.b.fg, NULL, 304), 2);
	assert_int_equal(fake_github_uri_max(e.b.fg, 200), 1);
	assert_archive_whole(&e);
	assert_int_equal(
	        sql(&e,
	            "SELECT count(*) FROM projects WHERE sync_cursor IS NULL AND last_synced_at IS NOT NULL"),
	        1);
	/* Complete now: the next run is incremental and free. */
	ISG_ASSERT_OK(run(&e, ISG_COLLECTOR_SYNC_CONTINUE, &st));
	assert_int_equal(st.kind, ISG_COLLECTOR_SYNC_KIND_INCREMENTAL);
	assert_int_equal(st.not_modified, st.requests);
	collector_env_stop(&e.b);
}

/* Runs `issuesight sync ARGS...` against the fake and the test database;
 * its stdout goes to `out`. Returns the exit status. */
static int run_cli(env *e, char *out, size_t n, const char *a1, const char *a2)
{
	const char *bin = isg_test_require_env("ISG_CLI_BIN");
	int fds[2], status = 0;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		setenv("DATABASE_URL", e->b.db.conninfo, 1);
		setenv("GITHUB_API_URL", fake_github_url(e->b.fg), 1);
		setenv("GITHUB_MAX_RETRIES", "0", 1);
		unsetenv("REDIS_URL");
		unsetenv("GITHUB_TOKEN");
		execl(bin, bin, "sync", OWNER "/" REPO, a1, a2, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (got + 1 < n && (r = read(fds[0], out + got, n - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_sync_resume__cli_resumes_and_reports(void **state)
{
	char out[2048];
	isg_store_issue_info info;
	env e;

	(void)state;
	setup(&e);
	assert_int_equal(run_cli(&e, out, sizeof(out), "--full",
	                         "--since=2024-01-01T00:00:00Z"),
	                 2);
	/* The server goes away after the repository and 7 issue pages. */
	fake_github_fail_after(e.b.fg, 8);
	assert_int_not_equal(run_cli(&e, out, sizeof(out), NULL, NULL), 0);
	assert_int_equal(sql(&e, "SELECT count(*) FROM github_issues"), 700);
	fake_github_fail_after(e.b.fg, -1);
	assert_int_equal(run_cli(&e, out, sizeof(out), NULL, NULL), 0);
	assert_non_null(strstr(out, "(resumed)"));
	/* 1 (the repository, 304) + 4 issue pages + 23 comment pages. */
	assert_non_null(strstr(out, "28 requests (1 not modified)"));
	assert_int_equal(fake_github_count(e.b.fg, NULL, 200), 35);
	assert_int_equal(fake_github_uri_max(e.b.fg, 200), 1);
	assert_archive_whole(&e);
	/* Unchanged: 304s only. */
	assert_int_equal(run_cli(&e, out, sizeof(out), NULL, NULL), 0);
	assert_non_null(strstr(out, "(incremental): 0 issues"));
	assert_non_null(strstr(out, "35 requests (35 not modified)"));
	/* An edit is picked up. */
	assert_int_equal(
	        fake_github_edit_issue(e.b.fg, 9, "Edited by CLI", NULL), 0);
	assert_int_equal(run_cli(&e, out, sizeof(out), NULL, NULL), 0);
	assert_non_null(strstr(out, "(incremental): 1 issues"));
	memset(&info, 0, sizeof(info));
	ISG_ASSERT_OK(isg_store_issue_get(&info, e.b.st, OWNER "/" REPO, 9));
	assert_string_equal(info.title.ptr, "Edited by CLI");
	isg_store_issue_info_dispose(&info);
	/* --full fetches everything again. */
	assert_int_equal(run_cli(&e, out, sizeof(out), "--full", NULL), 0);
	assert_non_null(strstr(out, "(full): 1050 issues"));
	assert_non_null(strstr(out, "35 requests (0 not modified)"));
	collector_env_stop(&e.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_resume__continue_spends_only_304s),
		cmocka_unit_test(
		        test_sync_resume__interrupted_first_sync_resumes),
		cmocka_unit_test(test_sync_resume__cli_resumes_and_reports),
	};

	/* A regression fails instead of hanging. */
	alarm(240);
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
