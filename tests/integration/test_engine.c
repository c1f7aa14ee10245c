/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The llm engine against the fake OpenAI server on the bundled sample
 * (examples/sample): the model's bridge grounded in the index (invented
 * files never reach it), one repair of an invalid answer, the fallback
 * policy (offline bridge with the reason, or a readable failure),
 * refusals, transient errors handed back, the offline engine without a
 * model, and many jobs in flight under the client's cap.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "fake_openai.h"

static isg_bridge *offline;
static isg_repo *repo;
static fake_openai *fo;
static char *tmp;

static int setup(void **state)
{
	const char *root = isg_test_require_env("ISG_SOURCE_ROOT");
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_bridge_options o = ISG_BRIDGE_OPTIONS_INIT;
	fake_openai_options fopt = { "sk-engine-test-key-0123456789", 0, 0, 0,
		                     0 };
	char path[1024], cache[1024];
	size_t len;
	char *issue;

	(void)state;
	tmp = isg_test_mkdtemp();
	snprintf(path, sizeof(path), "%s/examples/sample/repo", root);
	snprintf(cache, sizeof(cache), "%s/cache", tmp);
	ro.path_or_url = path;
	ro.cache_dir = cache;
	if (isg_repo_open(&repo, &ro) != ISG_OK)
		return -1;
	snprintf(path, sizeof(path), "%s/examples/sample/issue.json", root);
	if (!(issue = isg_test_read_file(path, &len)))
		return -1;
	o.repo_handle = repo;
	o.issue_json = issue;
	o.issue_json_len = len;
	if (isg_bridge_generate(&offline, &o) != ISG_OK)
		return -1;
	free(issue);
	return fake_openai_start(&fo, &fopt);
}

static int teardown(void **state)
{
	(void)state;
	fake_openai_stop(fo);
	isg_bridge_free(offline);
	isg_repo_free(repo);
	isg_test_rmtree(tmp);
	free(tmp);
	return 0;
}

static isg_llm *client(const char *key, int cap)
{
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm *l = NULL;

	o.base_url = fake_openai_url(fo);
	o.api_key = key;
	o.max_in_flight = cap;
	o.timeout_s = 5;
	o.max_retries = 2;
	o.backoff_base_ms = 10;
	o.max_backoff_ms = 20;
	ISG_ASSERT_OK(isg_llm_new(&l, &o));
	return l;
}

static isg_bridge_llm_input input(void)
{
	isg_bridge_llm_input in = ISG_BRIDGE_LLM_INPUT_INIT;

	in.offline = offline;
	in.repo = repo;
	in.issue_body =
	        "Removing a required column raises a misleading ValueError.";
	return in;
}

static char *ghost_responder(const char *body, const char *user, void *p)
{
	static const char answer[] =
	        "{\"verdict\":{\"junior_friendly\":true,\"difficulty\":\"beginner\",\"reasons\":[\"Small fix.\"]},\"prerequisites\":[{\"concept\":\"exceptions\",\"why\":\"ValueError.\"}],\"architecture\":{\"summary\":\"Edit src/phantom.c and tinyseries/core.py.\",\"entry_point\":\"src/phantom.c\",\"files\":[{\"path\":\"src/phantom.c\",\"role\":\"x\"},{\"path\":\"tinyseries/core.py\",\"role\":\"The check.\"}]},\"guide\":{\"steps\":[{\"title\":\"Fix\",\"detail\":\"Change lib/phantom_util.py.\",\"files\":[\"src/phantom.c\",\"tinyseries/core.py\"]}]}}";
	char *s = malloc(sizeof(answer));

	(void)body;
	(void)user;
	(void)p;
	if (s)
		memcpy(s, answer, sizeof(answer));
	return s;
}

static void quiesce(void)
{
	while (fake_openai_in_flight(fo, NULL) > 0)
		isg__clock_sleep_ms(20);
	fake_openai_reset(fo);
	fake_openai_set_responder(fo, NULL, NULL);
}

static void test_engine__invented_files_never_reach_the_bridge(void **state)
{
	isg_llm *l = client("sk-engine-test-key-0123456789", 4);
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	isg_engine_result r;
	isg_buf json = ISG_BUF_INIT;

	(void)state;
	quiesce();
	fake_openai_set_responder(fo, ghost_responder, NULL);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_OK(isg_engine_generate(&r, e, &in, "example/tinyseries#42"));
	assert_int_equal(r.llm, 1);
	assert_int_equal(r.requests, 1);
	assert_string_equal(r.reason, "");
	ISG_ASSERT_OK(isg_bridge_to_json(&json, r.bridge, 0));
	assert_null(strstr(json.ptr, "phantom"));
	assert_int_equal(r.report.dropped_paths, 5);
	assert_string_equal(isg_bridge_get_engine(r.bridge)->kind, "llm");
	assert_string_equal(isg_bridge_get_engine(r.bridge)->model,
	                    "gpt-5-2025-08-07");
	assert_true(r.prompt_tokens > 0);
	assert_int_equal(fake_openai_count(fo, "example/tinyseries#42", -1), 1);
	isg_buf_dispose(&json);
	isg_bridge_free(r.bridge);
	isg_engine_free(e);
	isg_llm_free(l);
}

static void test_engine__invalid_answer_repaired_once(void **state)
{
	isg_llm *l = client("sk-engine-test-key-0123456789", 4);
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	isg_engine_result r;
	char *second;

	(void)state;
	quiesce();
	fake_openai_inject(fo, FAKE_OPENAI_INVALID_JSON, 1);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_OK(isg_engine_generate(&r, e, &in, "repair"));
	assert_int_equal(r.llm, 1);
	assert_int_equal(r.requests, 2);
	second = fake_openai_body(fo, 1);
	assert_non_null(second);
	assert_non_null(strstr(second, "Your previous answer was refused"));
	free(second);
	isg_bridge_free(r.bridge);
	isg_engine_free(e);
	isg_llm_free(l);
}

static void test_engine__unusable_twice_follows_the_policy(void **state)
{
	isg_llm *l = client("sk-engine-test-key-0123456789", 4);
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	isg_engine_result r;

	(void)state;
	quiesce();
	fake_openai_inject(fo, FAKE_OPENAI_SCHEMA_VIOLATION, 2);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_OK(isg_engine_generate(&r, e, &in, "fallback"));
	assert_int_equal(r.llm, 0);
	assert_int_equal(r.requests, 2);
	assert_non_null(strstr(r.reason, "stayed unusable after one repair"));
	assert_string_equal(isg_bridge_get_engine(r.bridge)->kind, "offline");
	isg_bridge_free(r.bridge);
	isg_engine_free(e);
	e = NULL;
	fake_openai_inject(fo, FAKE_OPENAI_INVALID_JSON, 2);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_FAIL));
	ISG_ASSERT_RC(ISG_EPARSE, isg_engine_generate(&r, e, &in, "fail"));
	assert_null(r.bridge);
	assert_non_null(strstr(r.reason, "not JSON"));
	isg_engine_free(e);
	isg_llm_free(l);
}

static void test_engine__refusal_and_transient_errors(void **state)
{
	isg_llm *bad = client("sk-wrong-key-9999999999", 2);
	isg_llm *l = client("sk-engine-test-key-0123456789", 2);
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	isg_engine_result r;

	(void)state;
	quiesce();
	ISG_ASSERT_OK(isg_engine_new(&e, bad, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_OK(isg_engine_generate(&r, e, &in, "refused"));
	assert_int_equal(r.llm, 0);
	assert_non_null(strstr(r.reason, "refused"));
	assert_non_null(strstr(r.reason, "401"));
	assert_null(strstr(r.reason, "9999999999"));
	isg_bridge_free(r.bridge);
	isg_engine_free(e);
	/* 5xx after every retry: handed back, no bridge, no fallback. */
	fake_openai_inject(fo, FAKE_OPENAI_500, 3);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_RC(ISG_EUPSTREAM, isg_engine_generate(&r, e, &in, "5xx"));
	assert_null(r.bridge);
	assert_int_equal(r.attempts, 3);
	isg_engine_free(e);
	isg_llm_free(l);
	isg_llm_free(bad);
}

static void test_engine__offline_without_a_model(void **state)
{
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	isg_engine_result r;

	(void)state;
	ISG_ASSERT_OK(isg_engine_new(&e, NULL, ISG_ENGINE_FALLBACK_OFFLINE));
	ISG_ASSERT_OK(isg_engine_generate(&r, e, &in, NULL));
	assert_int_equal(r.llm, 0);
	assert_int_equal(r.requests, 0);
	assert_string_equal(r.reason, "no model configured");
	assert_string_equal(isg_bridge_get_engine(r.bridge)->kind, "offline");
	isg_bridge_free(r.bridge);
	isg_engine_free(e);
	ISG_ASSERT_RC(ISG_EINVALID, isg_engine_new(&e, NULL, 7));
	assert_null(e);
}

typedef struct tally {
	int done, llm;
} tally;

static void on_done(isg_engine_result *r, void *payload)
{
	tally *t = payload;

	t->done++;
	t->llm += r->status == ISG_OK && r->llm;
}

static void test_engine__many_jobs_in_flight(void **state)
{
	isg_llm *l = client("sk-engine-test-key-0123456789", 4);
	isg_bridge_llm_input in = input();
	isg_engine *e = NULL;
	tally t = { 0, 0 };
	char tag[32];
	int i, pending = 1, peak = 0;

	(void)state;
	quiesce();
	fake_openai_set_latency_ms(fo, 100);
	ISG_ASSERT_OK(isg_engine_new(&e, l, ISG_ENGINE_FALLBACK_OFFLINE));
	for (i = 0; i < 10; i++) {
		snprintf(tag, sizeof(tag), "o/r#%d", i + 1);
		ISG_ASSERT_OK(isg_engine_submit(e, &in, tag, on_done, &t));
	}
	while (pending > 0)
		ISG_ASSERT_OK(isg_engine_run(e, 100, &pending));
	fake_openai_set_latency_ms(fo, 0);
	assert_int_equal(t.done, 10);
	assert_int_equal(t.llm, 10);
	fake_openai_in_flight(fo, &peak);
	assert_true(peak >= 2 && peak <= 4);
	for (i = 0; i < 10; i++) {
		snprintf(tag, sizeof(tag), "o/r#%d", i + 1);
		assert_int_equal(fake_openai_count(fo, tag, -1), 1);
	}
	isg_engine_free(e);
	isg_llm_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_engine__invented_files_never_reach_the_bridge),
		cmocka_unit_test(test_engine__invalid_answer_repaired_once),
		cmocka_unit_test(
		        test_engine__unusable_twice_follows_the_policy),
		cmocka_unit_test(test_engine__refusal_and_transient_errors),
		cmocka_unit_test(test_engine__offline_without_a_model),
		cmocka_unit_test(test_engine__many_jobs_in_flight),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
