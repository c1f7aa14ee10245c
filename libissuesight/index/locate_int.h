/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private types of the locate module: the result, its entries, and the
 * working context of one isg_locate_run() call.
 */
#ifndef ISSUESIGHT_LOCATE_INT_H
#define ISSUESIGHT_LOCATE_INT_H

#include "repo_int.h"

/* Weights (docs/localization.md). */
#define W_BM25 3.0
#define W_SPAN 1.5 /* best definition chunk, normalised */
#define W_LIT 1.0  /* string literals vs quoted text, normalised */
#define W_PKG 3.0  /* inside a named package: + W_PKG x text share */
#define W_FRAME 2.5
#define W_FRAME_LAST 0.5
#define W_PATH 3.5
#define W_MODULE 3.0
#define W_DEF 1.6
#define W_STEM 0.8
#define NONCODE_FACTOR 0.3
#define MINOR_LANG_FACTOR 0.6
/* Text signals (file BM25, best chunk, literals) enter the score by rank,
 * not by their ratio to the best file: RANK_K / (RANK_K + rank) within
 * the file's list. A ratio let one outlier squash every other file and
 * made the weights fragile; ranks are what rank fusion combines. */
#define RANK_K 5.0
/* Import-graph neighbours (locate_neighbours.c): a file among the first
 * NEIGH_WINDOW of the change list that imports or is imported by one of
 * the two best files, and whose own BM25 value (bm25_n) is at least
 * NEIGH_MIN_TEXT, gains W_NEIGH x bm25_n, up to NEIGH_CAP x the best
 * file's score. */
#define W_NEIGH 1.0
#define NEIGH_MIN_TEXT 0.5 /* BM25 rank <= 5 in the list */
#define NEIGH_WINDOW 30
#define NEIGH_CAP 0.999

/* History (repo_history_db.c): the HIST_COMMITS past commits whose
 * messages match the issue best vote for the files they changed, each
 * with its BM25 relative to the best commit / (files it changed ^
 * HIST_FILES_EXP); a file's votes enter its score as W_HIST x their rank
 * value within its list (as the text signals do). */
#define HIST_COMMITS_MAX 200
#define HIST_COMMITS 50
#define HIST_FILES_EXP 1.0
#define W_HIST 3.0

/* A file and its score in a ranking. */
typedef struct isg__lranked {
	size_t file;
	double score;
} isg__lranked;

typedef struct isg__lreason {
	double weight;
	const char *text;
} isg__lreason;

typedef struct isg__lsym {
	const char *name;
	unsigned int line;
	int mentioned; /* the issue names it */
} isg__lsym;

/* Definitions (locate_defs.c): the top DEF_FILES files of the change
 * list contribute their definitions, named as LocAgent names them; each
 * scores W_DFILE x its file's score relative to the best file, plus its
 * own part: W_DCHUNK x DEF_RANK_K / (DEF_RANK_K + the rank of its best
 * chunk's BM25 among the candidates), + W_DMENT x the mention of its name
 * or of a nested function's (context x distinctiveness; half for its
 * class), + W_DFRAME for a stack-trace frame inside it, + W_DTERM when a
 * part of its name is a query term; the own part counts W_DTYPE for
 * classes and types. The best DEF_MAX are kept. */
#define DEF_FILES 10
#define DEF_MAX 20
#define W_DFILE 1.0
#define W_DCHUNK 1.0
#define W_DMENT 1.0
#define W_DFRAME 2.0
#define W_DTERM 0.3
#define W_DTYPE 0.5
#define DEF_RANK_K 5.0

/* A ranked definition: `name` is "path:Qualified.name". */
typedef struct isg__ldef {
	const char *name, *path, *kind;
	unsigned int line;
	double score;
} isg__ldef;

typedef struct isg__lentry {
	const char *path, *role;
	double score;
	isg__lreason reasons[8];
	size_t nreasons;
	isg__lsym syms[8];
	size_t nsyms;
} isg__lentry;

struct isg_locate_result {
	isg__arena arena;
	isg__lentry *list[2];
	size_t n[2];
	const char **mentions;
	size_t nmentions;
	isg__ldef *defs;
	size_t ndefs;
};

typedef struct isg__lctx {
	const isg_repo *repo;
	const char *text;
	size_t len;
	char *clean; /* the cleaned copy `text` points to (isg__locate_run) */
	size_t top[2];
	isg_locate_result *res;
	isg__mentions mentions;
	/* per mention */
	size_t *hits, *def_files, *stem_files, *last_file;
	int *mod_len;
	int *is_pkg;       /* per mention: module path naming a package */
	double *pkg;       /* per file: inside a package or directory the issue
	                      names (the mention's weight) */
	isg__strmap words; /* the issue's tokens */
	isg_buf words_buf;
	long last_frame;
	isg__strmap idents, lidents;
	/* query */
	const char *terms[48];
	size_t nterms;
	double *bm25;            /* per file */
	double *span;            /* per file: best definition chunk */
	unsigned int *span_line; /* first line of that chunk */
	double *lit;             /* per file: string literals */
	double best_bm25, best_span, best_lit;
	double *bm25_n, *span_n, *lit_n; /* per file: normalised, 0..1 */
	int no_history;
	double *hist, *hist_n;    /* per file: history votes, and by rank */
	size_t *neigh;            /* per file: 1 + the top file it is an import
	                             neighbour of (boosted), else 0 */
	isg__span_hits span_hits; /* every matching chunk */
	int oom;
} isg__lctx;

int isg__locate_run(isg__lctx *c);
/* Ranks the definitions of the best files of the sorted change list
 * rk[0..n) into c->res->defs (see DEF_FILES). */
int isg__locate_definitions(isg__lctx *c, const isg__lranked *rk, size_t n);
/* How much a name says on its own: 1.0 for `remove_column` or
 * `TimeSeries`, 0.6 for a capitalised word, 0.35 for a plain word. */
double isg__locate_distinct_factor(const char *name);
/* Boosts the import-graph neighbours of the two best files of the
 * sorted change list rk[0..n) (see W_NEIGH) and re-sorts it; records
 * them in c->neigh. */
int isg__locate_neighbours(isg__lctx *c, isg__lranked *rk, size_t n);
/* Builds the FTS5 query over string literals from what the issue quotes
 * (locate_literals.c); leaves `out` empty when it quotes nothing usable. */
int isg__locate_literal_query(isg_buf *out, const char *text, size_t len);
void isg__locate_ctx_free(isg__lctx *c);
int isg__locate_terms(isg__lctx *c);
/* 1 when the `n` bytes at `t` are a stop term: a word too common in
 * issues or code to tell files apart ("the", "return", "error"). Used by
 * the query and by bench/indexstore, so both ask the same questions. */
int isg__locate_is_stop_term(const char *t, size_t n);
/* The weight of a query term seen `tf` times in the issue and in `df` of
 * `nfiles` files: (1 + ln tf) * ln(1 + nfiles / df), and 0 for a term in
 * no file or in more than half of them (it cannot tell files apart). */
double isg__locate_term_weight(size_t tf, size_t df, size_t nfiles);
/* locate_resolve.c: maps the issue's mentions to files. */
int isg__locate_resolve(isg__lctx *c);
/* 1 when mention `m` (a path as written) names `path`. */
int isg__locate_path_names(const char *m, const char *path);
/* 1 when the lower-cased stem path ends with `cand` (a '/' path) at a
 * component boundary, directly or as cand/__init__. */
int isg__locate_stem_names(const char *stem, const char *cand);
/* The first `parts` components of module mention `m` as a lower-case '/'
 * path in `out`. */
void isg__locate_module_cand(char *out, size_t n, const char *m, int parts);
/* locate_score.c: the text score and the mention score of one file. */
double isg__locate_score_file(isg__lctx *c, size_t f, isg__lentry *e);
double isg__locate_text_score(isg__lctx *c, size_t f, isg__lentry *e);
void isg__locate_base_stem(char *out, size_t n, const isg__rfile *f);
/* locate_entry.c: adds a reason (formatted; kept when among the
 * strongest) / a symbol (de-duplicated) to an entry. Allocation failures
 * drop the item and set c->oom. */
void isg__locate_entry_reason(isg__lctx *c, isg__lentry *e, double w,
                              const char *fmt, ...) ISG__PRINTF(4, 5);
void isg__locate_entry_symbol(isg__lctx *c, isg__lentry *e, const char *name,
                              unsigned int line);

#endif /* ISSUESIGHT_LOCATE_INT_H */
