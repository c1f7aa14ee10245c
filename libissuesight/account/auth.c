/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sign-in state in MongoDB: API tokens, sessions and OAuth states, each
 * stored under the SHA-256 of its secret with an expiry that every read
 * checks (expired documents are deleted when met and by the sweep).
 */
#include <stdio.h>
#include <string.h>

#include "account_int.h"
#include "core_int.h"
#include "issuesight/auth.h"

#define MOD "auth"
#define C_TOKENS "api_tokens"
#define C_SESSIONS "sessions"
#define C_STATES "oauth_states"
#define C_USED "oauth_used"

struct isg_auth {
	isg__mongo m;
	int session_ttl_s, token_ttl_days, state_ttl_s;
};

int isg_auth_new(isg_auth **out, const isg_auth_options *o)
{
	isg_auth *a;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !o || !o->uri)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_new: NULL argument or uri");
	if (o->version != ISG_AUTH_OPTIONS_VERSION || o->session_ttl_s < 0 ||
	    o->token_ttl_days < 0 || o->state_ttl_s < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_auth_options: bad version or negative lifetime");
	a = isg__alloc_calloc(1, sizeof(*a));
	if (!a)
		return isg__error_oom(MOD);
	a->session_ttl_s = o->session_ttl_s ? o->session_ttl_s : 604800;
	a->token_ttl_days = o->token_ttl_days ? o->token_ttl_days : 365;
	a->state_ttl_s = o->state_ttl_s ? o->state_ttl_s : 600;
	rc = isg__account_mongo_init(&a->m, o->uri, o->prefix, o->timeout_ms,
	                             MOD);
	if (rc != ISG_OK) {
		isg__alloc_free(a);
		return rc;
	}
	*out = a;
	return ISG_OK;
}

int isg_auth_new_from_config(isg_auth **out, const isg_config *cfg)
{
	isg_auth_options o = ISG_AUTH_OPTIONS_INIT;
	long long ttl = 604800, days = 365;

	if (!cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_new_from_config: NULL config");
	isg_config_get_int(&ttl, cfg, "SESSION_TTL_S");
	isg_config_get_int(&days, cfg, "API_TOKEN_TTL_DAYS");
	o.uri = isg_config_get(cfg, "MONGODB_URI");
	o.session_ttl_s = (int)ttl;
	o.token_ttl_days = (int)days;
	return isg_auth_new(out, &o);
}

void isg_auth_free(isg_auth *a)
{
	if (!a)
		return;
	isg__account_mongo_dispose(&a->m);
	isg__alloc_free(a);
}

int isg_auth_ping(isg_auth *a)
{
	mongoc_client_t *client;
	bson_t *cmd = BCON_NEW("ping", BCON_INT32(1));
	bson_t *keys;
	bson_error_t err;
	int rc = ISG_OK;

	if (!a)
		return isg__error_set(ISG_EINVALID, MOD, "NULL handle");
	client = mongoc_client_pool_pop(a->m.pool);
	if (!mongoc_client_command_simple(client, "admin", cmd, NULL, NULL,
	                                  &err))
		rc = isg__account_mongo_error(&a->m, &err, "ping");
	mongoc_client_pool_push(a->m.pool, client);
	bson_destroy(cmd);
	if (rc != ISG_OK)
		return rc;
	keys = BCON_NEW("user_id", BCON_INT32(1));
	rc = isg__account_mongo_index(&a->m, C_TOKENS, keys, "user_id_1");
	bson_destroy(keys);
	if (rc != ISG_OK)
		return rc;
	keys = BCON_NEW("token_id", BCON_INT32(1));
	rc = isg__account_mongo_index(&a->m, C_TOKENS, keys, "token_id_1");
	bson_destroy(keys);
	return rc;
}

/* Inserts `doc` into `coll`. */
static int insert(isg__mongo *m, const char *coll_name, const bson_t *doc,
                  const char *what)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll =
	        isg__account_mongo_get(&client, m, coll_name);
	bson_error_t err;
	int rc = ISG_OK;

	if (!mongoc_collection_insert_one(coll, doc, NULL, NULL, &err))
		rc = isg__account_mongo_error(m, &err, what);
	isg__account_mongo_put(m, client, coll);
	return rc;
}

/* Deletes what `filter` matches; *n (may be NULL) gets the count. */
static int delete_many(long long *n, isg__mongo *m, const char *coll_name,
                       const bson_t *filter, const char *what)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll =
	        isg__account_mongo_get(&client, m, coll_name);
	bson_error_t err;
	bson_t reply;
	bson_iter_t it;
	int rc = ISG_OK;

	if (!mongoc_collection_delete_many(coll, filter, NULL, &reply, &err))
		rc = isg__account_mongo_error(m, &err, what);
	else if (n && bson_iter_init_find(&it, &reply, "deletedCount"))
		*n = bson_iter_as_int64(&it);
	bson_destroy(&reply);
	isg__account_mongo_put(m, client, coll);
	return rc;
}

/* Finds the document with `_id` = id; ISG_ENOTFOUND when none or when it
 * expired (then it is deleted). *doc must be released by the caller. */
static int find_live(bson_t **doc, isg__mongo *m, const char *coll_name,
                     const char *id, const char *what)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll =
	        isg__account_mongo_get(&client, m, coll_name);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *opts = BCON_NEW("limit", BCON_INT64(1));
	mongoc_cursor_t *cur;
	const bson_t *d;
	bson_error_t err;
	bson_iter_t it;
	int rc = ISG_ENOTFOUND, expired = 0;

	*doc = NULL;
	cur = mongoc_collection_find_with_opts(coll, filter, opts, NULL);
	if (mongoc_cursor_next(cur, &d)) {
		if (bson_iter_init_find(&it, d, "expires_at") &&
		    BSON_ITER_HOLDS_DATE_TIME(&it) &&
		    bson_iter_date_time(&it) > isg__clock_wall_ms()) {
			*doc = bson_copy(d);
			rc = ISG_OK;
		} else {
			expired = 1;
		}
	}
	if (mongoc_cursor_error(cur, &err))
		rc = isg__account_mongo_error(m, &err, what);
	mongoc_cursor_destroy(cur);
	isg__account_mongo_put(m, client, coll);
	if (expired)
		delete_many(NULL, m, coll_name, filter, what);
	bson_destroy(filter);
	bson_destroy(opts);
	return rc;
}

static void copy_str(char *out, size_t n, const bson_t *doc, const char *key)
{
	bson_iter_t it;

	out[0] = '\0';
	if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it))
		snprintf(out, n, "%s", bson_iter_utf8(&it, NULL));
}

int isg_auth_sweep(long long *out, isg_auth *a)
{
	static const char *const colls[] = { C_TOKENS, C_SESSIONS, C_STATES,
		                             C_USED };
	bson_t *filter;
	long long total = 0, n;
	size_t i;
	int rc = ISG_OK;

	if (out)
		*out = 0;
	if (!a)
		return isg__error_set(ISG_EINVALID, MOD, "NULL handle");
	filter = BCON_NEW("expires_at", "{", "$lte",
	                  BCON_DATE_TIME(isg__clock_wall_ms()), "}");
	for (i = 0; i < sizeof(colls) / sizeof(colls[0]) && rc == ISG_OK; i++) {
		n = 0;
		rc = delete_many(&n, &a->m, colls[i], filter, "sweep");
		total += n;
	}
	bson_destroy(filter);
	if (out)
		*out = total;
	return rc;
}

/* ---- API tokens ---------------------------------------------------- */

int isg_auth_token_create(isg_auth_token *out, isg_auth *a, const char *user_id,
                          const char *name)
{
	char hash[65];
	int64_t now = isg__clock_wall_ms(), exp;
	bson_t *doc;
	int rc;

	if (!out || !a || !user_id || strlen(user_id) >= ISG_AUTH_USER_SIZE)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_token_create: bad argument");
	memset(out, 0, sizeof(*out));
	if ((rc = isg__account_secret_new(out->secret, sizeof(out->secret),
	                                  "isgt")) != ISG_OK ||
	    (rc = isg__account_random_hex(out->id, 8)) != ISG_OK)
		return rc;
	exp = now + (int64_t)a->token_ttl_days * 86400000;
	isg__account_iso_time(out->expires_at, exp);
	isg__account_sha256_hex(hash, out->secret, strlen(out->secret));
	doc = BCON_NEW("_id", BCON_UTF8(hash), "token_id", BCON_UTF8(out->id),
	               "user_id", BCON_UTF8(user_id), "name",
	               BCON_UTF8(name ? name : ""), "created_at",
	               BCON_DATE_TIME(now), "expires_at", BCON_DATE_TIME(exp));
	rc = insert(&a->m, C_TOKENS, doc, "create token");
	bson_destroy(doc);
	if (rc != ISG_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

int isg_auth_token_verify(char out[ISG_AUTH_USER_SIZE], isg_auth *a,
                          const char *secret)
{
	char hash[65];
	bson_t *doc = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !a || !secret)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_token_verify: NULL argument");
	if (strncmp(secret, "isgt", 4) != 0 || strlen(secret) != 47)
		return isg__error_set(ISG_EAUTH, MOD,
		                      "not an IssueSight API token");
	isg__account_sha256_hex(hash, secret, strlen(secret));
	rc = find_live(&doc, &a->m, C_TOKENS, hash, "verify token");
	if (rc == ISG_ENOTFOUND)
		return isg__error_set(
		        ISG_EAUTH, MOD,
		        "the API token is unknown, revoked or expired");
	if (rc == ISG_OK)
		copy_str(out, ISG_AUTH_USER_SIZE, doc, "user_id");
	bson_destroy(doc);
	return rc;
}

static int token_json(isg_buf *out, const bson_t *d, int with_user)
{
	char id[32], user[40], name[128], t[40];
	bson_iter_t it;
	int rc;

	copy_str(id, sizeof(id), d, "token_id");
	copy_str(user, sizeof(user), d, "user_id");
	copy_str(name, sizeof(name), d, "name");
	rc = isg__buf_printf(out, "%s{\"id\":\"%s\",\"name\":",
	                     out->size > 1 ? "," : "", id);
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(out, name, strlen(name));
	if (rc == ISG_OK && with_user)
		rc = isg__buf_printf(out, ",\"user_id\":\"%s\"", user);
	if (rc == ISG_OK && bson_iter_init_find(&it, d, "created_at")) {
		isg__account_iso_time(t, bson_iter_date_time(&it));
		rc = isg__buf_printf(out, ",\"created_at\":\"%s\"", t);
	}
	if (rc == ISG_OK && bson_iter_init_find(&it, d, "expires_at")) {
		isg__account_iso_time(t, bson_iter_date_time(&it));
		rc = isg__buf_printf(out, ",\"expires_at\":\"%s\"", t);
	}
	return rc == ISG_OK ? isg__buf_putc(out, '}') : rc;
}

int isg_auth_tokens_list(isg_buf *out, isg_auth *a, const char *user_id)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll;
	mongoc_cursor_t *cur;
	bson_t *filter, *opts;
	const bson_t *d;
	bson_error_t err;
	int rc = ISG_OK;

	if (!out || !a)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_tokens_list: NULL argument");
	filter = user_id ? BCON_NEW("user_id", BCON_UTF8(user_id), "expires_at",
	                            "{", "$gt",
	                            BCON_DATE_TIME(isg__clock_wall_ms()), "}")
	                 : BCON_NEW("expires_at", "{", "$gt",
	                            BCON_DATE_TIME(isg__clock_wall_ms()), "}");
	opts = BCON_NEW("sort", "{", "created_at", BCON_INT32(-1), "}");
	isg__buf_clear(out);
	isg__buf_putc(out, '[');
	coll = isg__account_mongo_get(&client, &a->m, C_TOKENS);
	cur = mongoc_collection_find_with_opts(coll, filter, opts, NULL);
	while (rc == ISG_OK && mongoc_cursor_next(cur, &d))
		rc = token_json(out, d, user_id == NULL);
	if (mongoc_cursor_error(cur, &err))
		rc = isg__account_mongo_error(&a->m, &err, "list tokens");
	mongoc_cursor_destroy(cur);
	isg__account_mongo_put(&a->m, client, coll);
	bson_destroy(filter);
	bson_destroy(opts);
	if (rc == ISG_OK)
		rc = isg__buf_putc(out, ']');
	if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	return rc;
}

int isg_auth_token_revoke(isg_auth *a, const char *user_id,
                          const char *token_id)
{
	bson_t *filter;
	long long n = 0;
	int rc;

	if (!a || !token_id)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_token_revoke: NULL argument");
	filter = user_id ? BCON_NEW("token_id", BCON_UTF8(token_id), "user_id",
	                            BCON_UTF8(user_id))
	                 : BCON_NEW("token_id", BCON_UTF8(token_id));
	rc = delete_many(&n, &a->m, C_TOKENS, filter, "revoke token");
	bson_destroy(filter);
	if (rc == ISG_OK && n == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no API token '%.40s'",
		                    token_id);
	return rc;
}

/* ---- Sessions ------------------------------------------------------- */

int isg_auth_session_create(isg_auth_session *out, isg_auth *a,
                            const char *user_id)
{
	char hash[65];
	int64_t exp;
	bson_t *doc;
	int rc;

	if (!out || !a || !user_id || strlen(user_id) >= ISG_AUTH_USER_SIZE)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_session_create: bad argument");
	memset(out, 0, sizeof(*out));
	if ((rc = isg__account_secret_new(out->secret, sizeof(out->secret),
	                                  "isgs")) != ISG_OK ||
	    (rc = isg__account_secret_new(out->csrf, sizeof(out->csrf),
	                                  "isgc")) != ISG_OK)
		return rc;
	snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
	exp = isg__clock_wall_ms() + (int64_t)a->session_ttl_s * 1000;
	isg__account_iso_time(out->expires_at, exp);
	isg__account_sha256_hex(hash, out->secret, strlen(out->secret));
	doc = BCON_NEW("_id", BCON_UTF8(hash), "user_id", BCON_UTF8(user_id),
	               "csrf", BCON_UTF8(out->csrf), "expires_at",
	               BCON_DATE_TIME(exp));
	rc = insert(&a->m, C_SESSIONS, doc, "create session");
	bson_destroy(doc);
	if (rc != ISG_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

int isg_auth_session_verify(isg_auth_session *out, isg_auth *a,
                            const char *secret)
{
	char hash[65];
	bson_t *doc = NULL;
	bson_iter_t it;
	int rc;

	if (!out || !a || !secret)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_session_verify: NULL argument");
	memset(out, 0, sizeof(*out));
	isg__account_sha256_hex(hash, secret, strlen(secret));
	rc = find_live(&doc, &a->m, C_SESSIONS, hash, "verify session");
	if (rc == ISG_ENOTFOUND)
		return isg__error_set(ISG_EAUTH, MOD,
		                      "the session is unknown or expired");
	if (rc == ISG_OK) {
		copy_str(out->user_id, sizeof(out->user_id), doc, "user_id");
		copy_str(out->csrf, sizeof(out->csrf), doc, "csrf");
		if (bson_iter_init_find(&it, doc, "expires_at"))
			isg__account_iso_time(out->expires_at,
			                      bson_iter_date_time(&it));
	}
	bson_destroy(doc);
	return rc;
}

int isg_auth_session_delete(isg_auth *a, const char *secret)
{
	char hash[65];
	bson_t *filter;
	int rc;

	if (!a || !secret)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_session_delete: NULL argument");
	isg__account_sha256_hex(hash, secret, strlen(secret));
	filter = BCON_NEW("_id", BCON_UTF8(hash));
	rc = delete_many(NULL, &a->m, C_SESSIONS, filter, "delete session");
	bson_destroy(filter);
	return rc;
}

/* ---- OAuth states ---------------------------------------------------- */

int isg_auth_pkce_challenge(char out[ISG_AUTH_SECRET_SIZE],
                            const char *verifier)
{
	if (!out || !verifier)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_pkce_challenge: NULL argument");
	isg__account_sha256_b64url(out, verifier, strlen(verifier));
	return ISG_OK;
}

int isg_auth_state_create(isg_auth_state *out, isg_auth *a,
                          const char *provider, const char *return_to)
{
	char hash[65];
	bson_t *doc;
	int rc;

	if (!out || !a || !provider)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_state_create: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!return_to)
		return_to = "/";
	if (strlen(provider) >= sizeof(out->provider) || !provider[0] ||
	    return_to[0] != '/' || return_to[1] == '/' ||
	    return_to[1] == '\\' || strlen(return_to) >= sizeof(out->return_to))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "bad provider or return path for an OAuth state");
	if ((rc = isg__account_secret_new(out->state, sizeof(out->state),
	                                  "")) != ISG_OK ||
	    (rc = isg__account_secret_new(out->verifier, sizeof(out->verifier),
	                                  "")) != ISG_OK)
		return rc;
	isg__account_sha256_b64url(out->challenge, out->verifier,
	                           strlen(out->verifier));
	snprintf(out->provider, sizeof(out->provider), "%s", provider);
	snprintf(out->return_to, sizeof(out->return_to), "%s", return_to);
	isg__account_sha256_hex(hash, out->state, strlen(out->state));
	doc = BCON_NEW("_id", BCON_UTF8(hash), "provider", BCON_UTF8(provider),
	               "verifier", BCON_UTF8(out->verifier), "return_to",
	               BCON_UTF8(out->return_to), "expires_at",
	               BCON_DATE_TIME(isg__clock_wall_ms() +
	                              (int64_t)a->state_ttl_s * 1000));
	rc = insert(&a->m, C_STATES, doc, "create OAuth state");
	bson_destroy(doc);
	return rc;
}

int isg_auth_state_take(isg_auth_state *out, isg_auth *a, const char *state)
{
	char hash[65];
	bson_t *doc = NULL, *used, *filter;
	int rc;

	if (!out || !a || !state)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_auth_state_take: NULL argument");
	memset(out, 0, sizeof(*out));
	isg__account_sha256_hex(hash, state, strlen(state));
	rc = find_live(&doc, &a->m, C_STATES, hash, "read OAuth state");
	if (rc == ISG_ENOTFOUND)
		return isg__error_set(
		        ISG_EAUTH, MOD,
		        "the OAuth state is unknown, used or expired");
	if (rc != ISG_OK)
		return rc;
	/* One use: the unique _id of the used-state record decides between
	 * concurrent callbacks, whatever the server's delete does. */
	used = BCON_NEW("_id", BCON_UTF8(hash), "expires_at",
	                BCON_DATE_TIME(isg__clock_wall_ms() +
	                               (int64_t)a->state_ttl_s * 1000));
	rc = insert(&a->m, C_USED, used, "mark OAuth state used");
	bson_destroy(used);
	if (rc == ISG_ECONFLICT)
		rc = isg__error_set(ISG_EAUTH, MOD,
		                    "the OAuth state was already used");
	if (rc == ISG_OK) {
		copy_str(out->provider, sizeof(out->provider), doc, "provider");
		copy_str(out->verifier, sizeof(out->verifier), doc, "verifier");
		copy_str(out->return_to, sizeof(out->return_to), doc,
		         "return_to");
		snprintf(out->state, sizeof(out->state), "%s", state);
		filter = BCON_NEW("_id", BCON_UTF8(hash));
		delete_many(NULL, &a->m, C_STATES, filter,
		            "delete OAuth state");
		bson_destroy(filter);
	}
	bson_destroy(doc);
	return rc;
}
