/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snapshot_cache: the directory `<cache>/snapshots/` that holds unpacked
 * repository snapshots, one `<owner>+<repo>/<sha>/` each. It is private
 * (0700, refused when another user owns it). Temporary downloads and
 * unpacks are `.tmp-<pid>-...` entries beside the snapshots; those of a
 * process that is gone, or older than a day, are removed. Past a size cap
 * the least recently used snapshots (directory mtime, touched on reuse)
 * are evicted: renamed away first, so that a snapshot directory is either
 * complete or absent, then removed.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core_int.h"
#include "snapshot_int.h"

#define MOD "snapshot"

/* A temporary entry older than this is stale whoever made it (its pid may
 * have been reused, or it came from another machine sharing the cache). */
#define STALE_AGE_S (24 * 3600)

int isg__snapshot_make_parents(const char *path)
{
	isg_buf tmp = ISG_BUF_INIT;
	size_t i;
	int rc = isg_buf_set(&tmp, path, strlen(path));

	for (i = 1; rc == ISG_OK && i < tmp.size; i++) {
		if (tmp.ptr[i] != '/')
			continue;
		tmp.ptr[i] = '\0';
		if (mkdir(tmp.ptr, 0700) != 0 && errno != EEXIST)
			rc = isg__error_set(
			        ISG_EIO, MOD,
			        "cannot create directory '%.300s': %s", tmp.ptr,
			        strerror(errno));
		tmp.ptr[i] = '/';
	}
	isg_buf_dispose(&tmp);
	return rc;
}

int isg__snapshot_private_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return isg__error_set(ISG_EIO, MOD,
		                      "cannot create directory '%.300s': %s",
		                      path, strerror(errno));
	if (lstat(path, &st) != 0)
		return isg__error_set(ISG_EIO, MOD, "cannot stat '%.300s': %s",
		                      path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "snapshot cache '%.300s' is a %s, not a directory",
		        path, isg__file_kind(st.st_mode));
	if (st.st_uid != geteuid())
		return isg__error_set(
		        ISG_EFORBIDDEN, MOD,
		        "snapshot cache '%.300s' belongs to uid %u, not to this user (uid %u): refusing to use it",
		        path, (unsigned)st.st_uid, (unsigned)geteuid());
	if ((st.st_mode & 077) != 0 && chmod(path, 0700) != 0)
		return isg__error_set(ISG_EIO, MOD,
		                      "cannot make '%.300s' private: %s", path,
		                      strerror(errno));
	return ISG_OK;
}

/* Whether `name` (in a repository folder) is a temporary entry left by a
 * process that is gone, or one too old to be anyone's. */
static int is_stale_temp(const char *name, const struct stat *st, time_t now)
{
	long long pid = 0;
	char digits[24];
	size_t n;

	if (strncmp(name, ".tmp-", 5) != 0)
		return 0;
	if (now - st->st_mtime > STALE_AGE_S)
		return 1;
	n = strspn(name + 5, "0123456789");
	if (n == 0 || n >= sizeof(digits))
		return 1;
	memcpy(digits, name + 5, n);
	digits[n] = '\0';
	if (isg__text_parse_ll(digits, &pid) != ISG_OK || pid <= 0)
		return 1;
	if (pid == (long long)getpid())
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* One snapshot directory the eviction may remove. */
typedef struct snap {
	char *path;
	long long bytes;
	long long used; /* mtime in nanoseconds: reuses a second apart or
	                 * less keep their order */
} snap;

typedef struct scan {
	isg__vector v; /* of snap *, owned */
	long long total;
	const char *keep;
} scan;

static void snap_free(snap *e)
{
	if (e)
		isg__alloc_free(e->path);
	isg__alloc_free(e);
}

static int add_snapshot(scan *s, const char *path, const struct stat *st)
{
	snap *e = isg__alloc_calloc(1, sizeof(*e));

	if (!e || !(e->path = isg__alloc_strdup(path))) {
		snap_free(e);
		return isg__error_oom(MOD);
	}
	if (isg__tree_size(path, &e->bytes) != ISG_OK)
		e->bytes = 0;
	e->used = (long long)st->st_mtim.tv_sec * 1000000000LL +
	          st->st_mtim.tv_nsec;
	if (isg__vector_push(&s->v, e) != ISG_OK) {
		snap_free(e);
		return isg__error_oom(MOD);
	}
	s->total += e->bytes;
	return ISG_OK;
}

/* Walks one `<owner>+<repo>` folder: stale temps go, snapshots are
 * listed. */
static int scan_repo(scan *s, const char *dir, time_t now)
{
	isg_buf path = ISG_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int rc = ISG_OK;

	if (!d)
		return ISG_OK; /* removed by another process meanwhile */
	while (rc == ISG_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		isg__buf_clear(&path);
		if ((rc = isg__path_join(&path, dir, de->d_name)) != ISG_OK)
			break;
		if (lstat(path.ptr, &st) != 0)
			continue;
		if (de->d_name[0] == '.') {
			if (is_stale_temp(de->d_name, &st, now)) {
				isg__log_write(ISG_LOG_INFO, MOD, NULL, 0,
				               "removing stale '%s'", path.ptr);
				isg__tree_remove(path.ptr);
			}
			continue;
		}
		if (S_ISDIR(st.st_mode))
			rc = add_snapshot(s, path.ptr, &st);
	}
	closedir(d);
	isg_buf_dispose(&path);
	return rc;
}

static int by_use(const void *a, const void *b)
{
	const snap *x = *(const snap *const *)a, *y = *(const snap *const *)b;

	if (x->used != y->used)
		return x->used < y->used ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Renames a snapshot away (so that it is never seen half-removed), then
 * removes it. */
static int evict_one(const char *path, const char *repo_dir)
{
	static _Thread_local unsigned seq;
	isg_buf tmp = ISG_BUF_INIT;
	int rc;

	rc = isg__buf_printf(&tmp, "%s/.tmp-%ld-evict-%u", repo_dir,
	                     (long)getpid(), seq++);
	if (rc == ISG_OK && rename(path, tmp.ptr) != 0)
		rc = errno == ENOENT ? ISG_ENOTFOUND : ISG_EIO;
	if (rc == ISG_OK)
		rc = isg__tree_remove(tmp.ptr);
	isg_buf_dispose(&tmp);
	return rc;
}

static int scan_all(scan *s, const char *root)
{
	isg_buf path = ISG_BUF_INIT;
	time_t now = time(NULL);
	struct dirent *de;
	DIR *d = opendir(root);
	int rc = ISG_OK;

	if (!d)
		return isg__error_set(ISG_EIO, MOD, "cannot read '%.300s': %s",
		                      root, strerror(errno));
	while (rc == ISG_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		isg__buf_clear(&path);
		if ((rc = isg__path_join(&path, root, de->d_name)) == ISG_OK)
			rc = scan_repo(s, path.ptr, now);
	}
	closedir(d);
	isg_buf_dispose(&path);
	return rc;
}

int isg__snapshot_cache_evict(const char *root, long long cap, const char *keep,
                              long long *evicted, long long *total)
{
	scan s;
	size_t i;
	int rc;

	*evicted = 0;
	memset(&s, 0, sizeof(s));
	s.keep = keep;
	if ((rc = scan_all(&s, root)) != ISG_OK)
		goto done;
	if (s.v.len > 1)
		qsort(s.v.items, s.v.len, sizeof(*s.v.items), by_use);
	for (i = 0; i < s.v.len && s.total > cap; i++) {
		const snap *e = s.v.items[i];
		isg_buf dir = ISG_BUF_INIT;

		if (keep && strcmp(e->path, keep) == 0)
			continue;
		if (isg_buf_set(&dir, e->path,
		                isg__path_dirname_len(e->path)) != ISG_OK) {
			rc = isg__error_oom(MOD);
			break;
		}
		if (evict_one(e->path, dir.ptr) == ISG_OK) {
			isg__log_write(ISG_LOG_INFO, MOD, NULL, 0,
			               "evicted '%s' (%lld bytes)", e->path,
			               e->bytes);
			s.total -= e->bytes;
			(*evicted)++;
			rmdir(dir.ptr); /* the repository's last snapshot */
		}
		isg_buf_dispose(&dir);
	}
done:
	*total = s.total;
	for (i = 0; i < s.v.len; i++)
		snap_free(s.v.items[i]);
	isg__vector_free(&s.v);
	return rc;
}
