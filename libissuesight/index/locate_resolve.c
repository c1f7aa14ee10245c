/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate resolve: maps what the issue names (paths, file names, module
 * paths, stack-trace frames) to the files of the repository, and marks the
 * packages and directories those files are in.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

/* 1 when the path mention `m` names `path`: equal, or one is a suffix of
 * the other at a '/' boundary. */
void isg__locate_base_stem(char *out, size_t n, const isg__rfile *f)
{
	const char *b = isg__path_basename(f->stem_path);

	/* A package's __init__ (index.js, mod.rs) names no concept of its
	 * own: it matches nothing, or every issue about the package would
	 * rank it first. */
	if (strcmp(b, "__init__") == 0 || strcmp(b, "index") == 0 ||
	    strcmp(b, "mod") == 0) {
		snprintf(out, n, "%s", "");
		return;
	}
	snprintf(out, n, "%s", b);
}

int isg__locate_path_names(const char *m, const char *path)
{
	size_t a = strlen(m), b = strlen(path);

	if (a == b)
		return strcmp(m, path) == 0;
	if (a > b)
		return m[a - b - 1] == '/' && strcmp(m + a - b, path) == 0;
	return path[b - a - 1] == '/' && strcmp(path + b - a, m) == 0;
}

/* 1 when the lower-cased stem path ends with `cand` (a '/' path) at a
 * component boundary, directly or as cand/__init__. */
int isg__locate_stem_names(const char *stem, const char *cand)
{
	size_t a = strlen(stem), b = strlen(cand);
	static const char init[] = "/__init__";

	if (a >= b && strcmp(stem + a - b, cand) == 0 &&
	    (a == b || stem[a - b - 1] == '/'))
		return 1;
	if (a >= b + 9 && strcmp(stem + a - 9, init) == 0 &&
	    strncmp(stem + a - 9 - b, cand, b) == 0 &&
	    (a == b + 9 || stem[a - 9 - b - 1] == '/'))
		return 1;
	return 0;
}

/* Converts module mention i's first `parts` components to a lower-case
 * '/' path in `out`. */
void isg__locate_module_cand(char *out, size_t n, const char *m, int parts)
{
	size_t i = 0;
	int k = 1;

	for (; *m && i + 1 < n; m++) {
		if (*m == '.') {
			if (k++ == parts)
				break;
			out[i++] = '/';
		} else {
			out[i++] =
			        (*m >= 'A' && *m <= 'Z') ? (char)(*m + 32) : *m;
		}
	}
	out[i] = '\0';
}

static int count_parts(const char *m)
{
	int n = 1;

	while (*m)
		n += *m++ == '.';
	return n;
}

/* Marks the files under directory `dir` (a lower-case '/' path) as inside
 * a package the issue names, unless the directory holds most of the
 * repository (the project's top package says nothing). */
static void mark_package(isg__lctx *c, const char *dir, double weight)
{
	const isg_repo *r = c->repo;
	size_t f, n = strlen(dir), inside = 0;

	for (f = 0; f < r->nfiles; f++)
		if (strncmp(r->files[f].stem_path, dir, n) == 0 &&
		    r->files[f].stem_path[n] == '/')
			inside++;
	if (inside * 2 > r->nfiles)
		return;
	for (f = 0; f < r->nfiles; f++)
		if (strncmp(r->files[f].stem_path, dir, n) == 0 &&
		    r->files[f].stem_path[n] == '/' && c->pkg[f] < weight)
			c->pkg[f] = weight;
}

/* A directory whose name the issue uses as a word (`pyreverse`): its files
 * count as inside a named package, at half strength. */
static void mark_directories(isg__lctx *c)
{
	const isg_repo *r = c->repo;
	char dirs[16][256];
	size_t f, ndirs = 0, k;

	for (f = 0; f < r->nfiles; f++) {
		const char *base = r->files[f].stem_path, *p = base, *sl;

		while ((sl = strchr(p, '/')) != NULL) {
			size_t n = (size_t)(sl - p), plen = (size_t)(sl - base);
			char comp[128];

			if (n >= 4 && n < sizeof(comp) &&
			    plen < sizeof(dirs[0])) {
				memcpy(comp, p, n);
				comp[n] = '\0';
				for (k = 0; k < ndirs; k++)
					if (strncmp(dirs[k], base, plen) == 0 &&
					    dirs[k][plen] == '\0')
						break;
				if (k == ndirs && ndirs < 16 &&
				    isg__strmap_get(&c->words, comp) >= 0) {
					memcpy(dirs[ndirs], base, plen);
					dirs[ndirs++][plen] = '\0';
				}
			}
			p = sl + 1;
		}
	}
	for (k = 0; k < ndirs; k++)
		mark_package(c, dirs[k], 0.5);
}

/* For every path/module mention: how many files it resolves to, and for
 * module mentions the longest resolving prefix. For every identifier:
 * how many files define it and how many have it as their file stem. */
int isg__locate_resolve(isg__lctx *c)
{
	const isg_repo *r = c->repo;
	size_t i, f;
	int rc;

	rc = isg__strmap_init(&c->idents, c->mentions.len);
	if (rc != ISG_OK)
		return rc;
	rc = isg__strmap_init(&c->lidents, c->mentions.len);
	if (rc != ISG_OK)
		return rc;
	for (i = 0; i < c->mentions.len; i++) {
		isg__mention *m = &c->mentions.items[i];

		if (m->type == ISG__M_IDENT) {
			char *low = isg__arena_strdup(&c->res->arena, m->text),
			     *p;

			if (!low)
				return isg__error_oom(MODULE);
			for (p = low; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			isg__strmap_put(&c->idents, m->text, (long)i);
			if (strlen(low) >= 4)
				isg__strmap_put(&c->lidents, low, (long)i);
		} else if (m->type == ISG__M_MODULE) {
			int parts = count_parts(m->text), k;

			for (k = parts; k >= 2 && !c->mod_len[i]; k--) {
				char cand[512];

				isg__locate_module_cand(cand, sizeof(cand),
				                        m->text, k);
				for (f = 0; f < r->nfiles; f++)
					if (isg__locate_stem_names(
					            r->files[f].stem_path,
					            cand)) {
						c->hits[i]++;
						if (strlen(r->files[f]
						                   .stem_path) !=
						    strlen(cand))
							c->is_pkg[i] = 1;
					}
				if (c->hits[i])
					c->mod_len[i] = k;
				if (c->hits[i] && c->is_pkg[i])
					mark_package(c, cand, m->weight);
			}
		} else {
			for (f = 0; f < r->nfiles; f++)
				if (isg__locate_path_names(m->text,
				                           r->files[f].path))
					c->hits[i]++;
			if (m->type == ISG__M_FRAME && c->hits[i] &&
			    (c->last_frame < 0 ||
			     m->order > c->mentions.items[c->last_frame].order))
				c->last_frame = (long)i;
		}
	}
	/* Definition counts: distinct files defining each mentioned name. */
	for (i = 0; i < r->ndefs; i++) {
		long m = isg__strmap_get(&c->idents, r->defs[i].name);

		if (m >= 0 && (c->last_file[m] != r->defs[i].file + 1)) {
			c->def_files[m]++;
			c->last_file[m] = r->defs[i].file + 1;
		}
	}
	mark_directories(c);
	for (f = 0; f < r->nfiles; f++) {
		long m;
		char stem[256];

		isg__locate_base_stem(stem, sizeof(stem), &r->files[f]);
		m = isg__strmap_get(&c->lidents, stem);
		if (m >= 0)
			c->stem_files[m]++;
	}
	return ISG_OK;
}
