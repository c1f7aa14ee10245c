/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the gateway's request parsing. The first byte picks
 * the parser: issue references, submission bodies (JSON), request paths,
 * query parameters, If-None-Match, Accept, Authorization, Cookie; the rest
 * is the input. Each result is checked against the rules the parser
 * promises.
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

/* The header parsers: outputs stay within their buffers and hold only
 * what the header allows. */
static void check_headers(int which, const char *s)
{
	char out[64];
	size_t i;
	int rc;

	switch (which) {
	case 4:
		if (gw_etag_match(s, "\"abc\"") && !strchr(s, '*') &&
		    !strstr(s, "\"abc\""))
			abort();
		break;
	case 5:
		if (gw_accept_markdown(s) && !strchr(s, '*') &&
		    !strchr(s, 'm') && !strchr(s, 'M'))
			abort();
		break;
	case 6:
		rc = gw_bearer_token(out, sizeof(out), s);
		if (rc == 0 && (strlen(out) >= sizeof(out) || !out[0]))
			abort();
		for (i = 0; rc == 0 && out[i]; i++)
			if (out[i] == ' ' || out[i] == '"' || out[i] == ',')
				abort();
		break;
	default:
		rc = gw_cookie_get(out, sizeof(out), s, "isg_session");
		if (rc == 0 && (strlen(out) >= sizeof(out) || strchr(out, ';')))
			abort();
		break;
	}
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
	if (data[0] % 8 >= 4) {
		check_headers(data[0] % 8, s);
		free(s);
		return 0;
	}
	switch (data[0] % 8) {
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
