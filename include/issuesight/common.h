/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/common.h
 * @brief Export macros, C++ guards and the library version.
 *
 * Every public header includes this one. It defines nothing that needs a
 * dependency of the library: no hiredis, libpq, mongoc, curl or cJSON type
 * ever appears in a public header.
 */
#ifndef ISSUESIGHT_COMMON_H
#define ISSUESIGHT_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
#define ISG_BEGIN_DECLS extern "C" {
#define ISG_END_DECLS }
#else
#define ISG_BEGIN_DECLS
#define ISG_END_DECLS
#endif

/**
 * ISG_API marks a declaration as part of the public ABI.
 *
 * The library is built with hidden visibility, so only declarations that
 * carry this macro are exported from the shared object. A test checks that
 * the exported set is exactly the `isg_*` functions declared in the headers.
 */
#if defined(_WIN32) && defined(ISG_BUILDING)
#define ISG_API __declspec(dllexport)
#elif defined(_WIN32)
#define ISG_API __declspec(dllimport)
#elif defined(__GNUC__) && defined(ISG_BUILDING)
#define ISG_API __attribute__((visibility("default")))
#else
#define ISG_API
#endif

/**
 * ISG_DEPRECATED marks an old public name that stays exported for one
 * more minor release; its message names the replacement. Define
 * ISG_NO_DEPRECATION_WARNINGS before including a header to silence it.
 */
#if defined(ISG_NO_DEPRECATION_WARNINGS)
#define ISG_DEPRECATED(msg)
#elif defined(__GNUC__) || defined(__clang__)
#define ISG_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#define ISG_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#define ISG_DEPRECATED(msg)
#endif

/** Major version: changes when the ABI breaks (it is the SONAME). */
#define ISG_VERSION_MAJOR 0
/** Minor version: new API, ABI compatible. */
#define ISG_VERSION_MINOR 1
/** Patch version: fixes only. */
#define ISG_VERSION_PATCH 0
/** The version as a string. */
#define ISG_VERSION_STRING "0.1.0"

#endif /* ISSUESIGHT_COMMON_H */
