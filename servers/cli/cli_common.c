/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces several subcommands share: the OWNER/REPO argument, opening the
 * migrated archive, reading an input file and finishing the output. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_split_repo(const char *arg, char *owner, char *repo, size_t n)
{
	const char *slash = arg ? strchr(arg, '/') : NULL;

	if (!slash || slash == arg || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - arg) >= n || strlen(slash + 1) >= n)
		return -1;
	snprintf(owner, n, "%.*s", (int)(slash - arg), arg);
	snprintf(repo, n, "%s", slash + 1);
	return 0;
}

int cli_repo_arg(const char *prog, const char *target, char *owner, char *repo,
                 size_t n)
{
	if (target && cli_split_repo(target, owner, repo, n) == 0)
		return SRV_EXIT_OK;
	fprintf(stderr, "%s: expected OWNER/REPO, got '%s'\n", prog,
	        target ? target : "");
	return SRV_EXIT_USAGE;
}

int cli_store_open(isg_store **out, const char *prog, isg_config *cfg)
{
	int rc;

	*out = NULL;
	if ((rc = isg_store_new_from_config(out, cfg)) != ISG_OK ||
	    (rc = isg_store_migrate(NULL, *out)) != ISG_OK) {
		isg_store_free(*out);
		*out = NULL;
		return srv_fail(prog, "PostgreSQL", rc);
	}
	return SRV_EXIT_OK;
}

int cli_read_input(isg_buf *out, const char *prog, const char *path, size_t max)
{
	int rc;

	if (strcmp(path, "-") == 0)
		rc = isg_file_read_fd(out, 0, "standard input", max, 0);
	else
		rc = isg_file_read(out, path, max, 0);
	if (rc == ISG_OK)
		return SRV_EXIT_OK;
	return srv_fail(prog, path, rc);
}

int cli_finish_output(const char *prog)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return SRV_EXIT_OK;
	fprintf(stderr, "%s: cannot write the output: %s\n", prog,
	        strerror(errno));
	return SRV_EXIT_FAILURE;
}
