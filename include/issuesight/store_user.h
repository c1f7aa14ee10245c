/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_user.h
 * @brief Users, their login identities, and the tutorials they
 *        unlocked.
 *
 * Errors and identifiers are those of store_db.h.
 */
#ifndef ISSUESIGHT_STORE_USER_H
#define ISSUESIGHT_STORE_USER_H

#include "store_db.h"

ISG_BEGIN_DECLS

/**
 * Insert a user by email (case-insensitive) or update the display name.
 *
 * @param out receives the user's uuid.
 * @param display_name may be NULL (an existing name is kept).
 */
ISG_API int isg_store_user_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                  const char *email, const char *display_name);

/**
 * Link a login identity (provider "github"/"google", the provider's user
 * id) to a user.
 *
 * @return ::ISG_OK; ::ISG_ECONFLICT when the identity is already linked;
 *         ::ISG_EINVALID for an unknown user.
 */
ISG_API int isg_store_identity_add(isg_store *st, const char *user_id,
                                   const char *provider,
                                   const char *provider_id);

/**
 * Find the user of an identity.
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_identity_find(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                    const char *provider,
                                    const char *provider_id);

/** Result of isg_store_tutorial_unlock(). */
typedef struct isg_store_unlock {
	char id[ISG_STORE_ID_SIZE]; /**< The tutorial's uuid. */
	int is_original_requester;  /**< 1 for the content's first unlock. */
	int created;                /**< 0 when the user had it already. */
} isg_store_unlock;

/**
 * Give a user a content. The first user ever to unlock a content is its
 * original requester; later users are not (race-safe). Unlocking twice
 * returns the existing tutorial.
 *
 * @return ::ISG_OK; ::ISG_EINVALID for an unknown user or content.
 */
ISG_API int isg_store_tutorial_unlock(isg_store_unlock *out, isg_store *st,
                                      const char *user_id,
                                      const char *content_id);

/**
 * A user's tutorials, newest first, as a JSON array of objects with `id`,
 * `content_id`, `project`, `number`, `title`, `status`,
 * `is_original_requester` and `unlocked_at`.
 */
ISG_API int isg_store_tutorials_list(isg_buf *out, isg_store *st,
                                     const char *user_id);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_USER_H */
