/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private entry points of the issue module: building the domain types from
 * an already parsed cJSON value, used by the GitHub client for list items.
 */
#ifndef ISSUESIGHT_ISSUE_INT_H
#define ISSUESIGHT_ISSUE_INT_H

#include <cjson/cJSON.h>

#include "issuesight/issue.h"

/* Each returns ISG_OK, ISG_EPARSE when `v` is not an object (a string for
 * labels), or ISG_ENOMEM; `*out` is NULL on error. */
int isg__issue_from_json(isg_issue **out, const cJSON *v);
/* Strict check of an issue document a user wrote (isg_issue_parse() reads
 * wrong types as absent, as GitHub's own payloads need): ISG_OK, or
 * ISG_EPARSE naming the field whose type is wrong ("field 'title' is of
 * type number, expected a string") or the JSON error. */
int isg__issue_check_types(const char *json, size_t len);
int isg__issue_comment_from_json(isg_comment **out, const cJSON *v);
int isg__issue_repository_from_json(isg_repository **out, const cJSON *v);
int isg__issue_label_from_json(isg_label **out, const cJSON *v);

/* The JSON type of `v` in words ("array", "string", ...), for messages. */

#endif /* ISSUESIGHT_ISSUE_INT_H */
