/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the collector shared by collector.c (service loop, tasks,
 * polling, metrics) and collector_sync.c (repository sync).
 */
#ifndef ISSUESIGHT_COLLECTOR_INT_H
#define ISSUESIGHT_COLLECTOR_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "issuesight/collector.h"

#define ISG__COLLECTOR_NSTATUS 14

/* Counters the metrics endpoint reads from another thread. */
typedef struct isg__collector_metrics {
	long long issues, comments, contexts;
	long long tasks_done, tasks_failed, tasks_dead;
	long long polls, poll_errors, syncs;
	long long lag, pending; /* -1: unknown */
	isg_github_stats gh;
	uint64_t by_status[ISG_GITHUB_EP_COUNT][ISG__COLLECTOR_NSTATUS];
	int64_t last_round_ms; /* monotonic; 0: never */
	int last_round_rc;
} isg__collector_metrics;

struct isg_collector {
	isg_store *store;
	isg_github *gh;
	isg_stream *stream;
	isg_stream_consumer *consumer;
	char *labels;
	char name[200];
	char group[100];
	int poll_interval_s;
	long long claim_idle_ms;
	int max_deliveries;
	int block_ms;
	int lease_s;
	/* Set by isg_collector_stop() from any thread or a signal handler:
	 * a lock-free atomic is both thread-safe and async-signal-safe. */
	atomic_int stop;
	int64_t last_heartbeat_ms;
	int64_t last_poll_ms;
	int64_t last_lag_ms;
	/* Round counters of the handler in progress. */
	isg_collector_round *round;
	pthread_mutex_t mu;
	isg__collector_metrics m; /* guarded by mu */
};

/* The HTTP statuses the metrics distinguish (0: no answer). */
extern const int isg__collector_statuses[ISG__COLLECTOR_NSTATUS];

/* Where a context message comes from. */
typedef struct isg__context_src {
	const char *source;       /* "task" or "poll" */
	const char *task_id;      /* entry id of the task, or NULL */
	const char *requested_by; /* or NULL */
	const char *lock;         /* the task's issue lock token, or NULL */
} isg__context_src;

/* Upserts one issue given GitHub's issue object (`doc`, modified: its
 * "comments" becomes the merged comment array) and pushes a context
 * message when `push` says so. `listed` holds the comments received for it
 * (array, may be NULL); `complete` says whether they are all of them
 * (else they are merged with the stored ones). */
int isg__collector_store_issue(isg_collector *c, const char *project_id,
                               const char *full_name, cJSON *doc,
                               const cJSON *listed, int complete,
                               const char *labels, int push,
                               const isg__context_src *src,
                               isg_collector_sync_stats *st);

/* Upserts the project of `owner/repo`: fetches the repository (a 304 reads
 * the stored project). */
int isg__collector_project(char out[ISG_STORE_ID_SIZE], isg_collector *c,
                           const char *owner, const char *repo);

/* 1 when one of the issue's labels is in the comma-separated `filter`
 * (case-insensitive); an empty filter matches everything. */
int isg__collector_labels_match(const cJSON *issue, const char *filter);

/* Copies the GitHub counters into the metrics snapshot (takes mu). */
void isg__collector_snapshot(isg_collector *c);

/* Polls every due tracked project once (store lease per project). */
int isg__collector_poll_all(isg_collector *c, isg_collector_round *round);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void isg__collector_iso_now(char *out, size_t n);

/* Imports the ETags saved in Redis for owner/repo into the GitHub client,
 * when they were saved for the store's `synced_at` (collector_etags.c). */
int isg__collector_etags_load(isg_collector *c, const char *owner,
                              const char *repo, const char *synced_at);

/* Replaces the saved ETags of owner/repo with the client's entries for
 * the URLs the next poll sends (listings with `since`, NULL: full). */
int isg__collector_etags_save(isg_collector *c, const char *owner,
                              const char *repo, long long repo_id,
                              const char *synced_at, const char *since);

/* Whether the next listing of owner/repo with `since` (NULL: full) sends
 * `url` (the repository, or a page of the issue or comment listing). */
int isg__collector_etags_wanted(const char *url, const char *base,
                                const char *owner, const char *repo,
                                long long repo_id, const char *since);

/* The plan of a sync that continues where the last one ended
 * (collector_resume.c), made from the project's recorded state. */
typedef struct isg__collector_plan {
	char project_id[ISG_STORE_ID_SIZE];
	long long repo_id;
	int kind; /* isg_collector_sync_kind */
	/* When the sync started (for a resumed one: the unfinished sync's
	 * start); recorded as last_synced_at when it completes. */
	char started[ISG_STORE_TIME_SIZE];
	char since[ISG_STORE_TIME_SIZE];      /* "": a full listing */
	char since_next[ISG_STORE_TIME_SIZE]; /* "": none */
	char *cursor; /* NULL, "comments" or the next page's URL */
} isg__collector_plan;

/* Plans a sync in `mode` (CONTINUE or FULL): reads the recorded state,
 * imports the saved ETags it may use, and upserts the project (the
 * repository request). `now` is this sync's start. */
int isg__collector_resume_plan(isg__collector_plan *out, isg_collector *c,
                               const char *owner, const char *repo, int mode,
                               const char *now);
void isg__collector_resume_dispose(isg__collector_plan *p);

/* Saves a full sync's cursor (NULL: leave it) with the client's ETags for
 * the URLs of a listing with `since` (NULL: full), stamped `stamp`. */
int isg__collector_resume_save(isg_collector *c, const isg__collector_plan *p,
                               const char *owner, const char *repo,
                               const char *cursor, const char *stamp,
                               const char *since);

/* Imports the ETags saved in the store for `project_id` when they were
 * saved for `stamp` (the poll's fallback when Redis has none). */
int isg__collector_resume_load_etags(isg_collector *c, const char *project_id,
                                     const char *stamp);

/* A task message of is:tasks, checked (no Redis, no allocation kept):
 * owner and repo point into `doc`. */
typedef struct isg__collector_task {
	const char *owner, *repo, *requested_by;
	const char *lock; /* the gateway's issue lock token, or NULL */
	int64_t number;
} isg__collector_task;

/* Parses and checks a task message; on success *doc owns the strings of
 * `out` (free it with cJSON_Delete). ISG_EINVALID / ISG_EPARSE naming the
 * problem, or ISG_ENOMEM. */
int isg__collector_parse_task(isg__collector_task *out, cJSON **doc,
                              const char *id, const char *data, size_t len);

/* What the stream handler of is:tasks works for: the collector and the
 * round whose counters it adds to. */
typedef struct isg__collector_task_ctx {
	isg_collector *c;
	isg_collector_round *round;
} isg__collector_task_ctx;

/* The stream handler of is:tasks (collector_task.c): validates the task
 * and runs it; `payload` is an isg__collector_task_ctx. */
int isg__collector_task_handle(const isg_stream_message *m, void *payload);

/* Checks an owner or repository name ([A-Za-z0-9._-], 1..100). */
int isg__collector_check_name(const char *v, const char *what);

#endif /* ISSUESIGHT_COLLECTOR_INT_H */
