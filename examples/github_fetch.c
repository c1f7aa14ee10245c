/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the GitHub client and the issue types.
 *
 * Parses a GitHub issue object (as the bridge's --issue-json takes it) and
 * writes it back as JSON. Given a base URL, also fetches a repository and
 * lists its issues page by page (the fake GitHub of the tests works:
 * `fake-github` prints its URL):
 *
 *   cc github_fetch.c $(pkg-config --cflags --libs issuesight)
 *   ./a.out [BASE_URL [OWNER/REPO]]     e.g. http://127.0.0.1:20001
 *
 * Without a URL the network part prints "skipped". GITHUB_TOKEN, when set,
 * is sent as a Bearer token (read here by the program, not the library).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

static int print_issue(const isg_issue *is, const char *raw, size_t raw_len,
                       void *payload)
{
	int *n = payload;

	(void)raw;
	if (++*n <= 5)
		printf("  #%lld %s%s (%zu labels, %zu raw bytes)\n",
		       (long long)is->number,
		       is->is_pull_request ? "[PR] " : "",
		       is->title ? is->title : "(no title)", is->nlabels,
		       raw_len);
	return 0;
}

static int offline_part(void)
{
	static const char text[] =
	        "{\"number\": 9, \"title\": \"Crash on empty config\", \"body\": null, \"labels\": [{\"name\": \"bug\"}, \"good first issue\"], \"comments\": [{\"id\": 1, \"body\": \"same here\", \"user\": {\"login\": \"a\"}}]}";
	isg_issue *is = NULL;
	isg_buf js = ISG_BUF_INIT;
	int rc;

	rc = isg_issue_parse(&is, text, strlen(text));
	if (rc != ISG_OK) {
		fprintf(stderr, "parse: %s\n", isg_error_last()->message);
		return 1;
	}
	printf("issue #%lld: %s, %zu labels, %zu embedded comments\n",
	       (long long)is->number, is->title, is->nlabels, is->ncomments);
	rc = isg_issue_to_json(&js, is);
	if (rc == ISG_OK)
		printf("as JSON: %.80s...\n", js.ptr);
	isg_buf_dispose(&js);
	isg_issue_free(is);

	/* Garbage is an error with a message, never a crash. */
	rc = isg_issue_parse(&is, "{\"title\": ", 10);
	printf("truncated input: %s: %s\n", isg_error_name(rc),
	       isg_error_last()->message);
	return rc == ISG_EPARSE ? 0 : 1;
}

/* Remembers where the listing goes on after each page. */
static int keep_next(const char *next_url, void *payload)
{
	char *next = payload;

	snprintf(next, 1024, "%s", next_url ? next_url : "");
	return 0;
}

int main(int argc, char **argv)
{
	char next[1024] = "";
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	isg_github_list_options lo = ISG_GITHUB_LIST_OPTIONS_INIT;
	isg_github_stats st = ISG_GITHUB_STATS_INIT;
	char owner[128] = "octo-org", repo[128] = "hello-world";
	isg_github *gh = NULL;
	isg_repository *r = NULL;
	int rc, n = 0, status = 1;

	if (isg_global_init() != ISG_OK)
		return 1;
	if (offline_part() != 0)
		goto done;
	if (argc < 2) {
		printf("github fetch: skipped (no base URL given)\n");
		status = 0;
		goto done;
	}
	if (argc > 2) {
		const char *slash = strchr(argv[2], '/');

		if (!slash || slash == argv[2] || !slash[1] ||
		    (size_t)(slash - argv[2]) >= sizeof(owner) ||
		    strlen(slash + 1) >= sizeof(repo)) {
			fprintf(stderr, "expected OWNER/REPO, got '%s'\n",
			        argv[2]);
			goto done;
		}
		memcpy(owner, argv[2], (size_t)(slash - argv[2]));
		owner[slash - argv[2]] = '\0';
		strncpy(repo, slash + 1, sizeof(repo) - 1);
	}
	o.base_url = argv[1];
	o.token = getenv("GITHUB_TOKEN");
	o.max_wait_s = 120; /* do not wait an hour in an example */
	if ((rc = isg_github_new(&gh, &o)) != ISG_OK) {
		fprintf(stderr, "client: %s\n", isg_error_last()->message);
		goto done;
	}
	if ((rc = isg_github_get_repository(&r, gh, owner, repo, NULL)) !=
	    ISG_OK) {
		fprintf(stderr, "repository: %s: %s\n", isg_error_name(rc),
		        isg_error_last()->message);
		goto done;
	}
	printf("%s: %lld stars, default branch %s, license %s\n",
	       r->full_name ? r->full_name : "?",
	       (long long)r->stargazers_count,
	       r->default_branch ? r->default_branch : "?",
	       r->license_spdx ? r->license_spdx : "none");
	/* One page, then the next one from the remembered link: how a
	 * listing is resumed in another run. */
	lo.max_pages = 1;
	lo.page = keep_next;
	lo.page_payload = next;
	rc = isg_github_list_issues(gh, owner, repo, &lo, print_issue, &n);
	if (rc == ISG_OK && next[0]) {
		lo.start_url = next;
		rc = isg_github_list_issues(gh, owner, repo, &lo, print_issue,
		                            &n);
	}
	if (rc != ISG_OK) {
		fprintf(stderr, "issues: %s: %s\n", isg_error_name(rc),
		        isg_error_last()->message);
		goto done;
	}
	isg_github_stats_get(&st, gh);
	printf("%d issues listed in %llu requests; rate limit %lld/%lld\n", n,
	       (unsigned long long)st.requests, st.rate_remaining,
	       st.rate_limit);
	status = 0;
done:
	isg_issue_repository_free(r);
	isg_github_free(gh);
	isg_global_shutdown();
	return status;
}
