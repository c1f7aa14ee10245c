/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the response headers the GitHub client reads: the
 * status line, ETag and Last-Modified, Link (the next page), Retry-After
 * and the X-RateLimit-* family, fed line by line to the client's libcurl
 * header callback (isg__github_header()) as libcurl would. The checks are
 * what the waiting and paging code relies on. The same entry point
 * replays the committed corpus in the normal test run (fuzz_replay.c).
 *
 * Input: the header block, one line per '\n' (a recorded *.headers.txt
 * file, possibly with status lines); each line is given with its '\n' in
 * a buffer of exactly its size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "github_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const isg__github_response *r)
{
	/* Numbers are either absent (-1) or what the header said, never
	 * negative otherwise; a retry-after is a wait, not a date. */
	if (r->rl_limit < -1 || r->rl_remaining < -1 || r->rl_used < -1 ||
	    r->rl_reset < -1 || r->retry_after_s < -1 || r->cur_status < 0)
		abort();
	if (memchr(r->rl_resource, '\0', sizeof(r->rl_resource)) == NULL)
		abort();
	/* The next page is what stood between angle brackets. */
	if (r->next_url && strchr(r->next_url, '>'))
		abort();
	if (r->etag && strchr(r->etag, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg__github_response r;
	size_t at = 0;

	memset(&r, 0, sizeof(r));
	r.max_bytes = 1 << 20;
	isg__github_response_clear(&r);
	while (at < size) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
		char *line = malloc(n);

		if (!line)
			break;
		memcpy(line, data + at, n);
		/* libcurl's contract: every byte is taken. */
		if (isg__github_header(line, 1, n, &r) != n)
			abort();
		free(line);
		check(&r);
		at += n;
	}
	isg__github_response_clear(&r);
	return 0;
}
