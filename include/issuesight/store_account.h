/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_account.h
 * @brief Accounts in the PostgreSQL archive: users by login and e-mail,
 *        admins, and the quota anchor `users.last_requested_at`.
 *
 * Included by store.h; the conventions of store.h apply (uuids and
 * ISO 8601 text, thread-safe store, SQLSTATE mapping).
 */
#ifndef ISSUESIGHT_STORE_ACCOUNT_H
#define ISSUESIGHT_STORE_ACCOUNT_H

#include "store_db.h"

ISG_BEGIN_DECLS

/** Longest login accepted (GitHub's limit is 39). */
#define ISG_STORE_LOGIN_MAX 64

/** A user, filled by isg_store_user_get() and its siblings. */
typedef struct isg_store_user {
	char id[ISG_STORE_ID_SIZE];           /**< The user's uuid. */
	char login[ISG_STORE_LOGIN_MAX + 1];  /**< "" when the user has none. */
	char email[256];                      /**< Lower-case e-mail. */
	char display_name[256];               /**< "" when none. */
	int is_admin;                         /**< 1 for an admin. */
	char created_at[ISG_STORE_TIME_SIZE]; /**< When it was created. */
	/** When the user last caused a new bridge; "" when never. */
	char last_requested_at[ISG_STORE_TIME_SIZE];
} isg_store_user;

/**
 * Create a user with a login. Without an e-mail the user gets
 * `<login>@users.invalid` (a reserved domain no provider can verify, so
 * no sign-in links to it by e-mail).
 *
 * @param out receives the user's uuid.
 * @param login letters, digits, `-`, `_` and `.`, 1 to
 *        ::ISG_STORE_LOGIN_MAX bytes. Required.
 * @param email may be NULL.
 * @param is_admin non-zero for an admin (exempt from quotas, may track
 *        projects).
 * @return ::ISG_OK; ::ISG_EINVALID naming a bad login or e-mail;
 *         ::ISG_ECONFLICT when the login or the e-mail is taken.
 */
ISG_API int isg_store_user_create(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                  const char *login, const char *email,
                                  int is_admin);

/**
 * Read a user by uuid.
 *
 * @return ::ISG_OK; ::ISG_ENOTFOUND; ::ISG_EINVALID for a malformed id.
 */
ISG_API int isg_store_user_get(isg_store_user *out, isg_store *st,
                               const char *user_id);

/**
 * Read a user by login (case-insensitive).
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_user_by_login(isg_store_user *out, isg_store *st,
                                    const char *login);

/**
 * Read a user by e-mail (case-insensitive).
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_user_by_email(isg_store_user *out, isg_store *st,
                                    const char *email);

/**
 * Every user as a JSON array of objects with `id`, `login` (null when
 * none), `email`, `display_name`, `is_admin`, `created_at` and
 * `last_requested_at` (null when never), ordered by creation.
 *
 * @param out replaced with the JSON text.
 */
ISG_API int isg_store_users_list(isg_buf *out, isg_store *st);

/**
 * Set a user's `last_requested_at` to now: the user caused a new bridge.
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_user_touch_request(isg_store *st, const char *user_id);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_ACCOUNT_H */
