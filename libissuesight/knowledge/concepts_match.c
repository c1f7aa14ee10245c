/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_match: matching issue text, labels, localized files, imports and
 * symbols to catalog concepts (with the accumulators of concepts_matcher.c),
 * and a language name to its catalog concept.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

#define MOD "concepts"
#define MAX_TEXT ISG__CONCEPTS_MAX_TEXT

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Languages as GitHub and file-extension detectors name them, mapped to
 * catalog slugs when the plain lower-cased name is not a slug. */
static const char *const lang_alias[][2] = {
	{ "c++", "cpp" },
	{ "golang", "go" },
	{ "js", "javascript" },
	{ "ts", "typescript" },
	{ "bash", "shell" },
	{ "sh", "shell" },
	{ "shell script", "shell" },
	{ "c#", "csharp" },
	{ "py", "python" },
	{ "rs", "rust" },
	{ "rb", "ruby" },
	{ "objective-c", "c" },
	{ "jupyter notebook", "python" },
	{ "restructuredtext", "sphinx" },
	{ "tex", "documentation" },
	{ "html", "html-css" },
	{ "css", "html-css" },
	{ "scss", "html-css" },
	{ "vue", "javascript" },
	{ "kotlin", "java" },
};

size_t isg__concepts_language(const isg_concepts *cat, const char *lang)
{
	char low[64];
	size_t i, n;

	if (!lang)
		return (size_t)-1;
	n = strlen(lang);
	if (n == 0 || n >= sizeof(low))
		return (size_t)-1;
	for (i = 0; i <= n; i++)
		low[i] = is_upper((unsigned char)lang[i])
		                 ? (char)(lang[i] - 'A' + 'a')
		                 : lang[i];
	for (i = 0; i < ISG__ARRAY_SIZE(lang_alias); i++)
		if (strcmp(low, lang_alias[i][0]) == 0)
			return isg__concepts_index(cat, lang_alias[i][1]);
	for (i = 0; i < n; i++)
		if (low[i] == ' ')
			low[i] = '-';
	return isg__concepts_index(cat, low);
}

static int join_add(isg_buf *b, const char *const *v, size_t n, size_t max)
{
	size_t i;
	int rc = ISG_OK;

	for (i = 0; i < n && i < max && rc == ISG_OK; i++)
		if (v[i]) {
			rc = isg__buf_puts(b, v[i]);
			if (rc == ISG_OK)
				rc = isg__buf_puts(b, " \n ");
		}
	return rc;
}

/* Checks a query's version and confidence floor; the error names the bad
 * field. */
static int check_query(const isg_concepts_query *q)
{
	if (q->version != ISG_CONCEPTS_QUERY_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "query version %u is not %d", q->version,
		                      ISG_CONCEPTS_QUERY_VERSION);
	if (!(q->min_confidence >= 0.0 && q->min_confidence <= 1.0))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "min_confidence %g is outside [0,1]",
		                      q->min_confidence);
	return ISG_OK;
}

/* Scores the free texts of a query: title, body, labels and the joined
 * file paths (B is scratch space). */
static int match_texts(isg__concepts_matcher *m, const isg_concepts_query *q,
                       isg_buf *b)
{
	size_t i;
	int rc = ISG_OK;

	if (q->title)
		rc = isg__concepts_matcher_text(m, q->title, strlen(q->title),
		                                "title", 1.0, 0.25, 0);
	if (rc == ISG_OK && q->body)
		rc = isg__concepts_matcher_text(m, q->body,
		                                strnlen(q->body, MAX_TEXT),
		                                "body", 0.5, 0.2, 0);
	for (i = 0; rc == ISG_OK && i < q->nlabels && q->labels; i++)
		if (q->labels[i])
			rc = isg__concepts_matcher_text(m, q->labels[i],
			                                strlen(q->labels[i]),
			                                "labels", 1.2, 0.0, 0);
	if (rc == ISG_OK && q->paths) {
		rc = join_add(b, q->paths, q->npaths, 20);
		if (rc == ISG_OK)
			rc = isg__concepts_matcher_text(
			        m, b->ptr, b->size, "file paths", 0.4, 0.1, 1);
	}
	return rc;
}

/* Credits the concepts whose file globs match one of the first 20 paths,
 * the earlier paths weighing more. */
static void match_paths(isg__concepts_matcher *m, const isg_concepts *cat,
                        const isg_concepts_query *q)
{
	size_t i, k, ci;

	for (i = 0; q->paths && i < q->npaths && i < 20; i++) {
		double w = 0.9 / (1.0 + 0.2 * (double)i);

		if (!q->paths[i])
			continue;
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nfiles; k++)
				if (isg__concepts_path_matches(
				            q->paths[i],
				            cat->items[ci].files[k])) {
					isg__concepts_matcher_add(
					        m, ci, w,
					        "path '%.120s' matches '%s'",
					        q->paths[i],
					        cat->items[ci].files[k]);
					break;
				}
	}
}

/* Credits the concepts named by the query's languages and imports. */
static void match_languages_imports(isg__concepts_matcher *m,
                                    const isg_concepts *cat,
                                    const isg_concepts_query *q)
{
	size_t i, k, ci;

	for (i = 0; q->languages && i < q->nlanguages; i++) {
		ci = isg__concepts_language(cat, q->languages[i]);
		if (ci != (size_t)-1)
			isg__concepts_matcher_add(m, ci, 1.0,
			                          "language '%.40s'",
			                          q->languages[i]);
	}
	for (i = 0; q->imports && i < q->nimports; i++)
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nimports; k++)
				if (isg__concepts_import_matches(
				            q->imports[i],
				            cat->items[ci].imports[k])) {
					isg__concepts_matcher_add(
					        m, ci, 1.1, "import '%.80s'",
					        q->imports[i]);
					break;
				}
}

/* Stages: check the query, score the texts, credit paths, languages and
 * imports, score the symbol names, keep the best matches. */
int isg_concepts_match(isg_concepts_matches **out, const isg_concepts *cat,
                       const isg_concepts_query *q)
{
	isg__concepts_matcher m = { 0 };
	isg_buf b = ISG_BUF_INIT;
	double minc;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!cat || !q)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "match: NULL catalog or query");
	rc = check_query(q);
	if (rc != ISG_OK)
		return rc;
	minc = q->min_confidence > 0 ? q->min_confidence : 0.25;
	rc = isg__concepts_matcher_init(&m, cat);
	if (rc != ISG_OK)
		return rc;
	rc = match_texts(&m, q, &b);
	if (rc == ISG_OK) {
		match_paths(&m, cat, q);
		match_languages_imports(&m, cat, q);
	}
	if (rc == ISG_OK && q->symbols) {
		isg__buf_clear(&b);
		rc = join_add(&b, q->symbols, q->nsymbols, 200);
		if (rc == ISG_OK)
			rc = isg__concepts_matcher_text(
			        &m, b.ptr, b.size, "symbol names", 0.3, 0.1, 1);
	}
	if ((rc == ISG_OK && m.failed) || rc == ISG_ENOMEM)
		rc = isg__error_oom(MOD);
	if (rc == ISG_OK)
		rc = isg__concepts_matcher_finish(
		        out, &m, minc, q->max_results ? q->max_results : 20);
	isg_buf_dispose(&b);
	isg__concepts_matcher_dispose(&m);
	return rc;
}
