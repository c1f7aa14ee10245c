/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redact: the one function that hides credentials in text before it is
 * shown — in log records, error messages and whatever a server prints.
 * It writes either into a growable buffer (isg_redact) or into a fixed
 * array without allocating (isg__redact_fixed, used for error messages so
 * that recording an error still never allocates).
 */
#include <string.h>

#include "core_int.h"

/* Where redacted text goes: an isg_buf, or a fixed array that is cut at
 * its size. */
typedef struct sink {
	isg_buf *buf;
	char *arr;
	size_t cap, len;
	int rc;
} sink;

static void snk_put(sink *s, const char *p, size_t n)
{
	if (s->rc != ISG_OK || n == 0)
		return;
	if (s->buf) {
		s->rc = isg_buf_put(s->buf, p, n);
		return;
	}
	if (s->len + 1 >= s->cap)
		return;
	if (n > s->cap - 1 - s->len)
		n = s->cap - 1 - s->len;
	memcpy(s->arr + s->len, p, n);
	s->len += n;
	s->arr[s->len] = '\0';
}

static void snk_puts(sink *s, const char *str)
{
	snk_put(s, str, strlen(str));
}

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_space_or_quote(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' ||
	       c == '\'' || c == '<' || c == '>' || c == '(' || c == ')';
}

static int ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && isg__ascii_ncasecmp(s + len - n, suffix, n) == 0;
}

/* Keys whose values are secrets, matched on the end of the key name so that
 * GITHUB_TOKEN, client_secret and db_password are all caught. */
static int secret_key(const char *k, size_t len)
{
	static const char *const suffixes[] = {
		"password",    "passwd",     "pwd",      "token",
		"secret",      "api_key",    "apikey",   "api-key",
		"private_key", "access_key", "verifier", "cookie"
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(suffixes); i++)
		if (ends_with_ci(k, len, suffixes[i]))
			return 1;
	return 0;
}

/* Well-known token shapes that are secret wherever they appear. */
static size_t token_prefix_len(const char *s)
{
	static const char *const prefixes[] = { "ghp_", "gho_", "ghu_",
		                                "ghs_", "ghr_", "github_pat_",
		                                "sk-" };
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		size_t k = n;

		if (strncmp(s, prefixes[i], n) != 0)
			continue;
		while (is_word_char((unsigned char)s[k]))
			k++;
		if (k - n >= 8)
			return k;
	}
	return 0;
}

/* End of a value that starts at s: up to white space, a separator or a
 * quote. A value that starts with a quote ends at the closing quote. */
static size_t value_len(const char *s)
{
	size_t n = 0;

	if (*s == '"' || *s == '\'') {
		char q = *s;

		n = 1;
		while (s[n] && s[n] != q)
			n++;
		return n < 2 ? 0 : n - 1; /* without the quotes */
	}
	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' &&
	       s[n] != '\r' && s[n] != '&' && s[n] != ',' && s[n] != ';' &&
	       s[n] != '"' && s[n] != '\'' && s[n] != '}')
		n++;
	return n;
}

/*
 * The credentials of a URL-like word starting at `w`: `user:password@host`
 * with or without a (possibly mistyped) scheme, and a long token used as
 * the user name (`https://<token>@host`). Sets [*ms, *me) to what to hide
 * and returns 1, or returns 0. A password may hold '@': the host starts
 * after the last '@' that comes before the first '/' following the first.
 */
static int userinfo_mask(const char *w, const char **ms, const char **me)
{
	const char *end = w, *first = NULL, *at = NULL, *c, *start;

	while (*end && !is_space_or_quote(*end))
		end++;
	for (c = w; c < end; c++)
		if (*c == '@') {
			first = c;
			break;
		}
	if (!first)
		return 0;
	for (c = first; c < end && *c != '/'; c++)
		if (*c == '@')
			at = c;
	/* Back from the first '@' to a ':' within the same path segment. */
	for (c = first; c > w && c[-1] != '/'; c--)
		if (c[-1] == ':') {
			*ms = c;
			*me = at;
			return c < at;
		}
	start = c;
	/* No ':': a user name after "//" that looks like a token. */
	if (start - w >= 2 && start[-1] == '/' && start[-2] == '/' &&
	    at - start >= 16) {
		for (c = start; c < at && is_word_char((unsigned char)*c); c++)
			;
		if (c == at) {
			*ms = start;
			*me = at;
			return 1;
		}
	}
	return 0;
}

/* "Authorization: <anything up to the end of the line>" at p: the number
 * of bytes consumed, or 0. */
static size_t authorization(sink *b, const char *p)
{
	const char *q = p + 13;

	if (isg__ascii_ncasecmp(p, "authorization", 13) != 0)
		return 0;
	while (*q == '"' || *q == '\'')
		q++;
	if (*q != ':' && *q != '=')
		return 0;
	q++;
	while (*q == ' ' || *q == '"' || *q == '\'')
		q++;
	snk_put(b, p, (size_t)(q - p));
	snk_puts(b, "***");
	while (*q && *q != '\n' && *q != '\r' && *q != '"' && *q != '\'')
		q++;
	return (size_t)(q - p);
}

/* "Bearer <token>" at p. */
static size_t bearer(sink *b, const char *p)
{
	const char *q = p + 7;

	if (isg__ascii_ncasecmp(p, "bearer ", 7) != 0 ||
	    !is_word_char((unsigned char)p[7]))
		return 0;
	snk_put(b, p, 7);
	snk_puts(b, "***");
	while (*q && !strchr(" \t\r\n\"',;", *q))
		q++;
	return (size_t)(q - p);
}

/* key=value, key: value, "key": "value" with a secret key, at p (a word
 * start). Copies a key that is not secret unchanged. */
static size_t key_value(sink *b, const char *p)
{
	size_t klen = 0, vlen;
	const char *q;
	int quoted;

	while (is_word_char((unsigned char)p[klen]))
		klen++;
	q = p + klen;
	if (*q == '"' || *q == '\'')
		q++;
	if ((*q == '=' || *q == ':') && secret_key(p, klen)) {
		q++;
		while (*q == ' ')
			q++;
		vlen = value_len(q);
		if (vlen > 0) {
			quoted = (*q == '"' || *q == '\'');
			snk_put(b, p, (size_t)(q - p) + (quoted ? 1 : 0));
			snk_puts(b, "***");
			return (size_t)(q - p) + vlen + (quoted ? 1 : 0);
		}
	}
	snk_put(b, p, klen);
	return klen;
}

static void redact_into(sink *b, const char *text)
{
	const char *p = text, *ms = NULL, *me = NULL;

	while (*p && b->rc == ISG_OK) {
		int word_start =
		        p == text || !is_word_char((unsigned char)p[-1]);
		size_t n;

		if (ms && p > ms)
			ms = me = NULL; /* a rule already hid it */
		if (p == ms) {
			snk_puts(b, "***");
			p = me;
			ms = me = NULL;
			continue;
		}
		if (!ms && (p == text || is_space_or_quote(p[-1])) &&
		    !userinfo_mask(p, &ms, &me))
			ms = me = NULL;
		if (word_start && !ms && (n = authorization(b, p)) > 0) {
			p += n;
			continue;
		}
		if (word_start && (n = bearer(b, p)) > 0) {
			p += n;
			continue;
		}
		if (word_start && (n = token_prefix_len(p)) > 0) {
			snk_puts(b, "***");
			p += n;
			continue;
		}
		if (word_start && !ms && is_word_char((unsigned char)*p)) {
			p += key_value(b, p);
			continue;
		}
		snk_put(b, p, 1);
		p++;
	}
}

int isg_redact(isg_buf *out, const char *text)
{
	isg_buf res = ISG_BUF_INIT;
	sink b = { NULL, NULL, 0, 0, ISG_OK };

	if (!out || !text)
		return isg__error_set(ISG_EINVALID, "log",
		                      "isg_redact: NULL argument");
	b.buf = &res;
	redact_into(&b, text);
	if (b.rc == ISG_OK && !res.ptr)
		b.rc = isg_buf_put(&res, "", 0);
	if (b.rc != ISG_OK) {
		isg_buf_dispose(&res);
		return b.rc;
	}
	isg_buf_dispose(out);
	*out = res;
	return ISG_OK;
}

void isg__redact_fixed(char *dst, size_t n, const char *src)
{
	sink b = { NULL, NULL, 0, 0, ISG_OK };

	if (!dst || n == 0)
		return;
	dst[0] = '\0';
	b.arr = dst;
	b.cap = n;
	redact_into(&b, src ? src : "");
}
