/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsers of the issue module: data-driven cases under tests/data/github
 * (valid/ must parse, invalid/ names the expected status), JSON round
 * trips, defensive reading of odd fields, and allocation failures.
 */
#include "isg_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "github_int.h"

static char *data_path(char *out, size_t n, const char *sub, const char *f)
{
	const char *root = getenv("ISG_SOURCE_ROOT");

	snprintf(out, n, "%s/tests/data/github/%s%s%s", root ? root : ".", sub,
	         f ? "/" : "", f ? f : "");
	return out;
}

static char *load(const char *sub, const char *name, size_t *len)
{
	char path[1024];
	char *text = isg_test_read_file(
	        data_path(path, sizeof(path), sub, name), len);

	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static void assert_str_eq_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_issue_equal(const isg_issue *a, const isg_issue *b)
{
	size_t i;

	assert_int_equal(a->id, b->id);
	assert_int_equal(a->number, b->number);
	assert_str_eq_null(a->title, b->title);
	assert_str_eq_null(a->body, b->body);
	assert_str_eq_null(a->state, b->state);
	assert_str_eq_null(a->state_reason, b->state_reason);
	assert_str_eq_null(a->user_login, b->user_login);
	assert_int_equal(a->nlabels, b->nlabels);
	for (i = 0; i < a->nlabels; i++) {
		assert_string_equal(a->labels[i].name, b->labels[i].name);
		assert_str_eq_null(a->labels[i].color, b->labels[i].color);
	}
	assert_int_equal(a->nassignees, b->nassignees);
	for (i = 0; i < a->nassignees; i++)
		assert_string_equal(a->assignees[i], b->assignees[i]);
	assert_str_eq_null(a->milestone, b->milestone);
	assert_int_equal(a->comments_count, b->comments_count);
	assert_str_eq_null(a->created_at, b->created_at);
	assert_str_eq_null(a->updated_at, b->updated_at);
	assert_str_eq_null(a->closed_at, b->closed_at);
	assert_str_eq_null(a->html_url, b->html_url);
	assert_str_eq_null(a->repo_full_name, b->repo_full_name);
	assert_int_equal(a->is_pull_request, b->is_pull_request);
	assert_int_equal(a->reactions_total, b->reactions_total);
	assert_str_eq_null(a->author_association, b->author_association);
	assert_int_equal(a->locked, b->locked);
	assert_int_equal(a->ncomments, b->ncomments);
	for (i = 0; i < a->ncomments; i++) {
		assert_int_equal(a->comments[i].id, b->comments[i].id);
		assert_int_equal(a->comments[i].issue_number,
		                 b->comments[i].issue_number);
		assert_str_eq_null(a->comments[i].body, b->comments[i].body);
		assert_str_eq_null(a->comments[i].user_login,
		                   b->comments[i].user_login);
	}
}

/* Parses, serializes, parses again and compares. */
static isg_issue *issue_roundtrip(const char *text, size_t len)
{
	isg_issue *a = NULL, *b = NULL;
	isg_buf js = ISG_BUF_INIT;

	ISG_ASSERT_OK(isg_issue_parse(&a, text, len));
	ISG_ASSERT_OK(isg_issue_to_json(&js, a));
	ISG_ASSERT_OK(isg_issue_parse(&b, js.ptr, js.size));
	assert_issue_equal(a, b);
	isg_issue_free(b);
	isg_buf_dispose(&js);
	return a;
}

static void comment_roundtrip(const char *text, size_t len)
{
	isg_comment *a = NULL, *b = NULL;
	isg_buf js = ISG_BUF_INIT;

	ISG_ASSERT_OK(isg_issue_comment_parse(&a, text, len));
	ISG_ASSERT_OK(isg_issue_comment_to_json(&js, a));
	ISG_ASSERT_OK(isg_issue_comment_parse(&b, js.ptr, js.size));
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->issue_number, b->issue_number);
	assert_str_eq_null(a->body, b->body);
	assert_str_eq_null(a->user_login, b->user_login);
	assert_str_eq_null(a->created_at, b->created_at);
	assert_str_eq_null(a->updated_at, b->updated_at);
	assert_str_eq_null(a->author_association, b->author_association);
	isg_issue_comment_free(a);
	isg_issue_comment_free(b);
	isg_buf_dispose(&js);
}

static void repo_roundtrip(const char *text, size_t len)
{
	isg_repository *a = NULL, *b = NULL;
	isg_buf js = ISG_BUF_INIT;
	size_t i;

	ISG_ASSERT_OK(isg_issue_repository_parse(&a, text, len));
	ISG_ASSERT_OK(isg_issue_repository_to_json(&js, a));
	ISG_ASSERT_OK(isg_issue_repository_parse(&b, js.ptr, js.size));
	assert_int_equal(a->id, b->id);
	assert_str_eq_null(a->full_name, b->full_name);
	assert_str_eq_null(a->owner_login, b->owner_login);
	assert_str_eq_null(a->description, b->description);
	assert_str_eq_null(a->license_spdx, b->license_spdx);
	assert_int_equal(a->ntopics, b->ntopics);
	for (i = 0; i < a->ntopics; i++)
		assert_string_equal(a->topics[i], b->topics[i]);
	assert_int_equal(a->stargazers_count, b->stargazers_count);
	assert_int_equal(a->archived, b->archived);
	assert_int_equal(a->fork, b->fork);
	isg_issue_repository_free(a);
	isg_issue_repository_free(b);
	isg_buf_dispose(&js);
}

/* Runs `fn` on each element of a JSON array file; returns the count. */
static int each_element(const char *text, size_t len,
                        void (*fn)(const char *, size_t, int *), int *acc)
{
	cJSON *doc = cJSON_ParseWithLength(text, len), *it;
	int n = 0;

	assert_true(cJSON_IsArray(doc));
	cJSON_ArrayForEach(it, doc)
	{
		char *s = cJSON_PrintUnformatted(it);

		fn(s, strlen(s), acc);
		cJSON_free(s);
		n++;
	}
	cJSON_Delete(doc);
	return n;
}

static void one_issue(const char *s, size_t n, int *prs)
{
	isg_issue *is = issue_roundtrip(s, n);

	assert_true(is->number > 0);
	assert_non_null(is->title);
	assert_non_null(is->repo_full_name);
	*prs += is->is_pull_request;
	isg_issue_free(is);
}

static void one_comment(const char *s, size_t n, int *with_number)
{
	isg_comment *c = NULL;

	ISG_ASSERT_OK(isg_issue_comment_parse(&c, s, n));
	*with_number += c->issue_number > 0;
	assert_non_null(c->user_login);
	isg_issue_comment_free(c);
	comment_roundtrip(s, n);
}

static void
test_github_parse__every_valid_file_parses_and_roundtrips(void **state)
{
	char dir[1024];
	DIR *d = opendir(data_path(dir, sizeof(dir), "valid", NULL));
	struct dirent *e;
	int files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		const char *f = e->d_name;
		size_t len;
		char *text;
		int acc = 0, n;

		if (f[0] == '.' || !strstr(f, ".json"))
			continue;
		text = load("valid", f, &len);
		print_message("valid/%s\n", f);
		if (starts(f, "issues.")) {
			n = each_element(text, len, one_issue, &acc);
			assert_true(n > 0);
			if (strstr(f, "mixed-prs"))
				assert_int_equal(acc, 9);
			if (strstr(f, "openframeworks"))
				assert_int_equal(acc, 7);
		} else if (starts(f, "issue.")) {
			isg_issue_free(issue_roundtrip(text, len));
		} else if (starts(f, "comments.")) {
			n = each_element(text, len, one_comment, &acc);
			assert_int_equal(acc, n); /* every issue_url parsed */
		} else if (starts(f, "comment.")) {
			comment_roundtrip(text, len);
		} else if (starts(f, "repo.")) {
			repo_roundtrip(text, len);
		} else {
			fail_msg("valid/%s: unknown prefix", f);
		}
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files >= 15);
}

static int parse_by_prefix(const char *f, const char *text, size_t len)
{
	int rc;

	if (starts(f, "issue.")) {
		isg_issue *is = NULL;

		rc = isg_issue_parse(&is, text, len);
		assert_null(is);
	} else if (starts(f, "comment.")) {
		isg_comment *c = NULL;

		rc = isg_issue_comment_parse(&c, text, len);
		assert_null(c);
	} else if (starts(f, "repo.")) {
		isg_repository *r = NULL;

		rc = isg_issue_repository_parse(&r, text, len);
		assert_null(r);
	} else {
		isg_label *l = NULL;

		assert_true(starts(f, "label."));
		rc = isg_issue_label_parse(&l, text, len);
		assert_null(l);
	}
	return rc;
}

static void test_github_parse__invalid_files_give_the_named_status(void **state)
{
	char dir[1024];
	DIR *d = opendir(data_path(dir, sizeof(dir), "invalid", NULL));
	struct dirent *e;
	int files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		const char *f = e->d_name, *dot = strchr(f, '.');
		char want[32] = "ISG_";
		size_t len, i = 4;
		char *text;
		int rc;

		if (f[0] == '.' || !dot)
			continue;
		for (dot++; *dot && *dot != '.' && i < sizeof(want) - 1; dot++)
			want[i++] = *dot;
		want[i] = '\0';
		text = load("invalid", f, &len);
		rc = parse_by_prefix(f, text, len);
		print_message("invalid/%s -> %s: %s\n", f, isg_error_name(rc),
		              isg_error_last()->message);
		assert_string_equal(isg_error_name(rc), want);
		assert_true(strlen(isg_error_last()->message) > 10);
		if (strstr(f, "truncated"))
			assert_non_null(
			        strstr(isg_error_last()->message, "near byte"));
		if (strstr(f, "array") && starts(f, "issue."))
			assert_non_null(
			        strstr(isg_error_last()->message,
			               "expected a JSON object, got array"));
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files >= 10);
}

static isg_issue *parse_file(const char *name)
{
	isg_issue *is = NULL;
	size_t len;
	char *text = load("valid", name, &len);

	ISG_ASSERT_OK(isg_issue_parse(&is, text, len));
	free(text);
	return is;
}

static void
test_github_parse__missing_null_and_wrong_types_read_as_absent(void **state)
{
	isg_issue *is;

	(void)state;
	is = parse_file("issue.missing-fields.json");
	assert_int_equal(is->number, 7);
	assert_null(is->title);
	assert_null(is->body);
	assert_int_equal(is->nlabels, 0);
	assert_null(is->labels);
	assert_int_equal(is->is_pull_request, 0);
	isg_issue_free(is);

	is = parse_file("issue.null-fields.json");
	assert_int_equal(is->number, 0);
	assert_null(is->user_login);
	assert_null(is->milestone);
	assert_int_equal(is->is_pull_request, 0); /* "pull_request": null */
	isg_issue_free(is);

	is = parse_file("issue.wrong-types.json");
	assert_int_equal(is->id, 0);     /* "12" is a string */
	assert_int_equal(is->number, 0); /* 3.5 is not integral */
	assert_null(is->title);
	assert_null(is->body);
	assert_null(is->state);
	assert_null(is->user_login);
	assert_int_equal(is->nlabels, 2);
	assert_string_equal(is->labels[0].name, "bug");
	assert_string_equal(is->labels[1].name, "help wanted");
	assert_int_equal(is->nassignees, 1);
	assert_string_equal(is->assignees[0], "hubot");
	assert_null(is->milestone);
	assert_int_equal(is->comments_count, 0);
	assert_int_equal(is->reactions_total, 0);
	assert_int_equal(is->locked, 0);
	assert_int_equal(is->is_pull_request, 0); /* false is not a PR */
	isg_issue_free(is);
}

static void test_github_parse__recorded_issue_fields(void **state)
{
	isg_issue *is = parse_file("issue.get-2025.json");

	(void)state;
	assert_int_equal(is->number, 28);
	assert_string_equal(is->repo_full_name, "PyGithub/PyGithub");
	assert_string_equal(is->state, "closed");
	assert_string_equal(is->user_login, "jacquev6");
	assert_string_equal(is->milestone, "Version 1.4");
	assert_true(is->nlabels >= 1);
	assert_string_equal(is->labels[0].name, "bug");
	assert_int_equal(is->reactions_total, 2);
	assert_non_null(is->closed_at);
	assert_int_equal(is->is_pull_request, 0);
	isg_issue_free(is);
}

static void test_github_parse__bodies_roundtrip(void **state)
{
	static const char *const files[] = { "issue.body-empty.json",
		                             "issue.body-65536.json",
		                             "issue.body-emoji.json" };
	size_t i, len;

	(void)state;
	for (i = 0; i < 3; i++) {
		char *text = load("valid", files[i], &len);
		isg_issue *is = issue_roundtrip(text, len);

		assert_non_null(is->body);
		if (i == 0)
			assert_string_equal(is->body, "");
		if (i == 1)
			assert_int_equal(strlen(is->body), 65536);
		if (i == 2) {
			assert_non_null(strstr(is->body, "👨‍👩‍👧"));
			assert_non_null(strstr(is->title, "🇫🇷"));
		}
		isg_issue_free(is);
		free(text);
	}
}

static void test_github_parse__embedded_comments_for_issue_json(void **state)
{
	isg_issue *is = parse_file("issue.bridge-with-comments.json");

	(void)state;
	assert_int_equal(is->ncomments, 2); /* the number 5 is skipped */
	assert_int_equal(is->comments_count, 2);
	assert_int_equal(is->comments[0].issue_number, 9);
	assert_string_equal(is->comments[0].user_login, "a");
	assert_string_equal(is->comments[1].body, "second");
	assert_string_equal(is->repo_full_name, "o/r");
	assert_int_equal(is->nlabels, 2);
	assert_string_equal(is->labels[1].name, "good first issue");
	isg_issue_free(is);
}

static void test_github_parse__comment_and_repository_edges(void **state)
{
	isg_comment *c = NULL;
	isg_repository *r = NULL;
	isg_label *l = NULL;
	const char *lbl = "{\"id\":3,\"name\":\"x\",\"color\":\"fff\"}";
	size_t len;
	char *text;

	(void)state;
	text = load("valid", "comment.odd-fields.json", &len);
	ISG_ASSERT_OK(isg_issue_comment_parse(&c, text, len));
	assert_int_equal(c->issue_number, 0);
	assert_null(c->body);
	assert_null(c->user_login);
	isg_issue_comment_free(c);
	free(text);

	text = load("valid", "repo.minimal.json", &len);
	ISG_ASSERT_OK(isg_issue_repository_parse(&r, text, len));
	assert_string_equal(r->full_name, "octocat/hello");
	assert_int_equal(r->ntopics, 2);
	assert_string_equal(r->topics[1], "b");
	assert_null(r->license_spdx);
	assert_int_equal(r->archived, 1);
	isg_issue_repository_free(r);
	free(text);

	text = load("valid", "repo.pygithub-2024.json", &len);
	ISG_ASSERT_OK(isg_issue_repository_parse(&r, text, len));
	assert_string_equal(r->full_name, "PyGithub/PyGithub");
	assert_string_equal(r->default_branch, "main");
	assert_non_null(r->license_spdx);
	isg_issue_repository_free(r);
	free(text);

	ISG_ASSERT_OK(isg_issue_label_parse(&l, "\"bug\"", 5));
	assert_string_equal(l->name, "bug");
	isg_issue_label_free(l);
	ISG_ASSERT_OK(isg_issue_label_parse(&l, lbl, strlen(lbl)));
	assert_int_equal(l->id, 3);
	assert_string_equal(l->color, "fff");
	isg_issue_label_free(l);
}

static void test_github_parse__null_arguments_are_einvalid(void **state)
{
	isg_issue *is = NULL;
	isg_buf b = ISG_BUF_INIT;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_parse(NULL, "{}", 2));
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_parse(&is, NULL, 2));
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_to_json(&b, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_to_json(NULL, is));
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_comment_to_json(&b, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_issue_repository_to_json(&b, NULL));
	isg_issue_free(NULL);
	isg_issue_comment_free(NULL);
	isg_issue_repository_free(NULL);
	isg_issue_label_free(NULL);
}

static void
test_github_parse__allocation_failures_give_enomem_no_leak(void **state)
{
	size_t len;
	char *text = load("valid", "issue.get-2025.json", &len);
	char *bridge = NULL;
	size_t blen;
	long k;
	int rc = ISG_ENOMEM;

	(void)state;
	bridge = load("valid", "issue.bridge-with-comments.json", &blen);
	isg_test_alloc_install();
	for (k = 1; k < 100000 && rc != ISG_OK; k++) {
		isg_issue *is = NULL;

		isg_test_alloc_fail_at(k);
		rc = isg_issue_parse(&is, text, len);
		if (rc != ISG_OK) {
			assert_int_equal(rc, ISG_ENOMEM);
			assert_null(is);
			assert_int_equal(isg_test_alloc_live(), 0);
		} else {
			isg_buf js = ISG_BUF_INIT;
			int wrc;
			long j;

			/* Also fail the serializer at each of its steps. */
			for (j = 1; j < 10000; j++) {
				isg_test_alloc_fail_at(j);
				wrc = isg_issue_to_json(&js, is);
				if (wrc == ISG_OK)
					break;
				assert_int_equal(wrc, ISG_ENOMEM);
				assert_null(js.ptr);
			}
			isg_test_alloc_fail_at(0);
			isg_buf_dispose(&js);
			isg_issue_free(is);
		}
	}
	assert_true(k > 20);
	for (rc = ISG_ENOMEM, k = 1; k < 100000 && rc != ISG_OK; k++) {
		isg_issue *is = NULL;

		isg_test_alloc_fail_at(k);
		rc = isg_issue_parse(&is, bridge, blen);
		if (rc != ISG_OK) {
			assert_int_equal(rc, ISG_ENOMEM);
			assert_int_equal(isg_test_alloc_live(), 0);
		}
		isg_test_alloc_fail_at(0);
		isg_issue_free(is);
	}
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
	free(text);
	free(bridge);
}

/* Feeds `block` to the header callback line by line, as libcurl does. */
static void feed_headers(isg__github_response *r, const char *block)
{
	while (*block) {
		const char *nl = strchr(block, '\n');
		size_t n = nl ? (size_t)(nl - block) + 1 : strlen(block);
		char *line = malloc(n);

		assert_non_null(line);
		memcpy(line, block, n);
		assert_int_equal(isg__github_header(line, 1, n, r), n);
		free(line);
		block += n;
	}
}

/* The response headers of a recorded page (tests/fuzz/corpus), a
 * secondary limit, and a status line with too many digits (found by
 * tests/fuzz/fuzz_github_headers.c: it overflowed the status). */
static void test_github_parse__response_headers(void **state)
{
	const char *root = getenv("ISG_SOURCE_ROOT");
	char path[1024];
	isg__github_response r;
	size_t len;
	char *block;

	(void)state;
	snprintf(path, sizeof(path),
	         "%s/tests/fuzz/corpus/github_headers/"
	         "issues.list.mixed-prs-2024.headers.txt",
	         root ? root : ".");
	block = isg_test_read_file(path, &len);
	assert_non_null(block);
	memset(&r, 0, sizeof(r));
	isg__github_response_clear(&r);
	feed_headers(&r, "HTTP/2 200\r\n");
	feed_headers(&r, block);
	assert_int_equal(r.cur_status, 200);
	assert_string_equal(r.next_url, "https://api.github.com/repositories/"
	                                "3544490/issues?page=2");
	assert_string_equal(r.etag, "W/\"fef5ee4d1233ec6fb018b15187c7020b1fac"
	                            "0d04ddc4d2deff236dca26f07db2\"");
	assert_int_equal(r.rl_limit, 5000);
	assert_int_equal(r.rl_remaining, 4983);
	assert_int_equal(r.rl_used, 17);
	assert_int_equal(r.rl_reset, 1726571099);
	assert_string_equal(r.rl_resource, "core");
	assert_true(r.retry_after_s < 0);
	/* A new status line forgets the previous answer's headers. */
	feed_headers(&r, "HTTP/2 403\r\nretry-after: 60\r\n"
	                 "x-ratelimit-remaining: 99999999999999999999999\r\n");
	assert_int_equal(r.cur_status, 403);
	assert_null(r.next_url);
	assert_null(r.etag);
	assert_true(r.retry_after_s == 60.0);
	assert_int_equal(r.rl_remaining, -1);
	assert_int_equal(r.rl_limit, -1);
	feed_headers(&r, "HTTP/1.1 2000000000000000000000 OK\r\n");
	assert_true(r.cur_status >= 1000);
	isg__github_response_clear(&r);
	free(block);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_github_parse__every_valid_file_parses_and_roundtrips),
		cmocka_unit_test(
		        test_github_parse__invalid_files_give_the_named_status),
		cmocka_unit_test(
		        test_github_parse__missing_null_and_wrong_types_read_as_absent),
		cmocka_unit_test(test_github_parse__recorded_issue_fields),
		cmocka_unit_test(test_github_parse__bodies_roundtrip),
		cmocka_unit_test(
		        test_github_parse__embedded_comments_for_issue_json),
		cmocka_unit_test(
		        test_github_parse__comment_and_repository_edges),
		cmocka_unit_test(
		        test_github_parse__null_arguments_are_einvalid),
		cmocka_unit_test(
		        test_github_parse__allocation_failures_give_enomem_no_leak),
		cmocka_unit_test(test_github_parse__response_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
