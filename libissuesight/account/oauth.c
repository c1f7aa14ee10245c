/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OAuth 2.0 sign-in: the authorization URL (code flow, PKCE S256, state)
 * and the code exchange, then the identity from GitHub's /user and
 * /user/emails or Google's userinfo. Every request has a timeout; the
 * client secret and tokens never reach a message.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "core_int.h"
#include "issuesight/oauth.h"

#define MOD "oauth"
#define MAX_BODY (1 << 20)

int isg_oauth_provider_from_config(isg_oauth_provider *out,
                                   isg_buf *redirect_buf, const isg_config *cfg,
                                   const char *name)
{
	char key[64];
	const char *up;
	int google;

	if (!out || !redirect_buf || !cfg || !name)
		return isg__error_set(ISG_EINVALID, MOD, "NULL argument");
	google = strcmp(name, "google") == 0;
	if (!google && strcmp(name, "github") != 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "unknown sign-in provider '%.20s'", name);
	up = google ? "GOOGLE" : "GITHUB";
	memset(out, 0, sizeof(*out));
	out->version = ISG_OAUTH_PROVIDER_VERSION;
	out->name = google ? "google" : "github";
#define GET(field, suffix)                                     \
	snprintf(key, sizeof(key), "%s_OAUTH_%s", up, suffix); \
	out->field = isg_config_get(cfg, key)
	GET(client_id, "CLIENT_ID");
	GET(client_secret, "CLIENT_SECRET");
	GET(authorize_url, "AUTHORIZE_URL");
	GET(token_url, "TOKEN_URL");
	GET(user_url, google ? "USERINFO_URL" : "USER_URL");
#undef GET
	if (!out->client_id || !out->client_id[0])
		return isg__error_set(ISG_ENOTFOUND, MOD,
		                      "%s sign-in is not configured", name);
	isg__buf_clear(redirect_buf);
	if (isg__buf_printf(redirect_buf, "%s/api/v1/auth/%s/callback",
	                    isg_config_get(cfg, "PUBLIC_BASE_URL"),
	                    out->name) != ISG_OK)
		return isg__error_oom(MOD);
	out->redirect_uri = redirect_buf->ptr;
	return ISG_OK;
}

/* Appends `s` percent-encoded (RFC 3986 unreserved kept). */
static int put_escaped(isg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = ISG_OK;

	for (; *s && rc == ISG_OK; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			rc = isg__buf_putc(b, (char)c);
		else
			rc = isg__buf_printf(b, "%%%c%c", hex[c >> 4],
			                     hex[c & 15]);
	}
	return rc;
}

/* Appends "&key=value" (or "key=value" first). */
static int put_param(isg_buf *b, const char *key, const char *value)
{
	int rc = isg__buf_printf(
	        b, "%s%s=", b->size && b->ptr[b->size - 1] != '?' ? "&" : "",
	        key);

	return rc == ISG_OK ? put_escaped(b, value) : rc;
}

int isg_oauth_authorize_url(isg_buf *out, const isg_oauth_provider *p,
                            const isg_auth_state *st)
{
	int google, rc;

	if (!out || !p || !st || !p->authorize_url || !p->client_id ||
	    !p->redirect_uri || p->version != ISG_OAUTH_PROVIDER_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_oauth_authorize_url: bad argument");
	google = strcmp(p->name, "google") == 0;
	isg__buf_clear(out);
	rc = isg__buf_printf(out, "%s%c", p->authorize_url,
	                     strchr(p->authorize_url, '?') ? '&' : '?');
	if (rc == ISG_OK)
		rc = put_param(out, "response_type", "code");
	if (rc == ISG_OK)
		rc = put_param(out, "client_id", p->client_id);
	if (rc == ISG_OK)
		rc = put_param(out, "redirect_uri", p->redirect_uri);
	if (rc == ISG_OK)
		rc = put_param(out, "scope",
		               google ? "openid email profile"
		                      : "read:user user:email");
	if (rc == ISG_OK)
		rc = put_param(out, "state", st->state);
	if (rc == ISG_OK)
		rc = put_param(out, "code_challenge", st->challenge);
	if (rc == ISG_OK)
		rc = put_param(out, "code_challenge_method", "S256");
	return rc == ISG_OK ? ISG_OK : isg__error_oom(MOD);
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	isg_buf *b = payload;

	if (b->size + size * n > MAX_BODY ||
	    isg_buf_put(b, data, size * n) != ISG_OK)
		return 0;
	return size * n;
}

/* One request; `form` NULL is a GET. The answer must be 200 JSON. */
static int request(cJSON **out, const isg_oauth_provider *p, const char *url,
                   const char *form, const char *bearer, const char *what)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	isg_buf body = ISG_BUF_INIT, auth = ISG_BUF_INIT;
	long status = 0;
	CURLcode cc;
	int rc = ISG_OK;

	*out = NULL;
	if (!c)
		return isg__error_oom(MOD);
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "User-Agent: issuesight");
	if (bearer && isg__buf_printf(&auth, "Authorization: Bearer %s",
	                              bearer) == ISG_OK)
		h = curl_slist_append(h, auth.ptr);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
	                 (long)(p->timeout_s > 0 ? p->timeout_s : 10));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK)
		rc = isg__error_set(ISG_EUNAVAILABLE, MOD,
		                    "%s: the provider cannot be reached (%s)",
		                    what, curl_easy_strerror(cc));
	else if (status != 200)
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "%s: the provider answered HTTP %ld", what,
		                    status);
	else if (!(*out = cJSON_ParseWithLength(body.ptr ? body.ptr : "",
	                                        body.size)) ||
	         !(cJSON_IsObject(*out) || cJSON_IsArray(*out)))
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "%s: the provider's answer is not JSON",
		                    what);
	if (rc != ISG_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	isg_buf_dispose(&body);
	isg_buf_dispose(&auth);
	return rc;
}

static void copy(char *out, size_t n, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	out[0] = '\0';
	if (cJSON_IsString(v))
		snprintf(out, n, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(out, n, "%.0f", v->valuedouble);
}

/* GitHub: /user, then the primary verified address of /user/emails. */
static int github_identity(isg_oauth_identity *out, const isg_oauth_provider *p,
                           const char *token)
{
	isg_buf url = ISG_BUF_INIT;
	cJSON *u = NULL, *emails = NULL, *e;
	int rc;

	rc = isg__buf_printf(&url, "%s/user", p->user_url);
	if (rc == ISG_OK)
		rc = request(&u, p, url.ptr, NULL, token, "GitHub /user");
	if (rc == ISG_OK) {
		copy(out->id, sizeof(out->id), u, "id");
		copy(out->login, sizeof(out->login), u, "login");
		copy(out->name, sizeof(out->name), u, "name");
		isg__buf_clear(&url);
		rc = isg__buf_printf(&url, "%s/user/emails", p->user_url);
	}
	if (rc == ISG_OK)
		rc = request(&emails, p, url.ptr, NULL, token,
		             "GitHub /user/emails");
	if (rc == ISG_OK && cJSON_IsArray(emails)) {
		cJSON_ArrayForEach(e, emails)
		{
			if (cJSON_IsTrue(cJSON_GetObjectItem(e, "primary")) &&
			    cJSON_IsTrue(cJSON_GetObjectItem(e, "verified"))) {
				copy(out->email, sizeof(out->email), e,
				     "email");
				out->email_verified = 1;
			}
		}
	}
	cJSON_Delete(u);
	cJSON_Delete(emails);
	isg_buf_dispose(&url);
	return rc;
}

/* Google: the OpenID Connect userinfo. */
static int google_identity(isg_oauth_identity *out, const isg_oauth_provider *p,
                           const char *token)
{
	cJSON *u = NULL;
	char *at;
	int rc = request(&u, p, p->user_url, NULL, token, "Google userinfo");

	if (rc == ISG_OK) {
		copy(out->id, sizeof(out->id), u, "sub");
		copy(out->email, sizeof(out->email), u, "email");
		copy(out->name, sizeof(out->name), u, "name");
		out->email_verified =
		        cJSON_IsTrue(cJSON_GetObjectItem(u, "email_verified"));
		at = strchr(out->email, '@');
		snprintf(out->login, sizeof(out->login), "%.*s",
		         (int)(at ? (size_t)(at - out->email) : 64),
		         out->email);
		out->login[sizeof(out->login) - 1] = '\0';
	}
	cJSON_Delete(u);
	return rc;
}

/* The token request's form. */
static int token_form(isg_buf *f, const isg_oauth_provider *p, const char *code,
                      const char *verifier)
{
	int rc = put_param(f, "grant_type", "authorization_code");

	if (rc == ISG_OK)
		rc = put_param(f, "code", code);
	if (rc == ISG_OK)
		rc = put_param(f, "redirect_uri", p->redirect_uri);
	if (rc == ISG_OK)
		rc = put_param(f, "client_id", p->client_id);
	if (rc == ISG_OK)
		rc = put_param(f, "client_secret",
		               p->client_secret ? p->client_secret : "");
	if (rc == ISG_OK)
		rc = put_param(f, "code_verifier", verifier);
	return rc == ISG_OK ? ISG_OK : isg__error_oom(MOD);
}

int isg_oauth_exchange(isg_oauth_identity *out, const isg_oauth_provider *p,
                       const char *code, const char *verifier)
{
	isg_buf form = ISG_BUF_INIT;
	cJSON *tok = NULL;
	const cJSON *at;
	char err[64];
	int rc;

	if (!out || !p || !code || !verifier || !p->token_url || !p->user_url ||
	    !p->client_id || !p->redirect_uri ||
	    p->version != ISG_OAUTH_PROVIDER_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_oauth_exchange: bad argument");
	memset(out, 0, sizeof(*out));
	snprintf(out->provider, sizeof(out->provider), "%s", p->name);
	rc = token_form(&form, p, code, verifier);
	if (rc == ISG_OK)
		rc = request(&tok, p, p->token_url, form.ptr, NULL,
		             "code exchange");
	if (rc == ISG_OK) {
		at = cJSON_GetObjectItemCaseSensitive(tok, "access_token");
		if (!cJSON_IsString(at) || !at->valuestring[0]) {
			copy(err, sizeof(err), tok, "error");
			rc = isg__error_set(
			        ISG_EUPSTREAM, MOD,
			        "code exchange: the provider refused the code (%s)",
			        err[0] ? err : "no access_token");
		} else if (strcmp(p->name, "google") == 0) {
			rc = google_identity(out, p, at->valuestring);
		} else {
			rc = github_identity(out, p, at->valuestring);
		}
	}
	if (rc == ISG_OK && !out->id[0])
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "the provider gave no user id");
	cJSON_Delete(tok);
	isg_buf_dispose(&form);
	return rc;
}
