/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight bridge: build the Context Bridge of one issue with the
 * offline engine and print it as Markdown or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Issue files larger than this are refused (the library reads 1 MiB). */
#define ISSUE_FILE_MAX ((size_t)16 << 20)

typedef struct bridge_args {
	const char *repo, *issue_text, *issue_json, *format, *issue_repo;
	long long top;
	int compact;
} bridge_args;

static const cli_opt bridge_opts[] = {
	CLI_OPT_STR("repo", "DIR|URL", bridge_args, repo,
	            "the repository: a directory or a git URL (cloned into\n"
	            "ISSUESIGHT_CACHE_DIR)"),
	CLI_OPT_STR("issue-text", "FILE", bridge_args, issue_text,
	            "the issue as text: first line title, then the body"),
	CLI_OPT_STR("issue-json", "FILE", bridge_args, issue_json,
	            "a GitHub issue object (title, body, labels, comments)"),
	CLI_OPT_CHOICE("format", bridge_args, format, "md|json", "md",
	               "Markdown or the JSON document of\n"
	               "docs/bridge.schema.json"),
	CLI_OPT_NUM("top", "K", bridge_args, top, 1, 50, "5",
	            "how many files to rank"),
	CLI_OPT_FLAG("compact", bridge_args, compact, "JSON on one line"),
	CLI_OPT_STR("issue-repo", "O/N", bridge_args, issue_repo,
	            "the issue's repository when the issue does not say"),
};

const cli_spec cli_bridge_spec = {
	.name = "bridge",
	.summary = "print the Context Bridge of an issue (offline engine)",
	.synopsis = "--repo DIR|URL (--issue-text FILE | --issue-json FILE) "
	            "[options]",
	.description = "Builds the Context Bridge of an issue with the offline "
	               "engine (no network,\nno key) and prints it on stdout.",
	.opts = bridge_opts,
	.nopts = sizeof(bridge_opts) / sizeof(bridge_opts[0]),
	.epilog = "FILE may be '-' for standard input.",
};

int cli_bridge(int argc, char **argv, isg_config *cfg)
{
	isg_bridge_options opts = ISG_BRIDGE_OPTIONS_INIT;
	bridge_args args;
	isg_buf out = ISG_BUF_INIT, issue = ISG_BUF_INIT;
	isg_bridge *b = NULL;
	int rc, json, ret;

	memset(&args, 0, sizeof(args));
	ret = cli_parse(&cli_bridge_spec, argc, argv, &args, NULL);
	if (ret != SRV_EXIT_OK)
		return ret == CLI_HELP_SHOWN ? SRV_EXIT_OK : ret;
	if (!args.repo || !args.issue_text == !args.issue_json) {
		fprintf(stderr, "issuesight bridge: %s\n",
		        !args.repo ? "--repo is required"
		                   : "give exactly one of --issue-text and "
		                     "--issue-json");
		return SRV_EXIT_USAGE;
	}
	json = strcmp(args.format, "json") == 0;
	ret = cli_read_input(&issue, "issuesight bridge",
	                     args.issue_text ? args.issue_text
	                                     : args.issue_json,
	                     ISSUE_FILE_MAX);
	if (ret != SRV_EXIT_OK)
		goto done;
	if (args.issue_text) {
		opts.issue_text = issue.ptr;
		opts.issue_text_len = issue.size;
	} else {
		opts.issue_json = issue.ptr;
		opts.issue_json_len = issue.size;
	}
	opts.repo = args.repo;
	opts.issue_repo = args.issue_repo;
	opts.top_k = (size_t)args.top;
	opts.config = cfg;
	rc = isg_bridge_generate(&b, &opts);
	if (rc != ISG_OK) {
		ret = srv_fail("issuesight bridge",
		               args.issue_json && rc == ISG_EPARSE
		                       ? args.issue_json
		                       : "generate",
		               rc);
		goto done;
	}
	if (json)
		rc = isg_bridge_to_json(
		        &out, b, args.compact ? 0 : ISG_BRIDGE_JSON_PRETTY);
	else
		rc = isg_bridge_to_markdown(&out, b);
	if (rc != ISG_OK) {
		ret = srv_fail("issuesight bridge", "render", rc);
		goto done;
	}
	fwrite(out.ptr, 1, out.size, stdout);
	if (args.compact && json)
		fputc('\n', stdout);
	ret = cli_finish_output("issuesight bridge");
done:
	isg_buf_dispose(&out);
	isg_buf_dispose(&issue);
	isg_bridge_free(b);
	return ret;
}
