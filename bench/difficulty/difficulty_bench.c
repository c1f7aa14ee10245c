/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-difficulty: calibrates the junior-friendliness score against
 * human time-to-fix estimates (SWE-bench Verified's `difficulty`).
 *
 *   isg-bench-difficulty [DATASET.jsonl] [--lambda L]
 *
 * Target: 1 when the estimate is "<15 min fix". Prints, for the shipped
 * weights and for weights refitted with leave-one-out cross-validation:
 * ROC AUC, Brier score and a calibration table (score deciles against the
 * observed rate). The dataset has no labels, comments or localization, so
 * only the text and concept features are fitted; the others are priors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <issuesight/concepts.h>
#include <issuesight/error.h>
#include <issuesight/difficulty.h>

#include "difficulty_int.h"

#define MAXN 2000

/* The features the dataset informs, refitted here. */
static const int fitted[] = {
	ISG__DF_TEXT_SMALL_SCOPE, ISG__DF_TEXT_LARGE_SCOPE,
	ISG__DF_BODY_STRUCTURE,   ISG__DF_STACK_TRACE,
	ISG__DF_BODY_LENGTH,      ISG__DF_CONCEPT_WEIGHT
};
#define NF ((int)(sizeof(fitted) / sizeof(fitted[0])))

static double X[MAXN][ISG__DF_COUNT];
static int Y[MAXN];
static int N;

static double sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

/* Ridge-regularised logistic regression by Newton's method on the fitted
 * features (bias not penalised); rows with skip >= 0 excluded. */
static void fit(double *w, double lambda, int skip)
{
	int it, i, a, b, k;

	memset(w, 0, (NF + 1) * sizeof(double));
	for (it = 0; it < 50; it++) {
		double g[NF + 1] = { 0 }, H[NF + 1][NF + 1];

		memset(H, 0, sizeof(H));
		for (i = 0; i < N; i++) {
			double f[NF + 1], z = w[0], p;

			if (i == skip)
				continue;
			f[0] = 1;
			for (k = 0; k < NF; k++)
				f[k + 1] = X[i][fitted[k]];
			for (k = 1; k <= NF; k++)
				z += w[k] * f[k];
			p = sigmoid(z);
			for (a = 0; a <= NF; a++) {
				g[a] += (p - Y[i]) * f[a];
				for (b = 0; b <= NF; b++)
					H[a][b] += p * (1 - p) * f[a] * f[b];
			}
		}
		for (a = 1; a <= NF; a++) {
			g[a] += lambda * w[a];
			H[a][a] += lambda;
		}
		/* Solve H d = g by Gaussian elimination. */
		for (a = 0; a <= NF; a++) {
			for (b = a + 1; b <= NF; b++) {
				double r = H[b][a] / H[a][a];

				for (k = a; k <= NF; k++)
					H[b][k] -= r * H[a][k];
				g[b] -= r * g[a];
			}
		}
		for (a = NF; a >= 0; a--) {
			double s = g[a];

			for (k = a + 1; k <= NF; k++)
				s -= H[a][k] * g[k];
			g[a] = s / H[a][a];
		}
		for (a = 0; a <= NF; a++)
			w[a] -= g[a];
	}
}

static double predict_fit(const double *w, int i)
{
	double z = w[0];
	int k;

	for (k = 0; k < NF; k++)
		z += w[k + 1] * X[i][fitted[k]];
	return sigmoid(z);
}

static double auc(const double *s)
{
	double num = 0;
	long pos = 0, neg = 0;
	int i, j;

	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++)
			if (Y[i] && !Y[j])
				num += s[i] > s[j] ? 1
				                   : (s[i] == s[j] ? 0.5 : 0);
	for (i = 0; i < N; i++)
		Y[i] ? pos++ : neg++;
	return pos && neg ? num / ((double)pos * (double)neg) : 0.5;
}

static const double *cmp_s;
static int cmp_idx(const void *a, const void *b)
{
	double x = cmp_s[*(const int *)a], y = cmp_s[*(const int *)b];

	return x < y ? -1 : (x > y);
}

static void report(const char *name, const double *s)
{
	int idx[MAXN], i, d;
	double brier = 0, base = 0;

	for (i = 0; i < N; i++) {
		idx[i] = i;
		brier += (s[i] - Y[i]) * (s[i] - Y[i]);
		base += Y[i];
	}
	base /= N;
	cmp_s = s;
	qsort(idx, (size_t)N, sizeof(int), cmp_idx);
	printf("\n%s\n  ROC AUC %.3f   Brier %.4f (constant %.2f: %.4f)\n",
	       name, auc(s), brier / N, base, base * (1 - base));
	printf("  decile  n   mean score  observed <15min\n");
	for (d = 0; d < 10; d++) {
		int lo = d * N / 10, hi = (d + 1) * N / 10, n = hi - lo, k;
		double ms = 0, obs = 0;

		for (k = lo; k < hi; k++) {
			ms += s[idx[k]];
			obs += Y[idx[k]];
		}
		if (n)
			printf("  %5d %3d   %.3f       %.3f\n", d + 1, n,
			       ms / n, obs / n);
	}
}

int main(int argc, char **argv)
{
	const char *path = "/work/shared/bench/localization-dev.jsonl";
	double lambda = 2.0, shipped[MAXN], loo[MAXN], w[NF + 1];
	isg_concepts *cat = NULL;
	char line[1 << 20];
	FILE *f;
	int i, k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lambda") == 0 && i + 1 < argc)
			lambda = strtod(argv[++i], NULL);
		else
			path = argv[i];
	}
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	if (isg_concepts_new(&cat, NULL) != ISG_OK) {
		fprintf(stderr, "catalog: %s\n", isg_error_last()->message);
		return 1;
	}
	while (N < MAXN && fgets(line, sizeof(line), f)) {
		cJSON *row = cJSON_Parse(line);
		const cJSON *ps = cJSON_GetObjectItem(row, "problem_statement");
		const cJSON *df = cJSON_GetObjectItem(row, "difficulty");
		isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
		isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
		isg_concepts_matches *m = NULL;
		isg_difficulty *d = NULL;
		char *text, *nl;

		if (!cJSON_IsString(ps) || !cJSON_IsString(df)) {
			cJSON_Delete(row);
			continue;
		}
		text = ps->valuestring;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		q.title = in.title = text;
		q.body = in.body = nl ? nl + 1 : "";
		if (isg_concepts_match(&m, cat, &q) != ISG_OK)
			return 1;
		in.concepts = m;
		if (isg__difficulty_features(X[N], NULL, &in) != ISG_OK ||
		    isg_difficulty_estimate(&d, &in) != ISG_OK)
			return 1;
		shipped[N] = isg_difficulty_score(d);
		Y[N] = strcmp(df->valuestring, "<15 min fix") == 0;
		N++;
		isg_difficulty_free(d);
		isg_concepts_matches_free(m);
		cJSON_Delete(row);
	}
	fclose(f);
	{
		int pos = 0;

		for (i = 0; i < N; i++)
			pos += Y[i];
		printf("%d issues, %d labelled '<15 min fix'; features without "
		       "localization spread (no repository index used)\n",
		       N, pos);
	}
	report("shipped weights (library table)", shipped);
	for (i = 0; i < N; i++) {
		fit(w, lambda, i);
		loo[i] = predict_fit(w, i);
	}
	report("leave-one-out refit (honest estimate of the fitted model)",
	       loo);
	fit(w, lambda, -1);
	printf("\nweights fitted on all %d issues (lambda %.2f):\n  bias "
	       "%+.3f\n",
	       N, lambda, w[0]);
	for (k = 0; k < NF; k++)
		printf("  %-18s %+.3f\n",
		       isg__difficulty_feature_names[fitted[k]], w[k + 1]);
	isg_concepts_free(cat);
	return 0;
}
