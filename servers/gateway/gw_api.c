/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rest of the API: health, readiness and metrics; discovery (issues,
 * projects, concepts); the caller's account, quota, tutorials and API
 * tokens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "gw.h"

int gw_health(gw_req *r)
{
	return gw_json(r, 200, "{\"status\":\"ok\"}");
}

int gw_ready(gw_req *r)
{
	isg_reader_stats rs;
	int pg = isg_store_ping(r->g->store) == ISG_OK;
	int mongo = isg_auth_ping(r->g->auth) == ISG_OK;
	char body[256];

	isg_reader_stats_get(&rs, r->g->reader);
	snprintf(
	        body, sizeof(body),
	        "{\"status\":\"%s\",\"postgresql\":%s,\"redis\":%s,\"mongodb\":%s}",
	        pg && mongo && rs.subscribed ? "ready" : "degraded",
	        pg ? "true" : "false", rs.subscribed ? "true" : "false",
	        mongo ? "true" : "false");
	return gw_json(r, pg && mongo && rs.subscribed ? 200 : 503, body);
}

static const char *const route_names[GW_R_COUNT] = {
	"other",  "healthz",  "readyz",   "metrics", "submit", "bridge",
	"issues", "projects", "concepts", "me",      "tokens", "auth",
};

static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	                          0.1,   0.25,   0.5,   1,    2.5 };

int gw_metrics(gw_req *r)
{
	gw *g = r->g;
	isg_buf out = ISG_BUF_INIT;
	isg_reader_stats rs;
	long long total = 0, cum = 0;
	char line[256];
	int i, k, rc;

	isg_reader_stats_get(&rs, g->reader);
#define PUT(...)                                                \
	do {                                                    \
		snprintf(line, sizeof(line), __VA_ARGS__);      \
		if (isg_buf_put(&out, line, strlen(line)) != 0) \
			goto oom;                               \
	} while (0)
	PUT("# TYPE isg_gateway_requests_total counter\n");
	for (i = 0; i < GW_R_COUNT; i++)
		for (k = 1; k < 6; k++) {
			long long v = atomic_load(&g->requests[i][k]);

			total += v;
			if (v)
				PUT("isg_gateway_requests_total{route=\"%s\",status=\"%dxx\"} %lld\n",
				    route_names[i], k, v);
		}
	PUT("# TYPE isg_gateway_request_seconds histogram\n");
	for (i = 0; i < 11; i++) {
		cum += atomic_load(&g->latency[i]);
		PUT("isg_gateway_request_seconds_bucket{le=\"%g\"} %lld\n",
		    buckets[i], cum);
	}
	PUT("isg_gateway_request_seconds_bucket{le=\"+Inf\"} %lld\n",
	    cum + atomic_load(&g->latency[11]));
	PUT("isg_gateway_request_seconds_sum %.6f\n",
	    (double)atomic_load(&g->latency_sum_us) / 1e6);
	PUT("isg_gateway_request_seconds_count %lld\n",
	    cum + atomic_load(&g->latency[11]));
	PUT("# TYPE isg_gateway_cache_hits_total counter\n");
	PUT("isg_gateway_cache_hits_total{tier=\"memory\"} %lld\n",
	    rs.memory_hits);
	PUT("isg_gateway_cache_hits_total{tier=\"redis\"} %lld\n",
	    rs.redis_hits);
	PUT("# TYPE isg_gateway_store_reads_total counter\n"
	    "isg_gateway_store_reads_total %lld\n",
	    rs.store_reads);
	PUT("# TYPE isg_gateway_degraded_reads_total counter\n"
	    "isg_gateway_degraded_reads_total %lld\n",
	    rs.degraded);
	PUT("# TYPE isg_gateway_quota_rejections_total counter\n"
	    "isg_gateway_quota_rejections_total %lld\n",
	    (long long)atomic_load(&g->quota_rejections));
	{
		isg_stream_group_info gi;

		pthread_mutex_lock(&g->stream_mu);
		rc = !g->stream ? ISG_EUNAVAILABLE
		                : isg_stream_group_info_get(&gi, g->stream,
		                                            ISG_STREAM_TASKS,
		                                            "collectors");
		pthread_mutex_unlock(&g->stream_mu);
		if (rc == ISG_OK)
			PUT("# TYPE isg_gateway_stream_lag gauge\n"
			    "isg_gateway_stream_lag{stream=\"tasks\"} %lld\n",
			    gi.lag >= 0 ? gi.lag : gi.pending);
	}
#undef PUT
	(void)total;
	rc = gw_send(r, 200, "text/plain; version=0.0.4", NULL, out.ptr,
	             out.size);
	isg_buf_dispose(&out);
	return rc;
oom:
	isg_buf_dispose(&out);
	return gw_error(r, 500, "internal", "out of memory");
}

static int send_buf(gw_req *r, int rc, isg_buf *b)
{
	if (rc == ISG_OK)
		rc = gw_send(r, 200, "application/json", NULL, b->ptr, b->size);
	else
		rc = gw_fail(r, rc);
	isg_buf_dispose(b);
	return rc;
}

int gw_issues(gw_req *r)
{
	isg_store_issue_filter f = ISG_STORE_ISSUE_FILTER_INIT;
	char project[256], difficulty[32], concept[128], state[16], cursor[128],
	        jf[8], limit[8], language[64];
	const char *q = r->ri->query_string;
	isg_buf out = ISG_BUF_INIT;

	if (gw_query_param(project, sizeof(project), q, "project") == 0)
		f.project = project;
	if (gw_query_param(difficulty, sizeof(difficulty), q, "difficulty") ==
	    0)
		f.difficulty = difficulty;
	if (gw_query_param(concept, sizeof(concept), q, "concept") == 0)
	f.concept = concept;
	if (gw_query_param(language, sizeof(language), q, "language") == 0)
		f.language = language;
	if (gw_query_param(state, sizeof(state), q, "state") == 0)
		f.state = state;
	if (gw_query_param(cursor, sizeof(cursor), q, "cursor") == 0)
		f.cursor = cursor;
	if (gw_query_param(jf, sizeof(jf), q, "junior_friendly") == 0) {
		if (strcmp(jf, "true") != 0 && strcmp(jf, "false") != 0)
			return gw_error(
			        r, 400, "invalid",
			        "junior_friendly must be true or false");
		f.junior_friendly = strcmp(jf, "true") == 0;
	}
	if (gw_query_param(limit, sizeof(limit), q, "limit") == 0) {
		f.limit = atoi(limit);
		if (f.limit < 1 || f.limit > ISG_STORE_PAGE_MAX)
			return gw_error(r, 400, "invalid",
			                "limit must be 1 to %d",
			                ISG_STORE_PAGE_MAX);
	}
	return send_buf(r, isg_store_issues_discover(&out, r->g->store, &f),
	                &out);
}

/* One project of the list, with its first page of issues:
 * {"project": {...}, "issues": {"items": [...], "next_cursor": ...}}.
 * The list is small (the projects the archive holds), so the project is
 * found in it rather than by a query of its own. */
static int project_one(gw_req *r)
{
	isg_store_issue_filter f = ISG_STORE_ISSUE_FILTER_INIT;
	isg_buf list = ISG_BUF_INIT, issues = ISG_BUF_INIT;
	cJSON *doc = NULL, *p, *name, *out = NULL;
	char full[GW_NAME_MAX * 2 + 2], *text = NULL;
	int rc;

	snprintf(full, sizeof(full), "%s/%s", r->seg[3], r->seg[4]);
	rc = isg_store_projects_list(&list, r->g->store, 0);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	doc = cJSON_Parse(list.ptr);
	cJSON_ArrayForEach(p, doc)
	{
		name = cJSON_GetObjectItemCaseSensitive(p, "full_name");
		if (cJSON_IsString(name) &&
		    strcasecmp(name->valuestring, full) == 0)
			break;
	}
	if (!p) {
		rc = gw_error(r, 404, "not_found", "no project %s", full);
		goto done;
	}
	f.project = full;
	rc = isg_store_issues_discover(&issues, r->g->store, &f);
	if (rc != ISG_OK) {
		rc = gw_fail(r, rc);
		goto done;
	}
	out = cJSON_CreateObject();
	if (!out ||
	    !cJSON_AddItemToObject(out, "project",
	                           cJSON_DetachItemViaPointer(doc, p)) ||
	    !cJSON_AddItemToObject(out, "issues", cJSON_Parse(issues.ptr)) ||
	    !(text = cJSON_PrintUnformatted(out)))
		rc = gw_error(r, 500, "internal", "out of memory");
	else
		rc = gw_json(r, 200, text);
done:
	cJSON_free(text);
	cJSON_Delete(out);
	cJSON_Delete(doc);
	isg_buf_dispose(&issues);
	isg_buf_dispose(&list);
	return rc;
}

int gw_projects(gw_req *r)
{
	isg_buf out = ISG_BUF_INIT;

	if (r->nseg == 5)
		return project_one(r);
	return send_buf(r, isg_store_projects_list(&out, r->g->store, 0), &out);
}

/* A concept's subtree with its parents added: "parent" (the first, as
 * {"slug", "name"}, or null for a root) and "parents" (all of them). */
static int concept_with_parents(isg_buf *out, const isg_concepts *cat,
                                const char *slug)
{
	const isg_concept *c = isg_concepts_find(cat, slug), *p;
	isg_buf tree = ISG_BUF_INIT;
	cJSON *doc = NULL, *arr, *ref;
	char *text = NULL;
	size_t i;
	int rc = isg_concepts_tree_json(&tree, cat, slug);

	if (rc != ISG_OK)
		goto done;
	rc = ISG_ENOMEM;
	if (!c || !(doc = cJSON_Parse(tree.ptr)) ||
	    !(arr = cJSON_AddArrayToObject(doc, "parents")))
		goto done;
	for (i = 0; i < c->nparents; i++) {
		p = isg_concepts_find(cat, c->parents[i]);
		ref = cJSON_CreateObject();
		if (!ref || !cJSON_AddItemToArray(arr, ref) ||
		    !cJSON_AddStringToObject(ref, "slug", c->parents[i]) ||
		    !cJSON_AddStringToObject(ref, "name",
		                             p ? p->name : c->parents[i]))
			goto done;
	}
	ref = c->nparents ? cJSON_Duplicate(cJSON_GetArrayItem(arr, 0), 1)
	                  : cJSON_CreateNull();
	if (!ref || !cJSON_AddItemToObject(doc, "parent", ref) ||
	    !(text = cJSON_PrintUnformatted(doc)))
		goto done;
	rc = isg_buf_set(out, text, strlen(text));
done:
	cJSON_free(text);
	cJSON_Delete(doc);
	isg_buf_dispose(&tree);
	return rc;
}

int gw_concepts(gw_req *r)
{
	isg_store_issue_filter f = ISG_STORE_ISSUE_FILTER_INIT;
	isg_buf tree = ISG_BUF_INIT, issues = ISG_BUF_INIT, out = ISG_BUF_INIT;
	int rc;

	if (r->nseg == 3)
		return gw_send(r, 200, "application/json", NULL,
		               r->g->concepts_json.ptr,
		               r->g->concepts_json.size);
	rc = concept_with_parents(&tree, r->g->concepts, r->seg[3]);
	f.concept = r->seg[3];
	if (rc == ISG_OK)
		rc = isg_store_issues_list(&issues, r->g->store, &f);
	if (rc == ISG_OK &&
	    (isg_buf_put(&out, "{\"concept\":", 11) != ISG_OK ||
	     isg_buf_put(&out, tree.ptr, tree.size) != ISG_OK ||
	     isg_buf_put(&out, ",\"issues\":", 10) != ISG_OK ||
	     isg_buf_put(&out, issues.ptr, issues.size) != ISG_OK ||
	     isg_buf_put(&out, "}", 1) != ISG_OK))
		rc = ISG_ENOMEM;
	isg_buf_dispose(&tree);
	isg_buf_dispose(&issues);
	return send_buf(r, rc, &out);
}

static int me_quota(gw_req *r, const isg_store_user *u)
{
	isg_quota_state st;
	char body[256];
	int rc;

	if (u->is_admin)
		return gw_json(
		        r, 200,
		        "{\"limit\":null,\"used\":0,\"remaining\":null,\"retry_after_s\":0,\"exempt\":true}");
	rc = isg_quota_get(&st, r->g->quota, u->id, r->g->quota_per_day);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	snprintf(
	        body, sizeof(body),
	        "{\"limit\":%d,\"used\":%d,\"remaining\":%d,\"retry_after_s\":%lld,\"exempt\":false}",
	        st.limit, st.used, st.remaining, st.retry_after_s);
	return gw_json(r, 200, body);
}

int gw_me(gw_req *r)
{
	isg_store_user u;
	isg_buf out = ISG_BUF_INIT;
	static _Thread_local char body[1024];
	int rc;

	if (gw_require_user(r, 0) != 0)
		return r->status;
	if ((rc = isg_store_user_get(&u, r->g->store, r->user)) != ISG_OK)
		return gw_fail(r, rc);
	if (r->nseg == 4 && strcmp(r->seg[3], "quota") == 0)
		return me_quota(r, &u);
	if (r->nseg == 4 && strcmp(r->seg[3], "tutorials") == 0)
		return send_buf(
		        r, isg_store_tutorials_list(&out, r->g->store, u.id),
		        &out);
	snprintf(
	        body, sizeof(body),
	        "{\"id\":\"%s\",\"login\":\"%s\",\"email\":\"%s\",\"is_admin\":%s,\"created_at\":\"%s\"}",
	        u.id, u.login, u.email, u.is_admin ? "true" : "false",
	        u.created_at);
	return gw_json(r, 200, body);
}

int gw_tokens(gw_req *r)
{
	const char *m = r->ri->request_method;
	isg_buf out = ISG_BUF_INIT;
	isg_auth_token t;
	char body[512];
	int rc, mutating = strcmp(m, "GET") != 0;

	if (gw_require_user(r, mutating) != 0)
		return r->status;
	if (strcmp(m, "GET") == 0 && r->nseg == 4)
		return send_buf(r,
		                isg_auth_tokens_list(&out, r->g->auth, r->user),
		                &out);
	if (strcmp(m, "POST") == 0 && r->nseg == 4) {
		rc = isg_auth_token_create(&t, r->g->auth, r->user, "api");
		if (rc != ISG_OK)
			return gw_fail(r, rc);
		snprintf(
		        body, sizeof(body),
		        "{\"id\":\"%s\",\"token\":\"%s\",\"expires_at\":\"%s\"}",
		        t.id, t.secret, t.expires_at);
		return gw_send(r, 201, "application/json",
		               "Cache-Control: no-store\r\n", body,
		               strlen(body));
	}
	if (strcmp(m, "DELETE") == 0 && r->nseg == 5) {
		rc = isg_auth_token_revoke(r->g->auth, r->user, r->seg[4]);
		return rc == ISG_OK ? gw_send(r, 204, NULL, NULL, NULL, 0)
		                    : gw_fail(r, rc);
	}
	return gw_error(r, 405, "method_not_allowed", "%s is not allowed here",
	                m);
}

/* The "project" of a POST /api/v1/projects body: "owner/repo". */
static int project_arg(gw_ref *out, const char *body, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(body, len), *p;
	char ref[300];
	int rc = -1;

	p = cJSON_GetObjectItemCaseSensitive(doc, "project");
	if (cJSON_IsString(p) && strlen(p->valuestring) < 200) {
		/* Reuse the issue reference rules with a dummy number. */
		snprintf(ref, sizeof(ref), "%s#1", p->valuestring);
		rc = gw_parse_issue_ref(out, ref);
	}
	cJSON_Delete(doc);
	return rc;
}

static int track_with(gw_req *r, char *body, size_t size)
{
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_collector *c = NULL;
	isg_github *gh = NULL;
	isg_store_user u;
	char id[ISG_STORE_ID_SIZE], out[600];
	gw_ref ref;
	long n;
	int rc;

	if (gw_require_user(r, 1) != 0)
		return r->status;
	if ((rc = isg_store_user_get(&u, r->g->store, r->user)) != ISG_OK)
		return gw_fail(r, rc);
	if (!u.is_admin)
		return gw_error(r, 403, "forbidden",
		                "only admins track projects");
	n = gw_read_body(r, body, size);
	if (n == -2)
		return gw_error(r, 413, "too_large",
		                "the body is over %d bytes", GW_BODY_MAX);
	if (n < 0 || project_arg(&ref, body, (size_t)n) != 0)
		return gw_error(
		        r, 400, "invalid",
		        "the body must be {\"project\": \"OWNER/REPO\"}");
	/* The collector's track: known projects are flagged, unknown ones
	 * are fetched from GitHub first. */
	rc = isg_github_new_from_config(&gh, r->g->cfg, NULL);
	co.store = r->g->store;
	co.github = gh;
	if (rc == ISG_OK)
		rc = isg_collector_new(&c, &co);
	if (rc == ISG_OK)
		rc = isg_collector_track(id, c, ref.owner, ref.repo, 1);
	isg_collector_free(c);
	isg_github_free(gh);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	snprintf(out, sizeof(out),
	         "{\"id\":\"%s\",\"full_name\":\"%s/%s\",\"tracked\":true}", id,
	         ref.owner, ref.repo);
	return gw_json(r, 200, out);
}

int gw_project_track(gw_req *r)
{
	char *body = malloc(GW_BODY_MAX + 2);
	int rc;

	if (!body)
		return gw_error(r, 503, "unavailable", "out of memory");
	rc = track_with(r, body, GW_BODY_MAX + 2);
	free(body);
	return rc;
}
