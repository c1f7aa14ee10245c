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
	"repository",     "issue",  "issues", "repo_comments",
	"issue_comments", "labels", "commit", "tarball"
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

/* How a sample's value is read from the snapshot. */
typedef enum sample_kind {
	SAMPLE_LL,        /* long long at `off` */
	SAMPLE_U64,       /* uint64_t at `off` */
	SAMPLE_SECONDS,   /* double at `off`, printed with 3 decimals */
	SAMPLE_LL_DIFF,   /* long long at `off` minus long long at `off2` */
	SAMPLE_BY_STATUS, /* by_status: one sample per endpoint and status
	                     that was counted */
} sample_kind;

/* One line of the exposition. A row with a `type` opens a metric family
 * (its HELP and TYPE lines); the rows after it without one add samples
 * with other labels to the same family. */
typedef struct metric_row {
	const char *name;
	const char *type; /* "counter", "gauge", or NULL: same family */
	const char *help;
	const char *labels; /* "{result=\"done\"}", or "" */
	sample_kind kind;
	size_t off, off2; /* offsets in isg__collector_metrics */
} metric_row;

#define AT(field) offsetof(isg__collector_metrics, field)

static const metric_row metric_rows[] = {
	{ "isg_collector_github_requests_total", "counter",
	  "GitHub requests by endpoint and HTTP status (0: no answer).", "",
	  SAMPLE_BY_STATUS, 0, 0 },
	{ "isg_collector_github_not_modified_total", "counter",
	  "GitHub answers 304 Not Modified (free of rate limit).", "",
	  SAMPLE_U64, AT(gh.not_modified), 0 },
	{ "isg_collector_github_rate_limit_remaining", "gauge",
	  "Last x-ratelimit-remaining seen (-1: none yet).", "", SAMPLE_LL,
	  AT(gh.rate_remaining), 0 },
	{ "isg_collector_github_waits_total", "counter",
	  "Waits for rate limits and retries.", "", SAMPLE_U64, AT(gh.waits),
	  0 },
	{ "isg_collector_github_wait_seconds_total", "counter",
	  "Seconds spent in those waits.", "", SAMPLE_SECONDS,
	  AT(gh.seconds_waited), 0 },
	{ "isg_collector_issues_upserted_total", "counter",
	  "Issues and pull requests upserted.", "", SAMPLE_LL, AT(issues), 0 },
	{ "isg_collector_comments_total", "counter",
	  "Comments received from GitHub.", "", SAMPLE_LL, AT(comments), 0 },
	{ "isg_collector_contexts_pushed_total", "counter",
	  "Context messages pushed to the contexts stream.", "", SAMPLE_LL,
	  AT(contexts), 0 },
	{ "isg_collector_tasks_total", "counter", "Tasks handled, by result.",
	  "{result=\"done\"}", SAMPLE_LL, AT(tasks_done), 0 },
	{ "isg_collector_tasks_total", NULL, NULL, "{result=\"failed\"}",
	  SAMPLE_LL, AT(tasks_failed), 0 },
	{ "isg_collector_tasks_total", NULL, NULL, "{result=\"dead\"}",
	  SAMPLE_LL, AT(tasks_dead), 0 },
	{ "isg_collector_polls_total", "counter",
	  "Tracked-project polls, by result.", "{result=\"ok\"}",
	  SAMPLE_LL_DIFF, AT(polls), AT(poll_errors) },
	{ "isg_collector_polls_total", NULL, NULL, "{result=\"error\"}",
	  SAMPLE_LL, AT(poll_errors), 0 },
	{ "isg_collector_stream_lag", "gauge",
	  "Tasks not yet delivered to the group (XINFO GROUPS lag; pending count on Redis < 7).",
	  "", SAMPLE_LL, AT(lag), 0 },
	{ "isg_collector_stream_pending", "gauge",
	  "Tasks delivered but not acknowledged.", "", SAMPLE_LL, AT(pending),
	  0 },
};

static long long ll_at(const isg__collector_metrics *m, size_t off)
{
	long long v;

	memcpy(&v, (const char *)m + off, sizeof(v));
	return v;
}

static int render_by_status(isg_buf *b, const metric_row *r,
                            const isg__collector_metrics *m)
{
	int rc = ISG_OK, e, s;

	for (e = 0; rc == ISG_OK && e < ISG_GITHUB_EP_COUNT; e++)
		for (s = 0; rc == ISG_OK && s < ISG__COLLECTOR_NSTATUS; s++)
			if (m->by_status[e][s] > 0)
				rc = isg__buf_printf(
				        b,
				        "%s{endpoint=\"%s\",status=\"%d\"} %llu\n",
				        r->name, endpoint_names[e],
				        isg__collector_statuses[s],
				        (unsigned long long)m->by_status[e][s]);
	return rc;
}

/* Appends the lines of one row: the family's HELP and TYPE when it opens
 * one, then its sample(s). */
static int render_row(isg_buf *b, const metric_row *r,
                      const isg__collector_metrics *m)
{
	const char *p = (const char *)m + r->off;
	uint64_t u;
	double d;
	int rc = ISG_OK;

	if (r->type)
		rc = isg__buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", r->name,
		                     r->help, r->name, r->type);
	if (rc != ISG_OK)
		return rc;
	switch (r->kind) {
	case SAMPLE_BY_STATUS:
		return render_by_status(b, r, m);
	case SAMPLE_U64:
		memcpy(&u, p, sizeof(u));
		return isg__buf_printf(b, "%s%s %llu\n", r->name, r->labels,
		                       (unsigned long long)u);
	case SAMPLE_SECONDS:
		memcpy(&d, p, sizeof(d));
		return isg__buf_printf(b, "%s%s %.3f\n", r->name, r->labels, d);
	case SAMPLE_LL_DIFF:
		return isg__buf_printf(b, "%s%s %lld\n", r->name, r->labels,
		                       ll_at(m, r->off) - ll_at(m, r->off2));
	case SAMPLE_LL:
	default:
		return isg__buf_printf(b, "%s%s %lld\n", r->name, r->labels,
		                       ll_at(m, r->off));
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
	for (i = 0;
	     rc == ISG_OK && i < sizeof(metric_rows) / sizeof(metric_rows[0]);
	     i++)
		rc = render_row(&b, &metric_rows[i], &m);
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
	isg_buf_dispose(&b);
	return rc;
}
