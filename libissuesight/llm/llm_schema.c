/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm_schema: a JSON Schema validator for the subset that structured
 * output uses (OpenAI's strict mode accepts little more): type (one or a
 * list), properties, required, additionalProperties false, items, enum,
 * minItems, maxItems, minimum, maximum, maxLength. The model's answer is
 * outside data, so it is validated here even when the server promised to
 * follow the schema, and always when it only promised JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "llm_int.h"

#define MOD "llm"
#define MAX_DEPTH 32
#define PATH_MAX_LEN 256

static const char *const known_keys[] = {
	"type",    "properties", "required",  "additionalProperties",
	"items",   "enum",       "minItems",  "maxItems",
	"minimum", "maximum",    "maxLength", "description",
	"title",   "$schema",    "$id",       "default",
};

static const char *const types[] = { "object",  "array",   "string", "number",
	                             "integer", "boolean", "null" };

static int type_known(const char *t)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(types); i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

static int check_node(const cJSON *s, const char *path, int depth);

static int bad_schema(const char *path, const char *what)
{
	return isg__error_set(ISG_EINVALID, MOD, "schema %s: %s", path, what);
}

static int check_type(const cJSON *t, const char *path)
{
	const cJSON *e;

	if (cJSON_IsString(t))
		return type_known(t->valuestring)
		               ? ISG_OK
		               : bad_schema(path, "unknown type");
	if (!cJSON_IsArray(t) || cJSON_GetArraySize(t) == 0)
		return bad_schema(path, "type is not a string or a list");
	cJSON_ArrayForEach(e, t)
	{
		if (!cJSON_IsString(e) || !type_known(e->valuestring))
			return bad_schema(path, "unknown type in a list");
	}
	return ISG_OK;
}

static int check_children(const cJSON *s, const char *path, int depth)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
	const cJSON *p;
	char sub[PATH_MAX_LEN];
	int rc;

	if (props) {
		if (!cJSON_IsObject(props))
			return bad_schema(path, "properties is not an object");
		cJSON_ArrayForEach(p, props)
		{
			snprintf(sub, sizeof(sub), "%s.%s", path, p->string);
			if ((rc = check_node(p, sub, depth + 1)) != ISG_OK)
				return rc;
		}
	}
	if (items) {
		snprintf(sub, sizeof(sub), "%s[]", path);
		if ((rc = check_node(items, sub, depth + 1)) != ISG_OK)
			return rc;
	}
	return ISG_OK;
}

static int check_node(const cJSON *s, const char *path, int depth)
{
	const cJSON *k, *t, *req, *ap;
	size_t i;
	int rc;

	if (depth > MAX_DEPTH)
		return bad_schema(path, "nested too deeply");
	if (!cJSON_IsObject(s))
		return bad_schema(path, "is not an object");
	cJSON_ArrayForEach(k, s)
	{
		for (i = 0; i < ISG__ARRAY_SIZE(known_keys); i++)
			if (strcmp(k->string, known_keys[i]) == 0)
				break;
		if (i == ISG__ARRAY_SIZE(known_keys))
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "schema %s: keyword '%.60s' is not supported",
			        path, k->string);
	}
	t = cJSON_GetObjectItemCaseSensitive(s, "type");
	if (t && (rc = check_type(t, path)) != ISG_OK)
		return rc;
	req = cJSON_GetObjectItemCaseSensitive(s, "required");
	if (req) {
		if (!cJSON_IsArray(req))
			return bad_schema(path, "required is not a list");
		cJSON_ArrayForEach(k, req)
		{
			if (!cJSON_IsString(k))
				return bad_schema(
				        path, "required holds a non-string");
		}
	}
	ap = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	if (ap && !cJSON_IsBool(ap))
		return bad_schema(path,
		                  "additionalProperties is not a boolean");
	k = cJSON_GetObjectItemCaseSensitive(s, "enum");
	if (k && (!cJSON_IsArray(k) || cJSON_GetArraySize(k) == 0))
		return bad_schema(path, "enum is not a non-empty list");
	return check_children(s, path, depth);
}

int isg__llm_schema_check(const cJSON *schema)
{
	return check_node(schema, "$", 0);
}

/* ---- validation ------------------------------------------------------ */

static int violation(const char *path, const char *what)
{
	return isg__error_set(ISG_EPARSE, MOD, "%s: %s", path, what);
}

static int is_type(const cJSON *v, const char *t)
{
	if (strcmp(t, "object") == 0)
		return cJSON_IsObject(v);
	if (strcmp(t, "array") == 0)
		return cJSON_IsArray(v);
	if (strcmp(t, "string") == 0)
		return cJSON_IsString(v);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);
	if (strcmp(t, "integer") == 0)
		return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
		       floor(v->valuedouble) == v->valuedouble;
	if (strcmp(t, "boolean") == 0)
		return cJSON_IsBool(v);
	return cJSON_IsNull(v);
}

static int type_ok(const cJSON *v, const cJSON *t)
{
	const cJSON *e;

	if (!t)
		return 1;
	if (cJSON_IsString(t))
		return is_type(v, t->valuestring);
	cJSON_ArrayForEach(e, t)
	{
		if (cJSON_IsString(e) && is_type(v, e->valuestring))
			return 1;
	}
	return 0;
}

static int validate_node(const cJSON *v, const cJSON *s, const char *path,
                         int depth);

static int validate_object(const cJSON *v, const cJSON *s, const char *path,
                           int depth)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
	const cJSON *ap =
	        cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	const cJSON *k, *ps;
	char sub[PATH_MAX_LEN];
	int rc;

	cJSON_ArrayForEach(k, req)
	{
		if (cJSON_IsString(k) &&
		    !cJSON_GetObjectItemCaseSensitive(v, k->valuestring)) {
			snprintf(sub, sizeof(sub), "%s.%.60s", path,
			         k->valuestring);
			return violation(sub, "required property is missing");
		}
	}
	cJSON_ArrayForEach(k, v)
	{
		snprintf(sub, sizeof(sub), "%s.%.60s", path, k->string);
		ps = props ? cJSON_GetObjectItemCaseSensitive(props, k->string)
		           : NULL;
		if (!ps) {
			if (cJSON_IsFalse(ap))
				return violation(sub,
				                 "property is not allowed");
			continue;
		}
		if ((rc = validate_node(k, ps, sub, depth + 1)) != ISG_OK)
			return rc;
	}
	return ISG_OK;
}

static int validate_array(const cJSON *v, const cJSON *s, const char *path,
                          int depth)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
	const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minItems");
	const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maxItems");
	const cJSON *e;
	char sub[PATH_MAX_LEN];
	int n = cJSON_GetArraySize(v), i = 0, rc;

	if (cJSON_IsNumber(mn) && n < mn->valuedouble)
		return violation(path, "too few items");
	if (cJSON_IsNumber(mx) && n > mx->valuedouble)
		return violation(path, "too many items");
	if (!items)
		return ISG_OK;
	cJSON_ArrayForEach(e, v)
	{
		snprintf(sub, sizeof(sub), "%s[%d]", path, i++);
		if ((rc = validate_node(e, items, sub, depth + 1)) != ISG_OK)
			return rc;
	}
	return ISG_OK;
}

static int validate_scalar(const cJSON *v, const cJSON *s, const char *path)
{
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minimum");
	const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maximum");
	const cJSON *ml = cJSON_GetObjectItemCaseSensitive(s, "maxLength");
	const cJSON *e;

	if (en) {
		cJSON_ArrayForEach(e, en)
		{
			if (cJSON_Compare(e, v, 1))
				break;
		}
		if (!e)
			return violation(path, "value is not one of the enum");
	}
	if (cJSON_IsNumber(v) && cJSON_IsNumber(mn) &&
	    v->valuedouble < mn->valuedouble)
		return violation(path, "number is below the minimum");
	if (cJSON_IsNumber(v) && cJSON_IsNumber(mx) &&
	    v->valuedouble > mx->valuedouble)
		return violation(path, "number is above the maximum");
	if (cJSON_IsString(v) && cJSON_IsNumber(ml) &&
	    strlen(v->valuestring) > ml->valuedouble)
		return violation(path, "string is longer than maxLength");
	return ISG_OK;
}

static int validate_node(const cJSON *v, const cJSON *s, const char *path,
                         int depth)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
	char what[80];

	if (depth > MAX_DEPTH)
		return violation(path, "nested too deeply");
	if (!type_ok(v, t)) {
		snprintf(what, sizeof(what), "expected %s, found %s",
		         cJSON_IsString(t) ? t->valuestring : "another type",
		         isg__json_type_name(v));
		return violation(path, what);
	}
	if (cJSON_IsObject(v))
		return validate_object(v, s, path, depth);
	if (cJSON_IsArray(v))
		return validate_array(v, s, path, depth);
	return validate_scalar(v, s, path);
}

int isg__llm_schema_validate(const cJSON *doc, const cJSON *schema)
{
	return validate_node(doc, schema, "$", 0);
}

int isg_llm_validate(const char *json, size_t len, const char *schema_json)
{
	cJSON *doc = NULL, *schema = NULL;
	int rc;

	if (!json || !schema_json)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_llm_validate: NULL argument");
	schema = isg__json_parse(schema_json, strlen(schema_json), MOD,
	                         "schema");
	if (!schema) {
		rc = isg_error_last()->code == ISG_ENOMEM ? ISG_ENOMEM
		                                          : ISG_EINVALID;
		if (rc == ISG_EINVALID)
			isg__error_set(ISG_EINVALID, MOD,
			               "the schema is not JSON");
		goto done;
	}
	if ((rc = isg__llm_schema_check(schema)) != ISG_OK)
		goto done;
	doc = isg__json_parse(json, len, MOD, "model output");
	if (!doc) {
		rc = isg_error_last()->code == ISG_ENOMEM ? ISG_ENOMEM
		                                          : ISG_EPARSE;
		goto done;
	}
	rc = isg__llm_schema_validate(doc, schema);
done:
	cJSON_Delete(doc);
	cJSON_Delete(schema);
	return rc;
}
