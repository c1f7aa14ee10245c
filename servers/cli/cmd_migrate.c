/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight migrate: apply the pending schema migrations to DATABASE_URL
 * (safe to run from several machines at once), or with --status only show
 * the applied and the latest version.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void migrate_usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight migrate [--status]\n\n"
	        "Applies the pending PostgreSQL schema migrations to "
	        "DATABASE_URL, each in its\nown transaction; concurrent runs "
	        "wait for each other (advisory lock).\n\n"
	        "  --status  print the applied and the latest schema "
	        "version; change nothing\n\n"
	        "exit codes: 0 done, 1 a migration failed or the schema was "
	        "edited,\n4 the database could not be reached.\n");
}

int cli_migrate(int argc, char **argv, isg_config *cfg)
{
	isg_store *st = NULL;
	int status_only = 0, before = 0, after = 0, rc, i;
	int exit_code = SRV_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			migrate_usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[i], "--status") == 0) {
			status_only = 1;
		} else {
			fprintf(stderr,
			        "issuesight migrate: unexpected argument "
			        "'%s'\n",
			        argv[i]);
			migrate_usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
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
