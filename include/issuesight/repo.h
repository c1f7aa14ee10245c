/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/repo.h
 * @brief Open, index and inspect a source repository.
 *
 * isg_repo_open() takes a local directory or a git URL. A URL is cloned
 * shallowly (`git clone --depth 1`, run without a shell) into the cache
 * directory; `file://` URLs work offline. The snapshot is identified by its
 * commit (`git rev-parse HEAD`) or, for a plain directory that is not a git
 * checkout (an unpacked release tarball), by a content hash of its files.
 *
 * The index holds, for each file that is not skipped: its language, role
 * (source, test, doc, example), definitions with line numbers, imports, the
 * first doc comment, and code-aware search tokens. It is stored on disk in
 * the cache directory, one SQLite file per repository snapshot, and reused
 * by the next open of the same snapshot; a new commit builds a new one.
 *
 * Skipped while walking: `.git`, vendored and generated trees
 * (`node_modules`, `vendor`, `third_party`, `dist`, `build`, `target`,
 * `__pycache__`, `.venv` and similar), minified files, lock files, binary
 * files (a NUL byte in the first 8 KiB), files larger than
 * isg_repo_options::max_file_size, and paths matched by `.gitignore` files
 * (simple patterns: `dir/`, `*.ext`, `/anchored`, `!negation`).
 *
 * Strings returned by the accessors are borrowed from the handle and valid
 * until isg_repo_free(). Indexes `i` of files run from 0 to
 * isg_repo_file_count() - 1, in path order.
 *
 * Thread rule: one thread at a time per ::isg_repo (isg_locate_run() included).
 * Distinct handles may be used on distinct threads.
 */
#ifndef ISSUESIGHT_REPO_H
#define ISSUESIGHT_REPO_H

#include "buf.h"
#include "common.h"
#include "config.h"

ISG_BEGIN_DECLS

/** An opened, indexed repository snapshot. Opaque. */
typedef struct isg_repo isg_repo;

/**
 * Progress of isg_repo_open().
 *
 * @param phase "clone" (total is 0), "scan" (files found so far, total 0)
 *        or "index" (files indexed of total).
 * @param done units done so far.
 * @param total units in all, or 0 when unknown.
 * @param payload isg_repo_options::progress_payload.
 * @return 0 to continue; non-zero cancels the open with ::ISG_ECANCELLED.
 */
typedef int (*isg_repo_progress_cb)(const char *phase, size_t done,
                                    size_t total, void *payload);

/** The current version of ::isg_repo_options. */
#define ISG_REPO_OPTIONS_VERSION 1

/** Options of isg_repo_open(). Zero means the documented default. */
typedef struct isg_repo_options {
	/** Must be ::ISG_REPO_OPTIONS_VERSION. */
	unsigned int version;
	/** A local directory, or a git URL (`https://`, `http://`, `git://`,
	 * `ssh://`, `file://`, or `user@host:path`). Required. */
	const char *path_or_url;
	/** Where clones and indexes are kept. NULL: the `ISSUESIGHT_CACHE_DIR`
	 * setting of `config`. Created when missing. */
	const char *cache_dir;
	/** Settings used when `cache_dir` is NULL. NULL: the library reads
	 * the settings itself (defaults and environment). */
	const isg_config *config;
	/** Files larger than this many bytes are skipped. 0: 1 MiB. */
	size_t max_file_size;
	/** Non-zero: build the index again even when a cached one exists. */
	int force_rebuild;
	/** Called while cloning and indexing; NULL for none. */
	isg_repo_progress_cb progress;
	/** Passed to `progress`. */
	void *progress_payload;
} isg_repo_options;

/** Default options (the path must still be set). */
#define ISG_REPO_OPTIONS_INIT                                                \
	{                                                                    \
		ISG_REPO_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, NULL \
	}

/**
 * A definition found in a file: a function, method, class, type...
 * Its strings are borrowed from the ::isg_repo.
 */
typedef struct isg_repo_def {
	/** The defined name, as written (`TimeSeries`, `remove_column`). */
	const char *name;
	/** "function", "method", "class", "struct", "enum", "union",
	 * "type", "interface", "trait", "impl", "module" or "macro". */
	const char *kind;
	/** The enclosing class/impl/module name for methods, or "". */
	const char *parent;
	/** 1-based line of the definition. */
	unsigned int line;
} isg_repo_def;

/**
 * Open a repository and build or reuse its index.
 *
 * @param out receives the handle, owned by the caller (free it with
 *        isg_repo_free()); NULL on error.
 * @param opts options; `path_or_url` is required.
 * @return ::ISG_OK; ::ISG_EINVALID for NULL arguments, a bad option (named)
 *         or no usable cache directory; ::ISG_ENOTFOUND when the directory
 *         does not exist; ::ISG_EUPSTREAM when `git clone` fails (its
 *         message is included); ::ISG_EIO for file errors (path named);
 *         ::ISG_EBACKEND when SQLite fails; ::ISG_ECANCELLED when the
 *         progress callback asked to stop; ::ISG_ENOMEM.
 */
ISG_API int isg_repo_open(isg_repo **out, const isg_repo_options *opts);

/** Free a repository handle. NULL is a no-op. Files on disk are kept. */
ISG_API void isg_repo_free(isg_repo *repo);

/** The absolute path of the checkout on disk (the clone for a URL). */
ISG_API const char *isg_repo_root(const isg_repo *repo);

/**
 * The snapshot identity: a 40-hex git commit, or `content:<16 hex>` for a
 * directory that is not a git checkout. Never NULL for an open handle.
 */
ISG_API const char *isg_repo_commit(const isg_repo *repo);

/** 1 when the snapshot is a git checkout, else 0. */
ISG_API int isg_repo_is_git(const isg_repo *repo);

/** The path of the index file in the cache directory. */
ISG_API const char *isg_repo_index_path(const isg_repo *repo);

/** 1 when the open reused a cached index, 0 when it built one. */
ISG_API int isg_repo_index_reused(const isg_repo *repo);

/** Seconds the open spent building or loading the index. */
ISG_API double isg_repo_index_seconds(const isg_repo *repo);

/** How many files are indexed (0 for NULL). */
ISG_API size_t isg_repo_file_count(const isg_repo *repo);

/** How many definitions all files hold together. */
ISG_API size_t isg_repo_definition_count(const isg_repo *repo);

/**
 * Find a file by its path relative to the root (`src/a.c`).
 *
 * @param out the file's index.
 * @return ::ISG_OK, ::ISG_ENOTFOUND naming the path, ::ISG_EINVALID.
 */
ISG_API int isg_repo_file_find(size_t *out, const isg_repo *repo,
                               const char *path);

/** The path of file `i` relative to the root, '/'-separated; NULL when `i`
 * is out of range. */
ISG_API const char *isg_repo_file_path(const isg_repo *repo, size_t i);

/** The language of file `i` ("c", "cpp", "python", "go", "javascript",
 * "typescript", "java", "rust", "ruby", "shell", "markdown", ... or
 * "text"); NULL when out of range. */
ISG_API const char *isg_repo_file_language(const isg_repo *repo, size_t i);

/** The role of file `i`: "source", "test", "doc" or "example"; NULL when
 * out of range. */
ISG_API const char *isg_repo_file_role(const isg_repo *repo, size_t i);

/** The size of file `i` in bytes (0 when out of range). */
ISG_API size_t isg_repo_file_size(const isg_repo *repo, size_t i);

/** The number of lines of file `i` (0 when out of range). */
ISG_API size_t isg_repo_file_lines(const isg_repo *repo, size_t i);

/** The first doc comment or docstring of file `i` (at most about 500
 * bytes), "" when it has none, NULL when out of range. */
ISG_API const char *isg_repo_file_doc(const isg_repo *repo, size_t i);

/** How many definitions file `i` holds. */
ISG_API size_t isg_repo_file_def_count(const isg_repo *repo, size_t i);

/**
 * Definition `j` of file `i`, in line order.
 *
 * @param out filled with borrowed strings.
 * @return ::ISG_OK, or ::ISG_EINVALID when an index is out of range.
 */
ISG_API int isg_repo_file_def(isg_repo_def *out, const isg_repo *repo, size_t i,
                              size_t j);

/** How many imports file `i` has. */
ISG_API size_t isg_repo_file_import_count(const isg_repo *repo, size_t i);

/** Import `j` of file `i` as written: a module (`os.path`, `fmt`), a
 * header (`stdio.h`), a package (`react`); NULL when out of range. */
ISG_API const char *isg_repo_file_import(const isg_repo *repo, size_t i,
                                         size_t j);

/**
 * Read the current content of a file of the repository.
 *
 * @param out replaced with the bytes.
 * @param path relative to the root; `..` components are refused.
 * @return ::ISG_OK, ::ISG_EINVALID, ::ISG_ENOTFOUND, ::ISG_EIO,
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_repo_read_file(isg_buf *out, const isg_repo *repo,
                               const char *path);

/** How many languages occur among the indexed files. */
ISG_API size_t isg_repo_language_count(const isg_repo *repo);

/** The name of language `i`, by decreasing file count; NULL when out of
 * range. */
ISG_API const char *isg_repo_language_name(const isg_repo *repo, size_t i);

/** How many files are in language `i` (0 when out of range). */
ISG_API size_t isg_repo_language_files(const isg_repo *repo, size_t i);

/**
 * The project's test command (`make test`, `pytest`, `npm test`,
 * `go test ./...`, `cargo test`, `tox`, `meson test -C build`, `ctest`,
 * `bundle exec rake test`...). A command shown in CONTRIBUTING or README
 * wins over one inferred from build files.
 *
 * @param out replaced with the command.
 * @return ::ISG_OK, ::ISG_ENOTFOUND when none was found, ::ISG_EINVALID,
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_repo_test_command(isg_buf *out, const isg_repo *repo);

/** Where the test command came from (`Makefile`, `CONTRIBUTING.md`,
 * `package.json`...), or NULL when there is none. */
ISG_API const char *isg_repo_test_command_origin(const isg_repo *repo);

/** How many contribution guides were found (CONTRIBUTING*,
 * .github/CONTRIBUTING*, .github/PULL_REQUEST_TEMPLATE*,
 * .github/ISSUE_TEMPLATE/...). */
ISG_API size_t isg_repo_contributing_count(const isg_repo *repo);

/** The path of contribution guide `i`; NULL when out of range. */
ISG_API const char *isg_repo_contributing_path(const isg_repo *repo, size_t i);

/** A short excerpt (at most about 600 bytes, markup comments removed) of
 * contribution guide `i`; NULL when out of range. */
ISG_API const char *isg_repo_contributing_excerpt(const isg_repo *repo,
                                                  size_t i);

/** The path of the top-level README, or NULL when there is none. */
ISG_API const char *isg_repo_readme_path(const isg_repo *repo);

/**
 * The text of the top-level README (at most 64 KiB).
 *
 * @param out replaced with the text.
 * @return ::ISG_OK, ::ISG_ENOTFOUND when there is none, ::ISG_EIO,
 *         ::ISG_EINVALID, ::ISG_ENOMEM.
 */
ISG_API int isg_repo_readme(isg_buf *out, const isg_repo *repo);

ISG_END_DECLS

#endif /* ISSUESIGHT_REPO_H */
