/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_files: what the offline engine says about one file: whether a test
 * file tests a source file (imports it or is named after it), the
 * definitions that tell its role, and how a definition is written.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"

/* The base name without its extension, into `out`. */
static void stem(char *out, size_t cap, const char *path)
{
	const char *b = isg__path_basename(path);
	size_t n = isg__path_stem_len(b);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

/* 1 when `s` ends with `tail` at a '/' boundary (or equals it). */
static int ends_at_boundary(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);

	if (!t || t > n || memcmp(s + n - t, tail, t) != 0)
		return 0;
	return t == n || s[n - t - 1] == '/';
}

/* Whether import `imp`, as written, names the file `path`: `a.b.c`,
 * `a/b/c`, `crate::a::b`, `./c`, `../c.js` and `c.h` are all tried
 * against the path, the path without extension and the package path
 * (`pkg/__init__.py` → `pkg`). */
static int import_names(const char *imp, const char *path)
{
	char cand[512], noext[1024];
	const char *b = isg__path_basename(path), *dot = strrchr(b, '.');
	size_t n = 0, plen = strlen(path), nl;
	int filelike = strchr(imp, '/') != NULL;
	const char *p = imp;

	if (plen >= sizeof(noext))
		return 0;
	if (!filelike && dot) {
		/* `core.h`: an include names a file, not a module path. */
		const char *idot = strrchr(imp, '.');

		filelike = idot && strcmp(idot, dot) == 0;
	}
	while (*p == '.' || *p == '/')
		p++; /* relative imports: ./x, ../x, .x, ..x */
	if (strncmp(p, "crate::", 7) == 0)
		p += 7;
	for (; *p && n + 1 < sizeof(cand); p++) {
		if (p[0] == ':' && p[1] == ':') {
			cand[n++] = '/';
			p++;
		} else if (*p == '.' && !filelike) {
			cand[n++] = '/';
		} else {
			cand[n++] = *p;
		}
	}
	cand[n] = '\0';
	if (n < 2)
		return 0;
	if (ends_at_boundary(path, plen, cand))
		return 1;
	nl = dot ? (size_t)(dot - path) : plen;
	memcpy(noext, path, nl);
	noext[nl] = '\0';
	if (ends_at_boundary(noext, nl, cand))
		return 1;
	if (nl > 9 && strcmp(noext + nl - 9, "/__init__") == 0)
		return ends_at_boundary(noext, nl - 9, cand);
	if (nl > 6 && strcmp(noext + nl - 6, "/index") == 0)
		return ends_at_boundary(noext, nl - 6, cand);
	return 0;
}

int isg__bridge_file_imports(const isg__bridge_gen *g,
                             const isg__bridge_file *a,
                             const isg__bridge_file *b)
{
	size_t j;

	if (!a->indexed || a == b)
		return 0;
	for (j = 0; j < isg_repo_file_import_count(g->repo, a->idx); j++)
		if (import_names(isg_repo_file_import(g->repo, a->idx, j),
		                 b->path))
			return 1;
	return 0;
}

/* A test file tests a source file when it imports it or is named after
 * it (test_core.py, core_test.go, core.test.js, test-core.c). */
int isg__bridge_file_tests(const isg__bridge_gen *g, const isg__bridge_file *t,
                           const isg__bridge_file *s)
{
	char ts[256], ss[256];
	size_t n;

	if (strcmp(t->role, "test") != 0 || strcmp(s->role, "source") != 0)
		return 0;
	if (isg__bridge_file_imports(g, t, s))
		return 1;
	stem(ts, sizeof(ts), t->path);
	stem(ss, sizeof(ss), s->path);
	n = strlen(ss);
	if (n < 2 || strcmp(ss, "__init__") == 0)
		return 0;
	if ((strncmp(ts, "test_", 5) == 0 || strncmp(ts, "test-", 5) == 0) &&
	    strcmp(ts + 5, ss) == 0)
		return 1;
	return strlen(ts) > n && strncmp(ts, ss, n) == 0 &&
	       (strcmp(ts + n, "_test") == 0 || strcmp(ts + n, ".test") == 0 ||
	        strcmp(ts + n, "-test") == 0 || strcmp(ts + n, "Test") == 0 ||
	        strcmp(ts + n, "_spec") == 0 || strcmp(ts + n, ".spec") == 0);
}

static int find_def(isg_repo_def *out, const isg__bridge_gen *g,
                    const isg__bridge_file *f, const char *name,
                    unsigned int line)
{
	size_t j, n = f->indexed ? isg_repo_file_def_count(g->repo, f->idx) : 0;

	for (j = 0; j < n; j++)
		if (isg_repo_file_def(out, g->repo, f->idx, j) == ISG_OK &&
		    strcmp(out->name, name) == 0 &&
		    (!line || out->line == line))
			return 1;
	return 0;
}

static int major_kind(const char *k)
{
	return strcmp(k, "class") == 0 || strcmp(k, "struct") == 0 ||
	       strcmp(k, "function") == 0 || strcmp(k, "type") == 0 ||
	       strcmp(k, "interface") == 0 || strcmp(k, "trait") == 0 ||
	       strcmp(k, "enum") == 0 || strcmp(k, "method") == 0;
}

int isg__bridge_file_put_def(isg_buf *b, const isg_repo_def *d, int with_kind)
{
	int rc = ISG_OK;

	if (with_kind)
		rc = isg__buf_printf(b, "%s ", d->kind);
	if (rc == ISG_OK && d->parent && d->parent[0])
		rc = isg__buf_printf(b, "%s.", d->parent);
	if (rc == ISG_OK)
		rc = isg__buf_puts(b, d->name);
	return rc;
}

static int has_def(const isg_repo_def *v, size_t n, const isg_repo_def *d)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (v[k].line == d->line && strcmp(v[k].name, d->name) == 0)
			return 1;
	return 0;
}

/* An identifier no prose uses by accident: TimeSeries, remove_column. */
int isg__bridge_specific_name(const char *name)
{
	const char *p;

	for (p = name + 1; *p; p++)
		if (*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9'))
			return 1;
	return 0;
}

/* The definitions a file's role is told by: those the issue mentions by
 * a specific name first, then those it mentions by a plain word
 * ("columns"), then the symbols locate found, then the file's first major
 * definitions. At most `cap`. */
size_t isg__bridge_file_key_defs(isg_repo_def *out, size_t cap,
                                 const isg__bridge_gen *g,
                                 const isg__bridge_file *f)
{
	size_t j, n = 0, nd, pass;
	size_t ns = f->list == ISG_LOCATE_CHANGE
	                    ? isg_locate_result_symbol_count(
	                              g->loc, ISG_LOCATE_CHANGE, f->rank)
	                    : 0;
	isg_repo_def d;

	nd = f->indexed ? isg_repo_file_def_count(g->repo, f->idx) : 0;
	for (pass = 0; pass < 4; pass++) {
		for (j = 0; j < nd && n < cap && pass != 2; j++) {
			int ok;

			if (isg_repo_file_def(&d, g->repo, f->idx, j) !=
			            ISG_OK ||
			    has_def(out, n, &d))
				continue;
			if (pass == 3)
				ok = major_kind(d.kind);
			else
				ok = isg__bridge_issue_mentions(g, d.name) &&
				     isg__bridge_specific_name(d.name) ==
				             (pass == 0);
			if (ok)
				out[n++] = d;
		}
		for (j = 0; j < ns && n < cap && pass == 2; j++)
			if (find_def(&d, g, f,
			             isg_locate_result_symbol_name(
			                     g->loc, ISG_LOCATE_CHANGE, f->rank,
			                     j),
			             isg_locate_result_symbol_line(
			                     g->loc, ISG_LOCATE_CHANGE, f->rank,
			                     j)) &&
			    !has_def(out, n, &d))
				out[n++] = d;
	}
	return n;
}
