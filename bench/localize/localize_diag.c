/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Failure analysis for the benchmark: why a gold file did not reach the
 * top of the change list. The checks look at the issue text the way a
 * person would (is the file's path, module or file name written in it?
 * does it name something the file defines?) and then at what the locate
 * API extracted and indexed, so that each miss lands in one category the
 * method can be improved on.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <issuesight/error.h>
#include <issuesight/locate.h>
#include <issuesight/repo.h>

#include "localize_int.h"

const char *const lb_miss_name[LB_MISS_COUNT] = {
	"file created by the fix (absent at the base commit)",
	"not indexed",
	"not a source file (demoted to the read list)",
	"path/module written in the issue, mention not extracted",
	"path/module mention extracted, file still ranked low",
	"issue names a definition of the file, mention not extracted",
	"definition mention extracted, file still ranked low",
	"neither path nor any definition named in the issue",
};

/* 1 when some extracted mention names `form` (either contains the
 * other, ignoring a trailing ".py" and case). */
static int mention_has(const isg_locate_result *r, const char *form)
{
	size_t i, n = isg_locate_result_mention_count(r);

	for (i = 0; i < n; i++) {
		const char *m = isg_locate_result_mention(r, i);

		if (m && strlen(m) >= 3 &&
		    (lb_contains_word(m, strlen(m), form) ||
		     lb_contains_word(form, strlen(form), m)))
			return 1;
	}
	return 0;
}

/* The ways an issue may write a file's name: the path, the dotted module
 * (without a leading src/ or lib/, `__init__` naming the package) and the
 * file name with its extension. */
static void copy_form(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n > 511)
		n = 511;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static size_t path_forms(char forms[3][512], const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t nf = 0, i, n;
	char *m;

	copy_form(forms[nf++], path);
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (strncmp(path, "src/", 4) == 0 || strncmp(path, "lib/", 4) == 0)
		path += 4;
	if (dot && strcmp(dot, ".py") == 0 && strchr(path, '/')) {
		m = forms[nf];
		n = (size_t)(dot - path);
		if (n < 512) {
			memcpy(m, path, n);
			m[n] = '\0';
			for (i = 0; i < n; i++)
				if (m[i] == '/')
					m[i] = '.';
			n = strlen(m);
			if (n > 9 && strcmp(m + n - 9, ".__init__") == 0)
				m[n - 9] = '\0';
			if (strchr(m, '.'))
				nf++;
		}
	}
	if (strcmp(base, "__init__.py") != 0 && base != path)
		copy_form(forms[nf++], base);
	return nf;
}

static size_t read_rank(const isg_locate_result *r, const char *gold)
{
	size_t i, n = isg_locate_result_count(r, ISG_LOCATE_READ);

	for (i = 0; i < n; i++) {
		const char *p = isg_locate_result_path(r, ISG_LOCATE_READ, i);

		if (p && strcmp(p, gold) == 0)
			return i + 1;
	}
	return 0;
}

lb_miss lb_diagnose(const struct isg_repo *repo,
                    const struct isg_locate_result *result, const char *text,
                    size_t len, const char *gold, char *detail,
                    size_t detail_len)
{
	char forms[3][512], names[256] = "", full[4096];
	struct stat st;
	const char *role;
	size_t fi, nf, i, ndef, named = 0;
	int extracted = 0;

	detail[0] = '\0';
	snprintf(full, sizeof(full), "%s/%s", isg_repo_root(repo), gold);
	if (stat(full, &st) != 0) {
		snprintf(detail, detail_len, "no %s at the base commit", gold);
		return LB_MISS_NEW_FILE;
	}
	if (isg_repo_file_find(&fi, repo, gold) != ISG_OK) {
		snprintf(detail, detail_len, "index holds %zu files",
		         isg_repo_file_count(repo));
		return LB_MISS_NOT_INDEXED;
	}
	role = isg_repo_file_role(repo, fi);
	if (role && strcmp(role, "source") != 0) {
		snprintf(detail, detail_len, "role %s, read-list rank %zu",
		         role, read_rank(result, gold));
		return LB_MISS_NOT_SOURCE;
	}
	nf = path_forms(forms, gold);
	for (i = 0; i < nf; i++) {
		if (!lb_contains_word(text, len, forms[i]))
			continue;
		snprintf(detail, detail_len, "`%s` in the issue", forms[i]);
		return mention_has(result, forms[i])
		               ? LB_MISS_PATH_RANKED_LOW
		               : LB_MISS_PATH_NOT_EXTRACTED;
	}
	ndef = isg_repo_file_def_count(repo, fi);
	for (i = 0; i < ndef; i++) {
		isg_repo_def d;
		size_t nl;

		if (isg_repo_file_def(&d, repo, fi, i) != ISG_OK || !d.name)
			continue;
		nl = strlen(d.name);
		/* Short and dunder names match too much text to mean much. */
		if (nl < 4 || strncmp(d.name, "__", 2) == 0 ||
		    !lb_contains_word(text, len, d.name))
			continue;
		if (strstr(names, d.name))
			continue;
		if (named < 3) {
			size_t used = strlen(names);

			snprintf(names + used, sizeof(names) - used,
			         "%s`%s` (%s)", named ? ", " : "", d.name,
			         d.kind ? d.kind : "?");
		}
		named++;
		if (mention_has(result, d.name))
			extracted = 1;
	}
	if (named) {
		snprintf(detail, detail_len, "defines %s%s", names,
		         named > 3 ? " ..." : "");
		return extracted ? LB_MISS_DEF_RANKED_LOW
		                 : LB_MISS_DEF_NOT_EXTRACTED;
	}
	snprintf(detail, detail_len, "%zu definitions, none named", ndef);
	return LB_MISS_NOT_MENTIONED;
}
