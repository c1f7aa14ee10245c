/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the knowledge area: the catalog's internal layout, the
 * word tokenizer shared by concept matching and the difficulty estimator,
 * and the match-list builder.
 */
#ifndef ISSUESIGHT_CONCEPTS_INT_H
#define ISSUESIGHT_CONCEPTS_INT_H

#include <stddef.h>

#include "issuesight/concepts.h"

#include "core_int.h"

/* One keyword or phrase, split into stemmed tokens, pointing at its
 * concept. The index maps a phrase's first token to its phrases. */
typedef struct isg__concepts_phrase {
	size_t concept;      /* index into the catalog */
	const char *display; /* the keyword as written in the catalog */
	const char *const *tokens;
	size_t ntokens;
	size_t id; /* 0..nphrases-1 */
	struct isg__concepts_phrase
	        *next; /* next phrase with the same first token */
} isg__concepts_phrase;

struct isg_concepts {
	isg__arena arena;
	isg_concept *items;
	size_t n;
	size_t *by_slug;    /* indexes sorted by slug, for bsearch */
	size_t **children;  /* children[i]: indexes of i's direct children */
	size_t *nchildren;  /* how many */
	size_t *parent_idx; /* flattened parent indexes */
	size_t *parent_off; /* parents of i: parent_idx[parent_off[i]..+np] */
	isg__concepts_phrase *
	        *table; /* hash table of first tokens, `tsize` slots */
	size_t tsize;
	size_t nphrases;
};

/* The embedded data/concepts.json (generated at build time). */
extern const unsigned char isg__concepts_json[];
extern const size_t isg__concepts_json_len;

/* Index of a slug, or (size_t)-1. */
size_t isg__concepts_index(const isg_concepts *cat, const char *slug);
/* The first phrase whose first token is `tok` (walk ->next, compare). */
const isg__concepts_phrase *isg__concepts_phrases(const isg_concepts *cat,
                                                  const char *tok, size_t len);
size_t isg__concepts_hash(const char *s, size_t len);

/* Largest catalog read from a file or memory. */
#define ISG__CONCEPTS_MAX_FILE (16u * 1024u * 1024u)
/* Parses and validates the catalog `text` into the empty `cat` (slugs,
 * hierarchy, phrase table); `what` names the source in errors
 * (concepts_catalog.c). */
int isg__concepts_load(isg_concepts *cat, const char *text, size_t len,
                       const char *what);
/* Reads a catalog file of at most ISG__CONCEPTS_MAX_FILE bytes with the
 * safe reader (regular files only): ISG_OK, ISG_EIO, ISG_ETOOBIG or
 * ISG_ENOMEM. */
int isg__concepts_read_file(isg_buf *out, const char *path);

/* ---- tokenizer ---- */

/* Text beyond this many bytes is not matched. */
#define ISG__CONCEPTS_MAX_TEXT (1024u * 1024u)

/* A token: a run of ASCII letters and digits (plus a trailing "++" or "#"
 * as in c++ and c#), lower-cased and lightly stemmed (plural "s", "es",
 * "ies"). Bytes outside ASCII separate tokens, so invalid UTF-8 is
 * harmless. */
typedef struct isg__concepts_token {
	size_t off; /* offset of the text in the list's `store` */
	size_t len;
	size_t src; /* byte offset of the token in the source text */
} isg__concepts_token;

#define ISG__CONCEPTS_TOK(t, i) ((t)->store + (t)->items[i].off)

typedef struct isg__concepts_tokens {
	isg__concepts_token *items;
	size_t n, cap;
	char *store; /* lower-cased, stemmed token text, NUL-separated */
	size_t store_len, store_cap;
} isg__concepts_tokens;

/* Appends the tokens of `len` bytes of text. Splits camelCase words too
 * when `split_camel` is set (for symbol names). ISG_OK or ISG_ENOMEM. */
int isg__concepts_tokenize(isg__concepts_tokens *t, const char *text,
                           size_t len, int split_camel);
void isg__concepts_tokens_dispose(isg__concepts_tokens *t);
/* Stems one lower-case token in place, returning its new length. */
size_t isg__concepts_stem(char *tok, size_t len);

/* ---- match lists ---- */

struct isg_concepts_matches {
	isg__arena arena;
	const isg_concepts *cat;
	isg_concept_match *items;
	size_t n;
};

typedef struct isg__concepts_acc {
	double score;      /* accumulated evidence weight */
	char *evidence[8]; /* strongest first (by insertion weight) */
	double ev_weight[8];
	size_t nev;
	int hit;
} isg__concepts_acc;

/* Accumulators for every concept of a catalog. */
typedef struct isg__concepts_matcher {
	const isg_concepts *cat;
	isg__concepts_acc *acc;
	int failed; /* an allocation failed */
} isg__concepts_matcher;

int isg__concepts_matcher_init(isg__concepts_matcher *m,
                               const isg_concepts *cat);
void isg__concepts_matcher_dispose(isg__concepts_matcher *m);
/* Adds `weight` of evidence to concept `ci` with a formatted description.
 * Remembers allocation failures in m->failed. */
void isg__concepts_matcher_add(isg__concepts_matcher *m, size_t ci,
                               double weight, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 4, 5)))
#endif
        ;
/* Matches the phrases of the catalog in `text`; `where` names the place
 * ("title"), `first`/`more` are the weights of the first and each later
 * occurrence (later ones are capped). */
int isg__concepts_matcher_text(isg__concepts_matcher *m, const char *text,
                               size_t len, const char *where, double first,
                               double more, int split_camel);
/* Does `name` (an import, a dependency) match one of a concept's import
 * signals? Compares case-insensitively, treating '-' and '_' alike, and
 * accepts "numpy.typing" or "github.com/x/y/v2" for "numpy" and
 * "github.com/x/y". */
int isg__concepts_import_matches(const char *name, const char *signal);
/* Glob match of a file pattern against a path (see isg_concept.files). */
int isg__concepts_path_matches(const char *path, const char *pattern);
/* The concept of a language name ("Python", "C++", "golang"), or
 * (size_t)-1. */
size_t isg__concepts_language(const isg_concepts *cat, const char *lang);
/* Turns accumulated evidence into a sorted, filtered match list. */
int isg__concepts_matcher_finish(isg_concepts_matches **out,
                                 isg__concepts_matcher *m,
                                 double min_confidence, size_t max_results);

#endif /* ISSUESIGHT_CONCEPTS_INT_H */
