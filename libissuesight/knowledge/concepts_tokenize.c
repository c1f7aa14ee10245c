/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_tokenize: the word tokenizer shared by concept matching, the
 * catalog's phrase table and the difficulty estimator: lower-cased,
 * lightly stemmed words, camelCase and snake_case split, so that a keyword
 * only ever matches whole words ("test" never matches "latest").
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

size_t isg__concepts_stem(char *w, size_t n)
{
	if (n <= 3 || w[n - 1] != 's' || !is_lower((unsigned char)w[n - 2]))
		return n;
	if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (memcmp(w + n - 4, "sses", 4) == 0)
		return n - 2;
	if (n > 4 && (memcmp(w + n - 4, "ches", 4) == 0 ||
	              memcmp(w + n - 4, "shes", 4) == 0))
		return n - 2;
	if (memcmp(w + n - 3, "xes", 3) == 0)
		return n - 2;
	/* "status", "redis", "class", "analysis" are not plurals. */
	if (w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i')
		return n;
	return n - 1;
}

static int push_token(isg__concepts_tokens *t, const char *s, size_t n,
                      size_t src)
{
	size_t i;

	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		isg__concepts_token *ni =
		        isg__alloc_realloc(t->items, nc * sizeof(*ni));

		if (!ni)
			return ISG_ENOMEM;
		t->items = ni;
		t->cap = nc;
	}
	if (t->store_len + n + 1 > t->store_cap) {
		size_t nc = t->store_cap ? t->store_cap * 2 : 512;
		char *ns;

		while (nc < t->store_len + n + 1)
			nc *= 2;
		ns = isg__alloc_realloc(t->store, nc);
		if (!ns)
			return ISG_ENOMEM;
		t->store = ns;
		t->store_cap = nc;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		t->store[t->store_len + i] =
		        is_upper((unsigned char)c) ? (char)(c - 'A' + 'a') : c;
	}
	n = isg__concepts_stem(t->store + t->store_len, n);
	t->store[t->store_len + n] = '\0';
	t->items[t->n].off = t->store_len;
	t->items[t->n].len = n;
	t->items[t->n].src = src;
	t->n++;
	t->store_len += n + 1;
	return ISG_OK;
}

int isg__concepts_tokenize(isg__concepts_tokens *t, const char *text,
                           size_t len, int split_camel)
{
	size_t i = 0;
	char tmp[66];

	while (i < len) {
		size_t start, n;

		if (!is_alnum((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && is_alnum((unsigned char)text[i])) {
			if (split_camel && i > start &&
			    ((is_upper((unsigned char)text[i]) &&
			      is_lower((unsigned char)text[i - 1])) ||
			     (is_upper((unsigned char)text[i]) && i + 1 < len &&
			      is_lower((unsigned char)text[i + 1]) &&
			      is_upper((unsigned char)text[i - 1]))))
				break;
			i++;
		}
		n = i - start;
		/* Very long runs (hashes, base64) are no words: skip them. */
		if (n > 64)
			continue;
		memcpy(tmp, text + start, n);
		if (i + 1 < len && text[i] == '+' && text[i + 1] == '+') {
			tmp[n++] = '+';
			tmp[n++] = '+';
			i += 2;
		} else if (n == 1 && i < len && text[i] == '#') {
			tmp[n++] = '#';
			i++;
		}
		if (push_token(t, tmp, n, start) != ISG_OK)
			return ISG_ENOMEM;
	}
	return ISG_OK;
}

void isg__concepts_tokens_dispose(isg__concepts_tokens *t)
{
	isg__alloc_free(t->items);
	isg__alloc_free(t->store);
	memset(t, 0, sizeof(*t));
}
