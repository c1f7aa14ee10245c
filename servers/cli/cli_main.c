/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight: the command line. A thin dispatcher over libissuesight: it
 * parses the global options, checks the command's own options against its
 * table, reads the configuration, installs JSON-lines logging and runs the
 * command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CLI_COMMAND(n) { #n, NULL, cli_##n, &cli_##n##_spec },
#define CLI_RAW_COMMAND(n, summary) { #n, summary, cli_##n, NULL },
static const cli_command commands[] = {
#include "cli_commands.h"
};
#undef CLI_COMMAND
#undef CLI_RAW_COMMAND

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

typedef struct global_args {
	const char *config;
	int version;
} global_args;

static const cli_opt global_opts[] = {
	CLI_OPT_STR("config", "FILE", global_args, config,
	            "read settings from FILE too (else ISSUESIGHT_CONFIG)"),
	CLI_OPT_FLAG("version", global_args, version,
	             "print the version and exit"),
};

static void commands_help(FILE *f);

static const cli_spec global_spec = {
	.name = "",
	.synopsis = "[--config FILE] <command> [options]\n"
	            "       issuesight help [<command>] | --help | --version",
	.description = "Context Bridges for GitHub issues.",
	.opts = global_opts,
	.nopts = sizeof(global_opts) / sizeof(global_opts[0]),
	.epilog =
	        "Run 'issuesight help <command>' for a command's options.\n"
	        "Settings come from the environment (DATABASE_URL, REDIS_URL, MONGODB_URI, ...)\nand an optional file (--config FILE or ISSUESIGHT_CONFIG); see docs/configuration.md.\n\nexit codes: 0 success, 1 failure, 2 usage error, 3 configuration error,\n4 a backend could not be reached.",
	.stop_at_positional = 1,
	.extra_help = commands_help,
};

static const char *summary_of(const cli_command *c)
{
	return c->spec ? c->spec->summary : c->summary;
}

static void commands_help(FILE *f)
{
	size_t i;

	fprintf(f, "\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		        summary_of(&commands[i]));
	fprintf(f, "  %-10s %s\n", "help", "print the help of a command");
}

static void usage(FILE *f)
{
	cli_help(&global_spec, f);
}

static const cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr,
	        "issuesight: unknown command '%s'\nRun 'issuesight help' for the list of commands.\n",
	        name);
	return SRV_EXIT_USAGE;
}

/* `issuesight help [COMMAND]`. */
static int run_help(int argc, char **argv)
{
	const cli_command *cmd;

	if (argc < 2) {
		usage(stdout);
		return SRV_EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "issuesight help: unexpected argument '%s'\n",
		        argv[2]);
		return SRV_EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	if (cmd->spec)
		cli_help(cmd->spec, stdout);
	else
		printf("issuesight %s: %s\nRun 'issuesight %s --help' for its options.\n",
		       cmd->name, cmd->summary, cmd->name);
	return SRV_EXIT_OK;
}

int main(int argc, char **argv)
{
	global_args g = { NULL, 0 };
	const cli_command *cmd;
	isg_config *cfg = NULL;
	int argi = argc, rc;

	rc = cli_parse(&global_spec, argc, argv, &g, &argi);
	if (rc == CLI_HELP_SHOWN)
		return SRV_EXIT_OK;
	if (rc != SRV_EXIT_OK)
		return rc;
	if (g.version) {
		printf("issuesight %s\n", isg_global_version());
		return SRV_EXIT_OK;
	}
	if (argi >= argc) {
		usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if (strcmp(argv[argi], "help") == 0)
		return run_help(argc - argi, argv + argi);
	cmd = find_command(argv[argi]);
	if (!cmd)
		return unknown_command(argv[argi]);
	/* The command line is checked before the configuration is read, so
	 * that --help and usage errors do not depend on the settings. */
	if (cmd->spec) {
		rc = cli_parse(cmd->spec, argc - argi, argv + argi, NULL, NULL);
		if (rc == CLI_HELP_SHOWN)
			return cli_finish_output("issuesight");
		if (rc != SRV_EXIT_OK)
			return rc;
	}
	if (isg_global_init() != ISG_OK)
		return srv_fail("issuesight", "initialisation", ISG_ERROR);
	rc = srv_config_load(&cfg, g.config);
	if (rc == SRV_EXIT_OK)
		rc = cmd->run(argc - argi, argv + argi, cfg);
	isg_config_free(cfg);
	isg_global_shutdown();
	return rc;
}
