/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sign-in state and quotas against the MongoDB-wire server: API tokens
 * (hashed, listed without secrets, revoked, expired), sessions (expiry,
 * logout), OAuth states (one use, replay and unknown refused, PKCE S256),
 * quotas exact under 100 concurrent spenders, refunds and the rolling
 * window, and MongoDB down failing with ISG_EUNAVAILABLE. Not in the
 * ThreadSanitizer phase: libmongoc and libbson are not instrumented, and
 * their internal atomics make TSan report races inside them.
 */
#include "isg_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "issuesight/auth.h"
#include "issuesight/quota.h"

#define USER "7f4bd1c2-8f0e-4a43-9d34-3f1a8d7c9e01"

static char prefix[64];

static isg_auth *auth_new(int session_ttl_s)
{
	isg_auth_options o = ISG_AUTH_OPTIONS_INIT;
	isg_auth *a = NULL;

	o.uri = isg_test_require_env("ISG_TEST_MONGODB_URI");
	o.prefix = prefix;
	o.session_ttl_s = session_ttl_s;
	ISG_ASSERT_OK(isg_auth_new(&a, &o));
	ISG_ASSERT_OK(isg_auth_ping(a));
	return a;
}

static isg_quota *quota_new(int window_s)
{
	isg_quota_options o = ISG_QUOTA_OPTIONS_INIT;
	isg_quota *q = NULL;

	o.uri = isg_test_require_env("ISG_TEST_MONGODB_URI");
	o.prefix = prefix;
	o.window_s = window_s;
	ISG_ASSERT_OK(isg_quota_new(&q, &o));
	return q;
}

static int setup(void **state)
{
	(void)state;
	isg_test_unique_name(prefix, sizeof(prefix), "acct");
	strcat(prefix, "_");
	return 0;
}

static void test_auth__token_roundtrip_list_revoke(void **state)
{
	isg_auth *a = auth_new(0);
	isg_auth_token t, t2;
	char user[ISG_AUTH_USER_SIZE];
	isg_buf list = ISG_BUF_INIT;

	(void)state;
	ISG_ASSERT_OK(isg_auth_token_create(&t, a, USER, "laptop"));
	assert_int_equal(strlen(t.secret), 47);
	assert_int_equal(strncmp(t.secret, "isgt", 4), 0);
	assert_int_equal(strlen(t.id), 16);
	ISG_ASSERT_OK(isg_auth_token_verify(user, a, t.secret));
	assert_string_equal(user, USER);
	ISG_ASSERT_OK(isg_auth_token_create(&t2, a, USER, "ci \"bot\""));
	ISG_ASSERT_OK(isg_auth_tokens_list(&list, a, USER));
	assert_non_null(strstr(list.ptr, t.id));
	assert_non_null(strstr(list.ptr, "ci \\\"bot\\\""));
	assert_null(strstr(list.ptr, t.secret)); /* never the secret */
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_auth_token_revoke(a, "someone-else", t.id));
	ISG_ASSERT_OK(isg_auth_token_revoke(a, USER, t.id));
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_token_verify(user, a, t.secret));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_auth_token_revoke(a, NULL, t.id));
	/* A near miss of a real secret is refused. */
	t2.secret[10] = t2.secret[10] == 'A' ? 'B' : 'A';
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_token_verify(user, a, t2.secret));
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_token_verify(user, a, "Bearer x"));
	isg_buf_dispose(&list);
	isg_auth_free(a);
}

static void test_auth__sessions_expire_and_log_out(void **state)
{
	isg_auth *a = auth_new(1);
	isg_auth_session s, v;
	long long swept = 0;

	(void)state;
	ISG_ASSERT_OK(isg_auth_session_create(&s, a, USER));
	ISG_ASSERT_OK(isg_auth_session_verify(&v, a, s.secret));
	assert_string_equal(v.user_id, USER);
	assert_string_equal(v.csrf, s.csrf);
	ISG_ASSERT_OK(isg_auth_session_delete(a, s.secret));
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_session_verify(&v, a, s.secret));
	ISG_ASSERT_OK(isg_auth_session_create(&s, a, USER));
	isg__clock_sleep_ms(1100);
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_session_verify(&v, a, s.secret));
	assert_non_null(strstr(isg_error_last()->message, "expired"));
	/* Expired documents no one reads are swept. */
	ISG_ASSERT_OK(isg_auth_session_create(&s, a, USER));
	isg__clock_sleep_ms(1100);
	ISG_ASSERT_OK(isg_auth_sweep(&swept, a));
	assert_true(swept >= 1);
	isg_auth_free(a);
}

static void test_auth__oauth_state_works_once(void **state)
{
	isg_auth *a = auth_new(0);
	isg_auth_state s, t;
	char challenge[ISG_AUTH_SECRET_SIZE];

	(void)state;
	ISG_ASSERT_OK(isg_auth_state_create(&s, a, "github", "/me"));
	ISG_ASSERT_OK(isg_auth_pkce_challenge(challenge, s.verifier));
	assert_string_equal(challenge, s.challenge);
	assert_int_equal(strlen(s.verifier), 43);
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_state_take(&t, a, "wrong"));
	ISG_ASSERT_OK(isg_auth_state_take(&t, a, s.state));
	assert_string_equal(t.provider, "github");
	assert_string_equal(t.verifier, s.verifier);
	assert_string_equal(t.return_to, "/me");
	ISG_ASSERT_RC(ISG_EAUTH, isg_auth_state_take(&t, a, s.state));
	/* Only local return paths. */
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_auth_state_create(&s, a, "github", "//evil.com"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_auth_state_create(&s, a, "github", "https://x"));
	/* RFC 7636 appendix B. */
	ISG_ASSERT_OK(isg_auth_pkce_challenge(
	        challenge, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
	assert_string_equal(challenge,
	                    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	isg_auth_free(a);
}

typedef struct spender {
	isg_quota *q;
	pthread_barrier_t *go;
	int rc;
	long long retry;
} spender;

static void *spend_thread(void *p)
{
	spender *s = p;
	isg_quota_state st;

	pthread_barrier_wait(s->go);
	s->rc = isg_quota_spend(&st, s->q, USER, 5);
	s->retry = s->rc == ISG_EQUOTA ? st.retry_after_s : 0;
	return NULL;
}

static void test_quota__exact_under_100_concurrent_spends(void **state)
{
	enum { N = 100 };
	isg_quota *q = quota_new(0);
	pthread_t th[N];
	spender s[N];
	pthread_barrier_t go;
	isg_quota_state st;
	int i, ok = 0, over = 0;

	(void)state;
	pthread_barrier_init(&go, NULL, N);
	for (i = 0; i < N; i++) {
		s[i].q = q;
		s[i].go = &go;
		assert_int_equal(
		        pthread_create(&th[i], NULL, spend_thread, &s[i]), 0);
	}
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (i = 0; i < N; i++) {
		if (s[i].rc == ISG_OK)
			ok++;
		else if (s[i].rc == ISG_EQUOTA && s[i].retry > 0 &&
		         s[i].retry <= 86400)
			over++;
	}
	assert_int_equal(ok, 5);
	assert_int_equal(over, 95);
	ISG_ASSERT_OK(isg_quota_get(&st, q, USER, 5));
	assert_int_equal(st.used, 5);
	assert_int_equal(st.remaining, 0);
	/* An admin-sized limit still has room. */
	ISG_ASSERT_OK(isg_quota_get(&st, q, USER, 100));
	assert_int_equal(st.remaining, 95);
	isg_quota_free(q);
}

static void test_quota__refund_and_window(void **state)
{
	isg_quota *q = quota_new(1);
	isg_quota_state a, b;

	(void)state;
	ISG_ASSERT_OK(isg_quota_spend(&a, q, USER, 1));
	assert_int_equal(a.remaining, 0);
	ISG_ASSERT_RC(ISG_EQUOTA, isg_quota_spend(&b, q, USER, 1));
	assert_true(isg_error_last()->retry_after_s > 0);
	ISG_ASSERT_OK(isg_quota_refund(q, a.spend_id));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_quota_refund(q, a.spend_id));
	ISG_ASSERT_OK(isg_quota_spend(&b, q, USER, 1));
	assert_string_equal(b.spend_id, a.spend_id); /* the same lap again */
	isg__clock_sleep_ms(1100);
	ISG_ASSERT_OK(isg_quota_spend(&a, q, USER, 1)); /* window rolled */
	assert_string_not_equal(a.spend_id, b.spend_id);
	ISG_ASSERT_RC(ISG_EQUOTA, isg_quota_spend(&b, q, USER, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_quota_spend(&b, q, USER, -1));
	isg_quota_free(q);
}

static void test_account__mongodb_down_is_unavailable(void **state)
{
	isg_auth_options ao = ISG_AUTH_OPTIONS_INIT;
	isg_quota_options qo = ISG_QUOTA_OPTIONS_INIT;
	isg_auth *a = NULL;
	isg_quota *q = NULL;
	isg_quota_state st;
	char user[ISG_AUTH_USER_SIZE];

	(void)state;
	ao.uri = qo.uri = "mongodb://127.0.0.1:1/";
	ao.timeout_ms = qo.timeout_ms = 300;
	ISG_ASSERT_OK(isg_auth_new(&a, &ao));
	ISG_ASSERT_OK(isg_quota_new(&q, &qo));
	ISG_ASSERT_RC(
	        ISG_EUNAVAILABLE,
	        isg_auth_token_verify(
	                user, a,
	                "isgtAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_auth_ping(a));
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_quota_spend(&st, q, USER, 5));
	isg_auth_free(a);
	isg_quota_free(q);
	ao.uri = "http://x";
	ISG_ASSERT_RC(ISG_EINVALID, isg_auth_new(&a, &ao));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_auth__token_roundtrip_list_revoke,
		                       setup),
		cmocka_unit_test_setup(test_auth__sessions_expire_and_log_out,
		                       setup),
		cmocka_unit_test_setup(test_auth__oauth_state_works_once,
		                       setup),
		cmocka_unit_test_setup(
		        test_quota__exact_under_100_concurrent_spends, setup),
		cmocka_unit_test_setup(test_quota__refund_and_window, setup),
		cmocka_unit_test_setup(
		        test_account__mongodb_down_is_unavailable, setup),
	};
	int rc;

	isg_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	isg_global_shutdown();
	return rc;
}
