/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the concept catalog into a real PostgreSQL through the store:
 * idempotent (a second load leaves the same rows), subtrees readable back,
 * and a project's concepts recorded.
 */
#include "isg_test.h"
#include "test_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/concepts.h>
#include <issuesight/store.h>

static void
test_concepts_load__twice_is_idempotent_and_tree_reads_back(void **state)
{
	isg_test_pg db;
	isg_store *st;
	isg_concepts *cat = NULL;
	isg_concepts_matches *m = NULL;
	isg_concepts_project p = ISG_CONCEPTS_PROJECT_INIT;
	isg_store_project sp = ISG_STORE_PROJECT_INIT;
	const char *langs[] = { "Python" };
	const char *deps[] = { "redis", "numpy" };
	char project[ISG_STORE_ID_SIZE];
	isg_buf tree = ISG_BUF_INIT;
	long long nc1, nr1, nc2, nr2, links = 0, npc;
	size_t n = 0, i, written = 0;

	(void)state;
	isg_test_pg_create(&db);
	st = isg_test_pg_store(&db, 2, 0);
	ISG_ASSERT_OK(isg_concepts_new(&cat, NULL));
	for (i = 0; i < isg_concepts_count(cat); i++)
		links += (long long)isg_concepts_at(cat, i)->nparents;

	ISG_ASSERT_OK(isg_concepts_store_load(&n, st, cat));
	assert_int_equal(n, isg_concepts_count(cat));
	nc1 = isg_test_pg_scalar(&db, "SELECT count(*) FROM concepts");
	nr1 = isg_test_pg_scalar(&db,
	                         "SELECT count(*) FROM concept_relationships");
	assert_int_equal(nc1, (long long)isg_concepts_count(cat));
	assert_int_equal(nr1, links);

	ISG_ASSERT_OK(isg_concepts_store_load(&n, st, cat));
	nc2 = isg_test_pg_scalar(&db, "SELECT count(*) FROM concepts");
	nr2 = isg_test_pg_scalar(&db,
	                         "SELECT count(*) FROM concept_relationships");
	assert_int_equal(nc1, nc2);
	assert_int_equal(nr1, nr2);

	ISG_ASSERT_OK(
	        isg_store_concept_tree(&tree, st, "distributed-systems", 0));
	assert_non_null(strstr(tree.ptr, "\"message-queues\""));
	assert_non_null(strstr(tree.ptr, "\"kafka\""));
	assert_null(strstr(tree.ptr, "\"numpy\""));

	sp.gh_repo_id = 4242;
	sp.owner = "acme";
	sp.name = "jobs";
	ISG_ASSERT_OK(isg_store_project_upsert(project, st, &sp));
	p.languages = langs;
	p.nlanguages = 1;
	p.dependencies = deps;
	p.ndependencies = 2;
	ISG_ASSERT_OK(isg_concepts_for_project(&m, cat, &p));
	ISG_ASSERT_OK(isg_concepts_store_project(&written, st, project, m));
	assert_int_equal(written, isg_concepts_matches_count(m));
	ISG_ASSERT_OK(isg_concepts_store_project(&written, st, project, m));
	npc = isg_test_pg_scalar(&db, "SELECT count(*) FROM project_concepts");
	assert_int_equal(npc, (long long)isg_concepts_matches_count(m));
	assert_true(npc >= 3);
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_concepts_store_project(NULL, st, NULL, m));
	ISG_ASSERT_RC(ISG_EINVALID, isg_concepts_store_load(NULL, NULL, cat));

	isg_buf_dispose(&tree);
	isg_concepts_matches_free(m);
	isg_concepts_free(cat);
	isg_store_free(st);
	isg_test_pg_drop(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_concepts_load__twice_is_idempotent_and_tree_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
