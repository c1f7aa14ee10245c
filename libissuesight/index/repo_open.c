/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo open: turns a directory or git URL into an indexed snapshot. URLs
 * are cloned shallowly with the git command (spawned with an argv array,
 * never through a shell); the snapshot is named by its commit or by a
 * content hash; the index is built once per snapshot in the cache
 * directory and reused afterwards. Also the public accessors.
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

extern char **environ;

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

/* Runs git with `args` (NULL-terminated, without "git"), capturing stdout
 * and stderr together (at most 64 KiB) into `out`. Returns the exit status
 * (0 success), or a negative ISG code when git could not run. */
static int run_git(isg_buf *out, const char *const *args)
{
	const char *argv[16];
	char **envp = NULL;
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 }, status = 0, fa_init = 0, rc;
	size_t n = 0, i, nenv = 0;
	pid_t pid = -1;
	char chunk[4096];
	ssize_t got;

	argv[n++] = "git";
	for (i = 0; args[i] && n < ISG__ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	isg__buf_clear(out);
	while (environ && environ[nenv])
		nenv++;
	/* The child gets the caller's environment plus a setting that
	 * makes git fail instead of prompting for credentials. */
	envp = isg__calloc(nenv + 2, sizeof(*envp));
	if (!envp)
		return isg__error_oom(MODULE);
	for (i = 0; i < nenv; i++)
		envp[i] = environ[i];
	envp[nenv] = (char *)"GIT_TERMINAL_PROMPT=0";
	if (pipe(pipefd) != 0) {
		rc = isg__error_set(ISG_EIO, MODULE, "pipe failed: %s",
		                    strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	fa_init = 1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	rc = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, envp);
	if (rc != 0) {
		rc = isg__error_set(ISG_EUNSUPPORTED, MODULE,
		                    "cannot run git: %s", strerror(rc));
		goto done;
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	while ((got = read(pipefd[0], chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out->size < 65536 &&
		    isg_buf_put(out, chunk, (size_t)got) != ISG_OK) {
			rc = isg__error_oom(MODULE);
			/* keep draining so that the child can exit */
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == ISG_OK)
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
done:
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	isg__free(envp);
	if (rc >= 0 && !out->ptr && isg_buf_set(out, "", 0) != ISG_OK)
		rc = isg__error_oom(MODULE);
	return rc;
}

static void trim(isg_buf *b)
{
	while (b->size &&
	       (b->ptr[b->size - 1] == '\n' || b->ptr[b->size - 1] == '\r' ||
	        b->ptr[b->size - 1] == ' '))
		b->ptr[--b->size] = '\0';
}

static int mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "cache path too long: '%s'", path);
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] == '/' || tmp[i] == '\0') {
			char c = tmp[i];

			tmp[i] = '\0';
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				return isg__error_set(
				        ISG_EIO, MODULE,
				        "cannot create directory '%s': %s", tmp,
				        strerror(errno));
			tmp[i] = c;
		}
	}
	return ISG_OK;
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

static int clone_url(isg_repo *r, const char *url, const char *cache,
                     const isg_repo_options *o)
{
	isg_buf dir = ISG_BUF_INIT, tmp = ISG_BUF_INIT, out = ISG_BUF_INIT;
	char name[64];
	struct stat st;
	int rc;

	short_name(name, sizeof(name), url);
	rc = isg__buf_printf(
	        &dir, "%s/repos/%s-%016llx", cache, name,
	        (unsigned long long)fnv1a(FNV_INIT, url, strlen(url)));
	if (rc != ISG_OK)
		goto done;
	if ((rc = mkdirs(cache)) != ISG_OK)
		goto done;
	if (o->progress && o->progress("clone", 0, 0, o->progress_payload)) {
		rc = isg__error_set(ISG_ECANCELLED, MODULE,
		                    "clone of '%s' cancelled", url);
		goto done;
	}
	rc = isg__buf_printf(&tmp, "%s/.git", dir.ptr);
	if (rc != ISG_OK)
		goto done;
	if (stat(tmp.ptr, &st) == 0) {
		/* An earlier clone: bring it to the remote's head. Offline,
		 * keep what we have. */
		const char *fetch[] = { "-C", dir.ptr,   "fetch",  "--depth",
			                "1",  "--quiet", "origin", NULL };
		const char *reset[] = { "-C",     dir.ptr,   "reset",
			                "--hard", "--quiet", "FETCH_HEAD",
			                NULL };

		rc = run_git(&out, fetch);
		if (rc == 0)
			rc = run_git(&out, reset);
		if (rc < 0 && rc != ISG_EUNSUPPORTED)
			goto done;
		if (rc != 0)
			isg__log(ISG_LOG_WARN, MODULE, NULL, 0,
			         "could not update clone of %s; using the "
			         "cached copy",
			         url);
		rc = ISG_OK;
	} else {
		const char *args[] = { "clone", "--depth", "1",  "--quiet",
			               "--",    url,       NULL, NULL };

		isg__buf_clear(&tmp);
		rc = isg__buf_printf(&tmp, "%s.tmp-%ld", dir.ptr,
		                     (long)getpid());
		if (rc != ISG_OK || (rc = mkdirs(cache)) != ISG_OK)
			goto done;
		{
			isg_buf rdir = ISG_BUF_INIT;

			rc = isg__buf_printf(&rdir, "%s/repos", cache);
			if (rc == ISG_OK)
				rc = mkdirs(rdir.ptr);
			isg_buf_dispose(&rdir);
			if (rc != ISG_OK)
				goto done;
		}
		args[6] = tmp.ptr;
		rc = run_git(&out, args);
		if (rc < 0)
			goto done;
		if (rc != 0) {
			trim(&out);
			rc = isg__error_set(ISG_EUPSTREAM, MODULE,
			                    "git clone of '%s' failed: %.300s",
			                    url, out.ptr);
			goto done;
		}
		if (rename(tmp.ptr, dir.ptr) != 0) {
			rc = isg__error_set(ISG_EIO, MODULE,
			                    "cannot move clone to '%s': %s",
			                    dir.ptr, strerror(errno));
			goto done;
		}
	}
	r->root = isg__buf_detach(&dir);
	if (!r->root)
		rc = isg__error_oom(MODULE);
done:
	isg_buf_dispose(&dir);
	isg_buf_dispose(&tmp);
	isg_buf_dispose(&out);
	return rc;
}

static int identify(isg_repo *r, const isg__scan *scan)
{
	isg_buf out = ISG_BUF_INIT, gitdir = ISG_BUF_INIT;
	struct stat st;
	uint64_t h = FNV_INIT;
	size_t i;
	int rc;

	rc = isg__buf_printf(&gitdir, "%s/.git", r->root);
	if (rc != ISG_OK)
		goto done;
	if (stat(gitdir.ptr, &st) == 0) {
		const char *args[] = { "-C", r->root, "rev-parse", "HEAD",
			               NULL };

		rc = run_git(&out, args);
		if (rc < 0 && rc != ISG_EUNSUPPORTED)
			goto done;
		trim(&out);
		if (rc == 0 && out.size == 40 &&
		    strspn(out.ptr, "0123456789abcdef") == 40) {
			r->is_git = 1;
			r->commit = isg__buf_detach(&out);
			rc = r->commit ? ISG_OK : isg__error_oom(MODULE);
			goto done;
		}
		/* A repository without commits, or no git: use content. */
	}
	for (i = 0; i < scan->len; i++) {
		const isg__scan_entry *e = &scan->items[i];

		h = fnv1a(h, e->path, strlen(e->path) + 1);
		h = fnv1a(h, &e->size, sizeof(e->size));
		h = fnv1a(h, &e->mtime, sizeof(e->mtime));
	}
	isg__buf_clear(&out);
	rc = isg__buf_printf(&out, "content:%016llx", (unsigned long long)h);
	if (rc == ISG_OK) {
		r->commit = isg__buf_detach(&out);
		rc = r->commit ? ISG_OK : isg__error_oom(MODULE);
	}
done:
	isg_buf_dispose(&out);
	isg_buf_dispose(&gitdir);
	return rc;
}

static int cache_dir_of(char **out, const isg_repo_options *o)
{
	isg_config *own = NULL;
	const char *dir = o->cache_dir;
	int rc = ISG_OK;

	*out = NULL;
	if (!dir) {
		const isg_config *cfg = o->config;

		if (!cfg) {
			rc = isg_config_new(&own, NULL);
			if (rc != ISG_OK)
				return rc;
			cfg = own;
		}
		dir = isg_config_get(cfg, "ISSUESIGHT_CACHE_DIR");
	}
	if (!dir || !*dir) {
		rc = isg__error_set(ISG_EINVALID, MODULE,
		                    "no cache directory: set cache_dir or "
		                    "ISSUESIGHT_CACHE_DIR");
		goto done;
	}
	*out = isg__strdup(dir);
	if (!*out)
		rc = isg__error_oom(MODULE);
done:
	isg_config_free(own);
	return rc;
}

/* Sets r->root: the clone of a URL (under `cache`) or the real path of a
 * directory. */
static int open_root(isg_repo *r, const isg_repo_options *opts,
                     const char *cache)
{
	char real[PATH_MAX];
	struct stat st;

	if (is_url(opts->path_or_url))
		return clone_url(r, opts->path_or_url, cache, opts);
	if (stat(opts->path_or_url, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    !realpath(opts->path_or_url, real))
		return isg__error_set(ISG_ENOTFOUND, MODULE,
		                      "repository directory '%s' does not "
		                      "exist",
		                      opts->path_or_url);
	r->root = isg__strdup(real);
	return r->root ? ISG_OK : isg__error_oom(MODULE);
}

/* Sets r->index_path: CACHE/index/NAME-ROOTHASH-COMMIT.sqlite (the index
 * directory is created). */
static int index_path_of(isg_repo *r, const char *cache)
{
	isg_buf ipath = ISG_BUF_INIT;
	char name[64], *commit_key, *c;
	int rc;

	commit_key = isg__strdup(r->commit);
	if (!commit_key)
		return isg__error_oom(MODULE);
	for (c = commit_key; *c; c++)
		if (*c == ':')
			*c = '-';
	short_name(name, sizeof(name), r->root);
	rc = isg__buf_printf(&ipath, "%s/index", cache);
	if (rc != ISG_OK || (rc = mkdirs(ipath.ptr)) != ISG_OK)
		goto done;
	rc = isg__buf_printf(
	        &ipath, "/%s-%016llx-%s.sqlite", name,
	        (unsigned long long)fnv1a(FNV_INIT, r->root, strlen(r->root)),
	        commit_key);
	if (rc != ISG_OK)
		goto done;
	r->index_path = isg__strdup(ipath.ptr);
	if (!r->index_path)
		rc = isg__error_oom(MODULE);
done:
	isg_buf_dispose(&ipath);
	isg__free(commit_key);
	return rc;
}

int isg_repo_open(isg_repo **out, const isg_repo_options *opts)
{
	isg_repo *r = NULL;
	isg__scan scan;
	char *cache = NULL;
	size_t max_size;
	int64_t t0 = isg__now_ms();
	int rc;

	memset(&scan, 0, sizeof(scan));
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
	max_size = opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	r = isg__calloc(1, sizeof(*r));
	if (!r)
		return isg__error_oom(MODULE);
	if ((rc = cache_dir_of(&cache, opts)) != ISG_OK)
		goto done;
	if ((rc = open_root(r, opts, cache)) != ISG_OK)
		goto done;
	rc = isg__repo_scan(&scan, r->root, max_size, opts->progress,
	                    opts->progress_payload);
	if (rc != ISG_OK || (rc = identify(r, &scan)) != ISG_OK)
		goto done;
	if ((rc = index_path_of(r, cache)) != ISG_OK)
		goto done;
	if (!opts->force_rebuild &&
	    isg__repo_db_valid(r->index_path, max_size)) {
		r->reused = 1;
	} else {
		rc = isg__repo_db_build(r->index_path, r->root, &scan,
		                        r->commit, max_size, opts->progress,
		                        opts->progress_payload);
		if (rc != ISG_OK)
			goto done;
	}
	rc = isg__repo_db_load(r, r->index_path);
	if (rc == ISG_OK)
		rc = isg__repo_project_load(r);
	r->seconds = (double)(isg__now_ms() - t0) / 1000.0;
done:
	isg__repo_scan_free(&scan);
	isg__free(cache);
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
	isg__free(repo->root);
	isg__free(repo->commit);
	isg__free(repo->index_path);
	isg__free(repo->files);
	isg__free(repo->defs);
	isg__free(repo->imports);
	isg__free(repo->lang_names);
	isg__free(repo->lang_files);
	isg__free(repo->guides);
	isg__free(repo);
}
