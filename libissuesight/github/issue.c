/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issue: the GitHub domain types (issue, comment, repository, label) read
 * from GitHub's JSON and written back to it. Reading is defensive: a field
 * that is missing, null or of another type reads as absent; only text that
 * is not a JSON object is an error.
 */
#include <inttypes.h>
#include <string.h>

#include "core_int.h"
#include "issue_int.h"
#include "json_int.h"

#define MOD "issue"

/* Copies obj[key] when it is a string; leaves *dst NULL otherwise. */
static int dup_field(char **dst, const cJSON *obj, const char *key)
{
	const char *s = isg__json_str(obj, key);

	*dst = NULL;
	if (!s)
		return ISG_OK;
	*dst = isg__alloc_strdup(s);
	return *dst ? ISG_OK : isg__error_oom(MOD);
}

/* Copies obj[outer][inner] when both exist with the right types. */
static int dup_nested(char **dst, const cJSON *obj, const char *outer,
                      const char *inner)
{
	return dup_field(dst, isg__json_obj(obj, outer), inner);
}

static int64_t get_i64(const cJSON *obj, const char *key)
{
	int64_t v = 0;

	return isg__json_i64(obj, key, &v) == ISG_OK ? v : 0;
}

static int get_bool(const cJSON *obj, const char *key)
{
	int v = 0;

	return isg__json_bool(obj, key, &v) == ISG_OK ? v : 0;
}

/* The number after the last '/' of a URL such as .../issues/42; 0 when the
 * URL does not end in digits or the number would overflow. */
static int64_t trailing_number(const char *url)
{
	const char *p;
	int64_t n = 0;

	if (!url)
		return 0;
	p = strrchr(url, '/');
	if (!p || !p[1])
		return 0;
	for (p++; *p; p++) {
		if (*p < '0' || *p > '9' || n > (INT64_MAX - 9) / 10)
			return 0;
		n = n * 10 + (*p - '0');
	}
	return n;
}

/* "owner/name" from ".../repos/owner/name" (API) or
 * "https://github.com/owner/name/..." (web); NULL when neither fits. */
static int repo_from_urls(char **dst, const char *api_url, const char *web_url)
{
	const char *p = NULL, *slash, *end;

	*dst = NULL;
	if (api_url && (p = strstr(api_url, "/repos/")) != NULL) {
		p += 7;
	} else if (web_url && (p = strstr(web_url, "://")) != NULL) {
		p = strchr(p + 3, '/');
		if (p)
			p++;
	}
	if (!p || !*p)
		return ISG_OK;
	slash = strchr(p, '/');
	if (!slash || slash == p || !slash[1] || slash[1] == '/')
		return ISG_OK;
	end = strchr(slash + 1, '/');
	if (!end)
		end = slash + strlen(slash);
	*dst = isg__alloc_strndup(p, (size_t)(end - p));
	return *dst ? ISG_OK : isg__error_oom(MOD);
}

static void label_clear(isg_label *l)
{
	isg__alloc_free(l->name);
	isg__alloc_free(l->color);
	isg__alloc_free(l->description);
	memset(l, 0, sizeof(*l));
}

/* Fills `l` from an object with a string `name` or from a bare string.
 * Returns ISG_ENOTFOUND (nothing recorded) when `v` is neither. */
static int label_fill(isg_label *l, const cJSON *v)
{
	int rc;

	memset(l, 0, sizeof(*l));
	if (cJSON_IsString(v)) {
		l->name = isg__alloc_strdup(v->valuestring);
		return l->name ? ISG_OK : isg__error_oom(MOD);
	}
	if (!isg__json_str(v, "name"))
		return ISG_ENOTFOUND;
	l->id = get_i64(v, "id");
	if ((rc = dup_field(&l->name, v, "name")) != ISG_OK ||
	    (rc = dup_field(&l->color, v, "color")) != ISG_OK ||
	    (rc = dup_field(&l->description, v, "description")) != ISG_OK)
		label_clear(l);
	return rc;
}

static void comment_clear(isg_comment *c)
{
	isg__alloc_free(c->user_login);
	isg__alloc_free(c->body);
	isg__alloc_free(c->created_at);
	isg__alloc_free(c->updated_at);
	isg__alloc_free(c->author_association);
	isg__alloc_free(c->html_url);
	isg__alloc_free(c->issue_url);
	memset(c, 0, sizeof(*c));
}

static int comment_fill(isg_comment *c, const cJSON *v)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->id = get_i64(v, "id");
	if ((rc = dup_nested(&c->user_login, v, "user", "login")) != ISG_OK ||
	    (rc = dup_field(&c->body, v, "body")) != ISG_OK ||
	    (rc = dup_field(&c->created_at, v, "created_at")) != ISG_OK ||
	    (rc = dup_field(&c->updated_at, v, "updated_at")) != ISG_OK ||
	    (rc = dup_field(&c->author_association, v, "author_association")) !=
	            ISG_OK ||
	    (rc = dup_field(&c->html_url, v, "html_url")) != ISG_OK ||
	    (rc = dup_field(&c->issue_url, v, "issue_url")) != ISG_OK) {
		comment_clear(c);
		return rc;
	}
	c->issue_number = trailing_number(c->issue_url);
	return ISG_OK;
}

/* Copies the strings of `arr` (or the `key` string field of its objects)
 * into a new array; other elements are skipped. */
static int dup_string_list(char ***dst, size_t *n, const cJSON *arr,
                           const char *key)
{
	const cJSON *it;
	size_t cap = (size_t)cJSON_GetArraySize(arr), i = 0;

	*dst = NULL;
	*n = 0;
	if (cap == 0)
		return ISG_OK;
	if (!(*dst = isg__alloc_calloc(cap, sizeof(char *))))
		return isg__error_oom(MOD);
	cJSON_ArrayForEach(it, arr)
	{
		const char *s =
		        key ? isg__json_str(it, key)
		            : (cJSON_IsString(it) ? it->valuestring : NULL);
		if (!s || i >= cap)
			continue;
		if (!((*dst)[i] = isg__alloc_strdup(s)))
			return isg__error_oom(MOD); /* caller frees *dst */
		*n = ++i;
	}
	return ISG_OK;
}

static void free_string_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		isg__alloc_free(list[i]);
	isg__alloc_free(list);
}

void isg_issue_free(isg_issue *issue)
{
	size_t i;

	if (!issue)
		return;
	isg__alloc_free(issue->title);
	isg__alloc_free(issue->body);
	isg__alloc_free(issue->state);
	isg__alloc_free(issue->state_reason);
	isg__alloc_free(issue->user_login);
	for (i = 0; i < issue->nlabels; i++)
		label_clear(&issue->labels[i]);
	isg__alloc_free(issue->labels);
	free_string_list(issue->assignees, issue->nassignees);
	isg__alloc_free(issue->milestone);
	isg__alloc_free(issue->created_at);
	isg__alloc_free(issue->updated_at);
	isg__alloc_free(issue->closed_at);
	isg__alloc_free(issue->html_url);
	isg__alloc_free(issue->repo_full_name);
	isg__alloc_free(issue->author_association);
	for (i = 0; i < issue->ncomments; i++)
		comment_clear(&issue->comments[i]);
	isg__alloc_free(issue->comments);
	isg__alloc_free(issue);
}

static int issue_labels(isg_issue *is, const cJSON *arr)
{
	const cJSON *it;
	size_t cap = (size_t)cJSON_GetArraySize(arr);
	int rc;

	if (cap == 0)
		return ISG_OK;
	if (!(is->labels = isg__alloc_calloc(cap, sizeof(isg_label))))
		return isg__error_oom(MOD);
	cJSON_ArrayForEach(it, arr)
	{
		if (is->nlabels >= cap)
			break;
		rc = label_fill(&is->labels[is->nlabels], it);
		if (rc == ISG_ENOTFOUND)
			continue;
		if (rc != ISG_OK)
			return rc;
		is->nlabels++;
	}
	return ISG_OK;
}

static int issue_comments(isg_issue *is, const cJSON *v)
{
	const cJSON *arr = isg__json_arr(v, "comments"), *it;
	size_t cap;
	int rc;

	if (!arr) {
		is->comments_count = get_i64(v, "comments");
		return ISG_OK;
	}
	cap = (size_t)cJSON_GetArraySize(arr);
	if (cap == 0)
		return ISG_OK;
	if (!(is->comments = isg__alloc_calloc(cap, sizeof(isg_comment))))
		return isg__error_oom(MOD);
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsObject(it) || is->ncomments >= cap)
			continue;
		if ((rc = comment_fill(&is->comments[is->ncomments], it)) !=
		    ISG_OK)
			return rc;
		is->ncomments++;
		is->comments_count = (int64_t)is->ncomments;
	}
	return ISG_OK;
}

int isg__issue_from_json(isg_issue **out, const cJSON *v)
{
	isg_issue *is = NULL;
	const cJSON *reactions, *pr;
	char *api_url = NULL;
	int rc;

	*out = NULL;
	if (!cJSON_IsObject(v))
		return isg__error_set(ISG_EPARSE, MOD,
		                      "issue: expected a JSON object, got %s",
		                      isg__json_type_name(v));
	if (!(is = isg__alloc_calloc(1, sizeof(*is))))
		return isg__error_oom(MOD);
	is->id = get_i64(v, "id");
	is->number = get_i64(v, "number");
	/* GitHub marks a pull request with a `pull_request` object; null
	 * and false (hand-written files) mean "not one". */
	pr = cJSON_GetObjectItemCaseSensitive(v, "pull_request");
	is->is_pull_request = pr && !cJSON_IsNull(pr) && !cJSON_IsFalse(pr);
	is->locked = get_bool(v, "locked");
	reactions = isg__json_obj(v, "reactions");
	is->reactions_total = get_i64(reactions, "total_count");
	if ((rc = dup_field(&is->title, v, "title")) != ISG_OK ||
	    (rc = dup_field(&is->body, v, "body")) != ISG_OK ||
	    (rc = dup_field(&is->state, v, "state")) != ISG_OK ||
	    (rc = dup_field(&is->state_reason, v, "state_reason")) != ISG_OK ||
	    (rc = dup_nested(&is->user_login, v, "user", "login")) != ISG_OK ||
	    (rc = dup_nested(&is->milestone, v, "milestone", "title")) !=
	            ISG_OK ||
	    (rc = dup_field(&is->created_at, v, "created_at")) != ISG_OK ||
	    (rc = dup_field(&is->updated_at, v, "updated_at")) != ISG_OK ||
	    (rc = dup_field(&is->closed_at, v, "closed_at")) != ISG_OK ||
	    (rc = dup_field(&is->html_url, v, "html_url")) != ISG_OK ||
	    (rc = dup_field(&is->author_association, v,
	                    "author_association")) != ISG_OK)
		goto done;
	if ((rc = issue_labels(is, isg__json_arr(v, "labels"))) != ISG_OK)
		goto done;
	rc = dup_string_list(&is->assignees, &is->nassignees,
	                     isg__json_arr(v, "assignees"), "login");
	if (rc != ISG_OK)
		goto done;
	/* Older payloads and hand-written files may carry only `assignee`. */
	if (is->nassignees == 0 &&
	    isg__json_str(isg__json_obj(v, "assignee"), "login")) {
		isg__alloc_free(is->assignees);
		if (!(is->assignees = isg__alloc_calloc(1, sizeof(char *)))) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		if ((rc = dup_nested(&is->assignees[0], v, "assignee",
		                     "login")) != ISG_OK)
			goto done;
		is->nassignees = 1;
	}
	if ((rc = issue_comments(is, v)) != ISG_OK)
		goto done;
	api_url = (char *)isg__json_str(v, "repository_url");
	rc = repo_from_urls(&is->repo_full_name, api_url, is->html_url);
done:
	if (rc != ISG_OK) {
		isg_issue_free(is);
		is = NULL;
	}
	*out = is;
	return rc;
}

/* Parses text and hands the document to `build`; shared by every
 * public parser. */
static cJSON *parse_doc(const char *json, size_t len, const char *what, int *rc)
{
	cJSON *doc;

	*rc = ISG_OK;
	if (!json) {
		*rc = isg__error_set(ISG_EINVALID, MOD, "%s: NULL JSON text",
		                     what);
		return NULL;
	}
	doc = isg__json_parse(json, len, MOD, what);
	if (!doc)
		*rc = isg_error_last()->code;
	return doc;
}

/* The fields every reader relies on must have their documented type when
 * present: a wrong one is named instead of being read as absent. */
static int check_field_types(const cJSON *v)
{
	static const struct {
		const char *key;
		int (*ok)(const cJSON *);
		const char *want;
	} fields[] = {
		{ "title", cJSON_IsString, "a string" },
		{ "body", cJSON_IsString, "a string or null" },
		{ "labels", cJSON_IsArray, "an array or null" },
		{ "number", cJSON_IsNumber, "a number" },
		{ "state", cJSON_IsString, "a string or null" },
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(fields); i++) {
		const cJSON *f =
		        cJSON_GetObjectItemCaseSensitive(v, fields[i].key);

		if (f && !cJSON_IsNull(f) && !fields[i].ok(f))
			return isg__error_set(
			        ISG_EPARSE, MOD,
			        "issue: field '%s' is of type %s, expected %s",
			        fields[i].key, isg__json_type_name(f),
			        fields[i].want);
	}
	return ISG_OK;
}

int isg__issue_check_types(const char *json, size_t len)
{
	cJSON *doc;
	int rc;

	if (!(doc = parse_doc(json, len, "issue", &rc)))
		return rc;
	rc = cJSON_IsObject(doc) ? check_field_types(doc) : ISG_OK;
	cJSON_Delete(doc);
	return rc;
}

int isg_issue_parse(isg_issue **out, const char *json, size_t len)
{
	cJSON *doc;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "issue: NULL out");
	*out = NULL;
	if (!(doc = parse_doc(json, len, "issue", &rc)))
		return rc;
	rc = isg__issue_from_json(out, doc);
	cJSON_Delete(doc);
	return rc;
}

void isg_issue_comment_free(isg_comment *comment)
{
	if (!comment)
		return;
	comment_clear(comment);
	isg__alloc_free(comment);
}

int isg__issue_comment_from_json(isg_comment **out, const cJSON *v)
{
	isg_comment *c;
	int rc;

	*out = NULL;
	if (!cJSON_IsObject(v))
		return isg__error_set(ISG_EPARSE, MOD,
		                      "comment: expected a JSON object, got %s",
		                      isg__json_type_name(v));
	if (!(c = isg__alloc_calloc(1, sizeof(*c))))
		return isg__error_oom(MOD);
	if ((rc = comment_fill(c, v)) != ISG_OK) {
		isg__alloc_free(c);
		return rc;
	}
	*out = c;
	return ISG_OK;
}

int isg_issue_comment_parse(isg_comment **out, const char *json, size_t len)
{
	cJSON *doc;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "comment: NULL out");
	*out = NULL;
	if (!(doc = parse_doc(json, len, "comment", &rc)))
		return rc;
	rc = isg__issue_comment_from_json(out, doc);
	cJSON_Delete(doc);
	return rc;
}

void isg_issue_label_free(isg_label *label)
{
	if (!label)
		return;
	label_clear(label);
	isg__alloc_free(label);
}

int isg__issue_label_from_json(isg_label **out, const cJSON *v)
{
	isg_label *l;
	int rc;

	*out = NULL;
	if (!(l = isg__alloc_calloc(1, sizeof(*l))))
		return isg__error_oom(MOD);
	rc = label_fill(l, v);
	if (rc == ISG_ENOTFOUND)
		rc = isg__error_set(
		        ISG_EPARSE, MOD,
		        "label: expected an object with a string \"name\" or a string, got %s",
		        isg__json_type_name(v));
	if (rc != ISG_OK) {
		isg__alloc_free(l);
		return rc;
	}
	*out = l;
	return ISG_OK;
}

int isg_issue_label_parse(isg_label **out, const char *json, size_t len)
{
	cJSON *doc;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "label: NULL out");
	*out = NULL;
	if (!(doc = parse_doc(json, len, "label", &rc)))
		return rc;
	rc = isg__issue_label_from_json(out, doc);
	cJSON_Delete(doc);
	return rc;
}

void isg_issue_repository_free(isg_repository *repo)
{
	if (!repo)
		return;
	isg__alloc_free(repo->full_name);
	isg__alloc_free(repo->owner_login);
	isg__alloc_free(repo->name);
	isg__alloc_free(repo->description);
	isg__alloc_free(repo->default_branch);
	isg__alloc_free(repo->language);
	free_string_list(repo->topics, repo->ntopics);
	isg__alloc_free(repo->html_url);
	isg__alloc_free(repo->license_spdx);
	isg__alloc_free(repo->pushed_at);
	isg__alloc_free(repo->updated_at);
	isg__alloc_free(repo);
}

int isg__issue_repository_from_json(isg_repository **out, const cJSON *v)
{
	isg_repository *r;
	int rc;

	*out = NULL;
	if (!cJSON_IsObject(v))
		return isg__error_set(
		        ISG_EPARSE, MOD,
		        "repository: expected a JSON object, got %s",
		        isg__json_type_name(v));
	if (!(r = isg__alloc_calloc(1, sizeof(*r))))
		return isg__error_oom(MOD);
	r->id = get_i64(v, "id");
	r->stargazers_count = get_i64(v, "stargazers_count");
	r->open_issues_count = get_i64(v, "open_issues_count");
	r->archived = get_bool(v, "archived");
	r->fork = get_bool(v, "fork");
	if ((rc = dup_field(&r->full_name, v, "full_name")) != ISG_OK ||
	    (rc = dup_nested(&r->owner_login, v, "owner", "login")) != ISG_OK ||
	    (rc = dup_field(&r->name, v, "name")) != ISG_OK ||
	    (rc = dup_field(&r->description, v, "description")) != ISG_OK ||
	    (rc = dup_field(&r->default_branch, v, "default_branch")) !=
	            ISG_OK ||
	    (rc = dup_field(&r->language, v, "language")) != ISG_OK ||
	    (rc = dup_field(&r->html_url, v, "html_url")) != ISG_OK ||
	    (rc = dup_nested(&r->license_spdx, v, "license", "spdx_id")) !=
	            ISG_OK ||
	    (rc = dup_field(&r->pushed_at, v, "pushed_at")) != ISG_OK ||
	    (rc = dup_field(&r->updated_at, v, "updated_at")) != ISG_OK)
		goto done;
	rc = dup_string_list(&r->topics, &r->ntopics,
	                     isg__json_arr(v, "topics"), NULL);
	if (rc != ISG_OK)
		goto done;
	if (!r->full_name && r->owner_login && r->name) {
		isg_buf b = ISG_BUF_INIT;

		rc = isg__buf_printf(&b, "%s/%s", r->owner_login, r->name);
		if (rc == ISG_OK && !(r->full_name = isg__buf_detach(&b)))
			rc = isg__error_oom(MOD);
		isg_buf_dispose(&b);
	}
done:
	if (rc != ISG_OK) {
		isg_issue_repository_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

int isg_issue_repository_parse(isg_repository **out, const char *json,
                               size_t len)
{
	cJSON *doc;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "repository: NULL out");
	*out = NULL;
	if (!(doc = parse_doc(json, len, "repository", &rc)))
		return rc;
	rc = isg__issue_repository_from_json(out, doc);
	cJSON_Delete(doc);
	return rc;
}
