/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/oauth.h
 * @brief OAuth 2.0 sign-in with GitHub and Google: the authorization URL
 *        (code flow with PKCE S256 and `state`) and the code exchange
 *        that yields the caller's identity.
 *
 * The state and PKCE verifier come from isg_auth_state_create() and are
 * consumed by isg_auth_state_take() (auth.h). Endpoints are settings, so
 * tests point them at a local fake provider.
 *
 * Thread rule: the functions keep no state; any thread may call them.
 */
#ifndef ISSUESIGHT_OAUTH_H
#define ISSUESIGHT_OAUTH_H

#include "auth.h"
#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** The current version of ::isg_oauth_provider. */
#define ISG_OAUTH_PROVIDER_VERSION 1

/** A provider's client settings. Strings are borrowed for the call. */
typedef struct isg_oauth_provider {
	unsigned int version;      /**< ::ISG_OAUTH_PROVIDER_VERSION. */
	const char *name;          /**< "github" or "google". */
	const char *client_id;     /**< Required. */
	const char *client_secret; /**< Required; never in a message. */
	const char *authorize_url; /**< The authorization endpoint. */
	const char *token_url;     /**< The token endpoint. */
	/** github: the API base (`/user`, `/user/emails` are appended);
	 * google: the userinfo endpoint. */
	const char *user_url;
	const char *redirect_uri; /**< Our callback URL. */
	int timeout_s;            /**< Per request (default 10). */
} isg_oauth_provider;

/** An empty provider of the current version. */
#define ISG_OAUTH_PROVIDER_INIT                                           \
	{                                                                 \
		ISG_OAUTH_PROVIDER_VERSION, NULL, NULL, NULL, NULL, NULL, \
		        NULL, NULL, 0                                     \
	}

/**
 * Fill a provider from the settings `<NAME>_OAUTH_*` and
 * `PUBLIC_BASE_URL` (redirect URI `<base>/api/v1/auth/<name>/callback`).
 * The strings point into `cfg` and `redirect_buf`.
 *
 * @param redirect_buf receives the redirect URI; it must outlive `out`.
 * @return ::ISG_OK; ::ISG_ENOTFOUND when the provider's client id is not
 *         set (sign-in with it is off); ::ISG_EINVALID for an unknown
 *         name.
 */
ISG_API int isg_oauth_provider_from_config(isg_oauth_provider *out,
                                           isg_buf *redirect_buf,
                                           const isg_config *cfg,
                                           const char *name);

/**
 * The URL to send the browser to.
 *
 * @param st a fresh state from isg_auth_state_create().
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_oauth_authorize_url(isg_buf *out, const isg_oauth_provider *p,
                                    const isg_auth_state *st);

/** Who signed in, filled by isg_oauth_exchange(). */
typedef struct isg_oauth_identity {
	char provider[16];  /**< "github" or "google". */
	char id[64];        /**< The provider's user id. */
	char login[65];     /**< GitHub login or e-mail local part. */
	char email[256];    /**< "" when the provider gave none. */
	int email_verified; /**< 1 when the provider vouches for it. */
	char name[256];     /**< Display name, "" when none. */
} isg_oauth_identity;

/**
 * Exchange an authorization code (with its PKCE verifier) for a token and
 * read the user's identity.
 *
 * @return ::ISG_OK; ::ISG_EUPSTREAM when the provider refuses the code or
 *         answers something unreadable (the message says which);
 *         ::ISG_EUNAVAILABLE when it cannot be reached; ::ISG_EINVALID.
 */
ISG_API int isg_oauth_exchange(isg_oauth_identity *out,
                               const isg_oauth_provider *p, const char *code,
                               const char *verifier);

ISG_END_DECLS

#endif /* ISSUESIGHT_OAUTH_H */
