/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tar reader (snapshot_tar.c), separate from gzip and the file writer
 * (snapshot.c) so that it can be fuzzed on memory alone.
 */
#ifndef ISSUESIGHT_SNAPSHOT_INT_H
#define ISSUESIGHT_SNAPSHOT_INT_H

#include <stddef.h>

#include "issuesight/snapshot.h"

#define ISG__TAR_NAME_MAX 4096

/* One entry, its name already checked (relative, no "..", stripped). */
typedef struct isg__tar_entry {
	char name[ISG__TAR_NAME_MAX];
	char type; /* 'f' file, 'd' directory */
	long long size;
} isg__tar_entry;

typedef struct isg__tar_ops {
	/* Reads exactly n bytes: ISG_OK; ISG_EPARSE at the end of input
	 * (*got says how many came); another status on failure. */
	int (*read)(void *src, void *buf, size_t n, size_t *got);
	/* An entry starts; its data follows through `data`. */
	int (*begin)(void *sink, const isg__tar_entry *e);
	int (*data)(void *sink, const void *buf, size_t n);
	int (*end)(void *sink);
} isg__tar_ops;

/* Reads a whole tar stream, calling the sink for each file and directory.
 * Counts links and other entries as skipped in `st`, and records the pax
 * global commit. Caps from `lim` (defaults applied by the caller). ISG_OK
 * or the first error (ISG_EFORBIDDEN, ISG_ETOOBIG, ISG_EPARSE, or what
 * the ops returned). */
int isg__snapshot_tar_read(const isg__tar_ops *ops, void *src, void *sink,
                           isg_snapshot_stats *st,
                           const isg_snapshot_limits *lim);

/* The snapshot cache (snapshot_cache.c). */
/* Creates the missing parents of `path` (0700), leaving existing ones
 * alone. */
int isg__snapshot_make_parents(const char *path);
/* Creates `path` 0700 when missing; refuses a non-directory or one owned
 * by another user, and makes ours private. */
int isg__snapshot_private_dir(const char *path);
/* Over `root` (`<cache>/snapshots`): removes stale temporaries, then
 * evicts the least recently used snapshot directories, never `keep`,
 * while they hold more than `cap` bytes. `*total` receives the bytes
 * left. ISG_OK, ISG_EIO (root unreadable) or ISG_ENOMEM. */
int isg__snapshot_cache_evict(const char *root, long long cap, const char *keep,
                              long long *evicted, long long *total);

#endif /* ISSUESIGHT_SNAPSHOT_INT_H */
