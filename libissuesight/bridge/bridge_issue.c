/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_issue: the offline engine's reading of the issue. The issue comes
 * as plain text (first line the title) or as GitHub issue JSON; it is made
 * valid UTF-8 and capped, and its identifiers are collected, sorted, so
 * that the guide can ask cheaply whether the issue mentions a name.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "issue_int.h"
#include "issuesight/issue.h"

/* Issue text beyond this is not read (the other modules cap it too). */
#define ISSUE_MAX ((size_t)1 << 20)

/* ---- the issue -------------------------------------------------------- */

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* The first non-blank line is the title (Markdown heading marks removed),
 * the rest is the body. */
static int issue_from_text(isg__bridge_gen *g, const char *text, size_t len)
{
	char *u =
	        isg__bridge_tree_utf8(text, len > ISSUE_MAX ? ISSUE_MAX : len);
	const char *p, *nl;
	int rc = ISG_OK;

	if (!u)
		return isg__error_oom("bridge");
	p = u;
	while (*p && isspace((unsigned char)*p))
		p++;
	nl = strchr(p, '\n');
	if (!nl)
		nl = p + strlen(p);
	while (p < nl && *p == '#')
		p++;
	while (p < nl && isspace((unsigned char)*p))
		p++;
	g->title = isg__alloc_strndup(p, (size_t)(nl - p));
	g->body = isg__alloc_strdup(*nl ? nl + 1 : "");
	g->state = isg__alloc_strdup("unknown");
	if (!g->title || !g->body || !g->state)
		rc = isg__error_oom("bridge");
	else
		rtrim(g->title);
	isg__alloc_free(u);
	return rc;
}

static int issue_from_json(isg__bridge_gen *g, const char *json, size_t len)
{
	isg_buf cmt = ISG_BUF_INIT;
	isg_issue *is = NULL;
	size_t i;
	/* A file a user wrote: a field of the wrong type is an error that
	 * names it, not a silently empty issue. */
	int rc = isg__issue_check_types(json, len);

	if (rc == ISG_OK)
		rc = isg_issue_parse(&is, json, len);
	if (rc != ISG_OK)
		return rc;
	g->title = isg__bridge_tree_utf8(is->title ? is->title : "",
	                                 is->title ? strlen(is->title) : 0);
	if (is->body) {
		size_t n = strlen(is->body);

		g->body = isg__bridge_tree_utf8(is->body,
		                                n > ISSUE_MAX ? ISSUE_MAX : n);
	} else {
		g->body = isg__alloc_strdup("");
	}
	g->state = isg__alloc_strdup(
	        is->state && (strcmp(is->state, "open") == 0 ||
	                      strcmp(is->state, "closed") == 0)
	                ? is->state
	                : "unknown");
	g->number = is->number > 0 ? (long long)is->number : 0;
	if (is->html_url)
		g->url = isg__alloc_strdup(is->html_url);
	if (is->repo_full_name)
		g->repo_name = isg__alloc_strdup(is->repo_full_name);
	g->ncomments = is->comments_count > 0 ? (size_t)is->comments_count : 0;
	for (i = 0; i < is->ncomments && rc == ISG_OK; i++) {
		const char *cb = is->comments[i].body;

		if (!cb || cmt.size > ISSUE_MAX / 4)
			continue;
		g->comment_chars += strlen(cb);
		rc = isg__buf_printf(&cmt, "%s\n\n", cb);
	}
	if (rc == ISG_OK)
		g->comments =
		        isg__bridge_tree_utf8(cmt.ptr ? cmt.ptr : "", cmt.size);
	isg_buf_dispose(&cmt);
	g->labels = isg__alloc_calloc(is->nlabels ? is->nlabels : 1,
	                              sizeof(char *));
	if (g->labels) {
		for (i = 0; i < is->nlabels; i++) {
			const char *n =
			        is->labels[i].name ? is->labels[i].name : "";

			g->labels[i] = isg__bridge_tree_utf8(n, strlen(n));
			if (!g->labels[i])
				break;
			g->nlabels++;
		}
	}
	if (rc != ISG_OK || !g->comments || !g->title || !g->body ||
	    !g->state || !g->labels || g->nlabels != is->nlabels ||
	    (is->html_url && !g->url) || (is->repo_full_name && !g->repo_name))
		rc = isg__error_oom("bridge");
	else
		rtrim(g->title);
	isg_issue_free(is);
	return rc;
}

int isg__bridge_issue_read(isg__bridge_gen *g, const isg_bridge_options *o)
{
	int rc;

	if (o->issue_text)
		rc = issue_from_text(g, o->issue_text, o->issue_text_len);
	else
		rc = issue_from_json(g, o->issue_json, o->issue_json_len);
	if (rc != ISG_OK)
		return rc;
	if (blank(g->title) && blank(g->body))
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "the issue is empty: its title and body hold no text");
	if (blank(g->title)) {
		isg__alloc_free(g->title);
		g->title = isg__alloc_strdup("(untitled issue)");
		if (!g->title)
			return isg__error_oom("bridge");
	}
	if (!g->comments && !(g->comments = isg__alloc_strdup("")))
		return isg__error_oom("bridge");
	if (o->issue_repo) {
		isg__alloc_free(g->repo_name);
		g->repo_name = isg__alloc_strdup(o->issue_repo);
		if (!g->repo_name)
			return isg__error_oom("bridge");
	}
	return ISG_OK;
}

/* ---- the issue's words ----------------------------------------------- */

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Identifiers of three or more characters, sorted and unique, so that
 * "does the issue mention X" is a binary search even for 1 MiB issues. */
int isg__bridge_issue_words(isg__bridge_gen *g)
{
	isg_buf t = ISG_BUF_INIT;
	size_t i, n = 0, cap = 0;
	char *p;
	int rc = isg__buf_printf(&t, "%s\n%s\n%s", g->title, g->body,
	                         g->comments);

	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < t.size; i++)
		if (!ident_char(t.ptr[i]) && i && ident_char(t.ptr[i - 1]))
			cap++;
	g->words = isg__alloc_calloc(cap + 1, sizeof(*g->words));
	if (!g->words) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	for (i = 0; i < t.size; i++)
		if (!ident_char(t.ptr[i]))
			t.ptr[i] = '\0';
	for (p = t.ptr, i = 0; i < t.size;) {
		size_t len = strlen(p + i);

		if (len >= 3 && n < cap + 1)
			g->words[n++] = p + i;
		i += len ? len : 1;
	}
	qsort(g->words, n, sizeof(*g->words), cmp_word);
	for (i = 0, cap = 0; i < n; i++)
		if (!cap || strcmp(g->words[cap - 1], g->words[i]) != 0)
			g->words[cap++] = g->words[i];
	g->nwords = cap;
	g->wordbuf = isg__buf_detach(&t);
	rc = g->wordbuf ? ISG_OK : isg__error_oom("bridge");
done:
	isg_buf_dispose(&t);
	return rc;
}

int isg__bridge_issue_mentions(const isg__bridge_gen *g, const char *name)
{
	return name && g->words &&
	       bsearch(&name, g->words, g->nwords, sizeof(*g->words),
	               cmp_word) != NULL;
}
