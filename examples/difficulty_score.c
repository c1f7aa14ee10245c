/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: estimate how junior-friendly an issue is, with the reasons.
 *
 *   cc difficulty_score.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>

#include <issuesight/issuesight.h>
#include <issuesight/difficulty.h>

int main(void)
{
	const char *labels[] = { "good first issue", "documentation" };
	const char *paths[] = { "docs/usage.rst" };
	const double scores[] = { 4.2 };
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_difficulty *d = NULL;
	isg_buf json = ISG_BUF_INIT;
	size_t i;
	int rc;

	if (isg_global_init() != ISG_OK)
		return 1;
	in.title = "Typo in the usage docs";
	in.body = "The usage page says 'recieve' instead of 'receive'.";
	in.labels = labels;
	in.nlabels = 2;
	in.paths = paths;
	in.path_scores = scores;
	in.npaths = 1;
	rc = isg_difficulty_estimate(&d, &in);
	if (rc != ISG_OK)
		goto done;
	printf("score %.2f: %s%s\n", isg_difficulty_score(d),
	       isg_difficulty_level_name(isg_difficulty_level_of(d)),
	       isg_difficulty_junior_friendly(d) ? " (junior friendly)" : "");
	for (i = 0; i < isg_difficulty_reason_count(d); i++)
		printf("  %s\n", isg_difficulty_reason_at(d, i)->text);
	rc = isg_difficulty_to_json(&json, d);
	if (rc == ISG_OK)
		printf("%s\n", json.ptr);
done:
	if (rc != ISG_OK)
		fprintf(stderr, "error: %s\n", isg_error_last()->message);
	isg_buf_dispose(&json);
	isg_difficulty_free(d);
	isg_global_shutdown();
	return rc == ISG_OK ? 0 : 1;
}
