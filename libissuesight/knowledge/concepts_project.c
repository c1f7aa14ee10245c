/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_project: a project's concepts from its languages, dependencies
 * (given as names or read from requirements.txt, pyproject.toml, setup.cfg,
 * package.json, go.mod and Cargo.toml) and README. Manifests are outside
 * data: the readers here accept what they understand and skip the rest,
 * never failing on a malformed file.
 */
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "concepts"
#define MAX_NAME 200

typedef struct deps {
	char **v;
	size_t n, cap;
} deps;

static int deps_add(deps *d, const char *s, size_t n)
{
	char *c;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' ||
	             s[n - 1] == '\'' || s[n - 1] == '\r'))
		n--;
	while (n && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	if (n == 0 || n > MAX_NAME)
		return ISG_OK;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 32;
		char **nv = isg__alloc_realloc(d->v, nc * sizeof(*nv));

		if (!nv)
			return ISG_ENOMEM;
		d->v = nv;
		d->cap = nc;
	}
	c = isg__alloc_strndup(s, n);
	if (!c)
		return ISG_ENOMEM;
	d->v[d->n++] = c;
	return ISG_OK;
}

static void deps_dispose(deps *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		isg__alloc_free(d->v[i]);
	isg__alloc_free(d->v);
}

/* The package name at the start of a PEP 508 requirement ("numpy>=1.2",
 * "requests[socks]; python_version<'3'"). */
static size_t pep508_name(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\''))
		i++;
	while (i < n &&
	       ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
	        s[i] == '.'))
		i++;
	return i;
}

static int line_is(const char *l, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && memcmp(l, word, w) == 0;
}

/* One line of a setup.cfg: `install_requires =` and `tests_require =`
 * open a list continued by indented lines. */
static int scan_cfg_line(deps *d, const char *l, size_t n, int indented,
                         int *in_deps)
{
	int rc = ISG_OK;
	size_t k;

	if (line_is(l, n, "install_requires") ||
	    line_is(l, n, "tests_require")) {
		const char *eq = memchr(l, '=', n);

		*in_deps = 1;
		if (eq && (size_t)(eq - l) + 1 < n) {
			k = pep508_name(eq + 1, n - (size_t)(eq - l) - 1);
			rc = deps_add(d, eq + 1, k);
		}
	} else if (*in_deps && indented) {
		rc = deps_add(d, l, pep508_name(l, n));
	} else {
		*in_deps = 0;
	}
	return rc;
}

/* One line of a TOML manifest: keys of a dependencies table, or strings of
 * a `dependencies = [...]` array (PEP 621). */
static int scan_toml_line(deps *d, const char *l, size_t n, int in_table,
                          int *in_deps)
{
	int rc = ISG_OK;

	if (line_is(l, n, "dependencies") && memchr(l, '[', n)) {
		const char *q = memchr(l, '[', n);

		*in_deps = !memchr(l, ']', n);
		n -= (size_t)(q - l) + 1;
		l = q + 1;
	}
	if (in_table && !*in_deps) {
		const char *eq = memchr(l, '=', n);

		if (eq)
			rc = deps_add(d, l, (size_t)(eq - l));
		return rc;
	}
	if (*in_deps || memchr(l, '"', n)) {
		const char *q = memchr(l, '"', n);

		while (q && rc == ISG_OK && *in_deps) {
			size_t rest = n - (size_t)(q - l) - 1;
			const char *q2 = memchr(q + 1, '"', rest);

			if (!q2)
				break;
			rc = deps_add(d, q + 1,
			              pep508_name(q + 1, (size_t)(q2 - q - 1)));
			rest = n - (size_t)(q2 - l) - 1;
			q = memchr(q2 + 1, '"', rest);
		}
		if (memchr(l, ']', n))
			*in_deps = 0;
	}
	return rc;
}

/* Reads requirement-like lines: requirements.txt, and the dependency
 * sections of pyproject.toml, setup.cfg and Cargo.toml. `mode` says which
 * lines count: 'r' every line, 't' TOML, 'c' setup.cfg. */
static int scan_lines(deps *d, const char *text, char mode)
{
	const char *p = text;
	int in_deps = 0, in_table = 0, rc = ISG_OK;

	while (*p && rc == ISG_OK) {
		const char *e = strchr(p, '\n'), *l = p;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int indented = 0;

		p = e ? e + 1 : p + n;
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
			indented = 1;
		}
		if (n == 0 || *l == '#')
			continue;
		if (mode == 'r') {
			if (*l != '-')
				rc = deps_add(d, l, pep508_name(l, n));
			continue;
		}
		if (*l == '[') {
			/* [dependencies], [dev-dependencies],
			 * [tool.poetry.dependencies], [options] ... */
			in_table =
			        (memchr(l, ']', n) != NULL) &&
			        (strstr(l, "dependencies]") != NULL &&
			         (size_t)(strstr(l, "dependencies]") - l) < n);
			in_deps = 0;
			continue;
		}
		if (mode == 'c')
			rc = scan_cfg_line(d, l, n, indented, &in_deps);
		else
			rc = scan_toml_line(d, l, n, in_table, &in_deps);
	}
	return rc;
}

static int scan_go_mod(deps *d, const char *text)
{
	const char *p = text;
	int block = 0, rc = ISG_OK;

	while (*p && rc == ISG_OK) {
		const char *e = strchr(p, '\n'), *l = p;
		size_t n = e ? (size_t)(e - p) : strlen(p), k = 0;

		p = e ? e + 1 : p + n;
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		if (line_is(l, n, "require (")) {
			block = 1;
			continue;
		}
		if (block && line_is(l, n, ")")) {
			block = 0;
			continue;
		}
		if (line_is(l, n, "require ")) {
			l += 8;
			n -= 8;
		} else if (!block) {
			continue;
		}
		while (k < n && l[k] != ' ' && l[k] != '\t')
			k++;
		rc = deps_add(d, l, k);
	}
	return rc;
}

static int scan_package_json(deps *d, const char *text)
{
	static const char *const keys[] = { "dependencies", "devDependencies",
		                            "peerDependencies" };
	cJSON *doc = cJSON_Parse(text);
	const cJSON *it;
	size_t i;
	int rc = ISG_OK;

	if (!doc)
		return ISG_OK; /* malformed manifests are skipped */
	for (i = 0; i < ISG__ARRAY_SIZE(keys) && rc == ISG_OK; i++)
		cJSON_ArrayForEach(it, isg__json_obj(doc, keys[i]))
		{
			if (it->string && rc == ISG_OK)
				rc = deps_add(d, it->string,
				              strlen(it->string));
		}
	cJSON_Delete(doc);
	return rc;
}

static int scan_manifest(deps *d, const char *name, const char *text)
{
	const char *base;

	if (!name || !text)
		return ISG_OK;
	base = isg__path_basename(name);
	if (strcmp(base, "package.json") == 0)
		return scan_package_json(d, text);
	if (strcmp(base, "go.mod") == 0)
		return scan_go_mod(d, text);
	if (strcmp(base, "setup.cfg") == 0)
		return scan_lines(d, text, 'c');
	if (strcmp(base, "pyproject.toml") == 0 ||
	    strcmp(base, "Cargo.toml") == 0 || strcmp(base, "Pipfile") == 0)
		return scan_lines(d, text, 't');
	if (strstr(base, "requirements") && strstr(base, ".txt"))
		return scan_lines(d, text, 'r');
	return ISG_OK;
}

int isg_concepts_for_project(isg_concepts_matches **out,
                             const isg_concepts *cat,
                             const isg_concepts_project *p)
{
	isg__concepts_matcher m = { 0 };
	deps d = { 0 };
	size_t i, k, ci, total = 0;
	double minc;
	int rc = ISG_OK;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!cat || !p)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "for_project: NULL catalog or project");
	if (p->version != ISG_CONCEPTS_PROJECT_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "project version %u is not %d",
		                      p->version, ISG_CONCEPTS_PROJECT_VERSION);
	if (!(p->min_confidence >= 0.0 && p->min_confidence <= 1.0))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "min_confidence %g is outside [0,1]",
		                      p->min_confidence);
	minc = p->min_confidence > 0 ? p->min_confidence : 0.25;
	rc = isg__concepts_matcher_init(&m, cat);
	if (rc != ISG_OK)
		return rc;
	for (i = 0; p->languages && i < p->nlanguages; i++)
		total += p->language_counts ? p->language_counts[i] : 1;
	for (i = 0; p->languages && i < p->nlanguages; i++) {
		double share = total ? (double)(p->language_counts
		                                        ? p->language_counts[i]
		                                        : 1) /
		                               (double)total
		                     : 0;

		ci = isg__concepts_language(cat, p->languages[i]);
		/* A language with under 2% of the code is a side detail. */
		if (ci == (size_t)-1 || share < 0.02)
			continue;
		isg__concepts_matcher_add(
		        &m, ci, 0.6 + 2.4 * share,
		        "language '%.40s' (%.0f%% of the code)",
		        p->languages[i], share * 100.0);
	}
	for (i = 0; rc == ISG_OK && p->dependencies && i < p->ndependencies;
	     i++)
		if (p->dependencies[i])
			rc = deps_add(&d, p->dependencies[i],
			              strlen(p->dependencies[i]));
	for (i = 0; rc == ISG_OK && p->manifest_texts && i < p->nmanifests; i++)
		rc = scan_manifest(
		        &d, p->manifest_names ? p->manifest_names[i] : NULL,
		        p->manifest_texts[i]);
	if (rc != ISG_OK) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < d.n; i++)
		for (ci = 0; ci < cat->n; ci++)
			for (k = 0; k < cat->items[ci].nimports; k++)
				if (isg__concepts_import_matches(
				            d.v[i],
				            cat->items[ci].imports[k])) {
					isg__concepts_matcher_add(
					        &m, ci, 1.2,
					        "dependency '%.80s'", d.v[i]);
					break;
				}
	if (p->readme)
		rc = isg__concepts_matcher_text(&m, p->readme,
		                                strlen(p->readme), "README",
		                                0.5, 0.15, 0);
	if (rc == ISG_OK && m.failed)
		rc = isg__error_oom(MOD);
	if (rc == ISG_OK)
		rc = isg__concepts_matcher_finish(
		        out, &m, minc, p->max_results ? p->max_results : 30);
done:
	deps_dispose(&d);
	isg__concepts_matcher_dispose(&m);
	return rc;
}
