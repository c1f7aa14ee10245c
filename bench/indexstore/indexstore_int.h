/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared types of the index-storage benchmark: the documents taken from a
 * product index (the exact token streams FTS5 was given), the prepared
 * issue queries, and the two back ends under test (minimal FTS5 and the
 * hand-written istore) behind one small interface.
 */
#ifndef INDEXSTORE_INT_H
#define INDEXSTORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "istore.h"

#define TOPK 10
#define MAX_QUERY_TERMS 48

/* All documents of one tree: field f of doc i is text[off[3i+f] ..
 * off[3i+f] + len[3i+f]), in one buffer. */
typedef struct corpus {
	char *text;
	size_t text_len, text_cap;
	size_t *off, *len;
	size_t ndocs, cap;
} corpus;

/* One issue: its distinct query tokens (stop words removed) with their
 * counts, NUL-separated in `buf`. */
typedef struct query {
	char *raw; /* the problem statement as written */
	char *buf;
	const char **terms;
	size_t *tf;
	size_t nterms;
} query;

typedef struct queries {
	query *items;
	size_t n;
} queries;

/* The outcome of one query: the time it took and its top files. */
typedef struct qres {
	double secs;
	double df_secs; /* of which: document frequencies of the terms */
	int n;
	int64_t ids[TOPK];
	double scores[TOPK];
} qres;

/* Back ends. */
typedef enum backend {
	BACKEND_FTS5 = 0,  /* minimal FTS5 file, detail=full (as the product) */
	BACKEND_FTS5_COL,  /* minimal FTS5 file, detail=column */
	BACKEND_FTS5_LEAN, /* contentless FTS5 (content=''), detail=full */
	BACKEND_ISTORE,    /* hand-written index, FTS5's bm25() formula */
	BACKEND_ISTORE_F,  /* hand-written index, BM25F */
	BACKEND_COUNT
} backend;

const char *backend_name(backend b);

/* Re-creates the path, defs and body token strings of every file of the
 * product index at sqlite_path (its fts table is contentless): walks the
 * root recorded in its meta table with the same size cap and reads each
 * file with the index writer's own isg__repo_doc_read, so document i is
 * the product's rowid i + 1. 0 or -1 with a message on stderr. */
int corpus_load(corpus *c, const char *sqlite_path);
void corpus_free(corpus *c);

/* Tokenizes each problem statement of a JSON-lines file with the
 * product's tokenizer. 0 or -1. */
int queries_load(queries *q, const char *jsonl_path);
void queries_free(queries *q);

/* Builds the index of back end b at path (temporary name + rename).
 * 0 or -1. */
int backend_build(backend b, const corpus *c, const char *path);

/* Opens the index, runs every query and fills res[0..q->n); the first
 * query is timed together with the open into *open_first_secs, and
 * *open_secs is the open alone. 0 or -1. */
int backend_run(backend b, const char *path, const queries *q, qres *res,
                double *open_secs, double *open_first_secs);

double now_secs(void);

#endif
