/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/reader.h
 * @brief The cache-aside reader of Context Bridges: memory, Redis, then
 *        PostgreSQL.
 *
 * isg_reader_get() looks a bridge up in three tiers:
 *
 * 1. an in-process tier holding COMPLETED bridges, bounded in bytes
 *    (least recently used first out). It is used only while the reader is
 *    subscribed to the invalidation channel, and emptied whenever the
 *    subscription (re)starts, so that a missed message cannot leave a
 *    stale bridge in memory;
 * 2. Redis, key `is:bridge:{owner}/{repo}#{n}` (owner and repository in
 *    lower case), holding every state: COMPLETED bridges for the TTL plus
 *    up to 10% random jitter, PENDING, FAILED and "no such bridge" for the
 *    short negative TTL;
 * 3. the store (PostgreSQL), the record.
 *
 * Concurrent misses of one key make one Redis and one database read: the
 * first caller loads, the others wait for its result (request
 * coalescing). When Redis cannot be reached, reads go to the store (each
 * counted as degraded) and Redis is not tried again for a second. When
 * the store cannot be reached, cached bridges are still served and misses
 * fail with ::ISG_EUNAVAILABLE.
 *
 * Bytes: a COMPLETED bridge's JSON is served exactly as the store holds
 * it, and its ETag is computed once when it is loaded, so a hit does no
 * JSON work and no copy.
 *
 * Invalidation: whoever changes a bridge (the worker after writing it,
 * the gateway after creating a PENDING row) calls isg_reader_invalidate(),
 * or does what it does: `DEL` the key and `PUBLISH` the key on the
 * channel `is:bridge:invalidate`. Every reader drops the key from memory
 * and deletes it from Redis when the message arrives.
 */
#ifndef ISSUESIGHT_READER_H
#define ISSUESIGHT_READER_H

#include <stddef.h>

#include "common.h"
#include "config.h"
#include "store.h"

ISG_BEGIN_DECLS

/** The invalidation channel. */
#define ISG_READER_CHANNEL "is:bridge:invalidate"
/** The prefix of the cache keys. */
#define ISG_READER_KEY_PREFIX "is:bridge:"
/** Size of a buffer for a cache key, NUL included. */
#define ISG_READER_KEY_SIZE 192

/**
 * The cache-aside reader.
 *
 * Thread rule: thread-safe. Any number of threads may call
 * isg_reader_get(), isg_reader_invalidate() and isg_reader_stats_get() at
 * once. It runs one background thread (the invalidation subscriber).
 */
typedef struct isg_reader isg_reader;

/** The current version of ::isg_reader_options. */
#define ISG_READER_OPTIONS_VERSION 1

/** Options of isg_reader_new(). Zero means the documented default. */
typedef struct isg_reader_options {
	/** Must be ::ISG_READER_OPTIONS_VERSION. */
	unsigned int version;
	/** The store to read from. Required; borrowed: it must outlive the
	 * reader. */
	isg_store *store;
	/** `redis://...` URL; NULL: no Redis tier and no memory tier (every
	 * read goes to the store, still coalesced). Copied. */
	const char *redis_url;
	/** Seconds a COMPLETED bridge stays in Redis (default 3600), plus
	 * up to 10% random jitter. */
	int ttl_s;
	/** Seconds PENDING, FAILED and "not found" stay in Redis (default
	 * 5; negative: never cached). */
	int negative_ttl_s;
	/** Bytes of the memory tier (default 64 MiB; negative: no memory
	 * tier). */
	long long memory_bytes;
	/** Redis connections kept for reads (default 16, max 1024). */
	int redis_pool_size;
	/** Milliseconds to connect to Redis (default 500). */
	int connect_timeout_ms;
	/** Milliseconds to wait for a Redis reply (default 1000). */
	int command_timeout_ms;
} isg_reader_options;

/** Default options (store must still be set). */
#define ISG_READER_OPTIONS_INIT                                          \
	{                                                                \
		ISG_READER_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0, 0, 0 \
	}

/**
 * A Context Bridge as the reader serves it. Immutable and shared: it
 * stays valid until isg_reader_release(), whatever happens to the cache.
 */
typedef struct isg_reader_bridge {
	/** ::ISG_STORE_COMPLETED, ::ISG_STORE_PENDING or
	 * ::ISG_STORE_FAILED. */
	int status;
	/** COMPLETED: the bridge JSON exactly as stored; FAILED: the reason
	 * a user can read; PENDING: "". NUL-terminated. */
	const char *body;
	/** Bytes of `body`. */
	size_t len;
	/** COMPLETED: a strong ETag, quotes included (`"9f2c..."`); "" for
	 * other states. */
	const char *etag;
	/** When the status last changed, ISO 8601 UTC; "" when unknown. */
	const char *updated_at;
} isg_reader_bridge;

/**
 * Create a reader and start its invalidation subscriber. Redis need not be
 * up: the reader works without it and subscribes when it appears.
 *
 * @param out receives the handle, owned by the caller.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field (the Redis URL is
 *         parsed here); ::ISG_ENOMEM; ::ISG_ERROR when the thread cannot
 *         start.
 */
ISG_API int isg_reader_new(isg_reader **out, const isg_reader_options *opts);

/**
 * Create a reader from the settings `REDIS_URL`, `CACHE_TTL_S`,
 * `CACHE_NEGATIVE_TTL_S` and `CACHE_MEMORY_BYTES` (0 there: no memory
 * tier, no negative caching).
 *
 * @param store borrowed, as in ::isg_reader_options.
 * @return as isg_reader_new().
 */
ISG_API int isg_reader_new_from_config(isg_reader **out, isg_store *store,
                                       const isg_config *cfg);

/**
 * Stop the subscriber and free the reader. NULL is a no-op. No other call
 * may be running on it; bridges not yet released stay valid.
 */
ISG_API void isg_reader_free(isg_reader *r);

/**
 * The cache key of an issue: `is:bridge:{owner}/{repo}#{n}` with owner
 * and repository lower-cased.
 *
 * @return ::ISG_OK; ::ISG_EINVALID for a name that breaks GitHub's rules
 *         (owner: letters, digits and inner hyphens, at most 39; repository:
 *         letters, digits, `.`, `_`, `-`, at most 100, not `.` or `..`) or
 *         a number outside 1..2147483647.
 */
ISG_API int isg_reader_key(char out[ISG_READER_KEY_SIZE], const char *owner,
                           const char *repo, long long number);

/**
 * Read the bridge of issue `number` of `owner/repo`.
 *
 * @param out receives a shared bridge; release it with
 *        isg_reader_release(). NULL on error.
 * @return ::ISG_OK; ::ISG_ENOTFOUND when the issue has no bridge (this
 *         answer is cached for the negative TTL); ::ISG_EINVALID for a
 *         bad name or number; ::ISG_EUNAVAILABLE or ::ISG_ETIMEOUT when
 *         the bridge is in no cache and the store cannot answer;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_reader_get(const isg_reader_bridge **out, isg_reader *r,
                           const char *owner, const char *repo,
                           long long number);

/** Release a bridge from isg_reader_get(). NULL is a no-op. */
ISG_API void isg_reader_release(const isg_reader_bridge *b);

/**
 * Forget an issue's bridge everywhere: drop it from this reader's memory,
 * `DEL` its Redis key and `PUBLISH` the key on ::ISG_READER_CHANNEL so
 * that every other reader drops it too.
 *
 * @return ::ISG_OK (also when the key was not cached); ::ISG_EINVALID;
 *         ::ISG_EUNAVAILABLE when Redis cannot be reached (this reader's
 *         memory is dropped anyway).
 */
ISG_API int isg_reader_invalidate(isg_reader *r, const char *owner,
                                  const char *repo, long long number);

/** Counters of a reader, filled by isg_reader_stats_get(). */
typedef struct isg_reader_stats {
	long long memory_hits;    /**< Served from the memory tier. */
	long long redis_hits;     /**< Served from Redis. */
	long long store_reads;    /**< Database reads (one per coalesced
	                               miss). */
	long long coalesced;      /**< Callers that waited for another
	                               caller's load. */
	long long not_found;      /**< Answers "no such bridge". */
	long long degraded;       /**< Reads that skipped a Redis that was
	                               down. */
	long long store_errors;   /**< Misses the store could not answer. */
	long long invalidations;  /**< Invalidation messages received. */
	long long memory_entries; /**< Bridges in the memory tier now. */
	long long memory_bytes;   /**< Their bytes. */
	int subscribed;           /**< 1 while the subscriber listens. */
} isg_reader_stats;

/**
 * Read the counters.
 *
 * @return ::ISG_OK or ::ISG_EINVALID for a NULL argument.
 */
ISG_API int isg_reader_stats_get(isg_reader_stats *out, isg_reader *r);

ISG_END_DECLS

#endif /* ISSUESIGHT_READER_H */
