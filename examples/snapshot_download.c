/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: a repository's code at its default branch's head, from GitHub
 * into a snapshot cache, then indexed.
 *
 *   cc snapshot_download.c $(pkg-config --cflags --libs issuesight)
 *   ./a.out [BASE_URL OWNER/REPO [CACHE_DIR]]
 *
 * The fake GitHub of the tests serves a small project:
 *   fake-github --code tests/data/snapshot/tinycalc   (prints its URL)
 *   ./a.out http://127.0.0.1:PORT octo-org/hello-world /tmp/isg-cache
 *
 * Without a URL the network part prints "skipped"; the argument checks
 * still run. GITHUB_TOKEN, when set, is sent as a Bearer token (read here
 * by the program, not the library).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

static int fetch_twice(isg_github *gh, const char *owner, const char *repo,
                       const char *cache)
{
	isg_snapshot_fetch_options o = ISG_SNAPSHOT_FETCH_OPTIONS_INIT;
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	isg_repo *r = NULL;
	int rc, k;

	o.cache_dir = cache;
	for (k = 0; k < 2; k++) {
		rc = isg_snapshot_fetch(&dir, &info, gh, owner, repo, &o);
		if (rc != ISG_OK)
			goto done;
		printf("fetch %d: %s at %s\n  %s, head %s, %lld tarball bytes, %lld files\n",
		       k + 1, info.sha, dir.ptr,
		       info.reused ? "reused" : "downloaded",
		       info.not_modified ? "304 Not Modified" : "200",
		       info.tarball_bytes, info.unpack.files);
	}
	/* The snapshot has no .git: the index is keyed by its content. */
	ro.path_or_url = dir.ptr;
	ro.cache_dir = cache;
	if ((rc = isg_repo_open(&r, &ro)) == ISG_OK)
		printf("indexed: %zu files, %zu definitions (%s)\n",
		       isg_repo_file_count(r), isg_repo_definition_count(r),
		       isg_repo_commit(r));
done:
	if (rc != ISG_OK)
		fprintf(stderr, "%s: %s\n", isg_error_name(rc),
		        isg_error_last()->message);
	isg_repo_free(r);
	isg_buf_dispose(&dir);
	return rc == ISG_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_snapshot_fetch_options o = ISG_SNAPSHOT_FETCH_OPTIONS_INIT;
	isg_github *gh = NULL;
	isg_buf dir = ISG_BUF_INIT;
	char owner[128], *slash;
	const char *repo;
	int rc, status;

	isg_global_init();
	/* Names that would make a path are refused before any request. */
	go.base_url = "http://127.0.0.1:9";
	if (isg_github_new(&gh, &go) != ISG_OK)
		return 1;
	o.cache_dir = "/nonexistent";
	rc = isg_snapshot_fetch(&dir, NULL, gh, "..", "x", &o);
	printf("owner \"..\": %s: %s\n", isg_error_name(rc),
	       isg_error_last()->message);
	isg_github_free(gh);
	gh = NULL;
	if (argc < 3) {
		printf("network part skipped (no BASE_URL OWNER/REPO)\n");
		isg_global_shutdown();
		return rc == ISG_EINVALID ? 0 : 1;
	}
	snprintf(owner, sizeof(owner), "%s", argv[2]);
	slash = strchr(owner, '/');
	if (!slash) {
		fprintf(stderr, "OWNER/REPO expected, got '%s'\n", argv[2]);
		return 2;
	}
	*slash = '\0';
	repo = slash + 1;
	go.base_url = argv[1];
	go.token = getenv("GITHUB_TOKEN");
	if (isg_github_new(&gh, &go) != ISG_OK) {
		fprintf(stderr, "%s\n", isg_error_last()->message);
		return 1;
	}
	status = fetch_twice(gh, owner, repo,
	                     argc > 3 ? argv[3] : "/tmp/isg-snapshots");
	isg_github_free(gh);
	isg_global_shutdown();
	return status;
}
