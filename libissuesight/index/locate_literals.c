/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate literals: turns what an issue quotes into a query over the string
 * literals of the repository. An exception message in a traceback, text in
 * backticks or double quotes, a command-line flag (`--jobs`), a Sphinx role
 * or directive (`:py:func:`, `.. autoclass::`) and a message id (`W0611`)
 * are usually spelled in the source exactly once, in the file that raises,
 * prints or registers them, which is usually the file to change.
 *
 * Phrases become FTS5 phrase queries over their word trigrams (a message
 * with a formatted value in the middle still matches on either side); single
 * names become plain terms. Tokens are lower-cased runs of letters, digits,
 * '_' and '-', as the index's literal tokenizer cuts them.
 */
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"
#define MAX_PHRASES 80
#define MAX_TOKENS 24

static int tokc(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Words too common to make a phrase distinctive on their own. */
static int weak_word(const char *s, size_t n)
{
	static const char *const w[] = {
		"the", "a",   "an",   "of",   "to",   "in",   "is",    "it",
		"be",  "as",  "at",   "by",   "for",  "on",   "or",    "and",
		"not", "no",  "this", "that", "with", "from", "are",   "was",
		"if",  "but", "can",  "has",  "have", "will", "when",  "which",
		"you", "we",  "i",    "self", "none", "true", "false", "-",
		"--",  "0",   "1",    "2",    "line", "file", "error",
	};
	size_t i;

	if (n < 3)
		return 1;
	for (i = 0; i < ISG__ARRAY_SIZE(w); i++)
		if (strlen(w[i]) == n && isg__text_ncasecmp(s, w[i], n) == 0)
			return 1;
	return 0;
}

typedef struct qbuild {
	isg_buf *q;
	size_t nphrases;
	int rc;
} qbuild;

static void put_tokens(qbuild *b, const char *const *t, const size_t *n,
                       size_t k)
{
	size_t i, j, strong = 0;

	for (i = 0; i < k; i++)
		strong += !weak_word(t[i], n[i]);
	if (!strong || b->nphrases >= MAX_PHRASES || b->rc != ISG_OK)
		return;
	/* A phrase needs two distinctive words unless it is one name. */
	if (k > 1 && strong < 2)
		return;
	b->rc = isg__buf_puts(b->q, b->q->size ? " OR \"" : "\"");
	for (i = 0; i < k && b->rc == ISG_OK; i++) {
		if (i)
			b->rc = isg__buf_putc(b->q, ' ');
		for (j = 0; j < n[i] && b->rc == ISG_OK; j++) {
			char c = t[i][j];

			b->rc = isg__buf_putc(
			        b->q,
			        (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
		}
	}
	if (b->rc == ISG_OK)
		b->rc = isg__buf_putc(b->q, '"');
	b->nphrases++;
}

/* Adds the text [s, e) as a phrase: its trigrams, or the whole when it
 * has at most three words. A lone word counts only when it looks like a
 * name (`unused-import`, `autodoc_typehints`, `W0611`). */
static void add_phrase(qbuild *b, const char *s, const char *e)
{
	const char *t[MAX_TOKENS];
	size_t n[MAX_TOKENS], k = 0, i;

	while (s < e && k < MAX_TOKENS) {
		while (s < e && !tokc((unsigned char)*s))
			s++;
		if (s >= e)
			break;
		t[k] = s;
		while (s < e && tokc((unsigned char)*s))
			s++;
		n[k] = (size_t)(s - t[k]);
		/* Leading dashes of a flag are not part of the literal. */
		while (n[k] > 1 && t[k][0] == '-') {
			t[k]++;
			n[k]--;
		}
		if (n[k] && t[k][0] != '-')
			k++;
	}
	if (k == 1) {
		int name = 0;

		for (i = 0; i < n[0]; i++)
			if (t[0][i] == '_' || t[0][i] == '-' ||
			    (t[0][i] >= '0' && t[0][i] <= '9'))
				name = 1;
		if (name && n[0] >= 4)
			put_tokens(b, t, n, 1);
		return;
	}
	if (k <= 3) {
		put_tokens(b, t, n, k);
		return;
	}
	for (i = 0; i + 3 <= k; i++)
		put_tokens(b, t + i, n + i, 3);
}

static const char *find_in(const char *p, const char *e, const char *s)
{
	size_t n = strlen(s);

	for (; p + n <= e; p++)
		if (memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

/* One line of the issue: the message of `XError: message` and
 * `XWarning: message` lines, `inline code`, "double-quoted text",
 * `--flags`, `:roles:` and `.. directive::` names. */
static void scan_line(qbuild *b, const char *p, const char *e)
{
	const char *q, *c;

	for (q = p; q < e && (*q == ' ' || *q == '\t' || *q == '>'); q++)
		;
	c = find_in(q, e, ": ");
	if (c && c - q >= 5 && c - q < 80 &&
	    (find_in(q, c, "Error") || find_in(q, c, "Exception") ||
	     find_in(q, c, "Warning")) &&
	    !memchr(q, ' ', (size_t)(c - q)))
		add_phrase(b, c + 2, e);
	if (e - q > 3 && q[0] == '.' && q[1] == '.' && q[2] == ' ' &&
	    (c = find_in(q, e, "::")) != NULL)
		add_phrase(b, q + 3, c);
	for (q = p; q < e; q++) {
		if (*q == '`' || *q == '"') {
			const char *r = memchr(q + 1, *q, (size_t)(e - q - 1));

			if (r && r - q > 3 && r - q < 200)
				add_phrase(b, q + 1, r);
			if (r)
				q = r;
		} else if (*q == '-' && q + 2 < e && q[1] == '-' &&
		           tokc((unsigned char)q[2]) &&
		           (q == p || q[-1] == ' ' || q[-1] == '`')) {
			const char *r = q + 2;

			while (r < e && tokc((unsigned char)*r))
				r++;
			add_phrase(b, q + 2, r);
			q = r - 1;
		} else if (*q == ':' && q + 1 < e &&
		           ((q[1] >= 'a' && q[1] <= 'z') || q[1] == '_')) {
			const char *r = q + 1;

			while (r < e && (tokc((unsigned char)*r) || *r == ':'))
				r++;
			if (r > q + 3 && r[-1] == ':' && r < e && *r == '`')
				add_phrase(b, q + 1, r - 1);
		}
	}
}

int isg__locate_literal_query(isg_buf *out, const char *text, size_t len)
{
	qbuild b = { out, 0, ISG_OK };
	char *clean = isg__alloc_malloc(len ? len : 1);
	const char *p, *e;

	if (!clean)
		return isg__error_oom(MODULE);
	memcpy(clean, text, len);
	isg__locate_clean(clean, len);
	for (p = clean, e = clean + len; p < e && b.rc == ISG_OK;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		scan_line(&b, p, nl ? nl : e);
		p = nl ? nl + 1 : e;
	}
	isg__alloc_free(clean);
	return b.rc;
}
