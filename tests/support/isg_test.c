/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers; see isg_test.h. */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "isg_test.h"

#include <errno.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void isg_test_assert_rc(int want, int got, const char *expr, const char *file,
                        int line)
{
	if (want == got)
		return;
	print_error(
	        "%s:%d: %s returned %s (%d), expected %s (%d)\n  last error: [%s] %s\n",
	        file, line, expr, isg_error_name(got), got,
	        isg_error_name(want), want, isg_error_last()->module,
	        isg_error_last()->message);
	_fail(file, line);
}

static atomic_long alloc_count, alloc_live, fail_at;

static void *t_malloc(size_t size, void *payload)
{
	long n = atomic_fetch_add(&alloc_count, 1) + 1;
	long k = atomic_load(&fail_at);
	void *p;

	(void)payload;
	if (k > 0 && n >= k)
		return NULL;
	p = malloc(size);
	if (p)
		atomic_fetch_add(&alloc_live, 1);
	return p;
}

static void *t_realloc(void *ptr, size_t size, void *payload)
{
	long n = atomic_fetch_add(&alloc_count, 1) + 1;
	long k = atomic_load(&fail_at);
	void *p;

	(void)payload;
	if (k > 0 && n >= k)
		return NULL;
	p = realloc(ptr, size);
	if (p && !ptr)
		atomic_fetch_add(&alloc_live, 1);
	return p;
}

static void t_free(void *ptr, void *payload)
{
	(void)payload;
	if (ptr)
		atomic_fetch_sub(&alloc_live, 1);
	free(ptr);
}

void isg_test_alloc_install(void)
{
	isg_allocator a = { ISG_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free,
		            NULL };

	atomic_store(&alloc_count, 0);
	atomic_store(&alloc_live, 0);
	atomic_store(&fail_at, 0);
	isg_global_set_allocator(&a);
}

void isg_test_alloc_uninstall(void)
{
	isg_global_set_allocator(NULL);
}

void isg_test_alloc_fail_at(long k)
{
	atomic_store(&alloc_count, 0);
	atomic_store(&fail_at, k);
}

long isg_test_alloc_count(void)
{
	return atomic_load(&alloc_count);
}

long isg_test_alloc_live(void)
{
	return atomic_load(&alloc_live);
}

const char *isg_test_env(const char *name)
{
	const char *v = getenv(name);

	return (v && *v) ? v : NULL;
}

const char *isg_test_require_env(const char *name)
{
	const char *v = isg_test_env(name);

	if (!v) {
		fprintf(stderr,
		        "%s is not set: run this test through scripts/test; skipping\n",
		        name);
		exit(77);
	}
	return v;
}

char *isg_test_mkdtemp(void)
{
	const char *base = getenv("ISG_TEST_TMPDIR");
	char tmpl[512];
	char *p;

	snprintf(tmpl, sizeof(tmpl), "%s/isgt.XXXXXX",
	         base && *base ? base : "/tmp");
	p = mkdtemp(tmpl);
	return p ? strdup(p) : NULL;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void isg_test_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				*p = '/';
				return -1;
			}
			*p = '/';
		}
	}
	return 0;
}

int isg_test_write_file(const char *path, const char *data, size_t len)
{
	char *copy = strdup(path);
	FILE *f;
	int rc = -1;

	if (!copy)
		return -1;
	if (mkdirs(copy) == 0 && (f = fopen(path, "wb")) != NULL) {
		rc = (fwrite(data, 1, len, f) == len) ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
	}
	free(copy);
	return rc;
}

char *isg_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

void isg_test_unique_name(char *out, size_t n, const char *prefix)
{
	static atomic_int counter;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, n, "%s_%ld_%d_%lx", prefix, (long)getpid(),
	         atomic_fetch_add(&counter, 1),
	         (unsigned long)(ts.tv_nsec ^ (ts.tv_sec << 20)) & 0xffffff);
}
