/* SPDX-License-Identifier: Apache-2.0 */
/*
 * istore: a hand-written inverted index for the index-storage benchmark
 * (docs/index-storage.md). It is the alternative to SQLite FTS5 that the
 * benchmark measures, not part of the library: documents of three fields
 * (path, definitions, body) of pre-split, space-separated tokens go into an
 * in-memory hash map term -> postings, which is written to one flat binary
 * file (header, version, CRC-32 per section) and mapped back for queries.
 *
 * File format, version 1, all integers little-endian:
 *
 *   header (128 bytes)
 *     0   magic "ISGSTOR\0"
 *     8   u32 version (1)          12  u32 nfields (3)
 *     16  u32 ndocs                20  u32 nterms
 *     24  u64 total tokens of field 0, 1, 2
 *     48  4 sections x (u64 offset, u32 length, u32 crc32)
 *     112 u32 crc32 of bytes 0..111     116..127 zero
 *   section 0: doc lengths, ndocs x 3 x u32 (tokens per field)
 *   section 1: term table, nterms x (u32 string offset, u32 df,
 *              u64 postings offset), sorted by term bytes
 *   section 2: term strings, NUL-terminated
 *   section 3: postings: per term, df x (varint doc-id delta, varint tf of
 *              field 0, 1, 2), doc ids ascending
 *
 * Every offset read from a file is bounds-checked, so that a damaged file
 * whose checksums happen to match still cannot make a reader step outside
 * the mapping. Thread rule: a builder is used by one thread at a time; an
 * opened index is read-only and may be queried from several threads.
 */
#ifndef ISTORE_H
#define ISTORE_H

#include <stddef.h>
#include <stdint.h>

#define ISTORE_VERSION 1
#define ISTORE_NFIELDS 3

/* Status codes: 0 or negative. */
#define ISTORE_OK 0
#define ISTORE_ENOMEM (-1)
#define ISTORE_EIO (-2)
#define ISTORE_ECORRUPT (-3)
#define ISTORE_EVERSION (-4)
#define ISTORE_EINVALID (-5)

/* Scoring formulas of istore_score(). */
typedef enum istore_formula {
	/* SQLite FTS5's bm25(): per term, tf = sum over fields of weight x
	 * tf_field; document length = unweighted tokens of all fields;
	 * idf = ln((N - df + 0.5) / (df + 0.5)), at least 1e-6; k1 = 1.2,
	 * b = 0.75. The product uses this one (through FTS5). */
	ISTORE_BM25_FTS5 = 0,
	/* BM25F: each field's tf is normalised by its own length against
	 * the field's average (b = 0.75), weighted and summed, then
	 * saturated once with k1 = 1.2; idf = ln(1 + (N - df + 0.5) /
	 * (df + 0.5)). */
	ISTORE_BM25F = 1
} istore_formula;

typedef struct istore_builder istore_builder;
typedef struct istore istore;

/* A human-readable name of a status code ("corrupt file", ...). */
const char *istore_strerror(int code);

/* A new empty builder in *out; ISTORE_ENOMEM. Free with
 * istore_builder_free(). */
int istore_builder_new(istore_builder **out);

/* Adds the next document (ids are given in order, from 0): fields[i] holds
 * lens[i] bytes of space-separated tokens (empty tokens are ignored; no
 * NUL needed). ISTORE_ENOMEM, ISTORE_EINVALID (too many documents). */
int istore_builder_add(istore_builder *b,
                       const char *const fields[ISTORE_NFIELDS],
                       const size_t lens[ISTORE_NFIELDS]);

/* Writes the index to `path` through a temporary file in the same folder
 * and rename(2), so a reader never sees half a file. When `durable` is
 * non-zero the data is fsync()ed before the rename. The builder can still
 * be freed only. ISTORE_ENOMEM, ISTORE_EIO. */
int istore_builder_write(istore_builder *b, const char *path, int durable);

/* Frees a builder; NULL is a no-op. */
void istore_builder_free(istore_builder *b);

/* Maps the index at `path` and verifies its header, version, bounds and
 * every section checksum. On failure a sentence naming the file and the
 * problem goes into err (errlen bytes, may be 0). ISTORE_EIO,
 * ISTORE_ECORRUPT, ISTORE_EVERSION, ISTORE_ENOMEM. Close with
 * istore_close(). */
int istore_open(istore **out, const char *path, char *err, size_t errlen);

/* Unmaps and frees; NULL is a no-op. */
void istore_close(istore *ix);

/* Number of documents. */
uint32_t istore_ndocs(const istore *ix);

/* Number of distinct terms. */
uint32_t istore_nterms(const istore *ix);

/* Tokens of field `f` over all documents. */
uint64_t istore_total_tokens(const istore *ix, unsigned int f);

/* Number of documents containing `term` (any field); 0 when absent. */
uint32_t istore_df(const istore *ix, const char *term);

/* Adds to scores[0..ndocs) the score of each document for the OR of the
 * n terms (duplicates count once per occurrence, as in FTS5), with field
 * weights w. Documents containing none of the terms are left untouched.
 * Terms absent from the index are skipped. ISTORE_ECORRUPT when a
 * posting list does not decode. */
int istore_score(const istore *ix, const char *const *terms, size_t n,
                 const double w[ISTORE_NFIELDS], istore_formula formula,
                 double *scores);

/* Writes into out[0..k) the indexes of the k highest scores among
 * scores[0..n) that are > 0 (ties: lower index first); returns how many
 * were written. */
size_t istore_top(size_t *out, size_t k, const double *scores, size_t n);

#endif
