/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: measure and trim the cache of clones and indexes.
 *
 * Prints what a cache directory holds, then trims it to 1 GiB (the least
 * recently used clones and indexes go first).
 *
 *   cc cache_report.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *base = getenv("ISG_EXAMPLE_TMPDIR");
	char dir[512];
	isg_cache_info used, freed;

	snprintf(dir, sizeof(dir), "%s/example-cache", base ? base : "/tmp");
	if (isg_cache_usage(&used, dir) != ISG_OK) {
		fprintf(stderr, "usage: %s\n", isg_error_last()->message);
		return 1;
	}
	printf("%s: %llu bytes, %zu clones, %zu indexes\n", dir,
	       (unsigned long long)used.bytes, used.clones, used.indexes);
	if (isg_cache_clean(&freed, dir, (uint64_t)1 << 30) != ISG_OK) {
		fprintf(stderr, "clean: %s\n", isg_error_last()->message);
		return 1;
	}
	printf("freed %llu bytes\n", (unsigned long long)freed.bytes);
	return 0;
}
