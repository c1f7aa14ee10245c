/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsers of what callers send: issue references ("o/r#N" or a GitHub
 * issue URL), the submission body, request paths and query parameters.
 * Pure functions, fuzzed by tests/fuzz/fuzz_gateway.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gw.h"

static int owner_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

static int repo_char(char c)
{
	return owner_char(c) || c == '_' || c == '.';
}

/* Copies [s, e) into out when it is a valid owner (kind 0) or repository
 * (kind 1) name. */
static int take_name(char *out, const char *s, const char *e, int kind)
{
	size_t n = (size_t)(e - s), i;

	if (n == 0 || n > (kind ? 100u : 39u))
		return -1;
	for (i = 0; i < n; i++)
		if (!(kind ? repo_char(s[i]) : owner_char(s[i])))
			return -1;
	if (!kind && (s[0] == '-' || s[n - 1] == '-'))
		return -1;
	if (kind &&
	    ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')))
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* A positive decimal number up to 2^31-1, no sign, no leading zero. */
static int take_number(long long *out, const char *s, const char *e)
{
	long long v = 0;

	if (e <= s || e - s > 10 || *s == '0')
		return -1;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v < 1 || v > 2147483647)
		return -1;
	*out = v;
	return 0;
}

/* "OWNER/REPO/issues/N" with an optional trailing slash. */
static int parse_url_path(gw_ref *out, const char *s)
{
	const char *o1 = strchr(s, '/'), *r1, *end = s + strlen(s);

	if (!o1 || take_name(out->owner, s, o1, 0) != 0)
		return -1;
	r1 = strchr(o1 + 1, '/');
	if (!r1 || take_name(out->repo, o1 + 1, r1, 1) != 0 ||
	    strncmp(r1, "/issues/", 8) != 0)
		return -1;
	if (end > r1 + 8 && end[-1] == '/')
		end--;
	return take_number(&out->number, r1 + 8, end);
}

int gw_parse_issue_ref(gw_ref *out, const char *s)
{
	static const char *const prefixes[] = { "https://github.com/",
		                                "http://github.com/",
		                                "https://www.github.com/",
		                                "github.com/" };
	const char *slash, *mark;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(s, prefixes[i], n) == 0)
			return parse_url_path(out, s + n);
	}
	slash = strchr(s, '/');
	mark = strchr(s, '#');
	if (!slash || !mark || mark < slash ||
	    take_name(out->owner, s, slash, 0) != 0 ||
	    take_name(out->repo, slash + 1, mark, 1) != 0 ||
	    take_number(&out->number, mark + 1, s + strlen(s)) != 0)
		return -1;
	return 0;
}

int gw_parse_submit_body(gw_ref *out, const char *body, size_t len,
                         const char **why)
{
	cJSON *doc = cJSON_ParseWithLength(body, len), *issue;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!doc) {
		*why = "the body is not valid JSON";
		return -1;
	}
	issue = cJSON_GetObjectItemCaseSensitive(doc, "issue");
	if (!cJSON_IsObject(doc))
		*why = "the body must be a JSON object";
	else if (!cJSON_IsString(issue))
		*why = "\"issue\" must be a string";
	else if (gw_parse_issue_ref(out, issue->valuestring) != 0)
		*why = "\"issue\" must be a GitHub issue URL "
		       "(https://github.com/OWNER/REPO/issues/N) or OWNER/REPO#N";
	else
		rc = 0;
	cJSON_Delete(doc);
	return rc;
}

static int path_char(char c)
{
	return repo_char(c) || c == '~';
}

int gw_split_path(char **seg, int max, char *path)
{
	char *p, *s;
	int n = 0;

	if (path[0] != '/')
		return -1;
	if (path[1] == '\0')
		return 0;
	p = path + 1;
	for (;;) {
		s = p;
		while (*p && *p != '/') {
			if (!path_char(*p))
				return -1;
			p++;
		}
		if (p == s || n >= max)
			return -1;
		if ((p - s == 1 && s[0] == '.') ||
		    (p - s == 2 && s[0] == '.' && s[1] == '.'))
			return -1;
		seg[n++] = s;
		if (*p == '\0')
			return n;
		*p++ = '\0';
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gw_query_param(char *out, size_t n, const char *q, const char *name)
{
	size_t nl = strlen(name), o = 0;

	if (!q || n == 0)
		return -1;
	while (*q) {
		const char *amp = strchr(q, '&');
		const char *end = amp ? amp : q + strlen(q);

		if ((size_t)(end - q) > nl && strncmp(q, name, nl) == 0 &&
		    q[nl] == '=') {
			const char *v = q + nl + 1;

			for (; v < end && o + 1 < n; v++) {
				if (*v == '+') {
					out[o++] = ' ';
				} else if (*v == '%' && end - v >= 3 &&
				           hexval(v[1]) >= 0 &&
				           hexval(v[2]) >= 0) {
					out[o++] = (char)(hexval(v[1]) * 16 +
					                  hexval(v[2]));
					v += 2;
				} else {
					out[o++] = *v;
				}
			}
			out[o] = '\0';
			return memchr(out, '\0', o) ? -1 : 0;
		}
		q = amp ? amp + 1 : end;
	}
	return -1;
}
