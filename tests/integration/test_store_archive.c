/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The archive against a real PostgreSQL: constraints, hostile strings and
 * large payloads round-tripping verbatim, projects and polling leases,
 * users, identities and tutorials, concepts, and issue filters.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

typedef isg_test_store_fixture fixture;

static int setup(void **state)
{
	isg_store_project p = ISG_STORE_PROJECT_INIT;

	p.gh_repo_id = 1296269;
	p.owner = "octocat";
	p.name = "Hello-World";
	p.raw_json = "{\"id\": 1296269, \"private\": false}";
	*state = isg_test_store_fixture_new(3, &p);
	return 0;
}

static int teardown(void **state)
{
	isg_test_store_fixture_free(*state);
	return 0;
}

static void make_issue(fixture *f, char out[ISG_STORE_ID_SIZE], long long id,
                       int number, const char *updated)
{
	isg_store_issue is = ISG_STORE_ISSUE_INIT;
	char title[64];

	snprintf(title, sizeof(title), "Issue %d", number);
	is.project_id = f->project;
	is.gh_issue_id = id;
	is.number = number;
	is.title = title;
	is.state = "open";
	is.gh_updated_at = updated;
	ISG_ASSERT_OK(isg_store_issue_upsert(out, f->st, &is));
}

static void test_store_archive__constraints_reject(void **state)
{
	fixture *f = *state;
	char issue[ISG_STORE_ID_SIZE], user[ISG_STORE_ID_SIZE],
	        again[ISG_STORE_ID_SIZE], sql[512], code[6];
	isg_store_content_ref ref;

	make_issue(f, issue, 100, 1, "2024-01-01T00:00:00Z");
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	/* A second content row for the issue. */
	snprintf(sql, sizeof(sql),
	         "INSERT INTO tutorial_contents (issue_id) VALUES ('%s')",
	         issue);
	assert_int_equal(isg_test_pg_exec(&f->db, sql, code), -1);
	assert_string_equal(code, "23505");
	/* An unknown status. */
	assert_int_equal(
	        isg_test_pg_exec(&f->db,
	                         "UPDATE tutorial_contents SET status = 'DONE'",
	                         code),
	        -1);
	assert_string_equal(code, "23514");
	/* COMPLETED without a bridge. */
	assert_int_equal(
	        isg_test_pg_exec(
	                &f->db,
	                "UPDATE tutorial_contents SET status = 'COMPLETED'",
	                code),
	        -1);
	assert_string_equal(code, "23514");
	/* Duplicate email: the API dedups case-insensitively, raw SQL is
	 * refused by the unique key. */
	ISG_ASSERT_OK(
	        isg_store_user_upsert(user, f->st, "Ada@Example.org", "Ada"));
	ISG_ASSERT_OK(
	        isg_store_user_upsert(again, f->st, "ada@example.org", NULL));
	assert_string_equal(user, again);
	assert_int_equal(
	        isg_test_pg_exec(
	                &f->db,
	                "INSERT INTO users (email) VALUES ('ada@example.org')",
	                code),
	        -1);
	assert_string_equal(code, "23505");
	/* Duplicate identity. */
	ISG_ASSERT_OK(isg_store_identity_add(f->st, user, "github", "583231"));
	ISG_ASSERT_OK(
	        isg_store_user_upsert(again, f->st, "bob@example.org", "Bob"));
	ISG_ASSERT_RC(ISG_ECONFLICT,
	              isg_store_identity_add(f->st, again, "github", "583231"));
	assert_non_null(strstr(isg_error_last()->message, "583231"));
	ISG_ASSERT_OK(isg_store_identity_add(f->st, again, "google", "583231"));
	ISG_ASSERT_OK(
	        isg_store_identity_find(again, f->st, "github", "583231"));
	assert_string_equal(again, user);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_identity_find(again, f->st, "github", "1"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_identity_add(
	                      f->st, "0f8fad5b-d9cb-469f-a165-70867728950e",
	                      "github", "2"));
	/* Self-loop in the concept graph, through raw SQL. */
	ISG_ASSERT_OK(isg_store_concept_upsert(again, f->st, "queues", "Queues",
	                                       NULL));
	snprintf(sql, sizeof(sql),
	         "INSERT INTO concept_relationships VALUES ('%s', '%s')", again,
	         again);
	assert_int_equal(isg_test_pg_exec(&f->db, sql, code), -1);
	assert_string_equal(code, "23514");
	/* Issue with a bad state, number reused by another GitHub id. */
	assert_int_equal(
	        isg_test_pg_exec(&f->db,
	                         "UPDATE github_issues SET state = 'merged'",
	                         code),
	        -1);
	assert_string_equal(code, "23514");
	{
		isg_store_issue is = ISG_STORE_ISSUE_INIT;
		is.project_id = f->project;
		is.gh_issue_id = 101;
		is.number = 1;
		is.title = "dup number";
		is.state = "open";
		ISG_ASSERT_RC(ISG_ECONFLICT,
		              isg_store_issue_upsert(issue, f->st, &is));
		is.number = 2;
		is.raw_json = "{not json";
		ISG_ASSERT_RC(ISG_EINVALID,
		              isg_store_issue_upsert(issue, f->st, &is));
		is.raw_json = NULL;
		is.gh_updated_at = "yesterday-ish";
		ISG_ASSERT_RC(ISG_EINVALID,
		              isg_store_issue_upsert(issue, f->st, &is));
		is.gh_updated_at = NULL;
		is.project_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
		ISG_ASSERT_RC(ISG_EINVALID,
		              isg_store_issue_upsert(issue, f->st, &is));
	}
}

/* Every code point 1..0x7f, some multi-byte characters, an emoji, quotes,
 * backslashes and an injection attempt, as valid UTF-8. */
static char *hostile(size_t repeat_to)
{
	static const char tail[] =
	        "é中𝄞😀 It's \"quoted\" \\n \\\\ '); DROP TABLE users; -- $1 %s %n \xef\xbf\xbf";
	char base[256 + sizeof(tail)];
	size_t n = 0, len, blen;
	char *out;
	int c;

	for (c = 1; c < 0x80; c++)
		base[n++] = (char)c;
	memcpy(base + n, tail, sizeof(tail));
	blen = strlen(base);
	len = repeat_to > blen ? repeat_to : blen;
	out = malloc(len + 1);
	assert_non_null(out);
	for (n = 0; n < len; n++)
		out[n] = base[n % blen];
	out[len] = '\0';
	/* Do not cut a multi-byte character in half at the end. */
	while (len > 0 && ((unsigned char)out[len - 1] & 0x80))
		out[--len] = '\0';
	return out;
}

static void test_store_archive__hostile_strings_round_trip(void **state)
{
	fixture *f = *state;
	char *small = hostile(0), *big = hostile(1024 * 1024);
	const char *labels[2];
	char id[ISG_STORE_ID_SIZE];
	isg_store_issue is = ISG_STORE_ISSUE_INIT;
	isg_store_issue_info info = { 0 };
	isg_store_content_ref ref;
	isg_store_content content = { 0 };
	isg_store_completion done = ISG_STORE_COMPLETION_INIT;
	cJSON *raw, *back, *bridge;
	char *raw_text, *bridge_text;

	raw = cJSON_CreateObject();
	cJSON_AddStringToObject(raw, "body", big);
	cJSON_AddStringToObject(raw, "title", small);
	raw_text = cJSON_PrintUnformatted(raw);
	labels[0] = small;
	labels[1] = "good first issue";
	is.project_id = f->project;
	is.gh_issue_id = 555;
	is.number = 7;
	is.title = small;
	is.state = "closed";
	is.labels = labels;
	is.nlabels = 2;
	is.is_pull_request = 1;
	is.gh_created_at = "1700000000";
	is.body_length = (long long)strlen(big);
	is.comments = 3;
	is.raw_json = raw_text;
	ISG_ASSERT_OK(isg_store_issue_upsert(id, f->st, &is));
	ISG_ASSERT_OK(
	        isg_store_issue_get(&info, f->st, "OCTOCAT/hello-world", 7));
	assert_string_equal(info.id, id);
	assert_int_equal(info.title.size, strlen(small));
	assert_memory_equal(info.title.ptr, small, strlen(small));
	assert_string_equal(info.state, "closed");
	assert_int_equal(info.is_pull_request, 1);
	assert_int_equal(info.junior_friendly, -1);
	assert_string_equal(info.difficulty, "");
	/* No updated_at given: the creation time is the sort key. */
	assert_string_equal(info.gh_updated_at, "2023-11-14T22:13:20Z");
	back = cJSON_Parse(info.raw_json.ptr);
	assert_non_null(back);
	assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(back, "body")->valuestring,
	        big);
	cJSON_Delete(back);
	back = cJSON_Parse(info.labels_json.ptr);
	assert_non_null(back);
	assert_string_equal(cJSON_GetArrayItem(back, 0)->valuestring, small);
	cJSON_Delete(back);
	isg_store_issue_info_dispose(&info);
	/* The bridge and the error text too. */
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, id));
	ISG_ASSERT_OK(isg_store_content_fail(f->st, ref.id, big, 0));
	ISG_ASSERT_OK(isg_store_content_get(&content, f->st, ref.id));
	assert_int_equal(content.error.size, strlen(big));
	assert_string_equal(content.error.ptr, big);
	assert_int_equal(content.attempts, 1);
	ISG_ASSERT_OK(isg_store_content_retry(f->st, ref.id));
	bridge = cJSON_CreateObject();
	cJSON_AddNumberToObject(bridge, "schema_version", 1);
	cJSON_AddStringToObject(bridge, "guide", small);
	bridge_text = cJSON_PrintUnformatted(bridge);
	done.bridge_json = bridge_text;
	done.engine = "llm";
	done.model = "gpt-5";
	done.prompt_tokens = 1200;
	done.completion_tokens = 340;
	ISG_ASSERT_OK(isg_store_content_complete(f->st, ref.id, &done));
	ISG_ASSERT_OK(isg_store_content_get_by_issue(&content, f->st,
	                                             "octocat/Hello-World", 7));
	assert_int_equal(content.status, ISG_STORE_COMPLETED);
	assert_string_equal(content.engine, "llm");
	assert_string_equal(content.model, "gpt-5");
	assert_true(content.prompt_tokens == 1200);
	assert_true(content.completion_tokens == 340);
	back = cJSON_Parse(content.bridge_json.ptr);
	assert_non_null(back);
	assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(back, "guide")->valuestring,
	        small);
	cJSON_Delete(back);
	isg_store_content_dispose(&content);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_content_get_by_issue(&content, f->st,
	                                             "octocat/Hello-World", 8));
	isg_store_content_dispose(&content);
	/* The injection did nothing. */
	assert_int_equal(
	        isg_test_pg_scalar(
	                &f->db,
	                "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"),
	        1);
	cJSON_Delete(raw);
	cJSON_Delete(bridge);
	free(raw_text);
	free(bridge_text);
	free(small);
	free(big);
}

static void test_store_archive__projects_and_leases(void **state)
{
	fixture *f = *state;
	char second[ISG_STORE_ID_SIZE], id[ISG_STORE_ID_SIZE];
	isg_store_project p = ISG_STORE_PROJECT_INIT;
	isg_store_lease a, b, c;
	isg_buf list = ISG_BUF_INIT;
	cJSON *arr;

	p.gh_repo_id = 2;
	p.owner = "torvalds";
	p.name = "linux";
	p.description = "Linux kernel source tree";
	p.language = "C";
	p.default_branch = "master";
	ISG_ASSERT_OK(isg_store_project_upsert(second, f->st, &p));
	p.description = "updated";
	ISG_ASSERT_OK(isg_store_project_upsert(id, f->st, &p));
	assert_string_equal(id, second);
	/* Another repository id cannot take the name. */
	p.gh_repo_id = 3;
	ISG_ASSERT_RC(ISG_ECONFLICT, isg_store_project_upsert(id, f->st, &p));
	ISG_ASSERT_OK(isg_store_project_find(id, f->st, "TORVALDS/LINUX"));
	assert_string_equal(id, second);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_find(id, f->st, "nobody/nothing"));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_claim(&a, f->st, "a", 60));
	ISG_ASSERT_OK(isg_store_project_set_tracked(f->st, f->project, 1));
	ISG_ASSERT_OK(isg_store_project_set_tracked(f->st, second, 1));
	ISG_ASSERT_RC(
	        ISG_ENOTFOUND,
	        isg_store_project_set_tracked(
	                f->st, "0f8fad5b-d9cb-469f-a165-70867728950e", 1));
	ISG_ASSERT_OK(isg_store_projects_list(&list, f->st, 1));
	arr = cJSON_Parse(list.ptr);
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "description")
	                ->valuestring,
	        "updated");
	cJSON_Delete(arr);
	/* Two collectors get different projects; a third gets none. */
	ISG_ASSERT_OK(isg_store_project_claim(&a, f->st, "host-a:1", 60));
	ISG_ASSERT_OK(isg_store_project_claim(&b, f->st, "host-b:2", 60));
	assert_string_not_equal(a.project_id, b.project_id);
	assert_string_equal(a.last_synced_at, "");
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_claim(&c, f->st, "host-c:3", 60));
	ISG_ASSERT_RC(ISG_ESTATE, isg_store_project_release(f->st, a.project_id,
	                                                    "host-b:2", NULL));
	ISG_ASSERT_OK(isg_store_project_release(f->st, a.project_id, "host-a:1",
	                                        "2024-05-01T12:00:00Z"));
	ISG_ASSERT_OK(isg_store_project_claim(&c, f->st, "host-c:3", 60));
	assert_string_equal(c.project_id, a.project_id);
	assert_string_equal(c.last_synced_at, "2024-05-01T12:00:00Z");
	assert_true(c.gh_repo_id == a.gh_repo_id);
	/* An expired lease can be taken over. */
	ISG_ASSERT_OK(isg_store_project_release(f->st, b.project_id, "host-b:2",
	                                        "1714600000"));
	ISG_ASSERT_OK(isg_store_project_claim(&b, f->st, "host-b:2", 1));
	assert_int_equal(
	        isg_test_pg_exec(
	                &f->db,
	                "UPDATE projects SET lease_until = now() - interval '1 second' WHERE lease_owner = 'host-b:2'",
	                NULL),
	        0);
	ISG_ASSERT_OK(isg_store_project_claim(&a, f->st, "host-d:4", 60));
	assert_string_equal(a.project_id, b.project_id);
	isg_buf_dispose(&list);
}

static void test_store_archive__tutorials_and_original_requester(void **state)
{
	fixture *f = *state;
	char issue[ISG_STORE_ID_SIZE], u1[ISG_STORE_ID_SIZE],
	        u2[ISG_STORE_ID_SIZE];
	isg_store_content_ref ref, ref2;
	isg_store_unlock a, b, c;
	isg_buf list = ISG_BUF_INIT;
	cJSON *arr;

	make_issue(f, issue, 900, 90, "2024-02-02T00:00:00Z");
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	assert_int_equal(ref.created, 1);
	assert_int_equal(ref.status, ISG_STORE_PENDING);
	ISG_ASSERT_OK(isg_store_content_ensure(&ref2, f->st, issue));
	assert_int_equal(ref2.created, 0);
	assert_string_equal(ref.id, ref2.id);
	ISG_ASSERT_OK(isg_store_user_upsert(u1, f->st, "u1@example.org", NULL));
	ISG_ASSERT_OK(isg_store_user_upsert(u2, f->st, "u2@example.org", NULL));
	ISG_ASSERT_OK(isg_store_tutorial_unlock(&a, f->st, u1, ref.id));
	assert_int_equal(a.is_original_requester, 1);
	assert_int_equal(a.created, 1);
	ISG_ASSERT_OK(isg_store_tutorial_unlock(&b, f->st, u1, ref.id));
	assert_int_equal(b.is_original_requester, 1);
	assert_int_equal(b.created, 0);
	assert_string_equal(a.id, b.id);
	ISG_ASSERT_OK(isg_store_tutorial_unlock(&c, f->st, u2, ref.id));
	assert_int_equal(c.is_original_requester, 0);
	assert_int_equal(c.created, 1);
	ISG_ASSERT_RC(
	        ISG_EINVALID,
	        isg_store_tutorial_unlock(
	                &c, f->st, u2, "0f8fad5b-d9cb-469f-a165-70867728950e"));
	ISG_ASSERT_OK(isg_store_tutorials_list(&list, f->st, u2));
	arr = cJSON_Parse(list.ptr);
	assert_int_equal(cJSON_GetArraySize(arr), 1);
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "status")
	                ->valuestring,
	        "PENDING");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(
	        cJSON_GetArrayItem(arr, 0), "is_original_requester")));
	cJSON_Delete(arr);
	/* A content with tutorials cannot be deleted behind the users. */
	assert_int_equal(
	        isg_test_pg_exec(&f->db, "DELETE FROM tutorial_contents", NULL),
	        -1);
	isg_buf_dispose(&list);
}

/* The number of items of a page of isg_store_issues_list(). */
static int page_size(const isg_buf *page)
{
	cJSON *doc = cJSON_Parse(page->ptr);
	int n;

	assert_non_null(doc);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "items"));
	cJSON_Delete(doc);
	return n;
}

static void test_store_archive__concepts_tree_and_links(void **state)
{
	fixture *f = *state;
	const char *slugs[] = { "distributed-systems", "message-queues",
		                "kafka", "consensus" };
	char id[ISG_STORE_ID_SIZE], issue[ISG_STORE_ID_SIZE], sql[300];
	isg_store_issue_filter flt = ISG_STORE_ISSUE_FILTER_INIT;
	isg_store_content_ref ref;
	isg_buf tree = ISG_BUF_INIT, page = ISG_BUF_INIT;
	cJSON *arr, *items;
	size_t i;

	for (i = 0; i < 4; i++)
		ISG_ASSERT_OK(isg_store_concept_upsert(id, f->st, slugs[i],
		                                       slugs[i], "about it"));
	ISG_ASSERT_OK(isg_store_concept_link(f->st, slugs[0], slugs[1]));
	ISG_ASSERT_OK(isg_store_concept_link(f->st, slugs[0], slugs[1]));
	ISG_ASSERT_OK(isg_store_concept_link(f->st, slugs[1], slugs[2]));
	ISG_ASSERT_OK(isg_store_concept_link(f->st, slugs[0], slugs[3]));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_concept_link(f->st, slugs[2], slugs[2]));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_concept_link(f->st, slugs[2], slugs[0]));
	assert_non_null(strstr(isg_error_last()->message, "cycle"));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_concept_link(f->st, slugs[0], "no-such"));
	assert_non_null(strstr(isg_error_last()->message, "no-such"));
	ISG_ASSERT_OK(isg_store_concept_tree(&tree, f->st, slugs[0], 0));
	arr = cJSON_Parse(tree.ptr);
	assert_int_equal(cJSON_GetArraySize(arr), 4);
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "slug")
	                ->valuestring,
	        slugs[0]);
	assert_true(cJSON_IsNull(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "parent")));
	/* Depth first by slug: consensus, message-queues, then kafka. */
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 3), "slug")
	                ->valuestring,
	        "kafka");
	assert_int_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 3), "depth")
	                ->valueint,
	        2);
	cJSON_Delete(arr);
	ISG_ASSERT_OK(isg_store_concept_tree(&tree, f->st, slugs[0], 1));
	arr = cJSON_Parse(tree.ptr);
	assert_int_equal(cJSON_GetArraySize(arr), 3);
	cJSON_Delete(arr);
	/* A cycle written behind the API's back does not hang the read. */
	snprintf(
	        sql, sizeof(sql),
	        "INSERT INTO concept_relationships (parent_id, child_id) SELECT c.id, p.id FROM concepts c, concepts p WHERE c.slug = 'kafka' AND p.slug = 'distributed-systems'");
	assert_int_equal(isg_test_pg_exec(&f->db, sql, NULL), 0);
	ISG_ASSERT_OK(isg_store_concept_tree(&tree, f->st, slugs[1], 0));
	arr = cJSON_Parse(tree.ptr);
	assert_int_equal(cJSON_GetArraySize(arr), 4);
	cJSON_Delete(arr);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_concept_tree(&tree, f->st, "missing", 0));
	/* Project and bridge links, then the concept filter. */
	ISG_ASSERT_OK(isg_store_project_concept_set(f->st, f->project,
	                                            "consensus", 0.5));
	ISG_ASSERT_OK(isg_store_project_concept_set(f->st, f->project,
	                                            "consensus", 0.75));
	assert_int_equal(
	        isg_test_pg_scalar(
	                &f->db,
	                "SELECT (confidence * 100)::int FROM project_concepts"),
	        75);
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_project_concept_set(f->st, f->project,
	                                            "consensus", 1.5));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_store_project_concept_set(
	                                     f->st, f->project, "nope", 0.5));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_project_concept_set(
	                      f->st, "0f8fad5b-d9cb-469f-a165-70867728950e",
	                      "kafka", 0.5));
	make_issue(f, issue, 4242, 42, "2024-03-03T00:00:00Z");
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	ISG_ASSERT_OK(
	        isg_store_content_concept_set(f->st, ref.id, "kafka", 0.9));
	ISG_ASSERT_OK(
	        isg_store_issue_set_difficulty(f->st, issue, "beginner", 1));
	flt.concept = "kafka";
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	arr = cJSON_Parse(page.ptr);
	items = cJSON_GetObjectItem(arr, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_int_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "number")
	                ->valueint,
	        42);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(arr, "next_cursor")));
	cJSON_Delete(arr);
	flt.concept = "consensus"; /* through the project */
	flt.junior_friendly = 1;
	flt.difficulty = "beginner";
	flt.project = "Octocat/Hello-World";
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	arr = cJSON_Parse(page.ptr);
	items = cJSON_GetObjectItem(arr, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "status")
	                ->valuestring,
	        "PENDING");
	cJSON_Delete(arr);
	flt.junior_friendly = 0;
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	assert_non_null(strstr(page.ptr, "\"items\":[]"));
	/* The project's language, in any case (filter version 2). */
	flt.junior_friendly = 1;
	flt.language = "python";
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	assert_int_equal(page_size(&page), 0);
	assert_int_equal(
	        isg_test_pg_exec(&f->db,
	                         "UPDATE projects SET language = 'Python'",
	                         NULL),
	        0);
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	assert_int_equal(page_size(&page), 1);
	flt.language = "C";
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	assert_int_equal(page_size(&page), 0);
	/* A version 1 filter ends before `language`: it is never read. */
	flt.version = 1;
	ISG_ASSERT_OK(isg_store_issues_list(&page, f->st, &flt));
	assert_int_equal(page_size(&page), 1);
	flt.version = 3;
	ISG_ASSERT_RC(ISG_EINVALID, isg_store_issues_list(&page, f->st, &flt));
	assert_non_null(strstr(isg_error_last()->message, "version 3"));
	isg_buf_dispose(&tree);
	isg_buf_dispose(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_store_archive__constraints_reject, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_archive__hostile_strings_round_trip, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_archive__projects_and_leases, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_archive__tutorials_and_original_requester,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_archive__concepts_tree_and_links, setup,
		        teardown),
	};
	isg_test_require_env("ISG_TEST_DATABASE_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
