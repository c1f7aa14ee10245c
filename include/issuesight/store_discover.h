/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store_discover.h
 * @brief Discovery pages: isg_store_issues_list() with the freshness a
 *        newcomer needs before picking an issue.
 *
 * Included by store.h; the conventions of store_db.h apply.
 */
#ifndef ISSUESIGHT_STORE_DISCOVER_H
#define ISSUESIGHT_STORE_DISCOVER_H

#include "store_db.h"
#include "store_issue.h"

ISG_BEGIN_DECLS

/**
 * One page as isg_store_issues_list() gives it (same filter, order and
 * keyset cursor), each item also carrying `assignee` (the GitHub login,
 * or null when nobody is assigned), `assignees` (every login) and
 * `last_activity_at` (GitHub's `updated_at`, ISO 8601 UTC).
 *
 * @param out replaced with the JSON text.
 * @return as isg_store_issues_list().
 */
ISG_API int isg_store_issues_discover(isg_buf *out, isg_store *st,
                                      const isg_store_issue_filter *filter);

ISG_END_DECLS

#endif /* ISSUESIGHT_STORE_DISCOVER_H */
