/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsers of request headers: If-None-Match (lists, weak tags, "*"),
 * Accept (media ranges, parameters, q-values), Authorization (the Bearer
 * scheme, case-insensitive) and Cookie. Pure functions over outside input,
 * unit-tested (tests/unit/test_gw_header.c) and fuzzed
 * (tests/fuzz/fuzz_gateway.c).
 */
#include <stdio.h>
#include <string.h>

#include "gw.h"

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ows(const char *s)
{
	while (is_ows(*s))
		s++;
	return s;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* 1 when [s, s+n) equals the NUL-terminated lower-case word w, ignoring
 * the case of s. */
static int word_is(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i] || lower(s[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

/* The opaque part of an entity-tag at *p ("xyz" or W/"xyz"); advances *p
 * past it. -1 when *p holds no well-formed tag. */
static int take_etag(const char **p, const char **tag, size_t *len)
{
	const char *s = *p, *e;

	if (s[0] == 'W' && s[1] == '/')
		s += 2;
	if (*s != '"')
		return -1;
	e = strchr(s + 1, '"');
	if (!e)
		return -1;
	*tag = s;
	*len = (size_t)(e - s) + 1;
	*p = e + 1;
	return 0;
}

int gw_etag_match(const char *inm, const char *etag)
{
	const char *p, *want, *tag;
	size_t want_len, len;

	if (!inm || !etag)
		return 0;
	/* The weak comparison of RFC 9110 13.1.2: W/ is ignored on both
	 * sides. */
	p = etag;
	if (take_etag(&p, &want, &want_len) != 0)
		return 0;
	p = skip_ows(inm);
	if (*p == '*' && *skip_ows(p + 1) == '\0')
		return 1;
	for (;;) {
		p = skip_ows(p);
		if (*p == ',') { /* empty list elements are allowed */
			p++;
			continue;
		}
		if (*p == '\0')
			return 0;
		if (take_etag(&p, &tag, &len) != 0)
			return 0;
		if (len == want_len && memcmp(tag, want, len) == 0)
			return 1;
		p = skip_ows(p);
		if (*p != ',' && *p != '\0')
			return 0;
	}
}

/* A q-value: "0", "1", "0.d{0,3}" or "1.0{0,3}", in thousandths; -1 when
 * malformed. */
static int parse_q(const char *s, size_t n)
{
	int v, scale = 100;
	size_t i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9' || (v == 1000 && s[i] != '0'))
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v;
}

/* One media range of an Accept header: its type, subtype and q. */
typedef struct media_range {
	const char *type, *sub;
	size_t type_len, sub_len;
	int q;
} media_range;

/* Reads the parameters after a media range up to the next ',' (or the
 * end) into m->q; *p is advanced there. -1 when a q is malformed. */
static int take_params(const char **p, media_range *m)
{
	const char *s = *p, *name, *val;
	size_t name_len, val_len;
	int bad = 0;

	m->q = 1000;
	while (*s && *s != ',') {
		s = skip_ows(s);
		if (*s != ';')
			break;
		s = skip_ows(s + 1);
		name = s;
		while (*s && *s != '=' && *s != ';' && *s != ',' && !is_ows(*s))
			s++;
		name_len = (size_t)(s - name);
		if (*s != '=')
			continue;
		val = ++s;
		if (*s == '"') {
			const char *e = strchr(s + 1, '"');

			s = e ? e + 1 : s + strlen(s);
		} else {
			while (*s && *s != ';' && *s != ',' && !is_ows(*s))
				s++;
		}
		val_len = (size_t)(s - val);
		if (word_is(name, name_len, "q") &&
		    (m->q = parse_q(val, val_len)) < 0)
			bad = 1;
	}
	while (*s && *s != ',')
		s++;
	*p = s;
	return bad ? -1 : 0;
}

/* The next media range at *p; 0, 1 at the end, -1 for a malformed one
 * (skipped: *p is past it). */
static int take_range(const char **p, media_range *m)
{
	const char *s = skip_ows(*p);

	while (*s == ',' || is_ows(*s))
		s++;
	if (*s == '\0')
		return 1;
	m->type = s;
	while (*s && *s != '/' && *s != ',' && *s != ';' && !is_ows(*s))
		s++;
	m->type_len = (size_t)(s - m->type);
	if (*s != '/' || m->type_len == 0) {
		while (*s && *s != ',')
			s++;
		*p = s;
		return -1;
	}
	m->sub = ++s;
	while (*s && *s != ',' && *s != ';' && !is_ows(*s))
		s++;
	m->sub_len = (size_t)(s - m->sub);
	*p = s;
	if (take_params(p, m) != 0 || m->sub_len == 0)
		return -1;
	return 0;
}

/* How specifically range m names type/sub: 3 exact, 2 type/x, 1 x/x,
 * 0 not at all. */
static int specificity(const media_range *m, const char *type, const char *sub)
{
	int star_type = m->type_len == 1 && m->type[0] == '*';
	int star_sub = m->sub_len == 1 && m->sub[0] == '*';

	if (star_type)
		return star_sub ? 1 : 0;
	if (!word_is(m->type, m->type_len, type))
		return 0;
	if (star_sub)
		return 2;
	return word_is(m->sub, m->sub_len, sub) ? 3 : 0;
}

/* The q the Accept header gives type/sub (RFC 9110 12.5.1: the most
 * specific range decides), in thousandths, and *spec its specificity;
 * 0 and 0 when no range names it. */
static int accept_q(const char *accept, const char *type, const char *sub,
                    int *spec)
{
	const char *p = accept;
	media_range m;
	int best = 0, q = 0, s, rc;

	while ((rc = take_range(&p, &m)) != 1) {
		if (rc != 0)
			continue;
		s = specificity(&m, type, sub);
		if (s > best) {
			best = s;
			q = m.q;
		}
	}
	*spec = best;
	return q;
}

int gw_accept_markdown(const char *accept)
{
	int md_spec, json_spec, md, json;

	if (!accept)
		return 0;
	md = accept_q(accept, "text", "markdown", &md_spec);
	json = accept_q(accept, "application", "json", &json_spec);
	if (md <= 0)
		return 0;
	/* JSON is the default: Markdown only when it is preferred, or
	 * equally acceptable but named more specifically. */
	return md > json || (md == json && md_spec > json_spec);
}

/* A character of token68 (RFC 9110 11.2) other than the '=' padding. */
static int token68_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-._~+/", c));
}

int gw_bearer_token(char *out, size_t n, const char *authz)
{
	const char *s, *e;
	size_t len;

	if (!authz || n == 0)
		return -1;
	s = skip_ows(authz);
	if (!word_is(s, 6, "bearer") || !is_ows(s[6]))
		return -1;
	s = skip_ows(s + 6);
	/* token68, then only white space. */
	for (e = s; token68_char(*e); e++)
		;
	while (*e == '=')
		e++;
	len = (size_t)(e - s);
	if (len == 0 || *skip_ows(e) != '\0' || len >= n)
		return -2;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int gw_cookie_get(char *out, size_t n, const char *cookies, const char *name)
{
	size_t nl = strlen(name), len;
	const char *p = cookies, *v, *e;

	if (!cookies || n == 0 || nl == 0)
		return -1;
	while (*p) {
		p = skip_ows(p);
		e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) > nl && strncmp(p, name, nl) == 0 &&
		    p[nl] == '=') {
			v = p + nl + 1;
			while (e > v && is_ows(e[-1]))
				e--;
			if (e - v >= 2 && *v == '"' && e[-1] == '"') {
				v++;
				e--;
			}
			len = (size_t)(e - v);
			if (len >= n)
				return -2;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
		p = *e ? e + 1 : e;
	}
	return -1;
}
