/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file-localization benchmark: metrics, the whole-file BM25 baseline,
 * repository checkouts from bare mirrors and the JSONL data set. These
 * pieces are private to bench/localize; only the library's public API is
 * used to run the method under test.
 */
#ifndef ISSUESIGHT_LOCALIZE_INT_H
#define ISSUESIGHT_LOCALIZE_INT_H

#include <stddef.h>

/* ---- metrics (localize_metrics.c) -------------------------------------- */

/* The k values reported as Acc@k. */
#define LB_NK 3
extern const size_t lb_acc_k[LB_NK]; /* 1, 3, 5 */

/* Where the gold files of one issue landed in one ranking. */
typedef struct lb_ranks {
	/* 1-based rank of the first (best placed) gold file, 0 if none is in
	 * the ranking. */
	size_t first;
	/* 1-based rank of the worst placed gold file when all gold files are
	 * in the ranking, else 0. Acc@k counts the issue iff 0 < all <= k. */
	size_t all;
	/* How many gold files are in the ranking. */
	size_t found;
} lb_ranks;

/* Ranks the gold files of an issue within `ranked` (n paths, best first;
 * a path repeated later counts at its first place). `gold_rank`, when not
 * NULL, receives the 1-based rank of each gold file or 0. Paths compare
 * after dropping a leading "./". */
lb_ranks lb_rank_gold(const char *const *ranked, size_t n,
                      const char *const *gold, size_t ngold, size_t *gold_rank);

/* Running totals for a set of issues. */
typedef struct lb_totals {
	size_t issues;
	size_t hits[LB_NK]; /* issues with all gold files within top k */
	double rr_sum;      /* sum of 1/first over issues (0 when none) */
	double index_s;     /* seconds spent indexing, summed */
	double query_s;     /* seconds spent querying, summed */
	size_t errors;      /* issues that failed to run (counted as misses) */
} lb_totals;

void lb_totals_add(lb_totals *t, const lb_ranks *r, double index_s,
                   double query_s, int failed);
/* Acc@k of lb_acc_k[i] as a fraction in [0,1] (0 for no issues). */
double lb_totals_acc(const lb_totals *t, size_t i);
double lb_totals_mrr(const lb_totals *t);
/* Mean seconds per issue. */
double lb_totals_index_mean(const lb_totals *t);
double lb_totals_query_mean(const lb_totals *t);

/* Definition-level accuracy as LocAgent counts it: the k values, and
 * whether a ranking of "path:Class.method" names is a hit at k: at least
 * min(#gold, k) of its first k names are gold names. */
#define LB_NDK 3
extern const size_t lb_def_k[LB_NDK]; /* 1, 5, 10 */
int lb_def_hit(const char *const *ranked, size_t n, const char *const *gold,
               size_t ngold, size_t k);

typedef struct lb_def_totals {
	size_t issues;
	size_t hits[LB_NDK];
} lb_def_totals;

void lb_def_totals_add(lb_def_totals *t, const char *const *ranked, size_t n,
                       const char *const *gold, size_t ngold);
double lb_def_totals_acc(const lb_def_totals *t, size_t i);

/* ---- whole-file BM25 baseline (localize_bm25.c) ------------------------ */

#define LB_BM25_K1 1.2
#define LB_BM25_B 0.75

typedef struct lb_bm25 lb_bm25;

/* Lowercased runs of [A-Za-z0-9_] of 2 to 64 bytes; calls `fn` for each.
 * Returns the number of tokens. */
size_t lb_tokenize(const char *text, size_t len,
                   void (*fn)(const char *tok, size_t n, void *payload),
                   void *payload);

/* 1 when `word` occurs in text[0..len) with no identifier character
 * ([A-Za-z0-9_]) on either side. */
int lb_contains_word(const char *text, size_t len, const char *word);

/* 1 when a path is a source file the baseline ranks: a known source
 * extension and no test component (test/tests/testing directories,
 * test_*.py, *_test.*, conftest.py). */
int lb_is_source_path(const char *path);

/* An empty index. Returns NULL on allocation failure. */
lb_bm25 *lb_bm25_new(void);
void lb_bm25_free(lb_bm25 *b);
/* Adds a document (the path's tokens are indexed with its text). 0 or -1
 * on allocation failure. */
int lb_bm25_add(lb_bm25 *b, const char *path, const char *text, size_t len);
/* Indexes every lb_is_source_path() file under `root` (skipping `.git`
 * and unreadable files). 0, or -1 with a message in `err`. */
int lb_bm25_add_tree(lb_bm25 *b, const char *root, char *err, size_t errlen);
size_t lb_bm25_doc_count(const lb_bm25 *b);
/* Ranks the documents for `query` (a repeated query term counts each time).
 * `out` receives up to `k` borrowed paths, best first (ties by path); the
 * return value is how many were written, documents scoring 0 excluded. */
size_t lb_bm25_query(const lb_bm25 *b, const char *query, size_t len,
                     const char **out, double *scores, size_t k);

/* ---- checkouts (localize_checkout.c) ----------------------------------- */

/* Statistics of one extraction. */
typedef struct lb_checkout_stats {
	int reused;     /* 1 when the cached checkout was used */
	size_t files;   /* files written */
	size_t missing; /* blobs absent from the mirror, skipped */
	size_t skipped; /* symlinks and submodules, skipped */
	double seconds;
} lb_checkout_stats;

/* Makes `workdir/<owner>+<name>/<commit>` hold the tree of `commit` from
 * the bare mirror `mirrors/<owner>+<name>`, reusing a complete earlier
 * checkout. `out` receives the directory (caller frees). 0, or -1 with a
 * message in `err`. */
int lb_checkout(char **out, const char *mirrors, const char *workdir,
                const char *repo, const char *commit, lb_checkout_stats *st,
                char *err, size_t errlen);

/* Creates a directory and its parents (mode 0755). 0 or -1 (errno). */
int lb_mkdirs(const char *path);

/* ---- data set (localize_dataset.c) ------------------------------------- */

typedef struct lb_issue {
	char *instance_id;
	char *repo;
	char *base_commit;
	char *problem_statement;
	char **gold;
	size_t ngold;
	/* The definitions the fix edits ("path:Class.method"), from
	 * gold_spans without `docstring` and `imports` entries; none when
	 * the row has no gold_spans. */
	char **gold_defs;
	size_t ngold_defs;
	/* The row's `language` field, or NULL. */
	char *language;
} lb_issue;

/* Reads a JSONL file of issues. Blank lines are skipped; a line that is
 * not an object with the five fields is an error naming its line. 0, or
 * -1 with a message in `err`. */
int lb_dataset_read(lb_issue **out, size_t *n, const char *path, char *err,
                    size_t errlen);
void lb_dataset_free(lb_issue *issues, size_t n);

/* ---- why a gold file was missed (localize_diag.c) ---------------------- */

struct isg_repo;
struct isg_locate_result;

/* The categories of a missed gold file, strongest explanation first. */
typedef enum lb_miss {
	/* Absent at the base commit: the fix adds it. */
	LB_MISS_NEW_FILE = 0,
	/* Present, but the index does not hold it. */
	LB_MISS_NOT_INDEXED,
	/* Indexed with role test, doc or example. */
	LB_MISS_NOT_SOURCE,
	/* The issue writes its path or module; no mention was extracted. */
	LB_MISS_PATH_NOT_EXTRACTED,
	/* A path or module mention was extracted; still ranked low. */
	LB_MISS_PATH_RANKED_LOW,
	/* The issue names a definition of it; no mention was extracted. */
	LB_MISS_DEF_NOT_EXTRACTED,
	/* A definition mention was extracted; still ranked low. */
	LB_MISS_DEF_RANKED_LOW,
	/* Only a directory or the file's stem is named (`autodoc`). */
	LB_MISS_COMPONENT_NAMED,
	/* Its text uses (does not define) an extracted identifier. */
	LB_MISS_USES_MENTION,
	/* Nothing of it is named in the issue. */
	LB_MISS_NOT_MENTIONED,
	LB_MISS_COUNT
} lb_miss;

extern const char *const lb_miss_name[LB_MISS_COUNT];

/* Explains why `gold` is not within the top k of `result`: the category,
 * and in `detail` the evidence (the mentioned name, the role, the rank in
 * the read list). Uses only the public API. */
lb_miss lb_diagnose(const struct isg_repo *repo,
                    const struct isg_locate_result *result, const char *text,
                    size_t len, const char *gold, char *detail,
                    size_t detail_len);

#endif /* ISSUESIGHT_LOCALIZE_INT_H */
