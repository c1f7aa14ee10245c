/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight cache [show|clean]: how much the cache of clones and indexes
 * holds, and trimming it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define PROG "issuesight cache"

typedef struct cache_args {
	const char *cache_dir;
	long long keep;
	const char *action[1];
} cache_args;

static const cli_opt cache_opts[] = {
	CLI_OPT_STR("cache-dir", "DIR", cache_args, cache_dir,
	            "the cache directory (else ISSUESIGHT_CACHE_DIR)"),
	CLI_OPT_NUM("keep", "BYTES", cache_args, keep, 0, 1125899906842624LL,
	            "0",
	            "clean: keep the most recently used entries up to\\n"
	            "this size"),
};

const cli_spec cli_cache_spec = {
	.name = "cache",
	.summary =
	        "show the size of the cache of clones and indexes, or clean it",
	.synopsis = "[show|clean] [--cache-dir DIR] [--keep BYTES]",
	.description =
	        "show (the default) prints the size of the cache and how many clones and\\nindexes it holds. clean removes what interrupted runs left, then the\\nleast recently used clones and indexes beyond --keep bytes (all of them\\nby default). Past ISSUESIGHT_CACHE_MAX_BYTES the cache is trimmed after\\nevery open anyway.",
	.opts = cache_opts,
	.nopts = sizeof(cache_opts) / sizeof(cache_opts[0]),
	.pos_offset = offsetof(cache_args, action),
	.pos_min = 0,
	.pos_max = 1,
	.pos_name = "show|clean",
};

int cli_cache(int argc, char **argv, isg_config *cfg)
{
	cache_args args;
	isg_cache_info info;
	const char *dir;
	int rc;

	memset(&args, 0, sizeof(args));
	rc = cli_parse(&cli_cache_spec, argc, argv, &args, NULL);
	if (rc != SRV_EXIT_OK)
		return rc == CLI_HELP_SHOWN ? SRV_EXIT_OK : rc;
	dir = args.cache_dir ? args.cache_dir
	                     : isg_config_get(cfg, "ISSUESIGHT_CACHE_DIR");
	if (args.action[0] && strcmp(args.action[0], "show") &&
	    strcmp(args.action[0], "clean")) {
		fprintf(stderr, PROG ": '%s' is not show or clean\n",
		        args.action[0]);
		return SRV_EXIT_USAGE;
	}
	if (args.action[0] && strcmp(args.action[0], "clean") == 0) {
		rc = isg_cache_clean(&info, dir, (uint64_t)args.keep);
		if (rc != ISG_OK)
			return srv_fail(PROG, dir, rc);
		printf("removed %zu clones and %zu indexes, %llu bytes\n",
		       info.clones, info.indexes,
		       (unsigned long long)info.bytes);
	}
	rc = isg_cache_usage(&info, dir);
	if (rc != ISG_OK)
		return srv_fail(PROG, dir, rc);
	printf("%s: %llu bytes, %zu clones, %zu indexes\n", dir,
	       (unsigned long long)info.bytes, info.clones, info.indexes);
	return cli_finish_output(PROG);
}
