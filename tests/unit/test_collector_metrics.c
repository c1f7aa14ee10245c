/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's Prometheus exposition (isg_collector_metrics()) rendered
 * from a known snapshot: every family with its HELP and TYPE lines, its
 * samples in order, labels and number formats, byte for byte.
 */
#include "isg_test.h"

#include <pthread.h>
#include <string.h>

#include "collector_int.h"

static const char expected[] =
        "# HELP isg_collector_github_requests_total GitHub requests by endpoint and HTTP status (0: no answer).\n"
        "# TYPE isg_collector_github_requests_total counter\n"
        "isg_collector_github_requests_total{endpoint=\"repository\",status=\"200\"} 9\n"
        "isg_collector_github_requests_total{endpoint=\"labels\",status=\"503\"} 4\n"
        "# HELP isg_collector_github_not_modified_total GitHub answers 304 Not Modified (free of rate limit).\n"
        "# TYPE isg_collector_github_not_modified_total counter\n"
        "isg_collector_github_not_modified_total 7\n"
        "# HELP isg_collector_github_rate_limit_remaining Last x-ratelimit-remaining seen (-1: none yet).\n"
        "# TYPE isg_collector_github_rate_limit_remaining gauge\n"
        "isg_collector_github_rate_limit_remaining 4999\n"
        "# HELP isg_collector_github_waits_total Waits for rate limits and retries.\n"
        "# TYPE isg_collector_github_waits_total counter\n"
        "isg_collector_github_waits_total 2\n"
        "# HELP isg_collector_github_wait_seconds_total Seconds spent in those waits.\n"
        "# TYPE isg_collector_github_wait_seconds_total counter\n"
        "isg_collector_github_wait_seconds_total 1.500\n"
        "# HELP isg_collector_issues_upserted_total Issues and pull requests upserted.\n"
        "# TYPE isg_collector_issues_upserted_total counter\n"
        "isg_collector_issues_upserted_total 11\n"
        "# HELP isg_collector_comments_total Comments received from GitHub.\n"
        "# TYPE isg_collector_comments_total counter\n"
        "isg_collector_comments_total 12\n"
        "# HELP isg_collector_contexts_pushed_total Context messages pushed to the contexts stream.\n"
        "# TYPE isg_collector_contexts_pushed_total counter\n"
        "isg_collector_contexts_pushed_total 13\n"
        "# HELP isg_collector_tasks_total Tasks handled, by result.\n"
        "# TYPE isg_collector_tasks_total counter\n"
        "isg_collector_tasks_total{result=\"done\"} 21\n"
        "isg_collector_tasks_total{result=\"failed\"} 22\n"
        "isg_collector_tasks_total{result=\"dead\"} 23\n"
        "# HELP isg_collector_polls_total Tracked-project polls, by result.\n"
        "# TYPE isg_collector_polls_total counter\n"
        "isg_collector_polls_total{result=\"ok\"} 37\n"
        "isg_collector_polls_total{result=\"error\"} 3\n"
        "# HELP isg_collector_stream_lag Tasks not yet delivered to the group (XINFO GROUPS lag; pending count on Redis < 7).\n"
        "# TYPE isg_collector_stream_lag gauge\n"
        "isg_collector_stream_lag -1\n"
        "# HELP isg_collector_stream_pending Tasks delivered but not acknowledged.\n"
        "# TYPE isg_collector_stream_pending gauge\n"
        "isg_collector_stream_pending 5\n";

static void test_collector_metrics__text_is_exact(void **state)
{
	isg_collector c;
	isg_buf out = ISG_BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	pthread_mutex_init(&c.mu, NULL);
	c.m.issues = 11;
	c.m.comments = 12;
	c.m.contexts = 13;
	c.m.tasks_done = 21;
	c.m.tasks_failed = 22;
	c.m.tasks_dead = 23;
	c.m.polls = 40;
	c.m.poll_errors = 3;
	c.m.lag = -1;
	c.m.pending = 5;
	c.m.gh.not_modified = 7;
	c.m.gh.rate_remaining = 4999;
	c.m.gh.waits = 2;
	c.m.gh.seconds_waited = 1.5;
	c.m.by_status[0][1] = 9;
	c.m.by_status[ISG_GITHUB_EP_LABELS][ISG__COLLECTOR_NSTATUS - 1] = 4;
	ISG_ASSERT_OK(isg_collector_metrics(&out, &c));
	assert_string_equal(out.ptr, expected);
	isg_buf_dispose(&out);
	pthread_mutex_destroy(&c.mu);
}

static void test_collector_metrics__null_arguments(void **state)
{
	isg_buf out = ISG_BUF_INIT;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, isg_collector_metrics(&out, NULL));
	assert_non_null(strstr(isg_error_last()->message, "required"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collector_metrics__text_is_exact),
		cmocka_unit_test(test_collector_metrics__null_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
