/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the PostgreSQL archive.
 *
 * Opens the store, applies the schema migrations, archives a project and
 * one of its issues, creates the issue's Context Bridge row, completes it
 * and reads it back. Uses ISG_TEST_DATABASE_URL (a libpq connection
 * string); prints "skipped" when it is not set. Names are made unique so
 * that runs never collide.
 *
 *   cc store_archive.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

static int check(int rc, const char *what)
{
	if (rc != ISG_OK)
		fprintf(stderr, "%s: %s (%s)\n", what,
		        isg_error_last()->message, isg_error_name(rc));
	return rc;
}

int main(void)
{
	const char *url = getenv("ISG_TEST_DATABASE_URL");
	const char *labels[] = { "good first issue", "docs" };
	isg_store_options opts = ISG_STORE_OPTIONS_INIT;
	isg_store_project project = ISG_STORE_PROJECT_INIT;
	isg_store_issue issue = ISG_STORE_ISSUE_INIT;
	isg_store_completion done = ISG_STORE_COMPLETION_INIT;
	isg_store_content_ref ref;
	isg_store_content content;
	isg_store *st = NULL;
	char project_id[ISG_STORE_ID_SIZE], issue_id[ISG_STORE_ID_SIZE];
	char name[64];
	/* Unique per run: GitHub ids and names never collide with earlier runs.
	 */
	long long unique = (long long)time(NULL) * 100000 + getpid() % 100000;
	int version = 0, rc = 1;

	if (!url || !url[0]) {
		printf("skipped (ISG_TEST_DATABASE_URL is not set)\n");
		return 0;
	}
	memset(&content, 0, sizeof(content));
	if (isg_global_init() != ISG_OK)
		return 1;
	opts.conninfo = url;
	opts.pool_size = 2;
	if (check(isg_store_new(&st, &opts), "open") != ISG_OK ||
	    check(isg_store_migrate(&version, st), "migrate") != ISG_OK)
		goto done;
	printf("schema version %d\n", version);

	snprintf(name, sizeof(name), "archive-%lld", unique);
	project.gh_repo_id = unique;
	project.owner = "example";
	project.name = name;
	project.language = "C";
	project.raw_json = "{\"stargazers_count\": 3}";
	if (check(isg_store_project_upsert(project_id, st, &project),
	          "project") != ISG_OK)
		goto done;

	issue.project_id = project_id;
	issue.gh_issue_id = unique;
	issue.number = 1;
	issue.title = "Document the \"--since\" flag";
	issue.state = "open";
	issue.labels = labels;
	issue.nlabels = 2;
	issue.gh_updated_at = "2024-05-01T12:00:00Z";
	issue.raw_json = "{\"body\": \"The flag is undocumented.\"}";
	if (check(isg_store_issue_upsert(issue_id, st, &issue), "issue") !=
	    ISG_OK)
		goto done;

	if (check(isg_store_content_ensure(&ref, st, issue_id), "content") !=
	    ISG_OK)
		goto done;
	printf("content %s, created %d, status %s\n", ref.id, ref.created,
	       isg_store_status_name(ref.status));

	done.bridge_json =
	        "{\"schema_version\": 1, \"verdict\": {\"junior_friendly\": true}}";
	done.engine = "offline";
	if (check(isg_store_content_complete(st, ref.id, &done), "complete") !=
	    ISG_OK)
		goto done;

	snprintf(name, sizeof(name), "example/archive-%lld", unique);
	if (check(isg_store_content_get_by_issue(&content, st, name, 1),
	          "read") != ISG_OK)
		goto done;
	printf("%s#1: %s, engine %s, bridge %s\n", name,
	       isg_store_status_name(content.status), content.engine,
	       content.bridge_json.ptr);
	rc = 0;
done:
	isg_store_content_dispose(&content);
	isg_store_free(st);
	isg_global_shutdown();
	return rc;
}
