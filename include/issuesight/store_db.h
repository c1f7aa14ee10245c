/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_db.h
 * @brief The store handle: a pool of connections to the PostgreSQL
 *        archive, and the migrations of its schema.
 *
 * An ::isg_store is a small pool of PostgreSQL connections. Every value
 * travels as a query parameter: no SQL is ever built from a value. The
 * schema (docs/schema.md) is created by isg_store_migrate() from versioned
 * SQL files embedded in the library.
 *
 * Identifiers are uuids in their 36-character text form; functions that
 * return one fill a `char[ISG_STORE_ID_SIZE]`. Timestamps are ISO 8601
 * text in UTC (`2024-05-01T12:00:00Z`).
 *
 * Errors: a lost connection is reset and an idempotent statement retried
 * once, so the first call after a PostgreSQL restart succeeds. SQLSTATEs
 * map to codes: unique violation → ::ISG_ECONFLICT; check, foreign-key and
 * data errors → ::ISG_EINVALID; statement timeout → ::ISG_ETIMEOUT;
 * connection failures → ::ISG_EUNAVAILABLE; anything else ::ISG_EBACKEND.
 * Messages never contain the password of the connection string.
 *
 * The archive's nouns each have their header: store_project.h,
 * store_issue.h, store_content.h, store_user.h and store_concept.h;
 * store.h includes them all.
 */
#ifndef ISSUESIGHT_STORE_DB_H
#define ISSUESIGHT_STORE_DB_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** Size of a uuid in text form, terminator included. */
#define ISG_STORE_ID_SIZE 37
/** Size of a timestamp buffer (ISO 8601 text), terminator included. */
#define ISG_STORE_TIME_SIZE 40

/**
 * A pool of PostgreSQL connections and the queries of the archive.
 *
 * Thread rule: thread-safe. Any number of threads may call into one store
 * at once; each call borrows a connection for its duration and waits when
 * all `pool_size` connections are busy.
 */
typedef struct isg_store isg_store;

/** The current version of ::isg_store_options. */
#define ISG_STORE_OPTIONS_VERSION 1

/** Options of isg_store_new(). Zero means the documented default. */
typedef struct isg_store_options {
	/** Must be ::ISG_STORE_OPTIONS_VERSION. */
	unsigned int version;
	/** libpq connection string, URL (`postgresql://...`) or `key=value`
	 * form. Required. Copied. */
	const char *conninfo;
	/** Connections in the pool, opened lazily (default 4, max 256). */
	int pool_size;
	/** Seconds to wait for a connection to open (default 5). */
	int connect_timeout_s;
	/** Server-side timeout of each statement in ms (default 30000;
	 * negative: no timeout). */
	int statement_timeout_ms;
} isg_store_options;

/** Default options (conninfo must still be set). */
#define ISG_STORE_OPTIONS_INIT                           \
	{                                                \
		ISG_STORE_OPTIONS_VERSION, NULL, 0, 0, 0 \
	}

/**
 * Create a store. No connection is opened yet: use isg_store_ping() to
 * check that the database answers.
 *
 * @param out receives the handle, owned by the caller; NULL on error.
 * @param opts the options; conninfo is required.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad field; ::ISG_ENOMEM.
 */
ISG_API int isg_store_new(isg_store **out, const isg_store_options *opts);

/**
 * Create a store from the settings `DATABASE_URL`, `DB_POOL_SIZE`,
 * `DB_CONNECT_TIMEOUT_S` and `DB_STATEMENT_TIMEOUT_MS` (0 there means no
 * statement timeout).
 *
 * @return as isg_store_new().
 */
ISG_API int isg_store_new_from_config(isg_store **out, const isg_config *cfg);

/**
 * Close every connection and free the store. NULL is a no-op. No call may
 * be running on it.
 */
ISG_API void isg_store_free(isg_store *st);

/**
 * Run `SELECT 1` on a pooled connection (opening it when needed).
 *
 * @return ::ISG_OK; ::ISG_EUNAVAILABLE when the database cannot be
 *         reached; ::ISG_ETIMEOUT.
 */
ISG_API int isg_store_ping(isg_store *st);

/* ---- Migrations ------------------------------------------------------ */

/**
 * Apply every pending migration, each in its own transaction, recording
 * it in `schema_migrations` (version, name, checksum, applied_at). Safe to
 * run from several processes at once: a session advisory lock serialises
 * them, and a run with nothing to do changes nothing.
 *
 * @param out receives the schema version after the run (may be NULL).
 * @return ::ISG_OK; ::ISG_ESTATE when an applied migration's checksum
 *         differs from the embedded one (the message names the version)
 *         or the database has a version this library does not know;
 *         ::ISG_EBACKEND when a migration fails (it is rolled back);
 *         ::ISG_EUNAVAILABLE.
 */
ISG_API int isg_store_migrate(int *out, isg_store *st);

/**
 * The highest applied migration version; 0 for an empty database.
 *
 * @return ::ISG_OK, ::ISG_EUNAVAILABLE or ::ISG_EBACKEND.
 */
ISG_API int isg_store_schema_version(int *out, isg_store *st);

/**
 * The newest migration version embedded in this library.
 */
ISG_API int isg_store_schema_latest(void);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_DB_H */
