/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accounts: users by login and e-mail, admins, and the quota anchor
 * users.last_requested_at (migration 0003).
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

/* clang-format off */
#define USER_COLUMNS                                                   \
	"id, coalesce(login, ''), email, coalesce(display_name, ''), " \
	"is_admin, " ISG__SQL_ISO("created_at") ", "                    \
	"coalesce(" ISG__SQL_ISO("last_requested_at") ", '')"
/* clang-format on */

static int login_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > ISG_STORE_LOGIN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int isg_store_user_create(char out[ISG_STORE_ID_SIZE], isg_store *st,
                          const char *login, const char *email, int is_admin)
{
	char fallback[ISG_STORE_LOGIN_MAX + 32];
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!out || !st || !login)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_user_create: NULL argument");
	if (!login_valid(login))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "login '%.80s' is not 1-%d letters, digits, '-', '_' or '.'",
		        login, ISG_STORE_LOGIN_MAX);
	if (!email) {
		snprintf(fallback, sizeof(fallback), "%s@users.invalid", login);
		email = fallback;
	}
	if (!email[0] || !strchr(email, '@') || strlen(email) > 254)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "email '%.100s' is not an address",
		                      email);
	params[0] = login;
	params[1] = email;
	params[2] = is_admin ? "true" : "false";
	/* Not retried: after a lost answer the retry would see its own row
	 * as a duplicate. */
	rc = isg__store_exec(
	        &r, st, 0, "create user",
	        "INSERT INTO users (login, email, is_admin) VALUES ($1, lower($2), $3::boolean) RETURNING id",
	        3, params);
	if (rc == ISG_OK)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
	else if (rc == ISG_ECONFLICT)
		rc = isg__error_set(ISG_ECONFLICT, MOD,
		                    "login '%s' or email '%.100s' is taken",
		                    login, email);
	PQclear(r);
	return rc;
}

static int fill_user(isg_store_user *out, const PGresult *r)
{
	int rc = isg__store_copy(out->id, sizeof(out->id), r, 0, 0);

	if (rc == ISG_OK)
		rc = isg__store_copy(out->login, sizeof(out->login), r, 0, 1);
	if (rc == ISG_OK)
		rc = isg__store_copy(out->email, sizeof(out->email), r, 0, 2);
	if (rc == ISG_OK)
		rc = isg__store_copy(out->display_name,
		                     sizeof(out->display_name), r, 0, 3);
	out->is_admin = strcmp(PQgetvalue(r, 0, 4), "t") == 0;
	if (rc == ISG_OK)
		rc = isg__store_copy(out->created_at, sizeof(out->created_at),
		                     r, 0, 5);
	if (rc == ISG_OK)
		rc = isg__store_copy(out->last_requested_at,
		                     sizeof(out->last_requested_at), r, 0, 6);
	return rc;
}

/* One user selected by `where` ($1). */
static int user_by(isg_store_user *out, isg_store *st, const char *where,
                   const char *value, const char *what)
{
	PGresult *r = NULL;
	char sql[512];
	int rc;

	if (!out || !st || !value)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "read user by %s: NULL argument", what);
	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql),
	         "SELECT " USER_COLUMNS " FROM users WHERE %s", where);
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "read user", sql, 1,
	                     &value);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no user with %s '%.100s'", what, value);
	else if (rc == ISG_OK)
		rc = fill_user(out, r);
	PQclear(r);
	return rc;
}

int isg_store_user_get(isg_store_user *out, isg_store *st, const char *user_id)
{
	int rc;

	if ((rc = isg__store_require_id(user_id, "user id")) != ISG_OK)
		return rc;
	return user_by(out, st, "id = $1::uuid", user_id, "id");
}

int isg_store_user_by_login(isg_store_user *out, isg_store *st,
                            const char *login)
{
	return user_by(out, st, "lower(login) = lower($1)", login, "login");
}

int isg_store_user_by_email(isg_store_user *out, isg_store *st,
                            const char *email)
{
	return user_by(out, st, "email = lower($1)", email, "email");
}

/* The users as one JSON array, built by PostgreSQL. */
/* clang-format off */
static const char list_sql[] =
	"SELECT coalesce(json_agg(json_build_object('id', id, 'login', login, 'email', email, 'display_name', display_name, 'is_admin', is_admin, 'created_at', " ISG__SQL_ISO("created_at") ", 'last_requested_at', CASE WHEN last_requested_at IS NULL THEN NULL ELSE " ISG__SQL_ISO("last_requested_at") " END) ORDER BY created_at, id)::text, '[]') FROM users";
/* clang-format on */

int isg_store_users_list(isg_buf *out, isg_store *st)
{
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_users_list: NULL argument");
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, "list users", list_sql,
	                     0, NULL);
	if (rc == ISG_OK) {
		isg__buf_clear(out);
		if (isg__buf_puts(out, PQgetvalue(r, 0, 0)) != ISG_OK)
			rc = isg__error_oom(MOD);
	}
	PQclear(r);
	return rc;
}

int isg_store_user_touch_request(isg_store *st, const char *user_id)
{
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_user_touch_request: NULL store");
	if ((rc = isg__store_require_id(user_id, "user id")) != ISG_OK)
		return rc;
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "touch user request",
	        "UPDATE users SET last_requested_at = now() WHERE id = $1::uuid RETURNING id",
	        1, &user_id);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no user with id %s",
		                    user_id);
	PQclear(r);
	return rc;
}
