/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_markdown: renders a bridge as Markdown for people. The output
 * depends on nothing but the bridge (no clock, no locale-dependent
 * formatting beyond "%.2f" in the C locale the library runs in), so the
 * same bridge always gives the same bytes and can be cached or diffed.
 */
#include <stdio.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"

typedef struct md {
	isg_buf *b;
	int rc;
} md;

static void put(md *m, const char *s)
{
	if (m->rc == ISG_OK)
		m->rc = isg__buf_puts(m->b, s);
}

static void putf(md *m, const char *fmt, ...) ISG__PRINTF(2, 3);
static void putf(md *m, const char *fmt, ...)
{
	va_list ap;

	if (m->rc != ISG_OK)
		return;
	va_start(ap, fmt);
	m->rc = isg__buf_vprintf(m->b, fmt, ap);
	va_end(ap);
}

int isg__bridge_md_inline(isg_buf *out, const char *s)
{
	int rc = ISG_OK;

	for (; s && *s && rc == ISG_OK; s++)
		rc = isg__buf_putc(out, (*s == '\n' || *s == '\r') ? ' ' : *s);
	return rc;
}

/* Text on one line: line breaks would end a list item or a heading. */
static void text(md *m, const char *s)
{
	if (m->rc == ISG_OK)
		m->rc = isg__bridge_md_inline(m->b, s);
}

/* A code span that survives backticks inside the value. */
static void code(md *m, const char *s)
{
	const char *fence = strchr(s ? s : "", '`') ? "`` " : "`";
	const char *close = strchr(s ? s : "", '`') ? " ``" : "`";

	put(m, fence);
	text(m, s);
	put(m, close);
}

static void render_head(md *m, const isg_bridge *b)
{
	const isg_bridge_issue *is = &b->issue;
	size_t i;

	put(m, "# Context Bridge: ");
	text(m, is->title);
	put(m, "\n\n");
	if (is->repo[0])
		text(m, is->repo);
	if (is->number)
		putf(m, "#%lld", is->number);
	if (is->repo[0] || is->number)
		put(m, " · ");
	putf(m, "state: %s", is->state);
	if (is->nlabels) {
		put(m, " · labels: ");
		for (i = 0; i < is->nlabels; i++) {
			put(m, i ? ", " : "");
			code(m, is->labels[i]);
		}
	}
	if (is->url) {
		put(m, " · <");
		text(m, is->url);
		put(m, ">");
	}
	put(m, "\n\n");
}

static void render_verdict(md *m, const isg_bridge *b)
{
	const isg_bridge_verdict *v = &b->verdict;
	size_t i;

	put(m, "## Verdict\n\n");
	putf(m, "**Junior-friendly: %s** · difficulty: **%s** · score: %.2f\n",
	     v->junior_friendly ? "yes" : "no", v->difficulty, v->score);
	if (v->nreasons)
		put(m, "\nWhy:\n\n");
	for (i = 0; i < v->nreasons; i++) {
		put(m, "- ");
		text(m, v->reasons[i]);
		put(m, "\n");
	}
	put(m, "\n");
}

static void render_prereqs(md *m, const isg_bridge *b)
{
	size_t i;

	put(m, "## Prerequisites\n\n");
	if (!b->nprereqs)
		put(m, "No prerequisite concepts were identified.\n");
	else
		put(m, "Learn these first, from foundational to specific:\n\n");
	for (i = 0; i < b->nprereqs; i++) {
		const isg_bridge_prerequisite *p = &b->prereqs[i];

		putf(m, "%zu. **", i + 1);
		text(m, p->name);
		put(m, "** (");
		code(m, p->concept);
		put(m, ")");
		if (p->why[0]) {
			put(m, ": ");
			text(m, p->why);
		}
		put(m, "\n");
	}
	put(m, "\n");
}

static void render_arch(md *m, const isg_bridge *b)
{
	const isg_bridge_architecture *a = &b->arch;
	size_t i, j;

	put(m, "## Architecture\n\n");
	if (a->summary[0]) {
		text(m, a->summary);
		put(m, "\n\n");
	}
	if (a->entry_point) {
		put(m, "**Open first:** ");
		code(m, a->entry_point);
		put(m, "\n\n");
	}
	if (a->nfiles)
		put(m, "Files a fix is likely to change, best first:\n\n");
	for (i = 0; i < a->nfiles; i++) {
		const isg_bridge_file *f = &a->files[i];

		putf(m, "%zu. ", i + 1);
		code(m, f->path);
		putf(m, " (score %.2f)", f->score);
		if (f->role[0]) {
			put(m, ": ");
			text(m, f->role);
		}
		put(m, "\n");
		for (j = 0; j < f->nsymbols; j++) {
			put(m, "   - ");
			code(m, f->symbols[j].name);
			if (f->symbols[j].line)
				putf(m, " (line %u)", f->symbols[j].line);
			put(m, "\n");
		}
	}
	if (a->nfiles)
		put(m, "\n");
	if (a->nrelations)
		put(m, "How they relate:\n\n");
	for (i = 0; i < a->nrelations; i++) {
		put(m, "- ");
		code(m, a->relations[i].from);
		putf(m, " %s ", a->relations[i].kind);
		code(m, a->relations[i].to);
		put(m, "\n");
	}
	if (a->nrelations)
		put(m, "\n");
	if (a->nread_these)
		put(m, "Read these before changing anything:\n\n");
	for (i = 0; i < a->nread_these; i++) {
		put(m, "- ");
		code(m, a->read_these[i].path);
		putf(m, " (%s)", a->read_these[i].kind);
		if (a->read_these[i].why[0]) {
			put(m, ": ");
			text(m, a->read_these[i].why);
		}
		put(m, "\n");
	}
	if (a->nread_these)
		put(m, "\n");
}

static void render_guide(md *m, const isg_bridge *b)
{
	const isg_bridge_guide *g = &b->guide;
	size_t i, j;

	put(m, "## Guide\n\n");
	for (i = 0; i < g->nsteps; i++) {
		const isg_bridge_step *s = &g->steps[i];
		size_t n = strlen(s->detail);

		putf(m, "### %zu. ", i + 1);
		text(m, s->title);
		put(m, "\n\n");
		if (n) {
			/* Details are Markdown (they may quote code): kept
			 * as written, ending with exactly one newline. */
			put(m, s->detail);
			put(m, s->detail[n - 1] == '\n' ? "\n" : "\n\n");
		}
		if (s->nfiles) {
			put(m, "Files: ");
			for (j = 0; j < s->nfiles; j++) {
				put(m, j ? ", " : "");
				code(m, s->files[j]);
			}
			put(m, "\n\n");
		}
	}
	put(m, "**Test command:** ");
	if (g->test_command)
		code(m, g->test_command);
	else
		put(m, "none detected; look in the README");
	put(m, "\n\n");
	if (g->ncontributing)
		put(m, "**Contribution rules:**\n\n");
	for (i = 0; i < g->ncontributing; i++) {
		put(m, "- ");
		code(m, g->contributing[i].path);
		if (g->contributing[i].summary[0]) {
			put(m, ": ");
			text(m, g->contributing[i].summary);
		}
		put(m, "\n");
	}
	if (g->ncontributing)
		put(m, "\n");
}

int isg_bridge_to_markdown(isg_buf *out, const isg_bridge *b)
{
	isg_buf tmp = ISG_BUF_INIT;
	md m;

	if (!out || !b)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_to_markdown: NULL argument");
	m.b = &tmp;
	m.rc = ISG_OK;
	render_head(&m, b);
	render_verdict(&m, b);
	render_prereqs(&m, b);
	render_arch(&m, b);
	render_guide(&m, b);
	put(&m, "---\n\n_Generated by the ");
	put(&m, b->engine.kind);
	put(&m, " engine");
	if (b->engine.model) {
		put(&m, " (model ");
		code(&m, b->engine.model);
		put(&m, ")");
	}
	if (b->engine.repo_commit) {
		put(&m, " from repository snapshot ");
		code(&m, b->engine.repo_commit);
	}
	put(&m, "; schema " ISG_BRIDGE_SCHEMA_VERSION "._\n");
	if (m.rc != ISG_OK) {
		isg_buf_dispose(&tmp);
		return isg__error_oom("bridge");
	}
	isg_buf_dispose(out);
	*out = tmp;
	return ISG_OK;
}
