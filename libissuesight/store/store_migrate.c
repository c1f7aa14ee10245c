/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema migrations: the SQL files of libissuesight/store/migrations are
 * embedded in the library and applied in version order, each in its own
 * transaction, under a session advisory lock so that several processes
 * starting at once apply each migration exactly once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

/* The advisory lock key: "isgmigr" as a number, unlikely to collide with
 * an application's own keys. */
#define MIGRATE_LOCK_KEY "7598461282358642"

static const char create_table_sql[] =
        "CREATE TABLE IF NOT EXISTS schema_migrations ( version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

int isg_store_schema_latest(void)
{
	return isg__store_nmigrations
	               ? isg__store_migrations[isg__store_nmigrations - 1]
	                         .version
	               : 0;
}

/* Parses a whole non-negative int from a result cell. */
static int cell_int(const PGresult *r, int row, int col)
{
	long long v = 0;

	if (isg__text_parse_ll(PQgetvalue(r, row, col), &v) != ISG_OK ||
	    v < 0 || v > 1000000000)
		return 0;
	return (int)v;
}

/* Reads the highest version; an absent table is version 0. */
static int read_version(int *out, isg__store_conn *c)
{
	PGresult *r = NULL;
	int rc;

	*out = 0;
	rc = isg__store_q(&r, c, "read schema version",
	                  "SELECT to_regclass('schema_migrations') IS NOT NULL",
	                  0, NULL);
	if (rc != ISG_OK || strcmp(PQgetvalue(r, 0, 0), "t") != 0)
		goto done;
	PQclear(r);
	r = NULL;
	rc = isg__store_q(
	        &r, c, "read schema version",
	        "SELECT coalesce(max(version), 0) FROM schema_migrations", 0,
	        NULL);
	if (rc == ISG_OK)
		*out = cell_int(r, 0, 0);
done:
	PQclear(r);
	return rc;
}

int isg_store_schema_version(int *out, isg_store *st)
{
	isg__store_conn *c = NULL;
	int rc, attempt;

	if (!out || !st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_schema_version: NULL argument");
	*out = 0;
	rc = isg__store_acquire(&c, st);
	if (rc != ISG_OK)
		return rc;
	for (attempt = 0; attempt < 2; attempt++) {
		rc = read_version(out, c);
		if (rc == ISG_OK || !c->lost || attempt > 0 ||
		    isg__store_reconnect(st, c) != ISG_OK)
			break;
	}
	isg__store_release(st, c);
	return rc;
}

/* Runs a whole migration script (several statements: the simple query
 * protocol). The script carries no values, only DDL. */
static int exec_script(isg__store_conn *c, const isg__store_migration *m)
{
	PGresult *res = PQexec(c->pg, m->sql);
	ExecStatusType est = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	const char *state, *msg;
	int rc = ISG_OK;

	if (est != PGRES_COMMAND_OK && est != PGRES_TUPLES_OK) {
		state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
		          : NULL;
		c->lost = PQstatus(c->pg) == CONNECTION_BAD;
		rc = isg__error_set(
		        c->lost ? ISG_EUNAVAILABLE : ISG_EBACKEND, MOD,
		        "migration %04d_%s failed and was rolled back: %s (SQLSTATE %s)",
		        m->version, m->name, msg ? msg : PQerrorMessage(c->pg),
		        state ? state : "none");
	}
	PQclear(res);
	return rc;
}

static int apply_one(isg__store_conn *c, const isg__store_migration *m)
{
	char version[16], sum[17];
	const char *params[3];
	int rc;

	snprintf(version, sizeof(version), "%d", m->version);
	isg__store_checksum(sum, m->sql, strlen(m->sql));
	params[0] = version;
	params[1] = m->name;
	params[2] = sum;
	rc = isg__store_q(NULL, c, "migrate: begin", "BEGIN", 0, NULL);
	if (rc == ISG_OK)
		rc = exec_script(c, m);
	if (rc == ISG_OK)
		rc = isg__store_q(
		        NULL, c, "migrate: record",
		        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
		        3, params);
	if (rc == ISG_OK)
		rc = isg__store_q(NULL, c, "migrate: commit", "COMMIT", 0,
		                  NULL);
	if (rc != ISG_OK && !c->lost)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	if (rc == ISG_OK)
		isg__log_write(ISG_LOG_INFO, MOD, NULL, 0,
		               "applied migration %04d_%s", m->version,
		               m->name);
	return rc;
}

/* Compares what the database recorded with the embedded migrations. */
static int verify_applied(const PGresult *r)
{
	char sum[17];
	int i, v;

	for (i = 0; i < PQntuples(r); i++) {
		const isg__store_migration *m = NULL;
		size_t k;

		v = cell_int(r, i, 0);
		for (k = 0; k < isg__store_nmigrations; k++)
			if (isg__store_migrations[k].version == v)
				m = &isg__store_migrations[k];
		if (!m)
			return isg__error_set(
			        ISG_ESTATE, MOD,
			        "database has migration %d (%s), newer than this library's latest %d: upgrade libissuesight",
			        v, PQgetvalue(r, i, 1),
			        isg_store_schema_latest());
		isg__store_checksum(sum, m->sql, strlen(m->sql));
		if (strcmp(sum, PQgetvalue(r, i, 2)) != 0)
			return isg__error_set(
			        ISG_ESTATE, MOD,
			        "migration %04d_%s was changed after it was applied (checksum %s in the database, %s embedded): add a new migration instead",
			        m->version, m->name, PQgetvalue(r, i, 2), sum);
	}
	return ISG_OK;
}

static int applied_has(const PGresult *r, int version)
{
	int i;

	for (i = 0; i < PQntuples(r); i++)
		if (cell_int(r, i, 0) == version)
			return 1;
	return 0;
}

int isg_store_migrate(int *out, isg_store *st)
{
	isg__store_conn *c = NULL;
	PGresult *applied = NULL;
	int rc, locked = 0, version = 0;
	size_t k;

	if (out)
		*out = 0;
	if (!st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_migrate: NULL store");
	rc = isg__store_acquire(&c, st);
	if (rc != ISG_OK)
		goto done;
	/* A migration may run long, and waiting for another process's
	 * migration is normal: no statement timeout on this session (the
	 * connection is closed afterwards, which also drops the setting). */
	rc = isg__store_q(NULL, c, "migrate: settings",
	                  "SELECT set_config('statement_timeout', '0', false)",
	                  0, NULL);
	if (rc == ISG_OK && c->lost == 0)
		rc = isg__store_q(NULL, c, "migrate: advisory lock",
		                  "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY
		                  ")",
		                  0, NULL);
	if (rc != ISG_OK)
		goto done;
	locked = 1;
	rc = isg__store_q(NULL, c, "migrate: create schema_migrations",
	                  create_table_sql, 0, NULL);
	if (rc == ISG_OK)
		rc = isg__store_q(
		        &applied, c, "migrate: read applied",
		        "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
		        0, NULL);
	if (rc == ISG_OK)
		rc = verify_applied(applied);
	for (k = 0; rc == ISG_OK && k < isg__store_nmigrations; k++)
		if (!applied_has(applied, isg__store_migrations[k].version))
			rc = apply_one(c, &isg__store_migrations[k]);
	if (rc == ISG_OK)
		rc = read_version(&version, c);
done:
	PQclear(applied);
	if (c) {
		if (locked && !c->lost)
			PQclear(PQexec(c->pg,
			               "SELECT pg_advisory_unlock_all()"));
		/* Closing drops the session settings and any lock left. */
		if (c->pg) {
			PQfinish(c->pg);
			c->pg = NULL;
		}
		isg__store_release(st, c);
	}
	if (rc == ISG_OK && out)
		*out = version;
	return rc;
}
