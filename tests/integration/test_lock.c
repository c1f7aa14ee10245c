/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Redis locks against the Redis that scripts/test starts: one winner among
 * contenders, checked extend and release (a stale holder cannot touch the
 * next holder's lock), expiry, fences that only grow (also after the
 * counter is lost), the issue key and the token text form. Every test uses
 * its own keys.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "redis_int.h"

static const char *redis_url;

static isg_lock *open_lock(void)
{
	isg_lock_options o = ISG_LOCK_OPTIONS_INIT;
	isg_lock *l = NULL;

	o.redis_url = redis_url;
	ISG_ASSERT_OK(isg_lock_new(&l, &o));
	return l;
}

static void unique_key(char *out, size_t n)
{
	char name[96];

	isg_test_unique_name(name, sizeof(name), "lock");
	snprintf(out, n, "t:%s", name);
}

static void test_lock__one_winner_then_conflict_with_ttl(void **state)
{
	isg_lock *a = open_lock(), *b = open_lock();
	isg_lock_token ta, tb;
	char key[128];

	(void)state;
	unique_key(key, sizeof(key));
	ISG_ASSERT_OK(isg_lock_acquire(&ta, a, key, 10000));
	assert_int_equal(strlen(ta.token), 32);
	assert_true(ta.fence > 0);
	ISG_ASSERT_RC(ISG_ECONFLICT, isg_lock_acquire(&tb, b, key, 10000));
	assert_string_equal(tb.token, "");
	assert_true(isg_error_last()->retry_after_s > 5.0);
	assert_true(isg_error_last()->retry_after_s <= 10.0);
	assert_non_null(strstr(isg_error_last()->message, "held by another"));
	ISG_ASSERT_OK(isg_lock_release(a, key, &ta));
	ISG_ASSERT_OK(isg_lock_acquire(&tb, b, key, 10000));
	assert_string_not_equal(ta.token, tb.token);
	assert_true(tb.fence > ta.fence);
	ISG_ASSERT_OK(isg_lock_release(b, key, &tb));
	isg_lock_free(a);
	isg_lock_free(b);
}

static void test_lock__stale_holder_cannot_release_or_extend(void **state)
{
	isg_lock *l = open_lock();
	isg_lock_token old, cur;
	char key[128], holder[ISG_LOCK_TOKEN_SIZE];
	long long ttl = 0;

	(void)state;
	unique_key(key, sizeof(key));
	ISG_ASSERT_OK(isg_lock_acquire(&old, l, key, 50));
	isg__clock_sleep_ms(120);
	ISG_ASSERT_OK(isg_lock_holder(holder, &ttl, l, key));
	assert_string_equal(holder, "");
	assert_int_equal(ttl, 0);
	ISG_ASSERT_OK(isg_lock_acquire(&cur, l, key, 10000));
	ISG_ASSERT_RC(ISG_ECONFLICT, isg_lock_release(l, key, &old));
	assert_non_null(strstr(isg_error_last()->message, "cannot release"));
	ISG_ASSERT_RC(ISG_ECONFLICT, isg_lock_extend(l, key, &old, 60000));
	ISG_ASSERT_OK(isg_lock_holder(holder, &ttl, l, key));
	assert_string_equal(holder, cur.token);
	assert_true(ttl > 5000 && ttl <= 10000);
	ISG_ASSERT_OK(isg_lock_extend(l, key, &cur, 60000));
	ISG_ASSERT_OK(isg_lock_holder(holder, &ttl, l, key));
	assert_true(ttl > 50000);
	assert_true(cur.fence > old.fence);
	ISG_ASSERT_OK(isg_lock_release(l, key, &cur));
	ISG_ASSERT_RC(ISG_ECONFLICT, isg_lock_release(l, key, &cur));
	isg_lock_free(l);
}

/* Lost counter (Redis restarted without data): the next fence is still
 * larger, because the counter restarts from Redis' clock. */
static void test_lock__fence_grows_after_counter_loss(void **state)
{
	isg_lock *l = open_lock();
	isg__redis *r = NULL;
	isg_lock_token t1, t2, t3;
	redisReply *rep = NULL;
	char key[128], fkey[140];
	const char *argv[2];

	(void)state;
	unique_key(key, sizeof(key));
	snprintf(fkey, sizeof(fkey), "%s:fence", key);
	ISG_ASSERT_OK(isg_lock_acquire(&t1, l, key, 10000));
	ISG_ASSERT_OK(isg_lock_release(l, key, &t1));
	ISG_ASSERT_OK(isg_lock_acquire(&t2, l, key, 10000));
	ISG_ASSERT_OK(isg_lock_release(l, key, &t2));
	assert_true(t2.fence > t1.fence);
	/* Redis' clock in ms, roughly the wall clock here. */
	assert_true(t1.fence > isg__clock_wall_ms() - 60000);
	ISG_ASSERT_OK(isg__redis_new(&r, redis_url, "test", 0, 0));
	argv[0] = "DEL";
	argv[1] = fkey;
	ISG_ASSERT_OK(isg__redis_command(&rep, r, 2, argv, NULL, 1, 0));
	assert_int_equal(rep->integer, 1);
	freeReplyObject(rep);
	isg__clock_sleep_ms(5);
	ISG_ASSERT_OK(isg_lock_acquire(&t3, l, key, 10000));
	assert_true(t3.fence > t2.fence);
	ISG_ASSERT_OK(isg_lock_release(l, key, &t3));
	isg__redis_free(r);
	isg_lock_free(l);
}

/* Many contenders at once (one connection each): exactly one wins. */
static void test_lock__many_contenders_one_winner(void **state)
{
	enum { N = 16 };
	isg_lock *ls[N];
	isg_lock_token t[N];
	char key[128];
	int i, won = 0, rc;

	(void)state;
	unique_key(key, sizeof(key));
	for (i = 0; i < N; i++)
		ls[i] = open_lock();
	for (i = 0; i < N; i++) {
		rc = isg_lock_acquire(&t[i], ls[i], key, 10000);
		assert_true(rc == ISG_OK || rc == ISG_ECONFLICT);
		won += rc == ISG_OK;
	}
	assert_int_equal(won, 1);
	for (i = 0; i < N; i++)
		isg_lock_free(ls[i]);
}

static void test_lock__issue_key_and_arguments(void **state)
{
	isg_buf b = ISG_BUF_INIT;
	isg_lock *l = open_lock();
	isg_lock_token t;
	char big[600];

	(void)state;
	ISG_ASSERT_OK(isg_lock_issue_key(&b, "octo/hello-world", 42));
	assert_string_equal(b.ptr, "is:lock:issue:octo/hello-world#42");
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_issue_key(&b, "octo", 1));
	assert_non_null(strstr(isg_error_last()->message, "owner/repo"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_issue_key(&b, "o/r", 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_issue_key(&b, "o/r x", 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_issue_key(&b, "a/b/c", 1));
	assert_string_equal(b.ptr, "is:lock:issue:octo/hello-world#42");
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_acquire(&t, l, "k", 0));
	assert_non_null(strstr(isg_error_last()->message, "TTL 0"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_acquire(&t, l, "k", ISG_LOCK_TTL_MAX_MS + 1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_acquire(&t, l, "", 10));
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_acquire(&t, l, big, 10));
	memset(&t, 0, sizeof(t));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_release(l, "k", &t));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_release(l, "k", NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_acquire(NULL, l, "k", 10));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_acquire(&t, NULL, "k", 10));
	isg_buf_dispose(&b);
	isg_lock_free(l);
	isg_lock_free(NULL);
}

static void test_lock__token_text_round_trip(void **state)
{
	isg_lock_token t, back;
	char text[ISG_LOCK_TOKEN_TEXT_SIZE], small[20];

	(void)state;
	memcpy(t.token, "0123456789abcdef0123456789abcdef", 33);
	t.fence = 1733400000123LL;
	ISG_ASSERT_OK(isg_lock_token_format(text, sizeof(text), &t));
	assert_string_equal(text,
	                    "0123456789abcdef0123456789abcdef.1733400000123");
	ISG_ASSERT_OK(isg_lock_token_parse(&back, text));
	assert_string_equal(back.token, t.token);
	assert_int_equal(back.fence, t.fence);
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_token_format(small, sizeof(small), &t));
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_token_parse(&back, "abc.1"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_token_parse(
	                      &back, "0123456789ABCDEF0123456789abcdef.1"));
	assert_non_null(strstr(isg_error_last()->message, "non-hex"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_token_parse(
	                      &back, "0123456789abcdef0123456789abcdef.0"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_token_parse(
	                      &back, "0123456789abcdef0123456789abcdef.-5"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_lock_token_parse(
	                      &back, "0123456789abcdef0123456789abcdef.12x"));
	assert_string_equal(back.token, "");
	assert_int_equal(back.fence, 0);
}

static void test_lock__unreachable_redis(void **state)
{
	isg_lock_options o = ISG_LOCK_OPTIONS_INIT;
	isg_lock *l = NULL;

	(void)state;
	o.redis_url = "redis://:hunter2@127.0.0.1:1/0";
	o.connect_timeout_ms = 200;
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_lock_new(&l, &o));
	assert_null(l);
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	o.redis_url = NULL;
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_new(&l, &o));
	o.version = 99;
	ISG_ASSERT_RC(ISG_EINVALID, isg_lock_new(&l, &o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock__one_winner_then_conflict_with_ttl),
		cmocka_unit_test(
		        test_lock__stale_holder_cannot_release_or_extend),
		cmocka_unit_test(test_lock__fence_grows_after_counter_loss),
		cmocka_unit_test(test_lock__many_contenders_one_winner),
		cmocka_unit_test(test_lock__issue_key_and_arguments),
		cmocka_unit_test(test_lock__token_text_round_trip),
		cmocka_unit_test(test_lock__unreachable_redis),
	};

	redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	isg_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
