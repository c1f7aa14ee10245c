/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the llm engine's prompt (bridge_llm_prompt.c) and
 * merge (bridge_llm_merge.c, bridge_llm_ground.c).
 */
#ifndef ISSUESIGHT_BRIDGE_LLM_INT_H
#define ISSUESIGHT_BRIDGE_LLM_INT_H

#include "bridge_int.h"
#include "issuesight/bridge_llm.h"

/* Appends untrusted text to `b`: at most `max` bytes, valid UTF-8, control
 * characters blanked, and every "<<<" / ">>>" broken up so that it cannot
 * open or close a fence. ISG_OK or ISG_ENOMEM. */
int isg__bridge_llm_put_data(isg_buf *b, const char *s, size_t max);

/* The paths a merged bridge may name: the offline bridge's files,
 * readings, step files and entry point, and what the index has. */
typedef struct isg__bridge_llm_ground {
	const isg_bridge *offline;
	const isg_repo *repo; /* may be NULL */
	size_t dropped;       /* ungrounded paths seen so far */
} isg__bridge_llm_ground;

/* 1 when `path` is grounded. */
int isg__bridge_llm_grounded(const isg__bridge_llm_ground *g, const char *path);

/* Copies model prose into `out` (replaced), replacing every path-like
 * word that is not grounded by "(a file not in the repository)" and
 * counting it in g->dropped. ISG_OK or ISG_ENOMEM. */
int isg__bridge_llm_scrub(isg_buf *out, isg__bridge_llm_ground *g,
                          const char *text);

/* Normalises a model's concept name to a slug ("Message Queues" ->
 * "message-queues") in `out` (size n); "" when nothing is left. */
void isg__bridge_llm_slug(char *out, size_t n, const char *s);

#endif /* ISSUESIGHT_BRIDGE_LLM_INT_H */
