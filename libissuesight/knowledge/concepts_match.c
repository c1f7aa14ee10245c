/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_match: matching issue text, labels, localized files, imports and
 * symbols to catalog concepts. Text is split into lower-cased, lightly
 * stemmed word tokens and catalog phrases are matched token by token, so a
 * keyword only ever matches whole words: "test" never matches "latest".
 * Each signal adds evidence weight to its concept; the confidence is
 * 1 - exp(-weight / 1.6), so one strong signal gives about 0.5 and several
 * independent ones approach 1.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

#define MOD "concepts"
#define MAX_TEXT (1024u * 1024u)
#define CONF_SCALE 1.6

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

size_t isg__concepts_stem(char *w, size_t n)
{
	if (n <= 3 || w[n - 1] != 's' || !is_lower((unsigned char)w[n - 2]))
		return n;
	if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (memcmp(w + n - 4, "sses", 4) == 0)
		return n - 2;
	if (n > 4 && (memcmp(w + n - 4, "ches", 4) == 0 ||
	              memcmp(w + n - 4, "shes", 4) == 0))
		return n - 2;
	if (memcmp(w + n - 3, "xes", 3) == 0)
		return n - 2;
	/* "status", "redis", "class", "analysis" are not plurals. */
	if (w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i')
		return n;
	return n - 1;
}

static int push_token(isg__concepts_tokens *t, const char *s, size_t n,
                      size_t src)
{
	size_t i;

	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		isg__concepts_token *ni =
		        isg__realloc(t->items, nc * sizeof(*ni));

		if (!ni)
			return ISG_ENOMEM;
		t->items = ni;
		t->cap = nc;
	}
	if (t->store_len + n + 1 > t->store_cap) {
		size_t nc = t->store_cap ? t->store_cap * 2 : 512;
		char *ns;

		while (nc < t->store_len + n + 1)
			nc *= 2;
		ns = isg__realloc(t->store, nc);
		if (!ns)
			return ISG_ENOMEM;
		t->store = ns;
		t->store_cap = nc;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		t->store[t->store_len + i] =
		        is_upper((unsigned char)c) ? (char)(c - 'A' + 'a') : c;
	}
	n = isg__concepts_stem(t->store + t->store_len, n);
	t->store[t->store_len + n] = '\0';
	t->items[t->n].off = t->store_len;
	t->items[t->n].len = n;
	t->items[t->n].src = src;
	t->n++;
	t->store_len += n + 1;
	return ISG_OK;
}

int isg__concepts_tokenize(isg__concepts_tokens *t, const char *text,
                           size_t len, int split_camel)
{
	size_t i = 0;
	char tmp[66];

	while (i < len) {
		size_t start, n;

		if (!is_alnum((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && is_alnum((unsigned char)text[i])) {
			if (split_camel && i > start &&
			    ((is_upper((unsigned char)text[i]) &&
			      is_lower((unsigned char)text[i - 1])) ||
			     (is_upper((unsigned char)text[i]) && i + 1 < len &&
			      is_lower((unsigned char)text[i + 1]) &&
			      is_upper((unsigned char)text[i - 1]))))
				break;
			i++;
		}
		n = i - start;
		/* Very long runs (hashes, base64) are no words: skip them. */
		if (n > 64)
			continue;
		memcpy(tmp, text + start, n);
		if (i + 1 < len && text[i] == '+' && text[i + 1] == '+') {
			tmp[n++] = '+';
			tmp[n++] = '+';
			i += 2;
		} else if (n == 1 && i < len && text[i] == '#') {
			tmp[n++] = '#';
			i++;
		}
		if (push_token(t, tmp, n, start) != ISG_OK)
			return ISG_ENOMEM;
	}
	return ISG_OK;
}

void isg__concepts_tokens_dispose(isg__concepts_tokens *t)
{
	isg__free(t->items);
	isg__free(t->store);
	memset(t, 0, sizeof(*t));
}

int isg__concepts_matcher_init(isg__concepts_matcher *m,
                               const isg_concepts *cat)
{
	m->cat = cat;
	m->failed = 0;
	m->acc = isg__calloc(cat->n, sizeof(*m->acc));
	return m->acc ? ISG_OK : isg__error_oom(MOD);
}

void isg__concepts_matcher_dispose(isg__concepts_matcher *m)
{
	size_t i, k;

	if (!m->acc)
		return;
	for (i = 0; i < m->cat->n; i++)
		for (k = 0; k < m->acc[i].nev; k++)
			isg__free(m->acc[i].evidence[k]);
	isg__free(m->acc);
	m->acc = NULL;
}

void isg__concepts_matcher_add(isg__concepts_matcher *m, size_t ci,
                               double weight, const char *fmt, ...)
{
	isg__concepts_acc *a = &m->acc[ci];
	isg_buf b = ISG_BUF_INIT;
	size_t k, pos;
	va_list ap;

	a->score += weight;
	a->hit = 1;
	if (!fmt)
		return;
	/* Keep the 8 heaviest pieces of evidence, heaviest first. */
	if (a->nev == 8 && a->ev_weight[7] >= weight)
		return;
	va_start(ap, fmt);
	if (isg__buf_vprintf(&b, fmt, ap) != ISG_OK) {
		va_end(ap);
		m->failed = 1;
		return;
	}
	va_end(ap);
	for (k = 0; k < a->nev; k++)
		if (strcmp(a->evidence[k], b.ptr) == 0) {
			isg_buf_dispose(&b);
			return;
		}
	for (pos = 0; pos < a->nev && a->ev_weight[pos] >= weight; pos++)
		;
	if (a->nev == 8)
		isg__free(a->evidence[--a->nev]);
	memmove(&a->evidence[pos + 1], &a->evidence[pos],
	        (a->nev - pos) * sizeof(a->evidence[0]));
	memmove(&a->ev_weight[pos + 1], &a->ev_weight[pos],
	        (a->nev - pos) * sizeof(a->ev_weight[0]));
	a->evidence[pos] = b.ptr;
	a->ev_weight[pos] = weight;
	a->nev++;
}

int isg__concepts_matcher_text(isg__concepts_matcher *m, const char *text,
                               size_t len, const char *where, double first,
                               double more, int split_camel)
{
	isg__concepts_tokens t = { 0 };
	unsigned char *hits = NULL;
	size_t i, j;
	int rc = ISG_OK;

	if (!text || !len)
		return ISG_OK;
	if (len > MAX_TEXT)
		len = MAX_TEXT;
	hits = isg__calloc(m->cat->nphrases + 1, 1);
	if (!hits ||
	    isg__concepts_tokenize(&t, text, len, split_camel) != ISG_OK) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < t.n; i++) {
		const char *tok = ISG__CONCEPTS_TOK(&t, i);
		const isg__concepts_phrase *ph;

		for (ph = isg__concepts_phrases(m->cat, tok, t.items[i].len);
		     ph; ph = ph->next) {
			if (ph->ntokens > t.n - i)
				continue;
			for (j = 0; j < ph->ntokens; j++)
				if (strcmp(ph->tokens[j],
				           ISG__CONCEPTS_TOK(&t, i + j)))
					break;
			if (j < ph->ntokens)
				continue;
			if (hits[ph->id] == 0)
				isg__concepts_matcher_add(m, ph->concept, first,
				                          "keyword '%s' in %s",
				                          ph->display, where);
			else if (hits[ph->id] < 4)
				isg__concepts_matcher_add(m, ph->concept, more,
				                          NULL);
			if (hits[ph->id] < 255)
				hits[ph->id]++;
		}
	}
	if (m->failed)
		rc = isg__error_oom(MOD);
done:
	isg__free(hits);
	isg__concepts_tokens_dispose(&t);
	return rc;
}

static char norm_char(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c == '-' ? '_' : c;
}

int isg__concepts_import_matches(const char *name, const char *signal)
{
	size_t i;

	if (!name || !signal || !signal[0])
		return 0;
	for (i = 0; signal[i]; i++)
		if (norm_char(name[i]) != norm_char(signal[i]))
			return 0;
	return name[i] == '\0' || name[i] == '.' || name[i] == '/' ||
	       name[i] == ':' || name[i] == '[';
}

static int glob(const char *p, const char *s)
{
	const char *star = NULL, *ss = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			ss = s;
		} else if (*p &&
		           (*p == '?' || norm_char(*p) == norm_char(*s))) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++ss;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int isg__concepts_path_matches(const char *path, const char *pattern)
{
	const char *base;

	if (!path || !pattern)
		return 0;
	if (strchr(pattern, '/'))
		return glob(pattern, path) ||
		       (path[0] && glob(pattern, path + (path[0] == '/')));
	base = strrchr(path, '/');
	return glob(pattern, base ? base + 1 : path);
}

typedef struct scored {
	size_t ci;
	double conf;
} scored;

static int cmp_scored(const void *a, const void *b)
{
	const scored *x = a, *y = b;

	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return x->ci < y->ci ? -1 : (x->ci > y->ci);
}

int isg__concepts_matcher_finish(isg_concepts_matches **out,
                                 isg__concepts_matcher *m,
                                 double min_confidence, size_t max_results)
{
	isg_concepts_matches *res = NULL;
	scored *s = NULL;
	size_t i, k, n = 0;
	int rc = ISG_OK;

	*out = NULL;
	s = isg__calloc(m->cat->n + 1, sizeof(*s));
	res = isg__calloc(1, sizeof(*res));
	if (!s || !res) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	res->cat = m->cat;
	for (i = 0; i < m->cat->n; i++) {
		double c;

		if (!m->acc[i].hit)
			continue;
		c = 1.0 - exp(-m->acc[i].score / CONF_SCALE);
		if (c < min_confidence)
			continue;
		s[n].ci = i;
		s[n].conf = c;
		n++;
	}
	qsort(s, n, sizeof(*s), cmp_scored);
	if (max_results && n > max_results)
		n = max_results;
	res->items = isg__concepts_arena_alloc(&res->arena,
	                                       (n + 1) * sizeof(*res->items));
	if (!res->items) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const isg__concepts_acc *a = &m->acc[s[i].ci];
		isg_concept_match *mt = &res->items[i];
		const char **ev = isg__concepts_arena_alloc(
		        &res->arena, (a->nev + 1) * sizeof(*ev));

		if (!ev) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		for (k = 0; k < a->nev; k++) {
			ev[k] = isg__concepts_arena_strndup(
			        &res->arena, a->evidence[k],
			        strlen(a->evidence[k]));
			if (!ev[k]) {
				rc = isg__error_oom(MOD);
				goto done;
			}
		}
		mt->entry = &m->cat->items[s[i].ci];
		mt->confidence = s[i].conf;
		mt->evidence = ev;
		mt->nevidence = a->nev;
	}
	res->n = n;
	*out = res;
	res = NULL;
done:
	isg__free(s);
	isg_concepts_matches_free(res);
	return rc;
}

/* Languages as GitHub and file-extension detectors name them, mapped to
 * catalog slugs when the plain lower-cased name is not a slug. */
static const char *const lang_alias[][2] = {
	{ "c++", "cpp" },
	{ "golang", "go" },
	{ "js", "javascript" },
	{ "ts", "typescript" },
	{ "bash", "shell" },
	{ "sh", "shell" },
	{ "shell script", "shell" },
	{ "c#", "csharp" },
	{ "py", "python" },
	{ "rs", "rust" },
	{ "rb", "ruby" },
	{ "objective-c", "c" },
	{ "jupyter notebook", "python" },
	{ "restructuredtext", "sphinx" },
	{ "tex", "documentation" },
	{ "html", "html-css" },
	{ "css", "html-css" },
	{ "scss", "html-css" },
	{ "vue", "javascript" },
	{ "kotlin", "java" },
};

size_t isg__concepts_language(const isg_concepts *cat, const char *lang)
{
	char low[64];
	size_t i, n;

	if (!lang)
		return (size_t)-1;
	n = strlen(lang);
	if (n == 0 || n >= sizeof(low))
		return (size_t)-1;
	for (i = 0; i <= n; i++)
		low[i] = is_upper((unsigned char)lang[i])
		                 ? (char)(lang[i] - 'A' + 'a')
		                 : lang[i];
	for (i = 0; i < ISG__ARRAY_SIZE(lang_alias); i++)
		if (strcmp(low, lang_alias[i][0]) == 0)
			return isg__concepts_index(cat, lang_alias[i][1]);
	for (i = 0; i < n; i++)
		if (low[i] == ' ')
			low[i] = '-';
	return isg__concepts_index(cat, low);
}

static int join_add(isg_buf *b, const char *const *v, size_t n, size_t max)
{
	size_t i;
	int rc = ISG_OK;

	for (i = 0; i < n && i < max && rc == ISG_OK; i++)
		if (v[i]) {
			rc = isg__buf_puts(b, v[i]);
			if (rc == ISG_OK)
				rc = isg__buf_puts(b, " \n ");
		}
	return rc;
}

int isg_concepts_match(isg_concepts_matches **out, const isg_concepts *cat,
                       const isg_concepts_query *q)
{
	isg__concepts_matcher m = { 0 };
	isg_buf b = ISG_BUF_INIT;
	double minc;
	size_t i, k, ci;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!cat || !q)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "match: NULL catalog or query");
	if (q->version != ISG_CONCEPTS_QUERY_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "query version %u is not %d", q->version,
		                      ISG_CONCEPTS_QUERY_VERSION);
	if (!(q->min_confidence >= 0.0 && q->min_confidence <= 1.0))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "min_confidence %g is outside [0,1]",
		                      q->min_confidence);
	minc = q->min_confidence > 0 ? q->min_confidence : 0.25;
	rc = isg__concepts_matcher_init(&m, cat);
	if (rc != ISG_OK)
		return rc;
	if (q->title)
		rc = isg__concepts_matcher_text(&m, q->title, strlen(q->title),
		                                "title", 1.0, 0.25, 0);
	if (rc == ISG_OK && q->body)
		rc = isg__concepts_matcher_text(&m, q->body,
		                                strnlen(q->body, MAX_TEXT),
		                                "body", 0.5, 0.2, 0);
	for (i = 0; rc == ISG_OK && i < q->nlabels && q->labels; i++)
		if (q->labels[i])
			rc = isg__concepts_matcher_text(&m, q->labels[i],
			                                strlen(q->labels[i]),
			                                "labels", 1.2, 0.0, 0);
	if (rc == ISG_OK && q->paths) {
		rc = join_add(&b, q->paths, q->npaths, 20);
		if (rc == ISG_OK)
			rc = isg__concepts_matcher_text(
			        &m, b.ptr, b.size, "file paths", 0.4, 0.1, 1);
	}
	for (i = 0; rc == ISG_OK && q->paths && i < q->npaths && i < 20; i++) {
		double w = 0.9 / (1.0 + 0.2 * (double)i);

		if (!q->paths[i])
			continue;
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nfiles; k++)
				if (isg__concepts_path_matches(
				            q->paths[i],
				            cat->items[ci].files[k])) {
					isg__concepts_matcher_add(
					        &m, ci, w,
					        "path '%.120s' matches "
					        "'%s'",
					        q->paths[i],
					        cat->items[ci].files[k]);
					break;
				}
	}
	for (i = 0; rc == ISG_OK && q->languages && i < q->nlanguages; i++) {
		ci = isg__concepts_language(cat, q->languages[i]);
		if (ci != (size_t)-1)
			isg__concepts_matcher_add(&m, ci, 1.0,
			                          "language '%.40s'",
			                          q->languages[i]);
	}
	for (i = 0; rc == ISG_OK && q->imports && i < q->nimports; i++)
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nimports; k++)
				if (isg__concepts_import_matches(
				            q->imports[i],
				            cat->items[ci].imports[k])) {
					isg__concepts_matcher_add(
					        &m, ci, 1.1, "import '%.80s'",
					        q->imports[i]);
					break;
				}
	if (rc == ISG_OK && q->symbols) {
		isg__buf_clear(&b);
		rc = join_add(&b, q->symbols, q->nsymbols, 200);
		if (rc == ISG_OK)
			rc = isg__concepts_matcher_text(
			        &m, b.ptr, b.size, "symbol names", 0.3, 0.1, 1);
	}
	if ((rc == ISG_OK && m.failed) || rc == ISG_ENOMEM)
		rc = isg__error_oom(MOD);
	if (rc == ISG_OK)
		rc = isg__concepts_matcher_finish(
		        out, &m, minc, q->max_results ? q->max_results : 20);
	isg_buf_dispose(&b);
	isg__concepts_matcher_dispose(&m);
	return rc;
}

/* ---- prerequisites and accessors ---- */

typedef struct prereq {
	size_t ci;
	double conf;
	const isg_concept_match *direct; /* NULL for an ancestor */
	size_t via;                      /* child it was reached from */
} prereq;

static const isg_concepts *sort_cat;

static int cmp_prereq(const void *a, const void *b)
{
	const prereq *x = a, *y = b;
	const isg_concept *cx = &sort_cat->items[x->ci];
	const isg_concept *cy = &sort_cat->items[y->ci];

	if (cx->level != cy->level)
		return cx->level - cy->level;
	if (cx->depth != cy->depth)
		return cx->depth - cy->depth;
	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return strcmp(cx->slug, cy->slug);
}

static int cmp_prereq_conf(const void *a, const void *b)
{
	const prereq *x = a, *y = b;

	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return x->ci < y->ci ? -1 : (x->ci > y->ci);
}

int isg_concepts_prerequisites(isg_concepts_matches **out,
                               const isg_concepts_matches *in, size_t max)
{
	const isg_concepts *cat;
	isg_concepts_matches *res = NULL;
	prereq *p = NULL;
	size_t i, k, n = 0, round;
	int rc = ISG_OK, changed = 1;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!in)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "prerequisites: NULL matches");
	cat = in->cat;
	p = isg__calloc(cat->n + 1, sizeof(*p));
	res = isg__calloc(1, sizeof(*res));
	if (!p || !res) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < cat->n; i++)
		p[i].ci = i;
	for (i = 0; i < in->n; i++) {
		size_t ci = (size_t)(in->items[i].entry - cat->items);

		p[ci].conf = in->items[i].confidence;
		p[ci].direct = &in->items[i];
	}
	/* Propagate upwards until nothing improves; depth bounds the rounds. */
	for (round = 0; changed && round < cat->n; round++) {
		changed = 0;
		for (i = 0; i < cat->n; i++) {
			double c = p[i].conf * 0.8;

			if (p[i].conf <= 0)
				continue;
			for (k = 0; k < cat->items[i].nparents; k++) {
				size_t pi =
				        cat->parent_idx[cat->parent_off[i] + k];

				if (!p[pi].direct && c > p[pi].conf + 1e-12) {
					p[pi].conf = c;
					p[pi].via = i;
					changed = 1;
				}
			}
		}
	}
	for (i = 0; i < cat->n; i++)
		if (p[i].conf > 0)
			p[n++] = p[i];
	qsort(p, n, sizeof(*p), cmp_prereq_conf);
	if (max && n > max)
		n = max;
	sort_cat = cat;
	qsort(p, n, sizeof(*p), cmp_prereq);
	sort_cat = NULL;
	res->cat = cat;
	res->items = isg__concepts_arena_alloc(&res->arena,
	                                       (n + 1) * sizeof(*res->items));
	if (!res->items) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < n; i++) {
		isg_concept_match *mt = &res->items[i];
		const char **ev;
		size_t ne = p[i].direct ? p[i].direct->nevidence : 1;

		ev = isg__concepts_arena_alloc(&res->arena,
		                               (ne + 1) * sizeof(*ev));
		if (!ev) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		if (p[i].direct) {
			for (k = 0; k < ne; k++)
				ev[k] = p[i].direct->evidence[k];
		} else {
			isg_buf b = ISG_BUF_INIT;

			if (isg__buf_printf(&b, "parent of '%s'",
			                    cat->items[p[i].via].slug) !=
			    ISG_OK) {
				rc = isg__error_oom(MOD);
				goto done;
			}
			ev[0] = isg__concepts_arena_strndup(&res->arena, b.ptr,
			                                    b.size);
			isg_buf_dispose(&b);
			if (!ev[0]) {
				rc = isg__error_oom(MOD);
				goto done;
			}
		}
		/* Direct evidence strings are copied: the result must not
		 * borrow from `in`, which may be freed first. */
		for (k = 0; p[i].direct && k < ne; k++) {
			ev[k] = isg__concepts_arena_strndup(&res->arena, ev[k],
			                                    strlen(ev[k]));
			if (!ev[k]) {
				rc = isg__error_oom(MOD);
				goto done;
			}
		}
		mt->entry = &cat->items[p[i].ci];
		mt->confidence = p[i].conf;
		mt->evidence = ev;
		mt->nevidence = ne;
	}
	res->n = n;
	*out = res;
	res = NULL;
done:
	isg__free(p);
	isg_concepts_matches_free(res);
	return rc;
}

size_t isg_concepts_matches_count(const isg_concepts_matches *m)
{
	return m ? m->n : 0;
}

const isg_concept_match *isg_concepts_matches_at(const isg_concepts_matches *m,
                                                 size_t i)
{
	return m && i < m->n ? &m->items[i] : NULL;
}

const isg_concept_match *
isg_concepts_matches_find(const isg_concepts_matches *m, const char *slug)
{
	size_t i;

	if (!m || !slug)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->items[i].entry->slug, slug) == 0)
			return &m->items[i];
	return NULL;
}

int isg_concepts_matches_to_json(isg_buf *out, const isg_concepts_matches *m)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, k;
	int rc;

	if (!out || !m)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "matches_to_json: NULL argument");
	rc = isg__buf_putc(&b, '[');
	for (i = 0; rc == ISG_OK && i < m->n; i++) {
		const isg_concept_match *mt = &m->items[i];

		rc = isg__buf_puts(&b, i ? ",{\"slug\":" : "{\"slug\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->slug,
			                              strlen(mt->entry->slug));
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, ",\"name\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->name,
			                              strlen(mt->entry->name));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b,
			        ",\"level\":\"%s\",\"confidence\":%.3f,"
			        "\"evidence\":[",
			        isg_concepts_level_name(mt->entry->level),
			        mt->confidence);
		for (k = 0; rc == ISG_OK && k < mt->nevidence; k++) {
			if (k)
				rc = isg__buf_putc(&b, ',');
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, mt->evidence[k],
				        strlen(mt->evidence[k]));
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(&b, ']');
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return isg__error_oom(MOD);
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

void isg_concepts_matches_free(isg_concepts_matches *m)
{
	if (!m)
		return;
	isg__concepts_arena_release(&m->arena);
	isg__free(m);
}
