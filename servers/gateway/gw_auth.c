/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who is calling: an API token (Authorization: Bearer) or a session cookie,
 * which must come with its CSRF token (X-CSRF-Token) on changes. Anonymous
 * callers are rate-limited per IP.
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

	if (mg_get_cookie(cookies, r->g->cookie_name, secret, sizeof(secret)) <=
	    0)
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
	int rc;

	if (h) {
		if (strncmp(h, "Bearer ", 7) != 0)
			return gw_error(
			        r, 401, "unauthorized",
			        "the Authorization header must be Bearer TOKEN");
		rc = isg_auth_token_verify(r->user, r->g->auth, h + 7);
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

int gw_rate_check(gw_req *r)
{
	gw *g = r->g;
	long long window = (long long)time(NULL) / 60;
	struct gw_rate *e;
	int over;

	if (g->anon_rate <= 0 || mg_get_header(r->conn, "Authorization"))
		return 0;
	pthread_mutex_lock(&g->rate_mu);
	e = &g->rate[hash_ip(r->ri->remote_addr) % 1024];
	if (e->window != window || strcmp(e->ip, r->ri->remote_addr) != 0) {
		snprintf(e->ip, sizeof(e->ip), "%s", r->ri->remote_addr);
		e->window = window;
		e->count = 0;
	}
	over = ++e->count > g->anon_rate;
	pthread_mutex_unlock(&g->rate_mu);
	if (!over)
		return 0;
	{
		char extra[64];
		const char *body =
		        "{\"error\":{\"code\":\"rate_limited\",\"message\":\"too many requests from this address; sign in or wait\"}}";

		snprintf(extra, sizeof(extra), "Retry-After: %lld\r\n",
		         60 - (long long)time(NULL) % 60);
		return gw_send(r, 429, "application/json", extra, body,
		               strlen(body));
	}
}
