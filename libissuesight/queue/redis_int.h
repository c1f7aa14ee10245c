/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Redis connection shared by the modules that talk to Redis (streams,
 * cache, locks): REDIS_URL parsing, connect with timeouts, AUTH and SELECT,
 * one transparent reconnect after a lost connection, and binary-safe
 * commands whose errors become library status codes. hiredis 0.14.1: no
 * TLS, no RESP3, no redisConnectWithOptions.
 *
 * Thread rule: one thread at a time per connection.
 */
#ifndef ISSUESIGHT_REDIS_INT_H
#define ISSUESIGHT_REDIS_INT_H

#include <stddef.h>

#include <hiredis/hiredis.h>

/* A parsed redis://[[user]:password@]host[:port][/db] URL. */
typedef struct isg__redis_url {
	char host[256];
	int port;       /* default 6379 */
	int db;         /* default 0 */
	char *user;     /* NULL when absent; owned */
	char *password; /* NULL when absent; owned; never logged */
} isg__redis_url;

/* Parses `url`; ISG_EINVALID names the URL with its password masked.
 * Release with isg__redis_url_dispose(). */
int isg__redis_url_parse(isg__redis_url *out, const char *url);
void isg__redis_url_dispose(isg__redis_url *u);

typedef struct isg__redis isg__redis;

/* Creates a connection object for `url` (copied) and connects.
 * connect_timeout_ms and command_timeout_ms: <= 0 means 2000 and 5000.
 * `module` names the owner in error messages ("stream", "cache", ...).
 * Errors: ISG_EINVALID for a bad URL, ISG_EUNAVAILABLE when Redis cannot
 * be reached, ISG_EAUTH when AUTH is refused, ISG_EBACKEND when SELECT
 * fails, ISG_ENOMEM. */
int isg__redis_new(isg__redis **out, const char *url, const char *module,
                   int connect_timeout_ms, int command_timeout_ms);
void isg__redis_free(isg__redis *r);

/* Changes the socket timeout of later commands (for blocking reads). */
int isg__redis_set_timeout(isg__redis *r, int timeout_ms);

/* Runs one command given as binary-safe arguments (`lens` may be NULL for
 * NUL-terminated strings). On success *out is the reply, owned by the
 * caller (freeReplyObject); an error reply is not a success: it returns
 * ISG_EBACKEND (or ISG_EAUTH for NOAUTH/WRONGPASS) with the server's
 * message, unless `allow_error_reply` is non-zero, in which case the
 * error reply itself is returned in *out with ISG_OK. A broken connection
 * is reconnected once and the command retried when `idempotent` is
 * non-zero; otherwise ISG_EUNAVAILABLE (or ISG_ETIMEOUT on a timeout). */
int isg__redis_command(redisReply **out, isg__redis *r, int argc,
                       const char **argv, const size_t *lens, int idempotent,
                       int allow_error_reply);

/* The URL with its password masked, for messages. */
const char *isg__redis_display_url(const isg__redis *r);

/* Reply helpers: the string of a STRING/STATUS reply (or NULL). */
const char *isg__redis_str(const redisReply *rep, size_t *len);

#endif /* ISSUESIGHT_REDIS_INT_H */
