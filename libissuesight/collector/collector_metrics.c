/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_metrics: the collector's health and the Prometheus text
 * exposition (format 0.0.4) of its counters, described by a static table.
 * The metrics are rendered from a snapshot under the collector's mutex,
 * so the HTTP thread never touches the GitHub client or Redis.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"

#define MOD "collector"

static const char *const endpoint_names[ISG_GITHUB_EP_COUNT] = {
	"repository",    "issue",          "issues",
	"repo_comments", "issue_comments", "labels"
};

int isg_collector_healthy(isg_collector *c)
{
	int ok;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->mu);
	ok = c->m.last_round_ms != 0 &&
	     isg__clock_now_ms() - c->m.last_round_ms < 60000 &&
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

/* How a metric's value is read from the counters and written. */
enum {
	V_U64,       /* a uint64_t counter at `off` */
	V_LL,        /* a long long at `off` */
	V_SECONDS,   /* a double at `off`, three decimals */
	V_BY_STATUS, /* requests by endpoint and status */
	V_TASKS,     /* tasks by result */
	V_POLLS      /* polls by result */
};

/* The metrics, in exposition order: one walk over this table writes them
 * all. */
static const struct metric_def {
	const char *name, *type, *help;
	int kind;
	size_t off;
} metric_defs[] = {
	{ "isg_collector_github_requests_total", "counter",
	  "GitHub requests by endpoint and HTTP status (0: no answer).",
	  V_BY_STATUS, 0 },
	{ "isg_collector_github_not_modified_total", "counter",
	  "GitHub answers 304 Not Modified (free of rate limit).", V_U64,
	  offsetof(isg__collector_metrics, gh.not_modified) },
	{ "isg_collector_github_rate_limit_remaining", "gauge",
	  "Last x-ratelimit-remaining seen (-1: none yet).", V_LL,
	  offsetof(isg__collector_metrics, gh.rate_remaining) },
	{ "isg_collector_github_waits_total", "counter",
	  "Waits for rate limits and retries.", V_U64,
	  offsetof(isg__collector_metrics, gh.waits) },
	{ "isg_collector_github_wait_seconds_total", "counter",
	  "Seconds spent in those waits.", V_SECONDS,
	  offsetof(isg__collector_metrics, gh.seconds_waited) },
	{ "isg_collector_issues_upserted_total", "counter",
	  "Issues and pull requests upserted.", V_LL,
	  offsetof(isg__collector_metrics, issues) },
	{ "isg_collector_comments_total", "counter",
	  "Comments received from GitHub.", V_LL,
	  offsetof(isg__collector_metrics, comments) },
	{ "isg_collector_contexts_pushed_total", "counter",
	  "Context messages pushed to the contexts stream.", V_LL,
	  offsetof(isg__collector_metrics, contexts) },
	{ "isg_collector_tasks_total", "counter", "Tasks handled, by result.",
	  V_TASKS, 0 },
	{ "isg_collector_polls_total", "counter",
	  "Tracked-project polls, by result.", V_POLLS, 0 },
	{ "isg_collector_stream_lag", "gauge",
	  "Tasks not yet delivered to the group (XINFO GROUPS lag; pending "
	  "count on Redis < 7).",
	  V_LL, offsetof(isg__collector_metrics, lag) },
	{ "isg_collector_stream_pending", "gauge",
	  "Tasks delivered but not acknowledged.", V_LL,
	  offsetof(isg__collector_metrics, pending) },
};

/* The requests counted by endpoint and status; zero counts are left out. */
static int write_by_status(isg_buf *b, const isg__collector_metrics *m)
{
	int rc = ISG_OK, e, s;

	for (e = 0; rc == ISG_OK && e < ISG_GITHUB_EP_COUNT; e++)
		for (s = 0; rc == ISG_OK && s < ISG__COLLECTOR_NSTATUS; s++)
			if (m->by_status[e][s] > 0)
				rc = isg__buf_printf(
				        b,
				        "isg_collector_github_requests_total{"
				        "endpoint=\"%s\",status=\"%d\"} %llu\n",
				        endpoint_names[e],
				        isg__collector_statuses[s],
				        (unsigned long long)m->by_status[e][s]);
	return rc;
}

/* The sample lines of metric `d`. */
static int write_value(isg_buf *b, const struct metric_def *d,
                       const isg__collector_metrics *m)
{
	const char *at = (const char *)m + d->off;

	switch (d->kind) {
	case V_U64:
		return isg__buf_printf(
		        b, "%s %llu\n", d->name,
		        (unsigned long long)*(
		                const uint64_t *)(const void *)at);
	case V_LL:
		return isg__buf_printf(b, "%s %lld\n", d->name,
		                       *(const long long *)(const void *)at);
	case V_SECONDS:
		return isg__buf_printf(b, "%s %.3f\n", d->name,
		                       *(const double *)(const void *)at);
	case V_BY_STATUS:
		return write_by_status(b, m);
	case V_TASKS:
		return isg__buf_printf(
		        b,
		        "isg_collector_tasks_total{result=\"done\"} %lld\n"
		        "isg_collector_tasks_total{result=\"failed\"} %lld\n"
		        "isg_collector_tasks_total{result=\"dead\"} %lld\n",
		        m->tasks_done, m->tasks_failed, m->tasks_dead);
	default: /* V_POLLS */
		return isg__buf_printf(
		        b,
		        "isg_collector_polls_total{result=\"ok\"} %lld\n"
		        "isg_collector_polls_total{result=\"error\"} %lld\n",
		        m->polls - m->poll_errors, m->poll_errors);
	}
}

int isg_collector_metrics(isg_buf *out, isg_collector *c)
{
	isg__collector_metrics m;
	isg_buf b = ISG_BUF_INIT;
	size_t i;
	int rc = ISG_OK;

	if (!out || !c)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "out and the collector are required");
	pthread_mutex_lock(&c->mu);
	m = c->m;
	pthread_mutex_unlock(&c->mu);
	for (i = 0; rc == ISG_OK && i < ISG__ARRAY_SIZE(metric_defs); i++) {
		rc = metric(&b, metric_defs[i].name, metric_defs[i].type,
		            metric_defs[i].help);
		if (rc == ISG_OK)
			rc = write_value(&b, &metric_defs[i], &m);
	}
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
	isg_buf_dispose(&b);
	return rc;
}
