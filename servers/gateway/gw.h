/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight-gateway: the HTTP API over the library. One civetweb request
 * handler dispatches from a route table; each route is a function of the
 * gateway state and the request.
 */
#ifndef ISSUESIGHT_GW_H
#define ISSUESIGHT_GW_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include <civetweb.h>

#include "srv_common.h"

#define GW_BODY_MAX 65536
#define GW_PATH_MAX 2048
#define GW_NAME_MAX 128

/* An issue reference: owner/repo#number. */
typedef struct gw_ref {
	char owner[GW_NAME_MAX];
	char repo[GW_NAME_MAX];
	long long number;
} gw_ref;

/* gw_parse.c: pure parsers of outside input (fuzzed). 0 or -1. */
int gw_parse_issue_ref(gw_ref *out, const char *s);
int gw_parse_submit_body(gw_ref *out, const char *body, size_t len,
                         const char **why);
/* Splits a path into at most `max` segments (in place, on a copy);
 * -1 for an empty segment, "." or "..", or a character outside the
 * URL-safe set. */
int gw_split_path(char **seg, int max, char *path);
/* The value of a query parameter, decoded into out; 0 found, -1 not. */
int gw_query_param(char *out, size_t n, const char *query, const char *name);

/* gw_header.c: pure parsers of request headers (fuzzed). */
/* 1 when If-None-Match (a list of tags, weak or strong, or "*") matches
 * etag by the weak comparison; 0 otherwise, also when malformed. */
int gw_etag_match(const char *inm, const char *etag);
/* 1 when the Accept header prefers text/markdown to application/json
 * (q-values, the most specific range deciding); 0 for JSON, the
 * default, also when Accept is NULL or names neither. */
int gw_accept_markdown(const char *accept);
/* The token of "Authorization: Bearer TOKEN" (scheme in any case) into
 * out: 0; -1 another scheme or NULL; -2 an empty, malformed or too long
 * token. */
int gw_bearer_token(char *out, size_t n, const char *authz);
/* The value of cookie `name` in a Cookie header (quotes removed): 0;
 * -1 absent; -2 longer than n - 1. */
int gw_cookie_get(char *out, size_t n, const char *cookies, const char *name);

/* Route ids, for metrics. */
enum {
	GW_R_OTHER,
	GW_R_HEALTH,
	GW_R_READY,
	GW_R_METRICS,
	GW_R_SUBMIT,
	GW_R_BRIDGE,
	GW_R_ISSUES,
	GW_R_PROJECTS,
	GW_R_CONCEPTS,
	GW_R_ME,
	GW_R_TOKENS,
	GW_R_AUTH,
	GW_R_COUNT
};

#define GW_WEB_PAGES 9

/* A page of the web export, with its Content-Security-Policy header. */
struct gw_page {
	char *body;
	size_t len;
	isg_buf csp;
};

typedef struct gw {
	isg_config *cfg;
	isg_store *store;
	isg_reader *reader;
	isg_auth *auth;
	isg_quota *quota;
	isg_stream *stream;
	isg_lock *lock; /* issue locks; made at first use, under lock_mu */
	pthread_mutex_t lock_mu;
	long long lock_ttl_ms;
	isg_concepts *concepts;
	isg_buf concepts_json; /* the whole catalog, built once */
	pthread_mutex_t stream_mu;
	int quota_per_day;
	int anon_rate;
	int cookie_secure;
	int access_log;
	int web_on;
	char web_root[4096];
	struct gw_page pages[GW_WEB_PAGES];
	char cookie_name[64];
	char base_url[256];
	/* per-IP fixed-window counters for anonymous callers */
	pthread_mutex_t rate_mu;
	struct gw_rate {
		char ip[48];
		long long window;
		int count;
	} rate[1024];
	/* metrics */
	atomic_llong requests[GW_R_COUNT][6]; /* by status class 1xx..5xx */
	atomic_llong latency[12];             /* histogram buckets */
	atomic_llong latency_sum_us;
	atomic_llong quota_rejections;
} gw;

/* A request being served. */
typedef struct gw_req {
	gw *g;
	struct mg_connection *conn;
	const struct mg_request_info *ri;
	char path[GW_PATH_MAX];
	char *seg[16];
	int nseg;
	int route;
	int status;
	char user[40];   /* authenticated user id, "" when anonymous */
	const char *csp; /* the CSP header line of an HTML page, or NULL */
} gw_req;

/* gw_http.c */
int gw_send(gw_req *r, int status, const char *ctype, const char *extra,
            const char *body, size_t len);
int gw_json(gw_req *r, int status, const char *json);
int gw_error(gw_req *r, int status, const char *code, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* Maps a library status to an HTTP answer with the thread's error. */
int gw_fail(gw_req *r, int rc);
const char *gw_reason(int status);
/* civetweb's http_error callback: the errors civetweb finds itself (a
 * malformed or oversized request head) as JSON with the security
 * headers; always 0 (handled). */
int gw_http_error(struct mg_connection *conn, int status, const char *errmsg);
/* Reads the body (at most GW_BODY_MAX); -2 when over, -1 on error. */
long gw_read_body(gw_req *r, char *buf, size_t n);

/* gw_auth.c: 0 with r->user set; otherwise answered (401/403/503). */
int gw_require_user(gw_req *r, int mutating);
/* 0 when allowed; otherwise answered 429. */
int gw_rate_check(gw_req *r);

/* gw_bridges.c */
int gw_submit(gw_req *r);
int gw_bridge_get(gw_req *r);
int gw_bridge_events(gw_req *r);

/* gw_api.c */
int gw_health(gw_req *r);
int gw_ready(gw_req *r);
int gw_metrics(gw_req *r);
int gw_issues(gw_req *r);
int gw_projects(gw_req *r);
int gw_project_track(gw_req *r);
int gw_concepts(gw_req *r);
int gw_me(gw_req *r);
int gw_tokens(gw_req *r);

/* gw_oauth.c */
int gw_oauth_login(gw_req *r);
int gw_oauth_callback(gw_req *r);
int gw_oauth_session(gw_req *r);
int gw_oauth_logout(gw_req *r);

/* gw_web.c: the web export. load: 0, or -1 without index.html. */
int gw_web_load(gw *g, const char *root);
void gw_web_free(gw *g);
int gw_web_serve(gw_req *r);

/* gw_server.c: the civetweb handler. */
int gw_handle(struct mg_connection *conn, void *cbdata);

#endif /* ISSUESIGHT_GW_H */
