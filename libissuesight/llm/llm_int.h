/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the llm module: the pure parts of a chat request, shared by
 * the client (llm.c) and tested and fuzzed without a server. Building the
 * body (llm_body.c), reading answers and error bodies (llm_response.c),
 * retry hints, classification and backoff (llm_retry.c).
 */
#ifndef ISSUESIGHT_LLM_INT_H
#define ISSUESIGHT_LLM_INT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "issuesight/llm.h"

/* ---- llm_body.c ------------------------------------------------------ */

/* 1 for models that take max_completion_tokens and reasoning_effort and
 * refuse a temperature: gpt-5*, o1*, o3*, o4* (an optional "openai/"
 * provider prefix is skipped). */
int isg__llm_is_reasoning_model(const char *model);

/* 1 when `effort` is minimal, low, medium or high. */
int isg__llm_effort_valid(const char *effort);

/* What a request body is made of. */
typedef struct isg__llm_body_in {
	const char *model;
	const char *reasoning_effort;
	int max_output_tokens;
	int temperature_x100;
	const char *system;
	const char *user;
	const cJSON *schema;     /* NULL: free text */
	const char *schema_name; /* "answer" when NULL */
	int json_object;         /* 1: ask json_object instead of the schema */
} isg__llm_body_in;

/* What precedes the schema in the instructions of a json_object request:
 * the schema follows it, compact, to the end of the message. */
#define ISG__LLM_SCHEMA_INTRO \
	"Answer with one JSON object that satisfies this JSON Schema:\n"

/* Writes the JSON body of POST /chat/completions into `out` (replaced).
 * ISG_OK or ISG_ENOMEM. */
int isg__llm_body_build(isg_buf *out, const isg__llm_body_in *in);

/* ---- llm_response.c -------------------------------------------------- */

/* Reads a 2xx chat.completion body into `out` (content, model,
 * finish_reason, usage). ISG_OK; ISG_EUPSTREAM with a message in
 * out->message for a body that is not a completion, a refusal or an
 * empty content; ISG_ETOOBIG when the output was cut at the token limit
 * (content kept); ISG_ENOMEM. Pure: fuzzed. */
int isg__llm_response_parse(isg_llm_result *out, const char *body, size_t len);

/* The server's error of a non-2xx body: {"error": {"code", "type",
 * "message", "param"}} (also a bare string "error"). Fields it lacks are
 * "". Pure. */
typedef struct isg__llm_error_body {
	char code[64];
	char type[64];
	char param[128];
	char message[300];
} isg__llm_error_body;
void isg__llm_error_body_parse(isg__llm_error_body *out, const char *body,
                               size_t len);

/* Masks secrets in `s` in place: every occurrence of `key` (when longer
 * than 3 bytes) and every "sk-" word keep their first 3 bytes and become
 * "***". */
void isg__llm_mask(char *s, const char *key);

/* 1 when a 400 error body says the server does not support
 * response_format json_schema. */
int isg__llm_rejects_json_schema(const isg__llm_error_body *e);

/* ---- llm_retry.c ----------------------------------------------------- */

/* Wait hints from one attempt's response headers. -1: absent. */
typedef struct isg__llm_hints {
	long long retry_after_ms;    /* retry-after-ms, else retry-after */
	long long reset_requests_ms; /* x-ratelimit-reset-requests */
	long long reset_tokens_ms;   /* x-ratelimit-reset-tokens */
	long long remaining_requests;
	long long remaining_tokens;
	char request_id[ISG_LLM_ID_SIZE];
} isg__llm_hints;

void isg__llm_hints_init(isg__llm_hints *h);

/* Reads one raw header line ("Name: value\r\n") into the hints. */
void isg__llm_hints_line(isg__llm_hints *h, const char *line, size_t len);

/* Parses an OpenAI reset duration ("20ms", "1.5s", "6m0s", "1h2m3s") or
 * a plain number of seconds. -1 when malformed. Pure. */
long long isg__llm_duration_ms(const char *s, size_t n);

/* The server's wait for a response with `http` status: retry-after(-ms)
 * when given, else on a 429 the reset of the exhausted budget (or the
 * larger reset when none is reported exhausted). -1: no hint. */
long long isg__llm_hint_ms(const isg__llm_hints *h, int http);

/* 1 when an HTTP status is retried (408, 409, 429, 500, 502, 503, 504). */
int isg__llm_http_retryable(int http);

/* The status of a final HTTP failure: 400 EINVALID, 401 EAUTH, 403
 * EFORBIDDEN, 404 ENOTFOUND, 413 ETOOBIG, 429 ERATELIMIT (EQUOTA for
 * insufficient_quota), 5xx EUPSTREAM, others EUPSTREAM. */
int isg__llm_http_status(int http, const isg__llm_error_body *e);

/* A xorshift64* generator for the jitter. */
uint64_t isg__llm_rand(uint64_t *state);

/* Full jitter: uniform in [0, min(cap, base << attempt)] ms; attempt 0 is
 * the first retry. */
long long isg__llm_backoff_ms(uint64_t *state, int attempt, long long base,
                              long long cap);

/* ---- llm_schema.c ---------------------------------------------------- */

/* Checks that `schema` stays inside the supported subset. ISG_OK or
 * ISG_EINVALID naming the path. */
int isg__llm_schema_check(const cJSON *schema);

/* Validates `doc` against `schema`. ISG_OK or ISG_EPARSE with the path of
 * the first violation in the thread's error. */
int isg__llm_schema_validate(const cJSON *doc, const cJSON *schema);

#endif /* ISSUESIGHT_LLM_INT_H */
