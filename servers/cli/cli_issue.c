/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issue files named on the command line: read safely, parsed by the
 * library's issue reader when JSON, split into title and body when text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_issue.h"

/* Issue files larger than this are refused. */
#define ISSUE_FILE_MAX ((size_t)16 << 20)

static int from_json(cli_issue *out, const char *prog, const char *path)
{
	isg_issue *is = NULL;
	size_t i;
	int rc = isg_issue_parse(&is, out->raw.ptr, out->raw.size);

	if (rc != ISG_OK)
		return srv_fail(prog, path, rc);
	out->parsed = is;
	out->title = is->title ? is->title : "";
	out->body = is->body ? is->body : "";
	out->labels = calloc(is->nlabels ? is->nlabels : 1, sizeof(char *));
	if (!out->labels)
		return srv_fail(prog, path, ISG_ENOMEM);
	for (i = 0; i < is->nlabels; i++)
		if (is->labels[i].name)
			out->labels[out->nlabels++] = is->labels[i].name;
	rc = isg_buf_set(&out->text, "", 0);
	if (rc == ISG_OK)
		rc = isg_buf_put(&out->text, out->title, strlen(out->title));
	if (rc == ISG_OK)
		rc = isg_buf_put(&out->text, "\n\n", 2);
	if (rc == ISG_OK)
		rc = isg_buf_put(&out->text, out->body, strlen(out->body));
	out->ncomments = is->comments_count > 0 ? (size_t)is->comments_count
	                                        : is->ncomments;
	for (i = 0; i < is->ncomments && rc == ISG_OK; i++) {
		const char *cb = is->comments[i].body;

		if (!cb)
			continue;
		out->comment_chars += strlen(cb);
		rc = isg_buf_put(&out->text, "\n\n", 2);
		if (rc == ISG_OK)
			rc = isg_buf_put(&out->text, cb, strlen(cb));
	}
	return rc == ISG_OK ? SRV_EXIT_OK : srv_fail(prog, path, rc);
}

static int from_text(cli_issue *out, const char *prog, const char *path)
{
	char *nl = strchr(out->raw.ptr, '\n');

	if (isg_buf_set(&out->text, out->raw.ptr, out->raw.size) != ISG_OK)
		return srv_fail(prog, path, ISG_ENOMEM);
	if (nl)
		*nl = '\0';
	out->title = out->raw.ptr;
	out->body = nl ? nl + 1 : "";
	return SRV_EXIT_OK;
}

int cli_issue_load(cli_issue *out, const char *prog, const char *path,
                   cli_issue_format format)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cli_read_input(&out->raw, prog, path, ISSUE_FILE_MAX);
	if (rc != SRV_EXIT_OK)
		return rc;
	if (format == CLI_ISSUE_AUTO)
		format = out->raw.ptr[strspn(out->raw.ptr, " \t\r\n")] == '{'
		                 ? CLI_ISSUE_JSON
		                 : CLI_ISSUE_TEXT;
	return format == CLI_ISSUE_JSON ? from_json(out, prog, path)
	                                : from_text(out, prog, path);
}

void cli_issue_dispose(cli_issue *issue)
{
	isg_buf_dispose(&issue->raw);
	isg_buf_dispose(&issue->text);
	isg_issue_free(issue->parsed);
	free(issue->labels);
	memset(issue, 0, sizeof(*issue));
}
