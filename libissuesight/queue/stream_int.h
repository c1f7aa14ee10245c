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

/* Builds "<prefix><name>" into `out` (size n). ISG_EINVALID when too long
 * or the name is empty. */
int isg__stream_keyname(char *out, size_t n, const isg_stream *s,
                        const char *name);

#endif /* ISSUESIGHT_STREAM_INT_H */
