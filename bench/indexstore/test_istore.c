/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests of the hand-written index of the index-storage benchmark: its
 * BM25 equals a brute-force computation on a tiny corpus and SQLite FTS5's
 * own bm25() on the same documents, a written file reads back the same,
 * and damaged files are refused with the right status.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <zlib.h>

#include "istore.h"

/* path, definitions, body of each document. */
static const char *const docs[][3] = {
	{ "src time series py", "time_series time series add column",
	  "def add column time series column column raise value error" },
	{ "src table py", "table remove_column remove column",
	  "table remove column column index value" },
	{ "docs index rst", "", "time series table guide guide guide" },
	{ "tests test series py", "test add column test",
	  "time series add column assert value" },
	{ "setup py", "", "" },
	{ "src io fits header py", "header card value",
	  "header card card value keyword keyword keyword error" },
};
#define NDOCS (sizeof(docs) / sizeof(docs[0]))

static const double w[3] = { 3.0, 4.0, 1.0 };

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_istore.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/ix", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

static void write_index(const char *path)
{
	istore_builder *b = NULL;
	size_t i;

	assert_int_equal(istore_builder_new(&b), ISTORE_OK);
	for (i = 0; i < NDOCS; i++) {
		size_t lens[3] = { strlen(docs[i][0]), strlen(docs[i][1]),
			           strlen(docs[i][2]) };

		assert_int_equal(istore_builder_add(b, docs[i], lens),
		                 ISTORE_OK);
	}
	assert_int_equal(istore_builder_write(b, path, 1), ISTORE_OK);
	istore_builder_free(b);
}

static unsigned count(const char *text, const char *term)
{
	unsigned n = 0;
	size_t tl = strlen(term);
	const char *p = text;

	while (*p) {
		size_t l = strcspn(p, " ");

		n += l == tl && strncmp(p, term, l) == 0;
		p += l;
		p += *p == ' ';
	}
	return n;
}

static unsigned ntokens(const char *text)
{
	unsigned n = 0;
	const char *p = text;

	while (*p) {
		size_t l = strcspn(p, " ");

		n += l > 0;
		p += l;
		p += *p == ' ';
	}
	return n;
}

/* The formulas written out from their definitions, over the raw text. */
static void brute(const char *const *terms, size_t n, istore_formula f,
                  double *out)
{
	double N = NDOCS, tot[3] = { 0, 0, 0 }, all = 0;
	size_t d, q;
	int c;

	for (d = 0; d < NDOCS; d++)
		for (c = 0; c < 3; c++)
			tot[c] += ntokens(docs[d][c]);
	all = tot[0] + tot[1] + tot[2];
	memset(out, 0, NDOCS * sizeof(*out));
	for (q = 0; q < n; q++) {
		double df = 0, idf;

		for (d = 0; d < NDOCS; d++)
			df += count(docs[d][0], terms[q]) +
			              count(docs[d][1], terms[q]) +
			              count(docs[d][2], terms[q]) >
			      0;
		if (df == 0)
			continue;
		if (f == ISTORE_BM25_FTS5) {
			idf = log((N - df + 0.5) / (df + 0.5));
			idf = idf <= 0 ? 1e-6 : idf;
		} else {
			idf = log(1 + (N - df + 0.5) / (df + 0.5));
		}
		for (d = 0; d < NDOCS; d++) {
			double tf = 0, len = 0, has = 0;

			for (c = 0; c < 3; c++) {
				double t = count(docs[d][c], terms[q]);
				double l = ntokens(docs[d][c]);

				has += t;
				if (f == ISTORE_BM25_FTS5)
					tf += w[c] * t, len += l;
				else if (t > 0)
					tf += w[c] * t /
					      (0.25 + 0.75 * l / (tot[c] / N));
			}
			if (!has)
				continue;
			if (f == ISTORE_BM25_FTS5)
				out[d] += idf * tf * 2.2 /
				          (tf + 1.2 * (0.25 +
				                       0.75 * len / (all / N)));
			else
				out[d] += idf * tf * 2.2 / (tf + 1.2);
		}
	}
}

static const char *const query[] = { "column", "time_series", "value",
	                             "header", "guide",       "absent" };
#define NQ (sizeof(query) / sizeof(query[0]))

static void test_istore__scores_equal_brute_force(void **state)
{
	char path[128];
	istore *ix = NULL;
	double got[NDOCS], want[NDOCS];
	int f;
	size_t d;

	(void)state;
	snprintf(path, sizeof(path), "%s/ix", tmpdir);
	write_index(path);
	assert_int_equal(istore_open(&ix, path, NULL, 0), ISTORE_OK);
	assert_int_equal(istore_ndocs(ix), NDOCS);
	for (f = 0; f < 2; f++) {
		memset(got, 0, sizeof(got));
		assert_int_equal(
		        istore_score(ix, query, NQ, w, (istore_formula)f, got),
		        ISTORE_OK);
		brute(query, NQ, (istore_formula)f, want);
		for (d = 0; d < NDOCS; d++)
			assert_true(fabs(got[d] - want[d]) <=
			            1e-12 * (1 + fabs(want[d])));
	}
	/* Document 4 has no tokens at all and matches nothing. */
	assert_true(got[4] == 0.0);
	istore_close(ix);
}

static void test_istore__scores_equal_sqlite_fts5_bm25(void **state)
{
	char path[128];
	istore *ix = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double got[NDOCS], want[NDOCS];
	size_t d;
	int rows = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/ix", tmpdir);
	write_index(path);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(
	        sqlite3_exec(
	                db,
	                "CREATE VIRTUAL TABLE fts USING fts5(path, defs, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\");",
	                NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(
	        sqlite3_prepare_v2(
	                db,
	                "INSERT INTO fts(rowid, path, defs, body) VALUES(?,?,?,?)",
	                -1, &st, NULL),
	        SQLITE_OK);
	for (d = 0; d < NDOCS; d++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)d + 1);
		sqlite3_bind_text(st, 2, docs[d][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, docs[d][1], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, docs[d][2], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	assert_int_equal(
	        sqlite3_prepare_v2(
	                db,
	                "SELECT rowid, bm25(fts, 3.0, 4.0, 1.0) FROM fts WHERE fts MATCH '\"column\" OR \"time_series\" OR \"value\" OR \"header\" OR \"guide\" OR \"absent\"'",
	                -1, &st, NULL),
	        SQLITE_OK);
	memset(want, 0, sizeof(want));
	while (sqlite3_step(st) == SQLITE_ROW) {
		want[sqlite3_column_int64(st, 0) - 1] =
		        -sqlite3_column_double(st, 1);
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(rows, 5);
	assert_int_equal(istore_open(&ix, path, NULL, 0), ISTORE_OK);
	memset(got, 0, sizeof(got));
	assert_int_equal(istore_score(ix, query, NQ, w, ISTORE_BM25_FTS5, got),
	                 ISTORE_OK);
	for (d = 0; d < NDOCS; d++)
		assert_true(fabs(got[d] - want[d]) <=
		            1e-9 * (1 + fabs(want[d])));
	istore_close(ix);
}

static void test_istore__round_trip_keeps_terms_and_counts(void **state)
{
	char path[128];
	istore *ix = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/ix", tmpdir);
	write_index(path);
	assert_int_equal(istore_open(&ix, path, NULL, 0), ISTORE_OK);
	assert_int_equal(istore_df(ix, "column"), 3);
	assert_int_equal(istore_df(ix, "py"), 5);
	assert_int_equal(istore_df(ix, "remove_column"), 1);
	assert_int_equal(istore_df(ix, "keyword"), 1);
	assert_int_equal(istore_df(ix, "absent"), 0);
	assert_int_equal(istore_df(ix, ""), 0);
	assert_int_equal(istore_total_tokens(ix, 0), 21);
	assert_int_equal(istore_total_tokens(ix, 1), 16);
	assert_int_equal(istore_total_tokens(ix, 2), 36);
	istore_close(ix);
}

static void test_istore__top_orders_by_score_then_index(void **state)
{
	const double s[] = { 0.5, 2.0, 0.0, 2.0, 1.0, -1.0, 3.0 };
	size_t top[4];

	(void)state;
	assert_int_equal(istore_top(top, 4, s, 7), 4);
	assert_int_equal(top[0], 6);
	assert_int_equal(top[1], 1);
	assert_int_equal(top[2], 3);
	assert_int_equal(top[3], 4);
	assert_int_equal(istore_top(top, 0, s, 7), 0);
}

/* Rewrites byte `at` of the file with `v`. */
static void poke(const char *path, long at, unsigned char v)
{
	FILE *fp = fopen(path, "r+b");

	assert_non_null(fp);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	assert_int_equal(fputc(v, fp), v);
	fclose(fp);
}

static void test_istore__damaged_files_are_refused(void **state)
{
	char path[128], err[256];
	istore *ix = NULL;
	FILE *fp;
	long size;

	(void)state;
	snprintf(path, sizeof(path), "%s/ix", tmpdir);
	write_index(path);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	/* A flipped byte in the postings. */
	poke(path, size - 3, 0xff);
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
	                 ISTORE_ECORRUPT);
	assert_null(ix);
	assert_non_null(strstr(err, "section checksum mismatch"));
	/* A version bump without fixing the header checksum. */
	write_index(path);
	poke(path, 8, 2);
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
	                 ISTORE_ECORRUPT);
	assert_non_null(strstr(err, "header checksum"));
	/* A real version 2 header (checksum fixed) is another format. */
	{
		unsigned char h[128];
		uint32_t c;
		int i;

		write_index(path);
		fp = fopen(path, "r+b");
		assert_non_null(fp);
		assert_int_equal(fread(h, 1, 128, fp), 128);
		h[8] = 2;
		c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), h, 112);
		for (i = 0; i < 4; i++)
			h[112 + i] = (unsigned char)(c >> (8 * i));
		fseek(fp, 0, SEEK_SET);
		assert_int_equal(fwrite(h, 1, 128, fp), 128);
		fclose(fp);
		assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
		                 ISTORE_EVERSION);
	}
	/* Bad magic, truncation, and a missing file. */
	write_index(path);
	poke(path, 0, 'X');
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
	                 ISTORE_ECORRUPT);
	write_index(path);
	assert_int_equal(truncate(path, size - 10), 0);
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
	                 ISTORE_ECORRUPT);
	assert_int_equal(truncate(path, 20), 0);
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)),
	                 ISTORE_ECORRUPT);
	assert_non_null(strstr(err, "header"));
	unlink(path);
	assert_int_equal(istore_open(&ix, path, err, sizeof(err)), ISTORE_EIO);
	assert_non_null(strstr(err, path));
}

static void test_istore__empty_index_opens(void **state)
{
	char path[128];
	istore_builder *b = NULL;
	istore *ix = NULL;
	double sc[1] = { 0 };
	const char *t = "x";

	(void)state;
	snprintf(path, sizeof(path), "%s/ix", tmpdir);
	assert_int_equal(istore_builder_new(&b), ISTORE_OK);
	assert_int_equal(istore_builder_write(b, path, 0), ISTORE_OK);
	istore_builder_free(b);
	istore_builder_free(NULL);
	assert_int_equal(istore_open(&ix, path, NULL, 0), ISTORE_OK);
	assert_int_equal(istore_ndocs(ix), 0);
	assert_int_equal(istore_score(ix, &t, 1, w, ISTORE_BM25_FTS5, sc),
	                 ISTORE_OK);
	istore_close(ix);
	istore_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_istore__scores_equal_brute_force, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_istore__scores_equal_sqlite_fts5_bm25, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_istore__round_trip_keeps_terms_and_counts, setup,
		        teardown),
		cmocka_unit_test(test_istore__top_orders_by_score_then_index),
		cmocka_unit_test_setup_teardown(
		        test_istore__damaged_files_are_refused, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(test_istore__empty_index_opens,
		                                setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
