/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake OpenAI-compatible chat server for tests and benchmarks: an
 * in-process civetweb server on 127.0.0.1 that answers
 * POST /v1/chat/completions (anything else is OpenAI's 404) in the shapes of
 * the recorded payloads in ../shared/fixtures/openai (chat.completion with
 * usage details, x-request-id and x-ratelimit-* headers, OpenAI's error
 * bodies).
 *
 * Answers: with `response_format` json_schema or json_object, the content
 * is what the responder returns (default: a minimal instance of the
 * request's schema); without, a short text. Faults are queued like the
 * fake GitHub's: the next N requests get them. It records every request
 * body and counts requests per `X-Client-Request-Id` (the client's tag,
 * e.g. one issue).
 *
 * Thread rule: every function is thread-safe.
 */
#ifndef ISSUESIGHT_FAKE_OPENAI_H
#define ISSUESIGHT_FAKE_OPENAI_H

#include <stddef.h>

typedef struct fake_openai fake_openai;

typedef struct fake_openai_options {
	const char *api_key; /* required bearer key (NULL: any or none) */
	int latency_ms;      /* added to every answer (default 0) */
	int port;            /* 0: a free port in 20000..32767 */
	int threads;         /* civetweb worker threads (default 64) */
	int keep_bodies;     /* request bodies kept (default 256, FIFO) */
} fake_openai_options;

int fake_openai_start(fake_openai **out, const fake_openai_options *opts);
void fake_openai_stop(fake_openai *fo);
/* "http://127.0.0.1:<port>/v1" (borrowed). */
const char *fake_openai_url(const fake_openai *fo);
int fake_openai_port(const fake_openai *fo);

typedef enum fake_openai_fault {
	/* 429 rate_limit_exceeded with retry-after (seconds, see
	 * fake_openai_set_retry_after) and x-ratelimit-* headers. */
	FAKE_OPENAI_429 = 0,
	/* 429 with retry-after-ms only. */
	FAKE_OPENAI_429_MS = 1,
	/* 429 with no retry-after, x-ratelimit-remaining-requests 0 and
	 * x-ratelimit-reset-requests (the same duration). */
	FAKE_OPENAI_429_RESET = 2,
	/* 429 insufficient_quota (the recorded body): never retried. */
	FAKE_OPENAI_429_QUOTA = 3,
	/* 500 server_error. */
	FAKE_OPENAI_500 = 4,
	/* 503 with an HTML body (a proxy in between). */
	FAKE_OPENAI_503 = 5,
	/* No answer for hang_ms (default 5000): past the client's timeout. */
	FAKE_OPENAI_HANG = 6,
	/* 200 whose content is not JSON. */
	FAKE_OPENAI_INVALID_JSON = 7,
	/* 200 whose content is JSON missing the schema's required fields. */
	FAKE_OPENAI_SCHEMA_VIOLATION = 8,
	/* 200 whose body itself is truncated JSON. */
	FAKE_OPENAI_BROKEN_BODY = 9,
	/* 400 invalid_request_error (the recorded body). */
	FAKE_OPENAI_400 = 10,
	/* 200 with finish_reason "length" and a cut content. */
	FAKE_OPENAI_LENGTH = 11,
	FAKE_OPENAI_FAULT_COUNT = 12
} fake_openai_fault;

void fake_openai_inject(fake_openai *fo, fake_openai_fault kind, int count);
void fake_openai_set_retry_after(fake_openai *fo, int ms);
void fake_openai_set_hang_ms(fake_openai *fo, int ms);
void fake_openai_set_latency_ms(fake_openai *fo, int ms);
/* Refuse response_format json_schema with a 400 (as some servers do);
 * json_object is still served. */
void fake_openai_reject_json_schema(fake_openai *fo, int on);

/* Builds the content of a structured answer. `body` is the request's JSON
 * body, `user` its user message. Returns malloc'd text (freed by the
 * fake) or NULL for the default. Called without the fake's lock. */
typedef char *(*fake_openai_responder)(const char *body, const char *user,
                                       void *payload);
void fake_openai_set_responder(fake_openai *fo, fake_openai_responder fn,
                               void *payload);

/* Counters: all requests, those answered `status` (-1: any), those with
 * X-Client-Request-Id `tag` (NULL: any). */
long fake_openai_count(fake_openai *fo, const char *tag, int status);
/* Number of requests being answered right now, and the highest seen. */
int fake_openai_in_flight(fake_openai *fo, int *peak);
void fake_openai_reset(fake_openai *fo);
/* A copy (malloc'd, caller frees) of the k-th recorded request body,
 * oldest first among those kept; NULL when out of range. */
char *fake_openai_body(fake_openai *fo, int k);
int fake_openai_body_count(fake_openai *fo);
/* Copies a header of the last request (1 when present). */
int fake_openai_last_header(fake_openai *fo, const char *name, char *out,
                            size_t n);
/* Wall-clock ms (CLOCK_MONOTONIC) at which the k-th request (0-based,
 * since the last reset) arrived; -1 out of range. */
long long fake_openai_arrival_ms(fake_openai *fo, int k);

/* Every request for the next `ms` milliseconds is answered 429 (the
 * FAKE_OPENAI_429 shape); 0 ends it. Cleared by fake_openai_reset(). */
void fake_openai_fail_for_ms(fake_openai *fo, int ms);
/* The counters as JSON (malloc'd, caller frees; NULL when out of
 * memory): {"total", "in_flight", "peak", "latency_ms", "failing",
 * "status": {"200": n, ...}, "tags": {"<tag>": {"requests", "ok"}}}. */
char *fake_openai_stats_json(fake_openai *fo);

/* Serves `uri` (and everything under it) with `fn` instead of the chat
 * API: the standalone server's control routes. `fn` is a civetweb request
 * handler. */
struct mg_connection;
typedef int (*fake_openai_route_fn)(struct mg_connection *conn, void *payload);
void fake_openai_route(fake_openai *fo, const char *uri,
                       fake_openai_route_fn fn, void *payload);

#endif /* ISSUESIGHT_FAKE_OPENAI_H */
