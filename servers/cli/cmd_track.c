/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight track: mark a repository for polling by the collectors,
 * fetching it from GitHub first when the archive does not know it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define PROG "issuesight track"

typedef struct track_args {
	int off;
	const char *target[1];
} track_args;

static const cli_opt track_opts[] = {
	CLI_OPT_FLAG("off", track_args, off, "stop polling it"),
};

const cli_spec cli_track_spec = {
	.name = "track",
	.summary = "mark a repository for polling by the collectors",
	.synopsis = "OWNER/REPO [--off]",
	.description =
	        "Marks the repository as tracked: issuesight-collector polls it every\nCOLLECTOR_POLL_INTERVAL_S seconds. An unknown repository is fetched from\nGITHUB_API_URL and stored first.",
	.opts = track_opts,
	.nopts = sizeof(track_opts) / sizeof(track_opts[0]),
	.pos_offset = offsetof(track_args, target),
	.pos_min = 1,
	.pos_max = 1,
	.pos_name = "OWNER/REPO",
	.epilog =
	        "exit codes: 0 done, 1 failed (e.g. no such repository), 2 usage,\n3 configuration, 4 a backend is down.",
};

int cli_track(int argc, char **argv, isg_config *cfg)
{
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	const char *target = NULL;
	char owner[128], repo[128], id[ISG_STORE_ID_SIZE];
	isg_store *store = NULL;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	track_args args;
	int rc, on, exit_code = SRV_EXIT_OK;

	memset(&args, 0, sizeof(args));
	rc = cli_parse(&cli_track_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	target = args.target[0];
	on = !args.off;
	if (cli_repo_arg(PROG, target, owner, repo, sizeof(owner)) !=
	    SRV_EXIT_OK)
		return SRV_EXIT_USAGE;
	if ((rc = isg_github_new_from_config(&gh, cfg, NULL)) != ISG_OK) {
		exit_code = cli_client_fail(PROG, "GitHub client", rc);
		goto done;
	}
	if ((exit_code = cli_store_open(&store, PROG, cfg)) != SRV_EXIT_OK)
		goto done;
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
