/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the parsers of GitHub data: issue, comment,
 * repository and label objects, the JSON written back from a parsed issue
 * (which must parse again to the same number and PR flag), and the client's
 * Link-header reader. The same entry point replays the committed corpus in
 * the normal test run (fuzz_replay.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "github_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_issue(const char *text, size_t len)
{
	isg_issue *is = NULL, *again = NULL;
	isg_buf js = ISG_BUF_INIT;

	if (isg_issue_parse(&is, text, len) != ISG_OK)
		return;
	if (isg_issue_to_json(&js, is) == ISG_OK) {
		/* What we write must read back; only allocation may fail. */
		int rc = isg_issue_parse(&again, js.ptr, js.size);

		if (rc != ISG_OK && rc != ISG_ENOMEM)
			abort();
		if (again && (again->number != is->number ||
		              again->is_pull_request != is->is_pull_request ||
		              again->nlabels != is->nlabels ||
		              again->ncomments != is->ncomments))
			abort();
	}
	isg_issue_free(again);
	isg_issue_free(is);
	isg_buf_dispose(&js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	isg_comment *c = NULL;
	isg_repository *r = NULL;
	isg_label *l = NULL;
	isg_buf js = ISG_BUF_INIT;
	char *z;
	int rc;

	check_issue(text, size);
	if (isg_issue_comment_parse(&c, text, size) == ISG_OK)
		isg_issue_comment_to_json(&js, c);
	isg_issue_comment_free(c);
	if (isg_issue_repository_parse(&r, text, size) == ISG_OK)
		isg_issue_repository_to_json(&js, r);
	isg_issue_repository_free(r);
	isg_issue_label_parse(&l, text, size);
	isg_issue_label_free(l);
	isg_buf_dispose(&js);
	/* The Link header reader works on NUL-terminated text. */
	z = malloc(size + 1);
	if (z) {
		memcpy(z, data, size);
		z[size] = '\0';
		isg__alloc_free(isg__github_link_next(z, &rc));
		free(z);
	}
	return 0;
}
