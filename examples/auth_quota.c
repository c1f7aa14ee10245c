/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: API tokens and quotas in MongoDB.
 *
 * Creates an API token for a user, checks it, spends one unit of a quota
 * of 2 and refunds it. Uses ISG_TEST_MONGODB_URI; prints "skipped" when it
 * is not set.
 *
 *   cc auth_quota.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *uri = getenv("ISG_TEST_MONGODB_URI");
	const char *user = "3b0a9f7e-5c1d-4e8b-a2f6-0d9c8b7a6e5f";
	isg_auth_options ao = ISG_AUTH_OPTIONS_INIT;
	isg_quota_options qo = ISG_QUOTA_OPTIONS_INIT;
	isg_auth *a = NULL;
	isg_quota *q = NULL;
	isg_auth_token tok;
	isg_quota_state st;
	char owner[ISG_AUTH_USER_SIZE], prefix[48];
	int rc = 1;

	if (!uri) {
		printf("skipped: ISG_TEST_MONGODB_URI is not set\n");
		return 0;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	snprintf(prefix, sizeof(prefix), "example%ld_", (long)time(NULL));
	ao.uri = qo.uri = uri;
	ao.prefix = qo.prefix = prefix;
	if (isg_auth_new(&a, &ao) != ISG_OK ||
	    isg_quota_new(&q, &qo) != ISG_OK ||
	    isg_auth_token_create(&tok, a, user, "example") != ISG_OK ||
	    isg_auth_token_verify(owner, a, tok.secret) != ISG_OK) {
		fprintf(stderr, "auth: %s\n", isg_error_last()->message);
		goto done;
	}
	printf("token %s belongs to %s (expires %s)\n", tok.id, owner,
	       tok.expires_at);
	if (isg_quota_spend(&st, q, user, 2) != ISG_OK) {
		fprintf(stderr, "quota: %s\n", isg_error_last()->message);
		goto done;
	}
	printf("spent %s: %d of %d left\n", st.spend_id, st.remaining,
	       st.limit);
	if (isg_quota_refund(q, st.spend_id) == ISG_OK &&
	    isg_auth_token_revoke(a, user, tok.id) == ISG_OK)
		rc = 0;
	printf("refunded and revoked: %s\n", rc == 0 ? "yes" : "no");
done:
	isg_quota_free(q);
	isg_auth_free(a);
	isg_global_shutdown();
	return rc;
}
