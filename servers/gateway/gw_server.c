/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The request handler: checks the path, finds the route in the table,
 * applies the anonymous rate limit, runs the route, counts it and writes
 * one JSON access-log line (no query string, no header: no secret).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw.h"

typedef int (*gw_route_fn)(gw_req *r);

/* A route: method, path pattern ("*" matches one segment), handler. */
typedef struct gw_route {
	const char *method;
	const char *pattern[8];
	int id;
	gw_route_fn fn;
} gw_route;

static const gw_route routes[] = {
	{ "GET", { "healthz" }, GW_R_HEALTH, gw_health },
	{ "GET", { "readyz" }, GW_R_READY, gw_ready },
	{ "GET", { "metrics" }, GW_R_METRICS, gw_metrics },
	{ "POST", { "api", "v1", "bridges" }, GW_R_SUBMIT, gw_submit },
	{ "GET",
	  { "api", "v1", "bridges", "*", "*", "*" },
	  GW_R_BRIDGE,
	  gw_bridge_get },
	{ "GET",
	  { "api", "v1", "bridges", "*", "*", "*", "events" },
	  GW_R_BRIDGE,
	  gw_bridge_events },
	{ "GET", { "api", "v1", "issues" }, GW_R_ISSUES, gw_issues },
	{ "GET", { "api", "v1", "projects" }, GW_R_PROJECTS, gw_projects },
	{ "GET",
	  { "api", "v1", "projects", "*", "*" },
	  GW_R_PROJECTS,
	  gw_projects },
	{ "POST",
	  { "api", "v1", "projects" },
	  GW_R_PROJECTS,
	  gw_project_track },
	{ "GET", { "api", "v1", "concepts" }, GW_R_CONCEPTS, gw_concepts },
	{ "GET", { "api", "v1", "concepts", "*" }, GW_R_CONCEPTS, gw_concepts },
	{ "GET", { "api", "v1", "me" }, GW_R_ME, gw_me },
	{ "GET", { "api", "v1", "me", "quota" }, GW_R_ME, gw_me },
	{ "GET", { "api", "v1", "me", "tutorials" }, GW_R_ME, gw_me },
	{ "GET", { "api", "v1", "me", "tokens" }, GW_R_TOKENS, gw_tokens },
	{ "POST", { "api", "v1", "me", "tokens" }, GW_R_TOKENS, gw_tokens },
	{ "DELETE",
	  { "api", "v1", "me", "tokens", "*" },
	  GW_R_TOKENS,
	  gw_tokens },
	{ "GET",
	  { "api", "v1", "auth", "*", "login" },
	  GW_R_AUTH,
	  gw_oauth_login },
	{ "GET",
	  { "api", "v1", "auth", "*", "callback" },
	  GW_R_AUTH,
	  gw_oauth_callback },
	{ "GET",
	  { "api", "v1", "auth", "session" },
	  GW_R_AUTH,
	  gw_oauth_session },
	{ "POST",
	  { "api", "v1", "auth", "logout" },
	  GW_R_AUTH,
	  gw_oauth_logout },
};

/* 1: the path matches the pattern; *method_ok says whether the method
 * does too. */
static int match(const gw_route *rt, gw_req *r, int *method_ok)
{
	int i;

	for (i = 0; i < 8 && rt->pattern[i]; i++)
		if (i >= r->nseg || (strcmp(rt->pattern[i], "*") != 0 &&
		                     strcmp(rt->pattern[i], r->seg[i]) != 0))
			return 0;
	if (i != r->nseg)
		return 0;
	*method_ok = strcmp(rt->method, r->ri->request_method) == 0 ||
	             (strcmp(rt->method, "GET") == 0 &&
	              strcmp(r->ri->request_method, "HEAD") == 0);
	return 1;
}

static int dispatch(gw_req *r)
{
	size_t i;
	int path_known = 0, ok = 0;
	const char *uri = r->ri->local_uri;

	if (!uri || strlen(uri) >= GW_PATH_MAX)
		return gw_error(r, 414, "uri_too_long", "the path is too long");
	snprintf(r->path, sizeof(r->path), "%s", uri);
	r->nseg = gw_split_path(r->seg, 16, r->path);
	if (r->nseg < 0)
		return gw_error(r, 404, "not_found", "no such resource");
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!match(&routes[i], r, &ok))
			continue;
		path_known = 1;
		if (!ok)
			continue;
		r->route = routes[i].id;
		if (r->route != GW_R_HEALTH && gw_rate_check(r) != 0)
			return r->status;
		routes[i].fn(r);
		return r->status;
	}
	if (!path_known && r->g->web_on &&
	    (r->nseg == 0 || strcmp(r->seg[0], "api") != 0) &&
	    (strcmp(r->ri->request_method, "GET") == 0 ||
	     strcmp(r->ri->request_method, "HEAD") == 0)) {
		if (gw_rate_check(r) != 0)
			return r->status;
		return gw_web_serve(r);
	}
	if (path_known)
		return gw_error(r, 405, "method_not_allowed",
		                "%s is not allowed here",
		                r->ri->request_method);
	return gw_error(r, 404, "not_found", "no such resource");
}

static void account(gw_req *r, double secs)
{
	static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01,
		                         0.025, 0.05,   0.1,   0.25,
		                         0.5,   1,      2.5 };
	int b = 0, cls = r->status / 100;

	while (b < 11 && secs > bounds[b])
		b++;
	atomic_fetch_add(&r->g->latency[b], 1);
	atomic_fetch_add(&r->g->latency_sum_us, (long long)(secs * 1e6));
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&r->g->requests[r->route][cls], 1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The path for the log: URL-safe characters only. */
static void log_path(char *out, size_t n, const char *uri)
{
	size_t i;

	for (i = 0; uri && uri[i] && i + 1 < n; i++)
		out[i] = (uri[i] == '"' || uri[i] == '\\' ||
		          (unsigned char)uri[i] < 0x20 ||
		          (unsigned char)uri[i] >= 0x7f)
		                 ? '?'
		                 : uri[i];
	out[i] = '\0';
}

int gw_handle(struct mg_connection *conn, void *cbdata)
{
	static _Thread_local char path[201];
	/* civetweb threads have small stacks: keep big buffers off them. */
	static _Thread_local gw_req r;
	double t0 = now_s(), dt;

	memset(&r, 0, sizeof(r));
	r.g = cbdata;
	r.conn = conn;
	r.ri = mg_get_request_info(conn);
	dispatch(&r);
	dt = now_s() - t0;
	account(&r, dt);
	if (r.g->access_log) {
		log_path(path, sizeof(path), r.ri->local_uri);
		fprintf(stderr,
		        "{\"level\":\"info\",\"module\":\"access\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"ms\":%.3f,\"ip\":\"%s\",\"user\":\"%s\"}\n",
		        r.ri->request_method, path, r.status, dt * 1000,
		        r.ri->remote_addr, r.user);
	}
	return r.status ? r.status : 500;
}
