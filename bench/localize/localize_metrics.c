/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Localization metrics as LocAgent counts them: an issue counts for Acc@k
 * only when every gold file is within the top k; MRR uses the rank of the
 * first gold file found.
 */
#include <string.h>

#include "localize_int.h"

const size_t lb_acc_k[LB_NK] = { 1, 3, 5 };

static const char *strip_dot(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

lb_ranks lb_rank_gold(const char *const *ranked, size_t n,
                      const char *const *gold, size_t ngold, size_t *gold_rank)
{
	lb_ranks r = { 0, 0, 0 };
	size_t g, i, worst = 0;

	for (g = 0; g < ngold; g++) {
		const char *want = strip_dot(gold[g]);
		size_t rank = 0;

		/* The first occurrence wins, so a duplicated path later in
		 * the list cannot improve or worsen the gold file's rank. */
		for (i = 0; i < n && rank == 0; i++)
			if (ranked[i] &&
			    strcmp(strip_dot(ranked[i]), want) == 0)
				rank = i + 1;
		if (gold_rank)
			gold_rank[g] = rank;
		if (rank == 0)
			continue;
		r.found++;
		if (r.first == 0 || rank < r.first)
			r.first = rank;
		if (rank > worst)
			worst = rank;
	}
	/* An issue without gold files cannot be localized: never a hit. */
	r.all = (ngold > 0 && r.found == ngold) ? worst : 0;
	return r;
}

void lb_totals_add(lb_totals *t, const lb_ranks *r, double index_s,
                   double query_s, int failed)
{
	size_t i;

	t->issues++;
	t->index_s += index_s;
	t->query_s += query_s;
	if (failed) {
		t->errors++;
		return;
	}
	for (i = 0; i < LB_NK; i++)
		if (r->all > 0 && r->all <= lb_acc_k[i])
			t->hits[i]++;
	if (r->first > 0)
		t->rr_sum += 1.0 / (double)r->first;
}

double lb_totals_acc(const lb_totals *t, size_t i)
{
	if (t->issues == 0 || i >= LB_NK)
		return 0.0;
	return (double)t->hits[i] / (double)t->issues;
}

double lb_totals_mrr(const lb_totals *t)
{
	return t->issues ? t->rr_sum / (double)t->issues : 0.0;
}

double lb_totals_index_mean(const lb_totals *t)
{
	return t->issues ? t->index_s / (double)t->issues : 0.0;
}

double lb_totals_query_mean(const lb_totals *t)
{
	return t->issues ? t->query_s / (double)t->issues : 0.0;
}

const size_t lb_def_k[LB_NDK] = { 1, 5, 10 };

int lb_def_hit(const char *const *ranked, size_t n, const char *const *gold,
               size_t ngold, size_t k)
{
	size_t i, g, hits = 0, need = ngold < k ? ngold : k;

	if (ngold == 0)
		return 0;
	for (i = 0; i < n && i < k; i++) {
		/* A name repeated in the ranking counts once. */
		size_t j;
		int dup = 0;

		for (j = 0; j < i && !dup; j++)
			dup = strcmp(ranked[j], ranked[i]) == 0;
		for (g = 0; g < ngold && !dup; g++)
			if (strcmp(ranked[i], gold[g]) == 0) {
				hits++;
				break;
			}
	}
	return hits >= need;
}

void lb_def_totals_add(lb_def_totals *t, const char *const *ranked, size_t n,
                       const char *const *gold, size_t ngold)
{
	size_t i;

	t->issues++;
	for (i = 0; i < LB_NDK; i++)
		t->hits[i] +=
		        (size_t)lb_def_hit(ranked, n, gold, ngold, lb_def_k[i]);
}

double lb_def_totals_acc(const lb_def_totals *t, size_t i)
{
	if (t->issues == 0 || i >= LB_NDK)
		return 0.0;
	return (double)t->hits[i] / (double)t->issues;
}
