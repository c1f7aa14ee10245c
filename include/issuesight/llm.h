/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/llm.h
 * @brief OpenAI-compatible chat client: structured output, retries with
 *        backoff, usage accounting, many requests in flight from one
 *        thread.
 *
 * The client sends `POST {base_url}/chat/completions` with a bearer key to
 * any OpenAI-compatible server (OpenAI, Azure's compatible endpoint, vLLM,
 * Ollama, llama.cpp server). Requests are queued with isg_llm_submit() and
 * driven by isg_llm_run() from one thread through libcurl's multi
 * interface: at most `max_in_flight` requests are started at a time (a
 * request keeps its slot while it waits to be retried), the rest wait in
 * order. isg_llm_complete() is the one-request, blocking form.
 *
 * Models: the gpt-5 family and OpenAI's o-series reasoning models get
 * `max_completion_tokens` and `reasoning_effort` and never a
 * `temperature`; other models (gpt-4o, gpt-4.1, open models) get
 * `max_tokens` and `temperature`.
 *
 * Structured output: with a schema, the request asks for
 * `response_format: {type: "json_schema", json_schema: {name, strict:
 * true, schema}}`. A server that rejects `json_schema` with a 400 is asked
 * again with `{type: "json_object"}` (and the client remembers it for
 * later requests); in both modes the answer is parsed and validated
 * against the schema here, so a result with ::ISG_OK always holds a JSON
 * document that satisfies it.
 *
 * Retries: 408, 409, 429, 500, 502, 503, 504 and network errors
 * (connection refused or reset, timeouts) are retried up to `max_retries`
 * times with exponential backoff and full jitter. A server's hint wins:
 * `retry-after-ms`, `retry-after` (seconds), or on a 429 the
 * `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` of the
 * exhausted budget; no attempt starts before the hinted wait is over, and
 * a 429 also holds back every other request of the client until then.
 * 400, 401, 403, 404 and a 429 `insufficient_quota` are never retried:
 * the result names the cause (the server's error code and message, with
 * anything that looks like a key masked).
 *
 * Secrets: the API key is sent only in the Authorization header; it never
 * appears in a result, a message or a log line.
 */
#ifndef ISSUESIGHT_LLM_H
#define ISSUESIGHT_LLM_H

#include "buf.h"
#include "common.h"
#include "config.h"
#include "error.h"

ISG_BEGIN_DECLS

/**
 * A chat client with its queue of requests.
 *
 * Thread rule: one thread at a time; callbacks run on the thread that
 * calls isg_llm_run().
 */
typedef struct isg_llm isg_llm;

/** The current version of ::isg_llm_options. */
#define ISG_LLM_OPTIONS_VERSION 1

/** Options of isg_llm_new(). Zero means the documented default. */
typedef struct isg_llm_options {
	/** Must be ::ISG_LLM_OPTIONS_VERSION. */
	unsigned int version;
	/** Base URL up to and including the version path, e.g.
	 * `https://api.openai.com/v1` (http or https). Required. Copied. */
	const char *base_url;
	/** The bearer key. NULL or "": no Authorization header (local
	 * servers). Copied; never shown. */
	const char *api_key;
	/** Model name (default "gpt-5"). Copied. */
	const char *model;
	/** gpt-5 family: "minimal", "low", "medium" or "high" (default
	 * "low"). Ignored for other models. */
	const char *reasoning_effort;
	/** Requests started at a time (default 8, at most 4096). */
	int max_in_flight;
	/** Seconds to connect (default 10). */
	int connect_timeout_s;
	/** Seconds for one attempt, from connect to the last byte (default
	 * 120). */
	int timeout_s;
	/** Retries after the first attempt (default 4; negative: none). */
	int max_retries;
	/** First backoff step in ms (default 500); attempt k waits a
	 * uniformly random time in [0, min(max_backoff_ms, base << k)]. */
	int backoff_base_ms;
	/** Backoff cap in ms (default 30000). */
	int max_backoff_ms;
	/** Longest server-hinted wait accepted, in seconds (default 600);
	 * a longer hint fails the request with ::ISG_ERATELIMIT. */
	int max_wait_s;
	/** Largest response body accepted, in bytes (default 8 MiB). */
	long long max_response_bytes;
	/** Output token limit per request (default 8192). */
	int max_output_tokens;
	/** Temperature for models that take one, times 100 (default 20,
	 * i.e. 0.2; negative: 0). */
	int temperature_x100;
	/** Seed of the jitter's generator (0: from the clock and pid). */
	unsigned long long jitter_seed;
} isg_llm_options;

/** Default options (base_url must still be set). */
#define ISG_LLM_OPTIONS_INIT                                                 \
	{                                                                    \
		ISG_LLM_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, 0, \
		        0, 0, 0, 0, 0, 0, 0                                  \
	}

/**
 * Create a client.
 *
 * @param out receives the client, owned by the caller; NULL on error.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad option (an unknown
 *         reasoning effort, a base URL that is not http(s)); ::ISG_ENOMEM.
 */
ISG_API int isg_llm_new(isg_llm **out, const isg_llm_options *opts);

/**
 * Create a client from the settings `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
 * `LLM_MODEL`, `LLM_REASONING_EFFORT`, `LLM_TIMEOUT_S`,
 * `LLM_CONNECT_TIMEOUT_S`, `LLM_MAX_RETRIES` and `WORKER_CONCURRENCY`.
 *
 * @return as isg_llm_new().
 */
ISG_API int isg_llm_new_from_config(isg_llm **out, const isg_config *cfg);

/**
 * Free a client. Requests still queued or in flight are abandoned without
 * their callbacks. NULL is a no-op.
 */
ISG_API void isg_llm_free(isg_llm *llm);

/** The model the client asks for (borrowed). */
ISG_API const char *isg_llm_model(const isg_llm *llm);

/** The current version of ::isg_llm_request. */
#define ISG_LLM_REQUEST_VERSION 1

/** One chat request. Every string is copied by isg_llm_submit(). */
typedef struct isg_llm_request {
	/** Must be ::ISG_LLM_REQUEST_VERSION. */
	unsigned int version;
	/** The system message: instructions first, so that providers'
	 * prompt caching can reuse it. Required. */
	const char *system;
	/** The user message. Required. */
	const char *user;
	/** JSON Schema of the answer (an object schema; every property
	 * required, `additionalProperties: false`), or NULL for free
	 * text. */
	const char *schema_json;
	/** Name of the schema (`[A-Za-z0-9_-]`, default "answer"). */
	const char *schema_name;
	/** A label sent as `X-Client-Request-Id` and used in log lines
	 * (e.g. "octo/hello#42"); printable ASCII, at most 200 bytes. May
	 * be NULL. */
	const char *tag;
} isg_llm_request;

/** Default request (system and user must still be set). */
#define ISG_LLM_REQUEST_INIT                                          \
	{                                                             \
		ISG_LLM_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL \
	}

/** Size of the request id and model fields of ::isg_llm_result. */
#define ISG_LLM_ID_SIZE 128

/**
 * The outcome of one request (all its attempts).
 */
typedef struct isg_llm_result {
	/** ::ISG_OK, or why the request failed: ::ISG_EINVALID (400),
	 * ::ISG_EAUTH (401), ::ISG_EFORBIDDEN (403), ::ISG_ENOTFOUND (404,
	 * e.g. an unknown model), ::ISG_EQUOTA (429 insufficient_quota),
	 * ::ISG_ERATELIMIT (still limited after the retries, or a hinted
	 * wait over `max_wait_s`), ::ISG_EUPSTREAM (5xx after the retries,
	 * a refusal, a malformed body), ::ISG_ETIMEOUT, ::ISG_EUNAVAILABLE
	 * (connection failures after the retries), ::ISG_EPARSE (the
	 * content is not JSON or violates the schema; `content` keeps it),
	 * ::ISG_ETOOBIG (response over the cap, or the output cut at the
	 * token limit), ::ISG_ECANCELLED, ::ISG_ENOMEM. */
	int status;
	/** One sentence on a failure (empty on success). */
	char message[ISG_ERROR_MESSAGE_MAX];
	/** The last HTTP status (0: none received). */
	int http_status;
	/** The message content (JSON text with a schema). */
	isg_buf content;
	/** The server's request id (`x-request-id`), "" when absent. */
	char request_id[ISG_LLM_ID_SIZE];
	/** The model that answered, as the server names it. */
	char model[ISG_LLM_ID_SIZE];
	/** `finish_reason` of the choice ("stop", "length", ...). */
	char finish_reason[32];
	long long prompt_tokens;     /**< usage.prompt_tokens */
	long long completion_tokens; /**< usage.completion_tokens */
	/** usage.completion_tokens_details.reasoning_tokens */
	long long reasoning_tokens;
	/** usage.prompt_tokens_details.cached_tokens */
	long long cached_tokens;
	/** Attempts made (1 without retries). */
	int attempts;
	/** 1 when the answer was asked as `json_object` because the server
	 * rejected `json_schema`. */
	int json_object_fallback;
	/** Milliseconds from submission to completion, waits included. */
	long long elapsed_ms;
	/** Milliseconds of the last attempt alone. */
	long long last_attempt_ms;
} isg_llm_result;

/** Release a result's buffers. NULL is a no-op. */
ISG_API void isg_llm_result_dispose(isg_llm_result *result);

/**
 * Called once per submitted request when it is finished.
 *
 * @param result the outcome; its buffers are freed after the call
 *        returns (move `content` out with a struct copy and a reset to
 *        keep it).
 */
typedef void (*isg_llm_callback)(isg_llm_result *result, void *payload);

/**
 * Queue a request. It starts when a slot is free, during isg_llm_run().
 *
 * @return ::ISG_OK; ::ISG_EINVALID naming a bad field or an invalid
 *         schema; ::ISG_ENOMEM. On error the callback is never called.
 */
ISG_API int isg_llm_submit(isg_llm *llm, const isg_llm_request *req,
                           isg_llm_callback cb, void *payload);

/**
 * Drive the client: start queued requests, move bytes, run callbacks of
 * finished requests. Waits up to `timeout_ms` for something to happen
 * (0: do not wait).
 *
 * @param pending receives the number of requests not yet finished
 *        (queued, in flight or waiting to retry); may be NULL.
 * @return ::ISG_OK, or ::ISG_ENOMEM / ::ISG_ERROR when libcurl failed
 *         (requests stay queued).
 */
ISG_API int isg_llm_run(isg_llm *llm, int timeout_ms, int *pending);

/**
 * Finish every unfinished request with ::ISG_ECANCELLED, running the
 * callbacks now.
 */
ISG_API void isg_llm_cancel_all(isg_llm *llm);

/**
 * Send one request and wait for its outcome (all attempts). Other queued
 * requests progress meanwhile.
 *
 * @param out filled; release with isg_llm_result_dispose().
 * @return out->status.
 */
ISG_API int isg_llm_complete(isg_llm_result *out, isg_llm *llm,
                             const isg_llm_request *req);

/** Counters of a client since its creation. */
typedef struct isg_llm_stats {
	long long requests;  /**< Requests finished. */
	long long succeeded; /**< Finished with ::ISG_OK. */
	long long attempts;  /**< HTTP attempts started. */
	long long retries;   /**< Attempts that were retries. */
	long long in_flight; /**< Requests holding a slot now. */
	long long queued;    /**< Requests waiting for a slot. */
	long long fallbacks; /**< json_object fallbacks. */
} isg_llm_stats;

/** Read the client's counters. */
ISG_API void isg_llm_stats_get(isg_llm_stats *out, const isg_llm *llm);

/**
 * Check a JSON document against a JSON Schema of the subset the client
 * sends (type object/array/string/number/integer/boolean/null or a list
 * of these, properties, required, additionalProperties false, items,
 * enum, minItems, maxItems, minimum, maximum, maxLength).
 *
 * @param json the document (`len` bytes; need not be NUL-terminated).
 * @param schema_json the schema, NUL-terminated.
 * @return ::ISG_OK; ::ISG_EPARSE naming the first violation with its JSON
 *         path ("$.steps[2].title: expected string"); ::ISG_EINVALID for
 *         a schema outside the subset; ::ISG_ENOMEM.
 */
ISG_API int isg_llm_validate(const char *json, size_t len,
                             const char *schema_json);

ISG_END_DECLS

#endif /* ISSUESIGHT_LLM_H */
