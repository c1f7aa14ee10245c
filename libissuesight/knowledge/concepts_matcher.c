/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_matcher: the machinery of concept matching. Text is split into
 * word tokens (concepts_tokenize.c) and catalog phrases are matched token
 * by token, so a keyword only ever matches whole words: "test" never
 * matches "latest". Each signal adds evidence weight to its concept in an
 * accumulator; the confidence is 1 - exp(-weight / 1.6), so one strong
 * signal gives about 0.5 and several independent ones approach 1. Import
 * and path patterns are matched here too.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

#define MOD "concepts"
#define MAX_TEXT ISG__CONCEPTS_MAX_TEXT
#define CONF_SCALE 1.6

int isg__concepts_matcher_init(isg__concepts_matcher *m,
                               const isg_concepts *cat)
{
	m->cat = cat;
	m->failed = 0;
	m->acc = isg__alloc_calloc(cat->n, sizeof(*m->acc));
	return m->acc ? ISG_OK : isg__error_oom(MOD);
}

void isg__concepts_matcher_dispose(isg__concepts_matcher *m)
{
	size_t i, k;

	if (!m->acc)
		return;
	for (i = 0; i < m->cat->n; i++)
		for (k = 0; k < m->acc[i].nev; k++)
			isg__alloc_free(m->acc[i].evidence[k]);
	isg__alloc_free(m->acc);
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
		isg__alloc_free(a->evidence[--a->nev]);
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
	hits = isg__alloc_calloc(m->cat->nphrases + 1, 1);
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
	isg__alloc_free(hits);
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
	if (!path || !pattern)
		return 0;
	if (strchr(pattern, '/'))
		return glob(pattern, path) ||
		       (path[0] && glob(pattern, path + (path[0] == '/')));
	return glob(pattern, isg__path_basename(path));
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
	s = isg__alloc_calloc(m->cat->n + 1, sizeof(*s));
	res = isg__alloc_calloc(1, sizeof(*res));
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
	res->items =
	        isg__arena_alloc(&res->arena, (n + 1) * sizeof(*res->items));
	if (!res->items) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const isg__concepts_acc *a = &m->acc[s[i].ci];
		isg_concept_match *mt = &res->items[i];
		const char **ev = isg__arena_alloc(&res->arena,
		                                   (a->nev + 1) * sizeof(*ev));

		if (!ev) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		for (k = 0; k < a->nev; k++) {
			ev[k] = isg__arena_strndup(&res->arena, a->evidence[k],
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
	isg__alloc_free(s);
	isg_concepts_matches_free(res);
	return rc;
}
