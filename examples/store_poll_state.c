/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the polling state of a tracked project.
 *
 * Archives and tracks a project, saves the cursor of an unfinished sync
 * and reads it back (where `issuesight sync` resumes), records the sync
 * as complete without holding its lease (which clears the cursor), then
 * asks for a due project with a poll
 * interval of an hour: the project just synced is not due. Uses
 * ISG_TEST_DATABASE_URL (a libpq connection string); prints "skipped" when
 * it is not set. Names are made unique so that runs never collide.
 *
 *   cc store_poll_state.c $(pkg-config --cflags --libs issuesight)
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
	isg_store_options opts = ISG_STORE_OPTIONS_INIT;
	isg_store_project project = ISG_STORE_PROJECT_INIT;
	isg_store_lease lease;
	isg_store_sync_state state;
	isg_store *st = NULL;
	char id[ISG_STORE_ID_SIZE], name[64], now[32];
	long long unique = (long long)time(NULL) * 100000 + getpid() % 100000;
	int rc, status = 1;

	if (!url || !*url) {
		printf("skipped: ISG_TEST_DATABASE_URL is not set\n");
		return 0;
	}
	opts.conninfo = url;
	if (check(isg_store_new(&st, &opts), "open") != ISG_OK ||
	    check(isg_store_migrate(NULL, st), "migrate") != ISG_OK)
		goto done;
	snprintf(name, sizeof(name), "poll-%lld", unique);
	project.gh_repo_id = unique;
	project.owner = "example";
	project.name = name;
	if (check(isg_store_project_upsert(id, st, &project), "project") !=
	            ISG_OK ||
	    check(isg_store_project_set_tracked(st, id, 1), "track") != ISG_OK)
		goto done;
	/* A full sync that started now stored the issue pages: its comment
	 * listing is next. */
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	memset(&state, 0, sizeof(state));
	if (check(isg_store_project_save_progress(st, id, "comments", now,
	                                          "{\"_synced_at\": \"\"}"),
	          "save progress") != ISG_OK ||
	    check(isg_store_project_sync_state(&state, st, id), "state") !=
	            ISG_OK)
		goto done;
	printf("unfinished sync started at %s goes on at '%s'\n",
	       state.cursor_started, state.cursor.ptr);
	isg_store_sync_state_dispose(&state);
	/* Complete: the next listing starts here, the cursor is gone. */
	if (check(isg_store_project_record_sync(st, id, now, now, NULL),
	          "record sync") != ISG_OK ||
	    check(isg_store_project_sync_state(&state, st, id), "state") !=
	            ISG_OK)
		goto done;
	rc = state.cursor.size == 0 ? ISG_OK : ISG_ESTATE;
	isg_store_sync_state_dispose(&state);
	if (rc != ISG_OK) {
		fprintf(stderr, "a completed sync kept its cursor\n");
		goto done;
	}
	/* Projects synced longest ago come first, and others may be due in
	 * a shared database: hand back what we get; it must not be ours. */
	rc = isg_store_project_claim_due(&lease, st, "example:1", 60, 3600);
	if (rc == ISG_OK) {
		isg_store_project_release(st, lease.project_id, "example:1",
		                          NULL);
		if (strcmp(lease.project_id, id) == 0) {
			fprintf(stderr, "%s is due right after its sync\n",
			        lease.full_name);
			goto done;
		}
	} else if (rc != ISG_ENOTFOUND) {
		check(rc, "claim");
		goto done;
	}
	printf("example/%s: synced at %s, not due again for an hour\n", name,
	       now);
	status = isg_store_project_set_tracked(st, id, 0) == ISG_OK ? 0 : 1;
done:
	isg_store_free(st);
	return status;
}
