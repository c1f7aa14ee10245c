/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <issuesight/difficulty.h>

#include "concepts_int.h"
#include "core_int.h"
#include "difficulty_int.h"

static double score_of(const isg_difficulty_input *in)
{
	isg_difficulty *d = NULL;
	double s;

	ISG_ASSERT_OK(isg_difficulty_estimate(&d, in));
	s = isg_difficulty_score(d);
	assert_true(s >= 0.0 && s <= 1.0);
	isg_difficulty_free(d);
	return s;
}

static int has_reason(const isg_difficulty *d, const char *feature,
                      const char *text_part)
{
	size_t i;

	for (i = 0; i < isg_difficulty_reason_count(d); i++) {
		const isg_difficulty_reason *r = isg_difficulty_reason_at(d, i);

		if (strcmp(r->feature, feature) == 0 &&
		    strstr(r->text, text_part))
			return 1;
	}
	return 0;
}

static void test_difficulty__labels_move_the_score(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	const char *good[] = { "bug", "good first issue" };
	const char *hard[] = { "needs design" };
	isg_difficulty *d = NULL;
	double base, up, down;

	(void)state;
	in.title = "Button label is cut off";
	in.body = "The label of the save button is truncated.";
	base = score_of(&in);
	in.labels = good;
	in.nlabels = 2;
	up = score_of(&in);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(d, "label_good_first_issue",
	                       "labelled 'good first issue' (easier)"));
	isg_difficulty_free(d);
	in.labels = hard;
	in.nlabels = 1;
	down = score_of(&in);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(d, "label_hard",
	                       "labelled 'needs design' (harder)"));
	isg_difficulty_free(d);
	assert_true(up > base + 0.1);
	assert_true(down < base - 0.1);
}

static void test_difficulty__text_features_move_the_score(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_difficulty *d = NULL;
	double typo, refactor;

	(void)state;
	in.title = "Typo in the docs of read_csv";
	in.body = "The documentation says 'recieve'; fix the spelling.";
	typo = score_of(&in);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(
	        d, "text_small_scope",
	        "mentions 'typo', usually a small, local change (easier)"));
	isg_difficulty_free(d);
	in.title = "Refactor the scheduler to fix a race condition";
	in.body =
	        "There is a race between threads and a memory leak; this needs a redesign with backward compatibility in mind.";
	refactor = score_of(&in);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(d, "text_large_scope", "(harder)"));
	assert_true(isg_difficulty_reason_count(d) > 0);
	/* Reasons come largest effect first. */
	assert_true(fabs(isg_difficulty_reason_at(d, 0)->contribution) >=
	            fabs(isg_difficulty_reason_at(
	                         d, isg_difficulty_reason_count(d) - 1)
	                         ->contribution));
	isg_difficulty_free(d);
	assert_true(typo > refactor + 0.2);
}

/* Every reason is material, states a direction that agrees with its
 * contribution, and they come strongest first. */
static void assert_reasons_consistent(const isg_difficulty *d)
{
	size_t i, n = isg_difficulty_reason_count(d);

	for (i = 0; i < n; i++) {
		const isg_difficulty_reason *r = isg_difficulty_reason_at(d, i);
		size_t len = strlen(r->text);
		const char *want =
		        r->contribution > 0 ? "(easier)" : "(harder)";

		assert_true(fabs(r->contribution) >= ISG__DF_REASON_MIN);
		assert_true(len > strlen(want));
		assert_string_equal(r->text + len - strlen(want), want);
		if (i)
			assert_true(fabs(isg_difficulty_reason_at(d, i - 1)
			                         ->contribution) >=
			            fabs(r->contribution));
	}
}

static void
test_difficulty__spread_is_measured_but_carries_no_weight(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	const char *one[] = { "src/util.py" };
	const double one_s[] = { 3.0 };
	const char *many[] = { "a/x.py", "b/y.py", "c/z.py",
		               "d/w.py", "a/v.py", "e/u.py" };
	const double many_s[] = { 1.0, 0.9, 0.9, 0.8, 0.8, 0.7 };
	double x[ISG__DF_COUNT], focused, spread;
	int known[ISG__DF_COUNT];
	isg_difficulty *d = NULL;

	(void)state;
	in.title = "Wrong result";
	in.paths = many;
	in.path_scores = many_s;
	in.npaths = 6;
	ISG_ASSERT_OK(isg__difficulty_features(x, known, &in));
	assert_int_equal(known[ISG__DF_SPREAD_FILES], 1);
	assert_true(fabs(x[ISG__DF_SPREAD_FILES] - log2(6.0)) < 1e-9);
	assert_true(x[ISG__DF_SPREAD_DIRS] == 4.0);
	/* The calibration found no signal in the located spread: it is
	 * computed, weighs nothing and is never a reason. */
	assert_true(isg__difficulty_weights[ISG__DF_SPREAD_FILES] == 0);
	assert_int_equal(isg__difficulty_fitted[ISG__DF_SPREAD_FILES], -1);
	spread = score_of(&in);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_false(has_reason(d, "spread_files", ""));
	assert_false(has_reason(d, "concentration", ""));
	isg_difficulty_free(d);
	in.paths = one;
	in.path_scores = one_s;
	in.npaths = 1;
	focused = score_of(&in);
	assert_true(fabs(focused - spread) < 1e-12);
}

static void
test_difficulty__concepts_and_discussion_make_it_harder(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_concepts *cat = NULL;
	isg_concepts_matches *m = NULL;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_difficulty *d = NULL;
	double calm, heavy, quiet, loud;

	(void)state;
	in.title = "Wrong result";
	ISG_ASSERT_OK(isg_concepts_new(&cat, NULL));
	q.title = "Deadlock between threads holding a mutex";
	q.body = "A race condition in the lock-free queue under concurrency.";
	ISG_ASSERT_OK(isg_concepts_match(&m, cat, &q));
	calm = score_of(&in);
	in.concepts = m;
	heavy = score_of(&in);
	assert_true(calm > heavy);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(d, "concept_weight",
	                       "needs demanding concepts such as '"));
	assert_true(has_reason(d, "concept_weight", "(harder)"));
	assert_reasons_consistent(d);
	isg_difficulty_free(d);
	in.concepts = NULL;
	quiet = score_of(&in);
	in.comment_count = 40;
	in.comment_chars = 60000;
	loud = score_of(&in);
	assert_true(quiet > loud);
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(has_reason(
	        d, "comments",
	        "discussion so far: 40 comments, about 60000 characters (harder)"));
	isg_difficulty_free(d);
	/* One short comment is no "long discussion": it earns no reason. */
	in.comment_count = 1;
	in.comment_chars = 80;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_false(has_reason(d, "comments", "discussion"));
	isg_difficulty_free(d);
	isg_concepts_matches_free(m);
	isg_concepts_free(cat);
}

/* The wording the bridge used to show, "report has reproduction steps,
 * expected vs actual, code (-)", read as if a good report made an issue
 * harder. Report structure now carries no weight; only length does, and
 * it says so in the direction of its weight. */
static void test_difficulty__reasons_read_right(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	char *body = malloc(6001);
	isg_difficulty *d = NULL;
	size_t i;

	(void)state;
	assert_non_null(body);
	in.title = "Widget.validate_size accepts a negative height";
	in.body =
	        "Steps to reproduce:\n```\nWidget(1, -5)\n```\nExpected a ValueError, actual: no error.";
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_false(has_reason(d, "body_structure", ""));
	assert_true(has_reason(d, "body_length", "short report ("));
	assert_true(has_reason(d, "body_length", "(easier)"));
	assert_reasons_consistent(d);
	isg_difficulty_free(d);
	for (i = 0; i < 6000; i++)
		body[i] = "the parser drops a field "[i % 25];
	body[6000] = '\0';
	in.body = body;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_true(
	        has_reason(d, "body_length", "long report (6000 characters)"));
	assert_true(has_reason(d, "body_length", "(harder)"));
	assert_reasons_consistent(d);
	isg_difficulty_free(d);
	free(body);
}

/* An issue with nothing special (typical length, no labels, no words,
 * localization and concepts unknown) scores the model's base rate and
 * has no reasons. */
static void test_difficulty__typical_issue_has_no_reasons(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	char body[1501];
	isg_difficulty *d = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < 1500; i++)
		body[i] = "the value is wrong when "[i % 24];
	body[1500] = '\0';
	in.title = "Wrong value";
	in.body = body;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_int_equal(isg_difficulty_reason_count(d), 0);
	assert_null(isg_difficulty_reason_at(d, 0));
	assert_true(fabs(isg_difficulty_score(d) -
	                 1.0 / (1.0 + exp(-isg__difficulty_bias))) < 0.02);
	assert_int_equal(isg_difficulty_level_of(d),
	                 ISG_DIFFICULTY_INTERMEDIATE);
	isg_difficulty_free(d);
}

static void test_difficulty__thresholds_map_levels(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	const char *good[] = { "good first issue", "documentation" };
	isg_difficulty *d = NULL;
	isg_buf json = ISG_BUF_INIT;
	int lvl;

	(void)state;
	in.title = "Typo in README";
	in.labels = good;
	in.nlabels = 2;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_int_equal(isg_difficulty_level_of(d), ISG_DIFFICULTY_BEGINNER);
	assert_true(isg_difficulty_score(d) >= ISG_DIFFICULTY_THRESHOLD_HI);
	assert_true(isg_difficulty_junior_friendly(d));
	assert_reasons_consistent(d);
	ISG_ASSERT_OK(isg_difficulty_to_json(&json, d));
	assert_non_null(strstr(json.ptr, "\"difficulty\":\"beginner\""));
	assert_non_null(strstr(json.ptr, "\"junior_friendly\":true"));
	isg_difficulty_free(d);
	/* The same issue with thresholds above its score. */
	in.threshold_hi = 0.999;
	in.threshold_lo = 0.99;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_int_equal(isg_difficulty_level_of(d), ISG_DIFFICULTY_ADVANCED);
	assert_false(isg_difficulty_junior_friendly(d));
	isg_difficulty_free(d);
	in.threshold_lo = 0.01;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	assert_int_equal(isg_difficulty_level_of(d),
	                 ISG_DIFFICULTY_INTERMEDIATE);
	isg_difficulty_free(d);
	in.threshold_lo = 0.9;
	in.threshold_hi = 0.5;
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_estimate(&d, &in));
	assert_null(d);
	assert_non_null(strstr(isg_error_last()->message, "0.9"));
	in.threshold_hi = 1.5;
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_estimate(&d, &in));
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_estimate(&d, NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_estimate(NULL, &in));
	in.version = 7;
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_estimate(&d, &in));
	ISG_ASSERT_OK(isg_difficulty_level_parse(&lvl, "Intermediate"));
	assert_int_equal(lvl, ISG_DIFFICULTY_INTERMEDIATE);
	ISG_ASSERT_RC(ISG_EINVALID, isg_difficulty_level_parse(&lvl, "meh"));
	assert_string_equal(isg_difficulty_level_name(9), "unknown");
	assert_int_equal(isg_difficulty_score(NULL), 0);
	isg_difficulty_free(NULL);
	isg_buf_dispose(&json);
}

static void test_difficulty__empty_huge_and_invalid_text(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	size_t n = 1024 * 1024 + 17, i;
	char *big = malloc(n + 1);
	const char bad[] = "\xff\xfe race \xc3\x28 typo \xe2\x82 \x80\x80";
	const char *labels[] = { "\xff\xff", "" };
	isg_difficulty *d = NULL;
	isg_buf json = ISG_BUF_INIT;

	(void)state;
	score_of(&in); /* nothing at all */
	in.title = "";
	in.body = "";
	score_of(&in);
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = "refactor the thread pool \n```x``` "[i % 35];
	big[n] = '\0';
	in.body = big;
	score_of(&in);
	in.title = bad;
	in.body = bad;
	in.labels = labels;
	in.nlabels = 2;
	ISG_ASSERT_OK(isg_difficulty_estimate(&d, &in));
	ISG_ASSERT_OK(isg_difficulty_to_json(&json, d));
	assert_true(isg__text_utf8_valid(json.ptr, json.size));
	isg_difficulty_free(d);
	isg_buf_dispose(&json);
	free(big);
}

static void test_difficulty__features_are_finite(void **state)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	double x[ISG__DF_COUNT];
	int known[ISG__DF_COUNT];
	size_t i;

	(void)state;
	in.body = "Traceback (most recent call last):\n  File \"x.py\"";
	ISG_ASSERT_OK(isg__difficulty_features(x, known, &in));
	assert_true(x[ISG__DF_STACK_TRACE] == 1.0);
	assert_int_equal(known[ISG__DF_SPREAD_FILES], 0);
	/* Unknown features sit at their center: they move nothing. */
	assert_true(x[ISG__DF_SPREAD_FILES] ==
	            isg__difficulty_center[ISG__DF_SPREAD_FILES]);
	assert_int_equal(known[ISG__DF_CONCEPT_WEIGHT], 0);
	assert_true(x[ISG__DF_CONCEPT_WEIGHT] ==
	            isg__difficulty_center[ISG__DF_CONCEPT_WEIGHT]);
	for (i = 0; i < ISG__DF_COUNT; i++)
		assert_true(x[i] == x[i] && x[i] > -10 && x[i] < 10);
}

/* The catalog parser reads outside data: fail every allocation in turn,
 * with a catalog given in memory; each must give ISG_ENOMEM and no leak. */
static void test_difficulty__catalog_parser_allocation_failures(void **state)
{
	const char *json =
	        "{\"concepts\": [{\"slug\": \"a\", \"name\": \"A\", \"description\": \"First concept. It has two sentences.\", \"level\": \"foundational\", \"difficulty_weight\": 0.2, \"signals\": {\"keywords\": [\"alpha beta\", \"gamma\"], \"imports\": [\"alpha\"], \"files\": [\"*.a\"]}},{\"slug\": \"b\", \"name\": \"B\", \"parents\": [\"a\"], \"description\": \"Second concept. It has two sentences.\", \"level\": 3, \"signals\": {\"keywords\": [\"delta\"]}}]}";
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_concepts *cat = NULL;
	isg_difficulty *d = NULL;
	long k;
	int rc, done = 0;

	(void)state;
	o.json = json;
	o.json_len = strlen(json);
	for (k = 1; !done && k < 10000; k++) {
		isg_test_alloc_install();
		isg_test_alloc_fail_at(k);
		rc = isg_concepts_new(&cat, &o);
		if (rc == ISG_OK) {
			assert_int_equal(isg_concepts_count(cat), 2);
			isg_concepts_free(cat);
			done = 1;
		} else {
			assert_int_equal(rc, ISG_ENOMEM);
			assert_null(cat);
		}
		assert_int_equal(isg_test_alloc_live(), 0);
		isg_test_alloc_uninstall();
	}
	assert_true(done);
	/* And the estimator itself. */
	in.title = "Race in the thread pool";
	in.body = "Expected no crash but got a segmentation fault.";
	for (done = 0, k = 1; !done && k < 10000; k++) {
		isg_test_alloc_install();
		isg_test_alloc_fail_at(k);
		rc = isg_difficulty_estimate(&d, &in);
		if (rc == ISG_OK) {
			isg_difficulty_free(d);
			done = 1;
		} else {
			assert_int_equal(rc, ISG_ENOMEM);
		}
		assert_int_equal(isg_test_alloc_live(), 0);
		isg_test_alloc_uninstall();
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_difficulty__labels_move_the_score),
		cmocka_unit_test(test_difficulty__text_features_move_the_score),
		cmocka_unit_test(
		        test_difficulty__spread_is_measured_but_carries_no_weight),
		cmocka_unit_test(
		        test_difficulty__concepts_and_discussion_make_it_harder),
		cmocka_unit_test(test_difficulty__reasons_read_right),
		cmocka_unit_test(test_difficulty__typical_issue_has_no_reasons),
		cmocka_unit_test(test_difficulty__thresholds_map_levels),
		cmocka_unit_test(test_difficulty__empty_huge_and_invalid_text),
		cmocka_unit_test(test_difficulty__features_are_finite),
		cmocka_unit_test(
		        test_difficulty__catalog_parser_allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
