/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_bridge.h
 * @brief A worker's finished bridge, stored in one transaction, and the
 *        reads its readers and janitor need.
 *
 * isg_store_bridge_complete() is the worker's single write per job: in one
 * transaction it moves the content PENDING → COMPLETED with the bridge
 * (the exact bytes in `tutorial_contents.bridge_text`, the parsed document
 * in `bridge` jsonb), the engine, model and tokens; records the bridge's
 * concepts in `tutorial_concepts`; and sets the issue's `difficulty` and
 * `junior_friendly` columns. Only a PENDING row moves, and a write whose
 * fence is older than the recorded one loses: a late duplicate (a worker
 * that stalled past its lock) changes nothing.
 *
 * Thread rule: as the store handle (thread-safe).
 */
#ifndef ISSUESIGHT_STORE_BRIDGE_H
#define ISSUESIGHT_STORE_BRIDGE_H

#include "buf.h"
#include "common.h"
#include "store_db.h"

ISG_BEGIN_DECLS

/** The current version of ::isg_store_bridge (1 lacks `upgrade`). */
#define ISG_STORE_BRIDGE_VERSION 2

/** What a finished job stores. Nothing is kept after the call. */
typedef struct isg_store_bridge {
	/** ::ISG_STORE_BRIDGE_VERSION; 0 is read as 1. */
	unsigned int version;
	/** The bridge document, stored byte for byte. Required. */
	const char *json;
	/** Bytes of `json` (0: strlen). */
	size_t len;
	const char *engine;          /**< "offline" or "llm". Required. */
	const char *model;           /**< Model name; NULL for offline. */
	long long prompt_tokens;     /**< Tokens sent. */
	long long completion_tokens; /**< Tokens received. */
	/** The lock's fencing value; 0: unfenced. */
	long long fence;
	/** The issue's difficulty ("beginner", "intermediate", "advanced"),
	 * or NULL to leave the column. */
	const char *difficulty;
	/** 1 or 0, or -1 to leave the column. */
	int junior_friendly;
	/** Concept slugs the bridge teaches (unknown slugs are skipped). */
	const char *const *concepts;
	/** Their relevance in [0,1] (NULL: 1 each). */
	const double *relevances;
	/** Number of concepts. */
	size_t nconcepts;
	/** Non-zero: a COMPLETED row whose engine is `offline` may be
	 * replaced too (a user asked for the model's bridge of an issue the
	 * offline engine wrote proactively). Since version 2. */
	int upgrade;
} isg_store_bridge;

/** An empty record of the current version (junior_friendly unknown). */
#define ISG_STORE_BRIDGE_INIT                                                 \
	{                                                                     \
		ISG_STORE_BRIDGE_VERSION, NULL, 0, NULL, NULL, 0, 0, 0, NULL, \
		        -1, NULL, NULL, 0, 0                                  \
	}

/**
 * Store a finished bridge (see the file comment).
 *
 * @param linked receives how many concepts were linked (may be NULL).
 * @return ::ISG_OK; ::ISG_ESTATE naming both states when the content is not
 *         PENDING (nor, with `upgrade`, COMPLETED by the offline engine;
 *         nothing changed); ::ISG_ECONFLICT when the fence is
 *         stale; ::ISG_ENOTFOUND; ::ISG_EINVALID for bad arguments or a
 *         document that is not JSON; ::ISG_EUNAVAILABLE when PostgreSQL is
 *         down (nothing changed: retry later).
 */
ISG_API int isg_store_bridge_complete(size_t *linked, isg_store *st,
                                      const char *content_id,
                                      const isg_store_bridge *b);

/**
 * The stored bridge of a COMPLETED content, as the exact bytes written
 * (rows completed by isg_store_content_complete() give `bridge::text`).
 *
 * @return ::ISG_OK; ::ISG_ENOTFOUND; ::ISG_ESTATE when it is not
 *         COMPLETED.
 */
ISG_API int isg_store_bridge_text(isg_buf *out, isg_store *st,
                                  const char *content_id);

/**
 * PENDING contents not changed for `idle_s` seconds, oldest first, as a
 * JSON array of `{"content_id", "issue_id", "owner", "repo", "number",
 * "updated_at"}`: what a janitor re-enqueues after Redis lost its streams.
 *
 * @param limit at most this many (1 to 10000).
 * @return ::ISG_OK; ::ISG_EINVALID.
 */
ISG_API int isg_store_bridge_pending(isg_buf *out, isg_store *st, int idle_s,
                                     int limit);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_BRIDGE_H */
