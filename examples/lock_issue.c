/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the per-issue lock.
 *
 * Takes the lock of an issue, shows that a second owner is refused, passes
 * the token on as text (as a stream message would), extends and releases
 * it. Uses the Redis named by ISG_TEST_REDIS_URL; prints "skipped" when the
 * variable is not set.
 *
 *   cc lock_issue.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *url = getenv("ISG_TEST_REDIS_URL");
	isg_lock_options o = ISG_LOCK_OPTIONS_INIT;
	isg_lock *lock = NULL;
	isg_lock_token mine, other, passed;
	isg_buf key = ISG_BUF_INIT;
	char text[ISG_LOCK_TOKEN_TEXT_SIZE];
	int rc = 1;

	if (!url) {
		printf("skipped: ISG_TEST_REDIS_URL is not set\n");
		return 0;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	o.redis_url = url;
	if (isg_lock_new(&lock, &o) != ISG_OK)
		goto done;
	/* A number of its own, so that runs never meet. */
	if (isg_lock_issue_key(&key, "example/lock",
	                       (int)(time(NULL) % 1000000) + 1) != ISG_OK)
		goto done;
	if (isg_lock_acquire(&mine, lock, key.ptr, 30000) != ISG_OK)
		goto done;
	printf("took %s with fence %lld\n", key.ptr, mine.fence);
	if (isg_lock_acquire(&other, lock, key.ptr, 30000) != ISG_ECONFLICT)
		goto done;
	printf("second owner refused: %s\n", isg_error_last()->message);
	if (isg_lock_token_format(text, sizeof(text), &mine) != ISG_OK ||
	    isg_lock_token_parse(&passed, text) != ISG_OK)
		goto done;
	if (isg_lock_extend(lock, key.ptr, &passed, 60000) != ISG_OK ||
	    isg_lock_release(lock, key.ptr, &passed) != ISG_OK)
		goto done;
	printf("extended and released with the token %s\n", text);
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "lock example failed: %s\n",
		        isg_error_last()->message);
	isg_buf_dispose(&key);
	isg_lock_free(lock);
	isg_global_shutdown();
	return rc;
}
