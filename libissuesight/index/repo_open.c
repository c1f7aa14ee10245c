/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo open: turns a directory or git URL into an indexed snapshot. URLs
 * are cloned shallowly with the git command (repo_git.c: no shell, time
 * limits, credentials never written) into the private cache directory
 * (repo_cache.c); the snapshot is named by its commit and the content of
 * its files, so that edits in a working tree are seen; the index is built
 * once per snapshot and reused afterwards.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repo_int.h"

#define MODULE "repo"
#define DEFAULT_MAX_FILE (1024 * 1024)

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#define FNV_INIT 1469598103934665603ULL

static void trim(isg_buf *b)
{
	while (b->size &&
	       (b->ptr[b->size - 1] == '\n' || b->ptr[b->size - 1] == '\r' ||
	        b->ptr[b->size - 1] == ' '))
		b->ptr[--b->size] = '\0';
}

static int is_url(const char *s)
{
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

	if (strstr(s, "://"))
		return 1;
	/* scp-like user@host:path */
	return colon && strchr(s, '@') && strchr(s, '@') < colon &&
	       (!slash || colon < slash);
}

/* A readable, file-name-safe name: the last path component of `s`. */
static void short_name(char *out, size_t n, const char *s)
{
	const char *end = s + strlen(s), *start;
	size_t i = 0;

	while (end > s && (end[-1] == '/'))
		end--;
	if (end - s > 4 && memcmp(end - 4, ".git", 4) == 0)
		end -= 4;
	start = end;
	while (start > s && start[-1] != '/' && start[-1] != ':')
		start--;
	for (; start < end && i + 1 < n && i < 40; start++) {
		char c = *start;

		out[i++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		            c == '.')
		                   ? c
		                   : '_';
	}
	if (i == 0)
		out[i++] = 'r';
	out[i] = '\0';
}

/* What an open needs from the settings. */
typedef struct open_settings {
	char *cache;
	isg__repo_git_limits lim;
	uint64_t cache_max;
} open_settings;

/* Brings an earlier clone to the remote's head; offline (or on any git
 * failure but a lack of memory) the cached copy is used as it is. */
static int update_clone(const char *dir, const char *url,
                        const isg__repo_git_remote *remote,
                        const open_settings *s)
{
	const char *fetch[] = { "-C", dir,       "fetch",  "--depth",
		                "1",  "--quiet", "origin", NULL };
	const char *reset[] = { "-C",      dir,          "reset", "--hard",
		                "--quiet", "FETCH_HEAD", NULL };
	isg_buf out = ISG_BUF_INIT;
	int rc = isg__repo_git_connect_check(remote, s->lim.connect_s);

	if (rc == ISG_OK)
		rc = isg__repo_git_run(&out, fetch, remote, &s->lim);
	if (rc == 0)
		rc = isg__repo_git_run(&out, reset, NULL, &s->lim);
	isg_buf_dispose(&out);
	if (rc == ISG_ENOMEM)
		return rc;
	if (rc != 0)
		isg__log_write(
		        ISG_LOG_WARN, MODULE, NULL, 0,
		        "could not update the clone of %s (%s); using the cached copy",
		        url, isg_error_last()->message);
	return ISG_OK;
}

/* Clones into `<dir>.tmp-<pid>` and renames it into place, so that a
 * failed, timed-out or interrupted clone never looks like a clone: the
 * temporary is removed here, or by the next open when the process died. */
static int fresh_clone(const char *dir, const char *url,
                       const isg__repo_git_remote *remote,
                       const open_settings *s)
{
	const char *args[] = { "clone", "--depth", "1",  "--quiet",
		               "--",    NULL,      NULL, NULL };
	isg_buf tmp = ISG_BUF_INIT, out = ISG_BUF_INIT;
	int rc = isg__repo_git_connect_check(remote, s->lim.connect_s);

	if (rc != ISG_OK)
		goto done;
	rc = isg__buf_printf(&tmp, "%s.tmp-%ld", dir, (long)getpid());
	if (rc != ISG_OK)
		goto done;
	isg__repo_cache_rmtree(tmp.ptr);
	args[5] = remote->url.ptr;
	args[6] = tmp.ptr;
	rc = isg__repo_git_run(&out, args, remote, &s->lim);
	if (rc == ISG_ETIMEOUT)
		rc = isg__error_set(
		        ISG_ETIMEOUT, MODULE,
		        "git clone of '%s' took longer than %d s (REPO_GIT_TIMEOUT_S)",
		        url, s->lim.total_s);
	else if (rc > 0) {
		trim(&out);
		rc = isg__error_set(ISG_EUPSTREAM, MODULE,
		                    "git clone of '%s' failed: %.300s", url,
		                    out.ptr);
	}
	if (rc == ISG_OK && rename(tmp.ptr, dir) != 0)
		rc = isg__error_set(ISG_EIO, MODULE,
		                    "cannot move clone to '%s': %s", dir,
		                    strerror(errno));
	if (rc != ISG_OK)
		isg__repo_cache_rmtree(tmp.ptr);
done:
	isg_buf_dispose(&tmp);
	isg_buf_dispose(&out);
	return rc;
}

static int clone_url(isg_repo *r, const char *url, const open_settings *s,
                     const isg_repo_options *o)
{
	isg__repo_git_remote remote;
	isg_buf dir = ISG_BUF_INIT, gitdir = ISG_BUF_INIT;
	char name[64];
	struct stat st;
	int rc;

	memset(&remote, 0, sizeof(remote));
	rc = isg__repo_git_remote_parse(&remote, url);
	if (rc != ISG_OK)
		goto done;
	/* Named by the URL without its credentials: the same repository
	 * shares one clone whatever token reached it. */
	short_name(name, sizeof(name), remote.url.ptr);
	rc = isg__buf_printf(&dir, "%s/repos/%s-%016llx", s->cache, name,
	                     (unsigned long long)fnv1a(FNV_INIT, remote.url.ptr,
	                                               remote.url.size));
	if (rc == ISG_OK)
		rc = isg__buf_printf(&gitdir, "%s/.git", dir.ptr);
	if (rc != ISG_OK)
		goto done;
	if (o->progress && o->progress("clone", 0, 0, o->progress_payload)) {
		rc = isg__error_set(ISG_ECANCELLED, MODULE,
		                    "clone of '%s' cancelled", url);
		goto done;
	}
	if (stat(gitdir.ptr, &st) == 0)
		rc = update_clone(dir.ptr, url, &remote, s);
	else
		rc = fresh_clone(dir.ptr, url, &remote, s);
	if (rc != ISG_OK)
		goto done;
	r->root = isg__buf_detach(&dir);
	if (!r->root)
		rc = isg__error_oom(MODULE);
	r->cloned = 1;
done:
	isg__repo_git_remote_dispose(&remote);
	isg_buf_dispose(&dir);
	isg_buf_dispose(&gitdir);
	return rc;
}

/* A hash of what is on disk: paths, sizes and modification times. */
static uint64_t content_hash(const isg__scan *scan)
{
	uint64_t h = FNV_INIT;
	size_t i;

	for (i = 0; i < scan->len; i++) {
		const isg__scan_entry *e = &scan->items[i];

		h = fnv1a(h, e->path, strlen(e->path) + 1);
		h = fnv1a(h, &e->size, sizeof(e->size));
		h = fnv1a(h, &e->mtime, sizeof(e->mtime));
		h = fnv1a(h, &e->mtime_ns, sizeof(e->mtime_ns));
	}
	return h;
}

/* Names the snapshot: r->commit is HEAD for a git checkout with commits,
 * else "content:<hash>"; `key` (the index's name) adds the content hash
 * to the commit, so that uncommitted edits and new files in a working
 * tree give a new index instead of a stale one. */
static int identify(isg_repo *r, const isg__scan *scan, const open_settings *s,
                    isg_buf *key)
{
	const char *args[] = { "-C", r->root, "rev-parse", "HEAD", NULL };
	isg_buf out = ISG_BUF_INIT, gitdir = ISG_BUF_INIT;
	uint64_t h = content_hash(scan);
	struct stat st;
	int rc;

	rc = isg__buf_printf(&gitdir, "%s/.git", r->root);
	if (rc == ISG_OK && stat(gitdir.ptr, &st) == 0) {
		rc = isg__repo_git_run(&out, args, NULL, &s->lim);
		if (rc < 0 && rc != ISG_EUNSUPPORTED && rc != ISG_ETIMEOUT)
			goto done;
		trim(&out);
		if (rc == 0 && out.size == 40 &&
		    strspn(out.ptr, "0123456789abcdef") == 40) {
			r->is_git = 1;
			r->commit = isg__buf_detach(&out);
			rc = r->commit ? isg__buf_printf(key, "%s-%016llx",
			                                 r->commit,
			                                 (unsigned long long)h)
			               : isg__error_oom(MODULE);
			goto done;
		}
		/* A repository without commits, or no git: use content. */
	}
	isg__buf_clear(&out);
	rc = isg__buf_printf(&out, "content:%016llx", (unsigned long long)h);
	if (rc == ISG_OK)
		rc = isg__buf_printf(key, "content-%016llx",
		                     (unsigned long long)h);
	if (rc == ISG_OK) {
		r->commit = isg__buf_detach(&out);
		rc = r->commit ? ISG_OK : isg__error_oom(MODULE);
	}
done:
	isg_buf_dispose(&out);
	isg_buf_dispose(&gitdir);
	return rc;
}

static int setting_int(const isg_config *cfg, const char *key, int *out)
{
	long long v = 0;
	int rc = isg_config_get_int(&v, cfg, key);

	if (rc == ISG_OK)
		*out = (int)v;
	return rc;
}

static int settings_of(open_settings *s, const isg_repo_options *o)
{
	isg_config *own = NULL;
	const isg_config *cfg = o->config;
	const char *dir;
	long long cap = 0;
	int rc = ISG_OK;

	memset(s, 0, sizeof(*s));
	if (!cfg) {
		rc = isg_config_new(&own, NULL);
		if (rc != ISG_OK)
			return rc;
		cfg = own;
	}
	dir = o->cache_dir ? o->cache_dir
	                   : isg_config_get(cfg, "ISSUESIGHT_CACHE_DIR");
	if (!dir || !*dir) {
		rc = isg__error_set(
		        ISG_EINVALID, MODULE,
		        "no cache directory: set cache_dir or ISSUESIGHT_CACHE_DIR");
		goto done;
	}
	if ((rc = setting_int(cfg, "REPO_GIT_CONNECT_TIMEOUT_S",
	                      &s->lim.connect_s)) != ISG_OK ||
	    (rc = setting_int(cfg, "REPO_GIT_LOW_SPEED_BYTES",
	                      &s->lim.low_speed_bytes)) != ISG_OK ||
	    (rc = setting_int(cfg, "REPO_GIT_LOW_SPEED_S",
	                      &s->lim.low_speed_s)) != ISG_OK ||
	    (rc = setting_int(cfg, "REPO_GIT_TIMEOUT_S", &s->lim.total_s)) !=
	            ISG_OK ||
	    (rc = isg_config_get_int(&cap, cfg,
	                             "ISSUESIGHT_CACHE_MAX_BYTES")) != ISG_OK)
		goto done;
	s->cache_max = (uint64_t)cap;
	s->cache = isg__alloc_strdup(dir);
	if (!s->cache)
		rc = isg__error_oom(MODULE);
done:
	isg_config_free(own);
	return rc;
}

/* The root of a local repository: an existing directory, named exactly
 * when it is something else. */
static int local_root(isg_repo *r, const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (stat(path, &st) != 0)
		return isg__error_set(
		        errno == ENOENT ? ISG_ENOTFOUND : ISG_EIO, MODULE,
		        "repository directory '%s' %s", path,
		        errno == ENOENT ? "does not exist" : strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "'%s' is a %s, not a repository directory", path,
		        isg__file_kind(st.st_mode));
	if (!realpath(path, real))
		return isg__error_set(ISG_EIO, MODULE,
		                      "cannot resolve '%s': %s", path,
		                      strerror(errno));
	r->root = isg__alloc_strdup(real);
	return r->root ? ISG_OK : isg__error_oom(MODULE);
}

/* Builds or reuses the index at r->index_path. An index that fails its
 * check (corrupt, another schema, another size cap) is rebuilt. */
static int build_or_reuse(isg_repo *r, const isg__scan *scan, size_t max_size,
                          const isg_repo_options *o, const open_settings *s)
{
	isg__history hist;
	int rc;

	if (!o->force_rebuild && isg__repo_db_valid(r->index_path, max_size)) {
		r->reused = 1;
		return ISG_OK;
	}
	/* A git checkout with commits brings its history into the index
	 * (repo_history.c); anything else is indexed without one. */
	memset(&hist, 0, sizeof(hist));
	if (r->is_git &&
	    (rc = isg__repo_history_read(&hist, r->root, &s->lim)) != ISG_OK)
		return rc;
	rc = isg__repo_db_build(r->index_path, r->root, scan, r->commit, &hist,
	                        max_size, o->progress, o->progress_payload);
	isg__repo_history_dispose(&hist);
	return rc;
}

/* After a successful open: record the use and keep the cache under its
 * cap (failures here only cost disk space, never the open). */
static void cache_after_open(const isg_repo *r, const open_settings *s)
{
	isg__repo_cache_touch(r->index_path);
	if (r->cloned)
		isg__repo_cache_touch(r->root);
	if (isg__repo_cache_evict(s->cache, s->cache_max, r->index_path,
	                          r->cloned ? r->root : NULL) != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MODULE, NULL, 0,
		               "cache eviction failed: %s",
		               isg_error_last()->message);
}

static int index_path_of(isg_repo *r, const open_settings *s, const char *key)
{
	isg_buf ipath = ISG_BUF_INIT;
	char name[64];
	int rc;

	short_name(name, sizeof(name), r->root);
	rc = isg__buf_printf(
	        &ipath, "%s/index/%s-%016llx-%s.sqlite", s->cache, name,
	        (unsigned long long)fnv1a(FNV_INIT, r->root, strlen(r->root)),
	        key);
	if (rc == ISG_OK) {
		r->index_path = isg__buf_detach(&ipath);
		rc = r->index_path ? ISG_OK : isg__error_oom(MODULE);
	}
	isg_buf_dispose(&ipath);
	return rc;
}

static int check_options(isg_repo **out, const isg_repo_options *opts)
{
	if (out)
		*out = NULL;
	if (!out || !opts)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_open: NULL %s",
		                      out ? "opts" : "out");
	if (opts->version != ISG_REPO_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_options.version %u is not %d",
		                      opts->version, ISG_REPO_OPTIONS_VERSION);
	if (!opts->path_or_url || !*opts->path_or_url)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_options.path_or_url is empty");
	return ISG_OK;
}

int isg_repo_open(isg_repo **out, const isg_repo_options *opts)
{
	isg_repo *r = NULL;
	isg__scan scan;
	isg_buf key = ISG_BUF_INIT;
	open_settings s;
	size_t max_size;
	int64_t t0 = isg__clock_now_ms();
	int rc;

	memset(&scan, 0, sizeof(scan));
	memset(&s, 0, sizeof(s));
	if ((rc = check_options(out, opts)) != ISG_OK)
		return rc;
	max_size = opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	r = isg__alloc_calloc(1, sizeof(*r));
	if (!r)
		return isg__error_oom(MODULE);
	if ((rc = settings_of(&s, opts)) != ISG_OK ||
	    (rc = isg__repo_cache_prepare(s.cache)) != ISG_OK)
		goto done;
	isg__repo_cache_clean_stale(s.cache);
	rc = is_url(opts->path_or_url)
	             ? clone_url(r, opts->path_or_url, &s, opts)
	             : local_root(r, opts->path_or_url);
	if (rc != ISG_OK)
		goto done;
	rc = isg__repo_scan(&scan, r->root, max_size, opts->progress,
	                    opts->progress_payload);
	if (rc != ISG_OK || (rc = identify(r, &scan, &s, &key)) != ISG_OK ||
	    (rc = index_path_of(r, &s, key.ptr)) != ISG_OK ||
	    (rc = build_or_reuse(r, &scan, max_size, opts, &s)) != ISG_OK)
		goto done;
	rc = isg__repo_db_load(r, r->index_path);
	if (rc == ISG_OK)
		rc = isg__repo_project_load(r);
	if (rc == ISG_OK)
		cache_after_open(r, &s);
	r->seconds = (double)(isg__clock_now_ms() - t0) / 1000.0;
done:
	isg__repo_scan_free(&scan);
	isg_buf_dispose(&key);
	isg__alloc_free(s.cache);
	if (rc != ISG_OK) {
		isg_repo_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

void isg_repo_free(isg_repo *repo)
{
	if (!repo)
		return;
	isg__repo_db_close(repo);
	isg__arena_free(&repo->arena);
	isg__alloc_free(repo->root);
	isg__alloc_free(repo->commit);
	isg__alloc_free(repo->index_path);
	isg__alloc_free(repo->files);
	isg__alloc_free(repo->defs);
	isg__alloc_free(repo->imports);
	isg__alloc_free(repo->lang_names);
	isg__alloc_free(repo->lang_files);
	isg__alloc_free(repo->guides);
	isg__alloc_free(repo);
}
