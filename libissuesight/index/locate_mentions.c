/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate text: reads an issue the way a maintainer does, looking for what
 * it names: paths and file names, stack-trace frames (Python, JavaScript,
 * C-style file:line), dotted module paths, and identifiers that look like
 * code (in backticks or code blocks, CamelCase, snake_case, calls). The
 * text is treated as bytes: anything that is not ASCII is a separator, so
 * invalid UTF-8 cannot hurt.
 */
#include <string.h>

#include "repo_int.h"

#define MODULE "locate"
#define MAX_MENTIONS 2000

static const char *const code_exts[] = {
	"py",    "pyi",  "pyx",  "c",   "h",    "cc",   "cpp",   "cxx",
	"hpp",   "hh",   "go",   "js",  "mjs",  "cjs",  "jsx",   "ts",
	"tsx",   "java", "rs",   "rb",  "php",  "cs",   "kt",    "scala",
	"swift", "m",    "sh",   "cfg", "ini",  "toml", "yml",   "yaml",
	"json",  "rst",  "md",   "txt", "html", "css",  "scss",  "vue",
	"sql",   "lua",  "pl",   "r",   "jl",   "mk",   "cmake", "proto",
	"in",    "erb",  "tmpl", "j2",
};

/* Words that look like code but name nothing in particular. */
static const char *const stop_idents[] = {
	"self",      "cls",      "this",    "None",      "True",      "False",
	"null",      "true",     "false",   "undefined", "def",       "class",
	"return",    "import",   "from",    "print",     "str",       "int",
	"float",     "bool",     "list",    "dict",      "set",       "tuple",
	"len",       "range",    "type",    "object",    "np",        "pd",
	"plt",       "os",       "sys",     "the",       "and",       "for",
	"not",       "with",     "if",      "else",      "elif",      "while",
	"try",       "except",   "raise",   "pass",      "lambda",    "yield",
	"in",        "is",       "or",      "as",        "var",       "let",
	"const",     "function", "new",     "void",      "static",    "public",
	"private",   "func",     "fn",      "end",       "nil",       "err",
	"Traceback", "File",     "line",    "Error",     "Exception", "python",
	"pip",       "install",  "version", "Python",    "main",      "test",
	"args",      "kwargs",   "value",   "result",    "data",      "name",
	"foo",       "bar",      "baz",     "https",     "http",      "www",
	"com",       "github",   "org",     "html",      "png",
};

static int is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static int is_pathc(int c)
{
	return is_id(c) || c == '.' || c == '/' || c == '\\' || c == '-';
}

static int known_ext(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(code_exts); i++)
		if (strlen(code_exts[i]) == n &&
		    isg__text_ncasecmp(s, code_exts[i], n) == 0)
			return 1;
	return 0;
}

static int is_stop(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(stop_idents); i++)
		if (strlen(stop_idents[i]) == n &&
		    memcmp(s, stop_idents[i], n) == 0)
			return 1;
	return 0;
}

static int add(isg__mentions *m, const char *s, size_t n, int type,
               double weight, unsigned int line)
{
	size_t i, h = (size_t)type * 31u, slot;
	char *copy;

	if (!n || n > 300)
		return ISG_OK;
	for (i = 0; i < n; i++)
		h = h * 131u + (unsigned char)(s[i] == '\\' ? '/' : s[i]);
	/* Open addressing over 4096 slots (twice MAX_MENTIONS) keeps the
	 * de-duplication linear even for a megabyte of issue text. */
	for (slot = h & 4095u; m->slots[slot]; slot = (slot + 1) & 4095u) {
		isg__mention *e = &m->items[m->slots[slot] - 1];
		size_t k;
		int same = e->type == type && strlen(e->text) == n;

		for (k = 0; same && k < n; k++)
			if (e->text[k] != (s[k] == '\\' ? '/' : s[k]))
				same = 0;
		if (!same)
			continue;
		{
			if (weight > e->weight)
				e->weight = weight;
			if (line && !e->line)
				e->line = line;
			return ISG_OK;
		}
	}
	if (m->len >= MAX_MENTIONS)
		return ISG_OK;
	if (m->len == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 32;
		isg__mention *ni =
		        isg__alloc_realloc(m->items, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		m->items = ni;
		m->cap = nc;
	}
	copy = isg__alloc_strndup(s, n);
	if (!copy)
		return isg__error_oom(MODULE);
	for (i = 0; i < n; i++)
		if (copy[i] == '\\')
			copy[i] = '/';
	m->items[m->len].text = copy;
	m->items[m->len].type = type;
	m->items[m->len].weight = weight;
	m->items[m->len].line = line;
	m->items[m->len].order = (unsigned int)m->len;
	m->len++;
	m->slots[slot] = m->len;
	return ISG_OK;
}

static unsigned int read_uint(const char *p, const char *e)
{
	unsigned int v = 0;
	int digits = 0;

	while (p < e && *p >= '0' && *p <= '9' && digits < 9) {
		v = v * 10 + (unsigned int)(*p - '0');
		p++;
		digits++;
	}
	return v;
}

/* Looks at a path-like run [s, e) of the text t..end. */
static int path_run(isg__mentions *m, const char *t, const char *end,
                    const char *s, const char *e, int code)
{
	const char *dot = NULL, *p, *after = e, *orig = s;
	int slash = 0, frame = 0, parts = 1, ident_parts = 1;
	unsigned int line = 0;

	while (e > s && (e[-1] == '.' || e[-1] == '-' || e[-1] == '/'))
		e--;
	while (s < e && (*s == '.' || *s == '/' || *s == '-') &&
	       !(e - s > 2 && s[0] == '.' && s[1] == '/'))
		s++;
	if (e - s > 2 && s[0] == '.' && s[1] == '/')
		s += 2;
	if (e - s > 2 && (s[0] == 'a' || s[0] == 'b') && s[1] == '/')
		s += 2; /* diff prefixes a/ and b/ */
	if (e - s < 3)
		return ISG_OK;
	/* An installed copy (.../site-packages/pkg/x.py) is the repository's
	 * pkg/x.py: keep the part after the last packages directory, which
	 * then resolves as a suffix of a repository path (src/pkg/x.py). */
	for (p = e; p > s; p--)
		if (e - p > 2 && p - s >= 14 && p[-1] == '/' &&
		    (memcmp(p - 14, "site-packages/", 14) == 0 ||
		     memcmp(p - 14, "dist-packages/", 14) == 0)) {
			s = p;
			break;
		}
	for (p = s; p < e; p++) {
		if (*p == '/' || *p == '\\')
			slash = 1;
		if (*p == '.') {
			dot = p;
			parts++;
			if (p + 1 >= e || !is_id0((unsigned char)p[1]))
				ident_parts = 0;
		}
		if (*p == '-' && !slash)
			ident_parts = 0;
	}
	if (!is_id0((unsigned char)*s))
		ident_parts = 0;
	/* The frame context: File "path", line N  /  path:N  /  (path:N:M) */
	if (orig - t >= 6 && memcmp(orig - 6, "File \"", 6) == 0) {
		const char *q = after;

		frame = 1;
		while (q < end && *q != '\n' && (q - after) < 12 && *q != ',')
			q++;
		if (q + 7 < end && memcmp(q, ", line ", 7) == 0)
			line = read_uint(q + 7, end);
	} else if (after < end && *after == ':' && after + 1 < end &&
	           after[1] >= '0' && after[1] <= '9') {
		line = read_uint(after + 1, end);
		frame = slash || dot;
	}
	if (dot && dot + 1 < e && known_ext(dot + 1, (size_t)(e - dot - 1)) &&
	    (slash || is_id((unsigned char)dot[-1])))
		return add(m, s, (size_t)(e - s),
		           frame ? ISG__M_FRAME : ISG__M_PATH, code ? 1.0 : 0.8,
		           line);
	if (slash && !dot && code && e - s > 4)
		return add(m, s, (size_t)(e - s), ISG__M_PATH, 0.6, 0);
	if (!slash && parts >= 2 && ident_parts)
		return add(m, s, (size_t)(e - s), ISG__M_MODULE,
		           code ? 1.0 : 0.8, 0);
	return ISG_OK;
}

static int looks_like_code(const char *s, size_t n, int code, int call)
{
	size_t i;
	int lower = 0, inner_upper = 0, underscore = 0;

	if (n < 3 || n > 80 || is_stop(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			lower = 1;
		else if (s[i] >= 'A' && s[i] <= 'Z' && i > 0 && lower)
			inner_upper = 1;
		else if (s[i] == '_' && i > 0 && i + 1 < n)
			underscore = 1;
	}
	if (code)
		return 2;
	if ((inner_upper && s[0] >= 'A' && s[0] <= 'Z') || underscore)
		return 1;
	if (inner_upper || call)
		return 1;
	return 0;
}

/* Data and markup files named in a link to another project's
 * repository say nothing about this one. */
static int data_ext(const char *s, size_t n)
{
	static const char *const exts[] = { "yml", "yaml", "json", "toml",
		                            "cfg", "ini",  "txt",  "md",
		                            "rst", "html", "lock" };
	const char *dot = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '.')
			dot = s + i;
	if (!dot)
		return 1;
	for (i = 0; i < ISG__ARRAY_SIZE(exts); i++)
		if ((size_t)(s + n - dot - 1) == strlen(exts[i]) &&
		    isg__text_ncasecmp(dot + 1, exts[i], strlen(exts[i])) == 0)
			return 1;
	return 0;
}

static int has_github(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 11 <= n; i++)
		if (memcmp(s + i, "github.com/", 11) == 0)
			return 1;
	return 0;
}

static int url_end(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ')' ||
	       c == '>' || c == ']' || c == '"' || c == '\'' || c == '`' ||
	       c == '<';
}

/* Blanks (with spaces, keeping line breaks) what an issue says that is not
 * about the code: HTML comments (the hidden instructions of issue
 * templates) and URLs. A link to a source file on GitHub
 * (github.com/OWNER/REPO/blob/REF/PATH) keeps its PATH, which the path
 * rules below then read; links to data or markup files are dropped with
 * the rest, since they usually point at another project's configuration. */
/* 1 when line [s, e) belongs to an environment dump: blank, a rule of
 * dashes or equals signs, `[GCC 7.3.0]`, or `name: value` with no space in
 * the name. */
static int dump_line(const char *s, const char *e)
{
	const char *c;

	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s == e || *s == '-' || *s == '=' || *s == '[')
		return 1;
	c = memchr(s, ':', (size_t)(e - s));
	return c && c > s && c - s <= 40 && !memchr(s, ' ', (size_t)(c - s)) &&
	       *s != '<' && *s != '`' && *s != '#';
}

static char *find_bytes(char *p, const char *e, const char *s)
{
	size_t n = strlen(s);

	for (; p + n <= e; p++)
		if (*p == *s && memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

/* Blanks the version dump of `xr.show_versions()` / `pd.show_versions()`
 * and the like: from a line holding "INSTALLED VERSIONS" to the first line
 * that is not `name: value` (`python-bits: 64`, `LC_ALL: None`). Its words
 * match the project's own version-printing module, never the bug. */
void isg__locate_blank_dumps(char *t, size_t len)
{
	char *p = t, *end = t + len, *h;

	while ((h = find_bytes(p, end, "INSTALLED VERSIONS")) != NULL) {
		char *q = h, *nl;

		while (q < end) {
			nl = memchr(q, '\n', (size_t)(end - q));
			if (!nl)
				nl = end;
			if (q != h && !dump_line(q, nl))
				break;
			for (; q < nl; q++)
				*q = ' ';
			q = nl < end ? nl + 1 : end;
		}
		p = q;
	}
}

void isg__locate_clean(char *t, size_t len)
{
	size_t i = 0, j;

	isg__locate_blank_dumps(t, len);
	while (i < len) {
		if (len - i >= 4 && memcmp(t + i, "<!--", 4) == 0) {
			for (j = i; j < len; j++) {
				if (len - j >= 3 &&
				    memcmp(t + j, "-->", 3) == 0) {
					memset(t + j, ' ', 3);
					break;
				}
				if (t[j] != '\n')
					t[j] = ' ';
			}
			i = j;
			continue;
		}
		if ((len - i >= 7 && memcmp(t + i, "http://", 7) == 0) ||
		    (len - i >= 8 && memcmp(t + i, "https://", 8) == 0) ||
		    (len - i >= 4 && memcmp(t + i, "www.", 4) == 0 &&
		     (i == 0 || !is_pathc((unsigned char)t[i - 1])))) {
			const char *blob;
			size_t keep_s = 0, keep_e = 0;

			for (j = i; j < len && !url_end((unsigned char)t[j]);
			     j++)
				;
			blob = NULL;
			if (j - i > 19) {
				size_t k;

				for (k = i; k + 6 <= j; k++)
					if (memcmp(t + k, "/blob/", 6) == 0 ||
					    memcmp(t + k, "/tree/", 6) == 0) {
						blob = t + k + 6;
						break;
					}
			}
			if (blob && has_github(t + i, (size_t)(blob - t - i)) &&
			    (size_t)(blob - t) < j) {
				/* skip the ref, keep the path up to '#' */
				const char *sl = memchr(blob, '/',
				                        (size_t)(t + j - blob));

				if (sl) {
					const char *h = memchr(
					        sl, '#', (size_t)(t + j - sl));

					keep_s = (size_t)(sl + 1 - t);
					keep_e = h ? (size_t)(h - t) : j;
					if (data_ext(t + keep_s,
					             keep_e - keep_s))
						keep_s = keep_e = 0;
				}
			}
			for (; i < j; i++)
				if (i < keep_s || i >= keep_e)
					t[i] = ' ';
			continue;
		}
		i++;
	}
}

/* Adds the identifiers inside the path-like run [S, Q) of a line ending
 * at LE that look like code; CODE says the run is in a code context. */
static int ident_run(isg__mentions *out, const char *s, const char *q,
                     const char *le, int code)
{
	int rc = ISG_OK;

	for (const char *r = s; r < q && rc == ISG_OK;) {
		if (is_id0((unsigned char)*r) &&
		    (r == s || !is_id((unsigned char)r[-1]))) {
			const char *b = r;
			int kind, call;

			while (r < q && is_id((unsigned char)*r))
				r++;
			call = r < le && *r == '(';
			kind = looks_like_code(b, (size_t)(r - b), code, call);
			if (kind)
				rc = add(out, b, (size_t)(r - b), ISG__M_IDENT,
				         kind == 2 ? 1.0 : 0.7, 0);
		} else {
			r++;
		}
	}
	return rc;
}

int isg__locate_mentions(isg__mentions *out, const char *text, size_t len)
{
	const char *p, *end;
	char *clean = NULL;
	int fence = 0, tick = 0, rc = ISG_OK;
	int trace = 0; /* inside a traceback block */

	memset(out, 0, sizeof(*out));
	out->slots = isg__alloc_calloc(4096, sizeof(*out->slots));
	clean = isg__alloc_malloc(len ? len : 1);
	if (!out->slots || !clean) {
		isg__alloc_free(clean);
		isg__alloc_free(out->slots);
		out->slots = NULL;
		return isg__error_oom(MODULE);
	}
	memcpy(clean, text, len);
	isg__locate_clean(clean, len);
	text = clean;
	p = text;
	end = text + len;
	while (p < end && rc == ISG_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q = p;
		int indented = 0;

		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		indented = q - p >= 4;
		if (le - q >= 3 &&
		    (memcmp(q, "```", 3) == 0 || memcmp(q, "~~~", 3) == 0)) {
			fence = !fence;
			tick = 0;
			p = nl ? nl + 1 : end;
			continue;
		}
		if (le - q >= 9 && memcmp(q, "Traceback", 9) == 0)
			trace = 1;
		else if (q == le)
			trace = 0;
		for (q = p; q < le && rc == ISG_OK;) {
			unsigned char c = (unsigned char)*q;
			int code =
			        fence || tick || trace || indented || *p == '>';

			if (c == '`') {
				tick = !tick;
				q++;
			} else if (is_pathc(c)) {
				const char *s = q;

				while (q < le && is_pathc((unsigned char)*q))
					q++;
				rc = path_run(out, text, end, s, q, code);
				if (rc == ISG_OK)
					rc = ident_run(out, s, q, le, code);
			} else {
				q++;
			}
		}
		if (!fence)
			tick = 0; /* inline code never spans lines */
		p = nl ? nl + 1 : end;
	}
	isg__alloc_free(clean);
	if (rc != ISG_OK)
		isg__locate_mentions_free(out);
	return rc;
}

void isg__locate_mentions_free(isg__mentions *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->len; i++)
		isg__alloc_free(m->items[i].text);
	isg__alloc_free(m->items);
	isg__alloc_free(m->slots);
	memset(m, 0, sizeof(*m));
}
