/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse: line-oriented heuristic parsers that find definitions
 * (functions, classes, methods, types) with their line numbers, imports
 * and the first doc comment, for C, C++, Python, Go, JavaScript,
 * TypeScript, Java, Rust and Ruby. They never fail on odd input: the worst
 * a strange file can do is yield fewer definitions. This file holds the
 * driver (brace depth, block comments, one line parser per line) and the
 * doc-comment reader; the parts it drives: the line parsers of
 * repo_parse_script.c and repo_parse_brace.c, over the leaf helpers of
 * repo_parse_state.c (what is recorded) and repo_parse_lex.c.
 */
#include <string.h>

#include "repo_parse_int.h"

#define MODULE "repo"

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

/* ---- first doc comment ---- */

/* The first line of a doc comment, q..*ce (blanks trimmed): sets *mode
 * (1: line comments, 2: block, 3: triple quotes, 4: closed on this line),
 * the quote marker and *c, the start of the text. Returns 1 when a comment
 * starts, 0 for a line to skip (blank, #!), -1 for code. */
static int doc_start(const char *q, const char **ce, int *mode, char *marker,
                     const char **c, int hash_comments)
{
	if (q == *ce || (q[0] == '#' && q + 1 < *ce && q[1] == '!') ||
	    (q[0] == '#' && !hash_comments))
		return 0;
	if (*ce - q >= 3 &&
	    (memcmp(q, "\"\"\"", 3) == 0 || memcmp(q, "'''", 3) == 0)) {
		*mode = 3;
		memcpy(marker, q, 3);
		*c = q + 3;
		if (isg__repo_parse_find(*c, *ce, marker)) {
			*ce = isg__repo_parse_find(*c, *ce, marker);
			*mode = 4; /* closed on the same line */
		}
	} else if (*ce - q >= 2 && q[0] == '/' && q[1] == '*') {
		*mode = 2;
		*c = q + 2;
		while (*c < *ce && (**c == '*' || **c == '!'))
			(*c)++;
	} else if ((q[0] == '#' && hash_comments) ||
	           (*ce - q >= 2 && q[0] == '/' && q[1] == '/') ||
	           (*ce - q >= 2 && q[0] == '-' && q[1] == '-')) {
		*mode = 1;
		*c = q;
	} else {
		return -1;
	}
	return 1;
}

/* Narrows [*C, *CE) to the text of a comment line in MODE: drops the
 * line-comment marks, or a block's leading stars; a block or docstring
 * that closes on this line ends there, and the mode becomes 4 (done).
 * Q is the line's first non-blank. Returns the new mode. */
static int comment_text(const char **cp, const char **cep, int mode,
                        const char *q, const char *marker)
{
	const char *c = *cp, *ce = *cep;

	if (mode == 1)
		while (c < ce &&
		       (*c == '#' || *c == '/' || *c == '-' || *c == '!'))
			c++;
	if (mode == 2) {
		const char *end = c;

		while (end + 1 < ce && !(end[0] == '*' && end[1] == '/'))
			end++;
		if (end + 1 < ce) {
			ce = end;
			mode = 4;
		}
		while (c < ce && (*c == '*' || *c == ' '))
			c++;
	}
	if (mode == 3 && c == q && isg__repo_parse_find(c, ce, marker)) {
		ce = isg__repo_parse_find(c, ce, marker);
		mode = 4;
	}
	*cp = c;
	*cep = ce;
	return mode;
}

/* `hash_comments`: '#' starts a comment (Python, Ruby, shell). In the
 * brace languages a '#' line is a preprocessor line or an attribute: it
 * is skipped before the first comment and ends a run of line comments,
 * so that a C header's doc is not its include guard. */
static int extract_doc(isg__parsed *o, const char *t, const char *e,
                       int hash_comments)
{
	isg_buf doc = ISG_BUF_INIT;
	const char *p = t;
	int rc = ISG_OK, mode = 0; /* 1: line comments, 2: block, 3: """ */
	char marker[4] = "";

	while (p < e && rc == ISG_OK && doc.size < 500) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e,
		           *q = isg__repo_parse_skip_ws(p, le);
		const char *c = NULL, *ce = le;

		while (ce > q && (ce[-1] == '\r' || ce[-1] == ' '))
			ce--;
		if (mode == 0) {
			int st = doc_start(q, &ce, &mode, marker, &c,
			                   hash_comments);

			if (st < 0)
				break; /* code before any comment */
			if (st == 0) {
				p = le + 1;
				continue;
			}
		} else if (mode == 1) {
			if (!(q < ce && ((q[0] == '#' && hash_comments) ||
			                 (ce - q >= 2 &&
			                  ((q[0] == '/' && q[1] == '/') ||
			                   (q[0] == '-' && q[1] == '-'))))))
				break;
			c = q;
		} else {
			c = q;
		}
		mode = comment_text(&c, &ce, mode, q, marker);
		c = isg__repo_parse_skip_ws(c, ce);
		while (ce > c && (ce[-1] == ' ' || ce[-1] == '\t'))
			ce--; /* the blank before a closing star-slash */
		if (c < ce && !isg__repo_parse_find(c, ce, "SPDX-License") &&
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

/* Brace languages: closes the scopes the depth has left. A scope whose
 * `{` has not appeared yet (a Rust `where` clause, a Java `extends` on
 * the next line) waits a few lines for it. */
static void pop_scopes(pstate *s)
{
	scope *top = s->nstack ? &s->stack[s->nstack - 1] : NULL;

	if (top && top->pending) {
		if (s->depth >= top->indent)
			top->pending = 0;
		else if (--top->pending == 0)
			s->nstack--;
	}
	while (s->nstack && !s->stack[s->nstack - 1].pending &&
	       s->stack[s->nstack - 1].indent > s->depth)
		s->nstack--;
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
		fn = isg__repo_parse_python_line;
	} else if (strcmp(lang, "ruby") == 0) {
		fn = isg__repo_parse_ruby_line;
	} else if (strcmp(lang, "c") == 0 || strcmp(lang, "cpp") == 0) {
		fn = isg__repo_parse_c_line;
		braces = 1;
	} else if (strcmp(lang, "go") == 0) {
		fn = isg__repo_parse_go_line;
		braces = 1;
	} else if (strcmp(lang, "javascript") == 0 ||
	           strcmp(lang, "typescript") == 0) {
		fn = isg__repo_parse_js_line;
		braces = 1;
	} else if (strcmp(lang, "java") == 0 || strcmp(lang, "kotlin") == 0 ||
	           strcmp(lang, "csharp") == 0 || strcmp(lang, "scala") == 0) {
		fn = isg__repo_parse_java_line;
		braces = 1;
	} else if (strcmp(lang, "rust") == 0) {
		fn = isg__repo_parse_rust_line;
		braces = 1;
	}
	s.braces = braces;
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
			pop_scopes(&s);
		}
		p = nl ? nl + 1 : e;
	}
	out->lines = line;
	if (rc == ISG_OK)
		rc = extract_doc(out, text, e, !braces);
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
		isg__alloc_free(p->defs[i].name);
		isg__alloc_free(p->defs[i].parent);
	}
	for (i = 0; i < p->nimports; i++)
		isg__alloc_free(p->imports[i]);
	isg__alloc_free(p->defs);
	isg__alloc_free(p->imports);
	isg__alloc_free(p->doc);
	memset(p, 0, sizeof(*p));
}
