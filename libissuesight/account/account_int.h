/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the account area (auth, quota): a MongoDB client pool with
 * short timeouts and error mapping, and the secrets (256-bit random values,
 * base64url text, SHA-256 digests).
 */
#ifndef ISSUESIGHT_ACCOUNT_INT_H
#define ISSUESIGHT_ACCOUNT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <mongoc/mongoc.h>

typedef struct isg__mongo {
	mongoc_client_pool_t *pool;
	char db[64];
	char prefix[64];
	const char *module;
} isg__mongo;

/* Parses the URI (its database, default "issuesight") and creates the
 * pool with server selection and connect timeouts of `timeout_ms`. */
int isg__account_mongo_init(isg__mongo *m, const char *uri, const char *prefix,
                            int timeout_ms, const char *module);
void isg__account_mongo_dispose(isg__mongo *m);

/* Borrows a client and its collection `name` (prefixed). Release both
 * with isg__account_mongo_put(). */
mongoc_collection_t *isg__account_mongo_get(mongoc_client_t **client,
                                            isg__mongo *m, const char *name);
void isg__account_mongo_put(isg__mongo *m, mongoc_client_t *client,
                            mongoc_collection_t *coll);

/* Records the error of a failed command: duplicate key -> ISG_ECONFLICT,
 * no server / network -> ISG_EUNAVAILABLE, others ISG_EBACKEND. */
int isg__account_mongo_error(const isg__mongo *m, const bson_error_t *err,
                             const char *what);

/* Creates an index (keys as a BSON document) unless it exists. */
int isg__account_mongo_index(isg__mongo *m, const char *coll,
                             const bson_t *keys, const char *name);

/* `prefix` + 43 base64url characters of 32 random bytes. */
int isg__account_secret_new(char *out, size_t n, const char *prefix);
/* Random bytes as lower-case hex (2n digits). */
int isg__account_random_hex(char *out, size_t n_bytes);
/* SHA-256 of `s` as 64 hex digits. */
void isg__account_sha256_hex(char out[65], const char *s, size_t len);
/* base64url (no padding) SHA-256 of `s`: 43 characters. */
void isg__account_sha256_b64url(char out[44], const char *s, size_t len);

/* Milliseconds since the epoch <-> ISO 8601 UTC. */
void isg__account_iso_time(char out[40], int64_t ms);

#endif /* ISSUESIGHT_ACCOUNT_INT_H */
