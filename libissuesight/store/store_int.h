/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the store: the connection pool, query execution with
 * SQLSTATE mapping and one retry after a lost connection, transactions,
 * the embedded migrations, and the pure helpers that unit tests reach
 * (cursor encoding, SQLSTATE mapping, checksums).
 */
#ifndef ISSUESIGHT_STORE_INT_H
#define ISSUESIGHT_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "issuesight/store.h"

/* One embedded migration (store_migrations.c, generated). */
typedef struct isg__store_migration {
	int version;
	const char *name;
	const char *sql;
} isg__store_migration;

extern const isg__store_migration isg__store_migrations[];
extern const size_t isg__store_nmigrations;

/* A pooled connection. `lost` is set when the last statement failed
 * because the connection broke. */
typedef struct isg__store_conn {
	PGconn *pg;
	int in_use;
	int lost;
} isg__store_conn;

/* Flags of isg__store_exec() and isg__store_tx(). */
#define ISG__STORE_RETRY 1u /* idempotent: rerun once after a lost link */

/* Borrows a connection (opening it when needed); waits while every one is
 * busy. ISG_OK or ISG_EUNAVAILABLE / ISG_ETIMEOUT / ISG_ENOMEM. */
int isg__store_acquire(isg__store_conn **out, isg_store *st);
/* Returns a connection to the pool. A broken one is closed, to be reopened
 * by the next borrower. */
void isg__store_release(isg_store *st, isg__store_conn *c);
/* Closes and reopens a connection (after a lost link). */
int isg__store_reconnect(isg_store *st, isg__store_conn *c);

/* Runs one parameterised statement (text parameters; NULL values are SQL
 * NULL) on a borrowed connection. On success *out (when not NULL) gets the
 * result, which the caller PQclear()s. On failure records an error for
 * `what`, mapped from the SQLSTATE, and sets c->lost when the connection
 * broke. */
int isg__store_q(PGresult **out, isg__store_conn *c, const char *what,
                 const char *sql, int nparams, const char *const *values);

/* isg__store_q() on a connection borrowed for the statement only; with
 * ISG__STORE_RETRY the statement is rerun once after a lost connection. */
int isg__store_exec(PGresult **out, isg_store *st, unsigned flags,
                    const char *what, const char *sql, int nparams,
                    const char *const *values);

/* Runs fn inside BEGIN ... COMMIT on one connection (ROLLBACK when fn
 * fails). With ISG__STORE_RETRY the whole transaction is rerun once when
 * the connection broke. */
typedef int (*isg__store_tx_fn)(isg__store_conn *c, void *payload);
int isg__store_tx(isg_store *st, unsigned flags, const char *what,
                  isg__store_tx_fn fn, void *payload);

/* Maps a SQLSTATE (NULL: none) and whether the connection broke to a
 * status code. */
int isg__store_map_sqlstate(const char *sqlstate, int conn_lost);

/* FNV-1a 64-bit checksum of a migration's text, as 16 hex digits. It
 * detects edits of applied migrations; it is not a security measure. */
void isg__store_checksum(char out[17], const char *text, size_t len);

/* Keyset cursor: (sort time in microseconds since the epoch, uuid) <->
 * an opaque url-safe string "c1" + hex. decode returns ISG_EINVALID for
 * anything encode cannot produce. */
#define ISG__STORE_CURSOR_MAX 80
int isg__store_cursor_encode(char out[ISG__STORE_CURSOR_MAX], int64_t usec,
                             const char *uuid);
int isg__store_cursor_decode(int64_t *out_usec,
                             char out_uuid[ISG_STORE_ID_SIZE],
                             const char *cursor);

/* 1 when `s` is a uuid in canonical text form (lower or upper hex). */
int isg__store_uuid_valid(const char *s);
/* Copies a result cell into a fixed buffer; ISG_ETOOBIG when it does not
 * fit (the buffer then holds ""). */
int isg__store_copy(char *out, size_t n, const PGresult *r, int row, int col);
/* Checks a required string argument; records ISG_EINVALID naming it. */
int isg__store_require(const char *value, const char *name);
/* Checks the version field of a struct the caller filled: 0 (a struct
 * zeroed before the field existed, read as version 1) up to `current`;
 * records ISG_EINVALID naming `what` ("isg_store_issue") otherwise. */
int isg__store_require_version(unsigned int version, unsigned int current,
                               const char *what);
/* Checks a uuid argument; records ISG_EINVALID naming it and the value. */
int isg__store_require_id(const char *value, const char *name);

/* SQL fragments: a timestamptz as ISO 8601 UTC text, and a text parameter
 * ($n) holding ISO 8601 or epoch seconds as a timestamptz. */
#define ISG__SQL_ISO(x)                        \
	"to_char((" x ") AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ISG__SQL_TS(p)                                                   \
	"(CASE WHEN " p "::text ~ '^[0-9]{1,12}$' THEN to_timestamp((" p \
	"::text)::bigint) ELSE (" p "::text)::timestamptz END)"

/* A test hook: runs raw SQL through the pool (no retry). */
int isg__store_exec_raw(isg_store *st, const char *sql);

#endif /* ISSUESIGHT_STORE_INT_H */
