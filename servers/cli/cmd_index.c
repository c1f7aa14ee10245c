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

static void usage(FILE *f)
{
	fprintf(f, "usage: issuesight index [--cache-dir DIR] [--max-file-size "
	           "BYTES] [--force] DIR|URL\n\n"
	           "Builds the index of a repository (a local directory or a "
	           "git URL, cloned\nshallowly into the cache directory) or "
	           "reuses the cached one for the same\ncommit, then prints a "
	           "summary. The cache directory defaults to\n"
	           "ISSUESIGHT_CACHE_DIR.\n");
}

int cli_index(int argc, char **argv, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_buf cmd = ISG_BUF_INIT;
	isg_repo *repo = NULL;
	size_t i;
	int argi, rc;

	o.config = cfg;
	for (argi = 1; argi < argc; argi++) {
		if (strcmp(argv[argi], "--help") == 0 ||
		    strcmp(argv[argi], "-h") == 0) {
			usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[argi], "--cache-dir") == 0 &&
		           argi + 1 < argc) {
			o.cache_dir = argv[++argi];
		} else if (strcmp(argv[argi], "--max-file-size") == 0 &&
		           argi + 1 < argc) {
			char *end = NULL;
			unsigned long long v = strtoull(argv[++argi], &end, 10);

			if (!end || *end || v == 0) {
				fprintf(stderr,
				        "issuesight index: bad --max-file-size "
				        "'%s'\n",
				        argv[argi]);
				return SRV_EXIT_USAGE;
			}
			o.max_file_size = (size_t)v;
		} else if (strcmp(argv[argi], "--force") == 0) {
			o.force_rebuild = 1;
		} else if (argv[argi][0] == '-' || o.path_or_url) {
			fprintf(stderr,
			        "issuesight index: unexpected argument '%s'\n",
			        argv[argi]);
			usage(stderr);
			return SRV_EXIT_USAGE;
		} else {
			o.path_or_url = argv[argi];
		}
	}
	if (!o.path_or_url) {
		usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if (srv_isatty(2))
		o.progress = progress;
	rc = isg_repo_open(&repo, &o);
	if (rc != ISG_OK)
		return srv_fail("issuesight index", o.path_or_url, rc);
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
	isg_repo_free(repo);
	return SRV_EXIT_OK;
}
