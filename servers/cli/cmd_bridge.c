/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight bridge: build the Context Bridge of one issue with the
 * offline engine and print it as Markdown or JSON.
 */
#include <stdio.h>
#include <string.h>

#include <issuesight/concepts.h>

#include "cli.h"

/* Issue files larger than this are refused (the library reads 1 MiB). */
#define ISSUE_FILE_MAX ((size_t)16 << 20)

typedef struct bridge_args {
	const char *repo, *issue_text, *issue_json, *format, *issue_repo;
	const char *cache_dir;
	long long top;
	int compact, force;
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
	CLI_OPT_STR(
	        "cache-dir", "DIR", bridge_args, cache_dir,
	        "where indexes and clones live (else ISSUESIGHT_CACHE_DIR)"),
	CLI_OPT_FLAG("force", bridge_args, force,
	             "rebuild the repository's index even when a current one\n"
	             "exists"),
};

const cli_spec cli_bridge_spec = {
	.name = "bridge",
	.summary = "print the Context Bridge of an issue (offline engine)",
	.synopsis =
	        "--repo DIR|URL (--issue-text FILE | --issue-json FILE) [options]",
	.description =
	        "Builds the Context Bridge of an issue with the offline engine (no network,\nno key) and prints it on stdout.",
	.opts = bridge_opts,
	.nopts = sizeof(bridge_opts) / sizeof(bridge_opts[0]),
	.epilog =
	        "FILE may be '-' for standard input. ISSUESIGHT_CONCEPTS_FILE, when set,\nreplaces the built-in concept catalog.",
};

/* The concept catalog of ISSUESIGHT_CONCEPTS_FILE, or NULL (*out) for
 * the built-in one. A file that cannot be loaded is a configuration
 * error, never a silent fall-back. */
static int load_concepts(isg_concepts **out, isg_config *cfg)
{
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	int rc;

	*out = NULL;
	o.path = isg_config_get(cfg, "ISSUESIGHT_CONCEPTS_FILE");
	if (!o.path || !*o.path)
		return SRV_EXIT_OK;
	rc = isg_concepts_new(out, &o);
	if (rc == ISG_OK)
		return SRV_EXIT_OK;
	srv_fail("issuesight bridge", "ISSUESIGHT_CONCEPTS_FILE", rc);
	return SRV_EXIT_CONFIG;
}

static int open_repo(isg_repo **out, const bridge_args *args, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	int rc;

	o.path_or_url = args->repo;
	o.cache_dir = args->cache_dir;
	o.force_rebuild = args->force;
	o.config = cfg;
	rc = isg_repo_open(out, &o);
	return rc == ISG_OK ? SRV_EXIT_OK
	                    : srv_fail("issuesight bridge", args->repo, rc);
}

int cli_bridge(int argc, char **argv, isg_config *cfg)
{
	isg_bridge_options opts = ISG_BRIDGE_OPTIONS_INIT;
	bridge_args args;
	isg_buf out = ISG_BUF_INIT, issue = ISG_BUF_INIT;
	isg_bridge *b = NULL;
	isg_concepts *cat = NULL;
	isg_repo *repo = NULL;
	int rc, json, ret;

	memset(&args, 0, sizeof(args));
	ret = cli_parse(&cli_bridge_spec, argc, argv, &args, NULL);
	if (ret != SRV_EXIT_OK)
		return ret == CLI_HELP_SHOWN ? SRV_EXIT_OK : ret;
	if (!args.repo || !args.issue_text == !args.issue_json) {
		fprintf(stderr, "issuesight bridge: %s\n",
		        !args.repo
		                ? "--repo is required"
		                : "give exactly one of --issue-text and --issue-json");
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
	if ((ret = load_concepts(&cat, cfg)) != SRV_EXIT_OK ||
	    (ret = open_repo(&repo, &args, cfg)) != SRV_EXIT_OK)
		goto done;
	opts.repo_handle = repo;
	opts.concepts = cat;
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
	isg_repo_free(repo);
	isg_concepts_free(cat);
	return ret;
}
