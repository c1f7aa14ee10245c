/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/issue.h
 * @brief GitHub domain types (repository, issue, comment, label) and their
 *        JSON.
 *
 * The parsers read the JSON shapes of GitHub's REST API defensively: any
 * field may be missing, `null` or of another type, and then reads as
 * absent (NULL for strings, 0 for numbers and flags) instead of failing.
 * Only text that is not JSON at all, or whose top level is not an object,
 * is an error (::ISG_EPARSE with the byte offset or the type found).
 *
 * Ownership: every object is allocated by the library, returned through an
 * out-parameter and released with its `_free` function (NULL is a no-op).
 * Callers never allocate these structs themselves: fields may be appended
 * in later versions. All strings are NUL-terminated UTF-8 and owned by
 * their object.
 *
 * Timestamps are kept as GitHub sends them: ISO 8601 text in UTC
 * (`2024-05-01T12:00:00Z`).
 *
 * Thread rule: the objects are plain data; distinct objects may be used
 * from distinct threads, and one object may be read from many threads.
 */
#ifndef ISSUESIGHT_ISSUE_H
#define ISSUESIGHT_ISSUE_H

#include <stdint.h>

#include "buf.h"
#include "common.h"

ISG_BEGIN_DECLS

/** A label as attached to an issue (`labels[]`). */
typedef struct isg_label {
	int64_t id;        /**< GitHub's label id; 0 when unknown. */
	char *name;        /**< "good first issue"; never NULL. */
	char *color;       /**< Hex colour without `#`, or NULL. */
	char *description; /**< Description, or NULL. */
} isg_label;

/**
 * A comment on an issue, from `/issues/comments` (repository-wide) or
 * `/issues/{n}/comments`.
 */
typedef struct isg_comment {
	int64_t id; /**< GitHub's comment id; 0 when absent. */
	/** The issue number, taken from the trailing number of `issue_url`;
	 * 0 when it cannot be found. */
	int64_t issue_number;
	char *user_login;         /**< `user.login`, or NULL. */
	char *body;               /**< Markdown body; NULL when null/absent. */
	char *created_at;         /**< ISO 8601, or NULL. */
	char *updated_at;         /**< ISO 8601, or NULL. */
	char *author_association; /**< "MEMBER", "NONE", ... or NULL. */
	char *html_url;           /**< Link to the comment, or NULL. */
	char *issue_url;          /**< API URL of its issue, or NULL. */
} isg_comment;

/**
 * An issue or a pull request (GitHub lists both under `/issues`; a pull
 * request carries a `pull_request` key and has `is_pull_request` set).
 */
typedef struct isg_issue {
	int64_t id;             /**< GitHub's issue id; 0 when absent. */
	int64_t number;         /**< The issue number; 0 when absent. */
	char *title;            /**< Title, or NULL. */
	char *body;             /**< Markdown body; NULL when null/absent. */
	char *state;            /**< "open" or "closed", or NULL. */
	char *state_reason;     /**< "completed", "not_planned", ... or NULL. */
	char *user_login;       /**< Author (`user.login`), or NULL. */
	isg_label *labels;      /**< Labels; NULL when `nlabels` is 0. */
	size_t nlabels;         /**< Number of labels. */
	char **assignees;       /**< Logins of the assignees. */
	size_t nassignees;      /**< Number of assignees. */
	char *milestone;        /**< `milestone.title`, or NULL. */
	int64_t comments_count; /**< `comments` when it is a number; the
	                         * number of comment objects when it is an
	                         * array. */
	char *created_at;       /**< ISO 8601, or NULL. */
	char *updated_at;       /**< ISO 8601, or NULL. */
	char *closed_at;        /**< ISO 8601, or NULL (open issues). */
	char *html_url;         /**< Web page of the issue, or NULL. */
	/** "owner/name" of the repository, from `repository_url` or else
	 * `html_url`; NULL when neither names one. */
	char *repo_full_name;
	int is_pull_request; /**< 1 when the item has a `pull_request` key. */
	int64_t reactions_total;  /**< `reactions.total_count`, or 0. */
	char *author_association; /**< "CONTRIBUTOR", ... or NULL. */
	int locked;               /**< 1 when the conversation is locked. */
	/** Comments embedded in the object (`"comments": [ ... ]`), as the
	 * bridge's `--issue-json` files carry them; NULL when none. */
	isg_comment *comments;
	size_t ncomments; /**< Number of embedded comments. */
} isg_issue;

/** A GitHub repository (the "project" of the archive). */
typedef struct isg_repository {
	int64_t id;               /**< GitHub's repository id; 0 when absent. */
	char *full_name;          /**< "owner/name", or NULL. */
	char *owner_login;        /**< `owner.login`, or NULL. */
	char *name;               /**< Repository name, or NULL. */
	char *description;        /**< Description, or NULL. */
	char *default_branch;     /**< "main", or NULL. */
	char *language;           /**< Main language, or NULL. */
	char **topics;            /**< Topics; NULL when `ntopics` is 0. */
	size_t ntopics;           /**< Number of topics. */
	int64_t stargazers_count; /**< Stars. */
	int64_t open_issues_count; /**< Open issues and pull requests. */
	int archived;              /**< 1 when archived. */
	int fork;                  /**< 1 when a fork. */
	char *html_url;            /**< Web page, or NULL. */
	char *license_spdx;        /**< `license.spdx_id` ("MIT"), or NULL. */
	char *pushed_at;           /**< ISO 8601, or NULL. */
	char *updated_at;          /**< ISO 8601, or NULL. */
} isg_repository;

/* ---- Issues ---------------------------------------------------------- */

/**
 * Parse one GitHub issue object: the body of `GET /repos/{o}/{r}/issues/{n}`
 * or an element of the issue list. `comments` may be a number (GitHub's
 * count) or an array of comment objects, which are parsed into
 * `comments`/`ncomments` (elements that are not objects are skipped).
 *
 * @param out receives the issue, owned by the caller (isg_issue_free());
 *            NULL on error.
 * @param json the text; need not be NUL-terminated.
 * @param len its length in bytes.
 * @return ::ISG_OK; ::ISG_EPARSE when the text is not JSON or its top level
 *         is not an object (the message gives the offset or the type);
 *         ::ISG_EINVALID for NULL arguments; ::ISG_ENOMEM.
 */
ISG_API int isg_issue_parse(isg_issue **out, const char *json, size_t len);

/** Free an issue and everything it holds. NULL is a no-op. */
ISG_API void isg_issue_free(isg_issue *issue);

/**
 * Serialize an issue as a GitHub-shaped JSON object (compact, one line),
 * which isg_issue_parse() reads back to equal fields. Absent strings are
 * written as `null`; labels as objects with `name` (and `id`, `color`,
 * `description` when known); assignees as `[{"login": ...}]`; the
 * milestone as `{"title": ...}`; a pull request gets a `pull_request`
 * object. With embedded comments, `comments` is their array (so
 * `comments_count` reads back as their number); otherwise it is
 * `comments_count`.
 *
 * @param out replaced with the JSON text.
 * @return ::ISG_OK, ::ISG_EINVALID for NULL arguments, ::ISG_ENOMEM.
 */
ISG_API int isg_issue_to_json(isg_buf *out, const isg_issue *issue);

/* ---- Comments -------------------------------------------------------- */

/**
 * Parse one GitHub issue comment object.
 *
 * @param out receives the comment, owned by the caller
 *            (isg_issue_comment_free()); NULL on error.
 * @return as isg_issue_parse().
 */
ISG_API int isg_issue_comment_parse(isg_comment **out, const char *json,
                                    size_t len);

/** Free a comment. NULL is a no-op. */
ISG_API void isg_issue_comment_free(isg_comment *comment);

/**
 * Serialize a comment as a GitHub-shaped JSON object (`id`, `issue_url`,
 * `html_url`, `user.login`, `body`, timestamps, `author_association`).
 * When `issue_url` is NULL but `issue_number` is known, an `issue_url`
 * ending in `/issues/<number>` is written so that the number reads back.
 *
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_issue_comment_to_json(isg_buf *out, const isg_comment *comment);

/* ---- Repositories ---------------------------------------------------- */

/**
 * Parse a GitHub repository object (`GET /repos/{o}/{r}`). When
 * `full_name` is absent it is rebuilt from `owner.login` and `name`.
 *
 * @param out receives the repository, owned by the caller
 *            (isg_issue_repository_free()); NULL on error.
 * @return as isg_issue_parse().
 */
ISG_API int isg_issue_repository_parse(isg_repository **out, const char *json,
                                       size_t len);

/** Free a repository. NULL is a no-op. */
ISG_API void isg_issue_repository_free(isg_repository *repo);

/**
 * Serialize a repository as a GitHub-shaped JSON object, readable by
 * isg_issue_repository_parse().
 *
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_issue_repository_to_json(isg_buf *out,
                                         const isg_repository *repo);

/* ---- Labels ---------------------------------------------------------- */

/**
 * Parse a label object (an element of `GET /repos/{o}/{r}/labels`) or a
 * JSON string holding just the name.
 *
 * @param out receives the label, owned by the caller
 *            (isg_issue_label_free()); NULL on error.
 * @return ::ISG_OK; ::ISG_EPARSE when the text is not JSON, not an object
 *         or string, or has no string `name`; ::ISG_EINVALID; ::ISG_ENOMEM.
 */
ISG_API int isg_issue_label_parse(isg_label **out, const char *json,
                                  size_t len);

/** Free a label returned by isg_issue_label_parse(). NULL is a no-op. */
ISG_API void isg_issue_label_free(isg_label *label);

ISG_END_DECLS

#endif /* ISSUESIGHT_ISSUE_H */
