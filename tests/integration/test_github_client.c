/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GitHub client against the in-process fake GitHub: pagination by link
 * headers, conditional requests, primary and secondary rate limits, 5xx
 * retries, 404/410, truncated and oversized bodies, and the headers sent.
 * Waits go through a recording sleep function that advances the fake's
 * clock instead of sleeping, so nothing here really waits for minutes.
 */
#include "isg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "fake_github.h"

#define OWNER "octo-org"
#define REPO "hello-world"

typedef struct env {
	fake_github *fg;
	isg_github *gh;
	double sleeps[64];
	int nsleeps;
	double offset; /* test clock = real time + offset */
	int cancel;
} env;

static double real_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static double clock_fn(void *payload)
{
	return real_now() + ((env *)payload)->offset;
}

/* Records the wait and moves both clocks forward instead of sleeping. */
static int sleep_fn(double seconds, void *payload)
{
	env *e = payload;

	if (e->nsleeps < 64)
		e->sleeps[e->nsleeps++] = seconds;
	e->offset += seconds;
	fake_github_advance(e->fg, seconds);
	return e->cancel;
}

static isg_github *client(env *e, const char *token, long long max_bytes,
                          int max_wait_s)
{
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	isg_github *gh = NULL;

	o.base_url = fake_github_url(e->fg);
	o.token = token;
	o.max_response_bytes = max_bytes;
	o.max_wait_s = max_wait_s;
	o.sleep_fn = sleep_fn;
	o.sleep_payload = e;
	o.clock_fn = clock_fn;
	o.clock_payload = e;
	o.jitter_seed = 42;
	o.timeout_s = 20;
	ISG_ASSERT_OK(isg_github_new(&gh, &o));
	return gh;
}

static int setup(void **state)
{
	fake_github_options fo = { 0 };
	env *e = calloc(1, sizeof(*e));

	fo.issues = 250;
	fo.pulls = 50;
	fo.comments = 420;
	fo.seed = 7;
	if (!e || fake_github_start(&e->fg, &fo) != 0)
		return -1;
	e->gh = client(e, NULL, 0, 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;

	isg_github_free(e->gh);
	fake_github_stop(e->fg);
	free(e);
	return 0;
}

typedef struct tally {
	int items, prs, with_raw;
	int64_t last_number;
} tally;

static int on_issue(const isg_issue *is, const char *raw, size_t len,
                    void *payload)
{
	tally *t = payload;

	t->items++;
	t->prs += is->is_pull_request;
	t->with_raw += raw && len == strlen(raw) && raw[0] == '{' &&
	               strstr(raw, "\"number\"") != NULL;
	t->last_number = is->number;
	return 0;
}

static int on_comment(const isg_comment *c, const char *raw, size_t len,
                      void *payload)
{
	tally *t = payload;

	(void)raw;
	(void)len;
	t->items++;
	t->last_number = c->issue_number;
	return 0;
}

static int on_label(const isg_label *l, const char *raw, size_t len,
                    void *payload)
{
	tally *t = payload;

	(void)raw;
	(void)len;
	t->items += l->name != NULL;
	return 0;
}

static void test_github_client__pagination_follows_link_headers(void **state)
{
	env *e = *state;
	tally t = { 0 };
	char uri[2048];

	fake_github_reset_counts(e->fg);
	ISG_ASSERT_OK(
	        isg_github_list_issues(e->gh, OWNER, REPO, NULL, on_issue, &t));
	assert_int_equal(t.items, 250);
	assert_int_equal(t.prs, 50);
	assert_int_equal(t.with_raw, 250);
	/* ceil(250 / 100) requests, the later ones by the server's links. */
	assert_int_equal(fake_github_count(e->fg, "issues", 200), 3);
	assert_int_equal(
	        isg_github_stats_count(e->gh, ISG_GITHUB_EP_ISSUES, 200), 3);
	fake_github_last_uri(e->fg, uri, sizeof(uri));
	assert_non_null(strstr(uri, "page=3"));
	assert_non_null(strstr(uri, "state=all"));
	assert_non_null(strstr(uri, "sort=updated&direction=asc"));

	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(isg_github_list_repo_comments(e->gh, OWNER, REPO, NULL,
	                                            on_comment, &t));
	assert_int_equal(t.items, 420);
	assert_int_equal(fake_github_count(e->fg, "repo_comments", 200), 5);

	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(
	        isg_github_list_labels(e->gh, OWNER, REPO, NULL, on_label, &t));
	assert_int_equal(t.items, 6);
}

typedef struct pages {
	int n, stop_at;
	char next[1024];
} pages;

static int on_page(const char *next_url, void *payload)
{
	pages *p = payload;

	p->n++;
	snprintf(p->next, sizeof(p->next), "%s", next_url ? next_url : "");
	return p->n == p->stop_at ? ISG_ECANCELLED : 0;
}

static void test_github_client__listing_resumes_from_next_link(void **state)
{
	env *e = *state;
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	pages p = { 0, 1, "" };
	tally t = { 0 };

	/* Fresh answers: earlier listings left ETags for these URLs. */
	isg_github_cache_clear(e->gh);
	fake_github_reset_counts(e->fg);
	lo.page = on_page;
	lo.page_payload = &p;
	/* The page callback's non-zero value stops the listing. */
	assert_int_equal(
	        isg_github_list_issues(e->gh, OWNER, REPO, &lo, on_issue, &t),
	        ISG_ECANCELLED);
	assert_int_equal(t.items, 100);
	assert_non_null(strstr(p.next, "page=2"));
	/* Resumed from the recorded link: only the two other pages. */
	p.stop_at = 0;
	{
		char start[1024];

		snprintf(start, sizeof(start), "%s", p.next);
		lo.start_url = start;
		ISG_ASSERT_OK(isg_github_list_issues(e->gh, OWNER, REPO, &lo,
		                                     on_issue, &t));
	}
	assert_int_equal(t.items, 250);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.next, ""); /* NULL after the last page */
	assert_int_equal(fake_github_count(e->fg, "issues", 200), 3);
	assert_int_equal(fake_github_uri_max(e->fg, 200), 1);
	/* A cursor for another host never gets the token. */
	lo.start_url = "http://127.0.0.2:1/repos/o/r/issues?page=2";
	assert_int_equal(
	        isg_github_list_issues(e->gh, OWNER, REPO, &lo, on_issue, &t),
	        ISG_EINVALID);
	assert_non_null(strstr(isg_error_last()->message, "start_url"));
	lo.start_url = fake_github_url(e->fg); /* a prefix, no path */
	assert_int_equal(
	        isg_github_list_issues(e->gh, OWNER, REPO, &lo, on_issue, &t),
	        ISG_EINVALID);
	assert_int_equal(fake_github_count(e->fg, NULL, -1), 3);
	/* Version 1 options (no start_url, no page callback) still work. */
	isg_github_cache_clear(e->gh);
	lo.version = 1;
	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(
	        isg_github_list_issues(e->gh, OWNER, REPO, &lo, on_issue, &t));
	assert_int_equal(t.items, 250);
}

static void test_github_client__since_and_issue_comments(void **state)
{
	env *e = *state;
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	tally t = { 0 };
	char since[32];
	time_t now = (time_t)fake_github_now(e->fg);
	struct tm tm;
	int64_t id;

	gmtime_r(&now, &tm);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_int_equal(fake_github_edit_issue(e->fg, 3, "Edited", NULL), 0);
	id = fake_github_add_comment(e->fg, 12, "new comment 🎉");
	assert_true(id > 0);
	lo.since = since;
	ISG_ASSERT_OK(
	        isg_github_list_issues(e->gh, OWNER, REPO, &lo, on_issue, &t));
	assert_int_equal(t.items, 2); /* #3 edited, #12 commented */
	assert_int_equal(t.last_number, 12);
	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(isg_github_list_repo_comments(e->gh, OWNER, REPO, &lo,
	                                            on_comment, &t));
	assert_int_equal(t.items, 1);
	assert_int_equal(t.last_number, 12);
	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(isg_github_list_issue_comments(e->gh, OWNER, REPO, 12,
	                                             NULL, on_comment, &t));
	assert_true(t.items >= 1);
	assert_int_equal(t.last_number, 12);
}

static void test_github_client__conditional_request_is_free(void **state)
{
	env *e = *state;
	isg_github_stats s1 = ISG_GITHUB_STATS_INIT, s2 = ISG_GITHUB_STATS_INIT;
	isg_issue *is = NULL;
	isg_repository *r = NULL;
	isg_buf raw = ISG_BUF_INIT;
	tally t = { 0 };
	char inm[128];

	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 20, &raw));
	assert_non_null(is);
	assert_int_equal(is->number, 20);
	assert_true(raw.size > 100);
	isg_issue_free(is);
	ISG_ASSERT_OK(isg_github_stats_get(&s1, e->gh));
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 20, &raw));
	assert_null(is); /* 304: what the caller has is current */
	assert_int_equal(raw.size, 0);
	assert_true(fake_github_last_header(e->fg, "If-None-Match", inm,
	                                    sizeof(inm)));
	ISG_ASSERT_OK(isg_github_stats_get(&s2, e->gh));
	assert_int_equal(s2.not_modified, s1.not_modified + 1);
	assert_int_equal(s2.rate_remaining, s1.rate_remaining); /* free */
	assert_int_equal(
	        isg_github_stats_count(e->gh, ISG_GITHUB_EP_ISSUE, 304), 1);

	ISG_ASSERT_OK(isg_github_get_repository(&r, e->gh, OWNER, REPO, NULL));
	assert_string_equal(r->full_name, OWNER "/" REPO);
	assert_string_equal(r->license_spdx, "LGPL-3.0");
	isg_issue_repository_free(r);

	/* A whole listing again: every page 304, no item, no limit spent. */
	ISG_ASSERT_OK(
	        isg_github_list_issues(e->gh, OWNER, REPO, NULL, on_issue, &t));
	fake_github_reset_counts(e->fg);
	ISG_ASSERT_OK(isg_github_stats_get(&s1, e->gh));
	memset(&t, 0, sizeof(t));
	ISG_ASSERT_OK(
	        isg_github_list_issues(e->gh, OWNER, REPO, NULL, on_issue, &t));
	ISG_ASSERT_OK(isg_github_stats_get(&s2, e->gh));
	assert_int_equal(t.items, 0);
	assert_int_equal(fake_github_count(e->fg, "issues", 304), 3);
	assert_int_equal(s2.rate_remaining, s1.rate_remaining);
	isg_buf_dispose(&raw);
}

static int export_cb(const isg_github_cache_entry *entry, void *payload)
{
	isg_github *other = payload;

	assert_non_null(entry->url);
	assert_int_equal(entry->version, ISG_GITHUB_CACHE_ENTRY_VERSION);
	return isg_github_cache_import(other, entry);
}

static void test_github_client__cache_export_import(void **state)
{
	env *e = *state;
	isg_github *other = client(e, NULL, 0, 0);
	isg_issue *is = NULL;

	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 33, NULL));
	isg_issue_free(is);
	ISG_ASSERT_OK(isg_github_cache_export(e->gh, export_cb, other));
	ISG_ASSERT_OK(isg_github_get_issue(&is, other, OWNER, REPO, 33, NULL));
	assert_null(is); /* the imported ETag made it conditional */
	isg_github_cache_clear(other);
	ISG_ASSERT_OK(isg_github_get_issue(&is, other, OWNER, REPO, 33, NULL));
	assert_non_null(is);
	isg_issue_free(is);
	isg_github_free(other);
}

/* An entry from a newer library is refused by name; a zeroed one (version
 * 0) is read as version 1. */
static void test_github_client__cache_entry_version_is_checked(void **state)
{
	env *e = *state;
	isg_github *other = client(e, NULL, 0, 0);
	isg_github_cache_entry in = ISG_GITHUB_CACHE_ENTRY_INIT;

	in.url = "http://127.0.0.1:1/repos/o/r/issues/1";
	in.etag = "\"abc\"";
	in.version = ISG_GITHUB_CACHE_ENTRY_VERSION + 1;
	ISG_ASSERT_RC(ISG_EINVALID, isg_github_cache_import(other, &in));
	assert_string_equal(
	        isg_error_last()->message,
	        "isg_github_cache_entry.version 2 is newer than this library's 1");
	in.version = 0;
	ISG_ASSERT_OK(isg_github_cache_import(other, &in));
	isg_github_free(other);
}

static void test_github_client__waits_for_reset_when_spent(void **state)
{
	env *e = *state;
	isg_issue *is = NULL;
	double want;

	/* One request left: the answer says remaining 0, so the client waits
	 * for the reset before the next request instead of failing. */
	e->nsleeps = 0;
	fake_github_set_rate(e->fg, 1, 120);
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 40, NULL));
	isg_issue_free(is);
	want = 120.0;
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 41, NULL));
	assert_non_null(is);
	isg_issue_free(is);
	assert_int_equal(e->nsleeps, 1);
	assert_true(fabs(e->sleeps[0] - want) <= 3.0);

	/* Spent without the client knowing: 403 with remaining 0, then a
	 * wait of reset - now and a successful retry. */
	e->nsleeps = 0;
	fake_github_set_rate(e->fg, 0, 90);
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 42, NULL));
	assert_non_null(is);
	isg_issue_free(is);
	assert_int_equal(e->nsleeps, 1);
	assert_true(fabs(e->sleeps[0] - 90.0) <= 3.0);
	assert_int_equal(
	        isg_github_stats_count(e->gh, ISG_GITHUB_EP_ISSUE, 403), 1);
}

static void test_github_client__long_reset_returns_ratelimit(void **state)
{
	env *e = *state;
	isg_github *gh = client(e, NULL, 0, 60);
	isg_issue *is = NULL;

	e->nsleeps = 0;
	fake_github_set_rate(e->fg, 0, 7200);
	ISG_ASSERT_RC(ISG_ERATELIMIT,
	              isg_github_get_issue(&is, gh, OWNER, REPO, 5, NULL));
	assert_null(is);
	assert_true(isg_error_last()->retry_after_s > 7000);
	assert_non_null(strstr(isg_error_last()->message, "GITHUB_MAX_WAIT_S"));
	assert_int_equal(e->nsleeps, 0);
	isg_github_free(gh);
	fake_github_set_rate(e->fg, 5000, 3600);
}

static void test_github_client__secondary_limits(void **state)
{
	env *e = *state;
	isg_issue *is = NULL;

	e->nsleeps = 0;
	fake_github_set_retry_after(e->fg, 7);
	fake_github_inject(e->fg, FAKE_GITHUB_SECONDARY_RETRY_AFTER, 1);
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 50, NULL));
	isg_issue_free(is);
	assert_int_equal(e->nsleeps, 1);
	assert_true(e->sleeps[0] >= 7.0);

	e->nsleeps = 0;
	fake_github_inject(e->fg, FAKE_GITHUB_SECONDARY_429, 1);
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 51, NULL));
	isg_issue_free(is);
	assert_int_equal(e->nsleeps, 1);
	assert_true(e->sleeps[0] >= 7.0);

	/* No retry-after: the message decides, and the wait is >= 60 s and
	 * grows with each repeat. */
	e->nsleeps = 0;
	fake_github_inject(e->fg, FAKE_GITHUB_SECONDARY_NO_RETRY_AFTER, 2);
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 52, NULL));
	isg_issue_free(is);
	assert_int_equal(e->nsleeps, 2);
	assert_true(e->sleeps[0] >= 60.0);
	assert_true(e->sleeps[1] >= 120.0);
}

static void test_github_client__5xx_retried_with_backoff(void **state)
{
	env *e = *state;
	isg_github_stats s = ISG_GITHUB_STATS_INIT;
	tally t = { 0 };
	isg_issue *is = NULL;
	uint64_t retries;

	ISG_ASSERT_OK(isg_github_stats_get(&s, e->gh));
	retries = s.retries;
	e->nsleeps = 0;
	isg_github_cache_clear(e->gh);
	fake_github_inject(e->fg, FAKE_GITHUB_502, 3);
	ISG_ASSERT_OK(
	        isg_github_list_labels(e->gh, OWNER, REPO, NULL, on_label, &t));
	assert_int_equal(t.items, 6);
	assert_int_equal(e->nsleeps, 3);
	assert_true(e->sleeps[0] >= 0.5 && e->sleeps[0] <= 1.0);
	assert_true(e->sleeps[1] >= 1.0 && e->sleeps[1] <= 2.0);
	assert_true(e->sleeps[2] >= 2.0 && e->sleeps[2] <= 4.0);
	ISG_ASSERT_OK(isg_github_stats_get(&s, e->gh));
	assert_int_equal(s.retries, retries + 3);
	assert_int_equal(
	        isg_github_stats_count(e->gh, ISG_GITHUB_EP_LABELS, 502), 3);

	/* More failures than retries: the upstream error, after 5 waits. */
	e->nsleeps = 0;
	fake_github_inject(e->fg, FAKE_GITHUB_502, 6);
	ISG_ASSERT_RC(ISG_EUPSTREAM,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 60, NULL));
	assert_int_equal(e->nsleeps, 5);
	assert_non_null(strstr(isg_error_last()->message, "502"));
}

static void test_github_client__not_found_and_gone_not_retried(void **state)
{
	env *e = *state;
	isg_issue *is = NULL;
	isg_repository *r = NULL;

	e->nsleeps = 0;
	fake_github_reset_counts(e->fg);
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_github_get_issue(&is, e->gh, OWNER,
	                                                  REPO, 99999, NULL));
	assert_null(is);
	assert_int_equal(fake_github_count(e->fg, NULL, -1), 1);
	assert_non_null(strstr(isg_error_last()->message, "/issues/99999"));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_github_get_repository(&r, e->gh, OWNER,
	                                                       "nope", NULL));
	assert_int_equal(fake_github_set_issue_status(e->fg, 70, 410), 0);
	ISG_ASSERT_RC(ISG_EGONE,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 70, NULL));
	assert_int_equal(fake_github_set_issue_status(e->fg, 70, 451), 0);
	ISG_ASSERT_RC(ISG_EGONE,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 70, NULL));
	assert_int_equal(fake_github_set_issue_status(e->fg, 70, 200), 0);
	assert_int_equal(e->nsleeps, 0);
	assert_int_equal(fake_github_count(e->fg, NULL, -1), 4);
}

static void test_github_client__truncated_json_is_eparse(void **state)
{
	env *e = *state;
	isg_issue *is = NULL;
	tally t = { 0 };

	fake_github_inject(e->fg, FAKE_GITHUB_TRUNCATED, 1);
	ISG_ASSERT_RC(ISG_EPARSE,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 81, NULL));
	assert_null(is);
	assert_non_null(strstr(isg_error_last()->message, "/issues/81"));
	assert_non_null(strstr(isg_error_last()->message, "near byte"));
	/* The broken answer was not remembered: the next try gets it all. */
	ISG_ASSERT_OK(isg_github_get_issue(&is, e->gh, OWNER, REPO, 81, NULL));
	assert_non_null(is);
	isg_issue_free(is);
	isg_github_cache_clear(e->gh);
	fake_github_inject(e->fg, FAKE_GITHUB_TRUNCATED, 1);
	ISG_ASSERT_RC(ISG_EPARSE, isg_github_list_issues(e->gh, OWNER, REPO,
	                                                 NULL, on_issue, &t));
	assert_int_equal(t.items, 0);
}

static void test_github_client__oversized_response_is_etoobig(void **state)
{
	env *e = *state;
	isg_github *gh = client(e, NULL, 4096, 0);
	tally t = { 0 };

	ISG_ASSERT_RC(ISG_ETOOBIG, isg_github_list_issues(gh, OWNER, REPO, NULL,
	                                                  on_issue, &t));
	assert_non_null(strstr(isg_error_last()->message, "4096"));
	isg_github_free(gh);
}

static void test_github_client__headers_sent(void **state)
{
	env *e = *state;
	isg_github *gh = client(e, "ghp_faketoken0123456789", 0, 0);
	isg_repository *r = NULL;
	char v[256];

	ISG_ASSERT_OK(isg_github_get_repository(&r, gh, OWNER, REPO, NULL));
	isg_issue_repository_free(r);
	assert_true(fake_github_last_header(e->fg, "Accept", v, sizeof(v)));
	assert_string_equal(v, "application/vnd.github+json");
	assert_true(fake_github_last_header(e->fg, "X-GitHub-Api-Version", v,
	                                    sizeof(v)));
	assert_string_equal(v, "2022-11-28");
	assert_true(fake_github_last_header(e->fg, "User-Agent", v, sizeof(v)));
	assert_non_null(strstr(v, "issuesight/"));
	assert_true(
	        fake_github_last_header(e->fg, "Authorization", v, sizeof(v)));
	assert_string_equal(v, "Bearer ghp_faketoken0123456789");
	isg_github_free(gh);

	ISG_ASSERT_OK(isg_github_get_repository(&r, e->gh, OWNER, REPO, NULL));
	isg_issue_repository_free(r);
	assert_false(
	        fake_github_last_header(e->fg, "Authorization", v, sizeof(v)));
}

static int stop_after_two(const isg_issue *is, const char *raw, size_t len,
                          void *payload)
{
	(void)is;
	(void)raw;
	(void)len;
	return ++*(int *)payload == 2 ? 1234 : 0;
}

static void test_github_client__options_cancel_and_config(void **state)
{
	env *e = *state;
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	const char *envv[] = { "GITHUB_API_URL=http://127.0.0.1:1",
		               "GITHUB_MAX_RETRIES=0", NULL };
	isg_config_options co = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	isg_github *gh = NULL;
	isg_issue *is = NULL;
	int n = 0;

	o.base_url = "ftp://example.com";
	ISG_ASSERT_RC(ISG_EINVALID, isg_github_new(&gh, &o));
	assert_non_null(strstr(isg_error_last()->message, "base_url"));
	o = (isg_github_options)ISG_GITHUB_OPTIONS_INIT;
	o.version = 99;
	ISG_ASSERT_RC(ISG_EINVALID, isg_github_new(&gh, &o));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_github_get_issue(&is, e->gh, "", REPO, 1, NULL));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 0, NULL));
	isg_github_free(NULL);

	/* The callback's value stops the listing and comes back. */
	isg_github_cache_clear(e->gh);
	assert_int_equal(isg_github_list_issues(e->gh, OWNER, REPO, NULL,
	                                        stop_after_two, &n),
	                 1234);

	/* A sleep function that says stop cancels the request. */
	e->cancel = 1;
	fake_github_inject(e->fg, FAKE_GITHUB_502, 1);
	ISG_ASSERT_RC(ISG_ECANCELLED,
	              isg_github_get_issue(&is, e->gh, OWNER, REPO, 2, NULL));
	e->cancel = 0;

	/* From the configuration: nothing listens on port 1, no retry. */
	co.env = envv;
	ISG_ASSERT_OK(isg_config_new(&cfg, &co));
	ISG_ASSERT_OK(isg_github_new_from_config(&gh, cfg, NULL));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE,
	              isg_github_get_issue(&is, gh, OWNER, REPO, 1, NULL));
	isg_github_free(gh);
	isg_config_free(cfg);
}

static void test_github_client__unreachable_is_unavailable(void **state)
{
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	isg_repository *repo = NULL;
	isg_github *gh = NULL;

	(void)state;
	/* Port 1 never has a server here: the connection is refused. */
	o.base_url = "http://127.0.0.1:1";
	o.max_retries = -1; /* no retry */
	o.timeout_s = 10;
	ISG_ASSERT_OK(isg_github_new(&gh, &o));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE,
	              isg_github_get_repository(&repo, gh, "o", "r", NULL));
	isg_github_free(gh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_github_client__pagination_follows_link_headers),
		cmocka_unit_test(test_github_client__since_and_issue_comments),
		cmocka_unit_test(
		        test_github_client__conditional_request_is_free),
		cmocka_unit_test(test_github_client__cache_export_import),
		cmocka_unit_test(
		        test_github_client__cache_entry_version_is_checked),
		cmocka_unit_test(
		        test_github_client__waits_for_reset_when_spent),
		cmocka_unit_test(
		        test_github_client__long_reset_returns_ratelimit),
		cmocka_unit_test(test_github_client__secondary_limits),
		cmocka_unit_test(test_github_client__5xx_retried_with_backoff),
		cmocka_unit_test(
		        test_github_client__not_found_and_gone_not_retried),
		cmocka_unit_test(test_github_client__truncated_json_is_eparse),
		cmocka_unit_test(
		        test_github_client__oversized_response_is_etoobig),
		cmocka_unit_test(test_github_client__headers_sent),
		cmocka_unit_test(test_github_client__options_cancel_and_config),
		cmocka_unit_test(
		        test_github_client__listing_resumes_from_next_link),
		cmocka_unit_test(
		        test_github_client__unreachable_is_unavailable),
	};
	int rc;

	isg_global_init();
	rc = cmocka_run_group_tests(tests, setup, teardown);
	isg_global_shutdown();
	return rc;
}
