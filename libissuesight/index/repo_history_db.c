/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo history db: the commits of repo_history.c in the index, and the
 * query that lets similar past commits vote for their files. Three
 * tables: `hist` (time, how many paths the commit changed), `hfiles`
 * (which indexed files it changed) and `hmsg`, a contentless FTS5 table
 * over the code-aware tokens of its message, so that an issue is matched
 * against past commit messages with the same BM25 and the same tokens as
 * against the code. As BugLocator does with past bug reports, a commit
 * that touched many files votes less for each of them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "locate_int.h"

#define MODULE "repo"

static int db_fail(sqlite3 *db, const char *what, const char *path)
{
	return isg__error_set(ISG_EBACKEND, MODULE,
	                      "index %s failed for '%s': %s", what, path,
	                      sqlite3_errmsg(db));
}

static int step(sqlite3 *db, sqlite3_stmt *st, const char *what,
                const char *path)
{
	int s = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return s == SQLITE_DONE ? ISG_OK : db_fail(db, what, path);
}

/* Stores commit `id` (1-based): its row, its files, its message tokens. */
static int store_one(sqlite3 *db, sqlite3_stmt **st, const isg__history *h,
                     size_t i, const isg__strmap *ids, isg_buf *tok,
                     const char *path)
{
	const isg__hcommit *c = &h->items[i];
	sqlite3_int64 id = (sqlite3_int64)i + 1;
	size_t j;
	int rc;

	sqlite3_bind_int64(st[0], 1, id);
	sqlite3_bind_int64(st[0], 2, c->time);
	sqlite3_bind_int64(st[0], 3, (sqlite3_int64)c->nfiles);
	rc = step(db, st[0], "insert commit", path);
	for (j = 0; rc == ISG_OK && j < c->nfiles; j++) {
		long f = isg__strmap_get(ids, h->paths[c->file_start + j]);

		if (f <= 0)
			continue; /* deleted or not indexed at HEAD */
		sqlite3_bind_int64(st[1], 1, id);
		sqlite3_bind_int64(st[1], 2, f);
		rc = step(db, st[1], "insert commit file", path);
	}
	if (rc != ISG_OK)
		return rc;
	isg__buf_clear(tok);
	rc = isg__repo_tokens(tok, c->msg, strlen(c->msg), NULL);
	if (rc != ISG_OK || !tok->size)
		return rc;
	sqlite3_bind_int64(st[2], 1, id);
	sqlite3_bind_text(st[2], 2, tok->ptr, (int)tok->size, SQLITE_STATIC);
	return step(db, st[2], "insert commit message", path);
}

int isg__repo_history_store(void *dbp, const isg__history *h,
                            const isg__strmap *ids, const char *path)
{
	static const char *const sql[] = {
		"INSERT INTO hist VALUES(?,?,?)",
		"INSERT INTO hfiles VALUES(?,?)",
		"INSERT INTO hmsg(rowid,msg) VALUES(?,?)",
	};
	sqlite3 *db = dbp;
	sqlite3_stmt *st[3] = { NULL, NULL, NULL };
	isg_buf tok = ISG_BUF_INIT;
	size_t i;
	int rc = ISG_OK;

	for (i = 0; i < 3 && rc == ISG_OK; i++)
		if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) !=
		    SQLITE_OK)
			rc = db_fail(db, "prepare", path);
	for (i = 0; rc == ISG_OK && i < h->len; i++)
		rc = store_one(db, st, h, i, ids, &tok, path);
	for (i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	isg_buf_dispose(&tok);
	return rc;
}

typedef struct hit {
	sqlite3_int64 id;
	double score;
} hit;

/* The HIST_COMMITS best matching commits, best first, into hits. */
static int best_commits(const isg_repo *repo, const char *query, hit *hits,
                        size_t *n)
{
	sqlite3 *db = repo->db;
	sqlite3_stmt *st = NULL;
	int s;

	*n = 0;
	if (sqlite3_prepare_v2(db,
	                       "SELECT rowid, bm25(hmsg) FROM hmsg WHERE hmsg "
	                       "MATCH ? ORDER BY bm25(hmsg) LIMIT ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "query", repo->index_path);
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)HIST_COMMITS);
	while ((s = sqlite3_step(st)) == SQLITE_ROW &&
	       *n < (size_t)HIST_COMMITS && *n < HIST_COMMITS_MAX) {
		hits[*n].id = sqlite3_column_int64(st, 0);
		hits[(*n)++].score = -sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return s == SQLITE_DONE || s == SQLITE_ROW
	               ? ISG_OK
	               : db_fail(db, "query", repo->index_path);
}

int isg__repo_db_history(const isg_repo *repo, const char *query, double *votes)
{
	sqlite3 *db = repo->db;
	sqlite3_stmt *st = NULL;
	hit hits[HIST_COMMITS_MAX];
	size_t n = 0, i;
	int rc;

	if (!db)
		return ISG_OK;
	rc = best_commits(repo, query, hits, &n);
	if (rc != ISG_OK || n == 0 || hits[0].score <= 0.0)
		return rc;
	if (sqlite3_prepare_v2(db,
	                       "SELECT h.nfiles, f.file FROM hist h JOIN "
	                       "hfiles f ON f.cmt = h.id WHERE h.id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "query", repo->index_path);
	for (i = 0; i < n && rc == ISG_OK; i++) {
		double sim = hits[i].score / hits[0].score;
		int s;

		sqlite3_bind_int64(st, 1, hits[i].id);
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			double nf = (double)sqlite3_column_int64(st, 0);
			sqlite3_int64 f = sqlite3_column_int64(st, 1);

			if (f >= 1 && (size_t)f <= repo->nfiles && nf >= 1.0)
				votes[f - 1] += sim / pow(nf, HIST_FILES_EXP);
		}
		if (s != SQLITE_DONE)
			rc = db_fail(db, "query", repo->index_path);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}
