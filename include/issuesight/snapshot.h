/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/snapshot.h
 * @brief Safe unpacking of a repository snapshot (a `.tar.gz` such as
 *        GitHub's `GET /repos/{o}/{r}/tarball/{sha}`).
 *
 * The archive is outside data. The reader inflates gzip with zlib and
 * parses tar (ustar, GNU long names, pax headers) itself, and the writer
 * creates only regular files and directories under the destination:
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
 * Thread rule: pure function; any thread.
 */
#ifndef ISSUESIGHT_SNAPSHOT_H
#define ISSUESIGHT_SNAPSHOT_H

#include "common.h"

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

ISG_END_DECLS

#endif /* ISSUESIGHT_SNAPSHOT_H */
