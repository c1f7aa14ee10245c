/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate: ranks the files of an indexed repository for an issue. The score
 * of a file is BM25 over code-aware tokens (whole file, best definition
 * chunk, string literals; each counted by the file's rank in its list)
 * plus bonuses for what the issue names explicitly: a stack-trace frame or
 * path in the file, a module path or file name that resolves to it, a
 * definition of a mentioned identifier, a file name equal to one.
 * docs/index.md explains each weight.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"
#define MAX_TEXT (1024 * 1024)
#define MAX_QUERY_TERMS 48
#define MAX_REASONS 6
#define MAX_SYMBOLS 8

static const char *const stop_terms[] = {
	"the",    "and",      "for",       "that",   "this",    "with",
	"from",   "are",      "was",       "not",    "but",     "have",
	"has",    "had",      "you",       "can",    "will",    "would",
	"should", "could",    "when",      "what",   "which",   "there",
	"their",  "then",     "than",      "into",   "also",    "just",
	"like",   "some",     "any",       "all",    "one",     "use",
	"used",   "using",    "get",       "set",    "new",     "may",
	"might",  "does",     "did",       "been",   "being",   "its",
	"our",    "out",      "how",       "why",    "where",   "here",
	"more",   "only",     "other",     "such",   "these",   "those",
	"very",   "self",     "none",      "true",   "false",   "return",
	"def",    "import",   "class",     "issue",  "bug",     "expected",
	"actual", "behavior", "behaviour", "please", "thanks",  "version",
	"python", "error",    "http",      "https",  "www",     "com",
	"github", "line",     "file",      "code",   "example", "following",
	"is",     "it",       "in",        "to",     "of",      "be",
	"or",     "as",       "an",        "on",     "at",      "by",
	"if",     "we",       "do",        "so",     "no",      "my",
	"me",     "up",       "print",
};

int isg__locate_is_stop_term(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(stop_terms); i++)
		if (strlen(stop_terms[i]) == n &&
		    memcmp(stop_terms[i], t, n) == 0)
			return 1;
	return 0;
}

double isg__locate_term_weight(size_t tf, size_t df, size_t nfiles)
{
	if (df == 0 || df * 2 > nfiles + 1)
		return 0.0;
	return (1.0 + log((double)tf)) * log(1.0 + (double)nfiles / (double)df);
}

/* ---- a small string-keyed hash map (keys borrowed) ---- */

static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33u + (unsigned char)*s++;
	return h;
}

int isg__smap_init(isg__smap *m, size_t n)
{
	size_t cap = 64;

	while (cap < n * 2 + 1)
		cap *= 2;
	m->keys = isg__calloc(cap, sizeof(*m->keys));
	m->vals = isg__calloc(cap, sizeof(*m->vals));
	m->cap = cap;
	if (!m->keys || !m->vals) {
		isg__smap_free(m);
		return isg__error_oom(MODULE);
	}
	return ISG_OK;
}

void isg__smap_free(isg__smap *m)
{
	isg__free(m->keys);
	isg__free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* Returns the slot of `key` (existing or where it would go). */
static size_t smap_slot(const isg__smap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

long isg__smap_get(const isg__smap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return -1;
	i = smap_slot(m, key);
	return m->keys[i] ? m->vals[i] : -1;
}

/* Inserts when absent (the map never fills: sized for n keys). */
void isg__smap_put(isg__smap *m, const char *key, long val)
{
	size_t i = smap_slot(m, key);

	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = val;
	}
}

/* ---- query terms and BM25 ---- */

typedef struct term {
	char *text;
	size_t tf, df;
	double weight;
} term;

static int cmp_term(const void *a, const void *b)
{
	double x = ((const term *)a)->weight, y = ((const term *)b)->weight;

	return x < y   ? 1
	       : x > y ? -1
	               : strcmp(((const term *)a)->text,
	                        ((const term *)b)->text);
}

int isg__locate_terms(isg__lctx *c)
{
	isg_buf toks = ISG_BUF_INIT, q = ISG_BUF_INIT;
	term *terms = NULL;
	size_t nterms = 0, cap = 0, i;
	isg__smap seen;
	char *p;
	int rc;

	memset(&seen, 0, sizeof(seen));
	rc = isg__repo_tokens(&toks, c->text, c->len, NULL);
	if (rc != ISG_OK || !toks.ptr)
		goto done;
	rc = isg__smap_init(&seen, 4096);
	if (rc != ISG_OK)
		goto done;
	for (p = toks.ptr; *p;) {
		char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		long idx;

		if (sp)
			*sp = '\0';
		if (n >= 2 && !isg__locate_is_stop_term(p, n)) {
			idx = isg__smap_get(&seen, p);
			if (idx >= 0) {
				terms[idx].tf++;
			} else if (nterms < 4000) {
				if (nterms == cap) {
					size_t nc = cap ? cap * 2 : 64;
					term *nt = isg__realloc(
					        terms, nc * sizeof(*nt));

					if (!nt) {
						rc = isg__error_oom(MODULE);
						goto done;
					}
					terms = nt;
					cap = nc;
				}
				terms[nterms].text = p;
				terms[nterms].tf = 1;
				isg__smap_put(&seen, p, (long)nterms);
				nterms++;
			}
		}
		p += n + (sp ? 1 : 0);
	}
	for (i = 0; i < nterms; i++) {
		rc = isg__repo_db_df(c->repo, terms[i].text, &terms[i].df);
		if (rc != ISG_OK)
			goto done;
		terms[i].weight = isg__locate_term_weight(
		        terms[i].tf, terms[i].df, c->repo->nfiles);
	}
	/* Keep the issue's words for directory mentions (resolve). */
	rc = isg__smap_init(&c->words, nterms);
	if (rc != ISG_OK)
		goto done;
	for (i = 0; i < nterms; i++)
		isg__smap_put(&c->words, terms[i].text, 1);
	if (nterms)
		qsort(terms, nterms, sizeof(*terms), cmp_term);
	for (i = 0; i < nterms && c->nterms < MAX_QUERY_TERMS; i++) {
		if (terms[i].weight <= 0.0)
			break;
		if ((rc = isg__buf_printf(&q, "%s\"%s\"", q.size ? " OR " : "",
		                          terms[i].text)) != ISG_OK)
			goto done;
		c->terms[c->nterms] =
		        isg__arena_strdup(&c->res->arena, terms[i].text);
		if (!c->terms[c->nterms]) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		c->nterms++;
	}
	if (q.size)
		rc = isg__repo_db_bm25(c->repo, q.ptr, c->bm25);
	if (rc == ISG_OK && q.size)
		rc = isg__repo_db_spans(c->repo, q.ptr, c->span, c->span_line,
		                        &c->span_hits);
	if (rc == ISG_OK) {
		isg__buf_clear(&q);
		rc = isg__locate_literal_query(&q, c->text, c->len);
	}
	if (rc == ISG_OK && q.size)
		rc = isg__repo_db_literals(c->repo, q.ptr, c->lit);
done:
	isg__smap_free(&seen);
	isg__free(terms);
	/* The words map borrows the token buffer: the context keeps it. */
	c->words_buf = toks;
	isg_buf_dispose(&q);
	return rc;
}

/* ---- explicit mentions ---- */

int isg__locate_path_names(const char *m, const char *path)
{
	size_t a = strlen(m), b = strlen(path);

	if (a == b)
		return strcmp(m, path) == 0;
	if (a > b)
		return m[a - b - 1] == '/' && strcmp(m + a - b, path) == 0;
	return path[b - a - 1] == '/' && strcmp(path + b - a, m) == 0;
}

/* 1 when the lower-cased stem path ends with `cand` (a '/' path) at a
 * component boundary, directly or as cand/__init__. */
static int stem_names(const char *stem, const char *cand)
{
	size_t a = strlen(stem), b = strlen(cand);
	static const char init[] = "/__init__";

	if (a >= b && strcmp(stem + a - b, cand) == 0 &&
	    (a == b || stem[a - b - 1] == '/'))
		return 1;
	if (a >= b + 9 && strcmp(stem + a - 9, init) == 0 &&
	    strncmp(stem + a - 9 - b, cand, b) == 0 &&
	    (a == b + 9 || stem[a - 9 - b - 1] == '/'))
		return 1;
	return 0;
}

/* Converts module mention i's first `parts` components to a lower-case
 * '/' path in `out`. */
static void module_cand(char *out, size_t n, const char *m, int parts)
{
	size_t i = 0;
	int k = 1;

	for (; *m && i + 1 < n; m++) {
		if (*m == '.') {
			if (k++ == parts)
				break;
			out[i++] = '/';
		} else {
			out[i++] =
			        (*m >= 'A' && *m <= 'Z') ? (char)(*m + 32) : *m;
		}
	}
	out[i] = '\0';
}

static int count_parts(const char *m)
{
	int n = 1;

	while (*m)
		n += *m++ == '.';
	return n;
}

/* Marks the files under directory `dir` (a lower-case '/' path) as inside
 * a package the issue names, unless the directory holds most of the
 * repository (the project's top package says nothing). */
static void mark_package(isg__lctx *c, const char *dir, double weight)
{
	const isg_repo *r = c->repo;
	size_t f, n = strlen(dir), inside = 0;

	for (f = 0; f < r->nfiles; f++)
		if (strncmp(r->files[f].stem_path, dir, n) == 0 &&
		    r->files[f].stem_path[n] == '/')
			inside++;
	if (inside * 2 > r->nfiles)
		return;
	for (f = 0; f < r->nfiles; f++)
		if (strncmp(r->files[f].stem_path, dir, n) == 0 &&
		    r->files[f].stem_path[n] == '/' && c->pkg[f] < weight)
			c->pkg[f] = weight;
}

/* A directory whose name the issue uses as a word (`pyreverse`): its files
 * count as inside a named package, at half strength. */
static void mark_directories(isg__lctx *c)
{
	const isg_repo *r = c->repo;
	char dirs[16][256];
	size_t f, ndirs = 0, k;

	for (f = 0; f < r->nfiles; f++) {
		const char *base = r->files[f].stem_path, *p = base, *sl;

		while ((sl = strchr(p, '/')) != NULL) {
			size_t n = (size_t)(sl - p), plen = (size_t)(sl - base);
			char comp[128];

			if (n >= 4 && n < sizeof(comp) &&
			    plen < sizeof(dirs[0])) {
				memcpy(comp, p, n);
				comp[n] = '\0';
				for (k = 0; k < ndirs; k++)
					if (strncmp(dirs[k], base, plen) == 0 &&
					    dirs[k][plen] == '\0')
						break;
				if (k == ndirs && ndirs < 16 &&
				    isg__smap_get(&c->words, comp) >= 0) {
					memcpy(dirs[ndirs], base, plen);
					dirs[ndirs++][plen] = '\0';
				}
			}
			p = sl + 1;
		}
	}
	for (k = 0; k < ndirs; k++)
		mark_package(c, dirs[k], 0.5);
}

/* For every path/module mention: how many files it resolves to, and for
 * module mentions the longest resolving prefix. For every identifier:
 * how many files define it and how many have it as their file stem. */
int isg__locate_resolve(isg__lctx *c)
{
	const isg_repo *r = c->repo;
	size_t i, f;
	int rc;

	rc = isg__smap_init(&c->idents, c->mentions.len);
	if (rc != ISG_OK)
		return rc;
	rc = isg__smap_init(&c->lidents, c->mentions.len);
	if (rc != ISG_OK)
		return rc;
	for (i = 0; i < c->mentions.len; i++) {
		isg__mention *m = &c->mentions.items[i];

		if (m->type == ISG__M_IDENT) {
			char *low = isg__arena_strdup(&c->res->arena, m->text),
			     *p;

			if (!low)
				return isg__error_oom(MODULE);
			for (p = low; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			isg__smap_put(&c->idents, m->text, (long)i);
			if (strlen(low) >= 4)
				isg__smap_put(&c->lidents, low, (long)i);
		} else if (m->type == ISG__M_MODULE) {
			int parts = count_parts(m->text), k;

			for (k = parts; k >= 2 && !c->mod_len[i]; k--) {
				char cand[512];

				module_cand(cand, sizeof(cand), m->text, k);
				for (f = 0; f < r->nfiles; f++)
					if (stem_names(r->files[f].stem_path,
					               cand)) {
						c->hits[i]++;
						if (strlen(r->files[f]
						                   .stem_path) !=
						    strlen(cand))
							c->is_pkg[i] = 1;
					}
				if (c->hits[i])
					c->mod_len[i] = k;
				if (c->hits[i] && c->is_pkg[i])
					mark_package(c, cand, m->weight);
			}
		} else {
			for (f = 0; f < r->nfiles; f++)
				if (isg__locate_path_names(m->text,
				                           r->files[f].path))
					c->hits[i]++;
			if (m->type == ISG__M_FRAME && c->hits[i] &&
			    (c->last_frame < 0 ||
			     m->order > c->mentions.items[c->last_frame].order))
				c->last_frame = (long)i;
		}
	}
	/* Definition counts: distinct files defining each mentioned name. */
	for (i = 0; i < r->ndefs; i++) {
		long m = isg__smap_get(&c->idents, r->defs[i].name);

		if (m >= 0 && (c->last_file[m] != r->defs[i].file + 1)) {
			c->def_files[m]++;
			c->last_file[m] = r->defs[i].file + 1;
		}
	}
	mark_directories(c);
	for (f = 0; f < r->nfiles; f++) {
		long m;
		char stem[256];

		isg__locate_base_stem(stem, sizeof(stem), &r->files[f]);
		m = isg__smap_get(&c->lidents, stem);
		if (m >= 0)
			c->stem_files[m]++;
	}
	return ISG_OK;
}

void isg__locate_base_stem(char *out, size_t n, const isg__rfile *f)
{
	const char *s = f->stem_path, *slash = strrchr(s, '/');
	const char *b = slash ? slash + 1 : s;

	/* A package's __init__ (index.js, mod.rs) names no concept of its
	 * own: it matches nothing, or every issue about the package would
	 * rank it first. */
	if (strcmp(b, "__init__") == 0 || strcmp(b, "index") == 0 ||
	    strcmp(b, "mod") == 0) {
		snprintf(out, n, "%s", "");
		return;
	}
	snprintf(out, n, "%s", b);
}

static const char *def_at_line(const isg_repo *r, const isg__rfile *f,
                               unsigned int line, unsigned int *def_line)
{
	const char *best = NULL;
	size_t j;

	for (j = 0; j < f->def_count; j++) {
		const isg__rdef *d = &r->defs[f->def_start + j];

		if (d->line <= line) {
			best = d->name;
			*def_line = d->line;
		}
	}
	return best;
}

/* `remove_column` or `TimeSeries` point at one place; a plain word such
 * as `index` or `run` is defined all over and is often just English. */
double isg__locate_distinct_factor(const char *name)
{
	const char *p;
	int lower = 0;

	for (p = name; *p; p++) {
		if (*p == '_' && p != name && p[1])
			return 1.0;
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z' && lower)
			return 1.0;
	}
	return name[0] >= 'A' && name[0] <= 'Z' ? 0.6 : 0.35;
}

static double kind_factor(const char *kind)
{
	if (strcmp(kind, "class") == 0 || strcmp(kind, "struct") == 0 ||
	    strcmp(kind, "interface") == 0 || strcmp(kind, "trait") == 0 ||
	    strcmp(kind, "enum") == 0 || strcmp(kind, "type") == 0)
		return 1.2;
	if (strcmp(kind, "function") == 0)
		return 1.0;
	return 0.8;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The mention part of file f's score; with `e` (not NULL) it also
 * records the reasons and symbols. */
double isg__locate_score_file(isg__lctx *c, size_t f, isg__lentry *e)
{
	const isg_repo *r = c->repo;
	const isg__rfile *file = &r->files[f];
	double total = 0.0, defs[64];
	size_t i, j, ndefs = 0;
	char stem[256];
	long m;

	for (i = 0; i < c->mentions.len; i++) {
		const isg__mention *mn = &c->mentions.items[i];
		double w;

		if (!c->hits[i])
			continue;
		if (mn->type == ISG__M_PATH || mn->type == ISG__M_FRAME) {
			if (!isg__locate_path_names(mn->text, file->path))
				continue;
			if (mn->type == ISG__M_FRAME) {
				w = (W_FRAME + ((long)i == c->last_frame
				                        ? W_FRAME_LAST
				                        : 0.0)) /
				    (double)c->hits[i];
				total += w;
				if (e) {
					unsigned int dl = 0;
					const char *fn =
					        mn->line ? def_at_line(r, file,
					                               mn->line,
					                               &dl)
					                 : NULL;

					isg__lentry_reason(c, e, w,
					                   "stack trace frame "
					                   "`%s:%u`%s%s%s",
					                   file->path, mn->line,
					                   fn ? " in `" : "",
					                   fn ? fn : "",
					                   fn ? "`" : "");
					if (fn)
						isg__lentry_symbol(c, e, fn,
						                   dl);
				}
			} else {
				w = W_PATH * mn->weight / (double)c->hits[i];
				total += w;
				if (e)
					isg__lentry_reason(
					        c, e, w,
					        strchr(mn->text, '/')
					                ? "path `%s` mentioned "
					                  "in the issue"
					                : "file name `%s` "
					                  "mentioned in the "
					                  "issue",
					        mn->text);
			}
		} else if (mn->type == ISG__M_MODULE && c->mod_len[i]) {
			char cand[512];

			module_cand(cand, sizeof(cand), mn->text,
			            c->mod_len[i]);
			if (!stem_names(file->stem_path, cand))
				continue;
			/* A package's __init__ shares the credit with the
			 * modules inside it (see c->pkg). */
			w = W_MODULE * mn->weight / (double)c->hits[i] *
			    (c->is_pkg[i] ? 0.5 : 1.0);
			total += w;
			if (e)
				isg__lentry_reason(
				        c, e, w,
				        "module `%s` mentioned in the issue",
				        mn->text);
		}
	}
	/* Definitions of mentioned identifiers. */
	for (j = 0; j < file->def_count; j++) {
		const isg__rdef *d = &r->defs[file->def_start + j];
		const isg__mention *mn;

		m = isg__smap_get(&c->idents, d->name);
		if (m < 0)
			continue;
		mn = &c->mentions.items[m];
		if (ndefs < ISG__ARRAY_SIZE(defs)) {
			double w = W_DEF * mn->weight * kind_factor(d->kind) *
			           isg__locate_distinct_factor(d->name) /
			           (1.0 + log((double)c->def_files[m]));

			defs[ndefs++] = w;
			if (e) {
				isg__lentry_reason(
				        c, e, w,
				        "defines `%s` (mentioned in the issue)",
				        d->name);
				isg__lentry_symbol(c, e, d->name, d->line);
			}
		}
	}
	if (ndefs) {
		double f_ = 1.0;

		/* Diminishing returns: the best definition counts fully,
		 * the next ones half as much each time. */
		qsort(defs, ndefs, sizeof(double), cmp_desc);
		for (j = 0; j < ndefs && j < 4; j++, f_ *= 0.5)
			total += defs[j] * f_;
	}
	isg__locate_base_stem(stem, sizeof(stem), file);
	m = isg__smap_get(&c->lidents, stem);
	if (m >= 0 && c->stem_files[m]) {
		double w = W_STEM * c->mentions.items[m].weight /
		           (double)c->stem_files[m];

		total += w;
		if (e)
			isg__lentry_reason(c, e, w, "path matches `%s`", stem);
	}
	return total;
}

int isg_locate(isg_locate_result **out, const isg_repo *repo,
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
		                      "isg_locate: NULL %s",
		                      !out    ? "out"
		                      : !repo ? "repo"
		                              : "issue_text");
	if (!opts)
		opts = &defaults;
	if (opts->version != ISG_LOCATE_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_locate_options.version %u is not %d",
		                      opts->version,
		                      ISG_LOCATE_OPTIONS_VERSION);
	for (i = 0; i < len; i++)
		if (!(issue_text[i] == ' ' || issue_text[i] == '\t' ||
		      issue_text[i] == '\n' || issue_text[i] == '\r'))
			break;
	if (i == len)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "issue text is empty (%zu bytes of white "
		                      "space)",
		                      len);
	memset(&c, 0, sizeof(c));
	c.repo = repo;
	c.text = issue_text;
	c.len = len > MAX_TEXT ? MAX_TEXT : len;
	c.last_frame = -1;
	c.top[ISG_LOCATE_CHANGE] = opts->top_k ? opts->top_k : 10;
	c.top[ISG_LOCATE_READ] = opts->top_k_read ? opts->top_k_read : 5;
	rc = isg__locate_run(&c);
	if (rc == ISG_OK) {
		*out = c.res;
		c.res = NULL;
	}
	isg__locate_ctx_free(&c);
	return rc;
}
