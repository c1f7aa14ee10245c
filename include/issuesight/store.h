/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store.h
 * @brief The PostgreSQL archive: schema migrations, projects, issues,
 *        Context Bridge contents, users, tutorials and concepts.
 *
 * An ::isg_store is a small pool of PostgreSQL connections. Every value
 * travels as a query parameter: no SQL is ever built from a value. The
 * schema (docs/schema.md) is created by isg_store_migrate() from versioned
 * SQL files embedded in the library.
 *
 * Identifiers are uuids in their 36-character text form; functions that
 * return one fill a `char[ISG_STORE_ID_SIZE]`. Timestamps are ISO 8601
 * text in UTC (`2024-05-01T12:00:00Z`).
 *
 * Errors: a lost connection is reset and an idempotent statement retried
 * once, so the first call after a PostgreSQL restart succeeds. SQLSTATEs
 * map to codes: unique violation → ::ISG_ECONFLICT; check, foreign-key and
 * data errors → ::ISG_EINVALID; statement timeout → ::ISG_ETIMEOUT;
 * connection failures → ::ISG_EUNAVAILABLE; anything else ::ISG_EBACKEND.
 * Messages never contain the password of the connection string.
 */
#ifndef ISSUESIGHT_STORE_H
#define ISSUESIGHT_STORE_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** Size of a uuid in text form, terminator included. */
#define ISG_STORE_ID_SIZE 37
/** Size of a timestamp buffer (ISO 8601 text), terminator included. */
#define ISG_STORE_TIME_SIZE 40

/**
 * A pool of PostgreSQL connections and the queries of the archive.
 *
 * Thread rule: thread-safe. Any number of threads may call into one store
 * at once; each call borrows a connection for its duration and waits when
 * all `pool_size` connections are busy.
 */
typedef struct isg_store isg_store;

/** The current version of ::isg_store_options. */
#define ISG_STORE_OPTIONS_VERSION 1

/** Options of isg_store_new(). Zero means the documented default. */
typedef struct isg_store_options {
	/** Must be ::ISG_STORE_OPTIONS_VERSION. */
	unsigned int version;
	/** libpq connection string, URL (`postgresql://...`) or `key=value`
	 * form. Required. Copied. */
	const char *conninfo;
	/** Connections in the pool, opened lazily (default 4, max 256). */
	int pool_size;
	/** Seconds to wait for a connection to open (default 5). */
	int connect_timeout_s;
	/** Server-side timeout of each statement in ms (default 30000;
	 * negative: no timeout). */
	int statement_timeout_ms;
} isg_store_options;

/** Default options (conninfo must still be set). */
#define ISG_STORE_OPTIONS_INIT                           \
	{                                                \
		ISG_STORE_OPTIONS_VERSION, NULL, 0, 0, 0 \
	}

/**
 * Create a store. No connection is opened yet: use isg_store_ping() to
 * check that the database answers.
 *
 * @param out receives the handle, owned by the caller; NULL on error.
 * @param opts the options; conninfo is required.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field; ::ISG_ENOMEM.
 */
ISG_API int isg_store_new(isg_store **out, const isg_store_options *opts);

/**
 * Create a store from the settings `DATABASE_URL`, `DB_POOL_SIZE`,
 * `DB_CONNECT_TIMEOUT_S` and `DB_STATEMENT_TIMEOUT_MS` (0 there means no
 * statement timeout).
 *
 * @return as isg_store_new().
 */
ISG_API int isg_store_new_from_config(isg_store **out, const isg_config *cfg);

/**
 * Close every connection and free the store. NULL is a no-op. No call may
 * be running on it.
 */
ISG_API void isg_store_free(isg_store *st);

/**
 * Run `SELECT 1` on a pooled connection (opening it when needed).
 *
 * @return ::ISG_OK; ::ISG_EUNAVAILABLE when the database cannot be
 *         reached; ::ISG_ETIMEOUT.
 */
ISG_API int isg_store_ping(isg_store *st);

/* ---- Migrations ------------------------------------------------------ */

/**
 * Apply every pending migration, each in its own transaction, recording
 * it in `schema_migrations` (version, name, checksum, applied_at). Safe to
 * run from several processes at once: a session advisory lock serialises
 * them, and a run with nothing to do changes nothing.
 *
 * @param out receives the schema version after the run (may be NULL).
 * @return ::ISG_OK; ::ISG_ESTATE when an applied migration's checksum
 *         differs from the embedded one (the message names the version)
 *         or the database has a version this library does not know;
 *         ::ISG_EBACKEND when a migration fails (it is rolled back);
 *         ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_store_migrate(int *out, isg_store *st);

/**
 * The highest applied migration version; 0 for an empty database.
 *
 * @return ::ISG_OK, ::ISG_EUNAVAILABLE or ::ISG_EBACKEND.
 */
ISG_API int isg_store_schema_version(int *out, isg_store *st);

/**
 * The newest migration version embedded in this library.
 */
ISG_API int isg_store_schema_latest(void);

/* ---- Projects -------------------------------------------------------- */

/** A GitHub repository to archive. Strings are not kept after the call. */
typedef struct isg_store_project {
	long long gh_repo_id;       /**< GitHub's repository id (> 0). */
	const char *owner;          /**< "octocat". Required. */
	const char *name;           /**< "hello-world". Required. */
	const char *full_name;      /**< NULL: "owner/name". */
	const char *default_branch; /**< May be NULL. */
	const char *description;    /**< May be NULL. */
	const char *language;       /**< May be NULL. */
	const char *raw_json; /**< GitHub's payload as JSON text; NULL: {}. */
} isg_store_project;

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
 * Redis that loses its memory loses nothing.
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

/**
 * Release a lease taken by `owner`. When `synced_at` is not NULL (ISO 8601
 * or epoch seconds), it becomes the project's `last_synced_at`.
 *
 * @return ::ISG_OK; ::ISG_ESTATE when `owner` no longer holds the lease.
 */
ISG_API int isg_store_project_release(isg_store *st, const char *project_id,
                                      const char *owner, const char *synced_at);

/* ---- Issues ---------------------------------------------------------- */

/** An issue (or pull request) to archive. Not kept after the call. */
typedef struct isg_store_issue {
	const char *project_id;    /**< The project's uuid. Required. */
	long long gh_issue_id;     /**< GitHub's issue id (> 0). */
	int number;                /**< Issue number (> 0). */
	const char *title;         /**< Required, may be "". */
	const char *state;         /**< "open" or "closed". */
	const char *const *labels; /**< Label names; may be NULL. */
	size_t nlabels;            /**< How many labels. */
	int is_pull_request;       /**< Non-zero for a pull request. */
	const char *gh_created_at; /**< ISO 8601 or epoch; may be NULL. */
	const char *gh_updated_at; /**< ISO 8601 or epoch; may be NULL. */
	long long body_length;     /**< Bytes in the body. */
	int comments;              /**< Comment count. */
	const char *raw_json; /**< GitHub's payload as JSON text; NULL: {}. */
} isg_store_issue;

/**
 * Insert an issue or update it by `gh_issue_id`, keeping `raw_data`
 * verbatim as jsonb. Difficulty and junior_friendly are kept.
 *
 * @param out receives the issue's uuid.
 * @return ::ISG_OK; ::ISG_EINVALID (bad field, JSON or timestamp, unknown
 *         project); ::ISG_ECONFLICT when the number belongs to another
 *         GitHub issue id in the project.
 */
ISG_API int isg_store_issue_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                   const isg_store_issue *issue);

/** An archived issue, filled by isg_store_issue_get(). */
typedef struct isg_store_issue_info {
	char id[ISG_STORE_ID_SIZE];         /**< The issue's uuid. */
	char project_id[ISG_STORE_ID_SIZE]; /**< The project's uuid. */
	long long gh_issue_id;              /**< GitHub's issue id. */
	int number;                         /**< Issue number. */
	int is_pull_request;                /**< 1 for a pull request. */
	int junior_friendly;                /**< 1, 0, or -1 when unknown. */
	char state[16];                     /**< "open" or "closed". */
	char difficulty[16]; /**< "beginner" ...; "" when unknown. */
	char gh_updated_at[ISG_STORE_TIME_SIZE]; /**< "" when unknown. */
	isg_buf title;                           /**< The title. */
	isg_buf labels_json; /**< The labels as a JSON array of strings. */
	isg_buf raw_json;    /**< The stored GitHub payload. */
} isg_store_issue_info;

/**
 * Read an issue by project `owner/name` and number.
 *
 * @param out filled; release with isg_store_issue_info_dispose() (also
 *        after an error). Must be zeroed before its first use.
 * @return ::ISG_OK or ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_issue_get(isg_store_issue_info *out, isg_store *st,
                                const char *full_name, int number);

/** Release the buffers of an ::isg_store_issue_info. NULL is a no-op. */
ISG_API void isg_store_issue_info_dispose(isg_store_issue_info *info);

/**
 * Set an issue's difficulty ("beginner", "intermediate", "advanced", or
 * NULL for unknown) and junior-friendliness (1, 0, or -1 for unknown).
 *
 * @return ::ISG_OK; ::ISG_EINVALID naming a bad difficulty;
 *         ::ISG_ENOTFOUND.
 */
ISG_API int isg_store_issue_set_difficulty(isg_store *st, const char *issue_id,
                                           const char *difficulty,
                                           int junior_friendly);

/** The largest page isg_store_issues_list() returns. */
#define ISG_STORE_PAGE_MAX 200

/** The current version of ::isg_store_issue_filter. */
#define ISG_STORE_ISSUE_FILTER_VERSION 1

/** What isg_store_issues_list() selects. NULL / -1 fields match all. */
typedef struct isg_store_issue_filter {
	unsigned int version;      /**< ::ISG_STORE_ISSUE_FILTER_VERSION. */
	const char *project;       /**< Project "owner/name". */
	const char *difficulty;    /**< "beginner", "intermediate", ... */
	int junior_friendly;       /**< 1, 0, or -1 for any. */
	const char *concept;       /**< Concept slug (see below). */
	const char *state;         /**< "open" or "closed". */
	int include_pull_requests; /**< Non-zero: pull requests too. */
	const char *cursor;        /**< next_cursor of the previous page. */
	int limit;                 /**< Page size (default 50, max 200). */
} isg_store_issue_filter;

/** A filter that matches every issue. */
#define ISG_STORE_ISSUE_FILTER_INIT                                            \
	{                                                                      \
		ISG_STORE_ISSUE_FILTER_VERSION, NULL, NULL, -1, NULL, NULL, 0, \
		        NULL, 0                                                \
	}

/**
 * One page of issues, newest `gh_updated_at` first (then by id), as JSON
 * `{"items": [...], "next_cursor": "..." | null}`. Each item has `id`,
 * `project`, `number`, `title`, `state`, `labels`, `difficulty`,
 * `junior_friendly`, `is_pull_request`, `gh_updated_at` and `status` (of
 * its Context Bridge, or null). Keyset pagination: rows inserted between
 * pages never make a row repeat or go missing.
 *
 * An issue matches `concept` when its bridge lists the concept
 * (tutorial_concepts) or its project does (project_concepts).
 *
 * @param out replaced with the JSON text.
 * @return ::ISG_OK; ::ISG_EINVALID for a malformed cursor or filter.
 */
ISG_API int isg_store_issues_list(isg_buf *out, isg_store *st,
                                  const isg_store_issue_filter *filter);

/* ---- Context Bridge contents ------------------------------------------ */

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

/** What a completed generation stores. Not kept after the call. */
typedef struct isg_store_completion {
	const char *bridge_json;     /**< The bridge document. Required. */
	const char *engine;          /**< "offline" or "llm". Required. */
	const char *model;           /**< Model name; NULL for offline. */
	long long prompt_tokens;     /**< Tokens sent. */
	long long completion_tokens; /**< Tokens received. */
	/** The worker's lock token; 0: unfenced. A write whose fence is
	 * lower than one already recorded is refused. */
	long long fence;
} isg_store_completion;

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
	isg_buf bridge_json; /**< The bridge; empty unless COMPLETED. */
	isg_buf error;       /**< The last failure; empty when none. */
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

/* ---- Users, identities, tutorials ------------------------------------- */

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

/* ---- Concepts --------------------------------------------------------- */

/**
 * Insert a concept or update its name and description by slug.
 *
 * @param out receives the concept's uuid (may be NULL).
 * @param slug lower-case `a-z0-9-`, e.g. "message-queues".
 * @return ::ISG_OK; ::ISG_EINVALID naming a malformed slug.
 */
ISG_API int isg_store_concept_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                     const char *slug, const char *name,
                                     const char *description);

/**
 * Make `child` a child of `parent` (idempotent).
 *
 * @return ::ISG_OK; ::ISG_EINVALID for a self-loop or a link that would
 *         close a cycle; ::ISG_ENOTFOUND naming an unknown slug.
 */
ISG_API int isg_store_concept_link(isg_store *st, const char *parent_slug,
                                   const char *child_slug);

/**
 * The subtree under `root_slug` as a JSON array in depth-first order:
 * objects with `slug`, `name`, `description`, `parent` (null for the
 * root) and `depth` (0 for the root). Safe against cycles.
 *
 * @param max_depth deepest level returned (<= 0: 32).
 * @return ::ISG_OK; ::ISG_ENOTFOUND for an unknown root.
 */
ISG_API int isg_store_concept_tree(isg_buf *out, isg_store *st,
                                   const char *root_slug, int max_depth);

/**
 * Record that a project uses a concept, with a confidence in [0,1]
 * (idempotent: a second call updates the confidence).
 *
 * @return ::ISG_OK; ::ISG_EINVALID for a confidence out of range;
 *         ::ISG_ENOTFOUND naming an unknown slug or project.
 */
ISG_API int isg_store_project_concept_set(isg_store *st, const char *project_id,
                                          const char *slug, double confidence);

/**
 * Record that a Context Bridge teaches a concept, with a relevance in
 * [0,1] (idempotent).
 *
 * @return as isg_store_project_concept_set().
 */
ISG_API int isg_store_content_concept_set(isg_store *st, const char *content_id,
                                          const char *slug, double relevance);

ISG_END_DECLS

#include "store_account.h"

#endif /* ISSUESIGHT_STORE_H */
