/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_resume: where a sync that continues from the recorded state
 * starts. The project's row holds the listing state (sync_since, lagging
 * one sync behind as a poll's does), the cursor of an unfinished full sync
 * and the GitHub client's ETags for the URLs the next sync sends, stamped
 * with the state they belong to; this file reads them into a plan and
 * saves them back as pages are stored.
 */
#include <stdio.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"
#include "github_int.h"
#include "json_int.h"

#define MOD "collector"

/* Imports the entries of a saved ETag object when its `_synced_at` is
 * `stamp` (entries of another state of the archive are not trusted). */
static int import_etags(isg_collector *c, const char *json, size_t len,
                        const char *stamp)
{
	cJSON *doc, *it;
	const char *saved;
	int rc = ISG_OK;

	if (!json || len == 0 || !stamp || !stamp[0])
		return ISG_OK;
	doc = cJSON_ParseWithLength(json, len);
	saved = isg__json_str(doc, "_synced_at");
	if (!doc || !saved || strcmp(saved, stamp) != 0)
		goto done; /* damaged or written for another state */
	cJSON_ArrayForEach(it, doc)
	{
		isg_github_cache_entry e = ISG_GITHUB_CACHE_ENTRY_INIT;

		if (!it->string || it->string[0] == '_' || !cJSON_IsObject(it))
			continue;
		e.url = it->string;
		e.etag = isg__json_str(it, "etag");
		e.last_modified = isg__json_str(it, "last_modified");
		e.next_url = isg__json_str(it, "next_url");
		if ((e.etag || e.last_modified) &&
		    (rc = isg_github_cache_import(c->gh, &e)) != ISG_OK)
			break;
	}
done:
	cJSON_Delete(doc);
	return rc;
}

int isg__collector_resume_load_etags(isg_collector *c, const char *project_id,
                                     const char *stamp)
{
	isg_store_sync_state s;
	int rc = isg_store_project_sync_state(&s, c->store, project_id);

	if (rc == ISG_OK)
		rc = import_etags(c, s.etags.ptr, s.etags.size, stamp);
	isg_store_sync_state_dispose(&s);
	return rc;
}

/* Makes the plan from the recorded state `s` (mode CONTINUE). */
static int plan_from_state(isg__collector_plan *p, isg_collector *c,
                           const isg_store_sync_state *s)
{
	const char *base = isg__github_base_url(c->gh);
	const char *cur = s->cursor.ptr;

	/* A cursor of another API (GITHUB_API_URL changed) is dropped: the
	 * sync starts over. */
	if (cur && s->cursor.size > 0 && s->cursor_started[0] &&
	    (strcmp(cur, "comments") == 0 ||
	     (strncmp(cur, base, strlen(base)) == 0 &&
	      cur[strlen(base)] == '/'))) {
		p->kind = ISG_COLLECTOR_SYNC_KIND_RESUMED;
		p->cursor = isg__alloc_strdup(cur);
		if (!p->cursor)
			return isg__error_oom(MOD);
		snprintf(p->started, sizeof(p->started), "%s",
		         s->cursor_started);
		return import_etags(c, s->etags.ptr, s->etags.size,
		                    s->cursor_started);
	}
	if (!s->last_synced_at[0])
		return ISG_OK; /* never synced: a full sync */
	p->kind = ISG_COLLECTOR_SYNC_KIND_INCREMENTAL;
	snprintf(p->since, sizeof(p->since), "%s", s->sync_since);
	snprintf(p->since_next, sizeof(p->since_next), "%s",
	         s->sync_since_next);
	return import_etags(c, s->etags.ptr, s->etags.size, s->last_synced_at);
}

int isg__collector_resume_plan(isg__collector_plan *out, isg_collector *c,
                               const char *owner, const char *repo, int mode,
                               const char *now)
{
	isg_store_sync_state s;
	char full[210];
	int rc, known;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	out->kind = ISG_COLLECTOR_SYNC_KIND_FULL;
	snprintf(out->started, sizeof(out->started), "%s", now);
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	if (mode == ISG_COLLECTOR_SYNC_FULL)
		isg_github_cache_clear(c->gh); /* no 304s: fetch everything */
	rc = isg_store_project_find(out->project_id, c->store, full);
	known = rc == ISG_OK;
	if (rc != ISG_OK && rc != ISG_ENOTFOUND)
		goto done;
	if (known && (rc = isg_store_project_sync_state(
	                      &s, c->store, out->project_id)) != ISG_OK)
		goto done;
	if (known && mode == ISG_COLLECTOR_SYNC_CONTINUE &&
	    (rc = plan_from_state(out, c, &s)) != ISG_OK)
		goto done;
	/* The repository request: a 304 with a saved ETag. */
	if ((rc = isg__collector_project(out->project_id, c, owner, repo)) !=
	    ISG_OK)
		goto done;
	isg_store_sync_state_dispose(&s);
	rc = isg_store_project_sync_state(&s, c->store, out->project_id);
	if (rc == ISG_OK)
		out->repo_id = s.gh_repo_id;
done:
	isg_store_sync_state_dispose(&s);
	if (rc != ISG_OK)
		isg__collector_resume_dispose(out);
	return rc;
}

void isg__collector_resume_dispose(isg__collector_plan *p)
{
	isg__alloc_free(p->cursor);
	p->cursor = NULL;
}

typedef struct save_ctx {
	const char *base, *owner, *repo, *since;
	long long repo_id;
	cJSON *doc;
	int rc;
} save_ctx;

static int on_entry(const isg_github_cache_entry *e, void *payload)
{
	save_ctx *x = payload;
	cJSON *o;

	if (!isg__collector_etags_wanted(e->url, x->base, x->owner, x->repo,
	                                 x->repo_id, x->since))
		return 0;
	o = cJSON_CreateObject();
	if (!o || (e->etag && !cJSON_AddStringToObject(o, "etag", e->etag)) ||
	    (e->last_modified &&
	     !cJSON_AddStringToObject(o, "last_modified", e->last_modified)) ||
	    (e->next_url &&
	     !cJSON_AddStringToObject(o, "next_url", e->next_url))) {
		cJSON_Delete(o);
		x->rc = isg__error_oom(MOD);
		return 1;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(x->doc, e->url);
	if (!cJSON_AddItemToObject(x->doc, e->url, o)) {
		cJSON_Delete(o);
		x->rc = isg__error_oom(MOD);
		return 1;
	}
	return 0;
}

int isg__collector_resume_save(isg_collector *c, const isg__collector_plan *p,
                               const char *owner, const char *repo,
                               const char *cursor, const char *stamp,
                               const char *since)
{
	isg_buf text = ISG_BUF_INIT;
	save_ctx x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.base = isg__github_base_url(c->gh);
	x.owner = owner;
	x.repo = repo;
	x.since = since;
	x.repo_id = p->repo_id;
	x.doc = cJSON_CreateObject();
	if (!x.doc || !cJSON_AddStringToObject(x.doc, "_synced_at", stamp)) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	rc = isg_github_cache_export(c->gh, on_entry, &x);
	if (rc != ISG_OK) {
		rc = x.rc != ISG_OK ? x.rc : rc;
		goto done;
	}
	if ((rc = isg__json_print(&text, x.doc)) != ISG_OK)
		goto done;
	rc = isg_store_project_save_progress(c->store, p->project_id, cursor,
	                                     p->started, text.ptr);
done:
	cJSON_Delete(x.doc);
	isg_buf_dispose(&text);
	return rc;
}
