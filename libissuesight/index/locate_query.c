/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate query: the query terms of an issue and their weights: the issue's
 * code-aware tokens without stop terms, each weighted by its frequency in
 * the issue and its document frequency in the index (BM25-style).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"
#define MAX_QUERY_TERMS 48

typedef struct term {
	char *text;
	size_t tf, df;
	double weight;
} term;

static const char *const stop_terms[] = {
	"the",    "and",      "for",       "that",   "this",    "with",
	"from",   "are",      "was",       "not",    "but",     "have",
	"has",    "had",      "you",       "can",    "will",    "would",
	"should", "could",    "when",      "what",   "which",   "there",
	"their",  "then",     "than",      "into",   "also",    "just",
	"like",   "some",     "any",       "all",    "one",     "use",
	"used",   "using",    "get",       "set",    "new",     "may",
	"might",  "does",     "did",       "been",   "being",   "its",
	"our",    "out",      "how",       "why",    "where",   "here",
	"more",   "only",     "other",     "such",   "these",   "those",
	"very",   "self",     "none",      "true",   "false",   "return",
	"def",    "import",   "class",     "issue",  "bug",     "expected",
	"actual", "behavior", "behaviour", "please", "thanks",  "version",
	"python", "error",    "http",      "https",  "www",     "com",
	"github", "line",     "file",      "code",   "example", "following",
	"is",     "it",       "in",        "to",     "of",      "be",
	"or",     "as",       "an",        "on",     "at",      "by",
	"if",     "we",       "do",        "so",     "no",      "my",
	"me",     "up",       "print",
};

int isg__locate_is_stop_term(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(stop_terms); i++)
		if (strlen(stop_terms[i]) == n &&
		    memcmp(stop_terms[i], t, n) == 0)
			return 1;
	return 0;
}

double isg__locate_term_weight(size_t tf, size_t df, size_t nfiles)
{
	if (df == 0 || df * 2 > nfiles + 1)
		return 0.0;
	return (1.0 + log((double)tf)) * log(1.0 + (double)nfiles / (double)df);
}

static int cmp_term(const void *a, const void *b)
{
	double x = ((const term *)a)->weight, y = ((const term *)b)->weight;

	return x < y   ? 1
	       : x > y ? -1
	               : strcmp(((const term *)a)->text,
	                        ((const term *)b)->text);
}

/* Counts the distinct tokens of `toks` (space-separated, split in place)
 * that are not stop terms, at most 4000, in *terms (grown as needed) with
 * their frequency; `seen` maps a token to its index. */
static int count_terms(char *toks, isg__strmap *seen, term **terms,
                       size_t *nterms)
{
	size_t cap = 0;
	char *p;

	for (p = toks; *p;) {
		char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		long idx;

		if (sp)
			*sp = '\0';
		if (n >= 2 && !isg__locate_is_stop_term(p, n)) {
			idx = isg__strmap_get(seen, p);
			if (idx >= 0) {
				(*terms)[idx].tf++;
			} else if (*nterms < 4000) {
				if (*nterms == cap) {
					size_t nc = cap ? cap * 2 : 64;
					term *nt = isg__alloc_realloc(
					        *terms, nc * sizeof(*nt));

					if (!nt)
						return isg__error_oom(MODULE);
					*terms = nt;
					cap = nc;
				}
				(*terms)[*nterms].text = p;
				(*terms)[*nterms].tf = 1;
				isg__strmap_put(seen, p, (long)*nterms);
				(*nterms)++;
			}
		}
		p += n + (sp ? 1 : 0);
	}
	return ISG_OK;
}

int isg__locate_terms(isg__lctx *c)
{
	isg_buf toks = ISG_BUF_INIT, q = ISG_BUF_INIT;
	term *terms = NULL;
	size_t nterms = 0, i;
	isg__strmap seen;
	int rc;

	memset(&seen, 0, sizeof(seen));
	rc = isg__repo_tokens(&toks, c->text, c->len, NULL);
	if (rc != ISG_OK || !toks.ptr)
		goto done;
	rc = isg__strmap_init(&seen, 4096);
	if (rc != ISG_OK)
		goto done;
	rc = count_terms(toks.ptr, &seen, &terms, &nterms);
	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < nterms; i++) {
		rc = isg__repo_db_df(c->repo, terms[i].text, &terms[i].df);
		if (rc != ISG_OK)
			goto done;
		terms[i].weight = isg__locate_term_weight(
		        terms[i].tf, terms[i].df, c->repo->nfiles);
	}
	/* Keep the words for directory mentions (resolve). */
	rc = isg__strmap_init(&c->words, nterms);
	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < nterms; i++)
		isg__strmap_put(&c->words, terms[i].text, 1);
	if (nterms)
		qsort(terms, nterms, sizeof(*terms), cmp_term);
	for (i = 0; i < nterms && c->nterms < MAX_QUERY_TERMS; i++) {
		if (terms[i].weight <= 0.0)
			break;
		if ((rc = isg__buf_printf(&q, "%s\"%s\"", q.size ? " OR " : "",
		                          terms[i].text)) != ISG_OK)
			goto done;
		c->terms[c->nterms] =
		        isg__arena_strdup(&c->res->arena, terms[i].text);
		if (!c->terms[c->nterms]) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		c->nterms++;
	}
	if (q.size)
		rc = isg__repo_db_bm25(c->repo, q.ptr, c->bm25);
	if (rc == ISG_OK && q.size)
		rc = isg__repo_db_spans(c->repo, q.ptr, c->span, c->span_line,
		                        &c->span_hits);
	/* Past commits are matched with the same terms (words found in no
	 * file added as well measured no better). */
	if (rc == ISG_OK && q.size && !c->no_history)
		rc = isg__repo_db_history(c->repo, q.ptr, c->hist);
	if (rc == ISG_OK) {
		isg__buf_clear(&q);
		rc = isg__locate_literal_query(&q, c->text, c->len);
	}
	if (rc == ISG_OK && q.size)
		rc = isg__repo_db_literals(c->repo, q.ptr, c->lit);
done:
	isg__strmap_free(&seen);
	isg__alloc_free(terms);
	/* The words map borrows the token buffer: the context keeps it. */
	c->words_buf = toks;
	isg_buf_dispose(&q);
	return rc;
}
