/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Statistics of the difficulty bench: ridge logistic regression on
 * standardized columns, leave-one-out, k-fold and nested cross-validation,
 * ROC AUC, Brier score and a decile calibration table. Small and exact:
 * the data set has about a hundred rows and a handful of columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difficulty_bench_int.h"

const double db_lambdas[] = { 0.5, 1, 2, 4, 8, 16, 32 };
const int db_nlambdas = (int)(sizeof(db_lambdas) / sizeof(db_lambdas[0]));

static double sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

/* Solves A v = b (dimension n, A symmetric positive definite after the
 * ridge term) by Gaussian elimination with partial pivoting; b becomes
 * the solution. */
static void solve(int n, double A[][DB_NX + 1], double *b)
{
	int a, r, k;

	for (a = 0; a < n; a++) {
		int piv = a;

		for (r = a + 1; r < n; r++)
			if (fabs(A[r][a]) > fabs(A[piv][a]))
				piv = r;
		if (piv != a) {
			for (k = 0; k < n; k++) {
				double t = A[a][k];

				A[a][k] = A[piv][k];
				A[piv][k] = t;
			}
			double t = b[a];

			b[a] = b[piv];
			b[piv] = t;
		}
		if (fabs(A[a][a]) < 1e-12)
			A[a][a] = 1e-12;
		for (r = a + 1; r < n; r++) {
			double f = A[r][a] / A[a][a];

			for (k = a; k < n; k++)
				A[r][k] -= f * A[a][k];
			b[r] -= f * b[a];
		}
	}
	for (a = n - 1; a >= 0; a--) {
		double s = b[a];

		for (k = a + 1; k < n; k++)
			s -= A[a][k] * b[k];
		b[a] = s / A[a][a];
	}
}

void db_fit(db_model *m, const db_data *d, const int *y, const int *cols,
            int ncols, double lambda, const double *offset, const int *train)
{
	double sd[DB_NX], v[DB_NX + 1];
	int it, i, a, b, k, nt = 0;

	memset(m, 0, sizeof(*m));
	m->ncols = ncols;
	memcpy(m->cols, cols, (size_t)ncols * sizeof(int));
	for (k = 0; k < ncols; k++) {
		double s = 0, s2 = 0;

		nt = 0;
		for (i = 0; i < d->n; i++) {
			if (train && !train[i])
				continue;
			s += d->x[i][cols[k]];
			s2 += d->x[i][cols[k]] * d->x[i][cols[k]];
			nt++;
		}
		m->mean[k] = nt ? s / nt : 0;
		sd[k] = nt ? sqrt(fmax(s2 / nt - m->mean[k] * m->mean[k], 0))
		           : 1;
		if (sd[k] < 1e-9)
			sd[k] = 1;
	}
	/* v[0] is the bias, v[1..] the standardized weights. */
	memset(v, 0, sizeof(v));
	for (it = 0; it < 60; it++) {
		double g[DB_NX + 1] = { 0 }, H[DB_NX + 1][DB_NX + 1], step = 0;

		memset(H, 0, sizeof(H));
		for (i = 0; i < d->n; i++) {
			double f[DB_NX + 1], z, p;

			if (train && !train[i])
				continue;
			f[0] = 1;
			for (k = 0; k < ncols; k++)
				f[k + 1] =
				        (d->x[i][cols[k]] - m->mean[k]) / sd[k];
			z = offset ? offset[i] : 0;
			for (k = 0; k <= ncols; k++)
				z += v[k] * f[k];
			p = sigmoid(z);
			for (a = 0; a <= ncols; a++) {
				g[a] += (p - y[i]) * f[a];
				for (b = 0; b <= ncols; b++)
					H[a][b] += p * (1 - p) * f[a] * f[b];
			}
		}
		for (a = 1; a <= ncols; a++) {
			g[a] += lambda * v[a];
			H[a][a] += lambda;
		}
		H[0][0] += 1e-9;
		solve(ncols + 1, H, g);
		for (a = 0; a <= ncols; a++) {
			v[a] -= g[a];
			step += fabs(g[a]);
		}
		if (step < 1e-10)
			break;
	}
	m->bias = v[0];
	for (k = 0; k < ncols; k++)
		m->w[k] = v[k + 1] / sd[k];
}

double db_predict(const db_model *m, const db_data *d, const double *offset,
                  int i)
{
	double z = m->bias + (offset ? offset[i] : 0);
	int k;

	for (k = 0; k < m->ncols; k++)
		z += m->w[k] * (d->x[i][m->cols[k]] - m->mean[k]);
	return sigmoid(z);
}

/* Assigns folds 0..k-1, stratified by y, shuffled with a small LCG so
 * runs are reproducible. */
static void assign_folds(int *fold, const int *y, int n, int k, unsigned seed,
                         const int *rows)
{
	int order[DB_MAXN], m = 0, i, cls, c;
	unsigned s = seed * 2654435761u + 12345u;

	for (cls = 1; cls >= 0; cls--)
		for (i = 0; i < n; i++)
			if ((rows == NULL || rows[i]) && y[i] == cls)
				order[m++] = i;
	/* Shuffle within each class, then deal round-robin. */
	for (cls = 0, c = 0; cls < 2; cls++) {
		int lo = c, hi = c;

		while (hi < m && y[order[hi]] == y[order[lo]])
			hi++;
		for (i = hi - 1; i > lo; i--) {
			int j, t;

			s = s * 1103515245u + 12345u;
			j = lo + (int)((s >> 8) % (unsigned)(i - lo + 1));
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		c = hi;
	}
	for (i = 0; i < n; i++)
		fold[i] = -1;
	for (i = 0; i < m; i++)
		fold[order[i]] = i % k;
}

/* Picks the lambda with the best inner 5-fold log-loss on `rows`. */
static double pick_lambda(const db_data *d, const int *y, const int *cols,
                          int ncols, const double *offset, const int *rows)
{
	int fold[DB_MAXN], train[DB_MAXN], li, f, i, best = 0;
	double bestloss = INFINITY;

	assign_folds(fold, y, d->n, 5, 7u, rows);
	for (li = 0; li < db_nlambdas; li++) {
		double loss = 0;

		for (f = 0; f < 5; f++) {
			db_model m;

			for (i = 0; i < d->n; i++)
				train[i] = rows[i] && fold[i] != f;
			db_fit(&m, d, y, cols, ncols, db_lambdas[li], offset,
			       train);
			for (i = 0; i < d->n; i++) {
				double p;

				if (!rows[i] || fold[i] != f)
					continue;
				p = db_predict(&m, d, offset, i);
				p = fmin(fmax(p, 1e-6), 1 - 1e-6);
				loss -= y[i] ? log(p) : log(1 - p);
			}
		}
		if (loss < bestloss) {
			bestloss = loss;
			best = li;
		}
	}
	return db_lambdas[best];
}

void db_cv_predict(double *p, const db_data *d, const int *y, const int *cols,
                   int ncols, double lambda, const double *offset, int folds,
                   unsigned seed, double *chosen)
{
	int fold[DB_MAXN], train[DB_MAXN], f, i, nf;
	double lsum = 0;

	if (folds <= 0 || folds >= d->n) {
		nf = d->n;
		for (i = 0; i < d->n; i++)
			fold[i] = i;
	} else {
		nf = folds;
		assign_folds(fold, y, d->n, folds, seed, NULL);
	}
	for (f = 0; f < nf; f++) {
		double l = lambda;
		db_model m;

		for (i = 0; i < d->n; i++)
			train[i] = fold[i] != f;
		if (l < 0)
			l = pick_lambda(d, y, cols, ncols, offset, train);
		lsum += l;
		db_fit(&m, d, y, cols, ncols, l, offset, train);
		for (i = 0; i < d->n; i++)
			if (fold[i] == f)
				p[i] = db_predict(&m, d, offset, i);
	}
	if (chosen)
		*chosen = lsum / nf;
}

double db_auc(const double *s, const int *y, int n)
{
	double num = 0;
	long pos = 0, neg = 0;
	int i, j;

	for (i = 0; i < n; i++) {
		y[i] ? pos++ : neg++;
		for (j = 0; j < n; j++)
			if (y[i] && !y[j])
				num += s[i] > s[j] ? 1
				                   : (s[i] == s[j] ? 0.5 : 0);
	}
	return pos && neg ? num / ((double)pos * (double)neg) : 0.5;
}

double db_brier(const double *p, const int *y, int n)
{
	double b = 0;
	int i;

	for (i = 0; i < n; i++)
		b += (p[i] - y[i]) * (p[i] - y[i]);
	return n ? b / n : 0;
}

double db_brier_const(const int *y, int n)
{
	double base = 0;
	int i;

	for (i = 0; i < n; i++)
		base += y[i];
	base = n ? base / n : 0;
	return base * (1 - base);
}

static const double *cmp_s;
static int cmp_idx(const void *a, const void *b)
{
	double x = cmp_s[*(const int *)a], y = cmp_s[*(const int *)b];

	return x < y ? -1 : (x > y);
}

void db_report(const char *name, const double *p, const db_data *d, int table)
{
	int idx[DB_MAXN], i, q, n = d->n;

	printf("%-44s AUC<15m %.3f  AUC<1h %.3f  Brier %.4f (const %.4f)\n",
	       name, db_auc(p, d->y15, n), db_auc(p, d->y1h, n),
	       db_brier(p, d->y15, n), db_brier_const(d->y15, n));
	if (!table)
		return;
	for (i = 0; i < n; i++)
		idx[i] = i;
	cmp_s = p;
	qsort(idx, (size_t)n, sizeof(int), cmp_idx);
	printf("  quintile  n   mean score  observed <15min  observed <1h\n");
	for (q = 0; q < 5; q++) {
		int lo = q * n / 5, hi = (q + 1) * n / 5, k;
		double ms = 0, o15 = 0, o1h = 0;

		for (k = lo; k < hi; k++) {
			ms += p[idx[k]];
			o15 += d->y15[idx[k]];
			o1h += d->y1h[idx[k]];
		}
		if (hi > lo)
			printf("  %8d %3d   %.3f       %.3f            %.3f\n",
			       q + 1, hi - lo, ms / (hi - lo), o15 / (hi - lo),
			       o1h / (hi - lo));
	}
}
