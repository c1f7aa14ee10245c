/* SPDX-License-Identifier: Apache-2.0 */
/* issuesight config: print every setting with its source, secrets masked. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct config_args {
	int unused;
} config_args;

const cli_spec cli_config_spec = {
	.name = "config",
	.summary = "print the resolved settings (secrets masked)",
	.synopsis = "",
	.description =
	        "Prints every setting as KEY=value # source, where source is default, file,\nenv or set. Secrets print as ***.",
};

int cli_config(int argc, char **argv, isg_config *cfg)
{
	isg_buf out = ISG_BUF_INIT;
	config_args args;
	int rc;

	rc = cli_parse(&cli_config_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	rc = isg_config_dump(&out, cfg);
	if (rc != ISG_OK)
		return srv_fail("issuesight config", "dump", rc);
	fwrite(out.ptr, 1, out.size, stdout);
	isg_buf_dispose(&out);
	return cli_finish_output("issuesight config");
}
