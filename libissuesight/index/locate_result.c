/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate result: runs the ranking steps of one isg_locate() call, keeps
 * the top files of each list with their reasons and symbols, and serves
 * the result's accessors and its JSON form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

static const char *const noncode_langs[] = { "text", "json", "yaml", "toml",
	                                     "ini",  "xml",  "html", "css" };

void isg__lentry_reason(isg__lctx *c, isg__lentry *e, double w, const char *fmt,
                        ...)
{
	char tmp[400];
	size_t i, slot = e->nreasons;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	for (i = 0; i < e->nreasons; i++)
		if (strcmp(e->reasons[i].text, tmp) == 0)
			return;
	if (slot >= ISG__ARRAY_SIZE(e->reasons)) {
		/* Full: replace the weakest when this one is stronger. */
		size_t weakest = 0;

		for (i = 1; i < e->nreasons; i++)
			if (e->reasons[i].weight < e->reasons[weakest].weight)
				weakest = i;
		if (e->reasons[weakest].weight >= w)
			return;
		slot = weakest;
	} else {
		e->nreasons++;
	}
	e->reasons[slot].weight = w;
	e->reasons[slot].text = isg__arena_strdup(&c->res->arena, tmp);
	if (!e->reasons[slot].text) {
		c->oom = 1;
		e->reasons[slot].text = "";
	}
}

void isg__lentry_symbol(isg__lctx *c, isg__lentry *e, const char *name,
                        unsigned int line)
{
	size_t i;

	for (i = 0; i < e->nsyms; i++)
		if (e->syms[i].line == line &&
		    strcmp(e->syms[i].name, name) == 0)
			return;
	if (e->nsyms >= ISG__ARRAY_SIZE(e->syms))
		return;
	e->syms[e->nsyms].name = isg__arena_strdup(&c->res->arena, name);
	e->syms[e->nsyms].line = line;
	e->syms[e->nsyms].mentioned = isg__smap_get(&c->idents, name) >= 0;
	if (!e->syms[e->nsyms].name)
		c->oom = 1;
	else
		e->nsyms++;
}

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
			isg__lentry_symbol(c, e, d->name, d->line);
	}
}

/* The chunk and literal parts of file f's score; with `e` it also records
 * their reasons and the symbol of the best chunk. */
double isg__locate_text_score(isg__lctx *c, size_t f, isg__lentry *e)
{
	const isg_repo *r = c->repo;
	double total = 0.0, w;

	if (c->best_span > 0.0 && c->span[f] > 0.0) {
		w = W_SPAN * c->span_n[f];
		total += w;
		if (e) {
			const isg__rfile *file = &r->files[f];
			const char *name = NULL;
			unsigned int dl = 0;
			size_t j;

			for (j = 0; j < file->def_count; j++) {
				const isg__rdef *d =
				        &r->defs[file->def_start + j];

				if (d->line == c->span_line[f]) {
					name = d->name;
					dl = d->line;
					break;
				}
			}
			if (name) {
				isg__lentry_reason(
				        c, e, w,
				        "`%s` (line %u) matches the issue "
				        "text (%.2f of the best "
				        "definition)",
				        name, dl, c->span[f] / c->best_span);
				isg__lentry_symbol(c, e, name, dl);
			}
		}
	}
	if (c->best_lit > 0.0 && c->lit[f] > 0.0) {
		w = W_LIT * c->lit_n[f];
		total += w;
		if (e)
			isg__lentry_reason(
			        c, e, w,
			        "its string literals match text quoted "
			        "in the issue (%.2f of the best)",
			        c->lit[f] / c->best_lit);
	}
	return total;
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
			isg__lentry_reason(c, e, c->bm25[f] / best_bm25,
			                   "text similarity to the issue (BM25 "
			                   "%.2f of the best)",
			                   c->bm25[f] / best_bm25);
		if (c->neigh[f])
			isg__lentry_reason(
			        c, e, W_NEIGH * c->bm25_n[f],
			        "imports or is imported by `%s` (ranked first "
			        "or second)",
			        c->repo->files[c->neigh[f] - 1].path);
		term_symbols(c, f, e);
		qsort(e->reasons, e->nreasons, sizeof(e->reasons[0]),
		      cmp_reason);
		res->n[list]++;
	}
	return c->oom ? isg__error_oom(MODULE) : ISG_OK;
}

int isg__locate_run(isg__lctx *c)
{
	const isg_repo *r = c->repo;
	size_t nf = r->nfiles, i, nm, n[2] = { 0, 0 };
	ranked *rk[2] = { NULL, NULL };
	double best = 0.0;
	int rc;

	c->res = isg__calloc(1, sizeof(*c->res));
	if (!c->res)
		return isg__error_oom(MODULE);
	rc = isg__locate_mentions(&c->mentions, c->text, c->len);
	if (rc != ISG_OK)
		return rc;
	nm = c->mentions.len ? c->mentions.len : 1;
	c->hits = isg__calloc(nm, sizeof(size_t));
	c->def_files = isg__calloc(nm, sizeof(size_t));
	c->stem_files = isg__calloc(nm, sizeof(size_t));
	c->last_file = isg__calloc(nm, sizeof(size_t));
	c->mod_len = isg__calloc(nm, sizeof(int));
	c->is_pkg = isg__calloc(nm, sizeof(int));
	c->pkg = isg__calloc(nf ? nf : 1, sizeof(double));
	c->bm25 = isg__calloc(nf ? nf : 1, sizeof(double));
	c->span = isg__calloc(nf ? nf : 1, sizeof(double));
	c->lit = isg__calloc(nf ? nf : 1, sizeof(double));
	c->span_line = isg__calloc(nf ? nf : 1, sizeof(unsigned int));
	c->bm25_n = isg__calloc(nf ? nf : 1, sizeof(double));
	c->span_n = isg__calloc(nf ? nf : 1, sizeof(double));
	c->lit_n = isg__calloc(nf ? nf : 1, sizeof(double));
	c->neigh = isg__calloc(nf ? nf : 1, sizeof(size_t));
	rk[0] = isg__calloc(nf ? nf : 1, sizeof(ranked));
	rk[1] = isg__calloc(nf ? nf : 1, sizeof(ranked));
	c->res->mentions =
	        isg__arena_alloc(&c->res->arena, nm * sizeof(const char *));
	if (!c->hits || !c->def_files || !c->stem_files || !c->last_file ||
	    !c->mod_len || !c->is_pkg || !c->pkg || !c->bm25 || !c->span ||
	    !c->lit || !c->span_line || !c->bm25_n || !c->span_n || !c->lit_n ||
	    !c->neigh || !rk[0] || !rk[1] || !c->res->mentions) {
		rc = isg__error_oom(MODULE);
		goto done;
	}
	for (i = 0; i < c->mentions.len; i++) {
		c->res->mentions[i] = isg__arena_strdup(
		        &c->res->arena, c->mentions.items[i].text);
		if (!c->res->mentions[i]) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		c->res->nmentions++;
	}
	if (nf == 0)
		goto done; /* an empty repository: two empty lists */
	/* The BM25 query does not read environment dumps: `python-bits`,
	 * `LC_ALL` and forty package names match the project's
	 * version-printing module, never the bug. (Blanking template comments
	 * and URLs as well measured worse: their words are often the
	 * project's own vocabulary.) */
	c->clean = isg__malloc(c->len ? c->len : 1);
	if (!c->clean) {
		rc = isg__error_oom(MODULE);
		goto done;
	}
	memcpy(c->clean, c->text, c->len);
	isg__locate_blank_dumps(c->clean, c->len);
	c->text = c->clean;
	if ((rc = isg__locate_terms(c)) != ISG_OK ||
	    (rc = isg__locate_resolve(c)) != ISG_OK)
		goto done;
	for (i = 0; i < nf; i++) {
		if (c->bm25[i] > best)
			best = c->bm25[i];
		if (c->span[i] > c->best_span)
			c->best_span = c->span[i];
		if (c->lit[i] > c->best_lit)
			c->best_lit = c->lit[i];
	}
	c->best_bm25 = best;
	for (i = 0; i < 2; i++) {
		normalise(r, c->bm25, c->bm25_n, rk[0], (int)i);
		normalise(r, c->span, c->span_n, rk[0], (int)i);
		normalise(r, c->lit, c->lit_n, rk[0], (int)i);
	}
	for (i = 0; i < nf; i++) {
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
		        mention;
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
	for (i = 0; i < 2; i++) {
		if (n[i])
			qsort(rk[i], n[i], sizeof(ranked), cmp_ranked);
		if (i == ISG_LOCATE_CHANGE &&
		    (rc = isg__locate_neighbours(c, rk[i], n[i])) != ISG_OK)
			goto done;
		if ((rc = fill_list(c, (int)i, rk[i], n[i], best)) != ISG_OK)
			goto done;
		if (i == ISG_LOCATE_CHANGE &&
		    (rc = isg__locate_definitions(c, rk[i], n[i])) != ISG_OK)
			goto done;
	}
done:
	isg__free(rk[0]);
	isg__free(rk[1]);
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
	isg__free(c->hits);
	isg__free(c->def_files);
	isg__free(c->stem_files);
	isg__free(c->last_file);
	isg__free(c->mod_len);
	isg__free(c->is_pkg);
	isg__free(c->pkg);
	isg__smap_free(&c->words);
	isg_buf_dispose(&c->words_buf);
	isg__free(c->bm25);
	isg__free(c->span);
	isg__free(c->lit);
	isg__free(c->span_line);
	isg__free(c->bm25_n);
	isg__free(c->clean);
	isg__free(c->span_n);
	isg__free(c->lit_n);
	isg__free(c->neigh);
	isg__free(c->span_hits.items);
	isg__smap_free(&c->idents);
	isg__smap_free(&c->lidents);
	isg_locate_result_free(c->res);
	c->res = NULL;
}

void isg_locate_result_free(isg_locate_result *result)
{
	if (!result)
		return;
	isg__arena_free(&result->arena);
	isg__free(result);
}

static const isg__lentry *entry(const isg_locate_result *r, int list, size_t i)
{
	if (!r || (list != ISG_LOCATE_CHANGE && list != ISG_LOCATE_READ) ||
	    i >= r->n[list])
		return NULL;
	return &r->list[list][i];
}

size_t isg_locate_result_count(const isg_locate_result *result, int list)
{
	if (!result || (list != ISG_LOCATE_CHANGE && list != ISG_LOCATE_READ))
		return 0;
	return result->n[list];
}

const char *isg_locate_result_path(const isg_locate_result *result, int list,
                                   size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->path : NULL;
}

double isg_locate_result_score(const isg_locate_result *result, int list,
                               size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->score : 0.0;
}

const char *isg_locate_result_role(const isg_locate_result *result, int list,
                                   size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->role : NULL;
}

size_t isg_locate_result_reason_count(const isg_locate_result *result, int list,
                                      size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->nreasons : 0;
}

const char *isg_locate_result_reason(const isg_locate_result *result, int list,
                                     size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nreasons ? e->reasons[j].text : NULL;
}

size_t isg_locate_result_symbol_count(const isg_locate_result *result, int list,
                                      size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->nsyms : 0;
}

const char *isg_locate_result_symbol_name(const isg_locate_result *result,
                                          int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].name : NULL;
}

unsigned int isg_locate_result_symbol_line(const isg_locate_result *result,
                                           int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].line : 0;
}

int isg_locate_result_symbol_mentioned(const isg_locate_result *result,
                                       int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].mentioned : 0;
}

size_t isg_locate_result_mention_count(const isg_locate_result *result)
{
	return result ? result->nmentions : 0;
}

const char *isg_locate_result_mention(const isg_locate_result *result, size_t i)
{
	return result && i < result->nmentions ? result->mentions[i] : NULL;
}

int isg_locate_result_json(isg_buf *out, const isg_locate_result *result)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, j;
	int rc;

	if (!out || !result)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_locate_result_json: NULL argument");
	rc = isg__buf_puts(&b, "{\"files\": [");
	for (i = 0; rc == ISG_OK && i < result->n[ISG_LOCATE_CHANGE]; i++) {
		const isg__lentry *e = &result->list[ISG_LOCATE_CHANGE][i];

		rc = isg__buf_puts(&b, i ? ", {\"path\": " : "{\"path\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, e->path,
			                              strlen(e->path));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b, ", \"score\": %.4f, \"reasons\": [",
			        e->score);
		for (j = 0; rc == ISG_OK && j < e->nreasons; j++) {
			if (j)
				rc = isg__buf_puts(&b, ", ");
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, e->reasons[j].text,
				        strlen(e->reasons[j].text));
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "], \"symbols\": [");
		for (j = 0; rc == ISG_OK && j < e->nsyms; j++) {
			rc = isg__buf_puts(&b,
			                   j ? ", {\"name\": " : "{\"name\": ");
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, e->syms[j].name,
				        strlen(e->syms[j].name));
			if (rc == ISG_OK)
				rc = isg__buf_printf(&b, ", \"line\": %u}",
				                     e->syms[j].line);
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "], \"definitions\": [");
	for (i = 0; rc == ISG_OK && i < result->ndefs; i++) {
		const isg__ldef *d = &result->defs[i];

		rc = isg__buf_puts(&b, i ? ", {\"name\": " : "{\"name\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, d->name,
			                              strlen(d->name));
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, ", \"path\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, d->path,
			                              strlen(d->path));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b,
			        ", \"kind\": \"%s\", \"line\": %u, "
			        "\"score\": %.4f}",
			        d->kind, d->line, d->score);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "]}");
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
	isg_buf_dispose(&b);
	return rc == ISG_OK ? ISG_OK : isg__error_oom(MODULE);
}
