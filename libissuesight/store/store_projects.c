/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Projects: upsert by GitHub repository id, lookup, tracking, and the
 * polling lease that keeps several collectors off one project.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

int isg_store_project_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                             const isg_store_project *p)
{
	char repo_id[32];
	isg_buf full = ISG_BUF_INIT;
	const char *params[8];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !p) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_project_upsert: NULL argument");
		goto done;
	}
	if ((rc = isg__store_require_version(p->version,
	                                     ISG_STORE_PROJECT_VERSION,
	                                     "isg_store_project")) != ISG_OK)
		goto done;
	if (p->gh_repo_id <= 0) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "project gh_repo_id %lld must be positive",
		                    p->gh_repo_id);
		goto done;
	}
	if ((rc = isg__store_require(p->owner, "project owner")) != ISG_OK ||
	    (rc = isg__store_require(p->name, "project name")) != ISG_OK)
		goto done;
	if (p->full_name)
		rc = isg_buf_set(&full, p->full_name, strlen(p->full_name));
	else
		rc = isg__buf_printf(&full, "%s/%s", p->owner, p->name);
	if (rc != ISG_OK)
		goto done;
	if (full.size > 255) {
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "project full_name '%.60s...' is longer than 255 bytes",
		        full.ptr);
		goto done;
	}
	snprintf(repo_id, sizeof(repo_id), "%lld", p->gh_repo_id);
	params[0] = repo_id;
	params[1] = p->owner;
	params[2] = p->name;
	params[3] = full.ptr;
	params[4] = p->default_branch;
	params[5] = p->description;
	params[6] = p->language;
	params[7] = p->raw_json;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "upsert project",
	        "INSERT INTO projects (gh_repo_id, owner, name, full_name, default_branch, description, language, raw_data) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, coalesce($8::jsonb, '{}'::jsonb)) ON CONFLICT (gh_repo_id) DO UPDATE SET owner = EXCLUDED.owner, name = EXCLUDED.name, full_name = EXCLUDED.full_name, default_branch = EXCLUDED.default_branch, description = EXCLUDED.description, language = EXCLUDED.language, raw_data = EXCLUDED.raw_data, updated_at = now() RETURNING id",
	        8, params);
	if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
done:
	PQclear(r);
	isg_buf_dispose(&full);
	return rc;
}

int isg_store_project_find(char out[ISG_STORE_ID_SIZE], isg_store *st,
                           const char *full_name)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !full_name)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_project_find: NULL argument");
	params[0] = full_name;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "find project",
	        "SELECT id FROM projects WHERE lower(full_name) = lower($1) ORDER BY full_name = $1 DESC LIMIT 1",
	        1, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no project '%.200s' in the archive",
		                    full_name);
	else if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
	PQclear(r);
	return rc;
}

int isg_store_project_set_tracked(isg_store *st, const char *project_id,
                                  int tracked)
{
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_set_tracked: NULL store");
	if ((rc = isg__store_require_id(project_id, "project id")) != ISG_OK)
		return rc;
	params[0] = project_id;
	params[1] = tracked ? "true" : "false";
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "set project tracked",
	        "UPDATE projects SET tracked = $2::boolean, updated_at = now() WHERE id = $1::uuid RETURNING id",
	        2, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no project with id %s",
		                    project_id);
	PQclear(r);
	return rc;
}

int isg_store_projects_list(isg_buf *out, isg_store *st, int tracked_only)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_projects_list: NULL argument");
	params[0] = tracked_only ? "true" : "false";
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "list projects",
	        "SELECT coalesce(json_agg(json_build_object('id', id, 'owner', owner, 'name', name, 'full_name', full_name, 'gh_repo_id', gh_repo_id, 'default_branch', default_branch, 'description', description, 'language', language, 'tracked', tracked, 'last_synced_at', " ISG__SQL_ISO(
	                "last_synced_at") ") ORDER BY full_name), '[]')::text FROM projects WHERE tracked OR NOT $1::boolean",
	        1, params);
	if (rc == ISG_OK)
		rc = isg_buf_set(out, PQgetvalue(r, 0, 0),
		                 (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}

int isg_store_project_claim(isg_store_lease *out, isg_store *st,
                            const char *owner, int lease_s)
{
	return isg_store_project_claim_due(out, st, owner, lease_s, 0);
}

int isg_store_project_claim_due(isg_store_lease *out, isg_store *st,
                                const char *owner, int lease_s, int interval_s)
{
	char secs[16], every[16];
	const char *params[3];
	PGresult *r = NULL;
	long long id = 0;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!out || !st || !owner || !owner[0])
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_claim: NULL argument or empty owner");
	if (lease_s <= 0 || interval_s < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "lease of %d seconds must be positive and interval of %d seconds not negative",
		        lease_s, interval_s);
	snprintf(secs, sizeof(secs), "%d", lease_s);
	snprintf(every, sizeof(every), "%d", interval_s);
	params[0] = owner;
	params[1] = secs;
	params[2] = every;
	/* SKIP LOCKED: two collectors claiming at once take different rows
	 * instead of waiting for each other. A retry after a lost connection
	 * may leave a second lease behind; it simply expires. An expired
	 * lease means its collector died mid-poll: the project is due at
	 * once, whatever its last sync. */
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "claim project",
	        "UPDATE projects SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::int) WHERE id = (SELECT id FROM projects WHERE tracked AND (lease_until IS NULL OR lease_until < now()) AND (last_synced_at IS NULL OR last_synced_at <= now() - make_interval(secs => $3::int) OR lease_until IS NOT NULL) ORDER BY last_synced_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, full_name, gh_repo_id, coalesce(" ISG__SQL_ISO(
	                "last_synced_at") ", ''), coalesce(" ISG__SQL_ISO("sync_since") ", ''), coalesce(" ISG__SQL_ISO("sync_since_next") ", '')",
	        3, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0) {
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no tracked project is due for polling");
		goto done;
	}
	if ((rc = isg__store_copy(out->project_id, sizeof(out->project_id), r,
	                          0, 0)) != ISG_OK ||
	    (rc = isg__store_copy(out->full_name, sizeof(out->full_name), r, 0,
	                          1)) != ISG_OK ||
	    (rc = isg__store_copy(out->last_synced_at,
	                          sizeof(out->last_synced_at), r, 0, 3)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->sync_since, sizeof(out->sync_since), r,
	                          0, 4)) != ISG_OK ||
	    (rc = isg__store_copy(out->sync_since_next,
	                          sizeof(out->sync_since_next), r, 0, 5)) !=
	            ISG_OK)
		goto done;
	isg__text_parse_ll(PQgetvalue(r, 0, 2), &id);
	out->gh_repo_id = id;
done:
	PQclear(r);
	return rc;
}

/* Times are ISO 8601 or epoch seconds; NULL since / since_next are SQL
 * NULL (a full listing; no next step). */
/* clang-format off */
static const char record_sync_sql[] =
        "UPDATE projects SET last_synced_at = " ISG__SQL_TS("$2") ", sync_since = " ISG__SQL_TS("$3") ", sync_since_next = " ISG__SQL_TS("$4") ", sync_cursor = NULL, sync_cursor_started = NULL, updated_at = now() WHERE id = $1::uuid RETURNING id";
/* clang-format on */

int isg_store_project_record_sync(isg_store *st, const char *project_id,
                                  const char *synced_at, const char *since,
                                  const char *since_next)
{
	const char *params[4];
	PGresult *r = NULL;
	int rc;

	if (!st || !synced_at || !synced_at[0])
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_record_sync: NULL store or synced_at");
	if ((rc = isg__store_require_id(project_id, "project id")) != ISG_OK)
		return rc;
	params[0] = project_id;
	params[1] = synced_at;
	params[2] = since;
	params[3] = since_next;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "record project sync",
	                     record_sync_sql, 4, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no project with id %s",
		                    project_id);
	else if (rc == ISG_EINVALID)
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "sync times '%.40s', '%.40s', '%.40s' are not all ISO 8601 or epoch seconds",
		        synced_at, since ? since : "(null)",
		        since_next ? since_next : "(null)");
	PQclear(r);
	return rc;
}

int isg_store_project_release(isg_store *st, const char *project_id,
                              const char *owner, const char *synced_at)
{
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (!st || !owner)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_release: NULL argument");
	if ((rc = isg__store_require_id(project_id, "project id")) != ISG_OK)
		return rc;
	params[0] = project_id;
	params[1] = owner;
	params[2] = synced_at;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "release project lease",
	        "UPDATE projects SET lease_owner = NULL, lease_until = NULL, last_synced_at = coalesce(" ISG__SQL_TS(
	                "$3") ", last_synced_at), updated_at = now() WHERE id = $1::uuid AND lease_owner = $2 RETURNING id",
	        3, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(
		        ISG_ESTATE, MOD,
		        "project %s is not leased by '%.100s' (the lease expired or the project is unknown)",
		        project_id, owner);
	PQclear(r);
	return rc;
}
