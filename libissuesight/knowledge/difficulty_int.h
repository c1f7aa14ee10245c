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

/* The model: log-odds = bias + sum(weights[i] * x[i]). */
extern const double isg__difficulty_bias;
extern const double isg__difficulty_weights[ISG__DF_COUNT];

/* Fills x[ISG__DF_COUNT] for an input. `known` (may be NULL) receives 1
 * for each feature the input informs (localization features are unknown
 * without paths). Returns ISG_OK or ISG_ENOMEM. */
int isg__difficulty_features(double *x, int *known,
                             const isg_difficulty_input *in);

#endif /* ISSUESIGHT_DIFFICULTY_INT_H */
