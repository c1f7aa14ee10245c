/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/difficulty.h
 * @brief The junior-friendliness estimator: a score with its reasons.
 *
 * The score in [0,1] is the estimated probability that the fix is small
 * (calibrated against human "<15 min fix" estimates for real issues). It
 * comes from a small logistic model,
 * `score = sigmoid(bias + sum(w_i * (x_i - typical_i)))`, over features a
 * person would look at: the labels ("good first issue" +, "needs design"
 * -), the length of the report, words that signal scope ("typo", "error
 * message" +; "refactor", "race", "leak", "backward compat" -), the
 * difficulty weight of the concepts matched on the issue and its localized
 * files (concurrency, security, numerical stability...), and the length of
 * the discussion. The spread of the localized files, the report's
 * structure and stack traces are computed too, but carry no weight today:
 * on the calibration set they showed no signal. The weights are a table in
 * the library, fitted with cross-validation (see bench/README.md,
 * "Difficulty calibration"); the signal in such data is weak, so read the
 * score as a hint, not a measurement.
 *
 * The reasons are the features that moved the score materially away from
 * a typical issue, strongest first, each stating its evidence and its
 * direction, such as "labelled 'good first issue' (easier)" or "long
 * report (4210 characters): bigger problems take more words (harder)".
 */
#ifndef ISSUESIGHT_DIFFICULTY_H
#define ISSUESIGHT_DIFFICULTY_H

#include "buf.h"
#include "common.h"
#include "concepts.h"

ISG_BEGIN_DECLS

/** The verdict. */
typedef enum isg_difficulty_level {
	ISG_DIFFICULTY_BEGINNER = 0,     /**< score >= threshold_hi */
	ISG_DIFFICULTY_INTERMEDIATE = 1, /**< in between */
	ISG_DIFFICULTY_ADVANCED = 2      /**< score < threshold_lo */
} isg_difficulty_level;

/**
 * Default `threshold_hi`: at or above it an issue is beginner (and
 * junior-friendly): a small fix is more likely than not. On the
 * calibration set 15% of the issues score this high, and half of those
 * are "<15 min" fixes (against 37% overall).
 */
#define ISG_DIFFICULTY_THRESHOLD_HI 0.5
/**
 * Default `threshold_lo`: below it an issue is advanced: a small fix is
 * unlikely (one chance in four or less). About a fifth of the calibration
 * set scores this low, and fewer than one in ten of those are "<15 min"
 * fixes.
 */
#define ISG_DIFFICULTY_THRESHOLD_LO 0.25

/** The current version of ::isg_difficulty_input. */
#define ISG_DIFFICULTY_INPUT_VERSION 1

/**
 * What the estimator looks at. Every field may be NULL/0; text need not be
 * valid UTF-8 and may be large (only the first 1 MiB of the body is read).
 */
typedef struct isg_difficulty_input {
	/** Must be ::ISG_DIFFICULTY_INPUT_VERSION. */
	unsigned int version;
	const char *title;         /**< Issue title. */
	const char *body;          /**< Issue body (Markdown). */
	const char *const *labels; /**< Label names. */
	size_t nlabels;            /**< Number of labels. */
	/** Number of comments on the issue. */
	size_t comment_count;
	/** Total characters of those comments. */
	size_t comment_chars;
	/** Localized files, best first (repository-relative paths). */
	const char *const *paths;
	/** Their retrieval scores (same length as `paths`, any positive
	 * scale); NULL treats the ranking as flat. */
	const double *path_scores;
	size_t npaths; /**< Number of paths (0: localization unknown). */
	/** Concepts matched to the issue (isg_concepts_match()); NULL when
	 * unknown. Borrowed for the duration of the call. */
	const isg_concepts_matches *concepts;
	/** Beginner at or above this score; 0 means
	 * ::ISG_DIFFICULTY_THRESHOLD_HI. */
	double threshold_hi;
	/** Advanced below this score; 0 means ::ISG_DIFFICULTY_THRESHOLD_LO.
	 * Must not exceed the high threshold. */
	double threshold_lo;
} isg_difficulty_input;

/** An empty input with the default thresholds. */
#define ISG_DIFFICULTY_INPUT_INIT                                              \
	{                                                                      \
		ISG_DIFFICULTY_INPUT_VERSION, NULL, NULL, NULL, 0, 0, 0, NULL, \
		        NULL, 0, NULL, 0.0, 0.0                                \
	}

/**
 * One reason behind the score. Pointers are borrowed from the estimate.
 */
typedef struct isg_difficulty_reason {
	/** Stable feature name ("label_good_first_issue", "body_length"). */
	const char *feature;
	/** Human-readable evidence ending in "(easier)" or "(harder)", the
	 * direction of `contribution`, e.g. "labelled 'good first issue'
	 * (easier)". */
	const char *text;
	/** The feature's contribution w_i * (x_i - typical_i) to the
	 * log-odds: positive makes the issue friendlier. At least 0.15 in
	 * absolute value (smaller ones are not reported). */
	double contribution;
} isg_difficulty_reason;

/**
 * An estimate: score, verdict and reasons.
 *
 * Thread rule: immutable once built; may be read from several threads.
 */
typedef struct isg_difficulty isg_difficulty;

/**
 * Estimate how junior-friendly an issue is.
 *
 * @param out receives the estimate, owned by the caller; NULL on error.
 * @param in the issue.
 * @return ::ISG_OK; ::ISG_EINVALID for NULL arguments, a bad version or
 *         thresholds outside (0,1] or in the wrong order (the message names
 *         the value); ::ISG_ENOMEM.
 */
ISG_API int isg_difficulty_estimate(isg_difficulty **out,
                                    const isg_difficulty_input *in);

/** Free an estimate. NULL is a no-op. */
ISG_API void isg_difficulty_free(isg_difficulty *d);

/** The score in [0,1] (0 for NULL). */
ISG_API double isg_difficulty_score(const isg_difficulty *d);

/** The verdict, one of ::isg_difficulty_level (advanced for NULL). */
ISG_API int isg_difficulty_level_of(const isg_difficulty *d);

/** 1 when the verdict is beginner, else 0. */
ISG_API int isg_difficulty_junior_friendly(const isg_difficulty *d);

/**
 * The number of reasons (features that moved the score materially),
 * largest absolute contribution first. May be 0 for a typical issue.
 */
ISG_API size_t isg_difficulty_reason_count(const isg_difficulty *d);

/**
 * The i-th reason.
 *
 * @return a borrowed reason, or NULL when out of range.
 */
ISG_API const isg_difficulty_reason *
isg_difficulty_reason_at(const isg_difficulty *d, size_t i);

/**
 * Write the estimate as JSON: `{"score", "difficulty", "junior_friendly",
 * "reasons": [{"feature", "text", "contribution"}...]}`.
 *
 * @param out replaced with the JSON.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_difficulty_to_json(isg_buf *out, const isg_difficulty *d);

/** The name of a verdict ("beginner", "intermediate", "advanced"), or
 * "unknown". Static string. */
ISG_API const char *isg_difficulty_level_name(int level);

/**
 * Parse a verdict name (case-insensitive).
 *
 * @param out the level.
 * @return ::ISG_OK, or ::ISG_EINVALID naming the value.
 */
ISG_API int isg_difficulty_level_parse(int *out, const char *name);

ISG_END_DECLS

#endif /* ISSUESIGHT_DIFFICULTY_H */
