/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who is calling: an API token (Authorization: Bearer) or a session cookie,
 * which must come with its CSRF token (X-CSRF-Token) on changes. Anonymous
 * callers are rate-limited per IP (fixed one-minute windows).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw.h"

static int session_user(gw_req *r, const char *cookies, int mutating)
{
	char secret[128];
	const char *csrf;
	isg_auth_session s;
	int rc;

	if (gw_cookie_get(secret, sizeof(secret), cookies, r->g->cookie_name) !=
	            0 ||
	    !secret[0])
		return gw_error(r, 401, "unauthorized",
		                "sign in or send Authorization: Bearer TOKEN");
	rc = isg_auth_session_verify(&s, r->g->auth, secret);
	if (rc != ISG_OK)
		return gw_fail(r, rc);
	csrf = mg_get_header(r->conn, "X-CSRF-Token");
	if (mutating && (!csrf || strcmp(csrf, s.csrf) != 0))
		return gw_error(
		        r, 403, "csrf",
		        "a change with a session cookie needs its X-CSRF-Token header");
	snprintf(r->user, sizeof(r->user), "%s", s.user_id);
	return 0;
}

int gw_require_user(gw_req *r, int mutating)
{
	const char *h = mg_get_header(r->conn, "Authorization");
	const char *cookies = mg_get_header(r->conn, "Cookie");
	char token[256];
	int rc;

	if (h) {
		if (gw_bearer_token(token, sizeof(token), h) != 0)
			return gw_error(
			        r, 401, "unauthorized",
			        "the Authorization header must be Bearer TOKEN");
		rc = isg_auth_token_verify(r->user, r->g->auth, token);
		return rc == ISG_OK ? 0 : gw_fail(r, rc);
	}
	if (cookies)
		return session_user(r, cookies, mutating);
	return gw_error(r, 401, "unauthorized",
	                "sign in or send Authorization: Bearer TOKEN");
}

static unsigned hash_ip(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* 1 when the request carries a valid API token or session cookie; checked
 * only for callers over the anonymous limit, so that a made-up
 * Authorization header does not lift the limit. */
static int signed_in(gw_req *r)
{
	const char *h = mg_get_header(r->conn, "Authorization");
	char secret[256], user[ISG_AUTH_USER_SIZE];
	isg_auth_session s;

	if (h)
		return gw_bearer_token(secret, sizeof(secret), h) == 0 &&
		       isg_auth_token_verify(user, r->g->auth, secret) ==
		               ISG_OK;
	return gw_cookie_get(secret, sizeof(secret),
	                     mg_get_header(r->conn, "Cookie"),
	                     r->g->cookie_name) == 0 &&
	       secret[0] &&
	       isg_auth_session_verify(&s, r->g->auth, secret) == ISG_OK;
}

/* Counts the request in its address's window; 1 when over the limit. */
static int rate_count(gw *g, const char *ip, int delta)
{
	long long window = (long long)time(NULL) / 60;
	struct gw_rate *e;
	int over;

	pthread_mutex_lock(&g->rate_mu);
	e = &g->rate[hash_ip(ip) % 1024];
	if (e->window != window || strcmp(e->ip, ip) != 0) {
		snprintf(e->ip, sizeof(e->ip), "%s", ip);
		e->window = window;
		e->count = 0;
	}
	e->count += delta;
	over = e->count > g->anon_rate;
	pthread_mutex_unlock(&g->rate_mu);
	return over;
}

int gw_rate_check(gw_req *r)
{
	static const char body[] =
	        "{\"error\":{\"code\":\"rate_limited\",\"message\":\"too many requests from this address; sign in or wait\"}}";
	char extra[64];

	if (r->g->anon_rate <= 0 || !rate_count(r->g, r->ri->remote_addr, 1))
		return 0;
	if (signed_in(r)) { /* signed-in callers are not limited per IP */
		rate_count(r->g, r->ri->remote_addr, -1);
		return 0;
	}
	snprintf(extra, sizeof(extra), "Retry-After: %lld\r\n",
	         60 - (long long)time(NULL) % 60);
	return gw_send(r, 429, "application/json", extra, body,
	               sizeof(body) - 1);
}
