/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A worker's finished bridge in PostgreSQL: one transaction stores the
 * exact bytes, the concepts and the issue's difficulty; only a PENDING row
 * moves and a stale fence loses; the janitor's list of stranded PENDING
 * contents. Each test program has its own database.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef isg_test_store_fixture fixture;

static int setup(void **state)
{
	isg_store_project p = ISG_STORE_PROJECT_INIT;

	p.gh_repo_id = 4242;
	p.owner = "octo";
	p.name = "bridges";
	*state = isg_test_store_fixture_new(2, &p);
	return 0;
}

static int teardown(void **state)
{
	isg_test_store_fixture_free(*state);
	return 0;
}

static void content(fixture *f, char out[ISG_STORE_ID_SIZE], int number)
{
	isg_store_issue is = ISG_STORE_ISSUE_INIT;
	isg_store_content_ref ref;
	char issue[ISG_STORE_ID_SIZE];

	is.project_id = f->project;
	is.gh_issue_id = 9000 + number;
	is.number = number;
	is.title = "An issue";
	is.state = "open";
	is.gh_updated_at = "2024-01-01T00:00:00Z";
	ISG_ASSERT_OK(isg_store_issue_upsert(issue, f->st, &is));
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	memcpy(out, ref.id, ISG_STORE_ID_SIZE);
}

/* Odd spacing, key order and number forms that jsonb would rewrite. */
static const char doc[] =
        "{ \"schema_version\" : 1,\"z\":[1.0, 2e0],\"a\":\"caf\xc3\xa9\" }";

static void test_store_bridge__exact_bytes_concepts_and_difficulty(void **state)
{
	fixture *f = *state;
	isg_store_bridge b = ISG_STORE_BRIDGE_INIT;
	const char *slugs[] = { "testing", "exceptions", "no-such-slug" };
	const double rel[] = { 0.9, 0.4, 1.0 };
	char id[ISG_STORE_ID_SIZE], sql[300];
	isg_buf text = ISG_BUF_INIT;
	isg_store_content c;
	size_t linked = 99;

	content(f, id, 1);
	ISG_ASSERT_OK(isg_store_concept_upsert(NULL, f->st, "testing",
	                                       "Testing", ""));
	ISG_ASSERT_OK(isg_store_concept_upsert(NULL, f->st, "exceptions",
	                                       "Exceptions", ""));
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_bridge_text(&text, f->st, id));
	b.json = doc;
	b.engine = "llm";
	b.model = "gpt-5-2025-08-07";
	b.prompt_tokens = 1500;
	b.completion_tokens = 400;
	b.fence = 1733400000000LL;
	b.difficulty = "beginner";
	b.junior_friendly = 1;
	b.concepts = slugs;
	b.relevances = rel;
	b.nconcepts = 3;
	ISG_ASSERT_OK(isg_store_bridge_complete(&linked, f->st, id, &b));
	assert_int_equal(linked, 2);
	ISG_ASSERT_OK(isg_store_bridge_text(&text, f->st, id));
	assert_int_equal(text.size, strlen(doc));
	assert_memory_equal(text.ptr, doc, strlen(doc));
	memset(&c, 0, sizeof(c));
	ISG_ASSERT_OK(isg_store_content_get(&c, f->st, id));
	assert_int_equal(c.status, ISG_STORE_COMPLETED);
	assert_string_equal(c.engine, "llm");
	assert_string_equal(c.model, "gpt-5-2025-08-07");
	assert_int_equal(c.prompt_tokens, 1500);
	assert_int_equal(c.fence, 1733400000000LL);
	/* isg_store_content_get gives the stored bytes too (bridge_text), not
	 * the jsonb column's normalised document. */
	assert_string_equal(c.bridge_json.ptr, doc);
	isg_store_content_dispose(&c);
	snprintf(
	        sql, sizeof(sql),
	        "SELECT count(*) FROM github_issues i JOIN tutorial_contents t ON t.issue_id = i.id WHERE t.id = '%s' AND i.difficulty = 'beginner' AND i.junior_friendly",
	        id);
	assert_int_equal(isg_test_pg_scalar(&f->db, sql), 1);
	snprintf(
	        sql, sizeof(sql),
	        "SELECT round(sum(relevance)::numeric * 10) FROM tutorial_concepts WHERE content_id = '%s'",
	        id);
	assert_int_equal(isg_test_pg_scalar(&f->db, sql), 13);
	/* Only a PENDING row moves: a duplicate changes nothing. */
	b.json = "{\"schema_version\":1,\"dup\":true}";
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	assert_non_null(strstr(isg_error_last()->message, "is COMPLETED"));
	ISG_ASSERT_OK(isg_store_bridge_text(&text, f->st, id));
	assert_memory_equal(text.ptr, doc, strlen(doc));
	isg_buf_dispose(&text);
}

static void test_store_bridge__stale_fence_loses(void **state)
{
	fixture *f = *state;
	isg_store_bridge b = ISG_STORE_BRIDGE_INIT;
	char id[ISG_STORE_ID_SIZE];

	content(f, id, 2);
	/* A newer worker (fence 100) failed; the bridge is retried. */
	ISG_ASSERT_OK(isg_store_content_fail(f->st, id, "model down", 100));
	ISG_ASSERT_OK(isg_store_content_retry(f->st, id));
	b.json = "{\"schema_version\":1}";
	b.engine = "offline";
	b.fence = 50;
	ISG_ASSERT_RC(ISG_ECONFLICT,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	assert_non_null(strstr(isg_error_last()->message, "fence 50"));
	b.fence = 150;
	ISG_ASSERT_OK(isg_store_bridge_complete(NULL, f->st, id, &b));
}

static void test_store_bridge__upgrade_replaces_only_offline(void **state)
{
	fixture *f = *state;
	isg_store_bridge b = ISG_STORE_BRIDGE_INIT;
	isg_store_content c;
	char id[ISG_STORE_ID_SIZE];

	content(f, id, 5);
	b.json = "{\"schema_version\":1,\"v\":1}";
	b.engine = "offline";
	ISG_ASSERT_OK(isg_store_bridge_complete(NULL, f->st, id, &b));
	/* Without `upgrade`, and from a version 1 record, nothing moves. */
	b.json = "{\"schema_version\":1,\"v\":2}";
	b.engine = "llm";
	b.model = "gpt-5";
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	b.version = 1;
	b.upgrade = 1;
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	b.version = ISG_STORE_BRIDGE_VERSION;
	ISG_ASSERT_OK(isg_store_bridge_complete(NULL, f->st, id, &b));
	/* The model's bridge is never replaced. */
	b.json = "{\"schema_version\":1,\"v\":3}";
	ISG_ASSERT_RC(ISG_ESTATE,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	memset(&c, 0, sizeof(c));
	ISG_ASSERT_OK(isg_store_content_get(&c, f->st, id));
	assert_string_equal(c.engine, "llm");
	assert_string_equal(c.bridge_json.ptr,
	                    "{\"schema_version\":1,\"v\":2}");
	isg_store_content_dispose(&c);
}

static void test_store_bridge__janitor_lists_stranded_pending(void **state)
{
	fixture *f = *state;
	char id[ISG_STORE_ID_SIZE], want[128];
	isg_buf out = ISG_BUF_INIT;

	content(f, id, 3);
	ISG_ASSERT_OK(isg_store_bridge_pending(&out, f->st, 0, 100));
	assert_non_null(strstr(out.ptr, id));
	snprintf(
	        want, sizeof(want),
	        "\"owner\" : \"octo\", \"repo\" : \"bridges\", \"number\" : 3");
	assert_non_null(strstr(out.ptr, want));
	ISG_ASSERT_OK(isg_store_bridge_pending(&out, f->st, 3600, 100));
	assert_null(strstr(out.ptr, id));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_pending(&out, f->st, 0, 0));
	isg_buf_dispose(&out);
}

static void test_store_bridge__bad_arguments(void **state)
{
	fixture *f = *state;
	isg_store_bridge b = ISG_STORE_BRIDGE_INIT;
	char id[ISG_STORE_ID_SIZE];
	isg_buf out = ISG_BUF_INIT;

	content(f, id, 4);
	b.json = "{not json";
	b.engine = "offline";
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	assert_non_null(strstr(isg_error_last()->message, "not JSON"));
	b.json = "{}";
	b.engine = "magic";
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	b.engine = "offline";
	b.difficulty = "trivial";
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_complete(NULL, f->st, id, &b));
	b.difficulty = NULL;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_complete(NULL, f->st, "nope", &b));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_bridge_complete(
	                      NULL, f->st,
	                      "00000000-0000-0000-0000-000000000000", &b));
	ISG_ASSERT_RC(
	        ISG_ENOTFOUND,
	        isg_store_bridge_text(&out, f->st,
	                              "00000000-0000-0000-0000-000000000000"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_bridge_complete(NULL, f->st, id, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_store_bridge__exact_bytes_concepts_and_difficulty),
		cmocka_unit_test(test_store_bridge__stale_fence_loses),
		cmocka_unit_test(
		        test_store_bridge__upgrade_replaces_only_offline),
		cmocka_unit_test(
		        test_store_bridge__janitor_lists_stranded_pending),
		cmocka_unit_test(test_store_bridge__bad_arguments),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
