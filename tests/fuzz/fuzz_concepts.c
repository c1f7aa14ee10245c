/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the concept catalog parser (an override catalog file is
 * outside data), followed by matching and the tree writer on what loaded.
 */
#include <stddef.h>
#include <stdint.h>

#include <issuesight/concepts.h>
#include <issuesight/error.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_concepts *cat = NULL;
	isg_concepts_matches *m = NULL, *pre = NULL;
	isg_buf b = ISG_BUF_INIT;

	o.json = (const char *)data;
	o.json_len = size;
	if (isg_concepts_new(&cat, &o) != ISG_OK)
		return 0;
	q.title = "alpha beta gamma queue tests";
	q.body = "delta epsilon c++ c# x.y";
	if (isg_concepts_match(&m, cat, &q) == ISG_OK &&
	    isg_concepts_prerequisites(&pre, m, 0) == ISG_OK)
		(void)isg_concepts_matches_to_json(&b, pre);
	(void)isg_concepts_tree_json(&b, cat, NULL);
	isg_buf_dispose(&b);
	isg_concepts_matches_free(pre);
	isg_concepts_matches_free(m);
	isg_concepts_free(cat);
	return 0;
}
