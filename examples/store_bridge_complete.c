/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: a worker stores a finished bridge.
 *
 * Archives an issue, creates its PENDING content (what the gateway does),
 * stores a bridge with isg_store_bridge_complete() under a fencing value,
 * reads the exact bytes back, and shows that a duplicate write is refused.
 * Uses ISG_TEST_DATABASE_URL (a libpq connection string); prints "skipped"
 * when it is not set. Names are made unique so that runs never collide.
 *
 *   cc store_bridge_complete.c $(pkg-config --cflags --libs issuesight)
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
	const char *bridge = "{\"schema_version\": 1, \"note\": \"exact\"}";
	isg_store_options opts = ISG_STORE_OPTIONS_INIT;
	isg_store_project project = ISG_STORE_PROJECT_INIT;
	isg_store_issue issue = ISG_STORE_ISSUE_INIT;
	isg_store_bridge done_job = ISG_STORE_BRIDGE_INIT;
	isg_store_content_ref ref;
	isg_buf text = ISG_BUF_INIT;
	isg_store *st = NULL;
	char pid[ISG_STORE_ID_SIZE], iid[ISG_STORE_ID_SIZE], name[64];
	long long unique = (long long)time(NULL) * 100000 + getpid() % 100000;
	int status = 1;

	if (!url || !*url) {
		printf("skipped: ISG_TEST_DATABASE_URL is not set\n");
		return 0;
	}
	opts.conninfo = url;
	if (check(isg_store_new(&st, &opts), "open") != ISG_OK ||
	    check(isg_store_migrate(NULL, st), "migrate") != ISG_OK)
		goto done;
	snprintf(name, sizeof(name), "bridge-%lld", unique);
	project.gh_repo_id = unique;
	project.owner = "example";
	project.name = name;
	issue.gh_issue_id = unique;
	issue.number = 1;
	issue.title = "Example issue";
	issue.state = "open";
	if (check(isg_store_project_upsert(pid, st, &project), "project") ||
	    (issue.project_id = pid,
	     check(isg_store_issue_upsert(iid, st, &issue), "issue")) ||
	    check(isg_store_content_ensure(&ref, st, iid), "content"))
		goto done;
	done_job.json = bridge;
	done_job.engine = "offline";
	done_job.fence = unique;
	done_job.difficulty = "beginner";
	done_job.junior_friendly = 1;
	if (check(isg_store_bridge_complete(NULL, st, ref.id, &done_job),
	          "complete") != ISG_OK ||
	    check(isg_store_bridge_text(&text, st, ref.id), "read") != ISG_OK)
		goto done;
	printf("stored %s: %s\n", ref.id, text.ptr);
	if (strcmp(text.ptr, bridge) != 0 ||
	    isg_store_bridge_complete(NULL, st, ref.id, &done_job) !=
	            ISG_ESTATE)
		goto done;
	printf("a duplicate write is refused: %s\n", isg_error_last()->message);
	status = 0;
done:
	isg_buf_dispose(&text);
	isg_store_free(st);
	return status;
}
