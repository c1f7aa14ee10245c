/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what localization reads from an issue's text,
 * which anyone who can open an issue writes: the mention extraction
 * (paths, stack-trace frames, dotted modules, identifiers:
 * isg__locate_mentions()), the clean-up of version dumps it starts with,
 * and the query over quoted string literals
 * (isg__locate_literal_query()). The same entry point replays the
 * committed corpus in the normal test run (fuzz_replay.c).
 *
 * Input: the text (title and body as locate joins them), in a
 * buffer of exactly its size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "locate_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_mentions(const isg__mentions *m, size_t size)
{
	size_t i;

	for (i = 0; i < m->len; i++) {
		const isg__mention *x = &m->items[i];

		/* A mention is a non-empty piece of the text, of a known
		 * kind, with a weight between 0 and 1. */
		if (!x->text || !x->text[0] || strlen(x->text) > size ||
		    x->type < ISG__M_PATH || x->type > ISG__M_IDENT ||
		    !(x->weight >= 0.0 && x->weight <= 1.0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg__mentions m;
	isg_buf q = ISG_BUF_INIT;
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	if (isg__locate_mentions(&m, text, size) == ISG_OK) {
		check_mentions(&m, size);
		isg__locate_mentions_free(&m);
	}
	if (isg__locate_literal_query(&q, text, size) == ISG_OK && q.size &&
	    q.size != strlen(q.ptr))
		abort();
	isg_buf_dispose(&q);
	/* In place, as locate runs it on its own copy. */
	isg__locate_blank_dumps(text, size);
	free(text);
	return 0;
}
