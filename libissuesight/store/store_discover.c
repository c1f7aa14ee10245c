/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Discovery pages: a page of isg_store_issues_list() (the one keyset
 * query) joined with each issue's freshness, read from its GitHub payload
 * in one more statement.
 */
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "store_int.h"

#define MOD "store"

/* The ids of a page as a PostgreSQL array literal. */
static int ids_of(isg_buf *out, const cJSON *items)
{
	const cJSON *it;
	const char *id;
	int rc = isg__buf_putc(out, '{');

	cJSON_ArrayForEach(it, items)
	{
		id = isg__json_str(it, "id");
		if (rc == ISG_OK && id && isg__store_uuid_valid(id))
			rc = isg__buf_printf(out, "%s%s",
			                     out->size > 1 ? "," : "", id);
	}
	return rc == ISG_OK ? isg__buf_putc(out, '}') : rc;
}

/* Adds the freshness columns of row `row` to the item with its id. */
static int merge(cJSON *items, const PGresult *r, int row)
{
	cJSON *it, *assignees;
	const char *id = PQgetvalue(r, row, 0);

	cJSON_ArrayForEach(it, items)
	{
		const char *iid = isg__json_str(it, "id");

		if (!iid || strcmp(iid, id) != 0)
			continue;
		assignees = cJSON_Parse(PQgetvalue(r, row, 3));
		if ((PQgetisnull(r, row, 1)
		             ? !cJSON_AddNullToObject(it, "assignee")
		             : !cJSON_AddStringToObject(
		                       it, "assignee",
		                       PQgetvalue(r, row, 1))) ||
		    !assignees ||
		    !cJSON_AddItemToObject(it, "assignees", assignees) ||
		    !cJSON_AddStringToObject(it, "last_activity_at",
		                             PQgetvalue(r, row, 2))) {
			return ISG_ENOMEM;
		}
		return ISG_OK;
	}
	return ISG_OK;
}

/* Assignee, every assignee and the last activity of the page's issues. */
/* clang-format off */
static const char freshness_sql[] =
	"SELECT id::text, raw_data->'assignee'->>'login', "
	ISG__SQL_ISO("gh_updated_at") ", coalesce((SELECT json_agg(a->>'login') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(raw_data->'assignees') = 'array' THEN raw_data->'assignees' ELSE '[]' END) a)::text, '[]') FROM github_issues WHERE id = ANY($1::uuid[])";
/* clang-format on */

int isg_store_issues_discover(isg_buf *out, isg_store *st,
                              const isg_store_issue_filter *filter)
{
	isg_buf page = ISG_BUF_INIT, ids = ISG_BUF_INIT;
	cJSON *doc = NULL, *items;
	PGresult *r = NULL;
	const char *param;
	int rc, i;

	if (!out || !st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_issues_discover: NULL argument");
	rc = isg_store_issues_list(&page, st, filter);
	if (rc != ISG_OK)
		goto done;
	doc = isg__json_parse(page.ptr, page.size, MOD, "issue page");
	items = doc ? cJSON_GetObjectItemCaseSensitive(doc, "items") : NULL;
	if (!cJSON_IsArray(items)) {
		rc = doc ? isg__error_set(ISG_EBACKEND, MOD, "no items in page")
		         : isg_error_last()->code;
		goto done;
	}
	if ((rc = ids_of(&ids, items)) != ISG_OK)
		goto done;
	param = ids.ptr;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "issue freshness",
	                     freshness_sql, 1, &param);
	for (i = 0; rc == ISG_OK && i < PQntuples(r); i++)
		rc = merge(items, r, i);
	if (rc == ISG_OK)
		rc = isg__json_print(out, doc);
	if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
done:
	PQclear(r);
	cJSON_Delete(doc);
	isg_buf_dispose(&page);
	isg_buf_dispose(&ids);
	return rc;
}
