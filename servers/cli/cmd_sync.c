/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight sync: archive one repository's issues, pull requests and
 * comments into PostgreSQL in one pass, with a progress line on a terminal
 * and a summary line at the end.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define PROG "issuesight sync"

typedef struct sync_args {
	const char *since, *labels;
	const char *target[1];
} sync_args;

static const cli_opt sync_opts[] = {
	CLI_OPT_STR("since", "TIME", sync_args, since,
	            "only what changed at or after TIME (ISO 8601,\n"
	            "e.g. 2024-05-01T00:00:00Z)"),
	CLI_OPT_STR("labels", "LABELS", sync_args, labels,
	            "also push a context message to is:contexts (REDIS_URL)\n"
	            "for each issue with one of these comma-separated labels\n"
	            "and no Context Bridge yet (\"\": every issue)"),
};

const cli_spec cli_sync_spec = {
	.name = "sync",
	.summary = "archive a repository's issues and comments",
	.synopsis = "OWNER/REPO [--since TIME] [--labels LABELS]",
	.description =
	        "Archives the repository, its issues and pull requests and their comments in\nPostgreSQL (DATABASE_URL) from GITHUB_API_URL, with one request per 100 issues\nand per 100 comments. Applies pending schema migrations first.",
	.opts = sync_opts,
	.nopts = sizeof(sync_opts) / sizeof(sync_opts[0]),
	.pos_offset = offsetof(sync_args, target),
	.pos_min = 1,
	.pos_max = 1,
	.pos_name = "OWNER/REPO",
	.epilog =
	        "A full sync (no --since) is recorded: its start becomes the project's last\nsync time, and the collector's next poll lists only what changed after it.\nA progress line goes to stderr when it is a terminal; the summary to stdout.\nexit codes: 0 done, 1 failed, 2 usage, 3 configuration, 4 a backend is down.",
};

static int on_progress(const isg_collector_sync_stats *s, void *payload)
{
	(void)payload;
	fprintf(stderr,
	        "\r[sync] issues %-7lld comments %-7lld requests %-5lld rate limit left %-6lld",
	        s->issues, s->comments, s->requests, s->rate_remaining);
	fflush(stderr);
	return 0;
}

int cli_sync(int argc, char **argv, isg_config *cfg)
{
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_collector_sync_stats st;
	const char *target = NULL, *labels = NULL;
	char owner[128], repo[128];
	isg_store *store = NULL;
	isg_stream *s = NULL;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	sync_args args;
	int rc, exit_code = SRV_EXIT_OK;

	memset(&args, 0, sizeof(args));
	rc = cli_parse(&cli_sync_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	target = args.target[0];
	labels = args.labels;
	so.since = args.since;
	if (cli_repo_arg(PROG, target, owner, repo, sizeof(owner)) !=
	    SRV_EXIT_OK)
		return SRV_EXIT_USAGE;
	/* The clients whose settings can be wrong first, so that a bad
	 * REDIS_URL or GITHUB_API_URL is a configuration error (3) whatever
	 * the state of the database. */
	if ((rc = isg_github_new_from_config(&gh, cfg, NULL)) != ISG_OK) {
		exit_code = cli_client_fail(PROG, "GitHub client", rc);
		goto done;
	}
	if (labels && (rc = isg_stream_new_from_config(&s, cfg)) != ISG_OK) {
		exit_code = cli_client_fail(PROG, "Redis", rc);
		goto done;
	}
	if ((exit_code = cli_store_open(&store, PROG, cfg)) != SRV_EXIT_OK)
		goto done;
	co.store = store;
	co.github = gh;
	co.stream = s;
	co.labels = labels;
	if ((rc = isg_collector_new(&c, &co)) != ISG_OK) {
		exit_code = srv_fail(PROG, "collector", rc);
		goto done;
	}
	so.push_contexts = labels != NULL;
	/* A full sync tells the pollers to go on from its start. */
	so.record = 1;
	if (srv_isatty(2))
		so.progress = on_progress;
	rc = isg_collector_sync(&st, c, owner, repo, &so);
	if (so.progress)
		fputc('\n', stderr);
	if (rc != ISG_OK) {
		exit_code = srv_fail(PROG, target, rc);
		goto done;
	}
	printf("synced %s/%s: %lld issues (%lld pull requests), %lld comments, %lld context messages; %lld requests (%lld not modified), rate limit left %lld, waited %.1f s, %.1f s\n",
	       owner, repo, st.issues, st.pull_requests, st.comments,
	       st.contexts, st.requests, st.not_modified, st.rate_remaining,
	       st.seconds_waited, st.seconds);
done:
	isg_collector_free(c);
	isg_github_free(gh);
	isg_stream_free(s);
	isg_store_free(store);
	return exit_code;
}
