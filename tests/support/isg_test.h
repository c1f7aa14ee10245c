/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the cmocka tests: status assertions that print the library's
 * last error, an allocator that fails the k-th allocation, access to the
 * services that scripts/test starts, and temporary directories.
 */
#ifndef ISSUESIGHT_ISG_TEST_H
#define ISSUESIGHT_ISG_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <issuesight/issuesight.h>

/* Asserts that `expr` returns `want`; on mismatch prints both status names
 * and the thread's last error message. */
#define ISG_ASSERT_RC(want, expr) \
	isg_test_assert_rc((want), (expr), #expr, __FILE__, __LINE__)
#define ISG_ASSERT_OK(expr) ISG_ASSERT_RC(ISG_OK, (expr))

void isg_test_assert_rc(int want, int got, const char *expr, const char *file,
                        int line);

/* Fail-the-k-th-allocation allocator. After isg_test_alloc_fail_at(k) the
 * k-th allocation (1-based) and every later one fail; 0 disables failures.
 * isg_test_alloc_live() is allocations minus frees since the install. */
void isg_test_alloc_install(void);
void isg_test_alloc_uninstall(void);
void isg_test_alloc_fail_at(long k);
long isg_test_alloc_count(void);
long isg_test_alloc_live(void);

/* The service URLs scripts/test exports, or NULL when absent. */
const char *isg_test_env(const char *name);
/* Returns the variable, or exits with status 77 (skip) when it is absent:
 * integration tests run only under scripts/test. */
const char *isg_test_require_env(const char *name);

/* A fresh temporary directory (caller frees the string with free()); the
 * directory is removed by isg_test_rmtree(). */
char *isg_test_mkdtemp(void);
void isg_test_rmtree(const char *path);
/* Writes a file (creating parent directories). Returns 0 on success. */
int isg_test_write_file(const char *path, const char *data, size_t len);
/* Reads a file into a malloc'd NUL-terminated string; NULL on error. */
char *isg_test_read_file(const char *path, size_t *len);
/* A process-unique name "<prefix>_<pid>_<counter>_<random>". */
void isg_test_unique_name(char *out, size_t n, const char *prefix);

#endif /* ISSUESIGHT_ISG_TEST_H */
