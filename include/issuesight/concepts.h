/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/concepts.h
 * @brief The concept catalog and matching issues and projects to concepts.
 *
 * A concept is a piece of software knowledge a newcomer may have to learn
 * before fixing an issue: a language (`python`), a domain
 * (`distributed-systems`), a technique (`message-queues`), a library
 * (`redis`, `sphinx`). Concepts form a hierarchy (a concept may have several
 * parents, and there are no cycles) and each carries a level (foundational,
 * intermediate, advanced), a difficulty weight and match signals (keywords,
 * import and package names, file patterns).
 *
 * The catalog ships with the library: `data/concepts.json` is embedded at
 * build time, so isg_concepts_new() works on a machine where nothing was
 * installed. A different catalog can be loaded from a file or from memory.
 *
 * Matching is plain, explainable text matching: case-insensitive, on word
 * boundaries (so "test" never matches "latest"), with light plural stemming
 * ("queues" matches "queue"). Every match carries its evidence.
 */
#ifndef ISSUESIGHT_CONCEPTS_H
#define ISSUESIGHT_CONCEPTS_H

#include "buf.h"
#include "common.h"
#include "store.h"

ISG_BEGIN_DECLS

/**
 * A loaded concept catalog.
 *
 * Thread rule: immutable once built; any number of threads may read and
 * match concurrently. Free it only when no thread uses it.
 */
typedef struct isg_concepts isg_concepts;

/** Concept levels, from what everyone learns first to what comes last. */
typedef enum isg_concept_level {
	ISG_CONCEPT_FOUNDATIONAL =
	        1, /**< Basic knowledge (a language, files). */
	ISG_CONCEPT_INTERMEDIATE = 2, /**< Common practice (testing, HTTP). */
	ISG_CONCEPT_ADVANCED = 3      /**< Specialised (lock-free, numerics). */
} isg_concept_level;

/**
 * One concept of the catalog. Every pointer is borrowed from the catalog
 * and valid until isg_concepts_free(); arrays hold `n...` entries.
 */
typedef struct isg_concept {
	const char *slug;        /**< Kebab-case id, e.g. "message-queues". */
	const char *name;        /**< Display name, e.g. "Message queues". */
	const char *description; /**< One paragraph of 2-4 sentences. */
	const char *const *parents; /**< Parent slugs (may be empty). */
	size_t nparents;            /**< Number of parents. */
	int level;                  /**< One of ::isg_concept_level. */
	/** Depth in the hierarchy: 0 for a root, else 1 + the deepest parent.
	 */
	int depth;
	/** How much the concept makes an issue harder, in [0,1]: high for
	 * concurrency, security, numerical stability; low for docs. */
	double difficulty_weight;
	const char *const *keywords; /**< Words and phrases in issue text. */
	size_t nkeywords;            /**< Number of keywords. */
	/** Import, library and package names ("redis", "numpy", "tokio"). */
	const char *const *imports;
	size_t nimports; /**< Number of imports. */
	/** File patterns such as "*.rs", "docs/conf.py" or "Dockerfile":
	 * '*' matches any run of characters, '/' included; a pattern without
	 * '/' is matched against the base name only. */
	const char *const *files;
	size_t nfiles; /**< Number of file patterns. */
} isg_concept;

/** The current version of ::isg_concepts_options. */
#define ISG_CONCEPTS_OPTIONS_VERSION 1

/** Options of isg_concepts_new(). Zero means the documented default. */
typedef struct isg_concepts_options {
	/** Must be ::ISG_CONCEPTS_OPTIONS_VERSION. */
	unsigned int version;
	/** Load this JSON file instead of the embedded catalog (servers pass
	 * the `ISSUESIGHT_CONCEPTS_FILE` setting here). NULL: embedded. */
	const char *path;
	/** Or parse these bytes (need not be NUL-terminated); used when not
	 * NULL and `path` is NULL. */
	const char *json;
	/** Length of `json` in bytes. */
	size_t json_len;
} isg_concepts_options;

/** Default options: the embedded catalog. */
#define ISG_CONCEPTS_OPTIONS_INIT                           \
	{                                                   \
		ISG_CONCEPTS_OPTIONS_VERSION, NULL, NULL, 0 \
	}

/**
 * Load and validate a catalog.
 *
 * The document is `{"version": 1, "concepts": [ {...}, ... ]}`; each concept
 * has `slug`, `name`, `description`, `parents`, `level`
 * ("foundational"/"intermediate"/"advanced" or 1-3), `difficulty_weight`
 * (0-1) and `signals` `{"keywords", "imports", "files"}`. Validation checks
 * that slugs are unique and kebab-case, that every parent exists, that
 * there is no cycle, and that every concept has a description and at least
 * one signal.
 *
 * @param out receives the catalog, owned by the caller; NULL on error.
 * @param opts options, or NULL for the embedded catalog.
 * @return ::ISG_OK; ::ISG_EIO when `path` cannot be read; ::ISG_EPARSE for
 *         malformed JSON; ::ISG_EINVALID naming the concept and field that
 *         break a rule (or a bad option); ::ISG_ETOOBIG for a file over
 *         16 MiB; ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_new(isg_concepts **out,
                             const isg_concepts_options *opts);

/** Free a catalog. NULL is a no-op. Borrowed concepts become invalid. */
ISG_API void isg_concepts_free(isg_concepts *cat);

/** The number of concepts in the catalog (0 for NULL). */
ISG_API size_t isg_concepts_count(const isg_concepts *cat);

/**
 * The i-th concept, in the order of the catalog file.
 *
 * @return a borrowed concept, or NULL when `i` is out of range.
 */
ISG_API const isg_concept *isg_concepts_at(const isg_concepts *cat, size_t i);

/**
 * Look a concept up by slug (exact, case-sensitive).
 *
 * @return a borrowed concept, or NULL when there is none.
 */
ISG_API const isg_concept *isg_concepts_find(const isg_concepts *cat,
                                             const char *slug);

/**
 * The number of direct children of a concept (0 when `slug` is unknown).
 */
ISG_API size_t isg_concepts_child_count(const isg_concepts *cat,
                                        const char *slug);

/**
 * The i-th direct child of a concept, in catalog order.
 *
 * @return a borrowed concept, or NULL when out of range or unknown.
 */
ISG_API const isg_concept *isg_concepts_child_at(const isg_concepts *cat,
                                                 const char *slug, size_t i);

/**
 * Whether `descendant` lies in the subtree of `ancestor` (a concept is in
 * its own subtree).
 *
 * @return 1 or 0 (0 also for unknown slugs and NULL arguments).
 */
ISG_API int isg_concepts_is_within(const isg_concepts *cat,
                                   const char *ancestor,
                                   const char *descendant);

/**
 * Write the catalog, or the subtree under `root`, as JSON:
 * `{"slug", "name", "description", "level", "difficulty_weight",
 * "children": [...]}` objects (a root object when `root` is given, else
 * `{"concepts": [roots...]}`). A concept with several parents appears
 * under each of them.
 *
 * @param out replaced with the JSON.
 * @param root a slug, or NULL for the whole catalog.
 * @return ::ISG_OK; ::ISG_ENOTFOUND naming an unknown `root`;
 *         ::ISG_EINVALID; ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_tree_json(isg_buf *out, const isg_concepts *cat,
                                   const char *root);

/** The name of a level ("foundational"), or "unknown". Static string. */
ISG_API const char *isg_concepts_level_name(int level);

/* ---- matching ----------------------------------------------------------- */

/**
 * The concepts matched to an issue or a project, best first.
 *
 * Thread rule: immutable once built; may be read from several threads.
 * It borrows concepts from its catalog: free it before the catalog.
 */
typedef struct isg_concepts_matches isg_concepts_matches;

/** One matched concept. Pointers are borrowed from the match list. */
typedef struct isg_concept_match {
	const isg_concept *entry; /**< The concept (borrowed). */
	/** Confidence in [0,1]; more and stronger signals give more. */
	double confidence;
	/** Human-readable evidence, strongest first, e.g.
	 * "keyword 'redis stream' in title", "import 'redis'",
	 * "path 'docs/conf.py' matches 'docs/conf.py'". At most 8. */
	const char *const *evidence;
	size_t nevidence; /**< Number of evidence strings. */
} isg_concept_match;

/** The current version of ::isg_concepts_query. */
#define ISG_CONCEPTS_QUERY_VERSION 1

/**
 * What to match: an issue's text and labels plus the files it was localized
 * to. Every field may be NULL/0. Strings need not be valid UTF-8.
 */
typedef struct isg_concepts_query {
	/** Must be ::ISG_CONCEPTS_QUERY_VERSION. */
	unsigned int version;
	const char *title; /**< Issue title (weighs more than the body). */
	const char *body;  /**< Issue body (Markdown). */
	const char *const *labels; /**< Label names. */
	size_t nlabels;            /**< Number of labels. */
	/** Paths of the localized files, best first ("src/queue.py"). */
	const char *const *paths;
	size_t npaths; /**< Number of paths. */
	/** Languages of those files ("python", "c"). */
	const char *const *languages;
	size_t nlanguages; /**< Number of languages. */
	/** Modules they import ("redis", "numpy.typing", "github.com/x/y"). */
	const char *const *imports;
	size_t nimports; /**< Number of imports. */
	/** Names they define ("XReadGroupConsumer", "autodoc_setup"). */
	const char *const *symbols;
	size_t nsymbols; /**< Number of symbols. */
	/** Drop matches below this confidence; 0 means 0.25. */
	double min_confidence;
	/** Keep at most this many matches; 0 means 20. */
	size_t max_results;
} isg_concepts_query;

/** An empty query with default limits. */
#define ISG_CONCEPTS_QUERY_INIT                                           \
	{                                                                 \
		ISG_CONCEPTS_QUERY_VERSION, NULL, NULL, NULL, 0, NULL, 0, \
		        NULL, 0, NULL, 0, NULL, 0, 0.0, 0                 \
	}

/**
 * Match an issue to concepts.
 *
 * @param out receives the matches (possibly none), owned by the caller.
 * @param cat the catalog.
 * @param query what to match.
 * @return ::ISG_OK; ::ISG_EINVALID for NULL arguments, a bad version or a
 *         `min_confidence` outside [0,1]; ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_match(isg_concepts_matches **out,
                               const isg_concepts *cat,
                               const isg_concepts_query *query);

/** The current version of ::isg_concepts_project. */
#define ISG_CONCEPTS_PROJECT_VERSION 1

/**
 * What is known about a project. Every field may be NULL/0.
 */
typedef struct isg_concepts_project {
	/** Must be ::ISG_CONCEPTS_PROJECT_VERSION. */
	unsigned int version;
	/** Language names ("Python", "c++", "TypeScript"). */
	const char *const *languages;
	/** Files or bytes per language (same length as `languages`); NULL
	 * gives every language the same share. */
	const size_t *language_counts;
	size_t nlanguages; /**< Number of languages. */
	/** Dependency package names ("numpy", "@types/node", "tokio"). */
	const char *const *dependencies;
	size_t ndependencies; /**< Number of dependencies. */
	/** Manifest file names ("requirements.txt", "pyproject.toml",
	 * "setup.cfg", "package.json", "go.mod", "Cargo.toml"), parallel to
	 * `manifest_texts`; the dependencies named inside are added. */
	const char *const *manifest_names;
	const char *const *manifest_texts; /**< Their contents. */
	size_t nmanifests;                 /**< Number of manifests. */
	const char *readme;                /**< README text (Markdown). */
	/** Drop matches below this confidence; 0 means 0.25. */
	double min_confidence;
	/** Keep at most this many matches; 0 means 30. */
	size_t max_results;
} isg_concepts_project;

/** An empty project description with default limits. */
#define ISG_CONCEPTS_PROJECT_INIT                                           \
	{                                                                   \
		ISG_CONCEPTS_PROJECT_VERSION, NULL, NULL, 0, NULL, 0, NULL, \
		        NULL, 0, NULL, 0.0, 0                               \
	}

/**
 * Derive a project's concepts from its languages, dependencies, manifests
 * and README. Manifests that cannot be parsed are skipped (their names are
 * not trusted to be well-formed).
 *
 * @param out receives the matches, owned by the caller.
 * @return ::ISG_OK; ::ISG_EINVALID as isg_concepts_match(); ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_for_project(isg_concepts_matches **out,
                                     const isg_concepts *cat,
                                     const isg_concepts_project *project);

/**
 * Expand matches into prerequisites: each matched concept plus its
 * ancestors (evidence "parent of 'redis'", confidence scaled by 0.8 a
 * level, kept if higher than a direct match), ordered from foundational to
 * specific: by level, then depth, then confidence (best first).
 *
 * @param out receives the ordered list, owned by the caller.
 * @param matches the direct matches.
 * @param max_results keep at most this many (0: no limit).
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_prerequisites(isg_concepts_matches **out,
                                       const isg_concepts_matches *matches,
                                       size_t max_results);

/** The number of matches (0 for NULL). */
ISG_API size_t isg_concepts_matches_count(const isg_concepts_matches *m);

/**
 * The i-th match, best first (or in prerequisite order).
 *
 * @return a borrowed match, or NULL when out of range.
 */
ISG_API const isg_concept_match *
isg_concepts_matches_at(const isg_concepts_matches *m, size_t i);

/**
 * Find the match of a slug.
 *
 * @return a borrowed match, or NULL when the slug was not matched.
 */
ISG_API const isg_concept_match *
isg_concepts_matches_find(const isg_concepts_matches *m, const char *slug);

/**
 * Write the matches as a JSON array of `{"slug", "name", "level",
 * "confidence", "evidence": [...]}` objects.
 *
 * @param out replaced with the JSON.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_concepts_matches_to_json(isg_buf *out,
                                         const isg_concepts_matches *m);

/** Free a match list. NULL is a no-op. */
ISG_API void isg_concepts_matches_free(isg_concepts_matches *m);

/* ---- the PostgreSQL archive --------------------------------------------- */

/**
 * Load the catalog into the store's `concepts` and `concept_relationships`
 * tables: every concept is upserted by slug (name and description), then
 * every parent->child link is added. Idempotent: loading twice leaves the
 * same rows. The store must be migrated.
 *
 * Thread rule: the store is thread-safe; the catalog is only read.
 *
 * @param out receives the number of concepts written (may be NULL).
 * @param store an open store (see store.h).
 * @param cat the catalog.
 * @return ::ISG_OK, ::ISG_EINVALID, or the store's error for the first
 *         concept or link that failed (the message names its slug).
 */
ISG_API int isg_concepts_store_load(size_t *out, isg_store *store,
                                    const isg_concepts *cat);

/**
 * Record a project's concepts in `project_concepts` (each match's slug and
 * confidence; isg_concepts_for_project() makes the list). The concepts
 * must have been loaded with isg_concepts_store_load(). Idempotent.
 *
 * @param out receives the number of rows written (may be NULL).
 * @param project_id the project's uuid (isg_store_project_upsert()).
 * @return ::ISG_OK, ::ISG_EINVALID, or the store's error (::ISG_ENOTFOUND
 *         for an unknown project or a concept that was not loaded).
 */
ISG_API int isg_concepts_store_project(size_t *out, isg_store *store,
                                       const char *project_id,
                                       const isg_concepts_matches *m);

ISG_END_DECLS

#endif /* ISSUESIGHT_CONCEPTS_H */
