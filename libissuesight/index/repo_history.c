/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo history: the commits of a git checkout before its HEAD, read once
 * when the index is built. Each commit keeps its time, its message and
 * the paths it changed; locate lets past commits whose messages resemble
 * an issue vote for the files they changed (docs/localization.md,
 * "History"). Only HEAD's ancestors are read (`git log HEAD`), so a
 * checkout of an old commit never sees what was fixed after it. Merge
 * commits and commits that change more than ISG__HIST_MAX_FILES paths
 * (mass renames, reformatting, the root of a shallow clone) are left
 * out: they say nothing about where one fix goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repo_int.h"

#define MODULE "repo"
/* git's output for 5,000 commits is about 1 MB; the cap only guards
 * against a pathological repository. */
#define HIST_OUTPUT_MAX (32u * 1024u * 1024u)

static int push_commit(isg__history *h, size_t *cap, const isg__hcommit *c)
{
	if (h->len == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		isg__hcommit *ni =
		        isg__alloc_realloc(h->items, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		h->items = ni;
		*cap = nc;
	}
	h->items[h->len++] = *c;
	return ISG_OK;
}

static int push_path(isg__history *h, size_t *cap, const char *p)
{
	if (h->npaths == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		const char **np =
		        isg__alloc_realloc(h->paths, nc * sizeof(*np));

		if (!np)
			return isg__error_oom(MODULE);
		h->paths = np;
		*cap = nc;
	}
	h->paths[h->npaths++] = p;
	return ISG_OK;
}

/* Parses one record "<time>\x1f<message>\x1f\n<path>\n<path>..." (NUL
 * terminated, cut in place). A record without both separators (the last
 * one of a truncated output) is skipped. */
static int parse_record(isg__history *h, char *rec, size_t *ccap, size_t *pcap)
{
	char *sep1 = strchr(rec, '\x1f'), *sep2, *p, *end;
	isg__hcommit c;
	size_t first = h->npaths;
	int rc = ISG_OK;

	if (!sep1 || !(sep2 = strchr(sep1 + 1, '\x1f')))
		return ISG_OK;
	*sep1 = *sep2 = '\0';
	memset(&c, 0, sizeof(c));
	c.time = strtoll(rec, &end, 10);
	if (end == rec)
		return ISG_OK;
	c.msg = sep1 + 1;
	for (p = sep2 + 1; *p && rc == ISG_OK;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		/* A quoted path (control characters in its name) cannot be
		 * matched to the index: leave it out. */
		if (*p && *p != '"')
			rc = push_path(h, pcap, p);
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (rc != ISG_OK)
		return rc;
	c.nfiles = h->npaths - first;
	c.file_start = first;
	if (c.nfiles == 0 || c.nfiles > ISG__HIST_MAX_FILES) {
		h->npaths = first;
		return ISG_OK;
	}
	return push_commit(h, ccap, &c);
}

int isg__repo_history_parse(isg__history *h)
{
	size_t ccap = 0, pcap = 0;
	char *p, *next;
	int rc = ISG_OK;

	if (!h->raw.ptr)
		return ISG_OK;
	p = memchr(h->raw.ptr, '\x1e', h->raw.size);
	while (p && rc == ISG_OK) {
		next = strchr(p + 1, '\x1e');
		if (next)
			*next = '\0';
		rc = parse_record(h, p + 1, &ccap, &pcap);
		p = next;
	}
	return rc;
}

int isg__repo_history_read(isg__history *out, const char *root,
                           const isg__repo_git_limits *lim)
{
	char count[32];
	const char *args[] = { "-C",           root,
		               "-c",           "core.quotePath=false",
		               "log",          "--no-merges",
		               "--no-renames", "-n",
		               count,          "--format=%x1e%ct%x1f%B%x1f",
		               "--name-only",  "HEAD",
		               "--",           NULL };
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(count, sizeof(count), "%d", ISG__HIST_MAX_COMMITS);
	rc = isg__repo_git_run_cap(&out->raw, args, NULL, lim, HIST_OUTPUT_MAX);
	if (rc == ISG_ENOMEM)
		return rc;
	if (rc != ISG_OK) {
		/* No git, no commits, a timeout: the index simply has no
		 * history, and locate ranks as it does without one. */
		isg__log_write(ISG_LOG_DEBUG, MODULE, NULL, 0,
		               "no history for '%s' (git log: %d)", root, rc);
		isg__repo_history_dispose(out);
		return ISG_OK;
	}
	rc = isg__repo_history_parse(out);
	if (rc != ISG_OK)
		isg__repo_history_dispose(out);
	return rc;
}

void isg__repo_history_dispose(isg__history *h)
{
	if (!h)
		return;
	isg_buf_dispose(&h->raw);
	isg__alloc_free(h->items);
	isg__alloc_free(h->paths);
	memset(h, 0, sizeof(*h));
}
