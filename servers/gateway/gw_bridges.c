/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bridges: submitting an issue (one generation per issue, quota spent only
 * by the submission that causes a generation) and reading a bridge through
 * the cache-aside reader, bytes as stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw.h"

/* A submission being decided. */
typedef struct submit {
	gw_req *r;
	gw_ref ref;
	char full[GW_NAME_MAX * 2 + 2];
	isg_store_user user;
	isg_quota_state quota;
	int spent;
	char content_id[ISG_STORE_ID_SIZE];
	/* The issue lock this submission took for the worker ("" when
	 * none): its key, token and isg_lock_token_format() text. */
	char lock_key[320];
	isg_lock_token lock;
	char lock_text[ISG_LOCK_TOKEN_TEXT_SIZE];
} submit;

static int answer(submit *s, int status, const char *state)
{
	static _Thread_local char body[1024], extra[512];

	snprintf(extra, sizeof(extra),
	         "Location: /api/v1/bridges/%s/%s/%lld\r\n", s->ref.owner,
	         s->ref.repo, s->ref.number);
	snprintf(
	        body, sizeof(body),
	        "{\"issue\":\"%s/%s#%lld\",\"status\":\"%s\",\"url\":\"/api/v1/bridges/%s/%s/%lld\",\"quota_spent\":%s}",
	        s->ref.owner, s->ref.repo, s->ref.number, state, s->ref.owner,
	        s->ref.repo, s->ref.number, s->spent ? "true" : "false");
	return gw_send(s->r, status, "application/json",
	               status == 202 ? extra : NULL, body, strlen(body));
}

static int quota_exceeded(submit *s)
{
	char body[512], extra[64];
	long long ra = s->quota.retry_after_s > 0 ? s->quota.retry_after_s : 1;

	atomic_fetch_add(&s->r->g->quota_rejections, 1);
	snprintf(extra, sizeof(extra), "Retry-After: %lld\r\n", ra);
	snprintf(
	        body, sizeof(body),
	        "{\"error\":{\"code\":\"quota_exceeded\",\"message\":\"the quota of new bridges per 24 hours is spent\"},\"quota\":{\"limit\":%d,\"used\":%d,\"remaining\":%d,\"retry_after_s\":%lld}}",
	        s->quota.limit, s->quota.used, s->quota.remaining, ra);
	return gw_send(s->r, 429, "application/json", extra, body,
	               strlen(body));
}

/* Gives the quota back, when this submission turned out not to cause a
 * generation. */
static void refund(submit *s)
{
	if (s->spent)
		isg_quota_refund(s->r->g->quota, s->quota.spend_id);
	s->spent = 0;
}

static int unlock(submit *s)
{
	isg_store_unlock u;

	if (!s->content_id[0])
		return ISG_OK;
	return isg_store_tutorial_unlock(&u, s->r->g->store, s->user.id,
	                                 s->content_id);
}

/* Takes the issue lock `is:lock:issue:{owner}/{repo}#{n}` for the worker
 * that will generate the bridge. Never fails the submission: the content
 * row (or the task's dedupe key) decides who generates, and PostgreSQL
 * is the record. When the lock cannot be taken (another holder, Redis
 * unreachable or restarted) the task goes without one and the worker
 * takes it itself. */
static void lock_take(submit *s)
{
	gw *g = s->r->g;
	isg_buf key = ISG_BUF_INIT;
	int rc;

	s->lock_text[0] = '\0';
	if (isg_lock_issue_key(&key, s->full, (int)s->ref.number) != ISG_OK) {
		isg_buf_dispose(&key);
		return;
	}
	snprintf(s->lock_key, sizeof(s->lock_key), "%s", key.ptr);
	isg_buf_dispose(&key);
	pthread_mutex_lock(&g->lock_mu);
	rc = g->lock ? ISG_OK : isg_lock_new_from_config(&g->lock, g->cfg);
	if (rc == ISG_OK)
		rc = isg_lock_acquire(&s->lock, g->lock, s->lock_key,
		                      g->lock_ttl_ms);
	if (rc != ISG_OK && rc != ISG_ECONFLICT) {
		/* A broken connection: reconnect at the next use. */
		isg_lock_free(g->lock);
		g->lock = NULL;
	}
	pthread_mutex_unlock(&g->lock_mu);
	if (rc == ISG_OK &&
	    isg_lock_token_format(s->lock_text, sizeof(s->lock_text),
	                          &s->lock) != ISG_OK)
		s->lock_text[0] = '\0';
	if (rc != ISG_OK) /* the key is the issue's name: no secret */
		fprintf(stderr,
		        "{\"level\":\"warn\",\"msg\":\"issue lock not taken (%s); the worker takes it\",\"key\":\"%s\"}\n",
		        isg_error_name(rc), s->lock_key);
}

/* Gives the lock back when this submission did not queue a generation. */
static void lock_drop(submit *s)
{
	gw *g = s->r->g;

	if (!s->lock_text[0])
		return;
	pthread_mutex_lock(&g->lock_mu);
	if (g->lock)
		isg_lock_release(g->lock, s->lock_key, &s->lock);
	pthread_mutex_unlock(&g->lock_mu);
	s->lock_text[0] = '\0';
}

static int enqueue(submit *s, int dedupe)
{
	char task[640], key[300], lock[ISG_LOCK_TOKEN_TEXT_SIZE + 16];
	int rc;

	lock[0] = '\0';
	if (s->lock_text[0])
		snprintf(lock, sizeof(lock), ",\"lock\":\"%s\"", s->lock_text);
	snprintf(
	        task, sizeof(task),
	        "{\"schema_version\":1,\"owner\":\"%s\",\"repo\":\"%s\",\"number\":%lld,\"requested_by\":\"%s\"%s}",
	        s->ref.owner, s->ref.repo, s->ref.number, s->user.id, lock);
	snprintf(key, sizeof(key), "gw:issue:%s#%lld", s->full, s->ref.number);
	pthread_mutex_lock(&s->r->g->stream_mu);
	rc = ISG_OK;
	if (!s->r->g->stream)
		rc = isg_stream_new_from_config(&s->r->g->stream, s->r->g->cfg);
	if (rc == ISG_OK)
		rc = dedupe ? isg_stream_add_once(NULL, s->r->g->stream,
		                                  ISG_STREAM_TASKS, key, 600,
		                                  task, strlen(task))
		            : isg_stream_add(NULL, s->r->g->stream,
		                             ISG_STREAM_TASKS, task,
		                             strlen(task));
	pthread_mutex_unlock(&s->r->g->stream_mu);
	return rc;
}

/* Settles a submission that went through generate(): on failure the
 * lock, the quota and a content row it made PENDING are given back; when
 * another submission generates, the quota is refunded. */
static int finish(submit *s, int rc, int caused)
{
	gw *g = s->r->g;

	if (rc != ISG_OK || !caused)
		lock_drop(s);
	if (rc != ISG_OK) {
		refund(s);
		if (s->content_id[0] && caused)
			isg_store_content_fail(
			        g->store, s->content_id,
			        "the generation could not be queued; submit it again",
			        0);
		return gw_fail(s->r, rc);
	}
	if (!caused)
		refund(s);
	else
		isg_store_user_touch_request(g->store, s->user.id);
	isg_reader_invalidate(g->reader, s->ref.owner, s->ref.repo,
	                      s->ref.number);
	if ((rc = unlock(s)) != ISG_OK)
		return gw_fail(s->r, rc);
	return answer(s, 202, "PENDING");
}

/* A user asks for a bridge the offline engine wrote proactively (the
 * collector's polling): when the model is configured, a task asks the
 * worker to replace it with the model's (once per issue for the task's
 * dedupe time; the worker's guarded write decides). The user keeps the
 * offline bridge meanwhile; no quota is spent. */
static void upgrade(submit *s, const isg_store_content *c)
{
	const char *key = isg_config_get(s->r->g->cfg, "OPENAI_API_KEY");
	int rc;

	if (c->status != ISG_STORE_COMPLETED || strcmp(c->engine, "offline") ||
	    !key || !*key)
		return;
	s->lock_text[0] = '\0';
	rc = enqueue(s, 1);
	if (rc != ISG_OK && rc != ISG_ECONFLICT)
		fprintf(stderr,
		        "{\"level\":\"warn\",\"msg\":\"upgrade of an offline bridge not queued (%s)\",\"issue\":\"%s#%lld\"}\n",
		        isg_error_name(rc), s->full, s->ref.number);
}

/* Queues the generation of an issue with no bridge yet (or a failed
 * one); `found` says whether the issue is archived (info). The content row
 * (when archived) or the task's dedupe key (when not) decides who
 * generates; *caused says whether this submission does. */
static int queue_generation(submit *s, const isg_store_issue_info *info,
                            int found, int *caused)
{
	gw *g = s->r->g;
	isg_store_content_ref ref;
	int rc;

	*caused = 1;
	if (!found) {
		lock_take(s);
		rc = enqueue(s, 1);
		if (rc == ISG_ECONFLICT) { /* already queued by someone */
			*caused = 0;
			rc = ISG_OK;
		}
		return rc;
	}
	rc = isg_store_content_ensure(&ref, g->store, info->id);
	if (rc != ISG_OK)
		return rc;
	snprintf(s->content_id, sizeof(s->content_id), "%s", ref.id);
	if (ref.status == ISG_STORE_FAILED)
		rc = isg_store_content_retry(g->store, ref.id);
	else if (!ref.created)
		*caused = 0;
	if (rc == ISG_ESTATE) { /* another retried it first */
		*caused = 0;
		rc = ISG_OK;
	}
	if (rc == ISG_OK && *caused) {
		lock_take(s);
		rc = enqueue(s, 0);
	}
	return rc;
}

/* The issue has no bridge yet (or a failed one): this submission may
 * cause the generation. An archived pull request is refused before any
 * quota is spent (the collector fails one it learns of from a task). */
static int generate(submit *s)
{
	gw *g = s->r->g;
	isg_store_issue_info info;
	int rc, found, caused = 0,
	               limit = s->user.is_admin ? 0 : g->quota_per_day;

	memset(&info, 0, sizeof(info));
	rc = isg_store_issue_get(&info, g->store, s->full, (int)s->ref.number);
	found = rc == ISG_OK;
	if (found && info.is_pull_request) {
		isg_store_issue_info_dispose(&info);
		return gw_error(
		        s->r, 400, "pull_request",
		        "%s#%lld is a pull request, not an issue: Context "
		        "Bridges are made for issues only",
		        s->full, s->ref.number);
	}
	if (rc == ISG_OK || rc == ISG_ENOTFOUND) {
		rc = ISG_OK;
		if (!s->user.is_admin) {
			rc = isg_quota_spend(&s->quota, g->quota, s->user.id,
			                     limit);
			s->spent = rc == ISG_OK;
		}
		if (rc == ISG_EQUOTA) {
			isg_store_issue_info_dispose(&info);
			return quota_exceeded(s);
		}
	}
	if (rc == ISG_OK)
		rc = queue_generation(s, &info, found, &caused);
	isg_store_issue_info_dispose(&info);
	return finish(s, rc, caused);
}

static int submit_with(gw_req *r, char *body, size_t size)
{
	const char *why = NULL;
	isg_store_content c;
	submit s;
	long n;
	int rc;

	memset(&s, 0, sizeof(s));
	s.r = r;
	if (gw_require_user(r, 1) != 0)
		return r->status;
	n = gw_read_body(r, body, size);
	if (n == -2)
		return gw_error(r, 413, "too_large",
		                "the body is over %d bytes", GW_BODY_MAX);
	if (n < 0 || gw_parse_submit_body(&s.ref, body, (size_t)n, &why) != 0)
		return gw_error(r, 400, "invalid", "%s",
		                why ? why : "the body could not be read");
	snprintf(s.full, sizeof(s.full), "%s/%s", s.ref.owner, s.ref.repo);
	if ((rc = isg_store_user_get(&s.user, r->g->store, r->user)) != ISG_OK)
		return rc == ISG_ENOTFOUND
		               ? gw_error(r, 401, "unauthorized",
		                          "the token's user no longer exists")
		               : gw_fail(r, rc);
	memset(&c, 0, sizeof(c));
	rc = isg_store_content_get_by_issue(&c, r->g->store, s.full,
	                                    (int)s.ref.number);
	if (rc == ISG_OK && c.status != ISG_STORE_FAILED) {
		snprintf(s.content_id, sizeof(s.content_id), "%s", c.id);
		upgrade(&s, &c);
		rc = unlock(&s);
		if (rc == ISG_OK)
			rc = answer(&s,
			            c.status == ISG_STORE_COMPLETED ? 200 : 202,
			            isg_store_status_name(c.status));
		else
			rc = gw_fail(r, rc);
	} else if (rc == ISG_OK || rc == ISG_ENOTFOUND) {
		rc = generate(&s);
	} else {
		rc = gw_fail(r, rc);
	}
	isg_store_content_dispose(&c);
	return rc;
}

/* The body buffer lives on the heap: thread-local 64 kB buffers would
 * cost every one of the many civetweb threads their size in memory. */
int gw_submit(gw_req *r)
{
	char *body = malloc(GW_BODY_MAX + 2);
	int rc;

	if (!body)
		return gw_error(r, 503, "unavailable", "out of memory");
	rc = submit_with(r, body, GW_BODY_MAX + 2);
	free(body);
	return rc;
}

static int wants_markdown(gw_req *r)
{
	return gw_accept_markdown(mg_get_header(r->conn, "Accept"));
}

static int send_markdown(gw_req *r, const isg_reader_bridge *b)
{
	isg_bridge *br = NULL;
	isg_buf md = ISG_BUF_INIT;
	int rc = isg_bridge_from_json(&br, b->body, b->len);

	if (rc == ISG_OK)
		rc = isg_bridge_to_markdown(&md, br);
	if (rc == ISG_OK)
		rc = gw_send(r, 200, "text/markdown; charset=utf-8",
		             "Vary: Accept\r\n", md.ptr, md.size);
	else
		rc = gw_error(r, 500, "internal",
		              "the stored bridge cannot be rendered");
	isg_bridge_free(br);
	isg_buf_dispose(&md);
	return rc;
}

static int send_state(gw_req *r, const gw_ref *ref, const isg_reader_bridge *b)
{
	static _Thread_local char body[4096];
	static _Thread_local char esc[2048];
	size_t i, o = 0;

	for (i = 0; i < b->len && o + 8 < sizeof(esc); i++) {
		unsigned char c = (unsigned char)b->body[i];

		if (c == '"' || c == '\\')
			esc[o++] = '\\';
		if (c < 0x20)
			o += (size_t)snprintf(esc + o, sizeof(esc) - o,
			                      "\\u%04x", c);
		else
			esc[o++] = (char)c;
	}
	esc[o] = '\0';
	if (b->status == ISG_STORE_FAILED)
		snprintf(
		        body, sizeof(body),
		        "{\"issue\":\"%s/%s#%lld\",\"status\":\"FAILED\",\"reason\":\"%s\",\"updated_at\":\"%s\"}",
		        ref->owner, ref->repo, ref->number, esc, b->updated_at);
	else
		snprintf(
		        body, sizeof(body),
		        "{\"issue\":\"%s/%s#%lld\",\"status\":\"PENDING\",\"updated_at\":\"%s\"}",
		        ref->owner, ref->repo, ref->number, b->updated_at);
	return gw_send(r, b->status == ISG_STORE_FAILED ? 200 : 202,
	               "application/json",
	               "Cache-Control: no-store\r\nRetry-After: 2\r\n", body,
	               strlen(body));
}

int gw_bridge_get(gw_req *r)
{
	const isg_reader_bridge *b = NULL;
	char extra[200];
	gw_ref ref;
	char *end;
	int rc;

	memset(&ref, 0, sizeof(ref));
	snprintf(ref.owner, sizeof(ref.owner), "%s", r->seg[3]);
	snprintf(ref.repo, sizeof(ref.repo), "%s", r->seg[4]);
	ref.number = strtoll(r->seg[5], &end, 10);
	if (*end || r->seg[5][0] == '0' || r->seg[5][0] == '-')
		return gw_error(r, 400, "invalid",
		                "the issue number must be a positive integer");
	rc = isg_reader_get(&b, r->g->reader, ref.owner, ref.repo, ref.number);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	if (b->status != ISG_STORE_COMPLETED) {
		rc = send_state(r, &ref, b);
	} else if (wants_markdown(r)) {
		rc = send_markdown(r, b);
	} else if (gw_etag_match(mg_get_header(r->conn, "If-None-Match"),
	                         b->etag)) {
		snprintf(extra, sizeof(extra), "ETag: %s\r\nVary: Accept\r\n",
		         b->etag);
		rc = gw_send(r, 304, NULL, extra, NULL, 0);
	} else {
		snprintf(extra, sizeof(extra),
		         "ETag: %s\r\nCache-Control: public, max-age=60\r\n"
		         "Vary: Accept\r\n",
		         b->etag);
		rc = gw_send(r, 200, "application/json", extra, b->body,
		             b->len);
	}
	isg_reader_release(b);
	return rc;
}

/* One server-sent event with the bridge's status. */
static int send_event(gw_req *r, const gw_ref *ref, const isg_reader_bridge *b)
{
	char ev[512];
	int n = snprintf(
	        ev, sizeof(ev),
	        "event: status\ndata: {\"issue\":\"%s/%s#%lld\",\"status\":\"%s\",\"updated_at\":\"%s\"}\n\n",
	        ref->owner, ref->repo, ref->number,
	        b ? isg_store_status_name(b->status) : "UNKNOWN",
	        b ? b->updated_at : "");

	return mg_write(r->conn, ev, (size_t)n) == n ? 0 : -1;
}

int gw_bridge_events(gw_req *r)
{
	static const char head[] =
	        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
	        "Cache-Control: no-store\r\nConnection: close\r\n"
	        "X-Content-Type-Options: nosniff\r\n"
	        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n\r\n";
	const isg_reader_bridge *b = NULL;
	gw_ref ref;
	char *end;
	int rc, last = -1, i;

	memset(&ref, 0, sizeof(ref));
	snprintf(ref.owner, sizeof(ref.owner), "%s", r->seg[3]);
	snprintf(ref.repo, sizeof(ref.repo), "%s", r->seg[4]);
	ref.number = strtoll(r->seg[5], &end, 10);
	if (*end || r->seg[5][0] == '0' || r->seg[5][0] == '-')
		return gw_error(r, 400, "invalid",
		                "the issue number must be a positive integer");
	rc = isg_reader_get(&b, r->g->reader, ref.owner, ref.repo, ref.number);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	r->status = 200;
	mg_write(r->conn, head, sizeof(head) - 1);
	/* Poll the reader once a second (a change invalidates its caches)
	 * for at most 10 minutes; a comment every 15 s keeps proxies from
	 * closing an idle stream. */
	for (i = 0; i < 600; i++) {
		if (b && b->status != last) {
			last = b->status;
			if (send_event(r, &ref, b) != 0 ||
			    last != ISG_STORE_PENDING)
				break;
		} else if (i % 15 == 14 &&
		           mg_write(r->conn, ": keep-alive\n\n", 14) != 14) {
			break;
		}
		isg_reader_release(b);
		b = NULL;
		sleep(1);
		if (isg_reader_get(&b, r->g->reader, ref.owner, ref.repo,
		                   ref.number) != ISG_OK)
			b = NULL;
	}
	isg_reader_release(b);
	return 200;
}
