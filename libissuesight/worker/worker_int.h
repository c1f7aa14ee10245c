/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the worker area: the handle, a job, and the stages the
 * driver (worker.c) calls: preparing a job from a message
 * (worker_job.c), writing its result (worker_commit.c), the janitor
 * (worker_janitor.c) and the counters (worker_metrics.c).
 */
#ifndef ISSUESIGHT_WORKER_INT_H
#define ISSUESIGHT_WORKER_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "issuesight/bridge.h"
#include "issuesight/bridge_llm.h"
#include "issuesight/engine.h"
#include "issuesight/issue.h"
#include "issuesight/repo.h"
#include "issuesight/worker.h"

#define ISG__WORKER_NAME_MAX 200
#define ISG__WORKER_REASON_MAX 512

/* Where a job is. */
enum {
	ISG__WORKER_JOB_MODEL = 0, /* waiting for the engine */
	ISG__WORKER_JOB_WRITE = 1, /* result ready, to be written */
	ISG__WORKER_JOB_DONE = 2   /* written or given up: to be freed */
};

/* One context message being worked on. */
typedef struct isg__worker_job {
	struct isg__worker_job *next;
	isg_worker *w;
	int state;
	/* The stream entry. */
	char entry_id[ISG_STREAM_ID_SIZE];
	char *data;
	size_t len;
	long long deliveries;
	/* The issue. */
	char owner[128], repo[128], full[260];
	long long number;
	char source[16];
	char requested_by[64];
	char issue_id[ISG_STORE_ID_SIZE];
	char content_id[ISG_STORE_ID_SIZE];
	/* The issue lock held for the job. */
	char lock_key[320];
	isg_lock_token lock;
	int have_lock;
	/* The inputs of the engine (kept until its callback). */
	isg_repo *repo_h;
	isg_issue *issue;
	const char **comments;
	isg_bridge *offline;
	isg_bridge_llm_input in;
	/* The result. */
	isg_bridge *bridge; /* owned; NULL means the offline one */
	int llm;
	char model[128];
	long long prompt_tokens, completion_tokens;
	int status;    /* ISG_OK, or why the job failed */
	int permanent; /* 1: make the bridge FAILED with `reason` */
	char reason[ISG__WORKER_REASON_MAX];
	int64_t next_write_ms;
	int64_t started_ms;
} isg__worker_job;

/* Latency histogram buckets of the model (seconds). */
#define ISG__WORKER_BUCKETS 10

/* Counters, guarded by `mu` so that metrics can be read from any
 * thread. */
typedef struct isg__worker_counters {
	isg_worker_stats s;
	long long latency_bucket[ISG__WORKER_BUCKETS + 1];
	double latency_sum_s;
	long long latency_count;
} isg__worker_counters;

struct isg_worker {
	isg_store *store;
	isg_github *github;
	isg_stream *stream;
	isg_lock *lock;
	isg_reader *reader;
	isg_llm *llm;
	isg_engine *engine;
	isg_stream_consumer *consumer;
	const isg_config *config;
	char *cache_dir;
	char name[ISG__WORKER_NAME_MAX + 1];
	char group[ISG__WORKER_NAME_MAX + 1];
	int concurrency;
	long long claim_idle_ms;
	int max_deliveries;
	int block_ms;
	long long lock_ttl_ms;
	int janitor_interval_s;
	int llm_for_poll;
	volatile sig_atomic_t stop;
	isg__worker_job *jobs; /* in flight, newest first */
	int njobs;
	int64_t last_touch_ms;
	int64_t last_janitor_ms;
	pthread_mutex_t mu;
	isg__worker_counters c;
	int64_t last_round_ms; /* under mu */
	int last_round_ok;     /* under mu */
};

/* Counts under the mutex: `field` is a member of isg_worker_stats. */
#define ISG__WORKER_COUNT(w, field, n)          \
	do {                                    \
		pthread_mutex_lock(&(w)->mu);   \
		(w)->c.s.field += (n);          \
		pthread_mutex_unlock(&(w)->mu); \
	} while (0)

/* worker_job.c: reads a message into a new job and does everything up
 * to the model: the content row, the unlock of `requested_by`, the
 * lock, the snapshot, the index and the offline bridge. Returns ISG_OK
 * with *out (the job to run or write), ISG_OK with *out NULL when the
 * bridge is done already, or an error for the stream (permanent errors
 * dead-letter the entry). */
int isg__worker_prepare(isg__worker_job **out, isg_worker *w,
                        const isg_stream_message *msg);
/* Frees a job and everything it holds. NULL is a no-op. */
void isg__worker_job_free(isg__worker_job *job);

/* worker_commit.c: writes a finished job (COMPLETED, or FAILED when
 * `permanent`), drops the cache entry, releases the lock and
 * acknowledges the entry; moves the job to DONE, or leaves it in WRITE
 * with `next_write_ms` set when PostgreSQL is down. */
void isg__worker_commit(isg__worker_job *job);
/* Makes the job's bridge FAILED with `reason` (copied first: it may be
 * the thread's error message) and releases its lock; returns `rc` with
 * the reason as the thread's error, for the stream's dead letter. */
int isg__worker_give_up(isg__worker_job *job, int rc, const char *reason);
/* Releases the job's issue lock if it holds one. */
void isg__worker_unlock(isg__worker_job *job);

/* worker_janitor.c: see isg_worker_janitor(). */
int isg__worker_janitor_run(long long *out, isg_worker *w);

/* worker_metrics.c: records one engine result. */
void isg__worker_metrics_engine(isg_worker *w, const isg_engine_result *r);

#endif /* ISSUESIGHT_WORKER_INT_H */
