/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The commands of `issuesight`, in the order `issuesight --help` lists
 * them. Adding a command is one line here plus its file in meson.build:
 * CLI_COMMAND(name) for a command with an option table (cmd_<name>.c
 * defines `cli_<name>_spec` and `cli_<name>()`), CLI_RAW_COMMAND(name,
 * summary) for one that parses its own arguments (only `cli_<name>()`).
 * No include guard: cli.h and cli_main.c include it with their own macros.
 */
CLI_COMMAND(bridge)
CLI_COMMAND(locate)
CLI_COMMAND(index)
CLI_COMMAND(cache)
CLI_COMMAND(concepts)
CLI_COMMAND(config)
CLI_COMMAND(migrate)
CLI_COMMAND(sync)
CLI_COMMAND(track)
CLI_RAW_COMMAND(users, "add users, print and revoke their API tokens")
