/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the GitHub client shared by its files: the handle, one
 * response, the request engine (github_http.c) and the conditional-request
 * cache and counters (github_cache.c).
 */
#ifndef ISSUESIGHT_GITHUB_INT_H
#define ISSUESIGHT_GITHUB_INT_H

#include <stdint.h>

#include <curl/curl.h>

#include "issuesight/github.h"

typedef struct isg__github_cache_entry {
	char *url;
	char *etag;
	char *last_modified;
	char *next_url;
	/* A small value the answer held (the head SHA of a commits/{ref}
	 * request, a repository's default branch), so that a 304 can still
	 * say it; NULL when unknown. Not exported. */
	char *value;
} isg__github_cache_entry;

typedef struct isg__github_count {
	int endpoint;
	int status;
	uint64_t n;
} isg__github_count;

/* Distinct (endpoint, status) pairs counted; further pairs only reach the
 * totals. GitHub answers with a handful of statuses, so this is ample. */
#define ISG__GITHUB_MAX_COUNTS 96

/* The layout is the github area's own: other areas see an opaque handle
 * and use the accessors below (ISG__AREA_GITHUB is defined only when
 * the github area's library is compiled). */
#ifdef ISG__AREA_GITHUB
struct isg_github {
	char *base_url; /* without trailing slash */
	char *token;    /* "Bearer <token>"; NULL: no Authorization header */
	char *user_agent;
	int connect_timeout_s;
	int timeout_s;
	long long max_response_bytes;
	int max_retries;
	int max_wait_s;
	int cache_max;
	isg_github_sleep_fn sleep_fn;
	void *sleep_payload;
	isg_github_clock_fn clock_fn;
	void *clock_payload;
	uint64_t rng;
	CURL *curl;

	isg__github_cache_entry *cache;
	size_t ncache, cache_cap;

	isg_github_stats stats;
	isg__github_count counts[ISG__GITHUB_MAX_COUNTS];
	size_t ncounts;
};
#endif /* ISG__AREA_GITHUB */

/* How one request differs from a JSON GET (all zero: a JSON GET). Kept
 * by isg__github_response_clear(). */
typedef struct isg__github_request {
	const char *accept; /* NULL: application/vnd.github+json */
	int sink;           /* non-zero: a 2xx body goes to sink_fd */
	int sink_fd;
	long long sink_max;   /* the cap of a sunk body, in bytes */
	long long sink_bytes; /* bytes written to sink_fd by the answer */
	int sink_errno;       /* the failed write to sink_fd, or 0 */
	int timeout_s;        /* > 0: the whole request's timeout */
	int conditional_off;  /* non-zero: no If-None-Match */
} isg__github_request;

/* One HTTP response. Header values are those of the final response when
 * redirects were followed. */
typedef struct isg__github_response {
	isg__github_request req;
	long status;     /* 0: no response */
	long cur_status; /* the status line being received */
	isg_buf body;
	char *etag;
	char *last_modified;
	char *next_url;
	double retry_after_s; /* < 0: no retry-after header */
	long long rl_limit, rl_remaining, rl_used, rl_reset; /* -1: absent */
	char rl_resource[32];
	int too_big;
	long long max_bytes;
} isg__github_response;

/* Semi-private accessor for other areas (the collector keys its saved
 * ETags by API): the base URL without trailing slash, owned by `gh`. */
const char *isg__github_base_url(const isg_github *gh);

void isg__github_response_clear(isg__github_response *r);

/* Appends `s` percent-encoded (RFC 3986 unreserved characters kept). */
int isg__github_put_escaped(isg_buf *b, const char *s);
/* Sets `b` to base/repos/{owner}/{repo}, validating the names. */
int isg__github_repo_url(isg_buf *b, const isg_github *gh, const char *owner,
                         const char *repo);

/* Performs a GET of `url` with conditional headers, waits and retries as
 * github.h documents. On ISG_OK, `resp->status` is 2xx or 304 (for 304,
 * next_url is filled from the cache when the answer had none). A 2xx is
 * not remembered yet: see isg__github_remember(). */
int isg__github_get(isg_github *gh, int endpoint, const char *url,
                    isg__github_response *resp);

/* Remembers the validators of a 2xx answer (or forgets the URL when it
 * had none). Called only once the body was used successfully, so that a
 * truncated or unconsumed page is fetched in full next time. */
int isg__github_remember(isg_github *gh, const char *url,
                         const isg__github_response *resp);

/* libcurl's header callback: reads one header line of `size` x `n` bytes
 * (status lines included, not NUL-terminated) into the response `ud`
 * (an isg__github_response). Returns the bytes taken: all of them. It is
 * not static so that the fuzz target can feed it lines (tests/fuzz). */
size_t isg__github_header(char *line, size_t size, size_t n, void *ud);

/* The `rel="next"` URL of a Link header value; NULL when none (or on
 * allocation failure, which also records ISG_ENOMEM in *rc). */
char *isg__github_link_next(const char *link, int *rc);

/* Cache and counters (github_cache.c). */
const isg__github_cache_entry *isg__github_cache_find(const isg_github *gh,
                                                      const char *url);
int isg__github_cache_put(isg_github *gh, const char *url, const char *etag,
                          const char *last_modified, const char *next_url);
void isg__github_cache_remove(isg_github *gh, const char *url);
/* Sets the value of the entry of `url` (copied); ISG_OK when there is no
 * entry (nothing to attach it to), ISG_ENOMEM. */
int isg__github_cache_set_value(isg_github *gh, const char *url,
                                const char *value);
void isg__github_count_status(isg_github *gh, int endpoint, int status);
double isg__github_now(const isg_github *gh);
/* Calls the sleep function and counts the wait; ISG_ECANCELLED when it
 * asks to stop. */
int isg__github_wait(isg_github *gh, double seconds);
/* A uniform random number in [0, 1). */
double isg__github_random(isg_github *gh);

#endif /* ISSUESIGHT_GITHUB_INT_H */
