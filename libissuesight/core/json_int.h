/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Defensive access to cJSON documents from the outside world: any field may
 * be missing, null or of another type, and none of these helpers trusts it.
 */
#ifndef ISSUESIGHT_JSON_INT_H
#define ISSUESIGHT_JSON_INT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "issuesight/buf.h"

/* Parses `len` bytes (need not be NUL-terminated). On failure records
 * ISG_EPARSE for `module` naming `what` and the byte offset, and returns
 * NULL; ISG_ENOMEM when allocation failed. */
cJSON *isg__json_parse(const char *text, size_t len, const char *module,
                       const char *what);
/* The string value of obj[key], or NULL when absent or not a string. */
const char *isg__json_str(const cJSON *obj, const char *key);
/* Integer value of obj[key]: ISG_OK, or ISG_ENOTFOUND when absent, null or
 * not an integral number within int64 range. */
int isg__json_i64(const cJSON *obj, const char *key, int64_t *out);
/* Boolean value of obj[key]: ISG_OK or ISG_ENOTFOUND. */
int isg__json_bool(const cJSON *obj, const char *key, int *out);
/* obj[key] when it is an object / array, else NULL. */
const cJSON *isg__json_obj(const cJSON *obj, const char *key);
const cJSON *isg__json_arr(const cJSON *obj, const char *key);
/* The JSON type name of an item ("object", "array", "string", "number",
 * "boolean", "null"), or "invalid"; for error messages. */
const char *isg__json_type_name(const cJSON *v);
/* Serializes compactly into `out` (replacing it). ISG_OK or ISG_ENOMEM. */
int isg__json_print(isg_buf *out, const cJSON *item);

#endif /* ISSUESIGHT_JSON_INT_H */
