/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate definitions: one ranked list of the definitions (functions,
 * methods, classes, types) a fix is likely to edit, across the best files
 * of the change list. Each is named as LocAgent names it,
 * `path:Class.method` or `path:function`; what a nested function holds
 * belongs to its outermost function or method. A definition scores by its
 * file's score, the BM25 of the chunks it spans, the issue naming it, a
 * stack-trace frame inside it and query terms in its name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

/* One candidate: the definition `def` (index into repo->defs) of file
 * `file`, its region [line, end) and its score parts. */
typedef struct cand {
	size_t def, file, frank;
	unsigned int line, end;
	double file_n, chunk, ment, frame, term, score;
	double chunk_rank; /* RANK_K / (RANK_K + rank of chunk), 0 if none */
} cand;

typedef struct cands {
	cand *items;
	size_t len, cap;
} cands;

static int function_like(const char *kind)
{
	return strcmp(kind, "function") == 0 || strcmp(kind, "method") == 0;
}

/* Kinds that are not places a fix edits on their own: a Rust `impl`
 * block (its methods are), a module or namespace. */
static int container_kind(const char *kind)
{
	return strcmp(kind, "impl") == 0 || strcmp(kind, "module") == 0;
}

/* 1 when definition d's qualified name (parent.name) equals q. */
static int qual_equals(const isg__rdef *d, const char *q)
{
	size_t pn = strlen(d->parent), nn = strlen(d->name);

	if (!pn)
		return strcmp(d->name, q) == 0;
	return strncmp(q, d->parent, pn) == 0 && q[pn] == '.' &&
	       strncmp(q + pn + 1, d->name, nn) == 0 && q[pn + 1 + nn] == '\0';
}

/* ent[j] (for the file's definitions j) receives the index of the
 * definition whose entity j belongs to: itself, or the outermost function
 * or method enclosing it; SIZE_MAX for containers. */
static void entities(const isg_repo *r, const isg__rfile *f, size_t *ent)
{
	size_t j, k;

	for (j = 0; j < f->def_count; j++) {
		const isg__rdef *d = &r->defs[f->def_start + j];

		ent[j] = j;
		if (d->parent[0]) {
			for (k = j; k-- > 0;) {
				const isg__rdef *p = &r->defs[f->def_start + k];

				if (!qual_equals(p, d->parent))
					continue;
				if (ent[k] != SIZE_MAX &&
				    (ent[k] != k || function_like(p->kind)))
					ent[j] = ent[k];
				break;
			}
		}
		if (ent[j] == j && container_kind(d->kind))
			ent[j] = SIZE_MAX;
	}
}

/* The first line of the chunk holding `line` (repo_chunk.c's rule: a
 * chunk starts at line 1 and at each definition line once the chunk has
 * ISG__CHUNK_MIN_LINES lines). Definitions are in line order. */
static unsigned int chunk_start(const isg_repo *r, const isg__rfile *f,
                                unsigned int line)
{
	unsigned int start = 1;
	size_t j;

	for (j = 0; j < f->def_count; j++) {
		unsigned int l = r->defs[f->def_start + j].line;

		if (l > line)
			break;
		if (l > 1 && l - start >= ISG__CHUNK_MIN_LINES)
			start = l;
	}
	return start;
}

/* The best chunk score of the region [line, end) of file `file`. */
static double chunk_score(const isg__lctx *c, const isg__rfile *f, size_t file,
                          unsigned int line, unsigned int end)
{
	unsigned int first = chunk_start(c->repo, f, line);
	double best = 0.0;
	size_t i;

	for (i = 0; i < c->span_hits.len; i++) {
		const isg__span_hit *h = &c->span_hits.items[i];

		if (h->file == file && h->line >= first && h->line < end &&
		    h->score > best)
			best = h->score;
	}
	return best;
}

typedef struct term_probe {
	const isg__lctx *c;
	int hit;
} term_probe;

static int probe(const char *tok, size_t len, void *payload)
{
	term_probe *p = payload;
	size_t i;

	for (i = 0; i < p->c->nterms && !p->hit; i++)
		if (len >= 3 && strlen(p->c->terms[i]) == len &&
		    memcmp(p->c->terms[i], tok, len) == 0)
			p->hit = 1;
	return ISG_OK;
}

/* The issue naming the definition (its name, or for a method its
 * class at half strength). */
static double mention_of(const isg__lctx *c, const isg__rdef *d)
{
	long m = isg__strmap_get(&c->idents, d->name);
	double w = 0.0;
	const char *cls;

	if (m >= 0)
		w = c->mentions.items[m].weight *
		    isg__locate_distinct_factor(d->name);
	cls = strrchr(d->parent, '.');
	cls = cls ? cls + 1 : d->parent;
	if (cls[0] && (m = isg__strmap_get(&c->idents, cls)) >= 0)
		w += 0.5 * c->mentions.items[m].weight *
		     isg__locate_distinct_factor(cls);
	return w;
}

/* 1 (1.25 for the innermost frame) when a stack-trace frame of the issue
 * falls inside [line, end) of `path`. */
static double frame_in(const isg__lctx *c, const char *path, unsigned int line,
                       unsigned int end)
{
	double best = 0.0;
	size_t i;

	for (i = 0; i < c->mentions.len; i++) {
		const isg__mention *m = &c->mentions.items[i];

		if (m->type != ISG__M_FRAME || !m->line || m->line < line ||
		    m->line >= end || !isg__locate_path_names(m->text, path))
			continue;
		if (best < ((long)i == c->last_frame ? 1.25 : 1.0))
			best = (long)i == c->last_frame ? 1.25 : 1.0;
	}
	return best;
}

static int push(cands *v, const cand *x)
{
	if (v->len == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 128;
		cand *ni = isg__alloc_realloc(v->items, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		v->items = ni;
		v->cap = nc;
	}
	v->items[v->len++] = *x;
	return ISG_OK;
}

/* Adds the entities of file `file` (rank `frank` in the change list). */
static int file_candidates(isg__lctx *c, cands *v, size_t file, size_t frank,
                           double file_n)
{
	const isg_repo *r = c->repo;
	const isg__rfile *f = &r->files[file];
	size_t *ent, j, k;
	int rc = ISG_OK;

	if (!f->def_count)
		return ISG_OK;
	ent = isg__alloc_calloc(f->def_count, sizeof(*ent));
	if (!ent)
		return isg__error_oom(MODULE);
	entities(r, f, ent);
	for (j = 0; j < f->def_count && rc == ISG_OK; j++) {
		const isg__rdef *d = &r->defs[f->def_start + j];
		term_probe tp = { c, 0 };
		cand x;

		if (ent[j] != j)
			continue;
		memset(&x, 0, sizeof(x));
		x.def = f->def_start + j;
		x.file = file;
		x.frank = frank;
		x.line = d->line;
		x.end = (unsigned int)-1;
		for (k = j + 1; k < f->def_count; k++)
			if (ent[k] == k &&
			    r->defs[f->def_start + k].line > d->line) {
				x.end = r->defs[f->def_start + k].line;
				break;
			}
		x.file_n = file_n;
		x.chunk = chunk_score(c, f, file, x.line, x.end);
		/* The names of nested functions lead to the entity that
		 * holds them. */
		x.ment = mention_of(c, d);
		for (k = j + 1; k < f->def_count; k++) {
			double m;

			if (ent[k] != j)
				continue;
			m = mention_of(c, &r->defs[f->def_start + k]);
			if (m > x.ment)
				x.ment = m;
		}
		x.frame = frame_in(c, f->path, x.line, x.end);
		isg__repo_split_ident(d->name, strlen(d->name), probe, &tp);
		x.term = tp.hit;
		rc = push(v, &x);
	}
	isg__alloc_free(ent);
	return rc;
}

static int cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->frank != y->frank)
		return x->frank < y->frank ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_chunk(const void *a, const void *b)
{
	double x = (*(const cand *const *)a)->chunk,
	       y = (*(const cand *const *)b)->chunk;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The chunk signal by rank among the candidates, as the file signals
 * are: the best and second best chunk are worth about the same, so that
 * mentions and frames decide between them. */
static int chunk_ranks(cands *v)
{
	cand **order;
	size_t i, r = 0;

	if (!v->len)
		return ISG_OK;
	order = isg__alloc_calloc(v->len, sizeof(*order));
	if (!order)
		return isg__error_oom(MODULE);
	for (i = 0; i < v->len; i++)
		order[i] = &v->items[i];
	qsort(order, v->len, sizeof(*order), cmp_chunk);
	for (i = 0; i < v->len; i++) {
		if (i && order[i]->chunk != order[i - 1]->chunk)
			r = i;
		order[i]->chunk_rank =
		        order[i]->chunk > 0.0
		                ? DEF_RANK_K / (DEF_RANK_K + (double)r)
		                : 0.0;
	}
	isg__alloc_free(order);
	return ISG_OK;
}

/* "path:Parent.name" in the result's arena. */
static const char *entity_name(isg__lctx *c, const isg__rfile *f,
                               const isg__rdef *d)
{
	isg_buf b = ISG_BUF_INIT;
	const char *out = NULL;

	if (isg__buf_printf(&b, "%s:%s%s%s", f->path, d->parent,
	                    d->parent[0] ? "." : "", d->name) == ISG_OK)
		out = isg__arena_strdup(&c->res->arena, b.ptr);
	isg_buf_dispose(&b);
	return out;
}

int isg__locate_definitions(isg__lctx *c, const isg__lranked *rk, size_t n)
{
	const isg_repo *r = c->repo;
	cands v = { NULL, 0, 0 };
	size_t i, nf = n < DEF_FILES ? n : DEF_FILES, keep;
	int rc = ISG_OK;

	for (i = 0; i < nf && rc == ISG_OK; i++)
		rc = file_candidates(
		        c, &v, rk[i].file, i,
		        rk[0].score > 0.0 ? rk[i].score / rk[0].score : 0.0);
	if (rc == ISG_OK)
		rc = chunk_ranks(&v);
	for (i = 0; i < v.len; i++) {
		cand *x = &v.items[i];

		double own = W_DCHUNK * x->chunk_rank + W_DMENT * x->ment +
		             W_DFRAME * x->frame + W_DTERM * x->term;

		/* A class's own chunk is its header and docstring: fixes
		 * edit its methods far more often. */
		if (!function_like(r->defs[x->def].kind))
			own *= W_DTYPE;
		x->score = W_DFILE * x->file_n + own;
	}
	if (rc == ISG_OK && v.len)
		qsort(v.items, v.len, sizeof(cand), cmp_cand);
	keep = v.len < DEF_MAX ? v.len : DEF_MAX;
	if (rc == ISG_OK && keep) {
		c->res->defs = isg__arena_alloc(&c->res->arena,
		                                keep * sizeof(isg__ldef));
		if (!c->res->defs)
			rc = isg__error_oom(MODULE);
	}
	for (i = 0; rc == ISG_OK && i < keep; i++) {
		const cand *x = &v.items[i];
		const isg__rdef *d = &r->defs[x->def];
		isg__ldef *o = &c->res->defs[i];

		o->name = entity_name(c, &r->files[x->file], d);
		o->path = isg__arena_strdup(&c->res->arena,
		                            r->files[x->file].path);
		o->kind = isg__arena_strdup(&c->res->arena, d->kind);
		o->line = d->line;
		o->score = x->score;
		if (!o->name || !o->path || !o->kind)
			rc = isg__error_oom(MODULE);
		else
			c->res->ndefs++;
	}
	isg__alloc_free(v.items);
	return rc;
}

/* ---- accessors ---- */

static const isg__ldef *def_at(const isg_locate_result *r, size_t i)
{
	return r && i < r->ndefs ? &r->defs[i] : NULL;
}

size_t isg_locate_result_definition_count(const isg_locate_result *result)
{
	return result ? result->ndefs : 0;
}

const char *isg_locate_result_definition(const isg_locate_result *result,
                                         size_t i)
{
	const isg__ldef *d = def_at(result, i);

	return d ? d->name : NULL;
}

const char *isg_locate_result_definition_path(const isg_locate_result *result,
                                              size_t i)
{
	const isg__ldef *d = def_at(result, i);

	return d ? d->path : NULL;
}

const char *isg_locate_result_definition_kind(const isg_locate_result *result,
                                              size_t i)
{
	const isg__ldef *d = def_at(result, i);

	return d ? d->kind : NULL;
}

unsigned int isg_locate_result_definition_line(const isg_locate_result *result,
                                               size_t i)
{
	const isg__ldef *d = def_at(result, i);

	return d ? d->line : 0;
}

double isg_locate_result_definition_score(const isg_locate_result *result,
                                          size_t i)
{
	const isg__ldef *d = def_at(result, i);

	return d ? d->score : 0.0;
}
