/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A private PostgreSQL database per test: created on the server that
 * scripts/test starts (ISG_TEST_DATABASE_URL) and dropped at the end, so
 * that tests running in parallel never see each other's rows.
 */
#ifndef ISSUESIGHT_TEST_PG_H
#define ISSUESIGHT_TEST_PG_H

#include <libpq-fe.h>

#include <issuesight/store.h>

typedef struct isg_test_pg {
	char name[64];  /* "isg_<pid>_<n>_<random>" */
	char *conninfo; /* key=value connection string of that database */
} isg_test_pg;

/* Creates a fresh database; exits with 77 (skip) when
 * ISG_TEST_DATABASE_URL is absent and fails the test when the server
 * refuses. */
void isg_test_pg_create(isg_test_pg *db);
/* Drops the database (terminating its sessions) and frees the string. */
void isg_test_pg_drop(isg_test_pg *db);
/* A new libpq connection to the database (fails the test on error). */
PGconn *isg_test_pg_connect(const isg_test_pg *db);
/* Runs raw SQL on a new connection; returns 0 on success, else copies the
 * SQLSTATE into `sqlstate` (6 bytes) and returns -1. */
int isg_test_pg_exec(const isg_test_pg *db, const char *sql, char *sqlstate);
/* The first cell of a one-row query as a long long (fails the test on
 * error). */
long long isg_test_pg_scalar(const isg_test_pg *db, const char *sql);

/* A store on the database with `pool_size` connections and the given
 * statement timeout (0: default), already migrated. */
isg_store *isg_test_pg_store(const isg_test_pg *db, int pool_size,
                             int statement_timeout_ms);

/* The usual store fixture: a fresh database, a migrated store with
 * `pool_size` connections, and one project upserted from `p`. */
typedef struct isg_test_store_fixture {
	isg_test_pg db;
	isg_store *st;
	char project[ISG_STORE_ID_SIZE];
} isg_test_store_fixture;

isg_test_store_fixture *isg_test_store_fixture_new(int pool_size,
                                                   const isg_store_project *p);
/* Frees the store, drops the database; NULL is a no-op. */
void isg_test_store_fixture_free(isg_test_store_fixture *f);

#endif /* ISSUESIGHT_TEST_PG_H */
