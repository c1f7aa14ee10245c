/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the gateway's request parsing. The first byte picks
 * the parser: issue references, submission bodies (JSON), request paths,
 * query parameters; the rest is the input. Each result is checked against
 * the rules the parser promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ref(const gw_ref *r)
{
	size_t i;

	if (r->number < 1 || r->number > 2147483647 || !r->owner[0] ||
	    !r->repo[0] || strlen(r->owner) > 39 || strlen(r->repo) > 100)
		abort();
	for (i = 0; r->repo[i]; i++)
		if (r->repo[i] == '/' || r->repo[i] == '#')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *seg[16], out[256];
	const char *why = NULL;
	gw_ref ref;
	int n, i;

	if (size < 1 || size > 70000)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		if (gw_parse_issue_ref(&ref, s) == 0)
			check_ref(&ref);
		break;
	case 1:
		if (gw_parse_submit_body(&ref, (const char *)data + 1, size - 1,
		                         &why) == 0)
			check_ref(&ref);
		else if (!why)
			abort();
		break;
	case 2:
		n = gw_split_path(seg, 16, s);
		for (i = 0; i < n; i++)
			if (!seg[i][0] || strcmp(seg[i], "..") == 0 ||
			    strchr(seg[i], '/'))
				abort();
		break;
	default:
		if (gw_query_param(out, sizeof(out), s, "cursor") == 0 &&
		    strlen(out) >= sizeof(out))
			abort();
		break;
	}
	free(s);
	return 0;
}
