/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The gateway's header parsers (servers/gateway/gw_header.c), table by
 * table: If-None-Match lists, weak tags and "*"; Accept with q-values,
 * parameters and wildcards; the Bearer scheme in any case; cookies.
 */
#include "isg_test.h"

#include <string.h>

#include "gw.h"

static void test_gw_header__if_none_match(void **state)
{
	static const struct {
		const char *inm;
		int match;
	} cases[] = {
		{ "\"abc\"", 1 },
		{ "W/\"abc\"", 1 },
		{ "\"x\", \"abc\"", 1 },
		{ "\"x\",W/\"abc\" , \"y\"", 1 },
		{ " , \"abc\"", 1 },
		{ "*", 1 },
		{ " * ", 1 },
		{ "\"abcd\"", 0 },
		{ "\"ab\"", 0 },
		{ "abc", 0 },
		{ "\"abc", 0 },
		{ "w/\"abc\"", 0 },
		{ "\"x\" \"abc\"", 0 },
		{ "*, \"abc\"", 0 },
		{ "", 0 },
		{ "\"\"", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (gw_etag_match(cases[i].inm, "\"abc\"") != cases[i].match)
			fail_msg("If-None-Match: %s", cases[i].inm);
	}
	assert_int_equal(gw_etag_match("W/\"abc\"", "W/\"abc\""), 1);
	assert_int_equal(gw_etag_match("\"abc\"", "W/\"abc\""), 1);
	assert_int_equal(gw_etag_match(NULL, "\"abc\""), 0);
	assert_int_equal(gw_etag_match("*", NULL), 0);
	assert_int_equal(gw_etag_match("\"abc\"", "abc"), 0);
}

static void test_gw_header__accept_chooses_by_q(void **state)
{
	static const struct {
		const char *accept;
		int markdown;
	} cases[] = {
		{ "text/markdown", 1 },
		{ "TEXT/Markdown", 1 },
		{ "text/markdown; charset=utf-8", 1 },
		{ "text/markdown;variant=GFM;q=0.9", 1 },
		{ "text/markdown, */*;q=0.1", 1 },
		{ "text/*", 1 },
		{ "application/json;q=0.5, text/markdown", 1 },
		{ "text/markdown;q=0.8, application/json;q=0.3", 1 },
		{ "text/markdown; q=1.000", 1 },
		{ "text/markdown;q=0", 0 },
		{ "text/markdown;q=0.000", 0 },
		{ "text/markdown; q=0, */*", 0 },
		{ "text/markdown;q=0.5, application/json", 0 },
		{ "text/markdown, application/json", 0 },
		{ "text/*;q=0, text/markdown;q=0", 0 },
		{ "application/json", 0 },
		{ "*/*", 0 },
		{ "text/html,application/xhtml+xml,*/*;q=0.8", 0 },
		{ "text/markdown;q=2", 0 },
		{ "text/markdown;q=1.5", 0 },
		{ "text/markdown;q=abc", 0 },
		{ "text/markdownx", 0 },
		{ "text/markdown-extra", 0 },
		{ "xtext/markdown", 0 },
		{ "/markdown", 0 },
		{ "text/", 0 },
		{ "", 0 },
		{ ",,, ;;", 0 },
		{ "text/markdown;\"q=0\"", 1 },
		{ "text/markdown;foo=\"a,b\";q=0.4, application/json;q=0.3",
		  1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (gw_accept_markdown(cases[i].accept) != cases[i].markdown)
			fail_msg("Accept: %s", cases[i].accept);
	}
	assert_int_equal(gw_accept_markdown(NULL), 0);
}

static void test_gw_header__bearer_scheme_any_case(void **state)
{
	static const struct {
		const char *authz;
		int rc;
		const char *token;
	} cases[] = {
		{ "Bearer isgtABC", 0, "isgtABC" },
		{ "bearer isgtABC", 0, "isgtABC" },
		{ "BEARER  isgtABC  ", 0, "isgtABC" },
		{ "  Bearer\tisgt-._~+/x==", 0, "isgt-._~+/x==" },
		{ "Basic eDp5", -1, NULL },
		{ "Bearerx isgt", -1, NULL },
		{ "Bearer", -1, NULL },
		{ "Bear isgt", -1, NULL },
		{ "Bearer ", -2, NULL },
		{ "Bearer a b", -2, NULL },
		{ "Bearer a=b", -2, NULL },
		{ "Bearer a\"b", -2, NULL },
	};
	char out[32], small[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = gw_bearer_token(out, sizeof(out), cases[i].authz);

		if (rc != cases[i].rc ||
		    (rc == 0 && strcmp(out, cases[i].token) != 0))
			fail_msg("Authorization: %s (%d)", cases[i].authz, rc);
	}
	assert_int_equal(gw_bearer_token(small, sizeof(small), "Bearer abcd"),
	                 -2);
	assert_int_equal(gw_bearer_token(small, sizeof(small), "Bearer abc"),
	                 0);
	assert_string_equal(small, "abc");
	assert_int_equal(gw_bearer_token(out, sizeof(out), NULL), -1);
}

static void test_gw_header__cookie_by_exact_name(void **state)
{
	static const struct {
		const char *header;
		int rc;
		const char *value;
	} cases[] = {
		{ "isg_session=abc", 0, "abc" },
		{ "a=1; isg_session=abc; b=2", 0, "abc" },
		{ "a=1;isg_session=abc", 0, "abc" },
		{ "isg_session=\"abc\"", 0, "abc" },
		{ "isg_session=abc ; x=y", 0, "abc" },
		{ "isg_session=", 0, "" },
		{ "isg_session=first; isg_session=second", 0, "first" },
		{ "xisg_session=abc", -1, NULL },
		{ "isg_sessionx=abc", -1, NULL },
		{ "isg_session", -1, NULL },
		{ "a=isg_session=abc", -1, NULL },
		{ "ISG_SESSION=abc", -1, NULL },
		{ "", -1, NULL },
		{ "isg_session=0123456789", -2, NULL },
	};
	char out[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = gw_cookie_get(out, sizeof(out), cases[i].header,
		                       "isg_session");

		if (rc != cases[i].rc ||
		    (rc == 0 && strcmp(out, cases[i].value) != 0))
			fail_msg("Cookie: %s (%d)", cases[i].header, rc);
	}
	assert_int_equal(gw_cookie_get(out, sizeof(out), NULL, "isg_session"),
	                 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gw_header__if_none_match),
		cmocka_unit_test(test_gw_header__accept_chooses_by_q),
		cmocka_unit_test(test_gw_header__bearer_scheme_any_case),
		cmocka_unit_test(test_gw_header__cookie_by_exact_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
