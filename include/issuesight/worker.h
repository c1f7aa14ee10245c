/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/worker.h
 * @brief The worker: turns context messages (`is:contexts`) into stored
 *        Context Bridges, once per issue, losing nothing when a process,
 *        Redis or PostgreSQL dies mid-job.
 *
 * A worker consumes `is:contexts` (collector.h describes the message) in
 * the consumer group "workers". Per message:
 * 1. the issue is read from the store (its GitHub payload with the
 *    comments), its content row is made PENDING when it has none, and a
 *    `requested_by` user is given the content (`tutorials`);
 * 2. a content that is not PENDING is done: the entry is acknowledged;
 * 3. the issue lock is taken over (the message's `lock`, extended) or
 *    taken (lock.h); its fence goes with the write;
 * 4. the repository's snapshot at the default branch's head
 *    (isg_snapshot_fetch()) is opened and indexed (isg_repo_open()), and
 *    the offline bridge generated;
 * 5. a message a user asked for (`source` "task", or "janitor") goes to
 *    the engine (engine.h) when the worker has a chat client: up to
 *    `concurrency` jobs in flight on the one thread; proactive messages
 *    (`source` "poll") keep the offline bridge;
 * 6. one transaction (isg_store_bridge_complete()): COMPLETED with the
 *    bridge, engine, model and tokens, the concepts, the difficulty
 *    columns; only a PENDING row moves and a stale fence loses;
 * 7. the cached bridge is dropped everywhere (isg_reader_invalidate()),
 *    the lock released and the entry acknowledged.
 *
 * Failures: an unusable model answer under ::ISG_ENGINE_FALLBACK_FAIL
 * makes the bridge FAILED with the reason. Other errors (GitHub, Redis,
 * the model server after its retries) leave the entry pending; it is
 * delivered again after `claim_idle_ms`, and after `max_deliveries` the
 * bridge is FAILED with the last reason and the entry goes to `is:dead`.
 * A finished bridge whose write fails because PostgreSQL is down is kept
 * and written again every second. Entries being worked on are touched so
 * that no other worker claims them while they run.
 *
 * Janitor: PostgreSQL is the record. The worker keeps a marker key
 * (`<prefix>worker:epoch`) in Redis; when it is gone, Redis lost its
 * memory, and the worker re-enqueues every PENDING bridge as a context
 * message (`source` "janitor"), so no submission is stranded.
 *
 * Thread rule: one thread at a time, except isg_worker_stop() (any
 * thread or a signal handler), isg_worker_metrics() and
 * isg_worker_healthy() (any thread).
 */
#ifndef ISSUESIGHT_WORKER_H
#define ISSUESIGHT_WORKER_H

#include "buf.h"
#include "common.h"
#include "config.h"
#include "github.h"
#include "llm.h"
#include "lock.h"
#include "reader.h"
#include "store.h"
#include "stream.h"

ISG_BEGIN_DECLS

/** A worker. */
typedef struct isg_worker isg_worker;

/** The current version of ::isg_worker_options. */
#define ISG_WORKER_OPTIONS_VERSION 1

/** Options of isg_worker_new(). Zero means the documented default. */
typedef struct isg_worker_options {
	/** Must be ::ISG_WORKER_OPTIONS_VERSION. */
	unsigned int version;
	/** The archive. Required; borrowed, must outlive the worker. */
	isg_store *store;
	/** The GitHub client for snapshots. Required; borrowed. */
	isg_github *github;
	/** Streams. Required; borrowed. */
	isg_stream *stream;
	/** Redis locks. Required; borrowed. */
	isg_lock *lock;
	/** The cache whose entries are dropped after a write; NULL: none.
	 * Borrowed. */
	isg_reader *reader;
	/** The chat client; NULL: every bridge is offline, marked so.
	 * Borrowed, and used by this worker only (isg_engine_free()
	 * cancels its requests). */
	isg_llm *llm;
	/** Where snapshots and indexes go. Required unless `config` has
	 * `ISSUESIGHT_CACHE_DIR`. Copied. */
	const char *cache_dir;
	/** Settings read by the snapshot and index (may be NULL). Borrowed. */
	const isg_config *config;
	/** Consumer name (default "<host>:<pid>"). Copied. */
	const char *name;
	/** Consumer group (default "workers"). Copied. */
	const char *group;
	/** Model jobs in flight (default 8, at most 1000). */
	int concurrency;
	/** Pending entries idle longer are claimed (default 120000 ms). */
	long long claim_idle_ms;
	/** Deliveries before a bridge is FAILED and its entry dead
	 * (default 5). */
	int max_deliveries;
	/** Longest wait for an entry when idle, in ms (default 1000). */
	int block_ms;
	/** TTL of the issue lock while a job runs (default 900000 ms). */
	long long lock_ttl_ms;
	/** An ::isg_engine_fallback (default offline). */
	int fallback;
	/** Seconds between janitor checks (default 10). */
	int janitor_interval_s;
	/** Non-zero: proactive (`poll`) messages go to the model too. */
	int llm_for_poll;
} isg_worker_options;

/** Default options (store, github, stream and lock must be set). */
#define ISG_WORKER_OPTIONS_INIT                                              \
	{                                                                    \
		ISG_WORKER_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL,    \
		        NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0 \
	}

/**
 * Fill options from the settings `WORKER_CONCURRENCY` and
 * `WORKER_CLAIM_IDLE_MS`; other fields are left as they are.
 *
 * @return ::ISG_OK or ::ISG_EINVALID.
 */
ISG_API int isg_worker_options_from_config(isg_worker_options *opts,
                                           const isg_config *cfg);

/**
 * Create a worker and join the consumer group of `is:contexts`.
 *
 * @param out receives the worker, owned by the caller.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad option; errors of
 *         isg_stream_consumer_new() and isg_engine_new(); ::ISG_ENOMEM.
 */
ISG_API int isg_worker_new(isg_worker **out, const isg_worker_options *opts);

/** Free a worker. Jobs still in flight are dropped and their entries
 * handed back (claimable at once). NULL is a no-op. */
ISG_API void isg_worker_free(isg_worker *w);

/** What the worker has done since it was made. */
typedef struct isg_worker_stats {
	long long completed_llm;     /**< Bridges stored, model's. */
	long long completed_offline; /**< Bridges stored, offline. */
	long long failed;            /**< Bridges made FAILED. */
	long long dead;              /**< Entries moved to `is:dead`. */
	long long skipped;   /**< Entries whose bridge was done already. */
	long long retried;   /**< Jobs left pending after an error. */
	long long reclaimed; /**< Entries claimed from idle consumers. */
	long long janitor_enqueued;   /**< Context messages the janitor sent. */
	long long in_flight;          /**< Jobs in progress now. */
	long long llm_requests;       /**< Model requests. */
	long long llm_retries;        /**< Retried model attempts. */
	long long prompt_tokens;      /**< Tokens sent. */
	long long completion_tokens;  /**< Tokens received. */
	long long dropped_ungrounded; /**< Model-named paths dropped. */
} isg_worker_stats;

/**
 * Fill `out` with the counters.
 *
 * Thread rule: safe from any thread.
 *
 * @return ::ISG_OK or ::ISG_EINVALID.
 */
ISG_API int isg_worker_stats_get(isg_worker_stats *out, isg_worker *w);

/**
 * One round: the janitor when due, touch the entries in flight, take new
 * entries while there are free slots (waiting up to `block_ms` when no
 * job runs), drive the model jobs for a while, write what finished.
 *
 * @return ::ISG_OK; ::ISG_ECANCELLED after isg_worker_stop() once
 *         nothing is in flight; Redis errors (the service logs them and
 *         goes on).
 */
ISG_API int isg_worker_run_once(isg_worker *w);

/**
 * Run rounds until isg_worker_stop(), then finish the jobs in flight for
 * up to `drain_ms` and hand the rest back.
 *
 * @return ::ISG_OK.
 */
ISG_API int isg_worker_run(isg_worker *w, int drain_ms);

/**
 * Stop taking new entries; isg_worker_run() drains and returns.
 * Async-signal-safe.
 */
ISG_API void isg_worker_stop(isg_worker *w);

/**
 * Run the janitor now: when Redis lost its memory (the epoch marker is
 * gone), re-enqueue every PENDING bridge.
 *
 * @param out receives how many messages were sent (may be NULL).
 * @return ::ISG_OK; store and Redis errors.
 */
ISG_API int isg_worker_janitor(long long *out, isg_worker *w);

/**
 * The worker's metrics in the Prometheus text format 0.0.4: jobs by
 * outcome, model latency histogram, tokens, retries, reclaims, dropped
 * ungrounded claims, jobs in flight.
 *
 * Thread rule: safe from any thread.
 *
 * @param out replaced with the text.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_worker_metrics(isg_buf *out, isg_worker *w);

/**
 * 1 while the worker is healthy: its last round ended less than a minute
 * ago and did not fail on Redis.
 *
 * Thread rule: safe from any thread.
 */
ISG_API int isg_worker_healthy(isg_worker *w);

ISG_END_DECLS

#endif /* ISSUESIGHT_WORKER_H */
