/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tree: whole directory trees on disk: their size and their removal,
 * never following a symbolic link (nftw with FTW_PHYS).
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700 /* nftw() */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"

/* nftw's callbacks take no payload: the running sum is per thread. */
static _Thread_local long long tree_sum;

static int add_size(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F && sb->st_size > 0 &&
	    tree_sum <= INT64_MAX - sb->st_size)
		tree_sum += sb->st_size;
	return 0;
}

int isg__tree_size(const char *path, long long *out)
{
	int rc;

	tree_sum = 0;
	rc = nftw(path, add_size, 16, FTW_PHYS);
	*out = tree_sum;
	return rc == 0 ? ISG_OK : ISG_EIO;
}

static int remove_one(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Makes every directory writable and searchable first (an archive may
 * hold read-only ones), as a pre-order pass. */
static int open_up(const char *path, const struct stat *sb, int flag,
                   struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && (sb->st_mode & 0700) != 0700)
		chmod(path, (sb->st_mode & 07777) | 0700);
	return 0;
}

int isg__tree_remove(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? ISG_OK : ISG_EIO;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? ISG_OK : ISG_EIO;
	nftw(path, open_up, 16, FTW_PHYS);
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return lstat(path, &st) != 0 && errno == ENOENT ? ISG_OK : ISG_EIO;
}
