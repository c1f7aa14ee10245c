/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/bridge_llm.h
 * @brief The llm engine's two halves around a model call: the prompt, and
 *        the merge of the model's answer into a grounded bridge.
 *
 * The llm engine starts from the offline bridge (isg_bridge_generate()),
 * whose files, symbols, lines, test command and contribution rules all
 * come from the repository index. isg_bridge_llm_prompt() writes the user
 * message: the issue inside `<<<ISSUE>>>` … `<<<END ISSUE>>>` delimiters
 * (any `<<<` or `>>>` in the issue is defused, so the issue cannot close
 * them), then the retrieved context, under a token budget that drops the
 * least valuable context first (comments, then excerpts, then the files
 * to read). The static instructions (isg_bridge_llm_instructions()) come
 * first in the request so that providers can cache them, and say that the
 * issue is data.
 *
 * isg_bridge_llm_merge() turns the model's answer (JSON under
 * isg_bridge_llm_schema(), e.g. from isg_llm_complete()) into the final
 * bridge:
 * - grounding: a path the model names is kept only when the offline
 *   bridge or the index (`repo`) has it; the rest are dropped and counted,
 *   also where they appear in prose (replaced by "(a file not in the
 *   repository)"); symbols and lines are the index's only;
 * - verdict: the model's judgement is combined with the offline
 *   difficulty estimate (score = 0.6 offline + 0.4 model); the offline
 *   reasons stay, the model's follow prefixed with "Model: ";
 * - prerequisites: slugs are normalised ("Message Queues" →
 *   `message-queues`) and kept only when the catalog has them; a concept
 *   whose parents are all absent enters with its first parent before it;
 * - the engine record says `llm`, the model and the tokens.
 * The result passes isg_bridge_validate().
 *
 * Thread rule: pure functions; any thread.
 */
#ifndef ISSUESIGHT_BRIDGE_LLM_H
#define ISSUESIGHT_BRIDGE_LLM_H

#include "bridge.h"
#include "buf.h"
#include "common.h"
#include "concepts.h"
#include "repo.h"

ISG_BEGIN_DECLS

/** The JSON Schema of the model's answer (static; every property
 * required, no additional properties, as strict structured output asks). */
ISG_API const char *isg_bridge_llm_schema(void);

/** The system instructions (static, identical for every issue). */
ISG_API const char *isg_bridge_llm_instructions(void);

/** The current version of ::isg_bridge_llm_input. */
#define ISG_BRIDGE_LLM_INPUT_VERSION 1

/** What the prompt and the merge read. Everything is borrowed. */
typedef struct isg_bridge_llm_input {
	/** Must be ::ISG_BRIDGE_LLM_INPUT_VERSION. */
	unsigned int version;
	/** The offline bridge of the issue. Required. */
	const isg_bridge *offline;
	/** The issue's body (NULL: none). Untrusted. */
	const char *issue_body;
	/** The most relevant comments, most relevant first (may be NULL). */
	const char *const *comments;
	/** Number of comments. */
	size_t ncomments;
	/** The repository at the bridge's commit (NULL: only the offline
	 * bridge's paths are grounded, and no excerpts are quoted). */
	const isg_repo *repo;
	/** The concept catalog (NULL: the embedded one). */
	const isg_concepts *concepts;
	/** Prompt budget in tokens, estimated as bytes / 4 (0: 6000). */
	size_t token_budget;
} isg_bridge_llm_input;

/** Default input (offline must still be set). */
#define ISG_BRIDGE_LLM_INPUT_INIT                                              \
	{                                                                      \
		ISG_BRIDGE_LLM_INPUT_VERSION, NULL, NULL, NULL, 0, NULL, NULL, \
		        0                                                      \
	}

/**
 * Write the user message of the model request.
 *
 * @param out replaced with the message (valid UTF-8).
 * @return ::ISG_OK; ::ISG_EINVALID for a missing bridge or a bad
 *         version; ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_llm_prompt(isg_buf *out, const isg_bridge_llm_input *in);

/**
 * Write the user message of the one repair attempt: the answer that was
 * refused and why, asking for a corrected answer.
 *
 * @return ::ISG_OK; ::ISG_EINVALID; ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_llm_repair_prompt(isg_buf *out, const char *prompt,
                                         const char *answer, const char *error);

/** What the merge dropped or added. */
typedef struct isg_bridge_llm_report {
	size_t dropped_paths;    /**< Ungrounded paths (lists and prose). */
	size_t dropped_concepts; /**< Slugs the catalog lacks. */
	size_t added_parents;    /**< Parents added before their children. */
	size_t model_files;      /**< Grounded files the model named. */
} isg_bridge_llm_report;

/**
 * Merge the model's answer into the offline bridge.
 *
 * @param out receives the new bridge, owned by the caller; NULL on error.
 * @param report filled (may be NULL).
 * @param answer the model's JSON (`len` bytes). Untrusted.
 * @param model the model that answered (copied into the engine record).
 * @return ::ISG_OK; ::ISG_EPARSE when the answer is not JSON or breaks
 *         isg_bridge_llm_schema() (the message names the path: the text
 *         to give isg_bridge_llm_repair_prompt()); ::ISG_EINVALID for bad
 *         arguments; ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_llm_merge(isg_bridge **out,
                                 isg_bridge_llm_report *report,
                                 const isg_bridge_llm_input *in,
                                 const char *answer, size_t len,
                                 const char *model, long long prompt_tokens,
                                 long long completion_tokens);

ISG_END_DECLS

#endif /* ISSUESIGHT_BRIDGE_LLM_H */
