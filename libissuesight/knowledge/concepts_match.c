/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_match: matching issue text, labels, localized files, imports and
 * symbols to catalog concepts (with the tokenizer and the accumulators of
 * concepts_matcher.c), the prerequisites of a match list, and the match
 * list's accessors and JSON.
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

int isg_concepts_match(isg_concepts_matches **out, const isg_concepts *cat,
                       const isg_concepts_query *q)
{
	isg__concepts_matcher m = { 0 };
	isg_buf b = ISG_BUF_INIT;
	double minc;
	size_t i, k, ci;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!cat || !q)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "match: NULL catalog or query");
	if (q->version != ISG_CONCEPTS_QUERY_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "query version %u is not %d", q->version,
		                      ISG_CONCEPTS_QUERY_VERSION);
	if (!(q->min_confidence >= 0.0 && q->min_confidence <= 1.0))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "min_confidence %g is outside [0,1]",
		                      q->min_confidence);
	minc = q->min_confidence > 0 ? q->min_confidence : 0.25;
	rc = isg__concepts_matcher_init(&m, cat);
	if (rc != ISG_OK)
		return rc;
	if (q->title)
		rc = isg__concepts_matcher_text(&m, q->title, strlen(q->title),
		                                "title", 1.0, 0.25, 0);
	if (rc == ISG_OK && q->body)
		rc = isg__concepts_matcher_text(&m, q->body,
		                                strnlen(q->body, MAX_TEXT),
		                                "body", 0.5, 0.2, 0);
	for (i = 0; rc == ISG_OK && i < q->nlabels && q->labels; i++)
		if (q->labels[i])
			rc = isg__concepts_matcher_text(&m, q->labels[i],
			                                strlen(q->labels[i]),
			                                "labels", 1.2, 0.0, 0);
	if (rc == ISG_OK && q->paths) {
		rc = join_add(&b, q->paths, q->npaths, 20);
		if (rc == ISG_OK)
			rc = isg__concepts_matcher_text(
			        &m, b.ptr, b.size, "file paths", 0.4, 0.1, 1);
	}
	for (i = 0; rc == ISG_OK && q->paths && i < q->npaths && i < 20; i++) {
		double w = 0.9 / (1.0 + 0.2 * (double)i);

		if (!q->paths[i])
			continue;
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nfiles; k++)
				if (isg__concepts_path_matches(
				            q->paths[i],
				            cat->items[ci].files[k])) {
					isg__concepts_matcher_add(
					        &m, ci, w,
					        "path '%.120s' matches "
					        "'%s'",
					        q->paths[i],
					        cat->items[ci].files[k]);
					break;
				}
	}
	for (i = 0; rc == ISG_OK && q->languages && i < q->nlanguages; i++) {
		ci = isg__concepts_language(cat, q->languages[i]);
		if (ci != (size_t)-1)
			isg__concepts_matcher_add(&m, ci, 1.0,
			                          "language '%.40s'",
			                          q->languages[i]);
	}
	for (i = 0; rc == ISG_OK && q->imports && i < q->nimports; i++)
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nimports; k++)
				if (isg__concepts_import_matches(
				            q->imports[i],
				            cat->items[ci].imports[k])) {
					isg__concepts_matcher_add(
					        &m, ci, 1.1, "import '%.80s'",
					        q->imports[i]);
					break;
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

/* ---- prerequisites and accessors ---- */

typedef struct prereq {
	size_t ci;
	double conf;
	const isg_concept_match *direct; /* NULL for an ancestor */
	size_t via;                      /* child it was reached from */
} prereq;

static const isg_concepts *sort_cat;

static int cmp_prereq(const void *a, const void *b)
{
	const prereq *x = a, *y = b;
	const isg_concept *cx = &sort_cat->items[x->ci];
	const isg_concept *cy = &sort_cat->items[y->ci];

	if (cx->level != cy->level)
		return cx->level - cy->level;
	if (cx->depth != cy->depth)
		return cx->depth - cy->depth;
	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return strcmp(cx->slug, cy->slug);
}

static int cmp_prereq_conf(const void *a, const void *b)
{
	const prereq *x = a, *y = b;

	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return x->ci < y->ci ? -1 : (x->ci > y->ci);
}

int isg_concepts_prerequisites(isg_concepts_matches **out,
                               const isg_concepts_matches *in, size_t max)
{
	const isg_concepts *cat;
	isg_concepts_matches *res = NULL;
	prereq *p = NULL;
	size_t i, k, n = 0, round;
	int rc = ISG_OK, changed = 1;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!in)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "prerequisites: NULL matches");
	cat = in->cat;
	p = isg__calloc(cat->n + 1, sizeof(*p));
	res = isg__calloc(1, sizeof(*res));
	if (!p || !res) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < cat->n; i++)
		p[i].ci = i;
	for (i = 0; i < in->n; i++) {
		size_t ci = (size_t)(in->items[i].entry - cat->items);

		p[ci].conf = in->items[i].confidence;
		p[ci].direct = &in->items[i];
	}
	/* Propagate upwards until nothing improves; depth bounds the rounds. */
	for (round = 0; changed && round < cat->n; round++) {
		changed = 0;
		for (i = 0; i < cat->n; i++) {
			double c = p[i].conf * 0.8;

			if (p[i].conf <= 0)
				continue;
			for (k = 0; k < cat->items[i].nparents; k++) {
				size_t pi =
				        cat->parent_idx[cat->parent_off[i] + k];

				if (!p[pi].direct && c > p[pi].conf + 1e-12) {
					p[pi].conf = c;
					p[pi].via = i;
					changed = 1;
				}
			}
		}
	}
	for (i = 0; i < cat->n; i++)
		if (p[i].conf > 0)
			p[n++] = p[i];
	qsort(p, n, sizeof(*p), cmp_prereq_conf);
	if (max && n > max)
		n = max;
	sort_cat = cat;
	qsort(p, n, sizeof(*p), cmp_prereq);
	sort_cat = NULL;
	res->cat = cat;
	res->items =
	        isg__arena_alloc(&res->arena, (n + 1) * sizeof(*res->items));
	if (!res->items) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < n; i++) {
		isg_concept_match *mt = &res->items[i];
		const char **ev;
		size_t ne = p[i].direct ? p[i].direct->nevidence : 1;

		ev = isg__arena_alloc(&res->arena, (ne + 1) * sizeof(*ev));
		if (!ev) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		if (p[i].direct) {
			for (k = 0; k < ne; k++)
				ev[k] = p[i].direct->evidence[k];
		} else {
			isg_buf b = ISG_BUF_INIT;

			if (isg__buf_printf(&b, "parent of '%s'",
			                    cat->items[p[i].via].slug) !=
			    ISG_OK) {
				rc = isg__error_oom(MOD);
				goto done;
			}
			ev[0] = isg__arena_strndup(&res->arena, b.ptr, b.size);
			isg_buf_dispose(&b);
			if (!ev[0]) {
				rc = isg__error_oom(MOD);
				goto done;
			}
		}
		/* Direct evidence strings are copied: the result must not
		 * borrow from `in`, which may be freed first. */
		for (k = 0; p[i].direct && k < ne; k++) {
			ev[k] = isg__arena_strndup(&res->arena, ev[k],
			                           strlen(ev[k]));
			if (!ev[k]) {
				rc = isg__error_oom(MOD);
				goto done;
			}
		}
		mt->entry = &cat->items[p[i].ci];
		mt->confidence = p[i].conf;
		mt->evidence = ev;
		mt->nevidence = ne;
	}
	res->n = n;
	*out = res;
	res = NULL;
done:
	isg__free(p);
	isg_concepts_matches_free(res);
	return rc;
}

size_t isg_concepts_matches_count(const isg_concepts_matches *m)
{
	return m ? m->n : 0;
}

const isg_concept_match *isg_concepts_matches_at(const isg_concepts_matches *m,
                                                 size_t i)
{
	return m && i < m->n ? &m->items[i] : NULL;
}

const isg_concept_match *
isg_concepts_matches_find(const isg_concepts_matches *m, const char *slug)
{
	size_t i;

	if (!m || !slug)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->items[i].entry->slug, slug) == 0)
			return &m->items[i];
	return NULL;
}

int isg_concepts_matches_to_json(isg_buf *out, const isg_concepts_matches *m)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, k;
	int rc;

	if (!out || !m)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "matches_to_json: NULL argument");
	rc = isg__buf_putc(&b, '[');
	for (i = 0; rc == ISG_OK && i < m->n; i++) {
		const isg_concept_match *mt = &m->items[i];

		rc = isg__buf_puts(&b, i ? ",{\"slug\":" : "{\"slug\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->slug,
			                              strlen(mt->entry->slug));
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, ",\"name\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->name,
			                              strlen(mt->entry->name));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b,
			        ",\"level\":\"%s\",\"confidence\":%.3f,"
			        "\"evidence\":[",
			        isg_concepts_level_name(mt->entry->level),
			        mt->confidence);
		for (k = 0; rc == ISG_OK && k < mt->nevidence; k++) {
			if (k)
				rc = isg__buf_putc(&b, ',');
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, mt->evidence[k],
				        strlen(mt->evidence[k]));
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(&b, ']');
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return isg__error_oom(MOD);
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

void isg_concepts_matches_free(isg_concepts_matches *m)
{
	if (!m)
		return;
	isg__arena_free(&m->arena);
	isg__free(m);
}
