/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake GitHub REST API for tests and benchmarks: an in-process civetweb
 * server on 127.0.0.1 that serves a deterministic, seeded project in the
 * shapes of GitHub's recorded payloads (tests/data/github/valid/), with
 * pagination by link headers, strong ETags and 304s, x-ratelimit-* headers,
 * a primary rate limit that counts down and resets, and injectable faults
 * (secondary limits, 502s, slow and truncated answers).
 *
 * Routes, under /repos/{owner}/{repo}:
 *   ""                         the repository
 *   /issues                    state, since, per_page, page; sort=updated
 *                              asc (the only order served)
 *   /issues/{n}                one issue or pull request
 *   /issues/comments           all comments, since, per_page, page, by
 *                              updated asc
 *   /issues/{n}/comments       one issue's comments, since, per_page, page
 *   /labels                    the labels, per_page, page
 *   /commits/{ref}             the head of the default branch ("main")
 *                              or any commit made, by SHA: the SHA alone with
 *                              `Accept: application/vnd.github.sha`, else
 *                              a JSON commit; strong ETag and 304; 422
 *                              "No commit found" for another ref
 *   /tarball/{ref}             302 to /codeload/{owner}/{repo}/
 *                              legacy.tar.gz/{sha}, which serves that
 *                              commit's .tar.gz (application/x-gzip, no
 *                              rate limit: codeload is not the API)
 * Anything else is GitHub's 404 body.
 *
 * The code: a directory (options.code_dir, or fake_github_set_tree())
 * packed as GitHub packs it: a pax global header whose comment is the
 * commit, then every file under `{owner}-{repo}-{sha7}/`, in name order.
 * Each new tree is a new commit with a new SHA.
 *
 * Thread rule: every function is thread-safe (civetweb serves from worker
 * threads; tests call the control functions from their own thread).
 */
#ifndef ISSUESIGHT_FAKE_GITHUB_H
#define ISSUESIGHT_FAKE_GITHUB_H

#include <stddef.h>
#include <stdint.h>

typedef struct fake_github fake_github;

typedef struct fake_github_options {
	const char *owner; /* default "octo-org" */
	const char *repo;  /* default "hello-world" */
	int issues;        /* N items, issues and pull requests (default 250) */
	int pulls;         /* M of them are pull requests (default N/5;
	                    * negative: none) */
	int comments;      /* K comments spread over the items (default 2N) */
	uint32_t seed;     /* generation seed (default 1) */
	int rate_limit;    /* x-ratelimit-limit (default 5000) */
	int rate_window_s; /* seconds from a window's start to its reset
	                    * (default 3600) */
	int port;          /* 0: a free port in 20000..32767 */
	int threads;       /* civetweb worker threads (default 4) */
	const char *code_dir; /* the repository's code (NULL: no commit
	                       * until fake_github_set_tree()) */
	long long repo_id;    /* the repository's id (default 3544490) */
} fake_github_options;

/* Starts the server. Returns 0, or -1 (message on stderr). */
int fake_github_start(fake_github **out, const fake_github_options *opts);
/* Stops the server and frees everything. NULL is a no-op. */
void fake_github_stop(fake_github *fg);

/* "http://127.0.0.1:<port>" (borrowed, valid until stop). */
const char *fake_github_url(const fake_github *fg);
int fake_github_port(const fake_github *fg);

/* Serves `uri` (and everything under it) with `fn`: the standalone
 * server's control routes, and other projects (`fn` fake_github_serve,
 * `payload` another fake) served at this fake's address under
 * /repos/{owner}/{repo}. `fn` is a civetweb request handler. */
struct mg_connection;
typedef int (*fake_github_route_fn)(struct mg_connection *conn, void *payload);
void fake_github_route(fake_github *fg, const char *uri,
                       fake_github_route_fn fn, void *payload);
/* The request handler of a fake (`fg`), for fake_github_route. */
int fake_github_serve(struct mg_connection *conn, void *fg);

typedef enum fake_github_fault {
	/* 403 with retry-after (seconds set by fake_github_set_retry_after,
	 * default 3) and the secondary-limit body. */
	FAKE_GITHUB_SECONDARY_RETRY_AFTER = 0,
	/* 403 with the secondary-limit body and no retry-after. */
	FAKE_GITHUB_SECONDARY_NO_RETRY_AFTER = 1,
	/* 502 Bad Gateway with GitHub's body. */
	FAKE_GITHUB_502 = 2,
	/* The answer is delayed by fake_github_set_delay_ms (default 200). */
	FAKE_GITHUB_SLOW = 3,
	/* 200 with the first half of the JSON body only. */
	FAKE_GITHUB_TRUNCATED = 4,
	/* 429 with the secondary-limit body and retry-after. */
	FAKE_GITHUB_SECONDARY_429 = 5,
	FAKE_GITHUB_FAULT_COUNT = 6
} fake_github_fault;

/* The next `count` requests (of any route but codeload) get the fault;
 * faults queue in the order of the enum when several are pending. */
void fake_github_inject(fake_github *fg, fake_github_fault kind, int count);
/* The same for the next `count` codeload downloads only. */
void fake_github_inject_codeload(fake_github *fg, fake_github_fault kind,
                                 int count);
void fake_github_set_retry_after(fake_github *fg, int seconds);
void fake_github_set_delay_ms(fake_github *fg, int ms);

/* Sets the primary limit state: `remaining` requests left in the window,
 * which resets `reset_in_s` seconds from the fake's now. */
void fake_github_set_rate(fake_github *fg, int remaining, int reset_in_s);
/* Moves the fake's clock forward (rate-limit windows, updated_at of
 * mutations). The fake's now starts at the real time. */
void fake_github_advance(fake_github *fg, double seconds);
/* The fake's now in epoch seconds. */
double fake_github_now(fake_github *fg);

/* Mutations. Each bumps the item's updated_at to the fake's now (at least
 * one second after the newest updated_at served so far). */
int fake_github_edit_issue(fake_github *fg, int number, const char *title,
                           const char *body); /* 0, or -1: no such issue */
/* Adds a comment; returns its id, or -1 when the issue does not exist. */
int64_t fake_github_add_comment(fake_github *fg, int number, const char *body);
/* Adds an issue (or a pull request); returns its number. */
int fake_github_add_issue(fake_github *fg, const char *title, const char *body,
                          int is_pull_request);
/* Makes an issue answer `status` (404: deleted, 410: gone, 451), or 200
 * to restore it. Returns 0, or -1 when the issue does not exist. */
int fake_github_set_issue_status(fake_github *fg, int number, int status);
/* Sets an issue's body to `n` copies of 'x' (huge bodies). */
int fake_github_set_issue_body_size(fake_github *fg, int number, size_t n);

/* Counters. `endpoint` is "repo", "issues", "issue", "repo_comments",
 * "issue_comments", "labels", "other", "commit", "tarball", "codeload"
 * or NULL for all; `status` -1 for
 * all. */
long fake_github_count(fake_github *fg, const char *endpoint, int status);
void fake_github_reset_counts(fake_github *fg);
/* Every request after the next `n` answers 502 until called again with
 * n < 0 (a server that goes away in the middle of a listing). */
void fake_github_fail_after(fake_github *fg, int n);
/* How many requests for exactly `uri` (path and query, as
 * fake_github_last_uri() gives it) got `status` (-1: any) since the last
 * reset, and the most any one URI got. */
long fake_github_count_uri(fake_github *fg, const char *uri, int status);
long fake_github_uri_max(fake_github *fg, int status);
/* Copies the value of a header of the last request into `out` (NUL-
 * terminated, truncated to n-1). Returns 1 when present, 0 when not. */
int fake_github_last_header(fake_github *fg, const char *name, char *out,
                            size_t n);
/* Copies the last request's URI with query ("/repos/..?a=b"). */
void fake_github_last_uri(fake_github *fg, char *out, size_t n);

/* ---- The repository's code (fake_github_code.c) ---------------------- */

/* Packs `dir` as a new head commit; its SHA goes to `sha` (may be NULL).
 * Returns 0, or -1 (message on stderr). */
int fake_github_set_tree(fake_github *fg, const char *dir, char sha[41]);
/* Serves `tgz` (copied) as the tarball of the current head, whatever it
 * holds (hostile or huge archives). 0, or -1 (no commit yet). */
int fake_github_set_tarball(fake_github *fg, const void *tgz, size_t n);
/* The head SHA ("" before any commit). */
void fake_github_head(fake_github *fg, char out[41]);

/* A tar archive built in memory, for the fake and for tests that need
 * hostile archives. Zero-initialize; every call aborts on failure. */
typedef struct fake_tar {
	unsigned char *p;
	size_t n;
} fake_tar;
/* An entry: type '0' file (data, size), '5' directory, '2' symbolic
 * link and '1' hard link (to `link`). Names over 99 bytes get a pax
 * `path` record. */
void fake_tar_add(fake_tar *t, const char *name, char type, const void *data,
                  size_t size, const char *link);
/* A pax global header with `comment=<commit>`, as GitHub writes. */
void fake_tar_pax_comment(fake_tar *t, const char *commit);
/* Ends the archive and gzips it into a malloc'd buffer (*out, *n); frees
 * the tar. */
void fake_tar_gzip(fake_tar *t, unsigned char **out, size_t *n);

/* The fake's data as GitHub JSON, for assertions: counts of items. */
int fake_github_issue_count(fake_github *fg);
int fake_github_comment_count(fake_github *fg);

#endif /* ISSUESIGHT_FAKE_GITHUB_H */
