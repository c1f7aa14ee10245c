/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Path helpers for '/'-separated relative paths as a repository stores
 * them: base name, directory part, extension, stem and joining.
 */
#include <string.h>

#include "core_int.h"

const char *isg__path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

size_t isg__path_dirname_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

const char *isg__path_extension(const char *path)
{
	const char *base = isg__path_basename(path);
	const char *dot = strrchr(base, '.');

	return dot && dot != base ? dot : NULL;
}

size_t isg__path_stem_len(const char *path)
{
	const char *base = isg__path_basename(path);
	const char *dot = isg__path_extension(base);

	return dot ? (size_t)(dot - base) : strlen(base);
}

int isg__path_join(isg_buf *out, const char *dir, const char *name)
{
	size_t n = strlen(dir);

	isg__buf_clear(out);
	if (n && isg_buf_put(out, dir, n) != ISG_OK)
		return isg__error_oom("core");
	if (n && dir[n - 1] != '/' && isg__buf_putc(out, '/') != ISG_OK)
		return isg__error_oom("core");
	if (isg__buf_puts(out, name) != ISG_OK)
		return isg__error_oom("core");
	return ISG_OK;
}
