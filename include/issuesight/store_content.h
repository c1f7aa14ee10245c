/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_content.h
 * @brief Context Bridge contents (tutorial_contents): the per-issue
 *        record of a bridge, its status (PENDING, COMPLETED, FAILED)
 *        and the guarded transitions between them.
 *
 * Errors and identifiers are those of store_db.h.
 */
#ifndef ISSUESIGHT_STORE_CONTENT_H
#define ISSUESIGHT_STORE_CONTENT_H

#include "store_db.h"

ISG_BEGIN_DECLS

/** The status of a Context Bridge (tutorial_contents.status). */
typedef enum isg_store_status {
	ISG_STORE_PENDING = 0,   /**< Generation requested or running. */
	ISG_STORE_COMPLETED = 1, /**< The bridge is stored. */
	ISG_STORE_FAILED = 2     /**< Generation failed; see the error. */
} isg_store_status;

/** "PENDING", "COMPLETED", "FAILED", or "UNKNOWN". */
ISG_API const char *isg_store_status_name(int status);

/** Result of isg_store_content_ensure(). */
typedef struct isg_store_content_ref {
	char id[ISG_STORE_ID_SIZE]; /**< The content's uuid. */
	int status;                 /**< An ::isg_store_status. */
	int created;                /**< 1 when this call created it. */
} isg_store_content_ref;

/**
 * Create the content row of an issue (PENDING) or get the existing one,
 * atomically: of concurrent callers exactly one sees `created` = 1.
 *
 * @return ::ISG_OK; ::ISG_EINVALID for an unknown issue.
 */
ISG_API int isg_store_content_ensure(isg_store_content_ref *out, isg_store *st,
                                     const char *issue_id);

/** The current version of ::isg_store_completion. */
#define ISG_STORE_COMPLETION_VERSION 1

/** What a completed generation stores. Not kept after the call. */
typedef struct isg_store_completion {
	/** ::ISG_STORE_COMPLETION_VERSION (what ::ISG_STORE_COMPLETION_INIT
	 * sets); 0, from a zeroed struct, is read as 1. A newer version than
	 * the library's gives ::ISG_EINVALID. */
	unsigned int version;
	const char *bridge_json;     /**< The bridge document. Required. */
	const char *engine;          /**< "offline" or "llm". Required. */
	const char *model;           /**< Model name; NULL for offline. */
	long long prompt_tokens;     /**< Tokens sent. */
	long long completion_tokens; /**< Tokens received. */
	/** The worker's lock token; 0: unfenced. A write whose fence is
	 * lower than one already recorded is refused. */
	long long fence;
} isg_store_completion;

/** An empty completion of the current version. */
#define ISG_STORE_COMPLETION_INIT                                       \
	{                                                               \
		ISG_STORE_COMPLETION_VERSION, NULL, NULL, NULL, 0, 0, 0 \
	}

/**
 * PENDING → COMPLETED, storing the bridge.
 *
 * @return ::ISG_OK; ::ISG_ESTATE naming both states when the content is
 *         not PENDING (the row is unchanged); ::ISG_ECONFLICT when the
 *         fence is stale; ::ISG_ENOTFOUND; ::ISG_EINVALID for bad JSON.
 */
ISG_API int isg_store_content_complete(isg_store *st, const char *content_id,
                                       const isg_store_completion *c);

/**
 * PENDING → FAILED, storing `error` and counting the attempt.
 *
 * @param fence as in ::isg_store_completion.
 * @return as isg_store_content_complete().
 */
ISG_API int isg_store_content_fail(isg_store *st, const char *content_id,
                                   const char *error, long long fence);

/**
 * FAILED → PENDING, so that a later request retries the generation.
 *
 * @return ::ISG_OK; ::ISG_ESTATE when the content is not FAILED;
 *         ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_content_retry(isg_store *st, const char *content_id);

/** A content row, filled by isg_store_content_get(). */
typedef struct isg_store_content {
	char id[ISG_STORE_ID_SIZE];           /**< The content's uuid. */
	char issue_id[ISG_STORE_ID_SIZE];     /**< Its issue. */
	int status;                           /**< An ::isg_store_status. */
	int attempts;                         /**< Failed attempts so far. */
	long long fence;                      /**< Highest fence recorded. */
	long long prompt_tokens;              /**< Tokens sent. */
	long long completion_tokens;          /**< Tokens received. */
	char engine[16];                      /**< "" until completed. */
	char model[128];                      /**< "" when none. */
	char updated_at[ISG_STORE_TIME_SIZE]; /**< Last status change. */
	/** The bridge, empty unless COMPLETED: the exact bytes the worker
	 * wrote (`bridge_text`), or the jsonb's text for a row completed
	 * before migration 0003 stored them. */
	isg_buf bridge_json;
	isg_buf error; /**< The last failure; empty when none. */
} isg_store_content;

/**
 * Read a content by its uuid.
 *
 * @param out filled; release with isg_store_content_dispose() (also after
 *        an error). Must be zeroed before its first use.
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_content_get(isg_store_content *out, isg_store *st,
                                  const char *content_id);

/**
 * Read the content of issue `number` of project `owner/name`.
 *
 * @return as isg_store_content_get().
 */
ISG_API int isg_store_content_get_by_issue(isg_store_content *out,
                                           isg_store *st, const char *full_name,
                                           int number);

/** Release the buffers of an ::isg_store_content. NULL is a no-op. */
ISG_API void isg_store_content_dispose(isg_store_content *content);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_CONTENT_H */
