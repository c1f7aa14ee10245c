/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight locate --repo DIR|URL --issue-text|--issue-json FILE: rank
 * the files a fix for the issue is likely to change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_issue.h"

typedef struct locate_args {
	const char *repo, *issue_text, *issue_json, *cache_dir;
	long long top;
	int json, no_history;
} locate_args;

static const cli_opt locate_opts[] = {
	CLI_OPT_STR("repo", "DIR|URL", locate_args, repo,
	            "the repository: a directory or a git URL"),
	CLI_OPT_STR("issue-text", "FILE", locate_args, issue_text,
	            "the issue as text: first line title, then the body"),
	CLI_OPT_STR("issue-json", "FILE", locate_args, issue_json,
	            "a GitHub issue object (title, body, comments)"),
	CLI_OPT_NUM("top", "K", locate_args, top, 1, 1000, NULL,
	            "how many files to change to list (default 10)"),
	CLI_OPT_FLAG("json", locate_args, json,
	             "print only the files to change, as JSON"),
	CLI_OPT_FLAG("no-history", locate_args, no_history,
	             "ignore the repository's git history (past commits "
	             "like the issue voting for their files)"),
	CLI_OPT_STR(
	        "cache-dir", "DIR", locate_args, cache_dir,
	        "where indexes and clones live (else ISSUESIGHT_CACHE_DIR)"),
};

const cli_spec cli_locate_spec = {
	.name = "locate",
	.summary = "rank the files an issue's fix is likely to change",
	.synopsis =
	        "--repo DIR|URL (--issue-text FILE | --issue-json FILE) [options]",
	.description =
	        "Ranks the files a fix for the issue is likely to change, with the reasons\nand symbols behind each, then the tests, docs and examples to read, and the definitions a fix most likely\nedits (path:Class.method). --json prints the files to change and the\ndefinitions as {\"files\": [{\"path\", \"score\", \"reasons\", \"symbols\":\n[{\"name\", \"line\"}]}], \"definitions\": [{\"name\", \"path\", \"kind\", \"line\",\n\"score\"}]}.",
	.opts = locate_opts,
	.nopts = sizeof(locate_opts) / sizeof(locate_opts[0]),
	.epilog = "FILE may be '-' for standard input.",
};

static void print_list(const isg_locate_result *res, int list)
{
	size_t i, j;

	for (i = 0; i < isg_locate_result_count(res, list); i++) {
		printf("%2zu. %s  %.3f  [%s]\n", i + 1,
		       isg_locate_result_path(res, list, i),
		       isg_locate_result_score(res, list, i),
		       isg_locate_result_role(res, list, i));
		for (j = 0; j < isg_locate_result_reason_count(res, list, i);
		     j++)
			printf("      - %s\n",
			       isg_locate_result_reason(res, list, i, j));
		if (isg_locate_result_symbol_count(res, list, i)) {
			printf("      symbols:");
			for (j = 0;
			     j < isg_locate_result_symbol_count(res, list, i);
			     j++)
				printf(" %s:%u",
				       isg_locate_result_symbol_name(res, list,
				                                     i, j),
				       isg_locate_result_symbol_line(res, list,
				                                     i, j));
			printf("\n");
		}
	}
}

static void print_definitions(const isg_locate_result *res)
{
	size_t i, n = isg_locate_result_definition_count(res);

	for (i = 0; i < n && i < 10; i++)
		printf("%2zu. %s (line %u)  %.3f\n", i + 1,
		       isg_locate_result_definition(res, i),
		       isg_locate_result_definition_line(res, i),
		       isg_locate_result_definition_score(res, i));
}

static int print_result(const isg_locate_result *res, int as_json)
{
	isg_buf json = ISG_BUF_INIT;
	int rc;

	if (!as_json) {
		printf("files to change:\n");
		print_list(res, ISG_LOCATE_CHANGE);
		printf("\nread these first (tests, docs, examples):\n");
		print_list(res, ISG_LOCATE_READ);
		printf("\ndefinitions to open:\n");
		print_definitions(res);
		return SRV_EXIT_OK;
	}
	rc = isg_locate_result_json(&json, res);
	if (rc != ISG_OK)
		return srv_fail("issuesight locate", "json", rc);
	printf("%s\n", json.ptr);
	isg_buf_dispose(&json);
	return SRV_EXIT_OK;
}

int cli_locate(int argc, char **argv, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *res = NULL;
	cli_issue issue;
	isg_repo *repo = NULL;
	locate_args args;
	int rc, ex;

	memset(&args, 0, sizeof(args));
	memset(&issue, 0, sizeof(issue));
	ex = cli_parse(&cli_locate_spec, argc, argv, &args, NULL);
	if (ex != SRV_EXIT_OK)
		return ex == CLI_HELP_SHOWN ? SRV_EXIT_OK : ex;
	if (!args.repo || !args.issue_text == !args.issue_json) {
		fprintf(stderr, "issuesight locate: %s\n",
		        !args.repo
		                ? "--repo is required"
		                : "give exactly one of --issue-text and --issue-json");
		return SRV_EXIT_USAGE;
	}
	o.config = cfg;
	o.path_or_url = args.repo;
	o.cache_dir = args.cache_dir;
	if (args.top)
		lo.top_k = (size_t)args.top;
	lo.no_history = args.no_history;
	ex = cli_issue_load(&issue, "issuesight locate",
	                    args.issue_json ? args.issue_json : args.issue_text,
	                    args.issue_json ? CLI_ISSUE_JSON : CLI_ISSUE_TEXT);
	if (ex != SRV_EXIT_OK)
		goto done;
	rc = isg_repo_open(&repo, &o);
	if (rc != ISG_OK) {
		ex = srv_fail("issuesight locate", o.path_or_url, rc);
		goto done;
	}
	rc = isg_locate_run(&res, repo, issue.text.ptr, issue.text.size, &lo);
	if (rc != ISG_OK) {
		ex = srv_fail("issuesight locate", "locate", rc);
		goto done;
	}
	ex = print_result(res, args.json);
	if (ex == SRV_EXIT_OK)
		ex = cli_finish_output("issuesight locate");
done:
	isg_locate_result_free(res);
	isg_repo_free(repo);
	cli_issue_dispose(&issue);
	return ex;
}
