/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/snapshot.h
 * @brief Safe unpacking of a repository snapshot (a `.tar.gz` such as
 *        GitHub's `GET /repos/{o}/{r}/tarball/{sha}`).
 *
 * isg_snapshot_fetch() brings a repository's code from GitHub into a
 * cache of unpacked snapshots, one directory per commit; isg_snapshot_unpack()
 * is its safe unpacker, usable alone.
 *
 * The archive is outside data. The reader inflates gzip with zlib and
 * parses tar (ustar, GNU long names, pax headers) itself, and the writer
 * creates only regular files (mode 0600) and directories (0700) under the
 * destination:
 * - an absolute name or one with a `..` component refuses the archive;
 * - symbolic and hard links are never created (they are counted as
 *   skipped), nor devices, FIFOs or anything else that is not a file or a
 *   directory, so nothing can point out of the tree;
 * - files are created with `O_EXCL | O_NOFOLLOW`, so a name cannot be
 *   written twice or through a link;
 * - the total size, the size of one file and the number of entries are
 *   capped.
 * GitHub wraps the tree in one top folder (`owner-repo-sha/`), which is
 * stripped by default, and records the commit in a pax global header
 * (`comment=<sha>`), which is reported.
 *
 * Thread rule: isg_snapshot_unpack() is a pure function (any thread);
 * isg_snapshot_fetch() uses its GitHub client as github.h says (one
 * thread at a time per client) and may run in several threads and
 * processes over one cache directory.
 */
#ifndef ISSUESIGHT_SNAPSHOT_H
#define ISSUESIGHT_SNAPSHOT_H

#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "config.h"
#include "github.h"

ISG_BEGIN_DECLS

/** The current version of ::isg_snapshot_limits. */
#define ISG_SNAPSHOT_LIMITS_VERSION 1

/** Caps of isg_snapshot_unpack(). Zero means the documented default. */
typedef struct isg_snapshot_limits {
	/** Must be ::ISG_SNAPSHOT_LIMITS_VERSION. */
	unsigned int version;
	/** Total bytes of the files (default 512 MiB). */
	long long max_bytes;
	/** Bytes of one file (default 64 MiB). */
	long long max_file_bytes;
	/** Entries of every kind (default 200000). */
	long long max_entries;
	/** Leading path components to strip (default 1; negative: 0). */
	int strip_components;
} isg_snapshot_limits;

/** Default limits. */
#define ISG_SNAPSHOT_LIMITS_INIT                        \
	{                                               \
		ISG_SNAPSHOT_LIMITS_VERSION, 0, 0, 0, 0 \
	}

/** What an unpack did. */
typedef struct isg_snapshot_stats {
	long long files;         /**< Regular files written. */
	long long dirs;          /**< Directories created. */
	long long bytes;         /**< Bytes written. */
	long long skipped_links; /**< Symbolic and hard links not created. */
	long long skipped_other; /**< Devices, FIFOs, unknown types. */
	/** The commit of a pax global header's `comment`, or "". */
	char commit[64];
} isg_snapshot_stats;

/**
 * Unpack a `.tar.gz` file into `dest_dir`, which must exist and should be
 * empty (a name that exists already refuses the archive).
 *
 * @param out filled (may be NULL); also on error, with what was done.
 * @param limits the caps (NULL: the defaults).
 * @return ::ISG_OK; ::ISG_EFORBIDDEN naming an absolute or `..` entry, or
 *         one that exists already; ::ISG_ETOOBIG naming the cap that was
 *         passed; ::ISG_EPARSE for a corrupt gzip stream or tar header
 *         (naming the byte offset); ::ISG_EIO, ::ISG_ENOTFOUND for the
 *         files; ::ISG_EINVALID; ::ISG_ENOMEM. After an error the
 *         destination holds a partial tree that the caller removes.
 */
ISG_API int isg_snapshot_unpack(isg_snapshot_stats *out, const char *tgz_path,
                                const char *dest_dir,
                                const isg_snapshot_limits *limits);

/* ---- Fetching snapshots from GitHub ---------------------------------- */

/** The current version of ::isg_snapshot_fetch_options. */
#define ISG_SNAPSHOT_FETCH_OPTIONS_VERSION 1

/** Options of isg_snapshot_fetch(). Zero means the documented default. */
typedef struct isg_snapshot_fetch_options {
	/** Must be ::ISG_SNAPSHOT_FETCH_OPTIONS_VERSION. */
	unsigned int version;
	/** The branch (or tag, or commit) whose head is fetched; NULL or "":
	 * the repository's `default_branch`. */
	const char *branch;
	/** The cache directory; snapshots go under `<cache_dir>/snapshots/`.
	 * NULL: the `ISSUESIGHT_CACHE_DIR` setting of `config`. Created
	 * with its missing parents (0700) when missing; refused when another
	 * user owns it. */
	const char *cache_dir;
	/** Bytes of unpacked files the snapshots may hold together before the
	 * least recently used ones are evicted (0: the
	 * `SNAPSHOT_CACHE_MAX_BYTES` setting of `config`, or 2 GiB without
	 * one). The snapshot just fetched is never evicted, even when it alone
	 * is larger. */
	long long max_cache_bytes;
	/** The largest accepted tarball, compressed (0: 512 MiB). */
	long long max_tarball_bytes;
	/** Caps of the unpack (NULL: the defaults of isg_snapshot_unpack();
	 * `strip_components` 0 strips GitHub's top folder). */
	const isg_snapshot_limits *limits;
	/** Settings for the fields left zero (`cache_dir`,
	 * `max_cache_bytes`); NULL: none (then `cache_dir` is required). */
	const isg_config *config;
} isg_snapshot_fetch_options;

/** Default fetch options (`cache_dir` or `config` must still be set). */
#define ISG_SNAPSHOT_FETCH_OPTIONS_INIT                                     \
	{                                                                   \
		ISG_SNAPSHOT_FETCH_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, \
		        NULL                                                \
	}

/** What isg_snapshot_fetch() did. */
typedef struct isg_snapshot_info {
	/** The commit of the snapshot: 40 lowercase hex digits. */
	char sha[41];
	/** 1 when the head SHA was answered 304 Not Modified. */
	int not_modified;
	/** 1 when the snapshot directory existed (nothing downloaded). */
	int reused;
	/** Bytes of the tarball downloaded (0 when reused). */
	long long tarball_bytes;
	/** Snapshot directories evicted by this call. */
	long long evicted;
	/** Bytes of every cached snapshot after eviction (0 when reused:
	 * not measured). */
	long long cache_bytes;
	/** The unpack's counts (zero when reused). */
	isg_snapshot_stats unpack;
} isg_snapshot_info;

/**
 * Bring the code of a GitHub repository's branch head into the snapshot
 * cache and say where it is.
 *
 * Steps: the head SHA (isg_github_head_sha(), conditional: an unchanged
 * head costs a 304 and no rate limit); when
 * `<cache_dir>/snapshots/<owner>+<repo>/<sha>/` exists it is reused and
 * its modification time set to now (the eviction order); otherwise the
 * tarball (isg_github_tarball()) is downloaded into a temporary directory
 * beside it (`.tmp-<pid>-XXXXXX`), unpacked there with
 * isg_snapshot_unpack() (GitHub's top folder stripped; the archive's pax
 * commit, when present, must be the SHA), and renamed into place, so that
 * a snapshot directory is complete or absent: an interrupted fetch leaves
 * only a temporary, removed by a later fetch once its process is gone.
 * Then the least recently used snapshots of every repository are evicted
 * while they hold more than `max_cache_bytes`.
 *
 * Directories are 0700, files 0600. A snapshot has no `.git`: opened with
 * isg_repo_open(), it is indexed under a hash of its files' paths, sizes
 * and times, stable because a snapshot directory never changes; the
 * caller records `info->sha` as the bridge's commit.
 *
 * @param out receives the snapshot directory's path
 *            (`<cache_dir>/snapshots/<owner>+<repo>/<sha>`).
 * @param info receives what was done (may be NULL; the SHA is also the
 *             last component of `out`).
 * @param gh the GitHub client, used for the requests.
 * @param owner, repo the repository; names of letters, digits, `.`, `-`
 *                    and `_` only, as GitHub allows.
 * @param opts options; `cache_dir` or `config` is required.
 * @return ::ISG_OK; ::ISG_EINVALID (NULL arguments, bad names, bad
 *         options, named); ::ISG_ETOOBIG (tarball or unpack cap, nothing
 *         left behind); ::ISG_EFORBIDDEN (a hostile archive: absolute or
 *         `..` names; a cache directory owned by another user);
 *         ::ISG_EPARSE (a corrupt archive); ::ISG_EUPSTREAM (an archive of
 *         another commit, and GitHub's statuses); ::ISG_EIO; the errors of
 *         isg_github_head_sha() and isg_github_tarball(); ::ISG_ENOMEM.
 */
ISG_API int isg_snapshot_fetch(isg_buf *out, isg_snapshot_info *info,
                               isg_github *gh, const char *owner,
                               const char *repo,
                               const isg_snapshot_fetch_options *opts);

ISG_END_DECLS

#endif /* ISSUESIGHT_SNAPSHOT_H */
