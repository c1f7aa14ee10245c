/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse: line-oriented heuristic parsers that find definitions
 * (functions, classes, methods, types) with their line numbers, imports
 * and the first doc comment, for C, C++, Python, Go, JavaScript,
 * TypeScript, Java, Rust and Ruby. They never fail on odd input: the worst
 * a strange file can do is yield fewer definitions.
 */
#include <string.h>

#include "repo_int.h"

#define MODULE "repo"
#define MAX_STACK 32

typedef struct scope {
	char name[80];
	int indent; /* Python/Ruby: indentation; brace languages: depth */
	int is_class;
} scope;

typedef struct pstate {
	isg__parsed *out;
	const char *lang;
	scope stack[MAX_STACK];
	int nstack;
	int depth;           /* brace depth at the start of the line */
	int in_comment;      /* inside a block comment */
	int in_string;       /* Python: inside a triple-quoted string */
	int in_import;       /* Go: inside an import ( ... ) block */
	int in_type;         /* Go: inside a type ( ... ) block */
	int pending_typedef; /* C: typedef ... { not yet closed */
	const char *text, *end;
} pstate;

static int is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

static int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* When p starts with the word `kw` followed by a blank, returns the first
 * byte after the blanks; else NULL. */
static const char *kw(const char *p, const char *e, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(e - p) <= n || memcmp(p, word, n) != 0 ||
	    (p[n] != ' ' && p[n] != '\t'))
		return NULL;
	return skip_ws(p + n, e);
}

/* strstr bounded by `e`: the text is not NUL-terminated per line. */
static const char *find(const char *p, const char *e, const char *needle)
{
	size_t n = strlen(needle);

	for (; p + n <= e; p++)
		if (*p == *needle && memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static size_t ident_len(const char *p, const char *e)
{
	size_t n = 0;

	if (p >= e || !is_id0((unsigned char)*p))
		return 0;
	while (p + n < e && is_id((unsigned char)p[n]))
		n++;
	return n;
}

static int add_def(pstate *s, const char *name, size_t n, const char *kind,
                   const char *parent, unsigned int line)
{
	isg__parsed *o = s->out;
	isg__pdef *d;

	if (!n || n > 200)
		return ISG_OK;
	if (o->ndefs == o->cdefs) {
		size_t nc = o->cdefs ? o->cdefs * 2 : 16;
		isg__pdef *nd = isg__realloc(o->defs, nc * sizeof(*nd));

		if (!nd)
			return isg__error_oom(MODULE);
		o->defs = nd;
		o->cdefs = nc;
	}
	d = &o->defs[o->ndefs];
	d->name = isg__strndup(name, n);
	d->parent = isg__strdup(parent ? parent : "");
	if (!d->name || !d->parent) {
		isg__free(d->name);
		isg__free(d->parent);
		return isg__error_oom(MODULE);
	}
	d->kind = kind;
	d->line = line;
	o->ndefs++;
	return ISG_OK;
}

static int add_import(pstate *s, const char *name, size_t n)
{
	isg__parsed *o = s->out;
	char *copy;

	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t' ||
	             name[n - 1] == '\r'))
		n--;
	if (!n || n > 200 || o->nimports >= 512)
		return ISG_OK;
	if (o->nimports == o->cimports) {
		size_t nc = o->cimports ? o->cimports * 2 : 8;
		char **ni = isg__realloc(o->imports, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		o->imports = ni;
		o->cimports = nc;
	}
	copy = isg__strndup(name, n);
	if (!copy)
		return isg__error_oom(MODULE);
	o->imports[o->nimports++] = copy;
	return ISG_OK;
}

static void push_scope(pstate *s, const char *name, size_t n, int indent,
                       int is_class)
{
	scope *sc;

	if (s->nstack >= MAX_STACK)
		return;
	sc = &s->stack[s->nstack++];
	if (n >= sizeof(sc->name))
		n = sizeof(sc->name) - 1;
	memcpy(sc->name, name, n);
	sc->name[n] = '\0';
	sc->indent = indent;
	sc->is_class = is_class;
}

static const char *class_parent(const pstate *s, int depth)
{
	if (s->nstack && s->stack[s->nstack - 1].is_class &&
	    s->stack[s->nstack - 1].indent == depth)
		return s->stack[s->nstack - 1].name;
	return NULL;
}

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

static int python_line(pstate *s, const char *p, const char *e,
                       unsigned int line)
{
	const char *q = skip_ws(p, e), *r;
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
	if ((r = kw(q, e, "async")))
		q = r;
	if ((r = kw(q, e, "def")) && (n = ident_len(r, e))) {
		const char *parent = NULL;
		const char *k = "function";

		if (s->nstack) {
			parent = s->stack[s->nstack - 1].name;
			k = s->stack[s->nstack - 1].is_class ? "method"
			                                     : "function";
		}
		push_scope(s, r, n, indent, 0);
		return add_def(s, r, n, k, parent, line);
	}
	if ((r = kw(q, e, "class")) && (n = ident_len(r, e))) {
		const char *parent =
		        s->nstack ? s->stack[s->nstack - 1].name : NULL;

		push_scope(s, r, n, indent, 1);
		return add_def(s, r, n, "class", parent, line);
	}
	if (indent == 0 && (r = kw(q, e, "import"))) {
		/* import a.b, c as d */
		while (r < e) {
			const char *st = skip_ws(r, e), *en = st;

			while (en < e &&
			       (is_id((unsigned char)*en) || *en == '.'))
				en++;
			if (en > st && add_import(s, st, (size_t)(en - st)))
				return ISG_ENOMEM;
			r = memchr(en, ',', (size_t)(e - en));
			if (!r)
				break;
			r++;
		}
	} else if ((r = kw(q, e, "from"))) {
		const char *en = r;

		while (en < e && (is_id((unsigned char)*en) || *en == '.'))
			en++;
		if (en > r && kw(skip_ws(en, e), e, "import"))
			return add_import(s, r, (size_t)(en - r));
	}
	return ISG_OK;
}

static int ruby_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	const char *q = skip_ws(p, e), *r;
	int indent = (int)(q - p);
	size_t n;

	if (q >= e || *q == '#')
		return ISG_OK;
	if ((size_t)(e - q) >= 3 && memcmp(q, "end", 3) == 0)
		return ISG_OK;
	while (s->nstack && s->stack[s->nstack - 1].indent >= indent)
		s->nstack--;
	if ((r = kw(q, e, "def"))) {
		const char *parent =
		        s->nstack ? s->stack[s->nstack - 1].name : NULL;

		if ((size_t)(e - r) > 5 && memcmp(r, "self.", 5) == 0)
			r += 5;
		n = ident_len(r, e);
		if (n && r + n < e &&
		    (r[n] == '?' || r[n] == '!' || r[n] == '='))
			n++;
		return add_def(s, r, n, parent ? "method" : "function", parent,
		               line);
	}
	if ((r = kw(q, e, "class")) || (r = kw(q, e, "module"))) {
		const char *k = q[0] == 'c' ? "class" : "module";
		const char *st = r;

		/* class A::B < Base: the name is the last "::" part. */
		while ((n = ident_len(r, e)) && r + n + 2 < e && r[n] == ':' &&
		       r[n + 1] == ':')
			r += n + 2;
		n = ident_len(r, e);
		if (!n || *st == '<')
			return ISG_OK;
		push_scope(s, r, n, indent, 1);
		return add_def(s, r, n, k, NULL, line);
	}
	if ((r = kw(q, e, "require")) || (r = kw(q, e, "require_relative"))) {
		if (r < e && (*r == '\'' || *r == '"')) {
			const char *en = memchr(r + 1, *r, (size_t)(e - r - 1));

			if (en)
				return add_import(s, r + 1,
				                  (size_t)(en - r - 1));
		}
	}
	return ISG_OK;
}

/* ---- brace languages ---- */

/* Counts braces outside strings and comments, updating the block-comment
 * state; returns the depth change. Sets *code_start to the first byte that
 * is not inside a comment carried over from the previous line. */
static int brace_delta(pstate *s, const char *p, const char *e,
                       const char **code_start)
{
	int d = 0;
	char quote = 0;

	*code_start = p;
	if (s->in_comment) {
		const char *c = p;

		while (c + 1 < e && !(c[0] == '*' && c[1] == '/'))
			c++;
		if (c + 1 >= e) {
			*code_start = e;
			return 0;
		}
		s->in_comment = 0;
		p = c + 2;
		*code_start = p;
	}
	for (; p < e; p++) {
		char c = *p;

		if (quote) {
			if (c == '\\')
				p++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '/' && p + 1 < e && p[1] == '/')
			break;
		if (c == '#' && strcmp(s->lang, "rust") != 0 &&
		    strcmp(s->lang, "c") != 0 && strcmp(s->lang, "cpp") != 0 &&
		    strcmp(s->lang, "go") != 0 &&
		    strcmp(s->lang, "java") != 0 &&
		    strcmp(s->lang, "javascript") != 0 &&
		    strcmp(s->lang, "typescript") != 0)
			break;
		if (c == '/' && p + 1 < e && p[1] == '*') {
			const char *c2 = p + 2;

			while (c2 + 1 < e && !(c2[0] == '*' && c2[1] == '/'))
				c2++;
			if (c2 + 1 >= e) {
				s->in_comment = 1;
				break;
			}
			p = c2 + 1;
			continue;
		}
		if (c == '"' || c == '`' ||
		    (c == '\'' && strcmp(s->lang, "rust") != 0))
			quote = c;
		else if (c == '{')
			d++;
		else if (c == '}')
			d--;
	}
	return d;
}

static int is_keyword(const char *p, size_t n)
{
	static const char *const kws[] = {
		"if",
		"for",
		"while",
		"switch",
		"return",
		"sizeof",
		"catch",
		"new",
		"else",
		"do",
		"case",
		"defined",
		"typeof",
		"throw",
		"delete",
		"await",
		"yield",
		"super",
		"this",
		"function",
		"import",
		"with",
		"elif",
		"try",
		"synchronized",
		"alignof",
		"decltype",
		"static_assert",
		"_Static_assert",
		"__attribute__",
		"assert",
		"print",
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(kws); i++)
		if (strlen(kws[i]) == n && memcmp(kws[i], p, n) == 0)
			return 1;
	return 0;
}

/* The identifier just before `paren` (skipping blanks), or NULL. */
static const char *name_before(const char *start, const char *paren, size_t *n)
{
	const char *q = paren;

	while (q > start && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	*n = 0;
	while (q > start && is_id((unsigned char)q[-1])) {
		q--;
		(*n)++;
	}
	if (!*n || !is_id0((unsigned char)*q) || is_keyword(q, *n))
		return NULL;
	return q;
}

/* After the '(' at `p`: 1 when the matching ')' is followed by '{' (or a
 * C++ initializer list) before any ';' — a definition, not a prototype. */
static int opens_body(const char *p, const char *e)
{
	int depth = 0;
	const char *lim = p + 4000 < e ? p + 4000 : e;

	for (; p < lim; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && (*p == ';' || *p == '='))
			return 0;
		else if (depth == 0 && *p == '{')
			return 1;
		else if (depth == 0 && *p == ':' && p + 1 < lim && p[1] != ':')
			return 1;
		else if (depth > 0 && *p == ';')
			return 0;
	}
	return 0;
}

static const char *strip_mods(const char *q, const char *e,
                              const char *const *mods, size_t nmods)
{
	size_t i;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < nmods; i++) {
			const char *r = kw(q, e, mods[i]);

			if (r) {
				q = r;
				again = 1;
			}
		}
	}
	return q;
}

static const char *last_semicolon(const char *p, const char *e)
{
	while (e > p && e[-1] != ';')
		e--;
	return e > p ? e - 1 : NULL;
}

static int c_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	static const char *const mods[] = { "static", "inline", "extern",
		                            "template", "export" };
	const char *q = p, *r, *paren;
	size_t n;

	if (q >= e)
		return ISG_OK;
	if (*q == '#') {
		q = skip_ws(q + 1, e);
		if ((r = kw(q, e, "include")) && r < e &&
		    (*r == '<' || *r == '"')) {
			const char *en = memchr(r + 1, *r == '<' ? '>' : '"',
			                        (size_t)(e - r - 1));

			if (en)
				return add_import(s, r + 1,
				                  (size_t)(en - r - 1));
		} else if ((r = kw(q, e, "define")) && (n = ident_len(r, e))) {
			return add_def(s, r, n, "macro", NULL, line);
		}
		return ISG_OK;
	}
	if (*q == ' ' || *q == '\t' || *q == '/' || *q == '*')
		return ISG_OK;
	if (*q == '}') {
		if (!s->pending_typedef)
			return ISG_OK;
		s->pending_typedef = 0;
		q = skip_ws(q + 1, e);
		while (q < e && *q == '*')
			q = skip_ws(q + 1, e);
		return add_def(s, q, ident_len(q, e), "type", NULL, line);
	}
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if ((r = kw(q, e, "typedef"))) {
		const char *t, *t2;

		if (((t = kw(r, e, "struct")) || (t = kw(r, e, "enum")) ||
		     (t = kw(r, e, "union"))) &&
		    memchr(r, '{', (size_t)(e - r))) {
			if (!memchr(r, '}', (size_t)(e - r))) {
				s->pending_typedef = 1;
			} else if ((t2 = last_semicolon(r, e))) {
				/* typedef struct { ... } name; on one line */
				const char *b = memchr(r, '}', (size_t)(e - r));

				b = skip_ws(b + 1, t2);
				while (b < t2 && *b == '*')
					b = skip_ws(b + 1, t2);
				n = ident_len(b, t2);
				if (ident_len(t, e) == 0)
					return add_def(s, b, n, "type", NULL,
					               line);
			}
			if ((n = ident_len(t, e)))
				return add_def(s, t, n,
				               r[0] == 's'   ? "struct"
				               : r[0] == 'e' ? "enum"
				                             : "union",
				               NULL, line);
			return ISG_OK;
		}
		/* typedef ... name; or typedef ret (*name)(...); */
		if ((t = memchr(r, ';', (size_t)(e - r)))) {
			const char *fp = memchr(r, '(', (size_t)(t - r));

			if (fp && fp + 1 < t && fp[1] == '*') {
				fp += 2;
				return add_def(s, fp, ident_len(fp, t), "type",
				               NULL, line);
			}
			while (t > r && !is_id((unsigned char)t[-1]))
				t--;
			n = 0;
			while (t > r && is_id((unsigned char)t[-1])) {
				t--;
				n++;
			}
			return add_def(s, t, n, "type", NULL, line);
		}
		return ISG_OK;
	}
	if ((r = kw(q, e, "struct")) || (r = kw(q, e, "enum")) ||
	    (r = kw(q, e, "union")) || (r = kw(q, e, "class")) ||
	    (r = kw(q, e, "namespace"))) {
		const char *k = q[0] == 's'   ? "struct"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'u' ? "union"
		                : q[0] == 'c' ? "class"
		                              : "module";
		const char *t;

		if ((t = kw(r, e, "class")))
			r = t; /* enum class */
		n = ident_len(r, e);
		t = skip_ws(r + n, e);
		if (n && (t >= e || *t == '{' || *t == ':' || *t == '\r'))
			return add_def(s, r, n, k, NULL, line);
		if (n && !memchr(r, '(', (size_t)(e - r)) &&
		    !memchr(r, ';', (size_t)(e - r)))
			return add_def(s, r, n, k, NULL, line);
		if (!n || !memchr(r, '(', (size_t)(e - r)))
			return ISG_OK;
	}
	paren = memchr(q, '(', (size_t)(e - q));
	if (!paren || memchr(q, '=', (size_t)(paren - q)))
		return ISG_OK;
	r = name_before(q, paren, &n);
	if (!r || !opens_body(paren, s->end))
		return ISG_OK;
	if (r - q >= 2 && r[-1] == ':' && r[-2] == ':') {
		const char *cls = r - 2;
		size_t cn = 0;

		while (cls > q && is_id((unsigned char)cls[-1])) {
			cls--;
			cn++;
		}
		if (cn) {
			char parent[80];

			if (cn >= sizeof(parent))
				cn = sizeof(parent) - 1;
			memcpy(parent, cls, cn);
			parent[cn] = '\0';
			return add_def(s, r, n, "method", parent, line);
		}
	}
	return add_def(s, r, n, "function", NULL, line);
}

static int go_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	const char *q = skip_ws(p, e), *r;
	size_t n;

	if (s->in_import) {
		if (q < e && *q == ')') {
			s->in_import = 0;
		} else {
			const char *qt = memchr(q, '"', (size_t)(e - q)), *en;

			if (qt &&
			    (en = memchr(qt + 1, '"', (size_t)(e - qt - 1))))
				return add_import(s, qt + 1,
				                  (size_t)(en - qt - 1));
		}
		return ISG_OK;
	}
	if (s->in_type) {
		if (q < e && *q == ')')
			s->in_type = 0;
		else if (q > p && s->depth == 0 && (n = ident_len(q, e))) {
			const char *t = skip_ws(q + n, e);

			return add_def(s, q, n,
			               kw(t, e, "struct")      ? "struct"
			               : kw(t, e, "interface") ? "interface"
			                                       : "type",
			               NULL, line);
		}
		return ISG_OK;
	}
	if ((r = kw(p, e, "func"))) {
		char parent[80] = "";

		if (r < e && *r == '(') {
			const char *close = memchr(r, ')', (size_t)(e - r));
			const char *t;

			if (!close)
				return ISG_OK;
			/* (r *T) or (T) or (r T[K]): the type is the last
			 * identifier before ')' or '['. */
			t = r + 1;
			t = skip_ws(t, close);
			n = ident_len(t, close);
			if (skip_ws(t + n, close) < close)
				t = skip_ws(t + n, close);
			while (t < close && *t == '*')
				t++;
			n = ident_len(t, close);
			if (n >= sizeof(parent))
				n = sizeof(parent) - 1;
			memcpy(parent, t, n);
			parent[n] = '\0';
			r = skip_ws(close + 1, e);
		}
		n = ident_len(r, e);
		return add_def(s, r, n, parent[0] ? "method" : "function",
		               parent[0] ? parent : NULL, line);
	}
	if ((r = kw(p, e, "type"))) {
		const char *t;

		if (r < e && *r == '(') {
			s->in_type = 1;
			return ISG_OK;
		}
		n = ident_len(r, e);
		t = skip_ws(r + n, e);
		return add_def(s, r, n,
		               kw(t, e, "struct")      ? "struct"
		               : kw(t, e, "interface") ? "interface"
		                                       : "type",
		               NULL, line);
	}
	if ((r = kw(p, e, "import"))) {
		const char *qt, *en;

		if (r < e && *r == '(') {
			s->in_import = 1;
			return ISG_OK;
		}
		qt = memchr(r, '"', (size_t)(e - r));
		if (qt && (en = memchr(qt + 1, '"', (size_t)(e - qt - 1))))
			return add_import(s, qt + 1, (size_t)(en - qt - 1));
	}
	return ISG_OK;
}

static int quoted_import(pstate *s, const char *from, const char *e)
{
	const char *qt = from, *en;

	while (qt < e && *qt != '\'' && *qt != '"' && *qt != '`')
		qt++;
	if (qt >= e)
		return ISG_OK;
	en = memchr(qt + 1, *qt, (size_t)(e - qt - 1));
	return en ? add_import(s, qt + 1, (size_t)(en - qt - 1)) : ISG_OK;
}

static int js_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	static const char *const mods[] = { "export",   "default",  "declare",
		                            "async",    "abstract", "static",
		                            "public",   "private",  "protected",
		                            "readonly", "override", "get",
		                            "set" };
	const char *q = skip_ws(p, e), *r, *paren;
	const char *parent = class_parent(s, s->depth);
	size_t n;

	if (q >= e || *q == '/' || *q == '*')
		return ISG_OK;
	if (kw(q, e, "import") || kw(q, e, "export")) {
		const char *f = find(q, e, " from ");

		if (f)
			return quoted_import(s, f + 6, e);
		if ((r = kw(q, e, "import")) && (*r == '\'' || *r == '"'))
			return quoted_import(s, r, e);
	}
	if ((r = find(q, e, "require(")) &&
	    (r == q || !is_id((unsigned char)r[-1])))
		return quoted_import(s, r + 8, e);
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if ((r = kw(q, e, "class")) && (n = ident_len(r, e))) {
		push_scope(s, r, n, s->depth + 1, 1);
		return add_def(s, r, n, "class", NULL, line);
	}
	if ((r = kw(q, e, "function")) || (r = kw(q, e, "function*")) ||
	    ((size_t)(e - q) > 9 && memcmp(q, "function*", 9) == 0 &&
	     (r = skip_ws(q + 9, e)))) {
		if (r < e && *r == '*')
			r = skip_ws(r + 1, e);
		return add_def(s, r, ident_len(r, e), "function", NULL, line);
	}
	if (((r = kw(q, e, "interface")) || (r = kw(q, e, "enum")) ||
	     (r = kw(q, e, "namespace"))) &&
	    (n = ident_len(r, e)))
		return add_def(s, r, n,
		               q[0] == 'i'   ? "interface"
		               : q[0] == 'e' ? "enum"
		                             : "module",
		               NULL, line);
	if ((r = kw(q, e, "type")) && (n = ident_len(r, e))) {
		const char *t = skip_ws(r + n, e);

		if (t < e && (*t == '=' || *t == '<'))
			return add_def(s, r, n, "type", NULL, line);
	}
	if ((r = kw(q, e, "const")) || (r = kw(q, e, "let")) ||
	    (r = kw(q, e, "var"))) {
		const char *t;

		n = ident_len(r, e);
		t = skip_ws(r + n, e);
		if (n && t < e && *t == '=') {
			t = skip_ws(t + 1, e);
			if (kw(t, e, "async"))
				t = kw(t, e, "async");
			if ((size_t)(e - t) >= 8 &&
			    memcmp(t, "function", 8) == 0)
				return add_def(s, r, n, "function", NULL, line);
			if (find(t, e, "=>") &&
			    (*t == '(' || is_id0((unsigned char)*t)))
				return add_def(s, r, n, "function", NULL, line);
		}
		return ISG_OK;
	}
	if (!parent)
		return ISG_OK;
	/* A method: name(args) { or name = (args) => inside a class body. */
	n = ident_len(q, e);
	if (!n || is_keyword(q, n))
		return ISG_OK;
	paren = skip_ws(q + n, e);
	if (paren < e && *paren == '<') {
		const char *gt = memchr(paren, '>', (size_t)(e - paren));

		paren = gt ? skip_ws(gt + 1, e) : e;
	}
	if (paren < e && *paren == '(' && opens_body(paren, e + 1))
		return add_def(s, q, n, "method", parent, line);
	if (paren < e && *paren == '=' && find(paren, e, "=>"))
		return add_def(s, q, n, "method", parent, line);
	return ISG_OK;
}

static int java_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	static const char *const mods[] = {
		"public",   "private",      "protected", "static",  "final",
		"abstract", "synchronized", "native",    "default", "sealed",
		"strictfp", "non-sealed",   "transient"
	};
	const char *q = skip_ws(p, e), *r, *paren;
	const char *parent = class_parent(s, s->depth);
	size_t n;

	if (q >= e || *q == '/' || *q == '*' || *q == '@')
		return ISG_OK;
	if ((r = kw(q, e, "import"))) {
		const char *t = kw(r, e, "static"), *en;

		r = t ? t : r;
		en = memchr(r, ';', (size_t)(e - r));
		return add_import(s, r,
		                  en ? (size_t)(en - r) : (size_t)(e - r));
	}
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if (((r = kw(q, e, "class")) || (r = kw(q, e, "interface")) ||
	     (r = kw(q, e, "enum")) || (r = kw(q, e, "record")) ||
	     (r = kw(q, e, "@interface"))) &&
	    (n = ident_len(r, e))) {
		const char *k = q[0] == 'c'   ? "class"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'r' ? "class"
		                              : "interface";

		push_scope(s, r, n, s->depth + 1, 1);
		return add_def(s, r, n, k, parent, line);
	}
	if (!parent)
		return ISG_OK;
	paren = memchr(q, '(', (size_t)(e - q));
	if (!paren || memchr(q, '=', (size_t)(paren - q)))
		return ISG_OK;
	r = name_before(q, paren, &n);
	/* A method has a type before its name, or is a constructor. */
	if (!r ||
	    (r == q && !(strlen(parent) == n && memcmp(parent, r, n) == 0)))
		return ISG_OK;
	if (!opens_body(paren, s->end))
		return ISG_OK;
	return add_def(s, r, n, "method", parent, line);
}

static int rust_line(pstate *s, const char *p, const char *e, unsigned int line)
{
	static const char *const mods[] = { "pub",        "pub(crate)",
		                            "pub(super)", "async",
		                            "const",      "unsafe",
		                            "default",    "extern" };
	const char *q = skip_ws(p, e), *r;
	const char *parent = class_parent(s, s->depth);
	size_t n;

	if (q >= e || *q == '/' || *q == '#')
		return ISG_OK;
	if ((r = kw(q, e, "use")) ||
	    ((r = kw(q, e, "pub")) && (r = kw(r, e, "use")))) {
		const char *en = r;

		while (en < e && (is_id((unsigned char)*en) || *en == ':'))
			en++;
		while (en > r && en[-1] == ':')
			en--;
		return add_import(s, r, (size_t)(en - r));
	}
	if ((r = kw(q, e, "extern")) && (r = kw(r, e, "crate")))
		return add_import(s, r, ident_len(r, e));
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if (q < e && *q == '"') { /* extern "C" fn */
		const char *en = memchr(q + 1, '"', (size_t)(e - q - 1));

		q = en ? skip_ws(en + 1, e) : e;
	}
	if ((r = kw(q, e, "fn")) && (n = ident_len(r, e)))
		return add_def(s, r, n, parent ? "method" : "function", parent,
		               line);
	if ((r = kw(q, e, "impl")) ||
	    ((size_t)(e - q) > 5 && memcmp(q, "impl<", 5) == 0)) {
		const char *t, *name;

		if (!r) {
			r = q + 4;
		}
		if (*r == '<') { /* skip generic parameters */
			int d = 0;

			for (; r < e; r++) {
				d += *r == '<' ? 1 : *r == '>' ? -1 : 0;
				if (d == 0)
					break;
			}
			r = skip_ws(r + 1, e);
		}
		name = r;
		t = find(r, e, " for ");
		if (t)
			name = skip_ws(t + 5, e);
		while (name < e && (*name == '&' || *name == '\''))
			name++;
		n = ident_len(name, e);
		/* a path such as fmt::Display: keep the last part */
		while (n && name + n + 2 < e && name[n] == ':' &&
		       name[n + 1] == ':') {
			name += n + 2;
			n = ident_len(name, e);
		}
		push_scope(s, name, n, s->depth + 1, 1);
		return add_def(s, name, n, "impl", NULL, line);
	}
	if (((r = kw(q, e, "struct")) || (r = kw(q, e, "enum")) ||
	     (r = kw(q, e, "union")) || (r = kw(q, e, "trait")) ||
	     (r = kw(q, e, "type")) || (r = kw(q, e, "mod"))) &&
	    (n = ident_len(r, e))) {
		const char *k = q[0] == 's'   ? "struct"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'u' ? "union"
		                : q[1] == 'r' ? "trait"
		                : q[0] == 't' ? "type"
		                              : "module";

		if (q[1] == 'r')
			push_scope(s, r, n, s->depth + 1, 1);
		return add_def(s, r, n, k, NULL, line);
	}
	if ((r = kw(q, e, "macro_rules!")) && (n = ident_len(r, e)))
		return add_def(s, r, n, "macro", NULL, line);
	return ISG_OK;
}

/* ---- first doc comment ---- */

static int extract_doc(isg__parsed *o, const char *t, const char *e)
{
	isg_buf doc = ISG_BUF_INIT;
	const char *p = t;
	int rc = ISG_OK, mode = 0; /* 1: line comments, 2: block, 3: """ */
	char marker[4] = "";

	while (p < e && rc == ISG_OK && doc.size < 500) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *q = skip_ws(p, le);
		const char *c = NULL, *ce = le;

		while (ce > q && (ce[-1] == '\r' || ce[-1] == ' '))
			ce--;
		if (mode == 0) {
			if (q == ce ||
			    (q[0] == '#' && q + 1 < ce && q[1] == '!')) {
				p = le + 1;
				continue;
			}
			if (ce - q >= 3 && (memcmp(q, "\"\"\"", 3) == 0 ||
			                    memcmp(q, "'''", 3) == 0)) {
				mode = 3;
				memcpy(marker, q, 3);
				c = q + 3;
				if (find(c, ce, marker)) {
					ce = find(c, ce, marker);
					mode = 4; /* closed on the same line */
				}
			} else if (ce - q >= 2 && q[0] == '/' && q[1] == '*') {
				mode = 2;
				c = q + 2;
				while (c < ce && (*c == '*' || *c == '!'))
					c++;
			} else if (q[0] == '#' ||
			           (ce - q >= 2 && q[0] == '/' &&
			            q[1] == '/') ||
			           (ce - q >= 2 && q[0] == '-' &&
			            q[1] == '-')) {
				mode = 1;
				c = q;
			} else {
				break; /* code before any comment */
			}
		} else if (mode == 1) {
			if (!(q < ce && (q[0] == '#' ||
			                 (ce - q >= 2 &&
			                  ((q[0] == '/' && q[1] == '/') ||
			                   (q[0] == '-' && q[1] == '-'))))))
				break;
			c = q;
		} else {
			c = q;
		}
		if (mode == 1)
			while (c < ce && (*c == '#' || *c == '/' || *c == '-' ||
			                  *c == '!'))
				c++;
		if (mode == 2) {
			const char *end = c;

			while (end + 1 < ce &&
			       !(end[0] == '*' && end[1] == '/'))
				end++;
			if (end + 1 < ce) {
				ce = end;
				mode = 4;
			}
			while (c < ce && (*c == '*' || *c == ' '))
				c++;
		}
		if (mode == 3 && c == q && find(c, ce, marker)) {
			ce = find(c, ce, marker);
			mode = 4;
		}
		c = skip_ws(c, ce);
		if (c < ce && !find(c, ce, "SPDX-License") &&
		    !(ce - c > 9 && memcmp(c, "Copyright", 9) == 0) &&
		    !(ce - c > 12 && memcmp(c, "-*- coding", 10) == 0)) {
			if (doc.size)
				rc = isg__buf_putc(&doc, ' ');
			if (rc == ISG_OK)
				rc = isg_buf_put(&doc, c, (size_t)(ce - c));
		}
		if (mode == 4 || !nl)
			break;
		p = le + 1;
	}
	if (rc == ISG_OK && doc.size > 500) {
		doc.size = 500;
		while (doc.size &&
		       ((unsigned char)doc.ptr[doc.size] & 0xC0) == 0x80)
			doc.size--; /* do not cut a UTF-8 sequence */
		doc.ptr[doc.size] = '\0';
	}
	if (rc == ISG_OK)
		o->doc = isg__buf_detach(&doc);
	if (rc == ISG_OK && !o->doc)
		rc = isg__error_oom(MODULE);
	isg_buf_dispose(&doc);
	return rc;
}

int isg__repo_parse(isg__parsed *out, const char *lang, const char *text,
                    size_t len)
{
	int (*fn)(pstate *, const char *, const char *, unsigned int) = NULL;
	const char *p = text, *e = text + len;
	unsigned int line = 0;
	int braces = 0, rc = ISG_OK;
	pstate s;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.out = out;
	s.lang = lang;
	s.text = text;
	s.end = e;
	if (strcmp(lang, "python") == 0) {
		fn = python_line;
	} else if (strcmp(lang, "ruby") == 0) {
		fn = ruby_line;
	} else if (strcmp(lang, "c") == 0 || strcmp(lang, "cpp") == 0) {
		fn = c_line;
		braces = 1;
	} else if (strcmp(lang, "go") == 0) {
		fn = go_line;
		braces = 1;
	} else if (strcmp(lang, "javascript") == 0 ||
	           strcmp(lang, "typescript") == 0) {
		fn = js_line;
		braces = 1;
	} else if (strcmp(lang, "java") == 0 || strcmp(lang, "kotlin") == 0 ||
	           strcmp(lang, "csharp") == 0 || strcmp(lang, "scala") == 0) {
		fn = java_line;
		braces = 1;
	} else if (strcmp(lang, "rust") == 0) {
		fn = rust_line;
		braces = 1;
	}
	while (p < e && rc == ISG_OK) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *code = p;
		int delta = 0;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		if (braces) {
			int was_comment = s.in_comment;

			delta = brace_delta(&s, p, le, &code);
			if (was_comment && code >= le)
				code = NULL;
		}
		if (fn && code)
			rc = fn(&s, code, le, line);
		if (braces) {
			s.depth += delta;
			if (s.depth < 0)
				s.depth = 0;
			while (s.nstack &&
			       s.stack[s.nstack - 1].indent > s.depth)
				s.nstack--;
		}
		p = nl ? nl + 1 : e;
	}
	out->lines = line;
	if (rc == ISG_OK)
		rc = extract_doc(out, text, e);
	if (rc != ISG_OK)
		isg__repo_parsed_free(out);
	return rc;
}

void isg__repo_parsed_free(isg__parsed *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->ndefs; i++) {
		isg__free(p->defs[i].name);
		isg__free(p->defs[i].parent);
	}
	for (i = 0; i < p->nimports; i++)
		isg__free(p->imports[i]);
	isg__free(p->defs);
	isg__free(p->imports);
	isg__free(p->doc);
	memset(p, 0, sizeof(*p));
}
