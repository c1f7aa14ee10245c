/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sign-in with GitHub and Google: login (state + PKCE, redirect to the
 * provider), callback (state used once, code exchange, user found by
 * identity, or linked by a verified e-mail, or created; session cookie),
 * the session's CSRF token, and logout.
 */
#include <stdio.h>
#include <string.h>

#include "gw.h"

/* The provider of /api/v1/auth/{provider}/...; 0, or answered. */
static int provider_of(gw_req *r, isg_oauth_provider *p, isg_buf *redirect)
{
	int rc = isg_oauth_provider_from_config(p, redirect, r->g->cfg,
	                                        r->seg[3]);

	if (rc == ISG_OK)
		return 0;
	return gw_error(r, 404, "not_found",
	                "sign-in with '%.20s' is not available", r->seg[3]);
}

int gw_oauth_login(gw_req *r)
{
	isg_oauth_provider p;
	isg_buf redirect = ISG_BUF_INIT, url = ISG_BUF_INIT,
	        extra = ISG_BUF_INIT;
	isg_auth_state st;
	char ret[256];
	int rc;

	if (provider_of(r, &p, &redirect) != 0)
		goto done;
	if (gw_query_param(ret, sizeof(ret), r->ri->query_string,
	                   "return_to") != 0)
		snprintf(ret, sizeof(ret), "/");
	rc = isg_auth_state_create(&st, r->g->auth, p.name, ret);
	if (rc == ISG_OK)
		rc = isg_oauth_authorize_url(&url, &p, &st);
	if (rc != ISG_OK) {
		gw_fail(r, rc);
		goto done;
	}
	if (isg_buf_put(&extra, "Location: ", 10) != ISG_OK ||
	    isg_buf_put(&extra, url.ptr, url.size) != ISG_OK ||
	    isg_buf_put(&extra, "\r\nCache-Control: no-store\r\n", 27) !=
	            ISG_OK) {
		gw_error(r, 500, "internal", "out of memory");
		goto done;
	}
	gw_send(r, 302, NULL, extra.ptr, NULL, 0);
done:
	isg_buf_dispose(&redirect);
	isg_buf_dispose(&url);
	isg_buf_dispose(&extra);
	return r->status;
}

/* Finds, links or creates the user of an identity. */
static int sign_in_user(char out[ISG_STORE_ID_SIZE], gw *g,
                        const isg_oauth_identity *id)
{
	isg_store_user u;
	char login[ISG_STORE_LOGIN_MAX + 1];
	int rc;

	rc = isg_store_identity_find(out, g->store, id->provider, id->id);
	if (rc != ISG_ENOTFOUND)
		return rc;
	/* A second provider joins an account only through an address the
	 * provider vouches for. */
	if (id->email_verified && id->email[0] &&
	    isg_store_user_by_email(&u, g->store, id->email) == ISG_OK) {
		snprintf(out, ISG_STORE_ID_SIZE, "%s", u.id);
	} else {
		snprintf(login, sizeof(login), "%s",
		         id->login[0] ? id->login : id->provider);
		rc = isg_store_user_create(
		        out, g->store, login,
		        id->email_verified && id->email[0] ? id->email : NULL,
		        0);
		if (rc == ISG_ECONFLICT || rc == ISG_EINVALID) {
			snprintf(login, sizeof(login), "%.30s-%.16s-%.16s",
			         id->login[0] ? id->login : "user",
			         id->provider, id->id);
			rc = isg_store_user_create(out, g->store, login, NULL,
			                           0);
		}
		if (rc != ISG_OK)
			return rc;
	}
	return isg_store_identity_add(g->store, out, id->provider, id->id);
}

static int set_session(gw_req *r, const char *user, const char *to)
{
	isg_auth_session s;
	char extra[1024];
	long long ttl = 604800;
	int rc = isg_auth_session_create(&s, r->g->auth, user);

	if (rc != ISG_OK)
		return gw_fail(r, rc);
	isg_config_get_int(&ttl, r->g->cfg, "SESSION_TTL_S");
	snprintf(
	        extra, sizeof(extra),
	        "Set-Cookie: %s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s\r\nLocation: %s\r\nCache-Control: no-store\r\n",
	        r->g->cookie_name, s.secret, ttl,
	        r->g->cookie_secure ? "; Secure" : "", to);
	return gw_send(r, 302, NULL, extra, NULL, 0);
}

int gw_oauth_callback(gw_req *r)
{
	isg_oauth_provider p;
	isg_oauth_identity id;
	isg_auth_state st;
	isg_buf redirect = ISG_BUF_INIT;
	char code[512], state[128], user[ISG_STORE_ID_SIZE];
	const char *q = r->ri->query_string;
	int rc;

	if (provider_of(r, &p, &redirect) != 0)
		goto done;
	if (gw_query_param(state, sizeof(state), q, "state") != 0 ||
	    gw_query_param(code, sizeof(code), q, "code") != 0) {
		gw_error(r, 400, "invalid_request",
		         "the callback needs code and state");
		goto done;
	}
	rc = isg_auth_state_take(&st, r->g->auth, state);
	if (rc == ISG_EAUTH || (rc == ISG_OK && strcmp(st.provider, p.name))) {
		gw_error(
		        r, 400, "invalid_state",
		        "the sign-in state is unknown, used or expired; start again");
		goto done;
	}
	if (rc != ISG_OK) {
		gw_fail(r, rc);
		goto done;
	}
	rc = isg_oauth_exchange(&id, &p, code, st.verifier);
	if (rc == ISG_EUPSTREAM || rc == ISG_EUNAVAILABLE) {
		gw_error(r, 502, "oauth_exchange_failed",
		         "%s sign-in failed: %s", p.name,
		         isg_error_last()->message);
		goto done;
	}
	if (rc == ISG_OK)
		rc = sign_in_user(user, r->g, &id);
	if (rc != ISG_OK) {
		gw_fail(r, rc);
		goto done;
	}
	set_session(r, user, st.return_to);
done:
	isg_buf_dispose(&redirect);
	return r->status;
}

/* The session behind the cookie; 0, or answered 401. */
static int cookie_session(gw_req *r, isg_auth_session *s, char *secret,
                          size_t n)
{
	const char *cookies = mg_get_header(r->conn, "Cookie");
	int rc;

	if (gw_cookie_get(secret, n, cookies, r->g->cookie_name) != 0 ||
	    !secret[0])
		return gw_error(r, 401, "unauthorized", "no session");
	rc = isg_auth_session_verify(s, r->g->auth, secret);
	return rc == ISG_OK ? 0 : gw_fail(r, rc);
}

int gw_oauth_session(gw_req *r)
{
	isg_auth_session s;
	char secret[128], body[512];

	if (cookie_session(r, &s, secret, sizeof(secret)) != 0)
		return r->status;
	snprintf(body, sizeof(body),
	         "{\"user_id\":\"%s\",\"csrf\":\"%s\",\"expires_at\":\"%s\"}",
	         s.user_id, s.csrf, s.expires_at);
	return gw_send(r, 200, "application/json",
	               "Cache-Control: no-store\r\n", body, strlen(body));
}

int gw_oauth_logout(gw_req *r)
{
	isg_auth_session s;
	char secret[128], extra[256];
	const char *csrf = mg_get_header(r->conn, "X-CSRF-Token");
	int rc;

	if (cookie_session(r, &s, secret, sizeof(secret)) != 0)
		return r->status;
	if (!csrf || strcmp(csrf, s.csrf) != 0)
		return gw_error(r, 403, "csrf", "logout needs X-CSRF-Token");
	if ((rc = isg_auth_session_delete(r->g->auth, secret)) != ISG_OK)
		return gw_fail(r, rc);
	snprintf(
	        extra, sizeof(extra),
	        "Set-Cookie: %s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\r\n",
	        r->g->cookie_name);
	return gw_send(r, 204, NULL, extra, NULL, 0);
}
