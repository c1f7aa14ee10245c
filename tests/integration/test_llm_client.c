/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The chat client against the fake OpenAI server: the parameters of each
 * model family, structured output and its json_object fallback, usage and
 * ids, retries that honour the server's waits (429 storm, 500s, hangs past
 * the timeout), failures that are not retried and name their cause, the
 * concurrency cap, size caps and cancellation. No other service needed.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core_int.h"
#include "fake_openai.h"

#define KEY "sk-test-abcdefghijklmnop0123456789"

static const char schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"summary\",\"steps\",\"level\"],\"properties\":{\"summary\":{\"type\":\"string\"},\"level\":{\"type\":\"string\",\"enum\":[\"beginner\",\"advanced\"]},\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\"}}}}}}";

typedef struct env {
	fake_openai *fo;
	isg_llm *llm;
} env;

static isg_llm *client(fake_openai *fo, const char *model, int in_flight,
                       int timeout_s, int retries)
{
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm *l = NULL;

	o.base_url = fake_openai_url(fo);
	o.api_key = KEY;
	o.model = model;
	o.max_in_flight = in_flight;
	o.timeout_s = timeout_s;
	o.connect_timeout_s = 2;
	o.max_retries = retries;
	o.backoff_base_ms = 20;
	o.max_backoff_ms = 100;
	o.jitter_seed = 42;
	ISG_ASSERT_OK(isg_llm_new(&l, &o));
	return l;
}

static int setup(void **state)
{
	fake_openai_options fo = { KEY, 0, 0, 0, 0 };
	env *e = calloc(1, sizeof(*e));

	if (!e || fake_openai_start(&e->fo, &fo) != 0)
		return -1;
	e->llm = client(e->fo, "gpt-5", 4, 5, 4);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;

	isg_llm_free(e->llm);
	fake_openai_stop(e->fo);
	free(e);
	return 0;
}

static void request(isg_llm_request *r, const char *tag)
{
	isg_llm_request init = ISG_LLM_REQUEST_INIT;

	*r = init;
	r->system = "You write onboarding guides. Answer in JSON.";
	r->user = "<issue>Fix the parser</issue>";
	r->schema_json = schema;
	r->schema_name = "bridge";
	r->tag = tag;
}

/* Lets hung answers of earlier tests end, then clears the counters, so
 * that a test counts its own requests only. */
static void quiesce(fake_openai *fo)
{
	while (fake_openai_in_flight(fo, NULL) > 0)
		isg__clock_sleep_ms(20);
	fake_openai_reset(fo);
}

static cJSON *last_body(fake_openai *fo)
{
	char *b = fake_openai_body(fo, fake_openai_body_count(fo) - 1);
	cJSON *doc;

	assert_non_null(b);
	doc = cJSON_Parse(b);
	free(b);
	assert_non_null(doc);
	return doc;
}

static void test_llm__gpt5_structured_answer_with_usage(void **state)
{
	env *e = *state;
	isg_llm_request r;
	isg_llm_result res;
	cJSON *body, *rf;
	char hdr[128];

	request(&r, "octo/hello#1");
	ISG_ASSERT_OK(isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.http_status, 200);
	assert_int_equal(res.attempts, 1);
	ISG_ASSERT_OK(
	        isg_llm_validate(res.content.ptr, res.content.size, schema));
	assert_string_equal(res.model, "gpt-5-2025-08-07");
	assert_string_equal(res.finish_reason, "stop");
	assert_true(strncmp(res.request_id, "req_fake", 8) == 0);
	assert_true(res.prompt_tokens > 50);
	assert_true(res.completion_tokens > 0);
	assert_int_equal(res.reasoning_tokens, 64);
	assert_int_equal(res.json_object_fallback, 0);
	assert_int_equal(fake_openai_count(e->fo, "octo/hello#1", -1), 1);
	assert_int_equal(fake_openai_last_header(e->fo, "Authorization", hdr,
	                                         sizeof(hdr)),
	                 1);
	assert_string_equal(hdr, "Bearer " KEY);
	body = last_body(e->fo);
	assert_non_null(cJSON_GetObjectItem(body, "max_completion_tokens"));
	assert_string_equal(
	        cJSON_GetObjectItem(body, "reasoning_effort")->valuestring,
	        "low");
	assert_null(cJSON_GetObjectItem(body, "temperature"));
	assert_null(cJSON_GetObjectItem(body, "max_tokens"));
	assert_string_equal(
	        cJSON_GetObjectItem(
	                cJSON_GetArrayItem(
	                        cJSON_GetObjectItem(body, "messages"), 0),
	                "role")
	                ->valuestring,
	        "developer");
	rf = cJSON_GetObjectItem(body, "response_format");
	assert_string_equal(cJSON_GetObjectItem(rf, "type")->valuestring,
	                    "json_schema");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(rf, "json_schema"), "strict")));
	cJSON_Delete(body);
	isg_llm_result_dispose(&res);
}

static void test_llm__gpt4o_gets_max_tokens_and_temperature(void **state)
{
	env *e = *state;
	isg_llm *l = client(e->fo, "gpt-4o", 2, 5, 0);
	isg_llm_request r;
	isg_llm_result res;
	cJSON *body;

	request(&r, "octo/hello#2");
	ISG_ASSERT_OK(isg_llm_complete(&res, l, &r));
	assert_string_equal(res.model, "gpt-4o-2024-08-06");
	assert_int_equal(res.reasoning_tokens, 0);
	body = last_body(e->fo);
	assert_int_equal(cJSON_GetObjectItem(body, "max_tokens")->valueint,
	                 8192);
	assert_true(cJSON_GetObjectItem(body, "temperature")->valuedouble >
	            0.19);
	assert_null(cJSON_GetObjectItem(body, "reasoning_effort"));
	assert_null(cJSON_GetObjectItem(body, "max_completion_tokens"));
	cJSON_Delete(body);
	isg_llm_result_dispose(&res);
	isg_llm_free(l);
}

/* 429s with every kind of hint: each retry comes no earlier than the
 * server asked, then the request succeeds. */
static void test_llm__429_storm_honours_waits(void **state)
{
	env *e = *state;
	isg_llm_request r;
	isg_llm_result res;
	isg_llm_stats st;

	fake_openai_reset(e->fo);
	fake_openai_set_retry_after(e->fo, 300);
	fake_openai_inject(e->fo, FAKE_OPENAI_429_MS, 1);
	fake_openai_inject(e->fo, FAKE_OPENAI_429_RESET, 1);
	fake_openai_inject(e->fo, FAKE_OPENAI_429, 1); /* retry-after: 1 */
	request(&r, "storm");
	ISG_ASSERT_OK(isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 4);
	assert_int_equal(fake_openai_count(e->fo, NULL, 429), 3);
	/* Fault order is the enum's: 429 (1 s), 429_MS, 429_RESET. */
	assert_true(fake_openai_arrival_ms(e->fo, 1) -
	                    fake_openai_arrival_ms(e->fo, 0) >=
	            1000);
	assert_true(fake_openai_arrival_ms(e->fo, 2) -
	                    fake_openai_arrival_ms(e->fo, 1) >=
	            300);
	assert_true(fake_openai_arrival_ms(e->fo, 3) -
	                    fake_openai_arrival_ms(e->fo, 2) >=
	            300);
	isg_llm_stats_get(&st, e->llm);
	assert_true(st.retries >= 3);
	isg_llm_result_dispose(&res);
}

static void test_llm__server_errors_retried_then_success(void **state)
{
	env *e = *state;
	isg_llm_request r;
	isg_llm_result res;

	fake_openai_reset(e->fo);
	fake_openai_inject(e->fo, FAKE_OPENAI_500, 2);
	fake_openai_inject(e->fo, FAKE_OPENAI_503, 1);
	fake_openai_inject(e->fo, FAKE_OPENAI_BROKEN_BODY, 1);
	request(&r, "flaky");
	/* 500, 500, 503 retried; the broken 200 body is final. */
	ISG_ASSERT_RC(ISG_EUPSTREAM, isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 4);
	assert_non_null(strstr(res.message, "not JSON"));
	isg_llm_result_dispose(&res);
	fake_openai_inject(e->fo, FAKE_OPENAI_500, 5);
	ISG_ASSERT_RC(ISG_EUPSTREAM, isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 5);
	assert_int_equal(res.http_status, 500);
	assert_non_null(strstr(res.message, "answered 500"));
	isg_llm_result_dispose(&res);
}

static void test_llm__hang_past_timeout_is_retried(void **state)
{
	env *e = *state;
	isg_llm *l = client(e->fo, "gpt-5", 2, 1, 1);
	isg_llm_request r;
	isg_llm_result res;

	fake_openai_reset(e->fo);
	fake_openai_set_hang_ms(e->fo, 2500);
	fake_openai_inject(e->fo, FAKE_OPENAI_HANG, 1);
	request(&r, "hang");
	ISG_ASSERT_OK(isg_llm_complete(&res, l, &r));
	assert_int_equal(res.attempts, 2);
	isg_llm_result_dispose(&res);
	fake_openai_inject(e->fo, FAKE_OPENAI_HANG, 2);
	ISG_ASSERT_RC(ISG_ETIMEOUT, isg_llm_complete(&res, l, &r));
	assert_int_equal(res.attempts, 2);
	assert_int_equal(res.http_status, 0);
	isg_llm_result_dispose(&res);
	isg_llm_free(l);
}

static void test_llm__invalid_output_is_a_parse_error(void **state)
{
	env *e = *state;
	isg_llm_request r;
	isg_llm_result res;

	fake_openai_inject(e->fo, FAKE_OPENAI_INVALID_JSON, 1);
	request(&r, "garbage");
	ISG_ASSERT_RC(ISG_EPARSE, isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.content.ptr, "{not json"));
	assert_non_null(strstr(res.message, "not JSON"));
	isg_llm_result_dispose(&res);
	fake_openai_inject(e->fo, FAKE_OPENAI_SCHEMA_VIOLATION, 1);
	ISG_ASSERT_RC(ISG_EPARSE, isg_llm_complete(&res, e->llm, &r));
	assert_non_null(strstr(res.message, "violates the schema"));
	assert_non_null(strstr(res.message, "$.summary"));
	isg_llm_result_dispose(&res);
	fake_openai_inject(e->fo, FAKE_OPENAI_LENGTH, 1);
	ISG_ASSERT_RC(ISG_ETOOBIG, isg_llm_complete(&res, e->llm, &r));
	assert_string_equal(res.finish_reason, "length");
	isg_llm_result_dispose(&res);
}

static void test_llm__client_errors_not_retried_and_named(void **state)
{
	env *e = *state;
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm *bad = NULL, *wrong = NULL;
	isg_llm_request r;
	isg_llm_result res;
	char url[128];

	request(&r, "client-errors");
	fake_openai_reset(e->fo);
	fake_openai_inject(e->fo, FAKE_OPENAI_400, 1);
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.message, "400 (unsupported_value)"));
	isg_llm_result_dispose(&res);
	fake_openai_inject(e->fo, FAKE_OPENAI_429_QUOTA, 1);
	ISG_ASSERT_RC(ISG_EQUOTA, isg_llm_complete(&res, e->llm, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.message, "insufficient_quota"));
	isg_llm_result_dispose(&res);
	/* A wrong key: 401, and the key echoed by the server is masked. */
	o.base_url = fake_openai_url(e->fo);
	o.api_key = "sk-wrong-0123456789abcdef";
	o.max_retries = 3;
	ISG_ASSERT_OK(isg_llm_new(&bad, &o));
	ISG_ASSERT_RC(ISG_EAUTH, isg_llm_complete(&res, bad, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.message, "invalid_api_key"));
	assert_null(strstr(res.message, "0123456789abcdef"));
	isg_llm_result_dispose(&res);
	/* A wrong base path: 404. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v2/",
	         fake_openai_port(e->fo));
	o.base_url = url;
	o.api_key = KEY;
	ISG_ASSERT_OK(isg_llm_new(&wrong, &o));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_llm_complete(&res, wrong, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.message, "/v2/chat/completions"));
	isg_llm_result_dispose(&res);
	/* The 404 never reached the recorder: 400, 429, 401. */
	assert_int_equal(fake_openai_count(e->fo, NULL, -1), 3);
	isg_llm_free(bad);
	isg_llm_free(wrong);
}

static void test_llm__json_schema_rejected_falls_back(void **state)
{
	env *e = *state;
	isg_llm *l = client(e->fo, "gpt-5", 2, 5, 2);
	isg_llm_request r;
	isg_llm_result res;
	isg_llm_stats st;
	cJSON *body;

	quiesce(e->fo);
	fake_openai_reject_json_schema(e->fo, 1);
	request(&r, "fallback");
	ISG_ASSERT_OK(isg_llm_complete(&res, l, &r));
	assert_int_equal(res.json_object_fallback, 1);
	assert_int_equal(res.attempts, 2);
	isg_llm_result_dispose(&res);
	ISG_ASSERT_OK(isg_llm_complete(&res, l, &r));
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.json_object_fallback, 1);
	body = last_body(e->fo);
	assert_string_equal(
	        cJSON_GetObjectItem(
	                cJSON_GetObjectItem(body, "response_format"), "type")
	                ->valuestring,
	        "json_object");
	assert_non_null(strstr(
	        cJSON_GetObjectItem(
	                cJSON_GetArrayItem(
	                        cJSON_GetObjectItem(body, "messages"), 0),
	                "content")
	                ->valuestring,
	        "JSON Schema:\n{\"type\":\"object\""));
	cJSON_Delete(body);
	isg_llm_result_dispose(&res);
	assert_int_equal(fake_openai_count(e->fo, NULL, 400), 1);
	isg_llm_stats_get(&st, l);
	assert_int_equal(st.fallbacks, 1);
	/* Validation still applies to json_object answers. */
	fake_openai_inject(e->fo, FAKE_OPENAI_SCHEMA_VIOLATION, 1);
	ISG_ASSERT_RC(ISG_EPARSE, isg_llm_complete(&res, l, &r));
	isg_llm_result_dispose(&res);
	fake_openai_reject_json_schema(e->fo, 0);
	isg_llm_free(l);
}

typedef struct counter {
	int done, ok;
	int status[64];
} counter;

static void on_done(isg_llm_result *res, void *payload)
{
	counter *c = payload;

	if (c->done < 64)
		c->status[c->done] = res->status;
	c->done++;
	c->ok += res->status == ISG_OK;
}

static void test_llm__many_in_flight_under_the_cap(void **state)
{
	env *e = *state;
	isg_llm *l = client(e->fo, "gpt-5", 5, 5, 0);
	isg_llm_request r;
	isg_llm_stats st;
	counter c;
	int i, pending = 1, peak = 0;

	memset(&c, 0, sizeof(c));
	quiesce(e->fo);
	fake_openai_set_latency_ms(e->fo, 150);
	request(&r, "many");
	for (i = 0; i < 20; i++)
		ISG_ASSERT_OK(isg_llm_submit(l, &r, on_done, &c));
	isg_llm_stats_get(&st, l);
	assert_int_equal(st.queued, 20);
	while (pending > 0) {
		ISG_ASSERT_OK(isg_llm_run(l, 100, &pending));
		isg_llm_stats_get(&st, l);
		assert_true(st.in_flight <= 5);
	}
	fake_openai_set_latency_ms(e->fo, 0);
	assert_int_equal(c.done, 20);
	assert_int_equal(c.ok, 20);
	fake_openai_in_flight(e->fo, &peak);
	assert_int_equal(peak, 5);
	isg_llm_stats_get(&st, l);
	assert_int_equal(st.requests, 20);
	assert_int_equal(st.succeeded, 20);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.in_flight, 0);
	isg_llm_free(l);
}

static void test_llm__cancel_unreachable_and_caps(void **state)
{
	env *e = *state;
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm *l = client(e->fo, "gpt-5", 1, 5, 0), *down = NULL;
	fake_openai *gone = NULL;
	isg_llm_request r;
	isg_llm_result res;
	counter c;
	char url[64];

	memset(&c, 0, sizeof(c));
	request(&r, "cancel");
	ISG_ASSERT_OK(isg_llm_submit(l, &r, on_done, &c));
	ISG_ASSERT_OK(isg_llm_submit(l, &r, on_done, &c));
	isg_llm_cancel_all(l);
	assert_int_equal(c.done, 2);
	assert_int_equal(c.status[0], ISG_ECANCELLED);
	assert_int_equal(c.status[1], ISG_ECANCELLED);
	isg_llm_free(l);
	/* Nothing listens: network errors, retried, then EUNAVAILABLE. */
	assert_int_equal(fake_openai_start(&gone, NULL), 0);
	snprintf(url, sizeof(url), "%s", fake_openai_url(gone));
	fake_openai_stop(gone);
	o.base_url = url;
	o.max_retries = 2;
	o.backoff_base_ms = 10;
	ISG_ASSERT_OK(isg_llm_new(&down, &o));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_llm_complete(&res, down, &r));
	assert_int_equal(res.attempts, 3);
	isg_llm_result_dispose(&res);
	isg_llm_free(down);
	/* A hinted wait longer than accepted fails at once. */
	o.base_url = fake_openai_url(e->fo);
	o.api_key = KEY;
	o.max_wait_s = 1;
	ISG_ASSERT_OK(isg_llm_new(&down, &o));
	fake_openai_set_retry_after(e->fo, 5000);
	fake_openai_inject(e->fo, FAKE_OPENAI_429_MS, 1);
	ISG_ASSERT_RC(ISG_ERATELIMIT, isg_llm_complete(&res, down, &r));
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.message, "asks to wait 5 s"));
	isg_llm_result_dispose(&res);
	isg_llm_free(down);
	/* An answer over the size cap. */
	o.max_response_bytes = 200;
	ISG_ASSERT_OK(isg_llm_new(&down, &o));
	ISG_ASSERT_RC(ISG_ETOOBIG, isg_llm_complete(&res, down, &r));
	isg_llm_result_dispose(&res);
	isg_llm_free(down);
}

static void test_llm__bad_options_and_requests(void **state)
{
	env *e = *state;
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm_request r;
	isg_llm *l = NULL;
	counter c;

	(void)e;
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_new(&l, &o));
	o.base_url = "ftp://x";
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_new(&l, &o));
	o.base_url = "http://127.0.0.1:1/v1";
	o.reasoning_effort = "extreme";
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_new(&l, &o));
	assert_non_null(strstr(isg_error_last()->message, "extreme"));
	o.reasoning_effort = "minimal";
	ISG_ASSERT_OK(isg_llm_new(&l, &o));
	assert_string_equal(isg_llm_model(l), "gpt-5");
	request(&r, "bad\ntag");
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_submit(l, &r, on_done, &c));
	request(&r, NULL);
	r.schema_json = "{\"type\":\"object\",\"oneOf\":[]}";
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_submit(l, &r, on_done, &c));
	assert_non_null(strstr(isg_error_last()->message, "oneOf"));
	r.schema_json = "{nope";
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_submit(l, &r, on_done, &c));
	r.schema_json = schema;
	r.schema_name = "bad name";
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_submit(l, &r, on_done, &c));
	r.schema_name = NULL;
	r.user = NULL;
	ISG_ASSERT_RC(ISG_EINVALID, isg_llm_submit(l, &r, on_done, &c));
	isg_llm_free(l);
	isg_llm_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_llm__gpt5_structured_answer_with_usage),
		cmocka_unit_test(
		        test_llm__gpt4o_gets_max_tokens_and_temperature),
		cmocka_unit_test(test_llm__429_storm_honours_waits),
		cmocka_unit_test(test_llm__server_errors_retried_then_success),
		cmocka_unit_test(test_llm__hang_past_timeout_is_retried),
		cmocka_unit_test(test_llm__invalid_output_is_a_parse_error),
		cmocka_unit_test(test_llm__client_errors_not_retried_and_named),
		cmocka_unit_test(test_llm__json_schema_rejected_falls_back),
		cmocka_unit_test(test_llm__many_in_flight_under_the_cap),
		cmocka_unit_test(test_llm__cancel_unreachable_and_caps),
		cmocka_unit_test(test_llm__bad_options_and_requests),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
