/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the producer (stream.c) and the consumer
 * (stream_consumer.c).
 */
#ifndef ISSUESIGHT_STREAM_INT_H
#define ISSUESIGHT_STREAM_INT_H

#include "issuesight/stream.h"
#include "redis_int.h"

#define ISG__STREAM_PREFIX_MAX 64

struct isg_stream {
	isg__redis *redis;
	char *url;
	char prefix[ISG__STREAM_PREFIX_MAX + 1];
	long long maxlen; /* < 0: no trimming */
	int connect_timeout_ms;
	int command_timeout_ms;
};

/* Checks that `json` is an object with an integer schema_version; on
 * failure records ISG_EINVALID (or ISG_ENOMEM) naming the problem. */
int isg__stream_check_message(const char *json, size_t len, int *version);

/* What isg__stream_entry_check() found in an entry. */
typedef struct isg__stream_entry {
	const char *data; /* the `data` value (else the first value, kept
	                     for the dead letter), or NULL */
	size_t len;       /* bytes of `data` */
	int version;      /* its schema_version when valid */
} isg__stream_entry;

/* Checks the fields of one stream entry, given as `n` values alternating
 * name and value (`lens` their sizes; a NULL value is a field Redis did
 * not send as a string): exactly a `data` field holding a JSON object with
 * the integer schema_version `want_version`. Pure: no Redis, nothing
 * kept. ISG_OK; ISG_EINVALID with the reason a dead letter records in
 * `reason` (size `rn`) and the thread's error; ISG_ENOMEM. */
int isg__stream_entry_check(isg__stream_entry *out, const char *const *fv,
                            const size_t *lens, size_t n, int want_version,
                            char *reason, size_t rn);

/* Semi-private accessors for the areas that share the stream's Redis
 * connection (the collector's heartbeat and ETag store): the connection
 * (borrowed, owned by `s`) and the key prefix (for example "is:"). */
isg__redis *isg__stream_redis(const isg_stream *s);
const char *isg__stream_prefix(const isg_stream *s);

/* Builds "<prefix><name>" into `out` (size n). ISG_EINVALID when too long
 * or the name is empty. */
int isg__stream_keyname(char *out, size_t n, const isg_stream *s,
                        const char *name);

#endif /* ISSUESIGHT_STREAM_INT_H */
