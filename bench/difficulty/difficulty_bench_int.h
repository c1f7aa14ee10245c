/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The difficulty calibration bench: the data of one run (a feature matrix
 * and two targets) and the statistics over it (ridge logistic regression,
 * cross-validation, ROC AUC, Brier score, calibration tables). Private to
 * bench/difficulty.
 */
#ifndef ISSUESIGHT_DIFFICULTY_BENCH_INT_H
#define ISSUESIGHT_DIFFICULTY_BENCH_INT_H

#include <stddef.h>

#include "difficulty_int.h"

#define DB_MAXN 2000

/* Columns: the library's features first (same indexes), then two that
 * the bench computes for information only (they are not in the model
 * unless the library learns to compute them). */
enum {
	DB_X_ENTROPY = ISG__DF_COUNT, /* normalized entropy of top-k scores */
	DB_X_MENTIONS,                /* log1p(mentions locate extracted) */
	DB_NX
};

typedef struct db_data {
	int n;
	double x[DB_MAXN][DB_NX];
	/* 1 when the fix was estimated "<15 min fix". */
	int y15[DB_MAXN];
	/* 1 when it was estimated under an hour ("<15 min" or "15 min -
	 * 1 hour"). */
	int y1h[DB_MAXN];
	/* 1 when localization ran for the issue. */
	int located[DB_MAXN];
	const char *repo[DB_MAXN];
} db_data;

/* A fitted model over the columns `cols[0..ncols)`: log-odds =
 * bias + sum(w[k] * (x[cols[k]] - mean[k])) + offset(row), where the offset
 * is the contribution of the library's fixed (prior) weights. */
typedef struct db_model {
	int ncols;
	int cols[DB_NX];
	double w[DB_NX];
	double mean[DB_NX];
	double bias;
} db_model;

/* Fits ridge logistic regression by Newton's method on the rows with
 * train[i] != 0 (NULL: all rows). Columns are standardized on the training
 * rows, the L2 penalty `lambda` applies to the standardized weights (not
 * the bias), and the result is mapped back to raw units. `offset[i]` is
 * a fixed log-odds term per row (NULL: none). */
void db_fit(db_model *m, const db_data *d, const int *y, const int *cols,
            int ncols, double lambda, const double *offset, const int *train);

/* The probability the model gives row i. */
double db_predict(const db_model *m, const db_data *d, const double *offset,
                  int i);

/* Out-of-sample predictions: leave-one-out when folds <= 0 or >= n, else
 * stratified k-fold with the given seed. `lambda` < 0 selects lambda by an
 * inner 5-fold cross-validation on each training part (nested CV) from
 * db_lambdas; `chosen` (may be NULL) receives the mean chosen lambda. */
void db_cv_predict(double *p, const db_data *d, const int *y, const int *cols,
                   int ncols, double lambda, const double *offset, int folds,
                   unsigned seed, double *chosen);

extern const double db_lambdas[];
extern const int db_nlambdas;

/* ROC AUC of scores s against y over n rows (ties count one half). */
double db_auc(const double *s, const int *y, int n);
/* Mean squared error of probabilities. */
double db_brier(const double *p, const int *y, int n);
/* The Brier score of predicting the base rate. */
double db_brier_const(const int *y, int n);

/* Prints AUC (both targets), Brier and a decile calibration table. */
void db_report(const char *name, const double *p, const db_data *d, int table);

#endif /* ISSUESIGHT_DIFFICULTY_BENCH_INT_H */
