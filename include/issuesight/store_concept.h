/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_concept.h
 * @brief The concept tree and the links from projects and Context
 *        Bridges to concepts.
 *
 * Errors and identifiers are those of store_db.h.
 */
#ifndef ISSUESIGHT_STORE_CONCEPT_H
#define ISSUESIGHT_STORE_CONCEPT_H

#include "store_db.h"

ISG_BEGIN_DECLS

/**
 * Insert a concept or update its name and description by slug.
 *
 * @param out receives the concept's uuid (may be NULL).
 * @param slug lower-case `a-z0-9-`, e.g. "message-queues".
 * @return ::ISG_OK; ::ISG_EINVALID naming a malformed slug.
 */
ISG_API int isg_store_concept_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                                     const char *slug, const char *name,
                                     const char *description);

/**
 * Make `child` a child of `parent` (idempotent).
 *
 * @return ::ISG_OK; ::ISG_EINVALID for a self-loop or a link that would
 *         close a cycle; ::ISG_ENOTFOUND naming an unknown slug.
 */
ISG_API int isg_store_concept_link(isg_store *st, const char *parent_slug,
                                   const char *child_slug);

/**
 * The subtree under `root_slug` as a JSON array in depth-first order:
 * objects with `slug`, `name`, `description`, `parent` (null for the
 * root) and `depth` (0 for the root). Safe against cycles.
 *
 * @param max_depth deepest level returned (<= 0: 32).
 * @return ::ISG_OK; ::ISG_ENOTFOUND for an unknown root.
 */
ISG_API int isg_store_concept_tree(isg_buf *out, isg_store *st,
                                   const char *root_slug, int max_depth);

/**
 * Record that a project uses a concept, with a confidence in [0,1]
 * (idempotent: a second call updates the confidence).
 *
 * @return ::ISG_OK; ::ISG_EINVALID for a confidence out of range;
 *         ::ISG_ENOTFOUND naming an unknown slug or project.
 */
ISG_API int isg_store_project_concept_set(isg_store *st, const char *project_id,
                                          const char *slug, double confidence);

/**
 * Record that a Context Bridge teaches a concept, with a relevance in
 * [0,1] (idempotent).
 *
 * @return as isg_store_project_concept_set().
 */
ISG_API int isg_store_content_concept_set(isg_store *st, const char *content_id,
                                          const char *slug, double relevance);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_CONCEPT_H */
