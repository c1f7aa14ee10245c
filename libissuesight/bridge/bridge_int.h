/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private parts of the bridge module: the handle's layout, its arena, and
 * the steps shared by the JSON reader, the schema check and the engines.
 * The offline engine's files, leaves first: bridge_tree.c (JSON tree
 * builders), bridge_issue.c (the issue read), bridge_files.c (facts about
 * one file), bridge_inputs.c (concept and difficulty inputs); the parts
 * bridge_architecture.c and bridge_guide.c; the driver bridge_offline.c.
 */
#ifndef ISSUESIGHT_BRIDGE_INT_H
#define ISSUESIGHT_BRIDGE_INT_H

#include <cjson/cJSON.h>

#include "issuesight/bridge.h"

#include "core_int.h"

/* Largest document isg_bridge_from_json() accepts. */
#define ISG__BRIDGE_MAX_JSON ((size_t)16 << 20)

/* Every string and array of a bridge lives in one arena, freed at once. */
struct isg_bridge {
	isg__arena arena;
	isg_bridge_issue issue;
	isg_bridge_verdict verdict;
	isg_bridge_prerequisite *prereqs;
	size_t nprereqs;
	isg_bridge_architecture arch;
	isg_bridge_guide guide;
	isg_bridge_engine engine;
};

/* Checks a parsed document against the schema's rules; ISG_OK or
 * ISG_EINVALID naming the path (bridge_schema.c). */
int isg__bridge_check(const cJSON *doc);

/* Builds a bridge from a document that passed isg__bridge_check(). */
int isg__bridge_from_tree(isg_bridge **out, const cJSON *doc);

/* 1 when `s` is a kebab-case slug, as the schema's pattern demands. */
int isg__bridge_is_slug(const char *s);

/* ---- the offline engine (bridge_offline.c and its parts) ------------- */

#include "issuesight/concepts.h"
#include "issuesight/difficulty.h"
#include "issuesight/locate.h"
#include "issuesight/repo.h"

/* A file the bridge talks about: a ranked file to change or one to read. */
typedef struct isg__bridge_file {
	const char *path; /* borrowed from the locate result */
	const char *role; /* "source", "test", "doc", "example" */
	double score;     /* normalised to [0,1] */
	int list;         /* ISG_LOCATE_CHANGE or ISG_LOCATE_READ */
	size_t rank;      /* index in its list */
	size_t idx;       /* index in the repository */
	int indexed;      /* idx is valid */
} isg__bridge_file;

/* The issue as the concept matcher and the difficulty estimator see it.
 * Everything is borrowed. */
typedef struct isg__bridge_issue_facts {
	const char *title, *body;
	const char *const *labels;
	size_t nlabels;
	size_t comment_count, comment_chars;
} isg__bridge_issue_facts;

/* At most this many ranked files go into the difficulty input. */
#define ISG__BRIDGE_INPUT_PATHS 50

/* What one localized issue gives the concept matcher and the difficulty
 * estimator (bridge_inputs.c). The offline engine and bench/difficulty
 * both build it with isg__bridge_inputs_build(), so the bench calibrates
 * exactly what the engine feeds the estimator. */
typedef struct isg__bridge_inputs {
	/* Owned: the ranked files, change files then read files; a file under
	 * 2% of the best is dropped, scores are relative to the best. */
	isg__bridge_file *files;
	size_t nchange, nread;
	/* Owned: the concepts matched on the issue's text and labels and the
	 * change files' paths, languages, imports and symbols. */
	isg_concepts_matches *matches;
	const char *paths[ISG__BRIDGE_INPUT_PATHS];
	double scores[ISG__BRIDGE_INPUT_PATHS];
	/* For isg_difficulty_estimate(): borrows `paths`, `scores`, `matches`
	 * and the issue's strings, so it lives as long as this struct (which
	 * must not be copied) and the issue. */
	isg_difficulty_input input;
} isg__bridge_inputs;

/* Fills `out` from a repository, its locate result for the issue and a
 * catalog. With `loc` NULL (no localization) there are no files and the
 * concepts come from the issue's text and labels alone; otherwise `repo`
 * is the repository `loc` was made from. ISG_OK, or the status of the
 * concept matcher or ISG_ENOMEM (then `out` holds nothing to dispose). */
int isg__bridge_inputs_build(isg__bridge_inputs *out, const isg_repo *repo,
                             const isg_locate_result *loc,
                             const isg_concepts *cat,
                             const isg__bridge_issue_facts *issue);
/* Frees what `in` owns; NULL is a no-op. */
void isg__bridge_inputs_dispose(isg__bridge_inputs *in);
/* `v` clamped to [0,1] and rounded to three decimals (NaN gives 0). */
double isg__bridge_round3(double v);

typedef struct isg__bridge_gen {
	/* The issue, as valid UTF-8. */
	char *title, *body;
	char **labels;
	size_t nlabels;
	long long number;
	char *url, *state, *repo_name;
	size_t ncomments, comment_chars;
	char *comments; /* comment bodies, for localization and mentions */
	/* The identifiers of title, body and comments, sorted and unique. */
	char *wordbuf;
	const char **words;
	size_t nwords;
	/* What the modules found. */
	const isg_repo *repo;
	isg_locate_result *loc;
	const isg_concepts *cat;
	isg_concepts_matches *matches, *prereqs;
	isg_difficulty *diff;
	isg__bridge_file *files; /* change files, then read files */
	size_t nchange, nread;
	char *test_cmd;
	const char *test_cmd_origin;
	/* The document being built; `oom` records a failed allocation. */
	cJSON *doc;
	int oom;
} isg__bridge_gen;

/* bridge_tree.c: building the document; each helper does nothing after a
 * failure. Strings
 * are made valid UTF-8 and cut to `max` code points (0: no limit). */
cJSON *isg__bridge_tree_obj(isg__bridge_gen *g, cJSON *parent, const char *key);
cJSON *isg__bridge_tree_arr(isg__bridge_gen *g, cJSON *parent, const char *key);
void isg__bridge_tree_str(isg__bridge_gen *g, cJSON *obj, const char *key,
                          const char *s, size_t max);
void isg__bridge_tree_push(isg__bridge_gen *g, cJSON *arr, const char *s,
                           size_t max);
void isg__bridge_tree_num(isg__bridge_gen *g, cJSON *obj, const char *key,
                          double v);
/* A buffer's content as a string member; an allocation failure of the
 * buffer (rc) is recorded too. The buffer is cleared. */
void isg__bridge_tree_buf(isg__bridge_gen *g, cJSON *obj, const char *key,
                          isg_buf *b, int rc, size_t max);
/* The first sentence of `s` (at most `max` bytes), appended to `out`. */
int isg__bridge_tree_sentence(isg_buf *out, const char *s, size_t max);
/* A copy of `len` bytes as valid UTF-8: invalid bytes are read as
 * Latin-1, NUL bytes dropped. NULL on allocation failure. */
char *isg__bridge_tree_utf8(const char *s, size_t len);

/* bridge_issue.c: reads the issue of `o` (text or JSON) into `g` as valid
 * UTF-8: title, body, labels, comments, state. */
int isg__bridge_issue_read(isg__bridge_gen *g, const isg_bridge_options *o);
/* Collects the identifiers of the issue's title, body and comments. */
int isg__bridge_issue_words(isg__bridge_gen *g);
/* 1 when the issue (title, body or comments) mentions identifier `name`. */
int isg__bridge_issue_mentions(const isg__bridge_gen *g, const char *name);
/* 1 for an identifier no prose uses by accident (TimeSeries, remove_column):
 * it has an inner capital, digit or underscore. */
int isg__bridge_specific_name(const char *name);
/* bridge_files.c: 1 when file `a` imports file `b`. */
int isg__bridge_file_imports(const isg__bridge_gen *g,
                             const isg__bridge_file *a,
                             const isg__bridge_file *b);
/* 1 when test file `t` tests source file `s` (imports it or is named
 * after it). */
int isg__bridge_file_tests(const isg__bridge_gen *g, const isg__bridge_file *t,
                           const isg__bridge_file *s);
/* The definitions that tell a file's role (the issue's symbols first);
 * returns how many of `cap` were filled. */
size_t isg__bridge_file_key_defs(isg_repo_def *out, size_t cap,
                                 const isg__bridge_gen *g,
                                 const isg__bridge_file *f);
/* Appends "kind Parent.name" (or "Parent.name" without the kind). */
int isg__bridge_file_put_def(isg_buf *b, const isg_repo_def *d, int with_kind);

/* Parts written by bridge_architecture.c and bridge_guide.c. */
void isg__bridge_architecture(isg__bridge_gen *g);
void isg__bridge_guide(isg__bridge_gen *g);

/* The offline engine (bridge_offline.c). */
int isg__bridge_offline(isg_bridge **out, const isg_bridge_options *opts);

/* Appends `s` to `out` as text for one Markdown line: newlines become
 * spaces (bridge_markdown.c). */
int isg__bridge_md_inline(isg_buf *out, const char *s);

#endif /* ISSUESIGHT_BRIDGE_INT_H */
