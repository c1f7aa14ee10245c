/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse, brace languages: C, C++, Go, JavaScript, TypeScript, Java
 * (and Kotlin, C#, Scala) and Rust. The driver in repo_parse.c tracks brace
 * depth, strings and block comments; these functions read one line each.
 */
#include <string.h>

#include "repo_parse_int.h"

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
	while (q > start && isg__repo_parse_is_id((unsigned char)q[-1])) {
		q--;
		(*n)++;
	}
	if (!*n || !isg__repo_parse_is_id0((unsigned char)*q) ||
	    is_keyword(q, *n))
		return NULL;
	return q;
}

/* After the '(' at `p`: 1 when the matching ')' is followed by '{' (or a
 * C++ initializer list) before any ';' — a definition, not a prototype. */
static int opens_body(const char *p, const char *e)
{
	int depth = 0;
	const char *lim = e - p > 4000 ? p + 4000 : e;

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
			const char *r = isg__repo_parse_kw(q, e, mods[i]);

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

/* A preprocessor line of C or C++ (q after the '#'): #include records an
 * import, #define a macro. */
static int c_preprocessor(pstate *s, const char *q, const char *e,
                          unsigned int line)
{
	const char *r;
	size_t n;

	q = isg__repo_parse_skip_ws(q + 1, e);
	if ((r = isg__repo_parse_kw(q, e, "include")) && r < e &&
	    (*r == '<' || *r == '"')) {
		const char *en = memchr(r + 1, *r == '<' ? '>' : '"',
		                        (size_t)(e - r - 1));

		if (en)
			return isg__repo_parse_add_import(s, r + 1,
			                                  (size_t)(en - r - 1));
	} else if ((r = isg__repo_parse_kw(q, e, "define")) &&
	           (n = isg__repo_parse_ident_len(r, e))) {
		return isg__repo_parse_add_def(s, r, n, "macro", NULL, line);
	}
	return ISG_OK;
}

/* A typedef line (r after the word): a struct, enum or union with a body
 * (perhaps closed later, see pending_typedef), a function pointer type or
 * a plain alias. */
static int c_typedef(pstate *s, const char *r, const char *e, unsigned int line)
{
	const char *t, *t2;
	size_t n;

	if (((t = isg__repo_parse_kw(r, e, "struct")) ||
	     (t = isg__repo_parse_kw(r, e, "enum")) ||
	     (t = isg__repo_parse_kw(r, e, "union"))) &&
	    memchr(r, '{', (size_t)(e - r))) {
		if (!memchr(r, '}', (size_t)(e - r))) {
			s->pending_typedef = 1;
		} else if ((t2 = last_semicolon(r, e))) {
			/* typedef struct { ... } name; on one line */
			const char *b = memchr(r, '}', (size_t)(e - r));

			b = isg__repo_parse_skip_ws(b + 1, t2);
			while (b < t2 && *b == '*')
				b = isg__repo_parse_skip_ws(b + 1, t2);
			n = isg__repo_parse_ident_len(b, t2);
			if (isg__repo_parse_ident_len(t, e) == 0)
				return isg__repo_parse_add_def(s, b, n, "type",
				                               NULL, line);
		}
		if ((n = isg__repo_parse_ident_len(t, e)))
			return isg__repo_parse_add_def(s, t, n,
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
			return isg__repo_parse_add_def(
			        s, fp, isg__repo_parse_ident_len(fp, t), "type",
			        NULL, line);
		}
		while (t > r && !isg__repo_parse_is_id((unsigned char)t[-1]))
			t--;
		n = 0;
		while (t > r && isg__repo_parse_is_id((unsigned char)t[-1])) {
			t--;
			n++;
		}
		return isg__repo_parse_add_def(s, t, n, "type", NULL, line);
	}
	return ISG_OK;
}

/* A function definition whose body opens at or after this line: the name
 * before the first '(', with its class when written Class::name. */
static int c_function(pstate *s, const char *q, const char *e,
                      unsigned int line)
{
	const char *r, *paren;
	size_t n;

	paren = memchr(q, '(', (size_t)(e - q));
	if (!paren || memchr(q, '=', (size_t)(paren - q)))
		return ISG_OK;
	r = name_before(q, paren, &n);
	if (!r || !opens_body(paren, s->end))
		return ISG_OK;
	if (r - q >= 2 && r[-1] == ':' && r[-2] == ':') {
		const char *cls = r - 2;
		size_t cn = 0;

		while (cls > q &&
		       isg__repo_parse_is_id((unsigned char)cls[-1])) {
			cls--;
			cn++;
		}
		if (cn) {
			char parent[80];

			if (cn >= sizeof(parent))
				cn = sizeof(parent) - 1;
			memcpy(parent, cls, cn);
			parent[cn] = '\0';
			return isg__repo_parse_add_def(s, r, n, "method",
			                               parent, line);
		}
	}
	return isg__repo_parse_add_def(s, r, n, "function", NULL, line);
}

int isg__repo_parse_c_line(pstate *s, const char *p, const char *e,
                           unsigned int line)
{
	static const char *const mods[] = { "static", "inline", "extern",
		                            "template", "export" };
	const char *q = p, *r;
	size_t n;

	if (q >= e)
		return ISG_OK;
	/* The body of a multi-line macro is not code of the file: in
	 * `#define BINOP(name) static jv f_ ## name(...) { \` the line after
	 * would otherwise read as a function `name`. */
	if (s->in_macro) {
		s->in_macro = e[-1] == '\\';
		return ISG_OK;
	}
	if (*q == '#') {
		s->in_macro = e[-1] == '\\';
		return c_preprocessor(s, q, e, line);
	}
	if (*q == ' ' || *q == '\t' || *q == '/' || *q == '*')
		return ISG_OK;
	if (*q == '}') {
		if (!s->pending_typedef)
			return ISG_OK;
		s->pending_typedef = 0;
		q = isg__repo_parse_skip_ws(q + 1, e);
		while (q < e && *q == '*')
			q = isg__repo_parse_skip_ws(q + 1, e);
		return isg__repo_parse_add_def(s, q,
		                               isg__repo_parse_ident_len(q, e),
		                               "type", NULL, line);
	}
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if ((r = isg__repo_parse_kw(q, e, "typedef")))
		return c_typedef(s, r, e, line);
	if ((r = isg__repo_parse_kw(q, e, "struct")) ||
	    (r = isg__repo_parse_kw(q, e, "enum")) ||
	    (r = isg__repo_parse_kw(q, e, "union")) ||
	    (r = isg__repo_parse_kw(q, e, "class")) ||
	    (r = isg__repo_parse_kw(q, e, "namespace"))) {
		const char *k = q[0] == 's'   ? "struct"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'u' ? "union"
		                : q[0] == 'c' ? "class"
		                              : "module";
		const char *t;

		if ((t = isg__repo_parse_kw(r, e, "class")))
			r = t; /* enum class */
		n = isg__repo_parse_ident_len(r, e);
		t = isg__repo_parse_skip_ws(r + n, e);
		if (n && (t >= e || *t == '{' || *t == ':' || *t == '\r'))
			return isg__repo_parse_add_def(s, r, n, k, NULL, line);
		if (n && !memchr(r, '(', (size_t)(e - r)) &&
		    !memchr(r, ';', (size_t)(e - r)))
			return isg__repo_parse_add_def(s, r, n, k, NULL, line);
		if (!n || !memchr(r, '(', (size_t)(e - r)))
			return ISG_OK;
	}
	return c_function(s, q, e, line);
}

/* A Go `func` whose name (or receiver) starts at R: a function, or a
 * method of the receiver's type. */
static int go_func(pstate *s, const char *r, const char *e, unsigned int line)
{
	char parent[80] = "";
	size_t n;

	if (r < e && *r == '(') {
		const char *close = memchr(r, ')', (size_t)(e - r));
		const char *t;

		if (!close)
			return ISG_OK;
		/* (r *T) or (T) or (r T[K]): the type is the last
		 * identifier before ')' or '['. */
		t = r + 1;
		t = isg__repo_parse_skip_ws(t, close);
		n = isg__repo_parse_ident_len(t, close);
		if (isg__repo_parse_skip_ws(t + n, close) < close)
			t = isg__repo_parse_skip_ws(t + n, close);
		while (t < close && *t == '*')
			t++;
		n = isg__repo_parse_ident_len(t, close);
		if (n >= sizeof(parent))
			n = sizeof(parent) - 1;
		memcpy(parent, t, n);
		parent[n] = '\0';
		r = isg__repo_parse_skip_ws(close + 1, e);
	}
	n = isg__repo_parse_ident_len(r, e);
	return isg__repo_parse_add_def(s, r, n,
	                               parent[0] ? "method" : "function",
	                               parent[0] ? parent : NULL, line);
}

int isg__repo_parse_go_line(pstate *s, const char *p, const char *e,
                            unsigned int line)
{
	const char *q = isg__repo_parse_skip_ws(p, e), *r;
	size_t n;

	if (s->in_import) {
		if (q < e && *q == ')') {
			s->in_import = 0;
		} else {
			const char *qt = memchr(q, '"', (size_t)(e - q)), *en;

			if (qt &&
			    (en = memchr(qt + 1, '"', (size_t)(e - qt - 1))))
				return isg__repo_parse_add_import(
				        s, qt + 1, (size_t)(en - qt - 1));
		}
		return ISG_OK;
	}
	if (s->in_type) {
		if (q < e && *q == ')')
			s->in_type = 0;
		else if (q > p && s->depth == 0 &&
		         (n = isg__repo_parse_ident_len(q, e))) {
			const char *t = isg__repo_parse_skip_ws(q + n, e);

			return isg__repo_parse_add_def(
			        s, q, n,
			        isg__repo_parse_kw(t, e, "struct") ? "struct"
			        : isg__repo_parse_kw(t, e, "interface")
			                ? "interface"
			                : "type",
			        NULL, line);
		}
		return ISG_OK;
	}
	if ((r = isg__repo_parse_kw(p, e, "func")))
		return go_func(s, r, e, line);
	if ((r = isg__repo_parse_kw(p, e, "type"))) {
		const char *t;

		if (r < e && *r == '(') {
			s->in_type = 1;
			return ISG_OK;
		}
		n = isg__repo_parse_ident_len(r, e);
		t = isg__repo_parse_skip_ws(r + n, e);
		return isg__repo_parse_add_def(
		        s, r, n,
		        isg__repo_parse_kw(t, e, "struct")      ? "struct"
		        : isg__repo_parse_kw(t, e, "interface") ? "interface"
		                                                : "type",
		        NULL, line);
	}
	if ((r = isg__repo_parse_kw(p, e, "import"))) {
		const char *qt, *en;

		if (r < e && *r == '(') {
			s->in_import = 1;
			return ISG_OK;
		}
		qt = memchr(r, '"', (size_t)(e - r));
		if (qt && (en = memchr(qt + 1, '"', (size_t)(e - qt - 1))))
			return isg__repo_parse_add_import(
			        s, qt + 1, (size_t)(en - qt - 1));
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
	return en ? isg__repo_parse_add_import(s, qt + 1, (size_t)(en - qt - 1))
	          : ISG_OK;
}

/* 1 when the text at `t` starts a function value: `function`, `async
 * function`, `(a, b) =>`, `x =>`, `async (a) =>`. */
static int js_function_value(const char *t, const char *e)
{
	const char *a = isg__repo_parse_kw(t, e, "async");

	if (a)
		t = a;
	if ((size_t)(e - t) >= 8 && memcmp(t, "function", 8) == 0 &&
	    (t + 8 == e || !isg__repo_parse_is_id((unsigned char)t[8])))
		return 1;
	return (*t == '(' || isg__repo_parse_is_id0((unsigned char)*t)) &&
	       isg__repo_parse_find(t, e, "=>") != NULL;
}

/* A function bound to a member: `proto.startOf = function (u) {`,
 * `Foo.prototype.bar = function`, `obj.x = () =>`, `exports.f =
 * function`. The definition is the last name; its parent is the object
 * path without `prototype` and without `exports` / `module.exports`,
 * which only say that the module exports it. Returns 1 when the line is
 * such a binding (*rc receives the status), else 0. */
static int js_bound_function(pstate *s, const char *q, const char *e,
                             unsigned int line, int *rc)
{
	const char *part[8], *t = q;
	size_t plen[8], np = 0, n, i, off = 0;
	char parent[160] = "";

	while (np < 8 && (n = isg__repo_parse_ident_len(t, e)) != 0) {
		part[np] = t;
		plen[np++] = n;
		t += n;
		if (t + 1 < e && *t == '.' && t[1] != '.')
			t++;
		else
			break;
	}
	if (np < 2 || (plen[0] == 4 && memcmp(part[0], "this", 4) == 0))
		return 0;
	t = isg__repo_parse_skip_ws(t, e);
	if (t >= e || *t != '=' || (t + 1 < e && (t[1] == '=' || t[1] == '>')))
		return 0;
	t = isg__repo_parse_skip_ws(t + 1, e);
	if (t >= e || !js_function_value(t, e))
		return 0;
	for (i = 0; i + 1 < np; i++) {
		int drop = (plen[i] == 9 &&
		            memcmp(part[i], "prototype", 9) == 0) ||
		           (i == 0 && plen[i] == 7 &&
		            memcmp(part[i], "exports", 7) == 0) ||
		           (i == 0 && np > 2 && plen[i] == 6 &&
		            memcmp(part[i], "module", 6) == 0 && plen[1] == 7 &&
		            memcmp(part[1], "exports", 7) == 0) ||
		           (i == 1 && plen[i] == 7 && off == 0 &&
		            memcmp(part[i], "exports", 7) == 0);

		if (drop || off + plen[i] + 2 >= sizeof(parent))
			continue;
		if (off)
			parent[off++] = '.';
		memcpy(parent + off, part[i], plen[i]);
		off += plen[i];
		parent[off] = '\0';
	}
	*rc = isg__repo_parse_add_def(s, part[np - 1], plen[np - 1],
	                              off ? "method" : "function",
	                              off ? parent : NULL, line);
	return 1;
}

/* A `const`, `let` or `var` whose name starts at R: a definition when
 * its value is a function (`function`, `async function`, an arrow). */
static int js_variable(pstate *s, const char *r, const char *e,
                       unsigned int line)
{
	size_t n = isg__repo_parse_ident_len(r, e);
	const char *t = isg__repo_parse_skip_ws(r + n, e);

	if (n && t < e && *t == '=') {
		t = isg__repo_parse_skip_ws(t + 1, e);
		if (isg__repo_parse_kw(t, e, "async"))
			t = isg__repo_parse_kw(t, e, "async");
		if ((size_t)(e - t) >= 8 && memcmp(t, "function", 8) == 0)
			return isg__repo_parse_add_def(s, r, n, "function",
			                               NULL, line);
		if (isg__repo_parse_find(t, e, "=>") &&
		    (*t == '(' || isg__repo_parse_is_id0((unsigned char)*t)))
			return isg__repo_parse_add_def(s, r, n, "function",
			                               NULL, line);
	}
	return ISG_OK;
}

/* A method: name(args) { or name = (args) => inside a class body. */
static int js_method(pstate *s, const char *q, const char *e,
                     const char *parent, unsigned int line)
{
	size_t n = isg__repo_parse_ident_len(q, e);
	const char *paren;

	if (!n || is_keyword(q, n))
		return ISG_OK;
	paren = isg__repo_parse_skip_ws(q + n, e);
	if (paren < e && *paren == '<') {
		const char *gt = memchr(paren, '>', (size_t)(e - paren));

		paren = gt ? isg__repo_parse_skip_ws(gt + 1, e) : e;
	}
	/* The byte after the line (its line break) is looked at too, so
	 * that `name(a):` at the end of a line still opens a body; the last
	 * line of a file has no such byte (reading it overflowed the text). */
	if (paren < e && *paren == '(' &&
	    opens_body(paren, e < s->end ? e + 1 : e))
		return isg__repo_parse_add_def(s, q, n, "method", parent, line);
	if (paren < e && *paren == '=' && isg__repo_parse_find(paren, e, "=>"))
		return isg__repo_parse_add_def(s, q, n, "method", parent, line);
	return ISG_OK;
}

int isg__repo_parse_js_line(pstate *s, const char *p, const char *e,
                            unsigned int line)
{
	static const char *const mods[] = { "export",   "default",  "declare",
		                            "async",    "abstract", "static",
		                            "public",   "private",  "protected",
		                            "readonly", "override", "get",
		                            "set" };
	const char *q = isg__repo_parse_skip_ws(p, e), *r;
	const char *parent = isg__repo_parse_class_parent(s, s->depth);
	size_t n;
	int rc = ISG_OK;

	if (q >= e || *q == '/' || *q == '*')
		return ISG_OK;
	if (isg__repo_parse_kw(q, e, "import") ||
	    isg__repo_parse_kw(q, e, "export")) {
		const char *f = isg__repo_parse_find(q, e, " from ");

		if (f)
			return quoted_import(s, f + 6, e);
		if ((r = isg__repo_parse_kw(q, e, "import")) &&
		    (*r == '\'' || *r == '"'))
			return quoted_import(s, r, e);
	}
	if ((r = isg__repo_parse_find(q, e, "require(")) &&
	    (r == q || !isg__repo_parse_is_id((unsigned char)r[-1])))
		return quoted_import(s, r + 8, e);
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if ((r = isg__repo_parse_kw(q, e, "class")) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		isg__repo_parse_push_scope(s, r, n, s->depth + 1, 1);
		return isg__repo_parse_add_def(s, r, n, "class", NULL, line);
	}
	if ((r = isg__repo_parse_kw(q, e, "function")) ||
	    (r = isg__repo_parse_kw(q, e, "function*")) ||
	    ((size_t)(e - q) > 9 && memcmp(q, "function*", 9) == 0 &&
	     (r = isg__repo_parse_skip_ws(q + 9, e)))) {
		if (r < e && *r == '*')
			r = isg__repo_parse_skip_ws(r + 1, e);
		return isg__repo_parse_add_def(s, r,
		                               isg__repo_parse_ident_len(r, e),
		                               "function", NULL, line);
	}
	if (((r = isg__repo_parse_kw(q, e, "interface")) ||
	     (r = isg__repo_parse_kw(q, e, "enum")) ||
	     (r = isg__repo_parse_kw(q, e, "namespace"))) &&
	    (n = isg__repo_parse_ident_len(r, e)))
		return isg__repo_parse_add_def(s, r, n,
		                               q[0] == 'i'   ? "interface"
		                               : q[0] == 'e' ? "enum"
		                                             : "module",
		                               NULL, line);
	if ((r = isg__repo_parse_kw(q, e, "type")) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		const char *t = isg__repo_parse_skip_ws(r + n, e);

		if (t < e && (*t == '=' || *t == '<'))
			return isg__repo_parse_add_def(s, r, n, "type", NULL,
			                               line);
	}
	if ((r = isg__repo_parse_kw(q, e, "const")) ||
	    (r = isg__repo_parse_kw(q, e, "let")) ||
	    (r = isg__repo_parse_kw(q, e, "var")))
		return js_variable(s, r, e, line);
	if (js_bound_function(s, q, e, line, &rc))
		return rc;
	if (!parent)
		return ISG_OK;
	return js_method(s, q, e, parent, line);
}

/* Skips annotations before a declaration on the same line:
 * `@Override public void run() {`, `@JsonProperty("a") String a() {`. */
static const char *skip_annotations(const char *q, const char *e)
{
	while (q < e && *q == '@') {
		size_t n = isg__repo_parse_ident_len(q + 1, e);

		q += 1 + n;
		while (q < e && *q == '.' &&
		       (n = isg__repo_parse_ident_len(q + 1, e)))
			q += 1 + n;
		if (q < e && *q == '(') {
			int d = 0;

			for (; q < e; q++) {
				d += *q == '(' ? 1 : *q == ')' ? -1 : 0;
				if (d == 0)
					break;
			}
			if (q >= e)
				return e;
			q++;
		}
		if (n == 0)
			return e;
		q = isg__repo_parse_skip_ws(q, e);
	}
	return q;
}

int isg__repo_parse_java_line(pstate *s, const char *p, const char *e,
                              unsigned int line)
{
	static const char *const mods[] = {
		"public",   "private",      "protected", "static",  "final",
		"abstract", "synchronized", "native",    "default", "sealed",
		"strictfp", "non-sealed",   "transient"
	};
	const char *q = isg__repo_parse_skip_ws(p, e), *r, *paren;
	const char *parent = isg__repo_parse_class_parent(s, s->depth);
	size_t n;

	if (q < e && *q == '@' && !isg__repo_parse_kw(q, e, "@interface"))
		q = skip_annotations(q, e);
	if (q >= e || *q == '/' || *q == '*' || *q == '@')
		return ISG_OK;
	if ((r = isg__repo_parse_kw(q, e, "import"))) {
		const char *t = isg__repo_parse_kw(r, e, "static"), *en;

		r = t ? t : r;
		en = memchr(r, ';', (size_t)(e - r));
		return isg__repo_parse_add_import(
		        s, r, en ? (size_t)(en - r) : (size_t)(e - r));
	}
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if (((r = isg__repo_parse_kw(q, e, "class")) ||
	     (r = isg__repo_parse_kw(q, e, "interface")) ||
	     (r = isg__repo_parse_kw(q, e, "enum")) ||
	     (r = isg__repo_parse_kw(q, e, "record")) ||
	     (r = isg__repo_parse_kw(q, e, "@interface"))) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		const char *k = q[0] == 'c'   ? "class"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'r' ? "class"
		                              : "interface";

		isg__repo_parse_push_scope(s, r, n, s->depth + 1, 1);
		return isg__repo_parse_add_def(s, r, n, k, parent, line);
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
	return isg__repo_parse_add_def(s, r, n, "method", parent, line);
}

/* An `impl` block whose generics or type start at R: a scope named for
 * the type (the last part of its path), the type after `for` in
 * `impl Trait for Type`. */
static int rust_impl(pstate *s, const char *r, const char *e, unsigned int line)
{
	const char *t, *name;
	size_t n;

	if (*r == '<') { /* skip generic parameters */
		int d = 0;

		for (; r < e; r++) {
			d += *r == '<' ? 1 : *r == '>' ? -1 : 0;
			if (d == 0)
				break;
		}
		r = isg__repo_parse_skip_ws(r + 1, e);
	}
	name = r;
	t = isg__repo_parse_find(r, e, " for ");
	if (t)
		name = isg__repo_parse_skip_ws(t + 5, e);
	while (name < e && (*name == '&' || *name == '\''))
		name++;
	n = isg__repo_parse_ident_len(name, e);
	/* a path such as fmt::Display: keep the last part */
	while (n && name + n + 2 < e && name[n] == ':' && name[n + 1] == ':') {
		name += n + 2;
		n = isg__repo_parse_ident_len(name, e);
	}
	isg__repo_parse_push_scope(s, name, n, s->depth + 1, 1);
	return isg__repo_parse_add_def(s, name, n, "impl", NULL, line);
}

int isg__repo_parse_rust_line(pstate *s, const char *p, const char *e,
                              unsigned int line)
{
	static const char *const mods[] = { "pub",        "pub(crate)",
		                            "pub(super)", "async",
		                            "const",      "unsafe",
		                            "default",    "extern" };
	const char *q = isg__repo_parse_skip_ws(p, e), *r;
	const char *parent = isg__repo_parse_class_parent(s, s->depth);
	size_t n;

	if (q >= e || *q == '/' || *q == '#')
		return ISG_OK;
	if ((r = isg__repo_parse_kw(q, e, "use")) ||
	    ((r = isg__repo_parse_kw(q, e, "pub")) &&
	     (r = isg__repo_parse_kw(r, e, "use")))) {
		const char *en = r;

		while (en < e && (isg__repo_parse_is_id((unsigned char)*en) ||
		                  *en == ':'))
			en++;
		while (en > r && en[-1] == ':')
			en--;
		return isg__repo_parse_add_import(s, r, (size_t)(en - r));
	}
	if ((r = isg__repo_parse_kw(q, e, "extern")) &&
	    (r = isg__repo_parse_kw(r, e, "crate")))
		return isg__repo_parse_add_import(
		        s, r, isg__repo_parse_ident_len(r, e));
	q = strip_mods(q, e, mods, ISG__ARRAY_SIZE(mods));
	if (q < e && *q == '"') { /* extern "C" fn */
		const char *en = memchr(q + 1, '"', (size_t)(e - q - 1));

		q = en ? isg__repo_parse_skip_ws(en + 1, e) : e;
	}
	if ((r = isg__repo_parse_kw(q, e, "fn")) &&
	    (n = isg__repo_parse_ident_len(r, e)))
		return isg__repo_parse_add_def(
		        s, r, n, parent ? "method" : "function", parent, line);
	if ((r = isg__repo_parse_kw(q, e, "impl")) ||
	    ((size_t)(e - q) > 5 && memcmp(q, "impl<", 5) == 0))
		return rust_impl(s, r ? r : q + 4, e, line);
	if (((r = isg__repo_parse_kw(q, e, "struct")) ||
	     (r = isg__repo_parse_kw(q, e, "enum")) ||
	     (r = isg__repo_parse_kw(q, e, "union")) ||
	     (r = isg__repo_parse_kw(q, e, "trait")) ||
	     (r = isg__repo_parse_kw(q, e, "type")) ||
	     (r = isg__repo_parse_kw(q, e, "mod"))) &&
	    (n = isg__repo_parse_ident_len(r, e))) {
		const char *k = q[0] == 's'   ? "struct"
		                : q[0] == 'e' ? "enum"
		                : q[0] == 'u' ? "union"
		                : q[1] == 'r' ? "trait"
		                : q[0] == 't' ? "type"
		                              : "module";

		if (q[1] == 'r')
			isg__repo_parse_push_scope(s, r, n, s->depth + 1, 1);
		return isg__repo_parse_add_def(s, r, n, k, NULL, line);
	}
	if ((r = isg__repo_parse_kw(q, e, "macro_rules!")) &&
	    (n = isg__repo_parse_ident_len(r, e)))
		return isg__repo_parse_add_def(s, r, n, "macro", NULL, line);
	return ISG_OK;
}
