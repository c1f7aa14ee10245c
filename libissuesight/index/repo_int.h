/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private types of the repository index (repo) and file localization
 * (locate) modules: the in-memory form of an index, the walker, the
 * per-language parsers, the SQLite storage and the code-aware tokenizer.
 */
#ifndef ISSUESIGHT_REPO_INT_H
#define ISSUESIGHT_REPO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core_int.h"
#include "issuesight/locate.h"
#include "issuesight/repo.h"

/* Bumped whenever the on-disk index layout or the parsers change, so that
 * an old cached index is rebuilt instead of misread. */
#define ISG__INDEX_SCHEMA 8

enum { ISG__ROLE_SOURCE = 0, ISG__ROLE_TEST, ISG__ROLE_DOC, ISG__ROLE_EXAMPLE };

typedef struct isg__rdef {
	const char *name, *kind, *parent;
	unsigned int line;
	size_t file;
} isg__rdef;

typedef struct isg__rfile {
	const char *path, *lang, *doc;
	int role;
	size_t size, lines, ntok;
	size_t def_start, def_count; /* into repo->defs */
	size_t imp_start, imp_count; /* into repo->imports */
	/* Lower-cased path without extension, '/'-separated ("a/b/header"). */
	const char *stem_path;
	const char *base; /* last component, as written */
} isg__rfile;

typedef struct isg__guide {
	const char *path, *excerpt;
} isg__guide;

struct isg_repo {
	isg__arena arena;
	char *root, *commit, *index_path;
	int is_git, reused;
	double seconds;
	isg__rfile *files;
	size_t nfiles;
	isg__rdef *defs;
	size_t ndefs;
	const char **imports;
	size_t nimports;
	const char **lang_names;
	size_t *lang_files;
	size_t nlangs;
	const char *test_cmd, *test_origin, *readme_path;
	isg__guide *guides;
	size_t nguides;
	void *db;   /* sqlite3 *, open read-only on the index */
	int cloned; /* root is a clone in the cache */
};

/* ---- walking (repo_walk.c) ---- */

typedef struct isg__scan_entry {
	char *path; /* relative, '/'-separated */
	long long size, mtime;
	long long mtime_ns; /* the nanoseconds of mtime: edits within a
	                     * second still change the content key */
} isg__scan_entry;

typedef struct isg__scan {
	isg__scan_entry *items;
	size_t len, cap;
} isg__scan;

/* Lists the candidate files under `root` (ignore rules applied, sorted by
 * path). Files larger than `max_size` are left out. */
int isg__repo_scan(isg__scan *out, const char *root, size_t max_size,
                   isg_repo_progress_cb progress, void *payload);
void isg__repo_scan_free(isg__scan *s);
/* The language of a path ("python"...), looking at the shebang in `head`
 * when the extension says nothing; "text" when unknown. Static string. */
const char *isg__repo_language(const char *path, const char *head,
                               size_t head_len);
/* ISG__ROLE_* of a relative path. */
int isg__repo_role(const char *path, const char *lang);
const char *isg__repo_role_name(int role);
/* Returns 1 when a fnmatch-style .gitignore pattern test matches. */
int isg__repo_ignore_match(const char *pattern, const char *relpath,
                           int is_dir);

/* ---- parsing (repo_parse.c) ---- */

typedef struct isg__pdef {
	char *name, *parent;
	const char *kind;
	unsigned int line;
} isg__pdef;

typedef struct isg__parsed {
	isg__pdef *defs;
	size_t ndefs, cdefs;
	char **imports;
	size_t nimports, cimports;
	char *doc;
	size_t lines;
} isg__parsed;

/* Extracts definitions, imports, the first doc comment and the line count
 * of `text` in language `lang`. */
int isg__repo_parse(isg__parsed *out, const char *lang, const char *text,
                    size_t len);
void isg__repo_parsed_free(isg__parsed *p);

/* Code-aware tokens: identifiers split on camelCase, snake_case, digits
 * and punctuation, lower-cased, space-separated, each multi-part
 * identifier also kept whole (lower-cased, '_' kept). Appends to `out`
 * and adds the number of tokens to *ntok when not NULL. */
int isg__repo_tokens(isg_buf *out, const char *text, size_t len, size_t *ntok);
/* Splits one identifier; calls `fn` for each lower-cased part of at least
 * two bytes (and for the whole identifier when it has several parts). */
typedef int (*isg__token_fn)(const char *tok, size_t len, void *payload);
int isg__repo_split_ident(const char *id, size_t len, isg__token_fn fn,
                          void *payload);

/* ---- chunks and literals (repo_chunk.c) ---- */

/* A chunk grows over following definitions until it has this many lines:
 * one-line getters make poor documents for BM25. locate recomputes chunk
 * starts from the definition lines with the same rule. */
#define ISG__CHUNK_MIN_LINES 8

/* Receives one chunk of a file: its first line (1-based) and its text. */
typedef int (*isg__chunk_fn)(unsigned int line, const char *text, size_t len,
                             void *payload);
/* Cuts `text` into chunks at the definitions of `p` (a chunk has at least a
 * few lines, so short definitions share one) and calls `fn` for each. */
int isg__repo_chunks(const isg__parsed *p, const char *text, size_t len,
                     isg__chunk_fn fn, void *payload);
/* Appends the single-line string literals of a source file in `lang` to
 * `out`, one a line (nothing for data and markup languages). */
int isg__repo_literals(isg_buf *out, const char *lang, const char *text,
                       size_t len);

/* ---- one file as the index sees it (repo_doc.c) ---- */

/* A file read, parsed and tokenized for the index. `tpath`, `tdefs` and
 * `tbody` are the space-separated tokens of the fts table's path,
 * definitions and body columns; the index writer and the index-storage
 * benchmark both take them from here (the FTS5 tables are contentless, so
 * the index cannot give them back). Zero-initialise; buffers are reused
 * from one read to the next; one thread at a time. */
typedef struct isg__doc {
	isg_buf text; /* the file's bytes */
	isg_buf tpath, tdefs, tbody;
	isg__parsed parsed;
	const char *lang; /* static string */
	int role;         /* ISG__ROLE_* */
	size_t ntok;      /* tokens in tbody */
} isg__doc;

/* Reads `root`/`rel` (a path from isg__repo_scan) into `d`. Returns
 * ISG_OK, 1 when the file is not indexed (vanished since the scan,
 * unreadable, binary, or minified: no line break in its first 8 KiB), or
 * a negative ISG_E* code. */
int isg__repo_doc_read(isg__doc *d, const char *root, const char *rel);
/* Releases the buffers of `d`; NULL is a no-op. */
void isg__repo_doc_dispose(isg__doc *d);

/* ---- storage (repo_db.c) ---- */

typedef struct isg__history isg__history; /* repo_history.c */

/* Builds the index file at `path` from the scan, with the commits of
 * `hist` (NULL or empty: no history). */
int isg__repo_db_build(const char *path, const char *root,
                       const isg__scan *scan, const char *commit,
                       const isg__history *hist, size_t max_size,
                       isg_repo_progress_cb progress, void *payload);
/* Returns 1 when `path` is a complete index of this schema and size cap. */
int isg__repo_db_valid(const char *path, size_t max_size);
/* Opens the index read-only and loads the file table into `repo`. */
int isg__repo_db_load(isg_repo *repo, const char *path);
void isg__repo_db_close(isg_repo *repo);

/* ---- git (repo_git.c) ---- */

/* How long git may take: connect (checked before git runs; 0: no check),
 * the speed floor (bytes per second over seconds) and the whole run. */
typedef struct isg__repo_git_limits {
	int connect_s, low_speed_bytes, low_speed_s, total_s;
} isg__repo_git_limits;

/* A remote URL split for git: `url` without a password (what git and the
 * clone's .git/config see), the host and port for the connect check, and
 * for http(s) URLs that carried credentials the http.<url>.extraHeader
 * config key and value that hand them to git through its environment. */
typedef struct isg__repo_git_remote {
	isg_buf url;
	isg_buf host;
	int port; /* 0: not checked (file://, scp-like, IPv6 literal) */
	isg_buf auth_key, auth_value;
} isg__repo_git_remote;

int isg__repo_git_remote_parse(isg__repo_git_remote *r, const char *url);
void isg__repo_git_remote_dispose(isg__repo_git_remote *r);
/* ISG_OK when the remote's host accepts a TCP connection within
 * `timeout_s`; ISG_ETIMEOUT or ISG_EUNAVAILABLE naming host and port. */
int isg__repo_git_connect_check(const isg__repo_git_remote *r, int timeout_s);
/* Runs git with `args` (NULL-terminated, without "git"), its stdout and
 * stderr together (at most 64 KiB) in `out`. Returns git's exit status
 * (0: success), or a negative ISG code: ISG_ETIMEOUT when the total limit
 * passed (git and its helpers are killed), ISG_EUNSUPPORTED without git.
 * `remote` may be NULL. */
int isg__repo_git_run(isg_buf *out, const char *const *args,
                      const isg__repo_git_remote *remote,
                      const isg__repo_git_limits *lim);
/* The same with at most `cap` bytes of output kept (the rest is read and
 * dropped, so that git can finish). */
int isg__repo_git_run_cap(isg_buf *out, const char *const *args,
                          const isg__repo_git_remote *remote,
                          const isg__repo_git_limits *lim, size_t cap);

/* ---- history (repo_history.c, repo_history_db.c) ---- */

/* The newest commits read before HEAD, and the most paths a commit may
 * change to be kept (bigger ones are renames and reformatting). */
#define ISG__HIST_MAX_COMMITS 5000
#define ISG__HIST_MAX_FILES 30

/* One commit: its time (seconds since the epoch), its whole message and
 * the paths it changed, paths[file_start .. file_start + nfiles) of its
 * history. */
typedef struct isg__hcommit {
	long long time;
	const char *msg;
	size_t file_start, nfiles;
} isg__hcommit;

/* Commits newest first; every string points into `raw`. */
struct isg__history {
	isg_buf raw;
	isg__hcommit *items;
	size_t len;
	const char **paths;
	size_t npaths;
};

/* Reads the history of the checkout at `root` with git log (see
 * repo_history.c). No git, no commits or a git failure leave `out`
 * empty and return ISG_OK; only ISG_ENOMEM fails. */
int isg__repo_history_read(isg__history *out, const char *root,
                           const isg__repo_git_limits *lim);
/* Parses the git log output in out->raw (cut in place). */
int isg__repo_history_parse(isg__history *out);
void isg__repo_history_dispose(isg__history *h);
/* Writes the commits of `h` into the index being built (`db`, a
 * sqlite3 *), each changed path mapped to its file id by `ids` (paths
 * not indexed at HEAD are dropped). */
int isg__repo_history_store(void *db, const isg__history *h,
                            const isg__strmap *ids, const char *path);
/* Past commits vote for files: the HIST_COMMITS commits whose messages
 * best match `query` (an FTS5 expression) add, to each file they
 * changed, their BM25 score relative to the best commit divided by how
 * many files they changed. `votes` has nfiles entries. */
int isg__repo_db_history(const isg_repo *repo, const char *query,
                         double *votes);

/* ---- the cache directory (repo_cache.c) ---- */

/* Creates `cache` and its repos/ and index/ folders (0700) when missing,
 * makes them private when they are not, and refuses (ISG_EFORBIDDEN) a
 * cache directory owned by another user or that is not a directory. */
int isg__repo_cache_prepare(const char *cache);
/* Removes `*.tmp-<pid>` clones and index builds whose process is gone. */
void isg__repo_cache_clean_stale(const char *cache);
/* Evicts the least recently used clones and indexes until the cache holds
 * at most `max_bytes` (0: no cap), never `keep1` or `keep2` (full paths,
 * may be NULL). */
int isg__repo_cache_evict(const char *cache, uint64_t max_bytes,
                          const char *keep1, const char *keep2);
/* Records a use of `path` (its mtime) for the eviction order. */
void isg__repo_cache_touch(const char *path);
/* Removes a directory tree (no symlink followed); 0 or -1. */
int isg__repo_cache_rmtree(const char *path);

/* ---- project facts (repo_project.c) ---- */

int isg__repo_project_load(isg_repo *repo);
/* Reads the file `rel` of the tree at `root` with the safe reader: inside
 * the tree only (no symlink out, no `..`), regular files only, at most
 * `cap` bytes (the rest is cut). Every file the index reads on a
 * repository's behalf comes through here. */
int isg__repo_read_in_tree(isg_buf *out, const char *root, const char *rel,
                           size_t cap);
/* 1 when `rel` is a regular file inside the tree (symlinks followed only
 * inside it), else 0. */
int isg__repo_has_file(const char *root, const char *rel);

/* ---- locate (locate_*.c) ---- */

/* Runs the FTS5 BM25 query over the index: `query` is an FTS5 MATCH
 * expression; `scores` (nfiles long) receives -bm25 per file (0 when the
 * file does not match). */
int isg__repo_db_bm25(const isg_repo *repo, const char *query, double *scores);
/* One matching definition chunk: its file, first line and -bm25. */
typedef struct isg__span_hit {
	size_t file;
	unsigned int line;
	double score;
} isg__span_hit;

typedef struct isg__span_hits {
	isg__span_hit *items;
	size_t len, cap;
} isg__span_hits;

/* Runs `query` over the definition chunks: `scores` (nfiles long)
 * receives each file's best chunk score (-bm25) and `lines` that chunk's
 * first line; `all`, when not NULL, receives every matching chunk (for
 * the ranking of definitions; the caller frees all->items). */
int isg__repo_db_spans(const isg_repo *repo, const char *query, double *scores,
                       unsigned int *lines, isg__span_hits *all);
/* Runs `query` over the string literals: `scores` receives -bm25 per
 * file. */
int isg__repo_db_literals(const isg_repo *repo, const char *query,
                          double *scores);
/* Number of files whose index contains `term` (FTS5 vocabulary). */
int isg__repo_db_df(const isg_repo *repo, const char *term, size_t *out);

/* What an issue mentions (locate_mentions.c). */
enum {
	ISG__M_PATH = 0, /* a path or file name: src/a.c, header.py */
	ISG__M_FRAME,    /* a path in a stack-trace frame */
	ISG__M_MODULE,   /* a dotted module path: astropy.io.fits */
	ISG__M_IDENT     /* an identifier: TimeSeries, remove_column */
};

typedef struct isg__mention {
	char *text;
	int type;
	double weight;      /* strength of the context, 0..1 */
	unsigned int line;  /* frames: the line number, else 0 */
	unsigned int order; /* order of first appearance */
} isg__mention;

typedef struct isg__mentions {
	isg__mention *items;
	size_t len, cap;
	size_t *slots; /* hash of text+type -> index + 1 */
} isg__mentions;

int isg__locate_mentions(isg__mentions *out, const char *text, size_t len);
void isg__locate_mentions_free(isg__mentions *m);
/* Blanks HTML comments and URLs of `t` in place (a GitHub link to a source
 * file keeps its path); line breaks are kept. */
void isg__locate_clean(char *t, size_t len);
/* Blanks environment dumps (`INSTALLED VERSIONS` and the `name: value`
 * lines after it) in place; part of isg__locate_clean(). */
void isg__locate_blank_dumps(char *t, size_t len);

#endif /* ISSUESIGHT_REPO_INT_H */
