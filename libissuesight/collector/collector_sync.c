/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_sync: archive one repository with the fewest GitHub requests.
 * The repository, the issue listing and the repository-wide comment
 * listing are fetched first (ceil(N/100) + ceil(C/100) + 1 requests for a
 * full sync); the comments are then grouped by issue number and each issue
 * is upserted once with its comments embedded in raw_data.
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
	if (push && c->stream && !is->is_pull_request &&
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

/* ---- The sync --------------------------------------------------------- */

typedef struct item {
	int64_t number; /* issue number */
	int64_t seq;    /* arrival order, to keep the newest duplicate */
	char *raw;
	size_t len;
} item;

typedef struct sync_ctx {
	isg_collector *c;
	const isg_collector_sync_options *o;
	isg_collector_sync_stats *st;
	item *issues, *comments;
	size_t nissues, ncomments, capi, capc;
	int64_t seq;
	int comments_complete; /* no comment page was answered 304 */
	isg_github_stats gh0;
	int64_t t0;
} sync_ctx;

static void update_stats(sync_ctx *x)
{
	isg_github_stats g = ISG_GITHUB_STATS_INIT;

	if (isg_github_stats_get(&g, x->c->gh) != ISG_OK)
		return;
	x->st->requests = (long long)(g.requests - x->gh0.requests);
	x->st->not_modified = (long long)(g.not_modified - x->gh0.not_modified);
	x->st->seconds_waited = g.seconds_waited - x->gh0.seconds_waited;
	x->st->rate_remaining = g.rate_remaining;
	x->st->seconds = (double)(isg__clock_now_ms() - x->t0) / 1000.0;
}

static int progress(sync_ctx *x)
{
	update_stats(x);
	if (x->c->stop)
		return ISG_ECANCELLED;
	if (x->o->progress && x->o->progress(x->st, x->o->progress_payload))
		return ISG_ECANCELLED;
	return 0;
}

static int keep(item **arr, size_t *n, size_t *cap, int64_t number, int64_t seq,
                const char *raw, size_t len)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		item *na = isg__alloc_realloc(*arr, nc * sizeof(**arr));

		if (!na)
			return isg__error_oom(MOD);
		*arr = na;
		*cap = nc;
	}
	(*arr)[*n].raw = isg__alloc_strndup(raw, len);
	if (!(*arr)[*n].raw)
		return isg__error_oom(MOD);
	(*arr)[*n].number = number;
	(*arr)[*n].seq = seq;
	(*arr)[*n].len = len;
	(*n)++;
	return ISG_OK;
}

static int on_issue(const isg_issue *is, const char *raw, size_t len,
                    void *payload)
{
	sync_ctx *x = payload;

	if (is->number <= 0)
		return 0; /* not an issue: nothing to key it by */
	if (keep(&x->issues, &x->nissues, &x->capi, is->number, x->seq++, raw,
	         len) != ISG_OK)
		return ISG_ENOMEM;
	return x->nissues % 100 == 0 ? progress(x) : 0;
}

static int on_comment(const isg_comment *cm, const char *raw, size_t len,
                      void *payload)
{
	sync_ctx *x = payload;

	x->st->comments++;
	if (cm->issue_number <= 0)
		return 0;
	if (keep(&x->comments, &x->ncomments, &x->capc, cm->issue_number,
	         x->seq++, raw, len) != ISG_OK)
		return ISG_ENOMEM;
	return x->ncomments % 100 == 0 ? progress(x) : 0;
}

static int cmp_item(const void *a, const void *b)
{
	const item *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The comments of issue `number` as a JSON array (NULL on OOM). */
static cJSON *comments_of(sync_ctx *x, int64_t number, size_t *pos)
{
	cJSON *arr = cJSON_CreateArray();

	while (*pos < x->ncomments && x->comments[*pos].number < number)
		(*pos)++;
	while (arr && *pos < x->ncomments &&
	       x->comments[*pos].number == number) {
		cJSON *cm = cJSON_ParseWithLength(x->comments[*pos].raw,
		                                  x->comments[*pos].len);

		if (cm && !cJSON_AddItemToArray(arr, cm))
			cJSON_Delete(cm);
		(*pos)++;
	}
	return arr;
}

static void free_items(item *arr, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		isg__alloc_free(arr[i].raw);
	isg__alloc_free(arr);
}

/* Upserts every listed issue, and the stored issues that only got new
 * comments. */
static int store_all(sync_ctx *x, const char *project_id, const char *full_name,
                     const char *labels)
{
	isg__context_src src = { "poll", NULL, NULL, NULL };
	size_t i = 0, cpos = 0, j;
	int complete = x->o->since == NULL && x->comments_complete;
	int rc = ISG_OK;

	if (x->nissues > 0)
		qsort(x->issues, x->nissues, sizeof(*x->issues), cmp_item);
	if (x->ncomments > 0)
		qsort(x->comments, x->ncomments, sizeof(*x->comments),
		      cmp_item);
	while (rc == ISG_OK && (i < x->nissues || cpos < x->ncomments)) {
		int64_t number;
		cJSON *doc = NULL, *listed;
		int from_listing;

		if (i < x->nissues &&
		    (cpos >= x->ncomments ||
		     x->issues[i].number <= x->comments[cpos].number)) {
			number = x->issues[i].number;
			/* Duplicates (an item that moved between pages):
			 * the newest copy is the last. */
			for (j = i; j + 1 < x->nissues &&
			            x->issues[j + 1].number == number;
			     j++)
				;
			doc = isg__json_parse(x->issues[j].raw,
			                      x->issues[j].len, MOD, "issue");
			i = j + 1;
			from_listing = 1;
			if (!doc) {
				rc = isg_error_last()->code;
				break;
			}
		} else {
			isg_store_issue_info old;

			number = x->comments[cpos].number;
			from_listing = 0;
			memset(&old, 0, sizeof(old));
			rc = isg_store_issue_get(&old, x->c->store, full_name,
			                         (int)number);
			if (rc == ISG_OK)
				doc = isg__json_parse(old.raw_json.ptr,
				                      old.raw_json.size, MOD,
				                      "stored issue");
			isg_store_issue_info_dispose(&old);
			if (rc == ISG_ENOTFOUND || (rc == ISG_OK && !doc)) {
				/* A comment of an issue we never saw:
				 * nothing to attach it to. */
				size_t p = cpos;

				cJSON_Delete(comments_of(x, number, &p));
				cpos = p;
				rc = ISG_OK;
				continue;
			}
			if (rc != ISG_OK)
				break;
		}
		listed = comments_of(x, number, &cpos);
		if (!listed) {
			cJSON_Delete(doc);
			rc = isg__error_oom(MOD);
			break;
		}
		rc = isg__collector_store_issue(
		        x->c, project_id, full_name, doc, listed,
		        complete && from_listing, labels, x->o->push_contexts,
		        &src, x->st);
		cJSON_Delete(listed);
		cJSON_Delete(doc);
		if (rc == ISG_OK && x->st->issues % 100 == 0)
			rc = progress(x);
	}
	return rc;
}

int isg_collector_sync(isg_collector_sync_stats *out, isg_collector *c,
                       const char *owner, const char *repo,
                       const isg_collector_sync_options *opts)
{
	isg_collector_sync_options defaults = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	isg_collector_sync_stats st;
	char project_id[ISG_STORE_ID_SIZE], full[210], start[64];
	sync_ctx x;
	int rc, record;

	memset(&st, 0, sizeof(st));
	st.rate_remaining = -1;
	memset(&x, 0, sizeof(x));
	if (out)
		*out = st;
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if (!opts)
		opts = &defaults;
	if (opts->version < 1 ||
	    opts->version > ISG_COLLECTOR_SYNC_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "sync options version %u is not 1 to %d",
		                      opts->version,
		                      ISG_COLLECTOR_SYNC_OPTIONS_VERSION);
	/* Version 1 structs end before `record`. */
	record = opts->version >= 2 && opts->record && !opts->since;
	if ((rc = isg__collector_check_name(owner, "owner")) != ISG_OK ||
	    (rc = isg__collector_check_name(repo, "repo")) != ISG_OK)
		return rc;
	if (opts->push_contexts && !c->stream)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "pushing context messages needs a stream (REDIS_URL)");
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	x.c = c;
	x.o = opts;
	x.st = &st;
	x.t0 = isg__clock_now_ms();
	x.gh0.version = ISG_GITHUB_STATS_VERSION;
	isg_github_stats_get(&x.gh0, c->gh);
	isg__collector_iso_now(start, sizeof(start));
	rc = isg__collector_project(project_id, c, owner, repo);
	if (rc != ISG_OK)
		goto done;
	lo.since = opts->since;
	lo.state = "all";
	lo.per_page = 100;
	rc = isg_github_list_issues(c->gh, owner, repo, &lo, on_issue, &x);
	if (rc == ISG_OK)
		rc = progress(&x);
	if (rc != ISG_OK)
		goto done;
	{
		long long nm = st.not_modified;

		rc = isg_github_list_repo_comments(c->gh, owner, repo, &lo,
		                                   on_comment, &x);
		if (rc == ISG_OK)
			rc = progress(&x);
		/* A page answered 304 delivers nothing: the listing is then
		 * not the whole set, and stored comments must be kept. */
		x.comments_complete = st.not_modified == nm;
	}
	if (rc != ISG_OK)
		goto done;
	rc = store_all(&x, project_id, full,
	               opts->labels ? opts->labels : c->labels);
	if (rc == ISG_OK && record)
		rc = isg_store_project_record_sync(c->store, project_id, start,
		                                   start, NULL);
	if (rc == ISG_OK)
		rc = progress(&x);
done:
	if (rc == ISG_ECANCELLED && isg_error_last()->code != ISG_ECANCELLED)
		isg__error_set(ISG_ECANCELLED, MOD, "sync of %s was stopped",
		               full);
	else if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	update_stats(&x);
	free_items(x.issues, x.nissues);
	free_items(x.comments, x.ncomments);
	pthread_mutex_lock(&c->mu);
	c->m.issues += st.issues;
	c->m.comments += st.comments;
	c->m.contexts += st.contexts;
	c->m.syncs++;
	pthread_mutex_unlock(&c->mu);
	isg__collector_snapshot(c);
	if (out)
		*out = st;
	return rc;
}
