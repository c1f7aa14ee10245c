/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate score: the score of one file: its text score (BM25 ranks of the
 * whole file, its best definition chunk and its string literals) and its
 * mention score (frames, paths, module paths, defined identifiers, file
 * names the issue names), each with the reasons shown to the reader.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

static const char *def_at_line(const isg_repo *r, const isg__rfile *f,
                               unsigned int line, unsigned int *def_line)
{
	const char *best = NULL;
	size_t j;

	for (j = 0; j < f->def_count; j++) {
		const isg__rdef *d = &r->defs[f->def_start + j];

		if (d->line <= line) {
			best = d->name;
			*def_line = d->line;
		}
	}
	return best;
}

/* How much a name says on its own: `remove_column` or `TimeSeries` point
 * at one place; a plain word such as `index` or `run` is defined all over
 * and is often just English. */
double isg__locate_distinct_factor(const char *name)
{
	const char *p;
	int lower = 0;

	for (p = name; *p; p++) {
		if (*p == '_' && p != name && p[1])
			return 1.0;
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z' && lower)
			return 1.0;
	}
	return name[0] >= 'A' && name[0] <= 'Z' ? 0.6 : 0.35;
}

static double kind_factor(const char *kind)
{
	if (strcmp(kind, "class") == 0 || strcmp(kind, "struct") == 0 ||
	    strcmp(kind, "interface") == 0 || strcmp(kind, "trait") == 0 ||
	    strcmp(kind, "enum") == 0 || strcmp(kind, "type") == 0)
		return 1.2;
	if (strcmp(kind, "function") == 0)
		return 1.0;
	return 0.8;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* A path or stack-trace frame mention `i` naming `file`: adds its weight
 * to *total (and its reason and symbol to `e`). */
static void score_path_mention(isg__lctx *c, const isg__rfile *file,
                               isg__lentry *e, size_t i, double *total)
{
	const isg__mention *mn = &c->mentions.items[i];
	double w;

	if (mn->type == ISG__M_FRAME) {
		w = (W_FRAME +
		     ((long)i == c->last_frame ? W_FRAME_LAST : 0.0)) /
		    (double)c->hits[i];
		*total += w;
		if (e) {
			unsigned int dl = 0;
			const char *fn = mn->line ? def_at_line(c->repo, file,
			                                        mn->line, &dl)
			                          : NULL;

			isg__locate_entry_reason(
			        c, e, w, "stack trace frame `%s:%u`%s%s%s",
			        file->path, mn->line, fn ? " in `" : "",
			        fn ? fn : "", fn ? "`" : "");
			if (fn)
				isg__locate_entry_symbol(c, e, fn, dl);
		}
		return;
	}
	w = W_PATH * mn->weight / (double)c->hits[i];
	*total += w;
	if (e)
		isg__locate_entry_reason(
		        c, e, w,
		        strchr(mn->text, '/')
		                ? "path `%s` mentioned in the issue"
		                : "file name `%s` mentioned in the issue",
		        mn->text);
}

/* The mentions that resolve to `file`: paths, frames, module paths. */
static void score_mentions(isg__lctx *c, const isg__rfile *file, isg__lentry *e,
                           double *total)
{
	size_t i;

	for (i = 0; i < c->mentions.len; i++) {
		const isg__mention *mn = &c->mentions.items[i];
		double w;

		if (!c->hits[i])
			continue;
		if (mn->type == ISG__M_PATH || mn->type == ISG__M_FRAME) {
			if (isg__locate_path_names(mn->text, file->path))
				score_path_mention(c, file, e, i, total);
		} else if (mn->type == ISG__M_MODULE && c->mod_len[i]) {
			char cand[512];

			isg__locate_module_cand(cand, sizeof(cand), mn->text,
			                        c->mod_len[i]);
			if (!isg__locate_stem_names(file->stem_path, cand))
				continue;
			/* A package's __init__ shares the credit with the
			 * modules inside it (see c->pkg). */
			w = W_MODULE * mn->weight / (double)c->hits[i] *
			    (c->is_pkg[i] ? 0.5 : 1.0);
			*total += w;
			if (e)
				isg__locate_entry_reason(
				        c, e, w,
				        "module `%s` mentioned in the issue",
				        mn->text);
		}
	}
}

/* Definitions in `file` of identifiers the issue mentions. */
static void score_definitions(isg__lctx *c, const isg__rfile *file,
                              isg__lentry *e, double *total)
{
	const isg_repo *r = c->repo;
	double defs[64];
	size_t j, ndefs = 0;

	for (j = 0; j < file->def_count; j++) {
		const isg__rdef *d = &r->defs[file->def_start + j];
		const isg__mention *mn;
		long m = isg__strmap_get(&c->idents, d->name);

		if (m < 0)
			continue;
		mn = &c->mentions.items[m];
		if (ndefs < ISG__ARRAY_SIZE(defs)) {
			double w = W_DEF * mn->weight * kind_factor(d->kind) *
			           isg__locate_distinct_factor(d->name) /
			           (1.0 + log((double)c->def_files[m]));

			defs[ndefs++] = w;
			if (e) {
				isg__locate_entry_reason(
				        c, e, w,
				        "defines `%s` (mentioned in the issue)",
				        d->name);
				isg__locate_entry_symbol(c, e, d->name,
				                         d->line);
			}
		}
	}
	if (ndefs) {
		double f_ = 1.0;

		/* Diminishing returns: the best definition counts fully,
		 * the next ones half as much each time. */
		qsort(defs, ndefs, sizeof(double), cmp_desc);
		for (j = 0; j < ndefs && j < 4; j++, f_ *= 0.5)
			*total += defs[j] * f_;
	}
}

/* The mention part of file f's score; with `e` (not NULL) it also
 * records the reasons and symbols. The parts are added to one total in a
 * fixed order. */
double isg__locate_score_file(isg__lctx *c, size_t f, isg__lentry *e)
{
	const isg__rfile *file = &c->repo->files[f];
	double total = 0.0;
	char stem[256];
	long m;

	score_mentions(c, file, e, &total);
	score_definitions(c, file, e, &total);
	/* A file name equal to a mentioned identifier. */
	isg__locate_base_stem(stem, sizeof(stem), file);
	m = isg__strmap_get(&c->lidents, stem);
	if (m >= 0 && c->stem_files[m]) {
		double w = W_STEM * c->mentions.items[m].weight /
		           (double)c->stem_files[m];

		total += w;
		if (e)
			isg__locate_entry_reason(c, e, w, "path matches `%s`",
			                         stem);
	}
	return total;
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
				isg__locate_entry_reason(
				        c, e, w,
				        "`%s` (line %u) matches the issue text (%.2f of the best definition)",
				        name, dl, c->span[f] / c->best_span);
				isg__locate_entry_symbol(c, e, name, dl);
			}
		}
	}
	if (c->best_lit > 0.0 && c->lit[f] > 0.0) {
		w = W_LIT * c->lit_n[f];
		total += w;
		if (e)
			isg__locate_entry_reason(
			        c, e, w,
			        "its string literals match text quoted in the issue (%.2f of the best)",
			        c->lit[f] / c->best_lit);
	}
	return total;
}
