/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: a collector and its Prometheus metrics.
 *
 * Builds a collector from a store and a GitHub client (neither connects
 * until it is used), shows how a bad repository name is reported, and
 * prints the metrics text that issuesight-collector serves on /metrics.
 * With ISG_TEST_DATABASE_URL and ISG_EXAMPLE_GITHUB_URL set (a real or
 * fake GitHub API), it also syncs ISG_EXAMPLE_REPO ("owner/repo").
 *
 *   cc collector_prometheus.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *db = getenv("ISG_TEST_DATABASE_URL");
	const char *api = getenv("ISG_EXAMPLE_GITHUB_URL");
	const char *target = getenv("ISG_EXAMPLE_REPO");
	isg_store_options so = ISG_STORE_OPTIONS_INIT;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_store *st = NULL;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	isg_buf text = ISG_BUF_INIT;
	int rc = 1;

	if (isg_global_init() != ISG_OK)
		return 1;
	so.conninfo = db ? db : "postgresql://127.0.0.1:1/none";
	go.base_url = api ? api : "http://127.0.0.1:1";
	if (isg_store_new(&st, &so) != ISG_OK ||
	    isg_github_new(&gh, &go) != ISG_OK)
		goto done;
	co.store = st;
	co.github = gh;
	co.labels = "good first issue,help wanted";
	if (isg_collector_new(&c, &co) != ISG_OK)
		goto done;
	/* Names are checked before anything is sent. */
	if (isg_collector_sync(NULL, c, "octo cat", "x", NULL) == ISG_EINVALID)
		printf("refused: %s\n", isg_error_last()->message);
	if (db && api && target && strchr(target, '/')) {
		char owner[128];
		isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
		isg_collector_sync_stats s;
		const char *slash = strchr(target, '/');

		snprintf(owner, sizeof(owner), "%.*s", (int)(slash - target),
		         target);
		if (isg_store_migrate(NULL, st) != ISG_OK ||
		    isg_collector_sync(&s, c, owner, slash + 1, &so) != ISG_OK)
			goto done;
		printf("synced %lld issues with %lld requests\n", s.issues,
		       s.requests);
		/* Again, from where it ended: an unchanged repository
		 * answers only 304s. */
		so.mode = ISG_COLLECTOR_SYNC_CONTINUE;
		if (isg_collector_sync(&s, c, owner, slash + 1, &so) != ISG_OK)
			goto done;
		printf("continued (%s): %lld requests, %lld not modified\n",
		       s.kind == ISG_COLLECTOR_SYNC_KIND_FULL ? "full"
		                                              : "incremental",
		       s.requests, s.not_modified);
	} else {
		printf("sync skipped: set ISG_TEST_DATABASE_URL, ISG_EXAMPLE_GITHUB_URL and ISG_EXAMPLE_REPO\n");
	}
	if (isg_collector_metrics(&text, c) != ISG_OK)
		goto done;
	fputs(text.ptr, stdout);
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "collector_metrics: %s (%s)\n",
		        isg_error_last()->message,
		        isg_error_name(isg_error_last()->code));
	isg_buf_dispose(&text);
	isg_collector_free(c);
	isg_github_free(gh);
	isg_store_free(st);
	isg_global_shutdown();
	return rc;
}
