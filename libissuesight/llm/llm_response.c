/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm_response: reading what a chat server answered. A 2xx body gives the
 * first choice's content, the model, the finish reason and the usage; a
 * non-2xx body gives the server's error code and message. Both are outside
 * data: every field may be missing or of another type, and messages are
 * masked so that a key echoed by the server never travels further.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "llm_int.h"

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static long long usage_ll(const cJSON *obj, const char *key)
{
	int64_t v = 0;

	if (!obj || isg__json_i64(obj, key, &v) != ISG_OK || v < 0)
		return 0;
	return (long long)v;
}

static void read_usage(isg_llm_result *out, const cJSON *doc)
{
	const cJSON *u = isg__json_obj(doc, "usage");

	out->prompt_tokens = usage_ll(u, "prompt_tokens");
	out->completion_tokens = usage_ll(u, "completion_tokens");
	out->reasoning_tokens =
	        usage_ll(isg__json_obj(u, "completion_tokens_details"),
	                 "reasoning_tokens");
	out->cached_tokens = usage_ll(isg__json_obj(u, "prompt_tokens_details"),
	                              "cached_tokens");
}

static int fail(isg_llm_result *out, int code, const char *msg)
{
	copy_str(out->message, sizeof(out->message), msg);
	return code;
}

int isg__llm_response_parse(isg_llm_result *out, const char *body, size_t len)
{
	const cJSON *choices, *choice, *msg, *content;
	const char *refusal;
	cJSON *doc;
	int rc = ISG_OK;

	doc = isg__json_parse(body, len, "llm", "chat completion");
	if (!doc) {
		if (isg_error_last()->code == ISG_ENOMEM)
			return ISG_ENOMEM;
		return fail(out, ISG_EUPSTREAM,
		            "the model server's answer is not JSON");
	}
	if (!cJSON_IsObject(doc)) {
		rc = fail(out, ISG_EUPSTREAM,
		          "the model server's answer is not a JSON object");
		goto done;
	}
	copy_str(out->model, sizeof(out->model), isg__json_str(doc, "model"));
	read_usage(out, doc);
	choices = isg__json_arr(doc, "choices");
	choice = choices ? cJSON_GetArrayItem(choices, 0) : NULL;
	msg = cJSON_IsObject(choice) ? isg__json_obj(choice, "message") : NULL;
	if (!msg) {
		rc = fail(
		        out, ISG_EUPSTREAM,
		        "the model server's answer has no choices[0].message");
		goto done;
	}
	copy_str(out->finish_reason, sizeof(out->finish_reason),
	         isg__json_str(choice, "finish_reason"));
	refusal = isg__json_str(msg, "refusal");
	if (refusal && *refusal) {
		char m[ISG_ERROR_MESSAGE_MAX];

		snprintf(m, sizeof(m), "the model refused: %.400s", refusal);
		rc = fail(out, ISG_EUPSTREAM, m);
		goto done;
	}
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	if (!cJSON_IsString(content) || !content->valuestring[0]) {
		rc = fail(out, ISG_EUPSTREAM,
		          "the model's answer has no text content");
		goto done;
	}
	if (isg_buf_set(&out->content, content->valuestring,
	                strlen(content->valuestring)) != ISG_OK) {
		rc = isg__error_oom("llm");
		goto done;
	}
	if (strcmp(out->finish_reason, "length") == 0)
		rc = fail(
		        out, ISG_ETOOBIG,
		        "the model's output was cut at the output token limit");
done:
	cJSON_Delete(doc);
	return rc;
}

void isg__llm_error_body_parse(isg__llm_error_body *out, const char *body,
                               size_t len)
{
	const cJSON *e;
	cJSON *doc;

	memset(out, 0, sizeof(*out));
	doc = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	if (!doc)
		return;
	e = cJSON_GetObjectItemCaseSensitive(doc, "error");
	if (cJSON_IsString(e)) {
		/* Ollama and some proxies: {"error": "message"}. */
		copy_str(out->message, sizeof(out->message), e->valuestring);
	} else if (cJSON_IsObject(e)) {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");

		if (cJSON_IsString(code))
			copy_str(out->code, sizeof(out->code),
			         code->valuestring);
		else if (cJSON_IsNumber(code))
			snprintf(out->code, sizeof(out->code), "%d",
			         code->valueint);
		copy_str(out->type, sizeof(out->type),
		         isg__json_str(e, "type"));
		copy_str(out->param, sizeof(out->param),
		         isg__json_str(e, "param"));
		copy_str(out->message, sizeof(out->message),
		         isg__json_str(e, "message"));
	}
	cJSON_Delete(doc);
}

int isg__llm_rejects_json_schema(const isg__llm_error_body *e)
{
	return strstr(e->param, "response_format") != NULL ||
	       strstr(e->message, "json_schema") != NULL ||
	       strstr(e->message, "response_format") != NULL;
}

static void mask_at(char *p, size_t n)
{
	/* Keep 3 bytes, then "***", then the rest after the secret. */
	size_t keep = n < 3 ? n : 3, total = strlen(p);

	memmove(p + keep + 3, p + n, total - n + 1);
	memcpy(p + keep, "***", 3);
}

void isg__llm_mask(char *s, const char *key)
{
	size_t klen = key ? strlen(key) : 0;
	char *p;

	if (!s)
		return;
	/* mask_at never grows a secret of 6 bytes or more. */
	if (klen > 5) {
		while ((p = strstr(s, key)) != NULL)
			mask_at(p, klen);
	}
	for (p = s; (p = strstr(p, "sk-")) != NULL;) {
		size_t n = 3;

		while (p[n] && (p[n] == '-' || p[n] == '_' ||
		                (p[n] >= '0' && p[n] <= '9') ||
		                (p[n] >= 'a' && p[n] <= 'z') ||
		                (p[n] >= 'A' && p[n] <= 'Z') || p[n] == '*'))
			n++;
		if (n > 6)
			mask_at(p, n);
		p += 6 <= n ? 6 : n;
	}
}
