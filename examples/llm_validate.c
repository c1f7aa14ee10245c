/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the chat client.
 *
 * Checks a model's answer against the JSON Schema the client would send,
 * then creates a client. When ISG_EXAMPLE_OPENAI_URL names an
 * OpenAI-compatible server (with OPENAI_API_KEY if it needs one), it also
 * asks one structured question and prints the answer and its usage.
 *
 *   cc llm_validate.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

static const char schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"difficulty\",\"why\"],\"properties\":{\"difficulty\":{\"type\":\"string\",\"enum\":[\"beginner\",\"intermediate\",\"advanced\"]},\"why\":{\"type\":\"string\"}}}";

int main(void)
{
	const char *good = "{\"difficulty\":\"beginner\",\"why\":\"one file\"}";
	const char *bad = "{\"difficulty\":\"easy\",\"why\":\"one file\"}";
	const char *url = getenv("ISG_EXAMPLE_OPENAI_URL");
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm_request req = ISG_LLM_REQUEST_INIT;
	isg_llm_result res;
	isg_llm *llm = NULL;
	int rc = 1;

	if (isg_global_init() != ISG_OK)
		return 1;
	if (isg_llm_validate(good, strlen(good), schema) != ISG_OK)
		goto done;
	if (isg_llm_validate(bad, strlen(bad), schema) != ISG_EPARSE)
		goto done;
	printf("rejected: %s\n", isg_error_last()->message);
	o.base_url = url ? url : "http://127.0.0.1:8080/v1";
	o.api_key = getenv("OPENAI_API_KEY");
	o.model = "gpt-4o";
	o.max_in_flight = 4;
	if (isg_llm_new(&llm, &o) != ISG_OK)
		goto done;
	printf("client for %s ready\n", isg_llm_model(llm));
	if (url) {
		req.system =
		        "Rate the difficulty of a GitHub issue. Answer in JSON.";
		req.user =
		        "<issue>Typo in README: 'teh' instead of 'the'.</issue>";
		req.schema_json = schema;
		req.tag = "example";
		if (isg_llm_complete(&res, llm, &req) != ISG_OK) {
			fprintf(stderr, "request failed: %s\n", res.message);
			isg_llm_result_dispose(&res);
			goto done;
		}
		printf("%s answered %s (%lld prompt, %lld completion tokens)\n",
		       res.model, res.content.ptr, res.prompt_tokens,
		       res.completion_tokens);
		isg_llm_result_dispose(&res);
	}
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "llm example failed: %s\n",
		        isg_error_last()->message);
	isg_llm_free(llm);
	isg_global_shutdown();
	return rc;
}
