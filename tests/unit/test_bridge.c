/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* A small but real Python project: the fix for the issue below belongs in
 * shapes/core.py, which defines Widget.validate_size. */
static const struct {
	const char *path, *text;
} repo_files[] = {
	{ "README.md",
	  "# shapes\n\nDraw widgets. Run the tests with `make test`.\n" },
	{ "CONTRIBUTING.md",
	  "# Contributing\n\n- add a test under tests/ for every fix;\n"
	  "- run make test before pushing;\n- sign your commits.\n" },
	{ "Makefile", "test:\n\tpython3 -m unittest discover -s tests\n" },
	{ "shapes/__init__.py", "\"\"\"Widgets and their rendering.\"\"\"\n"
	                        "from .core import Widget\n" },
	{ "shapes/core.py",
	  "\"\"\"Widget: a rectangle with a validated size.\"\"\"\n\n"
	  "class Widget:\n    \"\"\"A rectangle.\"\"\"\n\n"
	  "    def __init__(self, width, height):\n"
	  "        self.width = width\n        self.height = height\n"
	  "        self.validate_size()\n\n"
	  "    def validate_size(self):\n"
	  "        \"\"\"Reject negative sizes.\"\"\"\n"
	  "        if self.width < 0:\n"
	  "            raise ValueError('bad width')\n" },
	{ "shapes/render.py", "\"\"\"Render widgets as text.\"\"\"\n"
	                      "from .core import Widget\n\n"
	                      "def render(w):\n    return '#' * w.width\n" },
	{ "shapes/colors.py", "\"\"\"Named colours.\"\"\"\n\n"
	                      "def rgb(name):\n    return (0, 0, 0)\n" },
	{ "tests/test_core.py",
	  "import unittest\nfrom shapes.core import Widget\n\n"
	  "class WidgetTest(unittest.TestCase):\n"
	  "    def test_negative_width(self):\n"
	  "        with self.assertRaises(ValueError):\n"
	  "            Widget(-1, 1)\n" },
	{ "docs/widgets.md",
	  "# Widgets\n\n`Widget` checks its size in `validate_size`.\n" },
};

static const char issue_text[] =
        "Widget.validate_size accepts a negative height\n\n"
        "`Widget(1, -5)` is accepted although a negative `height` makes no sense;\n`validate_size` in shapes/core.py only checks the width.\n\n```python\nfrom shapes.core import Widget\n"
        "Widget(1, -5)  # no error\n```\n";

static char *make_repo(void)
{
	char *dir = isg_test_mkdtemp(), path[700];
	size_t i;

	for (i = 0; i < sizeof(repo_files) / sizeof(repo_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/repo/%s", dir,
		         repo_files[i].path);
		assert_int_equal(
		        isg_test_write_file(path, repo_files[i].text,
		                            strlen(repo_files[i].text)),
		        0);
	}
	return dir;
}

/* Generates a bridge for `text` (or `json`) on the repository in `dir`. */
static int generate(isg_bridge **out, const char *dir, const char *text,
                    size_t len, const char *json)
{
	isg_bridge_options o = ISG_BRIDGE_OPTIONS_INIT;
	char repo[700], cache[700];

	snprintf(repo, sizeof(repo), "%s/repo", dir);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	o.repo = repo;
	o.cache_dir = cache;
	o.issue_text = text;
	o.issue_text_len = len;
	o.issue_json = json;
	o.issue_json_len = json ? strlen(json) : 0;
	return isg_bridge_generate(out, &o);
}

static isg_bridge *sample_bridge(char **dir)
{
	isg_bridge *b = NULL;

	*dir = make_repo();
	ISG_ASSERT_OK(generate(&b, *dir, issue_text, strlen(issue_text), NULL));
	assert_non_null(b);
	return b;
}

static void test_bridge__json_round_trip_is_identical(void **state)
{
	isg_buf a = ISG_BUF_INIT, c = ISG_BUF_INIT;
	isg_bridge *b, *back = NULL;
	char *dir;
	unsigned int flags;

	(void)state;
	b = sample_bridge(&dir);
	for (flags = 0; flags <= ISG_BRIDGE_JSON_PRETTY; flags++) {
		ISG_ASSERT_OK(isg_bridge_to_json(&a, b, flags));
		ISG_ASSERT_OK(isg_bridge_from_json(&back, a.ptr, a.size));
		ISG_ASSERT_OK(isg_bridge_to_json(&c, back, flags));
		assert_int_equal(a.size, c.size);
		assert_memory_equal(a.ptr, c.ptr, a.size);
		isg_bridge_free(back);
		back = NULL;
	}
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_to_json(&a, b, 8));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_to_json(NULL, b, 0));
	isg_buf_dispose(&a);
	isg_buf_dispose(&c);
	isg_bridge_free(b);
	isg_bridge_free(NULL);
	isg_test_rmtree(dir);
	free(dir);
}

/* Every key the schema file lists as required is in the document, at
 * every level (array items included). */
static void check_required(const cJSON *schema, const cJSON *doc,
                           const char *where)
{
	const cJSON *req = cJSON_GetObjectItem(schema, "required");
	const cJSON *props = cJSON_GetObjectItem(schema, "properties");
	const cJSON *items = cJSON_GetObjectItem(schema, "items");
	const cJSON *k, *e;

	cJSON_ArrayForEach(k, req)
	{
		char sub[512];
		const cJSON *v = cJSON_GetObjectItem(doc, k->valuestring);

		if (!v)
			fail_msg(
			        "%s.%s is required by docs/bridge.schema.json but not produced",
			        where, k->valuestring);
		snprintf(sub, sizeof(sub), "%s.%s", where, k->valuestring);
		check_required(cJSON_GetObjectItem(props, k->valuestring), v,
		               sub);
	}
	if (items && cJSON_IsArray(doc))
		cJSON_ArrayForEach(e, doc) check_required(items, e, where);
}

static void test_bridge__output_validates_and_matches_schema_file(void **state)
{
	const char *root = isg_test_require_env("ISG_SOURCE_ROOT");
	isg_buf j = ISG_BUF_INIT;
	char path[600], *text;
	cJSON *schema, *doc;
	isg_bridge *b;
	char *dir;

	(void)state;
	b = sample_bridge(&dir);
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b, 0));
	ISG_ASSERT_OK(isg_bridge_validate(j.ptr, j.size));
	snprintf(path, sizeof(path), "%s/docs/bridge.schema.json", root);
	text = isg_test_read_file(path, NULL);
	assert_non_null(text);
	schema = cJSON_Parse(text);
	doc = cJSON_Parse(j.ptr);
	assert_non_null(schema);
	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(schema, "$schema")->valuestring,
	                    "https://json-schema.org/draft/2020-12/schema");
	assert_true(cJSON_GetArraySize(
	                    cJSON_GetObjectItem(schema, "required")) >= 7);
	check_required(schema, doc, "(root)");
	cJSON_Delete(schema);
	cJSON_Delete(doc);
	free(text);
	isg_buf_dispose(&j);
	isg_bridge_free(b);
	isg_test_rmtree(dir);
	free(dir);
}

/* Replaces the first `from` of `doc` by `to` and expects validation to
 * fail with a message containing `want`. */
static void expect_invalid(const char *doc, const char *from, const char *to,
                           int code, const char *want)
{
	isg_buf m = ISG_BUF_INIT;
	const char *at = strstr(doc, from);
	isg_bridge *b = (isg_bridge *)1;

	if (!at)
		fail_msg("'%s' is not in the document", from);
	isg_buf_put(&m, doc, (size_t)(at - doc));
	isg_buf_put(&m, to, strlen(to));
	isg_buf_put(&m, at + strlen(from), strlen(at + strlen(from)));
	ISG_ASSERT_RC(code, isg_bridge_validate(m.ptr, m.size));
	if (!strstr(isg_error_last()->message, want))
		fail_msg("message '%s' does not contain '%s'",
		         isg_error_last()->message, want);
	ISG_ASSERT_RC(code, isg_bridge_from_json(&b, m.ptr, m.size));
	assert_null(b);
	isg_buf_dispose(&m);
}

static void test_bridge__validation_errors_name_the_path(void **state)
{
	isg_buf j = ISG_BUF_INIT;
	isg_bridge *b;
	char *dir;

	(void)state;
	b = sample_bridge(&dir);
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b, 0));
	expect_invalid(j.ptr,
	               "\"score\":", "\"score\":1.7,\"x\":", ISG_EINVALID,
	               "verdict.score: 1.7 is out of [0,1]");
	expect_invalid(j.ptr, "\"junior_friendly\":",
	               "\"junior_friendly\":0,\"y\":", ISG_EINVALID,
	               "verdict.junior_friendly: expected boolean, got number");
	expect_invalid(j.ptr, "\"title\":", "\"titel\":", ISG_EINVALID,
	               "issue.titel: unknown key");
	expect_invalid(j.ptr, "\"difficulty\":\"",
	               "\"difficulty\":\"hard\",\"z\":\"", ISG_EINVALID,
	               "verdict.difficulty: 'hard' is not one of");
	expect_invalid(j.ptr, "\"schema_version\":\"1.0\"",
	               "\"schema_version\":\"2.0\"", ISG_EINVALID,
	               "schema_version: '2.0'");
	expect_invalid(
	        j.ptr, "\"files\":[{\"path\":", "\"files\":[{\"path\":7,\"q\":",
	        ISG_EINVALID,
	        "architecture.files[0].path: expected string, got number");
	expect_invalid(j.ptr, "\"concept\":\"",
	               "\"concept\":\"Not A Slug\",\"w\":\"", ISG_EINVALID,
	               "prerequisites[0].concept: 'Not A Slug'");
	expect_invalid(j.ptr, "\"kind\":\"offline\"", "\"kind\":\"\xff\"",
	               ISG_EINVALID, "engine.kind: string is not valid UTF-8");
	expect_invalid(j.ptr, "\"repo_commit\":", "\"repo_commit\":1,\"r\":",
	               ISG_EINVALID,
	               "engine.repo_commit: expected string or null");
	expect_invalid(j.ptr, "\"prompt_tokens\":0", "\"prompt_tokens\":-1",
	               ISG_EINVALID, "engine.prompt_tokens: -1 is out of");
	expect_invalid(j.ptr, "\"state\":", "\"state\":\"open\",\"state\":",
	               ISG_EINVALID, "issue.state: duplicate key");
	expect_invalid(j.ptr, "\"engine\":{", "\"engine\":[", ISG_EPARSE,
	               "invalid JSON near byte");
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_validate("{}", 2));
	assert_non_null(strstr(isg_error_last()->message,
	                       "schema_version: required key is missing"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_validate("[1]", 3));
	assert_non_null(strstr(isg_error_last()->message,
	                       "(document): expected object, got array"));
	ISG_ASSERT_RC(ISG_EPARSE, isg_bridge_validate("", 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_validate(NULL, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_from_json(NULL, "{}", 2));
	ISG_ASSERT_RC(ISG_ETOOBIG, isg_bridge_validate("{}", (size_t)17 << 20));
	isg_buf_dispose(&j);
	isg_bridge_free(b);
	isg_test_rmtree(dir);
	free(dir);
}

static void test_bridge__markdown_is_stable_with_four_sections(void **state)
{
	isg_buf m1 = ISG_BUF_INIT, m2 = ISG_BUF_INIT, j = ISG_BUF_INIT;
	isg_bridge *b1 = NULL, *b2 = NULL, *b3 = NULL;
	char *dir = make_repo();

	(void)state;
	ISG_ASSERT_OK(generate(&b1, dir, issue_text, strlen(issue_text), NULL));
	ISG_ASSERT_OK(generate(&b2, dir, issue_text, strlen(issue_text), NULL));
	ISG_ASSERT_OK(isg_bridge_to_markdown(&m1, b1));
	ISG_ASSERT_OK(isg_bridge_to_markdown(&m2, b2));
	assert_int_equal(m1.size, m2.size);
	assert_memory_equal(m1.ptr, m2.ptr, m1.size);
	/* Read back from JSON, it renders the same bytes. */
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b1, 0));
	ISG_ASSERT_OK(isg_bridge_from_json(&b3, j.ptr, j.size));
	ISG_ASSERT_OK(isg_bridge_to_markdown(&m2, b3));
	assert_int_equal(m1.size, m2.size);
	assert_memory_equal(m1.ptr, m2.ptr, m1.size);
	assert_non_null(
	        strstr(m1.ptr, "# Context Bridge: Widget.validate_size"));
	assert_non_null(strstr(m1.ptr, "\n## Verdict\n"));
	assert_non_null(strstr(m1.ptr, "\n## Prerequisites\n"));
	assert_non_null(strstr(m1.ptr, "\n## Architecture\n"));
	assert_non_null(strstr(m1.ptr, "\n## Guide\n"));
	assert_true(strstr(m1.ptr, "## Verdict") < strstr(m1.ptr, "## Guide"));
	assert_non_null(strstr(m1.ptr, "`make test`"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_to_markdown(NULL, b1));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_to_markdown(&m1, NULL));
	isg_buf_dispose(&m1);
	isg_buf_dispose(&m2);
	isg_buf_dispose(&j);
	isg_bridge_free(b1);
	isg_bridge_free(b2);
	isg_bridge_free(b3);
	isg_test_rmtree(dir);
	free(dir);
}

static int step_mentions(const isg_bridge_guide *g, const char *path)
{
	size_t i, j;

	for (i = 0; i < g->nsteps; i++)
		for (j = 0; j < g->steps[i].nfiles; j++)
			if (strcmp(g->steps[i].files[j], path) == 0 &&
			    strstr(g->steps[i].detail, path))
				return 1;
	return 0;
}

static void test_bridge__offline_engine_fills_all_four_parts(void **state)
{
	const char *json =
	        "{\"number\": 7, \"title\": \"Widget.validate_size accepts a negative height\", \"body\": \"`validate_size` in shapes/core.py only checks the width.\", \"state\": \"open\", \"labels\": [{\"name\": \"good first issue\"}], \"html_url\": \"https://github.com/o/shapes/issues/7\", \"comments\": 1}";
	const isg_bridge_architecture *a;
	const isg_bridge_guide *g;
	const isg_bridge_verdict *v;
	const isg_bridge_issue *is;
	isg_bridge *b = NULL;
	char *dir;
	size_t i;
	int pr = 0;

	(void)state;
	b = sample_bridge(&dir);
	a = isg_bridge_get_architecture(b);
	assert_true(a->nfiles >= 1);
	assert_string_equal(a->files[0].path, "shapes/core.py");
	assert_string_equal(a->entry_point, "shapes/core.py");
	assert_non_null(strstr(a->files[0].role, "Widget"));
	assert_true(a->files[0].score == 1.0);
	assert_true(a->files[0].nsymbols >= 1);
	assert_true(a->nread_these >= 1);
	assert_non_null(strstr(a->summary, "shapes/core.py"));
	/* The top-ranked definition, with its line. */
	assert_non_null(strstr(a->summary,
	                       "Open first: `Widget.validate_size` (line "));
	assert_true(isg_bridge_prerequisite_count(b) >= 1);
	assert_non_null(isg_bridge_prerequisite_at(b, 0)->concept);
	assert_null(isg_bridge_prerequisite_at(b, 99));
	v = isg_bridge_get_verdict(b);
	assert_true(v->score >= 0 && v->score <= 1);
	assert_true(v->nreasons >= 1);
	g = isg_bridge_get_guide(b);
	assert_non_null(g->test_command);
	assert_non_null(strstr(g->test_command, "make test"));
	assert_true(g->nsteps >= 6);
	assert_true(step_mentions(g, "shapes/core.py"));
	assert_true(step_mentions(g, "tests/test_core.py"));
	assert_non_null(strstr(g->steps[0].detail, "Widget(1, -5)"));
	assert_true(g->ncontributing >= 1);
	assert_string_equal(g->contributing[0].path, "CONTRIBUTING.md");
	assert_non_null(strstr(g->contributing[0].summary, "add a test"));
	assert_string_equal(isg_bridge_get_engine(b)->kind, "offline");
	assert_null(isg_bridge_get_engine(b)->model);
	assert_non_null(isg_bridge_get_engine(b)->repo_commit);
	is = isg_bridge_get_issue(b);
	assert_string_equal(is->title,
	                    "Widget.validate_size accepts a negative height");
	assert_int_equal(is->number, 0);
	assert_null(is->url);
	isg_bridge_free(b);

	/* From a GitHub issue object: number, labels, url and the PR step. */
	ISG_ASSERT_OK(generate(&b, dir, NULL, 0, json));
	is = isg_bridge_get_issue(b);
	assert_int_equal(is->number, 7);
	assert_string_equal(is->repo, "o/shapes");
	assert_string_equal(is->state, "open");
	assert_int_equal(is->nlabels, 1);
	assert_string_equal(is->labels[0], "good first issue");
	g = isg_bridge_get_guide(b);
	for (i = 0; i < g->nsteps; i++)
		if (strstr(g->steps[i].detail, "Fixes #7"))
			pr = 1;
	assert_true(pr);
	assert_string_equal(isg_bridge_get_architecture(b)->files[0].path,
	                    "shapes/core.py");
	isg_bridge_free(b);
	assert_null(isg_bridge_get_issue(NULL));
	assert_int_equal(isg_bridge_prerequisite_count(NULL), 0);
	isg_test_rmtree(dir);
	free(dir);
}

static void test_bridge__bad_input_gives_clear_errors(void **state)
{
	isg_bridge_options o = ISG_BRIDGE_OPTIONS_INIT;
	isg_bridge *b = (isg_bridge *)1;
	char *dir = make_repo(), repo[700];

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, generate(&b, dir, " \n\t\n", 5, NULL));
	assert_null(b);
	assert_non_null(strstr(isg_error_last()->message, "empty"));
	ISG_ASSERT_RC(ISG_EINVALID, generate(&b, dir, "", 0, NULL));
	ISG_ASSERT_RC(ISG_EINVALID,
	              generate(&b, dir, NULL, 0,
	                       "{\"title\": \"\", \"body\": null}"));
	ISG_ASSERT_RC(ISG_EPARSE, generate(&b, dir, NULL, 0, "{\"title\": "));
	ISG_ASSERT_RC(ISG_EPARSE, generate(&b, dir, NULL, 0, "[1, 2]"));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(NULL, &o));
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, NULL));
	snprintf(repo, sizeof(repo), "%s/repo", dir);
	o.repo = repo;
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, &o)); /* no issue */
	o.issue_text = "x";
	o.issue_text_len = 1;
	o.issue_json = "{}";
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, &o)); /* both */
	o.issue_json = NULL;
	o.top_k = 51;
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, &o));
	assert_non_null(strstr(isg_error_last()->message, "top_k"));
	o.top_k = 0;
	o.engine = ISG_BRIDGE_ENGINE_LLM;
	ISG_ASSERT_RC(ISG_EUNSUPPORTED, isg_bridge_generate(&b, &o));
	o.engine = 9;
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, &o));
	o.engine = 0;
	o.version = 99;
	ISG_ASSERT_RC(ISG_EINVALID, isg_bridge_generate(&b, &o));
	o.version = ISG_BRIDGE_OPTIONS_VERSION;
	o.repo = "/nonexistent/issuesight-repo";
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_bridge_generate(&b, &o));
	assert_non_null(strstr(isg_error_last()->message,
	                       "/nonexistent/issuesight-repo"));
	assert_null(b);
	isg_test_rmtree(dir);
	free(dir);
}

static void test_bridge__huge_and_non_utf8_issues_are_handled(void **state)
{
	const char *line = "Widget validate_size height check is wrong. ";
	size_t n = strlen(line), total = (size_t)1 << 20, i;
	char *big = malloc(total + 1);
	const char bin[] =
	        "Caf\xe9 widget \xff\xfe broken\n\nvalidate_size in shapes/core.py \xc3\x28 fails \x80\n";
	isg_buf j = ISG_BUF_INIT;
	isg_bridge *b = NULL;
	char *dir = make_repo();

	(void)state;
	for (i = 0; i < total; i++)
		big[i] = line[i % n];
	big[total] = '\0';
	ISG_ASSERT_OK(generate(&b, dir, big, total, NULL));
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b, 0));
	ISG_ASSERT_OK(isg_bridge_validate(j.ptr, j.size));
	assert_true(strlen(isg_bridge_get_issue(b)->title) < 1300);
	isg_bridge_free(b);
	ISG_ASSERT_OK(generate(&b, dir, bin, sizeof(bin) - 1, NULL));
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b, 0));
	ISG_ASSERT_OK(isg_bridge_validate(j.ptr, j.size));
	/* Latin-1 é became U+00E9. */
	assert_non_null(strstr(isg_bridge_get_issue(b)->title, "Caf\xc3\xa9"));
	assert_string_equal(isg_bridge_get_architecture(b)->files[0].path,
	                    "shapes/core.py");
	isg_bridge_free(b);
	isg_buf_dispose(&j);
	free(big);
	isg_test_rmtree(dir);
	free(dir);
}

static void test_bridge__from_json_allocation_failures(void **state)
{
	isg_buf j = ISG_BUF_INIT, out = ISG_BUF_INIT;
	isg_bridge *b;
	char *dir;
	long k, ok = 0;

	(void)state;
	b = sample_bridge(&dir);
	ISG_ASSERT_OK(isg_bridge_to_json(&j, b, ISG_BRIDGE_JSON_PRETTY));
	isg_bridge_free(b);
	isg_test_alloc_install();
	for (k = 1; k < 100000; k++) {
		isg_bridge *r = NULL;
		int rc;

		isg_test_alloc_fail_at(k);
		rc = isg_bridge_from_json(&r, j.ptr, j.size);
		if (rc == ISG_OK)
			rc = isg_bridge_to_json(&out, r, 0);
		if (rc == ISG_OK)
			rc = isg_bridge_to_markdown(&out, r);
		isg_bridge_free(r);
		isg_buf_dispose(&out);
		if (rc == ISG_OK) {
			ok = 1;
			break;
		}
		ISG_ASSERT_RC(ISG_ENOMEM, rc);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_fail_at(0);
	assert_int_equal(isg_test_alloc_live(), 0);
	isg_test_alloc_uninstall();
	assert_true(ok);
	assert_true(k > 20);
	isg_buf_dispose(&j);
	isg_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridge__json_round_trip_is_identical),
		cmocka_unit_test(
		        test_bridge__output_validates_and_matches_schema_file),
		cmocka_unit_test(test_bridge__validation_errors_name_the_path),
		cmocka_unit_test(
		        test_bridge__markdown_is_stable_with_four_sections),
		cmocka_unit_test(
		        test_bridge__offline_engine_fills_all_four_parts),
		cmocka_unit_test(test_bridge__bad_input_gives_clear_errors),
		cmocka_unit_test(
		        test_bridge__huge_and_non_utf8_issues_are_handled),
		cmocka_unit_test(test_bridge__from_json_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
