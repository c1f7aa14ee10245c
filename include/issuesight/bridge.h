/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/bridge.h
 * @brief The Context Bridge: build one for an issue, read its parts, and
 *        write it as JSON or Markdown.
 *
 * A bridge has four parts (docs/bridge.md): the **verdict** (is the issue
 * junior-friendly, how hard, why), the **prerequisites** (concepts to learn
 * first, foundational to specific, each with why it matters here), the
 * **architecture** (ranked files with role and key symbols, how they
 * relate, what to read, the entry point) and the **guide** (steps from
 * reproducing to the pull request, the project's test command and
 * contribution rules). It also records the **engine** that made it.
 *
 * Its JSON form is the versioned document described by
 * `docs/bridge.schema.json` (JSON Schema 2020-12, `schema_version` "1.0").
 * Every key is required (absent values are `null`) and no other key is
 * allowed, so the schema also serves as a strict structured-output schema
 * for a language model. isg_bridge_validate() applies the schema's rules in
 * C and names the JSON path of the first violation.
 *
 * A bridge is read through borrowed views (::isg_bridge_issue and friends).
 * Their pointers live as long as the bridge. Views only ever come from the
 * library, so later versions may append fields to them.
 *
 * Thread rule: a bridge is immutable once built; any number of threads may
 * read it at once. isg_bridge_generate() uses its repository handle (one
 * thread at a time per ::isg_repo).
 */
#ifndef ISSUESIGHT_BRIDGE_H
#define ISSUESIGHT_BRIDGE_H

#include "buf.h"
#include "common.h"
#include "concepts.h"
#include "config.h"
#include "repo.h"

ISG_BEGIN_DECLS

/** The schema version this library writes and reads. */
#define ISG_BRIDGE_SCHEMA_VERSION "1.0"

/** A Context Bridge. Opaque; see the views below. */
typedef struct isg_bridge isg_bridge;

/** Which engine made a bridge. */
typedef enum isg_bridge_engine_kind {
	/** Repository retrieval, concept matching and difficulty heuristics;
	 * no network, no key. */
	ISG_BRIDGE_ENGINE_OFFLINE = 0,
	/** The same retrieved context, prose written by a language model. */
	ISG_BRIDGE_ENGINE_LLM = 1
} isg_bridge_engine_kind;

/** The issue a bridge is about. */
typedef struct isg_bridge_issue {
	const char *repo;  /**< "owner/name", or "" when unknown. */
	long long number;  /**< Issue number, or 0 when unknown (JSON null). */
	const char *title; /**< The title; never NULL. */
	const char *url;   /**< Its web address, or NULL when unknown. */
	const char *state; /**< "open", "closed" or "unknown". */
	const char *const *labels; /**< Label names. */
	size_t nlabels;            /**< Number of labels. */
} isg_bridge_issue;

/** Part 1: the verdict. */
typedef struct isg_bridge_verdict {
	int junior_friendly;    /**< 1 or 0. */
	const char *difficulty; /**< "beginner", "intermediate", "advanced". */
	double score; /**< In [0,1]: how likely a newcomer can fix it. */
	const char *const *reasons; /**< Why, strongest first. */
	size_t nreasons;            /**< Number of reasons. */
} isg_bridge_verdict;

/** Part 2: one prerequisite concept. */
typedef struct isg_bridge_prerequisite {
	const char *concept; /**< Catalog slug ("message-queues"). */
	const char *name;    /**< Display name ("Message queues"). */
	const char *why;     /**< Why it matters for this issue, naming the
	                          file or term that matched. */
} isg_bridge_prerequisite;

/** A key symbol of a file. */
typedef struct isg_bridge_symbol {
	const char *name;  /**< As defined ("TimeSeries.remove_column"). */
	unsigned int line; /**< 1-based line, or 0 when unknown. */
} isg_bridge_symbol;

/** A file the fix is likely to change, best first. */
typedef struct isg_bridge_file {
	const char *path; /**< Relative to the repository root. */
	const char *role; /**< What it does ("defines class TimeSeries ..."). */
	double score;     /**< Retrieval score in [0,1], 1 for the best. */
	const isg_bridge_symbol *symbols; /**< Key symbols. */
	size_t nsymbols;                  /**< Number of symbols. */
} isg_bridge_file;

/** How two files relate. */
typedef struct isg_bridge_relation {
	const char *from; /**< A path. */
	const char *to;   /**< A path. */
	const char *kind; /**< "imports", "tests" or "documents". */
} isg_bridge_relation;

/** A test, doc or example to read before changing anything. */
typedef struct isg_bridge_reading {
	const char *path; /**< Relative to the repository root. */
	const char *kind; /**< "test", "doc" or "example". */
	const char *why;  /**< Why to read it. */
} isg_bridge_reading;

/** Part 3: the architecture that matters. */
typedef struct isg_bridge_architecture {
	const char *summary;          /**< One or two sentences. */
	const char *entry_point;      /**< The file to open first, or NULL. */
	const isg_bridge_file *files; /**< Ranked files. */
	size_t nfiles;                /**< Number of files. */
	const isg_bridge_relation *relations; /**< Relations among them. */
	size_t nrelations;                    /**< Number of relations. */
	const isg_bridge_reading *read_these; /**< Tests, docs, examples. */
	size_t nread_these;                   /**< Number of readings. */
} isg_bridge_architecture;

/** One step of the guide. */
typedef struct isg_bridge_step {
	const char *title;  /**< Short imperative ("Reproduce the bug"). */
	const char *detail; /**< What to do (Markdown, may hold code). */
	const char *const *files; /**< Files the step names. */
	size_t nfiles;            /**< Number of files. */
} isg_bridge_step;

/** A contribution guide of the project. */
typedef struct isg_bridge_rule {
	const char *path;    /**< "CONTRIBUTING.md". */
	const char *summary; /**< What it asks of contributors. */
} isg_bridge_rule;

/** Part 4: the guide. */
typedef struct isg_bridge_guide {
	const isg_bridge_step *steps; /**< In order. */
	size_t nsteps;                /**< Number of steps. */
	const char *test_command;     /**< "make test", or NULL when unknown. */
	const isg_bridge_rule *contributing; /**< Contribution guides. */
	size_t ncontributing;                /**< Number of guides. */
} isg_bridge_guide;

/** The engine that made a bridge and what it cost. */
typedef struct isg_bridge_engine {
	const char *kind;        /**< "offline" or "llm". */
	const char *model;       /**< The model, or NULL for offline. */
	const char *repo_commit; /**< Snapshot read, or NULL when unknown. */
	long long prompt_tokens; /**< Tokens sent (0 offline). */
	long long completion_tokens; /**< Tokens received (0 offline). */
} isg_bridge_engine;

/* ---- reading a bridge ------------------------------------------------- */

/** The issue; NULL for a NULL bridge. Borrowed. */
ISG_API const isg_bridge_issue *isg_bridge_get_issue(const isg_bridge *b);
/** The verdict; NULL for a NULL bridge. Borrowed. */
ISG_API const isg_bridge_verdict *isg_bridge_get_verdict(const isg_bridge *b);
/** How many prerequisites (0 for NULL). */
ISG_API size_t isg_bridge_prerequisite_count(const isg_bridge *b);
/** Prerequisite `i`, foundational first; NULL when out of range. */
ISG_API const isg_bridge_prerequisite *
isg_bridge_prerequisite_at(const isg_bridge *b, size_t i);
/** The architecture; NULL for a NULL bridge. Borrowed. */
ISG_API const isg_bridge_architecture *
isg_bridge_get_architecture(const isg_bridge *b);
/** The guide; NULL for a NULL bridge. Borrowed. */
ISG_API const isg_bridge_guide *isg_bridge_get_guide(const isg_bridge *b);
/** The engine record; NULL for a NULL bridge. Borrowed. */
ISG_API const isg_bridge_engine *isg_bridge_get_engine(const isg_bridge *b);

/** Free a bridge. NULL is a no-op; every view becomes invalid. */
ISG_API void isg_bridge_free(isg_bridge *b);

/* ---- JSON and Markdown ------------------------------------------------ */

/** Flag of isg_bridge_to_json(): indent with two spaces, one key a line. */
#define ISG_BRIDGE_JSON_PRETTY 1u

/**
 * Write a bridge as its JSON document, keys in schema order. The output is
 * canonical: isg_bridge_from_json() of it, written again, gives the same
 * bytes. Strings are valid UTF-8.
 *
 * @param out replaced with the document.
 * @param flags 0 (compact) or ::ISG_BRIDGE_JSON_PRETTY.
 * @return ::ISG_OK, ::ISG_EINVALID for NULL arguments or unknown flags,
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_to_json(isg_buf *out, const isg_bridge *b,
                               unsigned int flags);

/**
 * Read a bridge from its JSON document (for example a PostgreSQL `jsonb`
 * column), checking it as isg_bridge_validate() does.
 *
 * @param out receives the bridge, owned by the caller; NULL on error.
 * @param json the document (need not be NUL-terminated).
 * @param len its length in bytes.
 * @return ::ISG_OK; ::ISG_EPARSE for text that is not JSON (the message
 *         gives the byte offset); ::ISG_EINVALID for a document that breaks
 *         the schema (the message names the path, e.g.
 *         `verdict.score: 1.7 is out of [0,1]`) or NULL arguments;
 *         ::ISG_ETOOBIG for a document over 16 MiB; ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_from_json(isg_bridge **out, const char *json,
                                 size_t len);

/**
 * Check a JSON document against the bridge schema's rules: required keys,
 * no unknown keys, types, enums, ranges, lengths and valid UTF-8.
 *
 * @return ::ISG_OK; ::ISG_EINVALID naming the JSON path and the rule (the
 *         first violation in document order); ::ISG_EPARSE, ::ISG_ETOOBIG
 *         and ::ISG_ENOMEM as isg_bridge_from_json().
 */
ISG_API int isg_bridge_validate(const char *json, size_t len);

/**
 * Render a bridge as Markdown with four sections (`## Verdict`,
 * `## Prerequisites`, `## Architecture`, `## Guide`) after a title line.
 * Rendering is deterministic: the same bridge gives byte-identical output,
 * and nothing time-dependent is written.
 *
 * @param out replaced with the Markdown.
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_to_markdown(isg_buf *out, const isg_bridge *b);

/* ---- generating a bridge ---------------------------------------------- */

/** The current version of ::isg_bridge_options. */
#define ISG_BRIDGE_OPTIONS_VERSION 1

/**
 * Options of isg_bridge_generate(). Zero means the documented default.
 * Exactly one of `repo` / `repo_handle` and one of `issue_text` /
 * `issue_json` must be set. Nothing is kept after the call.
 */
typedef struct isg_bridge_options {
	/** Must be ::ISG_BRIDGE_OPTIONS_VERSION. */
	unsigned int version;
	/** One of ::isg_bridge_engine_kind (0: offline). */
	int engine;
	/** A repository directory or git URL, opened with isg_repo_open(). */
	const char *repo;
	/** Or an already opened repository (borrowed). */
	const isg_repo *repo_handle;
	/** Passed to isg_repo_open() with `repo` (NULL: the setting). */
	const char *cache_dir;
	/** Settings for isg_repo_open() (NULL: the library reads them). */
	const isg_config *config;
	/** The issue as text: the first non-blank line is the title (a
	 * leading `#` is dropped), the rest the body. Any bytes. */
	const char *issue_text;
	/** Bytes of `issue_text`. */
	size_t issue_text_len;
	/** Or a GitHub issue object as JSON (isg_issue_parse()): `title`,
	 * `body`, `labels`, `number`, `html_url`, `state`, and `comments`,
	 * either GitHub's count or an array of comment objects whose bodies
	 * are read with the issue. */
	const char *issue_json;
	/** Bytes of `issue_json`. */
	size_t issue_json_len;
	/** "owner/name" for the issue block. NULL: taken from the issue's
	 * `html_url` or `repository_url`, else "". */
	const char *issue_repo;
	/** How many files to rank (0: 5, at most 50). */
	size_t top_k;
	/** The concept catalog (borrowed). NULL: the embedded catalog. */
	const isg_concepts *concepts;
} isg_bridge_options;

/** Default options (a repository and an issue must still be set). */
#define ISG_BRIDGE_OPTIONS_INIT                                              \
	{                                                                    \
		ISG_BRIDGE_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, \
		        0, NULL, 0, NULL, 0, NULL                            \
	}

/**
 * Build the Context Bridge of an issue.
 *
 * The offline engine localizes the issue in the repository (isg_locate_run()),
 * matches concepts (isg_concepts_match(), isg_concepts_prerequisites()),
 * estimates difficulty (isg_difficulty_estimate()) and writes every part
 * from what it found; the result always passes isg_bridge_validate().
 * Issue text may be large (only the first MiB is read) and need not be
 * valid UTF-8 (invalid bytes are read as Latin-1).
 *
 * @param out receives the bridge, owned by the caller; NULL on error.
 * @param opts the options.
 * @return ::ISG_OK; ::ISG_EINVALID for NULL arguments, a bad option (named)
 *         or an issue whose title and body are empty; ::ISG_EPARSE for an
 *         `issue_json` that is not JSON or not an issue object;
 *         ::ISG_EUNSUPPORTED for the llm engine (not in this build);
 *         the errors of isg_repo_open() (::ISG_ENOTFOUND for a missing
 *         directory, ::ISG_EUPSTREAM for a failed clone ...);
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_bridge_generate(isg_bridge **out,
                                const isg_bridge_options *opts);

ISG_END_DECLS

#endif /* ISSUESIGHT_BRIDGE_H */
