/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for isg_bridge_from_json(). Whatever the input, the call
 * must return a status without crashing or leaking; when it accepts a
 * document, the bridge must write valid JSON that reads back to the same
 * bytes, and render Markdown deterministically.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg_buf j1 = ISG_BUF_INIT, j2 = ISG_BUF_INIT;
	isg_buf m1 = ISG_BUF_INIT, m2 = ISG_BUF_INIT;
	isg_bridge *b = NULL, *back = NULL;
	int rc = isg_bridge_from_json(&b, (const char *)data, size);

	if (rc != ISG_OK) {
		if (b || rc > 0)
			abort();
		return 0;
	}
	if (isg_bridge_validate((const char *)data, size) != ISG_OK)
		abort();
	if (isg_bridge_to_json(&j1, b, 0) != ISG_OK ||
	    isg_bridge_validate(j1.ptr, j1.size) != ISG_OK ||
	    isg_bridge_from_json(&back, j1.ptr, j1.size) != ISG_OK ||
	    isg_bridge_to_json(&j2, back, 0) != ISG_OK || j1.size != j2.size ||
	    memcmp(j1.ptr, j2.ptr, j1.size) != 0)
		abort();
	if (isg_bridge_to_markdown(&m1, b) != ISG_OK ||
	    isg_bridge_to_markdown(&m2, back) != ISG_OK || m1.size != m2.size ||
	    memcmp(m1.ptr, m2.ptr, m1.size) != 0)
		abort();
	isg_buf_dispose(&j1);
	isg_buf_dispose(&j2);
	isg_buf_dispose(&m1);
	isg_buf_dispose(&m2);
	isg_bridge_free(b);
	isg_bridge_free(back);
	return 0;
}
