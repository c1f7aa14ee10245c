/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_sync: archive one repository with the fewest GitHub requests.
 * The repository, the issue listing and the repository-wide comment
 * listing are fetched first (ceil(N/100) + ceil(C/100) + 1 requests for a
 * full sync); the comments are then grouped by issue number and each issue
 * is upserted once with its comments embedded in raw_data. The modes that
 * continue where the last sync ended plan from the recorded state
 * (collector_resume.c) and store a full sync page by page, recording the
 * next page as the cursor, so that an interrupted sync goes on from there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "collector"

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
	int paged;             /* stored page by page: progress per page */
	const char *since;     /* the listings' since, or NULL */
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
	return !x->paged && x->nissues % 100 == 0 ? progress(x) : 0;
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
	return !x->paged && x->ncomments % 100 == 0 ? progress(x) : 0;
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
 * comments, counting into `into`; the lists are emptied. */
static int store_all(sync_ctx *x, const char *project_id, const char *full_name,
                     const char *labels, isg_collector_sync_stats *into)
{
	isg__context_src src = { "poll", NULL, NULL, NULL };
	size_t i = 0, cpos = 0, j;
	int complete = x->since == NULL && x->comments_complete;
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
		        &src, into);
		cJSON_Delete(listed);
		cJSON_Delete(doc);
		if (rc == ISG_OK && !x->paged && into->issues % 100 == 0)
			rc = progress(x);
	}
	free_items(x->issues, x->nissues);
	free_items(x->comments, x->ncomments);
	x->issues = x->comments = NULL;
	x->nissues = x->ncomments = x->capi = x->capc = 0;
	return rc;
}

/* The listings, then every issue stored (ISG_COLLECTOR_SYNC_ONCE and the
 * incremental continuation). */
static int sync_listings(sync_ctx *x, const char *owner, const char *repo,
                         const char *project_id, const char *full,
                         const char *labels)
{
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	long long nm;
	int rc;

	lo.since = x->since;
	lo.state = "all";
	lo.per_page = 100;
	rc = isg_github_list_issues(x->c->gh, owner, repo, &lo, on_issue, x);
	if (rc == ISG_OK)
		rc = progress(x);
	if (rc != ISG_OK)
		return rc;
	nm = x->st->not_modified;
	rc = isg_github_list_repo_comments(x->c->gh, owner, repo, &lo,
	                                   on_comment, x);
	if (rc == ISG_OK)
		rc = progress(x);
	/* A page answered 304 delivers nothing: the listing is then not the
	 * whole set, and stored comments must be kept. */
	x->comments_complete = x->st->not_modified == nm;
	if (rc != ISG_OK)
		return rc;
	return store_all(x, project_id, full, labels, x->st);
}

/* A full sync stored page by page: what a page cursor needs. */
typedef struct paged_ctx {
	sync_ctx *x;
	const isg__collector_plan *plan;
	const char *owner, *repo, *full, *labels;
} paged_ctx;

static int on_issue_page(const char *next_url, void *payload)
{
	paged_ctx *p = payload;
	int rc;

	rc = store_all(p->x, p->plan->project_id, p->full, p->labels, p->x->st);
	/* The issue listing is done: the comments' first page is next. */
	if (rc == ISG_OK)
		rc = isg__collector_resume_save(
		        p->x->c, p->plan, p->owner, p->repo,
		        next_url ? next_url : "comments", p->plan->started,
		        NULL);
	if (rc != ISG_OK)
		return rc;
	p->x->st->pages_committed++;
	return progress(p->x);
}

static int on_comment_page(const char *next_url, void *payload)
{
	paged_ctx *p = payload;
	isg_collector_sync_stats scratch;
	int rc;

	/* Issues that get their comments were counted by their page. */
	memset(&scratch, 0, sizeof(scratch));
	rc = store_all(p->x, p->plan->project_id, p->full, p->labels, &scratch);
	p->x->st->contexts += scratch.contexts;
	/* After the last page the sync is recorded as complete instead. */
	if (rc == ISG_OK && next_url)
		rc = isg__collector_resume_save(p->x->c, p->plan, p->owner,
		                                p->repo, next_url,
		                                p->plan->started, NULL);
	if (rc != ISG_OK)
		return rc;
	p->x->st->pages_committed++;
	return progress(p->x);
}

/* A full or resumed sync, each page stored and its cursor recorded; when
 * complete, recorded with the listing state of a poll (the next sync
 * repeats these URLs, which answer 304 while nothing changes). */
static int sync_paged(sync_ctx *x, const isg__collector_plan *plan,
                      const char *owner, const char *repo, const char *full,
                      const char *labels)
{
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	paged_ctx p = { x, plan, owner, repo, full, labels };
	const char *cur = plan->cursor;
	int in_comments = cur && (strcmp(cur, "comments") == 0 ||
	                          strstr(cur, "/issues/comments") != NULL);
	int rc = ISG_OK;

	x->paged = 1;
	x->comments_complete = 0; /* merged page by page */
	lo.state = "all";
	lo.per_page = 100;
	lo.page_payload = &p;
	if (!in_comments) {
		lo.start_url = cur;
		lo.page = on_issue_page;
		rc = isg_github_list_issues(x->c->gh, owner, repo, &lo,
		                            on_issue, x);
	}
	if (rc != ISG_OK)
		return rc;
	lo.start_url = in_comments && strcmp(cur, "comments") != 0 ? cur : NULL;
	lo.page = on_comment_page;
	rc = isg_github_list_repo_comments(x->c->gh, owner, repo, &lo,
	                                   on_comment, x);
	if (rc == ISG_OK)
		rc = isg_store_project_record_sync(
		        x->c->store, plan->project_id, plan->started, NULL,
		        plan->started);
	if (rc == ISG_OK)
		rc = isg__collector_resume_save(x->c, plan, owner, repo, NULL,
		                                plan->started, NULL);
	return rc;
}

/* An incremental sync from the recorded listing state, recorded as a
 * poll records it (collector_poll.c). */
static int sync_continued(sync_ctx *x, const isg__collector_plan *plan,
                          const char *owner, const char *repo, const char *full,
                          const char *labels, const char *start)
{
	const char *new_since, *new_next;
	int rc;

	x->since = plan->since[0] ? plan->since : NULL;
	rc = sync_listings(x, owner, repo, plan->project_id, full, labels);
	if (rc != ISG_OK)
		return rc;
	new_since = plan->since_next[0] ? plan->since_next : x->since;
	new_next = x->st->issues > 0 || x->st->comments > 0 ? start : NULL;
	rc = isg_store_project_record_sync(x->c->store, plan->project_id, start,
	                                   new_since, new_next);
	if (rc == ISG_OK)
		rc = isg__collector_resume_save(x->c, plan, owner, repo, NULL,
		                                start, new_since);
	return rc;
}

static int check_sync_options(const isg_collector_sync_options *opts,
                              const isg_collector *c, int *mode)
{
	if (opts->version < 1 ||
	    opts->version > ISG_COLLECTOR_SYNC_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "sync options version %u is not 1 to %d",
		                      opts->version,
		                      ISG_COLLECTOR_SYNC_OPTIONS_VERSION);
	/* Version 2 structs end before `mode`. */
	*mode = opts->version >= 3 ? opts->mode : ISG_COLLECTOR_SYNC_ONCE;
	if (*mode < ISG_COLLECTOR_SYNC_ONCE || *mode > ISG_COLLECTOR_SYNC_FULL)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "sync options.mode %d is not 0 to 2",
		                      *mode);
	if (*mode != ISG_COLLECTOR_SYNC_ONCE && opts->since)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "a sync that continues from the recorded state takes no since");
	if (opts->push_contexts && !c->stream)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "pushing context messages needs a stream (REDIS_URL)");
	return ISG_OK;
}

/* ISG_COLLECTOR_SYNC_ONCE: one pass as asked. */
static int sync_once(sync_ctx *x, const char *owner, const char *repo,
                     const char *full, const char *labels, const char *start)
{
	char project_id[ISG_STORE_ID_SIZE];
	/* Version 1 structs end before `record`. */
	int record = x->o->version >= 2 && x->o->record && !x->o->since;
	int rc = isg__collector_project(project_id, x->c, owner, repo);

	if (rc != ISG_OK)
		return rc;
	x->since = x->o->since;
	rc = sync_listings(x, owner, repo, project_id, full, labels);
	if (rc == ISG_OK && record)
		rc = isg_store_project_record_sync(x->c->store, project_id,
		                                   start, start, NULL);
	return rc;
}

int isg_collector_sync(isg_collector_sync_stats *out, isg_collector *c,
                       const char *owner, const char *repo,
                       const isg_collector_sync_options *opts)
{
	isg_collector_sync_options defaults = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_collector_sync_stats st;
	isg__collector_plan plan;
	char full[210], start[64];
	const char *labels;
	sync_ctx x;
	int rc, mode = ISG_COLLECTOR_SYNC_ONCE;

	memset(&st, 0, sizeof(st));
	st.rate_remaining = -1;
	memset(&x, 0, sizeof(x));
	memset(&plan, 0, sizeof(plan));
	if (out)
		*out = st;
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if (!opts)
		opts = &defaults;
	if ((rc = check_sync_options(opts, c, &mode)) != ISG_OK)
		return rc;
	if ((rc = isg__collector_check_name(owner, "owner")) != ISG_OK ||
	    (rc = isg__collector_check_name(repo, "repo")) != ISG_OK)
		return rc;
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	labels = opts->labels ? opts->labels : c->labels;
	x.c = c;
	x.o = opts;
	x.st = &st;
	x.t0 = isg__clock_now_ms();
	x.gh0.version = ISG_GITHUB_STATS_VERSION;
	isg_github_stats_get(&x.gh0, c->gh);
	isg__collector_iso_now(start, sizeof(start));
	if (mode == ISG_COLLECTOR_SYNC_ONCE) {
		st.kind = opts->since ? ISG_COLLECTOR_SYNC_KIND_INCREMENTAL
		                      : ISG_COLLECTOR_SYNC_KIND_FULL;
		rc = sync_once(&x, owner, repo, full, labels, start);
	} else {
		rc = isg__collector_resume_plan(&plan, c, owner, repo, mode,
		                                start);
		st.kind = plan.kind;
		if (rc == ISG_OK &&
		    plan.kind == ISG_COLLECTOR_SYNC_KIND_INCREMENTAL)
			rc = sync_continued(&x, &plan, owner, repo, full,
			                    labels, start);
		else if (rc == ISG_OK)
			rc = sync_paged(&x, &plan, owner, repo, full, labels);
	}
	if (rc == ISG_OK)
		rc = progress(&x);
	if (rc == ISG_ECANCELLED && isg_error_last()->code != ISG_ECANCELLED)
		isg__error_set(ISG_ECANCELLED, MOD, "sync of %s was stopped",
		               full);
	else if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	update_stats(&x);
	isg__collector_resume_dispose(&plan);
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
