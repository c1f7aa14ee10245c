/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Users, their login identities, and tutorials (a user's unlocked Context
 * Bridges) with the race-safe "original requester" rule.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

int isg_store_user_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                          const char *email, const char *display_name)
{
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !email)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_user_upsert: NULL argument");
	if (!email[0] || !strchr(email, '@'))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "email '%.100s' has no '@'", email);
	params[0] = email;
	params[1] = display_name;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "upsert user",
	        "INSERT INTO users (email, display_name) VALUES (lower($1), $2) ON CONFLICT (email) DO UPDATE SET display_name = coalesce(EXCLUDED.display_name, users.display_name), updated_at = now() RETURNING id",
	        2, params);
	if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
	PQclear(r);
	return rc;
}

int isg_store_identity_add(isg_store *st, const char *user_id,
                           const char *provider, const char *provider_id)
{
	const char *params[3];
	int rc;

	if (!st || !provider || !provider_id || !provider[0] || !provider_id[0])
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_identity_add: NULL or empty argument");
	if ((rc = isg__store_require_id(user_id, "user id")) != ISG_OK)
		return rc;
	params[0] = user_id;
	params[1] = provider;
	params[2] = provider_id;
	/* Not retried: after a lost answer the retry would see its own row
	 * as a duplicate. */
	rc = isg__store_exec(
	        NULL, st, 0, "add identity",
	        "INSERT INTO user_identities (user_id, provider, provider_id) VALUES ($1::uuid, $2, $3)",
	        3, params);
	if (rc == ISG_ECONFLICT)
		rc = isg__error_set(
		        ISG_ECONFLICT, MOD,
		        "identity %.40s:%.100s is already linked to a user",
		        provider, provider_id);
	return rc;
}

int isg_store_identity_find(char out[ISG_STORE_ID_SIZE], isg_store *st,
                            const char *provider, const char *provider_id)
{
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !provider || !provider_id)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_identity_find: NULL argument");
	params[0] = provider;
	params[1] = provider_id;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "find identity",
	        "SELECT user_id FROM user_identities WHERE provider = $1 AND provider_id = $2",
	        2, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no user has identity %.40s:%.100s",
		                    provider, provider_id);
	else if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
	PQclear(r);
	return rc;
}

typedef struct unlock_ctx {
	const char *params[2];
	isg_store_unlock *out;
} unlock_ctx;

static int unlock_tx(isg__store_conn *c, void *payload)
{
	unlock_ctx *u = payload;
	PGresult *r = NULL;
	int rc;

	/* Locking the content row serialises the unlocks of one content, so
	 * "no tutorial yet" is decided by one transaction at a time; the
	 * partial unique index tutorials_original_key backs this up. */
	rc = isg__store_q(
	        &r, c, "unlock tutorial: lock content",
	        "SELECT id FROM tutorial_contents WHERE id = $1::uuid FOR NO KEY UPDATE",
	        1, u->params + 1);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_EINVALID, MOD, "no content with id %s",
		                    u->params[1]);
	PQclear(r);
	r = NULL;
	if (rc != ISG_OK)
		return rc;
	rc = isg__store_q(
	        &r, c, "unlock tutorial",
	        "INSERT INTO tutorials (user_id, content_id, is_original_requester) VALUES ($1::uuid, $2::uuid, NOT EXISTS (SELECT 1 FROM tutorials WHERE content_id = $2::uuid)) ON CONFLICT (user_id, content_id) DO NOTHING RETURNING id, is_original_requester",
	        2, u->params);
	if (rc == ISG_OK && PQntuples(r) == 1) {
		u->out->created = 1;
	} else if (rc == ISG_OK) {
		PQclear(r);
		r = NULL;
		rc = isg__store_q(
		        &r, c, "unlock tutorial: read",
		        "SELECT id, is_original_requester FROM tutorials WHERE user_id = $1::uuid AND content_id = $2::uuid",
		        2, u->params);
		if (rc == ISG_OK && PQntuples(r) == 0)
			rc = isg__error_set(
			        ISG_ECONFLICT, MOD,
			        "tutorial changed concurrently; retry");
	}
	if (rc == ISG_OK) {
		rc = isg__store_copy(u->out->id, sizeof(u->out->id), r, 0, 0);
		u->out->is_original_requester = PQgetvalue(r, 0, 1)[0] == 't';
	}
	PQclear(r);
	return rc;
}

int isg_store_tutorial_unlock(isg_store_unlock *out, isg_store *st,
                              const char *user_id, const char *content_id)
{
	unlock_ctx u;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!out || !st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_tutorial_unlock: NULL argument");
	if ((rc = isg__store_require_id(user_id, "user id")) != ISG_OK ||
	    (rc = isg__store_require_id(content_id, "content id")) != ISG_OK)
		return rc;
	u.params[0] = user_id;
	u.params[1] = content_id;
	u.out = out;
	/* Idempotent: a rerun finds the tutorial the first run made. */
	rc = isg__store_tx(st, ISG__STORE_RETRY, "unlock tutorial", unlock_tx,
	                   &u);
	if (rc != ISG_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

int isg_store_tutorials_list(isg_buf *out, isg_store *st, const char *user_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_tutorials_list: NULL argument");
	if ((rc = isg__store_require_id(user_id, "user id")) != ISG_OK)
		return rc;
	params[0] = user_id;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "list tutorials",
	        "SELECT coalesce(json_agg(json_build_object('id', t.id, 'content_id', t.content_id, 'project', p.full_name, 'number', i.issue_number, 'title', i.title, 'status', c.status, 'is_original_requester', t.is_original_requester, 'unlocked_at', " ISG__SQL_ISO(
	                "t.unlocked_at") ") ORDER BY t.unlocked_at DESC, t.id), '[]')::text FROM tutorials t JOIN tutorial_contents c ON c.id = t.content_id JOIN github_issues i ON i.id = c.issue_id JOIN projects p ON p.id = i.project_id WHERE t.user_id = $1::uuid",
	        1, params);
	if (rc == ISG_OK)
		rc = isg_buf_set(out, PQgetvalue(r, 0, 0),
		                 (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}
