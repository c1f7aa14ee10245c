/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The llm module's pure parts: request bodies per model family, the
 * recorded answers and error bodies, wait hints and backoff, masking of
 * keys, and the schema validator on valid and invalid documents.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "llm_int.h"

static char *fixture(const char *name, size_t *len)
{
	const char *root = isg_test_require_env("ISG_SOURCE_ROOT");
	char path[1024];
	char *text;

	snprintf(path, sizeof(path), "%s/tests/data/openai/%s", root, name);
	text = isg_test_read_file(path, len);
	assert_non_null(text);
	return text;
}

static void test_llm__model_families(void **state)
{
	(void)state;
	assert_true(isg__llm_is_reasoning_model("gpt-5"));
	assert_true(isg__llm_is_reasoning_model("gpt-5-mini"));
	assert_true(isg__llm_is_reasoning_model("gpt-5.1"));
	assert_true(isg__llm_is_reasoning_model("openai/gpt-5-nano"));
	assert_true(isg__llm_is_reasoning_model("o3-mini"));
	assert_true(isg__llm_is_reasoning_model("o1"));
	assert_false(isg__llm_is_reasoning_model("gpt-4o"));
	assert_false(isg__llm_is_reasoning_model("gpt-4.1-nano"));
	assert_false(isg__llm_is_reasoning_model("o10"));
	assert_false(isg__llm_is_reasoning_model("llama3.1:8b"));
	assert_false(isg__llm_is_reasoning_model(NULL));
	assert_true(isg__llm_effort_valid("minimal"));
	assert_true(isg__llm_effort_valid("high"));
	assert_false(isg__llm_effort_valid("max"));
}

static void test_llm__body_per_family(void **state)
{
	isg__llm_body_in in;
	isg_buf b = ISG_BUF_INIT;
	cJSON *schema = cJSON_Parse("{\"type\":\"object\"}");

	(void)state;
	memset(&in, 0, sizeof(in));
	in.model = "gpt-5";
	in.reasoning_effort = "low";
	in.max_output_tokens = 100;
	in.temperature_x100 = 20;
	in.system = "rules";
	in.user = "<issue>\"quoted\"</issue>";
	in.schema = schema;
	ISG_ASSERT_OK(isg__llm_body_build(&b, &in));
	assert_string_equal(
	        b.ptr,
	        "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"developer\",\"content\":\"rules\"},{\"role\":\"user\",\"content\":\"<issue>\\\"quoted\\\"</issue>\"}],\"max_completion_tokens\":100,\"reasoning_effort\":\"low\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}}");
	in.model = "gpt-4o";
	in.json_object = 1;
	ISG_ASSERT_OK(isg__llm_body_build(&b, &in));
	assert_string_equal(
	        b.ptr,
	        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"rules\"},{\"role\":\"user\",\"content\":\"<issue>\\\"quoted\\\"</issue>\"}],\"max_tokens\":100,\"temperature\":0.2,\"response_format\":{\"type\":\"json_object\"}}");
	isg_buf_dispose(&b);
	cJSON_Delete(schema);
}

static void test_llm__recorded_answers(void **state)
{
	isg_llm_result r;
	size_t len;
	char *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	text = fixture("chat.completion.structured-json_schema-2025.json",
	               &len);
	ISG_ASSERT_OK(isg__llm_response_parse(&r, text, len));
	assert_string_equal(r.content.ptr, "{\"name\":\"John\",\"age\":15}");
	assert_string_equal(r.model, "gpt-4.1-nano-2025-04-14");
	assert_string_equal(r.finish_reason, "stop");
	assert_int_equal(r.prompt_tokens, 61);
	assert_int_equal(r.completion_tokens, 9);
	assert_int_equal(r.reasoning_tokens, 0);
	assert_int_equal(r.cached_tokens, 0);
	free(text);
	isg_llm_result_dispose(&r);
	memset(&r, 0, sizeof(r));
	text = fixture("chat.completion.tool_calls-2026.json", &len);
	assert_int_equal(isg__llm_response_parse(&r, text, len), ISG_EUPSTREAM);
	assert_string_equal(r.message,
	                    "the model's answer has no text content");
	assert_int_equal(r.prompt_tokens, 78);
	free(text);
	isg_llm_result_dispose(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(isg__llm_response_parse(&r, "[1]", 3), ISG_EUPSTREAM);
	text = "{\"choices\":[{\"message\":{\"refusal\":\"no\"}}]}";
	assert_int_equal(isg__llm_response_parse(&r, text, strlen(text)),
	                 ISG_EUPSTREAM);
	assert_string_equal(r.message, "the model refused: no");
	isg_llm_result_dispose(&r);
}

static void test_llm__recorded_errors(void **state)
{
	isg__llm_error_body e;
	size_t len;
	char *text;

	(void)state;
	text = fixture("error.400.invalid_request_error-2025.json", &len);
	isg__llm_error_body_parse(&e, text, len);
	assert_string_equal(e.code, "unsupported_value");
	assert_string_equal(e.type, "invalid_request_error");
	assert_string_equal(e.param, "messages[0].role");
	assert_non_null(strstr(e.message, "does not support 'system'"));
	assert_false(isg__llm_rejects_json_schema(&e));
	assert_int_equal(isg__llm_http_status(400, &e), ISG_EINVALID);
	free(text);
	text = fixture("error.429.insufficient_quota-2025.json", &len);
	isg__llm_error_body_parse(&e, text, len);
	assert_string_equal(e.code, "insufficient_quota");
	assert_int_equal(isg__llm_http_status(429, &e), ISG_EQUOTA);
	free(text);
	isg__llm_error_body_parse(&e, "{\"error\":\"model not found\"}", 27);
	assert_string_equal(e.message, "model not found");
	assert_int_equal(isg__llm_http_status(404, &e), ISG_ENOTFOUND);
	assert_int_equal(isg__llm_http_status(429, &e), ISG_ERATELIMIT);
	isg__llm_error_body_parse(&e, "<html>", 6);
	assert_string_equal(e.message, "");
	isg__llm_error_body_parse(
	        &e,
	        "{\"error\":{\"param\":\"response_format\",\"message\":\"x\"}}",
	        51);
	assert_true(isg__llm_rejects_json_schema(&e));
}

static void test_llm__durations_and_hints(void **state)
{
	isg__llm_hints h;
	const char *l1 = "Retry-After: 2\r\n", *l2 = "retry-after-ms: 1500\r\n";
	const char *l3 = "x-ratelimit-reset-requests: 6m0s\r\n";
	const char *l4 = "x-ratelimit-remaining-tokens: 0\r\n";
	const char *l5 = "x-ratelimit-reset-tokens: 1.5s\r\n";
	const char *l6 = "x-request-id: req_abc\r\n";

	(void)state;
	assert_int_equal(isg__llm_duration_ms("20ms", 4), 20);
	assert_int_equal(isg__llm_duration_ms("1.5s", 4), 1500);
	assert_int_equal(isg__llm_duration_ms("6m0s", 4), 360000);
	assert_int_equal(isg__llm_duration_ms("1h2m3s", 6), 3723000);
	assert_int_equal(isg__llm_duration_ms(" 3 ", 3), 3000);
	assert_int_equal(isg__llm_duration_ms("0s", 2), 0);
	assert_int_equal(isg__llm_duration_ms("", 0), -1);
	assert_int_equal(isg__llm_duration_ms("1x", 2), -1);
	assert_int_equal(isg__llm_duration_ms("1.2.3s", 6), -1);
	assert_int_equal(isg__llm_duration_ms("5m3", 3), -1);
	assert_int_equal(
	        isg__llm_duration_ms("Wed, 21 Oct 2015 07:28:00 GMT", 29), -1);
	isg__llm_hints_init(&h);
	assert_int_equal(isg__llm_hint_ms(&h, 429), -1);
	isg__llm_hints_line(&h, l1, strlen(l1));
	assert_int_equal(isg__llm_hint_ms(&h, 503), 2000);
	isg__llm_hints_line(&h, l2, strlen(l2));
	assert_int_equal(isg__llm_hint_ms(&h, 429), 1500);
	isg__llm_hints_line(&h, l1, strlen(l1)); /* -ms wins */
	assert_int_equal(isg__llm_hint_ms(&h, 429), 1500);
	isg__llm_hints_init(&h);
	isg__llm_hints_line(&h, l3, strlen(l3));
	isg__llm_hints_line(&h, l4, strlen(l4));
	isg__llm_hints_line(&h, l5, strlen(l5));
	isg__llm_hints_line(&h, l6, strlen(l6));
	/* The token budget is exhausted: its reset, not the requests'. */
	assert_int_equal(isg__llm_hint_ms(&h, 429), 1500);
	assert_int_equal(isg__llm_hint_ms(&h, 500), -1);
	assert_string_equal(h.request_id, "req_abc");
	h.remaining_tokens = 5;
	assert_int_equal(isg__llm_hint_ms(&h, 429), 360000);
}

static void test_llm__retry_classes_and_backoff(void **state)
{
	static const int retried[] = { 408, 409, 429, 500, 502, 503, 504 };
	static const int final[] = { 200, 400, 401, 403, 404, 422, 501 };
	uint64_t rng = 7;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < ISG__ARRAY_SIZE(retried); i++)
		assert_true(isg__llm_http_retryable(retried[i]));
	for (i = 0; i < ISG__ARRAY_SIZE(final); i++)
		assert_false(isg__llm_http_retryable(final[i]));
	assert_int_equal(isg__llm_http_status(401, NULL), ISG_EAUTH);
	assert_int_equal(isg__llm_http_status(403, NULL), ISG_EFORBIDDEN);
	assert_int_equal(isg__llm_http_status(504, NULL), ISG_ETIMEOUT);
	assert_int_equal(isg__llm_http_status(502, NULL), ISG_EUPSTREAM);
	for (k = 0; k < 2000; k++) {
		long long w = isg__llm_backoff_ms(&rng, k % 12, 500, 30000);
		long long cap = 500LL << (k % 12);

		assert_true(w >= 0);
		assert_true(w <= (cap < 30000 ? cap : 30000));
	}
	/* Full jitter spreads over the range (not all at the top). */
	for (k = 0, i = 0; k < 1000; k++)
		i += isg__llm_backoff_ms(&rng, 3, 500, 30000) < 2000;
	assert_true(i > 300 && i < 700);
}

static void test_llm__keys_are_masked(void **state)
{
	char m[200];

	(void)state;
	snprintf(
	        m, sizeof(m),
	        "Incorrect API key provided: sk-proj-abc123XYZ. Also my-secret-token here");
	isg__llm_mask(m, "my-secret-token");
	assert_string_equal(
	        m, "Incorrect API key provided: sk-***. Also my-*** here");
	assert_null(strstr(m, "abc123XYZ"));
	assert_null(strstr(m, "secret-token"));
	assert_non_null(strstr(m, "sk-***"));
	snprintf(m, sizeof(m), "short sk-ab ok");
	isg__llm_mask(m, "abc");
	assert_string_equal(m, "short sk-ab ok");
	isg__llm_mask(NULL, "x");
}

typedef struct vcase {
	const char *doc;
	int rc;
	const char *msg; /* a part of the message */
} vcase;

static void test_llm__schema_validation_cases(void **state)
{
	static const char schema[] =
	        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"a\",\"tags\",\"n\"],\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":5},\"n\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10},\"opt\":{\"type\":[\"string\",\"null\"]},\"tags\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":\"string\",\"enum\":[\"x\",\"y\"]}}}}";
	static const vcase cases[] = {
		{ "{\"a\":\"hi\",\"tags\":[\"x\"],\"n\":3}", ISG_OK, "" },
		{ "{\"a\":\"hi\",\"tags\":[],\"n\":0,\"opt\":null}", ISG_OK,
		  "" },
		{ "{\"tags\":[],\"n\":1}", ISG_EPARSE,
		  "$.a: required property is missing" },
		{ "{\"a\":1,\"tags\":[],\"n\":1}", ISG_EPARSE,
		  "$.a: expected string, found number" },
		{ "{\"a\":\"toolong\",\"tags\":[],\"n\":1}", ISG_EPARSE,
		  "longer than maxLength" },
		{ "{\"a\":\"x\",\"tags\":[\"z\"],\"n\":1}", ISG_EPARSE,
		  "$.tags[0]: value is not one of the enum" },
		{ "{\"a\":\"x\",\"tags\":[\"x\",\"y\",\"x\"],\"n\":1}",
		  ISG_EPARSE, "too many items" },
		{ "{\"a\":\"x\",\"tags\":[],\"n\":1.5}", ISG_EPARSE,
		  "expected integer" },
		{ "{\"a\":\"x\",\"tags\":[],\"n\":11}", ISG_EPARSE,
		  "above the maximum" },
		{ "{\"a\":\"x\",\"tags\":[],\"n\":1,\"extra\":1}", ISG_EPARSE,
		  "$.extra: property is not allowed" },
		{ "{\"a\":\"x\",\"tags\":[],\"n\":1,\"opt\":3}", ISG_EPARSE,
		  "$.opt: expected another type" },
		{ "[1]", ISG_EPARSE, "$: expected object, found array" },
		{ "{nope", ISG_EPARSE, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ISG__ARRAY_SIZE(cases); i++) {
		int rc = isg_llm_validate(cases[i].doc, strlen(cases[i].doc),
		                          schema);

		if (rc != cases[i].rc ||
		    !strstr(isg_error_last()->message, cases[i].msg))
			fail_msg("case %zu (%s): %s, '%s'", i, cases[i].doc,
			         isg_error_name(rc), isg_error_last()->message);
	}
	assert_int_equal(
	        isg_llm_validate(
	                "{}", 2,
	                "{\"type\":\"object\",\"patternProperties\":{}}"),
	        ISG_EINVALID);
	assert_int_equal(isg_llm_validate("{}", 2, "{\"type\":\"thing\"}"),
	                 ISG_EINVALID);
	assert_int_equal(isg_llm_validate("{}", 2, "not json"), ISG_EINVALID);
	assert_int_equal(isg_llm_validate(NULL, 0, "{}"), ISG_EINVALID);
}

static void test_llm__validate_allocation_failures(void **state)
{
	static const char schema[] =
	        "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";
	static const char doc[] = "{\"a\":[\"x\",\"y\"]}";
	long k;
	int rc;

	(void)state;
	isg_test_alloc_install();
	for (k = 1; k < 200; k++) {
		isg_test_alloc_fail_at(k);
		rc = isg_llm_validate(doc, strlen(doc), schema);
		isg_test_alloc_fail_at(0);
		assert_int_equal(isg_test_alloc_live(), 0);
		if (rc == ISG_OK)
			break;
		assert_int_equal(rc, ISG_ENOMEM);
	}
	isg_test_alloc_uninstall();
	assert_true(k < 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_llm__model_families),
		cmocka_unit_test(test_llm__body_per_family),
		cmocka_unit_test(test_llm__recorded_answers),
		cmocka_unit_test(test_llm__recorded_errors),
		cmocka_unit_test(test_llm__durations_and_hints),
		cmocka_unit_test(test_llm__retry_classes_and_backoff),
		cmocka_unit_test(test_llm__keys_are_masked),
		cmocka_unit_test(test_llm__schema_validation_cases),
		cmocka_unit_test(test_llm__validate_allocation_failures),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
