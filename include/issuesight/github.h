/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/github.h
 * @brief GitHub REST client: repository, issues, comments and labels with
 *        pagination, conditional requests and rate-limit handling.
 *
 * Every request carries `Accept: application/vnd.github+json`,
 * `X-GitHub-Api-Version: 2022-11-28`, a `User-Agent`
 * (`issuesight/<version>` by default) and, when a token is set,
 * `Authorization: Bearer <token>`. The token never appears in a log line
 * or an error message.
 *
 * Listings build only their first URL; later pages are the `link` header's
 * `rel="next"` URL, exactly as sent. Each listed item reaches a callback
 * both parsed and as its raw JSON text.
 *
 * Conditional requests: the client remembers the `ETag` and
 * `Last-Modified` of every URL it fetched (and the page's next link) and
 * sends `If-None-Match` / `If-Modified-Since` the next time. A
 * `304 Not Modified` costs no rate limit; a listing page answered 304
 * delivers no items and the listing continues with the remembered next
 * link. The entries can be exported and imported so that a caller can
 * persist them between runs.
 *
 * Failures and waiting:
 * - `x-ratelimit-remaining: 0`: the next request first waits until
 *   `x-ratelimit-reset` (+1 s). A 403 or 429 with remaining 0 waits the
 *   same way and retries. A wait longer than `max_wait_s` is not made: the
 *   call returns ::ISG_ERATELIMIT with `retry_after_s` set.
 * - Secondary limits (403/429 with `retry-after`, or a body mentioning a
 *   "secondary rate limit"): wait `retry-after` seconds, else at least 60 s
 *   doubling with each attempt, plus jitter.
 * - 5xx answers and network errors: retried up to `max_retries` times with
 *   capped exponential backoff (1 s doubling to 60 s) and jitter; then
 *   ::ISG_EUPSTREAM (5xx), ::ISG_ETIMEOUT, ::ISG_EUNAVAILABLE (server
 * unreachable: connection refused, host unknown) or ::ISG_EIO (other network
 * errors).
 * - 404 → ::ISG_ENOTFOUND; 410 (deleted) and 451 (unavailable for legal
 *   reasons) → ::ISG_EGONE; 401 → ::ISG_EAUTH; other 403 →
 *   ::ISG_EFORBIDDEN; other 4xx → ::ISG_EUPSTREAM. None is retried.
 * - A body over `max_response_bytes` → ::ISG_ETOOBIG; a body that is not
 *   the expected JSON → ::ISG_EPARSE naming the URL path.
 *
 * Every wait goes through the options' sleep function, so tests can record
 * the waits instead of sleeping.
 */
#ifndef ISSUESIGHT_GITHUB_H
#define ISSUESIGHT_GITHUB_H

#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "config.h"
#include "issue.h"

ISG_BEGIN_DECLS

/**
 * A GitHub client: one HTTP connection (reused), the conditional-request
 * cache and the counters.
 *
 * Thread rule: one thread at a time. Use one client per thread.
 */
typedef struct isg_github isg_github;

/**
 * A sleep function: wait `seconds` (>= 0). Return 0 to go on, non-zero to
 * abandon the request, which then fails with ::ISG_ECANCELLED.
 */
typedef int (*isg_github_sleep_fn)(double seconds, void *payload);

/** A wall clock: seconds since the Unix epoch (the unit of the
 * `x-ratelimit-reset` header). */
typedef double (*isg_github_clock_fn)(void *payload);

/** The current version of ::isg_github_options. */
#define ISG_GITHUB_OPTIONS_VERSION 1

/** Options of isg_github_new(). Zero means the documented default. */
typedef struct isg_github_options {
	/** Must be ::ISG_GITHUB_OPTIONS_VERSION. */
	unsigned int version;
	/** API base URL, http or https, without trailing slash needed
	 * (default `https://api.github.com`). Copied. */
	const char *base_url;
	/** Token sent as `Authorization: Bearer`; NULL or "": none. Copied. */
	const char *token;
	/** User-Agent (default `issuesight/<version>`). Copied. */
	const char *user_agent;
	/** Seconds to connect (default 10). */
	int connect_timeout_s;
	/** Seconds for a whole request (default 30). */
	int timeout_s;
	/** Largest accepted body in bytes, after decompression (default
	 * 32 MiB). */
	long long max_response_bytes;
	/** Retries of 5xx answers, network errors and secondary limits
	 * (default 5; negative: no retry). */
	int max_retries;
	/** Longest single wait for a rate limit, in seconds (default 3600);
	 * a longer wait returns ::ISG_ERATELIMIT instead. */
	int max_wait_s;
	/** Most conditional-request entries kept (default 10000); the oldest
	 * entry is dropped first. */
	int cache_entries;
	/** Sleep function (default: really sleep). */
	isg_github_sleep_fn sleep_fn;
	/** Passed to `sleep_fn`. */
	void *sleep_payload;
	/** Wall clock (default: the system clock). */
	isg_github_clock_fn clock_fn;
	/** Passed to `clock_fn`. */
	void *clock_payload;
	/** Seed of the backoff jitter (0: seeded from the clock). */
	unsigned int jitter_seed;
} isg_github_options;

/** Default options. */
#define ISG_GITHUB_OPTIONS_INIT                                              \
	{                                                                    \
		ISG_GITHUB_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, 0, 0, \
		        0, NULL, NULL, NULL, NULL, 0                         \
	}

/**
 * Create a client.
 *
 * @param out receives the client, owned by the caller (isg_github_free());
 *            NULL on error.
 * @param opts options, or NULL for the defaults.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field (wrong version,
 *         a base URL that is not http(s), negative sizes); ::ISG_ENOMEM;
 *         ::ISG_ERROR when libcurl cannot be initialised.
 */
ISG_API int isg_github_new(isg_github **out, const isg_github_options *opts);

/**
 * Create a client from the settings `GITHUB_API_URL`, `GITHUB_TOKEN`,
 * `GITHUB_CONNECT_TIMEOUT_S`, `GITHUB_TIMEOUT_S`,
 * `GITHUB_MAX_RESPONSE_BYTES`, `GITHUB_MAX_RETRIES` and
 * `GITHUB_MAX_WAIT_S`. Other fields (sleep, clock, seed, user agent) come
 * from `base`.
 *
 * @param base options for what the configuration does not hold, or NULL;
 *             its base_url, token, timeouts and limits are ignored.
 * @return as isg_github_new().
 */
ISG_API int isg_github_new_from_config(isg_github **out, const isg_config *cfg,
                                       const isg_github_options *base);

/** Free a client. NULL is a no-op. */
ISG_API void isg_github_free(isg_github *gh);

/* ---- Single objects --------------------------------------------------- */

/**
 * `GET /repos/{owner}/{repo}`.
 *
 * @param out receives the repository (isg_issue_repository_free()), or
 *            NULL when the server answered 304 Not Modified.
 * @param raw when not NULL, replaced with the response body (emptied on
 *            304).
 * @return ::ISG_OK or an error listed at the top of this header;
 *         ::ISG_EINVALID for NULL or empty names.
 */
ISG_API int isg_github_get_repository(isg_repository **out, isg_github *gh,
                                      const char *owner, const char *repo,
                                      isg_buf *raw);

/**
 * `GET /repos/{owner}/{repo}/issues/{number}`. Pull requests are returned
 * too, with `is_pull_request` set.
 *
 * @param out receives the issue (isg_issue_free()), or NULL on 304.
 * @param raw when not NULL, replaced with the body (emptied on 304).
 * @return as isg_github_get_repository().
 */
ISG_API int isg_github_get_issue(isg_issue **out, isg_github *gh,
                                 const char *owner, const char *repo,
                                 int64_t number, isg_buf *raw);

/* ---- Listings ----------------------------------------------------------- */

/** The current version of ::isg_github_list_options (1 is still
 * accepted: it lacks `start_url`, `page` and `page_payload`). */
#define ISG_GITHUB_LIST_OPTIONS_VERSION 2

/**
 * Called after each page of a listing once its items were delivered (a
 * page answered 304 too), with the URL of the page that comes next, or
 * NULL after the last page. `next_url` is valid only during the call.
 * Return 0 to continue; any other value stops the listing, which returns
 * it. A caller that records `next_url` can resume the listing later
 * through `start_url`.
 */
typedef int (*isg_github_page_cb)(const char *next_url, void *payload);

/** Options of the listings. Zero means the documented default. */
typedef struct isg_github_list_options {
	/** ::ISG_GITHUB_LIST_OPTIONS_VERSION or 1. */
	unsigned int version;
	/** Only items updated at or after this ISO 8601 time; NULL: all. */
	const char *since;
	/** Issue state: "open", "closed" or "all" (default "all"); issue
	 * list only. */
	const char *state;
	/** Items per page, 1..100 (default 100). */
	int per_page;
	/** Stop after this many pages (default 0: no limit). */
	int max_pages;
	/** Resume a listing: the first URL fetched, a `next_url` that a
	 * ::isg_github_page_cb received (it must start with the client's
	 * base URL, else ::ISG_EINVALID); NULL: the listing's first page,
	 * built from the other options. Since version 2. */
	const char *start_url;
	/** Called after each page, or NULL. Since version 2. */
	isg_github_page_cb page;
	/** Passed to `page`. Since version 2. */
	void *page_payload;
} isg_github_list_options;

/** Default listing options. */
#define ISG_GITHUB_LIST_OPTIONS_INIT                                           \
	{                                                                      \
		ISG_GITHUB_LIST_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL, \
		        NULL                                                   \
	}

/**
 * Called for each listed issue. `issue` and `raw` (the item's JSON text,
 * NUL-terminated, `raw_len` bytes) are valid only during the call. Return
 * 0 to continue; any other value stops the listing, which returns it.
 */
typedef int (*isg_github_issue_cb)(const isg_issue *issue, const char *raw,
                                   size_t raw_len, void *payload);

/** Called for each listed comment; as ::isg_github_issue_cb. */
typedef int (*isg_github_comment_cb)(const isg_comment *comment,
                                     const char *raw, size_t raw_len,
                                     void *payload);

/** Called for each listed label; as ::isg_github_issue_cb. */
typedef int (*isg_github_label_cb)(const isg_label *label, const char *raw,
                                   size_t raw_len, void *payload);

/**
 * List issues and pull requests:
 * `GET
 * /repos/{o}/{r}/issues?state=all&since=...&per_page=100&sort=updated&direction=asc`,
 * then the next links. Items that are not objects are skipped.
 *
 * @param opts listing options, or NULL for the defaults.
 * @return ::ISG_OK after the last page; the callback's non-zero value;
 *         an error listed at the top of this header (items of earlier
 *         pages were delivered).
 */
ISG_API int isg_github_list_issues(isg_github *gh, const char *owner,
                                   const char *repo,
                                   const isg_github_list_options *opts,
                                   isg_github_issue_cb cb, void *payload);

/**
 * List the comments of every issue of a repository in one listing:
 * `GET
 * /repos/{o}/{r}/issues/comments?since=...&per_page=100&sort=updated&direction=asc`.
 * `opts->state` is ignored.
 *
 * @return as isg_github_list_issues().
 */
ISG_API int isg_github_list_repo_comments(isg_github *gh, const char *owner,
                                          const char *repo,
                                          const isg_github_list_options *opts,
                                          isg_github_comment_cb cb,
                                          void *payload);

/**
 * List one issue's comments:
 * `GET /repos/{o}/{r}/issues/{n}/comments?since=...&per_page=100`.
 *
 * @return as isg_github_list_issues().
 */
ISG_API int isg_github_list_issue_comments(isg_github *gh, const char *owner,
                                           const char *repo, int64_t number,
                                           const isg_github_list_options *opts,
                                           isg_github_comment_cb cb,
                                           void *payload);

/**
 * List a repository's labels: `GET /repos/{o}/{r}/labels?per_page=100`.
 * `since` and `state` are ignored.
 *
 * @return as isg_github_list_issues().
 */
ISG_API int isg_github_list_labels(isg_github *gh, const char *owner,
                                   const char *repo,
                                   const isg_github_list_options *opts,
                                   isg_github_label_cb cb, void *payload);

/* ---- Conditional-request cache ----------------------------------------- */

/** The current version of ::isg_github_cache_entry. */
#define ISG_GITHUB_CACHE_ENTRY_VERSION 1

/** One remembered URL. Strings may be NULL when unknown. */
typedef struct isg_github_cache_entry {
	/** ::ISG_GITHUB_CACHE_ENTRY_VERSION (what
	 * ::ISG_GITHUB_CACHE_ENTRY_INIT sets, and what an export hands out);
	 * 0, from a zeroed struct, is read as 1. A newer version than the
	 * library's gives ::ISG_EINVALID on import. */
	unsigned int version;
	const char *url;           /**< The full request URL. Required. */
	const char *etag;          /**< `ETag` as received. */
	const char *last_modified; /**< `Last-Modified` as received. */
	const char *next_url;      /**< The page's `rel="next"` link. */
} isg_github_cache_entry;

/** An empty entry of the current version. */
#define ISG_GITHUB_CACHE_ENTRY_INIT                                    \
	{                                                              \
		ISG_GITHUB_CACHE_ENTRY_VERSION, NULL, NULL, NULL, NULL \
	}

/**
 * Called for each cache entry by isg_github_cache_export(); the strings
 * are valid only during the call. Return 0 to continue; another value
 * stops the export, which returns it.
 */
typedef int (*isg_github_cache_cb)(const isg_github_cache_entry *entry,
                                   void *payload);

/**
 * Hand every remembered entry to `cb`, oldest first.
 *
 * @return ::ISG_OK, the callback's non-zero value, or ::ISG_EINVALID.
 */
ISG_API int isg_github_cache_export(const isg_github *gh,
                                    isg_github_cache_cb cb, void *payload);

/**
 * Remember an entry (copied), replacing one for the same URL. An entry
 * with neither ETag nor Last-Modified removes the URL.
 *
 * @return ::ISG_OK, ::ISG_EINVALID (NULL client, entry or url),
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_github_cache_import(isg_github *gh,
                                    const isg_github_cache_entry *entry);

/** Forget every entry. NULL is a no-op. */
ISG_API void isg_github_cache_clear(isg_github *gh);

/* ---- Counters -------------------------------------------------------- */

/** The endpoints the counters distinguish. */
typedef enum isg_github_endpoint {
	ISG_GITHUB_EP_REPOSITORY = 0,     /**< `/repos/{o}/{r}` */
	ISG_GITHUB_EP_ISSUE = 1,          /**< `/issues/{n}` */
	ISG_GITHUB_EP_ISSUES = 2,         /**< `/issues` */
	ISG_GITHUB_EP_REPO_COMMENTS = 3,  /**< `/issues/comments` */
	ISG_GITHUB_EP_ISSUE_COMMENTS = 4, /**< `/issues/{n}/comments` */
	ISG_GITHUB_EP_LABELS = 5,         /**< `/labels` */
	ISG_GITHUB_EP_COUNT = 6           /**< Number of endpoints. */
} isg_github_endpoint;

/** The current version of ::isg_github_stats. */
#define ISG_GITHUB_STATS_VERSION 1

/** Counters and the last rate-limit state. */
typedef struct isg_github_stats {
	/** Set to ::ISG_GITHUB_STATS_VERSION before isg_github_stats_get(). */
	unsigned int version;
	uint64_t requests;     /**< HTTP requests sent (retries included). */
	uint64_t not_modified; /**< 304 answers (free of rate limit). */
	uint64_t retries;      /**< Requests that were repeats. */
	uint64_t waits;        /**< Calls of the sleep function. */
	double seconds_waited; /**< Their total. */
	uint64_t bytes;        /**< Body bytes received (decoded). */
	uint64_t
	        by_endpoint[ISG_GITHUB_EP_COUNT]; /**< Requests per endpoint. */
	/** The last `x-ratelimit-*` values seen; -1 before any. */
	long long rate_limit;
	long long rate_remaining; /**< `x-ratelimit-remaining`, or -1. */
	long long rate_used;      /**< `x-ratelimit-used`, or -1. */
	long long rate_reset;     /**< `x-ratelimit-reset` (epoch s), or -1. */
	char rate_resource[32];   /**< `x-ratelimit-resource` ("core"). */
} isg_github_stats;

/** Stats ready for isg_github_stats_get(). */
#define ISG_GITHUB_STATS_INIT                                 \
	{                                                     \
		ISG_GITHUB_STATS_VERSION, 0, 0, 0, 0, 0.0, 0, \
		        { 0, 0, 0, 0, 0, 0 }, -1, -1, -1, -1, \
		{                                             \
			0                                     \
		}                                             \
	}

/**
 * Copy the counters.
 *
 * @param out filled; its `version` must be ::ISG_GITHUB_STATS_VERSION.
 * @return ::ISG_OK or ::ISG_EINVALID.
 */
ISG_API int isg_github_stats_get(isg_github_stats *out, const isg_github *gh);

/**
 * Requests answered with one HTTP status at one endpoint.
 *
 * @param endpoint an ::isg_github_endpoint, or -1 for all endpoints.
 * @param http_status a status such as 200 or 304; 0 counts requests that
 *                    got no answer (network errors); -1 counts all.
 * @return the count; 0 for a NULL client or unknown endpoint.
 */
ISG_API uint64_t isg_github_stats_count(const isg_github *gh, int endpoint,
                                        int http_status);

/** Reset the counters (not the rate-limit state). NULL is a no-op. */
ISG_API void isg_github_stats_reset(isg_github *gh);

ISG_END_DECLS

#endif /* ISSUESIGHT_GITHUB_H */
