/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_upsert: one issue into the archive: its comments merged by id
 * with the stored ones (or replacing them when the listing was complete),
 * the row upserted with GitHub's object as raw_data, and a context message
 * pushed when the issue deserves one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "collector"
#define DEDUPE_TTL_S (7 * 24 * 3600)

int isg__collector_labels_match(const cJSON *issue, const char *filter)
{
	const cJSON *labels = isg__json_arr(issue, "labels"), *l;

	if (!filter || !*filter)
		return 1;
	cJSON_ArrayForEach(l, labels)
	{
		const char *name = cJSON_IsString(l) ? l->valuestring
		                                     : isg__json_str(l, "name");
		const char *p = filter;
		size_t n;

		if (!name)
			continue;
		n = strlen(name);
		while (*p) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			const char *s = p;
			size_t sl = len;

			while (sl > 0 && (*s == ' ' || *s == '\t'))
				s++, sl--;
			while (sl > 0 &&
			       (s[sl - 1] == ' ' || s[sl - 1] == '\t'))
				sl--;
			if (sl == n && isg__text_ncasecmp(s, name, n) == 0)
				return 1;
			p = end ? end + 1 : p + len;
		}
	}
	return 0;
}

static int64_t comment_id(const cJSON *cm)
{
	int64_t id = 0;

	if (isg__json_i64(cm, "id", &id) != ISG_OK)
		return 0;
	return id;
}

static int cmp_comment(const void *a, const void *b)
{
	int64_t x = comment_id(*(const cJSON *const *)a);
	int64_t y = comment_id(*(const cJSON *const *)b);

	return x < y ? -1 : x > y;
}

/* Builds the comment array of an issue: `listed` (complete or not) merged
 * by id with `stored` when not complete; sorted by id (GitHub's ids grow
 * with time). */
static cJSON *merge_comments(const cJSON *stored, const cJSON *listed,
                             int complete)
{
	const cJSON *src[2] = { complete ? NULL : stored, listed };
	const cJSON **all = NULL, *it;
	size_t n = 0, cap = 0, i, k;
	cJSON *out = NULL;

	for (k = 0; k < 2; k++)
		cap += (size_t)(cJSON_IsArray(src[k])
		                        ? cJSON_GetArraySize(src[k])
		                        : 0);
	all = isg__alloc_calloc(cap ? cap : 1, sizeof(*all));
	if (!all)
		goto done;
	for (k = 0; k < 2; k++) {
		const cJSON *arr = cJSON_IsArray(src[k]) ? src[k] : NULL;

		cJSON_ArrayForEach(it, arr)
		{
			int64_t id = comment_id(it);

			if (!cJSON_IsObject(it))
				continue;
			/* A listed comment replaces the stored one. */
			for (i = 0; id != 0 && i < n; i++)
				if (comment_id(all[i]) == id)
					break;
			if (id != 0 && i < n)
				all[i] = it;
			else
				all[n++] = it;
		}
	}
	qsort(all, n, sizeof(*all), cmp_comment);
	out = cJSON_CreateArray();
	for (i = 0; out && i < n; i++) {
		cJSON *dup = cJSON_Duplicate(all[i], 1);

		if (!dup || !cJSON_AddItemToArray(out, dup)) {
			cJSON_Delete(dup);
			cJSON_Delete(out);
			out = NULL;
		}
	}
done:
	isg__alloc_free(all);
	return out;
}

static int push_context(isg_collector *c, const char *project_id,
                        const char *full_name, const char *issue_id,
                        const isg_issue *is, const isg__context_src *src)
{
	char owner[128], dedupe[256];
	const char *slash = strchr(full_name, '/');
	cJSON *m = cJSON_CreateObject(), *labels;
	isg_buf text = ISG_BUF_INIT;
	size_t i;
	int rc = ISG_ENOMEM;

	if (!m || !slash)
		goto done;
	snprintf(owner, sizeof(owner), "%.*s", (int)(slash - full_name),
	         full_name);
	if (!cJSON_AddNumberToObject(m, "schema_version", 1) ||
	    !cJSON_AddStringToObject(m, "project", full_name) ||
	    !cJSON_AddStringToObject(m, "owner", owner) ||
	    !cJSON_AddStringToObject(m, "repo", slash + 1) ||
	    !cJSON_AddNumberToObject(m, "number", (double)is->number) ||
	    !cJSON_AddNumberToObject(m, "gh_issue_id", (double)is->id) ||
	    !cJSON_AddStringToObject(m, "issue_id", issue_id) ||
	    !cJSON_AddStringToObject(m, "project_id", project_id) ||
	    !cJSON_AddStringToObject(m, "title", is->title ? is->title : "") ||
	    !(labels = cJSON_AddArrayToObject(m, "labels")) ||
	    !cJSON_AddStringToObject(m, "updated_at",
	                             is->updated_at ? is->updated_at : "") ||
	    !cJSON_AddStringToObject(m, "source", src->source))
		goto done;
	for (i = 0; i < is->nlabels; i++) {
		cJSON *l = cJSON_CreateString(is->labels[i].name);

		if (!l || !cJSON_AddItemToArray(labels, l)) {
			cJSON_Delete(l);
			goto done;
		}
	}
	if (src->task_id &&
	    !cJSON_AddStringToObject(m, "task_id", src->task_id))
		goto done;
	if (src->requested_by &&
	    !cJSON_AddStringToObject(m, "requested_by", src->requested_by))
		goto done;
	if (src->lock && !cJSON_AddStringToObject(m, "lock", src->lock))
		goto done;
	if ((rc = isg__json_print(&text, m)) != ISG_OK)
		goto done;
	/* A task is pushed once per task; a polled issue once per version. */
	if (src->task_id)
		snprintf(dedupe, sizeof(dedupe), "ctx:task:%s", src->task_id);
	else
		snprintf(dedupe, sizeof(dedupe), "ctx:%lld:%s",
		         (long long)is->id,
		         is->updated_at ? is->updated_at : "");
	rc = isg_stream_add_once(NULL, c->stream, ISG_STREAM_CONTEXTS, dedupe,
	                         DEDUPE_TTL_S, text.ptr, text.size);
	if (rc == ISG_ECONFLICT)
		rc = ISG_ESTATE; /* already pushed: not counted */
done:
	if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	cJSON_Delete(m);
	isg_buf_dispose(&text);
	return rc;
}

/* Whether a polled issue deserves a context message: no bridge yet, or a
 * completed bridge older than the issue's last update. */
static int needs_bridge(isg_collector *c, const char *full_name,
                        const isg_issue *is)
{
	isg_store_content ct;
	int want = 0, rc;

	memset(&ct, 0, sizeof(ct));
	rc = isg_store_content_get_by_issue(&ct, c->store, full_name,
	                                    (int)is->number);
	if (rc == ISG_ENOTFOUND)
		want = 1;
	else if (rc == ISG_OK && ct.status == ISG_STORE_COMPLETED &&
	         is->updated_at &&
	         strncmp(ct.updated_at, is->updated_at, 19) < 0)
		want = 1;
	isg_store_content_dispose(&ct);
	return want;
}

/* Sets doc.comments to the issue's comments: the listed ones merged
 * with those stored before (unless the listing is `complete`), sorted;
 * raises *comments_count to their number. */
static int embed_comments(isg_collector *c, const char *full_name, cJSON *doc,
                          const cJSON *listed, int complete, int64_t number,
                          int64_t *comments_count)
{
	isg_store_issue_info old;
	cJSON *stored = NULL, *merged = NULL;
	int rc = ISG_OK;

	memset(&old, 0, sizeof(old));
	if (!complete) {
		rc = isg_store_issue_get(&old, c->store, full_name,
		                         (int)number);
		if (rc == ISG_OK)
			stored = isg__json_parse(old.raw_json.ptr,
			                         old.raw_json.size, MOD,
			                         "stored issue");
		else if (rc != ISG_ENOTFOUND)
			goto done;
	}
	merged = merge_comments(isg__json_arr(stored, "comments"), listed,
	                        complete);
	if (!merged) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	if (*comments_count < 0 || *comments_count < cJSON_GetArraySize(merged))
		*comments_count = cJSON_GetArraySize(merged);
	if (cJSON_GetObjectItemCaseSensitive(doc, "comments"))
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "comments", merged);
	else
		cJSON_AddItemToObject(doc, "comments", merged);
	if (cJSON_GetObjectItemCaseSensitive(doc, "comments") != merged) {
		cJSON_Delete(merged);
		rc = isg__error_oom(MOD);
		goto done;
	}
	rc = ISG_OK;
done:
	cJSON_Delete(stored);
	isg_store_issue_info_dispose(&old);
	return rc;
}

/* A submitted reference that GitHub answers as a pull request gets no
 * bridge: its content row (made by the gateway, or here) becomes FAILED
 * with the reason, so that the submitter sees why instead of a PENDING
 * that never ends, and the task is acknowledged. */
static int fail_pull_request(isg_collector *c, const char *issue_id,
                             const char *full_name, int64_t number)
{
	isg_store_content_ref ref;
	char why[320];
	int rc = isg_store_content_ensure(&ref, c->store, issue_id);

	if (rc != ISG_OK || ref.status != ISG_STORE_PENDING)
		return rc;
	snprintf(why, sizeof(why),
	         "%s#%lld is a pull request, not an issue: Context Bridges "
	         "are made for issues only",
	         full_name, (long long)number);
	rc = isg_store_content_fail(c->store, ref.id, why, 0);
	return rc == ISG_ESTATE ? ISG_OK : rc;
}

int isg__collector_store_issue(isg_collector *c, const char *project_id,
                               const char *full_name, cJSON *doc,
                               const cJSON *listed, int complete,
                               const char *labels, int push,
                               const isg__context_src *src,
                               isg_collector_sync_stats *st)
{
	isg_issue *is = NULL;
	isg_buf raw = ISG_BUF_INIT;
	isg_store_issue in;
	const char **names = NULL;
	char id[ISG_STORE_ID_SIZE];
	int64_t number = 0, comments_count = 0;
	size_t i;
	int rc;

	if (isg__json_i64(doc, "number", &number) != ISG_OK || number <= 0 ||
	    number > 2147483647) {
		rc = isg__error_set(ISG_EPARSE, MOD,
		                    "an issue of %s has no valid number",
		                    full_name);
		goto done;
	}
	if (isg__json_i64(doc, "comments", &comments_count) != ISG_OK)
		comments_count = -1;
	rc = embed_comments(c, full_name, doc, listed, complete, number,
	                    &comments_count);
	if (rc != ISG_OK)
		goto done;
	if ((rc = isg__json_print(&raw, doc)) != ISG_OK)
		goto done;
	if ((rc = isg_issue_parse(&is, raw.ptr, raw.size)) != ISG_OK)
		goto done;
	if (is->id <= 0) {
		rc = isg__error_set(ISG_EPARSE, MOD,
		                    "issue %s#%lld has no GitHub id", full_name,
		                    (long long)number);
		goto done;
	}
	if (is->nlabels > 0) {
		names = isg__alloc_calloc(is->nlabels, sizeof(*names));
		if (!names) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		for (i = 0; i < is->nlabels; i++)
			names[i] = is->labels[i].name;
	}
	in = (isg_store_issue)ISG_STORE_ISSUE_INIT;
	in.project_id = project_id;
	in.gh_issue_id = is->id;
	in.number = (int)number;
	in.title = is->title ? is->title : "";
	in.state = is->state ? is->state : "open";
	in.labels = names;
	in.nlabels = is->nlabels;
	in.is_pull_request = is->is_pull_request;
	in.gh_created_at = is->created_at;
	in.gh_updated_at = is->updated_at;
	in.body_length = is->body ? (long long)strlen(is->body) : 0;
	in.comments =
	        comments_count > 2147483647 ? 2147483647 : (int)comments_count;
	in.raw_json = raw.ptr;
	rc = isg_store_issue_upsert(id, c->store, &in);
	if (rc != ISG_OK)
		goto done;
	st->issues++;
	if (is->is_pull_request)
		st->pull_requests++;
	if (push && src->task_id && is->is_pull_request) {
		rc = fail_pull_request(c, id, full_name, number);
	} else if (push && c->stream && !is->is_pull_request &&
	           (src->task_id || (isg__collector_labels_match(doc, labels) &&
	                             needs_bridge(c, full_name, is)))) {
		rc = push_context(c, project_id, full_name, id, is, src);
		if (rc == ISG_OK)
			st->contexts++;
		else if (rc == ISG_ESTATE)
			rc = ISG_OK;
	}
done:
	isg__alloc_free(names);
	isg_issue_free(is);
	isg_buf_dispose(&raw);
	return rc;
}
