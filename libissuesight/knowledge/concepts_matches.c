/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_matches: the accessors of a match list (isg_concepts_matches),
 * its JSON form and its release.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

#define MOD "concepts"

size_t isg_concepts_matches_count(const isg_concepts_matches *m)
{
	return m ? m->n : 0;
}

const isg_concept_match *isg_concepts_matches_at(const isg_concepts_matches *m,
                                                 size_t i)
{
	return m && i < m->n ? &m->items[i] : NULL;
}

const isg_concept_match *
isg_concepts_matches_find(const isg_concepts_matches *m, const char *slug)
{
	size_t i;

	if (!m || !slug)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->items[i].entry->slug, slug) == 0)
			return &m->items[i];
	return NULL;
}

int isg_concepts_matches_to_json(isg_buf *out, const isg_concepts_matches *m)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, k;
	int rc;

	if (!out || !m)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "matches_to_json: NULL argument");
	rc = isg__buf_putc(&b, '[');
	for (i = 0; rc == ISG_OK && i < m->n; i++) {
		const isg_concept_match *mt = &m->items[i];

		rc = isg__buf_puts(&b, i ? ",{\"slug\":" : "{\"slug\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->slug,
			                              strlen(mt->entry->slug));
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, ",\"name\":");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, mt->entry->name,
			                              strlen(mt->entry->name));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b,
			        ",\"level\":\"%s\",\"confidence\":%.3f,\"evidence\":[",
			        isg_concepts_level_name(mt->entry->level),
			        mt->confidence);
		for (k = 0; rc == ISG_OK && k < mt->nevidence; k++) {
			if (k)
				rc = isg__buf_putc(&b, ',');
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, mt->evidence[k],
				        strlen(mt->evidence[k]));
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(&b, ']');
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return isg__error_oom(MOD);
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

void isg_concepts_matches_free(isg_concepts_matches *m)
{
	if (!m)
		return;
	isg__arena_free(&m->arena);
	isg__alloc_free(m);
}
