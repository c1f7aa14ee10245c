/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation failures in the store's result handling: every read that
 * turns rows into library memory (issue, content, issue pages, concept
 * trees) returns ISG_ENOMEM when the k-th allocation fails, for every k,
 * and leaks nothing. libpq's own memory is not hooked; ours is.
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
	isg_store_issue is = ISG_STORE_ISSUE_INIT;
	isg_store_completion c = ISG_STORE_COMPLETION_INIT;
	isg_store_content_ref ref;
	fixture *f;
	char issue[ISG_STORE_ID_SIZE], cid[ISG_STORE_ID_SIZE];
	int i;

	p.gh_repo_id = 4242;
	p.owner = "alloc";
	p.name = "torture";
	f = isg_test_store_fixture_new(2, &p);
	for (i = 1; i <= 5; i++) {
		char title[64], updated[32];
		const char *labels[] = { "good first issue", "bug" };

		snprintf(title, sizeof(title), "Issue \"%d\" with 'quotes'", i);
		snprintf(updated, sizeof(updated), "2024-02-0%dT00:00:00Z", i);
		is.project_id = f->project;
		is.gh_issue_id = 9000 + i;
		is.number = i;
		is.title = title;
		is.state = "open";
		is.labels = labels;
		is.nlabels = 2;
		is.gh_updated_at = updated;
		is.raw_json = "{\"body\": \"\\u00e9t\\u00e9 \\ud83d\\ude00\"}";
		ISG_ASSERT_OK(isg_store_issue_upsert(issue, f->st, &is));
	}
	ISG_ASSERT_OK(isg_store_content_ensure(&ref, f->st, issue));
	memcpy(cid, ref.id, sizeof(cid));
	c.bridge_json = "{\"schema_version\": \"1.0\", \"n\": [1, 2, 3]}";
	c.engine = "offline";
	ISG_ASSERT_OK(isg_store_content_complete(f->st, cid, &c));
	ISG_ASSERT_OK(isg_store_concept_upsert(NULL, f->st, "databases",
	                                       "Databases", "Stores data."));
	ISG_ASSERT_OK(isg_store_concept_upsert(NULL, f->st, "sql", "SQL",
	                                       "Queries data."));
	ISG_ASSERT_OK(isg_store_concept_link(f->st, "databases", "sql"));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	isg_test_store_fixture_free(*state);
	return 0;
}

/* Runs `op` with the k-th allocation failing for k = 1, 2, ... until it
 * succeeds; each failure must be ISG_ENOMEM and leave nothing allocated. */
static void torture(fixture *f, int (*op)(fixture *f), const char *what)
{
	long k, before;
	int rc = ISG_ENOMEM;

	isg_test_alloc_install();
	for (k = 1; k < 100000 && rc == ISG_ENOMEM; k++) {
		before = isg_test_alloc_live();
		isg_test_alloc_fail_at(k);
		rc = op(f);
		isg_test_alloc_fail_at(0);
		if (isg_test_alloc_live() != before)
			fail_msg(
			        "%s: %ld allocation(s) leaked when allocation %ld failed",
			        what, isg_test_alloc_live() - before, k);
		if (rc != ISG_OK && rc != ISG_ENOMEM)
			fail_msg(
			        "%s: allocation %ld failed and the call returned %s: %s",
			        what, k, isg_error_name(rc),
			        isg_error_last()->message);
	}
	isg_test_alloc_uninstall();
	ISG_ASSERT_OK(rc);
	assert_true(k > 1); /* at least one allocation was failed */
}

static int op_issue_get(fixture *f)
{
	isg_store_issue_info info;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = isg_store_issue_get(&info, f->st, "alloc/torture", 3);
	if (rc == ISG_OK && strcmp(info.title.ptr, "Issue \"3\" with 'quotes'"))
		rc = ISG_ERROR;
	isg_store_issue_info_dispose(&info);
	return rc;
}

static int op_content_get(fixture *f)
{
	isg_store_content c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = isg_store_content_get_by_issue(&c, f->st, "alloc/torture", 5);
	isg_store_content_dispose(&c);
	return rc;
}

static int op_issues_list(fixture *f)
{
	isg_store_issue_filter flt = ISG_STORE_ISSUE_FILTER_INIT;
	isg_buf page = ISG_BUF_INIT;
	int rc;

	flt.project = "alloc/torture";
	flt.limit = 2;
	rc = isg_store_issues_list(&page, f->st, &flt);
	if (rc == ISG_OK && !strstr(page.ptr, "\"next_cursor\":\""))
		rc = ISG_ERROR;
	isg_buf_dispose(&page);
	return rc;
}

static int op_concept_tree(fixture *f)
{
	isg_buf tree = ISG_BUF_INIT;
	int rc = isg_store_concept_tree(&tree, f->st, "databases", 5);

	if (rc == ISG_OK && !strstr(tree.ptr, "sql"))
		rc = ISG_ERROR;
	isg_buf_dispose(&tree);
	return rc;
}

static void test_store_alloc__reads_fail_cleanly(void **state)
{
	fixture *f = *state;

	torture(f, op_issue_get, "isg_store_issue_get");
	torture(f, op_content_get, "isg_store_content_get_by_issue");
	torture(f, op_issues_list, "isg_store_issues_list");
	torture(f, op_concept_tree, "isg_store_concept_tree");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_store_alloc__reads_fail_cleanly, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
