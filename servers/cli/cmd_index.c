/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight index DIR|URL: build (or reuse) the index of a repository,
 * with a progress bar on a terminal, then print a summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int progress(const char *phase, size_t done, size_t total, void *payload)
{
	(void)payload;
	if (strcmp(phase, "index") == 0 && total) {
		int width = 40,
		    fill = (int)((double)done / (double)total * width);

		fprintf(stderr, "\rindexing [%.*s%*s] %zu/%zu files", fill,
		        "########################################",
		        width - fill, "", done, total);
		if (done == total)
			fputc('\n', stderr);
	} else if (strcmp(phase, "scan") == 0) {
		fprintf(stderr, "\rscanning: %zu files", done);
	} else if (strcmp(phase, "clone") == 0) {
		fprintf(stderr, "cloning...\n");
	}
	fflush(stderr);
	return 0;
}

typedef struct index_args {
	const char *cache_dir;
	long long max_file_size;
	int force;
	const char *target[1];
} index_args;

static const cli_opt index_opts[] = {
	CLI_OPT_STR(
	        "cache-dir", "DIR", index_args, cache_dir,
	        "where indexes and clones live (else ISSUESIGHT_CACHE_DIR)"),
	CLI_OPT_NUM("max-file-size", "BYTES", index_args, max_file_size, 1,
	            (long long)1 << 30, NULL,
	            "skip files larger than this (else\n"
	            "ISSUESIGHT_MAX_FILE_SIZE)"),
	CLI_OPT_FLAG("force", index_args, force,
	             "rebuild even when a current index exists"),
};

const cli_spec cli_index_spec = {
	.name = "index",
	.summary = "build or reuse the index of a repository",
	.synopsis = "[options] DIR|URL",
	.description =
	        "Builds the index of a repository (a local directory or a git URL, cloned\nshallowly into the cache directory) or reuses the cached one for the same\ncommit, then prints a summary.",
	.opts = index_opts,
	.nopts = sizeof(index_opts) / sizeof(index_opts[0]),
	.pos_offset = offsetof(index_args, target),
	.pos_min = 1,
	.pos_max = 1,
	.pos_name = "DIR|URL",
};

static void print_summary(isg_repo *repo)
{
	isg_buf cmd = ISG_BUF_INIT;
	size_t i;

	printf("repository: %s\n", isg_repo_root(repo));
	printf("commit:     %s\n", isg_repo_commit(repo));
	printf("files:      %zu\n", isg_repo_file_count(repo));
	printf("definitions: %zu\n", isg_repo_definition_count(repo));
	printf("languages: ");
	for (i = 0; i < isg_repo_language_count(repo) && i < 8; i++)
		printf(" %s (%zu)", isg_repo_language_name(repo, i),
		       isg_repo_language_files(repo, i));
	printf("\n");
	if (isg_repo_test_command(&cmd, repo) == ISG_OK)
		printf("test command: %s (from %s)\n", cmd.ptr,
		       isg_repo_test_command_origin(repo));
	for (i = 0; i < isg_repo_contributing_count(repo); i++)
		printf("contributing: %s\n",
		       isg_repo_contributing_path(repo, i));
	printf("index:      %s (%s)\n", isg_repo_index_path(repo),
	       isg_repo_index_reused(repo) ? "reused" : "built");
	printf("seconds:    %.2f\n", isg_repo_index_seconds(repo));
	isg_buf_dispose(&cmd);
}

int cli_index(int argc, char **argv, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *repo = NULL;
	index_args args;
	int rc;

	memset(&args, 0, sizeof(args));
	rc = cli_parse(&cli_index_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	o.config = cfg;
	o.path_or_url = args.target[0];
	o.cache_dir = args.cache_dir;
	o.max_file_size = (size_t)args.max_file_size;
	o.force_rebuild = args.force;
	if (srv_isatty(2))
		o.progress = progress;
	rc = isg_repo_open(&repo, &o);
	if (rc != ISG_OK)
		return srv_fail("issuesight index", o.path_or_url, rc);
	print_summary(repo);
	isg_repo_free(repo);
	return cli_finish_output("issuesight index");
}
