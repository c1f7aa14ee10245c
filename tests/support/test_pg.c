/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-test PostgreSQL databases for the integration tests: CREATE DATABASE
 * on the test server, a connection string for it, raw SQL helpers, DROP.
 */
#include "test_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isg_test.h"

/* Appends `key='value'` with the quoting libpq expects. */
static void put_kv(char **buf, size_t *len, const char *key, const char *val)
{
	size_t need = strlen(key) + 2 * strlen(val) + 8;
	char *p;

	*buf = realloc(*buf, *len + need);
	assert_non_null(*buf);
	p = *buf + *len;
	p += snprintf(p, need, "%s%s='", *len ? " " : "", key);
	for (; *val; val++) {
		if (*val == '\'' || *val == '\\')
			*p++ = '\\';
		*p++ = *val;
	}
	*p++ = '\'';
	*p = '\0';
	*len = (size_t)(p - *buf);
}

/* The admin URL with its dbname replaced by `name`. */
static char *conninfo_for(const char *url, const char *name)
{
	PQconninfoOption *opts, *o;
	char *err = NULL, *out = NULL;
	size_t len = 0;

	opts = PQconninfoParse(url, &err);
	if (!opts) {
		fprintf(stderr, "cannot parse ISG_TEST_DATABASE_URL: %s\n",
		        err ? err : "?");
		PQfreemem(err);
		fail();
	}
	for (o = opts; o->keyword; o++) {
		if (strcmp(o->keyword, "dbname") == 0)
			put_kv(&out, &len, "dbname", name);
		else if (o->val && o->val[0])
			put_kv(&out, &len, o->keyword, o->val);
	}
	PQconninfoFree(opts);
	return out;
}

static void admin_exec(const char *sql)
{
	const char *url = isg_test_require_env("ISG_TEST_DATABASE_URL");
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to the test server: %s",
		        PQerrorMessage(c));
		PQfinish(c);
		fail();
	}
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		fail();
	}
	PQclear(r);
	PQfinish(c);
}

void isg_test_pg_create(isg_test_pg *db)
{
	const char *url = isg_test_require_env("ISG_TEST_DATABASE_URL");
	char sql[160];

	memset(db, 0, sizeof(*db));
	isg_test_unique_name(db->name, sizeof(db->name), "isg");
	/* Unique names are [a-z0-9_] only, so quoting is not needed. */
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", db->name);
	admin_exec(sql);
	db->conninfo = conninfo_for(url, db->name);
}

void isg_test_pg_drop(isg_test_pg *db)
{
	char sql[160];

	if (!db->conninfo)
		return;
	snprintf(sql, sizeof(sql),
	         "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", db->name);
	admin_exec(sql);
	free(db->conninfo);
	db->conninfo = NULL;
}

PGconn *isg_test_pg_connect(const isg_test_pg *db)
{
	PGconn *c = PQconnectdb(db->conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to %s: %s", db->name,
		        PQerrorMessage(c));
		PQfinish(c);
		fail();
	}
	return c;
}

int isg_test_pg_exec(const isg_test_pg *db, const char *sql, char *sqlstate)
{
	PGconn *c = isg_test_pg_connect(db);
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;

	if (sqlstate)
		sqlstate[0] = '\0';
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (sqlstate)
			snprintf(sqlstate, 6, "%s", st ? st : "?????");
		rc = -1;
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

long long isg_test_pg_scalar(const isg_test_pg *db, const char *sql)
{
	PGconn *c = isg_test_pg_connect(db);
	PGresult *r = PQexec(c, sql);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		fail();
	}
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}

isg_store *isg_test_pg_store(const isg_test_pg *db, int pool_size,
                             int statement_timeout_ms)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	isg_store *st = NULL;
	int v = 0;

	o.conninfo = db->conninfo;
	o.pool_size = pool_size;
	o.statement_timeout_ms = statement_timeout_ms;
	ISG_ASSERT_OK(isg_store_new(&st, &o));
	ISG_ASSERT_OK(isg_store_migrate(&v, st));
	assert_int_equal(v, isg_store_schema_latest());
	return st;
}

isg_test_store_fixture *isg_test_store_fixture_new(int pool_size,
                                                   const isg_store_project *p)
{
	isg_test_store_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	isg_test_pg_create(&f->db);
	f->st = isg_test_pg_store(&f->db, pool_size, 0);
	ISG_ASSERT_OK(isg_store_project_upsert(f->project, f->st, p));
	return f;
}

void isg_test_store_fixture_free(isg_test_store_fixture *f)
{
	if (!f)
		return;
	isg_store_free(f->st);
	isg_test_pg_drop(&f->db);
	free(f);
}
