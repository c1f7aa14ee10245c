/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what the chat client reads from a model server:
 * the completion body (isg__llm_response_parse()), the error body
 * (isg__llm_error_body_parse()), response header lines
 * (isg__llm_hints_line(), isg__llm_duration_ms()) and the model's output
 * checked against a bridge-like schema (isg_llm_validate()). All pure, no
 * server needed; the same entry point replays the committed corpus in the
 * normal test run (fuzz_replay.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "llm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"summary\",\"files\",\"level\"],\"properties\":{\"summary\":{\"type\":\"string\",\"maxLength\":2000},\"level\":{\"type\":\"string\",\"enum\":[\"beginner\",\"intermediate\",\"advanced\"]},\"score\":{\"type\":[\"number\",\"null\"],\"minimum\":0,\"maximum\":1},\"files\":{\"type\":\"array\",\"maxItems\":20,\"items\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],\"properties\":{\"path\":{\"type\":\"string\"},\"line\":{\"type\":\"integer\"}}}}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	isg_llm_result r;
	isg__llm_error_body e;
	isg__llm_hints h;
	size_t i, start = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = isg__llm_response_parse(&r, text, size);
	if (rc == ISG_OK && (!r.content.ptr || r.content.size == 0))
		abort();
	if (rc == ISG_OK || rc == ISG_ETOOBIG)
		isg_llm_validate(r.content.ptr, r.content.size, schema);
	isg_llm_result_dispose(&r);
	isg__llm_error_body_parse(&e, text, size);
	if (strlen(e.message) >= sizeof(e.message))
		abort();
	isg__llm_hints_init(&h);
	for (i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			isg__llm_hints_line(&h, text + start, i - start);
			if (isg__llm_duration_ms(text + start, i - start) < -1)
				abort();
			start = i + 1;
		}
	}
	if (isg__llm_hint_ms(&h, 429) < -1)
		abort();
	rc = isg_llm_validate(text, size, schema);
	if (rc != ISG_OK && rc != ISG_EPARSE && rc != ISG_ENOMEM)
		abort();
	return 0;
}
