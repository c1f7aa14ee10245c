/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_metrics: tracking projects, polling on demand, health and the
 * Prometheus text exposition (format 0.0.4) of the collector's counters.
 * The metrics are rendered from a snapshot under the collector's mutex,
 * so the HTTP thread never touches the GitHub client or Redis.
 */
#include <stdio.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"

#define MOD "collector"

static const char *const endpoint_names[ISG_GITHUB_EP_COUNT] = {
	"repository",    "issue",          "issues",
	"repo_comments", "issue_comments", "labels"
};

int isg_collector_track(char out[ISG_STORE_ID_SIZE], isg_collector *c,
                        const char *owner, const char *repo, int tracked)
{
	char id[ISG_STORE_ID_SIZE], full[210];
	int rc;

	if (out)
		out[0] = '\0';
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if ((rc = isg__collector_check_name(owner, "owner")) != ISG_OK ||
	    (rc = isg__collector_check_name(repo, "repo")) != ISG_OK)
		return rc;
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	rc = isg_store_project_find(id, c->store, full);
	if (rc == ISG_ENOTFOUND && tracked)
		rc = isg__collector_project(id, c, owner, repo);
	if (rc != ISG_OK)
		return rc;
	rc = isg_store_project_set_tracked(c->store, id, tracked ? 1 : 0);
	if (rc == ISG_OK && out)
		memcpy(out, id, ISG_STORE_ID_SIZE);
	isg__collector_snapshot(c);
	return rc;
}

int isg_collector_healthy(isg_collector *c)
{
	int ok;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->mu);
	ok = c->m.last_round_ms != 0 &&
	     isg__now_ms() - c->m.last_round_ms < 60000 &&
	     c->m.last_round_rc != ISG_EUNAVAILABLE &&
	     c->m.last_round_rc != ISG_ETIMEOUT;
	pthread_mutex_unlock(&c->mu);
	return ok && !c->stop;
}

static int metric(isg_buf *b, const char *name, const char *type,
                  const char *help)
{
	return isg__buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	                       name, type);
}

int isg_collector_metrics(isg_buf *out, isg_collector *c)
{
	isg__collector_metrics m;
	isg_buf b = ISG_BUF_INIT;
	int rc, e, s;

	if (!out || !c)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "out and the collector are required");
	pthread_mutex_lock(&c->mu);
	m = c->m;
	pthread_mutex_unlock(&c->mu);
	rc = metric(&b, "isg_collector_github_requests_total", "counter",
	            "GitHub requests by endpoint and HTTP status (0: no "
	            "answer).");
	for (e = 0; rc == ISG_OK && e < ISG_GITHUB_EP_COUNT; e++)
		for (s = 0; rc == ISG_OK && s < ISG__COLLECTOR_NSTATUS; s++)
			if (m.by_status[e][s] > 0)
				rc = isg__buf_printf(
				        &b,
				        "isg_collector_github_requests_total{"
				        "endpoint=\"%s\",status=\"%d\"} %llu\n",
				        endpoint_names[e],
				        isg__collector_statuses[s],
				        (unsigned long long)m.by_status[e][s]);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_github_not_modified_total",
		            "counter",
		            "GitHub answers 304 Not Modified (free of rate "
		            "limit).");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b,
		                     "isg_collector_github_not_modified_total "
		                     "%llu\n",
		                     (unsigned long long)m.gh.not_modified);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_github_rate_limit_remaining",
		            "gauge",
		            "Last x-ratelimit-remaining seen (-1: none yet).");
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &b,
		        "isg_collector_github_rate_limit_remaining "
		        "%lld\n",
		        m.gh.rate_remaining);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_github_waits_total", "counter",
		            "Waits for rate limits and retries.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b,
		                     "isg_collector_github_waits_total %llu\n",
		                     (unsigned long long)m.gh.waits);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_github_wait_seconds_total",
		            "counter", "Seconds spent in those waits.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b,
		                     "isg_collector_github_wait_seconds_total "
		                     "%.3f\n",
		                     m.gh.seconds_waited);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_issues_upserted_total",
		            "counter", "Issues and pull requests upserted.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &b, "isg_collector_issues_upserted_total %lld\n",
		        m.issues);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_comments_total", "counter",
		            "Comments received from GitHub.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b, "isg_collector_comments_total %lld\n",
		                     m.comments);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_contexts_pushed_total",
		            "counter",
		            "Context messages pushed to the contexts stream.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &b, "isg_collector_contexts_pushed_total %lld\n",
		        m.contexts);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_tasks_total", "counter",
		            "Tasks handled, by result.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &b,
		        "isg_collector_tasks_total{result=\"done\"} %lld\n"
		        "isg_collector_tasks_total{result=\"failed\"} %lld\n"
		        "isg_collector_tasks_total{result=\"dead\"} %lld\n",
		        m.tasks_done, m.tasks_failed, m.tasks_dead);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_polls_total", "counter",
		            "Tracked-project polls, by result.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &b,
		        "isg_collector_polls_total{result=\"ok\"} %lld\n"
		        "isg_collector_polls_total{result=\"error\"} %lld\n",
		        m.polls - m.poll_errors, m.poll_errors);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_stream_lag", "gauge",
		            "Tasks not yet delivered to the group (XINFO "
		            "GROUPS lag; pending count on Redis < 7).");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b, "isg_collector_stream_lag %lld\n",
		                     m.lag);
	if (rc == ISG_OK)
		rc = metric(&b, "isg_collector_stream_pending", "gauge",
		            "Tasks delivered but not acknowledged.");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&b, "isg_collector_stream_pending %lld\n",
		                     m.pending);
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
	isg_buf_dispose(&b);
	return rc;
}

int isg_collector_poll(isg_collector_round *out, isg_collector *c)
{
	isg_collector_round round;
	int rc;

	memset(&round, 0, sizeof(round));
	if (out)
		*out = round;
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if (!c->stream)
		return isg__error_set(ISG_ESTATE, MOD,
		                      "polling needs a stream (REDIS_URL)");
	rc = isg__collector_poll_all(c, &round);
	isg__collector_snapshot(c);
	if (out)
		*out = round;
	return rc;
}
