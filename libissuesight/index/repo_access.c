/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo access: the read-only accessors of an opened repository. Each is
 * NULL-safe and range-checked, so a caller's off-by-one gives NULL or 0
 * rather than undefined behaviour.
 */
#include <stdio.h>
#include <string.h>

#include "issuesight/file.h"
#include "repo_int.h"

#define MODULE "repo"

static const isg__rfile *file_at(const isg_repo *r, size_t i)
{
	return r && i < r->nfiles ? &r->files[i] : NULL;
}

const char *isg_repo_root(const isg_repo *repo)
{
	return repo ? repo->root : NULL;
}

const char *isg_repo_commit(const isg_repo *repo)
{
	return repo ? repo->commit : NULL;
}

int isg_repo_is_git(const isg_repo *repo)
{
	return repo ? repo->is_git : 0;
}

const char *isg_repo_index_path(const isg_repo *repo)
{
	return repo ? repo->index_path : NULL;
}

int isg_repo_index_reused(const isg_repo *repo)
{
	return repo ? repo->reused : 0;
}

double isg_repo_index_seconds(const isg_repo *repo)
{
	return repo ? repo->seconds : 0.0;
}

size_t isg_repo_file_count(const isg_repo *repo)
{
	return repo ? repo->nfiles : 0;
}

size_t isg_repo_definition_count(const isg_repo *repo)
{
	return repo ? repo->ndefs : 0;
}

int isg_repo_file_find(size_t *out, const isg_repo *repo, const char *path)
{
	size_t lo = 0, hi;

	if (!out || !repo || !path)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_file_find: NULL argument");
	/* Files are sorted by path (byte order), so a binary search works. */
	hi = repo->nfiles;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(repo->files[mid].path, path);

		if (c == 0) {
			*out = mid;
			return ISG_OK;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return isg__error_set(ISG_ENOTFOUND, MODULE,
	                      "no indexed file '%s' in '%s'", path, repo->root);
}

const char *isg_repo_file_path(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->path : NULL;
}

const char *isg_repo_file_language(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->lang : NULL;
}

const char *isg_repo_file_role(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? isg__repo_role_name(f->role) : NULL;
}

size_t isg_repo_file_size(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->size : 0;
}

size_t isg_repo_file_lines(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->lines : 0;
}

const char *isg_repo_file_doc(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->doc : NULL;
}

size_t isg_repo_file_def_count(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->def_count : 0;
}

int isg_repo_file_def(isg_repo_def *out, const isg_repo *repo, size_t i,
                      size_t j)
{
	const isg__rfile *f = file_at(repo, i);
	const isg__rdef *d;

	if (!out || !f || j >= f->def_count)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_repo_file_def: no definition %zu of file %zu", j,
		        i);
	d = &repo->defs[f->def_start + j];
	out->name = d->name;
	out->kind = d->kind;
	out->parent = d->parent;
	out->line = d->line;
	return ISG_OK;
}

size_t isg_repo_file_import_count(const isg_repo *repo, size_t i)
{
	const isg__rfile *f = file_at(repo, i);

	return f ? f->imp_count : 0;
}

const char *isg_repo_file_import(const isg_repo *repo, size_t i, size_t j)
{
	const isg__rfile *f = file_at(repo, i);

	return f && j < f->imp_count ? repo->imports[f->imp_start + j] : NULL;
}

int isg_repo_read_file(isg_buf *out, const isg_repo *repo, const char *path)
{
	const char *p;

	if (!out || !repo || !path || !*path)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_repo_read_file: NULL or empty argument");
	/* Refuse absolute paths and any ".." component: the caller names a
	 * file inside the repository, never outside it. */
	for (p = path; *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return isg__error_set(ISG_EINVALID, MODULE,
			                      "path '%s' leaves the repository",
			                      path);
		p += n + (s ? 1 : 0);
	}
	if (path[0] == '/')
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "path '%s' is absolute", path);
	return isg_file_read_in_tree(out, repo->root, path, 0, 0);
}

size_t isg_repo_language_count(const isg_repo *repo)
{
	return repo ? repo->nlangs : 0;
}

const char *isg_repo_language_name(const isg_repo *repo, size_t i)
{
	return repo && i < repo->nlangs ? repo->lang_names[i] : NULL;
}

size_t isg_repo_language_files(const isg_repo *repo, size_t i)
{
	return repo && i < repo->nlangs ? repo->lang_files[i] : 0;
}

int isg_repo_test_command(isg_buf *out, const isg_repo *repo)
{
	if (!out || !repo)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_test_command: NULL argument");
	if (!repo->test_cmd)
		return isg__error_set(ISG_ENOTFOUND, MODULE,
		                      "no test command found in '%s'",
		                      repo->root);
	return isg_buf_set(out, repo->test_cmd, strlen(repo->test_cmd)) ==
	                       ISG_OK
	               ? ISG_OK
	               : isg__error_oom(MODULE);
}

const char *isg_repo_test_command_origin(const isg_repo *repo)
{
	return repo ? repo->test_origin : NULL;
}

size_t isg_repo_contributing_count(const isg_repo *repo)
{
	return repo ? repo->nguides : 0;
}

const char *isg_repo_contributing_path(const isg_repo *repo, size_t i)
{
	return repo && i < repo->nguides ? repo->guides[i].path : NULL;
}

const char *isg_repo_contributing_excerpt(const isg_repo *repo, size_t i)
{
	return repo && i < repo->nguides ? repo->guides[i].excerpt : NULL;
}

const char *isg_repo_readme_path(const isg_repo *repo)
{
	return repo ? repo->readme_path : NULL;
}

int isg_repo_readme(isg_buf *out, const isg_repo *repo)
{
	if (!out || !repo)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_repo_readme: NULL argument");
	if (!repo->readme_path)
		return isg__error_set(ISG_ENOTFOUND, MODULE,
		                      "no README in '%s'", repo->root);
	return isg__repo_read_in_tree(out, repo->root, repo->readme_path,
	                              64 * 1024);
}
