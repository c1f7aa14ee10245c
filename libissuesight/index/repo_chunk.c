/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo chunk: what the index keeps below the level of a file. A file is cut
 * into chunks at its definitions (a function, a method, a class header with
 * what follows up to the next definition), so that retrieval can score the
 * one function an issue is about instead of a long file's average; and the
 * string literals of source files (error messages, option names, message
 * ids, registry keys) are collected as their own text, so that the words an
 * issue quotes can be matched against the file that prints or registers
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "repo_int.h"

#define MODULE "repo"
#define MAX_CHUNKS 4000

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

int isg__repo_chunks(const isg__parsed *p, const char *text, size_t len,
                     isg__chunk_fn fn, void *payload)
{
	unsigned int *starts = NULL, line = 1, start = 1;
	const char *s = text, *e = text + len, *cs = text;
	size_t n = 0, i, next = 0, nchunks = 0;
	int rc = ISG_OK;

	starts = isg__alloc_calloc(p->ndefs + 1, sizeof(*starts));
	if (!starts)
		return isg__error_oom(MODULE);
	for (i = 0; i < p->ndefs; i++)
		if (p->defs[i].line > 1)
			starts[n++] = p->defs[i].line;
	qsort(starts, n, sizeof(*starts), cmp_uint);
	while (s < e && rc == ISG_OK) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));

		s = nl ? nl + 1 : e;
		line++;
		while (next < n && starts[next] < line)
			next++;
		/* Cut before a definition once the chunk is long enough. */
		if (s < e && next < n && starts[next] == line &&
		    line - start >= ISG__CHUNK_MIN_LINES &&
		    nchunks + 1 < MAX_CHUNKS) {
			rc = fn(start, cs, (size_t)(s - cs), payload);
			nchunks++;
			cs = s;
			start = line;
		}
	}
	if (rc == ISG_OK && s > cs)
		rc = fn(start, cs, (size_t)(s - cs), payload);
	isg__alloc_free(starts);
	return rc;
}

static int is_code_lang(const char *lang)
{
	static const char *const langs[] = {
		"python",     "c",          "cpp",  "go",
		"javascript", "typescript", "java", "kotlin",
		"csharp",     "scala",      "rust", "ruby",
		"php",        "shell",      "perl", "lua",
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(langs); i++)
		if (strcmp(lang, langs[i]) == 0)
			return 1;
	return 0;
}

/* Appends the single-line string literals of a source file to `out`, one
 * per line. Comment lines are skipped; triple-quoted strings (docstrings)
 * are not literals here; a literal needs a letter and 2 to 300 bytes. */
int isg__repo_literals(isg_buf *out, const char *lang, const char *text,
                       size_t len)
{
	const char *p = text, *e = text + len;
	int rc = ISG_OK, hash = 0;

	if (!is_code_lang(lang))
		return ISG_OK;
	hash = strcmp(lang, "python") == 0 || strcmp(lang, "ruby") == 0 ||
	       strcmp(lang, "shell") == 0 || strcmp(lang, "perl") == 0;
	while (p < e && rc == ISG_OK && out->size < (1u << 20)) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *q = p;

		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if ((hash && q < le && *q == '#') ||
		    (le - q >= 2 && q[0] == '/' &&
		     (q[1] == '/' || q[1] == '*')) ||
		    (q < le && *q == '*')) {
			p = nl ? nl + 1 : e;
			continue;
		}
		for (; q < le && rc == ISG_OK; q++) {
			char quote = *q;
			const char *b, *r;
			int letter = 0;

			if (quote == '#' && hash)
				break; /* a trailing comment */
			if (quote != '"' && quote != '\'')
				continue;
			if (le - q >= 3 && q[1] == quote && q[2] == quote)
				break; /* a docstring or a multi-line string */
			b = q + 1;
			for (r = b; r < le && *r != quote; r++) {
				if (*r == '\\' && r + 1 < le)
					r++;
				else if ((*r >= 'a' && *r <= 'z') ||
				         (*r >= 'A' && *r <= 'Z'))
					letter = 1;
			}
			if (r >= le)
				break; /* unterminated: an apostrophe in text */
			if (letter && r - b >= 2 && r - b <= 300) {
				rc = isg_buf_put(out, b, (size_t)(r - b));
				if (rc == ISG_OK)
					rc = isg__buf_putc(out, '\n');
			}
			q = r;
		}
		p = nl ? nl + 1 : e;
	}
	return rc;
}
