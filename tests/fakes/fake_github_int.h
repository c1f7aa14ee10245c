/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the fake GitHub shared by its server (fake_github.c) and
 * its data and JSON (fake_github_data.c).
 */
#ifndef ISSUESIGHT_FAKE_GITHUB_INT_H
#define ISSUESIGHT_FAKE_GITHUB_INT_H

#include <pthread.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fake_github.h"

typedef struct fg_issue {
	int number;
	int64_t id;
	char *title;
	char *body; /* NULL: JSON null */
	int is_pr;
	int closed;
	int status; /* 200, or the status it answers (404, 410, 451) */
	int user;   /* index into the user names */
	int nlabels;
	int labels[3];
	int assignee;  /* -1: none */
	int milestone; /* 0: none */
	int reactions;
	int ncomments;
	int64_t created, updated, closed_at; /* epoch seconds */
} fg_issue;

typedef struct fg_comment {
	int64_t id;
	int issue; /* number */
	char *body;
	int user;
	int64_t created, updated;
} fg_comment;

/* One answer, built under the lock and sent outside it. */
typedef struct answer {
	int status;
	char *body; /* malloc'd */
	size_t len;
	char etag[40];
	char link[2048];
	char location[512];       /* "": no Location header */
	const char *content_type; /* NULL: JSON */
	int retry_after;          /* -1: none */
	int with_rate;
	int limit, remaining;
	long long reset;
} answer;

enum {
	FG_EP_REPO,
	FG_EP_ISSUES,
	FG_EP_ISSUE,
	FG_EP_REPO_COMMENTS,
	FG_EP_ISSUE_COMMENTS,
	FG_EP_LABELS,
	FG_EP_OTHER,
	FG_EP_COMMIT,
	FG_EP_TARBALL,
	FG_EP_CODELOAD,
	FG_EP_COUNT
};

#define FG_MAX_STATUS 16
#define FG_MAX_HEADERS 64

struct fake_github {
	pthread_mutex_t mu;
	struct mg_context *ctx;
	char url[64];
	int port;
	char *owner, *repo;
	uint64_t rng;

	fg_issue *issues;
	int nissues, cap_issues;
	fg_comment *comments;
	int ncomments, cap_comments;
	int64_t next_comment_id;
	int64_t newest; /* newest updated_at served, epoch seconds */

	double clock_offset;
	int rate_limit, rate_window_s, remaining;
	long long repo_id;
	int64_t reset;

	int faults[FAKE_GITHUB_FAULT_COUNT];
	int codeload_faults[FAKE_GITHUB_FAULT_COUNT];
	int retry_after_s, delay_ms;

	struct {
		int status;
		long n;
	} counts[FG_EP_COUNT][FG_MAX_STATUS];
	int fail_armed, fail_left; /* fake_github_fail_after */
	struct fg_logged {
		char *uri;
		int status;
	} * log; /* every answered request, for fake_github_count_uri */
	int nlog, cap_log;
	char last_uri[2048];
	char *last_names[FG_MAX_HEADERS], *last_values[FG_MAX_HEADERS];
	int nlast;

	/* The repository's code (fake_github_code.c): every commit made,
	 * the last one the head of "main". */
	char head[41]; /* "": no commit yet */
	struct fg_commit {
		char sha[41];
		unsigned char *tgz;
		size_t tgz_len;
	} * commits;
	int ncommits;
};

/* Data (fake_github_data.c); callers hold fg->mu. */
int fg__generate(fake_github *fg, const fake_github_options *o);
void fg__free_data(fake_github *fg);
double fg__now(const fake_github *fg);
void fg__iso(char out[32], int64_t t);
int64_t fg__parse_iso(const char *s); /* -1 when malformed */
fg_issue *fg__find_issue(fake_github *fg, int number);
int64_t fg__bump(fake_github *fg);
cJSON *fg__issue_json(const fake_github *fg, const fg_issue *is);
cJSON *fg__comment_json(const fake_github *fg, const fg_comment *c);
cJSON *fg__repo_json(const fake_github *fg);
cJSON *fg__labels_json(const fake_github *fg);
char *fg__strdup(const char *s);

/* Code routes (fake_github_code.c); callers hold fg->mu. `rest` is the
 * path after /repos/{owner}/{repo}; returns the endpoint, or -1 when the
 * path is not a code route. With `a` NULL, only classifies. */
int fg__code_route(fake_github *fg, const char *rest, const char *accept,
                   answer *a);
/* The codeload path "/codeload/..." (FG_EP_CODELOAD), or -1. */
int fg__codeload_route(fake_github *fg, const char *path, answer *a);
void fg__code_free(fake_github *fg);

#endif /* ISSUESIGHT_FAKE_GITHUB_INT_H */
