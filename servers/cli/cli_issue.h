/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An issue file the user names on the command line (`--issue-json`,
 * `--issue-text`, `concepts --match`), read with the safe file reader and,
 * when it is JSON, parsed by the library's issue reader (the one `bridge`
 * uses), so that every command sees the same title, body, labels and
 * comments.
 */
#ifndef ISSUESIGHT_CLI_ISSUE_H
#define ISSUESIGHT_CLI_ISSUE_H

#include <stddef.h>

#include "srv_common.h"

typedef enum cli_issue_format {
	CLI_ISSUE_TEXT, /* first line the title, then the body */
	CLI_ISSUE_JSON, /* a GitHub issue object */
	CLI_ISSUE_AUTO  /* JSON when the first non-blank byte is '{' */
} cli_issue_format;

typedef struct cli_issue {
	isg_buf raw;       /* the file's bytes */
	isg_issue *parsed; /* when it was JSON */
	const char *title, *body;
	const char **labels;
	size_t nlabels;
	size_t ncomments, comment_chars;
	isg_buf text; /* title, body and comment bodies, for locate */
} cli_issue;

/* Reads and parses `path` ('-': standard input). SRV_EXIT_OK, or the exit
 * code after printing what was wrong (broken JSON is a failure, not an
 * empty issue). Release with cli_issue_dispose() in both cases. */
int cli_issue_load(cli_issue *out, const char *prog, const char *path,
                   cli_issue_format format);
void cli_issue_dispose(cli_issue *issue);

#endif /* ISSUESIGHT_CLI_ISSUE_H */
