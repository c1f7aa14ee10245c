/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate rank: the ranking of one isg_locate_run() call, stage by stage: query
 * terms and mentions, text scores, mention scores, the import-graph step,
 * then the top files of each list with their reasons and symbols.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

static const char *const noncode_langs[] = { "text", "json", "yaml", "toml",
	                                     "ini",  "xml",  "html", "css" };

static int cmp_reason(const void *a, const void *b)
{
	double x = ((const isg__lreason *)a)->weight,
	       y = ((const isg__lreason *)b)->weight;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int minor_language(const isg_repo *r, const char *lang)
{
	size_t i;

	for (i = 0; i < r->nlangs; i++)
		if (strcmp(r->lang_names[i], lang) == 0)
			return r->lang_files[i] * 10 < r->nfiles;
	return 1;
}

typedef isg__lranked ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->file < y->file ? -1 : x->file > y->file;
}

/* Symbols whose name shares a query term, after the mentioned ones. */
typedef struct sym_probe {
	const isg__lctx *c;
	int hit;
} sym_probe;

static int probe_term(const char *tok, size_t len, void *payload)
{
	sym_probe *p = payload;
	size_t i;

	for (i = 0; i < p->c->nterms && !p->hit; i++)
		if (strlen(p->c->terms[i]) == len && len >= 3 &&
		    memcmp(p->c->terms[i], tok, len) == 0)
			p->hit = 1;
	return ISG_OK;
}

static void term_symbols(isg__lctx *c, size_t f, isg__lentry *e)
{
	const isg__rfile *file = &c->repo->files[f];
	size_t j;

	for (j = 0; j < file->def_count && e->nsyms < 6; j++) {
		const isg__rdef *d = &c->repo->defs[file->def_start + j];
		sym_probe p = { c, 0 };

		isg__repo_split_ident(d->name, strlen(d->name), probe_term, &p);
		if (p.hit)
			isg__locate_entry_symbol(c, e, d->name, d->line);
	}
}

static int list_of(const isg__rfile *f)
{
	return f->role == ISG__ROLE_SOURCE ? ISG_LOCATE_CHANGE
	                                   : ISG_LOCATE_READ;
}

/* Fills out[f], for the files of `list`, with the rank-based value
 * RANK_K / (RANK_K + rank) of signal v (rank 0 is the best file of the
 * list; ties share the better rank; 0 when v is 0). Ranks count within
 * the list, so that docs and tests matching the issue do not push the
 * source files down. `scratch` holds nfiles entries. */
static void normalise(const isg_repo *repo, const double *v, double *out,
                      ranked *scratch, int list)
{
	size_t i, n = 0, r, nf = repo->nfiles;

	for (i = 0; i < nf; i++) {
		if (list_of(&repo->files[i]) != list)
			continue;
		out[i] = 0.0;
		if (v[i] > 0.0) {
			scratch[n].file = i;
			scratch[n++].score = v[i];
		}
	}
	if (!n)
		return;
	qsort(scratch, n, sizeof(ranked), cmp_ranked);
	for (i = 0, r = 0; i < n; i++) {
		if (i && scratch[i].score != scratch[i - 1].score)
			r = i;
		out[scratch[i].file] = RANK_K / (RANK_K + (double)r);
	}
}

static int fill_list(isg__lctx *c, int list, ranked *rk, size_t n,
                     double best_bm25)
{
	size_t i, k = n < c->top[list] ? n : c->top[list];
	isg_locate_result *res = c->res;

	res->list[list] = isg__arena_alloc(&res->arena,
	                                   (k ? k : 1) * sizeof(isg__lentry));
	if (!res->list[list])
		return isg__error_oom(MODULE);
	for (i = 0; i < k; i++) {
		isg__lentry *e = &res->list[list][i];
		size_t f = rk[i].file;

		e->path =
		        isg__arena_strdup(&res->arena, c->repo->files[f].path);
		e->role = isg__repo_role_name(c->repo->files[f].role);
		e->score = rk[i].score;
		if (!e->path)
			return isg__error_oom(MODULE);
		isg__locate_score_file(c, f, e);
		isg__locate_text_score(c, f, e);
		if (c->bm25[f] > 0.0 && best_bm25 > 0.0)
			isg__locate_entry_reason(
			        c, e, c->bm25[f] / best_bm25,
			        "text similarity to the issue (BM25 %.2f of the best)",
			        c->bm25[f] / best_bm25);
		if (c->hist_n[f] > 0.0)
			isg__locate_entry_reason(
			        c, e, W_HIST * c->hist_n[f],
			        "changed by past commits whose messages resemble the issue");
		if (c->neigh[f])
			isg__locate_entry_reason(
			        c, e, W_NEIGH * c->bm25_n[f],
			        "imports or is imported by `%s` (ranked first or second)",
			        c->repo->files[c->neigh[f] - 1].path);
		term_symbols(c, f, e);
		qsort(e->reasons, e->nreasons, sizeof(e->reasons[0]),
		      cmp_reason);
		res->n[list]++;
	}
	return c->oom ? isg__error_oom(MODULE) : ISG_OK;
}

/* Stage 1: the result and the mentions. */
static int run_mentions(isg__lctx *c)
{
	c->res = isg__alloc_calloc(1, sizeof(*c->res));
	if (!c->res)
		return isg__error_oom(MODULE);
	return isg__locate_mentions(&c->mentions, c->text, c->len);
}

/* Stage 2: the per-mention and per-file arrays, and the two rankings. */
static int run_allocate(isg__lctx *c, ranked **rk)
{
	size_t nf = c->repo->nfiles, nm;

	nm = c->mentions.len ? c->mentions.len : 1;
	c->hits = isg__alloc_calloc(nm, sizeof(size_t));
	c->def_files = isg__alloc_calloc(nm, sizeof(size_t));
	c->stem_files = isg__alloc_calloc(nm, sizeof(size_t));
	c->last_file = isg__alloc_calloc(nm, sizeof(size_t));
	c->mod_len = isg__alloc_calloc(nm, sizeof(int));
	c->is_pkg = isg__alloc_calloc(nm, sizeof(int));
	c->pkg = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->bm25 = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->span = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->lit = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->span_line = isg__alloc_calloc(nf ? nf : 1, sizeof(unsigned int));
	c->bm25_n = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->span_n = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->lit_n = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->neigh = isg__alloc_calloc(nf ? nf : 1, sizeof(size_t));
	c->hist = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	c->hist_n = isg__alloc_calloc(nf ? nf : 1, sizeof(double));
	rk[0] = isg__alloc_calloc(nf ? nf : 1, sizeof(ranked));
	rk[1] = isg__alloc_calloc(nf ? nf : 1, sizeof(ranked));
	c->res->mentions =
	        isg__arena_alloc(&c->res->arena, nm * sizeof(const char *));
	if (!c->hits || !c->def_files || !c->stem_files || !c->last_file ||
	    !c->mod_len || !c->is_pkg || !c->pkg || !c->bm25 || !c->span ||
	    !c->lit || !c->span_line || !c->bm25_n || !c->span_n || !c->lit_n ||
	    !c->neigh || !c->hist || !c->hist_n || !rk[0] || !rk[1] ||
	    !c->res->mentions)
		return isg__error_oom(MODULE);
	return ISG_OK;
}

/* Stage 3: the mentions, copied into the result. */
static int run_keep_mentions(isg__lctx *c)
{
	size_t i;

	for (i = 0; i < c->mentions.len; i++) {
		c->res->mentions[i] = isg__arena_strdup(
		        &c->res->arena, c->mentions.items[i].text);
		if (!c->res->mentions[i])
			return isg__error_oom(MODULE);
		c->res->nmentions++;
	}
	return ISG_OK;
}

/* Stage 4: the query terms and their BM25 scores over the whole files,
 * chunks and literals, the files the mentions resolve to, and each text
 * score normalised to its rank; `scratch` has room for every file. */
static int run_text_scores(isg__lctx *c, ranked *scratch)
{
	const isg_repo *r = c->repo;
	size_t i;
	int rc;

	/* The BM25 query does not read environment dumps: `python-bits`,
	 * `LC_ALL` and forty package names match the project's
	 * version-printing module, never the bug. (Blanking template comments
	 * and URLs as well measured worse: their words are often the
	 * project's own vocabulary.) */
	c->clean = isg__alloc_malloc(c->len ? c->len : 1);
	if (!c->clean)
		return isg__error_oom(MODULE);
	memcpy(c->clean, c->text, c->len);
	isg__locate_blank_dumps(c->clean, c->len);
	c->text = c->clean;
	if ((rc = isg__locate_terms(c)) != ISG_OK ||
	    (rc = isg__locate_resolve(c)) != ISG_OK)
		return rc;
	for (i = 0; i < r->nfiles; i++) {
		if (c->bm25[i] > c->best_bm25)
			c->best_bm25 = c->bm25[i];
		if (c->span[i] > c->best_span)
			c->best_span = c->span[i];
		if (c->lit[i] > c->best_lit)
			c->best_lit = c->lit[i];
	}
	for (i = 0; i < 2; i++) {
		normalise(r, c->bm25, c->bm25_n, scratch, (int)i);
		normalise(r, c->span, c->span_n, scratch, (int)i);
		normalise(r, c->lit, c->lit_n, scratch, (int)i);
		normalise(r, c->hist, c->hist_n, scratch, (int)i);
	}
	return ISG_OK;
}

/* Stage 5: each file's score (text, package credit and mentions, with
 * the penalties of data files and minor languages) into the ranking of
 * its list. */
static void run_score_files(isg__lctx *c, ranked **rk, size_t *n)
{
	const isg_repo *r = c->repo;
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		const isg__rfile *f = &r->files[i];
		int list = list_of(f);
		double mention = isg__locate_score_file(c, i, NULL);
		double text = W_BM25 * c->bm25_n[i] +
		              isg__locate_text_score(c, i, NULL);
		/* Inside a package or directory the issue names, a file earns
		 * up to W_PKG more in proportion to its own text match: the
		 * credit for `astropy.timeseries` goes to the module of it
		 * that matches, not to its __init__. */
		double s =
		        text +
		        W_PKG * c->pkg[i] * text / (W_BM25 + W_SPAN + W_LIT) +
		        mention + W_HIST * c->hist_n[i];
		size_t k;

		if (s <= 0.0)
			continue;
		/* Data and markup files rarely hold the fix unless the
		 * issue names them. */
		for (k = 0; k < ISG__ARRAY_SIZE(noncode_langs); k++)
			if (strcmp(f->lang, noncode_langs[k]) == 0 &&
			    mention < 1.0)
				s *= NONCODE_FACTOR;
		/* A file in a minor language of the repository (the
		 * JavaScript of a Python project's theme) is rarely where
		 * a fix goes unless the issue names it. */
		if (mention < 1.0 && minor_language(r, f->lang))
			s *= MINOR_LANG_FACTOR;
		rk[list][n[list]].file = i;
		rk[list][n[list]].score = s;
		n[list]++;
	}
}

/* Stage 6: sorts each list, applies the import-graph step to the change
 * list and fills the result's entries. */
static int run_rank(isg__lctx *c, ranked **rk, const size_t *n)
{
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		if (n[i])
			qsort(rk[i], n[i], sizeof(ranked), cmp_ranked);
		if (i == ISG_LOCATE_CHANGE &&
		    (rc = isg__locate_neighbours(c, rk[i], n[i])) != ISG_OK)
			return rc;
		if ((rc = fill_list(c, (int)i, rk[i], n[i], c->best_bm25)) !=
		    ISG_OK)
			return rc;
		if (i == ISG_LOCATE_CHANGE &&
		    (rc = isg__locate_definitions(c, rk[i], n[i])) != ISG_OK)
			return rc;
	}
	return ISG_OK;
}

int isg__locate_run(isg__lctx *c)
{
	size_t n[2] = { 0, 0 };
	ranked *rk[2] = { NULL, NULL };
	int rc;

	if ((rc = run_mentions(c)) != ISG_OK)
		return rc;
	if ((rc = run_allocate(c, rk)) != ISG_OK ||
	    (rc = run_keep_mentions(c)) != ISG_OK)
		goto done;
	if (c->repo->nfiles == 0)
		goto done; /* an empty repository: two empty lists */
	if ((rc = run_text_scores(c, rk[0])) != ISG_OK)
		goto done;
	run_score_files(c, rk, n);
	rc = run_rank(c, rk, n);
done:
	isg__alloc_free(rk[0]);
	isg__alloc_free(rk[1]);
	if (rc == ISG_OK && !c->res->list[0]) {
		c->res->list[0] =
		        isg__arena_alloc(&c->res->arena, sizeof(isg__lentry));
		c->res->list[1] =
		        isg__arena_alloc(&c->res->arena, sizeof(isg__lentry));
		if (!c->res->list[0] || !c->res->list[1])
			rc = isg__error_oom(MODULE);
	}
	return rc;
}

void isg__locate_ctx_free(isg__lctx *c)
{
	isg__locate_mentions_free(&c->mentions);
	isg__alloc_free(c->hits);
	isg__alloc_free(c->def_files);
	isg__alloc_free(c->stem_files);
	isg__alloc_free(c->last_file);
	isg__alloc_free(c->mod_len);
	isg__alloc_free(c->is_pkg);
	isg__alloc_free(c->pkg);
	isg__strmap_free(&c->words);
	isg_buf_dispose(&c->words_buf);
	isg__alloc_free(c->bm25);
	isg__alloc_free(c->span);
	isg__alloc_free(c->lit);
	isg__alloc_free(c->span_line);
	isg__alloc_free(c->bm25_n);
	isg__alloc_free(c->clean);
	isg__alloc_free(c->span_n);
	isg__alloc_free(c->lit_n);
	isg__alloc_free(c->neigh);
	isg__alloc_free(c->hist);
	isg__alloc_free(c->hist_n);
	isg__alloc_free(c->span_hits.items);
	isg__strmap_free(&c->idents);
	isg__strmap_free(&c->lidents);
	isg_locate_result_free(c->res);
	c->res = NULL;
}
