/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two storage back ends of the index-storage benchmark on the same
 * documents: a minimal SQLite FTS5 file (the product's fts schema, no
 * other tables) and the hand-written istore file, each built from the
 * token streams the product's index writer produces (isg__repo_doc_read
 * over the same walk) and queried with the product's query
 * procedure (document frequencies of every issue token, the 48 best
 * terms OR-ed, column weights path 3, definitions 4, body 1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "indexstore_int.h"
#include "locate_int.h"
#include "repo_int.h"

static const double weights[ISTORE_NFIELDS] = { 3.0, 4.0, 1.0 };

double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *backend_name(backend b)
{
	static const char *const names[] = { "fts5", "fts5-detail-column",
		                             "fts5-contentless", "istore",
		                             "istore-bm25f" };

	return b < BACKEND_COUNT ? names[b] : "?";
}

/* ---- corpus ---- */

static int corpus_add(corpus *c, const char *s, size_t n)
{
	if (c->text_cap - c->text_len < n + 1) {
		size_t nc = c->text_cap ? c->text_cap : 1 << 20;
		char *nt;

		while (nc - c->text_len < n + 1)
			nc *= 2;
		nt = realloc(c->text, nc);
		if (!nt)
			return -1;
		c->text = nt;
		c->text_cap = nc;
	}
	if (n)
		memcpy(c->text + c->text_len, s, n);
	c->text[c->text_len + n] = '\0';
	c->text_len += n + 1;
	return 0;
}

/* The root and size cap the product index was built with (its meta
 * table), so that the corpus is re-read from the same files. */
static int index_meta(const char *sqlite_path, char **root, size_t *max_size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	*root = NULL;
	*max_size = 0;
	if (sqlite3_open_v2(sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	            SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st,
	                       NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot read '%s': %s\n", sqlite_path,
		        sqlite3_errmsg(db));
		goto done;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);

		if (!k || !v)
			continue;
		if (strcmp(k, "root") == 0 && !*root)
			*root = strdup(v);
		else if (strcmp(k, "max_size") == 0)
			*max_size = (size_t)strtoull(v, NULL, 10);
	}
	if (*root && *max_size)
		rc = 0;
	else
		fprintf(stderr, "'%s': no root or max_size in meta\n",
		        sqlite_path);
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static int corpus_grow(corpus *c)
{
	size_t nc = c->cap ? c->cap * 2 : 1024;
	size_t *no = realloc(c->off, nc * 3 * sizeof(*no));

	if (!no)
		return -1;
	c->off = no;
	no = realloc(c->len, nc * 3 * sizeof(*no));
	if (!no)
		return -1;
	c->len = no;
	c->cap = nc;
	return 0;
}

int corpus_load(corpus *c, const char *sqlite_path)
{
	isg__scan scan;
	isg__doc doc;
	char *root = NULL;
	size_t max_size = 0, i;
	int rc = -1, r, f;

	memset(c, 0, sizeof(*c));
	memset(&scan, 0, sizeof(scan));
	memset(&doc, 0, sizeof(doc));
	if (index_meta(sqlite_path, &root, &max_size) != 0)
		return -1;
	if (isg__repo_scan(&scan, root, max_size, NULL, NULL) != ISG_OK) {
		fprintf(stderr, "cannot walk '%s': %s\n", root,
		        isg_error_last()->message);
		goto done;
	}
	/* The same walk and the same per-file reader as the index writer:
	 * document i + 1 here is rowid i + 1 of the product's fts table. */
	for (i = 0; i < scan.len; i++) {
		const isg_buf *cols[3] = { &doc.tpath, &doc.tdefs, &doc.tbody };

		r = isg__repo_doc_read(&doc, root, scan.items[i].path);
		if (r < 0) {
			fprintf(stderr, "cannot read '%s/%s': %s\n", root,
			        scan.items[i].path, isg_error_last()->message);
			goto done;
		}
		if (r > 0)
			continue;
		if (c->ndocs == c->cap && corpus_grow(c) != 0)
			goto done;
		for (f = 0; f < 3; f++) {
			const char *t = cols[f]->ptr ? cols[f]->ptr : "";

			c->off[3 * c->ndocs + f] = c->text_len;
			c->len[3 * c->ndocs + f] = cols[f]->size;
			if (corpus_add(c, t, cols[f]->size) != 0)
				goto done;
		}
		c->ndocs++;
	}
	rc = 0;
done:
	isg__repo_doc_dispose(&doc);
	isg__repo_scan_free(&scan);
	free(root);
	return rc;
}

void corpus_free(corpus *c)
{
	free(c->text);
	free(c->off);
	free(c->len);
	memset(c, 0, sizeof(*c));
}

/* ---- queries ---- */

/* Distinct tokens of `text` (at least 2 bytes, not locate.c's stop terms,
 * at most 4000, as locate.c) with their counts. */
static int query_make(query *q, const char *text)
{
	isg_buf toks = ISG_BUF_INIT;
	size_t cap = 0, i;
	char *p;
	int rc = -1;

	memset(q, 0, sizeof(*q));
	q->raw = strdup(text);
	if (!q->raw ||
	    isg__repo_tokens(&toks, text, strlen(text), NULL) != ISG_OK)
		goto done;
	q->buf = toks.ptr ? strdup(toks.ptr) : strdup("");
	if (!q->buf)
		goto done;
	for (p = q->buf; *p;) {
		char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);

		if (sp)
			*sp = '\0';
		if (n >= 2 && !isg__locate_is_stop_term(p, n)) {
			/* Linear search: issues have a few hundred tokens. */
			for (i = 0; i < q->nterms; i++)
				if (strcmp(q->terms[i], p) == 0)
					break;
			if (i < q->nterms) {
				q->tf[i]++;
			} else if (q->nterms < 4000) {
				if (q->nterms == cap) {
					size_t nc = cap ? cap * 2 : 64;
					const char **nt = realloc(
					        q->terms, nc * sizeof(*nt));
					size_t *ntf;

					if (!nt)
						goto done;
					q->terms = nt;
					ntf = realloc(q->tf, nc * sizeof(*ntf));
					if (!ntf)
						goto done;
					q->tf = ntf;
					cap = nc;
				}
				q->terms[q->nterms] = p;
				q->tf[q->nterms++] = 1;
			}
		}
		p += n + (sp ? 1 : 0);
	}
	rc = 0;
done:
	isg_buf_dispose(&toks);
	return rc;
}

int queries_load(queries *qs, const char *jsonl_path)
{
	FILE *fp = fopen(jsonl_path, "r");
	char *line = NULL;
	size_t cap = 0, qcap = 0;
	ssize_t n;
	int rc = -1;

	memset(qs, 0, sizeof(*qs));
	if (!fp) {
		fprintf(stderr, "cannot open '%s'\n", jsonl_path);
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		cJSON *j = cJSON_Parse(line);
		const cJSON *ps = j ? cJSON_GetObjectItemCaseSensitive(
		                              j, "problem_statement")
		                    : NULL;
		int bad = !cJSON_IsString(ps);

		if (!bad && qs->n == qcap) {
			size_t nc = qcap ? qcap * 2 : 128;
			query *ni = realloc(qs->items, nc * sizeof(*ni));

			if (ni) {
				qs->items = ni;
				qcap = nc;
			} else {
				bad = 1;
			}
		}
		if (!bad && query_make(&qs->items[qs->n], ps->valuestring) == 0)
			qs->n++;
		else if (!bad)
			bad = 1, qs->n++; /* freed by queries_free */
		cJSON_Delete(j);
		if (bad) {
			fprintf(stderr, "'%s': bad line %zu\n", jsonl_path,
			        qs->n + 1);
			goto done;
		}
	}
	rc = qs->n ? 0 : -1;
done:
	free(line);
	fclose(fp);
	return rc;
}

void queries_free(queries *qs)
{
	size_t i;

	for (i = 0; i < qs->n; i++) {
		free(qs->items[i].raw);
		free(qs->items[i].buf);
		free(qs->items[i].terms);
		free(qs->items[i].tf);
	}
	free(qs->items);
	memset(qs, 0, sizeof(*qs));
}

/* ---- building ---- */

static int fts5_build(const corpus *c, const char *path, const char *opts)
{
	char sql[1024], tmp[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1, f;

	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp);
	/* The product's schema_sql, minus the files/defs/imports tables; a
	 * one-row meta table gives the document count as the product's
	 * files table does. */
	snprintf(
	        sql, sizeof(sql),
	        "PRAGMA journal_mode=OFF;PRAGMA synchronous=OFF;CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;CREATE VIRTUAL TABLE fts USING fts5(path, defs, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\"%s);CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');BEGIN;",
	        opts);
	if (sqlite3_open_v2(tmp, &db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    NULL) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	            db, "INSERT INTO fts(rowid,path,defs,body) VALUES(?,?,?,?)",
	            -1, &st, NULL) != SQLITE_OK)
		goto done;
	for (i = 0; i < c->ndocs; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		for (f = 0; f < 3; f++)
			sqlite3_bind_text(
			        st, f + 2, c->text + c->off[3 * i + f],
			        (int)c->len[3 * i + f], SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto done;
		sqlite3_reset(st);
	}
	snprintf(
	        sql, sizeof(sql),
	        "INSERT INTO meta VALUES('ndocs', %zu);INSERT INTO fts(fts) VALUES('optimize');COMMIT;",
	        c->ndocs);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	rc = 0;
done:
	if (rc)
		fprintf(stderr, "fts5 build of '%s': %s\n", path,
		        sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc)
		unlink(tmp);
	return rc;
}

static int istore_build_file(const corpus *c, const char *path)
{
	istore_builder *b = NULL;
	size_t i;
	int rc = istore_builder_new(&b);

	for (i = 0; rc == ISTORE_OK && i < c->ndocs; i++) {
		const char *fields[3] = { c->text + c->off[3 * i],
			                  c->text + c->off[3 * i + 1],
			                  c->text + c->off[3 * i + 2] };

		rc = istore_builder_add(b, fields, c->len + 3 * i);
	}
	if (rc == ISTORE_OK)
		rc = istore_builder_write(b, path, 0);
	istore_builder_free(b);
	if (rc != ISTORE_OK)
		fprintf(stderr, "istore build of '%s': %s\n", path,
		        istore_strerror(rc));
	return rc == ISTORE_OK ? 0 : -1;
}

int backend_build(backend b, const corpus *c, const char *path)
{
	switch (b) {
	case BACKEND_FTS5:
		return fts5_build(c, path, "");
	case BACKEND_FTS5_COL:
		return fts5_build(c, path, ", detail=column");
	case BACKEND_FTS5_LEAN:
		/* The product never reads the text back (it keeps its own
		 * files table), so FTS5 need not store it. */
		return fts5_build(c, path, ", content=''");
	case BACKEND_ISTORE:
	case BACKEND_ISTORE_F:
		return istore_build_file(c, path);
	default:
		return -1;
	}
}

/* ---- querying ---- */

typedef struct handle {
	backend b;
	sqlite3 *db;
	sqlite3_stmt *df;
	istore *ix;
	size_t ndocs;
} handle;

static int h_open(handle *h, backend b, const char *path)
{
	char err[512];
	sqlite3_stmt *st = NULL;
	int rc = -1;

	memset(h, 0, sizeof(*h));
	h->b = b;
	if (b == BACKEND_ISTORE || b == BACKEND_ISTORE_F) {
		if (istore_open(&h->ix, path, err, sizeof(err)) != ISTORE_OK) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		h->ndocs = istore_ndocs(h->ix);
		return 0;
	}
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READONLY, NULL) !=
	            SQLITE_OK ||
	    sqlite3_prepare_v2(h->db,
	                       "SELECT value FROM meta WHERE key='ndocs'", -1,
	                       &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto done;
	h->ndocs = (size_t)sqlite3_column_int64(st, 0);
	if (sqlite3_prepare_v2(h->db, "SELECT doc FROM vocab WHERE term = ?",
	                       -1, &h->df, NULL) != SQLITE_OK)
		goto done;
	rc = 0;
done:
	if (rc)
		fprintf(stderr, "open '%s': %s\n", path, sqlite3_errmsg(h->db));
	sqlite3_finalize(st);
	return rc;
}

static void h_close(handle *h)
{
	sqlite3_finalize(h->df);
	sqlite3_close(h->db);
	istore_close(h->ix);
	memset(h, 0, sizeof(*h));
}

static size_t h_df(handle *h, const char *term)
{
	size_t df = 0;

	if (h->ix)
		return istore_df(h->ix, term);
	sqlite3_bind_text(h->df, 1, term, -1, SQLITE_STATIC);
	if (sqlite3_step(h->df) == SQLITE_ROW)
		df = (size_t)sqlite3_column_int64(h->df, 0);
	sqlite3_reset(h->df);
	return df;
}

static int h_score(handle *h, const char *const *terms, size_t n,
                   double *scores)
{
	char q[MAX_QUERY_TERMS * 80 + 16];
	size_t len = 0, i;
	sqlite3_stmt *st = NULL;
	int rc = -1, s;

	if (h->ix)
		return istore_score(h->ix, terms, n, weights,
		                    h->b == BACKEND_ISTORE_F ? ISTORE_BM25F
		                                             : ISTORE_BM25_FTS5,
		                    scores) == ISTORE_OK
		               ? 0
		               : -1;
	q[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(q + len, sizeof(q) - len, "%s\"%s\"",
		                 i ? " OR " : "", terms[i]);

		if (w < 0 || (size_t)w >= sizeof(q) - len)
			return -1;
		len += (size_t)w;
	}
	/* The product's statement (repo_db.c), prepared per query too. */
	if (sqlite3_prepare_v2(
	            h->db,
	            "SELECT rowid, bm25(fts, 3.0, 4.0, 1.0) FROM fts WHERE fts MATCH ?",
	            -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		if (id >= 1 && (size_t)id <= h->ndocs)
			scores[id - 1] = -sqlite3_column_double(st, 1);
	}
	rc = s == SQLITE_DONE ? 0 : -1;
done:
	if (rc)
		fprintf(stderr, "query: %s\n", sqlite3_errmsg(h->db));
	sqlite3_finalize(st);
	return rc;
}

typedef struct wterm {
	const char *t;
	double w;
} wterm;

static int cmp_wterm(const void *a, const void *b)
{
	const wterm *x = a, *y = b;

	return x->w < y->w ? 1 : x->w > y->w ? -1 : strcmp(x->t, y->t);
}

/* The product's query procedure (locate.c, isg__locate_terms). */
static int run_one(handle *h, const query *q, wterm *wt, double *scores,
                   qres *out)
{
	const char *pick[MAX_QUERY_TERMS];
	size_t i, n = 0, top[TOPK], k;
	double t0 = now_secs();

	for (i = 0; i < q->nterms; i++) {
		size_t df = h_df(h, q->terms[i]);

		wt[i].t = q->terms[i];
		wt[i].w = isg__locate_term_weight(q->tf[i], df, h->ndocs);
	}
	out->df_secs = now_secs() - t0;
	qsort(wt, q->nterms, sizeof(*wt), cmp_wterm);
	for (i = 0; i < q->nterms && n < MAX_QUERY_TERMS && wt[i].w > 0.0; i++)
		pick[n++] = wt[i].t;
	memset(scores, 0, h->ndocs * sizeof(*scores));
	if (n && h_score(h, pick, n, scores) != 0)
		return -1;
	k = istore_top(top, TOPK, scores, h->ndocs);
	out->secs = now_secs() - t0;
	out->n = (int)k;
	for (i = 0; i < k; i++) {
		out->ids[i] = (int64_t)top[i];
		out->scores[i] = scores[top[i]];
	}
	return 0;
}

int backend_run(backend b, const char *path, const queries *q, qres *res,
                double *open_secs, double *open_first_secs)
{
	handle h;
	double *scores = NULL, t0 = now_secs();
	wterm *wt = NULL;
	size_t i, maxt = 1;
	int rc = -1;

	if (h_open(&h, b, path) != 0)
		return -1;
	*open_secs = now_secs() - t0;
	for (i = 0; i < q->n; i++)
		if (q->items[i].nterms > maxt)
			maxt = q->items[i].nterms;
	scores = malloc((h.ndocs ? h.ndocs : 1) * sizeof(*scores));
	wt = malloc(maxt * sizeof(*wt));
	if (!scores || !wt)
		goto done;
	for (i = 0; i < q->n; i++) {
		if (run_one(&h, &q->items[i], wt, scores, &res[i]) != 0)
			goto done;
		if (i == 0)
			*open_first_secs = now_secs() - t0;
	}
	rc = 0;
done:
	free(scores);
	free(wt);
	h_close(&h);
	return rc;
}
