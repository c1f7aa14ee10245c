/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/quota.h
 * @brief Per-user quotas of new Context Bridges over a rolling 24 hours,
 *        exact under concurrency, in MongoDB.
 *
 * A user with a limit of N owns N slots. Spending inserts a document
 * `{_id: "<user>:<slot>:<lap>"}` into the `quota_slots` collection: the
 * unique `_id` decides which of concurrent spenders gets a slot, so the
 * quota is exact even on servers whose updates are not atomic. A slot is
 * free when it was never used, or its latest lap was spent 24 hours ago or
 * more, or it was refunded; reusing it inserts the next lap. A refund
 * deletes the document its spend inserted.
 */
#ifndef ISSUESIGHT_QUOTA_H
#define ISSUESIGHT_QUOTA_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** Size of a spend's id, NUL included. */
#define ISG_QUOTA_SPEND_SIZE 64

/**
 * Quota accounting.
 *
 * Thread rule: thread-safe.
 */
typedef struct isg_quota isg_quota;

/** The current version of ::isg_quota_options. */
#define ISG_QUOTA_OPTIONS_VERSION 1

/** Options of isg_quota_new(). */
typedef struct isg_quota_options {
	unsigned int version; /**< ::ISG_QUOTA_OPTIONS_VERSION. */
	const char *uri;      /**< `mongodb://...`. Required. Copied. */
	const char *prefix;   /**< Collection name prefix (default ""). */
	int window_s;         /**< The rolling window (default 86400). */
	int timeout_ms;       /**< Server selection timeout (default 2000). */
} isg_quota_options;

/** Default options (uri must still be set). */
#define ISG_QUOTA_OPTIONS_INIT                              \
	{                                                   \
		ISG_QUOTA_OPTIONS_VERSION, NULL, NULL, 0, 0 \
	}

/** Create the handle. @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM. */
ISG_API int isg_quota_new(isg_quota **out, const isg_quota_options *opts);

/** Create the handle from `MONGODB_URI`. */
ISG_API int isg_quota_new_from_config(isg_quota **out, const isg_config *cfg);

/** Free the handle. NULL is a no-op. */
ISG_API void isg_quota_free(isg_quota *q);

/** Where a user stands, filled by isg_quota_spend() and isg_quota_get(). */
typedef struct isg_quota_state {
	int limit;     /**< The limit asked about. */
	int used;      /**< Slots spent in the window. */
	int remaining; /**< limit - used, at least 0. */
	/** Seconds until a slot frees up; 0 when one is free now. */
	long long retry_after_s;
	/** The spend this call made (for isg_quota_refund()); "" when
	 * none. */
	char spend_id[ISG_QUOTA_SPEND_SIZE];
} isg_quota_state;

/**
 * Spend one unit of a user's quota.
 *
 * @param limit the user's limit (>= 0).
 * @return ::ISG_OK with `spend_id` set; ::ISG_EQUOTA when every slot is
 *         taken (`retry_after_s` set here and in isg_error_last());
 *         ::ISG_EUNAVAILABLE when MongoDB cannot be reached.
 */
ISG_API int isg_quota_spend(isg_quota_state *out, isg_quota *q,
                            const char *user_id, int limit);

/** Read a user's state without spending. */
ISG_API int isg_quota_get(isg_quota_state *out, isg_quota *q,
                          const char *user_id, int limit);

/**
 * Give back a spend (the submission needed no generation, or failed before
 * its task was queued).
 *
 * @return ::ISG_OK; ::ISG_ENOTFOUND when it was already refunded.
 */
ISG_API int isg_quota_refund(isg_quota *q, const char *spend_id);

ISG_END_DECLS

#endif /* ISSUESIGHT_QUOTA_H */
