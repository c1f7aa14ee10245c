/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight track: mark a repository for polling by the collectors,
 * fetching it from GitHub first when the archive does not know it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define PROG "issuesight track"

static void track_usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight track OWNER/REPO [--off]\n\n"
	        "Marks the repository as tracked: issuesight-collector polls "
	        "it every\nCOLLECTOR_POLL_INTERVAL_S seconds. An unknown "
	        "repository is fetched from\nGITHUB_API_URL and stored "
	        "first.\n\n"
	        "  --off  stop polling it\n\n"
	        "exit codes: 0 done, 1 failed (e.g. no such repository), 2 "
	        "usage,\n3 configuration, 4 a backend is down.\n");
}

int cli_track(int argc, char **argv, isg_config *cfg)
{
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	const char *target = NULL;
	char owner[128], repo[128], id[ISG_STORE_ID_SIZE];
	isg_store *store = NULL;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	int i, rc, on = 1, exit_code = SRV_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			track_usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[i], "--off") == 0) {
			on = 0;
		} else if (argv[i][0] != '-' && !target) {
			target = argv[i];
		} else {
			fprintf(stderr, PROG ": unexpected argument '%s'\n",
			        argv[i]);
			track_usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	if (cli_repo_arg(PROG, target, owner, repo, sizeof(owner)) !=
	    SRV_EXIT_OK) {
		track_usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if ((exit_code = cli_store_open(&store, PROG, cfg)) != SRV_EXIT_OK)
		goto done;
	if ((rc = isg_github_new_from_config(&gh, cfg, NULL)) != ISG_OK) {
		exit_code = srv_fail(PROG, "GitHub client", rc);
		goto done;
	}
	co.store = store;
	co.github = gh;
	if ((rc = isg_collector_new(&c, &co)) != ISG_OK) {
		exit_code = srv_fail(PROG, "collector", rc);
		goto done;
	}
	rc = isg_collector_track(id, c, owner, repo, on);
	if (rc != ISG_OK) {
		exit_code = srv_fail(PROG, target, rc);
		goto done;
	}
	printf("%s %s/%s (project %s)\n", on ? "tracking" : "stopped tracking",
	       owner, repo, id);
done:
	isg_collector_free(c);
	isg_github_free(gh);
	isg_store_free(store);
	return exit_code;
}
