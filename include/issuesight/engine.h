/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/engine.h
 * @brief The llm engine: offline bridge → prompt → model → grounded merge,
 *        with one repair attempt and a fallback chosen by configuration.
 *
 * An engine runs many bridges at once on one thread through its chat
 * client (isg_llm_submit(), isg_llm_run()). Each job:
 * 1. asks the model with isg_bridge_llm_instructions(), the prompt of
 *    isg_bridge_llm_prompt() and the schema isg_bridge_llm_schema();
 * 2. merges the answer with isg_bridge_llm_merge() (grounding, verdict,
 *    slugs);
 * 3. when the answer is not JSON or breaks the schema, asks once more
 *    with isg_bridge_llm_repair_prompt();
 * 4. when it is still unusable, or the server refused the request for
 *    good (400, 401, 403, 404, spent quota), follows the policy: the
 *    offline bridge (its engine record says `offline`; the reason is in
 *    the result), or a failure with a readable reason.
 * Transient failures that outlived the client's retries (rate limits,
 * timeouts, 5xx, unreachable server) are not turned into a fallback: the
 * result carries the error so that the caller can retry the job later.
 *
 * Without a chat client (no `OPENAI_API_KEY`), every job gives the offline
 * bridge with the reason "no model configured".
 *
 * Thread rule: one thread at a time; callbacks run in isg_engine_run().
 */
#ifndef ISSUESIGHT_ENGINE_H
#define ISSUESIGHT_ENGINE_H

#include "bridge.h"
#include "bridge_llm.h"
#include "common.h"
#include "error.h"
#include "llm.h"

ISG_BEGIN_DECLS

/** What happens when the model's answer stays unusable. */
typedef enum isg_engine_fallback {
	/** The offline bridge, marked `engine: offline` (default). */
	ISG_ENGINE_FALLBACK_OFFLINE = 0,
	/** A failure with the reason (the bridge becomes FAILED). */
	ISG_ENGINE_FALLBACK_FAIL = 1
} isg_engine_fallback;

/** An engine. */
typedef struct isg_engine isg_engine;

/**
 * Create an engine.
 *
 * @param llm the chat client (borrowed; it must outlive the engine), or
 *        NULL for offline only.
 * @param fallback an ::isg_engine_fallback.
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_engine_new(isg_engine **out, isg_llm *llm, int fallback);

/** Free an engine. Unfinished jobs are dropped without callbacks, and the
 * chat client's requests are cancelled (isg_llm_cancel_all()): give an
 * engine a client of its own. NULL is a no-op. */
ISG_API void isg_engine_free(isg_engine *engine);

/** The outcome of one job. */
typedef struct isg_engine_result {
	/** ::ISG_OK with a bridge; else the error (transient errors of the
	 * model server, ::ISG_EPARSE or the refusal's status under
	 * ::ISG_ENGINE_FALLBACK_FAIL, ::ISG_ENOMEM). */
	int status;
	/** The bridge, owned by the result's receiver (take it and set the
	 * field to NULL, or it is freed after the callback). */
	isg_bridge *bridge;
	/** 1 when the bridge is the model's (merged), 0 offline. */
	int llm;
	/** Why the model's bridge was not used, or the failure ("" when the
	 * model's bridge was used). */
	char reason[ISG_ERROR_MESSAGE_MAX];
	/** What the merge dropped and added. */
	isg_bridge_llm_report report;
	/** Model requests made (0 offline, 2 after a repair). */
	int requests;
	/** Attempts of the client's retries, summed over requests. */
	int attempts;
	/** Tokens over every request. */
	long long prompt_tokens, completion_tokens;
	/** Latency of the model requests, summed, in ms. */
	long long llm_ms;
} isg_engine_result;

/** Called once per job, from isg_engine_run(). */
typedef void (*isg_engine_callback)(isg_engine_result *result, void *payload);

/**
 * Start a job. `in` and everything it points to (the offline bridge, the
 * repository, the catalog) must stay valid until the callback.
 *
 * @param tag a label for the model server and logs (e.g. "o/r#42"), may
 *        be NULL.
 * @return ::ISG_OK; ::ISG_EINVALID; ::ISG_ENOMEM. On error the callback
 *         is never called.
 */
ISG_API int isg_engine_submit(isg_engine *engine,
                              const isg_bridge_llm_input *in, const char *tag,
                              isg_engine_callback cb, void *payload);

/**
 * Drive the jobs (and the chat client) for up to `timeout_ms`.
 *
 * @param pending receives the unfinished jobs (may be NULL).
 * @return as isg_llm_run().
 */
ISG_API int isg_engine_run(isg_engine *engine, int timeout_ms, int *pending);

/**
 * Run one job to its end.
 *
 * @param out filled; release its bridge with isg_bridge_free().
 * @return out->status.
 */
ISG_API int isg_engine_generate(isg_engine_result *out, isg_engine *engine,
                                const isg_bridge_llm_input *in,
                                const char *tag);

ISG_END_DECLS

#endif /* ISSUESIGHT_ENGINE_H */
