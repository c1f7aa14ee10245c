/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/auth.h
 * @brief Sign-in state in MongoDB: API tokens, sessions and OAuth states.
 *
 * Every secret handed out (API token, session, OAuth `state`) is a 256-bit
 * random value, base64url-encoded; MongoDB stores only its SHA-256, as the
 * document `_id`, so a copy of the database signs nobody in. Each document
 * carries `expires_at`; every read checks it and deletes what expired,
 * and isg_auth_sweep() deletes the rest. No TTL index is needed (the
 * MongoDB-wire server of the tests has none).
 *
 * Collections (in the URI's database, default `issuesight`):
 * `api_tokens`, `sessions`, `oauth_states`.
 *
 * Errors: MongoDB unreachable → ::ISG_EUNAVAILABLE (after at most the
 * server selection timeout); a refused command → ::ISG_EBACKEND. Secrets
 * never appear in messages.
 */
#ifndef ISSUESIGHT_AUTH_H
#define ISSUESIGHT_AUTH_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** Size of a secret in text form (43 base64url characters, a 4-character
 * prefix), NUL included. */
#define ISG_AUTH_SECRET_SIZE 48
/** Size of a public token id (16 hex digits), NUL included. */
#define ISG_AUTH_TOKEN_ID_SIZE 17
/** Size of a uuid, NUL included (as ::ISG_STORE_ID_SIZE). */
#define ISG_AUTH_USER_SIZE 37

/**
 * Sign-in state over a pool of MongoDB connections.
 *
 * Thread rule: thread-safe.
 */
typedef struct isg_auth isg_auth;

/** The current version of ::isg_auth_options. */
#define ISG_AUTH_OPTIONS_VERSION 1

/** Options of isg_auth_new(). Zero means the documented default. */
typedef struct isg_auth_options {
	unsigned int version; /**< ::ISG_AUTH_OPTIONS_VERSION. */
	const char *uri;      /**< `mongodb://...`. Required. Copied. */
	const char *prefix;   /**< Collection name prefix (default ""). */
	int session_ttl_s;    /**< Session lifetime (default 604800). */
	int token_ttl_days;   /**< API token lifetime (default 365). */
	int state_ttl_s;      /**< OAuth state lifetime (default 600). */
	int timeout_ms;       /**< Server selection and connect timeout
	                           (default 2000). */
} isg_auth_options;

/** Default options (uri must still be set). */
#define ISG_AUTH_OPTIONS_INIT                                    \
	{                                                        \
		ISG_AUTH_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0 \
	}

/**
 * Create the handle. No connection is made yet; isg_auth_ping() checks
 * that the server answers.
 *
 * @return ::ISG_OK; ::ISG_EINVALID naming a bad URI or field;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_auth_new(isg_auth **out, const isg_auth_options *opts);

/**
 * Create the handle from `MONGODB_URI`, `SESSION_TTL_S` and
 * `API_TOKEN_TTL_DAYS`.
 */
ISG_API int isg_auth_new_from_config(isg_auth **out, const isg_config *cfg);

/** Free the handle. NULL is a no-op. */
ISG_API void isg_auth_free(isg_auth *a);

/**
 * Ping the server and create the indexes (idempotent).
 *
 * @return ::ISG_OK or ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_auth_ping(isg_auth *a);

/**
 * Delete every expired token, session and OAuth state.
 *
 * @param out receives how many documents were deleted (may be NULL).
 */
ISG_API int isg_auth_sweep(long long *out, isg_auth *a);

/* ---- API tokens --------------------------------------------------- */

/** A new API token, filled by isg_auth_token_create(). */
typedef struct isg_auth_token {
	char id[ISG_AUTH_TOKEN_ID_SIZE];   /**< Public id (for revoking). */
	char secret[ISG_AUTH_SECRET_SIZE]; /**< `isgt...`: shown once. */
	char expires_at[40];               /**< ISO 8601 UTC. */
} isg_auth_token;

/**
 * Create an API token for a user.
 *
 * @param name a label for the user's listing (may be NULL; at most 100
 *        bytes kept).
 * @return ::ISG_OK; ::ISG_EINVALID; ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_auth_token_create(isg_auth_token *out, isg_auth *a,
                                  const char *user_id, const char *name);

/**
 * Check an API token.
 *
 * @param out receives the uuid of its user.
 * @return ::ISG_OK; ::ISG_EAUTH for an unknown, revoked or expired token
 *         (an expired one is deleted); ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_auth_token_verify(char out[ISG_AUTH_USER_SIZE], isg_auth *a,
                                  const char *secret);

/**
 * A user's live tokens as a JSON array of `{"id", "name", "created_at",
 * "expires_at"}`, newest first (never the secret). `user_id` NULL: every
 * user's, each with `user_id`.
 */
ISG_API int isg_auth_tokens_list(isg_buf *out, isg_auth *a,
                                 const char *user_id);

/**
 * Revoke a token by its public id.
 *
 * @param user_id the owner the token must have; NULL: any owner (admin).
 * @return ::ISG_OK; ::ISG_ENOTFOUND when no such token (of that user).
 */
ISG_API int isg_auth_token_revoke(isg_auth *a, const char *user_id,
                                  const char *token_id);

/* ---- Sessions ------------------------------------------------------ */

/** A session, filled by isg_auth_session_create() (all fields) and
 * isg_auth_session_verify() (all but `secret`). */
typedef struct isg_auth_session {
	char secret[ISG_AUTH_SECRET_SIZE]; /**< The cookie value. */
	char csrf[ISG_AUTH_SECRET_SIZE];   /**< The CSRF token to echo. */
	char user_id[ISG_AUTH_USER_SIZE];  /**< Its user. */
	char expires_at[40];               /**< ISO 8601 UTC. */
} isg_auth_session;

/** Start a session for a user. */
ISG_API int isg_auth_session_create(isg_auth_session *out, isg_auth *a,
                                    const char *user_id);

/**
 * Check a session cookie.
 *
 * @return ::ISG_OK; ::ISG_EAUTH for an unknown or expired session (an
 *         expired one is deleted); ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_auth_session_verify(isg_auth_session *out, isg_auth *a,
                                    const char *secret);

/** End a session (logout). Unknown sessions are not an error. */
ISG_API int isg_auth_session_delete(isg_auth *a, const char *secret);

/* ---- OAuth states --------------------------------------------------- */

/** An OAuth authorization request, filled by isg_auth_state_create() (all
 * fields) and isg_auth_state_take() (provider, verifier, return_to). */
typedef struct isg_auth_state {
	char state[ISG_AUTH_SECRET_SIZE];     /**< The `state` parameter. */
	char verifier[ISG_AUTH_SECRET_SIZE];  /**< PKCE code_verifier. */
	char challenge[ISG_AUTH_SECRET_SIZE]; /**< S256 code_challenge. */
	char provider[16];                    /**< "github" or "google". */
	char return_to[256];                  /**< Local path to go back to. */
} isg_auth_state;

/**
 * Start an authorization: a fresh state and PKCE pair, stored for
 * `state_ttl_s`.
 *
 * @param return_to a local path ("/..."), or NULL for "/".
 * @return ::ISG_OK; ::ISG_EINVALID for a provider name over 15 bytes or a
 *         return_to that is not a local path.
 */
ISG_API int isg_auth_state_create(isg_auth_state *out, isg_auth *a,
                                  const char *provider, const char *return_to);

/**
 * Consume a state returned by the provider: it works once.
 *
 * @return ::ISG_OK; ::ISG_EAUTH for an unknown, replayed or expired
 *         state; ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_auth_state_take(isg_auth_state *out, isg_auth *a,
                                const char *state);

/**
 * The base64url SHA-256 of a PKCE verifier (the S256 challenge), for
 * providers and fakes that check it.
 */
ISG_API int isg_auth_pkce_challenge(char out[ISG_AUTH_SECRET_SIZE],
                                    const char *verifier);

ISG_END_DECLS

#endif /* ISSUESIGHT_AUTH_H */
