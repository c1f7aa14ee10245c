/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo token: the code-aware tokenizer shared by indexing and querying
 * (identifiers split on camelCase, snake_case and punctuation, lower-cased,
 * whole identifiers kept too), plus the small arena and vector helpers of
 * the index.
 */
#include <string.h>

#include "repo_int.h"

#define MODULE "repo"

/* ---- arena ---- */

struct isg__arena_chunk {
	struct isg__arena_chunk *next;
	size_t used, cap;
	char data[];
};

char *isg__arena_strndup(isg__arena *a, const char *s, size_t n)
{
	struct isg__arena_chunk *c = a->head;
	char *p;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > 65536 ? n + 1 : 65536;

		c = isg__malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	if (n && s)
		memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

void *isg__arena_alloc(isg__arena *a, size_t size)
{
	char *p;

	/* Over-allocate by 15 bytes and round the pointer up. */
	p = isg__arena_strndup(a, NULL, size ? size + 15 : 15);
	if (!p)
		return NULL;
	p = (char *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
	memset(p, 0, size);
	return p;
}

char *isg__arena_strdup(isg__arena *a, const char *s)
{
	return isg__arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

void isg__arena_free(isg__arena *a)
{
	struct isg__arena_chunk *c = a ? a->head : NULL;

	while (c) {
		struct isg__arena_chunk *next = c->next;

		isg__free(c);
		c = next;
	}
	if (a)
		a->head = NULL;
}

/* ---- vector ---- */

int isg__vec_push(isg__vec *v, void *item)
{
	if (v->len == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 16;
		void **n = isg__realloc(v->items, nc * sizeof(*n));

		if (!n)
			return isg__error_oom(MODULE);
		v->items = n;
		v->cap = nc;
	}
	v->items[v->len++] = item;
	return ISG_OK;
}

void isg__vec_free(isg__vec *v)
{
	if (!v)
		return;
	isg__free(v->items);
	memset(v, 0, sizeof(*v));
}

/* ---- tokenizer ---- */

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower_or_digit(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int emit_lower(const char *s, size_t len, isg__token_fn fn,
                      void *payload)
{
	char tmp[80];
	size_t i;

	if (len < 2 || len >= sizeof(tmp))
		return ISG_OK;
	for (i = 0; i < len; i++) {
		char c = s[i];

		tmp[i] = is_upper((unsigned char)c) ? (char)(c + 32) : c;
	}
	tmp[len] = '\0';
	/* A part made only of digits carries no meaning for retrieval. */
	for (i = 0; i < len; i++)
		if (!(tmp[i] >= '0' && tmp[i] <= '9'))
			return fn(tmp, len, payload);
	return ISG_OK;
}

int isg__repo_split_ident(const char *id, size_t len, isg__token_fn fn,
                          void *payload)
{
	size_t i = 0, start, parts = 0;
	int rc = ISG_OK;

	if (len > 64)
		return ISG_OK; /* generated or encoded data, not a name */
	while (i < len && rc == ISG_OK) {
		while (i < len && id[i] == '_')
			i++;
		if (i >= len)
			break;
		start = i;
		if (is_upper((unsigned char)id[i])) {
			/* "HTTPResponse": an upper-case run ends one letter
			 * before a lower-case letter. */
			while (i < len && is_upper((unsigned char)id[i]))
				i++;
			if (i < len && i - start > 1 && id[i] >= 'a' &&
			    id[i] <= 'z')
				i--;
			else
				while (i < len &&
				       is_lower_or_digit((unsigned char)id[i]))
					i++;
		} else {
			while (i < len &&
			       is_lower_or_digit((unsigned char)id[i]))
				i++;
		}
		if (i == start)
			i++;
		parts++;
		rc = emit_lower(id + start, i - start, fn, payload);
	}
	if (rc == ISG_OK && parts > 1) {
		size_t s = 0, e = len;

		/* Whole identifier, without leading/trailing underscores
		 * except for dunder names which are meaningful as written. */
		if (!(len > 4 && id[0] == '_' && id[1] == '_' &&
		      id[len - 1] == '_' && id[len - 2] == '_')) {
			while (s < e && id[s] == '_')
				s++;
			while (e > s && id[e - 1] == '_')
				e--;
		}
		rc = emit_lower(id + s, e - s, fn, payload);
	}
	return rc;
}

typedef struct tok_ctx {
	isg_buf *out;
	size_t n;
} tok_ctx;

static int put_token(const char *tok, size_t len, void *payload)
{
	tok_ctx *t = payload;
	int rc;

	if (t->out->size && (rc = isg__buf_putc(t->out, ' ')) != ISG_OK)
		return rc;
	t->n++;
	return isg_buf_put(t->out, tok, len);
}

int isg__repo_tokens(isg_buf *out, const char *text, size_t len, size_t *ntok)
{
	tok_ctx t = { out, 0 };
	size_t i = 0;
	int rc = ISG_OK;

	while (i < len && rc == ISG_OK) {
		unsigned char c = (unsigned char)text[i];

		if (is_ident_start(c)) {
			size_t s = i;

			while (i < len && is_ident_char((unsigned char)text[i]))
				i++;
			rc = isg__repo_split_ident(text + s, i - s, put_token,
			                           &t);
		} else if (c >= '0' && c <= '9') {
			while (i < len && is_ident_char((unsigned char)text[i]))
				i++;
		} else {
			i++;
		}
	}
	if (ntok)
		*ntok += t.n;
	return rc;
}
