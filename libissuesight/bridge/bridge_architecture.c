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

/* A doc or example documents a source file it names or whose key symbol
 * it mentions. */
static int file_documents(const isg__bridge_gen *g, const char *text,
                          const isg__bridge_file *s)
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

/* "defines class TimeSeries with methods remove_column and
 * _check_required_columns: The TimeSeries container... (core.py)" */
static int describe(isg_buf *b, const isg__bridge_gen *g,
                    const isg__bridge_file *f)
{
	isg_repo_def defs[3];
	size_t n = isg__bridge_file_key_defs(defs, 3, g, f), j, k = 0;
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
				rc = isg__bridge_file_put_def(b, &defs[j], 1);
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
			rc = isg__bridge_tree_sentence(b, doc, 200);
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(b, " (%s)", f->path);
	return rc;
}

static void write_files(isg__bridge_gen *g, cJSON *arch)
{
	cJSON *a = isg__bridge_tree_arr(g, arch, "files");
	isg_buf b = ISG_BUF_INIT;
	size_t i, j;

	for (i = 0; i < g->nchange && i < 50; i++) {
		const isg__bridge_file *f = &g->files[i];
		cJSON *o = isg__bridge_tree_obj(g, a, NULL), *syms;
		isg_repo_def defs[8];
		size_t n = isg__bridge_file_key_defs(defs, 8, g, f);

		isg__bridge_tree_str(g, o, "path", f->path, 4096);
		isg__bridge_tree_buf(g, o, "role", &b, describe(&b, g, f),
		                     4000);
		isg__bridge_tree_num(g, o, "score", f->score);
		syms = isg__bridge_tree_arr(g, o, "symbols");
		for (j = 0; j < n; j++) {
			cJSON *s = isg__bridge_tree_obj(g, syms, NULL);

			isg__bridge_tree_buf(
			        g, s, "name", &b,
			        isg__bridge_file_put_def(&b, &defs[j], 0),
			        1024);
			isg__bridge_tree_num(g, s, "line", defs[j].line);
		}
	}
	isg_buf_dispose(&b);
}

static void add_relation(isg__bridge_gen *g, cJSON *a, const char *from,
                         const char *to, const char *kind)
{
	cJSON *o;

	if (!a || cJSON_GetArraySize(a) >= MAX_RELATIONS)
		return;
	o = isg__bridge_tree_obj(g, a, NULL);
	isg__bridge_tree_str(g, o, "from", from, 4096);
	isg__bridge_tree_str(g, o, "to", to, 4096);
	isg__bridge_tree_str(g, o, "kind", kind, 0);
}

static void write_relations(isg__bridge_gen *g, cJSON *arch)
{
	cJSON *a = isg__bridge_tree_arr(g, arch, "relations");
	size_t n = g->nchange + g->nread, i, j;
	isg_buf text = ISG_BUF_INIT;

	for (i = 0; i < n; i++) {
		const isg__bridge_file *x = &g->files[i];
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
			const isg__bridge_file *y = &g->files[j];

			if (i == j)
				continue;
			if (isg__bridge_file_tests(g, x, y))
				add_relation(g, a, x->path, y->path, "tests");
			else if (isg__bridge_file_imports(g, x, y))
				add_relation(g, a, x->path, y->path, "imports");
			else if (have_text && file_documents(g, text.ptr, y))
				add_relation(g, a, x->path, y->path,
				             "documents");
		}
	}
	isg_buf_dispose(&text);
}

/* The source file a read-these file tests or documents, if any. */
static const isg__bridge_file *subject_of(const isg__bridge_gen *g,
                                          const isg__bridge_file *r)
{
	size_t j;

	for (j = 0; j < g->nchange; j++)
		if (isg__bridge_file_tests(g, r, &g->files[j]) ||
		    isg__bridge_file_imports(g, r, &g->files[j]))
			return &g->files[j];
	return NULL;
}

static const char *reading_kind(const char *role)
{
	if (strcmp(role, "test") == 0 || strcmp(role, "example") == 0)
		return role;
	return "doc";
}

static void write_read_these(isg__bridge_gen *g, cJSON *arch)
{
	cJSON *a = isg__bridge_tree_arr(g, arch, "read_these");
	isg_buf b = ISG_BUF_INIT;
	size_t i;

	for (i = 0; i < g->nread && i < 50; i++) {
		const isg__bridge_file *r = &g->files[g->nchange + i];
		const isg__bridge_file *s = subject_of(g, r);
		const char *reason =
		        isg_locate_result_reason(g->loc, ISG_LOCATE_READ, i, 0);
		cJSON *o = isg__bridge_tree_obj(g, a, NULL);
		int rc = ISG_OK;

		isg__bridge_tree_str(g, o, "path", r->path, 4096);
		isg__bridge_tree_str(g, o, "kind", reading_kind(r->role), 0);
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
		isg__bridge_tree_buf(g, o, "why", &b, rc, 4000);
	}
	isg_buf_dispose(&b);
}

/* " Open first: `Class.method` (line N)." for locate's best-ranked
 * definition when it lies in the file the summary names first. */
static int open_first(isg_buf *b, const isg__bridge_gen *g)
{
	const char *name = isg_locate_result_definition(g->loc, 0);
	const char *path = isg_locate_result_definition_path(g->loc, 0);
	size_t n;

	if (!name || !path || strcmp(path, g->files[0].path) != 0)
		return ISG_OK;
	n = strlen(path);
	if (strncmp(name, path, n) != 0 || name[n] != ':')
		return ISG_OK;
	return isg__buf_printf(b, " Open first: `%s` (line %u).", name + n + 1,
	                       isg_locate_result_definition_line(g->loc, 0));
}

static int summarize(isg_buf *b, const isg__bridge_gen *g)
{
	isg_repo_def d;
	size_t i;
	int rc;

	if (!g->nchange && !g->nread)
		return isg__buf_puts(
		        b,
		        "No file of the repository matched the issue; start from the README and the project's layout.");
	if (!g->nchange)
		return isg__buf_printf(
		        b,
		        "No source file matched the issue clearly; start by reading %s.",
		        g->files[0].path);
	rc = isg__buf_printf(b, "The fix most likely belongs in %s",
	                     g->files[0].path);
	if (rc == ISG_OK && isg__bridge_file_key_defs(&d, 1, g, &g->files[0])) {
		rc = isg__buf_puts(b, ", which defines ");
		if (rc == ISG_OK)
			rc = isg__bridge_file_put_def(b, &d, 1);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(b, ".");
	if (rc == ISG_OK)
		rc = open_first(b, g);
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

void isg__bridge_architecture(isg__bridge_gen *g)
{
	cJSON *arch = isg__bridge_tree_obj(g, g->doc, "architecture");
	isg_buf b = ISG_BUF_INIT;
	const char *entry = g->nchange + g->nread ? g->files[0].path : NULL;

	isg__bridge_tree_buf(g, arch, "summary", &b, summarize(&b, g), 65536);
	isg__bridge_tree_str(g, arch, "entry_point", entry, 4096);
	write_files(g, arch);
	write_relations(g, arch);
	write_read_these(g, arch);
	isg_buf_dispose(&b);
}
