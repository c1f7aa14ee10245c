/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/lock.h
 * @brief Redis locks with an owner token, checked extend and release, and
 *        a monotonically increasing fencing value.
 *
 * A lock is one Redis key set with `SET key token NX PX ttl`. The token is
 * 128 random bits that only the holder knows: extending and releasing run
 * a Lua script that changes the key only while it still holds the caller's
 * token, so a holder whose lock expired can never release or extend the
 * next holder's lock.
 *
 * Fencing: every successful acquire also returns a fencing value, larger
 * than any value returned before for the same key, even after Redis lost
 * its memory (the counter `<key>:fence` is raised to at least Redis' clock
 * in milliseconds). A holder stores its fence with the work it writes
 * (isg_store_content_complete()), and the store refuses a write whose
 * fence is lower than the recorded one: a holder that stalled past its TTL
 * loses to the one that took the lock after it.
 *
 * The issue lock of DESIGN.md is `is:lock:issue:{owner}/{repo}#{n}`
 * (isg_lock_issue_key()): the gateway takes it when a user submits an
 * issue, the worker takes it over (a fresh token), extends it while it
 * generates and releases it when the bridge is stored.
 */
#ifndef ISSUESIGHT_LOCK_H
#define ISSUESIGHT_LOCK_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** Size of a token string (32 hex digits), NUL included. */
#define ISG_LOCK_TOKEN_SIZE 33

/** Longest TTL accepted, in milliseconds (one day). */
#define ISG_LOCK_TTL_MAX_MS 86400000LL

/**
 * A held lock: the owner token and the fencing value of the acquire.
 * A plain value: copy it, put it in a message (isg_lock_token_parse()
 * reads it back), hand it to another process.
 */
typedef struct isg_lock_token {
	/** 32 lower-case hex digits, NUL-terminated. */
	char token[ISG_LOCK_TOKEN_SIZE];
	/** The fencing value, > 0. */
	long long fence;
} isg_lock_token;

/**
 * A connection to Redis for taking locks.
 *
 * Thread rule: one thread at a time (each thread makes its own).
 */
typedef struct isg_lock isg_lock;

/** The current version of ::isg_lock_options. */
#define ISG_LOCK_OPTIONS_VERSION 1

/** Options of isg_lock_new(). Zero means the documented default. */
typedef struct isg_lock_options {
	/** Must be ::ISG_LOCK_OPTIONS_VERSION. */
	unsigned int version;
	/** `redis://[[user]:password@]host[:port][/db]`. Required. Copied.
	 * The password never appears in a message. */
	const char *redis_url;
	/** Milliseconds to wait for the connection (default 2000). */
	int connect_timeout_ms;
	/** Milliseconds to wait for a reply (default 5000). */
	int command_timeout_ms;
} isg_lock_options;

/** Default options (redis_url must still be set). */
#define ISG_LOCK_OPTIONS_INIT                        \
	{                                            \
		ISG_LOCK_OPTIONS_VERSION, NULL, 0, 0 \
	}

/**
 * Connect to Redis.
 *
 * @param out receives the handle, owned by the caller; NULL on error.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field or URL (password
 *         masked); ::ISG_EUNSUPPORTED for `rediss://`; ::ISG_EUNAVAILABLE
 *         when Redis cannot be reached; ::ISG_EAUTH; ::ISG_ENOMEM.
 */
ISG_API int isg_lock_new(isg_lock **out, const isg_lock_options *opts);

/**
 * Connect with the setting `REDIS_URL`.
 *
 * @return as isg_lock_new().
 */
ISG_API int isg_lock_new_from_config(isg_lock **out, const isg_config *cfg);

/** Close the connection and free the handle. NULL is a no-op. */
ISG_API void isg_lock_free(isg_lock *lock);

/**
 * The key of an issue's lock: `is:lock:issue:{owner}/{repo}#{number}`.
 *
 * @param out replaced with the key.
 * @param full_name "owner/repo" (1 to 200 bytes, no spaces or control
 *        characters).
 * @return ::ISG_OK; ::ISG_EINVALID naming a bad name or number;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_lock_issue_key(isg_buf *out, const char *full_name, int number);

/**
 * Take a lock if nobody holds it.
 *
 * @param out receives a fresh random token and the next fencing value of
 *        `key`; zeroed on error.
 * @param key the Redis key (1 to 512 bytes).
 * @param ttl_ms how long the lock lives unless extended (1 to
 *        ::ISG_LOCK_TTL_MAX_MS).
 * @return ::ISG_OK; ::ISG_ECONFLICT when another holder has it
 *         (isg_error_last()->retry_after_s is its remaining lifetime);
 *         ::ISG_EINVALID; ::ISG_EUNAVAILABLE, ::ISG_ETIMEOUT or
 *         ::ISG_EBACKEND from Redis; ::ISG_ENOMEM.
 */
ISG_API int isg_lock_acquire(isg_lock_token *out, isg_lock *lock,
                             const char *key, long long ttl_ms);

/**
 * Give a held lock `ttl_ms` more milliseconds from now, if `token` still
 * holds it. The fence is unchanged.
 *
 * @return ::ISG_OK; ::ISG_ECONFLICT when the lock expired or another
 *         holder has it (nothing changed); otherwise as
 *         isg_lock_acquire().
 */
ISG_API int isg_lock_extend(isg_lock *lock, const char *key,
                            const isg_lock_token *token, long long ttl_ms);

/**
 * Release a lock if `token` still holds it.
 *
 * @return ::ISG_OK; ::ISG_ECONFLICT when the lock had expired or another
 *         holder has it (nothing changed: the other holder keeps it);
 *         ::ISG_EINVALID; errors from Redis.
 */
ISG_API int isg_lock_release(isg_lock *lock, const char *key,
                             const isg_lock_token *token);

/**
 * The token holding `key` now and its remaining lifetime.
 *
 * @param out receives the token string ("" when the key is free).
 * @param ttl_ms receives the remaining milliseconds (0 when free; may be
 *        NULL).
 * @return ::ISG_OK (also when free); errors from Redis.
 */
ISG_API int isg_lock_holder(char out[ISG_LOCK_TOKEN_SIZE], long long *ttl_ms,
                            isg_lock *lock, const char *key);

/**
 * Format a token as `<32 hex>.<fence>`, to pass it in a message.
 *
 * @param out receives the text (at least ::ISG_LOCK_TOKEN_TEXT_SIZE).
 * @return ::ISG_OK or ::ISG_EINVALID for a malformed token.
 */
ISG_API int isg_lock_token_format(char *out, size_t n,
                                  const isg_lock_token *token);

/** A buffer size that holds any isg_lock_token_format() text. */
#define ISG_LOCK_TOKEN_TEXT_SIZE (ISG_LOCK_TOKEN_SIZE + 24)

/**
 * Read back a token written by isg_lock_token_format().
 *
 * @return ::ISG_OK or ::ISG_EINVALID naming what is wrong (`out` zeroed).
 */
ISG_API int isg_lock_token_parse(isg_lock_token *out, const char *text);

ISG_END_DECLS

#endif /* ISSUESIGHT_LOCK_H */
