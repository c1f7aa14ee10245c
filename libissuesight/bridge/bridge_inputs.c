/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_inputs: what a localized issue gives the concept matcher and the
 * difficulty estimator. The ranked files are taken from the locate result
 * (a file under 2% of the best dropped, scores relative to the best), the
 * concept query is the issue's text and labels plus those files' paths,
 * languages, imports and symbols, and the difficulty input is the issue
 * plus the files' spread. The offline engine and bench/difficulty both
 * build their inputs here, so the calibration measures what ships.
 */
#include <math.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"

/* How many distinct values of each kind the concept query gets. */
#define QMAX 64

double isg__bridge_round3(double v)
{
	if (!(v > 0))
		return 0;
	if (v > 1)
		return 1;
	return floor(v * 1000 + 0.5) / 1000;
}

static int collect_files(isg__bridge_inputs *out, const isg_repo *repo,
                         const isg_locate_result *loc)
{
	size_t nc = isg_locate_result_count(loc, ISG_LOCATE_CHANGE);
	size_t nr = isg_locate_result_count(loc, ISG_LOCATE_READ);
	size_t i, k = 0;
	int list;

	out->files =
	        isg__alloc_calloc(nc + nr ? nc + nr : 1, sizeof(*out->files));
	if (!out->files)
		return isg__error_oom("bridge");
	for (list = ISG_LOCATE_CHANGE; list <= ISG_LOCATE_READ; list++) {
		size_t n = list == ISG_LOCATE_CHANGE ? nc : nr;
		double top = isg_locate_result_score(loc, list, 0);

		for (i = 0; i < n; i++) {
			isg__bridge_file *f = &out->files[k];
			double s = isg_locate_result_score(loc, list, i);

			/* A file under 2% of the best adds noise, not help. */
			if (i && top > 0 && s / top < 0.02) {
				if (list == ISG_LOCATE_CHANGE)
					nc--;
				else
					nr--;
				continue;
			}
			f->path = isg_locate_result_path(loc, list, i);
			f->role = isg_locate_result_role(loc, list, i);
			if (!f->role)
				f->role = "source";
			f->score = isg__bridge_round3(top > 0 ? s / top : 0);
			f->list = list;
			f->rank = i;
			f->indexed = isg_repo_file_find(&f->idx, repo,
			                                f->path) == ISG_OK;
			k++;
		}
	}
	out->nchange = nc;
	out->nread = nr;
	isg_error_clear();
	return ISG_OK;
}

static void add_unique(const char **v, size_t *n, const char *s)
{
	size_t i;

	if (!s || !*s || *n >= QMAX)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return;
	v[(*n)++] = s;
}

static int match_concepts(isg__bridge_inputs *out, const isg_repo *repo,
                          const isg_locate_result *loc, const isg_concepts *cat,
                          const isg__bridge_issue_facts *issue)
{
	const char *paths[QMAX], *langs[QMAX], *imps[QMAX], *syms[QMAX];
	size_t np = 0, nl = 0, ni = 0, ns = 0, i, j;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;

	for (i = 0; i < out->nchange; i++) {
		const isg__bridge_file *f = &out->files[i];

		add_unique(paths, &np, f->path);
		for (j = 0; j < isg_locate_result_symbol_count(
		                        loc, ISG_LOCATE_CHANGE, i);
		     j++)
			add_unique(syms, &ns,
			           isg_locate_result_symbol_name(
			                   loc, ISG_LOCATE_CHANGE, i, j));
		if (!f->indexed)
			continue;
		add_unique(langs, &nl, isg_repo_file_language(repo, f->idx));
		for (j = 0; j < isg_repo_file_import_count(repo, f->idx); j++)
			add_unique(imps, &ni,
			           isg_repo_file_import(repo, f->idx, j));
	}
	q.title = issue->title;
	q.body = issue->body;
	q.labels = issue->labels;
	q.nlabels = issue->nlabels;
	if (!loc) /* text only, as without localization */
		return isg_concepts_match(&out->matches, cat, &q);
	q.paths = paths;
	q.npaths = np;
	q.languages = langs;
	q.nlanguages = nl;
	q.imports = imps;
	q.nimports = ni;
	q.symbols = syms;
	q.nsymbols = ns;
	return isg_concepts_match(&out->matches, cat, &q);
}

int isg__bridge_inputs_build(isg__bridge_inputs *out, const isg_repo *repo,
                             const isg_locate_result *loc,
                             const isg_concepts *cat,
                             const isg__bridge_issue_facts *issue)
{
	isg_difficulty_input def = ISG_DIFFICULTY_INPUT_INIT;
	isg_difficulty_input *in = &out->input;
	size_t i, n;
	int rc = ISG_OK;

	memset(out, 0, sizeof(*out));
	if (loc)
		rc = collect_files(out, repo, loc);
	if (rc == ISG_OK)
		rc = match_concepts(out, repo, loc, cat, issue);
	if (rc != ISG_OK)
		goto done;
	n = out->nchange < ISG__BRIDGE_INPUT_PATHS ? out->nchange
	                                           : ISG__BRIDGE_INPUT_PATHS;
	for (i = 0; i < n; i++) {
		out->paths[i] = out->files[i].path;
		out->scores[i] = out->files[i].score;
	}
	*in = def;
	in->title = issue->title;
	in->body = issue->body;
	in->labels = issue->labels;
	in->nlabels = issue->nlabels;
	in->comment_count = issue->comment_count;
	in->comment_chars = issue->comment_chars;
	if (loc) {
		in->paths = out->paths;
		in->path_scores = out->scores;
		in->npaths = n;
	}
	in->concepts = out->matches;
done:
	if (rc != ISG_OK)
		isg__bridge_inputs_dispose(out);
	return rc;
}

void isg__bridge_inputs_dispose(isg__bridge_inputs *in)
{
	if (!in)
		return;
	isg__alloc_free(in->files);
	isg_concepts_matches_free(in->matches);
	memset(in, 0, sizeof(*in));
}
