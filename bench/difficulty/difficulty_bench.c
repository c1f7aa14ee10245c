/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-difficulty: calibrates the junior-friendliness score against
 * human time-to-fix estimates (SWE-bench Verified's `difficulty`).
 *
 *   isg-bench-difficulty [--jsonl F] [--mirrors DIR] [--workdir DIR]
 *                        [--index-dir DIR] [--no-locate] [--lambda L]
 *                        [--features-out TSV]
 *
 * For every issue it computes the library's features exactly as the
 * offline bridge feeds them, with the bridge's own isg__bridge_inputs_build:
 * the text, and, when the repository mirrors are available, the
 * localization the bridge would use (the base commit's checkout,
 * isg_repo_open + isg_locate_run with the bridge's top 5, files under 2% of the
 * best dropped, scores relative to the best) and the concepts matched on
 * the text plus those files' paths, languages, imports and symbols. Then it
 * reports, for two targets ("<15 min fix", and "under an hour"), ROC AUC, Brier
 * score and calibration of the shipped weights (in-sample: they were fitted on
 * this set), and of the refitted model under leave-one-out, repeated 10-fold
 * and nested cross-validation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include <issuesight/concepts.h>
#include <issuesight/difficulty.h>
#include <issuesight/error.h>
#include <issuesight/locate.h>
#include <issuesight/repo.h>

#include "bridge_int.h"
#include "difficulty_bench_int.h"
#include "localize_int.h"

#define TOPK 5 /* the bridge's default top_k */

typedef struct opts {
	const char *jsonl, *mirrors, *workdir, *index_dir, *features_out;
	int locate;
	double lambda;
} opts;

static db_data D;
static double shipped[DB_MAXN];

/* Normalized entropy of the scores (0: one file holds everything, 1:
 * flat), and 0 for fewer than two files. */
static double entropy(const double *s, size_t n)
{
	double sum = 0, h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += s[i] > 0 ? s[i] : 0;
	if (n < 2 || sum <= 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] > 0)
			h -= s[i] / sum * log(s[i] / sum);
	return h / log((double)n);
}

/* Localizes one issue as the bridge does (the base commit's checkout,
 * isg_repo_open, isg_locate_run with the bridge's top_k). Returns 0, or -1
 * after printing why. */
static int localize(const opts *o, const char *id, const char *repo_name,
                    const char *commit, const char *text, isg_repo **repo,
                    isg_locate_result **res)
{
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	lb_checkout_stats st;
	char err[600], *dir = NULL;
	int rc;

	if (lb_checkout(&dir, o->mirrors, o->workdir, repo_name, commit, &st,
	                err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: checkout: %s\n", id, err);
		return -1;
	}
	ro.path_or_url = dir;
	ro.cache_dir = o->index_dir;
	rc = isg_repo_open(repo, &ro);
	free(dir);
	if (rc == ISG_OK) {
		lo.top_k = TOPK;
		lo.top_k_read = 5;
		rc = isg_locate_run(res, *repo, text, strlen(text), &lo);
	}
	if (rc != ISG_OK) {
		fprintf(stderr, "%s: %s: %s\n", id, isg_error_name(rc),
		        isg_error_last()->message);
		return -1;
	}
	return 0;
}

/* Reads one data set row into D. Returns 1 when added, 0 when skipped,
 * -1 on a library error. */
static int add_row(const opts *o, const isg_concepts *cat, cJSON *row)
{
	const cJSON *ps = cJSON_GetObjectItem(row, "problem_statement");
	const cJSON *df = cJSON_GetObjectItem(row, "difficulty");
	const cJSON *id = cJSON_GetObjectItem(row, "instance_id");
	const cJSON *rp = cJSON_GetObjectItem(row, "repo");
	const cJSON *bc = cJSON_GetObjectItem(row, "base_commit");
	isg__bridge_issue_facts is;
	isg__bridge_inputs in;
	isg_locate_result *res = NULL;
	isg_difficulty *d = NULL;
	isg_repo *repo = NULL;
	char *title = NULL, *nl;
	int rc = -1, i = D.n;

	memset(&is, 0, sizeof(is));
	memset(&in, 0, sizeof(in));
	if (!cJSON_IsString(ps) || !cJSON_IsString(df) || !cJSON_IsString(id) ||
	    !cJSON_IsString(rp) || !cJSON_IsString(bc))
		return 0;
	title = strdup(ps->valuestring);
	if (!title)
		return -1;
	nl = strchr(title, '\n');
	if (nl)
		*nl = '\0';
	is.title = title;
	is.body = nl ? nl + 1 : "";
	memset(D.x[i], 0, sizeof(D.x[i]));
	D.located[i] = o->locate && localize(o, id->valuestring,
	                                     rp->valuestring, bc->valuestring,
	                                     ps->valuestring, &repo, &res) == 0;
	/* The paths, scores and concepts exactly as the offline bridge
	 * computes them. */
	if (isg__bridge_inputs_build(&in, repo, D.located[i] ? res : NULL, cat,
	                             &is) != ISG_OK)
		goto done;
	if (D.located[i]) {
		D.x[i][DB_X_ENTROPY] =
		        entropy(in.input.path_scores, in.input.npaths);
		D.x[i][DB_X_MENTIONS] =
		        log1p((double)isg_locate_result_mention_count(res));
	}
	if (isg__difficulty_features(D.x[i], NULL, &in.input) != ISG_OK ||
	    isg_difficulty_estimate(&d, &in.input) != ISG_OK)
		goto done;
	shipped[i] = isg_difficulty_score(d);
	D.y15[i] = strcmp(df->valuestring, "<15 min fix") == 0;
	D.y1h[i] = D.y15[i] || strcmp(df->valuestring, "15 min - 1 hour") == 0;
	D.repo[i] = strdup(rp->valuestring);
	D.n++;
	rc = 1;
done:
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", id->valuestring,
		        isg_error_last()->message);
	isg_difficulty_free(d);
	isg__bridge_inputs_dispose(&in);
	isg_locate_result_free(res);
	isg_repo_free(repo);
	free(title);
	return rc;
}

static const char *col_name(int c)
{
	if (c < ISG__DF_COUNT)
		return isg__difficulty_feature_names[c];
	return c == DB_X_ENTROPY ? "x_entropy_topk" : "x_mentions";
}

/* The prior part of the library's log-odds: the features the calibration
 * set does not inform (labels, discussion, small-scope words), which keep
 * their weights whatever model is evaluated. */
static void prior_offset(double *off, const int *cols, int ncols)
{
	int i, k, c;

	for (i = 0; i < D.n; i++) {
		off[i] = 0;
		for (c = 0; c < ISG__DF_COUNT; c++) {
			if (isg__difficulty_fitted[c] != 0)
				continue;
			for (k = 0; k < ncols && cols[k] != c; k++)
				;
			if (k == ncols)
				off[i] +=
				        isg__difficulty_weights[c] *
				        (D.x[i][c] - isg__difficulty_center[c]);
		}
	}
}

/* Cross-validated reports of one feature set. */
static void evaluate(const char *name, const int *cols, int ncols,
                     double lambda, int table)
{
	static double p[DB_MAXN], off[DB_MAXN], acc[DB_MAXN];
	double a15 = 0, a1h = 0, br = 0, chosen;
	char label[128];
	int r, i;

	prior_offset(off, cols, ncols);
	printf("\n[%s] %d features:", name, ncols);
	for (i = 0; i < ncols; i++)
		printf(" %s", col_name(cols[i]));
	printf("\n");
	db_cv_predict(p, &D, D.y15, cols, ncols, lambda, off, 0, 0, NULL);
	snprintf(label, sizeof(label), "  leave-one-out (lambda %g)", lambda);
	db_report(label, p, &D, table);
	memset(acc, 0, sizeof(acc));
	for (r = 0; r < 10; r++) {
		db_cv_predict(p, &D, D.y15, cols, ncols, lambda, off, 10,
		              (unsigned)r + 1, NULL);
		a15 += db_auc(p, D.y15, D.n) / 10;
		a1h += db_auc(p, D.y1h, D.n) / 10;
		br += db_brier(p, D.y15, D.n) / 10;
	}
	printf("  %-42s AUC<15m %.3f  AUC<1h %.3f  Brier %.4f\n",
	       "10 x 10-fold (mean)", a15, a1h, br);
	db_cv_predict(p, &D, D.y15, cols, ncols, -1, off, 0, 0, &chosen);
	snprintf(label, sizeof(label),
	         "  nested LOO (inner 5-fold lambda, mean %.1f)", chosen);
	db_report(label, p, &D, 0);
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: isg-bench-difficulty [--jsonl F] [--mirrors DIR] [--workdir DIR]\n"
	        "         [--index-dir DIR] [--no-locate] [--lambda L] [--features-out TSV]\n");
}

static int parse(opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--no-locate") == 0) {
			o->locate = 0;
			continue;
		}
		if (!v) {
			usage();
			return -1;
		}
		i++;
		if (strcmp(a, "--jsonl") == 0)
			o->jsonl = v;
		else if (strcmp(a, "--mirrors") == 0)
			o->mirrors = v;
		else if (strcmp(a, "--workdir") == 0)
			o->workdir = v;
		else if (strcmp(a, "--index-dir") == 0)
			o->index_dir = v;
		else if (strcmp(a, "--features-out") == 0)
			o->features_out = v;
		else if (strcmp(a, "--lambda") == 0)
			o->lambda = strtod(v, NULL);
		else {
			usage();
			return -1;
		}
	}
	return 0;
}

static void write_features(const char *path)
{
	FILE *f = fopen(path, "w");
	int i, c;

	if (!f) {
		perror(path);
		return;
	}
	fprintf(f, "repo\ty15\ty1h\tlocated");
	for (c = 0; c < DB_NX; c++)
		fprintf(f, "\t%s", col_name(c));
	fprintf(f, "\tshipped\n");
	for (i = 0; i < D.n; i++) {
		fprintf(f, "%s\t%d\t%d\t%d", D.repo[i], D.y15[i], D.y1h[i],
		        D.located[i]);
		for (c = 0; c < DB_NX; c++)
			fprintf(f, "\t%.4f", D.x[i][c]);
		fprintf(f, "\t%.4f\n", shipped[i]);
	}
	fclose(f);
}

/* Shares of the three verdicts under the default thresholds, with the
 * observed rates in each. */
static void verdict_table(void)
{
	int lvl, i;

	printf("\nverdicts of the shipped model (thresholds %.2f / %.2f):\n",
	       ISG_DIFFICULTY_THRESHOLD_HI, ISG_DIFFICULTY_THRESHOLD_LO);
	for (lvl = ISG_DIFFICULTY_BEGINNER; lvl <= ISG_DIFFICULTY_ADVANCED;
	     lvl++) {
		int n = 0, a = 0, b = 0;

		for (i = 0; i < D.n; i++) {
			double s = shipped[i];
			int l = s >= ISG_DIFFICULTY_THRESHOLD_HI
			                ? ISG_DIFFICULTY_BEGINNER
			        : s < ISG_DIFFICULTY_THRESHOLD_LO
			                ? ISG_DIFFICULTY_ADVANCED
			                : ISG_DIFFICULTY_INTERMEDIATE;

			if (l != lvl)
				continue;
			n++;
			a += D.y15[i];
			b += D.y1h[i];
		}
		printf("  %-12s %3d issues (%4.1f%%)  observed <15min %.2f  <1h %.2f\n",
		       isg_difficulty_level_name(lvl), n, 100.0 * n / D.n,
		       n ? (double)a / n : 0, n ? (double)b / n : 0);
	}
}

int main(int argc, char **argv)
{
	opts o = { "/work/shared/bench/localization-dev.jsonl",
		   "/work/mirrors",
		   "/tmp/isg-bench-checkouts",
		   NULL,
		   NULL,
		   1,
		   4.0 };
	/* The candidate models compared on every run (the library's choice
	 * is the last report), -1 terminated. */
	static const struct {
		const char *name;
		int cols[9];
	} cands[] = {
		{ "text and concepts (the previous model)",
		  { ISG__DF_TEXT_LARGE_SCOPE, ISG__DF_BODY_STRUCTURE,
		    ISG__DF_STACK_TRACE, ISG__DF_BODY_LENGTH,
		    ISG__DF_CONCEPT_WEIGHT, -1 } },
		{ "localization spread only",
		  { ISG__DF_SPREAD_FILES, ISG__DF_SPREAD_DIRS,
		    ISG__DF_CONCENTRATION, -1 } },
		{ "length and concepts",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT, -1 } },
		{ "length, concepts, scope words",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT,
		    ISG__DF_TEXT_LARGE_SCOPE, -1 } },
		{ "length, concepts, scope words, stack trace",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT,
		    ISG__DF_TEXT_LARGE_SCOPE, ISG__DF_STACK_TRACE, -1 } },
		{ "length, concepts, scope words + spread",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT,
		    ISG__DF_TEXT_LARGE_SCOPE, ISG__DF_SPREAD_FILES,
		    ISG__DF_SPREAD_DIRS, ISG__DF_CONCENTRATION, -1 } },
		{ "length, concepts, scope words + entropy",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT,
		    ISG__DF_TEXT_LARGE_SCOPE, DB_X_ENTROPY, -1 } },
		{ "length, concepts, scope words + mentions",
		  { ISG__DF_BODY_LENGTH, ISG__DF_CONCEPT_WEIGHT,
		    ISG__DF_TEXT_LARGE_SCOPE, DB_X_MENTIONS, -1 } },
	};
#define NCAND ((int)(sizeof(cands) / sizeof(cands[0])))
	int cols[DB_NX], ncols = 0, nloc = 0, pos = 0, n1h = 0, i, c;
	char index_dir[4200], *line = NULL;
	size_t cap = 0;
	isg_concepts *cat = NULL;
	struct stat sb;
	db_model m;
	double off[DB_MAXN];
	FILE *f;

	if (parse(&o, argc, argv) != 0)
		return 2;
	if (o.locate && stat(o.mirrors, &sb) != 0) {
		fprintf(stderr, "no mirrors at %s: text features only\n",
		        o.mirrors);
		o.locate = 0;
	}
	if (!o.index_dir) {
		snprintf(index_dir, sizeof(index_dir), "%s/isg-index",
		         o.workdir);
		o.index_dir = index_dir;
	}
	if (o.locate && lb_mkdirs(o.index_dir) != 0) {
		perror(o.index_dir);
		return 1;
	}
	f = fopen(o.jsonl, "r");
	if (!f) {
		perror(o.jsonl);
		return 1;
	}
	if (isg_concepts_new(&cat, NULL) != ISG_OK) {
		fprintf(stderr, "catalog: %s\n", isg_error_last()->message);
		return 1;
	}
	while (D.n < DB_MAXN && getline(&line, &cap, f) > 0) {
		cJSON *row = cJSON_Parse(line);
		int rc = row ? add_row(&o, cat, row) : 0;

		cJSON_Delete(row);
		if (rc < 0)
			return 1;
	}
	free(line);
	fclose(f);
	isg_concepts_free(cat);
	for (i = 0; i < D.n; i++) {
		pos += D.y15[i];
		n1h += D.y1h[i];
		nloc += D.located[i];
	}
	printf("%d issues, %d '<15 min fix' (base rate %.2f), %d under an hour; localized %d\n",
	       D.n, pos, D.n ? (double)pos / D.n : 0, n1h, nloc);
	if (o.features_out)
		write_features(o.features_out);
	printf("\nper feature (AUC of the raw value; < 0.5 means higher values go with harder issues)\n");
	for (c = 0; c < DB_NX; c++) {
		double col[DB_MAXN], mean = 0;

		for (i = 0; i < D.n; i++) {
			col[i] = D.x[i][c];
			mean += col[i] / D.n;
		}
		printf("  %-24s mean %7.3f  AUC<15m %.3f  AUC<1h %.3f\n",
		       col_name(c), mean, db_auc(col, D.y15, D.n),
		       db_auc(col, D.y1h, D.n));
	}
	printf("\n");
	db_report("shipped weights (in-sample)", shipped, &D, 1);
	verdict_table();
	for (c = 0; c < ISG__DF_COUNT; c++)
		if (isg__difficulty_fitted[c] == 1)
			cols[ncols++] = c;
	for (i = 0; i < NCAND; i++) {
		int n = 0;

		while (n < 8 && cands[i].cols[n] >= 0)
			n++;
		evaluate(cands[i].name, cands[i].cols, n, o.lambda, 0);
	}
	evaluate("the library's fitted rows", cols, ncols, o.lambda, 1);
	prior_offset(off, cols, ncols);
	db_fit(&m, &D, D.y15, cols, ncols, o.lambda, off, NULL);
	{
		/* The table stores the bias for its own centers (0 for the
		 * presence features), not for the fit's means. */
		double bias = m.bias;

		for (i = 0; i < ncols; i++)
			bias += m.w[i] *
			        (isg__difficulty_center[cols[i]] - m.mean[i]);
		printf("\nfitted on all %d issues (lambda %g), for the weight table:\n  bias %+.3f (shipped %+.3f)\n",
		       D.n, o.lambda, bias, isg__difficulty_bias);
	}
	printf("  %-24s %8s %8s %8s %8s\n", "feature", "weight", "shipped",
	       "mean", "center");
	for (i = 0; i < ncols; i++)
		printf("  %-24s %+8.3f %+8.3f %8.3f %8.3f\n", col_name(cols[i]),
		       m.w[i], isg__difficulty_weights[cols[i]], m.mean[i],
		       isg__difficulty_center[cols[i]]);
	return 0;
}
