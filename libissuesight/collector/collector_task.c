/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_task: one submitted issue from is:tasks: the message is parsed
 * and checked, the project stored, the issue and its comments fetched and
 * upserted, and its context pushed to is:contexts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"
#include "stream_int.h"

#define MOD "collector"

static int on_task_comment(const isg_comment *cm, const char *raw, size_t len,
                           void *payload)
{
	cJSON *arr = payload, *it;

	(void)cm;
	it = cJSON_ParseWithLength(raw, len);
	if (!it)
		return ISG_ENOMEM;
	if (!cJSON_AddItemToArray(arr, it)) {
		cJSON_Delete(it);
		return ISG_ENOMEM;
	}
	return 0;
}

/* Fetches one issue and its comments, upserts them and pushes the
 * context message (unless it is a pull request). */
static int do_task(isg_collector *c, const isg__collector_task *task,
                   const char *task_id, isg_collector_round *round)
{
	isg__context_src src = { "task", task_id, task->requested_by,
		                 task->lock };
	const char *owner = task->owner, *repo = task->repo;
	int64_t number = task->number;
	isg_collector_sync_stats st;
	isg_github_stats g0 = ISG_GITHUB_STATS_INIT, g1 = ISG_GITHUB_STATS_INIT;
	char project_id[ISG_STORE_ID_SIZE], full[210];
	isg_store_issue_info old;
	isg_buf raw = ISG_BUF_INIT;
	isg_issue *is = NULL;
	cJSON *doc = NULL, *listed = NULL;
	int rc;

	memset(&st, 0, sizeof(st));
	memset(&old, 0, sizeof(old));
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	rc = isg__collector_project(project_id, c, owner, repo);
	if (rc != ISG_OK)
		goto done;
	rc = isg_github_get_issue(&is, c->gh, owner, repo, number, &raw);
	if (rc != ISG_OK)
		goto done;
	if (is) {
		doc = isg__json_parse(raw.ptr, raw.size, MOD, "issue");
	} else {
		/* 304: the stored copy is current. */
		rc = isg_store_issue_get(&old, c->store, full, (int)number);
		if (rc == ISG_ENOTFOUND) {
			isg_github_cache_clear(c->gh);
			rc = isg__error_set(
			        ISG_EUNAVAILABLE, MOD,
			        "issue %s#%lld answered 304 but is not stored; retrying without ETags",
			        full, (long long)number);
		}
		if (rc != ISG_OK)
			goto done;
		doc = isg__json_parse(old.raw_json.ptr, old.raw_json.size, MOD,
		                      "stored issue");
	}
	if (!doc) {
		rc = isg_error_last()->code;
		goto done;
	}
	listed = cJSON_CreateArray();
	if (!listed) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	isg_github_stats_get(&g0, c->gh);
	rc = isg_github_list_issue_comments(c->gh, owner, repo, number, NULL,
	                                    on_task_comment, listed);
	if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	if (rc != ISG_OK)
		goto done;
	isg_github_stats_get(&g1, c->gh);
	st.comments = cJSON_GetArraySize(listed);
	/* Pages answered 304 delivered nothing: merge with what is stored. */
	rc = isg__collector_store_issue(c, project_id, full, doc, listed,
	                                g1.not_modified == g0.not_modified,
	                                NULL, 1, &src, &st);
done:
	pthread_mutex_lock(&c->mu);
	c->m.issues += st.issues;
	c->m.comments += st.comments;
	c->m.contexts += st.contexts;
	pthread_mutex_unlock(&c->mu);
	if (round)
		round->contexts += st.contexts;
	cJSON_Delete(doc);
	cJSON_Delete(listed);
	isg_issue_free(is);
	isg_buf_dispose(&raw);
	isg_store_issue_info_dispose(&old);
	return rc;
}

int isg__collector_parse_task(isg__collector_task *out, cJSON **doc,
                              const char *id, const char *data, size_t len)
{
	int rc;

	memset(out, 0, sizeof(*out));
	*doc = isg__json_parse(data, len, MOD, "task");
	if (!*doc)
		return isg_error_last()->code;
	if (!cJSON_IsObject(*doc)) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "task %s is not a JSON object", id);
		goto done;
	}
	out->owner = isg__json_str(*doc, "owner");
	out->repo = isg__json_str(*doc, "repo");
	out->requested_by = isg__json_str(*doc, "requested_by");
	out->lock = isg__json_str(*doc, "lock");
	if ((rc = isg__collector_check_name(out->owner, "task owner")) !=
	            ISG_OK ||
	    (rc = isg__collector_check_name(out->repo, "task repo")) != ISG_OK)
		goto done;
	if (isg__json_i64(*doc, "number", &out->number) != ISG_OK ||
	    out->number <= 0 || out->number > 2147483647) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "task %s has no valid issue number", id);
		goto done;
	}
	rc = ISG_OK;
done:
	if (rc != ISG_OK) {
		cJSON_Delete(*doc);
		*doc = NULL;
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

int isg__collector_task_handle(const isg_stream_message *m, void *payload)
{
	isg__collector_task_ctx *t = payload;
	isg__collector_task task;
	cJSON *doc = NULL;
	int rc;

	if (t->c->stop)
		return isg__error_set(ISG_ECANCELLED, MOD,
		                      "the collector is stopping");
	rc = isg__collector_parse_task(&task, &doc, m->id, m->data, m->len);
	if (rc != ISG_OK)
		goto done;
	rc = do_task(t->c, &task, m->id, t->round);
	if (rc == ISG_OK) {
		isg_log_field f[2] = { { "task", m->id },
			               { "repo", task.repo } };

		isg__log_write(ISG_LOG_INFO, MOD, f, 2, "task %s/%s#%lld done",
		               task.owner, task.repo, (long long)task.number);
	}
done:
	cJSON_Delete(doc);
	return rc;
}
