/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight: the command line. A thin dispatcher over libissuesight: it
 * reads the configuration, installs JSON-lines logging and runs one
 * subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
	{ "bridge", "print the Context Bridge of an issue (offline engine)",
	  cli_bridge, 0 },
	{ "index", "build or reuse the index of a repository", cli_index, 0 },
	{ "locate", "rank the files an issue's fix is likely to change",
	  cli_locate, 0 },
	{ "concepts", "list, match or load the concept catalog", cli_concepts,
	  0 },
	{ "config", "print the resolved settings (secrets masked)", cli_config,
	  0 },
	{ "migrate", "apply the PostgreSQL schema migrations", cli_migrate, 0 },
	{ "sync", "archive a repository's issues and comments", cli_sync, 0 },
	{ "track", "mark a repository for polling by the collectors", cli_track,
	  0 },
	{ "users", "add users, print and revoke their API tokens", cli_users,
	  0 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: issuesight [--config FILE] <command> [options]\n"
	           "       issuesight --help | --version\n\n"
	           "Context Bridges for GitHub issues.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		        commands[i].summary);
	fprintf(f,
	        "\nRun 'issuesight <command> --help' for a command's "
	        "options.\nSettings come from the environment (DATABASE_URL, "
	        "REDIS_URL, MONGODB_URI, ...)\nand an optional file "
	        "(--config FILE or ISSUESIGHT_CONFIG); see "
	        "docs/configuration.md.\n\nexit codes: 0 success, 1 failure, "
	        "2 usage error, 3 configuration error,\n4 a backend could not "
	        "be reached.\n");
}

int main(int argc, char **argv)
{
	const char *config_file = NULL;
	const cli_command *cmd = NULL;
	isg_config *cfg = NULL;
	int argi = 1, rc;
	size_t i;

	while (argi < argc && argv[argi][0] == '-') {
		if (strcmp(argv[argi], "--help") == 0 ||
		    strcmp(argv[argi], "-h") == 0) {
			usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[argi], "--version") == 0) {
			printf("issuesight %s\n", isg_version());
			return SRV_EXIT_OK;
		} else if (strcmp(argv[argi], "--config") == 0 &&
		           argi + 1 < argc) {
			config_file = argv[argi + 1];
			argi += 2;
		} else {
			fprintf(stderr, "issuesight: unknown option '%s'\n",
			        argv[argi]);
			usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	if (argi >= argc) {
		usage(stderr);
		return SRV_EXIT_USAGE;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[argi], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "issuesight: unknown command '%s'\n",
		        argv[argi]);
		usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if (isg_global_init() != ISG_OK)
		return srv_fail("issuesight", "initialisation", ISG_ERROR);
	rc = srv_config_load(&cfg, config_file);
	if (rc == SRV_EXIT_OK)
		rc = cmd->run(argc - argi, argv + argi, cfg);
	isg_config_free(cfg);
	isg_global_shutdown();
	return rc;
}
