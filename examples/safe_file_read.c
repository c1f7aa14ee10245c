/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: reading files of a tree nobody checked, safely.
 *
 * Builds a small "repository" whose CONTRIBUTING.md is a symlink to a file
 * outside it, then reads its files with isg_file_read_in_tree(): the file
 * inside is read, the link out is refused, a size cap is enforced.
 *
 *   cc safe_file_read.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void show(const char *root, const char *rel, size_t cap, unsigned flags)
{
	isg_buf text = ISG_BUF_INIT;
	int rc = isg_file_read_in_tree(&text, root, rel, cap, flags);

	if (rc == ISG_OK)
		printf("%-16s %zu bytes: %.11s\n", rel, text.size, text.ptr);
	else
		printf("%-16s %s: %s\n", rel, isg_status_name(rc),
		       isg_error_last()->message);
	isg_buf_dispose(&text);
}

int main(void)
{
	const char *base = getenv("ISG_EXAMPLE_TMPDIR");
	char top[512], tree[600], path[700];

	snprintf(top, sizeof(top), "%s/safe_file_read_XXXXXX",
	         base ? base : "/tmp");
	if (!mkdtemp(top))
		return 1;
	snprintf(tree, sizeof(tree), "%s/repo", top);
	snprintf(path, sizeof(path), "%s/secret", top);
	if (mkdir(tree, 0700) != 0 || write_text(path, "s3cret\n") != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/README.md", tree);
	if (write_text(path, "# A project\nRun `make test`.\n") != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/CONTRIBUTING.md", tree);
	if (symlink("../secret", path) != 0)
		return 1;

	show(tree, "README.md", 0, 0);                 /* read */
	show(tree, "CONTRIBUTING.md", 0, 0);           /* ISG_EFORBIDDEN */
	show(tree, "../secret", 0, 0);                 /* ISG_EINVALID */
	show(tree, "README.md", 8, 0);                 /* ISG_ETOOBIG */
	show(tree, "README.md", 8, ISG_FILE_TRUNCATE); /* first 8 bytes */

	snprintf(path, sizeof(path), "%s/CONTRIBUTING.md", tree);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README.md", tree);
	unlink(path);
	rmdir(tree);
	snprintf(path, sizeof(path), "%s/secret", top);
	unlink(path);
	rmdir(top);
	return 0;
}
