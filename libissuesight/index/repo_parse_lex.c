/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse lex: the lexical helpers of the line parsers (identifier
 * characters, blanks, keywords, bounded search), over text that is not
 * NUL-terminated per line.
 */
#include <string.h>

#include "repo_parse_int.h"

int isg__repo_parse_is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

int isg__repo_parse_is_id(int c)
{
	return isg__repo_parse_is_id0(c) || (c >= '0' && c <= '9');
}

const char *isg__repo_parse_skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* When p starts with the word `kw` followed by a blank, returns the first
 * byte after the blanks; else NULL. */
const char *isg__repo_parse_kw(const char *p, const char *e, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(e - p) <= n || memcmp(p, word, n) != 0 ||
	    (p[n] != ' ' && p[n] != '\t'))
		return NULL;
	return isg__repo_parse_skip_ws(p + n, e);
}

/* strstr bounded by `e`: the text is not NUL-terminated per line. */
const char *isg__repo_parse_find(const char *p, const char *e,
                                 const char *needle)
{
	size_t n = strlen(needle);

	for (; p + n <= e; p++)
		if (*p == *needle && memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

size_t isg__repo_parse_ident_len(const char *p, const char *e)
{
	size_t n = 0;

	if (p >= e || !isg__repo_parse_is_id0((unsigned char)*p))
		return 0;
	while (p + n < e && isg__repo_parse_is_id((unsigned char)p[n]))
		n++;
	return n;
}
