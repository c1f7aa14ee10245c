/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo token: the code-aware tokenizer shared by indexing and querying
 * (identifiers split on camelCase, snake_case and punctuation, lower-cased,
 * whole identifiers kept too).
 */
#include <string.h>

#include "repo_int.h"

#define MODULE "repo"

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
