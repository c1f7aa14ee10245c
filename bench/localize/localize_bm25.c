/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The plain baseline: whole-file BM25 (k1 = 1.2, b = 0.75) over the
 * non-test source files of a checkout, with the issue text as the query.
 * It is deliberately simple (no code-aware splitting, no stemming, no path
 * boosts) so that it stands for "what plain BM25 does" in the same run.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "localize_int.h"

#define TOK_MIN 2
#define TOK_MAX 64
/* Larger files are data, not code; the checkout may lack them anyway. */
#define MAX_FILE_BYTES (4u << 20)

typedef struct term_tf {
	uint32_t term;
	uint32_t tf;
} term_tf;

typedef struct doc {
	char *path;
	term_tf *terms; /* sorted by term */
	size_t nterms;
	size_t len; /* tokens */
} doc;

struct lb_bm25 {
	/* Vocabulary: open addressing over term ids; the slot holds id+1. */
	uint32_t *slots;
	size_t nslots;
	char **words;
	uint32_t *df;
	size_t nwords, awords;
	doc *docs;
	size_t ndocs, adocs;
	double total_len;
};

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

int lb_contains_word(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	if (n == 0 || n > len)
		return 0;
	for (i = 0; i + n <= len; i++) {
		if (memcmp(text + i, word, n) != 0)
			continue;
		if ((i == 0 || !ident_char(text[i - 1])) &&
		    (i + n == len || !ident_char(text[i + n])))
			return 1;
	}
	return 0;
}

size_t lb_tokenize(const char *text, size_t len,
                   void (*fn)(const char *tok, size_t n, void *payload),
                   void *payload)
{
	char tok[TOK_MAX];
	size_t i = 0, count = 0;

	while (i < len) {
		size_t start, n = 0;

		while (i < len && !ident_char(text[i]))
			i++;
		start = i;
		while (i < len && ident_char(text[i])) {
			if (n < TOK_MAX) {
				char c = text[i];
				tok[n] = (c >= 'A' && c <= 'Z') ? (char)(c + 32)
				                                : c;
			}
			n++;
			i++;
		}
		if (i > start && n >= TOK_MIN && n <= TOK_MAX) {
			fn(tok, n, payload);
			count++;
		}
	}
	return count;
}

static const char *const source_ext[] = {
	"py",  "pyx",   "pxd", "pyi", "c",  "h",   "cc",   "cpp",
	"cxx", "hpp",   "hh",  "hxx", "go", "rs",  "java", "js",
	"jsx", "mjs",   "ts",  "tsx", "rb", "php", "cs",   "scala",
	"kt",  "swift", "m",   "mm",  "sh",
};

int lb_is_source_path(const char *path)
{
	const char *base = strrchr(path, '/'), *dot, *p;
	size_t i, n;
	int ok = 0;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	for (i = 0; i < sizeof(source_ext) / sizeof(source_ext[0]); i++)
		if (strcmp(dot + 1, source_ext[i]) == 0)
			ok = 1;
	if (!ok)
		return 0;
	if (strncmp(base, "test_", 5) == 0 || strcmp(base, "conftest.py") == 0)
		return 0;
	n = (size_t)(dot - base);
	if ((n >= 5 && strncmp(dot - 5, "_test", 5) == 0) ||
	    (n >= 6 && strncmp(dot - 6, "_tests", 6) == 0))
		return 0;
	/* Any directory component named test, tests or testing. */
	for (p = path; p < base;) {
		const char *slash = strchr(p, '/');
		size_t cn = (size_t)(slash - p);

		if ((cn == 4 && strncmp(p, "test", 4) == 0) ||
		    (cn == 5 && strncmp(p, "tests", 5) == 0) ||
		    (cn == 7 && strncmp(p, "testing", 7) == 0))
			return 0;
		p = slash + 1;
	}
	return 1;
}

lb_bm25 *lb_bm25_new(void)
{
	lb_bm25 *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->nslots = 1u << 16;
	b->slots = calloc(b->nslots, sizeof(*b->slots));
	if (!b->slots) {
		free(b);
		return NULL;
	}
	return b;
}

void lb_bm25_free(lb_bm25 *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nwords; i++)
		free(b->words[i]);
	for (i = 0; i < b->ndocs; i++) {
		free(b->docs[i].path);
		free(b->docs[i].terms);
	}
	free(b->words);
	free(b->df);
	free(b->docs);
	free(b->slots);
	free(b);
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The slot where `s` is or would go. */
static size_t find_slot(const lb_bm25 *b, const char *s, size_t n)
{
	size_t mask = b->nslots - 1, i = (size_t)hash(s, n) & mask;

	while (b->slots[i]) {
		const char *w = b->words[b->slots[i] - 1];

		if (strncmp(w, s, n) == 0 && w[n] == '\0')
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static int grow_slots(lb_bm25 *b)
{
	size_t n = b->nslots * 2, i, j;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (i = 0; i < b->nwords; i++) {
		const char *w = b->words[i];

		j = (size_t)hash(w, strlen(w)) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(b->slots);
	b->slots = s;
	b->nslots = n;
	return 0;
}

/* Returns the id of the term, adding it; -1 on allocation failure. */
static long intern(lb_bm25 *b, const char *s, size_t n)
{
	size_t slot;

	if ((b->nwords + 1) * 2 > b->nslots && grow_slots(b) != 0)
		return -1;
	slot = find_slot(b, s, n);
	if (b->slots[slot])
		return (long)b->slots[slot] - 1;
	if (b->nwords == b->awords) {
		size_t na = b->awords ? b->awords * 2 : 4096;
		char **w = realloc(b->words, na * sizeof(*w));
		uint32_t *df;

		if (!w)
			return -1;
		b->words = w;
		df = realloc(b->df, na * sizeof(*df));
		if (!df)
			return -1;
		b->df = df;
		b->awords = na;
	}
	b->words[b->nwords] = malloc(n + 1);
	if (!b->words[b->nwords])
		return -1;
	memcpy(b->words[b->nwords], s, n);
	b->words[b->nwords][n] = '\0';
	b->df[b->nwords] = 0;
	b->slots[slot] = (uint32_t)(b->nwords + 1);
	return (long)b->nwords++;
}

typedef struct id_list {
	lb_bm25 *b;
	uint32_t *ids;
	size_t n, a;
	int failed;
} id_list;

static void collect_id(const char *tok, size_t n, void *payload)
{
	id_list *l = payload;
	long id;

	if (l->failed)
		return;
	id = intern(l->b, tok, n);
	if (id < 0)
		goto fail;
	if (l->n == l->a) {
		size_t na = l->a ? l->a * 2 : 1024;
		uint32_t *p = realloc(l->ids, na * sizeof(*p));

		if (!p)
			goto fail;
		l->ids = p;
		l->a = na;
	}
	l->ids[l->n++] = (uint32_t)id;
	return;
fail:
	l->failed = 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int lb_bm25_add(lb_bm25 *b, const char *path, const char *text, size_t len)
{
	id_list l = { b, NULL, 0, 0, 0 };
	doc d = { NULL, NULL, 0, 0 };
	size_t i, j;
	int rc = -1;

	lb_tokenize(path, strlen(path), collect_id, &l);
	lb_tokenize(text, len, collect_id, &l);
	if (l.failed)
		goto done;
	if (l.n > 1)
		qsort(l.ids, l.n, sizeof(*l.ids), cmp_u32);
	d.len = l.n;
	d.path = malloc(strlen(path) + 1);
	d.terms = malloc((l.n ? l.n : 1) * sizeof(*d.terms));
	if (!d.path || !d.terms)
		goto done;
	memcpy(d.path, path, strlen(path) + 1);
	for (i = 0; i < l.n; i = j) {
		for (j = i; j < l.n && l.ids[j] == l.ids[i]; j++)
			;
		d.terms[d.nterms].term = l.ids[i];
		d.terms[d.nterms].tf = (uint32_t)(j - i);
		d.nterms++;
		b->df[l.ids[i]]++;
	}
	if (b->ndocs == b->adocs) {
		size_t na = b->adocs ? b->adocs * 2 : 256;
		doc *p = realloc(b->docs, na * sizeof(*p));

		if (!p) {
			/* Undo the document frequencies counted above. */
			for (i = 0; i < d.nterms; i++)
				b->df[d.terms[i].term]--;
			goto done;
		}
		b->docs = p;
		b->adocs = na;
	}
	b->docs[b->ndocs++] = d;
	b->total_len += (double)d.len;
	d.path = NULL;
	d.terms = NULL;
	rc = 0;
done:
	free(d.path);
	free(d.terms);
	free(l.ids);
	return rc;
}

static int read_small_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long sz;
	int rc = -1;

	*out = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    (unsigned long)sz > MAX_FILE_BYTES || fseek(f, 0, SEEK_SET) != 0)
		goto done;
	buf = malloc((size_t)sz + 1);
	if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz)
		goto done;
	buf[sz] = '\0';
	*out = buf;
	*len = (size_t)sz;
	buf = NULL;
	rc = 0;
done:
	free(buf);
	fclose(f);
	return rc;
}

static int walk(lb_bm25 *b, const char *root, const char *rel, char *err,
                size_t errlen)
{
	char dir[4096], child[4096], full[4096];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s%s%s", root, *rel ? "/" : "", rel);
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot open directory %s: %s", dir,
		         strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, ".git") == 0)
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", rel,
		                     *rel ? "/" : "",
		                     e->d_name) >= sizeof(child) ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", root,
		                     child) >= sizeof(full))
			continue; /* absurdly deep: not a source file we need */
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = walk(b, root, child, err, errlen);
		} else if (S_ISREG(st.st_mode) && lb_is_source_path(child)) {
			char *text;
			size_t len;

			if (read_small_file(full, &text, &len) != 0)
				continue;
			if (lb_bm25_add(b, child, text, len) != 0) {
				snprintf(err, errlen,
				         "out of memory indexing %s", child);
				rc = -1;
			}
			free(text);
		}
	}
	closedir(d);
	return rc;
}

int lb_bm25_add_tree(lb_bm25 *b, const char *root, char *err, size_t errlen)
{
	return walk(b, root, "", err, errlen);
}

size_t lb_bm25_doc_count(const lb_bm25 *b)
{
	return b ? b->ndocs : 0;
}

typedef struct query_terms {
	const lb_bm25 *b;
	uint32_t *ids;
	size_t n, a;
	int failed;
} query_terms;

static void collect_query(const char *tok, size_t n, void *payload)
{
	query_terms *q = payload;
	size_t slot = find_slot(q->b, tok, n);

	/* Terms absent from every document contribute nothing. */
	if (q->failed || !q->b->slots[slot])
		return;
	if (q->n == q->a) {
		size_t na = q->a ? q->a * 2 : 256;
		uint32_t *p = realloc(q->ids, na * sizeof(*p));

		if (!p) {
			q->failed = 1;
			return;
		}
		q->ids = p;
		q->a = na;
	}
	q->ids[q->n++] = q->b->slots[slot] - 1;
}

typedef struct scored {
	double score;
	const char *path;
} scored;

static int cmp_scored(const void *a, const void *b)
{
	const scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->path, y->path);
}

static const term_tf *find_term(const doc *d, uint32_t term)
{
	size_t lo = 0, hi = d->nterms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->terms[mid].term == term)
			return &d->terms[mid];
		if (d->terms[mid].term < term)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t lb_bm25_query(const lb_bm25 *b, const char *query, size_t len,
                     const char **out, double *scores, size_t k)
{
	query_terms q = { b, NULL, 0, 0, 0 };
	scored *s = NULL;
	double avgdl, *w = NULL, *qtf = NULL;
	size_t i, j, nq = 0, nout = 0;

	if (!b || b->ndocs == 0)
		return 0;
	lb_tokenize(query, len, collect_query, &q);
	if (q.failed)
		goto done;
	/* A term repeated in the query counts once per occurrence, as in
	 * Lucene's bag-of-words queries and rank_bm25: run-length encode the
	 * sorted ids into (term, query frequency). */
	if (q.n > 1)
		qsort(q.ids, q.n, sizeof(*q.ids), cmp_u32);
	qtf = malloc((q.n ? q.n : 1) * sizeof(*qtf));
	w = malloc((q.n ? q.n : 1) * sizeof(*w));
	s = malloc(b->ndocs * sizeof(*s));
	if (!qtf || !w || !s)
		goto done;
	for (i = 0; i < q.n; i++) {
		if (nq > 0 && q.ids[nq - 1] == q.ids[i]) {
			qtf[nq - 1] += 1.0;
			continue;
		}
		q.ids[nq] = q.ids[i];
		qtf[nq++] = 1.0;
	}
	for (i = 0; i < nq; i++) {
		double df = b->df[q.ids[i]], n = (double)b->ndocs;

		/* Query frequency times the non-negative (Lucene)
		 * form of the Robertson idf. */
		w[i] = qtf[i] * log(1.0 + (n - df + 0.5) / (df + 0.5));
	}
	avgdl = b->total_len / (double)b->ndocs;
	if (avgdl <= 0)
		avgdl = 1;
	for (j = 0; j < b->ndocs; j++) {
		const doc *d = &b->docs[j];
		double norm = LB_BM25_K1 * (1.0 - LB_BM25_B +
		                            LB_BM25_B * (double)d->len / avgdl);

		s[j].score = 0;
		s[j].path = d->path;
		for (i = 0; i < nq; i++) {
			const term_tf *t = find_term(d, q.ids[i]);

			if (t)
				s[j].score += w[i] * (double)t->tf *
				              (LB_BM25_K1 + 1.0) /
				              ((double)t->tf + norm);
		}
	}
	qsort(s, b->ndocs, sizeof(*s), cmp_scored);
	for (j = 0; j < b->ndocs && nout < k && s[j].score > 0; j++) {
		out[nout] = s[j].path;
		if (scores)
			scores[nout] = s[j].score;
		nout++;
	}
done:
	free(q.ids);
	free(qtf);
	free(w);
	free(s);
	return nout;
}
