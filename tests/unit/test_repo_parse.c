/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The line parsers on snippets shaped like real code of the repositories
 * the localization benchmarks use (tokio, dayjs, jq, gson, grpc-go): each
 * case lists the definitions it must yield, as "kind Parent.name@line".
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repo_int.h"

typedef struct parse_case {
	const char *what, *lang, *text, *expect;
} parse_case;

static const parse_case cases[] = {
	{ "Rust: methods of an impl block are Type.method, also when the impl is generic, for a trait, or has its brace on a later line",
	  "rust",
	  "impl<T: 'static> JoinSet<T> {\n"
	  "    pub fn new() -> Self {\n        todo!()\n    }\n"
	  "    pub async fn shutdown(&mut self) {\n"
	  "        self.abort_all();\n    }\n}\n"
	  "impl<T> Drop for JoinSet<T>\nwhere\n    T: Send,\n{\n"
	  "    fn drop(&mut self) {}\n}\n"
	  "impl fmt::Debug for Bytes {\n"
	  "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"
	  "        Ok(())\n    }\n}\n",
	  "impl JoinSet@1 method JoinSet.new@2 method JoinSet.shutdown@5 impl JoinSet@9 method JoinSet.drop@13 impl Bytes@15 method Bytes.fmt@16" },
	{ "Go: methods on pointer, value and generic receivers", "go",
	  "package grpc\n\n"
	  "func (cc *ClientConn) Close() error {\n\treturn nil\n}\n\n"
	  "func (s Status) String() string {\n\treturn \"\"\n}\n\n"
	  "func (l *list[T]) Push(v T) {\n}\n\n"
	  "func (*noopResolver) ResolveNow(o ResolveNowOptions) {}\n",
	  "method ClientConn.Close@3 method Status.String@7 method list.Push@11 method noopResolver.ResolveNow@14" },
	{ "Java: inner classes nest under their outer class, annotated methods are seen",
	  "java",
	  "package com.google.gson;\n\n"
	  "public final class Gson {\n"
	  "  @Override\n  public String toString() {\n    return \"\";\n  }\n"
	  "  static class FutureTypeAdapter<T> extends TypeAdapter<T> {\n"
	  "    @Override public T read(JsonReader in) throws IOException {\n"
	  "      return null;\n    }\n"
	  "    private static final class Inner {\n"
	  "      void run() {\n      }\n    }\n  }\n"
	  "  public <T> T fromJson(String json, Class<T> classOfT) {\n"
	  "    return null;\n  }\n}\n",
	  "class Gson@3 method Gson.toString@5 class Gson.FutureTypeAdapter@8 method Gson.FutureTypeAdapter.read@9 class Gson.FutureTypeAdapter.Inner@12 method Gson.FutureTypeAdapter.Inner.run@13 method Gson.fromJson@17" },
	{ "JavaScript: functions bound to names (a dayjs plugin's override, prototype methods, CommonJS exports, arrow functions)",
	  "javascript",
	  "export default (o, c) => {\n"
	  "  const proto = c.prototype\n"
	  "  const oldStartOf = proto.startOf\n"
	  "  proto.startOf = function (units, startOf) {\n"
	  "    return oldStartOf.call(this, units, startOf)\n  }\n}\n"
	  "Router.prototype.handle = function handle(req, res, out) {\n}\n"
	  "exports.compileETag = function(val) {\n}\n"
	  "module.exports.parse = async (str) => {\n}\n"
	  "utils.isFormData = thing => thing instanceof FormData;\n"
	  "this.onload = function () {\n}\n"
	  "if (a.b == function () {}) {}\n",
	  "method proto.startOf@4 method Router.handle@8 function compileETag@10 function parse@12 method utils.isFormData@14" },
	{ "C: the body of a multi-line macro is not a function (jq's BINOP)",
	  "c",
	  "#ifndef JQ_BUILTIN_H\n#define JQ_BUILTIN_H\n"
	  "#define BINOP(name) \\\n"
	  "static jv f_ ## name(jq_state *jq, jv input, jv a, jv b) { \\\n"
	  "  jv_free(input); \\\n  return binop_ ## name(a, b); \\\n}\n"
	  "BINOPS\n#undef BINOP\n\n"
	  "static jv f_plus(jq_state *jq, jv input, jv a, jv b) {\n"
	  "  return a;\n}\n",
	  "macro JQ_BUILTIN_H@2 macro BINOP@3 function f_plus@11" },
	{ "Python: nested classes qualify their methods; a nested function keeps its whole chain",
	  "python",
	  "class Outer:\n    class Meta:\n        def run(self):\n"
	  "            def helper():\n                pass\n"
	  "    def method(self):\n        pass\n",
	  "class Outer@1 class Outer.Meta@2 method Outer.Meta.run@3 function Outer.Meta.run.helper@4 method Outer.method@6" },
	{ "non-ASCII identifiers are not cut at the first non-ASCII letter",
	  "python",
	  "def größe_berechnen(x):\n    pass\n\nclass Café:\n    pass\n",
	  "function größe_berechnen@1 class Café@4" },
	{ "Rust: non-ASCII and raw identifiers", "rust",
	  "fn straße() {}\nstruct Ñandú;\n",
	  "function straße@1 struct Ñandú@2" },
};

static void render(char *out, size_t cap, const isg__parsed *p)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < p->ndefs && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s %s%s%s@%u",
		                        i ? " " : "", p->defs[i].kind,
		                        p->defs[i].parent,
		                        p->defs[i].parent[0] ? "." : "",
		                        p->defs[i].name, p->defs[i].line);
}

static void test_repo_parse__real_snippets(void **state)
{
	size_t c;

	(void)state;
	for (c = 0; c < ISG__ARRAY_SIZE(cases); c++) {
		isg__parsed p;
		char got[2048];

		ISG_ASSERT_OK(isg__repo_parse(&p, cases[c].lang, cases[c].text,
		                              strlen(cases[c].text)));
		render(got, sizeof(got), &p);
		isg__repo_parsed_free(&p);
		if (strcmp(got, cases[c].expect) != 0)
			fail_msg("%s:\n  got    %s\n  expect %s", cases[c].what,
			         got, cases[c].expect);
	}
}

/* A C file's summary is its first comment, not its include guard or its
 * #include lines; Python keeps '#' comments. */
static void test_repo_parse__c_doc_skips_preprocessor_lines(void **state)
{
	static const char c_text[] =
	        "#ifndef JV_H\n#define JV_H\n#include <stdio.h>\n\n"
	        "/* JSON values: the jv type and its operations. */\n"
	        "typedef struct jv jv;\n";
	static const char c_bare[] = "#include <stdio.h>\nint x;\n";
	static const char py_text[] = "#!/usr/bin/env python\n"
	                              "# Build the docs.\nimport os\n";
	isg__parsed p;

	(void)state;
	ISG_ASSERT_OK(isg__repo_parse(&p, "c", c_text, strlen(c_text)));
	assert_string_equal(p.doc,
	                    "JSON values: the jv type and its operations.");
	isg__repo_parsed_free(&p);
	ISG_ASSERT_OK(isg__repo_parse(&p, "c", c_bare, strlen(c_bare)));
	assert_string_equal(p.doc, "");
	isg__repo_parsed_free(&p);
	ISG_ASSERT_OK(isg__repo_parse(&p, "python", py_text, strlen(py_text)));
	assert_string_equal(p.doc, "Build the docs.");
	isg__repo_parsed_free(&p);
}

/* A file that ends inside a method head, with no line break after it:
 * the parser stays inside the text (found by tests/fuzz/fuzz_index.c; the
 * text is copied to a buffer of exactly its size so that ASan sees a read
 * past it), and `name(a):` at the end of an earlier line still opens a
 * body, as it did when the line break after it was read. */
static void test_repo_parse__js_method_head_at_end_of_file(void **state)
{
	static const char text[] = "class Queue {\n"
	                           "  drain(n):\n"
	                           "  push(item";
	size_t len = sizeof(text) - 1;
	char *exact = malloc(len);
	char got[256];
	isg__parsed p;

	(void)state;
	assert_non_null(exact);
	memcpy(exact, text, len);
	ISG_ASSERT_OK(isg__repo_parse(&p, "javascript", exact, len));
	render(got, sizeof(got), &p);
	assert_string_equal(got, "class Queue@1 method Queue.drain@2");
	assert_int_equal(p.lines, 3);
	isg__repo_parsed_free(&p);
	free(exact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repo_parse__real_snippets),
		cmocka_unit_test(
		        test_repo_parse__c_doc_skips_preprocessor_lines),
		cmocka_unit_test(
		        test_repo_parse__js_method_head_at_end_of_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
