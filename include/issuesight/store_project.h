/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_project.h
 * @brief Archived GitHub repositories: upsert and lookup, tracking,
 *        and the polling leases that let several collectors share
 *        the tracked projects.
 *
 * Errors and identifiers are those of store_db.h.
 */
#ifndef ISSUESIGHT_STORE_PROJECT_H
#define ISSUESIGHT_STORE_PROJECT_H

#include "store_db.h"

ISG_BEGIN_DECLS

/** The current version of ::isg_store_project. */
#define ISG_STORE_PROJECT_VERSION 1

/** A GitHub repository to archive. Strings are not kept after the call. */
typedef struct isg_store_project {
	/** ::ISG_STORE_PROJECT_VERSION (what ::ISG_STORE_PROJECT_INIT sets); 0,
	 * from a zeroed struct, is read as 1. A newer version than the
	 * library's gives ::ISG_EINVALID. */
	unsigned int version;
	long long gh_repo_id;       /**< GitHub's repository id (> 0). */
	const char *owner;          /**< "octocat". Required. */
	const char *name;           /**< "hello-world". Required. */
	const char *full_name;      /**< NULL: "owner/name". */
	const char *default_branch; /**< May be NULL. */
	const char *description;    /**< May be NULL. */
	const char *language;       /**< May be NULL. */
	const char *raw_json; /**< GitHub's payload as JSON text; NULL: {}. */
} isg_store_project;

/** An empty project of the current version. */
#define ISG_STORE_PROJECT_INIT                                              \
	{                                                                   \
		ISG_STORE_PROJECT_VERSION, 0, NULL, NULL, NULL, NULL, NULL, \
		        NULL, NULL                                          \
	}

/**
 * Insert a project or update it by `gh_repo_id`. The `tracked` flag and
 * sync state of an existing row are kept.
 *
 * @param out receives the project's uuid.
 * @return ::ISG_OK; ::ISG_EINVALID (missing field, bad JSON);
 *         ::ISG_ECONFLICT when another repository id owns `full_name`.
 */
ISG_API int isg_store_project_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                     const isg_store_project *project);

/**
 * Find a project's uuid by `owner/name` (case-insensitive).
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_project_find(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                   const char *full_name);

/**
 * Start or stop polling a project.
 *
 * @return ::ISG_OK or ::ISG_ENOTFOUND for an unknown id.
 */
ISG_API int isg_store_project_set_tracked(isg_store *st, const char *project_id,
                                          int tracked);

/**
 * List projects as a JSON array of objects with `id`, `owner`, `name`,
 * `full_name`, `gh_repo_id`, `default_branch`, `description`, `language`,
 * `tracked`, `last_synced_at` (null when never), ordered by full_name.
 *
 * @param out replaced with the JSON text.
 * @param tracked_only non-zero: only tracked projects.
 */
ISG_API int isg_store_projects_list(isg_buf *out, isg_store *st,
                                    int tracked_only);

/** A polling lease on one project, filled by isg_store_project_claim()
 * and isg_store_project_claim_due(). */
typedef struct isg_store_lease {
	char project_id[ISG_STORE_ID_SIZE]; /**< The leased project. */
	char full_name[256];                /**< "owner/name". */
	long long gh_repo_id;               /**< GitHub's repository id. */
	/** When it was last synced, "" when never. */
	char last_synced_at[ISG_STORE_TIME_SIZE];
	/** The `since` the next listing sends, "" for a full listing (see
	 * isg_store_project_record_sync()). */
	char sync_since[ISG_STORE_TIME_SIZE];
	/** What `sync_since` becomes after the next poll, "" when it
	 * stays. */
	char sync_since_next[ISG_STORE_TIME_SIZE];
} isg_store_lease;

/**
 * Lease the tracked project synced longest ago whose lease is free or
 * expired, so that several collectors never poll one project at once.
 * Same as isg_store_project_claim_due() with an interval of 0: every
 * tracked project without a live lease is due.
 *
 * @param out receives the lease.
 * @param owner a name of the caller (host:pid), stored with the lease.
 * @param lease_s how long the lease lasts, in seconds (> 0).
 * @return ::ISG_OK; ::ISG_ENOTFOUND when no project is due.
 */
ISG_API int isg_store_project_claim(isg_store_lease *out, isg_store *st,
                                    const char *owner, int lease_s);

/**
 * Lease the tracked project synced longest ago that is due: its lease is
 * free or expired, and it was never synced, or synced `interval_s`
 * seconds ago or longer, or its lease expired (its collector died during
 * a poll). Several collectors calling this at once get different
 * projects (`FOR UPDATE SKIP LOCKED`); all collectors together poll a
 * project at most once per interval.
 *
 * @param out receives the lease.
 * @param owner a name of the caller (host:pid), stored with the lease.
 * @param lease_s how long the lease lasts, in seconds (> 0).
 * @param interval_s the poll interval in seconds (>= 0).
 * @return ::ISG_OK; ::ISG_ENOTFOUND when no project is due;
 *         ::ISG_EINVALID for a NULL argument or a bad number.
 */
ISG_API int isg_store_project_claim_due(isg_store_lease *out, isg_store *st,
                                        const char *owner, int lease_s,
                                        int interval_s);

/**
 * Record a successful sync of a project, with or without its lease (a
 * lease, if any, is kept: release it with isg_store_project_release()).
 * This is how `issuesight sync` tells the pollers where to start, and how
 * a poll saves its listing state in PostgreSQL, the record, so that a
 * Redis that loses its memory loses nothing. It clears the cursor of an
 * unfinished full sync (isg_store_project_save_progress()).
 *
 * Times are ISO 8601 or epoch seconds.
 *
 * @param synced_at when the sync started; becomes `last_synced_at`.
 *        Required.
 * @param since the `since` the next listing sends (`sync_since`); NULL: a
 *        full listing.
 * @param since_next what `sync_since` becomes after the next poll
 *        (`sync_since_next`); NULL: none.
 * @return ::ISG_OK; ::ISG_EINVALID for a NULL or bad argument (a time
 *         PostgreSQL cannot read is ::ISG_EINVALID naming it);
 *         ::ISG_ENOTFOUND for an unknown project.
 */
ISG_API int isg_store_project_record_sync(isg_store *st, const char *project_id,
                                          const char *synced_at,
                                          const char *since,
                                          const char *since_next);

/** What isg_store_project_sync_state() reads: where the next sync of a
 * project starts. Release with isg_store_sync_state_dispose(). */
typedef struct isg_store_sync_state {
	/** GitHub's repository id. */
	long long gh_repo_id;
	/** When the last completed sync started, "" when never. */
	char last_synced_at[ISG_STORE_TIME_SIZE];
	/** The `since` the next listing sends, "" for a full listing. */
	char sync_since[ISG_STORE_TIME_SIZE];
	/** What `sync_since` becomes after the next sync, "" when it
	 * stays. */
	char sync_since_next[ISG_STORE_TIME_SIZE];
	/** When the unfinished full sync started, "" when none is. */
	char cursor_started[ISG_STORE_TIME_SIZE];
	/** Where the unfinished full sync goes on (a listing page's URL, or
	 * "comments"); empty when none is. */
	isg_buf cursor;
	/** The saved conditional-request entries as a JSON object (see
	 * isg_store_project_save_progress()); empty when none were saved. */
	isg_buf etags;
} isg_store_sync_state;

/**
 * Read a project's sync state (what a sync that continues where the last
 * one ended needs).
 *
 * @param out filled; dispose it with isg_store_sync_state_dispose(), on
 *        errors too.
 * @return ::ISG_OK; ::ISG_EINVALID for a NULL or bad argument;
 *         ::ISG_ENOTFOUND for an unknown project.
 */
ISG_API int isg_store_project_sync_state(isg_store_sync_state *out,
                                         isg_store *st, const char *project_id);

/** Release the buffers of a sync state (the struct is zeroed). NULL is a
 * no-op. */
ISG_API void isg_store_sync_state_dispose(isg_store_sync_state *s);

/**
 * Save the progress of a sync in one statement: the cursor of an
 * unfinished full sync and the GitHub client's conditional-request
 * entries. isg_store_project_record_sync() clears the cursor when the
 * sync completes.
 *
 * @param cursor where the unfinished sync goes on (a listing page's URL,
 *        or "comments"); NULL: leave the cursor as it is.
 * @param started when that sync started (ISO 8601 or epoch seconds);
 *        required with `cursor`, ignored without.
 * @param etags_json a JSON object of conditional-request entries with
 *        a `_synced_at` member naming the state they belong to; NULL:
 *        leave the saved entries as they are.
 * @return ::ISG_OK; ::ISG_EINVALID for a NULL or bad argument (bad JSON,
 *         bad time); ::ISG_ENOTFOUND for an unknown project.
 */
ISG_API int isg_store_project_save_progress(isg_store *st,
                                            const char *project_id,
                                            const char *cursor,
                                            const char *started,
                                            const char *etags_json);

/**
 * Release a lease taken by `owner`. When `synced_at` is not NULL (ISO 8601
 * or epoch seconds), it becomes the project's `last_synced_at`.
 *
 * @return ::ISG_OK; ::ISG_ESTATE when `owner` no longer holds the lease.
 */
ISG_API int isg_store_project_release(isg_store *st, const char *project_id,
                                      const char *owner, const char *synced_at);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_PROJECT_H */
