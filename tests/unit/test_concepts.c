/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/concepts.h>

#include "concepts_int.h"

static isg_concepts *cat;

static int setup(void **state)
{
	(void)state;
	return isg_concepts_new(&cat, NULL) == ISG_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	isg_concepts_free(cat);
	cat = NULL;
	return 0;
}

static int is_kebab(const char *s)
{
	size_t i;

	if (!s[0] || s[0] == '-' || s[strlen(s) - 1] == '-')
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && s[i + 1] != '-')))
			return 0;
	return 1;
}

/* Follows parents from `i` and fails when it comes back to `start`. */
static int reaches(size_t start, const isg_concept *c, int depth)
{
	size_t k;

	if (depth > 64)
		return 1;
	for (k = 0; k < c->nparents; k++) {
		const isg_concept *p = isg_concepts_find(cat, c->parents[k]);

		if (p == isg_concepts_at(cat, start) ||
		    reaches(start, p, depth + 1))
			return 1;
	}
	return 0;
}

static void test_concepts__catalog_is_complete_and_consistent(void **state)
{
	size_t i, k, n = isg_concepts_count(cat);

	(void)state;
	assert_true(n >= 150);
	for (i = 0; i < n; i++) {
		const isg_concept *c = isg_concepts_at(cat, i);
		size_t sentences = 0;
		const char *d;

		assert_true(is_kebab(c->slug));
		assert_ptr_equal(isg_concepts_find(cat, c->slug), c);
		for (k = 0; k < i; k++)
			assert_string_not_equal(isg_concepts_at(cat, k)->slug,
			                        c->slug);
		assert_true(strlen(c->name) > 0);
		for (d = c->description; *d; d++)
			if ((*d == '.' || *d == '!' || *d == '?') &&
			    (d[1] == ' ' || d[1] == '\0'))
				sentences++;
		if (sentences < 2 || sentences > 4)
			fail_msg("%s: %zu sentences", c->slug, sentences);
		assert_true(c->nkeywords + c->nimports + c->nfiles > 0);
		assert_true(c->level >= ISG_CONCEPT_FOUNDATIONAL &&
		            c->level <= ISG_CONCEPT_ADVANCED);
		assert_true(c->difficulty_weight >= 0 &&
		            c->difficulty_weight <= 1);
		for (k = 0; k < c->nparents; k++)
			assert_non_null(isg_concepts_find(cat, c->parents[k]));
		assert_false(reaches(i, c, 0));
	}
	assert_null(isg_concepts_at(cat, n));
	assert_null(isg_concepts_find(cat, "no-such-concept"));
	assert_true(isg_concepts_is_within(cat, "distributed-systems",
	                                   "message-queues"));
	assert_true(
	        isg_concepts_is_within(cat, "distributed-systems", "kafka"));
	assert_false(isg_concepts_is_within(cat, "message-queues",
	                                    "distributed-systems"));
	assert_true(isg_concepts_is_within(cat, "documentation", "autodoc"));
	assert_true(isg_concepts_child_count(cat, "distributed-systems") > 2);
	assert_string_equal(isg_concepts_level_name(ISG_CONCEPT_ADVANCED),
	                    "advanced");
}

static void test_concepts__tree_json_has_subtree(void **state)
{
	isg_buf b = ISG_BUF_INIT;

	(void)state;
	ISG_ASSERT_OK(isg_concepts_tree_json(&b, cat, "distributed-systems"));
	assert_non_null(strstr(b.ptr, "\"slug\":\"message-queues\""));
	assert_null(strstr(b.ptr, "\"slug\":\"numpy\""));
	ISG_ASSERT_OK(isg_concepts_tree_json(&b, cat, NULL));
	assert_non_null(strstr(b.ptr, "\"slug\":\"numpy\""));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_concepts_tree_json(&b, cat, "nope"));
	assert_non_null(strstr(isg_error_last()->message, "nope"));
	isg_buf_dispose(&b);
}

static isg_concepts_matches *match_text(const char *title, const char *body)
{
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_concepts_matches *m = NULL;

	q.title = title;
	q.body = body;
	ISG_ASSERT_OK(isg_concepts_match(&m, cat, &q));
	return m;
}

static void test_concepts__redis_stream_consumer_issue(void **state)
{
	isg_concepts_matches *m = match_text(
	        "Redis stream consumer loses messages after restart",
	        "Our worker uses XREADGROUP with a consumer group. When it crashes, pending entries are never claimed again; we should XAUTOCLAIM them and XACK after processing.");
	const isg_concept_match *mq =
	        isg_concepts_matches_find(m, "message-queues");

	(void)state;
	assert_non_null(mq);
	assert_non_null(isg_concepts_matches_find(m, "redis"));
	assert_true(mq->confidence > 0.25 && mq->confidence <= 1.0);
	assert_true(mq->nevidence >= 1);
	assert_non_null(strstr(mq->evidence[0], "keyword"));
	assert_null(isg_concepts_matches_find(m, "numpy"));
	assert_null(isg_concepts_matches_find(m, "sphinx"));
	isg_concepts_matches_free(m);
}

static void test_concepts__sphinx_autodoc_issue(void **state)
{
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	const char *paths[] = { "sphinx/ext/autodoc/__init__.py",
		                "doc/conf.py" };
	const char *imports[] = { "sphinx.ext.autodoc" };
	isg_concepts_matches *m = NULL;

	(void)state;
	q.title = "autodoc: type hints of overloaded functions are not shown";
	q.body =
	        "With autodoc_typehints = 'description' the overloads of a function documented with .. autofunction:: lose their annotations.";
	q.paths = paths;
	q.npaths = 2;
	q.imports = imports;
	q.nimports = 1;
	ISG_ASSERT_OK(isg_concepts_match(&m, cat, &q));
	assert_non_null(isg_concepts_matches_find(m, "autodoc"));
	assert_non_null(isg_concepts_matches_find(m, "sphinx"));
	assert_true(isg_concepts_matches_find(m, "autodoc")->confidence > 0.7);
	assert_null(isg_concepts_matches_find(m, "message-queues"));
	isg_concepts_matches_free(m);
}

static void test_concepts__numpy_dtype_overflow_issue(void **state)
{
	isg_concepts_matches *m = match_text(
	        "Sum of uint8 array overflows silently",
	        "np.array([200, 100], dtype=np.uint8).sum() gives 44 on some platforms: the dtype is not promoted and the integer overflow wraps around.");
	isg_concepts_matches *pre = NULL;

	(void)state;
	assert_non_null(isg_concepts_matches_find(m, "numpy"));
	assert_non_null(isg_concepts_matches_find(m, "integer-overflow"));
	ISG_ASSERT_OK(isg_concepts_prerequisites(&pre, m, 0));
	/* The ancestors come in, foundational before advanced. */
	assert_non_null(isg_concepts_matches_find(pre, "numerical-computing"));
	assert_non_null(isg_concepts_matches_find(pre, "python"));
	{
		size_t i, n = isg_concepts_matches_count(pre);

		for (i = 1; i < n; i++)
			assert_true(
			        isg_concepts_matches_at(pre, i - 1)
			                ->entry->level <=
			        isg_concepts_matches_at(pre, i)->entry->level);
	}
	isg_concepts_matches_free(pre);
	isg_concepts_matches_free(m);
}

static void test_concepts__no_substring_false_positives(void **state)
{
	isg_concepts_matches *m = match_text(
	        "Crash in the latest release",
	        "Contest results: the attestation protocol (protested) prints 'latest' twice; unthreaded, retested? no.");

	(void)state;
	assert_null(isg_concepts_matches_find(m, "testing"));
	assert_null(isg_concepts_matches_find(m, "threads-locks"));
	isg_concepts_matches_free(m);
	/* Plurals match their singular keyword. */
	m = match_text("Add tests for message queues", NULL);
	assert_non_null(isg_concepts_matches_find(m, "testing"));
	assert_non_null(isg_concepts_matches_find(m, "message-queues"));
	isg_concepts_matches_free(m);
	m = match_text("", "");
	assert_int_equal(isg_concepts_matches_count(m), 0);
	isg_concepts_matches_free(m);
}

static void test_concepts__stemming_and_tokens(void **state)
{
	char a[] = "queues", b[] = "redis", c[] = "libraries", d[] = "classes",
	     e[] = "status";

	(void)state;
	assert_int_equal(isg__concepts_stem(a, 6), 5);
	assert_int_equal(isg__concepts_stem(b, 5), 5);
	assert_int_equal(isg__concepts_stem(c, 9), 7);
	assert_memory_equal(c, "library", 7);
	assert_int_equal(isg__concepts_stem(d, 7), 5);
	assert_int_equal(isg__concepts_stem(e, 6), 6);
	assert_true(isg__concepts_import_matches("numpy.typing", "numpy"));
	assert_true(isg__concepts_import_matches("NumPy", "numpy"));
	assert_false(isg__concepts_import_matches("numpyro", "numpy"));
	assert_true(isg__concepts_import_matches("github.com/go-redis/redis/v8",
	                                         "github.com/go-redis/redis"));
	assert_true(isg__concepts_path_matches("src/a/b.rs", "*.rs"));
	assert_true(isg__concepts_path_matches("doc/conf.py", "doc/conf.py"));
	assert_true(isg__concepts_path_matches("x/migrations/0001.py",
	                                       "*/migrations/*"));
	assert_false(isg__concepts_path_matches("src/rs.py", "*.rs"));
}

static void test_concepts__project_from_languages_deps_readme(void **state)
{
	isg_concepts_project p = ISG_CONCEPTS_PROJECT_INIT;
	const char *langs[] = { "Python", "C", "Shell" };
	const size_t counts[] = { 900, 90, 10 };
	const char *deps[] = { "redis" };
	const char *mnames[] = { "requirements.txt", "package.json", "go.mod",
		                 "Cargo.toml", "pyproject.toml" };
	const char *mtexts[] = {
		"# pinned\nnumpy>=1.22\nsphinx==7.1 ; python_version>'3.8'\n"
		"-r other.txt\n",
		"{\"dependencies\": {\"react\": \"^18\"}, \"devDependencies\": {\"jest\": \"29\"}}",
		"module x\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n)\n",
		"[package]\nname = \"x\"\n[dependencies]\ntokio = \"1\"\n"
		"serde_json = { version = \"1\" }\n",
		"[project]\ndependencies = [\n  \"pytest>=7\",\n]\n"
	};
	isg_concepts_matches *m = NULL;
	isg_buf json = ISG_BUF_INIT;

	(void)state;
	p.languages = langs;
	p.language_counts = counts;
	p.nlanguages = 3;
	p.dependencies = deps;
	p.ndependencies = 1;
	p.manifest_names = mnames;
	p.manifest_texts = mtexts;
	p.nmanifests = 5;
	p.readme =
	        "A fast job queue built on Redis streams, with asyncio workers and Prometheus metrics.";
	p.max_results = 100;
	ISG_ASSERT_OK(isg_concepts_for_project(&m, cat, &p));
	assert_non_null(isg_concepts_matches_find(m, "python"));
	assert_non_null(isg_concepts_matches_find(m, "c"));
	assert_null(isg_concepts_matches_find(m, "cpp"));
	assert_non_null(isg_concepts_matches_find(m, "redis"));
	assert_non_null(isg_concepts_matches_find(m, "numpy"));
	assert_non_null(isg_concepts_matches_find(m, "sphinx"));
	assert_non_null(isg_concepts_matches_find(m, "frontend-frameworks"));
	assert_non_null(isg_concepts_matches_find(m, "argument-parsing"));
	assert_non_null(isg_concepts_matches_find(m, "json"));
	assert_non_null(isg_concepts_matches_find(m, "pytest"));
	assert_non_null(isg_concepts_matches_find(m, "asyncio"));
	assert_non_null(isg_concepts_matches_find(m, "metrics-monitoring"));
	assert_true(isg_concepts_matches_find(m, "python")->confidence >
	            isg_concepts_matches_find(m, "c")->confidence);
	ISG_ASSERT_OK(isg_concepts_matches_to_json(&json, m));
	assert_non_null(strstr(json.ptr, "\"slug\":\"redis\""));
	isg_buf_dispose(&json);
	isg_concepts_matches_free(m);
}

static void test_concepts__invalid_arguments_and_catalogs(void **state)
{
	static const struct {
		const char *json;
		int rc;
		const char *msg;
	} cases[] = {
		{ "{", ISG_EPARSE, "invalid JSON" },
		{ "{\"concepts\": []}", ISG_EINVALID, "0 concepts" },
		{ "{\"concepts\": [{\"slug\": \"Bad_Slug\"}]}", ISG_EINVALID,
		  "Bad_Slug" },
		{ "{\"concepts\": [{\"slug\": \"a\", \"name\": \"A\", \"description\": \"A long enough description.\", \"parents\": [\"b\"], \"signals\": {\"keywords\": [\"a\"]}}]}",
		  ISG_EINVALID, "parent 'b'" },
		{ "{\"concepts\": [{\"slug\": \"a\", \"name\": \"A\", \"description\": \"A long enough description.\", \"signals\": {}}]}",
		  ISG_EINVALID, "no match signal" },
		{ "{\"concepts\": [{\"slug\": \"a\", \"name\": \"A\", \"description\": \"A long enough description.\", \"parents\": [\"b\"], \"signals\": {\"keywords\": [\"a\"]}},{\"slug\": \"b\", \"name\": \"B\", \"description\": \"A long enough description.\", \"parents\": [\"a\"], \"signals\": {\"keywords\": [\"b\"]}}]}",
		  ISG_EINVALID, "cycle" },
		{ "{\"concepts\": [{\"slug\": \"a\", \"name\": \"A\", \"description\": \"A long enough description.\", \"signals\": {\"keywords\": [\"a\"]}},{\"slug\": \"a\", \"name\": \"B\", \"description\": \"A long enough description.\", \"signals\": {\"keywords\": [\"b\"]}}]}",
		  ISG_EINVALID, "twice" },
	};
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_concepts *bad = NULL;
	isg_concepts_matches *m = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.json = cases[i].json;
		o.json_len = strlen(cases[i].json);
		ISG_ASSERT_RC(cases[i].rc, isg_concepts_new(&bad, &o));
		assert_null(bad);
		if (!strstr(isg_error_last()->message, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i,
			         isg_error_last()->message, cases[i].msg);
	}
	o.json = NULL;
	o.path = "/nonexistent/concepts.json";
	ISG_ASSERT_RC(ISG_EIO, isg_concepts_new(&bad, &o));
	assert_non_null(strstr(isg_error_last()->message, "/nonexistent"));
	o.path = NULL;
	o.version = 99;
	ISG_ASSERT_RC(ISG_EINVALID, isg_concepts_new(&bad, &o));
	ISG_ASSERT_RC(ISG_EINVALID, isg_concepts_new(NULL, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_concepts_match(&m, NULL, &q));
	q.min_confidence = 1.5;
	ISG_ASSERT_RC(ISG_EINVALID, isg_concepts_match(&m, cat, &q));
	assert_non_null(strstr(isg_error_last()->message, "1.5"));
	isg_concepts_free(NULL);
	isg_concepts_matches_free(NULL);
	assert_int_equal(isg_concepts_count(NULL), 0);
}

static void test_concepts__loads_from_file(void **state)
{
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	isg_concepts *c2 = NULL;
	char *dir = isg_test_mkdtemp(), path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/concepts.json", dir);
	assert_int_equal(isg_test_write_file(path,
	                                     (const char *)isg__concepts_json,
	                                     isg__concepts_json_len),
	                 0);
	o.path = path;
	ISG_ASSERT_OK(isg_concepts_new(&c2, &o));
	assert_int_equal(isg_concepts_count(c2), isg_concepts_count(cat));
	isg_concepts_free(c2);
	isg_test_rmtree(dir);
	free(dir);
}

/* The catalog parser reads outside data: every allocation failure must
 * surface as ISG_ENOMEM without a leak. */
static void test_concepts__allocation_failures(void **state)
{
	isg_concepts *c2 = NULL;
	long k;
	int rc, done = 0;

	(void)state;
	for (k = 1; !done && k < 100000; k += (k < 200 ? 1 : 97)) {
		isg_test_alloc_install();
		isg_test_alloc_fail_at(k);
		rc = isg_concepts_new(&c2, NULL);
		if (rc == ISG_OK) {
			isg_concepts_free(c2);
			done = 1;
		} else {
			assert_int_equal(rc, ISG_ENOMEM);
			assert_null(c2);
		}
		assert_int_equal(isg_test_alloc_live(), 0);
		isg_test_alloc_uninstall();
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_concepts__catalog_is_complete_and_consistent),
		cmocka_unit_test(test_concepts__tree_json_has_subtree),
		cmocka_unit_test(test_concepts__redis_stream_consumer_issue),
		cmocka_unit_test(test_concepts__sphinx_autodoc_issue),
		cmocka_unit_test(test_concepts__numpy_dtype_overflow_issue),
		cmocka_unit_test(test_concepts__no_substring_false_positives),
		cmocka_unit_test(test_concepts__stemming_and_tokens),
		cmocka_unit_test(
		        test_concepts__project_from_languages_deps_readme),
		cmocka_unit_test(test_concepts__invalid_arguments_and_catalogs),
		cmocka_unit_test(test_concepts__loads_from_file),
		cmocka_unit_test(test_concepts__allocation_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
