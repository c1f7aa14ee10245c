/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the reader: the shared bridge entries, the memory tier (a
 * byte-bounded LRU map), the Redis value format and the Redis read pool,
 * and the invalidation subscriber.
 */
#ifndef ISSUESIGHT_READER_INT_H
#define ISSUESIGHT_READER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "issuesight/reader.h"
#include "redis_int.h"

/* A shared, immutable bridge: one allocation holding the public view, the
 * key and the strings. `pub` comes first so that a public pointer is an
 * entry pointer. */
typedef struct isg__rentry {
	isg_reader_bridge pub;
	atomic_int refs;
	size_t size; /* bytes charged to the memory tier */
	/* memory tier links, guarded by the tier's mutex */
	struct isg__rentry *hnext, *prev, *next;
	uint64_t hash;
	const char *key;
} isg__rentry;

/* Creates an entry with one reference. ETag computed for COMPLETED. */
isg__rentry *isg__reader_entry_new(const char *key, int status,
                                   const char *body, size_t len,
                                   const char *updated_at);
void isg__reader_entry_ref(isg__rentry *e);
void isg__reader_entry_unref(isg__rentry *e);

/* The Redis value: "ISG1 <C|P|F> <updated_at|->\n<body>"; "ISG1 N\n" is
 * "no such bridge". encode fills a buffer; decode returns ISG_OK with
 * *out set (NULL for "not found"), or ISG_EPARSE for anything else. */
int isg__reader_encode(isg_buf *out, const isg__rentry *e);
int isg__reader_decode(isg__rentry **out, int *not_found, const char *key,
                       const char *v, size_t len);

/* The memory tier. */
typedef struct isg__rmem {
	pthread_mutex_t mu;
	isg__rentry **buckets;
	size_t nbuckets;
	isg__rentry *head, *tail; /* most recently used first */
	long long bytes, max_bytes, entries;
	uint64_t epoch; /* bumped by every removal that may race a load */
} isg__rmem;

int isg__reader_mem_init(isg__rmem *m, long long max_bytes);
void isg__reader_mem_dispose(isg__rmem *m);
uint64_t isg__reader_hash(const char *s);
/* A new reference to the cached entry of `key`, or NULL. */
isg__rentry *isg__reader_mem_get(isg__rmem *m, const char *key);
/* Inserts (replacing) unless the epoch moved since `epoch` was read. */
void isg__reader_mem_put(isg__rmem *m, isg__rentry *e, uint64_t epoch);
uint64_t isg__reader_mem_epoch(isg__rmem *m);
void isg__reader_mem_remove(isg__rmem *m, const char *key);
void isg__reader_mem_clear(isg__rmem *m);
void isg__reader_mem_usage(isg__rmem *m, long long *entries, long long *bytes);

/* A pool of Redis connections with a one-second circuit breaker. */
typedef struct isg__rpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *url;
	isg__redis **idle;
	int nidle, open, max;
	int connect_timeout_ms, command_timeout_ms;
	atomic_llong down_until_ms;
} isg__rpool;

int isg__reader_pool_init(isg__rpool *p, const char *url, int max,
                          int connect_timeout_ms, int command_timeout_ms);
void isg__reader_pool_dispose(isg__rpool *p);
/* Runs one command on a pooled connection. ISG_EUNAVAILABLE at once while
 * the breaker is open. */
int isg__reader_pool_command(redisReply **out, isg__rpool *p, int argc,
                             const char **argv, const size_t *lens);

struct isg_reader {
	isg_store *store;
	int has_redis;
	int ttl_s, negative_ttl_s;
	isg__rpool pool;
	isg__rmem mem;
	int mem_on;
	/* coalescing */
	pthread_mutex_t fmu;
	struct isg__rflight *flights;
	/* subscriber */
	pthread_t sub;
	int sub_started;
	atomic_int stop;
	atomic_int subscribed;
	isg__redis_url url;
	int connect_timeout_ms;
	/* counters */
	atomic_llong memory_hits, redis_hits, store_reads, coalesced, not_found,
	        degraded, store_errors, invalidations;
};

/* The subscriber thread's body (reader_subscribe.c). */
void *isg__reader_subscriber(void *arg);
#endif /* ISSUESIGHT_READER_INT_H */
