/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file: the one safe whole-file reader. Regular files only, opened without
 * blocking, read up to a cap; inside a tree, paths are resolved one
 * component at a time with openat() so that no symlink leads outside it.
 */
/* realpath() is XSI. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"
#include "issuesight/file.h"

#define MODULE "file"
#define KNOWN_FLAGS (ISG_FILE_NOFOLLOW | ISG_FILE_TRUNCATE)
/* The most symlinks one isg_file_read_in_tree() call follows (as Linux's
 * MAXSYMLINKS), so that a link cycle ends. */
#define MAX_HOPS 40

const char *isg__file_kind(unsigned mode)
{
	if (S_ISREG(mode))
		return "regular file";
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISFIFO(mode))
		return "FIFO";
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISLNK(mode))
		return "symlink";
	return "special file";
}

static int not_regular(const char *name, unsigned mode)
{
	const char *kind = isg__file_kind(mode);

	return isg__error_set(ISG_EINVALID, MODULE,
	                      "'%s' is a%s %s, not a regular file", name,
	                      strchr("aeiouAEIOU", kind[0]) ? "n" : "", kind);
}

static int errno_status(int err, const char *name, const char *what)
{
	int code = ISG_EIO;

	if (err == ENOENT || err == ENOTDIR)
		code = ISG_ENOTFOUND;
	else if (err == EACCES || err == EPERM)
		code = ISG_EFORBIDDEN;
	else if (err == ENOMEM)
		return isg__error_oom(MODULE);
	if (err == ENOENT)
		return isg__error_set(code, MODULE, "'%s' does not exist",
		                      name);
	return isg__error_set(code, MODULE, "cannot %s '%s': %s", what, name,
	                      strerror(err));
}

/* Reads `fd` to its end into `out`, at most `max` bytes. `hint` is the
 * size fstat reported (0 when unknown) and only sizes the first
 * allocation. `out` is replaced only on success. */
static int read_capped(isg_buf *out, int fd, const char *name, size_t max,
                       unsigned flags, size_t hint)
{
	isg_buf tmp = ISG_BUF_INIT;
	size_t want = hint && hint < max ? hint : (max < 65536 ? max : 65536);
	int rc;

	rc = isg__buf_grow(&tmp, want + 1);
	while (rc == ISG_OK) {
		char extra;
		size_t room;
		ssize_t n;

		if (tmp.size == max) {
			/* At the cap: one more byte tells a file of exactly
			 * `max` bytes from a longer one. */
			n = read(fd, &extra, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n > 0 && !(flags & ISG_FILE_TRUNCATE))
				rc = isg__error_set(
				        ISG_ETOOBIG, MODULE,
				        "'%s' is larger than %zu bytes", name,
				        max);
			else if (n < 0 && !(flags & ISG_FILE_TRUNCATE))
				rc = errno_status(errno, name, "read");
			break;
		}
		if (tmp.size + 1 >= tmp.asize) {
			rc = isg__buf_grow(&tmp, tmp.asize * 2 < max + 1
			                                 ? tmp.asize * 2
			                                 : max + 1);
			if (rc != ISG_OK)
				break;
		}
		room = tmp.asize - 1 - tmp.size;
		if (room > max - tmp.size)
			room = max - tmp.size;
		n = read(fd, tmp.ptr + tmp.size, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rc = isg__error_set(
			        ISG_EIO, MODULE,
			        "'%s' has no data ready (it would block)",
			        name);
			break;
		}
		if (n < 0) {
			rc = errno_status(errno, name, "read");
			break;
		}
		if (n == 0)
			break;
		tmp.size += (size_t)n;
		tmp.ptr[tmp.size] = '\0';
	}
	if (rc == ISG_OK) {
		isg_buf_dispose(out);
		*out = tmp;
	} else {
		isg_buf_dispose(&tmp);
	}
	return rc;
}

/* Checks with fstat that `fd` is a regular file no larger than the cap,
 * then reads it. Closes `fd`. */
static int read_opened(isg_buf *out, int fd, const char *name, size_t max,
                       unsigned flags)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st) != 0)
		rc = errno_status(errno, name, "stat");
	else if (!S_ISREG(st.st_mode))
		rc = not_regular(name, st.st_mode);
	else if ((uintmax_t)st.st_size > max && !(flags & ISG_FILE_TRUNCATE))
		rc = isg__error_set(ISG_ETOOBIG, MODULE,
		                    "'%s' is larger than %zu bytes (%jd)", name,
		                    max, (intmax_t)st.st_size);
	else
		rc = read_capped(out, fd, name, max, flags,
		                 (size_t)((uintmax_t)st.st_size < max
		                                  ? (uintmax_t)st.st_size
		                                  : max));
	close(fd);
	return rc;
}

static size_t effective_max(size_t max_bytes)
{
	if (max_bytes == 0)
		return ISG_FILE_DEFAULT_MAX;
	/* One byte is kept for the terminator. */
	return max_bytes < SIZE_MAX - 1 ? max_bytes : SIZE_MAX - 2;
}

int isg_file_read(isg_buf *out, const char *path, size_t max_bytes,
                  unsigned flags)
{
	struct stat st;
	int fd, oflags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;

	if (!out || !path || !*path || (flags & ~KNOWN_FLAGS))
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_file_read: NULL or empty argument or unknown flags");
	if (flags & ISG_FILE_NOFOLLOW) {
		oflags |= O_NOFOLLOW;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return isg__error_set(ISG_EFORBIDDEN, MODULE,
			                      "'%s' is a symlink", path);
	}
	/* Refuse what is not a regular file before opening it: opening some
	 * devices has effects of its own. fstat checks again after open. */
	if (stat(path, &st) != 0)
		return errno_status(errno, path, "stat");
	if (!S_ISREG(st.st_mode))
		return not_regular(path, st.st_mode);
	fd = open(path, oflags);
	if (fd < 0 && errno == ELOOP && (flags & ISG_FILE_NOFOLLOW))
		return isg__error_set(ISG_EFORBIDDEN, MODULE,
		                      "'%s' is a symlink", path);
	if (fd < 0)
		return errno_status(errno, path, "open");
	return read_opened(out, fd, path, effective_max(max_bytes), flags);
}

int isg_file_read_fd(isg_buf *out, int fd, const char *name, size_t max_bytes,
                     unsigned flags)
{
	if (!out || fd < 0 || !name || (flags & ~ISG_FILE_TRUNCATE))
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_file_read_fd: NULL argument, negative descriptor or unknown flags");
	return read_capped(out, fd, name, effective_max(max_bytes), flags, 0);
}

/* The state of one resolution inside a tree: a stack of open directory
 * descriptors from the root down, and the path still to resolve. */
typedef struct walk {
	int *fds;
	size_t depth; /* fds[0] is the root; fds[depth] the current dir */
	size_t cap;
	isg_buf rest;
	const char *root;
	const char *name; /* the caller's relpath, for messages */
	char *root_real;  /* realpath(root), computed on first need */
	int hops;
} walk;

static void walk_pop_to(walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fds[w->depth--]);
}

static int walk_push(walk *w, int fd)
{
	if (w->depth + 1 >= w->cap) {
		size_t ncap = w->cap * 2;
		int *p = isg__alloc_realloc(w->fds, ncap * sizeof(*p));

		if (!p) {
			close(fd);
			return isg__error_oom(MODULE);
		}
		w->fds = p;
		w->cap = ncap;
	}
	w->fds[++w->depth] = fd;
	return ISG_OK;
}

static int leaves_tree(const walk *w)
{
	return isg__error_set(ISG_EFORBIDDEN, MODULE,
	                      "'%s' is a symlink that leaves the tree",
	                      w->name);
}

/* Replaces `rest` with `target` + "/" + `tail`. */
static int walk_splice(walk *w, const char *target, size_t tlen,
                       const char *tail)
{
	isg_buf nb = ISG_BUF_INIT;
	int rc = isg_buf_set(&nb, target, tlen);

	if (rc == ISG_OK && *tail)
		rc = isg__buf_putc(&nb, '/');
	if (rc == ISG_OK)
		rc = isg__buf_puts(&nb, tail);
	if (rc != ISG_OK) {
		isg_buf_dispose(&nb);
		return rc;
	}
	isg_buf_dispose(&w->rest);
	w->rest = nb;
	return ISG_OK;
}

/* Follows the symlink `comp` in the current directory: its target is
 * spliced in front of what remains to resolve. */
static int walk_follow(walk *w, const char *comp, const char *tail)
{
	char target[PATH_MAX];
	ssize_t n;
	size_t rlen;

	if (++w->hops > MAX_HOPS)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "'%s' has too many levels of symlinks",
		                      w->name);
	n = readlinkat(w->fds[w->depth], comp, target, sizeof(target) - 1);
	if (n < 0)
		return errno_status(errno, w->name, "read the link");
	target[n] = '\0';
	if (target[0] != '/')
		return walk_splice(w, target, (size_t)n, tail);
	/* An absolute target stays inside only under the root's real path. */
	if (!w->root_real) {
		char *real = realpath(w->root, NULL);

		if (!real)
			return errno_status(errno, w->root, "resolve");
		w->root_real = isg__alloc_strdup(real);
		free(real);
		if (!w->root_real)
			return isg__error_oom(MODULE);
	}
	rlen = strlen(w->root_real);
	if (strncmp(target, w->root_real, rlen) != 0 ||
	    (target[rlen] != '/' && target[rlen] != '\0'))
		return leaves_tree(w);
	walk_pop_to(w, 0);
	return walk_splice(w, target + rlen, strlen(target + rlen), tail);
}

/* Resolves one component `comp`; `last` says nothing follows it, and then
 * the file is read into `out` (unless `comp` is a symlink to follow). */
static int walk_step(walk *w, const char *comp, const char *tail, int last,
                     size_t max, unsigned flags, isg_buf *out)
{
	int dfd = w->fds[w->depth], fd;
	struct stat st;

	if (strcmp(comp, "..") == 0) {
		/* Only a symlink's target brings `..` here. */
		if (w->depth == 0)
			return leaves_tree(w);
		walk_pop_to(w, w->depth - 1);
		return last ? not_regular(w->name, S_IFDIR) : ISG_OK;
	}
	if (fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno_status(errno, w->name, "stat");
	if (S_ISLNK(st.st_mode)) {
		if (last && (flags & ISG_FILE_NOFOLLOW))
			return isg__error_set(ISG_EFORBIDDEN, MODULE,
			                      "'%s' is a symlink", w->name);
		return walk_follow(w, comp, tail);
	}
	if (!last) {
		if (!S_ISDIR(st.st_mode))
			return isg__error_set(
			        ISG_ENOTFOUND, MODULE,
			        "'%s': '%s' is a %s, not a directory", w->name,
			        comp, isg__file_kind(st.st_mode));
		fd = openat(dfd, comp,
		            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno_status(errno, w->name, "open");
		return walk_push(w, fd);
	}
	if (!S_ISREG(st.st_mode))
		return not_regular(w->name, st.st_mode);
	fd = openat(dfd, comp, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno_status(errno, w->name, "open");
	return read_opened(out, fd, w->name, max, flags);
}

/* Cuts the next component off `w->rest` into `comp`; returns 0 when the
 * path is used up. */
static int next_component(walk *w, char *comp, size_t n, const char **tail)
{
	const char *p = w->rest.ptr, *e;
	size_t len;

	while (*p == '/')
		p++;
	if (!*p)
		return 0;
	e = strchr(p, '/');
	len = e ? (size_t)(e - p) : strlen(p);
	if (len >= n)
		len = n - 1; /* NAME_MAX overflow: the lookup will fail */
	memcpy(comp, p, len);
	comp[len] = '\0';
	p += e ? (size_t)(e - p) : strlen(p);
	while (*p == '/')
		p++;
	*tail = p;
	return 1;
}

static int check_relpath(const char *relpath)
{
	const char *p = relpath;

	if (relpath[0] == '/')
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "'%s' is absolute, not relative to the tree", relpath);
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return isg__error_set(ISG_EINVALID, MODULE,
			                      "'%s' has a '..' component",
			                      relpath);
		p += len;
		while (*p == '/')
			p++;
	}
	return ISG_OK;
}

static int walk_run(walk *w, size_t max, unsigned flags, isg_buf *out)
{
	char comp[NAME_MAX + 2];

	for (;;) {
		const char *tail = NULL;
		int last, hops = w->hops, rc;

		if (!next_component(w, comp, sizeof(comp), &tail))
			return not_regular(w->name, S_IFDIR);
		last = *tail == '\0';
		/* `rest` becomes the tail; a symlink puts its target in front.
		 */
		memmove(w->rest.ptr, tail, strlen(tail) + 1);
		w->rest.size = strlen(w->rest.ptr);
		if (strcmp(comp, ".") == 0) {
			if (last)
				return not_regular(w->name, S_IFDIR);
			continue;
		}
		rc = walk_step(w, comp, w->rest.ptr, last, max, flags, out);
		if (rc != ISG_OK || (last && w->hops == hops))
			return rc;
	}
}

int isg_file_read_in_tree(isg_buf *out, const char *root, const char *relpath,
                          size_t max_bytes, unsigned flags)
{
	walk w;
	int rc, rfd;

	if (!out || !root || !*root || !relpath || !*relpath ||
	    (flags & ~KNOWN_FLAGS))
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_file_read_in_tree: NULL or empty argument or unknown flags");
	rc = check_relpath(relpath);
	if (rc != ISG_OK)
		return rc;
	memset(&w, 0, sizeof(w));
	w.root = root;
	w.name = relpath;
	w.cap = 8;
	w.fds = isg__alloc_malloc(w.cap * sizeof(*w.fds));
	if (!w.fds)
		return isg__error_oom(MODULE);
	rc = isg_buf_set(&w.rest, relpath, strlen(relpath));
	if (rc != ISG_OK)
		goto done;
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		rc = errno_status(errno, root, "open");
		goto done;
	}
	w.fds[0] = rfd;
	rc = walk_run(&w, effective_max(max_bytes), flags, out);
	walk_pop_to(&w, 0);
	close(w.fds[0]);
done:
	isg_buf_dispose(&w.rest);
	isg__alloc_free(w.root_real);
	isg__alloc_free(w.fds);
	return rc;
}
