/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_offline: the offline engine. It reads the issue, localizes it in
 * the repository (locate), matches concepts (concepts), estimates the
 * difficulty (difficulty) and writes the verdict and the prerequisites;
 * bridge_guide.c writes the architecture and the guide. Everything goes
 * into a JSON tree that must pass the schema check before it becomes a
 * bridge, so the engine can never hand out a document the schema rejects.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "issuesight/issue.h"
#include "json_int.h"

/* Issue text beyond this is not read (the other modules cap it too). */
#define ISSUE_MAX ((size_t)1 << 20)
#define TITLE_MAX_CP 300

/* ---- building the tree ------------------------------------------------ */

static cJSON *attach(isg__gen *g, cJSON *parent, const char *key, cJSON *item)
{
	int ok;

	if (!item) {
		g->oom = 1;
		return NULL;
	}
	if (!parent) {
		cJSON_Delete(item);
		return NULL;
	}
	ok = key ? cJSON_AddItemToObject(parent, key, item)
	         : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);
		g->oom = 1;
		return NULL;
	}
	return item;
}

cJSON *isg__gen_obj(isg__gen *g, cJSON *parent, const char *key)
{
	return parent ? attach(g, parent, key, cJSON_CreateObject()) : NULL;
}

cJSON *isg__gen_arr(isg__gen *g, cJSON *parent, const char *key)
{
	return parent ? attach(g, parent, key, cJSON_CreateArray()) : NULL;
}

char *isg__gen_utf8(const char *s, size_t len)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i = 0;
	int rc = isg__buf_grow(&b, len + len / 4 + 1);

	while (rc == ISG_OK && i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if (c == 0) {
			i++;
		} else if (c < 0x80) {
			rc = isg__buf_putc(&b, (char)c);
			i++;
		} else if (c >= 0xC2 && c <= 0xF4 && i + n <= len &&
		           isg__utf8_valid(s + i, n)) {
			rc = isg_buf_put(&b, s + i, n);
			i += n;
		} else {
			/* Latin-1: the byte is the code point. */
			rc = isg__buf_putc(&b, (char)(0xC0 | (c >> 6)));
			if (rc == ISG_OK)
				rc = isg__buf_putc(&b,
				                   (char)(0x80 | (c & 0x3F)));
			i++;
		}
	}
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return NULL;
	}
	return isg__buf_detach(&b);
}

/* A valid UTF-8 copy of `s`, cut at a character boundary to at most `max`
 * code points, the last of them an ellipsis when something was cut. */
static char *clean(const char *s, size_t max)
{
	char *u = isg__gen_utf8(s, strlen(s)), *cut;
	size_t cp = 0, i, at = 0;

	if (!u || !max)
		return u;
	for (i = 0; u[i]; i++) {
		if (((unsigned char)u[i] & 0xC0) == 0x80)
			continue;
		if (++cp == max)
			at = i; /* where the ellipsis goes if needed */
		if (cp > max)
			break;
	}
	if (cp <= max)
		return u;
	cut = isg__malloc(at + 4);
	if (cut) {
		memcpy(cut, u, at);
		memcpy(cut + at, "\xE2\x80\xA6", 4);
	}
	isg__free(u);
	return cut;
}

void isg__gen_str(isg__gen *g, cJSON *obj, const char *key, const char *s,
                  size_t max)
{
	char *u;

	if (!obj)
		return;
	if (!s) {
		attach(g, obj, key, cJSON_CreateNull());
		return;
	}
	u = clean(s, max);
	if (!u) {
		g->oom = 1;
		return;
	}
	attach(g, obj, key, cJSON_CreateString(u));
	isg__free(u);
}

void isg__gen_push(isg__gen *g, cJSON *arr, const char *s, size_t max)
{
	isg__gen_str(g, arr, NULL, s, max);
}

void isg__gen_num(isg__gen *g, cJSON *obj, const char *key, double v)
{
	if (obj)
		attach(g, obj, key, cJSON_CreateNumber(v));
}

void isg__gen_buf(isg__gen *g, cJSON *obj, const char *key, isg_buf *b, int rc,
                  size_t max)
{
	if (rc != ISG_OK)
		g->oom = 1;
	else
		isg__gen_str(g, obj, key, b->ptr ? b->ptr : "", max);
	isg__buf_clear(b);
}

int isg__gen_sentence(isg_buf *out, const char *s, size_t max)
{
	size_t n = 0;
	int rc = ISG_OK, space = 0;

	while (s && isspace((unsigned char)*s))
		s++;
	for (; s && *s && n < max && rc == ISG_OK; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space)
			rc = isg__buf_putc(out, ' ');
		space = 0;
		if (rc == ISG_OK)
			rc = isg__buf_putc(out, *s);
		n++;
		if ((*s == '.' || *s == '!' || *s == '?') &&
		    (!s[1] || isspace((unsigned char)s[1])))
			break;
	}
	return rc;
}

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
static int issue_from_text(isg__gen *g, const char *text, size_t len)
{
	char *u = isg__gen_utf8(text, len > ISSUE_MAX ? ISSUE_MAX : len);
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
	g->title = isg__strndup(p, (size_t)(nl - p));
	g->body = isg__strdup(*nl ? nl + 1 : "");
	g->state = isg__strdup("unknown");
	if (!g->title || !g->body || !g->state)
		rc = isg__error_oom("bridge");
	else
		rtrim(g->title);
	isg__free(u);
	return rc;
}

static int issue_from_json(isg__gen *g, const char *json, size_t len)
{
	isg_buf cmt = ISG_BUF_INIT;
	isg_issue *is = NULL;
	size_t i;
	int rc = isg_issue_parse(&is, json, len);

	if (rc != ISG_OK)
		return rc;
	g->title = isg__gen_utf8(is->title ? is->title : "",
	                         is->title ? strlen(is->title) : 0);
	if (is->body) {
		size_t n = strlen(is->body);

		g->body =
		        isg__gen_utf8(is->body, n > ISSUE_MAX ? ISSUE_MAX : n);
	} else {
		g->body = isg__strdup("");
	}
	g->state = isg__strdup(is->state && (strcmp(is->state, "open") == 0 ||
	                                     strcmp(is->state, "closed") == 0)
	                               ? is->state
	                               : "unknown");
	g->number = is->number > 0 ? (long long)is->number : 0;
	if (is->html_url)
		g->url = isg__strdup(is->html_url);
	if (is->repo_full_name)
		g->repo_name = isg__strdup(is->repo_full_name);
	g->ncomments = is->comments_count > 0 ? (size_t)is->comments_count : 0;
	for (i = 0; i < is->ncomments && rc == ISG_OK; i++) {
		const char *cb = is->comments[i].body;

		if (!cb || cmt.size > ISSUE_MAX / 4)
			continue;
		g->comment_chars += strlen(cb);
		rc = isg__buf_printf(&cmt, "%s\n\n", cb);
	}
	if (rc == ISG_OK)
		g->comments = isg__gen_utf8(cmt.ptr ? cmt.ptr : "", cmt.size);
	isg_buf_dispose(&cmt);
	g->labels = isg__calloc(is->nlabels ? is->nlabels : 1, sizeof(char *));
	if (g->labels) {
		for (i = 0; i < is->nlabels; i++) {
			const char *n =
			        is->labels[i].name ? is->labels[i].name : "";

			g->labels[i] = isg__gen_utf8(n, strlen(n));
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

static int read_issue(isg__gen *g, const isg_bridge_options *o)
{
	int rc;

	if (o->issue_text)
		rc = issue_from_text(g, o->issue_text, o->issue_text_len);
	else
		rc = issue_from_json(g, o->issue_json, o->issue_json_len);
	if (rc != ISG_OK)
		return rc;
	if (blank(g->title) && blank(g->body))
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "the issue is empty: its title and body "
		                      "hold no text");
	if (blank(g->title)) {
		isg__free(g->title);
		g->title = isg__strdup("(untitled issue)");
		if (!g->title)
			return isg__error_oom("bridge");
	}
	if (!g->comments && !(g->comments = isg__strdup("")))
		return isg__error_oom("bridge");
	if (o->issue_repo) {
		isg__free(g->repo_name);
		g->repo_name = isg__strdup(o->issue_repo);
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
static int collect_words(isg__gen *g)
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
	g->words = isg__calloc(cap + 1, sizeof(*g->words));
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

int isg__gen_mentions(const isg__gen *g, const char *name)
{
	return name && g->words &&
	       bsearch(&name, g->words, g->nwords, sizeof(*g->words),
	               cmp_word) != NULL;
}

/* ---- retrieval -------------------------------------------------------- */

static double round3(double v)
{
	if (!(v > 0))
		return 0;
	if (v > 1)
		return 1;
	return floor(v * 1000 + 0.5) / 1000;
}

static int collect_files(isg__gen *g)
{
	size_t nc = isg_locate_result_count(g->loc, ISG_LOCATE_CHANGE);
	size_t nr = isg_locate_result_count(g->loc, ISG_LOCATE_READ);
	size_t i, k = 0;
	int list;

	g->files = isg__calloc(nc + nr ? nc + nr : 1, sizeof(*g->files));
	if (!g->files)
		return isg__error_oom("bridge");
	for (list = ISG_LOCATE_CHANGE; list <= ISG_LOCATE_READ; list++) {
		size_t n = list == ISG_LOCATE_CHANGE ? nc : nr;
		double top = isg_locate_result_score(g->loc, list, 0);

		for (i = 0; i < n; i++) {
			isg__gfile *f = &g->files[k];
			double s = isg_locate_result_score(g->loc, list, i);

			/* A file under 2% of the best adds noise, not help. */
			if (i && top > 0 && s / top < 0.02) {
				if (list == ISG_LOCATE_CHANGE)
					nc--;
				else
					nr--;
				continue;
			}
			f->path = isg_locate_result_path(g->loc, list, i);
			f->role = isg_locate_result_role(g->loc, list, i);
			if (!f->role)
				f->role = "source";
			f->score = round3(top > 0 ? s / top : 0);
			f->list = list;
			f->rank = i;
			f->indexed = isg_repo_file_find(&f->idx, g->repo,
			                                f->path) == ISG_OK;
			k++;
		}
	}
	g->nchange = nc;
	g->nread = nr;
	isg_error_clear();
	return ISG_OK;
}

/* ---- concepts and difficulty ------------------------------------------ */

#define QMAX 64

static void add_unique(const char **v, size_t *n, const char *s)
{
	size_t i;

	if (!s || !*s || *n >= QMAX)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return;
	v[(*n)++] = s;
}

static int match_concepts(isg__gen *g)
{
	const char *paths[QMAX], *langs[QMAX], *imps[QMAX], *syms[QMAX];
	size_t np = 0, nl = 0, ni = 0, ns = 0, i, j;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	int rc;

	for (i = 0; i < g->nchange; i++) {
		const isg__gfile *f = &g->files[i];

		add_unique(paths, &np, f->path);
		for (j = 0; j < isg_locate_result_symbol_count(
		                        g->loc, ISG_LOCATE_CHANGE, i);
		     j++)
			add_unique(syms, &ns,
			           isg_locate_result_symbol_name(
			                   g->loc, ISG_LOCATE_CHANGE, i, j));
		if (!f->indexed)
			continue;
		add_unique(langs, &nl, isg_repo_file_language(g->repo, f->idx));
		for (j = 0; j < isg_repo_file_import_count(g->repo, f->idx);
		     j++)
			add_unique(imps, &ni,
			           isg_repo_file_import(g->repo, f->idx, j));
	}
	q.title = g->title;
	q.body = g->body;
	q.labels = (const char *const *)g->labels;
	q.nlabels = g->nlabels;
	q.paths = paths;
	q.npaths = np;
	q.languages = langs;
	q.nlanguages = nl;
	q.imports = imps;
	q.nimports = ni;
	q.symbols = syms;
	q.nsymbols = ns;
	rc = isg_concepts_match(&g->matches, g->cat, &q);
	if (rc == ISG_OK)
		rc = isg_concepts_prerequisites(&g->prereqs, g->matches, 8);
	return rc;
}

static int estimate(isg__gen *g)
{
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	const char *paths[50];
	double scores[50];
	size_t i, n = g->nchange < 50 ? g->nchange : 50;

	for (i = 0; i < n; i++) {
		paths[i] = g->files[i].path;
		scores[i] = g->files[i].score;
	}
	in.title = g->title;
	in.body = g->body;
	in.labels = (const char *const *)g->labels;
	in.nlabels = g->nlabels;
	in.comment_count = g->ncomments;
	in.comment_chars = g->comment_chars;
	in.paths = paths;
	in.path_scores = scores;
	in.npaths = n;
	in.concepts = g->matches;
	return isg_difficulty_estimate(&g->diff, &in);
}

/* ---- verdict, prerequisites, engine ----------------------------------- */

static void write_issue(isg__gen *g)
{
	cJSON *o = isg__gen_obj(g, g->doc, "issue"), *a;
	size_t i;

	isg__gen_str(g, o, "repo", g->repo_name ? g->repo_name : "", 256);
	if (g->number > 0)
		isg__gen_num(g, o, "number", (double)g->number);
	else
		isg__gen_str(g, o, "number", NULL, 0);
	isg__gen_str(g, o, "title", g->title, TITLE_MAX_CP);
	isg__gen_str(g, o, "url", g->url, 2048);
	isg__gen_str(g, o, "state", g->state, 0);
	a = isg__gen_arr(g, o, "labels");
	for (i = 0; i < g->nlabels && i < 100; i++)
		isg__gen_push(g, a, g->labels[i], 256);
}

static void write_verdict(isg__gen *g)
{
	cJSON *o = isg__gen_obj(g, g->doc, "verdict"), *a;
	size_t i, n = isg_difficulty_reason_count(g->diff);

	if (o && !cJSON_AddBoolToObject(
	                 o, "junior_friendly",
	                 isg_difficulty_junior_friendly(g->diff) != 0))
		g->oom = 1;
	isg__gen_str(
	        g, o, "difficulty",
	        isg_difficulty_level_name(isg_difficulty_level_of(g->diff)), 0);
	isg__gen_num(g, o, "score", round3(isg_difficulty_score(g->diff)));
	a = isg__gen_arr(g, o, "reasons");
	for (i = 0; i < n && i < 50; i++) {
		const isg_difficulty_reason *r =
		        isg_difficulty_reason_at(g->diff, i);

		if (r && r->text && r->text[0])
			isg__gen_push(g, a, r->text, 1000);
	}
	if (a && cJSON_GetArraySize(a) == 0)
		isg__gen_push(g, a,
		              "no feature moved the score: the estimate is the "
		              "model's prior",
		              0);
}

/* Where an "import 'x'" evidence came from: a ranked file importing it. */
static const char *importer(const isg__gen *g, const char *ev, char *name,
                            size_t cap)
{
	const char *q;
	size_t i, j, n;

	if (strncmp(ev, "import '", 8) != 0)
		return NULL;
	q = strchr(ev + 8, '\'');
	n = q ? (size_t)(q - ev - 8) : 0;
	if (!n || n >= cap)
		return NULL;
	memcpy(name, ev + 8, n);
	name[n] = '\0';
	for (i = 0; i < g->nchange + g->nread; i++) {
		const isg__gfile *f = &g->files[i];

		if (!f->indexed)
			continue;
		for (j = 0; j < isg_repo_file_import_count(g->repo, f->idx);
		     j++) {
			const char *imp =
			        isg_repo_file_import(g->repo, f->idx, j);

			if (strncmp(imp, name, n) == 0 &&
			    (imp[n] == '\0' || imp[n] == '.' || imp[n] == '/'))
				return f->path;
		}
	}
	return NULL;
}

/* Whether two evidence strings quote the same term ('exception' and
 * 'exceptions'): their quoted parts share a prefix of all but one byte. */
static int same_term(const char *a, const char *b)
{
	const char *qa = strchr(a, '\''), *qb = strchr(b, '\'');
	size_t la, lb, n;

	if (!qa || !qb || qa - a != qb - b || memcmp(a, b, (size_t)(qa - a)))
		return 0;
	la = strcspn(qa + 1, "'");
	lb = strcspn(qb + 1, "'");
	n = la < lb ? la : lb;
	return n >= 3 && (la > lb ? la - lb : lb - la) <= 1 &&
	       memcmp(qa + 1, qb + 1, n) == 0;
}

static void write_prereqs(isg__gen *g)
{
	cJSON *a = isg__gen_arr(g, g->doc, "prerequisites");
	size_t i, j, shown, n = isg_concepts_matches_count(g->prereqs);
	isg_buf why = ISG_BUF_INIT;

	for (i = 0; i < n && i < 50 && a; i++) {
		const isg_concept_match *m =
		        isg_concepts_matches_at(g->prereqs, i);
		cJSON *o;
		int rc = ISG_OK;

		if (!m || !m->entry || !isg__bridge_is_slug(m->entry->slug))
			continue;
		o = isg__gen_obj(g, a, NULL);
		isg__gen_str(g, o, "concept", m->entry->slug, 128);
		isg__gen_str(g, o, "name", m->entry->name, 256);
		for (j = 0, shown = 0;
		     j < m->nevidence && shown < 2 && rc == ISG_OK; j++) {
			const char *ev = m->evidence[j];
			char name[128];
			const char *file;

			if (j && same_term(m->evidence[j - 1], ev))
				continue; /* 'exception' after 'exceptions' */
			file = importer(g, ev, name, sizeof(name));
			rc = isg__buf_puts(&why,
			                   shown++ ? "; " : "Needed here: ");
			if (rc == ISG_OK && file)
				rc = isg__buf_printf(&why, "%s imports '%s'",
				                     file, name);
			else if (rc == ISG_OK)
				rc = isg__buf_puts(&why, ev);
		}
		if (rc == ISG_OK && why.size)
			rc = isg__buf_puts(&why, ". ");
		if (rc == ISG_OK)
			rc = isg__gen_sentence(&why, m->entry->description,
			                       300);
		isg__gen_buf(g, o, "why", &why, rc, 4000);
	}
	isg_buf_dispose(&why);
}

static void write_engine(isg__gen *g)
{
	cJSON *o = isg__gen_obj(g, g->doc, "engine");

	isg__gen_str(g, o, "kind", "offline", 0);
	isg__gen_str(g, o, "model", NULL, 0);
	isg__gen_str(g, o, "repo_commit", isg_repo_commit(g->repo), 256);
	isg__gen_num(g, o, "prompt_tokens", 0);
	isg__gen_num(g, o, "completion_tokens", 0);
}

/* ---- the engine -------------------------------------------------------- */

static int check_options(const isg_bridge_options *o)
{
	if (!o->repo == !o->repo_handle)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_options: set exactly one of "
		                      "repo and repo_handle");
	if (!o->issue_text == !o->issue_json)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_options: set exactly one of "
		                      "issue_text and issue_json");
	if (o->top_k > 50)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_options.top_k: %zu is over "
		                      "the maximum of 50",
		                      o->top_k);
	return ISG_OK;
}

static void gen_dispose(isg__gen *g)
{
	size_t i;

	isg__free(g->title);
	isg__free(g->body);
	for (i = 0; i < g->nlabels; i++)
		isg__free(g->labels[i]);
	isg__free(g->labels);
	isg__free(g->url);
	isg__free(g->state);
	isg__free(g->repo_name);
	isg_locate_result_free(g->loc);
	isg_concepts_matches_free(g->prereqs);
	isg_concepts_matches_free(g->matches);
	isg_difficulty_free(g->diff);
	isg__free(g->files);
	isg__free(g->test_cmd);
	isg__free(g->comments);
	isg__free(g->wordbuf);
	isg__free(g->words);
	cJSON_Delete(g->doc);
}

static int locate(isg__gen *g, size_t top_k)
{
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_buf text = ISG_BUF_INIT;
	int rc;

	lo.top_k = top_k ? top_k : 5;
	lo.top_k_read = 5;
	rc = isg__buf_printf(&text, "%s\n\n%s\n\n%s", g->title, g->body,
	                     g->comments);
	if (rc == ISG_OK)
		rc = isg_locate(&g->loc, g->repo, text.ptr, text.size, &lo);
	isg_buf_dispose(&text);
	return rc;
}

static int test_command(isg__gen *g)
{
	isg_buf cmd = ISG_BUF_INIT;
	int rc = isg_repo_test_command(&cmd, g->repo);

	if (rc == ISG_OK) {
		g->test_cmd = isg__buf_detach(&cmd);
		g->test_cmd_origin = isg_repo_test_command_origin(g->repo);
		rc = g->test_cmd ? ISG_OK : isg__error_oom("bridge");
	} else if (rc == ISG_ENOTFOUND) {
		rc = ISG_OK;
		isg_error_clear();
	}
	isg_buf_dispose(&cmd);
	return rc;
}

int isg__bridge_offline(isg_bridge **out, const isg_bridge_options *opts)
{
	isg__gen g;
	isg_repo *own_repo = NULL;
	isg_concepts *own_cat = NULL;
	int rc;

	memset(&g, 0, sizeof(g));
	rc = check_options(opts);
	if (rc == ISG_OK)
		rc = read_issue(&g, opts);
	if (rc != ISG_OK)
		goto done;
	g.repo = opts->repo_handle;
	if (!g.repo) {
		isg_repo_options ro = ISG_REPO_OPTIONS_INIT;

		ro.path_or_url = opts->repo;
		ro.cache_dir = opts->cache_dir;
		ro.config = opts->config;
		rc = isg_repo_open(&own_repo, &ro);
		if (rc != ISG_OK)
			goto done;
		g.repo = own_repo;
	}
	g.cat = opts->concepts;
	if (!g.cat) {
		rc = isg_concepts_new(&own_cat, NULL);
		if (rc != ISG_OK)
			goto done;
		g.cat = own_cat;
	}
	if ((rc = collect_words(&g)) != ISG_OK ||
	    (rc = locate(&g, opts->top_k)) != ISG_OK ||
	    (rc = collect_files(&g)) != ISG_OK ||
	    (rc = match_concepts(&g)) != ISG_OK ||
	    (rc = estimate(&g)) != ISG_OK || (rc = test_command(&g)) != ISG_OK)
		goto done;
	g.doc = cJSON_CreateObject();
	if (!g.doc) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	isg__gen_str(&g, g.doc, "schema_version", ISG_BRIDGE_SCHEMA_VERSION, 0);
	write_issue(&g);
	write_verdict(&g);
	write_prereqs(&g);
	isg__gen_architecture(&g);
	isg__gen_guide(&g);
	write_engine(&g);
	if (g.oom) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	rc = isg__bridge_check(g.doc);
	if (rc != ISG_OK) {
		/* A bug of this engine, not of the input: say so. */
		char why[ISG_ERROR_MESSAGE_MAX];

		snprintf(why, sizeof(why), "%s", isg_error_last()->message);
		rc = isg__error_set(ISG_ERROR, "bridge",
		                    "the offline engine built a document the "
		                    "schema rejects: %s",
		                    why);
		goto done;
	}
	rc = isg__bridge_from_tree(out, g.doc);
done:
	gen_dispose(&g);
	isg_concepts_free(own_cat);
	isg_repo_free(own_repo);
	return rc;
}

int isg_bridge_generate(isg_bridge **out, const isg_bridge_options *opts)
{
	if (!out || !opts)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_generate: NULL argument");
	*out = NULL;
	if (opts->version != ISG_BRIDGE_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_options.version is %u, "
		                      "expected %d",
		                      opts->version,
		                      ISG_BRIDGE_OPTIONS_VERSION);
	if (opts->engine == ISG_BRIDGE_ENGINE_LLM)
		return isg__error_set(ISG_EUNSUPPORTED, "bridge",
		                      "isg_bridge_options.engine: the llm "
		                      "engine is not part of this build; use "
		                      "the offline engine (0)");
	if (opts->engine != ISG_BRIDGE_ENGINE_OFFLINE)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_options.engine: unknown "
		                      "engine %d",
		                      opts->engine);
	return isg__bridge_offline(out, opts);
}
