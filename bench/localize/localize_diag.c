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
	"only a directory or file stem of its path named in the issue",
	"its text uses an extracted identifier it does not define",
	"nothing of it named in the issue",
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

/* The most specific part of `gold`'s path written in the issue as a
 * word: its stem (not `__init__`), then an enclosing package as a dotted
 * name (`sphinx.ext.autodoc`), then a directory from the deepest up (not
 * the top-level package). */
static int component_named(const char *text, size_t len, const char *gold,
                           char *detail, size_t detail_len)
{
	char parts[32][128], dotted[512];
	const char *p = gold, *dot;
	size_t np = 0, i, j, used;

	if (strncmp(p, "src/", 4) == 0 || strncmp(p, "lib/", 4) == 0)
		p += 4;
	while (*p && np < 32) {
		size_t n = strcspn(p, "/");

		if (p[n] == '\0' && (dot = strrchr(p, '.')) != NULL && dot > p)
			n = (size_t)(dot - p);
		if (n >= sizeof(parts[0]))
			n = sizeof(parts[0]) - 1;
		memcpy(parts[np], p, n);
		parts[np++][n] = '\0';
		p += strcspn(p, "/");
		if (*p == '/')
			p++;
	}
	if (np < 2)
		return 0;
	if (strcmp(parts[np - 1], "__init__") != 0 &&
	    strlen(parts[np - 1]) >= 3 &&
	    lb_contains_word(text, len, parts[np - 1])) {
		snprintf(detail, detail_len, "stem `%s` in the issue",
		         parts[np - 1]);
		return 1;
	}
	for (i = np - 1; i >= 2; i--) {
		dotted[0] = '\0';
		for (j = 0; j < i; j++) {
			used = strlen(dotted);
			snprintf(dotted + used, sizeof(dotted) - used, "%s%s",
			         j ? "." : "", parts[j]);
		}
		if (lb_contains_word(text, len, dotted)) {
			snprintf(detail, detail_len,
			         "package `%s` in the issue", dotted);
			return 1;
		}
	}
	for (i = np - 1; i-- > 1;) {
		if (strlen(parts[i]) >= 3 &&
		    lb_contains_word(text, len, parts[i])) {
			snprintf(detail, detail_len,
			         "directory `%s` in the issue", parts[i]);
			return 1;
		}
	}
	return 0;
}

/* An extracted mention that looks like code (an identifier with `_` or an
 * inner capital, or a dotted name), at least 5 bytes, that the text of
 * `gold` contains as a word. */
static int uses_mention(const isg_repo *repo, const isg_locate_result *r,
                        const char *gold, char *detail, size_t detail_len)
{
	isg_buf body = ISG_BUF_INIT;
	size_t i, n = isg_locate_result_mention_count(r);
	int found = 0;

	if (isg_repo_read_file(&body, repo, gold) != ISG_OK)
		goto done;
	for (i = 0; i < n && !found; i++) {
		const char *m = isg_locate_result_mention(r, i), *c;
		size_t ml = m ? strlen(m) : 0;
		int codeish = 0;

		/* Dunders, builtin exceptions and the path's own names say
		 * nothing about this file. */
		if (ml < 5 || strchr(m, '/') || strchr(m, ' ') ||
		    strncmp(m, "__", 2) == 0 || strstr(gold, m) ||
		    (ml > 5 && strcmp(m + ml - 5, "Error") == 0) ||
		    (ml > 7 && strcmp(m + ml - 7, "Warning") == 0) ||
		    (ml > 9 && strcmp(m + ml - 9, "Exception") == 0))
			continue;
		for (c = m; *c; c++)
			if (*c == '_' || *c == '.' ||
			    (c > m && *c >= 'A' && *c <= 'Z'))
				codeish = 1;
		if (codeish && lb_contains_word(body.ptr, body.size, m)) {
			snprintf(detail, detail_len, "uses `%s`", m);
			found = 1;
		}
	}
done:
	isg_buf_dispose(&body);
	return found;
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
	if (component_named(text, len, gold, detail, detail_len))
		return LB_MISS_COMPONENT_NAMED;
	if (uses_mention(repo, result, gold, detail, detail_len))
		return LB_MISS_USES_MENTION;
	snprintf(detail, detail_len, "%zu definitions, none named", ndef);
	return LB_MISS_NOT_MENTIONED;
}
