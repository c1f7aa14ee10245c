/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the difficulty estimator: the feature vector and the
 * weight table, shared with the calibration bench (bench/difficulty) so that
 * the bench fits exactly the features the library computes.
 */
#ifndef ISSUESIGHT_DIFFICULTY_INT_H
#define ISSUESIGHT_DIFFICULTY_INT_H

#include <stddef.h>

#include "issuesight/difficulty.h"

/* Feature indexes, in the order of the weight table. */
enum {
	ISG__DF_LABEL_GOOD_FIRST = 0,
	ISG__DF_LABEL_HELP_WANTED,
	ISG__DF_LABEL_DOCS,
	ISG__DF_LABEL_HARD,
	ISG__DF_TEXT_SMALL_SCOPE,
	ISG__DF_TEXT_LARGE_SCOPE,
	ISG__DF_BODY_STRUCTURE,
	ISG__DF_STACK_TRACE,
	ISG__DF_BODY_LENGTH,
	ISG__DF_SPREAD_FILES,
	ISG__DF_SPREAD_DIRS,
	ISG__DF_CONCENTRATION,
	ISG__DF_CONCEPT_WEIGHT,
	ISG__DF_COMMENTS,
	ISG__DF_COMMENT_CHARS,
	ISG__DF_COUNT
};

/* Feature names, stable: they appear in reasons as `feature`. */
extern const char *const isg__difficulty_feature_names[ISG__DF_COUNT];

/* The model: log-odds = bias + sum(weights[i] * (x[i] - center[i])).
 * `center` is the value of a typical issue: the mean over the calibration
 * set for the continuous features (report length, spread, concepts), 0 for
 * the ones that count the presence of something (labels, words, comments).
 * So the bias is the log-odds of a typical issue with nothing special, and
 * each term is how far this issue's evidence moves it from there: the
 * reasons report exactly these terms. */
extern const double isg__difficulty_bias;
extern const double isg__difficulty_weights[ISG__DF_COUNT];
extern const double isg__difficulty_center[ISG__DF_COUNT];
/* Where each weight comes from: 1 fitted by bench/difficulty (the bench
 * refits exactly these rows), 0 a prior (the calibration set does not
 * inform the feature; the bench keeps it as a fixed offset), -1 measured
 * and set to zero (no signal, or a sign that contradicts experience). */
extern const int isg__difficulty_fitted[ISG__DF_COUNT];

/* Contributions smaller than this (in log-odds) are not reported as
 * reasons: they move the score by less than about four points of
 * probability, which is noise next to the model's accuracy. */
#define ISG__DF_REASON_MIN 0.15

/* Fills x[ISG__DF_COUNT] for an input. `known` (may be NULL) receives 1
 * for each feature the input informs (localization features are unknown
 * without paths, the concept feature without concepts); an unknown
 * feature is set to its center, so it neither moves the score nor
 * becomes a reason. Returns ISG_OK or ISG_ENOMEM. */
int isg__difficulty_features(double *x, int *known,
                             const isg_difficulty_input *in);

#endif /* ISSUESIGHT_DIFFICULTY_INT_H */
