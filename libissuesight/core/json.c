/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json: thin, defensive helpers over cJSON for data that comes from outside
 * (GitHub, the LLM, files). Type checks are explicit so that a field of the
 * wrong type reads as absent rather than as garbage.
 */
#include <math.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"

/* How many arrays and objects are open at byte `off` (strings skipped):
 * tells "too deep" from other syntax errors. */
static int nesting_at(const char *text, size_t off)
{
	size_t i;
	int depth = 0, in_str = 0;

	for (i = 0; i < off; i++) {
		char c = text[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return depth;
}

cJSON *isg__json_parse(const char *text, size_t len, const char *module,
                       const char *what)
{
	const char *end = NULL;
	unsigned long failures = isg__alloc_failures();
	cJSON *doc;

	if (!text) {
		isg__error_set(ISG_EINVALID, module, "%s: no JSON text", what);
		return NULL;
	}
	doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!doc && isg__alloc_failures() != failures) {
		/* cJSON returns NULL for both; only the allocator knows. */
		isg__error_oom(module);
		return NULL;
	}
	if (!doc) {
		size_t off = (end && end >= text) ? (size_t)(end - text) : 0;

		if (len == 0)
			isg__error_set(ISG_EPARSE, module,
			               "%s: empty JSON text", what);
		else if (nesting_at(text, off) >= CJSON_NESTING_LIMIT)
			isg__error_set(
			        ISG_EPARSE, module,
			        "%s: JSON nested deeper than %d levels (near byte %zu)",
			        what, CJSON_NESTING_LIMIT, off);
		else
			isg__error_set(ISG_EPARSE, module,
			               "%s: invalid JSON near byte %zu of %zu",
			               what, off, len);
		return NULL;
	}
	return doc;
}

const char *isg__json_str(const cJSON *obj, const char *key)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int isg__json_i64(const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON *v;
	double d;

	if (!cJSON_IsObject(obj))
		return ISG_ENOTFOUND;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		return ISG_ENOTFOUND;
	d = v->valuedouble;
	/* 2^63 is exactly representable; anything at or beyond it is not an
	 * int64. Non-integral values are rejected rather than truncated. */
	if (!isfinite(d) || d >= 9223372036854775808.0 ||
	    d < -9223372036854775808.0 || floor(d) != d)
		return ISG_ENOTFOUND;
	*out = (int64_t)d;
	return ISG_OK;
}

int isg__json_bool(const cJSON *obj, const char *key, int *out)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return ISG_ENOTFOUND;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsBool(v))
		return ISG_ENOTFOUND;
	*out = cJSON_IsTrue(v) ? 1 : 0;
	return ISG_OK;
}

const cJSON *isg__json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *isg__json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsArray(v) ? v : NULL;
}

const char *isg__json_type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "object";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "invalid";
}

int isg__json_print(isg_buf *out, const cJSON *item)
{
	char *s = cJSON_PrintUnformatted(item);
	int rc;

	if (!s)
		return isg__error_oom("json");
	rc = isg_buf_set(out, s, strlen(s));
	cJSON_free(s);
	return rc;
}
