/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_issue.h
 * @brief Archived issues and pull requests: upsert, read, difficulty
 *        and paged listing.
 *
 * Errors and identifiers are those of store_db.h.
 */
#ifndef ISSUESIGHT_STORE_ISSUE_H
#define ISSUESIGHT_STORE_ISSUE_H

#include "store_db.h"

ISG_BEGIN_DECLS

/** The current version of ::isg_store_issue. */
#define ISG_STORE_ISSUE_VERSION 1

/** An issue (or pull request) to archive. Not kept after the call. */
typedef struct isg_store_issue {
	/** ::ISG_STORE_ISSUE_VERSION (what ::ISG_STORE_ISSUE_INIT sets); 0,
	 * from a zeroed struct, is read as 1. A newer version than the
	 * library's gives ::ISG_EINVALID. */
	unsigned int version;
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

/** An empty issue of the current version. */
#define ISG_STORE_ISSUE_INIT                                                 \
	{                                                                    \
		ISG_STORE_ISSUE_VERSION, NULL, 0, 0, NULL, NULL, NULL, 0, 0, \
		        NULL, NULL, 0, 0, NULL                               \
	}

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
#define ISG_STORE_ISSUE_FILTER_VERSION 2

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
	/** The project's main language ("C", "Python", any case); version 2
	 * on. A version 1 filter has no such field and matches any. */
	const char *language;
} isg_store_issue_filter;

/** A filter that matches every issue. */
#define ISG_STORE_ISSUE_FILTER_INIT                                            \
	{                                                                      \
		ISG_STORE_ISSUE_FILTER_VERSION, NULL, NULL, -1, NULL, NULL, 0, \
		        NULL, 0, NULL                                          \
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

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_ISSUE_H */
