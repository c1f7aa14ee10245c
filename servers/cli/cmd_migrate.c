/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight migrate: apply the pending schema migrations to DATABASE_URL
 * (safe to run from several machines at once), or with --status only show
 * the applied and the latest version.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct migrate_args {
	int status;
} migrate_args;

static const cli_opt migrate_opts[] = {
	CLI_OPT_FLAG("status", migrate_args, status,
	             "print the applied and the latest schema version;\n"
	             "change nothing"),
};

const cli_spec cli_migrate_spec = {
	.name = "migrate",
	.summary = "apply the PostgreSQL schema migrations",
	.synopsis = "[--status]",
	.description =
	        "Applies the pending PostgreSQL schema migrations to DATABASE_URL, each in its\nown transaction; concurrent runs wait for each other (advisory lock).",
	.opts = migrate_opts,
	.nopts = sizeof(migrate_opts) / sizeof(migrate_opts[0]),
	.epilog =
	        "exit codes: 0 done, 1 a migration failed or the schema was edited,\n3 configuration, 4 the database could not be reached.",
};

int cli_migrate(int argc, char **argv, isg_config *cfg)
{
	isg_store *st = NULL;
	migrate_args args;
	int status_only, before = 0, after = 0, rc;
	int exit_code = SRV_EXIT_OK;

	memset(&args, 0, sizeof(args));
	rc = cli_parse(&cli_migrate_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	status_only = args.status;
	rc = isg_store_new_from_config(&st, cfg);
	if (rc != ISG_OK) {
		exit_code = srv_fail("issuesight migrate", "store", rc);
		goto done;
	}
	rc = isg_store_schema_version(&before, st);
	if (rc != ISG_OK) {
		exit_code =
		        srv_fail("issuesight migrate", "schema version", rc);
		goto done;
	}
	if (status_only) {
		printf("schema version %d (latest %d, %d pending)\n", before,
		       isg_store_schema_latest(),
		       before < isg_store_schema_latest()
		               ? isg_store_schema_latest() - before
		               : 0);
		goto done;
	}
	rc = isg_store_migrate(&after, st);
	if (rc != ISG_OK) {
		exit_code = srv_fail("issuesight migrate", "migrate", rc);
		goto done;
	}
	if (after == before)
		printf("schema version %d: up to date\n", after);
	else
		printf("schema version %d (was %d; applied %d migration%s)\n",
		       after, before, after - before,
		       after - before == 1 ? "" : "s");
done:
	isg_store_free(st);
	return exit_code;
}
