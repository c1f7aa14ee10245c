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
	int full;
	const char *target[1];
} sync_args;

static const cli_opt sync_opts[] = {
	CLI_OPT_FLAG("full", sync_args, full,
	             "list everything again, without conditional requests,\n"
	             "instead of continuing from the recorded state"),
	CLI_OPT_STR("since", "TIME", sync_args, since,
	            "only what changed at or after TIME (ISO 8601,\n"
	            "e.g. 2024-05-01T00:00:00Z); not recorded"),
	CLI_OPT_STR("labels", "LABELS", sync_args, labels,
	            "also push a context message to is:contexts (REDIS_URL)\n"
	            "for each issue with one of these comma-separated labels\n"
	            "and no Context Bridge yet (\"\": every issue)"),
};

const cli_spec cli_sync_spec = {
	.name = "sync",
	.summary = "archive a repository's issues and comments",
	.synopsis = "OWNER/REPO [--full | --since TIME] [--labels LABELS]",
	.description =
	        "Archives the repository, its issues and pull requests and their comments in\nPostgreSQL (DATABASE_URL) from GITHUB_API_URL, with one request per 100 issues\nand per 100 comments. Applies pending schema migrations first.",
	.opts = sync_opts,
	.nopts = sizeof(sync_opts) / sizeof(sync_opts[0]),
	.pos_offset = offsetof(sync_args, target),
	.pos_min = 1,
	.pos_max = 1,
	.pos_name = "OWNER/REPO",
	.epilog =
	        "By default a sync continues where the last one ended: an interrupted first\nsync goes on from the last page it stored (stored pages are not fetched\nagain); after a completed sync only what changed is listed, with the ETags\nsaved in PostgreSQL, so an unchanged repository costs only 304s (no rate\nlimit). --full lists everything again. Each run records where it ended,\nwhich the collector's polls go on from too; a --since run is not recorded.\nThe summary on stdout names the kind of sync (full, incremental, resumed)\nand what it spent; a progress line goes to stderr when it is a terminal.\nexit codes: 0 done, 1 failed, 2 usage, 3 configuration, 4 a backend is down.",
};

static const char *kind_name(int kind)
{
	static const char *const names[] = { "full", "incremental", "resumed" };

	return kind >= 0 && kind < 3 ? names[kind] : "unknown";
}

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
	if (args.full && args.since) {
		fprintf(stderr, "%s: --full and --since do not go together\n",
		        PROG);
		return SRV_EXIT_USAGE;
	}
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
	/* Continue from, and record, the project's state (a --since run is
	 * a one-off pass). */
	so.mode = args.since  ? ISG_COLLECTOR_SYNC_ONCE
	          : args.full ? ISG_COLLECTOR_SYNC_FULL
	                      : ISG_COLLECTOR_SYNC_CONTINUE;
	if (srv_isatty(2))
		so.progress = on_progress;
	rc = isg_collector_sync(&st, c, owner, repo, &so);
	if (so.progress)
		fputc('\n', stderr);
	if (rc != ISG_OK) {
		exit_code = srv_fail(PROG, target, rc);
		if (st.pages_committed > 0)
			fprintf(stderr,
			        "%s: %lld pages stored (%lld issues); the next run resumes after them; %lld requests (%lld not modified)\n",
			        PROG, st.pages_committed, st.issues,
			        st.requests, st.not_modified);
		goto done;
	}
	printf("synced %s/%s (%s): %lld issues (%lld pull requests), %lld comments, %lld context messages stored; %lld requests (%lld not modified), rate limit left %lld, waited %.1f s, %.1f s\n",
	       owner, repo, kind_name(st.kind), st.issues, st.pull_requests,
	       st.comments, st.contexts, st.requests, st.not_modified,
	       st.rate_remaining, st.seconds_waited, st.seconds);
done:
	isg_collector_free(c);
	isg_github_free(gh);
	isg_stream_free(s);
	isg_store_free(store);
	return exit_code;
}
