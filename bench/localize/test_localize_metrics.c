/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The localization benchmark's numbers must be right: Acc@k counts an issue
 * only when all its gold files are within the top k, MRR uses the first
 * gold file, failures count as misses; the BM25 baseline ranks as the
 * formula says.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "localize_int.h"

static const char *const ranked[] = { "a.py", "b.py", "c.py", "d.py",
	                              "e.py", "f.py", "g.py" };
#define NRANKED (sizeof(ranked) / sizeof(ranked[0]))

static void test_rank__single_gold_at_its_position(void **state)
{
	const char *gold[] = { "c.py" };
	size_t gr[1];
	lb_ranks r;

	(void)state;
	r = lb_rank_gold(ranked, NRANKED, gold, 1, gr);
	assert_int_equal(r.first, 3);
	assert_int_equal(r.all, 3);
	assert_int_equal(r.found, 1);
	assert_int_equal(gr[0], 3);
}

static void test_rank__all_needs_every_gold_file(void **state)
{
	const char *both[] = { "f.py", "b.py" };
	const char *one_missing[] = { "b.py", "zzz.py" };
	size_t gr[2];
	lb_ranks r;

	(void)state;
	r = lb_rank_gold(ranked, NRANKED, both, 2, gr);
	assert_int_equal(r.first, 2); /* best placed, not the first listed */
	assert_int_equal(r.all, 6);   /* worst placed */
	assert_int_equal(gr[0], 6);
	assert_int_equal(gr[1], 2);

	r = lb_rank_gold(ranked, NRANKED, one_missing, 2, gr);
	assert_int_equal(r.first, 1 + 1);
	assert_int_equal(r.all, 0); /* never a hit at any k */
	assert_int_equal(r.found, 1);
	assert_int_equal(gr[1], 0);
}

static void test_rank__first_occurrence_and_dot_slash(void **state)
{
	const char *dup[] = { "x.py", "./y.py", "x.py", "z.py" };
	const char *gold[] = { "y.py", "./z.py" };
	lb_ranks r;

	(void)state;
	r = lb_rank_gold(dup, 4, gold, 2, NULL);
	assert_int_equal(r.first, 2);
	assert_int_equal(r.all, 4);
}

static void test_rank__empty_ranking_or_no_gold(void **state)
{
	const char *gold[] = { "a.py" };
	lb_ranks r;

	(void)state;
	r = lb_rank_gold(NULL, 0, gold, 1, NULL);
	assert_int_equal(r.first, 0);
	assert_int_equal(r.all, 0);
	r = lb_rank_gold(ranked, NRANKED, NULL, 0, NULL);
	assert_int_equal(r.all, 0);
}

static void test_totals__acc_and_mrr_on_synthetic_issues(void **state)
{
	/* Issues whose worst gold rank is 1, 3, 5 and 6, first ranks 1, 2, 4
	 * and 6, plus one that failed to run. */
	const lb_ranks issues[] = {
		{ 1, 1, 1 }, { 2, 3, 2 }, { 4, 5, 2 }, { 6, 6, 1 }
	};
	lb_totals t;
	size_t i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 4; i++)
		lb_totals_add(&t, &issues[i], 2.0, 0.5, 0);
	lb_totals_add(&t, &issues[0], 1.0, 0.0, 1);
	assert_int_equal(t.issues, 5);
	assert_int_equal(t.errors, 1);
	assert_int_equal(t.hits[0], 1);
	assert_int_equal(t.hits[1], 2);
	assert_int_equal(t.hits[2], 3);
	assert_true(fabs(lb_totals_acc(&t, 0) - 0.2) < 1e-12);
	assert_true(fabs(lb_totals_acc(&t, 1) - 0.4) < 1e-12);
	assert_true(fabs(lb_totals_acc(&t, 2) - 0.6) < 1e-12);
	assert_true(fabs(lb_totals_mrr(&t) -
	                 (1.0 + 0.5 + 0.25 + 1.0 / 6.0) / 5.0) < 1e-12);
	assert_true(fabs(lb_totals_index_mean(&t) - 9.0 / 5.0) < 1e-12);
	assert_true(fabs(lb_totals_query_mean(&t) - 2.0 / 5.0) < 1e-12);
	assert_true(lb_totals_acc(&t, LB_NK) == 0.0);
}

static void test_totals__empty_is_zero(void **state)
{
	lb_totals t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_true(lb_totals_acc(&t, 0) == 0.0);
	assert_true(lb_totals_mrr(&t) == 0.0);
	assert_true(lb_totals_index_mean(&t) == 0.0);
}

static void count_tok(const char *tok, size_t n, void *payload)
{
	char *out = payload;
	size_t used = strlen(out);

	memcpy(out + used, tok, n);
	out[used + n] = '|';
	out[used + n + 1] = '\0';
}

/* LocAgent's rule: a hit at k when min(#gold, k) of the top k are gold. */
static void test_defs__min_gold_k_of_top_k(void **state)
{
	const char *list[] = { "a.py:f", "a.py:C.m", "b.py:g", "a.py:f",
		               "c.py:h" };
	const char *one[] = { "b.py:g" };
	const char *two[] = { "a.py:C.m", "c.py:h" };
	const char *none[] = { "z.py:q" };
	lb_def_totals t;

	(void)state;
	assert_int_equal(lb_def_hit(list, 5, one, 1, 1), 0);
	assert_int_equal(lb_def_hit(list, 5, one, 1, 3), 1);
	/* Two gold: at k = 1 one of them first is enough... */
	assert_int_equal(lb_def_hit(list + 1, 4, two, 2, 1), 1);
	/* ...at k = 5 both must be there; the repeated a.py:f counts once. */
	assert_int_equal(lb_def_hit(list, 5, two, 2, 3), 0);
	assert_int_equal(lb_def_hit(list, 5, two, 2, 5), 1);
	assert_int_equal(lb_def_hit(list, 5, none, 1, 10), 0);
	assert_int_equal(lb_def_hit(list, 5, NULL, 0, 10), 0);
	memset(&t, 0, sizeof(t));
	lb_def_totals_add(&t, list, 5, one, 1);
	lb_def_totals_add(&t, list, 5, none, 1);
	assert_int_equal(t.issues, 2);
	assert_true(lb_def_totals_acc(&t, 0) == 0.0);
	assert_true(lb_def_totals_acc(&t, 1) == 0.5);
	assert_true(lb_def_totals_acc(&t, 2) == 0.5);
}

static void test_tokenize__lowercase_identifier_runs(void **state)
{
	char out[256] = "";
	const char *text = "TimeSeries.remove_column(x) -> 42 é ab";

	(void)state;
	assert_int_equal(lb_tokenize(text, strlen(text), count_tok, out), 4);
	assert_string_equal(out, "timeseries|remove_column|42|ab|");
}

static void test_source_path__tests_excluded(void **state)
{
	(void)state;
	assert_true(lb_is_source_path("astropy/table/table.py"));
	assert_true(lb_is_source_path("src/_pytest/python.py"));
	assert_true(lb_is_source_path("lib/x.c"));
	assert_false(lb_is_source_path("astropy/table/tests/test_table.py"));
	assert_false(lb_is_source_path("testing/python/collect.py"));
	assert_false(lb_is_source_path("pkg/test_x.py"));
	assert_false(lb_is_source_path("pkg/x_test.go"));
	assert_false(lb_is_source_path("conftest.py"));
	assert_false(lb_is_source_path("README.rst"));
	assert_false(lb_is_source_path("setup.cfg"));
	assert_false(lb_is_source_path(".py"));
}

static void test_contains_word__identifier_boundaries(void **state)
{
	const char *t = "see astropy/table/table.py and Table.add_row";

	(void)state;
	assert_true(lb_contains_word(t, strlen(t), "table.py"));
	assert_true(lb_contains_word(t, strlen(t), "add_row"));
	assert_false(lb_contains_word(t, strlen(t), "add"));
	assert_false(lb_contains_word(t, strlen(t), "able"));
	assert_false(lb_contains_word(t, strlen(t), ""));
}

static int add(lb_bm25 *b, const char *path, const char *text)
{
	return lb_bm25_add(b, path, text, strlen(text));
}

static void test_bm25__rare_matching_term_ranks_first(void **state)
{
	const char *out[4];
	double sc[4];
	lb_bm25 *b = lb_bm25_new();
	const char *q = "Crash in frobnicate when value is None";
	size_t n;

	(void)state;
	assert_non_null(b);
	assert_int_equal(add(b, "pkg/common.py", "value value value"), 0);
	assert_int_equal(add(b, "pkg/frob.py", "def frobnicate(value): pass"),
	                 0);
	assert_int_equal(add(b, "pkg/other.py", "unrelated words"), 0);
	assert_int_equal(lb_bm25_doc_count(b), 3);
	n = lb_bm25_query(b, q, strlen(q), out, sc, 4);
	/* other.py shares no term: excluded. */
	assert_int_equal(n, 2);
	/* frobnicate is in one document, value in two. */
	assert_string_equal(out[0], "pkg/frob.py");
	assert_string_equal(out[1], "pkg/common.py");
	assert_true(sc[0] > sc[1] && sc[1] > 0);
	lb_bm25_free(b);
	lb_bm25_free(NULL);
}

static void test_bm25__score_matches_formula(void **state)
{
	const char *out[2];
	double sc[2], idf, avgdl, want;
	lb_bm25 *b = lb_bm25_new();
	size_t n;

	(void)state;
	/* Paths are indexed too: "a1" and "b1" add one token each. */
	assert_int_equal(add(b, "a1", "zz zz yy"), 0);
	assert_int_equal(add(b, "b1", "yy"), 0);
	n = lb_bm25_query(b, "zz zz", 5, out, sc, 2);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "a1");
	/* N = 2, df(zz) = 1, tf = 2, |d| = 4, avgdl = (4 + 2) / 2; the
	 * query names zz twice, so it counts twice. */
	idf = log(1.0 + (2.0 - 1.0 + 0.5) / (1.0 + 0.5));
	avgdl = 3.0;
	want = 2.0 * idf * 2.0 * (LB_BM25_K1 + 1.0) /
	       (2.0 + LB_BM25_K1 * (1.0 - LB_BM25_B + LB_BM25_B * 4.0 / avgdl));
	assert_true(fabs(sc[0] - want) < 1e-12);
	/* The shorter of two documents with the same tf wins. */
	n = lb_bm25_query(b, "yy", 2, out, sc, 2);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "b1");
	lb_bm25_free(b);
}

static void test_bm25__equal_scores_break_ties_by_path(void **state)
{
	const char *out[3];
	lb_bm25 *b = lb_bm25_new();

	(void)state;
	assert_int_equal(add(b, "p3", "qq"), 0);
	assert_int_equal(add(b, "p1", "qq"), 0);
	assert_int_equal(add(b, "p2", "qq"), 0);
	assert_int_equal(add(b, "p4", "rr"), 0);
	assert_int_equal(lb_bm25_query(b, "qq", 2, out, NULL, 3), 3);
	assert_string_equal(out[0], "p1");
	assert_string_equal(out[1], "p2");
	assert_string_equal(out[2], "p3");
	assert_int_equal(lb_bm25_query(b, "nothing", 7, out, NULL, 3), 0);
	lb_bm25_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank__single_gold_at_its_position),
		cmocka_unit_test(test_rank__all_needs_every_gold_file),
		cmocka_unit_test(test_rank__first_occurrence_and_dot_slash),
		cmocka_unit_test(test_rank__empty_ranking_or_no_gold),
		cmocka_unit_test(test_totals__acc_and_mrr_on_synthetic_issues),
		cmocka_unit_test(test_totals__empty_is_zero),
		cmocka_unit_test(test_defs__min_gold_k_of_top_k),
		cmocka_unit_test(test_tokenize__lowercase_identifier_runs),
		cmocka_unit_test(test_source_path__tests_excluded),
		cmocka_unit_test(test_contains_word__identifier_boundaries),
		cmocka_unit_test(test_bm25__rare_matching_term_ranks_first),
		cmocka_unit_test(test_bm25__score_matches_formula),
		cmocka_unit_test(test_bm25__equal_scores_break_ties_by_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
