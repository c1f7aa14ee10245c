/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_architecture: the architecture part of the offline engine: the
 * files to change and to read with their roles, the relations between
 * them and a summary. Roles are inferred from what the index knows about
 * a file (its definitions and first doc comment); relations from imports,
 * test naming conventions and mentions in docs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"

#define MAX_RELATIONS 200
/* Docs read to find which files they mention. */
#define DOC_READ_MAX ((size_t)256 << 10)

/* ---- paths and imports ------------------------------------------------ */

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

static int file_imports(const isg__gen *g, const isg__gfile *a,
                        const isg__gfile *b)
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
int isg__gen_tests(const isg__gen *g, const isg__gfile *t, const isg__gfile *s)
{
	char ts[256], ss[256];
	size_t n;

	if (strcmp(t->role, "test") != 0 || strcmp(s->role, "source") != 0)
		return 0;
	if (file_imports(g, t, s))
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

/* A doc or example documents a source file it names or whose key symbol
 * it mentions. */
static int file_documents(const isg__gen *g, const char *text,
                          const isg__gfile *s)
{
	size_t j, i = s->rank;

	if (strcmp(s->role, "source") != 0)
		return 0;
	if (strstr(text, s->path) || strstr(text, isg__path_basename(s->path)))
		return 1;
	if (s->list != ISG_LOCATE_CHANGE)
		return 0;
	for (j = 0;
	     j < isg_locate_result_symbol_count(g->loc, ISG_LOCATE_CHANGE, i);
	     j++) {
		const char *n = isg_locate_result_symbol_name(
		        g->loc, ISG_LOCATE_CHANGE, i, j);

		if (n && strlen(n) >= 4 && strstr(text, n))
			return 1;
	}
	return 0;
}

/* ---- architecture ------------------------------------------------------ */

static int find_def(isg_repo_def *out, const isg__gen *g, const isg__gfile *f,
                    const char *name, unsigned int line)
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

int isg__gen_put_def(isg_buf *b, const isg_repo_def *d, int with_kind)
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
int isg__gen_specific(const char *name)
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
size_t isg__gen_key_defs(isg_repo_def *out, size_t cap, const isg__gen *g,
                         const isg__gfile *f)
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
				ok = isg__gen_mentions(g, d.name) &&
				     isg__gen_specific(d.name) == (pass == 0);
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

/* "defines class TimeSeries with methods remove_column and
 * _check_required_columns: The TimeSeries container... (core.py)" */
static int describe(isg_buf *b, const isg__gen *g, const isg__gfile *f)
{
	isg_repo_def defs[3];
	size_t n = isg__gen_key_defs(defs, 3, g, f), j, k = 0;
	const char *doc = f->indexed ? isg_repo_file_doc(g->repo, f->idx) : "";
	int rc = ISG_OK;

	if (n) {
		const char *cls =
		        strcmp(defs[0].kind, "function") &&
		                        strcmp(defs[0].kind, "method") &&
		                        !defs[0].parent[0]
		                ? defs[0].name
		                : NULL;
		size_t nm = 0;

		/* Methods of the first class read as "with methods a and b". */
		for (j = 1; cls && j < n; j++)
			nm += strcmp(defs[j].parent, cls) == 0;
		rc = isg__buf_puts(b, "defines ");
		if (rc == ISG_OK && nm && nm == n - 1) {
			rc = isg__buf_printf(b, "%s %s with method%s ",
			                     defs[0].kind, cls,
			                     nm > 1 ? "s" : "");
			for (j = 1; j < n && rc == ISG_OK; j++)
				rc = isg__buf_printf(b, "%s%s",
				                     j == 1       ? ""
				                     : j + 1 == n ? " and "
				                                  : ", ",
				                     defs[j].name);
			k = n;
		}
		for (j = k; j < n && rc == ISG_OK; j++) {
			if (j)
				rc = isg__buf_puts(b,
				                   j + 1 == n ? " and " : ", ");
			if (rc == ISG_OK)
				rc = isg__gen_put_def(b, &defs[j], 1);
		}
	} else {
		const char *lang =
		        f->indexed ? isg_repo_file_language(g->repo, f->idx)
		                   : NULL;

		rc = isg__buf_printf(b, "%s %s file",
		                     lang && strcmp(lang, "text") ? lang : "a",
		                     f->role);
	}
	if (rc == ISG_OK && doc && doc[0]) {
		rc = isg__buf_puts(b, ": ");
		if (rc == ISG_OK)
			rc = isg__gen_sentence(b, doc, 200);
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(b, " (%s)", f->path);
	return rc;
}

static void write_files(isg__gen *g, cJSON *arch)
{
	cJSON *a = isg__gen_arr(g, arch, "files");
	isg_buf b = ISG_BUF_INIT;
	size_t i, j;

	for (i = 0; i < g->nchange && i < 50; i++) {
		const isg__gfile *f = &g->files[i];
		cJSON *o = isg__gen_obj(g, a, NULL), *syms;
		isg_repo_def defs[8];
		size_t n = isg__gen_key_defs(defs, 8, g, f);

		isg__gen_str(g, o, "path", f->path, 4096);
		isg__gen_buf(g, o, "role", &b, describe(&b, g, f), 4000);
		isg__gen_num(g, o, "score", f->score);
		syms = isg__gen_arr(g, o, "symbols");
		for (j = 0; j < n; j++) {
			cJSON *s = isg__gen_obj(g, syms, NULL);

			isg__gen_buf(g, s, "name", &b,
			             isg__gen_put_def(&b, &defs[j], 0), 1024);
			isg__gen_num(g, s, "line", defs[j].line);
		}
	}
	isg_buf_dispose(&b);
}

static void add_relation(isg__gen *g, cJSON *a, const char *from,
                         const char *to, const char *kind)
{
	cJSON *o;

	if (!a || cJSON_GetArraySize(a) >= MAX_RELATIONS)
		return;
	o = isg__gen_obj(g, a, NULL);
	isg__gen_str(g, o, "from", from, 4096);
	isg__gen_str(g, o, "to", to, 4096);
	isg__gen_str(g, o, "kind", kind, 0);
}

static void write_relations(isg__gen *g, cJSON *arch)
{
	cJSON *a = isg__gen_arr(g, arch, "relations");
	size_t n = g->nchange + g->nread, i, j;
	isg_buf text = ISG_BUF_INIT;

	for (i = 0; i < n; i++) {
		const isg__gfile *x = &g->files[i];
		int doc = strcmp(x->role, "doc") == 0 ||
		          strcmp(x->role, "example") == 0;
		int have_text = 0;

		if (doc) {
			int rc = isg_repo_read_file(&text, g->repo, x->path);

			if (rc == ISG_ENOMEM)
				g->oom = 1;
			have_text = rc == ISG_OK && text.size <= DOC_READ_MAX;
			isg_error_clear();
		}
		for (j = 0; j < n; j++) {
			const isg__gfile *y = &g->files[j];

			if (i == j)
				continue;
			if (isg__gen_tests(g, x, y))
				add_relation(g, a, x->path, y->path, "tests");
			else if (file_imports(g, x, y))
				add_relation(g, a, x->path, y->path, "imports");
			else if (have_text && file_documents(g, text.ptr, y))
				add_relation(g, a, x->path, y->path,
				             "documents");
		}
	}
	isg_buf_dispose(&text);
}

/* The source file a read-these file tests or documents, if any. */
static const isg__gfile *subject_of(const isg__gen *g, const isg__gfile *r)
{
	size_t j;

	for (j = 0; j < g->nchange; j++)
		if (isg__gen_tests(g, r, &g->files[j]) ||
		    file_imports(g, r, &g->files[j]))
			return &g->files[j];
	return NULL;
}

static const char *reading_kind(const char *role)
{
	if (strcmp(role, "test") == 0 || strcmp(role, "example") == 0)
		return role;
	return "doc";
}

static void write_read_these(isg__gen *g, cJSON *arch)
{
	cJSON *a = isg__gen_arr(g, arch, "read_these");
	isg_buf b = ISG_BUF_INIT;
	size_t i;

	for (i = 0; i < g->nread && i < 50; i++) {
		const isg__gfile *r = &g->files[g->nchange + i];
		const isg__gfile *s = subject_of(g, r);
		const char *reason =
		        isg_locate_result_reason(g->loc, ISG_LOCATE_READ, i, 0);
		cJSON *o = isg__gen_obj(g, a, NULL);
		int rc = ISG_OK;

		isg__gen_str(g, o, "path", r->path, 4096);
		isg__gen_str(g, o, "kind", reading_kind(r->role), 0);
		if (s)
			rc = isg__buf_printf(&b, "%s %s",
			                     strcmp(r->role, "test") == 0
			                             ? "tests"
			                             : "shows how to use",
			                     s->path);
		if (rc == ISG_OK && reason)
			rc = isg__buf_printf(&b, "%s%s", s ? "; " : "", reason);
		if (rc == ISG_OK && !b.size)
			rc = isg__buf_puts(&b, "related to the issue");
		isg__gen_buf(g, o, "why", &b, rc, 4000);
	}
	isg_buf_dispose(&b);
}

static int summarize(isg_buf *b, const isg__gen *g)
{
	isg_repo_def d;
	size_t i;
	int rc;

	if (!g->nchange && !g->nread)
		return isg__buf_puts(b, "No file of the repository matched the "
		                        "issue; start from the README and the "
		                        "project's layout.");
	if (!g->nchange)
		return isg__buf_printf(b,
		                       "No source file matched the issue "
		                       "clearly; start by reading %s.",
		                       g->files[0].path);
	rc = isg__buf_printf(b, "The fix most likely belongs in %s",
	                     g->files[0].path);
	if (rc == ISG_OK && isg__gen_key_defs(&d, 1, g, &g->files[0])) {
		rc = isg__buf_puts(b, ", which defines ");
		if (rc == ISG_OK)
			rc = isg__gen_put_def(b, &d, 1);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(b, ".");
	for (i = 1; i < g->nchange && i < 4 && rc == ISG_OK; i++)
		rc = isg__buf_printf(b, "%s%s",
		                     i == 1 ? " Also relevant: " : ", ",
		                     g->files[i].path);
	if (rc == ISG_OK && g->nchange > 1)
		rc = isg__buf_puts(b, ".");
	for (i = 0; i < g->nread && i < 3 && rc == ISG_OK; i++)
		rc = isg__buf_printf(b, "%s%s (%s)",
		                     i == 0 ? " Read first: " : ", ",
		                     g->files[g->nchange + i].path,
		                     g->files[g->nchange + i].role);
	if (rc == ISG_OK && g->nread)
		rc = isg__buf_puts(b, ".");
	return rc;
}

void isg__gen_architecture(isg__gen *g)
{
	cJSON *arch = isg__gen_obj(g, g->doc, "architecture");
	isg_buf b = ISG_BUF_INIT;
	const char *entry = g->nchange + g->nread ? g->files[0].path : NULL;

	isg__gen_buf(g, arch, "summary", &b, summarize(&b, g), 65536);
	isg__gen_str(g, arch, "entry_point", entry, 4096);
	write_files(g, arch);
	write_relations(g, arch);
	write_read_these(g, arch);
	isg_buf_dispose(&b);
}
