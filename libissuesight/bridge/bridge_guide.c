/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_guide: the guide of the offline engine, from reproducing the
 * problem to opening the pull request. Each step names what it can: the
 * issue's own reproduction, the files in reading order, the test file to
 * extend, the symbols to change, the detected test command and the
 * project's contribution guides.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"

/* The issue's quoted code is cut here to keep the guide readable. */
#define QUOTE_LINES 40
#define QUOTE_BYTES 4000
#define STEP_LINES 15

typedef struct step {
	const char *title;
	isg_buf detail;
	const char *files[12];
	size_t nfiles;
} step;

static void step_file(step *s, const char *path)
{
	size_t i;

	if (!path || s->nfiles >= ISG__ARRAY_SIZE(s->files))
		return;
	for (i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i], path) == 0)
			return;
	s->files[s->nfiles++] = path;
}

static void emit(isg__bridge_gen *g, cJSON *steps, step *s, int rc)
{
	cJSON *o = isg__bridge_tree_obj(g, steps, NULL), *a;
	size_t i;

	isg__bridge_tree_str(g, o, "title", s->title, 200);
	isg__bridge_tree_buf(g, o, "detail", &s->detail, rc, 65536);
	a = isg__bridge_tree_arr(g, o, "files");
	for (i = 0; i < s->nfiles; i++)
		isg__bridge_tree_push(g, a, s->files[i], 4096);
	isg_buf_dispose(&s->detail);
	memset(s, 0, sizeof(*s));
}

static const char *line_end(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e : p + strlen(p);
}

/* A fence line: up to three spaces, then three or more ` or ~. */
static size_t fence_at(const char *p, char *ch)
{
	size_t n = 0;
	int sp = 0;

	while (*p == ' ' && sp < 3) {
		p++;
		sp++;
	}
	if (*p != '`' && *p != '~')
		return 0;
	*ch = *p;
	while (p[n] == *ch)
		n++;
	return n >= 3 ? n : 0;
}

/* Quotes the first fenced code block of the body; 0 when there is none. */
static int quote_code(isg_buf *b, const char *body, int *found)
{
	const char *p = body, *e = body, *info;
	char ch = 0, ch2;
	size_t n = 0, lines = 0, start;
	int rc;

	*found = 0;
	for (; *p; p = *e ? e + 1 : e) {
		e = line_end(p);
		if ((n = fence_at(p, &ch)) != 0)
			break;
	}
	if (!*p)
		return ISG_OK;
	*found = 1;
	info = p;
	while (*info == ' ' || *info == ch)
		info++;
	rc = isg__buf_puts(
	        b,
	        "Run the code from the issue and confirm that it shows the reported behaviour:\n\n");
	for (size_t i = 0; i < n && rc == ISG_OK; i++)
		rc = isg__buf_putc(b, ch);
	if (rc == ISG_OK)
		rc = isg_buf_put(b, info, (size_t)(e - info));
	if (rc == ISG_OK)
		rc = isg__buf_putc(b, '\n');
	start = b->size;
	for (p = *e ? e + 1 : e; *p && rc == ISG_OK; p = *e ? e + 1 : e) {
		e = line_end(p);
		if (fence_at(p, &ch2) >= n && ch2 == ch)
			break;
		if (++lines > QUOTE_LINES || b->size - start > QUOTE_BYTES) {
			rc = isg__buf_puts(b, "...\n");
			break;
		}
		rc = isg_buf_put(b, p, (size_t)(e - p));
		if (rc == ISG_OK)
			rc = isg__buf_putc(b, '\n');
	}
	for (size_t i = 0; i < n && rc == ISG_OK; i++)
		rc = isg__buf_putc(b, ch);
	if (rc == ISG_OK)
		rc = isg__buf_putc(b, '\n');
	return rc;
}

static int contains_ci(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word), i;

	for (i = 0; i + w <= n; i++)
		if (isg__text_ncasecmp(s + i, word, w) == 0)
			return 1;
	return 0;
}

/* Quotes the lines after a "Steps to reproduce" / "Reproduction" line. */
static int quote_steps(isg_buf *b, const char *body, int *found)
{
	const char *p = body, *e = body;
	size_t lines = 0;
	int rc = ISG_OK, content = 0;

	*found = 0;
	for (; *p; p = *e ? e + 1 : e) {
		e = line_end(p);
		if (contains_ci(p, (size_t)(e - p), "reproduc") ||
		    contains_ci(p, (size_t)(e - p), "steps to"))
			break;
	}
	if (!*p)
		return ISG_OK;
	for (p = *e ? e + 1 : e; *p && rc == ISG_OK; p = *e ? e + 1 : e) {
		const char *q = p;

		e = line_end(p);
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (q == e) {
			if (content)
				break;
			continue;
		}
		if (*q == '#' || lines >= STEP_LINES)
			break;
		if (!content)
			rc = isg__buf_puts(
			        b,
			        "Follow the issue's steps to reproduce it:\n\n");
		content = 1;
		lines++;
		if (rc == ISG_OK)
			rc = isg__buf_puts(b, "> ");
		if (rc == ISG_OK)
			rc = isg_buf_put(b, q, (size_t)(e - q));
		if (rc == ISG_OK)
			rc = isg__buf_putc(b, '\n');
	}
	*found = content;
	return rc;
}

static void step_reproduce(isg__bridge_gen *g, cJSON *steps)
{
	step s;
	int rc, found = 0;

	memset(&s, 0, sizeof(s));
	s.title = "Reproduce the problem";
	rc = quote_code(&s.detail, g->body, &found);
	if (rc == ISG_OK && !found)
		rc = quote_steps(&s.detail, g->body, &found);
	if (rc == ISG_OK && !found)
		rc = isg__buf_puts(
		        &s.detail,
		        "The issue gives no reproduction. Write down the expected and the actual behaviour from its description, then confirm the actual one on the current code.");
	if (rc == ISG_OK && g->nchange)
		rc = isg__buf_printf(&s.detail,
		                     "%sThe behaviour comes from %s.",
		                     found ? "\n" : " ", g->files[0].path);
	step_file(&s, g->nchange ? g->files[0].path : NULL);
	emit(g, steps, &s, rc);
}

static void read_add(step *s, const isg__bridge_file *f, size_t *k, int *rc,
                     int first)
{
	size_t before = s->nfiles;

	if (*rc != ISG_OK || *k >= 8)
		return;
	step_file(s, f->path);
	if (s->nfiles == before)
		return; /* already listed */
	*rc = isg__buf_printf(&s->detail, "%zu. %s (%s%s)\n", ++*k, f->path,
	                      f->role, first ? ", open it first" : "");
}

/* The entry point, the tests of it, the other likely files, then the
 * remaining tests, docs and examples. */
static void step_read(isg__bridge_gen *g, cJSON *steps)
{
	const isg__bridge_file *entry = g->nchange ? &g->files[0] : NULL;
	size_t i, k = 0, n = g->nchange + g->nread;
	step s;
	int rc = ISG_OK;

	if (!n)
		return;
	memset(&s, 0, sizeof(s));
	s.title = "Read the code in this order";
	read_add(&s, &g->files[0], &k, &rc, 1);
	for (i = g->nchange; entry && i < n; i++)
		if (isg__bridge_file_tests(g, &g->files[i], entry))
			read_add(&s, &g->files[i], &k, &rc, 0);
	for (i = 1; i < g->nchange && i < 4; i++)
		read_add(&s, &g->files[i], &k, &rc, 0);
	for (i = g->nchange; i < n; i++)
		read_add(&s, &g->files[i], &k, &rc, 0);
	emit(g, steps, &s, rc);
}

/* The test file to extend: a test that tests the entry point, any test
 * to read, a test of the repository named after the entry point, or
 * (by convention) a new one. */
static int test_target(isg_buf *out, const isg__bridge_gen *g, int *exists)
{
	const isg__bridge_file *entry = g->nchange ? &g->files[0] : NULL;
	char stem[256];
	const char *b, *dot, *lang = "text";
	size_t i, n;

	*exists = 1;
	for (i = 0; entry && i < g->nread; i++)
		if (isg__bridge_file_tests(g, &g->files[g->nchange + i], entry))
			return isg_buf_set(
			        out, g->files[g->nchange + i].path,
			        strlen(g->files[g->nchange + i].path));
	for (i = 0; i < g->nread; i++)
		if (strcmp(g->files[g->nchange + i].role, "test") == 0)
			return isg_buf_set(
			        out, g->files[g->nchange + i].path,
			        strlen(g->files[g->nchange + i].path));
	if (!entry)
		return isg_buf_set(out, "", 0);
	for (i = 0; i < isg_repo_file_count(g->repo); i++) {
		isg__bridge_file t;

		memset(&t, 0, sizeof(t));
		t.path = isg_repo_file_path(g->repo, i);
		t.role = isg_repo_file_role(g->repo, i);
		t.idx = i;
		t.indexed = 1;
		if (t.path && t.role && isg__bridge_file_tests(g, &t, entry))
			return isg_buf_set(out, t.path, strlen(t.path));
	}
	*exists = 0;
	b = isg__path_basename(entry->path);
	dot = strrchr(b, '.');
	n = isg__path_stem_len(b);
	if (n >= sizeof(stem))
		n = sizeof(stem) - 1;
	memcpy(stem, b, n);
	stem[n] = '\0';
	if (entry->indexed)
		lang = isg_repo_file_language(g->repo, entry->idx);
	if (strcmp(lang, "python") == 0)
		return isg__buf_printf(out, "tests/test_%s.py", stem);
	if (strcmp(lang, "go") == 0)
		return isg__buf_printf(out, "%.*s%s_test.go",
		                       (int)(b - entry->path), entry->path,
		                       stem);
	if (strcmp(lang, "javascript") == 0 || strcmp(lang, "typescript") == 0)
		return isg__buf_printf(out, "%.*s%s.test%s",
		                       (int)(b - entry->path), entry->path,
		                       stem, dot ? dot : ".js");
	if (strcmp(lang, "rust") == 0)
		return isg__buf_printf(out, "%s", entry->path);
	return isg__buf_printf(out, "tests/test_%s%s", stem, dot ? dot : "");
}

static int is_callable(const isg_repo_def *d)
{
	return strcmp(d->kind, "function") == 0 ||
	       strcmp(d->kind, "method") == 0 || strcmp(d->kind, "macro") == 0;
}

static void step_test(isg__bridge_gen *g, cJSON *steps)
{
	isg_buf path = ISG_BUF_INIT;
	isg_repo_def d[4];
	size_t i = 0, n;
	step s;
	int exists = 0, rc = test_target(&path, g, &exists);

	memset(&s, 0, sizeof(s));
	s.title = "Write a failing test";
	if (rc == ISG_OK && !path.size)
		rc = isg__buf_puts(
		        &s.detail,
		        "Add a test that reproduces the issue next to the project's existing tests, and watch it fail before changing any code.");
	else if (rc == ISG_OK)
		rc = isg__buf_printf(&s.detail,
		                     "%s %s a test that reproduces the issue",
		                     exists ? "Add to" : "Create", path.ptr);
	if (rc == ISG_OK && path.size && g->nchange &&
	    (n = isg__bridge_file_key_defs(d, 4, g, &g->files[0])) != 0) {
		for (i = 0; i + 1 < n && !is_callable(&d[i]); i++)
			;
		rc = isg__buf_puts(&s.detail, " by calling `");
		if (rc == ISG_OK)
			rc = isg__bridge_file_put_def(&s.detail, &d[i], 0);
		if (rc == ISG_OK)
			rc = isg__buf_putc(&s.detail, '`');
	}
	if (rc == ISG_OK && path.size)
		rc = isg__buf_puts(
		        &s.detail,
		        "; run it and watch it fail before changing any code.");
	if (!exists && rc == ISG_OK && path.size)
		rc = isg__buf_puts(
		        &s.detail,
		        " (No existing test was found for this file; the name follows the language's convention.)");
	step_file(&s, path.size ? path.ptr : NULL);
	emit(g, steps, &s, rc);
	isg_buf_dispose(&path);
}

static void step_change(isg__bridge_gen *g, cJSON *steps)
{
	isg_repo_def defs[4];
	size_t i, n;
	step s;
	const char *why;
	int rc = ISG_OK;

	if (!g->nchange)
		return;
	memset(&s, 0, sizeof(s));
	s.title = "Make the change";
	n = isg__bridge_file_key_defs(defs, 4, g, &g->files[0]);
	/* When the issue names definitions precisely (remove_column), a
	 * definition it matches only through a plain word ("columns") is not
	 * what to change. */
	for (i = 0; i < n; i++)
		if (isg__bridge_issue_mentions(g, defs[i].name) &&
		    isg__bridge_specific_name(defs[i].name))
			break;
	if (i < n) {
		size_t k = 0;

		for (i = 0; i < n; i++)
			if (!isg__bridge_issue_mentions(g, defs[i].name) ||
			    isg__bridge_specific_name(defs[i].name))
				defs[k++] = defs[i];
		n = k;
	}
	/* A class whose methods are listed is not itself the change. */
	if (n > 1 && !is_callable(&defs[0]) &&
	    strcmp(defs[1].parent, defs[0].name) == 0) {
		memmove(defs, defs + 1, (n - 1) * sizeof(defs[0]));
		n--;
	}
	rc = isg__buf_puts(&s.detail, "Change ");
	for (i = 0; i < n && rc == ISG_OK; i++) {
		if (i)
			rc = isg__buf_puts(&s.detail,
			                   i + 1 == n ? " and " : ", ");
		if (rc == ISG_OK)
			rc = isg__buf_putc(&s.detail, '`');
		if (rc == ISG_OK)
			rc = isg__bridge_file_put_def(&s.detail, &defs[i], 0);
		if (rc == ISG_OK)
			rc = isg__buf_printf(&s.detail, "` (line %u)",
			                     defs[i].line);
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(&s.detail, "%s%s", n ? " in " : "",
		                     g->files[0].path);
	why = isg_locate_result_reason(g->loc, ISG_LOCATE_CHANGE, 0, 0);
	if (rc == ISG_OK && why)
		rc = isg__buf_printf(&s.detail, ", the best match (%s)", why);
	if (rc == ISG_OK)
		rc = isg__buf_puts(
		        &s.detail,
		        ". Keep the change small and focused on the issue.");
	step_file(&s, g->files[0].path);
	for (i = 1; i < g->nchange && i < 3 && rc == ISG_OK; i++) {
		rc = isg__buf_printf(&s.detail, "%s%s",
		                     i == 1 ? " Check whether " : ", ",
		                     g->files[i].path);
		step_file(&s, g->files[i].path);
	}
	if (rc == ISG_OK && g->nchange > 1)
		rc = isg__buf_puts(&s.detail,
		                   g->nchange == 2 ? " needs the same change."
		                                   : " need the same change.");
	emit(g, steps, &s, rc);
}

static void step_run(isg__bridge_gen *g, cJSON *steps)
{
	step s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.title = "Run the tests";
	if (g->test_cmd)
		rc = isg__buf_printf(
		        &s.detail,
		        "Run `%s`%s%s%s and make sure the new test passes and no other test breaks.",
		        g->test_cmd, g->test_cmd_origin ? " (from " : "",
		        g->test_cmd_origin ? g->test_cmd_origin : "",
		        g->test_cmd_origin ? ")" : "");
	else
		rc = isg__buf_puts(
		        &s.detail,
		        "No test command was detected: look for one in the README or the CI configuration, run it, and make sure the new test passes.");
	step_file(&s, g->test_cmd_origin);
	emit(g, steps, &s, rc);
}

/* One line of what a guide asks: the bullet points of the file, else the
 * excerpt's opening. */
static int rules_summary(isg_buf *b, const isg__bridge_gen *g, const char *path,
                         const char *excerpt)
{
	isg_buf file = ISG_BUF_INIT;
	const char *p, *e;
	int rc = isg_repo_read_file(&file, g->repo, path), n = 0;

	if (rc == ISG_ENOMEM)
		return rc;
	rc = ISG_OK; /* an unreadable guide still has its excerpt */
	isg_error_clear();
	p = file.size < ((size_t)256 << 10) ? file.ptr : NULL;
	for (; p && *p && rc == ISG_OK && b->size < 400 && n < 8;
	     p = *e ? e + 1 : e) {
		const char *q = p, *end;

		e = line_end(p);
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (e - q < 3 ||
		    !((*q == '-' || *q == '*' || *q == '+') && q[1] == ' '))
			continue;
		end = e;
		while (end > q + 2 &&
		       (end[-1] == ';' || end[-1] == '.' || end[-1] == ',' ||
		        isspace((unsigned char)end[-1])))
			end--;
		rc = isg__buf_puts(b, n++ ? "; " : "");
		if (rc == ISG_OK)
			rc = isg_buf_put(b, q + 2, (size_t)(end - q - 2));
	}
	isg_buf_dispose(&file);
	if (rc == ISG_OK && !n && excerpt) {
		while (*excerpt == '#' || isspace((unsigned char)*excerpt))
			excerpt++;
		rc = isg__bridge_tree_sentence(b, excerpt, 300);
	}
	return rc;
}

static void step_rules(isg__bridge_gen *g, cJSON *steps, cJSON *rules)
{
	size_t i, n = isg_repo_contributing_count(g->repo);
	isg_buf sum = ISG_BUF_INIT;
	step s;
	int rc = ISG_OK;

	memset(&s, 0, sizeof(s));
	s.title = "Follow the contribution rules";
	for (i = 0; i < n && i < 20; i++) {
		const char *path = isg_repo_contributing_path(g->repo, i);
		cJSON *o = isg__bridge_tree_obj(g, rules, NULL);
		int r2 = rules_summary(
		        &sum, g, path,
		        isg_repo_contributing_excerpt(g->repo, i));

		if (rc == ISG_OK && r2 == ISG_OK)
			rc = isg__buf_printf(&s.detail, "%s%s asks: %s.",
			                     i ? " " : "", path,
			                     sum.size ? sum.ptr : "read it");
		isg__bridge_tree_str(g, o, "path", path, 4096);
		isg__bridge_tree_buf(g, o, "summary", &sum, r2, 4000);
		step_file(&s, path);
	}
	isg_buf_dispose(&sum);
	if (n)
		emit(g, steps, &s, rc);
}

static void step_pr(isg__bridge_gen *g, cJSON *steps)
{
	step s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.title = "Open the pull request";
	rc = isg__buf_printf(&s.detail,
	                     "Push a branch and open a pull request%s%s. ",
	                     g->repo_name && g->repo_name[0] ? " against " : "",
	                     g->repo_name ? g->repo_name : "");
	if (rc == ISG_OK && g->number)
		rc = isg__buf_printf(
		        &s.detail,
		        "Write `Fixes #%lld` in its description so that GitHub links it to the issue and closes the issue on merge. ",
		        g->number);
	else if (rc == ISG_OK)
		rc = isg__buf_puts(&s.detail,
		                   "Link the issue in its description. ");
	if (rc == ISG_OK)
		rc = isg__buf_puts(
		        &s.detail,
		        "Explain the cause, the change and the new test.");
	emit(g, steps, &s, rc);
}

void isg__bridge_guide(isg__bridge_gen *g)
{
	cJSON *guide = isg__bridge_tree_obj(g, g->doc, "guide"), *steps, *rules;

	steps = isg__bridge_tree_arr(g, guide, "steps");
	step_reproduce(g, steps);
	step_read(g, steps);
	step_test(g, steps);
	step_change(g, steps);
	step_run(g, steps);
	isg__bridge_tree_str(g, guide, "test_command", g->test_cmd, 1000);
	rules = isg__bridge_tree_arr(g, guide, "contributing");
	step_rules(g, steps, rules);
	step_pr(g, steps);
}
