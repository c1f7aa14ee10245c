/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the first step of a GitHub sign-in.
 *
 * Creates an OAuth state with its PKCE verifier in MongoDB and prints the
 * URL a browser is sent to. Uses ISG_TEST_MONGODB_URI; prints "skipped"
 * when it is not set. (The code exchange, isg_oauth_exchange(), needs the
 * provider's answer: see tests/integration/test_gateway.py.)
 *
 *   cc oauth_url.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *uri = getenv("ISG_TEST_MONGODB_URI");
	isg_auth_options ao = ISG_AUTH_OPTIONS_INIT;
	isg_oauth_provider p = ISG_OAUTH_PROVIDER_INIT;
	isg_auth *a = NULL;
	isg_auth_state st;
	isg_buf url = ISG_BUF_INIT;
	int rc = 1;

	if (!uri) {
		printf("skipped: ISG_TEST_MONGODB_URI is not set\n");
		return 0;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	p.name = "github";
	p.client_id = "example-client";
	p.authorize_url = "https://github.com/login/oauth/authorize";
	p.redirect_uri = "http://127.0.0.1:8080/api/v1/auth/github/callback";
	ao.uri = uri;
	ao.prefix = "example_";
	if (isg_auth_new(&a, &ao) == ISG_OK &&
	    isg_auth_state_create(&st, a, "github", "/") == ISG_OK &&
	    isg_oauth_authorize_url(&url, &p, &st) == ISG_OK) {
		printf("send the browser to:\n%s\n", url.ptr);
		rc = 0;
	} else {
		fprintf(stderr, "oauth: %s\n", isg_error_last()->message);
	}
	isg_buf_dispose(&url);
	isg_auth_free(a);
	isg_global_shutdown();
	return rc;
}
