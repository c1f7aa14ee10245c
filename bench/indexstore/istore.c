/* SPDX-License-Identifier: Apache-2.0 */
/*
 * istore: the hand-written inverted index measured against SQLite FTS5 by
 * the index-storage benchmark. istore.h describes the file format.
 */
#include "istore.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#define HEADER_SIZE 128
#define NSECTIONS 4
#define MAGIC "ISGSTOR"
#define K1 1.2
#define B 0.75

/* ---- little-endian helpers ---- */

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_u64(unsigned char *p, uint64_t v)
{
	put_u32(p, (uint32_t)v);
	put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static uint32_t crc(const unsigned char *p, uint64_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);

	/* zlib takes uInt lengths: feed large sections in slices. */
	while (n > 0) {
		uInt part = n > (1u << 30) ? (1u << 30) : (uInt)n;

		c = crc32(c, p, part);
		p += part;
		n -= part;
	}
	return (uint32_t)c;
}

const char *istore_strerror(int code)
{
	switch (code) {
	case ISTORE_OK:
		return "ok";
	case ISTORE_ENOMEM:
		return "out of memory";
	case ISTORE_EIO:
		return "input/output error";
	case ISTORE_ECORRUPT:
		return "corrupt index file";
	case ISTORE_EVERSION:
		return "unsupported index version";
	case ISTORE_EINVALID:
		return "invalid argument";
	default:
		return "unknown error";
	}
}

/* ---- growable byte buffer ---- */

typedef struct bytes {
	unsigned char *p;
	size_t len, cap;
} bytes;

static int bytes_reserve(bytes *b, size_t more)
{
	size_t nc;
	unsigned char *np;

	if (b->cap - b->len >= more)
		return ISTORE_OK;
	nc = b->cap ? b->cap : 16;
	while (nc - b->len < more)
		nc *= 2;
	np = realloc(b->p, nc);
	if (!np)
		return ISTORE_ENOMEM;
	b->p = np;
	b->cap = nc;
	return ISTORE_OK;
}

static int put_varint(bytes *b, uint32_t v)
{
	if (bytes_reserve(b, 5) != ISTORE_OK)
		return ISTORE_ENOMEM;
	while (v >= 0x80) {
		b->p[b->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (unsigned char)v;
	return ISTORE_OK;
}

/* Reads a varint at *pos below end; 0 on success, -1 when truncated or
 * longer than 5 bytes. */
static int get_varint(const unsigned char *p, size_t *pos, size_t end,
                      uint32_t *out)
{
	uint32_t v = 0;
	unsigned int shift = 0;

	while (*pos < end && shift <= 28) {
		unsigned char c = p[(*pos)++];

		v |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

/* ---- builder: hash map term -> pending posting + encoded postings ---- */

/* A term while building. The posting of the current document is kept
 * apart (last_doc, tf) and encoded into `post` only when the term shows
 * up in a later document or at write time, so each list is written once,
 * in doc-id order, already compressed. */
typedef struct bterm {
	char *key;
	uint32_t df;       /* documents seen, the pending one included */
	uint32_t last_doc; /* document of the pending posting */
	uint32_t prev_doc; /* document of the last encoded posting */
	uint32_t tf[ISTORE_NFIELDS];
	bytes post;
} bterm;

struct istore_builder {
	bterm *terms;
	size_t nterms, cap_terms;
	uint32_t *slots; /* open addressing: term index + 1, 0 is empty */
	size_t nslots;
	bytes doclens;
	uint32_t ndocs;
	uint64_t total[ISTORE_NFIELDS];
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

int istore_builder_new(istore_builder **out)
{
	istore_builder *b = NULL;
	int rc = ISTORE_ENOMEM;

	if (!out)
		return ISTORE_EINVALID;
	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		goto done;
	b->nslots = 1u << 16;
	b->slots = calloc(b->nslots, sizeof(*b->slots));
	if (!b->slots)
		goto done;
	*out = b;
	b = NULL;
	rc = ISTORE_OK;
done:
	istore_builder_free(b);
	return rc;
}

void istore_builder_free(istore_builder *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nterms; i++) {
		free(b->terms[i].key);
		free(b->terms[i].post.p);
	}
	free(b->terms);
	free(b->slots);
	free(b->doclens.p);
	free(b);
}

static int grow_slots(istore_builder *b)
{
	size_t ns = b->nslots * 2, i;
	uint32_t *s = calloc(ns, sizeof(*s));

	if (!s)
		return ISTORE_ENOMEM;
	for (i = 0; i < b->nterms; i++) {
		const char *k = b->terms[i].key;
		size_t h = (size_t)hash_bytes(k, strlen(k)) & (ns - 1);

		while (s[h])
			h = (h + 1) & (ns - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(b->slots);
	b->slots = s;
	b->nslots = ns;
	return ISTORE_OK;
}

/* Encodes the pending posting of t. */
static int flush_posting(bterm *t)
{
	int f, rc = put_varint(&t->post, t->last_doc - t->prev_doc);

	for (f = 0; rc == ISTORE_OK && f < ISTORE_NFIELDS; f++)
		rc = put_varint(&t->post, t->tf[f]);
	memset(t->tf, 0, sizeof(t->tf));
	t->prev_doc = t->last_doc;
	return rc;
}

static int add_token(istore_builder *b, const char *tok, size_t n, int field)
{
	size_t h = (size_t)hash_bytes(tok, n) & (b->nslots - 1);
	bterm *t;
	int rc;

	for (;;) {
		uint32_t s = b->slots[h];

		if (!s)
			break;
		t = &b->terms[s - 1];
		if (strncmp(t->key, tok, n) == 0 && t->key[n] == '\0') {
			if (t->last_doc != b->ndocs) {
				if ((rc = flush_posting(t)) != ISTORE_OK)
					return rc;
				t->last_doc = b->ndocs;
				t->df++;
			}
			t->tf[field]++;
			return ISTORE_OK;
		}
		h = (h + 1) & (b->nslots - 1);
	}
	if (b->nterms == b->cap_terms) {
		size_t nc = b->cap_terms ? b->cap_terms * 2 : 1024;
		bterm *nt = realloc(b->terms, nc * sizeof(*nt));

		if (!nt)
			return ISTORE_ENOMEM;
		b->terms = nt;
		b->cap_terms = nc;
	}
	t = &b->terms[b->nterms];
	memset(t, 0, sizeof(*t));
	t->key = malloc(n + 1);
	if (!t->key)
		return ISTORE_ENOMEM;
	memcpy(t->key, tok, n);
	t->key[n] = '\0';
	/* The first posting's delta is its doc id: prev_doc starts at 0. */
	t->last_doc = b->ndocs;
	t->df = 1;
	t->tf[field] = 1;
	b->slots[h] = (uint32_t)++b->nterms;
	if (b->nterms * 2 > b->nslots)
		return grow_slots(b);
	return ISTORE_OK;
}

int istore_builder_add(istore_builder *b,
                       const char *const fields[ISTORE_NFIELDS],
                       const size_t lens[ISTORE_NFIELDS])
{
	unsigned char len4[4 * ISTORE_NFIELDS];
	int f, rc;

	if (!b || !fields || !lens)
		return ISTORE_EINVALID;
	if (b->ndocs == UINT32_MAX)
		return ISTORE_EINVALID;
	for (f = 0; f < ISTORE_NFIELDS; f++) {
		const char *p = fields[f], *end = p ? p + lens[f] : p;
		uint32_t ntok = 0;

		while (p && p < end) {
			const char *sp = memchr(p, ' ', (size_t)(end - p));
			size_t n = sp ? (size_t)(sp - p) : (size_t)(end - p);

			if (n > 0) {
				if ((rc = add_token(b, p, n, f)) != ISTORE_OK)
					return rc;
				ntok++;
			}
			p += n + 1;
		}
		put_u32(len4 + 4 * f, ntok);
		b->total[f] += ntok;
	}
	if (bytes_reserve(&b->doclens, sizeof(len4)) != ISTORE_OK)
		return ISTORE_ENOMEM;
	memcpy(b->doclens.p + b->doclens.len, len4, sizeof(len4));
	b->doclens.len += sizeof(len4);
	b->ndocs++;
	return ISTORE_OK;
}

static int cmp_term_ptr(const void *a, const void *b)
{
	return strcmp((*(const bterm *const *)a)->key,
	              (*(const bterm *const *)b)->key);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ISTORE_EIO;
		p += w;
		n -= (size_t)w;
	}
	return ISTORE_OK;
}

int istore_builder_write(istore_builder *b, const char *path, int durable)
{
	bterm **order = NULL;
	bytes file = { 0 };
	char tmp[4096];
	size_t i, tab_off, str_off, post_off, str_len = 0, post_len = 0;
	size_t off[NSECTIONS], len[NSECTIONS];
	unsigned char *h;
	int fd = -1, rc = ISTORE_ENOMEM, s;

	if (!b || !path)
		return ISTORE_EINVALID;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path,
	                     (long)getpid()) >= sizeof(tmp))
		return ISTORE_EINVALID;
	order = malloc((b->nterms ? b->nterms : 1) * sizeof(*order));
	if (!order)
		goto done;
	for (i = 0; i < b->nterms; i++) {
		bterm *t = &b->terms[i];

		/* Encode the last pending posting of every term. */
		if (t->tf[0] || t->tf[1] || t->tf[2]) {
			if ((rc = flush_posting(t)) != ISTORE_OK)
				goto done;
		}
		order[i] = t;
		str_len += strlen(t->key) + 1;
		post_len += t->post.len;
	}
	qsort(order, b->nterms, sizeof(*order), cmp_term_ptr);
	tab_off = HEADER_SIZE + b->doclens.len;
	str_off = tab_off + b->nterms * 16;
	post_off = str_off + str_len;
	rc = bytes_reserve(&file, post_off + post_len);
	if (rc != ISTORE_OK)
		goto done;
	memset(file.p, 0, HEADER_SIZE);
	if (b->doclens.len)
		memcpy(file.p + HEADER_SIZE, b->doclens.p, b->doclens.len);
	{
		size_t so = 0, po = 0;

		for (i = 0; i < b->nterms; i++) {
			const bterm *t = order[i];
			size_t kl = strlen(t->key) + 1;
			unsigned char *e = file.p + tab_off + 16 * i;

			put_u32(e, (uint32_t)so);
			put_u32(e + 4, t->df);
			put_u64(e + 8, po);
			memcpy(file.p + str_off + so, t->key, kl);
			if (t->post.len)
				memcpy(file.p + post_off + po, t->post.p,
				       t->post.len);
			so += kl;
			po += t->post.len;
		}
	}
	file.len = post_off + post_len;
	off[0] = HEADER_SIZE, len[0] = b->doclens.len;
	off[1] = tab_off, len[1] = b->nterms * 16;
	off[2] = str_off, len[2] = str_len;
	off[3] = post_off, len[3] = post_len;
	h = file.p;
	memcpy(h, MAGIC, 8);
	put_u32(h + 8, ISTORE_VERSION);
	put_u32(h + 12, ISTORE_NFIELDS);
	put_u32(h + 16, b->ndocs);
	put_u32(h + 20, (uint32_t)b->nterms);
	for (s = 0; s < ISTORE_NFIELDS; s++)
		put_u64(h + 24 + 8 * s, b->total[s]);
	for (s = 0; s < NSECTIONS; s++) {
		unsigned char *e = h + 48 + 16 * s;

		/* 16 bytes per section entry: offset (u64), length (u32,
		 * sections stay under 4 GiB), crc (u32). */
		put_u64(e, off[s]);
		put_u32(e + 8, (uint32_t)len[s]);
		put_u32(e + 12, crc(file.p + off[s], len[s]));
	}
	put_u32(h + 112, crc(h, 112));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		rc = ISTORE_EIO;
		goto done;
	}
	rc = write_all(fd, file.p, file.len);
	if (rc == ISTORE_OK && durable && fsync(fd) != 0)
		rc = ISTORE_EIO;
	if (close(fd) != 0 && rc == ISTORE_OK)
		rc = ISTORE_EIO;
	fd = -1;
	if (rc == ISTORE_OK && rename(tmp, path) != 0)
		rc = ISTORE_EIO;
	if (rc != ISTORE_OK)
		unlink(tmp);
done:
	free(order);
	free(file.p);
	return rc;
}

/* ---- reader ---- */

struct istore {
	const unsigned char *map;
	size_t size;
	uint32_t ndocs, nterms;
	uint64_t total[ISTORE_NFIELDS];
	const unsigned char *doclens, *table, *strings, *postings;
	size_t strings_len, postings_len;
	double avgdl_all, avgdl[ISTORE_NFIELDS];
};

static int fail(char *err, size_t errlen, int code, const char *path,
                const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "index '%s': %s", path, what);
	return code;
}

int istore_open(istore **out, const char *path, char *err, size_t errlen)
{
	istore *ix = NULL;
	struct stat st;
	const unsigned char *h;
	uint64_t so[NSECTIONS], sl[NSECTIONS], all = 0;
	uint32_t i;
	int fd = -1, rc, s;

	if (!out || !path)
		return ISTORE_EINVALID;
	*out = NULL;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return fail(err, errlen, ISTORE_ENOMEM, path, "out of memory");
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = fail(err, errlen, ISTORE_EIO, path, strerror(errno));
		goto done;
	}
	if (st.st_size < HEADER_SIZE) {
		rc = fail(err, errlen, ISTORE_ECORRUPT, path,
		          "shorter than the 128-byte header");
		goto done;
	}
	ix->size = (size_t)st.st_size;
	ix->map = mmap(NULL, ix->size, PROT_READ, MAP_SHARED, fd, 0);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		rc = fail(err, errlen, ISTORE_EIO, path, strerror(errno));
		goto done;
	}
	h = ix->map;
	if (memcmp(h, MAGIC, 8) != 0) {
		rc = fail(err, errlen, ISTORE_ECORRUPT, path, "bad magic");
		goto done;
	}
	if (get_u32(h + 112) != crc(h, 112)) {
		rc = fail(err, errlen, ISTORE_ECORRUPT, path,
		          "header checksum mismatch");
		goto done;
	}
	if (get_u32(h + 8) != ISTORE_VERSION ||
	    get_u32(h + 12) != ISTORE_NFIELDS) {
		rc = fail(err, errlen, ISTORE_EVERSION, path,
		          "version or field count not 1 / 3");
		goto done;
	}
	ix->ndocs = get_u32(h + 16);
	ix->nterms = get_u32(h + 20);
	for (s = 0; s < ISTORE_NFIELDS; s++) {
		ix->total[s] = get_u64(h + 24 + 8 * s);
		all += ix->total[s];
	}
	for (s = 0; s < NSECTIONS; s++) {
		const unsigned char *e = h + 48 + 16 * s;

		so[s] = get_u64(e);
		sl[s] = get_u32(e + 8);
		if (so[s] < HEADER_SIZE || so[s] > ix->size ||
		    sl[s] > ix->size - so[s]) {
			rc = fail(err, errlen, ISTORE_ECORRUPT, path,
			          "section outside the file");
			goto done;
		}
		if (crc(h + so[s], sl[s]) != get_u32(e + 12)) {
			rc = fail(err, errlen, ISTORE_ECORRUPT, path,
			          "section checksum mismatch");
			goto done;
		}
	}
	if (sl[0] != (uint64_t)ix->ndocs * 4 * ISTORE_NFIELDS ||
	    sl[1] != (uint64_t)ix->nterms * 16 ||
	    (ix->nterms && (sl[2] == 0 || h[so[2] + sl[2] - 1] != '\0'))) {
		rc = fail(err, errlen, ISTORE_ECORRUPT, path,
		          "section sizes disagree with the header");
		goto done;
	}
	ix->doclens = h + so[0];
	ix->table = h + so[1];
	ix->strings = h + so[2];
	ix->strings_len = sl[2];
	ix->postings = h + so[3];
	ix->postings_len = sl[3];
	for (i = 0; i < ix->nterms; i++) {
		const unsigned char *e = ix->table + 16 * (size_t)i;

		if (get_u32(e) >= ix->strings_len ||
		    get_u64(e + 8) > ix->postings_len) {
			rc = fail(err, errlen, ISTORE_ECORRUPT, path,
			          "term entry outside its section");
			goto done;
		}
	}
	ix->avgdl_all = ix->ndocs ? (double)all / ix->ndocs : 0.0;
	for (s = 0; s < ISTORE_NFIELDS; s++)
		ix->avgdl[s] =
		        ix->ndocs ? (double)ix->total[s] / ix->ndocs : 0.0;
	*out = ix;
	ix = NULL;
	rc = ISTORE_OK;
done:
	if (fd >= 0)
		close(fd);
	istore_close(ix);
	return rc;
}

void istore_close(istore *ix)
{
	if (!ix)
		return;
	if (ix->map)
		munmap((void *)ix->map, ix->size);
	free(ix);
}

uint32_t istore_ndocs(const istore *ix)
{
	return ix ? ix->ndocs : 0;
}

uint32_t istore_nterms(const istore *ix)
{
	return ix ? ix->nterms : 0;
}

uint64_t istore_total_tokens(const istore *ix, unsigned int f)
{
	return ix && f < ISTORE_NFIELDS ? ix->total[f] : 0;
}

/* Binary search of the sorted term table; the entry or NULL. */
static const unsigned char *find_term(const istore *ix, const char *term)
{
	size_t lo = 0, hi = ix->nterms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const unsigned char *e = ix->table + 16 * mid;
		/* Bounded: the strings section ends with a NUL (checked). */
		int c = strcmp((const char *)ix->strings + get_u32(e), term);

		if (c == 0)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t istore_df(const istore *ix, const char *term)
{
	const unsigned char *e = ix && term ? find_term(ix, term) : NULL;

	return e ? get_u32(e + 4) : 0;
}

int istore_score(const istore *ix, const char *const *terms, size_t n,
                 const double w[ISTORE_NFIELDS], istore_formula formula,
                 double *scores)
{
	double N;
	size_t q;

	if (!ix || (n && !terms) || !w || !scores)
		return ISTORE_EINVALID;
	N = (double)ix->ndocs;
	for (q = 0; q < n; q++) {
		const unsigned char *e =
		        terms[q] ? find_term(ix, terms[q]) : NULL;
		uint32_t df, k, doc = 0;
		size_t pos;
		double idf;

		if (!e)
			continue;
		df = get_u32(e + 4);
		pos = (size_t)get_u64(e + 8);
		if (formula == ISTORE_BM25_FTS5) {
			idf = log((N - df + 0.5) / (df + 0.5));
			if (idf <= 0.0)
				idf = 1e-6;
		} else {
			idf = log(1.0 + (N - df + 0.5) / (df + 0.5));
		}
		for (k = 0; k < df; k++) {
			uint32_t delta, tf[ISTORE_NFIELDS];
			const unsigned char *dl;
			double f = 0.0;
			int i;

			if (get_varint(ix->postings, &pos, ix->postings_len,
			               &delta) != 0)
				return ISTORE_ECORRUPT;
			for (i = 0; i < ISTORE_NFIELDS; i++)
				if (get_varint(ix->postings, &pos,
				               ix->postings_len, &tf[i]) != 0)
					return ISTORE_ECORRUPT;
			if (delta > ix->ndocs - doc || (k > 0 && delta == 0) ||
			    doc + delta >= ix->ndocs)
				return ISTORE_ECORRUPT;
			doc += delta;
			dl = ix->doclens + (size_t)doc * 4 * ISTORE_NFIELDS;
			if (formula == ISTORE_BM25_FTS5) {
				double D = 0.0;

				for (i = 0; i < ISTORE_NFIELDS; i++) {
					f += w[i] * tf[i];
					D += get_u32(dl + 4 * i);
				}
				scores[doc] +=
				        idf * (f * (K1 + 1.0)) /
				        (f + K1 * (1.0 - B +
				                   B * D / ix->avgdl_all));
			} else {
				for (i = 0; i < ISTORE_NFIELDS; i++) {
					double norm;

					if (!tf[i])
						continue;
					norm = 1.0 - B +
					       B * get_u32(dl + 4 * i) /
					               ix->avgdl[i];
					f += w[i] * tf[i] / norm;
				}
				scores[doc] += idf * f * (K1 + 1.0) / (f + K1);
			}
		}
	}
	return ISTORE_OK;
}

size_t istore_top(size_t *out, size_t k, const double *scores, size_t n)
{
	size_t m = 0, i, j;

	if (!out || !scores || k == 0)
		return 0;
	/* Insertion into a sorted list of at most k: k is small (10). */
	for (i = 0; i < n; i++) {
		if (!(scores[i] > 0.0))
			continue;
		if (m == k && scores[i] <= scores[out[m - 1]])
			continue;
		j = m < k ? m++ : m - 1;
		while (j > 0 && scores[out[j - 1]] < scores[i]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = i;
	}
	return m;
}
