/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker_commit: the end of a job. One transaction stores the bridge
 * (isg_store_bridge_complete(): COMPLETED, concepts, difficulty; only a
 * PENDING row moves and a stale fence loses), or the failure; then the
 * cached bridge is dropped, the issue lock released and the stream entry
 * acknowledged. A write refused because PostgreSQL is down is tried
 * again a second later with the same bridge, so the model is not asked
 * twice.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "worker_int.h"

#include "issuesight/store_bridge.h"
#include "issuesight/store_content.h"

#define MOD "worker"
#define MAX_CONCEPTS 64
/* Wait before writing again after PostgreSQL was down. */
#define WRITE_RETRY_MS 1000

void isg__worker_unlock(isg__worker_job *job)
{
	if (!job->have_lock)
		return;
	if (isg_lock_release(job->w->lock, job->lock_key, &job->lock) != ISG_OK)
		isg__log_write(ISG_LOG_INFO, MOD, NULL, 0,
		               "issue lock %s not released: %s", job->lock_key,
		               isg_error_last()->message);
	job->have_lock = 0;
}

int isg__worker_give_up(isg__worker_job *job, int rc, const char *reason)
{
	char why[ISG__WORKER_REASON_MAX];
	int frc;

	snprintf(why, sizeof(why), "%s", reason ? reason : "unknown error");
	frc = isg_store_content_fail(job->w->store, job->content_id, why,
	                             job->have_lock ? job->lock.fence : 0);
	if (frc == ISG_OK)
		ISG__WORKER_COUNT(job->w, failed, 1);
	isg__worker_unlock(job);
	if (job->w->reader)
		isg_reader_invalidate(job->w->reader, job->owner, job->repo,
		                      job->number);
	return isg__error_set(rc, MOD, "%s", why);
}

static int is_down(int rc)
{
	return rc == ISG_EUNAVAILABLE || rc == ISG_ETIMEOUT || rc == ISG_EIO;
}

/* The bridge's concepts and verdict into the store's record, then the
 * transaction. */
static int write_bridge(isg__worker_job *job, const isg_bridge *b)
{
	const char *slugs[MAX_CONCEPTS];
	isg_store_bridge sb = ISG_STORE_BRIDGE_INIT;
	const isg_bridge_verdict *v = isg_bridge_get_verdict(b);
	isg_buf json = ISG_BUF_INIT;
	size_t i, n = isg_bridge_prerequisite_count(b);
	int rc;

	if (n > MAX_CONCEPTS)
		n = MAX_CONCEPTS;
	for (i = 0; i < n; i++)
	slugs[i] = isg_bridge_prerequisite_at(b, i)->concept;
	rc = isg_bridge_to_json(&json, b, 0);
	if (rc != ISG_OK)
		return rc;
	sb.json = json.ptr;
	sb.len = json.size;
	sb.engine = job->llm ? "llm" : "offline";
	sb.model = job->llm ? job->model : NULL;
	sb.prompt_tokens = job->prompt_tokens;
	sb.completion_tokens = job->completion_tokens;
	sb.fence = job->have_lock ? job->lock.fence : 0;
	sb.difficulty = v ? v->difficulty : NULL;
	sb.junior_friendly = v ? v->junior_friendly : -1;
	sb.concepts = slugs;
	sb.nconcepts = n;
	rc = isg_store_bridge_complete(NULL, job->w->store, job->content_id,
	                               &sb);
	isg_buf_dispose(&json);
	return rc;
}

/* Counts what the write did; ISG_ESTATE and ISG_ECONFLICT mean another
 * job wrote first (a late duplicate), which is not an error. */
static void count_write(isg__worker_job *job, int rc)
{
	isg_worker *w = job->w;

	if (rc == ISG_OK && job->permanent)
		ISG__WORKER_COUNT(w, failed, 1);
	else if (rc == ISG_OK && job->llm)
		ISG__WORKER_COUNT(w, completed_llm, 1);
	else if (rc == ISG_OK)
		ISG__WORKER_COUNT(w, completed_offline, 1);
	else if (rc == ISG_ESTATE || rc == ISG_ECONFLICT)
		ISG__WORKER_COUNT(w, skipped, 1);
}

void isg__worker_commit(isg__worker_job *job)
{
	isg_worker *w = job->w;
	isg_log_field f[2] = { { "issue", job->full }, { "entry", NULL } };
	int rc;

	f[1].value = job->entry_id;
	if (job->permanent)
		rc = isg_store_content_fail(
		        w->store, job->content_id, job->reason,
		        job->have_lock ? job->lock.fence : 0);
	else
		rc = write_bridge(job,
		                  job->bridge ? job->bridge : job->offline);
	if (is_down(rc)) {
		/* Keep the result and try again: the entry stays ours. */
		job->next_write_ms = isg__clock_now_ms() + WRITE_RETRY_MS;
		isg__log_write(ISG_LOG_WARN, MOD, f, 2,
		               "bridge not stored, retrying: %s",
		               isg_error_last()->message);
		return;
	}
	count_write(job, rc);
	if (rc != ISG_OK && rc != ISG_ESTATE && rc != ISG_ECONFLICT) {
		isg__log_write(ISG_LOG_ERROR, MOD, f, 2,
		               "bridge not stored: %s",
		               isg_error_last()->message);
		rc = isg__worker_give_up(job, rc, isg_error_last()->message);
	}
	if (w->reader)
		isg_reader_invalidate(w->reader, job->owner, job->repo,
		                      job->number);
	isg__worker_unlock(job);
	if (rc == ISG_OK || rc == ISG_ESTATE || rc == ISG_ECONFLICT)
		rc = isg_stream_consumer_ack(w->consumer, job->entry_id);
	else
		rc = isg_stream_consumer_dead(
		        w->consumer, job->entry_id, job->data, job->len,
		        job->deliveries, isg_error_last()->message);
	if (rc != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, f, 2,
		               "entry not acknowledged (it will be seen again "
		               "and skipped): %s",
		               isg_error_last()->message);
	job->state = ISG__WORKER_JOB_DONE;
}
