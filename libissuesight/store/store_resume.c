/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_resume: the part of a project's sync state that lets a sync
 * continue where the last one ended: the cursor of an unfinished full
 * sync and the GitHub client's conditional-request entries (migration
 * 0005_sync_resume).
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

/* clang-format off */
static const char state_sql[] =
        "SELECT coalesce(" ISG__SQL_ISO("last_synced_at") ", ''), coalesce(" ISG__SQL_ISO("sync_since") ", ''), coalesce(" ISG__SQL_ISO("sync_since_next") ", ''), coalesce(" ISG__SQL_ISO("sync_cursor_started") ", ''), coalesce(sync_cursor, ''), coalesce(sync_etags::text, ''), gh_repo_id FROM projects WHERE id = $1::uuid";

/* A NULL parameter leaves its column as it is. */
static const char progress_sql[] =
        "UPDATE projects SET sync_cursor = coalesce($2, sync_cursor), sync_cursor_started = CASE WHEN $2::text IS NULL THEN sync_cursor_started ELSE " ISG__SQL_TS("$3") " END, sync_etags = coalesce($4::jsonb, sync_etags), updated_at = now() WHERE id = $1::uuid RETURNING id";
/* clang-format on */

void isg_store_sync_state_dispose(isg_store_sync_state *s)
{
	if (!s)
		return;
	isg_buf_dispose(&s->cursor);
	isg_buf_dispose(&s->etags);
	memset(s, 0, sizeof(*s));
}

int isg_store_project_sync_state(isg_store_sync_state *out, isg_store *st,
                                 const char *project_id)
{
	const char *params[1];
	PGresult *r = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_project_sync_state: NULL out");
	memset(out, 0, sizeof(*out));
	if (!st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_sync_state: NULL store");
	if ((rc = isg__store_require_id(project_id, "project id")) != ISG_OK)
		return rc;
	params[0] = project_id;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "read sync state",
	                     state_sql, 1, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0) {
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no project with id %s",
		                    project_id);
		goto done;
	}
	if ((rc = isg__store_copy(out->last_synced_at,
	                          sizeof(out->last_synced_at), r, 0, 0)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->sync_since, sizeof(out->sync_since), r,
	                          0, 1)) != ISG_OK ||
	    (rc = isg__store_copy(out->sync_since_next,
	                          sizeof(out->sync_since_next), r, 0, 2)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->cursor_started,
	                          sizeof(out->cursor_started), r, 0, 3)) !=
	            ISG_OK)
		goto done;
	if ((rc = isg_buf_set(&out->cursor, PQgetvalue(r, 0, 4),
	                      (size_t)PQgetlength(r, 0, 4))) != ISG_OK ||
	    (rc = isg_buf_set(&out->etags, PQgetvalue(r, 0, 5),
	                      (size_t)PQgetlength(r, 0, 5))) != ISG_OK)
		goto done;
	isg__text_parse_ll(PQgetvalue(r, 0, 6), &out->gh_repo_id);
done:
	PQclear(r);
	return rc;
}

int isg_store_project_save_progress(isg_store *st, const char *project_id,
                                    const char *cursor, const char *started,
                                    const char *etags_json)
{
	const char *params[4];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_project_save_progress: NULL store");
	if ((rc = isg__store_require_id(project_id, "project id")) != ISG_OK)
		return rc;
	if (cursor && (!cursor[0] || !started || !started[0]))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "a sync cursor must not be empty and needs its start time");
	params[0] = project_id;
	params[1] = cursor;
	params[2] = cursor ? started : NULL;
	params[3] = etags_json;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "save sync progress",
	                     progress_sql, 4, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no project with id %s",
		                    project_id);
	else if (rc == ISG_EINVALID)
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "sync progress of project %s: the start time '%.40s' or the saved entries are not valid",
		        project_id, started ? started : "(null)");
	PQclear(r);
	return rc;
}
