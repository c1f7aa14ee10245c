/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake GitHub's repository code: a directory packed as GitHub packs a
 * tarball (pax global comment with the commit, a top folder
 * `{owner}-{repo}-{sha7}/`, gzip), the commits/{ref} route with the SHA
 * media type, and the tarball route's 302 to a codeload path.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "fake_github_int.h"

static const char no_commit_body[] =
        "{\"message\":\"No commit found for SHA: %s\",\"documentation_url\":\"https://docs.github.com/rest/commits/commits#get-a-commit\",\"status\":\"422\"}";

static void die(const char *what)
{
	fprintf(stderr, "fake_github: %s\n", what);
	abort();
}

static void put(fake_tar *t, const void *d, size_t n)
{
	unsigned char *p = realloc(t->p, t->n + n + 1);

	if (!p)
		die("out of memory");
	t->p = p;
	memcpy(t->p + t->n, d, n);
	t->n += n;
}

static void raw_header(fake_tar *t, const char *name, char type,
                       const void *data, size_t size, const char *link)
{
	unsigned char h[512];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", type == '5' ? 0775 : 0664);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011zo", size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000);
	h[156] = (unsigned char)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	put(t, h, 512);
	if (size) {
		unsigned char pad[512] = { 0 };

		put(t, data, size);
		if (size % 512)
			put(t, pad, 512 - size % 512);
	}
}

/* One pax record "<len> key=value\n": the length counts its own digits. */
static void pax(fake_tar *t, char type, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, len = body + 1;
	char *rec;
	int n;

	while (snprintf(NULL, 0, "%zu", len) + body != len)
		len++;
	rec = malloc(len + 1);
	if (!rec)
		die("out of memory");
	n = snprintf(rec, len + 1, "%zu %s=%s\n", len, key, value);
	raw_header(t, type == 'g' ? "pax_global_header" : "PaxHeader", type,
	           rec, (size_t)n, NULL);
	free(rec);
}

void fake_tar_add(fake_tar *t, const char *name, char type, const void *data,
                  size_t size, const char *link)
{
	if (strlen(name) > 99)
		pax(t, 'x', "path", name);
	raw_header(t, name, type, data, size, link);
}

void fake_tar_pax_comment(fake_tar *t, const char *commit)
{
	pax(t, 'g', "comment", commit);
}

void fake_tar_gzip(fake_tar *t, unsigned char **out, size_t *n)
{
	unsigned char zero[1024] = { 0 };
	z_stream z;
	size_t cap;

	put(t, zero, sizeof(zero));
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2 failed");
	cap = deflateBound(&z, (uLong)t->n) + 64;
	*out = malloc(cap);
	if (!*out)
		die("out of memory");
	z.next_in = t->p;
	z.avail_in = (uInt)t->n;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		die("deflate failed");
	*n = cap - z.avail_out;
	deflateEnd(&z);
	free(t->p);
	t->p = NULL;
	t->n = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) &&
	    fread(buf, 1, (size_t)len, f) == (size_t)len) {
		*n = (size_t)len;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Adds `dir`/`rel` (recursively, names sorted) under `top`. */
static int pack_dir(fake_tar *t, const char *dir, const char *rel,
                    const char *top)
{
	char path[8200], name[8200], **names = NULL;
	size_t count = 0, i;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
	if (!(d = opendir(path)))
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "__pycache__") == 0)
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		if (!names || !(names[count++] = strdup(de->d_name)))
			die("out of memory");
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), by_name);
	for (i = 0; i < count && rc == 0; i++) {
		char sub[4096];
		struct stat st;

		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
		         names[i]);
		snprintf(path, sizeof(path), "%s/%s", dir, sub);
		snprintf(name, sizeof(name), "%s/%s", top, sub);
		if (lstat(path, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			strncat(name, "/", sizeof(name) - strlen(name) - 1);
			fake_tar_add(t, name, '5', NULL, 0, NULL);
			rc = pack_dir(t, dir, sub, top);
		} else if (S_ISREG(st.st_mode)) {
			size_t n = 0;
			char *data = read_all(path, &n);

			if (!data)
				rc = -1;
			else
				fake_tar_add(t, name, '0', data, n, NULL);
			free(data);
		}
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* splitmix64's finalizer: every input bit moves every output bit. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A SHA for the n-th commit of a tree: FNV-1a over the tree, mixed with n,
 * stretched to 40 hex digits. */
static void make_sha(char out[41], const fake_tar *t, int n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	int k;

	for (i = 0; i < t->n; i++) {
		h ^= t->p[i];
		h *= 1099511628211ULL;
	}
	h = mix(h ^ (uint64_t)n);
	for (k = 0; k < 40; k += 16) {
		h = mix(h + 0x9e3779b97f4a7c15ULL);
		snprintf(out + k, 41 - (size_t)k, "%016llx",
		         (unsigned long long)h);
	}
	out[40] = '\0';
}

/* Appends a commit, the new head; takes `gz`. Caller holds fg->mu. */
static int add_commit(fake_github *fg, const char *sha, unsigned char *gz,
                      size_t n)
{
	struct fg_commit *c = realloc(
	        fg->commits, (size_t)(fg->ncommits + 1) * sizeof(*fg->commits));

	if (!c) {
		free(gz);
		return -1;
	}
	fg->commits = c;
	c += fg->ncommits++;
	memcpy(c->sha, sha, 41);
	c->tgz = gz;
	c->tgz_len = n;
	memcpy(fg->head, sha, 41);
	return 0;
}

int fake_github_set_tree(fake_github *fg, const char *dir, char sha[41])
{
	fake_tar probe = { NULL, 0 }, t = { NULL, 0 };
	char head[41], top[600], topdir[610];
	unsigned char *gz;
	size_t n;
	int rc;

	/* The SHA depends on the content, so pack once to hash it. */
	if (pack_dir(&probe, dir, "", "x") != 0) {
		free(probe.p);
		fprintf(stderr, "fake_github: cannot pack '%s'\n", dir);
		return -1;
	}
	pthread_mutex_lock(&fg->mu);
	make_sha(head, &probe, fg->ncommits + 1);
	pthread_mutex_unlock(&fg->mu);
	free(probe.p);
	snprintf(top, sizeof(top), "%s-%s-%.7s", fg->owner, fg->repo, head);
	snprintf(topdir, sizeof(topdir), "%s/", top);
	fake_tar_pax_comment(&t, head);
	fake_tar_add(&t, topdir, '5', NULL, 0, NULL);
	if (pack_dir(&t, dir, "", top) != 0) {
		free(t.p);
		return -1;
	}
	fake_tar_gzip(&t, &gz, &n);
	pthread_mutex_lock(&fg->mu);
	rc = add_commit(fg, head, gz, n);
	pthread_mutex_unlock(&fg->mu);
	if (rc == 0 && sha)
		memcpy(sha, head, sizeof(head));
	return rc;
}

int fake_github_set_tarball(fake_github *fg, const void *tgz, size_t n)
{
	unsigned char *copy = malloc(n ? n : 1);
	int rc = -1;

	if (!copy)
		return -1;
	memcpy(copy, tgz, n);
	pthread_mutex_lock(&fg->mu);
	if (fg->ncommits > 0) {
		struct fg_commit *c = &fg->commits[fg->ncommits - 1];

		free(c->tgz);
		c->tgz = copy;
		c->tgz_len = n;
		copy = NULL;
		rc = 0;
	}
	pthread_mutex_unlock(&fg->mu);
	free(copy);
	return rc;
}

void fake_github_head(fake_github *fg, char out[41])
{
	pthread_mutex_lock(&fg->mu);
	memcpy(out, fg->head, 41);
	pthread_mutex_unlock(&fg->mu);
}

void fg__code_free(fake_github *fg)
{
	int i;

	for (i = 0; i < fg->ncommits; i++)
		free(fg->commits[i].tgz);
	free(fg->commits);
	fg->commits = NULL;
	fg->ncommits = 0;
}

static void set_text(answer *a, int status, const char *text)
{
	a->status = status;
	a->body = fg__strdup(text);
	a->len = a->body ? strlen(a->body) : 0;
}

/* The commit `ref` names: "main" (the head) or a SHA; NULL when none. */
static const struct fg_commit *find_commit(const fake_github *fg,
                                           const char *ref)
{
	int i;

	if (fg->ncommits > 0 && strcmp(ref, "main") == 0)
		return &fg->commits[fg->ncommits - 1];
	for (i = fg->ncommits; i-- > 0;)
		if (strcmp(ref, fg->commits[i].sha) == 0)
			return &fg->commits[i];
	return NULL;
}

static void commit_answer(fake_github *fg, const char *ref, const char *accept,
                          answer *a)
{
	const struct fg_commit *c = find_commit(fg, ref);
	char body[512];

	if (!c) {
		snprintf(body, sizeof(body), no_commit_body, ref);
		set_text(a, 422, body);
		return;
	}
	if (accept && strstr(accept, "application/vnd.github.sha")) {
		set_text(a, 200, c->sha);
		a->content_type = "application/vnd.github.sha; charset=utf-8";
		return;
	}
	snprintf(
	        body, sizeof(body),
	        "{\"sha\":\"%s\",\"commit\":{\"message\":\"head\"},\"html_url\":\"https://github.com/%s/%s/commit/%s\"}",
	        c->sha, fg->owner, fg->repo, c->sha);
	set_text(a, 200, body);
}

int fg__code_route(fake_github *fg, const char *rest, const char *accept,
                   answer *a)
{
	const struct fg_commit *c;

	if (strncmp(rest, "/commits/", 9) == 0 && rest[9]) {
		if (a)
			commit_answer(fg, rest + 9, accept, a);
		return FG_EP_COMMIT;
	}
	if (strncmp(rest, "/tarball/", 9) != 0 || !rest[9])
		return -1;
	if (!a)
		return FG_EP_TARBALL;
	if (!(c = find_commit(fg, rest + 9))) {
		set_text(
		        a, 404,
		        "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar\",\"status\":\"404\"}");
		return FG_EP_TARBALL;
	}
	set_text(a, 302, "");
	snprintf(a->location, sizeof(a->location),
	         "%s/codeload/%s/%s/legacy.tar.gz/%s", fg->url, fg->owner,
	         fg->repo, c->sha);
	return FG_EP_TARBALL;
}

int fg__codeload_route(fake_github *fg, const char *path, answer *a)
{
	const struct fg_commit *c = NULL;
	char prefix[600];
	size_t n;

	if (strncmp(path, "/codeload/", 10) != 0)
		return -1;
	if (!a)
		return FG_EP_CODELOAD;
	n = (size_t)snprintf(prefix, sizeof(prefix),
	                     "/codeload/%s/%s/legacy.tar.gz/", fg->owner,
	                     fg->repo);
	if (strncmp(path, prefix, n) == 0 && strlen(path + n) == 40)
		c = find_commit(fg, path + n);
	if (!c || !c->tgz) {
		set_text(a, 404, "404: Not Found");
		a->content_type = "text/plain; charset=utf-8";
		return FG_EP_CODELOAD;
	}
	a->status = 200;
	a->body = malloc(c->tgz_len ? c->tgz_len : 1);
	if (a->body)
		memcpy(a->body, c->tgz, c->tgz_len);
	a->len = a->body ? c->tgz_len : 0;
	a->content_type = "application/x-gzip";
	return FG_EP_CODELOAD;
}
