/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's connection pool and query execution: a fixed number of
 * lazily opened libpq connections guarded by a mutex and a condition
 * variable, statements sent with PQexecParams only, SQLSTATEs mapped to
 * status codes, and one transparent retry of idempotent work after the
 * connection was lost (a PostgreSQL restart, a killed backend).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

struct isg_store {
	char *conninfo;
	int pool_size;
	int connect_timeout_s;
	int statement_timeout_ms; /* < 0: none */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	isg__store_conn *conns;
};

/* Records an error whose text may come from libpq or the server: it is
 * redacted so that a password in a connection string never leaks. */
static int set_redacted(int code, const char *what, const char *detail,
                        const char *sqlstate)
{
	isg_buf red = ISG_BUF_INIT;
	const char *shown = detail ? detail : "";
	size_t n;
	int rc;

	if (isg_log_redact(&red, shown) == ISG_OK) {
		/* libpq's multi-line messages become one line. */
		for (n = 0; n < red.size; n++)
			if (red.ptr[n] == '\n' || red.ptr[n] == '\t')
				red.ptr[n] = ' ';
		shown = red.ptr;
	}
	n = strlen(shown);
	/* libpq messages end with a newline; one sentence reads better. */
	while (n > 0 && (shown[n - 1] == '\n' || shown[n - 1] == ' '))
		n--;
	if (sqlstate && sqlstate[0])
		rc = isg__error_set(code, MOD, "%s: %.*s (SQLSTATE %s)", what,
		                    (int)n, shown, sqlstate);
	else
		rc = isg__error_set(code, MOD, "%s: %.*s", what, (int)n, shown);
	isg_buf_dispose(&red);
	return rc;
}

int isg__store_map_sqlstate(const char *sqlstate, int conn_lost)
{
	if (conn_lost)
		return ISG_EUNAVAILABLE;
	if (!sqlstate || strlen(sqlstate) != 5)
		return ISG_EBACKEND;
	if (strcmp(sqlstate, "23505") == 0)
		return ISG_ECONFLICT;
	if (strcmp(sqlstate, "23514") == 0 || strcmp(sqlstate, "23503") == 0 ||
	    strcmp(sqlstate, "23502") == 0 || strcmp(sqlstate, "23P01") == 0 ||
	    strncmp(sqlstate, "22", 2) == 0)
		return ISG_EINVALID;
	if (strcmp(sqlstate, "57014") == 0 || strcmp(sqlstate, "55P03") == 0)
		return ISG_ETIMEOUT;
	/* 40001 serialization failure / 40P01 deadlock: a concurrent change
	 * won; the caller may retry. */
	if (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0)
		return ISG_ECONFLICT;
	/* Class 08 (connection exception), 57P01..57P03 (shutdown, crash,
	 * cannot connect now) and 53300 (too many connections). */
	if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
	    strcmp(sqlstate, "57P02") == 0 || strcmp(sqlstate, "57P03") == 0 ||
	    strcmp(sqlstate, "53300") == 0)
		return ISG_EUNAVAILABLE;
	return ISG_EBACKEND;
}

/* True when this failure means the connection is gone. */
static int is_conn_lost(PGconn *pg, const char *sqlstate)
{
	if (PQstatus(pg) == CONNECTION_BAD)
		return 1;
	if (sqlstate &&
	    (strncmp(sqlstate, "08", 2) == 0 ||
	     strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P02") == 0 ||
	     strcmp(sqlstate, "57P03") == 0))
		return 1;
	return 0;
}

int isg__store_q(PGresult **out, isg__store_conn *c, const char *what,
                 const char *sql, int nparams, const char *const *values)
{
	PGresult *res;
	ExecStatusType est;
	const char *sqlstate;
	int rc;

	if (out)
		*out = NULL;
	c->lost = 0;
	res = PQexecParams(c->pg, sql, nparams, NULL, values, NULL, NULL, 0);
	est = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (est == PGRES_COMMAND_OK || est == PGRES_TUPLES_OK) {
		if (out)
			*out = res;
		else
			PQclear(res);
		return ISG_OK;
	}
	sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	c->lost = is_conn_lost(c->pg, sqlstate);
	rc = isg__store_map_sqlstate(sqlstate, c->lost);
	if (res && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY))
		set_redacted(rc, what,
		             PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
		             sqlstate);
	else
		set_redacted(rc, what, PQerrorMessage(c->pg), sqlstate);
	PQclear(res);
	return rc;
}

/* libpq prints server notices to stderr by default; the library never
 * prints, so they go to the log at debug level. */
static void on_notice(void *arg, const char *message)
{
	(void)arg;
	isg__log_write(ISG_LOG_DEBUG, MOD, NULL, 0, "PostgreSQL notice: %s",
	               message);
}

/* Opens c->pg and applies the session settings. */
static int conn_open(isg_store *st, isg__store_conn *c)
{
	char timeout[32], stmt[32];
	const char *keys[] = { "dbname", "connect_timeout",
		               "fallback_application_name", NULL };
	const char *vals[] = { st->conninfo, timeout, "issuesight", NULL };
	const char *params[1];
	int rc;

	if (c->pg) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	snprintf(timeout, sizeof(timeout), "%d", st->connect_timeout_s);
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (!c->pg)
		return isg__error_oom(MOD);
	PQsetNoticeProcessor(c->pg, on_notice, NULL);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		rc = set_redacted(ISG_EUNAVAILABLE,
		                  "cannot connect to PostgreSQL",
		                  PQerrorMessage(c->pg), NULL);
		PQfinish(c->pg);
		c->pg = NULL;
		return rc;
	}
	/* The server-side statement timeout of this session; 0 disables. */
	snprintf(stmt, sizeof(stmt), "%d",
	         st->statement_timeout_ms < 0 ? 0 : st->statement_timeout_ms);
	params[0] = stmt;
	/* UTC makes every timestamp the store prints end in +00:00 / Z. */
	rc = isg__store_q(
	        NULL, c, "set session options",
	        "SELECT set_config('statement_timeout', $1, false), set_config('TimeZone', 'UTC', false)",
	        1, params);
	if (rc != ISG_OK) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	return rc;
}

int isg__store_reconnect(isg_store *st, isg__store_conn *c)
{
	isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
	               "PostgreSQL connection lost; reconnecting");
	return conn_open(st, c);
}

int isg__store_acquire(isg__store_conn **out, isg_store *st)
{
	isg__store_conn *c = NULL;
	int i, rc = ISG_OK;

	*out = NULL;
	pthread_mutex_lock(&st->mu);
	for (;;) {
		for (i = 0; i < st->pool_size; i++)
			if (!st->conns[i].in_use) {
				c = &st->conns[i];
				break;
			}
		if (c)
			break;
		pthread_cond_wait(&st->cv, &st->mu);
	}
	c->in_use = 1;
	pthread_mutex_unlock(&st->mu);
	/* Opening happens outside the lock so one slow connect does not
	 * stall the other borrowers. */
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK)
		rc = conn_open(st, c);
	if (rc != ISG_OK) {
		isg__store_release(st, c);
		return rc;
	}
	c->lost = 0;
	*out = c;
	return ISG_OK;
}

void isg__store_release(isg_store *st, isg__store_conn *c)
{
	if (!c)
		return;
	/* A connection left inside a transaction (an error between BEGIN and
	 * COMMIT that could not roll back) or broken is closed. */
	if (c->pg && (PQstatus(c->pg) != CONNECTION_OK ||
	              PQtransactionStatus(c->pg) != PQTRANS_IDLE)) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	pthread_mutex_lock(&st->mu);
	c->in_use = 0;
	pthread_cond_signal(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

int isg__store_exec(PGresult **out, isg_store *st, unsigned flags,
                    const char *what, const char *sql, int nparams,
                    const char *const *values)
{
	isg__store_conn *c = NULL;
	int rc, attempt;

	if (out)
		*out = NULL;
	rc = isg__store_acquire(&c, st);
	if (rc != ISG_OK)
		return rc;
	for (attempt = 0;; attempt++) {
		rc = isg__store_q(out, c, what, sql, nparams, values);
		if (rc == ISG_OK || !c->lost || !(flags & ISG__STORE_RETRY) ||
		    attempt > 0)
			break;
		if (isg__store_reconnect(st, c) != ISG_OK)
			break;
	}
	isg__store_release(st, c);
	return rc;
}

int isg__store_tx(isg_store *st, unsigned flags, const char *what,
                  isg__store_tx_fn fn, void *payload)
{
	isg__store_conn *c = NULL;
	int rc, attempt;

	rc = isg__store_acquire(&c, st);
	if (rc != ISG_OK)
		return rc;
	for (attempt = 0;; attempt++) {
		rc = isg__store_q(NULL, c, what, "BEGIN", 0, NULL);
		if (rc == ISG_OK)
			rc = fn(c, payload);
		if (rc == ISG_OK)
			rc = isg__store_q(NULL, c, what, "COMMIT", 0, NULL);
		if (rc != ISG_OK && !c->lost &&
		    PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
			/* Keep fn's error, not ROLLBACK's. */
			PGresult *r = PQexec(c->pg, "ROLLBACK");
			PQclear(r);
		}
		if (rc == ISG_OK || !c->lost || !(flags & ISG__STORE_RETRY) ||
		    attempt > 0)
			break;
		if (isg__store_reconnect(st, c) != ISG_OK)
			break;
	}
	isg__store_release(st, c);
	return rc;
}

int isg__store_exec_raw(isg_store *st, const char *sql)
{
	return isg__store_exec(NULL, st, 0, "raw statement", sql, 0, NULL);
}

int isg_store_new(isg_store **out, const isg_store_options *opts)
{
	isg_store *st = NULL;
	int rc = ISG_OK, i;

	if (!out || !opts) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_new: NULL argument");
		goto done;
	}
	*out = NULL;
	if (opts->version != ISG_STORE_OPTIONS_VERSION) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_options.version %u is not %d",
		                    opts->version, ISG_STORE_OPTIONS_VERSION);
		goto done;
	}
	if (!opts->conninfo || !opts->conninfo[0]) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "isg_store_options.conninfo is required");
		goto done;
	}
	if (opts->pool_size < 0 || opts->pool_size > 256) {
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_options.pool_size %d is out of range 1..256",
		        opts->pool_size);
		goto done;
	}
	if (opts->connect_timeout_s < 0 || opts->connect_timeout_s > 600) {
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_options.connect_timeout_s %d is out of range 1..600",
		        opts->connect_timeout_s);
		goto done;
	}
	st = isg__alloc_calloc(1, sizeof(*st));
	if (!st) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	st->pool_size = opts->pool_size ? opts->pool_size : 4;
	st->connect_timeout_s =
	        opts->connect_timeout_s ? opts->connect_timeout_s : 5;
	st->statement_timeout_ms =
	        opts->statement_timeout_ms ? opts->statement_timeout_ms : 30000;
	st->conninfo = isg__alloc_strdup(opts->conninfo);
	st->conns =
	        isg__alloc_calloc((size_t)st->pool_size, sizeof(*st->conns));
	if (!st->conninfo || !st->conns) {
		isg__alloc_free(st->conninfo);
		isg__alloc_free(st->conns);
		isg__alloc_free(st);
		st = NULL;
		rc = isg__error_oom(MOD);
		goto done;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	for (i = 0; i < st->pool_size; i++)
		st->conns[i].pg = NULL;
	*out = st;
done:
	return rc;
}

int isg_store_new_from_config(isg_store **out, const isg_config *cfg)
{
	isg_store_options o = ISG_STORE_OPTIONS_INIT;
	long long pool = 0, conn_t = 0, stmt_t = 0;

	if (!out || !cfg)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_new_from_config: NULL argument");
	*out = NULL;
	o.conninfo = isg_config_get(cfg, "DATABASE_URL");
	if (isg_config_get_int(&pool, cfg, "DB_POOL_SIZE") == ISG_OK)
		o.pool_size = (int)pool;
	if (isg_config_get_int(&conn_t, cfg, "DB_CONNECT_TIMEOUT_S") == ISG_OK)
		o.connect_timeout_s = (int)conn_t;
	if (isg_config_get_int(&stmt_t, cfg, "DB_STATEMENT_TIMEOUT_MS") ==
	    ISG_OK)
		/* The setting's 0 means "no timeout"; the option's 0 means
		 * "default". */
		o.statement_timeout_ms = stmt_t == 0 ? -1 : (int)stmt_t;
	return isg_store_new(out, &o);
}

void isg_store_free(isg_store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->pool_size; i++)
		if (st->conns[i].pg)
			PQfinish(st->conns[i].pg);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	isg__alloc_free(st->conns);
	isg__alloc_free(st->conninfo);
	isg__alloc_free(st);
}

int isg_store_ping(isg_store *st)
{
	if (!st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_ping: NULL store");
	return isg__store_exec(NULL, st, ISG__STORE_RETRY, "ping", "SELECT 1",
	                       0, NULL);
}

int isg__store_uuid_valid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		char ch = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return 0;
		} else if (!((ch >= '0' && ch <= '9') ||
		             (ch >= 'a' && ch <= 'f') ||
		             (ch >= 'A' && ch <= 'F'))) {
			return 0;
		}
	}
	return 1;
}

int isg__store_copy(char *out, size_t n, const PGresult *r, int row, int col)
{
	const char *v = PQgetvalue(r, row, col);
	size_t len = (size_t)PQgetlength(r, row, col);

	if (len >= n) {
		out[0] = '\0';
		return isg__error_set(
		        ISG_ETOOBIG, MOD,
		        "column '%s' has %zu bytes, more than %zu",
		        PQfname(r, col), len, n - 1);
	}
	memcpy(out, v, len);
	out[len] = '\0';
	return ISG_OK;
}

int isg__store_require(const char *value, const char *name)
{
	if (!value)
		return isg__error_set(ISG_EINVALID, MOD, "%s is required",
		                      name);
	return ISG_OK;
}

int isg__store_require_version(unsigned int version, unsigned int current,
                               const char *what)
{
	if (version > current)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "%s.version %u is newer than this library's %u", what,
		        version, current);
	return ISG_OK;
}

int isg__store_require_id(const char *value, const char *name)
{
	if (!value)
		return isg__error_set(ISG_EINVALID, MOD, "%s is required",
		                      name);
	if (!isg__store_uuid_valid(value))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "%s '%.40s' is not a uuid", name, value);
	return ISG_OK;
}

void isg__store_checksum(char out[17], const char *text, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ull;
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int isg__store_cursor_encode(char out[ISG__STORE_CURSOR_MAX], int64_t usec,
                             const char *uuid)
{
	char hex[33];
	size_t i, j = 0;

	out[0] = '\0';
	if (!isg__store_uuid_valid(uuid))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "cursor id '%.40s' is not a uuid",
		                      uuid ? uuid : "(null)");
	for (i = 0; i < 36; i++) {
		char ch = uuid[i];
		if (ch == '-')
			continue;
		hex[j++] =
		        (ch >= 'A' && ch <= 'F') ? (char)(ch - 'A' + 'a') : ch;
	}
	hex[j] = '\0';
	snprintf(out, ISG__STORE_CURSOR_MAX, "c1%016" PRIx64 "%s",
	         (uint64_t)usec, hex);
	return ISG_OK;
}

int isg__store_cursor_decode(int64_t *out_usec,
                             char out_uuid[ISG_STORE_ID_SIZE],
                             const char *cursor)
{
	uint64_t v = 0;
	size_t i, j = 0;

	if (!cursor || strlen(cursor) != 2 + 16 + 32 || cursor[0] != 'c' ||
	    cursor[1] != '1')
		goto bad;
	for (i = 2; i < 50; i++)
		if (hexval(cursor[i]) < 0)
			goto bad;
	for (i = 2; i < 18; i++)
		v = (v << 4) | (uint64_t)hexval(cursor[i]);
	for (i = 18; i < 50; i++) {
		if (j == 8 || j == 13 || j == 18 || j == 23)
			out_uuid[j++] = '-';
		out_uuid[j++] = cursor[i];
	}
	out_uuid[j] = '\0';
	*out_usec = (int64_t)v;
	return ISG_OK;
bad:
	return isg__error_set(
	        ISG_EINVALID, MOD,
	        "cursor '%.60s' is malformed (use next_cursor of the previous page)",
	        cursor ? cursor : "(null)");
}
