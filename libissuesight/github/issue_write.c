/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issue_write: serializes the domain types back to GitHub-shaped JSON
 * that the parsers of issue.c read back to equal fields. Output is built
 * directly into an isg_buf; strings go through the core JSON escaper, which
 * also replaces invalid UTF-8 so that the output is always valid JSON.
 */
#include <inttypes.h>
#include <string.h>

#include "core_int.h"
#include "issue_int.h"

#define MOD "issue"

/* A tiny writer that remembers the first failure, so that the callers
 * can chain calls and check once. */
typedef struct writer {
	isg_buf buf;
	int rc;
	int first; /* no member written yet in the current object */
} writer;

static void w_raw(writer *w, const char *s)
{
	if (w->rc == ISG_OK)
		w->rc = isg__buf_puts(&w->buf, s);
}

static void w_key(writer *w, const char *key)
{
	if (!w->first)
		w_raw(w, ",");
	w->first = 0;
	if (w->rc == ISG_OK)
		w->rc = isg__buf_put_json_string(&w->buf, key, strlen(key));
	w_raw(w, ":");
}

static void w_strval(writer *w, const char *s)
{
	if (!s)
		w_raw(w, "null");
	else if (w->rc == ISG_OK)
		w->rc = isg__buf_put_json_string(&w->buf, s, strlen(s));
}

static void w_str(writer *w, const char *key, const char *s)
{
	w_key(w, key);
	w_strval(w, s);
}

static void w_i64(writer *w, const char *key, int64_t v)
{
	w_key(w, key);
	if (w->rc == ISG_OK)
		w->rc = isg__buf_printf(&w->buf, "%" PRId64, v);
}

static void w_bool(writer *w, const char *key, int v)
{
	w_key(w, key);
	w_raw(w, v ? "true" : "false");
}

static void w_open(writer *w, const char *key)
{
	if (key)
		w_key(w, key);
	w_raw(w, "{");
	w->first = 1;
}

static void w_close(writer *w)
{
	w_raw(w, "}");
	w->first = 0;
}

/* Moves the result into `out` (replacing it) or reports the failure. */
static int w_finish(writer *w, isg_buf *out)
{
	int rc = w->rc;

	if (rc == ISG_OK) {
		isg_buf_dispose(out);
		*out = w->buf;
		return ISG_OK;
	}
	isg_buf_dispose(&w->buf);
	return rc == ISG_ENOMEM ? isg__error_oom(MOD) : rc;
}

static void write_comment(writer *w, const isg_comment *c)
{
	w_open(w, NULL);
	w_i64(w, "id", c->id);
	if (c->issue_url) {
		w_str(w, "issue_url", c->issue_url);
	} else if (c->issue_number > 0) {
		w_key(w, "issue_url");
		if (w->rc == ISG_OK)
			w->rc = isg__buf_printf(&w->buf,
			                        "\"/issues/%" PRId64 "\"",
			                        c->issue_number);
	} else {
		w_str(w, "issue_url", NULL);
	}
	w_str(w, "html_url", c->html_url);
	w_key(w, "user");
	if (c->user_login) {
		w_open(w, NULL);
		w_str(w, "login", c->user_login);
		w_close(w);
	} else {
		w_raw(w, "null");
	}
	w_str(w, "body", c->body);
	w_str(w, "created_at", c->created_at);
	w_str(w, "updated_at", c->updated_at);
	w_str(w, "author_association", c->author_association);
	w_close(w);
}

static void write_label(writer *w, const isg_label *l)
{
	w_open(w, NULL);
	if (l->id)
		w_i64(w, "id", l->id);
	w_str(w, "name", l->name);
	if (l->color)
		w_str(w, "color", l->color);
	if (l->description)
		w_str(w, "description", l->description);
	w_close(w);
}

/* `{"login": s}` or null. */
static void w_login(writer *w, const char *key, const char *login)
{
	w_key(w, key);
	if (!login) {
		w_raw(w, "null");
		return;
	}
	w_open(w, NULL);
	w_str(w, "login", login);
	w_close(w);
}

/* "labels": [label...], "assignees": [{"login": s}...] */
static void write_labels_assignees(writer *w, const isg_issue *is)
{
	size_t i;

	w_key(w, "labels");
	w_raw(w, "[");
	for (i = 0; i < is->nlabels; i++) {
		if (i)
			w_raw(w, ",");
		write_label(w, &is->labels[i]);
	}
	w_raw(w, "]");
	w_key(w, "assignees");
	w_raw(w, "[");
	for (i = 0; i < is->nassignees; i++) {
		if (i)
			w_raw(w, ",");
		w_open(w, NULL);
		w_str(w, "login", is->assignees[i]);
		w_close(w);
	}
	w_raw(w, "]");
}

/* "repository_url": "/repos/<full name>", the name JSON-escaped. */
static void w_repository_url(writer *w, const char *full_name)
{
	size_t at;

	w_key(w, "repository_url");
	if (w->rc == ISG_OK)
		w->rc = isg__buf_puts(&w->buf, "\"/repos/");
	if (w->rc != ISG_OK)
		return;
	/* Escape the name itself, without its quotes. */
	at = w->buf.size;
	w->rc = isg__buf_put_json_string(&w->buf, full_name, strlen(full_name));
	if (w->rc == ISG_OK) {
		memmove(w->buf.ptr + at, w->buf.ptr + at + 1,
		        w->buf.size - at - 1);
		w->buf.size--;
		w->buf.ptr[w->buf.size] = '\0';
	}
}

int isg_issue_to_json(isg_buf *out, const isg_issue *is)
{
	writer w = { ISG_BUF_INIT, ISG_OK, 1 };
	size_t i;

	if (!out || !is)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue_to_json: NULL argument");
	w_open(&w, NULL);
	w_i64(&w, "id", is->id);
	w_i64(&w, "number", is->number);
	w_str(&w, "title", is->title);
	w_str(&w, "body", is->body);
	w_str(&w, "state", is->state);
	w_str(&w, "state_reason", is->state_reason);
	w_login(&w, "user", is->user_login);
	write_labels_assignees(&w, is);
	w_key(&w, "milestone");
	if (is->milestone) {
		w_open(&w, NULL);
		w_str(&w, "title", is->milestone);
		w_close(&w);
	} else {
		w_raw(&w, "null");
	}
	if (is->ncomments > 0) {
		w_key(&w, "comments");
		w_raw(&w, "[");
		for (i = 0; i < is->ncomments; i++) {
			if (i)
				w_raw(&w, ",");
			write_comment(&w, &is->comments[i]);
		}
		w_raw(&w, "]");
	} else {
		w_i64(&w, "comments", is->comments_count);
	}
	w_str(&w, "created_at", is->created_at);
	w_str(&w, "updated_at", is->updated_at);
	w_str(&w, "closed_at", is->closed_at);
	w_str(&w, "html_url", is->html_url);
	if (is->repo_full_name)
		w_repository_url(&w, is->repo_full_name);
	if (is->is_pull_request) {
		w_open(&w, "pull_request");
		w_close(&w);
	}
	w_open(&w, "reactions");
	w_i64(&w, "total_count", is->reactions_total);
	w_close(&w);
	w_str(&w, "author_association", is->author_association);
	w_bool(&w, "locked", is->locked);
	w_close(&w);
	return w_finish(&w, out);
}

int isg_issue_comment_to_json(isg_buf *out, const isg_comment *c)
{
	writer w = { ISG_BUF_INIT, ISG_OK, 1 };

	if (!out || !c)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "comment_to_json: NULL argument");
	write_comment(&w, c);
	return w_finish(&w, out);
}

int isg_issue_repository_to_json(isg_buf *out, const isg_repository *r)
{
	writer w = { ISG_BUF_INIT, ISG_OK, 1 };
	size_t i;

	if (!out || !r)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "repository_to_json: NULL argument");
	w_open(&w, NULL);
	w_i64(&w, "id", r->id);
	w_str(&w, "full_name", r->full_name);
	w_login(&w, "owner", r->owner_login);
	w_str(&w, "name", r->name);
	w_str(&w, "description", r->description);
	w_str(&w, "default_branch", r->default_branch);
	w_str(&w, "language", r->language);
	w_key(&w, "topics");
	w_raw(&w, "[");
	for (i = 0; i < r->ntopics; i++) {
		if (i)
			w_raw(&w, ",");
		w_strval(&w, r->topics[i]);
	}
	w_raw(&w, "]");
	w_i64(&w, "stargazers_count", r->stargazers_count);
	w_i64(&w, "open_issues_count", r->open_issues_count);
	w_bool(&w, "archived", r->archived);
	w_bool(&w, "fork", r->fork);
	w_str(&w, "html_url", r->html_url);
	w_key(&w, "license");
	if (r->license_spdx) {
		w_open(&w, NULL);
		w_str(&w, "spdx_id", r->license_spdx);
		w_close(&w);
	} else {
		w_raw(&w, "null");
	}
	w_str(&w, "pushed_at", r->pushed_at);
	w_str(&w, "updated_at", r->updated_at);
	w_close(&w);
	return w_finish(&w, out);
}
