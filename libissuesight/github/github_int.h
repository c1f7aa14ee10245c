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

typedef struct isg__gh_cache_entry {
	char *url;
	char *etag;
	char *last_modified;
	char *next_url;
} isg__gh_cache_entry;

typedef struct isg__gh_count {
	int endpoint;
	int status;
	uint64_t n;
} isg__gh_count;

/* Distinct (endpoint, status) pairs counted; further pairs only reach the
 * totals. GitHub answers with a handful of statuses, so this is ample. */
#define ISG__GH_MAX_COUNTS 96

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

	isg__gh_cache_entry *cache;
	size_t ncache, cache_cap;

	isg_github_stats stats;
	isg__gh_count counts[ISG__GH_MAX_COUNTS];
	size_t ncounts;
};

/* One HTTP response. Header values are those of the final response when
 * redirects were followed. */
typedef struct isg__gh_response {
	long status; /* 0: no response */
	isg_buf body;
	char *etag;
	char *last_modified;
	char *next_url;
	double retry_after_s; /* < 0: no retry-after header */
	long long rl_limit, rl_remaining, rl_used, rl_reset; /* -1: absent */
	char rl_resource[32];
	int too_big;
	long long max_bytes;
} isg__gh_response;

/* Semi-private accessor for other areas (the collector keys its saved
 * ETags by API): the base URL without trailing slash, owned by `gh`. */
const char *isg__github_base_url(const isg_github *gh);

void isg__gh_response_clear(isg__gh_response *r);

/* Performs a GET of `url` with conditional headers, waits and retries as
 * github.h documents. On ISG_OK, `resp->status` is 2xx or 304 (for 304,
 * next_url is filled from the cache when the answer had none). A 2xx is
 * not remembered yet: see isg__gh_remember(). */
int isg__gh_get(isg_github *gh, int endpoint, const char *url,
                isg__gh_response *resp);

/* Remembers the validators of a 2xx answer (or forgets the URL when it
 * had none). Called only once the body was used successfully, so that a
 * truncated or unconsumed page is fetched in full next time. */
int isg__gh_remember(isg_github *gh, const char *url,
                     const isg__gh_response *resp);

/* The `rel="next"` URL of a Link header value; NULL when none (or on
 * allocation failure, which also records ISG_ENOMEM in *rc). */
char *isg__gh_link_next(const char *link, int *rc);

/* Cache and counters (github_cache.c). */
const isg__gh_cache_entry *isg__gh_cache_find(const isg_github *gh,
                                              const char *url);
int isg__gh_cache_put(isg_github *gh, const char *url, const char *etag,
                      const char *last_modified, const char *next_url);
void isg__gh_cache_remove(isg_github *gh, const char *url);
void isg__gh_count_status(isg_github *gh, int endpoint, int status);
double isg__gh_now(const isg_github *gh);
/* Calls the sleep function and counts the wait; ISG_ECANCELLED when it
 * asks to stop. */
int isg__gh_wait(isg_github *gh, double seconds);
/* A uniform random number in [0, 1). */
double isg__gh_random(isg_github *gh);

#endif /* ISSUESIGHT_GITHUB_INT_H */
