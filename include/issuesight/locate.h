/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/locate.h
 * @brief Rank the files of a repository that a fix for an issue is likely
 *        to change.
 *
 * isg_locate_run() reads an issue's text, extracts what it mentions (paths,
 * dotted module paths, file names, stack-trace frames, backticked and
 * CamelCase identifiers, code blocks) and ranks the files of an indexed
 * ::isg_repo by combining:
 * - explicit mentions: a path, module path or file name that names the
 *   file, a stack-trace frame in it;
 * - definitions: a file that *defines* a name the issue mentions outranks
 *   one that merely uses it;
 * - BM25 over code-aware tokens (identifiers split on camelCase and
 *   snake_case) with separate weights for path, definitions and body, for
 *   the whole file and for its best-matching definition;
 * - string literals that match text the issue quotes (an exception
 *   message, a flag, a role or directive name);
 * - a package or directory the issue names, spread over the modules
 *   inside it by their own text match;
 * - the import graph: a file that imports, or is imported by, one of the
 *   two best files and matches the text well on its own moves up (never
 *   above the best file), for fixes that span several files;
 * - history, when the repository was a git checkout with commits: past
 *   commits (before HEAD only) whose messages resemble the issue vote for
 *   the files they changed, as similar past bug reports do in BugLocator.
 *
 * Two lists come back. ::ISG_LOCATE_CHANGE holds the source files a fix is
 * likely to change; ::ISG_LOCATE_READ holds tests, docs and examples worth
 * reading ("read these, do not change them"). docs/localization.md lists
 * every signal and weight.
 *
 * Thread rule: a result is immutable once built and may be read from any
 * thread; isg_locate_run() itself uses the repository handle (one thread at a
 * time per ::isg_repo).
 */
#ifndef ISSUESIGHT_LOCATE_H
#define ISSUESIGHT_LOCATE_H

#include "buf.h"
#include "common.h"
#include "repo.h"

ISG_BEGIN_DECLS

/** A ranking of files for one issue. Opaque. */
typedef struct isg_locate_result isg_locate_result;

/** The two lists of a result. */
typedef enum isg_locate_list {
	/** Source files a fix is likely to change. */
	ISG_LOCATE_CHANGE = 0,
	/** Tests, docs and examples to read first. */
	ISG_LOCATE_READ = 1
} isg_locate_list;

/** The current version of ::isg_locate_options. Version 1 (without
 * `no_history`) is still accepted: callers built against it keep
 * working and get the history signal. */
#define ISG_LOCATE_OPTIONS_VERSION 2

/** Options of isg_locate_run(). Zero means the documented default. */
typedef struct isg_locate_options {
	/** ::ISG_LOCATE_OPTIONS_VERSION (or 1, the layout without
	 * `no_history`). */
	unsigned int version;
	/** Length of the ::ISG_LOCATE_CHANGE list. 0: 10. */
	size_t top_k;
	/** Length of the ::ISG_LOCATE_READ list. 0: 5. */
	size_t top_k_read;
	/** Since version 2. Non-zero: ignore the repository's git history
	 * (past commits whose messages resemble the issue voting for the
	 * files they changed). 0, the default: use it when the index has
	 * one (the repository was a git checkout with commits when it was
	 * indexed); without one, the ranking is the same either way. */
	int no_history;
} isg_locate_options;

/** Default options. */
#define ISG_LOCATE_OPTIONS_INIT                     \
	{                                           \
		ISG_LOCATE_OPTIONS_VERSION, 0, 0, 0 \
	}

/**
 * Rank the files of `repo` for an issue.
 *
 * Any bytes are accepted: invalid UTF-8 is read as Latin-1 and never makes
 * the call fail. Text longer than 1 MiB is read up to its first MiB.
 *
 * @param out receives the result, owned by the caller (free it with
 *        isg_locate_result_free()); NULL on error.
 * @param repo an open repository.
 * @param issue_text the issue's title and body (need not be
 *        NUL-terminated).
 * @param len bytes of `issue_text`.
 * @param opts options, or NULL for the defaults.
 * @return ::ISG_OK (possibly with empty lists, for an empty repository or
 *         an issue that matches nothing); ::ISG_EINVALID for NULL
 *         arguments, a bad option, or issue text that is empty or only
 *         white space; ::ISG_EBACKEND when the index cannot be queried;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_locate_run(isg_locate_result **out, const isg_repo *repo,
                           const char *issue_text, size_t len,
                           const isg_locate_options *opts);

/** Deprecated: the 0.1 name of isg_locate_run(), exported until 0.3. */
ISG_DEPRECATED("use isg_locate_run")
ISG_API int isg_locate(isg_locate_result **out, const isg_repo *repo,
                       const char *issue_text, size_t len,
                       const isg_locate_options *opts);

/** Free a result. NULL is a no-op. */
ISG_API void isg_locate_result_free(isg_locate_result *result);

/** How many files list `list` holds (0 for NULL or a bad list). */
ISG_API size_t isg_locate_result_count(const isg_locate_result *result,
                                       int list);

/** The path of entry `i` of `list`, relative to the repository root;
 * NULL when out of range. Borrowed from the result. */
ISG_API const char *isg_locate_result_path(const isg_locate_result *result,
                                           int list, size_t i);

/** The score of entry `i` of `list` (higher is better; scores decrease
 * along a list); 0 when out of range. */
ISG_API double isg_locate_result_score(const isg_locate_result *result,
                                       int list, size_t i);

/** The role of entry `i`: "source", "test", "doc" or "example"; NULL when
 * out of range. */
ISG_API const char *isg_locate_result_role(const isg_locate_result *result,
                                           int list, size_t i);

/** How many reasons entry `i` of `list` carries. */
ISG_API size_t isg_locate_result_reason_count(const isg_locate_result *result,
                                              int list, size_t i);

/** Reason `j` of entry `i`, human readable (``defines `TimeSeries`
 * (mentioned in the issue)``, ``path matches `timeseries` ``), strongest
 * first; NULL when out of range. Borrowed from the result. */
ISG_API const char *isg_locate_result_reason(const isg_locate_result *result,
                                             int list, size_t i, size_t j);

/** How many relevant symbols entry `i` of `list` carries. */
ISG_API size_t isg_locate_result_symbol_count(const isg_locate_result *result,
                                              int list, size_t i);

/** The name of symbol `j` of entry `i` (a definition of the file that the
 * issue mentions or matches); NULL when out of range. */
ISG_API const char *
isg_locate_result_symbol_name(const isg_locate_result *result, int list,
                              size_t i, size_t j);

/** The 1-based line of symbol `j` of entry `i`; 0 when out of range. */
ISG_API unsigned int
isg_locate_result_symbol_line(const isg_locate_result *result, int list,
                              size_t i, size_t j);

/**
 * Whether symbol `j` of entry `i` was named in the issue: 1 when the issue
 * mentions the name as code (in backticks or a code block, CamelCase,
 * snake_case, a call, a dotted path or a traceback), 0 when the symbol was
 * chosen for another reason (the definition enclosing a stack-trace line,
 * the best-matching definition, a name sharing a word with the issue) or
 * when out of range.
 */
ISG_API int isg_locate_result_symbol_mentioned(const isg_locate_result *result,
                                               int list, size_t i, size_t j);

/** How many distinct mentions were extracted from the issue (paths,
 * module paths, file names, identifiers). */
ISG_API size_t isg_locate_result_mention_count(const isg_locate_result *result);

/** Mention `i` as found in the issue; NULL when out of range. */
ISG_API const char *isg_locate_result_mention(const isg_locate_result *result,
                                              size_t i);

/**
 * Number of ranked definitions (at most 20): the functions, methods,
 * classes and types a fix most likely edits, best first, taken from the
 * best files of the ::ISG_LOCATE_CHANGE list. 0 for NULL.
 */
ISG_API size_t
isg_locate_result_definition_count(const isg_locate_result *result);

/**
 * Definition `i`, named as LocAgent names it: `path:Class.method` for a
 * method, `path:function` for a function, `path:Outer.Inner` for a
 * nested class (`src/a.rs:JoinSet.shutdown` for a Rust method of an
 * `impl JoinSet` block). An edit inside a nested function belongs to its
 * outermost function or method, so nested functions are never listed.
 * Borrowed from the result; NULL when `i` is out of range.
 */
ISG_API const char *
isg_locate_result_definition(const isg_locate_result *result, size_t i);

/** The file of definition `i` (borrowed), or NULL. */
ISG_API const char *
isg_locate_result_definition_path(const isg_locate_result *result, size_t i);

/** The kind of definition `i` ("function", "method", "class", "struct",
 * ...; borrowed), or NULL. */
ISG_API const char *
isg_locate_result_definition_kind(const isg_locate_result *result, size_t i);

/** The 1-based line where definition `i` starts, or 0. */
ISG_API unsigned int
isg_locate_result_definition_line(const isg_locate_result *result, size_t i);

/** The score of definition `i` (larger is better; comparable within one
 * result only), or 0. */
ISG_API double
isg_locate_result_definition_score(const isg_locate_result *result, size_t i);

/**
 * The ::ISG_LOCATE_CHANGE list as JSON, exactly
 * `{"files": [{"path": "...", "score": 0.0, "reasons": ["..."],
 * "symbols": [{"name": "...", "line": 1}]}], "definitions": [{"name":
 * "path:Class.method", "path": "...", "kind": "method", "line": 1,
 * "score": 0.0}]}` in rank order.
 *
 * @param out replaced with the document (valid UTF-8).
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_locate_result_json(isg_buf *out,
                                   const isg_locate_result *result);

ISG_END_DECLS

#endif /* ISSUESIGHT_LOCATE_H */
