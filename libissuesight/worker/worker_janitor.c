/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker_janitor: PostgreSQL is the record, Redis may lose its memory.
 * The workers keep a marker key, `<prefix>worker:epoch`, that Redis holds
 * as long as it keeps its data. A worker that finds it missing sets it
 * (SET NX: one worker wins) and re-enqueues every PENDING bridge as a
 * context message with `source` "janitor", so a submission whose stream
 * entry was lost is generated all the same. A duplicate of a message
 * still queued is harmless: the issue lock lets one job run, and the
 * other finds the bridge done.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "stream_int.h"
#include "worker_int.h"

#include "issuesight/store_bridge.h"

#define MOD "worker"
#define PENDING_MAX 10000

/* 1 when this call set the marker (it was missing), 0 when present. */
static int epoch_lost(int *lost, isg_worker *w)
{
	char key[ISG__STREAM_PREFIX_MAX + 32], val[32];
	const char *argv[4] = { "SET", key, val, "NX" };
	redisReply *rep = NULL;
	int rc;

	snprintf(key, sizeof(key), "%sworker:epoch",
	         isg__stream_prefix(w->stream));
	snprintf(val, sizeof(val), "%lld", (long long)isg__clock_wall_ms());
	rc = isg__redis_command(&rep, isg__stream_redis(w->stream), 4, argv,
	                        NULL, 1, 0);
	*lost = rc == ISG_OK && rep && rep->type == REDIS_REPLY_STATUS;
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* One context message for a PENDING row of the store's list. */
static int enqueue(isg_worker *w, const cJSON *row)
{
	const char *owner = isg__json_str(row, "owner");
	const char *repo = isg__json_str(row, "repo");
	const char *issue = isg__json_str(row, "issue_id");
	int64_t number = 0;
	isg_buf m = ISG_BUF_INIT;
	int rc;

	if (!owner || !repo || isg__json_i64(row, "number", &number) != ISG_OK)
		return ISG_OK;
	rc = isg__buf_puts(&m, "{\"schema_version\":1,\"project\":\"");
	if (rc == ISG_OK)
		rc = isg__buf_printf(&m, "%s/%s\",\"owner\":", owner, repo);
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(&m, owner, strlen(owner));
	if (rc == ISG_OK)
		rc = isg__buf_puts(&m, ",\"repo\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(&m, repo, strlen(repo));
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        &m,
		        ",\"number\":%lld,\"issue_id\":\"%s\",\"source\":\"janitor\"}",
		        (long long)number, issue ? issue : "");
	if (rc == ISG_OK)
		rc = isg_stream_add(NULL, w->stream, ISG_STREAM_CONTEXTS, m.ptr,
		                    m.size);
	isg_buf_dispose(&m);
	return rc;
}

int isg__worker_janitor_run(long long *out, isg_worker *w)
{
	isg_buf list = ISG_BUF_INIT;
	cJSON *arr = NULL;
	const cJSON *row;
	long long n = 0;
	int rc, lost = 0;

	if (out)
		*out = 0;
	if ((rc = epoch_lost(&lost, w)) != ISG_OK || !lost)
		return rc;
	rc = isg_store_bridge_pending(&list, w->store, 0, PENDING_MAX);
	if (rc == ISG_OK &&
	    !(arr = isg__json_parse(list.ptr, list.size, MOD, "pending list")))
		rc = isg_error_last()->code;
	cJSON_ArrayForEach(row, arr)
	{
		if (rc != ISG_OK)
			break;
		rc = enqueue(w, row);
		if (rc == ISG_OK)
			n++;
	}
	if (rc != ISG_OK) {
		/* Try again at the next check: drop the marker. */
		char key[ISG__STREAM_PREFIX_MAX + 32];
		const char *argv[2] = { "DEL", key };
		redisReply *rep = NULL;

		snprintf(key, sizeof(key), "%sworker:epoch",
		         isg__stream_prefix(w->stream));
		isg__redis_command(&rep, isg__stream_redis(w->stream), 2, argv,
		                   NULL, 1, 0);
		if (rep)
			freeReplyObject(rep);
	}
	if (n)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "Redis lost its memory: %lld PENDING bridges "
		               "enqueued again",
		               n);
	ISG__WORKER_COUNT(w, janitor_enqueued, n);
	cJSON_Delete(arr);
	isg_buf_dispose(&list);
	if (out)
		*out = n;
	return rc;
}
