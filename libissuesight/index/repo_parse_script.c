/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse, scripting languages: Python and Ruby, whose scopes follow
 * indentation. Methods are recognised by the enclosing class scope;
 * Python triple-quoted strings are skipped.
 */
#include <string.h>

#include "repo_parse_int.h"

/* ---- Python and Ruby: indentation scopes ---- */

static int count_triple(const char *p, const char *e)
{
	int n = 0;

	while (p + 2 < e) {
		if ((p[0] == '"' && p[1] == '"' && p[2] == '"') ||
		    (p[0] == '\'' && p[1] == '\'' && p[2] == '\'')) {
			n++;
			p += 3;
		} else {
			p++;
		}
	}
	return n;
}

int isg__repo_parse_python_line(pstate *s, const char *p, const char *e,
                                unsigned int line)
{
	const char *q = isg__repo_parse_skip_ws(p, e), *r;
	int indent = (int)(q - p), odd = count_triple(q, e) % 2;
	size_t n;

	if (s->in_string) {
		if (odd)
			s->in_string = 0;
		return ISG_OK;
	}
	if (odd)
		s->in_string = 1;
	if (q >= e || *q == '#')
		return ISG_OK;
	while (s->nstack && s->stack[s->nstack - 1].indent >= indent)
		s->nstack--;
	if ((r = isg__repo_parse_kw(q, e, "async")))
		q = r;
	if ((r = isg__repo_parse_kw(q, e, "def")) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		const char *parent = NULL;
		const char *k = "function";

		if (s->nstack) {
			parent = s->stack[s->nstack - 1].name;
			k = s->stack[s->nstack - 1].is_class ? "method"
			                                     : "function";
		}
		isg__repo_parse_push_scope(s, r, n, indent, 0);
		return isg__repo_parse_add_def(s, r, n, k, parent, line);
	}
	if ((r = isg__repo_parse_kw(q, e, "class")) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		const char *parent =
		        s->nstack ? s->stack[s->nstack - 1].name : NULL;

		isg__repo_parse_push_scope(s, r, n, indent, 1);
		return isg__repo_parse_add_def(s, r, n, "class", parent, line);
	}
	if (indent == 0 && (r = isg__repo_parse_kw(q, e, "import"))) {
		/* import a.b, c as d */
		while (r < e) {
			const char *st = isg__repo_parse_skip_ws(r, e),
			           *en = st;

			while (en < e &&
			       (isg__repo_parse_is_id((unsigned char)*en) ||
			        *en == '.'))
				en++;
			if (en > st && isg__repo_parse_add_import(
			                       s, st, (size_t)(en - st)))
				return ISG_ENOMEM;
			r = memchr(en, ',', (size_t)(e - en));
			if (!r)
				break;
			r++;
		}
	} else if ((r = isg__repo_parse_kw(q, e, "from"))) {
		const char *en = r;

		while (en < e && (isg__repo_parse_is_id((unsigned char)*en) ||
		                  *en == '.'))
			en++;
		if (en > r && isg__repo_parse_kw(isg__repo_parse_skip_ws(en, e),
		                                 e, "import"))
			return isg__repo_parse_add_import(s, r,
			                                  (size_t)(en - r));
	}
	return ISG_OK;
}

int isg__repo_parse_ruby_line(pstate *s, const char *p, const char *e,
                              unsigned int line)
{
	const char *q = isg__repo_parse_skip_ws(p, e), *r;
	int indent = (int)(q - p);
	size_t n;

	if (q >= e || *q == '#')
		return ISG_OK;
	if ((size_t)(e - q) >= 3 && memcmp(q, "end", 3) == 0)
		return ISG_OK;
	while (s->nstack && s->stack[s->nstack - 1].indent >= indent)
		s->nstack--;
	if ((r = isg__repo_parse_kw(q, e, "def"))) {
		const char *parent =
		        s->nstack ? s->stack[s->nstack - 1].name : NULL;

		if ((size_t)(e - r) > 5 && memcmp(r, "self.", 5) == 0)
			r += 5;
		n = isg__repo_parse_ident_len(r, e);
		if (n && r + n < e &&
		    (r[n] == '?' || r[n] == '!' || r[n] == '='))
			n++;
		return isg__repo_parse_add_def(
		        s, r, n, parent ? "method" : "function", parent, line);
	}
	if ((r = isg__repo_parse_kw(q, e, "class")) ||
	    (r = isg__repo_parse_kw(q, e, "module"))) {
		const char *k = q[0] == 'c' ? "class" : "module";
		const char *st = r;

		/* class A::B < Base: the name is the last "::" part. */
		while ((n = isg__repo_parse_ident_len(r, e)) && r + n + 2 < e &&
		       r[n] == ':' && r[n + 1] == ':')
			r += n + 2;
		n = isg__repo_parse_ident_len(r, e);
		if (!n || *st == '<')
			return ISG_OK;
		isg__repo_parse_push_scope(s, r, n, indent, 1);
		return isg__repo_parse_add_def(s, r, n, k, NULL, line);
	}
	if ((r = isg__repo_parse_kw(q, e, "require")) ||
	    (r = isg__repo_parse_kw(q, e, "require_relative"))) {
		if (r < e && (*r == '\'' || *r == '"')) {
			const char *en = memchr(r + 1, *r, (size_t)(e - r - 1));

			if (en)
				return isg__repo_parse_add_import(
				        s, r + 1, (size_t)(en - r - 1));
		}
	}
	return ISG_OK;
}
