/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_catalog: reading and validating the concept catalog (embedded,
 * from a file or from memory) into an isg_concepts: its arena (core),
 * the slug index, the hierarchy and the phrase table. The catalog is
 * outside data when it comes from a file, so every field is checked and
 * every rule (unique kebab-case slugs, existing parents, no cycle, a
 * description and a signal per concept) reported with the slug.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "issuesight/file.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "concepts"
#define MAX_FILE ISG__CONCEPTS_MAX_FILE
#define MAX_CONCEPTS 20000u

size_t isg__concepts_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

static int is_kebab(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '-' && s[i + 1] == '-')
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* Copies a JSON array of strings into the arena. A missing field is an
 * empty array; anything else that is not an array of non-empty strings is
 * an error naming the concept and field. */
static int copy_strings(const char *const **out, size_t *n, isg__arena *a,
                        const cJSON *obj, const char *key, const char *slug)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
	const char **v;
	size_t i = 0, cnt;

	*out = NULL;
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return ISG_OK;
	if (!cJSON_IsArray(arr))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept '%s': '%s' is not an array",
		                      slug, key);
	cnt = (size_t)cJSON_GetArraySize(arr);
	if (cnt > 4096)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept '%s': '%s' has %zu entries (max 4096)", slug,
		        key, cnt);
	v = isg__arena_alloc(a, (cnt ? cnt : 1) * sizeof(*v));
	if (!v)
		return isg__error_oom(MOD);
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || !it->valuestring[0])
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "concept '%s': entry %zu of '%s' is not a non-empty string",
			        slug, i, key);
		v[i] = isg__arena_strndup(a, it->valuestring,
		                          strlen(it->valuestring));
		if (!v[i])
			return isg__error_oom(MOD);
		i++;
	}
	*out = v;
	*n = i;
	return ISG_OK;
}

static int parse_level(int *out, const cJSON *v, const char *slug)
{
	if (!v) {
		*out = ISG_CONCEPT_INTERMEDIATE;
		return ISG_OK;
	}
	if (cJSON_IsString(v)) {
		if (strcmp(v->valuestring, "foundational") == 0)
			*out = ISG_CONCEPT_FOUNDATIONAL;
		else if (strcmp(v->valuestring, "intermediate") == 0)
			*out = ISG_CONCEPT_INTERMEDIATE;
		else if (strcmp(v->valuestring, "advanced") == 0)
			*out = ISG_CONCEPT_ADVANCED;
		else
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "concept '%s': unknown level '%.40s'", slug,
			        v->valuestring);
		return ISG_OK;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= 3 &&
	    v->valuedouble == floor(v->valuedouble)) {
		*out = (int)v->valuedouble;
		return ISG_OK;
	}
	return isg__error_set(
	        ISG_EINVALID, MOD,
	        "concept '%s': level must be foundational, intermediate, advanced or 1-3",
	        slug);
}

static int parse_concept(isg_concept *c, isg__arena *a, const cJSON *obj,
                         size_t idx)
{
	const char *slug = isg__json_str(obj, "slug");
	const char *name = isg__json_str(obj, "name");
	const char *desc = isg__json_str(obj, "description");
	const cJSON *w =
	        cJSON_GetObjectItemCaseSensitive(obj, "difficulty_weight");
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(obj, "signals");
	int rc;

	if (!cJSON_IsObject(obj))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept %zu is not an object", idx);
	if (!slug)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept %zu has no string 'slug'", idx);
	if (!is_kebab(slug))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept %zu: slug '%.80s' is not kebab-case (a-z, 0-9, single '-')",
		        idx, slug);
	if (!name || !name[0])
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept '%s' has no 'name'", slug);
	if (!desc || strlen(desc) < 20)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept '%s' has no 'description' (at least 20 characters)",
		        slug);
	c->slug = isg__arena_strndup(a, slug, strlen(slug));
	c->name = isg__arena_strndup(a, name, strlen(name));
	c->description = isg__arena_strndup(a, desc, strlen(desc));
	if (!c->slug || !c->name || !c->description)
		return isg__error_oom(MOD);
	rc = parse_level(&c->level,
	                 cJSON_GetObjectItemCaseSensitive(obj, "level"), slug);
	if (rc != ISG_OK)
		return rc;
	c->difficulty_weight = 0.3;
	if (w && (!cJSON_IsNumber(w) || !(w->valuedouble >= 0.0) ||
	          w->valuedouble > 1.0))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept '%s': difficulty_weight must be a number in [0,1]",
		        slug);
	if (w)
		c->difficulty_weight = w->valuedouble;
	rc = copy_strings(&c->parents, &c->nparents, a, obj, "parents", slug);
	if (rc != ISG_OK)
		return rc;
	if (sig && !cJSON_IsObject(sig))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept '%s': 'signals' is not an object", slug);
	rc = copy_strings(&c->keywords, &c->nkeywords, a, sig, "keywords",
	                  slug);
	if (rc == ISG_OK)
		rc = copy_strings(&c->imports, &c->nimports, a, sig, "imports",
		                  slug);
	if (rc == ISG_OK)
		rc = copy_strings(&c->files, &c->nfiles, a, sig, "files", slug);
	if (rc != ISG_OK)
		return rc;
	if (c->nkeywords + c->nimports + c->nfiles == 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept '%s' has no match signal (keywords, imports or files)",
		        slug);
	return ISG_OK;
}

static const isg_concepts *sort_cat; /* qsort has no payload argument */

static int cmp_slug(const void *a, const void *b)
{
	return strcmp(sort_cat->items[*(const size_t *)a].slug,
	              sort_cat->items[*(const size_t *)b].slug);
}

size_t isg__concepts_index(const isg_concepts *cat, const char *slug)
{
	size_t lo = 0, hi = cat->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cat->items[cat->by_slug[mid]].slug, slug);

		if (c == 0)
			return cat->by_slug[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

/* Depth-first walk over parent edges: state 1 = on the stack, 2 = done.
 * A parent found on the stack closes a cycle. The recursion depth is
 * bounded by the number of concepts, which the file size bounds. */
static int visit(isg_concepts *cat, size_t i, unsigned char *state)
{
	size_t k;
	int d = 0, rc;

	if (state[i] == 2)
		return ISG_OK;
	if (state[i] == 1)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "the parents of concept '%s' form a cycle",
		        cat->items[i].slug);
	state[i] = 1;
	for (k = 0; k < cat->items[i].nparents; k++) {
		size_t p = cat->parent_idx[cat->parent_off[i] + k];

		rc = visit(cat, p, state);
		if (rc != ISG_OK)
			return rc;
		if (cat->items[p].depth + 1 > d)
			d = cat->items[p].depth + 1;
	}
	cat->items[i].depth = d;
	state[i] = 2;
	return ISG_OK;
}

/* Resolves parents to indexes, rejects unknown ones and cycles, computes
 * depths and children. */
static int link_hierarchy(isg_concepts *cat)
{
	size_t i, k, total = 0;
	unsigned char *state = NULL;
	int rc = ISG_OK;

	for (i = 0; i < cat->n; i++)
		total += cat->items[i].nparents;
	cat->parent_idx =
	        isg__arena_alloc(&cat->arena, (total + 1) * sizeof(size_t));
	cat->parent_off =
	        isg__arena_alloc(&cat->arena, (cat->n + 1) * sizeof(size_t));
	cat->nchildren =
	        isg__arena_alloc(&cat->arena, (cat->n + 1) * sizeof(size_t));
	cat->children =
	        isg__arena_alloc(&cat->arena, (cat->n + 1) * sizeof(size_t *));
	state = isg__alloc_calloc(cat->n + 1, 1);
	if (!cat->parent_idx || !cat->parent_off || !cat->nchildren ||
	    !cat->children || !state) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	memset(cat->nchildren, 0, (cat->n + 1) * sizeof(size_t));
	total = 0;
	for (i = 0; i < cat->n; i++) {
		const isg_concept *c = &cat->items[i];

		cat->parent_off[i] = total;
		for (k = 0; k < c->nparents; k++) {
			size_t p = isg__concepts_index(cat, c->parents[k]);

			if (p == (size_t)-1) {
				rc = isg__error_set(
				        ISG_EINVALID, MOD,
				        "concept '%s': parent '%.80s' does not exist",
				        c->slug, c->parents[k]);
				goto done;
			}
			if (p == i) {
				rc = isg__error_set(
				        ISG_EINVALID, MOD,
				        "concept '%s' is its own parent",
				        c->slug);
				goto done;
			}
			cat->parent_idx[total++] = p;
			cat->nchildren[p]++;
		}
	}
	for (i = 0; i < cat->n; i++) {
		cat->children[i] = isg__arena_alloc(
		        &cat->arena, (cat->nchildren[i] + 1) * sizeof(size_t));
		if (!cat->children[i]) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		cat->nchildren[i] = 0;
	}
	for (i = 0; i < cat->n; i++)
		for (k = 0; k < cat->items[i].nparents; k++) {
			size_t p = cat->parent_idx[cat->parent_off[i] + k];

			cat->children[p][cat->nchildren[p]++] = i;
		}
	for (i = 0; i < cat->n && rc == ISG_OK; i++)
		rc = visit(cat, i, state);
done:
	isg__alloc_free(state);
	return rc;
}

static int phrase_known(const isg_concepts *cat, size_t ci,
                        const isg__concepts_tokens *t)
{
	const isg__concepts_phrase *ph;
	size_t j;

	for (ph = isg__concepts_phrases(cat, ISG__CONCEPTS_TOK(t, 0),
	                                t->items[0].len);
	     ph; ph = ph->next) {
		if (ph->concept != ci || ph->ntokens != t->n)
			continue;
		for (j = 0; j < t->n; j++)
			if (strcmp(ph->tokens[j], ISG__CONCEPTS_TOK(t, j)))
				break;
		if (j == t->n)
			return 1;
	}
	return 0;
}

/* Splits every keyword into stemmed tokens and files it under its first
 * token in an open hash table (chained). */
static int index_phrases(isg_concepts *cat)
{
	isg__concepts_tokens t = { 0 };
	size_t i, k, j, nphr = 0;
	int rc = ISG_OK;

	for (i = 0; i < cat->n; i++)
		nphr += cat->items[i].nkeywords;
	cat->tsize = 64;
	while (cat->tsize < nphr * 2)
		cat->tsize *= 2;
	cat->table =
	        isg__arena_alloc(&cat->arena, cat->tsize * sizeof(*cat->table));
	if (!cat->table)
		return isg__error_oom(MOD);
	memset(cat->table, 0, cat->tsize * sizeof(*cat->table));
	for (i = 0; i < cat->n; i++) {
		const isg_concept *c = &cat->items[i];

		for (k = 0; k < c->nkeywords; k++) {
			isg__concepts_phrase *ph;
			const char **toks;
			size_t slot;

			t.n = 0;
			t.store_len = 0;
			rc = isg__concepts_tokenize(&t, c->keywords[k],
			                            strlen(c->keywords[k]), 0);
			if (rc != ISG_OK)
				goto done;
			if (t.n == 0) {
				rc = isg__error_set(
				        ISG_EINVALID, MOD,
				        "concept '%s': keyword '%.60s' has no letters or digits",
				        c->slug, c->keywords[k]);
				goto done;
			}
			/* "redis stream" and "redis streams" stem alike: keep
			 * one, so evidence is not listed twice. */
			if (phrase_known(cat, i, &t))
				continue;
			ph = isg__arena_alloc(&cat->arena, sizeof(*ph));
			toks = isg__arena_alloc(&cat->arena,
			                        t.n * sizeof(*toks));
			if (!ph || !toks) {
				rc = isg__error_oom(MOD);
				goto done;
			}
			for (j = 0; j < t.n; j++) {
				toks[j] = isg__arena_strndup(
				        &cat->arena, ISG__CONCEPTS_TOK(&t, j),
				        t.items[j].len);
				if (!toks[j]) {
					rc = isg__error_oom(MOD);
					goto done;
				}
			}
			ph->concept = i;
			ph->display = c->keywords[k];
			ph->tokens = toks;
			ph->ntokens = t.n;
			ph->id = cat->nphrases++;
			slot = isg__concepts_hash(toks[0], strlen(toks[0])) &
			       (cat->tsize - 1);
			ph->next = cat->table[slot];
			cat->table[slot] = ph;
		}
	}
done:
	isg__concepts_tokens_dispose(&t);
	return rc;
}

const isg__concepts_phrase *isg__concepts_phrases(const isg_concepts *cat,
                                                  const char *tok, size_t len)
{
	if (!cat->tsize)
		return NULL;
	return cat->table[isg__concepts_hash(tok, len) & (cat->tsize - 1)];
}

int isg__concepts_load(isg_concepts *cat, const char *text, size_t len,
                       const char *what)
{
	cJSON *doc = isg__json_parse(text, len, MOD, what);
	const cJSON *arr, *it;
	size_t i = 0, k;
	int rc = ISG_OK;

	if (!doc)
		return isg_error_last()->code == ISG_ENOMEM ? ISG_ENOMEM
		                                            : ISG_EPARSE;
	arr = isg__json_arr(doc, "concepts");
	if (!arr) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "%s: no 'concepts' array at the top level",
		                    what);
		goto done;
	}
	cat->n = (size_t)cJSON_GetArraySize(arr);
	if (cat->n == 0 || cat->n > MAX_CONCEPTS) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "%s: %zu concepts (must be 1 to %u)", what,
		                    cat->n, MAX_CONCEPTS);
		goto done;
	}
	cat->items =
	        isg__arena_alloc(&cat->arena, cat->n * sizeof(*cat->items));
	cat->by_slug =
	        isg__arena_alloc(&cat->arena, cat->n * sizeof(*cat->by_slug));
	if (!cat->items || !cat->by_slug) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	memset(cat->items, 0, cat->n * sizeof(*cat->items));
	cJSON_ArrayForEach(it, arr)
	{
		rc = parse_concept(&cat->items[i], &cat->arena, it, i);
		if (rc != ISG_OK)
			goto done;
		cat->by_slug[i] = i;
		i++;
	}
	sort_cat = cat;
	qsort(cat->by_slug, cat->n, sizeof(size_t), cmp_slug);
	sort_cat = NULL;
	for (k = 1; k < cat->n; k++)
		if (strcmp(cat->items[cat->by_slug[k]].slug,
		           cat->items[cat->by_slug[k - 1]].slug) == 0) {
			rc = isg__error_set(ISG_EINVALID, MOD,
			                    "%s: slug '%s' appears twice", what,
			                    cat->items[cat->by_slug[k]].slug);
			goto done;
		}
	rc = link_hierarchy(cat);
	if (rc == ISG_OK)
		rc = index_phrases(cat);
done:
	cJSON_Delete(doc);
	return rc;
}

int isg__concepts_read_file(isg_buf *out, const char *path)
{
	char why[ISG_ERROR_MESSAGE_MAX];
	int rc = isg_file_read(out, path, MAX_FILE, 0);

	if (rc == ISG_OK || rc == ISG_ENOMEM)
		return rc;
	/* Keep the documented codes: over the cap, or cannot be read. */
	snprintf(why, sizeof(why), "%s", isg_error_last()->message);
	if (rc == ISG_ETOOBIG)
		return isg__error_set(ISG_ETOOBIG, MOD,
		                      "concept catalog '%s' is over 16 MiB",
		                      path);
	return isg__error_set(ISG_EIO, MOD, "cannot read concept catalog: %s",
	                      why);
}
