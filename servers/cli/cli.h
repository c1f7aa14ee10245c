/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `issuesight` command: one function per subcommand. Each receives its
 * own argv (argv[0] is the subcommand name) and the loaded configuration,
 * and returns an SRV_EXIT_* code. The list of commands is cli_commands.h;
 * options come from each command's table (cli_options.h).
 */
#ifndef ISSUESIGHT_CLI_H
#define ISSUESIGHT_CLI_H

#include <stddef.h>

#include "cli_options.h"
#include "srv_common.h"

typedef int (*cli_run_fn)(int argc, char **argv, isg_config *cfg);

typedef struct cli_command {
	const char *name;
	const char *summary;
	cli_run_fn run;
	/* The option table; NULL for a command that parses its own. */
	const cli_spec *spec;
} cli_command;

#define CLI_COMMAND(n)                        \
	extern const cli_spec cli_##n##_spec; \
	int cli_##n(int argc, char **argv, isg_config *cfg);
#define CLI_RAW_COMMAND(n, summary) \
	int cli_##n(int argc, char **argv, isg_config *cfg);
#include "cli_commands.h"
#undef CLI_COMMAND
#undef CLI_RAW_COMMAND

/* Splits "owner/repo"; 0, or -1 when malformed (cli_common.c). */
int cli_split_repo(const char *arg, char *owner, char *repo, size_t n);
/* The OWNER/REPO argument of `prog`: SRV_EXIT_OK, or SRV_EXIT_USAGE after
 * saying what was wrong. */
int cli_repo_arg(const char *prog, const char *target, char *owner, char *repo,
                 size_t n);
/* Opens the archive from the configuration and applies pending
 * migrations: SRV_EXIT_OK, or the exit code after reporting the error
 * (*out is NULL then). */
int cli_store_open(isg_store **out, const char *prog, isg_config *cfg);
/* Reads an input file the user named ('-' for standard input) up to
 * `max` bytes with the safe reader: SRV_EXIT_OK, or the exit code after
 * reporting the error. */
int cli_read_input(isg_buf *out, const char *prog, const char *path,
                   size_t max);
/* Flushes stdout: SRV_EXIT_OK, or SRV_EXIT_FAILURE after saying that the
 * output could not be written (a full disk, a closed pipe). */
int cli_finish_output(const char *prog);

#endif /* ISSUESIGHT_CLI_H */
