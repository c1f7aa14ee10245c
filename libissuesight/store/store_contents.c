/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Context Bridge contents (tutorial_contents): atomic create-or-get per
 * issue, the guarded status machine (PENDING -> COMPLETED | FAILED,
 * FAILED -> PENDING) with a fencing token, and reads.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

const char *isg_store_status_name(int status)
{
	switch (status) {
	case ISG_STORE_PENDING:
		return "PENDING";
	case ISG_STORE_COMPLETED:
		return "COMPLETED";
	case ISG_STORE_FAILED:
		return "FAILED";
	default:
		return "UNKNOWN";
	}
}

static int status_parse(const char *s)
{
	if (strcmp(s, "PENDING") == 0)
		return ISG_STORE_PENDING;
	if (strcmp(s, "COMPLETED") == 0)
		return ISG_STORE_COMPLETED;
	if (strcmp(s, "FAILED") == 0)
		return ISG_STORE_FAILED;
	return -1;
}

int isg_store_content_ensure(isg_store_content_ref *out, isg_store *st,
                             const char *issue_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc, attempt;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!out || !st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_content_ensure: NULL argument");
	if ((rc = isg__store_require_id(issue_id, "issue id")) != ISG_OK)
		return rc;
	params[0] = issue_id;
	/* The INSERT waits for a concurrent inserter and then does nothing,
	 * but this statement's snapshot predates that row, so the SELECT arm
	 * can come back empty: run the statement again (new snapshot). */
	for (attempt = 0; attempt < 5; attempt++) {
		PQclear(r);
		r = NULL;
		rc = isg__store_exec(
		        &r, st, ISG__STORE_RETRY, "create-or-get content",
		        "WITH ins AS (INSERT INTO tutorial_contents (issue_id) VALUES ($1::uuid) ON CONFLICT (issue_id) DO NOTHING RETURNING id, status) SELECT id, status, 1 FROM ins UNION ALL SELECT id, status, 0 FROM tutorial_contents WHERE issue_id = $1::uuid AND NOT EXISTS (SELECT 1 FROM ins)",
		        1, params);
		if (rc != ISG_OK || PQntuples(r) > 0)
			break;
	}
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ECONFLICT, MOD,
		                    "content of issue %s kept changing; retry",
		                    issue_id);
	if (rc == ISG_OK && (rc = isg__store_copy(out->id, sizeof(out->id), r,
	                                          0, 0)) == ISG_OK) {
		out->status = status_parse(PQgetvalue(r, 0, 1));
		out->created = PQgetvalue(r, 0, 2)[0] == '1';
	}
	PQclear(r);
	return rc;
}

/* After a guarded UPDATE changed no row: say why, naming both states. */
static int explain_refusal(isg_store *st, const char *content_id,
                           const char *to, long long fence)
{
	const char *params[1];
	PGresult *r = NULL;
	long long have = 0;
	int rc;

	params[0] = content_id;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "read content state",
	        "SELECT status, fence FROM tutorial_contents WHERE id = $1::uuid",
	        1, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0) {
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no content with id %s",
		                    content_id);
		goto done;
	}
	isg__text_parse_ll(PQgetvalue(r, 0, 1), &have);
	if ((strcmp(to, "PENDING") == 0 &&
	     strcmp(PQgetvalue(r, 0, 0), "FAILED") != 0) ||
	    (strcmp(to, "PENDING") != 0 &&
	     strcmp(PQgetvalue(r, 0, 0), "PENDING") != 0))
		rc = isg__error_set(ISG_ESTATE, MOD,
		                    "content %s is %s: it cannot move to %s",
		                    content_id, PQgetvalue(r, 0, 0), to);
	else if (fence > 0 && have > fence)
		rc = isg__error_set(
		        ISG_ECONFLICT, MOD,
		        "content %s: fence %lld is older than the recorded %lld (a newer worker owns it)",
		        content_id, fence, have);
	else
		rc = isg__error_set(ISG_ECONFLICT, MOD,
		                    "content %s changed concurrently; retry",
		                    content_id);
done:
	PQclear(r);
	return rc;
}

int isg_store_content_complete(isg_store *st, const char *content_id,
                               const isg_store_completion *c)
{
	char pt[32], ct[32], fence[32];
	const char *params[7];
	PGresult *r = NULL;
	int rc;

	if (!st || !c)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_content_complete: NULL argument");
	if ((rc = isg__store_require_version(
	             c->version, ISG_STORE_COMPLETION_VERSION,
	             "isg_store_completion")) != ISG_OK ||
	    (rc = isg__store_require_id(content_id, "content id")) != ISG_OK ||
	    (rc = isg__store_require(c->bridge_json, "bridge_json")) !=
	            ISG_OK ||
	    (rc = isg__store_require(c->engine, "engine")) != ISG_OK)
		return rc;
	if (strcmp(c->engine, "offline") != 0 && strcmp(c->engine, "llm") != 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "engine '%.40s' is not offline or llm",
		                      c->engine);
	if (c->model && strlen(c->model) >= 128)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "model name '%.40s...' is longer than 127 bytes",
		        c->model);
	if (c->prompt_tokens < 0 || c->completion_tokens < 0 || c->fence < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "token counts and fence must not be negative (%lld, %lld, %lld)",
		        c->prompt_tokens, c->completion_tokens, c->fence);
	snprintf(pt, sizeof(pt), "%lld", c->prompt_tokens);
	snprintf(ct, sizeof(ct), "%lld", c->completion_tokens);
	snprintf(fence, sizeof(fence), "%lld", c->fence);
	params[0] = content_id;
	params[1] = c->bridge_json;
	params[2] = c->engine;
	params[3] = c->model;
	params[4] = pt;
	params[5] = ct;
	params[6] = fence;
	/* Not retried: a retry after a commit whose answer was lost would
	 * report a spurious state error. The caller's at-least-once delivery
	 * redoes the job instead. */
	rc = isg__store_exec(
	        &r, st, 0, "complete content",
	        "UPDATE tutorial_contents SET status = 'COMPLETED', bridge = $2::jsonb, engine = $3, model = $4, prompt_tokens = $5::bigint, completion_tokens = $6::bigint, fence = greatest(fence, $7::bigint), completed_at = now(), updated_at = now() WHERE id = $1::uuid AND status = 'PENDING' AND ($7::bigint = 0 OR fence <= $7::bigint) RETURNING id",
	        7, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = explain_refusal(st, content_id, "COMPLETED", c->fence);
	PQclear(r);
	return rc;
}

int isg_store_content_fail(isg_store *st, const char *content_id,
                           const char *error, long long fence)
{
	char fence_s[32];
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_content_fail: NULL store");
	if ((rc = isg__store_require_id(content_id, "content id")) != ISG_OK ||
	    (rc = isg__store_require(error, "error text")) != ISG_OK)
		return rc;
	if (fence < 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "fence %lld must not be negative", fence);
	snprintf(fence_s, sizeof(fence_s), "%lld", fence);
	params[0] = content_id;
	params[1] = error;
	params[2] = fence_s;
	rc = isg__store_exec(
	        &r, st, 0, "fail content",
	        "UPDATE tutorial_contents SET status = 'FAILED', error = $2, attempts = attempts + 1, fence = greatest(fence, $3::bigint), updated_at = now() WHERE id = $1::uuid AND status = 'PENDING' AND ($3::bigint = 0 OR fence <= $3::bigint) RETURNING id",
	        3, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = explain_refusal(st, content_id, "FAILED", fence);
	PQclear(r);
	return rc;
}

int isg_store_content_retry(isg_store *st, const char *content_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_content_retry: NULL store");
	if ((rc = isg__store_require_id(content_id, "content id")) != ISG_OK)
		return rc;
	params[0] = content_id;
	rc = isg__store_exec(
	        &r, st, 0, "retry content",
	        "UPDATE tutorial_contents SET status = 'PENDING', updated_at = now() WHERE id = $1::uuid AND status = 'FAILED' RETURNING id",
	        1, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = explain_refusal(st, content_id, "PENDING", 0);
	PQclear(r);
	return rc;
}

void isg_store_content_dispose(isg_store_content *content)
{
	if (!content)
		return;
	isg_buf_dispose(&content->bridge_json);
	isg_buf_dispose(&content->error);
}

#define CONTENT_COLUMNS                                                           \
	"c.id, c.issue_id, c.status, c.attempts, c.fence, c.prompt_tokens, "      \
	"c.completion_tokens, coalesce(c.engine, ''), "                           \
	"coalesce(c.model, ''), " ISG__SQL_ISO(                                   \
	        "c.updated_at") ", coalesce(c.bridge_text, c.bridge::text, ''), " \
	                        "coalesce(c.error, '')"

static int fill_content(isg_store_content *out, const PGresult *r)
{
	long long v = 0;
	int rc;

	if ((rc = isg__store_copy(out->id, sizeof(out->id), r, 0, 0)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->issue_id, sizeof(out->issue_id), r, 0,
	                          1)) != ISG_OK ||
	    (rc = isg__store_copy(out->engine, sizeof(out->engine), r, 0, 7)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->model, sizeof(out->model), r, 0, 8)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->updated_at, sizeof(out->updated_at), r,
	                          0, 9)) != ISG_OK)
		return rc;
	out->status = status_parse(PQgetvalue(r, 0, 2));
	isg__text_parse_ll(PQgetvalue(r, 0, 3), &v);
	out->attempts = (int)v;
	isg__text_parse_ll(PQgetvalue(r, 0, 4), &v);
	out->fence = v;
	isg__text_parse_ll(PQgetvalue(r, 0, 5), &v);
	out->prompt_tokens = v;
	isg__text_parse_ll(PQgetvalue(r, 0, 6), &v);
	out->completion_tokens = v;
	if (isg_buf_set(&out->bridge_json, PQgetvalue(r, 0, 10),
	                (size_t)PQgetlength(r, 0, 10)) != ISG_OK ||
	    isg_buf_set(&out->error, PQgetvalue(r, 0, 11),
	                (size_t)PQgetlength(r, 0, 11)) != ISG_OK)
		return isg__error_oom(MOD);
	return ISG_OK;
}

int isg_store_content_get(isg_store_content *out, isg_store *st,
                          const char *content_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_content_get: NULL argument");
	isg_store_content_dispose(out);
	memset(out, 0, sizeof(*out));
	if ((rc = isg__store_require_id(content_id, "content id")) != ISG_OK)
		return rc;
	params[0] = content_id;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "get content",
	                     "SELECT " CONTENT_COLUMNS
	                     " FROM tutorial_contents c WHERE c.id = $1::uuid",
	                     1, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no content with id %s",
		                    content_id);
	else if (rc == ISG_OK)
		rc = fill_content(out, r);
	PQclear(r);
	return rc;
}

int isg_store_content_get_by_issue(isg_store_content *out, isg_store *st,
                                   const char *full_name, int number)
{
	char num[16];
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (!out || !st || !full_name)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_content_get_by_issue: NULL argument");
	isg_store_content_dispose(out);
	memset(out, 0, sizeof(*out));
	snprintf(num, sizeof(num), "%d", number);
	params[0] = full_name;
	params[1] = num;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "get content by issue",
	        "SELECT " CONTENT_COLUMNS
	        " FROM tutorial_contents c JOIN github_issues i ON i.id = c.issue_id JOIN projects p ON p.id = i.project_id WHERE lower(p.full_name) = lower($1) AND i.issue_number = $2::int",
	        2, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no Context Bridge for %.200s#%d",
		                    full_name, number);
	else if (rc == ISG_OK)
		rc = fill_content(out, r);
	PQclear(r);
	return rc;
}
