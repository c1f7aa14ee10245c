/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo db: the on-disk index, one SQLite file per repository snapshot.
 * Plain tables hold files, definitions and imports; an FTS5 table holds
 * the code-aware tokens of each file in three columns (path, definitions,
 * body) so that BM25 can weight them separately. Tokens are split by
 * isg__repo_tokens() before insertion; FTS5 only separates them on spaces.
 * The FTS5 tables are contentless (content=''): queries only need the
 * inverted index and the per-row column sizes that bm25() reads, never the
 * text, and storing it again tripled the file (docs/index-storage.md).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "repo_int.h"

#define MODULE "repo"

static const char schema_sql[] =
        "PRAGMA journal_mode=OFF;PRAGMA synchronous=OFF;CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL, lang TEXT NOT NULL, role INTEGER NOT NULL, size INTEGER NOT NULL, lines INTEGER NOT NULL, ntok INTEGER NOT NULL, doc TEXT NOT NULL);CREATE TABLE defs(file INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT NOT NULL, line INTEGER NOT NULL);CREATE TABLE imports(file INTEGER NOT NULL, name TEXT NOT NULL);CREATE VIRTUAL TABLE fts USING fts5(path, defs, body, content='', tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\");CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');CREATE VIRTUAL TABLE spans USING fts5(body, content='', tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\");CREATE VIRTUAL TABLE lits USING fts5(text, content='', tokenize = \"unicode61 remove_diacritics 0 tokenchars '_-'\");CREATE TABLE hist(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, nfiles INTEGER NOT NULL);CREATE TABLE hfiles(cmt INTEGER NOT NULL, file INTEGER NOT NULL);CREATE VIRTUAL TABLE hmsg USING fts5(msg, content='', tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\");BEGIN;";

static int db_error(sqlite3 *db, const char *what, const char *path)
{
	return isg__error_set(ISG_EBACKEND, MODULE,
	                      "index %s failed for '%s': %s", what, path,
	                      db ? sqlite3_errmsg(db) : "no handle");
}

typedef struct builder {
	sqlite3 *db;
	sqlite3_stmt *file, *def, *imp, *fts, *span, *lit;
	const char *path;
	isg__strmap ids; /* scanned path -> file id, for the history */
	isg__doc doc;
	isg_buf tspan;
	sqlite3_int64 id;
} builder;

static int bind_text(sqlite3_stmt *st, int i, const char *s, size_t n)
{
	return sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
}

static int step_reset(builder *b, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? ISG_OK : db_error(b->db, what, b->path);
}

/* Chunk rowids carry the file id and the chunk's first line. */
#define SPAN_LINE_BITS 20

static int add_chunk(unsigned int line, const char *text, size_t len,
                     void *payload)
{
	builder *b = payload;
	int rc;

	if (line >= (1u << SPAN_LINE_BITS))
		return ISG_OK;
	isg__buf_clear(&b->tspan);
	rc = isg__repo_tokens(&b->tspan, text, len, NULL);
	if (rc != ISG_OK || !b->tspan.size)
		return rc;
	sqlite3_bind_int64(b->span, 1, (b->id << SPAN_LINE_BITS) | line);
	bind_text(b->span, 2, b->tspan.ptr, b->tspan.size);
	return step_reset(b, b->span, "insert chunk");
}

static int index_one(builder *b, const char *root, const isg__scan_entry *en,
                     sqlite3_int64 id)
{
	isg__doc *d = &b->doc;
	const isg__parsed *parsed = &d->parsed;
	const char *txt;
	size_t i;
	int rc;

	rc = isg__repo_doc_read(d, root, en->path);
	if (rc != ISG_OK)
		return rc; /* 1: not indexed, skip */
	txt = d->text.ptr ? d->text.ptr : "";
	sqlite3_bind_int64(b->file, 1, id);
	bind_text(b->file, 2, en->path, strlen(en->path));
	bind_text(b->file, 3, d->lang, strlen(d->lang));
	sqlite3_bind_int(b->file, 4, d->role);
	sqlite3_bind_int64(b->file, 5, (sqlite3_int64)d->text.size);
	sqlite3_bind_int64(b->file, 6, (sqlite3_int64)parsed->lines);
	sqlite3_bind_int64(b->file, 7, (sqlite3_int64)d->ntok);
	bind_text(b->file, 8, parsed->doc ? parsed->doc : "",
	          parsed->doc ? strlen(parsed->doc) : 0);
	rc = step_reset(b, b->file, "insert file");
	for (i = 0; rc == ISG_OK && i < parsed->ndefs; i++) {
		const isg__pdef *pd = &parsed->defs[i];

		sqlite3_bind_int64(b->def, 1, id);
		bind_text(b->def, 2, pd->name, strlen(pd->name));
		bind_text(b->def, 3, pd->kind, strlen(pd->kind));
		bind_text(b->def, 4, pd->parent, strlen(pd->parent));
		sqlite3_bind_int(b->def, 5, (int)pd->line);
		rc = step_reset(b, b->def, "insert definition");
	}
	for (i = 0; rc == ISG_OK && i < parsed->nimports; i++) {
		sqlite3_bind_int64(b->imp, 1, id);
		bind_text(b->imp, 2, parsed->imports[i],
		          strlen(parsed->imports[i]));
		rc = step_reset(b, b->imp, "insert import");
	}
	if (rc == ISG_OK) {
		sqlite3_bind_int64(b->fts, 1, id);
		bind_text(b->fts, 2, d->tpath.ptr ? d->tpath.ptr : "",
		          d->tpath.size);
		bind_text(b->fts, 3, d->tdefs.ptr ? d->tdefs.ptr : "",
		          d->tdefs.size);
		bind_text(b->fts, 4, d->tbody.ptr ? d->tbody.ptr : "",
		          d->tbody.size);
		rc = step_reset(b, b->fts, "insert tokens");
	}
	b->id = id;
	if (rc == ISG_OK)
		rc = isg__repo_chunks(parsed, txt, d->text.size, add_chunk, b);
	if (rc == ISG_OK) {
		isg__buf_clear(&b->tspan);
		rc = isg__repo_literals(&b->tspan, d->lang, txt, d->text.size);
	}
	if (rc == ISG_OK && b->tspan.size) {
		sqlite3_bind_int64(b->lit, 1, id);
		bind_text(b->lit, 2, b->tspan.ptr, b->tspan.size);
		rc = step_reset(b, b->lit, "insert literals");
	}
	return rc;
}

static int prepare(builder *b, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(b->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(b->db, "prepare", b->path);
	return ISG_OK;
}

static int put_meta(builder *b, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc = prepare(b, &st, "INSERT INTO meta VALUES(?,?)");

	if (rc == ISG_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		rc = step_reset(b, st, "write meta");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Creates the database TMP with the schema and prepares the inserts. */
static int open_db(builder *b, const char *tmp)
{
	int rc;

	if (sqlite3_open_v2(tmp, &b->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    NULL) != SQLITE_OK)
		return db_error(b->db, "create", tmp);
	/* The index holds a private repository's text: owner only. */
	(void)chmod(tmp, 0600);
	if (sqlite3_exec(b->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(b->db, "schema", tmp);
	if ((rc = prepare(b, &b->file,
	                  "INSERT INTO files VALUES(?,?,?,?,?,?,?,?)")) ||
	    (rc = prepare(b, &b->def, "INSERT INTO defs VALUES(?,?,?,?,?)")) ||
	    (rc = prepare(b, &b->imp, "INSERT INTO imports VALUES(?,?)")) ||
	    (rc = prepare(
	             b, &b->fts,
	             "INSERT INTO fts(rowid,path,defs,body) VALUES(?,?,?,?)")) ||
	    (rc = prepare(b, &b->span,
	                  "INSERT INTO spans(rowid,body) VALUES(?,?)")) ||
	    (rc = prepare(b, &b->lit,
	                  "INSERT INTO lits(rowid,text) VALUES(?,?)")))
		return rc;
	return ISG_OK;
}

/* Indexes every scanned file, numbering the indexed ones from 1, and
 * reports progress every 64 files (the callback may cancel). */
static int index_files(builder *b, const char *root, const isg__scan *scan,
                       isg_repo_progress_cb progress, void *payload)
{
	sqlite3_int64 id = 0;
	size_t i;
	int rc;

	for (i = 0; i < scan->len; i++) {
		rc = index_one(b, root, &scan->items[i], id + 1);
		if (rc < 0)
			return rc;
		if (rc == 0)
			isg__strmap_put(&b->ids, scan->items[i].path, ++id);
		if (progress && (i % 64 == 63 || i + 1 == scan->len) &&
		    progress("index", i + 1, scan->len, payload))
			return isg__error_set(ISG_ECANCELLED, MODULE,
			                      "indexing of '%s' cancelled",
			                      root);
	}
	return ISG_OK;
}

int isg__repo_db_build(const char *path, const char *root,
                       const isg__scan *scan, const char *commit,
                       const isg__history *hist, size_t max_size,
                       isg_repo_progress_cb progress, void *payload)
{
	builder b;
	isg_buf tmp = ISG_BUF_INIT;
	char num[32];
	int rc;

	memset(&b, 0, sizeof(b));
	b.path = path;
	/* Build under a temporary name and rename at the end, so that a
	 * crash or a concurrent reader never sees a half-built index. */
	rc = isg__buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if (rc != ISG_OK)
		goto done;
	unlink(tmp.ptr);
	if ((rc = isg__strmap_init(&b.ids, scan->len)) != ISG_OK ||
	    (rc = open_db(&b, tmp.ptr)) != ISG_OK ||
	    (rc = index_files(&b, root, scan, progress, payload)) != ISG_OK)
		goto done;
	if (hist && hist->len &&
	    (rc = isg__repo_history_store(b.db, hist, &b.ids, tmp.ptr)) !=
	            ISG_OK)
		goto done;
	snprintf(num, sizeof(num), "%d", ISG__INDEX_SCHEMA);
	if ((rc = put_meta(&b, "schema", num)) != ISG_OK)
		goto done;
	snprintf(num, sizeof(num), "%zu", max_size);
	if ((rc = put_meta(&b, "max_size", num)) != ISG_OK ||
	    (rc = put_meta(&b, "commit", commit)) != ISG_OK ||
	    (rc = put_meta(&b, "root", root)) != ISG_OK)
		goto done;
	if (sqlite3_exec(
	            b.db,
	            "CREATE INDEX defs_file ON defs(file);CREATE INDEX imports_file ON imports(file);CREATE INDEX hfiles_cmt ON hfiles(cmt);CREATE INDEX hfiles_file ON hfiles(file);INSERT INTO fts(fts) VALUES('optimize');INSERT INTO hmsg(hmsg) VALUES('optimize');INSERT INTO spans(spans) VALUES('optimize');INSERT INTO lits(lits) VALUES('optimize');INSERT INTO meta VALUES('complete','1');COMMIT;",
	            NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(b.db, "commit", tmp.ptr);
		goto done;
	}
done:
	sqlite3_finalize(b.file);
	sqlite3_finalize(b.def);
	sqlite3_finalize(b.imp);
	sqlite3_finalize(b.fts);
	sqlite3_finalize(b.span);
	sqlite3_finalize(b.lit);
	sqlite3_close(b.db);
	if (rc == ISG_OK && rename(tmp.ptr, path) != 0)
		rc = isg__error_set(ISG_EIO, MODULE,
		                    "cannot move index to '%s'", path);
	if (rc != ISG_OK && tmp.ptr)
		unlink(tmp.ptr);
	isg_buf_dispose(&tmp);
	isg__repo_doc_dispose(&b.doc);
	isg_buf_dispose(&b.tspan);
	isg__strmap_free(&b.ids);
	return rc;
}

/* 1 when the database passes SQLite's structural check and every
 * full-text table answers a query: a damaged file (a crash, a full disk,
 * a stray write) is rebuilt instead of failing every later search with
 * "vtable constructor failed". */
static int db_intact(sqlite3 *db)
{
	static const char *const probes[] = {
		"PRAGMA quick_check",
		"SELECT count(*) FROM fts WHERE fts MATCH 'isg_probe'",
		"SELECT count(*) FROM spans WHERE spans MATCH 'isg_probe'",
		"SELECT count(*) FROM lits WHERE lits MATCH 'isg_probe'",
		"SELECT count(*) FROM hmsg WHERE hmsg MATCH 'isg_probe'",
		"SELECT count(*) FROM vocab",
		"SELECT count(*) FROM files",
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(probes); i++) {
		sqlite3_stmt *st = NULL;
		int ok = sqlite3_prepare_v2(db, probes[i], -1, &st, NULL) ==
		                 SQLITE_OK &&
		         sqlite3_step(st) == SQLITE_ROW;

		if (ok && i == 0) {
			const char *res =
			        (const char *)sqlite3_column_text(st, 0);

			ok = res && strcmp(res, "ok") == 0;
		}
		sqlite3_finalize(st);
		if (!ok)
			return 0;
	}
	return 1;
}

int isg__repo_db_valid(const char *path, size_t max_size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0, schema = 0, complete = 0;
	long long cap = -1;

	if (access(path, R_OK) != 0)
		return 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st,
	                       NULL) != SQLITE_OK)
		goto done;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		long long n = 0;

		if (!k || !v)
			continue;
		if (strcmp(k, "schema") == 0 &&
		    isg__text_parse_ll(v, &n) == ISG_OK)
			schema = (int)n;
		else if (strcmp(k, "max_size") == 0 &&
		         isg__text_parse_ll(v, &n) == ISG_OK)
			cap = n;
		else if (strcmp(k, "complete") == 0)
			complete = 1;
	}
	ok = complete && schema == ISG__INDEX_SCHEMA &&
	     cap == (long long)max_size;
	sqlite3_finalize(st);
	st = NULL;
	if (ok && !db_intact(db)) {
		isg__log_write(ISG_LOG_WARN, MODULE, NULL, 0,
		               "index '%s' is damaged; rebuilding it", path);
		ok = 0;
	}
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

static int lang_slot(isg_repo *r, const char *lang, size_t *cap)
{
	size_t i;

	for (i = 0; i < r->nlangs; i++)
		if (strcmp(r->lang_names[i], lang) == 0) {
			r->lang_files[i]++;
			return ISG_OK;
		}
	if (r->nlangs == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		const char **nn =
		        isg__alloc_realloc(r->lang_names, nc * sizeof(*nn));
		size_t *nf;

		if (!nn)
			return isg__error_oom(MODULE);
		r->lang_names = nn;
		nf = isg__alloc_realloc(r->lang_files, nc * sizeof(*nf));
		if (!nf)
			return isg__error_oom(MODULE);
		r->lang_files = nf;
		*cap = nc;
	}
	r->lang_names[r->nlangs] = lang;
	r->lang_files[r->nlangs++] = 1;
	return ISG_OK;
}

static void sort_langs(isg_repo *r)
{
	size_t i, j;

	/* Insertion sort: a repository has a few dozen languages at most. */
	for (i = 1; i < r->nlangs; i++)
		for (j = i;
		     j > 0 &&
		     (r->lang_files[j] > r->lang_files[j - 1] ||
		      (r->lang_files[j] == r->lang_files[j - 1] &&
		       strcmp(r->lang_names[j], r->lang_names[j - 1]) < 0));
		     j--) {
			const char *n = r->lang_names[j];
			size_t f = r->lang_files[j];

			r->lang_names[j] = r->lang_names[j - 1];
			r->lang_files[j] = r->lang_files[j - 1];
			r->lang_names[j - 1] = n;
			r->lang_files[j - 1] = f;
		}
}

static char *col(isg_repo *r, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return isg__arena_strdup(&r->arena, s ? s : "");
}

static int count_rows(sqlite3 *db, const char *sql, size_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = ISG_EBACKEND;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*out = (size_t)sqlite3_column_int64(st, 0);
		rc = ISG_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int load_files(isg_repo *r, sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0, lcap = 0;
	int rc = ISG_OK;

	if (count_rows(db, "SELECT count(*) FROM files", &n) != ISG_OK)
		return db_error(db, "read", path);
	r->files = isg__alloc_calloc(n ? n : 1, sizeof(*r->files));
	if (!r->files)
		return isg__error_oom(MODULE);
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT path, lang, role, size, lines, ntok, doc FROM files ORDER BY id",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "read files", path);
	while (r->nfiles < n && sqlite3_step(st) == SQLITE_ROW) {
		isg__rfile *f = &r->files[r->nfiles];
		char *stem, *p;

		f->path = col(r, st, 0);
		f->lang = col(r, st, 1);
		f->role = sqlite3_column_int(st, 2);
		f->size = (size_t)sqlite3_column_int64(st, 3);
		f->lines = (size_t)sqlite3_column_int64(st, 4);
		f->ntok = (size_t)sqlite3_column_int64(st, 5);
		f->doc = col(r, st, 6);
		stem = f->path ? isg__arena_strdup(&r->arena, f->path) : NULL;
		if (!f->path || !f->lang || !f->doc || !stem) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		f->base = isg__path_basename(f->path);
		/* The stem path is the path without its extension. */
		stem[(size_t)(isg__path_basename(stem) - stem) +
		     isg__path_stem_len(stem)] = '\0';
		for (p = stem; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		f->stem_path = stem;
		if ((rc = lang_slot(r, f->lang, &lcap)) != ISG_OK)
			goto done;
		r->nfiles++;
	}
	sort_langs(r);
done:
	sqlite3_finalize(st);
	return rc;
}

static int load_defs(isg_repo *r, sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0, i;
	int rc = ISG_OK;

	if (count_rows(db, "SELECT count(*) FROM defs", &n) != ISG_OK)
		return db_error(db, "read", path);
	r->defs = isg__alloc_calloc(n ? n : 1, sizeof(*r->defs));
	if (!r->defs)
		return isg__error_oom(MODULE);
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT file, name, kind, parent, line FROM defs ORDER BY file, line, rowid",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "read definitions", path);
	while (r->ndefs < n && sqlite3_step(st) == SQLITE_ROW) {
		isg__rdef *d = &r->defs[r->ndefs];
		sqlite3_int64 file = sqlite3_column_int64(st, 0);

		if (file < 1 || (size_t)file > r->nfiles)
			continue;
		d->file = (size_t)file - 1;
		d->name = col(r, st, 1);
		d->kind = col(r, st, 2);
		d->parent = col(r, st, 3);
		d->line = (unsigned int)sqlite3_column_int(st, 4);
		if (!d->name || !d->kind || !d->parent) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		r->ndefs++;
	}
	for (i = r->ndefs; i-- > 0;) {
		isg__rfile *f = &r->files[r->defs[i].file];

		f->def_start = i;
		f->def_count++;
	}
done:
	sqlite3_finalize(st);
	return rc;
}

static int load_imports(isg_repo *r, sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0, i;
	size_t *owner = NULL;
	int rc = ISG_OK;

	if (count_rows(db, "SELECT count(*) FROM imports", &n) != ISG_OK)
		return db_error(db, "read", path);
	r->imports = isg__alloc_calloc(n ? n : 1, sizeof(*r->imports));
	owner = isg__alloc_calloc(n ? n : 1, sizeof(*owner));
	if (!r->imports || !owner) {
		rc = isg__error_oom(MODULE);
		goto done;
	}
	if (sqlite3_prepare_v2(
	            db, "SELECT file, name FROM imports ORDER BY file, rowid",
	            -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "read imports", path);
		goto done;
	}
	while (r->nimports < n && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 file = sqlite3_column_int64(st, 0);

		if (file < 1 || (size_t)file > r->nfiles)
			continue;
		owner[r->nimports] = (size_t)file - 1;
		r->imports[r->nimports] = col(r, st, 1);
		if (!r->imports[r->nimports]) {
			rc = isg__error_oom(MODULE);
			goto done;
		}
		r->nimports++;
	}
	for (i = r->nimports; i-- > 0;) {
		r->files[owner[i]].imp_start = i;
		r->files[owner[i]].imp_count++;
	}
done:
	isg__alloc_free(owner);
	sqlite3_finalize(st);
	return rc;
}

int isg__repo_db_load(isg_repo *r, const char *path)
{
	sqlite3 *db = NULL;
	int rc;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = db_error(db, "open", path);
		sqlite3_close(db);
		return rc;
	}
	r->db = db;
	rc = load_files(r, db, path);
	if (rc == ISG_OK)
		rc = load_defs(r, db, path);
	if (rc == ISG_OK)
		rc = load_imports(r, db, path);
	return rc;
}

void isg__repo_db_close(isg_repo *r)
{
	sqlite3_close((sqlite3 *)r->db);
	r->db = NULL;
}

int isg__repo_db_bm25(const isg_repo *repo, const char *query, double *scores)
{
	sqlite3 *db = repo->db;
	sqlite3_stmt *st = NULL;
	int rc = ISG_OK, s;

	if (!db)
		return ISG_OK;
	/* Column weights: path 3, definitions 4, body 1
	 * (docs/localization.md). */
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT rowid, bm25(fts, 3.0, 4.0, 1.0) FROM fts WHERE fts MATCH ?",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "query", repo->index_path);
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		if (id >= 1 && (size_t)id <= repo->nfiles)
			scores[id - 1] = -sqlite3_column_double(st, 1);
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "query", repo->index_path);
	sqlite3_finalize(st);
	return rc;
}

static int span_hit_push(isg__span_hits *all, size_t file, unsigned int line,
                         double v)
{
	if (all->len == all->cap) {
		size_t nc = all->cap ? all->cap * 2 : 256;
		isg__span_hit *ni =
		        isg__alloc_realloc(all->items, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		all->items = ni;
		all->cap = nc;
	}
	all->items[all->len].file = file;
	all->items[all->len].line = line;
	all->items[all->len++].score = v;
	return ISG_OK;
}

int isg__repo_db_spans(const isg_repo *repo, const char *query, double *scores,
                       unsigned int *lines, isg__span_hits *all)
{
	sqlite3 *db = repo->db;
	sqlite3_stmt *st = NULL;
	int rc = ISG_OK, s;

	if (!db)
		return ISG_OK;
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT rowid, bm25(spans) FROM spans WHERE spans MATCH ?",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "query", repo->index_path);
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 row = sqlite3_column_int64(st, 0);
		sqlite3_int64 id = row >> SPAN_LINE_BITS;
		double v = -sqlite3_column_double(st, 1);

		unsigned int line =
		        (unsigned int)(row & ((1 << SPAN_LINE_BITS) - 1));

		if (id < 1 || (size_t)id > repo->nfiles)
			continue;
		if (v > scores[id - 1]) {
			scores[id - 1] = v;
			lines[id - 1] = line;
		}
		if (all && v > 0.0 &&
		    (rc = span_hit_push(all, (size_t)id - 1, line, v)) !=
		            ISG_OK)
			break;
	}
	if (rc != ISG_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "query", repo->index_path);
	sqlite3_finalize(st);
	return rc;
}

int isg__repo_db_literals(const isg_repo *repo, const char *query,
                          double *scores)
{
	sqlite3 *db = repo->db;
	sqlite3_stmt *st = NULL;
	int rc = ISG_OK, s;

	if (!db)
		return ISG_OK;
	if (sqlite3_prepare_v2(
	            db, "SELECT rowid, bm25(lits) FROM lits WHERE lits MATCH ?",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "query", repo->index_path);
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		if (id >= 1 && (size_t)id <= repo->nfiles)
			scores[id - 1] = -sqlite3_column_double(st, 1);
	}
	if (s != SQLITE_DONE)
		rc = db_error(db, "query", repo->index_path);
	sqlite3_finalize(st);
	return rc;
}

int isg__repo_db_df(const isg_repo *repo, const char *term, size_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = ISG_OK;

	*out = 0;
	if (!repo->db)
		return ISG_OK;
	if (sqlite3_prepare_v2(repo->db, "SELECT doc FROM vocab WHERE term = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_error(repo->db, "query", repo->index_path);
	sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}
