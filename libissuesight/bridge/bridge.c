/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge: the Context Bridge handle. A bridge is only ever built from a
 * JSON tree that passed the schema check (the offline engine builds such a
 * tree too), so every view it hands out is complete and within the
 * schema's ranges. Its strings and arrays live in one arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "json_int.h"

void isg_bridge_free(isg_bridge *b)
{
	if (!b)
		return;
	isg__arena_free(&b->arena);
	isg__alloc_free(b);
}

const isg_bridge_issue *isg_bridge_get_issue(const isg_bridge *b)
{
	return b ? &b->issue : NULL;
}

const isg_bridge_verdict *isg_bridge_get_verdict(const isg_bridge *b)
{
	return b ? &b->verdict : NULL;
}

size_t isg_bridge_prerequisite_count(const isg_bridge *b)
{
	return b ? b->nprereqs : 0;
}

const isg_bridge_prerequisite *isg_bridge_prerequisite_at(const isg_bridge *b,
                                                          size_t i)
{
	return b && i < b->nprereqs ? &b->prereqs[i] : NULL;
}

const isg_bridge_architecture *isg_bridge_get_architecture(const isg_bridge *b)
{
	return b ? &b->arch : NULL;
}

const isg_bridge_guide *isg_bridge_get_guide(const isg_bridge *b)
{
	return b ? &b->guide : NULL;
}

const isg_bridge_engine *isg_bridge_get_engine(const isg_bridge *b)
{
	return b ? &b->engine : NULL;
}

/* ---- tree → bridge ----------------------------------------------------- */

/* The conversion trusts the schema check: types are right, so a missing
 * value can only mean an allocation failure. `oom` collects those. */
typedef struct conv {
	isg_bridge *b;
	int oom;
} conv;

static const char *cv_str(conv *c, const cJSON *obj, const char *key)
{
	const char *s = isg__json_str(obj, key);
	const char *copy;

	if (!s)
		return NULL; /* JSON null */
	copy = isg__arena_strdup(&c->b->arena, s);
	if (!copy)
		c->oom = 1;
	return copy;
}

static long long cv_int(const cJSON *obj, const char *key)
{
	int64_t v = 0;

	if (isg__json_i64(obj, key, &v) != ISG_OK)
		return 0;
	return (long long)v;
}

static double cv_num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void *cv_array(conv *c, const cJSON *arr, size_t size, size_t *n)
{
	void *p;

	*n = (size_t)cJSON_GetArraySize(arr);
	p = isg__arena_array(&c->b->arena, *n, size);
	if (!p) {
		c->oom = 1;
		*n = 0;
	}
	return p;
}

static const char *const *cv_strings(conv *c, const cJSON *obj, const char *key,
                                     size_t *n)
{
	const cJSON *arr = isg__json_arr(obj, key), *e;
	const char **out = cv_array(c, arr, sizeof(*out), n);
	size_t i = 0;

	if (!out)
		return NULL;
	cJSON_ArrayForEach(e, arr)
	{
		out[i] = isg__arena_strdup(&c->b->arena, e->valuestring);
		if (!out[i])
			c->oom = 1;
		i++;
	}
	return out;
}

static void cv_issue(conv *c, const cJSON *o)
{
	isg_bridge_issue *is = &c->b->issue;

	is->repo = cv_str(c, o, "repo");
	is->number = cv_int(o, "number");
	is->title = cv_str(c, o, "title");
	is->url = cv_str(c, o, "url");
	is->state = cv_str(c, o, "state");
	is->labels = cv_strings(c, o, "labels", &is->nlabels);
}

static void cv_verdict(conv *c, const cJSON *o)
{
	isg_bridge_verdict *v = &c->b->verdict;

	isg__json_bool(o, "junior_friendly", &v->junior_friendly);
	v->difficulty = cv_str(c, o, "difficulty");
	v->score = cv_num(o, "score");
	v->reasons = cv_strings(c, o, "reasons", &v->nreasons);
}

static void cv_prereqs(conv *c, const cJSON *arr)
{
	isg_bridge_prerequisite *p;
	const cJSON *e;
	size_t i = 0;

	p = cv_array(c, arr, sizeof(*p), &c->b->nprereqs);
	c->b->prereqs = p;
	if (!p)
		return;
	cJSON_ArrayForEach(e, arr)
	{
		p[i].concept = cv_str(c, e, "concept");
		p[i].name = cv_str(c, e, "name");
		p[i].why = cv_str(c, e, "why");
		i++;
	}
}

static void cv_files(conv *c, const cJSON *arr)
{
	isg_bridge_architecture *a = &c->b->arch;
	isg_bridge_file *f = cv_array(c, arr, sizeof(*f), &a->nfiles);
	const cJSON *e, *s;
	size_t i = 0;

	a->files = f;
	if (!f)
		return;
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *syms = isg__json_arr(e, "symbols");
		isg_bridge_symbol *sv;
		size_t j = 0;

		f[i].path = cv_str(c, e, "path");
		f[i].role = cv_str(c, e, "role");
		f[i].score = cv_num(e, "score");
		sv = cv_array(c, syms, sizeof(*sv), &f[i].nsymbols);
		f[i].symbols = sv;
		if (sv) {
			cJSON_ArrayForEach(s, syms)
			{
				sv[j].name = cv_str(c, s, "name");
				sv[j].line = (unsigned int)cv_int(s, "line");
				j++;
			}
		}
		i++;
	}
}

static void cv_arch(conv *c, const cJSON *o)
{
	isg_bridge_architecture *a = &c->b->arch;
	const cJSON *arr, *e;
	isg_bridge_relation *r;
	isg_bridge_reading *rd;
	size_t i;

	a->summary = cv_str(c, o, "summary");
	a->entry_point = cv_str(c, o, "entry_point");
	cv_files(c, isg__json_arr(o, "files"));
	arr = isg__json_arr(o, "relations");
	r = cv_array(c, arr, sizeof(*r), &a->nrelations);
	a->relations = r;
	i = 0;
	if (r) {
		cJSON_ArrayForEach(e, arr)
		{
			r[i].from = cv_str(c, e, "from");
			r[i].to = cv_str(c, e, "to");
			r[i].kind = cv_str(c, e, "kind");
			i++;
		}
	}
	arr = isg__json_arr(o, "read_these");
	rd = cv_array(c, arr, sizeof(*rd), &a->nread_these);
	a->read_these = rd;
	i = 0;
	if (rd) {
		cJSON_ArrayForEach(e, arr)
		{
			rd[i].path = cv_str(c, e, "path");
			rd[i].kind = cv_str(c, e, "kind");
			rd[i].why = cv_str(c, e, "why");
			i++;
		}
	}
}

static void cv_guide(conv *c, const cJSON *o)
{
	isg_bridge_guide *g = &c->b->guide;
	const cJSON *arr = isg__json_arr(o, "steps"), *e;
	isg_bridge_step *st = cv_array(c, arr, sizeof(*st), &g->nsteps);
	isg_bridge_rule *ru;
	size_t i = 0;

	g->steps = st;
	if (st) {
		cJSON_ArrayForEach(e, arr)
		{
			st[i].title = cv_str(c, e, "title");
			st[i].detail = cv_str(c, e, "detail");
			st[i].files = cv_strings(c, e, "files", &st[i].nfiles);
			i++;
		}
	}
	g->test_command = cv_str(c, o, "test_command");
	arr = isg__json_arr(o, "contributing");
	ru = cv_array(c, arr, sizeof(*ru), &g->ncontributing);
	g->contributing = ru;
	i = 0;
	if (ru) {
		cJSON_ArrayForEach(e, arr)
		{
			ru[i].path = cv_str(c, e, "path");
			ru[i].summary = cv_str(c, e, "summary");
			i++;
		}
	}
}

static void cv_engine(conv *c, const cJSON *o)
{
	isg_bridge_engine *en = &c->b->engine;

	en->kind = cv_str(c, o, "kind");
	en->model = cv_str(c, o, "model");
	en->repo_commit = cv_str(c, o, "repo_commit");
	en->prompt_tokens = cv_int(o, "prompt_tokens");
	en->completion_tokens = cv_int(o, "completion_tokens");
}

int isg__bridge_from_tree(isg_bridge **out, const cJSON *doc)
{
	conv c;
	int rc = ISG_OK;

	*out = NULL;
	c.oom = 0;
	c.b = isg__alloc_calloc(1, sizeof(*c.b));
	if (!c.b)
		return isg__error_oom("bridge");
	cv_issue(&c, isg__json_obj(doc, "issue"));
	cv_verdict(&c, isg__json_obj(doc, "verdict"));
	cv_prereqs(&c, isg__json_arr(doc, "prerequisites"));
	cv_arch(&c, isg__json_obj(doc, "architecture"));
	cv_guide(&c, isg__json_obj(doc, "guide"));
	cv_engine(&c, isg__json_obj(doc, "engine"));
	if (c.oom) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	*out = c.b;
	c.b = NULL;
done:
	isg_bridge_free(c.b);
	return rc;
}

/* ---- JSON text in ---------------------------------------------------- */

static int parse_checked(cJSON **out, const char *json, size_t len)
{
	cJSON *doc;
	int rc;

	*out = NULL;
	if (!json)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "no JSON text (NULL)");
	if (len > ISG__BRIDGE_MAX_JSON)
		return isg__error_set(
		        ISG_ETOOBIG, "bridge",
		        "document of %zu bytes is over the limit of %zu", len,
		        ISG__BRIDGE_MAX_JSON);
	doc = isg__json_parse(json, len, "bridge", "bridge document");
	if (!doc)
		return isg_error_last()->code;
	rc = isg__bridge_check(doc);
	if (rc != ISG_OK) {
		cJSON_Delete(doc);
		return rc;
	}
	*out = doc;
	return ISG_OK;
}

int isg_bridge_validate(const char *json, size_t len)
{
	cJSON *doc = NULL;
	int rc = parse_checked(&doc, json, len);

	cJSON_Delete(doc);
	return rc;
}

int isg_bridge_from_json(isg_bridge **out, const char *json, size_t len)
{
	cJSON *doc = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_from_json: NULL out");
	*out = NULL;
	rc = parse_checked(&doc, json, len);
	if (rc != ISG_OK)
		goto done;
	rc = isg__bridge_from_tree(out, doc);
done:
	cJSON_Delete(doc);
	return rc;
}

/* ---- JSON text out --------------------------------------------------- */

/* A small writer: `sep` puts the comma and, when pretty, the newline and
 * indentation before each member or element. Errors stick in `rc`. */
typedef struct jw {
	isg_buf *b;
	int pretty;
	int depth;
	int first[8];
	int rc;
} jw;

static void jw_raw(jw *w, const char *s)
{
	if (w->rc == ISG_OK)
		w->rc = isg__buf_puts(w->b, s);
}

static void jw_indent(jw *w, int depth)
{
	int i;

	jw_raw(w, "\n");
	for (i = 0; i < depth; i++)
		jw_raw(w, "  ");
}

static void jw_sep(jw *w)
{
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		jw_raw(w, ",");
	w->first[w->depth] = 0;
	if (w->pretty)
		jw_indent(w, w->depth);
}

static void jw_open(jw *w, const char *c)
{
	jw_raw(w, c);
	w->depth++;
	w->first[w->depth] = 1;
}

static void jw_close(jw *w, const char *c)
{
	if (w->pretty && !w->first[w->depth])
		jw_indent(w, w->depth - 1);
	w->depth--;
	jw_raw(w, c);
}

static void jw_strval(jw *w, const char *s)
{
	if (!s)
		jw_raw(w, "null");
	else if (w->rc == ISG_OK)
		w->rc = isg__buf_put_json_string(w->b, s, strlen(s));
}

static void jw_key(jw *w, const char *k)
{
	jw_sep(w);
	jw_strval(w, k);
	jw_raw(w, w->pretty ? ": " : ":");
}

static void jw_str(jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_strval(w, s);
}

static void jw_int(jw *w, const char *k, long long v, int null_if_zero)
{
	char tmp[32];

	jw_key(w, k);
	if (null_if_zero && v == 0) {
		jw_raw(w, "null");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%lld", v);
	jw_raw(w, tmp);
}

/* The shortest of %.15g and %.17g that reads back as the same double, as
 * cJSON does, so that writing what was read gives the same bytes. */
static void jw_num(jw *w, const char *k, double d)
{
	char tmp[64];

	jw_key(w, k);
	snprintf(tmp, sizeof(tmp), "%.15g", d);
	if (strtod(tmp, NULL) != d)
		snprintf(tmp, sizeof(tmp), "%.17g", d);
	jw_raw(w, tmp);
}

static void jw_strings(jw *w, const char *k, const char *const *v, size_t n)
{
	size_t i;

	jw_key(w, k);
	jw_open(w, "[");
	for (i = 0; i < n; i++) {
		jw_sep(w);
		jw_strval(w, v[i]);
	}
	jw_close(w, "]");
}

static void write_arch(jw *w, const isg_bridge_architecture *a)
{
	size_t i, j;

	jw_key(w, "architecture");
	jw_open(w, "{");
	jw_str(w, "summary", a->summary);
	jw_str(w, "entry_point", a->entry_point);
	jw_key(w, "files");
	jw_open(w, "[");
	for (i = 0; i < a->nfiles; i++) {
		jw_sep(w);
		jw_open(w, "{");
		jw_str(w, "path", a->files[i].path);
		jw_str(w, "role", a->files[i].role);
		jw_num(w, "score", a->files[i].score);
		jw_key(w, "symbols");
		jw_open(w, "[");
		for (j = 0; j < a->files[i].nsymbols; j++) {
			jw_sep(w);
			jw_open(w, "{");
			jw_str(w, "name", a->files[i].symbols[j].name);
			jw_int(w, "line", a->files[i].symbols[j].line, 0);
			jw_close(w, "}");
		}
		jw_close(w, "]");
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_key(w, "relations");
	jw_open(w, "[");
	for (i = 0; i < a->nrelations; i++) {
		jw_sep(w);
		jw_open(w, "{");
		jw_str(w, "from", a->relations[i].from);
		jw_str(w, "to", a->relations[i].to);
		jw_str(w, "kind", a->relations[i].kind);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_key(w, "read_these");
	jw_open(w, "[");
	for (i = 0; i < a->nread_these; i++) {
		jw_sep(w);
		jw_open(w, "{");
		jw_str(w, "path", a->read_these[i].path);
		jw_str(w, "kind", a->read_these[i].kind);
		jw_str(w, "why", a->read_these[i].why);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_close(w, "}");
}

static void write_guide(jw *w, const isg_bridge_guide *g)
{
	size_t i;

	jw_key(w, "guide");
	jw_open(w, "{");
	jw_key(w, "steps");
	jw_open(w, "[");
	for (i = 0; i < g->nsteps; i++) {
		jw_sep(w);
		jw_open(w, "{");
		jw_str(w, "title", g->steps[i].title);
		jw_str(w, "detail", g->steps[i].detail);
		jw_strings(w, "files", g->steps[i].files, g->steps[i].nfiles);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_str(w, "test_command", g->test_command);
	jw_key(w, "contributing");
	jw_open(w, "[");
	for (i = 0; i < g->ncontributing; i++) {
		jw_sep(w);
		jw_open(w, "{");
		jw_str(w, "path", g->contributing[i].path);
		jw_str(w, "summary", g->contributing[i].summary);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_close(w, "}");
}

int isg_bridge_to_json(isg_buf *out, const isg_bridge *b, unsigned int flags)
{
	isg_buf tmp = ISG_BUF_INIT;
	jw w;
	size_t i;

	if (!out || !b)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_to_json: NULL argument");
	if (flags & ~ISG_BRIDGE_JSON_PRETTY)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_to_json: unknown flags 0x%x",
		                      flags);
	memset(&w, 0, sizeof(w));
	w.b = &tmp;
	w.pretty = (flags & ISG_BRIDGE_JSON_PRETTY) != 0;
	jw_open(&w, "{");
	jw_str(&w, "schema_version", ISG_BRIDGE_SCHEMA_VERSION);
	jw_key(&w, "issue");
	jw_open(&w, "{");
	jw_str(&w, "repo", b->issue.repo);
	jw_int(&w, "number", b->issue.number, 1);
	jw_str(&w, "title", b->issue.title);
	jw_str(&w, "url", b->issue.url);
	jw_str(&w, "state", b->issue.state);
	jw_strings(&w, "labels", b->issue.labels, b->issue.nlabels);
	jw_close(&w, "}");
	jw_key(&w, "verdict");
	jw_open(&w, "{");
	jw_key(&w, "junior_friendly");
	jw_raw(&w, b->verdict.junior_friendly ? "true" : "false");
	jw_str(&w, "difficulty", b->verdict.difficulty);
	jw_num(&w, "score", b->verdict.score);
	jw_strings(&w, "reasons", b->verdict.reasons, b->verdict.nreasons);
	jw_close(&w, "}");
	jw_key(&w, "prerequisites");
	jw_open(&w, "[");
	for (i = 0; i < b->nprereqs; i++) {
		jw_sep(&w);
		jw_open(&w, "{");
		jw_str(&w, "concept", b->prereqs[i].concept);
		jw_str(&w, "name", b->prereqs[i].name);
		jw_str(&w, "why", b->prereqs[i].why);
		jw_close(&w, "}");
	}
	jw_close(&w, "]");
	write_arch(&w, &b->arch);
	write_guide(&w, &b->guide);
	jw_key(&w, "engine");
	jw_open(&w, "{");
	jw_str(&w, "kind", b->engine.kind);
	jw_str(&w, "model", b->engine.model);
	jw_str(&w, "repo_commit", b->engine.repo_commit);
	jw_int(&w, "prompt_tokens", b->engine.prompt_tokens, 0);
	jw_int(&w, "completion_tokens", b->engine.completion_tokens, 0);
	jw_close(&w, "}");
	jw_close(&w, "}");
	if (w.pretty)
		jw_raw(&w, "\n");
	if (w.rc == ISG_OK && !tmp.ptr)
		w.rc = isg__buf_puts(&tmp, "");
	if (w.rc != ISG_OK) {
		isg_buf_dispose(&tmp);
		return isg__error_oom("bridge");
	}
	isg_buf_dispose(out);
	*out = tmp;
	return ISG_OK;
}
