/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/cache.h
 * @brief Inspect and trim the cache of repository clones and indexes.
 *
 * isg_repo_open() keeps clones (`<cache>/repos/`) and indexes
 * (`<cache>/index/`) in the cache directory (the `ISSUESIGHT_CACHE_DIR`
 * setting). The directory is private to its user: created with mode 0700,
 * and refused when another user owns it. After each open the least
 * recently used clones and indexes are evicted until the cache fits in
 * `ISSUESIGHT_CACHE_MAX_BYTES` (default 2 GiB), and clones or index builds
 * left half-made by a process that died are removed.
 *
 * Thread rule: the functions keep no state; a clean running while another
 * thread or process opens a repository in the same cache may remove what
 * that open is about to reuse, which then rebuilds it.
 */
#ifndef ISSUESIGHT_CACHE_H
#define ISSUESIGHT_CACHE_H

#include <stdint.h>

#include "common.h"

ISG_BEGIN_DECLS

/** What a cache holds, or what a clean removed. */
typedef struct isg_cache_info {
	uint64_t bytes; /**< Bytes on disk (allocated blocks). */
	size_t clones;  /**< Repository clones. */
	size_t indexes; /**< Index files. */
} isg_cache_info;

/**
 * Measure a cache directory.
 *
 * @param out receives the totals (temporary entries of builds in progress
 *        are not counted).
 * @param cache_dir the cache directory; one that does not exist is empty.
 * @return ::ISG_OK, ::ISG_EINVALID for NULL or empty arguments,
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_cache_usage(isg_cache_info *out, const char *cache_dir);

/**
 * Remove leftovers of dead processes, then the least recently used clones
 * and indexes until the cache holds at most `max_bytes`.
 *
 * @param freed receives what was removed; may be NULL.
 * @param cache_dir the cache directory; one that does not exist is left
 *        alone (::ISG_OK).
 * @param max_bytes what may stay; 0 removes every clone and index.
 * @return ::ISG_OK; ::ISG_EINVALID for an empty `cache_dir` or one that is
 *         not a directory; ::ISG_EFORBIDDEN when another user owns it;
 *         ::ISG_EIO; ::ISG_ENOMEM.
 */
ISG_API int isg_cache_clean(isg_cache_info *freed, const char *cache_dir,
                            uint64_t max_bytes);

ISG_END_DECLS

#endif /* ISSUESIGHT_CACHE_H */
