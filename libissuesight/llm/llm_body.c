/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm_body: the JSON body of a chat completion request. The model family
 * decides the parameters: reasoning models (gpt-5, o-series) take
 * max_completion_tokens and reasoning_effort, get their instructions as a
 * developer message and refuse a temperature; other models take
 * max_tokens and temperature.
 */
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "llm_int.h"

int isg__llm_is_reasoning_model(const char *model)
{
	static const char *const prefixes[] = { "gpt-5", "o1", "o3", "o4" };
	size_t i;

	if (!model)
		return 0;
	if (strncmp(model, "openai/", 7) == 0)
		model += 7;
	for (i = 0; i < ISG__ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		/* "gpt-5", "gpt-5-mini", "gpt-5.1", "o3-mini"; not "o10". */
		if (strncmp(model, prefixes[i], n) == 0 &&
		    (model[n] == '\0' || model[n] == '-' || model[n] == '.'))
			return 1;
	}
	return 0;
}

int isg__llm_effort_valid(const char *effort)
{
	static const char *const efforts[] = { "minimal", "low", "medium",
		                               "high" };
	size_t i;

	for (i = 0; effort && i < ISG__ARRAY_SIZE(efforts); i++)
		if (strcmp(effort, efforts[i]) == 0)
			return 1;
	return 0;
}

static cJSON *message(const char *role, const char *content)
{
	cJSON *m = cJSON_CreateObject();

	if (!m || !cJSON_AddStringToObject(m, "role", role) ||
	    !cJSON_AddStringToObject(m, "content", content)) {
		cJSON_Delete(m);
		return NULL;
	}
	return m;
}

static int add_format(cJSON *body, const isg__llm_body_in *in)
{
	cJSON *fmt = cJSON_AddObjectToObject(body, "response_format");
	cJSON *js, *schema;

	if (!fmt)
		return ISG_ENOMEM;
	if (in->json_object)
		return cJSON_AddStringToObject(fmt, "type", "json_object")
		               ? ISG_OK
		               : ISG_ENOMEM;
	if (!cJSON_AddStringToObject(fmt, "type", "json_schema") ||
	    !(js = cJSON_AddObjectToObject(fmt, "json_schema")) ||
	    !cJSON_AddStringToObject(
	            js, "name", in->schema_name ? in->schema_name : "answer") ||
	    !cJSON_AddBoolToObject(js, "strict", 1))
		return ISG_ENOMEM;
	schema = cJSON_Duplicate(in->schema, 1);
	if (!schema)
		return ISG_ENOMEM;
	cJSON_AddItemToObject(js, "schema", schema);
	return ISG_OK;
}

int isg__llm_body_build(isg_buf *out, const isg__llm_body_in *in)
{
	int reasoning = isg__llm_is_reasoning_model(in->model);
	cJSON *body = cJSON_CreateObject(), *msgs, *m;
	int rc = ISG_ENOMEM;

	if (!body || !cJSON_AddStringToObject(body, "model", in->model))
		goto done;
	if (!(msgs = cJSON_AddArrayToObject(body, "messages")))
		goto done;
	/* Instructions first and identical across requests: the prefix that
	 * providers cache. */
	if (!(m = message(reasoning ? "developer" : "system", in->system)))
		goto done;
	cJSON_AddItemToArray(msgs, m);
	if (!(m = message("user", in->user)))
		goto done;
	cJSON_AddItemToArray(msgs, m);
	if (reasoning) {
		if (!cJSON_AddNumberToObject(body, "max_completion_tokens",
		                             in->max_output_tokens) ||
		    !cJSON_AddStringToObject(body, "reasoning_effort",
		                             in->reasoning_effort))
			goto done;
	} else {
		if (!cJSON_AddNumberToObject(body, "max_tokens",
		                             in->max_output_tokens) ||
		    !cJSON_AddNumberToObject(body, "temperature",
		                             in->temperature_x100 / 100.0))
			goto done;
	}
	if (in->schema && add_format(body, in) != ISG_OK)
		goto done;
	rc = isg__json_print(out, body);
done:
	cJSON_Delete(body);
	return rc == ISG_OK ? ISG_OK : isg__error_oom("llm");
}
