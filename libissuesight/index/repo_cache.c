/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo cache: the directory that holds clones (repos/) and indexes
 * (index/). It is private to its user: created 0700, refused when another
 * user owns it (a poisoned index in a shared /tmp would otherwise feed
 * another user's text into our bridges). Builds interrupted by a crash
 * leave `*.tmp-<pid>` entries that are removed once their process is gone,
 * and past a size cap the least recently used entries are evicted.
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700 /* nftw() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "issuesight/cache.h"
#include "repo_int.h"

#define MODULE "repo"

static const char *const cache_subdirs[] = { "repos", "index" };

/* Creates `path` 0700 when missing; refuses one owned by another user and
 * makes ours private. */
static int private_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return isg__error_set(ISG_EIO, MODULE,
		                      "cannot create directory '%s': %s", path,
		                      strerror(errno));
	if (lstat(path, &st) != 0)
		return isg__error_set(ISG_EIO, MODULE, "cannot stat '%s': %s",
		                      path, strerror(errno));
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
		return isg__error_set(ISG_EIO, MODULE,
		                      "cache directory '%s' is a dangling link",
		                      path);
	if (!S_ISDIR(st.st_mode))
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "cache directory '%s' is a %s, not a directory", path,
		        isg__file_kind(st.st_mode));
	if (st.st_uid != geteuid())
		return isg__error_set(
		        ISG_EFORBIDDEN, MODULE,
		        "cache directory '%s' belongs to uid %u, not to this user (uid %u): refusing to use it",
		        path, (unsigned)st.st_uid, (unsigned)geteuid());
	if ((st.st_mode & 077) != 0 && chmod(path, 0700) != 0)
		return isg__error_set(ISG_EIO, MODULE,
		                      "cannot make '%s' private: %s", path,
		                      strerror(errno));
	return ISG_OK;
}

/* Creates the missing parents of `path` (0700, as the XDG rules ask for
 * the cache's parents), leaving existing ones alone. */
static int make_parents(const char *path)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "cache path too long: '%s'", path);
	memcpy(tmp, path, n + 1);
	for (i = 1; i < n; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return isg__error_set(
			        ISG_EIO, MODULE,
			        "cannot create directory '%s': %s", tmp,
			        strerror(errno));
		tmp[i] = '/';
	}
	return ISG_OK;
}

int isg__repo_cache_prepare(const char *cache)
{
	isg_buf sub = ISG_BUF_INIT;
	size_t i;
	int rc = make_parents(cache);

	if (rc == ISG_OK)
		rc = private_dir(cache);
	for (i = 0; rc == ISG_OK && i < ISG__ARRAY_SIZE(cache_subdirs); i++) {
		isg__buf_clear(&sub);
		rc = isg__buf_printf(&sub, "%s/%s", cache, cache_subdirs[i]);
		if (rc == ISG_OK)
			rc = private_dir(sub.ptr);
	}
	isg_buf_dispose(&sub);
	return rc;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

int isg__repo_cache_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	/* Make every directory searchable first: a clone may hold 000 ones. */
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The pid of a `<name>.tmp-<pid>` entry, or 0. */
static long temp_owner(const char *name)
{
	const char *t = strstr(name, ".tmp-");
	long long pid = 0;

	if (!t || isg__text_parse_ll(t + 5, &pid) != ISG_OK || pid <= 0)
		return 0;
	return (long)pid;
}

void isg__repo_cache_clean_stale(const char *cache)
{
	isg_buf dir = ISG_BUF_INIT, path = ISG_BUF_INIT;
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(cache_subdirs); i++) {
		struct dirent *de;
		DIR *d;

		isg__buf_clear(&dir);
		if (isg__buf_printf(&dir, "%s/%s", cache, cache_subdirs[i]) !=
		            ISG_OK ||
		    !(d = opendir(dir.ptr)))
			continue;
		while ((de = readdir(d)) != NULL) {
			long pid = temp_owner(de->d_name);

			if (!pid || pid == (long)getpid() ||
			    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
			isg__buf_clear(&path);
			if (isg__buf_printf(&path, "%s/%s", dir.ptr,
			                    de->d_name) != ISG_OK)
				break;
			isg__log_write(ISG_LOG_INFO, MODULE, NULL, 0,
			               "removing '%s', left by process %ld",
			               path.ptr, pid);
			isg__repo_cache_rmtree(path.ptr);
		}
		closedir(d);
	}
	isg_buf_dispose(&dir);
	isg_buf_dispose(&path);
}

void isg__repo_cache_touch(const char *path)
{
	/* utimes(NULL) sets both times to now; failure only costs the
	 * eviction order. */
	(void)utimes(path, NULL);
}

/* One evictable entry: a clone directory or an index file. */
typedef struct entry {
	char *path;
	uint64_t bytes;
	int64_t used; /* mtime, seconds */
} entry;

static _Thread_local uint64_t tree_bytes;

static int add_size(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	tree_bytes += (uint64_t)sb->st_blocks * 512;
	return 0;
}

static uint64_t size_of(const char *path)
{
	tree_bytes = 0;
	nftw(path, add_size, 16, FTW_PHYS);
	return tree_bytes;
}

static int entries_add(entry **v, size_t *n, size_t *cap, const char *path,
                       const struct stat *st)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		entry *nv = isg__alloc_realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return isg__error_oom(MODULE);
		*v = nv;
		*cap = nc;
	}
	(*v)[*n].path = isg__alloc_strdup(path);
	if (!(*v)[*n].path)
		return isg__error_oom(MODULE);
	(*v)[*n].bytes = size_of(path);
	(*v)[*n].used = (int64_t)st->st_mtime;
	(*n)++;
	return ISG_OK;
}

/* Lists the entries of repos/ and index/ (temporaries excluded). */
static int list_entries(entry **v, size_t *n, const char *cache)
{
	isg_buf dir = ISG_BUF_INIT, path = ISG_BUF_INIT;
	size_t i, cap = 0;
	int rc = ISG_OK;

	*v = NULL;
	*n = 0;
	for (i = 0; rc == ISG_OK && i < ISG__ARRAY_SIZE(cache_subdirs); i++) {
		struct dirent *de;
		DIR *d;

		isg__buf_clear(&dir);
		rc = isg__buf_printf(&dir, "%s/%s", cache, cache_subdirs[i]);
		if (rc != ISG_OK || !(d = opendir(dir.ptr)))
			continue;
		while (rc == ISG_OK && (de = readdir(d)) != NULL) {
			struct stat st;

			if (de->d_name[0] == '.' || temp_owner(de->d_name))
				continue;
			isg__buf_clear(&path);
			rc = isg__buf_printf(&path, "%s/%s", dir.ptr,
			                     de->d_name);
			if (rc == ISG_OK && lstat(path.ptr, &st) == 0)
				rc = entries_add(v, n, &cap, path.ptr, &st);
		}
		closedir(d);
	}
	isg_buf_dispose(&dir);
	isg_buf_dispose(&path);
	return rc;
}

static void entries_free(entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		isg__alloc_free(v[i].path);
	isg__alloc_free(v);
}

static int by_use(const void *a, const void *b)
{
	const entry *x = a, *y = b;

	if (x->used != y->used)
		return x->used < y->used ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int kept(const char *path, const char *keep1, const char *keep2)
{
	return (keep1 && strcmp(path, keep1) == 0) ||
	       (keep2 && strcmp(path, keep2) == 0);
}

/* Evicts down to `max_bytes`; adds what it removed to the counters. */
static int evict(const char *cache, uint64_t max_bytes, const char *keep1,
                 const char *keep2, isg_cache_info *freed)
{
	entry *v = NULL;
	uint64_t total = 0;
	size_t n = 0, i;
	int rc = list_entries(&v, &n, cache);

	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < n; i++)
		total += v[i].bytes;
	if (n)
		qsort(v, n, sizeof(*v), by_use);
	for (i = 0; i < n && total > max_bytes; i++) {
		if (kept(v[i].path, keep1, keep2))
			continue;
		isg__log_write(ISG_LOG_INFO, MODULE, NULL, 0,
		               "evicting '%s' (%llu bytes) from the cache",
		               v[i].path, (unsigned long long)v[i].bytes);
		if (isg__repo_cache_rmtree(v[i].path) != 0)
			continue;
		total -= v[i].bytes;
		freed->bytes += v[i].bytes;
		if (strstr(v[i].path, ".sqlite"))
			freed->indexes++;
		else
			freed->clones++;
	}
done:
	entries_free(v, n);
	return rc;
}

int isg__repo_cache_evict(const char *cache, uint64_t max_bytes,
                          const char *keep1, const char *keep2)
{
	isg_cache_info freed;

	if (max_bytes == 0)
		return ISG_OK;
	memset(&freed, 0, sizeof(freed));
	return evict(cache, max_bytes, keep1, keep2, &freed);
}

int isg_cache_usage(isg_cache_info *out, const char *cache_dir)
{
	entry *v = NULL;
	size_t n = 0, i;
	int rc;

	if (!out || !cache_dir || !*cache_dir)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_cache_usage: NULL or empty argument");
	memset(out, 0, sizeof(*out));
	rc = list_entries(&v, &n, cache_dir);
	for (i = 0; rc == ISG_OK && i < n; i++) {
		out->bytes += v[i].bytes;
		if (strstr(v[i].path, ".sqlite"))
			out->indexes++;
		else
			out->clones++;
	}
	entries_free(v, n);
	return rc;
}

int isg_cache_clean(isg_cache_info *freed, const char *cache_dir,
                    uint64_t max_bytes)
{
	isg_cache_info sink;
	struct stat st;
	int rc;

	if (!cache_dir || !*cache_dir)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_cache_clean: NULL or empty cache directory");
	if (!freed)
		freed = &sink;
	memset(freed, 0, sizeof(*freed));
	if (stat(cache_dir, &st) != 0)
		return errno == ENOENT
		               ? ISG_OK
		               : isg__error_set(ISG_EIO, MODULE,
		                                "cannot stat '%s': %s",
		                                cache_dir, strerror(errno));
	if ((rc = isg__repo_cache_prepare(cache_dir)) != ISG_OK)
		return rc;
	isg__repo_cache_clean_stale(cache_dir);
	return evict(cache_dir, max_bytes, NULL, NULL, freed);
}
