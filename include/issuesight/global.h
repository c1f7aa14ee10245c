/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/global.h
 * @brief Process-wide set-up: global init and shutdown, allocation hooks,
 *        version.
 */
#ifndef ISSUESIGHT_GLOBAL_H
#define ISSUESIGHT_GLOBAL_H

#include "common.h"

ISG_BEGIN_DECLS

/**
 * Initialise the library and the global state of its dependencies (libcurl,
 * libmongoc). Call it from `main` before any thread starts; calls nest, and
 * each needs a matching isg_global_shutdown().
 *
 * Thread rule: not thread-safe; call before starting threads.
 *
 * @return ::ISG_OK, or ::ISG_ERROR when a dependency failed to initialise.
 */
ISG_API int isg_global_init(void);

/**
 * Undo one isg_global_init(). The last matching call releases the global
 * state of the dependencies. Extra calls are no-ops.
 *
 * Thread rule: not thread-safe; call after every thread has stopped.
 */
ISG_API void isg_global_shutdown(void);

/**
 * The library's version string ("0.1.0"), which may differ from the header's
 * ::ISG_VERSION_STRING when a program runs against a newer library.
 *
 * @return a static string.
 */
ISG_API const char *isg_global_version(void);

/** Deprecated: the 0.1 name of isg_global_version(), exported until 0.3. */
ISG_DEPRECATED("use isg_global_version")
ISG_API const char *isg_version(void);

/**
 * Allocation functions the library uses for its own memory (and cJSON's).
 * Each receives `payload`. `realloc` must behave like C's realloc.
 */
/** The current version of ::isg_allocator. */
#define ISG_ALLOCATOR_VERSION 1

typedef struct isg_allocator {
	/** ::ISG_ALLOCATOR_VERSION (what ::ISG_ALLOCATOR_INIT sets); 0, from
	 * a zeroed struct, is read as 1. A newer version than the library's
	 * gives ::ISG_EINVALID. */
	unsigned int version;
	void *(*malloc_fn)(size_t size, void *payload); /**< malloc */
	void *(*realloc_fn)(void *ptr, size_t size,
	                    void *payload);        /**< realloc */
	void (*free_fn)(void *ptr, void *payload); /**< free */
	void *payload; /**< Passed to each function. */
} isg_allocator;

/** An allocator of the current version with no function set yet. */
#define ISG_ALLOCATOR_INIT                                    \
	{                                                     \
		ISG_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL \
	}

/**
 * Replace the allocation functions, or restore the C library's with NULL.
 *
 * Used by tests that fail the k-th allocation. Memory from one allocator
 * must be freed by the same one: set it only while the library holds no
 * memory (before isg_global_init(), or between tests after every handle
 * was freed).
 *
 * Thread rule: not thread-safe.
 *
 * @param allocator the functions (copied), or NULL for the defaults.
 * @return ::ISG_OK, or ::ISG_EINVALID when a function pointer is NULL.
 */
ISG_API int isg_global_set_allocator(const isg_allocator *allocator);

/**
 * Deprecated: the 0.1 name of isg_global_set_allocator(), exported until
 * 0.3.
 */
ISG_DEPRECATED("use isg_global_set_allocator")
ISG_API int isg_set_allocator(const isg_allocator *allocator);

ISG_END_DECLS

#endif /* ISSUESIGHT_GLOBAL_H */
