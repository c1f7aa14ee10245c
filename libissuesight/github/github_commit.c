/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github_commit: what a repository snapshot needs from GitHub: the head
 * SHA of a branch (conditional, so that an unchanged head costs a 304 and
 * no rate limit) and the tarball at a commit, streamed to a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

/* GitHub's default tarball cap here: a repository larger than this is
 * not one a newcomer's guide can be written from anyway. */
#define TARBALL_MAX_DEFAULT (512ULL << 20)

/* Appends a ref to a URL: each '/'-separated part percent-encoded (branch
 * names such as "release/1.x" keep their slashes), "." and ".." refused. */
static int put_ref(isg_buf *url, const char *ref)
{
	isg_buf part = ISG_BUF_INIT;
	const char *p = ref;
	int rc = ISG_OK;

	while (rc == ISG_OK) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		isg__buf_clear(&part);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.')) {
			rc = isg__error_set(ISG_EINVALID, MOD,
			                    "invalid ref '%.200s'", ref);
			break;
		}
		if ((rc = isg_buf_put(&part, p, n)) == ISG_OK)
			rc = isg__github_put_escaped(url, part.ptr);
		if (rc != ISG_OK || !slash)
			break;
		rc = isg__buf_putc(url, '/');
		p = slash + 1;
	}
	isg_buf_dispose(&part);
	return rc;
}

/* A remembered ETag without its value cannot answer a 304 (an entry
 * imported from an export, or one another call renewed): forget it so
 * that the request is answered in full. */
static void forget_valueless(isg_github *gh, const char *url)
{
	const isg__github_cache_entry *e = isg__github_cache_find(gh, url);

	if (e && !e->value)
		isg__github_cache_remove(gh, url);
}

static int default_branch(isg_buf *out, isg_github *gh, const char *owner,
                          const char *repo)
{
	isg_buf url = ISG_BUF_INIT;
	isg_repository *r = NULL;
	const isg__github_cache_entry *e;
	int rc;

	if ((rc = isg__github_repo_url(&url, gh, owner, repo)) != ISG_OK)
		goto done;
	forget_valueless(gh, url.ptr);
	if ((rc = isg_github_get_repository(&r, gh, owner, repo, NULL)))
		goto done;
	if (r) {
		if (!r->default_branch || !r->default_branch[0]) {
			rc = isg__error_set(
			        ISG_EPARSE, MOD,
			        "repository %.100s/%.100s has no default_branch",
			        owner, repo);
			goto done;
		}
		if ((rc = isg_buf_set(out, r->default_branch,
		                      strlen(r->default_branch))) == ISG_OK)
			rc = isg__github_cache_set_value(gh, url.ptr,
			                                 r->default_branch);
		goto done;
	}
	e = isg__github_cache_find(gh, url.ptr);
	rc = e && e->value ? isg_buf_set(out, e->value, strlen(e->value))
	                   : isg__error_set(ISG_EUPSTREAM, MOD,
	                                    "GET /repos/%.100s/%.100s: 304 for "
	                                    "an unknown repository",
	                                    owner, repo);
done:
	isg_issue_repository_free(r);
	isg_buf_dispose(&url);
	return rc;
}

/* The SHA of a 200 answer: 40 hex digits, maybe a line end. */
static int parse_sha(char out[41], const isg_buf *body, const char *url)
{
	size_t n = body->size, i;

	while (n > 0 && (body->ptr[n - 1] == '\n' || body->ptr[n - 1] == '\r'))
		n--;
	if (n != 40 || strspn(body->ptr, "0123456789abcdefABCDEF") < 40)
		return isg__error_set(ISG_EPARSE, MOD,
		                      "GET %s: the answer is not a commit SHA",
		                      url);
	for (i = 0; i < 40; i++) {
		char c = body->ptr[i];

		out[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	out[40] = '\0';
	return ISG_OK;
}

static int head_of(char out[41], isg_github *gh, const char *url,
                   int *not_modified)
{
	const char *path = url + strlen(gh->base_url);
	const isg__github_cache_entry *e;
	isg__github_response resp;
	int rc;

	memset(&resp, 0, sizeof(resp));
	isg__github_response_clear(&resp);
	resp.req.accept = "application/vnd.github.sha";
	forget_valueless(gh, url);
	if ((rc = isg__github_get(gh, ISG_GITHUB_EP_COMMIT, url, &resp)))
		goto done;
	if (resp.status == 304) {
		e = isg__github_cache_find(gh, url);
		if (!e || !e->value || strlen(e->value) != 40) {
			rc = isg__error_set(ISG_EUPSTREAM, MOD,
			                    "GET %s: 304 for an unknown head",
			                    path);
			goto done;
		}
		memcpy(out, e->value, 41);
		*not_modified = 1;
		goto done;
	}
	if ((rc = parse_sha(out, &resp.body, path)) != ISG_OK ||
	    (rc = isg__github_remember(gh, url, &resp)) != ISG_OK)
		goto done;
	rc = isg__github_cache_set_value(gh, url, out);
done:
	isg__github_response_clear(&resp);
	return rc;
}

int isg_github_head_sha(char out[41], isg_github *gh, const char *owner,
                        const char *repo, const char *branch, int *not_modified)
{
	isg_buf url = ISG_BUF_INIT, def = ISG_BUF_INIT;
	int nm = 0, rc;

	if (not_modified)
		*not_modified = 0;
	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "head_sha: NULL out");
	out[0] = '\0';
	if ((rc = isg__github_repo_url(&url, gh, owner, repo)) != ISG_OK)
		goto done;
	if (!branch || !*branch) {
		if ((rc = default_branch(&def, gh, owner, repo)) != ISG_OK)
			goto done;
		branch = def.ptr;
	}
	if ((rc = isg__buf_puts(&url, "/commits/")) != ISG_OK ||
	    (rc = put_ref(&url, branch)) != ISG_OK)
		goto done;
	rc = head_of(out, gh, url.ptr, &nm);
	if (not_modified)
		*not_modified = nm;
done:
	isg_buf_dispose(&def);
	isg_buf_dispose(&url);
	return rc;
}

static int create_file(int *fd, const char *path)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	           0600);
	if (*fd >= 0)
		return ISG_OK;
	return isg__error_set(
	        errno == EEXIST || errno == ELOOP ? ISG_EFORBIDDEN : ISG_EIO,
	        MOD, "cannot create '%.300s': %s", path, strerror(errno));
}

int isg_github_tarball(isg_github *gh, const char *owner, const char *repo,
                       const char *sha, const char *dest_path,
                       uint64_t max_bytes, uint64_t *out_bytes)
{
	isg_buf url = ISG_BUF_INIT;
	isg__github_response resp;
	int rc, fd = -1;

	memset(&resp, 0, sizeof(resp));
	isg__github_response_clear(&resp);
	if (out_bytes)
		*out_bytes = 0;
	if (!sha || !*sha || !dest_path || !*dest_path) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "tarball: NULL or empty sha or path");
		goto done;
	}
	if ((rc = isg__github_repo_url(&url, gh, owner, repo)) != ISG_OK ||
	    (rc = isg__buf_puts(&url, "/tarball/")) != ISG_OK ||
	    (rc = put_ref(&url, sha)) != ISG_OK ||
	    (rc = create_file(&fd, dest_path)) != ISG_OK)
		goto done;
	resp.req.sink = 1;
	resp.req.sink_fd = fd;
	if (max_bytes == 0 || max_bytes > (uint64_t)INT64_MAX)
		max_bytes =
		        max_bytes ? (uint64_t)INT64_MAX : TARBALL_MAX_DEFAULT;
	resp.req.sink_max = (long long)max_bytes;
	resp.req.timeout_s = gh->timeout_s * 10;
	resp.req.conditional_off = 1;
	if ((rc = isg__github_get(gh, ISG_GITHUB_EP_TARBALL, url.ptr, &resp)))
		goto done;
	if (resp.status < 200 || resp.status >= 300) {
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "GET %s: HTTP %ld instead of the tarball",
		                    url.ptr + strlen(gh->base_url),
		                    resp.status);
		goto done;
	}
	if (out_bytes)
		*out_bytes = (uint64_t)resp.req.sink_bytes;
done:
	if (fd >= 0 && close(fd) != 0 && rc == ISG_OK)
		rc = isg__error_set(ISG_EIO, MOD, "cannot close '%.300s': %s",
		                    dest_path, strerror(errno));
	if (fd >= 0 && rc != ISG_OK)
		unlink(dest_path);
	isg__github_response_clear(&resp);
	isg_buf_dispose(&url);
	return rc;
}
