/* SPDX-License-Identifier: Apache-2.0 */
/* issuesight config: print every setting with its source, secrets masked. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_config(int argc, char **argv, isg_config *cfg)
{
	isg_buf out = ISG_BUF_INIT;
	int rc;

	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: issuesight config\n\nPrints every setting as "
		       "KEY=value # source, where source is default, file,\n"
		       "env or set. Secrets print as ***.\n");
		return SRV_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "issuesight config: unexpected argument '%s'\n",
		        argv[1]);
		return SRV_EXIT_USAGE;
	}
	rc = isg_config_dump(&out, cfg);
	if (rc != ISG_OK)
		return srv_fail("issuesight config", "dump", rc);
	fwrite(out.ptr, 1, out.size, stdout);
	isg_buf_dispose(&out);
	return SRV_EXIT_OK;
}
