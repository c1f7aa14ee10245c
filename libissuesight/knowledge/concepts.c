/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts: the catalog handle (made by concepts_catalog.c from the
 * embedded data, a file or memory), the lookups, the hierarchy queries and
 * the tree as JSON.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "concepts"
#define MAX_FILE ISG__CONCEPTS_MAX_FILE
#define MAX_TREE (64u * 1024u * 1024u)
int isg_concepts_new(isg_concepts **out, const isg_concepts_options *opts)
{
	isg_concepts_options def = ISG_CONCEPTS_OPTIONS_INIT;
	isg_concepts *cat = NULL;
	isg_buf file = ISG_BUF_INIT;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!opts)
		opts = &def;
	if (opts->version != ISG_CONCEPTS_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, MOD, "options version %u is not %d",
		        opts->version, ISG_CONCEPTS_OPTIONS_VERSION);
	if (opts->json && opts->json_len > MAX_FILE)
		return isg__error_set(
		        ISG_ETOOBIG, MOD,
		        "concept catalog of %zu bytes is over 16 MiB",
		        opts->json_len);
	cat = isg__alloc_calloc(1, sizeof(*cat));
	if (!cat)
		return isg__error_oom(MOD);
	if (opts->path) {
		rc = isg__concepts_read_file(&file, opts->path);
		if (rc == ISG_OK)
			rc = isg__concepts_load(cat, file.ptr, file.size,
			                        opts->path);
	} else if (opts->json) {
		rc = isg__concepts_load(cat, opts->json, opts->json_len,
		                        "concept catalog");
	} else {
		rc = isg__concepts_load(cat, (const char *)isg__concepts_json,
		                        isg__concepts_json_len,
		                        "embedded concepts.json");
	}
	if (rc != ISG_OK)
		goto done;
	*out = cat;
	cat = NULL;
done:
	isg_buf_dispose(&file);
	isg_concepts_free(cat);
	return rc;
}

void isg_concepts_free(isg_concepts *cat)
{
	if (!cat)
		return;
	isg__arena_free(&cat->arena);
	isg__alloc_free(cat);
}

size_t isg_concepts_count(const isg_concepts *cat)
{
	return cat ? cat->n : 0;
}

const isg_concept *isg_concepts_at(const isg_concepts *cat, size_t i)
{
	return cat && i < cat->n ? &cat->items[i] : NULL;
}

const isg_concept *isg_concepts_find(const isg_concepts *cat, const char *slug)
{
	size_t i;

	if (!cat || !slug)
		return NULL;
	i = isg__concepts_index(cat, slug);
	return i == (size_t)-1 ? NULL : &cat->items[i];
}

size_t isg_concepts_child_count(const isg_concepts *cat, const char *slug)
{
	size_t i;

	if (!cat || !slug)
		return 0;
	i = isg__concepts_index(cat, slug);
	return i == (size_t)-1 ? 0 : cat->nchildren[i];
}

const isg_concept *isg_concepts_child_at(const isg_concepts *cat,
                                         const char *slug, size_t k)
{
	size_t i;

	if (!cat || !slug)
		return NULL;
	i = isg__concepts_index(cat, slug);
	if (i == (size_t)-1 || k >= cat->nchildren[i])
		return NULL;
	return &cat->items[cat->children[i][k]];
}

/* Walks up from `d` with an explicit stack and a visited map, so that a
 * concept reachable along many paths is looked at once. */
static int within(const isg_concepts *cat, size_t anc, size_t d)
{
	unsigned char *seen = isg__alloc_calloc(cat->n, 1);
	size_t *stack = isg__alloc_malloc(cat->n * sizeof(size_t)), top = 0, k;
	int found = 0;

	if (!seen || !stack) {
		found = -1;
		goto done;
	}
	stack[top++] = d;
	seen[d] = 1;
	while (top && !found) {
		size_t i = stack[--top];

		if (i == anc) {
			found = 1;
			break;
		}
		for (k = 0; k < cat->items[i].nparents; k++) {
			size_t p = cat->parent_idx[cat->parent_off[i] + k];

			if (!seen[p]) {
				seen[p] = 1;
				stack[top++] = p;
			}
		}
	}
done:
	isg__alloc_free(seen);
	isg__alloc_free(stack);
	return found;
}

int isg_concepts_is_within(const isg_concepts *cat, const char *ancestor,
                           const char *descendant)
{
	size_t a, d;

	if (!cat || !ancestor || !descendant)
		return 0;
	a = isg__concepts_index(cat, ancestor);
	d = isg__concepts_index(cat, descendant);
	if (a == (size_t)-1 || d == (size_t)-1)
		return 0;
	if (a == d)
		return 1;
	return within(cat, a, d) == 1;
}

const char *isg_concepts_level_name(int level)
{
	switch (level) {
	case ISG_CONCEPT_FOUNDATIONAL:
		return "foundational";
	case ISG_CONCEPT_INTERMEDIATE:
		return "intermediate";
	case ISG_CONCEPT_ADVANCED:
		return "advanced";
	default:
		return "unknown";
	}
}

static int tree_node(isg_buf *out, const isg_concepts *cat, size_t i)
{
	const isg_concept *c = &cat->items[i];
	size_t k;
	int rc;

	rc = isg__buf_puts(out, "{\"slug\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(out, c->slug, strlen(c->slug));
	if (rc == ISG_OK)
		rc = isg__buf_puts(out, ",\"name\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(out, c->name, strlen(c->name));
	if (rc == ISG_OK)
		rc = isg__buf_puts(out, ",\"description\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(out, c->description,
		                              strlen(c->description));
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        out,
		        ",\"level\":\"%s\",\"depth\":%d,\"difficulty_weight\":%.2f,\"children\":[",
		        isg_concepts_level_name(c->level), c->depth,
		        c->difficulty_weight);
	for (k = 0; rc == ISG_OK && k < cat->nchildren[i]; k++) {
		if (k)
			rc = isg__buf_putc(out, ',');
		if (rc == ISG_OK)
			rc = tree_node(out, cat, cat->children[i][k]);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(out, "]}");
	/* A concept with several parents is written under each of them; a
	 * hostile catalog could make that exponential, so cap the output. */
	if (rc == ISG_OK && out->size > MAX_TREE)
		rc = ISG_ETOOBIG;
	return rc;
}

int isg_concepts_tree_json(isg_buf *out, const isg_concepts *cat,
                           const char *root)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, first = 1;
	int rc = ISG_OK;

	if (!out || !cat)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "tree_json: NULL argument");
	if (root) {
		i = isg__concepts_index(cat, root);
		if (i == (size_t)-1)
			return isg__error_set(ISG_ENOTFOUND, MOD,
			                      "no concept '%.80s'", root);
		rc = tree_node(&b, cat, i);
	} else {
		rc = isg__buf_puts(&b, "{\"concepts\":[");
		for (i = 0; rc == ISG_OK && i < cat->n; i++) {
			if (cat->items[i].nparents)
				continue;
			if (!first)
				rc = isg__buf_putc(&b, ',');
			first = 0;
			if (rc == ISG_OK)
				rc = tree_node(&b, cat, i);
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_ETOOBIG) {
		rc = isg__error_set(ISG_ETOOBIG, MOD,
		                    "the concept tree is over 64 MiB of JSON");
		goto done;
	}
	if (rc != ISG_OK) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	isg_buf_dispose(out);
	*out = b;
	b.ptr = NULL;
	b.size = b.asize = 0;
done:
	isg_buf_dispose(&b);
	return rc;
}
