/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The account area's MongoDB access: a thread-safe client pool with short
 * timeouts (a sign-in must fail fast with 503 when MongoDB is down), the
 * error mapping, and index creation.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "account_int.h"
#include "core_int.h"

int isg__account_mongo_init(isg__mongo *m, const char *uri_text,
                            const char *prefix, int timeout_ms,
                            const char *module)
{
	bson_error_t err;
	mongoc_uri_t *uri;
	const char *db;

	memset(m, 0, sizeof(*m));
	m->module = module;
	if (!uri_text)
		return isg__error_set(ISG_EINVALID, module, "no MongoDB URI");
	uri = mongoc_uri_new_with_error(uri_text, &err);
	if (!uri)
		return isg__error_set(ISG_EINVALID, module,
		                      "MongoDB URI is not valid: %s",
		                      err.message);
	if (timeout_ms <= 0)
		timeout_ms = 2000;
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
	                               timeout_ms);
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS,
	                               timeout_ms);
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS,
	                               timeout_ms * 5);
	db = mongoc_uri_get_database(uri);
	snprintf(m->db, sizeof(m->db), "%s", db && db[0] ? db : "issuesight");
	snprintf(m->prefix, sizeof(m->prefix), "%s", prefix ? prefix : "");
	m->pool = mongoc_client_pool_new(uri);
	mongoc_uri_destroy(uri);
	if (!m->pool)
		return isg__error_set(ISG_EINVALID, module,
		                      "cannot create a MongoDB client pool");
	mongoc_client_pool_set_error_api(m->pool, MONGOC_ERROR_API_VERSION_2);
	return ISG_OK;
}

void isg__account_mongo_dispose(isg__mongo *m)
{
	if (m->pool)
		mongoc_client_pool_destroy(m->pool);
	m->pool = NULL;
}

mongoc_collection_t *isg__account_mongo_get(mongoc_client_t **client,
                                            isg__mongo *m, const char *name)
{
	char full[160];

	snprintf(full, sizeof(full), "%s%s", m->prefix, name);
	*client = mongoc_client_pool_pop(m->pool);
	return mongoc_client_get_collection(*client, m->db, full);
}

void isg__account_mongo_put(isg__mongo *m, mongoc_client_t *client,
                            mongoc_collection_t *coll)
{
	if (coll)
		mongoc_collection_destroy(coll);
	if (client)
		mongoc_client_pool_push(m->pool, client);
}

int isg__account_mongo_error(const isg__mongo *m, const bson_error_t *err,
                             const char *what)
{
	int code = ISG_EBACKEND;

	if (err->code == 11000 || err->code == 11001)
		code = ISG_ECONFLICT;
	else if (err->domain == MONGOC_ERROR_SERVER_SELECTION ||
	         err->domain == MONGOC_ERROR_STREAM ||
	         (err->domain == MONGOC_ERROR_CLIENT &&
	          err->code == MONGOC_ERROR_CLIENT_NO_ACCEPTABLE_PEER))
		code = ISG_EUNAVAILABLE;
	return isg__error_set(code, m->module, "MongoDB %s: %s", what,
	                      err->message);
}

int isg__account_mongo_index(isg__mongo *m, const char *coll_name,
                             const bson_t *keys, const char *name)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll =
	        isg__account_mongo_get(&client, m, coll_name);
	bson_t cmd, indexes, index;
	bson_error_t err;
	int rc = ISG_OK;

	/* The createIndexes command: libmongoc 1.23 has no index model
	 * helper, and the older one is deprecated. */
	bson_init(&cmd);
	BSON_APPEND_UTF8(&cmd, "createIndexes",
	                 mongoc_collection_get_name(coll));
	BSON_APPEND_ARRAY_BEGIN(&cmd, "indexes", &indexes);
	BSON_APPEND_DOCUMENT_BEGIN(&indexes, "0", &index);
	BSON_APPEND_DOCUMENT(&index, "key", keys);
	BSON_APPEND_UTF8(&index, "name", name);
	bson_append_document_end(&indexes, &index);
	bson_append_array_end(&cmd, &indexes);
	if (!mongoc_collection_write_command_with_opts(coll, &cmd, NULL, NULL,
	                                               &err))
		rc = isg__account_mongo_error(m, &err, "create index");
	bson_destroy(&cmd);
	isg__account_mongo_put(m, client, coll);
	return rc;
}

void isg__account_iso_time(char out[40], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
