/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker_metrics: the worker's counters, its health, and their Prometheus
 * text exposition (format 0.0.4), described by a static table and
 * rendered from a copy taken under the worker's mutex, so that the HTTP
 * thread never touches Redis, the store or the model client.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "worker_int.h"

#define MOD "worker"

/* Upper bounds of the model latency buckets, in seconds (+Inf after). */
static const double bucket_le[ISG__WORKER_BUCKETS] = { 0.25, 0.5, 1,  2,  5,
	                                               10,   20,  30, 60, 120 };

void isg__worker_metrics_engine(isg_worker *w, const isg_engine_result *r)
{
	double s = (double)r->llm_ms / 1000.0;
	int i;

	if (r->requests <= 0)
		return;
	pthread_mutex_lock(&w->mu);
	w->c.s.llm_requests += r->requests;
	w->c.s.llm_retries +=
	        r->attempts > r->requests ? r->attempts - r->requests : 0;
	w->c.s.prompt_tokens += r->prompt_tokens;
	w->c.s.completion_tokens += r->completion_tokens;
	w->c.s.dropped_ungrounded += (long long)r->report.dropped_paths;
	for (i = 0; i < ISG__WORKER_BUCKETS && s > bucket_le[i]; i++)
		;
	w->c.latency_bucket[i]++;
	w->c.latency_sum_s += s;
	w->c.latency_count++;
	pthread_mutex_unlock(&w->mu);
}

int isg_worker_stats_get(isg_worker_stats *out, isg_worker *w)
{
	if (!out || !w)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "stats and a worker are required");
	pthread_mutex_lock(&w->mu);
	*out = w->c.s;
	pthread_mutex_unlock(&w->mu);
	return ISG_OK;
}

int isg_worker_healthy(isg_worker *w)
{
	int ok;

	if (!w)
		return 0;
	pthread_mutex_lock(&w->mu);
	ok = w->last_round_ms != 0 &&
	     isg__clock_now_ms() - w->last_round_ms < 60000 && w->last_round_ok;
	pthread_mutex_unlock(&w->mu);
	return ok && !w->stop;
}

/* One counter or gauge: a family opens with a type. */
typedef struct metric_row {
	const char *name;
	const char *type; /* NULL: another sample of the family above */
	const char *help;
	const char *labels;
	size_t off; /* of a long long in isg_worker_stats */
} metric_row;

#define AT(field) offsetof(isg_worker_stats, field)

static const metric_row metric_rows[] = {
	{ "isg_worker_jobs_total", "counter", "Jobs by outcome.",
	  "{outcome=\"completed_llm\"}", AT(completed_llm) },
	{ "isg_worker_jobs_total", NULL, NULL,
	  "{outcome=\"completed_offline\"}", AT(completed_offline) },
	{ "isg_worker_jobs_total", NULL, NULL, "{outcome=\"failed\"}",
	  AT(failed) },
	{ "isg_worker_jobs_total", NULL, NULL, "{outcome=\"dead\"}", AT(dead) },
	{ "isg_worker_jobs_total", NULL, NULL, "{outcome=\"skipped\"}",
	  AT(skipped) },
	{ "isg_worker_jobs_total", NULL, NULL, "{outcome=\"retried\"}",
	  AT(retried) },
	{ "isg_worker_reclaims_total", "counter",
	  "Entries claimed from idle consumers.", "", AT(reclaimed) },
	{ "isg_worker_janitor_enqueued_total", "counter",
	  "PENDING bridges enqueued again after Redis lost its memory.", "",
	  AT(janitor_enqueued) },
	{ "isg_worker_in_flight", "gauge", "Jobs in progress.", "",
	  AT(in_flight) },
	{ "isg_worker_llm_requests_total", "counter", "Model requests.", "",
	  AT(llm_requests) },
	{ "isg_worker_llm_retries_total", "counter",
	  "Model attempts retried (429, 5xx, timeouts).", "", AT(llm_retries) },
	{ "isg_worker_llm_tokens_total", "counter", "Tokens by direction.",
	  "{kind=\"prompt\"}", AT(prompt_tokens) },
	{ "isg_worker_llm_tokens_total", NULL, NULL, "{kind=\"completion\"}",
	  AT(completion_tokens) },
	{ "isg_worker_dropped_ungrounded_total", "counter",
	  "Model-named paths the index lacks, dropped from bridges.", "",
	  AT(dropped_ungrounded) },
};

static int histogram(isg_buf *out, const isg__worker_counters *c)
{
	long long cum = 0;
	int i, rc;

	rc = isg__buf_puts(out,
	                   "# HELP isg_worker_llm_latency_seconds Model time "
	                   "per job (all requests).\n"
	                   "# TYPE isg_worker_llm_latency_seconds histogram\n");
	for (i = 0; rc == ISG_OK && i < ISG__WORKER_BUCKETS; i++) {
		cum += c->latency_bucket[i];
		rc = isg__buf_printf(
		        out,
		        "isg_worker_llm_latency_seconds_bucket{le=\""
		        "%g\"} %lld\n",
		        bucket_le[i], cum);
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        out,
		        "isg_worker_llm_latency_seconds_bucket{le=\"+Inf\"} "
		        "%lld\nisg_worker_llm_latency_seconds_sum %.3f\n"
		        "isg_worker_llm_latency_seconds_count %lld\n",
		        c->latency_count, c->latency_sum_s, c->latency_count);
	return rc;
}

int isg_worker_metrics(isg_buf *out, isg_worker *w)
{
	isg__worker_counters c;
	size_t i;
	int rc = ISG_OK;

	if (!out || !w)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "a buffer and a worker are required");
	pthread_mutex_lock(&w->mu);
	c = w->c;
	pthread_mutex_unlock(&w->mu);
	isg__buf_clear(out);
	for (i = 0; rc == ISG_OK && i < ISG__ARRAY_SIZE(metric_rows); i++) {
		const metric_row *r = &metric_rows[i];
		long long v;

		memcpy(&v, (const char *)&c.s + r->off, sizeof(v));
		if (r->type)
			rc = isg__buf_printf(
			        out, "# HELP %s %s\n# TYPE %s %s\n", r->name,
			        r->help, r->name, r->type);
		if (rc == ISG_OK)
			rc = isg__buf_printf(out, "%s%s %lld\n", r->name,
			                     r->labels, v);
	}
	if (rc == ISG_OK)
		rc = histogram(out, &c);
	return rc == ISG_OK ? ISG_OK : isg__error_oom(MOD);
}
