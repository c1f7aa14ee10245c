/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checkouts for the benchmark: the tree of a base commit, read from a bare
 * mirror with `git ls-tree` and `git cat-file --batch` (run with fork/exec
 * and argv, never through a shell) and written under a work directory.
 * Blobs the mirror lacks (mirrors may omit blobs of 4 MiB and more) are
 * skipped, as are symlinks and submodules. A checkout is staged in a
 * temporary directory and renamed into place when complete, so an
 * existing directory is always a whole tree and is reused by later runs.
 * Each checkout is also a git repository whose HEAD is the base commit and
 * whose objects come from the mirror (a shared clone: `git init`, the
 * mirror's objects as an alternate, `update-ref HEAD`), so that the
 * library's history signal sees the commits before the issue and none
 * after it.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "localize_int.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int lb_mkdirs(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		tmp[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* Removes a tree without following symlinks. */
static void rmtree(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			char child[4096];

			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(child, sizeof(child), "%s/%s",
			                     path, e->d_name) < sizeof(child))
				rmtree(child);
		}
		closedir(d);
	}
	rmdir(path);
}

/* Starts `git --git-dir <mirror> <args...>` with stdin from `in_path` (or
 * /dev/null), stderr into `err_path` and stdout readable from *out. */
static pid_t git_start(FILE **out, const char *mirror, const char *const *args,
                       const char *in_path, const char *err_path)
{
	const char *argv[16];
	int fds[2];
	size_t n = 0, i;
	pid_t pid;

	argv[n++] = "git";
	argv[n++] = "--git-dir";
	argv[n++] = mirror;
	for (i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || err < 0 || dup2(in, 0) < 0 ||
		    dup2(fds[1], 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		close(in);
		close(err);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	*out = fdopen(fds[0], "rb");
	if (!*out) {
		close(fds[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Waits for git; 0 when it exited 0, else -1 with its first stderr line. */
static int git_finish(pid_t pid, const char *what, const char *err_path,
                      char *err, size_t errlen)
{
	char line[300] = "";
	int status = 0;
	FILE *f;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	f = fopen(err_path, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	snprintf(err, errlen, "git %s failed (status %d): %s", what,
	         WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	         line[0] ? line : "no message");
	return -1;
}

/* A tree path is safe when relative, with no empty, `.`, `..` or `.git`
 * component: git never stores such paths, but mirrors are outside data. */
static int safe_path(const char *p)
{
	const char *c = p;

	if (*p == '\0' || *p == '/')
		return 0;
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.') ||
		    (n == 4 && strncmp(c, ".git", 4) == 0))
			return 0;
		c += n;
		if (*c == '/')
			c++;
	}
	return 1;
}

typedef struct entry {
	char sha[41];
	int exec;
	char *path;
} entry;

/* Reads `git ls-tree -r -z --full-tree <commit>` into regular-file
 * entries; symlinks, submodules and unsafe paths are counted as skipped. */
static int list_tree(entry **out, size_t *n, const char *mirror,
                     const char *commit, const char *err_path,
                     lb_checkout_stats *st, char *err, size_t errlen)
{
	const char *args[] = { "ls-tree",     "-r",   "-z",
		               "--full-tree", commit, NULL };
	entry *v = NULL;
	size_t nv = 0, av = 0, cap = 0, len;
	char *rec = NULL;
	FILE *f = NULL;
	pid_t pid;
	int c, rc = -1;

	pid = git_start(&f, mirror, args, NULL, err_path);
	if (pid < 0) {
		snprintf(err, errlen, "cannot run git: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		char mode[16], type[16], sha[64];
		char *tab;

		len = 0;
		while ((c = fgetc(f)) != EOF && c != '\0') {
			if (len + 1 >= cap) {
				size_t nc = cap ? cap * 2 : 512;
				char *p = realloc(rec, nc);

				if (!p)
					goto oom;
				rec = p;
				cap = nc;
			}
			rec[len++] = (char)c;
		}
		if (len == 0 && c == EOF)
			break;
		rec[len] = '\0';
		tab = strchr(rec, '\t');
		if (!tab ||
		    sscanf(rec, "%15s %15s %63s", mode, type, sha) != 3 ||
		    strlen(sha) != 40) {
			st->skipped++;
			continue;
		}
		if (strcmp(type, "blob") != 0 ||
		    (strcmp(mode, "100644") != 0 &&
		     strcmp(mode, "100755") != 0) ||
		    !safe_path(tab + 1)) {
			st->skipped++;
			continue;
		}
		if (nv == av) {
			size_t na = av ? av * 2 : 1024;
			entry *p = realloc(v, na * sizeof(*p));

			if (!p)
				goto oom;
			v = p;
			av = na;
		}
		memcpy(v[nv].sha, sha, 41);
		v[nv].exec = strcmp(mode, "100755") == 0;
		v[nv].path = strdup(tab + 1);
		if (!v[nv].path)
			goto oom;
		nv++;
	}
	fclose(f);
	f = NULL;
	if (git_finish(pid, "ls-tree", err_path, err, errlen) != 0)
		goto done;
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory listing %s", commit);
	if (f) {
		fclose(f);
		f = NULL;
		git_finish(pid, "ls-tree", err_path, err + strlen(err), 0);
	}
done:
	while (nv > 0)
		free(v[--nv].path);
	free(v);
	free(rec);
	return rc;
}

static int write_blob(FILE *in, size_t size, const char *root, const entry *e,
                      char *err, size_t errlen)
{
	char path[4096], buf[65536];
	char *slash;
	int fd, rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, e->path) >=
	    sizeof(path)) {
		snprintf(err, errlen, "path too long: %s", e->path);
		return -1;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	if (lb_mkdirs(path) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		         strerror(errno));
		return -1;
	}
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
	          e->exec ? 0755 : 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		         strerror(errno));
		return -1;
	}
	while (size > 0) {
		size_t want = size < sizeof(buf) ? size : sizeof(buf);
		size_t got = fread(buf, 1, want, in);

		if (got == 0) {
			snprintf(err, errlen, "git cat-file ended early in %s",
			         e->path);
			goto done;
		}
		if (write(fd, buf, got) != (ssize_t)got) {
			snprintf(err, errlen, "cannot write %s: %s", path,
			         strerror(errno));
			goto done;
		}
		size -= got;
	}
	rc = 0;
done:
	close(fd);
	return rc;
}

/* Streams every entry's blob out of `git cat-file --batch` into `root`. */
static int extract(const char *mirror, const entry *v, size_t n,
                   const char *root, const char *list_path,
                   const char *err_path, lb_checkout_stats *st, char *err,
                   size_t errlen)
{
	const char *args[] = { "cat-file", "--batch", NULL };
	FILE *list = fopen(list_path, "w"), *f = NULL;
	size_t i;
	pid_t pid;
	int rc = -1;

	if (!list) {
		snprintf(err, errlen, "cannot create %s: %s", list_path,
		         strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(list, "%s\n", v[i].sha);
	if (fclose(list) != 0) {
		snprintf(err, errlen, "cannot write %s", list_path);
		return -1;
	}
	pid = git_start(&f, mirror, args, list_path, err_path);
	if (pid < 0) {
		snprintf(err, errlen, "cannot run git: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char line[256], sha[64], type[32];
		unsigned long long size;

		if (!fgets(line, sizeof(line), f)) {
			snprintf(err, errlen, "git cat-file ended before %s",
			         v[i].path);
			goto done;
		}
		if (sscanf(line, "%63s %31s %llu", sha, type, &size) != 3) {
			/* "<sha> missing": the mirror lacks this blob. */
			if (strstr(line, " missing")) {
				st->missing++;
				continue;
			}
			snprintf(err, errlen,
			         "unexpected git cat-file line: %.80s", line);
			goto done;
		}
		if (strcmp(type, "blob") != 0 || strcmp(sha, v[i].sha) != 0) {
			snprintf(err, errlen, "git cat-file gave %s %s for %s",
			         type, sha, v[i].path);
			goto done;
		}
		if (write_blob(f, (size_t)size, root, &v[i], err, errlen) != 0)
			goto done;
		if (fgetc(f) != '\n') {
			snprintf(err, errlen,
			         "git cat-file framing lost after %s",
			         v[i].path);
			goto done;
		}
		st->files++;
	}
	rc = 0;
done:
	fclose(f);
	if (git_finish(pid, "cat-file", err_path, err, rc == 0 ? errlen : 0) !=
	    0)
		rc = -1;
	return rc;
}

/* Runs git with `argv` (argv[0] is "git") and waits; 0 when it exited 0. */
static int git_wait(const char *const *argv, const char *err_path)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(err, 1) < 0 ||
		    dup2(err, 2) < 0)
			_exit(127);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Makes `dir` a git repository at `commit` that borrows the mirror's
 * objects (nothing is copied); done once, kept with the checkout. */
static int link_history(const char *dir, const char *mirror, const char *commit,
                        const char *err_path, char *err, size_t errlen)
{
	char gitdir[4200], alt[4300], objects[4200], real[4096];
	const char *init[] = { "git", "init", "-q", dir, NULL };
	const char *upd[] = { "git",  "-C",   dir, "update-ref",
		              "HEAD", commit, NULL };
	struct stat sb;
	FILE *f;

	snprintf(gitdir, sizeof(gitdir), "%s/.git", dir);
	if (stat(gitdir, &sb) == 0)
		return 0;
	if (!realpath(mirror, real)) {
		snprintf(err, errlen, "cannot resolve %s", mirror);
		return -1;
	}
	snprintf(objects, sizeof(objects), "%s/objects", real);
	snprintf(alt, sizeof(alt), "%s/.git/objects/info/alternates", dir);
	if (git_wait(init, err_path) != 0) {
		snprintf(err, errlen, "git init failed in %s", dir);
		return -1;
	}
	f = fopen(alt, "w");
	if (!f || fprintf(f, "%s\n", objects) < 0 || fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s", alt);
		return -1;
	}
	if (git_wait(upd, err_path) != 0) {
		snprintf(err, errlen, "git update-ref HEAD %s failed in %s",
		         commit, dir);
		return -1;
	}
	return 0;
}

static int valid_repo(const char *repo)
{
	const char *slash = strchr(repo, '/'), *p;

	if (!slash || slash == repo || !slash[1] || strchr(slash + 1, '/') ||
	    repo[0] == '.' || slash[1] == '.')
		return 0;
	for (p = repo; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.' || *p == '/'))
			return 0;
	return 1;
}

static int valid_commit(const char *c)
{
	size_t n = strlen(c), i;

	if (n < 7 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((c[i] >= '0' && c[i] <= '9') ||
		      (c[i] >= 'a' && c[i] <= 'f')))
			return 0;
	return 1;
}

int lb_checkout(char **out, const char *mirrors, const char *workdir,
                const char *repo, const char *commit, lb_checkout_stats *st,
                char *err, size_t errlen)
{
	char flat[256], mirror[4096], dir[4096], stage[4200], list[4200],
	        errf[4200];
	entry *v = NULL;
	size_t n = 0, i;
	struct stat sb;
	double t0 = now_s();
	int rc = -1;

	memset(st, 0, sizeof(*st));
	*out = NULL;
	if (!valid_repo(repo) || strlen(repo) >= sizeof(flat)) {
		snprintf(err, errlen, "bad repo '%s' (want owner/name)", repo);
		return -1;
	}
	if (!valid_commit(commit)) {
		snprintf(err, errlen, "bad base_commit '%s' (want hex)",
		         commit);
		return -1;
	}
	snprintf(flat, sizeof(flat), "%s", repo);
	*strchr(flat, '/') = '+';
	snprintf(mirror, sizeof(mirror), "%s/%s", mirrors, flat);
	snprintf(dir, sizeof(dir), "%s/%s/%s", workdir, flat, commit);
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		st->reused = 1;
		snprintf(errf, sizeof(errf), "%s.stderr-%ld", dir,
		         (long)getpid());
		rc = link_history(dir, mirror, commit, errf, err, errlen);
		unlink(errf);
		if (rc != 0)
			return -1;
		goto found;
	}
	if (stat(mirror, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "no mirror for %s at %s", repo, mirror);
		return -1;
	}
	snprintf(stage, sizeof(stage), "%s.tmp-%ld", dir, (long)getpid());
	snprintf(list, sizeof(list), "%s.objects-%ld", dir, (long)getpid());
	snprintf(errf, sizeof(errf), "%s.stderr-%ld", dir, (long)getpid());
	rmtree(stage);
	if (lb_mkdirs(stage) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", stage,
		         strerror(errno));
		goto done;
	}
	if (list_tree(&v, &n, mirror, commit, errf, st, err, errlen) != 0 ||
	    extract(mirror, v, n, stage, list, errf, st, err, errlen) != 0 ||
	    link_history(stage, mirror, commit, errf, err, errlen) != 0)
		goto done;
	if (rename(stage, dir) != 0 && errno != ENOTEMPTY && errno != EEXIST) {
		snprintf(err, errlen, "cannot rename %s: %s", stage,
		         strerror(errno));
		goto done;
	}
found:
	*out = strdup(dir);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	rc = 0;
done:
	if (!st->reused) {
		/* After a successful rename the stage no longer exists; after a
		 * lost race (another run renamed first) it is removed here. */
		rmtree(stage);
		unlink(list);
		unlink(errf);
	}
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	st->seconds = now_s() - t0;
	return rc;
}
