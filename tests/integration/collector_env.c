/* SPDX-License-Identifier: Apache-2.0 */
/* Shared backends of the collector tests; see collector_env.h. */
#include "collector_env.h"

#include <string.h>
#include <time.h>

#include "isg_test.h"

void collector_env_start(collector_env *b, const fake_github_options *fo,
                         const char *tag)
{
	isg_stream_options so = ISG_STREAM_OPTIONS_INIT;
	size_t n;

	memset(b, 0, sizeof(*b));
	so.redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	assert_int_equal(fake_github_start(&b->fg, fo), 0);
	isg_test_pg_create(&b->db);
	b->st = isg_test_pg_store(&b->db, 4, 0); /* migrated */
	isg_test_unique_name(b->prefix, sizeof(b->prefix) - 1, tag);
	n = strlen(b->prefix);
	b->prefix[n] = ':';
	b->prefix[n + 1] = '\0';
	so.prefix = b->prefix;
	ISG_ASSERT_OK(isg_stream_new(&b->s, &so));
}

void collector_env_stop(collector_env *b)
{
	isg_stream_free(b->s);
	isg_store_free(b->st);
	isg_test_pg_drop(&b->db);
	fake_github_stop(b->fg);
}

void collector_env_sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}
