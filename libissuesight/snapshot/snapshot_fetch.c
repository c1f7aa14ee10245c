/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snapshot_fetch: a repository's code at its branch head, from GitHub
 * into the snapshot cache: head SHA (conditional), reuse of a snapshot
 * already unpacked, or download, safe unpack and an atomic rename into
 * place, then eviction past the cache's size cap. See snapshot.h.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"
#include "snapshot_int.h"

#define MOD "snapshot"

#define CACHE_MAX_DEFAULT (2LL << 30)

/* GitHub's owner and repository names: letters, digits, '.', '-', '_'.
 * Anything else would make a path of the name. */
static int check_name(const char *what, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 100 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789.-_") != n ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "invalid %s name '%.100s'", what,
		                      s ? s : "(null)");
	return ISG_OK;
}

static int check_args(const isg_buf *out, const isg_github *gh,
                      const char *owner, const char *repo,
                      const isg_snapshot_fetch_options *o)
{
	int rc;

	if (!out || !gh || !o)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_snapshot_fetch: NULL argument");
	if (o->version != ISG_SNAPSHOT_FETCH_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_snapshot_fetch_options.version %u is not %d",
		        o->version, ISG_SNAPSHOT_FETCH_OPTIONS_VERSION);
	if ((!o->cache_dir || !o->cache_dir[0]) && !o->config)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_snapshot_fetch_options.cache_dir (or config) is required");
	if (o->max_cache_bytes < 0 || o->max_tarball_bytes < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_snapshot_fetch_options: negative size cap");
	if ((rc = check_name("owner", owner)) != ISG_OK)
		return rc;
	return check_name("repository", repo);
}

/* The cache directory and the size cap: the options', else the
 * settings'. */
static int resolve(const char **cache, long long *cap,
                   const isg_snapshot_fetch_options *o)
{
	long long v = 0;

	*cache = o->cache_dir && o->cache_dir[0]
	                 ? o->cache_dir
	                 : isg_config_get(o->config, "ISSUESIGHT_CACHE_DIR");
	if (!*cache || !**cache)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "no cache directory: set cache_dir or ISSUESIGHT_CACHE_DIR");
	*cap = o->max_cache_bytes;
	if (*cap == 0 && o->config &&
	    isg_config_get_int(&v, o->config, "SNAPSHOT_CACHE_MAX_BYTES") ==
	            ISG_OK)
		*cap = v;
	if (*cap <= 0)
		*cap = CACHE_MAX_DEFAULT;
	return ISG_OK;
}

/* `<cache>/snapshots/<owner>+<repo>`, each level private. */
static int repo_dir(isg_buf *root, isg_buf *dir, const char *cache,
                    const char *owner, const char *repo)
{
	int rc;

	if ((rc = isg__snapshot_make_parents(cache)) != ISG_OK ||
	    (rc = isg__snapshot_private_dir(cache)) != ISG_OK ||
	    (rc = isg__path_join(root, cache, "snapshots")) != ISG_OK ||
	    (rc = isg__snapshot_private_dir(root->ptr)) != ISG_OK ||
	    (rc = isg__buf_printf(dir, "%s/%s+%s", root->ptr, owner, repo)))
		return rc;
	return isg__snapshot_private_dir(dir->ptr);
}

/* A snapshot that exists: touched for the eviction order. */
static int reuse(const char *final)
{
	struct stat st;

	if (lstat(final, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	/* Failure only costs the eviction order. */
	(void)utimensat(AT_FDCWD, final, NULL, 0);
	return 1;
}

/* Downloads and unpacks into `tmp` (a fresh private directory), then
 * renames the tree to `final`. */
static int download(isg_snapshot_info *in, isg_github *gh, const char *owner,
                    const char *repo, const isg_snapshot_fetch_options *o,
                    const char *tmp, const char *final)
{
	isg_buf tgz = ISG_BUF_INIT, tree = ISG_BUF_INIT;
	uint64_t got = 0;
	int rc;

	if ((rc = isg__path_join(&tgz, tmp, "archive.tar.gz")) != ISG_OK ||
	    (rc = isg__path_join(&tree, tmp, "tree")) != ISG_OK)
		goto done;
	if (mkdir(tree.ptr, 0700) != 0) {
		rc = isg__error_set(ISG_EIO, MOD, "cannot create '%.300s': %s",
		                    tree.ptr, strerror(errno));
		goto done;
	}
	rc = isg_github_tarball(gh, owner, repo, in->sha, tgz.ptr,
	                        (uint64_t)o->max_tarball_bytes, &got);
	in->tarball_bytes = (long long)got;
	if (rc != ISG_OK ||
	    (rc = isg_snapshot_unpack(&in->unpack, tgz.ptr, tree.ptr,
	                              o->limits)) != ISG_OK)
		goto done;
	if (in->unpack.commit[0] && strcmp(in->unpack.commit, in->sha) != 0) {
		rc = isg__error_set(
		        ISG_EUPSTREAM, MOD,
		        "the tarball of %.100s/%.100s@%s is of commit %.64s",
		        owner, repo, in->sha, in->unpack.commit);
		goto done;
	}
	if (rename(tree.ptr, final) != 0) {
		/* Another fetch of the same commit finished first: use its
		 * snapshot. */
		if ((errno == EEXIST || errno == ENOTEMPTY) && reuse(final))
			goto done;
		rc = isg__error_set(ISG_EIO, MOD,
		                    "cannot rename into '%.300s': %s", final,
		                    strerror(errno));
	}
done:
	isg_buf_dispose(&tgz);
	isg_buf_dispose(&tree);
	return rc;
}

static int fetch_new(isg_snapshot_info *in, isg_github *gh, const char *owner,
                     const char *repo, const isg_snapshot_fetch_options *o,
                     const char *dir, const char *final)
{
	isg_buf tmp = ISG_BUF_INIT;
	int rc;

	if ((rc = isg__buf_printf(&tmp, "%s/.tmp-%ld-XXXXXX", dir,
	                          (long)getpid())) != ISG_OK)
		goto done;
	if (!mkdtemp(tmp.ptr)) {
		rc = isg__error_set(ISG_EIO, MOD,
		                    "cannot create a directory in '%.300s': %s",
		                    dir, strerror(errno));
		isg__buf_clear(&tmp);
		goto done;
	}
	rc = download(in, gh, owner, repo, o, tmp.ptr, final);
done:
	if (tmp.size)
		isg__tree_remove(tmp.ptr);
	isg_buf_dispose(&tmp);
	return rc;
}

int isg_snapshot_fetch(isg_buf *out, isg_snapshot_info *info, isg_github *gh,
                       const char *owner, const char *repo,
                       const isg_snapshot_fetch_options *opts)
{
	isg_buf root = ISG_BUF_INIT, dir = ISG_BUF_INIT, final = ISG_BUF_INIT;
	isg_snapshot_info in;
	const char *cache;
	long long cap;
	int rc;

	memset(&in, 0, sizeof(in));
	if (info)
		*info = in;
	if ((rc = check_args(out, gh, owner, repo, opts)) != ISG_OK ||
	    (rc = resolve(&cache, &cap, opts)) != ISG_OK)
		return rc;
	/* Everything that can fail is done before the snapshot is renamed
	 * into place: once it is there, the call succeeds. */
	if ((rc = isg_github_head_sha(in.sha, gh, owner, repo, opts->branch,
	                              &in.not_modified)) != ISG_OK ||
	    (rc = repo_dir(&root, &dir, cache, owner, repo)) ||
	    (rc = isg__path_join(&final, dir.ptr, in.sha)) != ISG_OK)
		goto done;
	if (reuse(final.ptr)) {
		in.reused = 1;
		goto done;
	}
	if ((rc = fetch_new(&in, gh, owner, repo, opts, dir.ptr, final.ptr)))
		goto done;
	/* Eviction failing leaves a cache too large, not a wrong answer:
	 * the fetch still succeeds. */
	if (isg__snapshot_cache_evict(root.ptr, cap, final.ptr, &in.evicted,
	                              &in.cache_bytes) != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "eviction under '%s' failed: %s", root.ptr,
		               isg_error_last()->message);
done:
	if (rc == ISG_OK) {
		isg_buf_dispose(out);
		*out = final;
		memset(&final, 0, sizeof(final));
	}
	if (info)
		*info = in;
	isg_buf_dispose(&root);
	isg_buf_dispose(&dir);
	isg_buf_dispose(&final);
	return rc;
}
