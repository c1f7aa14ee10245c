/* SPDX-License-Identifier: Apache-2.0 */
/*
 * difficulty: the junior-friendliness estimator. A small logistic model over
 * features a maintainer would look at (labels, report structure, words that
 * signal scope, localization spread, concept depth, discussion length). The
 * text features and the bias were fitted on human time-to-fix estimates by
 * bench/difficulty (see bench/README.md); the label, localization and
 * discussion weights are priors, because the calibration set carries no
 * labels, comments or reliable localization.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"
#include "difficulty_int.h"

#define MOD "difficulty"
#define MAX_BODY (1024u * 1024u)

const char *const isg__difficulty_feature_names[ISG__DF_COUNT] = {
	"label_good_first_issue",
	"label_help_wanted",
	"label_docs",
	"label_hard",
	"text_small_scope",
	"text_large_scope",
	"body_structure",
	"stack_trace",
	"body_length",
	"spread_files",
	"spread_dirs",
	"concentration",
	"concept_weight",
	"comments",
	"comment_chars",
};

/* The weight table, fitted on 2026-11-29 by bench/difficulty on the 116
 * issues of /work/shared/bench/localization-dev.jsonl (SWE-bench Verified,
 * 8 Python repositories), target "<15 min fix" (base rate 0.37), with the
 * features computed as the offline bridge computes them (the base commit's
 * checkout, isg_locate_run top 5, concepts matched on the text and on the
 * localized files). Ridge logistic regression on standardized features,
 * lambda 8 (nested cross-validation picks 14 on average), three
 * features; leave-one-out ROC AUC 0.61 and Brier 0.228 against 0.233 for
 * the constant predictor (bench/README.md has every number). The signal
 * is weak: this is a modest model on purpose.
 *
 * "fitted": from that fit. "prior": the set carries no labels and no
 * comments, and small-scope words are rare in it (under 10 issues), so these
 * keep a maintainer's-experience value. "zero": measured and dropped:
 * - spread_files, spread_dirs, concentration: the spread of the *located*
 *   files has no signal here (AUC 0.44-0.54 alone, counter-intuitive signs
 *   when fitted), although the spread of the *real* fix has a lot (number
 *   of gold files: AUC 0.65); locate's top 5 is too noisy a proxy for now
 *   (Acc@5 about 60%). Refit when localization improves.
 * - body_structure: fitted negative (a report with reproduction steps
 *   would read as harder), which is a length effect already carried by
 *   body_length; showing it would mislead.
 * - stack_trace: no signal (AUC 0.50, 8 issues).
 * The centers are the means over the same set (see difficulty_int.h). */
const double isg__difficulty_bias = -0.555;
const double isg__difficulty_weights[ISG__DF_COUNT] = {
	1.60,   /* label_good_first_issue (prior) */
	0.40,   /* label_help_wanted (prior) */
	0.80,   /* label_docs (prior) */
	-1.20,  /* label_hard (prior) */
	0.30,   /* text_small_scope (prior) */
	-0.334, /* text_large_scope (fitted) */
	0.0,    /* body_structure (zero) */
	0.0,    /* stack_trace (zero) */
	-0.602, /* body_length (fitted) */
	0.0,    /* spread_files (zero) */
	0.0,    /* spread_dirs (zero) */
	0.0,    /* concentration (zero) */
	-3.885, /* concept_weight (fitted) */
	-0.20,  /* comments (prior) */
	-0.15,  /* comment_chars (prior) */
};
const double isg__difficulty_center[ISG__DF_COUNT] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0.177, 1.696, 1.422, -0.189, 0.506, 0, 0,
};
const int isg__difficulty_fitted[ISG__DF_COUNT] = {
	0, 0, 0, 0, 0, 1, -1, -1, 1, -1, -1, -1, 1, 0, 0,
};

/* The concept feature is clamped to the range seen in calibration
 * (0.31-0.72), so that a catalog match far outside it cannot dominate
 * the score by extrapolation. */
#define CONCEPT_MIN 0.30
#define CONCEPT_MAX 0.75

static const char *const good_first_labels[] = {
	"good first issue",
	"good-first-issue",
	"good first bug",
	"beginner",
	"beginner friendly",
	"easy",
	"easy fix",
	"starter",
	"first-timers-only",
	"first timers only",
	"newcomer",
	"low-hanging fruit",
	"e-easy",
	"difficulty: easy",
	"level: easy",
	"up-for-grabs",
};
static const char *const help_labels[] = { "help wanted", "help-wanted",
	                                   "contributions welcome",
	                                   "pr welcome", "prs welcome" };
static const char *const docs_labels[] = {
	"documentation", "docs", "typo", "type: docs", "doc", "area: docs"
};
static const char *const hard_labels[] = {
	"needs design",
	"needs-design",
	"breaking",
	"breaking change",
	"breaking-change",
	"major",
	"hard",
	"complex",
	"epic",
	"rfc",
	"needs discussion",
	"needs-discussion",
	"difficulty: hard",
	"e-hard",
	"api change",
	"architecture",
	"security",
};

/* Words and phrases that signal a small, local change... */
static const char *const small_scope[] = {
	"typo",
	"typos",
	"spelling",
	"misspelled",
	"wording",
	"error message",
	"misleading",
	"confusing message",
	"warning message",
	"broken link",
	"rename",
	"grammar",
};
/* ...and ones that signal a wide or delicate one. */
static const char *const large_scope[] = {
	"refactor",
	"refactoring",
	"redesign",
	"rewrite",
	"race",
	"race condition",
	"deadlock",
	"leak",
	"memory leak",
	"performance",
	"slow",
	"deprecate",
	"deprecation",
	"api change",
	"backward compat",
	"backward compatibility",
	"backwards compatibility",
	"breaking change",
	"thread",
	"threading",
	"architecture",
	"concurrency",
	"overhaul",
	"design",
	"proposal",
	"pep",
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int label_in(const char *label, const char *const *set, size_t n)
{
	char buf[128];
	size_t i, len;

	if (!label)
		return 0;
	len = strlen(label);
	if (len >= sizeof(buf))
		return 0;
	for (i = 0; i <= len; i++)
		buf[i] = lower(label[i]);
	/* Accept emoji or prefixes such as "status: good first issue". */
	for (i = 0; i < n; i++)
		if (strcmp(buf, set[i]) == 0 ||
		    (strlen(set[i]) > 5 && strstr(buf, set[i])))
			return 1;
	return 0;
}

/* Counts phrase occurrences (as whole tokens) from a list; records the
 * first phrase found in `first`. */
static int count_phrases(size_t *count, const char **first,
                         const isg__concepts_tokens *t, const char *const *set,
                         size_t nset)
{
	isg__concepts_tokens p = { 0 };
	size_t s, i, j;
	int rc = ISG_OK;

	*count = 0;
	for (s = 0; s < nset; s++) {
		p.n = 0;
		p.store_len = 0;
		rc = isg__concepts_tokenize(&p, set[s], strlen(set[s]), 0);
		if (rc != ISG_OK)
			break;
		for (i = 0; p.n && i + p.n <= t->n; i++) {
			for (j = 0; j < p.n; j++)
				if (strcmp(ISG__CONCEPTS_TOK(t, i + j),
				           ISG__CONCEPTS_TOK(&p, j)))
					break;
			if (j == p.n) {
				if (!*first)
					*first = set[s];
				(*count)++;
			}
		}
	}
	isg__concepts_tokens_dispose(&p);
	return rc;
}

typedef struct detail {
	const char *label[4]; /* the label that set each label feature */
	const char *small_word, *large_word;
	size_t nsmall, nlarge;
	int repro, expected, code;
	size_t nfiles, ndirs;
	size_t blen; /* body characters read */
	const char *concept;
	size_t ncomments, comment_chars;
} detail;

/* The label features: one per label set, with the label that set it. */
static void label_features(double *x, detail *d, const isg_difficulty_input *in)
{
	static const char *const *const sets[4] = { good_first_labels,
		                                    help_labels, docs_labels,
		                                    hard_labels };
	static const size_t nsets[4] = { ISG__ARRAY_SIZE(good_first_labels),
		                         ISG__ARRAY_SIZE(help_labels),
		                         ISG__ARRAY_SIZE(docs_labels),
		                         ISG__ARRAY_SIZE(hard_labels) };
	size_t i, k;

	for (k = 0; k < 4; k++)
		for (i = 0; in->labels && i < in->nlabels; i++)
			if (label_in(in->labels[i], sets[k], nsets[k])) {
				x[ISG__DF_LABEL_GOOD_FIRST + k] = 1;
				d->label[k] = in->labels[i];
				break;
			}
}

/* The report's structure (reproduction, expected/actual, code), stack
 * trace and length, read from the lower-cased first `blen` bytes of
 * `body`. ISG_OK or ISG_ENOMEM. */
static int body_features(double *x, detail *d, const char *body, size_t blen)
{
	char *low;
	size_t i;

	low = isg__alloc_malloc(blen + 1);
	if (!low)
		return ISG_ENOMEM;
	for (i = 0; i < blen; i++)
		low[i] = body[i] ? lower(body[i]) : ' ';
	low[blen] = '\0';
	d->repro = strstr(low, "reproduc") || strstr(low, "mcve") ||
	           strstr(low, "minimal example") || strstr(low, "steps to") ||
	           strstr(low, ">>> ");
	d->expected = strstr(low, "expected") &&
	              (strstr(low, "actual") || strstr(low, "instead") ||
	               strstr(low, "but got") || strstr(low, "got "));
	d->code = strstr(low, "```") != NULL || strstr(low, "\n    ") != NULL;
	x[ISG__DF_BODY_STRUCTURE] = (d->repro + d->expected + d->code) / 3.0;
	x[ISG__DF_STACK_TRACE] =
	        strstr(low, "traceback (most recent") ||
	                        strstr(low, "panicked at") ||
	                        strstr(low, "exception in thread") ||
	                        strstr(low, "\n    at ") ||
	                        strstr(low, "segmentation fault")
	                ? 1.0
	                : 0.0;
	/* Centred on a 1000-character report: longer reports describe
	 * bigger problems. Clamped to 100-10,000 characters, the range of
	 * the calibration set, so an empty or a huge body does not
	 * extrapolate. */
	d->blen = blen;
	x[ISG__DF_BODY_LENGTH] = log10(1.0 + (double)blen) - 3.0;
	if (x[ISG__DF_BODY_LENGTH] < -1)
		x[ISG__DF_BODY_LENGTH] = -1;
	if (x[ISG__DF_BODY_LENGTH] > 1)
		x[ISG__DF_BODY_LENGTH] = 1;
	isg__alloc_free(low);
	return ISG_OK;
}

/* The localization spread: how many files and directories the top
 * files cover and how much the best one dominates; the calibration
 * set's centre when there is no localization (then not `known`). */
static void spread_features(double *x, int *known, detail *d,
                            const isg_difficulty_input *in)
{
	size_t i;

	if (in->paths && in->npaths) {
		double top = in->path_scores ? in->path_scores[0] : 1.0,
		       sum = 0;
		size_t n = in->npaths < 10 ? in->npaths : 10, j;

		for (i = 0; i < n; i++) {
			double s = in->path_scores ? in->path_scores[i] : 1.0;
			const char *pi = in->paths[i] ? in->paths[i] : "";
			size_t dl = isg__path_dirname_len(pi);
			int seen = 0;

			if (i < 5)
				sum += s > 0 ? s : 0;
			if (!(s >= 0.5 * top))
				continue;
			d->nfiles++;
			for (j = 0; j < i && !seen; j++) {
				const char *pj =
				        in->paths[j] ? in->paths[j] : "";
				size_t dj = isg__path_dirname_len(pj);
				double sc = in->path_scores ? in->path_scores[j]
				                            : 1.0;

				seen = sc >= 0.5 * top && dj == dl &&
				       memcmp(pi, pj, dl) == 0;
			}
			if (!seen)
				d->ndirs++;
		}
		x[ISG__DF_SPREAD_FILES] =
		        d->nfiles ? log2((double)d->nfiles) : 0;
		x[ISG__DF_SPREAD_DIRS] =
		        d->ndirs > 1 ? (double)(d->ndirs - 1) : 0.0;
		if (x[ISG__DF_SPREAD_DIRS] > 5)
			x[ISG__DF_SPREAD_DIRS] = 5;
		x[ISG__DF_CONCENTRATION] =
		        sum > 0 && top > 0 ? top / sum - 0.5 : 0.0;
	} else {
		static const int loc[] = { ISG__DF_SPREAD_FILES,
			                   ISG__DF_SPREAD_DIRS,
			                   ISG__DF_CONCENTRATION };

		for (i = 0; i < ISG__ARRAY_SIZE(loc); i++) {
			x[loc[i]] = isg__difficulty_center[loc[i]];
			if (known)
				known[loc[i]] = 0;
		}
	}
}

/* The concept weight: the two heaviest matched concepts, weighted by
 * confidence; the centre when no concepts were matched. */
static void concept_features(double *x, int *known, detail *d,
                             const isg_difficulty_input *in)
{
	size_t i;

	if (in->concepts) {
		/* The two heaviest concepts, weighted by confidence: one
		 * hard concept is enough to make an issue hard. */
		double best = 0, second = 0;
		size_t n = isg_concepts_matches_count(in->concepts);

		for (i = 0; i < n; i++) {
			const isg_concept_match *m =
			        isg_concepts_matches_at(in->concepts, i);
			double v = m->confidence * m->entry->difficulty_weight;

			if (v > best) {
				second = best;
				best = v;
				d->concept = m->entry->slug;
			} else if (v > second) {
				second = v;
			}
		}
		x[ISG__DF_CONCEPT_WEIGHT] = (2 * best + second) / 3.0;
		if (x[ISG__DF_CONCEPT_WEIGHT] < CONCEPT_MIN)
			x[ISG__DF_CONCEPT_WEIGHT] = CONCEPT_MIN;
		if (x[ISG__DF_CONCEPT_WEIGHT] > CONCEPT_MAX)
			x[ISG__DF_CONCEPT_WEIGHT] = CONCEPT_MAX;
	} else {
		x[ISG__DF_CONCEPT_WEIGHT] =
		        isg__difficulty_center[ISG__DF_CONCEPT_WEIGHT];
		if (known)
			known[ISG__DF_CONCEPT_WEIGHT] = 0;
	}
}

static int compute(double *x, int *known, detail *d,
                   const isg_difficulty_input *in)
{
	isg__concepts_tokens t = { 0 };
	size_t blen = in->body ? strnlen(in->body, MAX_BODY) : 0, i;
	int rc = ISG_OK;

	memset(x, 0, ISG__DF_COUNT * sizeof(*x));
	memset(d, 0, sizeof(*d));
	if (known)
		for (i = 0; i < ISG__DF_COUNT; i++)
			known[i] = 1;
	label_features(x, d, in);
	if (in->title)
		rc = isg__concepts_tokenize(&t, in->title, strlen(in->title),
		                            0);
	if (rc == ISG_OK && blen)
		rc = isg__concepts_tokenize(&t, in->body, blen, 0);
	if (rc == ISG_OK)
		rc = count_phrases(&d->nsmall, &d->small_word, &t, small_scope,
		                   ISG__ARRAY_SIZE(small_scope));
	if (rc == ISG_OK)
		rc = count_phrases(&d->nlarge, &d->large_word, &t, large_scope,
		                   ISG__ARRAY_SIZE(large_scope));
	if (rc != ISG_OK)
		goto done;
	x[ISG__DF_TEXT_SMALL_SCOPE] = d->nsmall > 2 ? 2.0 : (double)d->nsmall;
	x[ISG__DF_TEXT_LARGE_SCOPE] = d->nlarge > 3 ? 3.0 : (double)d->nlarge;
	if ((rc = body_features(x, d, in->body, blen)) != ISG_OK)
		goto done;
	spread_features(x, known, d, in);
	concept_features(x, known, d, in);
	d->ncomments = in->comment_count;
	d->comment_chars = in->comment_chars;
	/* The first two comments are routine ("+1", "can I take this?");
	 * only a discussion beyond them says the issue is contested. */
	x[ISG__DF_COMMENTS] = log1p(
	        in->comment_count > 2 ? (double)in->comment_count - 2 : 0.0);
	x[ISG__DF_COMMENT_CHARS] = log1p((double)in->comment_chars / 1000.0);
done:
	isg__concepts_tokens_dispose(&t);
	return rc;
}

int isg__difficulty_features(double *x, int *known,
                             const isg_difficulty_input *in)
{
	detail d;

	return compute(x, known, &d, in);
}

struct isg_difficulty {
	double score;
	int level;
	isg_difficulty_reason reasons[ISG__DF_COUNT];
	char text[ISG__DF_COUNT][160];
	size_t nreasons;
};

/* Writes the reason for feature f: the evidence, then the direction it
 * moves the estimate, "(easier)" or "(harder)". The evidence is worded
 * from the value relative to the typical issue, and the direction from
 * the sign of the contribution, so the two always agree with the weight
 * (a long report with a negative weight reads "long report ... (harder)",
 * a short one "short report ... (easier)"). A flat switch with one case
 * per feature, kept whole on purpose (tests/build/function-length-allow
 * lists it). */
static void describe(char *out, size_t n, int f, const detail *d,
                     const double *x, double contribution)
{
	const char *dir = contribution > 0 ? "(easier)" : "(harder)";
	int above = x[f] > isg__difficulty_center[f];

	switch (f) {
	case ISG__DF_LABEL_GOOD_FIRST:
	case ISG__DF_LABEL_HELP_WANTED:
	case ISG__DF_LABEL_DOCS:
	case ISG__DF_LABEL_HARD:
		snprintf(out, n, "labelled '%.60s' %s",
		         d->label[f - ISG__DF_LABEL_GOOD_FIRST], dir);
		break;
	case ISG__DF_TEXT_SMALL_SCOPE:
		snprintf(out, n,
		         "mentions '%s', usually a small, local change %s",
		         d->small_word, dir);
		break;
	case ISG__DF_TEXT_LARGE_SCOPE:
		snprintf(
		        out, n,
		        "mentions '%s'%s, usually a wide or delicate change %s",
		        d->large_word,
		        d->nlarge > 1 ? " and other scope words" : "", dir);
		break;
	case ISG__DF_BODY_STRUCTURE:
		snprintf(out, n, "report has %s%s%s%s %s",
		         d->repro ? "reproduction steps" : "",
		         d->repro && (d->expected || d->code) ? ", " : "",
		         d->expected ? "expected vs actual" : "",
		         d->code ? (d->repro || d->expected ? ", code"
		                                            : "code blocks")
		                 : "",
		         dir);
		break;
	case ISG__DF_STACK_TRACE:
		snprintf(out, n,
		         "includes a stack trace pointing at the code %s", dir);
		break;
	case ISG__DF_BODY_LENGTH:
		snprintf(out, n, "%s report (%zu characters): %s %s",
		         above ? "long" : "short", d->blen,
		         above ? "bigger problems take more words"
		               : "the problem fits in a few lines",
		         dir);
		break;
	case ISG__DF_SPREAD_FILES:
	case ISG__DF_SPREAD_DIRS:
		snprintf(out, n,
		         "the likely change %s %zu file%s in %zu director%s %s",
		         above ? "spreads over" : "stays within", d->nfiles,
		         d->nfiles == 1 ? "" : "s", d->ndirs,
		         d->ndirs == 1 ? "y" : "ies", dir);
		break;
	case ISG__DF_CONCENTRATION:
		snprintf(out, n, "%s %s",
		         above ? "one file clearly stands out in the ranking"
		               : "no single file stands out in the ranking",
		         dir);
		break;
	case ISG__DF_CONCEPT_WEIGHT:
		if (above)
			snprintf(out, n,
			         "needs demanding concepts such as '%s' %s",
			         d->concept ? d->concept : "?", dir);
		else
			snprintf(
			        out, n,
			        "needs only approachable concepts (the most demanding: '%s') %s",
			        d->concept ? d->concept : "none", dir);
		break;
	case ISG__DF_COMMENTS:
	case ISG__DF_COMMENT_CHARS:
		/* Neutral wording: one long comment can weigh more than
		 * several short ones, and the direction says which way. */
		snprintf(
		        out, n,
		        "discussion so far: %.0f comment%s, about %.0f characters %s",
		        (double)d->ncomments, d->ncomments == 1 ? "" : "s",
		        (double)d->comment_chars, dir);
		break;
	default:
		snprintf(out, n, "%s %s",
		         f >= 0 && f < ISG__DF_COUNT
		                 ? isg__difficulty_feature_names[f]
		                 : "feature",
		         dir);
	}
}

static int cmp_reason(const void *a, const void *b)
{
	double x = fabs(((const isg_difficulty_reason *)a)->contribution);
	double y = fabs(((const isg_difficulty_reason *)b)->contribution);

	return x > y ? -1 : (x < y);
}

/* Reads the thresholds of an input (zero means the default) and checks
 * that 0 < lo <= hi <= 1. */
static int thresholds(double *hi, double *lo, const isg_difficulty_input *in)
{
	*hi = in->threshold_hi != 0 ? in->threshold_hi
	                            : ISG_DIFFICULTY_THRESHOLD_HI;
	*lo = in->threshold_lo != 0 ? in->threshold_lo
	                            : ISG_DIFFICULTY_THRESHOLD_LO;
	if (!(*hi > 0 && *hi <= 1) || !(*lo > 0 && *lo <= 1) || *lo > *hi)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "thresholds lo=%g hi=%g must lie in (0,1] with lo <= hi",
		        *lo, *hi);
	return ISG_OK;
}

/* Adds each feature's contribution to the logit Z and records it as a
 * reason of D; returns the new logit. */
static double collect_reasons(isg_difficulty *d, const double *x, double z)
{
	size_t i, k;

	for (i = 0; i < ISG__DF_COUNT; i++) {
		double c = isg__difficulty_weights[i] *
		           (x[i] - isg__difficulty_center[i]);

		z += c;
		/* The two discussion features and the two spread features
		 * share one reason each. */
		if (i == ISG__DF_COMMENT_CHARS || i == ISG__DF_SPREAD_DIRS) {
			for (k = 0; k < d->nreasons; k++)
				if (strcmp(d->reasons[k].feature,
				           isg__difficulty_feature_names[i -
				                                         1]) ==
				    0)
					break;
			if (k < d->nreasons) {
				d->reasons[k].contribution += c;
				continue;
			}
		}
		if (c == 0)
			continue;
		d->reasons[d->nreasons].feature =
		        isg__difficulty_feature_names[i];
		d->reasons[d->nreasons].contribution = c;
		d->reasons[d->nreasons].text = d->text[d->nreasons];
		d->nreasons++;
	}
	return z;
}

/* Keeps the material reasons, writes their texts and sorts them by
 * weight. */
static void finish_reasons(isg_difficulty *d, const detail *det,
                           const double *x)
{
	size_t i, k, n;

	/* Only material contributions become reasons; decided after
	 * merging, and texts written after merging, so the direction
	 * matches the final contribution. */
	for (k = 0, n = 0; k < d->nreasons; k++) {
		if (fabs(d->reasons[k].contribution) < ISG__DF_REASON_MIN)
			continue;
		d->reasons[n] = d->reasons[k];
		d->reasons[n].text = d->text[n];
		n++;
	}
	d->nreasons = n;
	for (k = 0; k < d->nreasons; k++) {
		for (i = 0; i < ISG__DF_COUNT; i++)
			if (d->reasons[k].feature ==
			    isg__difficulty_feature_names[i])
				break;
		describe(d->text[k], sizeof(d->text[k]), (int)i, det, x,
		         d->reasons[k].contribution);
	}
	qsort(d->reasons, d->nreasons, sizeof(d->reasons[0]), cmp_reason);
}

/* Stages: check the input, compute the features, collect and word the
 * reasons, map the logit to a score and a level. */
int isg_difficulty_estimate(isg_difficulty **out,
                            const isg_difficulty_input *in)
{
	double x[ISG__DF_COUNT], z, hi, lo;
	isg_difficulty *d = NULL;
	detail det;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!in)
		return isg__error_set(ISG_EINVALID, MOD, "input is NULL");
	if (in->version != ISG_DIFFICULTY_INPUT_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "input version %u is not %d", in->version,
		                      ISG_DIFFICULTY_INPUT_VERSION);
	if ((rc = thresholds(&hi, &lo, in)) != ISG_OK)
		return rc;
	d = isg__alloc_calloc(1, sizeof(*d));
	if (!d)
		return isg__error_oom(MOD);
	rc = compute(x, NULL, &det, in);
	if (rc != ISG_OK) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	z = collect_reasons(d, x, isg__difficulty_bias);
	finish_reasons(d, &det, x);
	d->score = 1.0 / (1.0 + exp(-z));
	d->level = d->score >= hi  ? ISG_DIFFICULTY_BEGINNER
	           : d->score < lo ? ISG_DIFFICULTY_ADVANCED
	                           : ISG_DIFFICULTY_INTERMEDIATE;
	*out = d;
	d = NULL;
done:
	isg__alloc_free(d);
	return rc;
}

void isg_difficulty_free(isg_difficulty *d)
{
	isg__alloc_free(d);
}

double isg_difficulty_score(const isg_difficulty *d)
{
	return d ? d->score : 0.0;
}

int isg_difficulty_level_of(const isg_difficulty *d)
{
	return d ? d->level : ISG_DIFFICULTY_ADVANCED;
}

int isg_difficulty_junior_friendly(const isg_difficulty *d)
{
	return d && d->level == ISG_DIFFICULTY_BEGINNER;
}

size_t isg_difficulty_reason_count(const isg_difficulty *d)
{
	return d ? d->nreasons : 0;
}

const isg_difficulty_reason *isg_difficulty_reason_at(const isg_difficulty *d,
                                                      size_t i)
{
	return d && i < d->nreasons ? &d->reasons[i] : NULL;
}

const char *isg_difficulty_level_name(int level)
{
	switch (level) {
	case ISG_DIFFICULTY_BEGINNER:
		return "beginner";
	case ISG_DIFFICULTY_INTERMEDIATE:
		return "intermediate";
	case ISG_DIFFICULTY_ADVANCED:
		return "advanced";
	default:
		return "unknown";
	}
}

int isg_difficulty_level_parse(int *out, const char *name)
{
	int i;

	if (!out || !name)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "level_parse: NULL argument");
	for (i = ISG_DIFFICULTY_BEGINNER; i <= ISG_DIFFICULTY_ADVANCED; i++)
		if (isg__text_casecmp(name, isg_difficulty_level_name(i)) ==
		    0) {
			*out = i;
			return ISG_OK;
		}
	return isg__error_set(
	        ISG_EINVALID, MOD,
	        "unknown difficulty '%.40s' (beginner, intermediate or advanced)",
	        name);
}

int isg_difficulty_to_json(isg_buf *out, const isg_difficulty *d)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i;
	int rc;

	if (!out || !d)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "to_json: NULL argument");
	rc = isg__buf_printf(
	        &b,
	        "{\"score\":%.4f,\"difficulty\":\"%s\",\"junior_friendly\":%s,\"reasons\":[",
	        d->score, isg_difficulty_level_name(d->level),
	        d->level == ISG_DIFFICULTY_BEGINNER ? "true" : "false");
	for (i = 0; rc == ISG_OK && i < d->nreasons; i++) {
		rc = isg__buf_printf(&b, "%s{\"feature\":\"%s\",\"text\":",
		                     i ? "," : "", d->reasons[i].feature);
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(
			        &b, d->reasons[i].text,
			        strlen(d->reasons[i].text));
		if (rc == ISG_OK)
			rc = isg__buf_printf(&b, ",\"contribution\":%.4f}",
			                     d->reasons[i].contribution);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "]}");
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return isg__error_oom(MOD);
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}
