/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snapshot: unpacking a repository's .tar.gz. zlib inflates the stream,
 * the tar reader (snapshot_tar.c) checks names and caps, and this file's
 * writer creates directories and regular files only, each file new
 * (O_EXCL) and never through a link (O_NOFOLLOW).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core_int.h"
#include "snapshot_int.h"

#define MOD "snapshot"

typedef struct gz_src {
	gzFile gz;
	const char *path;
} gz_src;

static int gz_read(void *src, void *buf, size_t n, size_t *got)
{
	gz_src *g = src;
	size_t done = 0;

	while (done < n) {
		int k = gzread(g->gz, (char *)buf + done, (unsigned)(n - done));

		if (k < 0) {
			int err = 0;
			const char *msg = gzerror(g->gz, &err);

			*got = done;
			return isg__error_set(
			        ISG_EPARSE, MOD,
			        "'%.200s' is not a valid gzip stream: %s",
			        g->path, msg ? msg : "error");
		}
		if (k == 0)
			break;
		done += (size_t)k;
	}
	*got = done;
	return done == n ? ISG_OK : ISG_EPARSE;
}

typedef struct writer {
	const char *dest;
	int fd;
	char path[ISG__TAR_NAME_MAX + 1024];
} writer;

/* Creates the parents of `rel` under the destination. */
static int make_parents(writer *w, const char *rel)
{
	char *slash;
	int rc = ISG_OK;

	snprintf(w->path, sizeof(w->path), "%s/%s", w->dest, rel);
	for (slash = w->path + strlen(w->dest) + 1;
	     rc == ISG_OK && (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		if (mkdir(w->path, 0700) != 0 && errno != EEXIST)
			rc = isg__error_set(ISG_EIO, MOD,
			                    "cannot create '%.300s': %s",
			                    w->path, strerror(errno));
		*slash = '/';
	}
	return rc;
}

static int on_begin(void *sink, const isg__tar_entry *e)
{
	writer *w = sink;
	struct stat sb;
	int rc = make_parents(w, e->name);

	if (rc != ISG_OK)
		return rc;
	if (e->type == 'd') {
		if (mkdir(w->path, 0700) == 0)
			return ISG_OK;
		if (errno == EEXIST && lstat(w->path, &sb) == 0 &&
		    S_ISDIR(sb.st_mode))
			return ISG_OK;
		return isg__error_set(
		        errno == EEXIST ? ISG_EFORBIDDEN : ISG_EIO, MOD,
		        "cannot create directory '%.300s': %s", e->name,
		        strerror(errno));
	}
	w->fd = open(w->path,
	             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	             0600);
	if (w->fd < 0)
		return isg__error_set(
		        errno == EEXIST ? ISG_EFORBIDDEN : ISG_EIO, MOD,
		        "cannot create '%.300s': %s", e->name,
		        errno == EEXIST
		                ? "the archive names it twice or it exists"
		                : strerror(errno));
	return ISG_OK;
}

static int on_data(void *sink, const void *buf, size_t n)
{
	writer *w = sink;
	const char *p = buf;

	while (n > 0) {
		ssize_t k = write(w->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return isg__error_set(ISG_EIO, MOD,
			                      "cannot write '%.300s': %s",
			                      w->path, strerror(errno));
		p += k;
		n -= (size_t)k;
	}
	return ISG_OK;
}

static int on_end(void *sink)
{
	writer *w = sink;
	int rc = ISG_OK;

	if (w->fd >= 0 && close(w->fd) != 0)
		rc = isg__error_set(ISG_EIO, MOD, "cannot close '%.300s'",
		                    w->path);
	w->fd = -1;
	return rc;
}

int isg_snapshot_unpack(isg_snapshot_stats *out, const char *tgz_path,
                        const char *dest_dir, const isg_snapshot_limits *lim)
{
	static const isg__tar_ops ops = { gz_read, on_begin, on_data, on_end };
	isg_snapshot_limits l = ISG_SNAPSHOT_LIMITS_INIT;
	isg_snapshot_stats st;
	struct stat sb;
	writer w;
	gz_src g;
	int rc, fd;

	memset(&st, 0, sizeof(st));
	if (out)
		*out = st;
	if (!tgz_path || !dest_dir)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_snapshot_unpack: NULL argument");
	if (lim) {
		if (lim->version != ISG_SNAPSHOT_LIMITS_VERSION ||
		    lim->max_bytes < 0 || lim->max_file_bytes < 0 ||
		    lim->max_entries < 0)
			return isg__error_set(ISG_EINVALID, MOD,
			                      "bad snapshot limits");
		l = *lim;
	}
	l.max_bytes = l.max_bytes ? l.max_bytes : 512LL << 20;
	l.max_file_bytes = l.max_file_bytes ? l.max_file_bytes : 64LL << 20;
	l.max_entries = l.max_entries ? l.max_entries : 200000;
	l.strip_components = l.strip_components < 0    ? 0
	                     : l.strip_components == 0 ? 1
	                                               : l.strip_components;
	if (stat(dest_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return isg__error_set(ISG_ENOTFOUND, MOD,
		                      "destination '%.300s' is not a directory",
		                      dest_dir);
	fd = open(tgz_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return isg__error_set(errno == ENOENT ? ISG_ENOTFOUND : ISG_EIO,
		                      MOD, "cannot open '%.300s': %s", tgz_path,
		                      strerror(errno));
	g.gz = gzdopen(fd, "rb");
	g.path = tgz_path;
	if (!g.gz) {
		close(fd);
		return isg__error_oom(MOD);
	}
	memset(&w, 0, sizeof(w));
	w.dest = dest_dir;
	w.fd = -1;
	rc = isg__snapshot_tar_read(&ops, &g, &w, &st, &l);
	if (w.fd >= 0)
		close(w.fd);
	gzclose(g.gz);
	if (out)
		*out = st;
	return rc;
}
