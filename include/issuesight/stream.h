/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/stream.h
 * @brief Redis Streams: a producer and a consumer group with pending-first
 *        restart, claim of abandoned entries, acknowledgement only after
 *        success, and a dead-letter stream.
 *
 * Streams are named by a short name ("tasks", "contexts", "dead") to which
 * the handle's key prefix is prepended: with the default prefix `is:` they
 * are the keys `is:tasks`, `is:contexts` and `is:dead` of DESIGN.md. Tests
 * use a unique prefix so that they never share a stream.
 *
 * Message format: every entry has exactly one field, `data`, holding a
 * JSON object with an integer `schema_version`. isg_stream_add() refuses
 * anything else, and a consumer moves any entry that is not of this form
 * (not JSON, no `schema_version`, another version, no `data` field) to the
 * dead-letter stream instead of handing it to its callback.
 *
 * Dead letters: an entry in `<prefix>dead` with the fields `stream` (the
 * original key), `id` (the original entry id), `group`, `consumer`,
 * `reason` (one sentence), `deliveries` (how many times it was delivered)
 * and `data` (the original payload, verbatim, possibly empty). Moving an
 * entry there and acknowledging it in its own stream is one atomic step.
 *
 * Delivery is at-least-once: a handler may see an entry again after a
 * consumer died between doing the work and acknowledging it, so its
 * effects must be idempotent. isg_stream_add_once() helps a handler push
 * a follow-up message exactly once.
 */
#ifndef ISSUESIGHT_STREAM_H
#define ISSUESIGHT_STREAM_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/**
 * Short name of the stream of submitted issues (`is:tasks`). A message is
 * `{"schema_version": 1, "owner", "repo", "number", "requested_by"?,
 * "lock"?}`; `lock` is the issue lock the gateway took for the worker
 * (isg_lock_token_format() text of `is:lock:issue:{owner}/{repo}#{n}`,
 * docs/gateway.md "The issue lock").
 */
#define ISG_STREAM_TASKS "tasks"
/**
 * Short name of the stream of collected contexts (`is:contexts`); the
 * message is described in collector.h. A task's `lock` is copied into it
 * unchanged: the worker extends that lock while it generates, stores the
 * bridge with its fence and releases it (or takes the lock itself when
 * there is none or it expired).
 */
#define ISG_STREAM_CONTEXTS "contexts"
/** Short name of the dead-letter stream (`is:dead`). */
#define ISG_STREAM_DEAD "dead"
/** The default key prefix. */
#define ISG_STREAM_DEFAULT_PREFIX "is:"
/** Size of a buffer for an entry id ("1700000000000-0"), NUL included. */
#define ISG_STREAM_ID_SIZE 48

/**
 * A connection to Redis used to produce messages, and the naming and
 * trimming rules shared by the consumers made from it.
 *
 * Thread rule: one thread at a time. Consumers made from it have their
 * own connection and may be used by another thread each, but must be
 * freed before it.
 */
typedef struct isg_stream isg_stream;

/** The current version of ::isg_stream_options. */
#define ISG_STREAM_OPTIONS_VERSION 1

/** Options of isg_stream_new(). Zero means the documented default. */
typedef struct isg_stream_options {
	/** Must be ::ISG_STREAM_OPTIONS_VERSION. */
	unsigned int version;
	/** `redis://[[user]:password@]host[:port][/db]`. Required. Copied.
	 * The password is sent with AUTH and never appears in a message. */
	const char *redis_url;
	/** Key prefix (default "is:", at most 64 bytes). Copied. */
	const char *prefix;
	/** Approximate length cap of each stream, applied on every add with
	 * `XADD MAXLEN ~ n` (default 100000; negative: never trim). Redis
	 * trims whole nodes, so a stream may stay somewhat longer. */
	long long maxlen;
	/** Milliseconds to wait for the connection (default 2000). */
	int connect_timeout_ms;
	/** Milliseconds to wait for a reply (default 5000). */
	int command_timeout_ms;
} isg_stream_options;

/** Default options (redis_url must still be set). */
#define ISG_STREAM_OPTIONS_INIT                                 \
	{                                                       \
		ISG_STREAM_OPTIONS_VERSION, NULL, NULL, 0, 0, 0 \
	}

/**
 * Connect to Redis.
 *
 * @param out receives the handle, owned by the caller; NULL on error.
 * @param opts the options; redis_url is required.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field or URL (password
 *         masked); ::ISG_EUNSUPPORTED for `rediss://`; ::ISG_EUNAVAILABLE
 *         when Redis cannot be reached; ::ISG_EAUTH when AUTH is refused;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_stream_new(isg_stream **out, const isg_stream_options *opts);

/**
 * Connect with the settings `REDIS_URL`, `STREAM_PREFIX` and
 * `STREAM_MAXLEN`.
 *
 * @return as isg_stream_new().
 */
ISG_API int isg_stream_new_from_config(isg_stream **out, const isg_config *cfg);

/** Close the connection and free the handle. NULL is a no-op. */
ISG_API void isg_stream_free(isg_stream *s);

/**
 * The Redis key of a stream: the prefix followed by `name`.
 *
 * @param out replaced with the key.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_stream_key(isg_buf *out, const isg_stream *s, const char *name);

/**
 * Append a message to a stream, trimming it approximately to `maxlen`.
 *
 * @param out receives the new entry id (may be NULL).
 * @param name the stream's short name ("tasks").
 * @param json a JSON object with an integer `schema_version`.
 * @param len bytes of `json`.
 * @return ::ISG_OK; ::ISG_EINVALID when `json` is not such an object (the
 *         message says why); ::ISG_EUNAVAILABLE, ::ISG_ETIMEOUT,
 *         ::ISG_EBACKEND from Redis; ::ISG_ENOMEM.
 */
ISG_API int isg_stream_add(char out[ISG_STREAM_ID_SIZE], isg_stream *s,
                           const char *name, const char *json, size_t len);

/**
 * Append a message unless one with the same `dedupe` key was added in the
 * last `ttl_s` seconds: the key `<prefix>dedupe:<dedupe>` is set and the
 * entry added in one atomic script, so that a handler retried after a
 * crash pushes its follow-up message once.
 *
 * @param out receives the new entry id (may be NULL).
 * @param dedupe the idempotency key, e.g. the id of the entry being
 *        handled. Required, non-empty.
 * @param ttl_s how long the key is remembered (> 0).
 * @return ::ISG_OK when added; ::ISG_ECONFLICT when the key was already
 *         set (nothing added; `out` is ""); otherwise as
 *         isg_stream_add().
 */
ISG_API int isg_stream_add_once(char out[ISG_STREAM_ID_SIZE], isg_stream *s,
                                const char *name, const char *dedupe, int ttl_s,
                                const char *json, size_t len);

/**
 * The number of entries in a stream (0 when it does not exist).
 *
 * @return ::ISG_OK or an error from Redis.
 */
ISG_API int isg_stream_len(long long *out, isg_stream *s, const char *name);

/**
 * The first `count` entries of a stream after `after_id` (exclusive; NULL
 * or "" for the beginning), oldest first, as a JSON array of objects
 * `{"id": "...", "fields": {"name": "value", ...}}`. Field values that are
 * not valid UTF-8 are repaired with U+FFFD.
 *
 * @param out replaced with the JSON text.
 * @param count entries at most (1 to 10000).
 * @return ::ISG_OK; ::ISG_EINVALID for a bad count; errors from Redis.
 */
ISG_API int isg_stream_range(isg_buf *out, isg_stream *s, const char *name,
                             const char *after_id, int count);

/** State of a consumer group, filled by isg_stream_group_info(). */
typedef struct isg_stream_group_info {
	long long length;    /**< Entries in the stream. */
	long long pending;   /**< Delivered but not acknowledged. */
	long long lag;       /**< Not yet delivered; -1 when Redis < 7
	                          cannot tell. */
	long long consumers; /**< Consumers known to the group. */
	/** The last id delivered to the group. */
	char last_delivered_id[ISG_STREAM_ID_SIZE];
} isg_stream_group_info;

/**
 * Read a consumer group's state (`XINFO GROUPS`).
 *
 * @return ::ISG_OK; ::ISG_ENOTFOUND when the stream or the group does not
 *         exist; errors from Redis.
 */
ISG_API int isg_stream_group_info_get(isg_stream_group_info *out, isg_stream *s,
                                      const char *name, const char *group);

/* ---- Consumers -------------------------------------------------------- */

/**
 * A member of a consumer group reading one stream.
 *
 * Thread rule: one thread at a time; it has its own Redis connection.
 */
typedef struct isg_stream_consumer isg_stream_consumer;

/** The current version of ::isg_stream_consumer_options. */
#define ISG_STREAM_CONSUMER_OPTIONS_VERSION 1

/** Options of isg_stream_consumer_new(). Zero means the default. */
typedef struct isg_stream_consumer_options {
	/** Must be ::ISG_STREAM_CONSUMER_OPTIONS_VERSION. */
	unsigned int version;
	/** The stream's short name ("tasks"). Required. */
	const char *stream;
	/** The group's name ("collectors"). Required. Created when missing,
	 * reading the stream from its beginning. */
	const char *group;
	/** This consumer's name, unique among live consumers of the group
	 * and stable across a restart so that it finds its own pending
	 * entries (e.g. "host:1"). Required. */
	const char *consumer;
	/** Entries per read (default 16, max 1000). */
	int count;
	/** How long a poll waits for new entries, in ms (default 1000;
	 * negative: do not wait). */
	int block_ms;
	/** Entries pending longer than this (ms) in any consumer, this one
	 * included, are claimed and delivered again (default 60000). */
	long long claim_idle_ms;
	/** After this many deliveries an entry whose handler failed, or
	 * that keeps being abandoned, goes to the dead-letter stream
	 * (default 5). */
	int max_deliveries;
	/** The `schema_version` the handler understands (default 1); other
	 * versions are dead-lettered. */
	int schema_version;
} isg_stream_consumer_options;

/** Default options (stream, group and consumer must still be set). */
#define ISG_STREAM_CONSUMER_OPTIONS_INIT                                     \
	{                                                                    \
		ISG_STREAM_CONSUMER_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, \
		        0, 0, 0                                              \
	}

/** An entry handed to a handler. Every pointer is valid only during the
 * call. */
typedef struct isg_stream_message {
	const char *stream;   /**< The stream's key ("is:tasks"). */
	const char *id;       /**< The entry id. */
	const char *data;     /**< The JSON object, NUL-terminated. */
	size_t len;           /**< Bytes of `data`. */
	int schema_version;   /**< Its `schema_version`. */
	long long deliveries; /**< 1 on the first delivery. */
} isg_stream_message;

/**
 * A handler. Its return decides the entry's fate:
 * - ::ISG_OK: the work's effects are committed; the entry is acknowledged.
 * - ::ISG_EINVALID, ::ISG_EPARSE, ::ISG_ENOTFOUND, ::ISG_EGONE: the
 *   message can never succeed; it goes to the dead-letter stream at once
 *   with isg_error_last()'s message as the reason.
 * - ::ISG_ECANCELLED: the consumer is stopping; the entry stays pending
 *   and the poll returns ::ISG_ECANCELLED at once.
 * - any other error: the entry stays pending and is delivered again after
 *   `claim_idle_ms`; when this was delivery `max_deliveries`, it goes to
 *   the dead-letter stream with the error as the reason.
 */
typedef int (*isg_stream_handler)(const isg_stream_message *msg, void *payload);

/**
 * A handler's return value (positive, so never an error code) meaning
 * "taken, finished later": the entry stays pending in this consumer,
 * counted neither as acknowledged nor as failed. The caller finishes it
 * with isg_stream_consumer_ack() or isg_stream_consumer_dead(), and keeps
 * it from being claimed meanwhile with isg_stream_consumer_touch(). Lets
 * one thread work on many entries at once (the worker's model calls).
 */
#define ISG_STREAM_DEFER 1

/**
 * Join a consumer group, creating the group (and the stream) if missing.
 *
 * @param out receives the consumer, owned by the caller.
 * @param s the stream handle; it must outlive the consumer.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad option; errors from
 *         Redis; ::ISG_ENOMEM.
 */
ISG_API int isg_stream_consumer_new(isg_stream_consumer **out, isg_stream *s,
                                    const isg_stream_consumer_options *opts);

/** Leave (the group keeps the consumer's pending entries) and free. NULL
 * is a no-op. */
ISG_API void isg_stream_consumer_free(isg_stream_consumer *c);

/** What one poll did, filled by isg_stream_consumer_poll(). */
typedef struct isg_stream_poll_stats {
	long long delivered; /**< Entries handed to the handler. */
	long long acked;     /**< Acknowledged after success. */
	long long failed;    /**< Left pending after a handler error. */
	long long dead;      /**< Moved to the dead-letter stream. */
	long long claimed;   /**< Claimed from idle consumers. */
} isg_stream_poll_stats;

/**
 * Do one round of work: first this consumer's own pending entries (after
 * a restart, until none is left), then entries idle longer than
 * `claim_idle_ms` in any consumer, then new entries, waiting up to
 * `block_ms` for them. Each entry goes to `handler` (or to the
 * dead-letter stream when malformed).
 *
 * @param out receives what was done (may be NULL).
 * @return ::ISG_OK (also when there was nothing to do or a handler
 *         failed); ::ISG_ECANCELLED when a handler returned it; errors
 *         from Redis (the group is recreated when Redis lost it).
 */
ISG_API int isg_stream_consumer_poll(isg_stream_poll_stats *out,
                                     isg_stream_consumer *c,
                                     isg_stream_handler handler, void *payload);

/**
 * Change how many entries a poll reads at most (1 to 1000) and how long
 * it waits for new ones (ms; negative: do not wait), e.g. to read only as
 * many entries as there are free slots, without waiting while deferred
 * entries are being worked on.
 *
 * @return ::ISG_OK or ::ISG_EINVALID.
 */
ISG_API int isg_stream_consumer_set_read(isg_stream_consumer *c, int count,
                                         int block_ms);

/**
 * Acknowledge an entry whose handler returned ::ISG_STREAM_DEFER, once
 * its effects are committed.
 *
 * @return ::ISG_OK (also when it was acknowledged already or Redis lost
 *         it); ::ISG_EINVALID; errors from Redis.
 */
ISG_API int isg_stream_consumer_ack(isg_stream_consumer *c, const char *id);

/**
 * Move a deferred entry to the dead-letter stream with a reason, and
 * acknowledge it, in one atomic step.
 *
 * @param data, len the entry's payload as handed to the handler.
 * @param deliveries its delivery count, recorded in the dead letter.
 * @param reason one sentence.
 * @return ::ISG_OK; ::ISG_EINVALID; errors from Redis.
 */
ISG_API int isg_stream_consumer_dead(isg_stream_consumer *c, const char *id,
                                     const char *data, size_t len,
                                     long long deliveries, const char *reason);

/**
 * Set the idle time of this consumer's pending entries (`XCLAIM ... IDLE
 * idle_ms JUSTID`, which does not count a delivery): 0 keeps long work
 * from being claimed by others; `claim_idle_ms` hands the entries back,
 * so that any consumer claims them at its next poll. Ids no longer
 * pending are skipped.
 *
 * @param ids, n the entry ids (n may be 0).
 * @return ::ISG_OK; ::ISG_EINVALID; errors from Redis.
 */
ISG_API int isg_stream_consumer_touch(isg_stream_consumer *c,
                                      const char *const *ids, size_t n,
                                      long long idle_ms);

ISG_END_DECLS

#endif /* ISSUESIGHT_STREAM_H */
