/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight locate --repo DIR --issue-text FILE [--top K] [--json]:
 * rank the files a fix for the issue is likely to change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight locate --repo DIR|URL --issue-text FILE "
	        "[--top K] [--json]\n                         [--cache-dir "
	        "DIR]\n\n"
	        "Ranks the files a fix for the issue (title and body in "
	        "FILE, '-' for stdin)\nis likely to change, with the reasons "
	        "and symbols behind each, then the tests,\ndocs and examples "
	        "to read, and the definitions a fix most likely edits "
	        "(path:Class.method).\n--json prints the files to change "
	        "and the definitions as\n"
	        "{\"files\": [{\"path\", \"score\", \"reasons\", "
	        "\"symbols\": [{\"name\", \"line\"}]}],\n"
	        " \"definitions\": [{\"name\", \"path\", \"kind\", "
	        "\"line\", \"score\"}]}.\n");
}

static int read_all(isg_buf *out, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (isg_buf_put(out, chunk, n) != ISG_OK)
			break;
	if (f != stdin)
		fclose(f);
	if (!out->ptr)
		isg_buf_set(out, "", 0);
	return 0;
}

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

int cli_locate(int argc, char **argv, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *res = NULL;
	isg_buf text = ISG_BUF_INIT, json = ISG_BUF_INIT;
	const char *issue = NULL;
	isg_repo *repo = NULL;
	int argi, as_json = 0, rc, exit_code = SRV_EXIT_OK;

	o.config = cfg;
	for (argi = 1; argi < argc; argi++) {
		const char *a = argv[argi];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(a, "--repo") == 0 && argi + 1 < argc) {
			o.path_or_url = argv[++argi];
		} else if (strcmp(a, "--issue-text") == 0 && argi + 1 < argc) {
			issue = argv[++argi];
		} else if (strcmp(a, "--cache-dir") == 0 && argi + 1 < argc) {
			o.cache_dir = argv[++argi];
		} else if (strcmp(a, "--top") == 0 && argi + 1 < argc) {
			char *end = NULL;
			long v = strtol(argv[++argi], &end, 10);

			if (!end || *end || v < 1 || v > 1000) {
				fprintf(stderr,
				        "issuesight locate: bad --top '%s' "
				        "(1..1000)\n",
				        argv[argi]);
				return SRV_EXIT_USAGE;
			}
			lo.top_k = (size_t)v;
		} else if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else {
			fprintf(stderr,
			        "issuesight locate: unexpected argument "
			        "'%s'\n",
			        a);
			usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	if (!o.path_or_url || !issue) {
		usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if (read_all(&text, issue) != 0) {
		fprintf(stderr, "issuesight locate: cannot read '%s'\n", issue);
		return SRV_EXIT_USAGE;
	}
	rc = isg_repo_open(&repo, &o);
	if (rc != ISG_OK) {
		exit_code = srv_fail("issuesight locate", o.path_or_url, rc);
		goto done;
	}
	rc = isg_locate(&res, repo, text.ptr, text.size, &lo);
	if (rc != ISG_OK) {
		exit_code = srv_fail("issuesight locate", issue, rc);
		goto done;
	}
	if (as_json) {
		rc = isg_locate_result_json(&json, res);
		if (rc != ISG_OK) {
			exit_code = srv_fail("issuesight locate", "json", rc);
			goto done;
		}
		printf("%s\n", json.ptr);
	} else {
		printf("files to change:\n");
		print_list(res, ISG_LOCATE_CHANGE);
		printf("\nread these first (tests, docs, examples):\n");
		print_list(res, ISG_LOCATE_READ);
		printf("\ndefinitions to open:\n");
		print_definitions(res);
	}
done:
	isg_locate_result_free(res);
	isg_repo_free(repo);
	isg_buf_dispose(&text);
	isg_buf_dispose(&json);
	return exit_code;
}
