/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issues: upsert by GitHub issue id keeping GitHub's payload as jsonb,
 * lookup by project and number, difficulty, and the filtered listing with
 * keyset pagination over (gh_updated_at, id).
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

/* The labels as a JSON array: passed as one parameter and unpacked by
 * jsonb_array_elements_text, so no array literal is ever built. */
static int labels_json(isg_buf *out, const char *const *labels, size_t n)
{
	size_t i;
	int rc = isg__buf_putc(out, '[');

	for (i = 0; rc == ISG_OK && i < n; i++) {
		if (!labels[i])
			return isg__error_set(ISG_EINVALID, MOD,
			                      "issue label %zu is NULL", i);
		if (i)
			rc = isg__buf_putc(out, ',');
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(out, labels[i],
			                              strlen(labels[i]));
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(out, ']');
	return rc == ISG_ENOMEM ? isg__error_oom(MOD) : rc;
}

static int check_issue(const isg_store_issue *is)
{
	int rc;

	if ((rc = isg__store_require_id(is->project_id, "issue project_id")) !=
	    ISG_OK)
		return rc;
	if (is->gh_issue_id <= 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue gh_issue_id %lld must be positive",
		                      is->gh_issue_id);
	if (is->number <= 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue number %d must be positive",
		                      is->number);
	if ((rc = isg__store_require(is->title, "issue title")) != ISG_OK)
		return rc;
	if (!is->state || (strcmp(is->state, "open") != 0 &&
	                   strcmp(is->state, "closed") != 0))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "issue state '%.40s' is not open or closed",
		        is->state ? is->state : "(null)");
	if (is->body_length < 0 || is->comments < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "issue body_length %lld / comments %d must not be negative",
		        is->body_length, is->comments);
	if (is->nlabels && !is->labels)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue has %zu labels but labels is NULL",
		                      is->nlabels);
	return ISG_OK;
}

int isg_store_issue_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                           const isg_store_issue *is)
{
	char gh_id[32], number[16], body[32], comments[16];
	isg_buf labels = ISG_BUF_INIT;
	const char *params[12];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !is) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_issue_upsert: NULL argument");
		goto done;
	}
	if ((rc = isg__store_require_version(is->version,
	                                     ISG_STORE_ISSUE_VERSION,
	                                     "isg_store_issue")) != ISG_OK ||
	    (rc = check_issue(is)) != ISG_OK ||
	    (rc = labels_json(&labels, is->labels, is->nlabels)) != ISG_OK)
		goto done;
	snprintf(gh_id, sizeof(gh_id), "%lld", is->gh_issue_id);
	snprintf(number, sizeof(number), "%d", is->number);
	snprintf(body, sizeof(body), "%lld", is->body_length);
	snprintf(comments, sizeof(comments), "%d", is->comments);
	params[0] = is->project_id;
	params[1] = gh_id;
	params[2] = number;
	params[3] = is->title;
	params[4] = is->state;
	params[5] = labels.ptr;
	params[6] = is->is_pull_request ? "true" : "false";
	params[7] = is->gh_created_at;
	params[8] = is->gh_updated_at;
	params[9] = body;
	params[10] = comments;
	params[11] = is->raw_json;
	/* A payload older than the stored one (a late duplicate delivery)
	 * does not overwrite it; the id is returned all the same. */
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "upsert issue",
	        "INSERT INTO github_issues (project_id, gh_issue_id, issue_number, title, state, labels, is_pull_request, gh_created_at, gh_updated_at, body_length, comments_count, raw_data) VALUES ($1::uuid, $2::bigint, $3::int, $4, $5, ARRAY(SELECT jsonb_array_elements_text($6::jsonb)), $7::boolean, " ISG__SQL_TS(
	                "$8") ", coalesce(" ISG__SQL_TS("$9") ", " ISG__SQL_TS("$8") ", now()), $10::bigint, $11::int, coalesce($12::jsonb, '{}'::jsonb)) ON CONFLICT (gh_issue_id) DO UPDATE SET project_id = EXCLUDED.project_id, issue_number = EXCLUDED.issue_number, title = EXCLUDED.title, state = EXCLUDED.state, labels = EXCLUDED.labels, is_pull_request = EXCLUDED.is_pull_request, gh_created_at = EXCLUDED.gh_created_at, gh_updated_at = EXCLUDED.gh_updated_at, body_length = EXCLUDED.body_length, comments_count = EXCLUDED.comments_count, raw_data = EXCLUDED.raw_data, updated_at = now() WHERE github_issues.gh_updated_at <= EXCLUDED.gh_updated_at RETURNING id",
	        12, params);
	if (rc == ISG_OK && PQntuples(r) == 0) {
		PQclear(r);
		r = NULL;
		rc = isg__store_exec(
		        &r, st, ISG__STORE_RETRY, "upsert issue",
		        "SELECT id FROM github_issues WHERE gh_issue_id = $1::bigint",
		        1, params + 1);
		if (rc == ISG_OK && PQntuples(r) == 0)
			rc = isg__error_set(
			        ISG_ECONFLICT, MOD,
			        "issue %lld changed concurrently; retry",
			        is->gh_issue_id);
	}
	if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
done:
	PQclear(r);
	isg_buf_dispose(&labels);
	return rc;
}

void isg_store_issue_info_dispose(isg_store_issue_info *info)
{
	if (!info)
		return;
	isg_buf_dispose(&info->title);
	isg_buf_dispose(&info->labels_json);
	isg_buf_dispose(&info->raw_json);
}

static int cell_buf(isg_buf *out, const PGresult *r, int col)
{
	int rc = isg_buf_set(out, PQgetvalue(r, 0, col),
	                     (size_t)PQgetlength(r, 0, col));
	return rc == ISG_ENOMEM ? isg__error_oom(MOD) : rc;
}

int isg_store_issue_get(isg_store_issue_info *out, isg_store *st,
                        const char *full_name, int number)
{
	char num[16];
	const char *params[2];
	long long v = 0;
	PGresult *r = NULL;
	int rc;

	if (!out || !st || !full_name)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_issue_get: NULL argument");
	isg_store_issue_info_dispose(out);
	memset(out, 0, sizeof(*out));
	snprintf(num, sizeof(num), "%d", number);
	params[0] = full_name;
	params[1] = num;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "get issue",
	        "SELECT i.id, i.project_id, i.gh_issue_id, i.issue_number, i.is_pull_request::int, coalesce(i.junior_friendly::int, -1), i.state, coalesce(i.difficulty, ''), " ISG__SQL_ISO(
	                "i.gh_updated_at") ", i.title, to_json(i.labels)::text, i.raw_data::text FROM github_issues i JOIN projects p ON p.id = i.project_id WHERE lower(p.full_name) = lower($1) AND i.issue_number = $2::int",
	        2, params);
	if (rc != ISG_OK)
		goto done;
	if (PQntuples(r) == 0) {
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no issue %.200s#%d in the archive",
		                    full_name, number);
		goto done;
	}
	if ((rc = isg__store_copy(out->id, sizeof(out->id), r, 0, 0)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->project_id, sizeof(out->project_id), r,
	                          0, 1)) != ISG_OK ||
	    (rc = isg__store_copy(out->state, sizeof(out->state), r, 0, 6)) !=
	            ISG_OK ||
	    (rc = isg__store_copy(out->difficulty, sizeof(out->difficulty), r,
	                          0, 7)) != ISG_OK ||
	    (rc = isg__store_copy(out->gh_updated_at,
	                          sizeof(out->gh_updated_at), r, 0, 8)) !=
	            ISG_OK ||
	    (rc = cell_buf(&out->title, r, 9)) != ISG_OK ||
	    (rc = cell_buf(&out->labels_json, r, 10)) != ISG_OK ||
	    (rc = cell_buf(&out->raw_json, r, 11)) != ISG_OK)
		goto done;
	isg__text_parse_ll(PQgetvalue(r, 0, 2), &v);
	out->gh_issue_id = v;
	isg__text_parse_ll(PQgetvalue(r, 0, 3), &v);
	out->number = (int)v;
	isg__text_parse_ll(PQgetvalue(r, 0, 4), &v);
	out->is_pull_request = (int)v;
	isg__text_parse_ll(PQgetvalue(r, 0, 5), &v);
	out->junior_friendly = (int)v;
done:
	PQclear(r);
	return rc;
}

static int difficulty_valid(const char *d)
{
	return !d || strcmp(d, "beginner") == 0 ||
	       strcmp(d, "intermediate") == 0 || strcmp(d, "advanced") == 0;
}

int isg_store_issue_set_difficulty(isg_store *st, const char *issue_id,
                                   const char *difficulty, int junior_friendly)
{
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_issue_set_difficulty: NULL store");
	if ((rc = isg__store_require_id(issue_id, "issue id")) != ISG_OK)
		return rc;
	if (!difficulty_valid(difficulty))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "difficulty '%.40s' is not beginner, intermediate or advanced",
		        difficulty);
	params[0] = issue_id;
	params[1] = difficulty;
	params[2] = junior_friendly < 0 ? NULL
	                                : (junior_friendly ? "true" : "false");
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "set issue difficulty",
	        "UPDATE github_issues SET difficulty = $2, junior_friendly = $3::boolean, updated_at = now() WHERE id = $1::uuid RETURNING id",
	        3, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no issue with id %s",
		                    issue_id);
	PQclear(r);
	return rc;
}

static const char list_sql[] =
        "SELECT i.id, (extract(epoch FROM i.gh_updated_at) * 1000000)::bigint, json_build_object('id', i.id, 'project', p.full_name, 'number', i.issue_number, 'title', i.title, 'state', i.state, 'labels', i.labels, 'difficulty', i.difficulty, 'junior_friendly', i.junior_friendly, 'is_pull_request', i.is_pull_request, 'gh_updated_at', " ISG__SQL_ISO(
                "i.gh_updated_at") ", 'status', tc.status)::text FROM github_issues i JOIN projects p ON p.id = i.project_id LEFT JOIN tutorial_contents tc ON tc.issue_id = i.id WHERE ($1::text IS NULL OR lower(p.full_name) = lower($1)) AND ($2::text IS NULL OR i.difficulty = $2) AND ($3::boolean IS NULL OR i.junior_friendly = $3) AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM concepts c WHERE c.slug = $4 AND (EXISTS (SELECT 1 FROM tutorial_concepts t WHERE t.content_id = tc.id AND t.concept_id = c.id) OR EXISTS (SELECT 1 FROM project_concepts pc WHERE pc.project_id = i.project_id AND pc.concept_id = c.id)))) AND ($5::text IS NULL OR i.state = $5) AND ($6::boolean OR NOT i.is_pull_request) AND ($7::bigint IS NULL OR (i.gh_updated_at, i.id) < ('epoch'::timestamptz + $7::bigint * interval '1 microsecond', $8::uuid)) AND ($10::text IS NULL OR lower(p.language) = lower($10)) ORDER BY i.gh_updated_at DESC, i.id DESC LIMIT $9::int";

/* Checks a filter's version, page limit and difficulty; the error names
 * the bad field. */
static int check_filter(const isg_store_issue_filter *f)
{
	if (f->version < 1 || f->version > ISG_STORE_ISSUE_FILTER_VERSION)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_issue_filter.version %u is not 1 to %d",
		        f->version, ISG_STORE_ISSUE_FILTER_VERSION);
	if (f->limit < 0 || f->limit > ISG_STORE_PAGE_MAX)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "page limit %d is out of range 1..%d",
		                      f->limit, ISG_STORE_PAGE_MAX);
	if (!difficulty_valid(f->difficulty))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "difficulty '%.40s' is not beginner, intermediate or advanced",
		        f->difficulty);
	return ISG_OK;
}

/* Writes the page {"items":[...],"next_cursor":...} from the rows of R,
 * which holds up to LIMIT + 1 rows: one more means another page. */
static int write_page(isg_buf *page, PGresult *r, int limit)
{
	char next[ISG__STORE_CURSOR_MAX];
	long long last_usec = 0;
	int n = PQntuples(r), i, rc;

	rc = isg__buf_puts(page, "{\"items\":[");
	for (i = 0; rc == ISG_OK && i < n && i < limit; i++) {
		if (i)
			rc = isg__buf_putc(page, ',');
		if (rc == ISG_OK)
			rc = isg_buf_put(page, PQgetvalue(r, i, 2),
			                 (size_t)PQgetlength(r, i, 2));
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(page, "],\"next_cursor\":");
	if (rc == ISG_OK && n > limit) {
		/* More rows exist: the cursor is the last row returned. */
		isg__text_parse_ll(PQgetvalue(r, limit - 1, 1), &last_usec);
		rc = isg__store_cursor_encode(next, (int64_t)last_usec,
		                              PQgetvalue(r, limit - 1, 0));
		if (rc == ISG_OK)
			rc = isg__buf_printf(page, "\"%s\"}", next);
	} else if (rc == ISG_OK) {
		rc = isg__buf_puts(page, "null}");
	}
	return rc;
}

/* Stages: check the filter, decode the cursor, bind the parameters, run
 * the query, write the page. */
int isg_store_issues_list(isg_buf *out, isg_store *st,
                          const isg_store_issue_filter *f)
{
	char usec_s[32], uuid[ISG_STORE_ID_SIZE], limit_s[16];
	const char *params[10];
	isg_buf page = ISG_BUF_INIT;
	int64_t usec = 0;
	PGresult *r = NULL;
	int rc, limit;

	if (!out || !st || !f) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_issues_list: NULL argument");
		goto done;
	}
	if ((rc = check_filter(f)) != ISG_OK)
		goto done;
	limit = f->limit ? f->limit : 50;
	if (f->cursor && f->cursor[0] &&
	    (rc = isg__store_cursor_decode(&usec, uuid, f->cursor)) != ISG_OK)
		goto done;
	snprintf(usec_s, sizeof(usec_s), "%lld", (long long)usec);
	snprintf(limit_s, sizeof(limit_s), "%d", limit + 1);
	params[0] = f->project;
	params[1] = f->difficulty;
	params[2] = f->junior_friendly < 0
	                    ? NULL
	                    : (f->junior_friendly ? "true" : "false");
	params[3] = f->concept;
	params[4] = f->state;
	params[5] = f->include_pull_requests ? "true" : "false";
	params[6] = (f->cursor && f->cursor[0]) ? usec_s : NULL;
	params[7] = (f->cursor && f->cursor[0]) ? uuid : NULL;
	params[8] = limit_s;
	/* A version 1 filter ends before `language`: never read it. */
	params[9] = f->version >= 2 ? f->language : NULL;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "list issues", list_sql,
	                     10, params);
	if (rc != ISG_OK)
		goto done;
	rc = write_page(&page, r, limit);
	if (rc == ISG_ENOMEM)
		rc = isg__error_oom(MOD);
	if (rc == ISG_OK)
		rc = isg_buf_set(out, page.ptr, page.size);
done:
	PQclear(r);
	isg_buf_dispose(&page);
	return rc;
}
