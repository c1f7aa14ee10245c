/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

typedef struct fixture {
	char *dir, *cache;
	isg_repo *repo;
} fixture;

static void put(const fixture *f, const char *rel, const char *text)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(isg_test_write_file(path, text, strlen(text)), 0);
}

/* A small Python project with one class used in five files, a package
 * path, tests and docs. */
static void write_project(const fixture *f)
{
	int i;

	put(f, "timeseries/core.py",
	    "\"\"\"Time series.\"\"\"\n\n\nclass TimeSeries:\n"
	    "    def remove_column(self, name):\n"
	    "        self._check_required(name)\n\n"
	    "    def _check_required(self, name):\n"
	    "        raise ValueError(name)\n");
	for (i = 0; i < 5; i++) {
		char rel[64], text[400];

		snprintf(rel, sizeof(rel), "timeseries/use%d.py", i);
		snprintf(
		        text, sizeof(text),
		        "from timeseries.core import TimeSeries\n\n"
		        "def make_%d():\n    ts = TimeSeries()\n"
		        "    ts.remove_column('time')\n    return TimeSeries()\n"
		        "# TimeSeries TimeSeries remove column required\n",
		        i);
		put(f, rel, text);
	}
	put(f, "astropy/io/fits/header.py",
	    "class Header:\n    def fromstring(cls, data):\n        return cls()\n");
	put(f, "astropy/io/fits/card.py",
	    "from astropy.io.fits.header import Header\n# header header header fits header parsing of header cards\nclass Card:\n    pass\n");
	put(f, "astropy/io/fits/__init__.py", "from .header import Header\n");
	put(f, "pkg/loader.py",
	    "import os\n\n\ndef load(path):\n    data = open(path)\n"
	    "    return parse(data)\n\n\ndef parse(data):\n"
	    "    return data.split(',')\n");
	put(f, "pkg/other.py",
	    "def loader_helper():\n    return 'load parse'\n");
	put(f, "web/src/utils.js",
	    "export function formatDate(d) {\n  return d.toISOString();\n}\n");
	put(f, "web/src/app.js",
	    "import { formatDate } from './utils';\nfunction main() {\n"
	    "  console.log(formatDate(new Date()));\n}\n");
	put(f, "csrc/buffer.c",
	    "#include <string.h>\n\nint\nbuf_grow(char **p, size_t n)\n{\n"
	    "\treturn 0;\n}\n");
	put(f, "csrc/list.c", "int list_push(void)\n{\n\treturn 1;\n}\n");
	put(f, "tests/test_core.py",
	    "from timeseries.core import TimeSeries\n\n"
	    "def test_remove_column():\n    TimeSeries().remove_column('x')\n");
	put(f, "docs/timeseries.rst",
	    "TimeSeries\n==========\nremove_column\n");
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;

	f->dir = isg_test_mkdtemp();
	f->cache = isg_test_mkdtemp();
	write_project(f);
	o.path_or_url = f->dir;
	o.cache_dir = f->cache;
	if (isg_repo_open(&f->repo, &o) != ISG_OK) {
		print_error("open: %s\n", isg_error_last()->message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	isg_repo_free(f->repo);
	isg_test_rmtree(f->dir);
	isg_test_rmtree(f->cache);
	free(f->dir);
	free(f->cache);
	free(f);
	return 0;
}

static isg_locate_result *run(const fixture *f, const char *text)
{
	isg_locate_result *res = NULL;

	ISG_ASSERT_OK(isg_locate_run(&res, f->repo, text, strlen(text), NULL));
	return res;
}

static int has_reason(const isg_locate_result *r, size_t i, const char *sub)
{
	size_t j;

	for (j = 0; j < isg_locate_result_reason_count(r, ISG_LOCATE_CHANGE, i);
	     j++)
		if (strstr(isg_locate_result_reason(r, ISG_LOCATE_CHANGE, i, j),
		           sub))
			return 1;
	return 0;
}

static int has_symbol(const isg_locate_result *r, size_t i, const char *name,
                      unsigned int line)
{
	size_t j;

	for (j = 0; j < isg_locate_result_symbol_count(r, ISG_LOCATE_CHANGE, i);
	     j++)
		if (strcmp(isg_locate_result_symbol_name(r, ISG_LOCATE_CHANGE,
		                                         i, j),
		           name) == 0 &&
		    isg_locate_result_symbol_line(r, ISG_LOCATE_CHANGE, i, j) ==
		            line)
			return 1;
	return 0;
}

#define TOP(r) isg_locate_result_path((r), ISG_LOCATE_CHANGE, 0)

static void test_locate__python_stack_trace_frame_ranks_first(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = run(
	        f,
	        "Crash when loading a file\n\nTraceback (most recent call last):\n  File \"/home/u/app/main.py\", line 3, in <module>\n"
	        "  File \"/usr/lib/python3/site-packages/pkg/loader.py\", line 10, in parse\n    return data.split(',')\n"
	        "AttributeError: 'NoneType' object has no attribute 'split'\n");

	assert_string_equal(TOP(r), "pkg/loader.py");
	assert_true(has_reason(
	        r, 0, "stack trace frame `pkg/loader.py:10` in `parse`"));
	assert_true(has_symbol(r, 0, "parse", 9));
	isg_locate_result_free(r);
}

static void test_locate__js_and_c_frames(void **state)
{
	fixture *f = *state;
	isg_locate_result *r;

	r = run(f, "TypeError: d.toISOString is not a function\n"
	           "    at formatDate (web/src/utils.js:2:12)\n"
	           "    at main (web/src/app.js:3:3)\n");
	assert_string_equal(TOP(r), "web/src/utils.js");
	isg_locate_result_free(r);
	r = run(f, "Assertion failed at csrc/buffer.c:6 while growing\n");
	assert_string_equal(TOP(r), "csrc/buffer.c");
	assert_true(has_symbol(r, 0, "buf_grow", 4));
	isg_locate_result_free(r);
}

static void test_locate__dotted_module_path(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = run(
	        f,
	        "Parsing is wrong in astropy.io.fits.header when cards are long; header cards lose data.\n");

	assert_string_equal(TOP(r), "astropy/io/fits/header.py");
	assert_true(has_reason(r, 0, "module `astropy.io.fits.header`"));
	isg_locate_result_free(r);
	/* A module path that ends in a class still finds the module. */
	r = run(f, "`astropy.io.fits.Header.fromstring` fails on bytes\n");
	assert_string_equal(TOP(r), "astropy/io/fits/header.py");
	assert_true(has_symbol(r, 0, "fromstring", 2));
	isg_locate_result_free(r);
}

static void test_locate__definer_outranks_five_users(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = run(
	        f,
	        "TimeSeries: misleading exception when required column check fails.\n\nFor a `TimeSeries` object that has additional required columns, removing one gives a confusing message.\n");
	size_t i;

	assert_string_equal(TOP(r), "timeseries/core.py");
	assert_true(has_reason(
	        r, 0, "defines `TimeSeries` (mentioned in the issue)"));
	assert_true(has_symbol(r, 0, "TimeSeries", 4));
	/* Tests and docs are in the read list, never in the change list. */
	for (i = 0; i < isg_locate_result_count(r, ISG_LOCATE_CHANGE); i++)
		assert_string_equal(
		        isg_locate_result_role(r, ISG_LOCATE_CHANGE, i),
		        "source");
	assert_true(isg_locate_result_count(r, ISG_LOCATE_READ) >= 2);
	for (i = 0; i < isg_locate_result_count(r, ISG_LOCATE_READ); i++) {
		const char *role =
		        isg_locate_result_role(r, ISG_LOCATE_READ, i);

		assert_true(strcmp(role, "test") == 0 ||
		            strcmp(role, "doc") == 0);
	}
	/* Scores decrease along the list. */
	for (i = 1; i < isg_locate_result_count(r, ISG_LOCATE_CHANGE); i++)
		assert_true(
		        isg_locate_result_score(r, ISG_LOCATE_CHANGE, i) <=
		        isg_locate_result_score(r, ISG_LOCATE_CHANGE, i - 1));
	assert_true(isg_locate_result_mention_count(r) >= 1);
	isg_locate_result_free(r);
}

static void test_locate__file_name_mention(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = run(
	        f,
	        "Dates print wrong; I think the bug is in utils.js somewhere.\n");

	assert_string_equal(TOP(r), "web/src/utils.js");
	assert_true(has_reason(r, 0, "file name `utils.js` mentioned"));
	isg_locate_result_free(r);
}

/* A throw-away repository of its own for the tests of single signals. */
static fixture *mini_repo(const char *const *files)
{
	fixture *f = calloc(1, sizeof(*f));
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	size_t i;

	assert_non_null(f);
	f->dir = isg_test_mkdtemp();
	f->cache = isg_test_mkdtemp();
	for (i = 0; files[i]; i += 2)
		put(f, files[i], files[i + 1]);
	o.path_or_url = f->dir;
	o.cache_dir = f->cache;
	ISG_ASSERT_OK(isg_repo_open(&f->repo, &o));
	return f;
}

static void mini_free(fixture *f)
{
	void *state = f;

	teardown(&state);
}

static long rank_of(const isg_locate_result *r, const char *path)
{
	size_t i;

	for (i = 0; i < isg_locate_result_count(r, ISG_LOCATE_CHANGE); i++)
		if (strcmp(isg_locate_result_path(r, ISG_LOCATE_CHANGE, i),
		           path) == 0)
			return (long)i;
	return -1;
}

static void test_locate__string_literal_match_finds_the_raiser(void **state)
{
	/* Both files use the same words; only one spells the message. */
	static const char *const files[] = {
		"pkg/merge.py",
		"def combine(a, b):\n    if a.end > b.start:\n"
		"        raise ValueError(\"cannot combine overlapping intervals\")\n    return a\n",
		"pkg/intervals.py",
		"# overlapping intervals: combine, overlapping, intervals\n"
		"def overlapping_intervals(intervals):\n"
		"    overlapping = [i for i in intervals]\n"
		"    return overlapping\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;

	(void)state;
	r = run(f,
	        "Crash with intervals\n\n```\nTraceback (most recent call last):\n  File \"x.py\", line 1\nValueError: cannot combine overlapping intervals\n```\n");
	assert_string_equal(TOP(r), "pkg/merge.py");
	assert_true(has_reason(r, 0, "string literals match text quoted"));
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__docs_matching_better_do_not_shrink_source(void **state)
{
	/* The guide repeats the issue's words far more than any module; the
	 * source file that matches best among the sources still gets the
	 * full text credit, because text signals count by rank within the
	 * file's own list (W_BM25 3.0 + W_SPAN 1.5 for the best file and
	 * the best chunk), not by their ratio to the best file overall. */
	static const char *const files[] = {
		"pkg/render.py",
		"def render_footer(page):\n    # pagination footer\n"
		"    return page.footer\n",
		"pkg/store.py",
		"def save(item):\n    return item\n",
		"pkg/net.py",
		"def fetch(url):\n    return url\n",
		"docs/pagination.rst",
		"Pagination footer\n=================\n\npagination footer overflow pagination footer overflow pagination footer overflow pagination footer overflow pagination footer\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;

	(void)state;
	r = run(f,
	        "Pagination footer overflow\n\nThe pagination footer overflows the page.\n");
	assert_string_equal(TOP(r), "pkg/render.py");
	assert_true(isg_locate_result_score(r, ISG_LOCATE_CHANGE, 0) >=
	            4.5 - 1e-9);
	assert_string_equal(isg_locate_result_path(r, ISG_LOCATE_READ, 0),
	                    "docs/pagination.rst");
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__version_dump_is_not_read(void **state)
{
	/* `xr.show_versions()` output names the project's version printer
	 * (python-bits, byteorder, LC_ALL ...) far more than the bug. */
	static const char *const files[] = {
		"proj/util/print_versions.py",
		"def get_sys_info():\n"
		"    return [('python-bits', 64), ('OS', 'Linux'),\n"
		"            ('machine', 'x86'), ('processor', 'x86'),\n"
		"            ('byteorder', 'little'), ('LC_ALL', None),\n"
		"            ('LANG', None), ('LOCALE', None),\n"
		"            ('libhdf5', None), ('libnetcdf', None)]\n"
		"def show_versions():\n    print(get_sys_info())\n",
		"proj/core/weighted.py",
		"def sum_of_weights(weights, mask):\n"
		"    # boolean weights are summed as booleans\n"
		"    return (weights * mask).sum()\n",
		"proj/core/other.py",
		"def unrelated():\n    return 1\n",
		"proj/core/more.py",
		"def more():\n    return 2\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;

	(void)state;
	r = run(f,
	        "boolean weights give a wrong weighted mean\n\n"
	        "Passing boolean weights to the weighted mean returns the wrong result.\n\n#### Versions\n\n"
	        "INSTALLED VERSIONS\n------------------\ncommit: None\n"
	        "python: 3.7.6 | packaged by conda-forge |\n[GCC 7.3.0]\n"
	        "python-bits: 64\nOS: Linux\nOS-release: 5.3.0\n"
	        "machine: x86_64\nprocessor: x86_64\nbyteorder: little\n"
	        "LC_ALL: None\nLANG: en_US.UTF-8\nLOCALE: en_US.UTF-8\n"
	        "libhdf5: 1.10.6\nlibnetcdf: 4.7.4\n\nproj: 0.15.1\n"
	        "</details>\n");
	assert_string_equal(TOP(r), "proj/core/weighted.py");
	assert_true(rank_of(r, "proj/util/print_versions.py") != 0);
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__package_mention_spreads_to_modules(void **state)
{
	static const char *const files[] = {
		"astro/timeseries/__init__.py",
		"from .core import *\nfrom .sampled import *\n",
		"astro/timeseries/core.py",
		"def check_required_columns(ts):\n"
		"    raise ValueError('required column missing')\n",
		"astro/timeseries/sampled.py",
		"def fold(ts, period):\n    return ts\n",
		"astro/table/table.py",
		"def check_required_columns(ts):\n"
		"    raise ValueError('required column missing')\n",
		/* The package is a small part of the project (the top package
		 * of a project spreads nothing). */
		"astro/io/a.py",
		"def a():\n    pass\n",
		"astro/io/b.py",
		"def b():\n    pass\n",
		"astro/io/c.py",
		"def c():\n    pass\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;

	(void)state;
	r = run(f,
	        "In astro.timeseries, removing a required column gives a misleading message.\n");
	/* The module that matches the text, not the package's __init__. */
	assert_string_equal(TOP(r), "astro/timeseries/core.py");
	assert_true(rank_of(r, "astro/table/table.py") > 0);
	assert_true(rank_of(r, "astro/timeseries/__init__.py") > 0);
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__site_packages_frame_maps_to_src(void **state)
{
	static const char *const files[] = {
		"src/_pytest/unittest.py",
		"class TestCaseFunction:\n    def runtest(self):\n"
		"        return self._testcase()\n",
		"src/_pytest/python.py",
		"def collect():\n    return []\n",
		"doc/unittest.rst",
		"unittest support\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;

	(void)state;
	r = run(f,
	        "Traceback (most recent call last):\n  File \"/opt/venv/lib/python3.9/site-packages/_pytest/unittest.py\", line 3, in runtest\nTypeError: boom\n");
	assert_string_equal(TOP(r), "src/_pytest/unittest.py");
	assert_true(has_reason(
	        r, 0,
	        "stack trace frame `src/_pytest/unittest.py:3` in `runtest`"));
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__english_word_earns_no_definition(void **state)
{
	static const char *const files[] = {
		"app/nodes.py",
		"def document(x):\n    return x\n",
		"app/render.py",
		"def render_page(page):\n    return page.title\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;
	long i;

	(void)state;
	/* "document" in prose, and a template comment that names
	 * `render_page`, give no definition credit. */
	r = run(f, "<!-- Please describe `render_page` problems here -->\n"
	           "The document title is wrong when I render the page.\n");
	for (i = 0; i < (long)isg_locate_result_count(r, ISG_LOCATE_CHANGE);
	     i++) {
		assert_false(has_reason(r, (size_t)i, "defines `document`"));
		assert_false(has_reason(r, (size_t)i, "defines `render_page`"));
	}
	isg_locate_result_free(r);
	/* In backticks it is code: the definer is credited and the symbol
	 * is flagged as named by the issue. */
	r = run(f, "`document()` returns the wrong title.\n");
	assert_string_equal(TOP(r), "app/nodes.py");
	assert_true(has_reason(r, 0, "defines `document`"));
	assert_int_equal(
	        isg_locate_result_symbol_count(r, ISG_LOCATE_CHANGE, 0), 1);
	assert_int_equal(
	        isg_locate_result_symbol_mentioned(r, ISG_LOCATE_CHANGE, 0, 0),
	        1);
	assert_int_equal(
	        isg_locate_result_symbol_mentioned(r, ISG_LOCATE_CHANGE, 0, 1),
	        0);
	isg_locate_result_free(r);
	mini_free(f);
}

static void test_locate__empty_huge_and_binary_issue_text(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = NULL;
	const char bad[] =
	        "Crash in \xff\xfe `TimeSeries` \xc3\x28 caf\xe9 \x80\x80 timeseries/core.py\n";
	isg_buf json = ISG_BUF_INIT;
	char *big;
	size_t i, n = 1024 * 1024;
	cJSON *doc;

	ISG_ASSERT_RC(ISG_EINVALID, isg_locate_run(&r, f->repo, "", 0, NULL));
	assert_null(r);
	assert_non_null(strstr(isg_error_last()->message, "empty"));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_locate_run(&r, f->repo, " \n\t ", 4, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_locate_run(&r, NULL, "x", 1, NULL));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_locate_run(NULL, f->repo, "x", 1, NULL));
	/* One megabyte of issue text: mostly noise with one real mention. */
	big = malloc(n + 1);
	for (i = 0; i < n; i++)
		big[i] = "abcdefgh ijk_lmnop QrstUvw xyz.py\n"[i % 34];
	memcpy(big + n / 2, " `remove_column` ", 17);
	ISG_ASSERT_OK(isg_locate_run(&r, f->repo, big, n, NULL));
	assert_true(isg_locate_result_count(r, ISG_LOCATE_CHANGE) >= 1);
	isg_locate_result_free(r);
	free(big);
	/* Invalid UTF-8 is read as bytes and the JSON stays valid. */
	ISG_ASSERT_OK(isg_locate_run(&r, f->repo, bad, sizeof(bad) - 1, NULL));
	assert_string_equal(TOP(r), "timeseries/core.py");
	ISG_ASSERT_OK(isg_locate_result_json(&json, r));
	doc = cJSON_Parse(json.ptr);
	assert_non_null(doc);
	cJSON_Delete(doc);
	isg_buf_dispose(&json);
	isg_locate_result_free(r);
	isg_locate_result_free(NULL);
}

static void test_locate__json_shape_keys_types_order(void **state)
{
	fixture *f = *state;
	isg_locate_options o = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *r = NULL;
	isg_buf json = ISG_BUF_INIT;
	const cJSON *files, *item;
	double prev = 1e300;
	cJSON *doc;
	size_t n = 0;

	o.top_k = 3;
	ISG_ASSERT_OK(isg_locate_run(
	        &r, f->repo,
	        "`TimeSeries.remove_column` raises the wrong error\n", 49, &o));
	ISG_ASSERT_OK(isg_locate_result_json(&json, r));
	doc = cJSON_Parse(json.ptr);
	assert_non_null(doc);
	assert_true(cJSON_IsObject(doc));
	assert_non_null(doc->child);
	assert_string_equal(doc->child->string, "files");
	assert_non_null(doc->child->next);
	assert_string_equal(doc->child->next->string, "definitions");
	assert_null(doc->child->next->next);
	{
		const cJSON *defs = doc->child->next, *d;
		size_t nd = 0;

		assert_true(cJSON_IsArray(defs));
		cJSON_ArrayForEach(d, defs)
		{
			const cJSON *k = d->child;

			assert_string_equal(k->string, "name");
			assert_string_equal(
			        k->valuestring,
			        isg_locate_result_definition(r, nd));
			assert_string_equal(k->next->string, "path");
			assert_string_equal(k->next->next->string, "kind");
			assert_string_equal(k->next->next->next->string,
			                    "line");
			assert_string_equal(k->next->next->next->next->string,
			                    "score");
			assert_null(k->next->next->next->next->next);
			nd++;
		}
		assert_int_equal(nd, isg_locate_result_definition_count(r));
		assert_true(nd >= 1);
	}
	files = doc->child;
	assert_true(cJSON_IsArray(files));
	cJSON_ArrayForEach(item, files)
	{
		const cJSON *k = item->child, *s;

		assert_string_equal(k->string, "path");
		assert_true(cJSON_IsString(k));
		assert_string_equal(
		        k->valuestring,
		        isg_locate_result_path(r, ISG_LOCATE_CHANGE, n));
		k = k->next;
		assert_string_equal(k->string, "score");
		assert_true(cJSON_IsNumber(k));
		assert_true(k->valuedouble <= prev);
		prev = k->valuedouble;
		k = k->next;
		assert_string_equal(k->string, "reasons");
		assert_true(cJSON_IsArray(k));
		assert_true(cJSON_GetArraySize(k) >= 1);
		cJSON_ArrayForEach(s, k) assert_true(cJSON_IsString(s));
		k = k->next;
		assert_string_equal(k->string, "symbols");
		assert_true(cJSON_IsArray(k));
		cJSON_ArrayForEach(s, k)
		{
			assert_string_equal(s->child->string, "name");
			assert_true(cJSON_IsString(s->child));
			assert_string_equal(s->child->next->string, "line");
			assert_true(cJSON_IsNumber(s->child->next));
			assert_null(s->child->next->next);
		}
		assert_null(k->next);
		n++;
	}
	assert_int_equal(n, isg_locate_result_count(r, ISG_LOCATE_CHANGE));
	assert_true(n >= 1 && n <= 3);
	assert_string_equal(cJSON_GetArrayItem(files, 0)->child->valuestring,
	                    "timeseries/core.py");
	cJSON_Delete(doc);
	isg_buf_dispose(&json);
	isg_locate_result_free(r);
	o.version = 7;
	ISG_ASSERT_RC(ISG_EINVALID, isg_locate_run(&r, f->repo, "x", 1, &o));
}

static void test_locate__allocation_failures_give_enomem_no_leak(void **state)
{
	fixture *f = *state;
	const char *text =
	        "Traceback:\n  File \"pkg/loader.py\", line 10, in parse\n`TimeSeries` astropy.io.fits.header\n";
	long k;
	int ok = 0;

	isg_test_alloc_install();
	for (k = 1; k < 5000 && !ok; k++) {
		isg_locate_result *r = NULL;
		int rc;

		isg_test_alloc_fail_at(k);
		rc = isg_locate_run(&r, f->repo, text, strlen(text), NULL);
		isg_locate_result_free(r);
		if (rc == ISG_OK)
			ok = 1;
		else
			ISG_ASSERT_RC(ISG_ENOMEM, rc);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_fail_at(0);
	isg_test_alloc_uninstall();
	assert_true(ok);
	assert_true(k > 5);
}

static void test_locate__import_neighbour_of_top_file_moves_up(void **state)
{
	/* pkg/left/user.py and pkg/right/user.py hold the same tokens and
	 * tie on every signal; without the boost the tie goes to the file
	 * listed first (left). Only right's relative import `..engine`
	 * resolves to pkg/engine.py, the best file, so right is its import
	 * neighbour and moves ahead of left, but never ahead of the best
	 * file itself. */
	static const char *const files[] = {
		"pkg/engine.py",
		"def run_all(items):\n    # render chart lines, draw chart\n"
		"    return [render_chart_lines(i) for i in items]\n",
		"pkg/left/user.py",
		"from .engine import run_all\n\n\ndef render_chart(data):\n"
		"    chart = draw_chart_lines(data)\n    return chart\n",
		"pkg/right/user.py",
		"from ..engine import run_all\n\n\ndef render_chart(data):\n"
		"    chart = draw_chart_lines(data)\n    return chart\n",
		"pkg/base.py",
		"def start():\n    return 1\n",
		/* Fillers, so that the chart words are in fewer than half the
		 * files and stay in the BM25 query. */
		"pkg/util1.py",
		"def helper_one(x):\n    return x + 1\n",
		"pkg/util2.py",
		"def helper_two(x):\n    return x + 2\n",
		"pkg/util3.py",
		"def helper_three(x):\n    return x + 3\n",
		"pkg/util4.py",
		"def helper_four(x):\n    return x + 4\n",
		"pkg/util5.py",
		"def helper_five(x):\n    return x + 5\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r;
	long left, right;

	(void)state;
	r = run(f, "render_chart draws chart lines twice\n\n```\n"
	           "Traceback (most recent call last):\n"
	           "  File \"pkg/base.py\", line 2, in start\n"
	           "  File \"pkg/engine.py\", line 3, in run_all\n"
	           "ValueError: chart lines drawn twice\n```\n");
	assert_string_equal(TOP(r), "pkg/engine.py");
	assert_int_equal(rank_of(r, "pkg/base.py"), 1);
	left = rank_of(r, "pkg/left/user.py");
	right = rank_of(r, "pkg/right/user.py");
	assert_int_equal(right, 2);
	assert_int_equal(left, 3);
	assert_true(has_reason(r, (size_t)right,
	                       "imports or is imported by `pkg/engine.py`"));
	assert_false(has_reason(r, (size_t)left, "imports or is imported"));
	assert_true(
	        isg_locate_result_score(r, ISG_LOCATE_CHANGE, (size_t)right) <
	        isg_locate_result_score(r, ISG_LOCATE_CHANGE, 0));
	isg_locate_result_free(r);
	mini_free(f);
}

/* Definitions are one list across files, named path:Class.method. */
static void test_locate__definitions_named_as_locagent(void **state)
{
	fixture *f = *state;
	isg_locate_result *r =
	        run(f, "`TimeSeries.remove_column` raises the wrong error\n");
	size_t i, n = isg_locate_result_definition_count(r);

	assert_true(n >= 2 && n <= 20);
	assert_string_equal(isg_locate_result_definition(r, 0),
	                    "timeseries/core.py:TimeSeries.remove_column");
	assert_string_equal(isg_locate_result_definition_path(r, 0),
	                    "timeseries/core.py");
	assert_string_equal(isg_locate_result_definition_kind(r, 0), "method");
	assert_int_equal(isg_locate_result_definition_line(r, 0), 5);
	for (i = 1; i < n; i++)
		assert_true(isg_locate_result_definition_score(r, i) <=
		            isg_locate_result_definition_score(r, i - 1));
	assert_null(isg_locate_result_definition(r, n));
	assert_null(isg_locate_result_definition_path(r, n));
	assert_int_equal(isg_locate_result_definition_line(r, n), 0);
	assert_int_equal(isg_locate_result_definition_count(NULL), 0);
	assert_null(isg_locate_result_definition(NULL, 0));
	isg_locate_result_free(r);
}

/* A traceback's line number picks the definition holding it. */
static void test_locate__frame_line_picks_the_definition(void **state)
{
	fixture *f = *state;
	isg_locate_result *r = run(
	        f,
	        "Traceback (most recent call last):\n"
	        "  File \"pkg/loader.py\", line 10, in parse\n"
	        "AttributeError: 'NoneType' object has no attribute 'split'\n");

	assert_string_equal(isg_locate_result_definition(r, 0),
	                    "pkg/loader.py:parse");
	assert_int_equal(isg_locate_result_definition_line(r, 0), 9);
	isg_locate_result_free(r);
}

/* An edit inside a nested function belongs to the outermost function or
 * method: nested functions are never listed, their names lead to it. */
static void test_locate__nested_function_belongs_to_outermost(void **state)
{
	static const char *const files[] = {
		"app/render.py",
		"class Page:\n    def render(self):\n"
		"        def escape_cell(v):\n            return v\n"
		"        return escape_cell(1)\n\n"
		"def build():\n    def format_row(r):\n        return r\n"
		"    return format_row\n",
		"app/other.py",
		"def unrelated():\n    return 0\n",
		NULL,
	};
	fixture *f = mini_repo(files);
	isg_locate_result *r = NULL;
	const char *text = "`escape_cell` and `format_row` mangle the page\n";
	size_t i;

	(void)state;
	ISG_ASSERT_OK(isg_locate_run(&r, f->repo, text, strlen(text), NULL));
	assert_true(isg_locate_result_definition_count(r) >= 2);
	for (i = 0; i < isg_locate_result_definition_count(r); i++) {
		const char *d = isg_locate_result_definition(r, i);

		assert_null(strstr(d, "escape_cell"));
		assert_null(strstr(d, "format_row"));
	}
	assert_string_equal(isg_locate_result_definition(r, 0),
	                    "app/render.py:Page.render");
	assert_string_equal(isg_locate_result_definition(r, 1),
	                    "app/render.py:build");
	isg_locate_result_free(r);
	mini_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_locate__python_stack_trace_frame_ranks_first),
		cmocka_unit_test(test_locate__js_and_c_frames),
		cmocka_unit_test(test_locate__dotted_module_path),
		cmocka_unit_test(test_locate__definer_outranks_five_users),
		cmocka_unit_test(test_locate__file_name_mention),
		cmocka_unit_test(
		        test_locate__string_literal_match_finds_the_raiser),
		cmocka_unit_test(
		        test_locate__package_mention_spreads_to_modules),
		cmocka_unit_test(test_locate__site_packages_frame_maps_to_src),
		cmocka_unit_test(test_locate__version_dump_is_not_read),
		cmocka_unit_test(
		        test_locate__docs_matching_better_do_not_shrink_source),
		cmocka_unit_test(test_locate__english_word_earns_no_definition),
		cmocka_unit_test(test_locate__empty_huge_and_binary_issue_text),
		cmocka_unit_test(test_locate__json_shape_keys_types_order),
		cmocka_unit_test(
		        test_locate__import_neighbour_of_top_file_moves_up),
		cmocka_unit_test(
		        test_locate__allocation_failures_give_enomem_no_leak),
		cmocka_unit_test(test_locate__definitions_named_as_locagent),
		cmocka_unit_test(test_locate__frame_line_picks_the_definition),
		cmocka_unit_test(
		        test_locate__nested_function_belongs_to_outermost),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
