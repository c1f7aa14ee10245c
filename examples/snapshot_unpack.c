/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: unpack a repository snapshot safely.
 *
 * Makes a small .tar.gz with a top folder (as GitHub's tarball endpoint
 * does) using the system's tar, in ISG_EXAMPLE_TMPDIR (else /tmp), and
 * unpacks it with the top folder stripped.
 *
 *   cc snapshot_unpack.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *base = getenv("ISG_EXAMPLE_TMPDIR");
	isg_snapshot_stats st;
	char dir[512], cmd[2048], tgz[600], out[600];
	FILE *f;
	int rc;

	snprintf(dir, sizeof(dir), "%s/snapshot_example", base ? base : "/tmp");
	snprintf(tgz, sizeof(tgz), "%s/repo.tar.gz", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(cmd, sizeof(cmd), "%s/octo-hello-abc123", dir);
	mkdir(dir, 0755);
	mkdir(cmd, 0755);
	mkdir(out, 0755);
	snprintf(cmd, sizeof(cmd), "%s/octo-hello-abc123/README.md", dir);
	if (!(f = fopen(cmd, "w")))
		return 1;
	fputs("# hello\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "tar -czf '%s' -C '%s' octo-hello-abc123",
	         tgz, dir);
	if (system(cmd) != 0) {
		printf("skipped: no tar command\n");
		return 0;
	}
	rc = isg_snapshot_unpack(&st, tgz, out, NULL);
	if (rc != ISG_OK) {
		fprintf(stderr, "unpack: %s\n", isg_error_last()->message);
		return 1;
	}
	printf("unpacked %lld file(s), %lld bytes, %lld link(s) skipped into %s\n",
	       st.files, st.bytes, st.skipped_links, out);
	return st.files == 1 ? 0 : 1;
}
