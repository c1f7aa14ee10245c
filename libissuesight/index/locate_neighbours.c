/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate graph: the import-graph neighbour boost. A fix that touches
 * several files usually touches files that import one another (a class and
 * the module that registers it, a function and its caller). After the
 * first ranking, a file that imports, or is imported by, one of the two
 * best files and that matches the text well on its own gets a
 * small boost, capped so that it never overtakes the best file. Imports
 * are resolved the Python way (dotted names, relative `.x` imports,
 * `src/` and `lib/` layouts), which is where the benchmark's multi-file
 * fixes live; other languages' imports rarely resolve and are left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

/* Turns `name` as imported by file `from` into a lower-cased
 * '/'-separated module path ("astropy.io.fits" -> "astropy/io/fits"; a
 * relative ".core" from "pkg/sub/x" -> "pkg/sub/core"). Returns 0 when it
 * does not fit or climbs above the root. */
static int module_key(char *out, size_t n, const isg__rfile *from,
                      const char *name)
{
	const char *base = from->stem_path, *end = base + strlen(base);
	size_t dots = 0, len = 0, i;

	while (name[dots] == '.')
		dots++;
	if (dots) {
		/* One dot is the importing file's own package. */
		for (i = 0; i < dots; i++) {
			while (end > base && end[-1] != '/')
				end--;
			if (i + 1 < dots) {
				if (end == base)
					return 0;
				end--;
			}
		}
		len = (size_t)(end - base);
		if (len >= n)
			return 0;
		memcpy(out, base, len);
		if (len && out[len - 1] == '/' && !name[dots])
			len--; /* `from . import x`: the package itself */
	}
	for (i = dots; name[i]; i++) {
		char ch = name[i] == '.' ? '/' : name[i];

		if (len + 1 >= n)
			return 0;
		out[len++] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
	}
	out[len] = '\0';
	return len > 0;
}

/* Whether module path `key` names file f: `key.py`, `key/__init__.py`,
 * or either under a `src/` or `lib/` directory. */
static int key_names(const char *key, const isg__rfile *f)
{
	const char *s = f->stem_path;
	size_t k = strlen(key);

	if (strncmp(s, "src/", 4) == 0 || strncmp(s, "lib/", 4) == 0)
		if (strncmp(s + 4, key, k) == 0 &&
		    (s[4 + k] == '\0' || strcmp(s + 4 + k, "/__init__") == 0))
			return 1;
	return strncmp(s, key, k) == 0 &&
	       (s[k] == '\0' || strcmp(s + k, "/__init__") == 0);
}

/* Whether file `a` imports file `b`. */
static int imports_file(const isg_repo *r, size_t a, size_t b)
{
	const isg__rfile *fa = &r->files[a];
	size_t i;
	char key[512];

	for (i = 0; i < fa->imp_count; i++)
		if (module_key(key, sizeof(key), fa,
		               r->imports[fa->imp_start + i]) &&
		    key_names(key, &r->files[b]))
			return 1;
	return 0;
}

static int cmp_lranked(const void *a, const void *b)
{
	const isg__lranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->file < y->file ? -1 : x->file > y->file;
}

int isg__locate_neighbours(isg__lctx *c, isg__lranked *rk, size_t n)
{
	const isg_repo *r = c->repo;
	size_t i, t, window = n < NEIGH_WINDOW ? n : NEIGH_WINDOW;
	double cap;
	int moved = 0;

	if (n < 3 || rk[0].score <= 0.0)
		return ISG_OK;
	/* Strictly below the best file: the boost reorders ranks 2 and
	 * down, never the first. */
	cap = rk[0].score * NEIGH_CAP;
	for (i = 2; i < window; i++) {
		size_t f = rk[i].file;
		double own = c->bm25_n[f], boost;

		/* Only a file that matches the issue on its own: in a
		 * package where everything imports everything, being a
		 * neighbour says little. */
		if (own < NEIGH_MIN_TEXT || rk[i].score >= cap)
			continue;
		for (t = 0; t < 2; t++) {
			size_t top = rk[t].file;

			if (!imports_file(r, f, top) &&
			    !imports_file(r, top, f))
				continue;
			boost = W_NEIGH * own;
			rk[i].score = rk[i].score + boost < cap
			                      ? rk[i].score + boost
			                      : cap;
			c->neigh[f] = top + 1;
			moved = 1;
			break;
		}
	}
	if (moved)
		qsort(rk + 1, n - 1, sizeof(*rk), cmp_lranked);
	return ISG_OK;
}
