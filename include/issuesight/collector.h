/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/collector.h
 * @brief The collector: archives GitHub issues in PostgreSQL and pushes
 *        context messages for the worker.
 *
 * A collector ties a GitHub client, a store and (optionally) a stream
 * handle together. It does three jobs, each also usable alone so that the
 * `issuesight-collector` service and the `issuesight sync` command stay
 * thin:
 *
 * - **Sync** a repository (isg_collector_sync()): the repository, every
 *   issue and pull request updated since a time, and every comment updated
 *   since then, with the fewest requests GitHub allows: one repository
 *   request, ceil(issues/100) issue pages and ceil(comments/100) comment
 *   pages (repository-wide comment listing). Each issue is upserted once
 *   into `github_issues` with GitHub's issue object as `raw_data`, its
 *   `comments` count replaced by the array of its comment objects (labels
 *   are embedded by GitHub already); an incremental sync merges new
 *   comments into the stored array by comment id. A sync can continue
 *   where the last one ended (::ISG_COLLECTOR_SYNC_CONTINUE): an
 *   interrupted full sync resumes from its page cursor, a completed one
 *   goes on with conditional requests (docs/collector.md, "Continuing a
 *   sync").
 * - **Tasks** (isg_collector_run_once()): consume `is:tasks` messages
 *   `{"schema_version": 1, "owner", "repo", "number", "requested_by"?,
 *   "lock"?}`,
 *   fetch the repository, the issue and its comments, upsert them, push a
 *   context message (below) unless it is a pull request, then acknowledge.
 *   A task is pushed at most once even if a collector dies between the
 *   push and the acknowledgement (the push is keyed by the task's entry
 *   id). Tasks for issues GitHub does not have go to `is:dead`.
 * - **Polling** tracked projects: each round leases due projects from the
 *   store (one collector per project at a time), syncs each since its
 *   last sync, and pushes a context message for every synced issue whose
 *   labels match the label filter and that has no Context Bridge yet or
 *   was updated after its bridge. A project is polled at most once per
 *   poll interval by all collectors together.
 *
 * Context message (`is:contexts`, schema_version 1): `project`
 * ("owner/repo"), `owner`, `repo`, `number`, `gh_issue_id`, `issue_id` and
 * `project_id` (store uuids), `title`, `labels` (array of names),
 * `updated_at`, `source` ("task" or "poll"), and `task_id`,
 * `requested_by` and `lock` for tasks (`lock` copied unchanged from the
 * task when it has one: the issue lock the gateway took, as
 * isg_lock_token_format() wrote it; docs/gateway.md has the contract).
 *
 * Conditional requests: a project's listing `since` is kept in
 * PostgreSQL and lags one poll behind, so that polling an unchanged
 * project repeats the same URLs and is answered with 304s that cost no
 * rate limit. The GitHub client's ETags for those URLs are saved in Redis
 * after each poll (`<prefix>gh:etags:<base_url>:<owner>/<repo>`) and
 * loaded before the next, so that a restarted collector, or another one,
 * still gets 304s. See docs/collector.md.
 */
#ifndef ISSUESIGHT_COLLECTOR_H
#define ISSUESIGHT_COLLECTOR_H

#include "buf.h"
#include "common.h"
#include "github.h"
#include "store.h"
#include "stream.h"

ISG_BEGIN_DECLS

/**
 * A collector.
 *
 * Thread rule: one thread at a time, except isg_collector_stop() (any
 * thread or a signal handler) and isg_collector_metrics() (any thread,
 * concurrently with the working thread).
 */
typedef struct isg_collector isg_collector;

/** The default label filter. */
#define ISG_COLLECTOR_DEFAULT_LABELS "good first issue,help wanted,beginner"

/** The current version of ::isg_collector_options. */
#define ISG_COLLECTOR_OPTIONS_VERSION 1

/** Options of isg_collector_new(). Zero means the documented default. */
typedef struct isg_collector_options {
	/** Must be ::ISG_COLLECTOR_OPTIONS_VERSION. */
	unsigned int version;
	/** The archive. Required; borrowed, must outlive the collector. */
	isg_store *store;
	/** The GitHub client. Required; borrowed. Its ETags make repeated
	 * polls cheap, so keep one client for the collector's life. */
	isg_github *github;
	/** Streams; NULL: no tasks, no context messages, no poll gating
	 * (a plain sync). Borrowed. */
	isg_stream *stream;
	/** Comma-separated label names (case-insensitive) that make a
	 * polled issue worth a context message; NULL: the default
	 * ::ISG_COLLECTOR_DEFAULT_LABELS; "": every issue. Copied. */
	const char *labels;
	/** This collector's consumer name (default "<host>:<pid>"). */
	const char *name;
	/** Consumer group of `is:tasks` (default "collectors"). */
	const char *group;
	/** Seconds between polls of one project (default 300). */
	int poll_interval_s;
	/** Tasks pending longer than this are claimed (default 60000). */
	long long claim_idle_ms;
	/** Deliveries before a task is dead-lettered (default 5). */
	int max_deliveries;
	/** Longest wait for a task in isg_collector_run_once(), ms (default
	 * 1000). */
	int block_ms;
	/** Seconds a polled project stays leased (default 900). */
	int lease_s;
} isg_collector_options;

/** Default options (store and github must still be set). */
#define ISG_COLLECTOR_OPTIONS_INIT                                           \
	{                                                                    \
		ISG_COLLECTOR_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, \
		        NULL, 0, 0, 0, 0, 0                                  \
	}

/**
 * Create a collector. With a stream it joins the `is:tasks` consumer
 * group (creating it when missing).
 *
 * @param out receives the collector, owned by the caller.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad option; errors of
 *         isg_stream_consumer_new(); ::ISG_ENOMEM.
 */
ISG_API int isg_collector_new(isg_collector **out,
                              const isg_collector_options *opts);

/**
 * Fill options from the settings `COLLECTOR_LABELS`,
 * `COLLECTOR_POLL_INTERVAL_S`, `COLLECTOR_CLAIM_IDLE_MS` and
 * `COLLECTOR_MAX_DELIVERIES`; other fields are left as they are. The
 * label string stays borrowed from `cfg`.
 *
 * @return ::ISG_OK or ::ISG_EINVALID.
 */
ISG_API int isg_collector_options_from_config(isg_collector_options *opts,
                                              const isg_config *cfg);

/** Free a collector (it leaves its pending tasks to the group). NULL is a
 * no-op. */
ISG_API void isg_collector_free(isg_collector *c);

/** What a sync did. */
typedef struct isg_collector_sync_stats {
	long long issues;         /**< Issues and pull requests upserted. */
	long long pull_requests;  /**< Of which pull requests. */
	long long comments;       /**< Comments received. */
	long long contexts;       /**< Context messages pushed. */
	long long requests;       /**< GitHub requests sent (304s too). */
	long long not_modified;   /**< Of which answered 304. */
	long long rate_remaining; /**< Last `x-ratelimit-remaining`, or -1. */
	double seconds_waited;    /**< Time spent waiting for limits. */
	double seconds;           /**< Wall time of the sync. */
	/** What the sync was: an ::isg_collector_sync_kind. */
	int kind;
	/** Listing pages stored and recorded as the cursor of an unfinished
	 * full sync (::ISG_COLLECTOR_SYNC_CONTINUE and
	 * ::ISG_COLLECTOR_SYNC_FULL only). */
	long long pages_committed;
} isg_collector_sync_stats;

/** What a sync was, in isg_collector_sync_stats.kind. */
typedef enum isg_collector_sync_kind {
	/** Everything was listed. */
	ISG_COLLECTOR_SYNC_KIND_FULL = 0,
	/** Only what changed since a time, or the recorded listing state
	 * with its saved ETags (unchanged pages answer 304). */
	ISG_COLLECTOR_SYNC_KIND_INCREMENTAL = 1,
	/** An unfinished full sync went on from its cursor. */
	ISG_COLLECTOR_SYNC_KIND_RESUMED = 2
} isg_collector_sync_kind;

/** How isg_collector_sync() uses the project's recorded state, in
 * isg_collector_sync_options.mode. */
typedef enum isg_collector_sync_mode {
	/** One pass as asked (`since`, `record`); the recorded state is not
	 * read. The default. */
	ISG_COLLECTOR_SYNC_ONCE = 0,
	/**
	 * Continue where the last sync ended, and record where this one
	 * ends, in the store (`since` must be NULL; `record` is implied):
	 * - an unfinished full sync (interrupted, stopped, failed) goes on
	 *   from its cursor: the pages it stored are not fetched again;
	 * - after a completed sync, the listing state is that of a poll
	 *   (`sync_since`, lagging one sync behind) with the ETags saved in
	 *   the store, so an unchanged repository costs only 304s, which
	 *   spend no rate limit, and an edit or a new comment is picked up;
	 * - a project never synced gets a full sync.
	 * A full sync stores each listing page as it arrives and records
	 * the next page's URL as its cursor.
	 */
	ISG_COLLECTOR_SYNC_CONTINUE = 1,
	/** As ::ISG_COLLECTOR_SYNC_CONTINUE, but everything is listed again
	 * without conditional requests (the client's remembered entries are
	 * forgotten); its first stored page replaces the cursor of an
	 * unfinished sync. */
	ISG_COLLECTOR_SYNC_FULL = 2
} isg_collector_sync_mode;

/**
 * Progress callback of a sync, called every 100 items (after each stored
 * page instead, in a full or resumed sync of the modes that record a
 * cursor) and at the end.
 * `s` is valid only during the call. Return 0 to go on; non-zero stops the
 * sync with ::ISG_ECANCELLED. Nothing is half-written: in
 * ::ISG_COLLECTOR_SYNC_ONCE issues are upserted after the listings; in
 * the other modes each page is stored whole, then its cursor recorded,
 * and the next sync goes on from there.
 */
typedef int (*isg_collector_progress_cb)(const isg_collector_sync_stats *s,
                                         void *payload);

/** The current version of ::isg_collector_sync_options (1 and 2 are
 * still accepted: 1 lacks `record`, 2 lacks `mode`). */
#define ISG_COLLECTOR_SYNC_OPTIONS_VERSION 3

/** Options of isg_collector_sync(). */
typedef struct isg_collector_sync_options {
	/** Must be ::ISG_COLLECTOR_SYNC_OPTIONS_VERSION. */
	unsigned int version;
	/** Only what changed at or after this ISO 8601 time; NULL: all. */
	const char *since;
	/** Non-zero: push context messages for matching issues (needs a
	 * stream). */
	int push_contexts;
	/** Label filter for those messages; NULL: the collector's. */
	const char *labels;
	/** Progress callback, or NULL. */
	isg_collector_progress_cb progress;
	/** Passed to `progress`. */
	void *progress_payload;
	/** Non-zero: after a successful full sync (`since` NULL), record it
	 * in the store (isg_store_project_record_sync()): its start becomes
	 * the project's `last_synced_at` and the `since` of the next poll,
	 * so that polling goes on from there. A sync with `since` is not
	 * recorded: it leaves older issues out. Since version 2. */
	int record;
	/** An ::isg_collector_sync_mode (default ::ISG_COLLECTOR_SYNC_ONCE).
	 * Since version 3. */
	int mode;
} isg_collector_sync_options;

/** Default sync options: everything, no context messages, not
 * recorded, the recorded state not read. */
#define ISG_COLLECTOR_SYNC_OPTIONS_INIT                                        \
	{                                                                      \
		ISG_COLLECTOR_SYNC_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, \
		        0, 0                                                   \
	}

/**
 * Sync one repository into the store (see the top of this header).
 *
 * @param out receives what was done (may be NULL); filled on errors too.
 * @param opts options, or NULL for the defaults.
 * @return ::ISG_OK; ::ISG_EINVALID for bad names or options;
 *         ::ISG_ECANCELLED when stopped; GitHub errors (::ISG_ENOTFOUND
 *         for an unknown repository, ::ISG_ERATELIMIT when the wait
 *         would be too long, ...); store errors.
 */
ISG_API int isg_collector_sync(isg_collector_sync_stats *out, isg_collector *c,
                               const char *owner, const char *repo,
                               const isg_collector_sync_options *opts);

/**
 * Mark a repository for polling, fetching it from GitHub to upsert the
 * project first when the store does not know it.
 *
 * @param out receives the project's uuid (may be NULL).
 * @param tracked 1 to start polling, 0 to stop.
 * @return ::ISG_OK; ::ISG_EINVALID; GitHub and store errors.
 */
ISG_API int isg_collector_track(char out[ISG_STORE_ID_SIZE], isg_collector *c,
                                const char *owner, const char *repo,
                                int tracked);

/** What one isg_collector_run_once() did. */
typedef struct isg_collector_round {
	long long tasks_done;      /**< Tasks acknowledged. */
	long long tasks_failed;    /**< Tasks left pending after an error. */
	long long tasks_dead;      /**< Tasks moved to `is:dead`. */
	long long projects_polled; /**< Projects synced by polling. */
	long long contexts;        /**< Context messages pushed. */
} isg_collector_round;

/**
 * One round of the service loop: refresh the heartbeat, handle a batch of
 * tasks (waiting up to `block_ms` for one), and, when due, poll the
 * tracked projects. Needs a stream.
 *
 * @param out receives what was done (may be NULL).
 * @return ::ISG_OK; ::ISG_ECANCELLED after isg_collector_stop() (the task
 *         in progress stays pending); ::ISG_ESTATE without a stream;
 *         Redis and store errors (the service logs them and goes on).
 */
ISG_API int isg_collector_run_once(isg_collector_round *out, isg_collector *c);

/**
 * Poll every tracked project that is due now (not polled by any collector
 * in the last `poll_interval_s`), each under a store lease, and push its
 * context messages. isg_collector_run_once() calls it every
 * `poll_interval_s`.
 *
 * @param out receives what was done (may be NULL).
 * @return ::ISG_OK (a failing project is logged and skipped);
 *         ::ISG_ECANCELLED; ::ISG_ESTATE without a stream; store errors.
 */
ISG_API int isg_collector_poll(isg_collector_round *out, isg_collector *c);

/**
 * Ask the collector to stop: the running or next call returns
 * ::ISG_ECANCELLED as soon as it can, without acknowledging the task in
 * progress. Async-signal-safe: call it from a SIGTERM handler.
 */
ISG_API void isg_collector_stop(isg_collector *c);

/** 1 when isg_collector_stop() was called. */
ISG_API int isg_collector_stopping(const isg_collector *c);

/**
 * Write the key `<prefix>collector:heartbeat:<name>` with the current
 * time and a time to live, so that monitors can see which collectors are
 * alive. Called by isg_collector_run_once() every few seconds.
 *
 * @param ttl_s the key's time to live (> 0).
 * @return ::ISG_OK; ::ISG_ESTATE without a stream; Redis errors.
 */
ISG_API int isg_collector_heartbeat(isg_collector *c, int ttl_s);

/**
 * The collector's metrics in the Prometheus text exposition format
 * 0.0.4: GitHub requests by endpoint and status, 304s, waits, rate limit
 * remaining, issues and comments upserted, tasks, context messages, and
 * the `is:tasks` group's lag and pending count.
 *
 * Thread rule: safe from any thread while another runs the collector (it
 * reads a snapshot taken by the working thread).
 *
 * @param out replaced with the text.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_collector_metrics(isg_buf *out, isg_collector *c);

/**
 * 1 while the collector is healthy: its last round ended less than a
 * minute ago and did not fail on Redis or the store.
 *
 * Thread rule: safe from any thread.
 */
ISG_API int isg_collector_healthy(isg_collector *c);

ISG_END_DECLS

#endif /* ISSUESIGHT_COLLECTOR_H */
