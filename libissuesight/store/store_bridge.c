/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_bridge: the worker's one write per finished job, in a single
 * transaction (the guarded status change with the exact bridge bytes, the
 * bridge's concepts, the difficulty columns), the exact-bytes
 * read, and the janitor's list of stranded PENDING contents.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "store_int.h"

#define MOD "store"

typedef struct complete_tx {
	const char *id;
	const isg_store_bridge *b;
	const char *text; /* NUL-terminated copy of the bridge */
	size_t linked;
} complete_tx;

/* After the guarded UPDATE changed nothing: why, naming both states. */
static int refusal(isg__store_conn *c, const char *id, long long fence)
{
	const char *params[1] = { id };
	PGresult *r = NULL;
	long long have = 0;
	int rc;

	rc = isg__store_q(
	        &r, c, "read content state",
	        "SELECT status, fence FROM tutorial_contents WHERE id = $1::uuid",
	        1, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no content with id %s",
		                    id);
	else if (strcmp(PQgetvalue(r, 0, 0), "PENDING") != 0)
		rc = isg__error_set(
		        ISG_ESTATE, MOD,
		        "content %s is %s: it cannot move to COMPLETED", id,
		        PQgetvalue(r, 0, 0));
	else if (isg__text_parse_ll(PQgetvalue(r, 0, 1), &have) == ISG_OK &&
	         fence > 0 && have > fence)
		rc = isg__error_set(
		        ISG_ECONFLICT, MOD,
		        "content %s: fence %lld is older than the recorded %lld (a newer worker owns it)",
		        id, fence, have);
	else
		rc = isg__error_set(ISG_ECONFLICT, MOD,
		                    "content %s changed concurrently; retry",
		                    id);
done:
	PQclear(r);
	return rc;
}

static size_t rows_of(PGresult *r)
{
	long long n = 0;

	return isg__text_parse_ll(PQcmdTuples(r), &n) == ISG_OK && n > 0
	               ? (size_t)n
	               : 0;
}

static int link_concepts(isg__store_conn *c, complete_tx *t)
{
	const isg_store_bridge *b = t->b;
	char rel[32];
	const char *params[3];
	PGresult *r = NULL;
	size_t i;
	int rc = ISG_OK;

	for (i = 0; rc == ISG_OK && i < b->nconcepts; i++) {
		double v = b->relevances ? b->relevances[i] : 1.0;

		snprintf(rel, sizeof(rel), "%.4f",
		         v < 0   ? 0.0
		         : v > 1 ? 1.0
		                 : v);
		params[0] = t->id;
		params[1] = b->concepts[i];
		params[2] = rel;
		/* A slug the catalog in the database lacks is skipped. */
		rc = isg__store_q(
		        &r, c, "link bridge concept",
		        "INSERT INTO tutorial_concepts (content_id, concept_id, relevance) SELECT $1::uuid, id, $3::real FROM concepts WHERE slug = $2 ON CONFLICT (content_id, concept_id) DO UPDATE SET relevance = excluded.relevance",
		        3, params);
		if (rc == ISG_OK)
			t->linked += rows_of(r);
		PQclear(r);
		r = NULL;
	}
	return rc;
}

static int complete_fn(isg__store_conn *c, void *payload)
{
	complete_tx *t = payload;
	const isg_store_bridge *b = t->b;
	char pt[32], ct[32], fence[32], jf[8];
	const char *params[8];
	PGresult *r = NULL;
	int rc;

	snprintf(pt, sizeof(pt), "%lld", b->prompt_tokens);
	snprintf(ct, sizeof(ct), "%lld", b->completion_tokens);
	snprintf(fence, sizeof(fence), "%lld", b->fence);
	params[0] = t->id;
	params[1] = t->text;
	params[2] = b->engine;
	params[3] = b->model;
	params[4] = pt;
	params[5] = ct;
	params[6] = fence;
	/* Version 1 records have no `upgrade` field. */
	params[7] = b->version >= 2 && b->upgrade ? "true" : "false";
	rc = isg__store_q(
	        &r, c, "complete bridge",
	        "UPDATE tutorial_contents SET status = 'COMPLETED', bridge = $2::text::jsonb, bridge_text = $2::text, engine = $3, model = $4, prompt_tokens = $5::bigint, completion_tokens = $6::bigint, fence = greatest(fence, $7::bigint), error = NULL, completed_at = now(), updated_at = now() WHERE id = $1::uuid AND (status = 'PENDING' OR ($8::boolean AND status = 'COMPLETED' AND engine = 'offline')) AND ($7::bigint = 0 OR fence <= $7::bigint) RETURNING issue_id",
	        8, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = refusal(c, t->id, b->fence);
	if (rc == ISG_OK)
		rc = link_concepts(c, t);
	if (rc == ISG_OK && (b->difficulty || b->junior_friendly >= 0)) {
		PGresult *u = NULL;

		snprintf(jf, sizeof(jf), "%s",
		         b->junior_friendly > 0 ? "true" : "false");
		params[0] = PQgetvalue(r, 0, 0);
		params[1] = b->difficulty;
		params[2] = b->junior_friendly >= 0 ? jf : NULL;
		rc = isg__store_q(
		        &u, c, "set issue difficulty",
		        "UPDATE github_issues SET difficulty = coalesce($2, difficulty), junior_friendly = coalesce($3::boolean, junior_friendly) WHERE id = $1::uuid",
		        3, params);
		PQclear(u);
	}
	PQclear(r);
	return rc;
}

static int check_bridge(const isg_store_bridge *b, const char *content_id)
{
	int rc;

	if ((rc = isg__store_require_version(b->version,
	                                     ISG_STORE_BRIDGE_VERSION,
	                                     "isg_store_bridge")) != ISG_OK ||
	    (rc = isg__store_require_id(content_id, "content id")) != ISG_OK ||
	    (rc = isg__store_require(b->json, "bridge json")) != ISG_OK ||
	    (rc = isg__store_require(b->engine, "engine")) != ISG_OK)
		return rc;
	if (strcmp(b->engine, "offline") != 0 && strcmp(b->engine, "llm") != 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "engine '%.40s' is not offline or llm",
		                      b->engine);
	if (b->difficulty && strcmp(b->difficulty, "beginner") != 0 &&
	    strcmp(b->difficulty, "intermediate") != 0 &&
	    strcmp(b->difficulty, "advanced") != 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "difficulty '%.40s' is not beginner, intermediate or advanced",
		        b->difficulty);
	if (b->prompt_tokens < 0 || b->completion_tokens < 0 || b->fence < 0 ||
	    (b->nconcepts && !b->concepts))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "tokens and fence must not be negative and concepts must be given with their count");
	if (b->model && strlen(b->model) >= 128)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "model name '%.40s...' is longer than 127 bytes",
		        b->model);
	return ISG_OK;
}

int isg_store_bridge_complete(size_t *linked, isg_store *st,
                              const char *content_id, const isg_store_bridge *b)
{
	complete_tx t;
	cJSON *doc;
	size_t len;
	int rc;

	if (linked)
		*linked = 0;
	if (!st || !b)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_bridge_complete: NULL argument");
	if ((rc = check_bridge(b, content_id)) != ISG_OK)
		return rc;
	len = b->len ? b->len : strlen(b->json);
	if (memchr(b->json, '\0', len) || !isg__text_utf8_valid(b->json, len))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "the bridge has a NUL byte or invalid UTF-8");
	doc = isg__json_parse(b->json, len, MOD, "bridge");
	if (!doc)
		return isg_error_last()->code == ISG_ENOMEM
		               ? ISG_ENOMEM
		               : isg__error_set(ISG_EINVALID, MOD,
		                                "the bridge is not JSON: %s",
		                                isg_error_last()->message);
	cJSON_Delete(doc);
	memset(&t, 0, sizeof(t));
	t.id = content_id;
	t.b = b;
	t.text = b->len ? isg__alloc_strndup(b->json, len) : b->json;
	if (!t.text)
		return isg__error_oom(MOD);
	/* Not retried after a lost link: the commit may have happened, and a
	 * rerun would report a spurious state error. The stream redelivers
	 * the job instead, and the status guard makes that a no-op. */
	rc = isg__store_tx(st, 0, "complete bridge", complete_fn, &t);
	if (t.text != b->json)
		isg__alloc_free((char *)t.text);
	if (rc == ISG_OK && linked)
		*linked = t.linked;
	return rc;
}

int isg_store_bridge_text(isg_buf *out, isg_store *st, const char *content_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_bridge_text: NULL argument");
	if ((rc = isg__store_require_id(content_id, "content id")) != ISG_OK)
		return rc;
	params[0] = content_id;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "read bridge",
	        "SELECT status, coalesce(bridge_text, bridge::text) FROM tutorial_contents WHERE id = $1::uuid",
	        1, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no content with id %s",
		                    content_id);
	else if (strcmp(PQgetvalue(r, 0, 0), "COMPLETED") != 0)
		rc = isg__error_set(ISG_ESTATE, MOD,
		                    "content %s is %s: it has no bridge",
		                    content_id, PQgetvalue(r, 0, 0));
	else if (isg_buf_set(out, PQgetvalue(r, 0, 1),
	                     (size_t)PQgetlength(r, 0, 1)) != ISG_OK)
		rc = isg__error_oom(MOD);
done:
	PQclear(r);
	return rc;
}

int isg_store_bridge_pending(isg_buf *out, isg_store *st, int idle_s, int limit)
{
	char idle[16], lim[16];
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (!out || !st || idle_s < 0 || limit < 1 || limit > 10000)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_bridge_pending: bad argument (idle %d s, limit %d)",
		        idle_s, limit);
	snprintf(idle, sizeof(idle), "%d", idle_s);
	snprintf(lim, sizeof(lim), "%d", limit);
	params[0] = idle;
	params[1] = lim;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "list pending bridges",
	        "SELECT coalesce(json_agg(json_build_object('content_id', t.id, 'issue_id', t.issue_id, 'owner', p.owner, 'repo', p.name, 'number', i.issue_number, 'updated_at', " ISG__SQL_ISO(
	                "t.updated_at") ") ORDER BY t.updated_at, t.id), '[]') FROM (SELECT * FROM tutorial_contents WHERE status = 'PENDING' AND updated_at <= now() - make_interval(secs => $1::int) ORDER BY updated_at, id LIMIT $2::int) t JOIN github_issues i ON i.id = t.issue_id JOIN projects p ON p.id = i.project_id",
	        2, params);
	if (rc == ISG_OK && isg_buf_set(out, PQgetvalue(r, 0, 0),
	                                (size_t)PQgetlength(r, 0, 0)) != ISG_OK)
		rc = isg__error_oom(MOD);
	PQclear(r);
	return rc;
}
