/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_llm_ground: the grounding rule of the llm engine. A path reaches
 * a bridge only when the offline bridge (made from the index) or the index
 * itself has it; in the model's prose, path-like words that are not
 * grounded are replaced, so that a confident but invented file name never
 * reaches a reader.
 */
#include <ctype.h>
#include <string.h>

#include "bridge_llm_int.h"

static const char unknown_file[] = "(a file not in the repository)";

/* Extensions that make a word without '/' a file name. */
static const char *const exts[] = {
	"c",     "h",   "cc",  "cpp",  "hpp",  "py",  "pyi",  "js",   "ts",
	"tsx",   "jsx", "go",  "rs",   "java", "kt",  "rb",   "php",  "cs",
	"swift", "md",  "rst", "txt",  "json", "yml", "yaml", "toml", "cfg",
	"ini",   "sh",  "sql", "html", "css",  "vue", "lock", "mk",   "cmake",
};

int isg__bridge_llm_grounded(const isg__bridge_llm_ground *g, const char *path)
{
	const isg_bridge_architecture *a;
	const isg_bridge_guide *gd;
	size_t i, k, idx;

	if (!path || !*path)
		return 0;
	a = isg_bridge_get_architecture(g->offline);
	gd = isg_bridge_get_guide(g->offline);
	for (i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i].path, path) == 0)
			return 1;
	for (i = 0; i < a->nread_these; i++)
		if (strcmp(a->read_these[i].path, path) == 0)
			return 1;
	if (a->entry_point && strcmp(a->entry_point, path) == 0)
		return 1;
	for (i = 0; i < gd->nsteps; i++)
		for (k = 0; k < gd->steps[i].nfiles; k++)
			if (strcmp(gd->steps[i].files[k], path) == 0)
				return 1;
	for (i = 0; i < gd->ncontributing; i++)
		if (strcmp(gd->contributing[i].path, path) == 0)
			return 1;
	return g->repo && isg_repo_file_find(&idx, g->repo, path) == ISG_OK;
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
	       c == '/' || (unsigned char)c >= 0x80;
}

/* 1 when a word looks like a file path: it has a '/' between two name
 * characters, or ends in a known extension. URLs and versions are not. */
static int path_like(const char *w, size_t n)
{
	const char *dot;
	size_t i;

	if (n < 3)
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (w[i] == '/' && w[i - 1] != '/' && w[i + 1] != '/' &&
		    isalpha((unsigned char)w[0]))
			return 1;
	dot = NULL;
	for (i = 0; i < n; i++)
		if (w[i] == '.')
			dot = w + i;
	if (!dot || dot == w || !isalpha((unsigned char)w[0]))
		return 0;
	for (i = 0; i < ISG__ARRAY_SIZE(exts); i++)
		if (strlen(exts[i]) == (size_t)(w + n - dot - 1) &&
		    strncmp(dot + 1, exts[i], strlen(exts[i])) == 0)
			return 1;
	return 0;
}

/* Whether the word at w (n bytes) is grounded, also as a base name of a
 * grounded file ("core.py" for "tinyseries/core.py"). */
static int word_grounded(const isg__bridge_llm_ground *g, const char *w,
                         size_t n)
{
	const isg_bridge_architecture *a =
	        isg_bridge_get_architecture(g->offline);
	char path[1024];
	size_t i;

	if (n >= sizeof(path))
		return 0;
	memcpy(path, w, n);
	path[n] = '\0';
	if (path[0] == '.' && path[1] == '/')
		memmove(path, path + 2, n - 1);
	if (isg__bridge_llm_grounded(g, path))
		return 1;
	if (strchr(path, '/'))
		return 0;
	for (i = 0; i < a->nfiles; i++)
		if (strcmp(isg__path_basename(a->files[i].path), path) == 0)
			return 1;
	return 0;
}

int isg__bridge_llm_scrub(isg_buf *out, isg__bridge_llm_ground *g,
                          const char *text)
{
	const char *p = text ? text : "";
	int rc = ISG_OK;

	isg__buf_clear(out);
	rc = isg_buf_set(out, "", 0);
	while (rc == ISG_OK && *p) {
		size_t n = 0;

		if (!word_char(*p)) {
			rc = isg__buf_putc(out, *p++);
			continue;
		}
		while (word_char(p[n]))
			n++;
		/* A sentence's full stop is not part of the name. */
		while (n > 1 && (p[n - 1] == '.' || p[n - 1] == '-'))
			n--;
		if (path_like(p, n) && !(p > text && p[-1] == ':') &&
		    !word_grounded(g, p, n)) {
			g->dropped++;
			rc = isg__buf_puts(out, unknown_file);
		} else {
			rc = isg_buf_put(out, p, n);
		}
		p += n;
	}
	return rc;
}

void isg__bridge_llm_slug(char *out, size_t n, const char *s)
{
	size_t j = 0;
	int dash = 0;

	for (; s && *s && j + 1 < n; s++) {
		char c = (char)tolower((unsigned char)*s);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && j > 0 && j + 2 < n)
				out[j++] = '-';
			dash = 0;
			out[j++] = c;
		} else {
			dash = 1;
		}
	}
	out[j] = '\0';
}
