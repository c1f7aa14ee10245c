/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker_job: turns a context message into a job ready for the model or
 * for the write: the issue from the store, its content row (made PENDING
 * when missing), the unlock of the user who asked, the issue lock, the
 * repository snapshot and index, and the offline bridge.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "worker_int.h"

#include "issuesight/snapshot.h"
#include "issuesight/store_bridge.h"
#include "issuesight/store_content.h"
#include "issuesight/store_issue.h"
#include "issuesight/store_user.h"

#define MOD "worker"
/* Comments handed to the model, most recent first. */
#define MAX_COMMENTS 8

void isg__worker_job_free(isg__worker_job *job)
{
	if (!job)
		return;
	isg_bridge_free(job->bridge);
	isg_bridge_free(job->offline);
	isg__alloc_free((void *)job->comments);
	isg_issue_free(job->issue);
	isg_repo_free(job->repo_h);
	isg__alloc_free(job->data);
	isg__alloc_free(job);
}

static int copy_field(char *dst, size_t n, const cJSON *m, const char *key,
                      int required)
{
	const char *v = isg__json_str(m, key);

	dst[0] = '\0';
	if (!v)
		return required ? isg__error_set(ISG_EINVALID, MOD,
		                                 "context message without '%s'",
		                                 key)
		                : ISG_OK;
	if (strlen(v) >= n)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "'%s' of a context message is too long",
		                      key);
	snprintf(dst, n, "%s", v);
	return ISG_OK;
}

/* Reads the fields the worker needs; `lock` goes into `lock_text`. */
static int parse_message(isg__worker_job *job, char *lock_text, size_t ln)
{
	cJSON *m = isg__json_parse(job->data, job->len, MOD, "context message");
	int64_t number = 0;
	int rc;

	if (!m)
		return isg_error_last()->code;
	rc = copy_field(job->owner, sizeof(job->owner), m, "owner", 1);
	if (rc == ISG_OK)
		rc = copy_field(job->repo, sizeof(job->repo), m, "repo", 1);
	if (rc == ISG_OK)
		rc = copy_field(job->source, sizeof(job->source), m, "source",
		                0);
	if (rc == ISG_OK)
		rc = copy_field(job->requested_by, sizeof(job->requested_by), m,
		                "requested_by", 0);
	if (rc == ISG_OK)
		rc = copy_field(lock_text, ln, m, "lock", 0);
	if (rc == ISG_OK && (isg__json_i64(m, "number", &number) != ISG_OK ||
	                     number < 1 || number > 2147483647))
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "context message without a valid 'number'");
	cJSON_Delete(m);
	job->number = number;
	snprintf(job->full, sizeof(job->full), "%s/%s", job->owner, job->repo);
	return rc;
}

/* The issue's archived row and its content row (created PENDING when
 * missing); the user who asked gets the content. *raw receives the
 * GitHub payload. */
static int load_issue(isg__worker_job *job, isg_buf *raw, int *status)
{
	isg_worker *w = job->w;
	isg_store_issue_info info;
	isg_store_content_ref ref;
	isg_store_unlock u;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = isg_store_issue_get(&info, w->store, job->full, (int)job->number);
	if (rc == ISG_OK)
		rc = isg_store_content_ensure(&ref, w->store, info.id);
	if (rc != ISG_OK)
		goto done;
	snprintf(job->issue_id, sizeof(job->issue_id), "%s", info.id);
	snprintf(job->content_id, sizeof(job->content_id), "%s", ref.id);
	*status = ref.status;
	*raw = info.raw_json;
	memset(&info.raw_json, 0, sizeof(info.raw_json));
	if (job->requested_by[0]) {
		rc = isg_store_tutorial_unlock(&u, w->store, job->requested_by,
		                               ref.id);
		if (rc == ISG_EINVALID) { /* a user deleted since: no unlock */
			isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
			               "requested_by of %s#%lld: %s", job->full,
			               job->number, isg_error_last()->message);
			rc = ISG_OK;
		}
	}
done:
	isg_store_issue_info_dispose(&info);
	return rc;
}

/* Takes over the gateway's lock (extending it) or takes the lock. */
static int take_lock(isg__worker_job *job, const char *lock_text)
{
	isg_worker *w = job->w;
	isg_buf key = ISG_BUF_INIT;
	int rc;

	rc = isg_lock_issue_key(&key, job->full, (int)job->number);
	if (rc != ISG_OK)
		return rc;
	snprintf(job->lock_key, sizeof(job->lock_key), "%s", key.ptr);
	isg_buf_dispose(&key);
	rc = ISG_ECONFLICT;
	if (lock_text[0] &&
	    isg_lock_token_parse(&job->lock, lock_text) == ISG_OK)
		rc = isg_lock_extend(w->lock, job->lock_key, &job->lock,
		                     w->lock_ttl_ms);
	if (rc == ISG_ECONFLICT)
		rc = isg_lock_acquire(&job->lock, w->lock, job->lock_key,
		                      w->lock_ttl_ms);
	job->have_lock = rc == ISG_OK;
	return rc;
}

/* The snapshot at the default branch's head, indexed. */
static int open_repo(isg__worker_job *job)
{
	isg_worker *w = job->w;
	isg_snapshot_fetch_options so = ISG_SNAPSHOT_FETCH_OPTIONS_INIT;
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_buf dir = ISG_BUF_INIT;
	int rc;

	so.cache_dir = w->cache_dir;
	so.config = w->config;
	rc = isg_snapshot_fetch(&dir, NULL, w->github, job->owner, job->repo,
	                        &so);
	if (rc == ISG_OK) {
		ro.path_or_url = dir.ptr;
		ro.cache_dir = w->cache_dir;
		ro.config = w->config;
		rc = isg_repo_open(&job->repo_h, &ro);
	}
	isg_buf_dispose(&dir);
	return rc;
}

/* The offline bridge and the engine's input. */
static int offline_bridge(isg__worker_job *job, const isg_buf *raw)
{
	isg_bridge_options bo = ISG_BRIDGE_OPTIONS_INIT;
	size_t i, n;
	int rc;

	bo.repo_handle = job->repo_h;
	bo.issue_json = raw->ptr;
	bo.issue_json_len = raw->size;
	bo.issue_repo = job->full;
	rc = isg_bridge_generate(&job->offline, &bo);
	if (rc == ISG_OK)
		rc = isg_issue_parse(&job->issue, raw->ptr, raw->size);
	if (rc != ISG_OK)
		return rc;
	n = job->issue->ncomments < MAX_COMMENTS ? job->issue->ncomments
	                                         : MAX_COMMENTS;
	job->comments = isg__alloc_calloc(n ? n : 1, sizeof(char *));
	if (!job->comments)
		return isg__error_oom(MOD);
	for (i = 0; i < n; i++) {
		const char *b =
		        job->issue->comments[job->issue->ncomments - 1 - i]
		                .body;

		job->comments[i] = b ? b : "";
	}
	job->in.version = ISG_BRIDGE_LLM_INPUT_VERSION;
	job->in.offline = job->offline;
	job->in.issue_body = job->issue->body;
	job->in.comments = job->comments;
	job->in.ncomments = n;
	job->in.repo = job->repo_h;
	return ISG_OK;
}

static int is_permanent(int rc)
{
	return rc == ISG_EINVALID || rc == ISG_EPARSE || rc == ISG_ENOTFOUND ||
	       rc == ISG_EGONE || rc == ISG_EFORBIDDEN || rc == ISG_ETOOBIG;
}

/* After the content row: too many deliveries, the lock, the code. */
static int prepare_job(isg__worker_job *job, const char *lock_text,
                       const isg_buf *raw)
{
	isg_worker *w = job->w;
	int rc;

	if ((rc = take_lock(job, lock_text)) != ISG_OK)
		return rc;
	if (job->deliveries > w->max_deliveries) {
		char why[200];

		snprintf(
		        why, sizeof(why),
		        "the generation was attempted %lld times without finishing (workers died, stalled or kept failing)",
		        job->deliveries - 1);
		return isg__worker_give_up(job, ISG_EGONE, why);
	}
	rc = open_repo(job);
	if (rc == ISG_OK)
		rc = offline_bridge(job, raw);
	if (rc != ISG_OK && is_permanent(rc))
		return isg__worker_give_up(job, rc, isg_error_last()->message);
	if (rc != ISG_OK)
		isg__worker_unlock(job);
	return rc;
}

static int new_job(isg__worker_job **out, isg_worker *w,
                   const isg_stream_message *msg)
{
	isg__worker_job *job = isg__alloc_calloc(1, sizeof(*job));

	*out = job;
	if (!job || !(job->data = isg__alloc_strndup(msg->data, msg->len)))
		return isg__error_oom(MOD);
	job->w = w;
	job->len = msg->len;
	job->deliveries = msg->deliveries;
	job->started_ms = isg__clock_now_ms();
	snprintf(job->entry_id, sizeof(job->entry_id), "%s", msg->id);
	return ISG_OK;
}

int isg__worker_prepare(isg__worker_job **out, isg_worker *w,
                        const isg_stream_message *msg)
{
	char lock_text[ISG_LOCK_TOKEN_TEXT_SIZE + 8];
	isg__worker_job *job = NULL;
	isg_buf raw = ISG_BUF_INIT;
	int rc, status = ISG_STORE_PENDING;

	*out = NULL;
	rc = new_job(&job, w, msg);
	if (rc == ISG_OK)
		rc = parse_message(job, lock_text, sizeof(lock_text));
	if (rc == ISG_OK)
		rc = load_issue(job, &raw, &status);
	if (rc != ISG_OK || status != ISG_STORE_PENDING)
		goto done; /* not PENDING: done already */
	rc = prepare_job(job, lock_text, &raw);
	if (rc != ISG_OK)
		goto done;
	if (w->engine && w->llm &&
	    (strcmp(job->source, "poll") != 0 || w->llm_for_poll))
		job->state = ISG__WORKER_JOB_MODEL;
	else
		job->state = ISG__WORKER_JOB_WRITE;
	*out = job;
	job = NULL;
done:
	isg_buf_dispose(&raw);
	isg__worker_job_free(job);
	return rc;
}
