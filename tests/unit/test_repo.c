/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "repo_int.h"

typedef struct fixture {
	char *dir;   /* the repository */
	char *cache; /* the cache directory */
} fixture;

static void put(const fixture *f, const char *rel, const char *text)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(isg_test_write_file(path, text, strlen(text)), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->dir = isg_test_mkdtemp();
	f->cache = isg_test_mkdtemp();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	isg_test_rmtree(f->dir);
	isg_test_rmtree(f->cache);
	free(f->dir);
	free(f->cache);
	free(f);
	return 0;
}

static isg_repo *open_repo(const fixture *f, const char *path, size_t max_size,
                           int *rc)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *repo = NULL;

	o.path_or_url = path ? path : f->dir;
	o.cache_dir = f->cache;
	o.max_file_size = max_size;
	*rc = isg_repo_open(&repo, &o);
	return repo;
}

static int has_file(const isg_repo *repo, const char *path)
{
	size_t i;

	return isg_repo_file_find(&i, repo, path) == ISG_OK;
}

/* One snippet per language with the definitions it must yield, written
 * as "kind name@line" separated by spaces, in line order. */
static const struct {
	const char *path, *text, *expect;
} lang_cases[] = {
	{ "c/a.c",
	  "#include <stdio.h>\n#define MAX 3\nstruct point {\n\tint x;\n};\n"
	  "typedef struct { int a; } pair;\nstatic int\nadd(int a, int b)\n{\n"
	  "\treturn a + b;\n}\nint decl(int x);\nenum color { RED };\n"
	  "typedef int (*cb_fn)(void *);\n",
	  "macro MAX@2 struct point@3 type pair@6 function add@8 enum color@13 type cb_fn@14" },
	{ "cpp/b.cpp",
	  "#include \"b.h\"\nclass Widget : public Base {\n};\n"
	  "void Widget::draw(int x) const {\n}\nnamespace ui {\n}\n",
	  "class Widget@2 method draw@4 module ui@6" },
	{ "py/c.py",
	  "\"\"\"Module doc.\"\"\"\nimport os.path, sys\nfrom a.b import c\n\n"
	  "class TimeSeries(Base):\n    \"\"\"def fake():\"\"\"\n"
	  "    def remove_column(self, name):\n        def inner():\n"
	  "            pass\n\n    async def fetch(self):\n        pass\n\n"
	  "def helper():\n    pass\n",
	  "class TimeSeries@5 method remove_column@7 function inner@8 method fetch@11 function helper@14" },
	{ "go/d.go",
	  "package d\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\n"
	  "type Server struct {\n\tname string\n}\n\n"
	  "func (s *Server) Start() error {\n\treturn nil\n}\n\n"
	  "func New() *Server {\n\treturn nil\n}\n\ntype Handler interface {\n}\n",
	  "struct Server@8 method Start@12 function New@16 interface Handler@20" },
	{ "js/e.js",
	  "import React from 'react';\nconst fs = require('fs');\n"
	  "export function render(x) {\n  return x;\n}\n"
	  "class Store {\n  constructor(a) {\n    this.a = a;\n  }\n"
	  "  async load(id) {\n    if (id) {\n      return 1;\n    }\n  }\n}\n"
	  "const handler = async (req) => {\n  return req;\n};\n",
	  "function render@3 class Store@6 method constructor@7 method load@10 function handler@16" },
	{ "ts/f.ts",
	  "export interface Options {\n  a: number;\n}\n"
	  "export type Id = string;\nexport enum Mode { A, B }\n"
	  "export class Client {\n  private get(url: string): Promise<void> {\n"
	  "    return fetch(url);\n  }\n}\n",
	  "interface Options@1 type Id@4 enum Mode@5 class Client@6 method get@7" },
	{ "java/G.java",
	  "package g;\nimport java.util.List;\n\npublic class Greeter {\n"
	  "    private final String name;\n"
	  "    public Greeter(String name) {\n        this.name = name;\n    }\n"
	  "    public List<String> greet(int n) throws Exception {\n"
	  "        if (n > 0) {\n            return null;\n        }\n"
	  "        return null;\n    }\n}\n",
	  "class Greeter@4 method Greeter@6 method greet@9" },
	{ "rust/h.rs",
	  "use std::collections::HashMap;\n\npub struct Cache {\n    m: u8,\n}\n\n"
	  "impl Cache {\n    pub fn new() -> Self {\n        Cache { m: 0 }\n    }\n}\n\n"
	  "pub trait Store {\n    fn get(&self);\n}\n\nenum Kind { A }\n\n"
	  "fn main() {\n}\n",
	  "struct Cache@3 impl Cache@7 method new@8 trait Store@13 method get@14 enum Kind@17 function main@19" },
	{ "ruby/i.rb",
	  "require 'json'\n\nmodule Shop\n  class Cart < Base\n    def add(item)\n"
	  "    end\n\n    def self.empty?\n    end\n  end\nend\n\ndef top_level\nend\n",
	  "module Shop@3 class Cart@4 method add@5 method empty?@8 function top_level@13" },
};

static void test_repo__definitions_for_every_language(void **state)
{
	fixture *f = *state;
	isg_repo *repo;
	size_t c;
	int rc;

	for (c = 0; c < sizeof(lang_cases) / sizeof(lang_cases[0]); c++)
		put(f, lang_cases[c].path, lang_cases[c].text);
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	for (c = 0; c < sizeof(lang_cases) / sizeof(lang_cases[0]); c++) {
		char got[1024] = "";
		size_t i, j, len = 0;

		ISG_ASSERT_OK(isg_repo_file_find(&i, repo, lang_cases[c].path));
		for (j = 0; j < isg_repo_file_def_count(repo, i); j++) {
			isg_repo_def d;

			ISG_ASSERT_OK(isg_repo_file_def(&d, repo, i, j));
			len += (size_t)snprintf(got + len, sizeof(got) - len,
			                        "%s%s %s@%u", j ? " " : "",
			                        d.kind, d.name, d.line);
		}
		if (strcmp(got, lang_cases[c].expect) != 0)
			fail_msg("%s:\n  got    %s\n  expect %s",
			         lang_cases[c].path, got, lang_cases[c].expect);
	}
	/* Parents, imports, languages and doc comments. */
	{
		size_t i;
		isg_repo_def d;

		ISG_ASSERT_OK(isg_repo_file_find(&i, repo, "py/c.py"));
		ISG_ASSERT_OK(isg_repo_file_def(&d, repo, i, 1));
		assert_string_equal(d.parent, "TimeSeries");
		assert_string_equal(isg_repo_file_language(repo, i), "python");
		assert_string_equal(isg_repo_file_doc(repo, i), "Module doc.");
		assert_int_equal(isg_repo_file_import_count(repo, i), 3);
		assert_string_equal(isg_repo_file_import(repo, i, 0),
		                    "os.path");
		assert_string_equal(isg_repo_file_import(repo, i, 2), "a.b");
		ISG_ASSERT_OK(isg_repo_file_find(&i, repo, "go/d.go"));
		assert_string_equal(isg_repo_file_import(repo, i, 1),
		                    "strings");
		ISG_ASSERT_OK(isg_repo_file_find(&i, repo, "js/e.js"));
		assert_string_equal(isg_repo_file_import(repo, i, 0), "react");
		assert_string_equal(isg_repo_file_import(repo, i, 1), "fs");
		ISG_ASSERT_OK(isg_repo_file_find(&i, repo, "rust/h.rs"));
		assert_string_equal(isg_repo_file_import(repo, i, 0),
		                    "std::collections::HashMap");
		assert_null(isg_repo_file_import(repo, i, 99));
		ISG_ASSERT_RC(ISG_EINVALID, isg_repo_file_def(&d, repo, i, 99));
		ISG_ASSERT_RC(ISG_ENOTFOUND,
		              isg_repo_file_find(&i, repo, "nope"));
	}
	assert_int_equal(isg_repo_file_count(repo), 9);
	assert_true(isg_repo_language_count(repo) >= 8);
	assert_true(isg_repo_definition_count(repo) >= 40);
	isg_repo_free(repo);
	isg_repo_free(NULL);
}

static void test_repo__ignore_rules_binary_and_huge_files(void **state)
{
	fixture *f = *state;
	char big[3000], path[1024];
	isg_repo *repo;
	int rc;

	put(f, ".gitignore", "*.log\nsecret/\n/out\n!keep.log\n# c\n");
	put(f, "src/main.c", "int main(void)\n{\n\treturn 0;\n}\n");
	put(f, "src/debug.log", "x\n");
	put(f, "src/keep.log", "kept\n");
	put(f, "secret/key.txt", "k\n");
	put(f, "out/gen.c", "int g;\n");
	put(f, "lib/out/real.c", "int r;\n"); /* /out is anchored */
	put(f, "sub/.gitignore", "local_*.py\n");
	put(f, "sub/local_a.py", "x = 1\n");
	put(f, "sub/b.py", "x = 1\n");
	put(f, "node_modules/pkg/index.js", "x\n");
	put(f, "vendor/lib.go", "package v\n");
	put(f, "web/app.min.js", "var a=1;\n");
	put(f, "web/app.js", "var a = 1;\n");
	put(f, "package-lock.json", "{}\n");
	put(f, "__pycache__/m.pyc", "x\n");
	snprintf(path, sizeof(path), "%s/data.bin", f->dir);
	assert_int_equal(isg_test_write_file(path, "ab\0cd", 5), 0);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	put(f, "huge.txt", big);
	repo = open_repo(f, NULL, 2000, &rc);
	ISG_ASSERT_OK(rc);
	assert_true(has_file(repo, "src/main.c"));
	assert_true(has_file(repo, "src/keep.log"));
	assert_true(has_file(repo, "lib/out/real.c"));
	assert_true(has_file(repo, "sub/b.py"));
	assert_true(has_file(repo, "web/app.js"));
	assert_false(has_file(repo, "src/debug.log"));
	assert_false(has_file(repo, "secret/key.txt"));
	assert_false(has_file(repo, "out/gen.c"));
	assert_false(has_file(repo, "sub/local_a.py"));
	assert_false(has_file(repo, "node_modules/pkg/index.js"));
	assert_false(has_file(repo, "vendor/lib.go"));
	assert_false(has_file(repo, "web/app.min.js"));
	assert_false(has_file(repo, "package-lock.json"));
	assert_false(has_file(repo, "data.bin"));
	assert_false(has_file(repo, "huge.txt"));
	assert_false(has_file(repo, "__pycache__/m.pyc"));
	isg_repo_free(repo);
}

static void test_repo__empty_repository(void **state)
{
	fixture *f = *state;
	isg_locate_result *res = NULL;
	isg_buf json = ISG_BUF_INIT;
	isg_repo *repo;
	int rc;

	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_file_count(repo), 0);
	assert_int_equal(isg_repo_language_count(repo), 0);
	assert_null(isg_repo_file_path(repo, 0));
	assert_int_equal(strncmp(isg_repo_commit(repo), "content:", 8), 0);
	ISG_ASSERT_OK(isg_locate_run(&res, repo, "Crash in `Foo`", 14, NULL));
	assert_int_equal(isg_locate_result_count(res, ISG_LOCATE_CHANGE), 0);
	assert_int_equal(isg_locate_result_count(res, ISG_LOCATE_READ), 0);
	ISG_ASSERT_OK(isg_locate_result_json(&json, res));
	assert_string_equal(json.ptr, "{\"files\": [], \"definitions\": []}");
	isg_buf_dispose(&json);
	isg_locate_result_free(res);
	isg_repo_free(repo);
}

static void test_repo__twenty_thousand_files(void **state)
{
	fixture *f = *state;
	isg_repo *repo;
	char rel[64], text[128];
	int i, rc;

	for (i = 0; i < 20000; i++) {
		snprintf(rel, sizeof(rel), "pkg%03d/mod_%05d.py", i / 100, i);
		snprintf(text, sizeof(text),
		         "def func_%05d(x):\n    return x\n", i);
		put(f, rel, text);
	}
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_file_count(repo), 20000);
	assert_int_equal(isg_repo_definition_count(repo), 20000);
	assert_string_equal(isg_repo_file_path(repo, 19999),
	                    "pkg199/mod_19999.py");
	isg_repo_free(repo);
}

static void git(const fixture *f, const char *args)
{
	char cmd[2048];

	snprintf(
	        cmd, sizeof(cmd),
	        "cd '%s' && git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main %s >/dev/null 2>&1",
	        f->dir, args);
	assert_int_equal(system(cmd), 0);
}

static void test_repo__index_reused_then_rebuilt_on_new_commit(void **state)
{
	fixture *f = *state;
	isg_repo *repo;
	char first[64];
	int rc;

	put(f, "app.py", "def run():\n    pass\n");
	git(f, "init -q");
	git(f, "add -A");
	git(f, "commit -qm one");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_true(isg_repo_is_git(repo));
	assert_int_equal(strlen(isg_repo_commit(repo)), 40);
	assert_int_equal(isg_repo_index_reused(repo), 0);
	snprintf(first, sizeof(first), "%s", isg_repo_commit(repo));
	isg_repo_free(repo);

	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 1);
	assert_string_equal(isg_repo_commit(repo), first);
	assert_int_equal(isg_repo_definition_count(repo), 1);
	isg_repo_free(repo);

	put(f, "app.py", "def run():\n    pass\n\ndef stop():\n    pass\n");
	git(f, "commit -qam two");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 0);
	assert_string_not_equal(isg_repo_commit(repo), first);
	assert_int_equal(isg_repo_definition_count(repo), 2);
	isg_repo_free(repo);

	/* A different size cap is a different index. */
	repo = open_repo(f, NULL, 5000, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 0);
	isg_repo_free(repo);
}

static void test_repo__clone_from_file_url(void **state)
{
	fixture *f = *state;
	char url[1200];
	isg_repo *repo;
	int rc;

	put(f, "lib/x.rb", "class X\nend\n");
	git(f, "init -q");
	git(f, "add -A");
	git(f, "commit -qm one");
	snprintf(url, sizeof(url), "file://%s", f->dir);
	repo = open_repo(f, url, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_true(isg_repo_is_git(repo));
	assert_int_equal(
	        strncmp(isg_repo_root(repo), f->cache, strlen(f->cache)), 0);
	assert_true(has_file(repo, "lib/x.rb"));
	isg_repo_free(repo);
	/* The second open updates the clone and reuses the index. */
	repo = open_repo(f, url, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 1);
	isg_repo_free(repo);
	snprintf(url, sizeof(url), "file://%s/does-not-exist", f->dir);
	assert_null(open_repo(f, url, 0, &rc));
	ISG_ASSERT_RC(ISG_EUPSTREAM, rc);
	assert_non_null(strstr(isg_error_last()->message, "does-not-exist"));
}

static void test_repo__test_command_and_contribution_rules(void **state)
{
	fixture *f = *state;
	isg_buf cmd = ISG_BUF_INIT, readme = ISG_BUF_INIT;
	isg_repo *repo;
	int rc;

	put(f, "Makefile", "all:\n\tcc x.c\ntest:\n\t./run\n");
	put(f, "README.md", "# Demo\nA demo project.\n");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	ISG_ASSERT_OK(isg_repo_test_command(&cmd, repo));
	assert_string_equal(cmd.ptr, "make test");
	assert_string_equal(isg_repo_test_command_origin(repo), "Makefile");
	assert_string_equal(isg_repo_readme_path(repo), "README.md");
	ISG_ASSERT_OK(isg_repo_readme(&readme, repo));
	assert_non_null(strstr(readme.ptr, "A demo project."));
	assert_int_equal(isg_repo_contributing_count(repo), 0);
	isg_repo_free(repo);

	put(f, "CONTRIBUTING.md",
	    "<!-- hidden -->\n# Contributing\nFork, branch, and open a PR.\n\n"
	    "Run the tests:\n\n```\n$ python -m pytest tests/\n```\n");
	put(f, ".github/PULL_REQUEST_TEMPLATE.md", "Describe the change.\n");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	ISG_ASSERT_OK(isg_repo_test_command(&cmd, repo));
	assert_string_equal(cmd.ptr, "python -m pytest tests/");
	assert_string_equal(isg_repo_test_command_origin(repo),
	                    "CONTRIBUTING.md");
	assert_int_equal(isg_repo_contributing_count(repo), 2);
	assert_string_equal(isg_repo_contributing_path(repo, 0),
	                    "CONTRIBUTING.md");
	assert_non_null(strstr(isg_repo_contributing_excerpt(repo, 0),
	                       "Fork, branch, and open a PR."));
	assert_null(strstr(isg_repo_contributing_excerpt(repo, 0), "hidden"));
	assert_null(isg_repo_contributing_path(repo, 2));
	isg_repo_free(repo);
	isg_buf_dispose(&cmd);
	isg_buf_dispose(&readme);
}

static void test_repo__inferred_test_commands(void **state)
{
	static const struct {
		const char *file, *text, *cmd;
	} cases[] = {
		{ "package.json", "{\"scripts\": {\"test\": \"jest\"}}",
		  "npm test" },
		{ "go.mod", "module x\n", "go test ./..." },
		{ "Cargo.toml", "[package]\n", "cargo test" },
		{ "tox.ini", "[tox]\n", "tox" },
		{ "pyproject.toml", "[project]\n", "pytest" },
		{ "meson.build", "project('x')\n", "meson test -C build" },
		{ "CMakeLists.txt", "project(x)\n", "ctest --test-dir build" },
		{ "Rakefile", "task :test\n", "bundle exec rake test" },
	};
	fixture *f = *state;
	isg_buf cmd = ISG_BUF_INIT;
	size_t c;
	int rc;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char dir[1024];
		isg_repo_options o = ISG_REPO_OPTIONS_INIT;
		isg_repo *repo = NULL;

		snprintf(dir, sizeof(dir), "%s/p%zu/%s", f->dir, c,
		         cases[c].file);
		assert_int_equal(isg_test_write_file(dir, cases[c].text,
		                                     strlen(cases[c].text)),
		                 0);
		snprintf(dir, sizeof(dir), "%s/p%zu", f->dir, c);
		o.path_or_url = dir;
		o.cache_dir = f->cache;
		rc = isg_repo_open(&repo, &o);
		ISG_ASSERT_OK(rc);
		ISG_ASSERT_OK(isg_repo_test_command(&cmd, repo));
		assert_string_equal(cmd.ptr, cases[c].cmd);
		isg_repo_free(repo);
	}
	isg_buf_dispose(&cmd);
}

static void test_repo__bad_arguments_name_the_problem(void **state)
{
	fixture *f = *state;
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *repo = NULL;
	isg_buf b = ISG_BUF_INIT;
	char missing[1024];
	int rc;

	ISG_ASSERT_RC(ISG_EINVALID, isg_repo_open(NULL, &o));
	ISG_ASSERT_RC(ISG_EINVALID, isg_repo_open(&repo, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_repo_open(&repo, &o));
	assert_non_null(strstr(isg_error_last()->message, "path_or_url"));
	o.version = 99;
	o.path_or_url = f->dir;
	ISG_ASSERT_RC(ISG_EINVALID, isg_repo_open(&repo, &o));
	assert_non_null(strstr(isg_error_last()->message, "version"));
	snprintf(missing, sizeof(missing), "%s/nope", f->dir);
	assert_null(open_repo(f, missing, 0, &rc));
	ISG_ASSERT_RC(ISG_ENOTFOUND, rc);
	assert_non_null(strstr(isg_error_last()->message, missing));
	put(f, "a.txt", "hello\n");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	ISG_ASSERT_OK(isg_repo_read_file(&b, repo, "a.txt"));
	assert_string_equal(b.ptr, "hello\n");
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_repo_read_file(&b, repo, "../etc/passwd"));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_repo_read_file(&b, repo, "zz.txt"));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_repo_test_command(&b, repo));
	assert_int_equal(isg_repo_file_count(NULL), 0);
	assert_null(isg_repo_commit(NULL));
	isg_buf_dispose(&b);
	isg_repo_free(repo);
}

static int cancel_at_index(const char *phase, size_t done, size_t total,
                           void *payload)
{
	int *calls = payload;

	(void)done;
	(void)total;
	(*calls)++;
	return strcmp(phase, "index") == 0;
}

static void test_repo__progress_callback_can_cancel(void **state)
{
	fixture *f = *state;
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *repo = NULL;
	int calls = 0;

	put(f, "a.py", "x = 1\n");
	o.path_or_url = f->dir;
	o.cache_dir = f->cache;
	o.progress = cancel_at_index;
	o.progress_payload = &calls;
	ISG_ASSERT_RC(ISG_ECANCELLED, isg_repo_open(&repo, &o));
	assert_null(repo);
	assert_true(calls >= 1);
}

/* The FTS5 tables keep no copy of the token text (contentless), BM25 and
 * document frequencies still work, the per-file reader that the writer and
 * the storage benchmark share gives the tokens that were indexed, and an
 * index of the previous schema is rebuilt rather than misread. */
static void test_repo__index_is_contentless_and_old_schema_rebuilt(void **state)
{
	fixture *f = *state;
	isg_repo *repo;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	isg__doc doc;
	char path[1024];
	size_t df = 0;
	double scores[2] = { 0.0, 0.0 };
	int rc;

	memset(&doc, 0, sizeof(doc));
	put(f, "table.py",
	    "class Table:\n    def remove_column(self, name):\n"
	    "        raise KeyError(\"no column named %s\" % name)\n");
	put(f, "other.py", "def unrelated():\n    return 1\n");
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	snprintf(path, sizeof(path), "%s", isg_repo_index_path(repo));

	ISG_ASSERT_OK(isg__repo_db_df(repo, "remove_column", &df));
	assert_int_equal(df, 1);
	ISG_ASSERT_OK(isg__repo_db_bm25(repo, "\"remove_column\"", scores));
	assert_true(scores[0] > 0.0 || scores[1] > 0.0);
	assert_true(scores[0] == 0.0 || scores[1] == 0.0);
	isg_repo_free(repo);

	/* Contentless: the columns read back as NULL. */
	assert_int_equal(
	        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	        SQLITE_OK);
	assert_int_equal(
	        sqlite3_prepare_v2(db, "SELECT count(*), count(body) FROM fts",
	                           -1, &st, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	sqlite3_finalize(st);
	assert_int_equal(
	        sqlite3_exec(
	                db,
	                "SELECT * FROM spans_content;SELECT * FROM lits_content;",
	                NULL, NULL, NULL),
	        SQLITE_ERROR);

	/* The shared reader: what the body column was given. */
	assert_int_equal(isg__repo_doc_read(&doc, f->dir, "table.py"), ISG_OK);
	assert_string_equal(doc.lang, "python");
	assert_string_equal(doc.tpath.ptr, "table py");
	assert_non_null(strstr(doc.tdefs.ptr, "remove column remove_column"));
	assert_non_null(strstr(doc.tbody.ptr, "remove column remove_column"));
	assert_int_equal(isg__repo_doc_read(&doc, f->dir, "gone.py"), 1);
	isg__repo_doc_dispose(&doc);
	isg__repo_doc_dispose(NULL);

	/* An index written by the previous schema is rebuilt. */
	assert_int_equal(
	        sqlite3_exec(db,
	                     "UPDATE meta SET value = '5' WHERE key = 'schema'",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	sqlite3_close(db);
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 0);
	assert_int_equal(isg_repo_file_count(repo), 2);
	isg_repo_free(repo);
	repo = open_repo(f, NULL, 0, &rc);
	ISG_ASSERT_OK(rc);
	assert_int_equal(isg_repo_index_reused(repo), 1);
	isg_repo_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_repo__definitions_for_every_language, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__ignore_rules_binary_and_huge_files, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(test_repo__empty_repository,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__twenty_thousand_files, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__index_reused_then_rebuilt_on_new_commit,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(test_repo__clone_from_file_url,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__test_command_and_contribution_rules, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__inferred_test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__bad_arguments_name_the_problem, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__progress_callback_can_cancel, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_repo__index_is_contentless_and_old_schema_rebuilt,
		        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
