/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate: ranks the files of an indexed repository for an issue. The score
 * of a file is BM25 over code-aware tokens (whole file, best definition
 * chunk, string literals; each counted by the file's rank in its list)
 * plus bonuses for what the issue names explicitly: a stack-trace frame or
 * path in the file, a module path or file name that resolves to it, a
 * definition of a mentioned identifier, a file name equal to one.
 * docs/localization.md explains each weight. This file is the entry
 * point: it checks the arguments and hands a context to locate_rank.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"
#define MAX_TEXT (1024 * 1024)

int isg_locate_run(isg_locate_result **out, const isg_repo *repo,
                   const char *issue_text, size_t len,
                   const isg_locate_options *opts)
{
	isg_locate_options defaults = ISG_LOCATE_OPTIONS_INIT;
	isg__lctx c;
	size_t i;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !repo || !issue_text)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_locate_run: NULL %s",
		                      !out    ? "out"
		                      : !repo ? "repo"
		                              : "issue_text");
	if (!opts)
		opts = &defaults;
	if (opts->version != ISG_LOCATE_OPTIONS_VERSION && opts->version != 1)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "isg_locate_options.version %u is not 1 or %d",
		        opts->version, ISG_LOCATE_OPTIONS_VERSION);
	for (i = 0; i < len; i++)
		if (!(issue_text[i] == ' ' || issue_text[i] == '\t' ||
		      issue_text[i] == '\n' || issue_text[i] == '\r'))
			break;
	if (i == len)
		return isg__error_set(
		        ISG_EINVALID, MODULE,
		        "issue text is empty (%zu bytes of white space)", len);
	memset(&c, 0, sizeof(c));
	c.repo = repo;
	c.text = issue_text;
	c.len = len > MAX_TEXT ? MAX_TEXT : len;
	c.last_frame = -1;
	c.top[ISG_LOCATE_CHANGE] = opts->top_k ? opts->top_k : 10;
	c.top[ISG_LOCATE_READ] = opts->top_k_read ? opts->top_k_read : 5;
	/* A version-1 struct ends before `no_history`: never read it. */
	c.no_history = opts->version >= 2 && opts->no_history;
	rc = isg__locate_run(&c);
	if (rc == ISG_OK) {
		*out = c.res;
		c.res = NULL;
	}
	isg__locate_ctx_free(&c);
	return rc;
}

/* The 0.1 name, exported until 0.3. */
int isg_locate(isg_locate_result **out, const isg_repo *repo,
               const char *issue_text, size_t len,
               const isg_locate_options *opts)
{
	return isg_locate_run(out, repo, issue_text, len, opts);
}
