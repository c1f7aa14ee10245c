/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's shared bridge entries and their Redis value format. An
 * entry is made once per load, with its ETag, and then only referenced:
 * a cache hit never copies or parses the bridge.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "reader_int.h"

#define MOD "reader"

/* FNV-1a, 64 bits: the memory tier's hash and the ETag. The ETag only has
 * to change when the bytes do; it is not a security measure. */
uint64_t isg__reader_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

isg__rentry *isg__reader_entry_new(const char *key, int status,
                                   const char *body, size_t len,
                                   const char *updated_at)
{
	size_t klen = strlen(key), ulen = updated_at ? strlen(updated_at) : 0;
	size_t total = sizeof(isg__rentry) + klen + 1 + 19 + ulen + 1 + len + 1;
	isg__rentry *e;
	char *p, *etag;

	if (ulen > 64)
		ulen = 64;
	e = isg__alloc_calloc(1, total);
	if (!e)
		return NULL;
	p = (char *)(e + 1);
	memcpy(p, key, klen + 1);
	e->key = p;
	p += klen + 1;
	etag = p;
	etag[0] = '\0';
	if (status == ISG_STORE_COMPLETED)
		snprintf(etag, 19, "\"%016llx\"",
		         (unsigned long long)hash_bytes(body, len));
	p += 19;
	if (ulen)
		memcpy(p, updated_at, ulen);
	p[ulen] = '\0';
	e->pub.updated_at = p;
	p += ulen + 1;
	if (len)
		memcpy(p, body, len);
	p[len] = '\0';
	e->pub.body = p;
	e->pub.len = len;
	e->pub.etag = etag;
	e->pub.status = status;
	e->size = total;
	e->hash = isg__reader_hash(key);
	atomic_init(&e->refs, 1);
	return e;
}

void isg__reader_entry_ref(isg__rentry *e)
{
	atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

void isg__reader_entry_unref(isg__rentry *e)
{
	if (e &&
	    atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
		isg__alloc_free(e);
}

void isg_reader_release(const isg_reader_bridge *b)
{
	/* The public view is the first member of its entry. */
	isg__reader_entry_unref((isg__rentry *)(uintptr_t)b);
}

static char status_letter(int status)
{
	return status == ISG_STORE_COMPLETED ? 'C'
	       : status == ISG_STORE_FAILED  ? 'F'
	                                     : 'P';
}

int isg__reader_encode(isg_buf *out, const isg__rentry *e)
{
	isg__buf_clear(out);
	if (!e)
		return isg__buf_puts(out, "ISG1 N\n");
	if (isg__buf_printf(out, "ISG1 %c %s\n", status_letter(e->pub.status),
	                    e->pub.updated_at[0] ? e->pub.updated_at : "-") !=
	            ISG_OK ||
	    isg__buf_grow(out, out->size + e->pub.len + 1) != ISG_OK)
		return isg__error_oom(MOD);
	memcpy(out->ptr + out->size, e->pub.body, e->pub.len);
	out->size += e->pub.len;
	out->ptr[out->size] = '\0';
	return ISG_OK;
}

int isg__reader_decode(isg__rentry **out, int *not_found, const char *key,
                       const char *v, size_t len)
{
	const char *nl, *sp;
	char upd[65];
	size_t ulen;
	int status;

	*out = NULL;
	*not_found = 0;
	nl = len ? memchr(v, '\n', len) : NULL;
	if (!nl || len < 7 || memcmp(v, "ISG1 ", 5) != 0)
		return isg__error_set(ISG_EPARSE, MOD,
		                      "cached value of %s is not ISG1", key);
	if (v[5] == 'N' && nl == v + 6) {
		*not_found = 1;
		return ISG_OK;
	}
	switch (v[5]) {
	case 'C':
		status = ISG_STORE_COMPLETED;
		break;
	case 'P':
		status = ISG_STORE_PENDING;
		break;
	case 'F':
		status = ISG_STORE_FAILED;
		break;
	default:
		return isg__error_set(ISG_EPARSE, MOD,
		                      "cached value of %s has a bad status",
		                      key);
	}
	sp = v + 6;
	if (*sp != ' ' || nl - (sp + 1) > 64 || nl == sp + 1)
		return isg__error_set(ISG_EPARSE, MOD,
		                      "cached value of %s has a bad header",
		                      key);
	ulen = (size_t)(nl - (sp + 1));
	memcpy(upd, sp + 1, ulen);
	upd[ulen] = '\0';
	if (strcmp(upd, "-") == 0)
		upd[0] = '\0';
	*out = isg__reader_entry_new(key, status, nl + 1,
	                             len - (size_t)(nl + 1 - v), upd);
	return *out ? ISG_OK : isg__error_oom(MOD);
}
