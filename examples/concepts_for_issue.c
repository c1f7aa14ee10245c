/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: match an issue to concepts of the embedded catalog, then list
 * the prerequisites from foundational to specific, and walk a subtree.
 *
 *   cc concepts_for_issue.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>

#include <issuesight/issuesight.h>
#include <issuesight/concepts.h>

int main(void)
{
	const char *paths[] = { "worker/consumer.py" };
	const char *imports[] = { "redis" };
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_concepts *cat = NULL;
	isg_concepts_matches *m = NULL, *pre = NULL;
	isg_buf json = ISG_BUF_INIT;
	size_t i, k;
	int rc;

	if (isg_global_init() != ISG_OK)
		return 1;
	rc = isg_concepts_new(&cat, NULL);
	if (rc != ISG_OK)
		goto done;
	printf("catalog: %zu concepts\n", isg_concepts_count(cat));
	q.title = "Redis stream consumer loses messages after a crash";
	q.body = "Pending entries of the consumer group are never claimed.";
	q.paths = paths;
	q.npaths = 1;
	q.imports = imports;
	q.nimports = 1;
	rc = isg_concepts_match(&m, cat, &q);
	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < isg_concepts_matches_count(m); i++) {
		const isg_concept_match *mt = isg_concepts_matches_at(m, i);

		printf("%-20s %.2f", mt->entry->slug, mt->confidence);
		for (k = 0; k < mt->nevidence; k++)
			printf("%s%s", k ? "; " : "  ", mt->evidence[k]);
		printf("\n");
	}
	rc = isg_concepts_prerequisites(&pre, m, 8);
	if (rc != ISG_OK)
		goto done;
	printf("learn in this order:");
	for (i = 0; i < isg_concepts_matches_count(pre); i++)
		printf(" %s", isg_concepts_matches_at(pre, i)->entry->slug);
	printf("\n");
	rc = isg_concepts_tree_json(&json, cat, "message-queues");
	if (rc == ISG_OK)
		printf("subtree: %.120s...\n", json.ptr);
done:
	if (rc != ISG_OK)
		fprintf(stderr, "error: %s\n", isg_error_last()->message);
	isg_buf_dispose(&json);
	isg_concepts_matches_free(pre);
	isg_concepts_matches_free(m);
	isg_concepts_free(cat);
	isg_global_shutdown();
	return rc == ISG_OK ? 0 : 1;
}
