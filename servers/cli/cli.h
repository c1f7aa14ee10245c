/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `issuesight` command: one function per subcommand. Each receives its
 * own argv (argv[0] is the subcommand name) and the loaded configuration,
 * and returns an SRV_EXIT_* code.
 */
#ifndef ISSUESIGHT_CLI_H
#define ISSUESIGHT_CLI_H

#include "srv_common.h"

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv, isg_config *cfg);
	/* Non-zero: the command needs no configuration validation beyond
	 * defaults (help, version). */
	int no_config;
} cli_command;

int cli_bridge(int argc, char **argv, isg_config *cfg);
int cli_concepts(int argc, char **argv, isg_config *cfg);
int cli_config(int argc, char **argv, isg_config *cfg);
int cli_index(int argc, char **argv, isg_config *cfg);
int cli_locate(int argc, char **argv, isg_config *cfg);
int cli_migrate(int argc, char **argv, isg_config *cfg);
int cli_sync(int argc, char **argv, isg_config *cfg);
int cli_track(int argc, char **argv, isg_config *cfg);
int cli_users(int argc, char **argv, isg_config *cfg);
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

#endif /* ISSUESIGHT_CLI_H */
